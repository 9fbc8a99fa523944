"""Collaborators (cộng tác viên) end to end over the fake Telegram and Zalo servers: their reports reach their
commune with the source marked and no commune question, they follow them with /cuatoi, and an officer's
home-visit request reaches them privately, with the case's facts and never the reporter's words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.core import Core, build_core
from handlers.messages import Channel
from storage.models import AuditEntry, Case
from tests.chat_driver import ChatDriver, CoreChat, report_until_review
from tests.conftest import COMMUNE_GROUP, DEPLOYMENT, HOA, LAN, MINH, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram

THU = 7001  # a collaborator of Phường Hoàn Kiếm on Telegram
TU = "zalo-collab-9"  # one on Zalo
COLLABORATORS = f"""
[[collaborators]]
name = "Hà Thị Thu"
commune = "00070"
village = "Tổ dân phố 3"
telegram_user_id = {THU}

[[collaborators]]
name = "Bùi Văn Tư"
commune = "00070"
village = "Phố Hàng Bạc"
zalo_user_id = "{TU}"
"""
NARRATIVE = "Bố say rượu đánh bé mỗi tối"
PLACE_QUESTION = "xảy ra ở xã/phường nào"


@pytest.fixture
async def core(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    deployment = tmp_path / "with-collaborators.toml"
    deployment.write_text(DEPLOYMENT + COLLABORATORS, encoding="utf-8")
    built = await build_core(make_settings(database_url, deployment_file=deployment), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


async def _collaborator_reports(chat: ChatDriver, category: str = "Bạo lực thể chất") -> str:
    """A collaborator's report, from the menu to the receipt: the place is never asked."""
    await chat.send("/start")
    started = await chat.choose("Báo tin về một bạn nhỏ")
    assert "cộng tác viên của Tổ dân phố 3" in started or "cộng tác viên của Phố Hàng Bạc" in started
    await chat.choose("Hàng xóm")
    await chat.choose(category)
    await chat.choose("6–10 tuổi")
    await chat.choose("Bé gái")
    await chat.choose("Không")
    asked = await chat.choose("Ở nhà")
    assert PLACE_QUESTION not in asked and "địa chỉ cụ thể" in asked, "from where it happened straight to the address"
    await chat.send("Ngõ 5 Hàng Bạc")
    await chat.send(NARRATIVE)
    await chat.choose("Bỏ qua")
    review = await chat.choose("Có, được nhắn lại")
    assert "Nơi xảy ra: Phường Hoàn Kiếm" in review
    return await chat.choose("Gửi tin báo")


async def _card(server: Any, code: str) -> dict[str, Any]:
    card = await server.wait_for_message(COMMUNE_GROUP, lambda m: code in m.get("text", ""))
    assert "Nguồn tin: cộng tác viên" in card["text"]
    for secret in (NARRATIVE, "Ngõ 5", "Hà Thị Thu", "Bùi Văn Tư", str(THU), TU):
        assert secret not in card["text"], secret
    return card


def _press(server: Any, user: int, message: dict[str, Any], label: str, **kwargs: Any) -> None:
    data = next(b["callback_data"] for b in buttons(message) if b["text"].startswith(label))
    server.press_button(user, message, data, **kwargs)


async def _officer_asks_for_a_visit(server: Any, card: dict[str, Any], code: str, whom: str) -> None:
    """Lan takes the case, opens its page and asks ``whom`` (the button's words) for a home visit."""
    _press(server, LAN, card, "Tôi nhận xử lý", chat_id=COMMUNE_GROUP)
    await server.wait_for_request("answerCallbackQuery", lambda r: "Bạn đã nhận" in r.params.get("text", ""))
    _press(server, LAN, card, "Xem chi tiết", chat_id=COMMUNE_GROUP)
    page = await server.wait_for_message(LAN, lambda m: code in m.get("text", "") and NARRATIVE in m.get("text", ""))
    _press(server, LAN, page, "🏠 Nhờ cộng tác viên thăm nhà")
    chooser = await server.wait_for_message(LAN, lambda m: "Nhờ cộng tác viên nào" in m.get("text", ""))
    assert [b["text"] for b in buttons(chooser)][:2] == ["Bùi Văn Tư — Phố Hàng Bạc", "Bùi Văn Tư — Phố Hàng Bạc (kèm địa chỉ)"]
    _press(server, LAN, chooser, whom)
    await server.wait_for_request("answerCallbackQuery", lambda r: "thăm nhà cho" in r.params.get("text", ""))


def _visit_has_facts_only(text: str, code: str, *, address: bool) -> None:
    assert f"Đề nghị thăm nhà — vụ việc {code}" in text
    assert "Bạo lực thể chất" in text and "Phường Hoàn Kiếm" in text and "6–10 tuổi" in text
    assert ("Ngõ 5 Hàng Bạc" in text) is address
    assert NARRATIVE not in text and "Hàng xóm" not in text, "never the reporter's words nor who they are"
    assert "Nguyễn Thị Lan" not in text


async def test_a_collaborators_telegram_report_reaches_their_commune_marked_and_unasked(core: Core, telegram_server: Any) -> None:
    server = telegram_server
    async with running_bot(core, server):
        thu = TelegramChat(server, THU)
        receipt = await _collaborator_reports(thu)
        assert "/cuatoi" in receipt
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        card = await _card(server, code)
        mine = await thu.send("/cuatoi")
        assert code in mine and "Bạo lực thể chất" in mine and "Đã nhận" in mine, "no code nor secret asked"
        stranger = await TelegramChat(server, REPORTER).send("/cuatoi")
        assert code not in stranger and "/tracuu" in stranger, "a citizen's chat is not a collaborator's"
        _press(server, LAN, card, "Tôi nhận xử lý", chat_id=COMMUNE_GROUP)
        await server.wait_for_request("answerCallbackQuery", lambda r: "Bạn đã nhận" in r.params.get("text", ""))
        assert "Cán bộ bảo vệ trẻ em đang xử lý" in await thu.send("/cuatoi"), "the status follows the case"
        assert "Nguyễn Thị Lan" not in await thu.send("/cuatoi")
    async with core.db.session() as session:
        case = (await session.exec(select(Case).where(col(Case.code) == code))).one()
    assert (case.unit_code, case.place_code, case.reporter_kind) == ("00070", "00070", "collaborator")


async def test_a_home_visit_request_reaches_the_telegram_collaborator_privately_without_the_narrative(
    core: Core, telegram_server: Any
) -> None:
    server = telegram_server
    async with running_bot(core, server):
        citizen = TelegramChat(server, REPORTER)
        await report_until_review(citizen, description=NARRATIVE, address="Ngõ 5 Hàng Bạc")
        code = (await citizen.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        card = await server.wait_for_message(COMMUNE_GROUP, lambda m: code in m.get("text", ""))
        assert "cộng tác viên" not in card["text"], "a citizen's report is not marked as a collaborator's"
        await _officer_asks_for_a_visit(server, card, code, "Hà Thị Thu — Tổ dân phố 3 (kèm địa chỉ)")
        visit = await server.wait_for_message(THU, lambda m: "Đề nghị thăm nhà" in m.get("text", ""))
        _visit_has_facts_only(visit["text"], code, address=True)
        assert not any("Đề nghị thăm nhà" in m.get("text", "") for m in server.messages_to(COMMUNE_GROUP))
        assert not any("Đề nghị thăm nhà" in m.get("text", "") for m in server.messages_to(REPORTER))
        server.user_message(LAN, f"/hoso {code}")
        page = await server.wait_for_message(LAN, lambda m: "Nhờ cộng tác viên Hà Thị Thu thăm nhà" in m.get("text", ""))
        assert "Nguyễn Thị Lan" in page["text"].split("Nhờ cộng tác viên Hà Thị Thu thăm nhà")[1].split("\n")[0]
        server.press_button(HOA, card, f"1|visit:{code}:1", chat_id=COMMUNE_GROUP, strict=False)  # forged, by another province's officer
        await server.wait_for_request("answerCallbackQuery", lambda r: "chỉ cán bộ được phân công" in r.params.get("text", ""))
        server.user_message(MINH, f"/hoso {code}")  # the province reads the case, but the commune asks its own
        page = await server.wait_for_message(MINH, lambda m: code in m.get("text", ""))
        assert not any(b["text"].startswith("🏠") for b in buttons(page))
        server.press_button(MINH, page, f"1|visit:{code}:1", strict=False)
        await server.wait_for_request("answerCallbackQuery", lambda r: "Chỉ cán bộ của xã/phường" in r.params.get("text", ""))
    assert sum("Đề nghị thăm nhà" in m.get("text", "") for m in server.messages_to(THU)) == 1, "refused presses sent nothing"
    async with core.db.session() as session:
        actions = (await session.exec(select(AuditEntry.action))).all()
    assert "visit" in actions and "denied:visit" in actions


async def test_a_zalo_collaborator_reports_follows_and_is_asked_for_a_visit(
    core: Core, zalo_server: Any, telegram_server: Any
) -> None:
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        tu = ZaloChat(zalo_server, TU)
        receipt = await _collaborator_reports(tu)
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        card = await _card(telegram_server, code)
        mine = await tu.send("/cuatoi")
        assert code in mine and "Đã nhận" in mine
        await _officer_asks_for_a_visit(telegram_server, card, code, "Bùi Văn Tư — Phố Hàng Bạc")
        visit = await zalo_server.wait_for_message(TU, "Đề nghị thăm nhà")
        _visit_has_facts_only(visit, code, address=False)


async def test_a_zalo_officer_asks_by_typed_commands(core: Core, zalo_server: Any, telegram_server: Any) -> None:
    """No buttons on Zalo: «thamnha TE-… » lists the collaborators as commands, «thamnha TE-… 1» asks."""
    from tests.conftest import ZALO_OFFICER

    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        citizen = ZaloChat(zalo_server, "zalo-citizen-4")
        await report_until_review(citizen, description=NARRATIVE)
        code = (await citizen.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        officer = ZaloChat(zalo_server, ZALO_OFFICER)
        assert f"Bạn đã nhận xử lý tin báo {code}" in await officer.send(f"nhan {code}")
        listed = await officer.send(f"thamnha {code}")
        assert f"thamnha {code} 1a" in listed and "Bùi Văn Tư — Phố Hàng Bạc" in listed
        assert "Đã nhờ Bùi Văn Tư thăm nhà" in await officer.send(f"thamnha {code} 1")
        visit = await zalo_server.wait_for_message(TU, "Đề nghị thăm nhà")
        assert code in visit and NARRATIVE not in visit and "Ngõ 5" not in visit


async def test_the_daily_report_limit_holds_a_citizen_never_a_declared_collaborator(  # type: ignore[no-untyped-def]
    make_settings, database_url: str, tmp_path: Path
) -> None:
    """A collaborator reports what a whole village sees: the per-person daily cap, a guard against one
    anonymous person flooding the desk, would silence the people the commune relies on."""
    deployment = tmp_path / "with-collaborators.toml"
    deployment.write_text(DEPLOYMENT + COLLABORATORS, encoding="utf-8")
    core = await build_core(make_settings(database_url, deployment_file=deployment, abuse_max_reports_per_day=1), demo=False)
    try:
        collaborator = CoreChat(core, user=str(THU), channel=Channel.TELEGRAM)
        for category in ("Bạo lực thể chất", "Xâm hại tình dục"):
            assert "Mã tin báo" in await _collaborator_reports(collaborator, category)
        citizen = CoreChat(core)
        await report_until_review(citizen)
        assert "Mã tin báo" in await citizen.choose("Gửi tin báo")
        await report_until_review(citizen, category="Xâm hại tình dục")
        held = await citizen.choose("Gửi tin báo")
        assert "Mã tin báo" not in held, held
        async with core.db.session() as session:
            assert len((await session.exec(select(Case))).all()) == 3
    finally:
        await core.db.dispose()
