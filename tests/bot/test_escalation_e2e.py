"""Escalation over the Telegram test server with waits of seconds: the real bot, its APScheduler clock
and the timer rows, end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.core import Core, build_core
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, PROVINCE_GROUP, REPORTER
from tests.escalation_setup import LEADER, escalation_deployment, write_deployment
from tests.telegram_chat import TelegramChat, buttons, running_bot

LAN_ALWAYS = """
[[rosters]]
unit = "00070"
rotation = ["Nguyễn Thị Lan"]
start = 2026-01-01
"""
FAST_CHAIN = """
[policies.default.normal]
steps = [{ after = "0s", notify = "group" }, { after = "1s", notify = "duty_officer" }, { after = "%s", notify = "parent_group" }]
"""


@asynccontextmanager
async def bot_with(make_settings: Any, database_url: str, tmp_path: Path, server: Any, policy: str) -> AsyncIterator[Core]:
    path = write_deployment(tmp_path, escalation_deployment(policy, rosters=LAN_ALWAYS))
    core = await build_core(make_settings(database_url, deployment_file=path), demo=False)
    try:
        async with running_bot(core, server):
            yield core
    finally:
        await core.db.dispose()


async def _report(server: Any) -> str:
    chat = TelegramChat(server, REPORTER)
    await report_until_review(chat)
    receipt = await chat.choose("Gửi tin báo")
    return receipt.split("Mã tin báo: ")[1].split()[0]


def _button(message: dict[str, Any], label: str) -> str:
    return next(b["callback_data"] for b in buttons(message) if b["text"] == label)


def _about(code: str, words: str) -> Any:
    return lambda m: code in (m.get("text") or "") and words in (m.get("text") or "")


async def test_no_ack_duty_officer_then_province(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with bot_with(make_settings, database_url, tmp_path, telegram_server, FAST_CHAIN % "2s"):
        code = await _report(telegram_server)
        await telegram_server.wait_for_message(COMMUNE_GROUP, _about(code, "Tin báo mới"))
        private = await telegram_server.wait_for_message(LAN, _about(code, "Chưa có ai nhận xử lý"))
        assert "Bé bị đánh" not in private["text"], "an escalation card carries no narrative"
        province = await telegram_server.wait_for_message(PROVINCE_GROUP, _about(code, "Chưa có ai nhận xử lý"))
        assert [b["text"] for b in buttons(province)] == ["Tôi nhận xử lý", "Xem chi tiết"]


async def test_ack_after_the_first_step_sends_nothing_more(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with bot_with(make_settings, database_url, tmp_path, telegram_server, FAST_CHAIN % "3s"):
        code = await _report(telegram_server)
        private = await telegram_server.wait_for_message(LAN, _about(code, "Chưa có ai nhận xử lý"))
        telegram_server.press_button(LAN, private, _button(private, "Tôi nhận xử lý"))
        await telegram_server.wait_for_request("answerCallbackQuery", lambda r: code in r.params.get("text", ""))
        await telegram_server.wait_for_request("editMessageText")  # the group card shows who took it
        before = len(telegram_server.messages_to(PROVINCE_GROUP))
        await asyncio.sleep(3.5)
        assert len(telegram_server.messages_to(PROVINCE_GROUP)) == before, "the province step never went out"


async def test_ack_timeout_notifies_again(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    policy = 'ack_timeout_normal = "2s"\n' + FAST_CHAIN.replace('"1s"', '"1h"') % "2h"
    async with bot_with(make_settings, database_url, tmp_path, telegram_server, policy):
        code = await _report(telegram_server)
        card = await telegram_server.wait_for_message(COMMUNE_GROUP, _about(code, "Tin báo mới"))
        telegram_server.press_button(LAN, card, _button(card, "Tôi nhận xử lý"), chat_id=COMMUNE_GROUP)
        await telegram_server.wait_for_request("editMessageText")
        timed_out = await telegram_server.wait_for_message(LAN, _about(code, "chưa có cập nhật"))
        assert [b["text"] for b in buttons(timed_out)] == ["Tôi nhận xử lý", "Xem chi tiết"]
        again = await telegram_server.wait_for_message(COMMUNE_GROUP, _about(code, "Tin báo mới"))
        assert again["message_id"] != card["message_id"] and "Tôi nhận xử lý" in [b["text"] for b in buttons(again)]


async def test_decree_56_reminder_then_missed(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    policy = 'assessment_hours = 0.001\nassessment_remind_before = ["2s"]\n'  # 3.6 s, reminded 2 s before
    async with bot_with(make_settings, database_url, tmp_path, telegram_server, policy):
        code = await _report(telegram_server)
        card = await telegram_server.wait_for_message(COMMUNE_GROUP, _about(code, "Tin báo mới"))
        assert "⏳ Đánh giá ban đầu (12 giờ)" in card["text"], "the card shows the clock"
        telegram_server.press_button(LAN, card, _button(card, "Tôi nhận xử lý"), chat_id=COMMUNE_GROUP)
        reminder = await telegram_server.wait_for_message(LAN, _about(code, "Đánh giá ban đầu"))
        assert "còn" in reminder["text"]
        missed = await telegram_server.wait_for_message(LEADER, _about(code, "quá hạn"))
        assert "Đánh giá ban đầu" in missed["text"]
