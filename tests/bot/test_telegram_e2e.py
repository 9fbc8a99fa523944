"""End to end over real HTTP: the real aiogram bot, polling a Bot API server that validates every request."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.core import Core
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, OTHER_USER, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot, settled

pytestmark = pytest.mark.both_loops  # the runtime end to end, on the loop `python -m bot` runs on too


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG")
    return out.getvalue()


async def _answer_to(server, press: dict):  # type: ignore[no-untyped-def]
    query_id = press["callback_query"]["id"]
    return await server.wait_for_request("answerCallbackQuery", lambda r: r.params["callback_query_id"] == query_id)


async def _report(server, core: Core) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    chat = TelegramChat(server, REPORTER)
    review = await report_until_review(chat, description="Hàng xóm đánh bé", photo=_jpeg())
    assert "Ảnh: 1" in review
    receipt = await chat.choose("Gửi tin báo")
    code = receipt.split("Mã tin báo: ")[1].split()[0]
    [card] = await settled(server, COMMUNE_GROUP, 0)
    return code, card


async def test_report_alert_acknowledge_edits_card(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with running_bot(core, telegram_server):
        code, card = await _report(telegram_server, core)
        assert code in card["text"] and "Phường Hoàn Kiếm" in card["text"]
        assert "Hàng xóm đánh bé" not in card["text"]
        ack = next(b for b in buttons(card) if b["text"] == "Tôi nhận xử lý")
        press = telegram_server.press_button(LAN, card, ack["callback_data"], chat_id=COMMUNE_GROUP)
        answer = await _answer_to(telegram_server, press)
        assert code in answer.params["text"]
        edit = await telegram_server.wait_for_request("editMessageText")
        assert int(edit.params["message_id"]) == card["message_id"]
        [current] = telegram_server.chat_messages(COMMUNE_GROUP)
        assert "✅ Nguyễn Thị Lan đã nhận xử lý" in current["text"]
        assert [b["text"] for b in buttons(current)] == ["Xem chi tiết"]


async def test_non_officer_is_refused_and_nothing_changes(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with running_bot(core, telegram_server):
        _, card = await _report(telegram_server, core)
        ack = next(b for b in buttons(card) if b["text"] == "Tôi nhận xử lý")
        press = telegram_server.press_button(OTHER_USER, card, ack["callback_data"], chat_id=COMMUNE_GROUP)
        answer = await _answer_to(telegram_server, press)
        assert "chỉ cán bộ được phân công" in answer.params["text"]
        assert str(answer.params.get("show_alert")).lower() == "true"
        [current] = telegram_server.chat_messages(COMMUNE_GROUP)
        assert current["text"] == card["text"]
        assert not [r for r in telegram_server.requests if r.method == "editMessageText"]
        assert telegram_server.messages_to(OTHER_USER) == []


async def test_view_details_goes_only_to_the_officers_private_chat(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with running_bot(core, telegram_server):
        code, card = await _report(telegram_server, core)
        view = next(b for b in buttons(card) if b["text"] == "Xem chi tiết")
        telegram_server.press_button(LAN, card, view["callback_data"], chat_id=COMMUNE_GROUP)
        details = await settled(telegram_server, LAN, 0)
        assert "Hàng xóm đánh bé" in details[0]["text"] and code in details[0]["text"]
        assert any(m.get("photo") for m in details), "the evidence photo is sent with the details"
        group_texts = [m["text"] for m in telegram_server.chat_messages(COMMUNE_GROUP)]
        assert not any("Hàng xóm đánh bé" in t for t in group_texts)


async def test_an_unexpected_failure_still_gets_a_kind_answer(core: Core, telegram_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(core.conversation, "handle", broken)
    async with running_bot(core, telegram_server):
        telegram_server.user_message(REPORTER, "xin chào")
        answer = await telegram_server.wait_for_message(REPORTER)
        assert "Hệ thống đang bận" in answer["text"] and "a bug" not in answer["text"]


async def test_a_group_that_refuses_the_card_for_good_passes_it_up_the_tree(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PROVINCE_GROUP

    telegram_server.block_chat(COMMUNE_GROUP, description="Forbidden: bot was kicked from the supergroup chat")
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, REPORTER)
        await report_until_review(chat)
        receipt = await chat.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert code in card["text"]
        ack = next(b for b in buttons(card) if b["text"] == "Tôi nhận xử lý")
        press = telegram_server.press_button(LAN, card, ack["callback_data"], chat_id=PROVINCE_GROUP)
        assert code in (await _answer_to(telegram_server, press)).params["text"]  # the commune officer may still take it
