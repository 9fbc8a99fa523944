"""Officer asks, reporter answers, over the Telegram test server: the real bot, both sides anonymous."""

from __future__ import annotations

import re
from typing import Any

from bot.core import Core
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram


def _press(server: Any, user: int, message: dict[str, Any], label: str, **kwargs: Any) -> None:
    data = next(b["callback_data"] for b in buttons(message) if b["text"].startswith(label))
    server.press_button(user, message, data, **kwargs)


async def test_officer_asks_reporter_replies_over_telegram(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
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
        await server.wait_for_message(LAN, lambda m: "Đã gửi câu hỏi" in m.get("text", ""))
        question = await server.wait_for_message(REPORTER, lambda m: "Bé học lớp mấy" in m.get("text", ""))
        assert "Nguyễn Thị Lan" not in question["text"] and str(LAN) not in question["text"]
        assert question["text"].startswith("💬 Tin nhắn mới"), "discreet on a shared phone's lock screen"
        server.user_message(REPORTER, "Lớp 3, trường Tiểu học Hoàn Kiếm")
        answer = await server.wait_for_message(LAN, lambda m: "Lớp 3, trường" in m.get("text", ""))
        assert str(REPORTER) not in answer["text"], "the officer never sees the reporter's id"
        group = [m.get("text", "") for m in server.messages_to(COMMUNE_GROUP)]
        assert not any("Lớp 3" in t or "Bé học lớp mấy" in t for t in group), "nothing of it in the group"


async def test_baocao_sends_the_units_report_as_a_file(core: Core, telegram_server) -> None:  # type: ignore[no-untyped-def]
    server = telegram_server
    async with running_bot(core, server):
        reporter = TelegramChat(server, REPORTER)
        await report_until_review(reporter)
        await reporter.choose("Gửi tin báo")
        server.user_message(LAN, "/baocao")
        await server.wait_for_message(LAN, lambda m: "Đang lập báo cáo" in m.get("text", ""))
        sent = await server.wait_for_request("sendDocument", lambda r: str(r.params.get("chat_id")) == str(LAN), timeout=20)
        assert sent.ok
        name = sent.filenames["document"]  # named after the unit and the period: "…-quy-iv-nam-2026.xlsx"
        assert re.fullmatch(r"bao-cao-00070-ubnd-phuong-hoan-kiem-quy-i{0,3}v?-nam-20\d\d\.xlsx", name), name
        server.user_message(LAN, "/baocao 2031-Q1")
        refused = await server.wait_for_message(LAN, lambda m: "Không lập được báo cáo" in m.get("text", ""), timeout=10)
        assert "/baocao 2026-Q3" in refused["text"]
        assert "Không lập được báo cáo: kỳ 2031-Q1 chưa bắt đầu." in refused["text"]  # one language, not English inside


async def test_tracuu_on_zalo_takes_typed_numbers_and_words(core: Core, zalo_server: Any, telegram_server: Any) -> None:
    """Zalo shows «1. Xong» under the code and secret prompts: "1" and "xong" choose it, as everywhere."""
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, "zalo-follower-3")
        await report_until_review(chat)
        receipt = await chat.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        secret = receipt.split("Mật mã theo dõi: ")[1].split()[0]
        asked = await chat.send("/tracuu")
        assert "1. Xong" in asked and "Trả lời 1" in asked
        assert "Báo tin về một bạn nhỏ" in await chat.send("1"), "done, back at the menu"
        await chat.send("/tracuu")
        assert "mật mã" in await chat.send(code)
        assert "Báo tin về một bạn nhỏ" in await chat.send("xong"), "the button's words, typed"
        await chat.send("/tracuu")
        await chat.send(code)
        shown = await chat.send(secret)
        assert code in shown and "1. Trả lời" in shown
        assert "Bạn viết câu trả lời" in await chat.send("tra loi / bo sung thong tin"), "menu words without accents"
        assert "Báo tin về một bạn nhỏ" in await chat.send("Xong")
