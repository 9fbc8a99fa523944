"""Limits over the real Telegram stack: told kindly with the hotline, and danger goes through whatever the pace."""

from __future__ import annotations

from typing import Any

from bot.core import build_core
from tests.chat_driver import report_until_review
from tests.conftest import PROVINCE_GROUP, REPORTER
from tests.telegram_chat import TelegramChat, running_bot

CHILD = 434343


async def test_over_the_limit_told_kindly_and_a_child_in_danger_still_gets_through(
    make_settings: Any, sqlite_url: str, telegram_server: Any
) -> None:
    core = await build_core(make_settings(sqlite_url, abuse_max_messages=3), demo=False)
    try:
        async with running_bot(core, telegram_server):
            adult = TelegramChat(telegram_server, REPORTER)
            await adult.send("/start")
            await adult.choose("Báo tin về một bạn nhỏ")
            await adult.choose("Hàng xóm")
            slowed = await adult.choose("Bạo lực thể chất")
            assert "hơi nhanh" in slowed and "111" in slowed
            numbers = await adult.send("hàng xóm bị nhốt con trong nhà")
            assert "111" in numbers and "113" in numbers, "danger words are answered at any pace"
            adults = await telegram_server.wait_for_message(PROVINCE_GROUP)  # and open the urgent case at once
            assert "KHẨN CẤP" in adults["text"] and "Trẻ em tự báo" not in adults["text"]

            child = TelegramChat(telegram_server, CHILD)
            for text in ("/start", "chào", "chào"):
                await child.send(text)
            assert "hơi nhanh" in await child.send("chào")
            assert "nguy hiểm" in await child.send("/start help")
            answer = await child.choose("Có, em đang gặp nguy hiểm")
            assert "111" in answer and "113" in answer
            card = await telegram_server.wait_for_message(PROVINCE_GROUP)
            assert "KHẨN CẤP" in card["text"] and "Trẻ em tự báo" in card["text"]
    finally:
        await core.db.dispose()


async def test_two_reports_about_two_communes_are_two_cards(make_settings: Any, sqlite_url: str, telegram_server: Any) -> None:
    """Ba Đình and Tây Hồ have no unit of their own here: both go to the province, and neither is a duplicate."""
    core = await build_core(make_settings(sqlite_url), demo=False)
    try:
        async with running_bot(core, telegram_server):
            reporter = TelegramChat(telegram_server, REPORTER)
            codes = []
            for place, commune in (("ba dinh", "Phường Ba Đình"), ("tay ho", "Phường Tây Hồ")):
                await report_until_review(reporter, place=place, commune=commune)
                receipt = await reporter.choose("Gửi tin báo")
                codes.append(receipt.split("Mã tin báo: ")[1].split()[0])
            for code in codes:
                card = await telegram_server.wait_for_message(PROVINCE_GROUP, lambda m, c=code: c in (m.get("text") or ""))
                assert "Tin báo mới" in card["text"]
    finally:
        await core.db.dispose()
