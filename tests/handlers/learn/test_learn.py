"""Learn through the core: screens, typed numbers, danger words in the middle, and only aggregate counts."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from handlers.learn.pieces import pieces_for
from storage.models import Case, LearnRead
from tests.chat_driver import CoreChat


async def _reads(core: Core) -> list[LearnRead]:
    async with core.db.session() as session:
        return list((await session.exec(select(LearnRead))).all())


async def test_a_piece_is_read_page_by_page_and_ends_with_111_and_a_way_to_talk(core: Core) -> None:
    chat = CoreChat(core, "child-reader")
    await chat.send("/start")
    assert "Bạn là ai?" in await chat.choose("📖 Tìm hiểu")
    await chat.choose("Em là trẻ em")
    first = await chat.choose("Bí mật tốt và bí mật xấu")
    assert "(1/3)" in first and "món quà sinh nhật" in first
    await chat.choose("Tiếp ›")
    last = await chat.choose("Tiếp ›")
    assert "(3/3)" in last and "111" in last and "Nguồn: " in last
    assert "em có đang gặp nguy hiểm" in await chat.choose("💬 Nói chuyện với ai đó")  # the child's own flow
    [read] = await _reads(core)
    assert (read.piece, read.count) == (
        "child_secrets",
        1,
    )  # the piece once, whatever its pages; nobody's handle
    assert set(LearnRead.model_fields) == {"piece", "month", "count"}


async def test_typed_numbers_pick_the_learn_screen_not_the_main_menu(core: Core) -> None:
    chat = CoreChat(core, "typist")
    await chat.send("/start")
    await chat.choose("📖 Tìm hiểu")
    assert "Chọn một bài" in await chat.send("2")  # "I am a parent"
    titles = [p.title for p in pieces_for("vi", "parent")]
    assert titles[0] in chat.last[0].choices[0].label
    assert "(1/3)" in await chat.send("1")
    await chat.choose("Về menu")
    assert [c.value for c in chat.last[-1].choices][:2] == ["menu:child", "menu:report"]
    await chat.send("2")  # the main menu's numbers again, once Learn is left
    assert "relation" in chat.last[-1].choices[0].value


async def test_danger_words_in_the_middle_of_a_piece_give_the_numbers_and_an_urgent_case(core: Core) -> None:
    chat = CoreChat(core, "child-in-danger")
    await chat.send("/start")
    await chat.choose("📖 Tìm hiểu")
    await chat.choose("Em là trẻ em")
    await chat.choose("Cơ thể em là của em")
    answer = await chat.send("cứu em với, chú ấy đang đánh em")
    assert "111" in answer and "113" in answer
    async with core.db.session() as session:
        [case] = (await session.exec(select(Case))).all()
    assert case.urgent and case.reporter_kind == "child"
    assert "xã hay phường" in answer  # the child's flow goes on from where a child in danger is asked
