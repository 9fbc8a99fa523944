"""A child asking for help: danger first, a case at once, answers that amend it, and a wipe that keeps it."""

from __future__ import annotations

import unicodedata

import pytest
from sqlmodel import select

from bot.core import Core
from handlers.i18n import t
from handlers.messages import InboundKind
from storage.cases import open_body
from storage.models import Case, OutboxMessage
from tests.chat_driver import CoreChat
from tests.conftest import COMMUNE_GROUP, PROVINCE_GROUP
from tests.recording_sender import RecordingSender

HEADER = t("vi", "discreet.header")


async def _cases(core: Core) -> list[Case]:
    async with core.db.session() as session:
        return list((await session.exec(select(Case))).all())


async def test_danger_now_opens_an_urgent_case_before_any_other_answer(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/start")
    await chat.choose("Em cần giúp đỡ")
    await chat.choose("Có, em đang gặp nguy hiểm")
    numbers, question = chat.last[0].text, chat.last[1].text
    assert all(n in numbers for n in ("111", "113", "115")) and "xã hay phường" in question
    [case] = await _cases(core)
    assert case.urgent and case.reporter_kind == "child" and case.unit_code == "01"
    sender = RecordingSender()
    outbox = core.dispatcher({"telegram": sender})
    await outbox.run_once()
    [card] = sender.to(str(PROVINCE_GROUP))
    assert "KHẨN CẤP" in card.message.text and "Trẻ em tự báo" in card.message.text

    # each later answer updates the same case: the commune re-routes it to the commune's group
    await chat.send("hoàn kiếm")
    await chat.choose("Phường Hoàn Kiếm")
    await chat.choose("Có")
    [case] = await _cases(core)
    assert (case.place_code, case.unit_code, case.contact_allowed) == ("00070", "00070", True)
    await outbox.run_once()
    assert len(sender.to(str(COMMUNE_GROUP))) == 1, "the commune's duty group gets its own card"
    edited = [d for d in sender.to(str(PROVINCE_GROUP)) if d.envelope.edit_message_id]
    assert edited and "Phường Hoàn Kiếm" in edited[-1].message.text


async def test_child_path_in_a_childs_words(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/help")  # straight to the child's flow
    assert "Ngay lúc này em có đang gặp nguy hiểm" in chat.last[-1].text
    assert "Chuyện gì đang xảy ra với em" in await chat.choose("Không")
    await chat.choose("Em bị bỏ một mình, không được cho ăn")
    await chat.send("Bố mẹ đi làm xa, em ở với chú")
    await chat.choose("Bỏ qua")  # where: skipped
    thanks = await chat.choose("Không")  # no contact
    assert "Đây không phải lỗi của em" in thanks and "111" in thanks
    [case] = await _cases(core)
    assert (case.category, case.urgent, case.reporter_kind, case.contact_allowed) == ("neglect", False, "child", False)
    async with core.db.session() as session:
        assert (await open_body(session, core.vault, case))["description"] == "Bố mẹ đi làm xa, em ở với chú"


async def test_deep_link_and_every_message_starts_neutral(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/start help")
    assert "Ngay lúc này em có đang gặp nguy hiểm" in chat.last[-1].text
    for reply in chat.replies:
        for message in reply.messages:
            assert message.text.split("\n", 1)[0] == HEADER


async def test_danger_words_raise_urgency_and_show_numbers_at_once(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/help")
    await chat.choose("Không")
    await chat.choose("Có người đánh em")
    answer = await chat.send("bo em noi se giet em, em muon tu tu")  # typed without diacritics
    assert "115" in answer
    [case] = await _cases(core)
    assert case.urgent and case.category == "physical"


async def test_wipe_returns_every_message_ref_and_the_case_still_goes_through(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/help")
    await chat.choose("Có, em đang gặp nguy hiểm")
    await core.conversation.remember(chat.handle, ["501", "502"])  # what the adapter sent
    await chat._deliver(InboundKind.TEXT, text="hoan kiem", message_ref="503")
    await chat._deliver(InboundKind.COMMAND, command="xoa", text="/xoa", message_ref="504")
    wipe = chat.replies[-1]
    assert set(wipe.wipe or []) >= {"501", "502", "503", "504"}
    assert [m.text for m in wipe.messages] == ["Đã xong."]
    assert not any(m.choices for m in wipe.messages)
    [case] = await _cases(core)
    assert case.urgent
    async with core.db.session() as session:
        assert (await session.exec(select(OutboxMessage))).first() is not None
    assert "Bạn muốn làm gì" in await chat.send("xin chào"), "after a wipe the chat starts afresh"


async def test_text_is_stored_in_nfc(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/help")
    await chat.choose("Không")
    await chat.choose("Chuyện khác")
    decomposed = unicodedata.normalize("NFD", "Em bị bắt nạt")
    await chat.send(decomposed)
    await chat.choose("Bỏ qua")
    await chat.choose("Không")
    [case] = await _cases(core)
    async with core.db.session() as session:
        stored = (await open_body(session, core.vault, case))["description"]
    assert stored == unicodedata.normalize("NFC", "Em bị bắt nạt") and stored != decomposed


async def test_sent_ids_are_traced_when_another_worker_starts_the_chat_at_that_moment(  # type: ignore[no-untyped-def]
    core: Core, make_settings, database_url: str, monkeypatch, caplog
) -> None:
    """No row for the chat yet when the outbox records what it sent, and another worker's turn inserts one
    between this transaction's read and its insert (locks are per worker without Redis; PostgreSQL then
    refuses the second insert): the ids go into that row, no error, nothing lost."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite: this transaction already holds the file's write lock; the other insert cannot come between")
    from bot.core import build_core
    from storage import drafts

    other = await build_core(make_settings(database_url), demo=False)  # the second worker, same database
    chat, elsewhere = CoreChat(core), CoreChat(other)

    key_of = drafts._key_of

    async def then_the_other_turn(session, handle):  # type: ignore[no-untyped-def]
        found = await key_of(session, handle)  # no row yet ...
        monkeypatch.setattr(drafts, "_key_of", key_of)
        await elsewhere.send("/help")  # ... and now there is: the other worker's turn committed it
        return found

    monkeypatch.setattr(drafts, "_key_of", then_the_other_turn)
    try:
        await core.conversation.remember(chat.handle, ["601"])
        assert not [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        await chat._deliver(InboundKind.COMMAND, command="xoa", text="/xoa", message_ref="602")
        assert set(chat.replies[-1].wipe or []) >= {"601", "602"}, "the wipe still deletes what the outbox sent"
    finally:
        await other.db.dispose()
