"""Messages to a reporter go through the outbox over the real Telegram stack: the receipt outlives a 429
and a 500, and a wipe takes back the officer's question too."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core import Core
from handlers.messages import Channel
from handlers.state import load_conversation
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot


def _to_reporter(server: Any) -> list[Any]:
    return [r for r in server.requests if r.method == "sendMessage" and str(r.params.get("chat_id")) == str(REPORTER)]


async def test_the_receipt_arrives_after_a_429_and_a_500(make_settings, database_url: str, telegram_server: Any) -> None:  # type: ignore[no-untyped-def]
    from bot.core import build_core

    core = await build_core(make_settings(database_url, outbound_retry_base_seconds=0.3), demo=False)
    server = telegram_server
    try:
        async with running_bot(core, server):
            chat = TelegramChat(server, REPORTER)
            await report_until_review(chat)
            before = len(_to_reporter(server))
            server.fail_next("sendMessage", 429, retry_after=1, chat_id=REPORTER)
            server.fail_next("sendMessage", 500, chat_id=REPORTER)
            message, data = chat.find_button("Gửi tin báo")
            server.press_button(REPORTER, message, data)
            receipt = await server.wait_for_message(REPORTER, lambda m: "Mã tin báo: TE-" in (m.get("text") or ""), timeout=15)
            tries = _to_reporter(server)[before:]
            assert [r.status for r in tries[:3]] == [429, 500, 200], "refused twice, then delivered"
            assert "Mã tin báo: TE-" in tries[0].params["text"], "the first refused message was the receipt itself"
            assert tries[1].at - tries[0].at >= 0.95, "Telegram's retry_after was waited out"
            later = lambda m: "Bạn muốn làm gì" in (m.get("text") or "") and m["message_id"] > receipt["message_id"]
            await server.wait_for_message(REPORTER, later, timeout=5)
            sent = [m.get("text") or "" for m in server.messages_to(REPORTER)]
            assert "Mã tin báo" in sent[-2] and "Bạn muốn làm gì" in sent[-1], "the menu waited for the receipt before it"
            code = receipt["text"].split("Mã tin báo: ")[1].split()[0]
            card = await server.wait_for_message(COMMUNE_GROUP, lambda m: code in (m.get("text") or ""))
            assert card
    finally:
        await core.db.dispose()


async def _traced(core: Core, ref: str) -> None:
    """Until the outbox has put ``ref`` in the reporter's sealed trace (it does so just after sending)."""
    handle = core.handle_for(Channel.TELEGRAM)(str(REPORTER))
    for _ in range(100):
        async with core.db.session() as session:
            state = await load_conversation(session, core.vault, handle)
        if state is not None and ref in [r for r, _ in state.trace]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {ref} never joined the reporter's wipe trace")


def _press(server: Any, user: int, message: dict[str, Any], label: str, **kwargs: Any) -> None:
    data = next(b["callback_data"] for b in buttons(message) if b["text"].startswith(label))
    server.press_button(user, message, data, **kwargs)


async def test_a_wipe_takes_back_the_officers_question_too(core: Core, telegram_server: Any) -> None:
    server = telegram_server
    async with running_bot(core, server):
        reporter = TelegramChat(server, REPORTER)
        await report_until_review(reporter, description="Hàng xóm đánh bé")
        code = (await reporter.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        card = await server.wait_for_message(COMMUNE_GROUP, lambda m: code in m.get("text", ""))
        _press(server, LAN, card, "Tôi nhận xử lý", chat_id=COMMUNE_GROUP)
        await server.wait_for_request("answerCallbackQuery", lambda r: "Bạn đã nhận" in r.params.get("text", ""))
        _press(server, LAN, card, "Xem chi tiết", chat_id=COMMUNE_GROUP)
        page = await server.wait_for_message(LAN, lambda m: "Hàng xóm đánh bé" in m.get("text", ""))
        _press(server, LAN, page, "Hỏi người báo tin")
        await server.wait_for_message(LAN, lambda m: "viết câu hỏi" in m.get("text", ""))
        server.user_message(LAN, "Bé học lớp mấy, trường nào?")
        question = await server.wait_for_message(REPORTER, lambda m: "Bé học lớp mấy" in m.get("text", ""))
        assert "🧹 Xoá tin nhắn" in [b["text"] for b in buttons(question)], "the question can be wiped at once"
        assert all("🧹 Xoá tin nhắn" in [b["text"] for b in buttons(m)] for m in server.messages_to(REPORTER))
        every_id = {m["message_id"] for m in server.chat_messages(REPORTER)}
        assert question["message_id"] in every_id
        await _traced(core, str(question["message_id"]))
        await reporter.send("/xoa")
        deleted = {int(i) for r in server.requests if r.method == "deleteMessages" for i in r.params["message_ids"]}
        assert every_id <= deleted, f"not deleted: {every_id - deleted}"
        assert [m.get("text") for m in server.chat_messages(REPORTER)] == ["Đã xong."]
