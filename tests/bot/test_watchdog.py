"""The bot tells its administrators when it is itself unwell: a real SMTP server (aiosmtpd) in this process,
the bot's whole serve loop with its watchdog, a stuck outbox seen by /readyz, and the e-mail sent exactly
once however many workers check and whatever restarts, until the hour is over. A channel that cannot be
reached is told through the other bot."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlmodel import col

from bot.core import build_core
from bot.watchdog import Watchdog, email_route
from bot.web.server import console_for
from storage.models import Escalation, OutboxMessage, utcnow
from tests.bot.test_monitoring import free_port, serving, until_up, value
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import ADMIN, COMMUNE_GROUP
from tests.telegram_chat import TOKEN as TELEGRAM_TOKEN
from tests.web.console_client import BASE


class Inbox:
    def __init__(self) -> None:
        self.mail: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.mail.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def until(check: Any, what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def body(mail: EmailMessage) -> str:
    return str(mail.get_content())


async def test_a_stuck_outbox_fails_readyz_and_is_told_by_email_exactly_once_an_hour(  # type: ignore[no-untyped-def]
    make_settings, database_url: str, telegram_server: Any, smtp: tuple[Inbox, int]
) -> None:
    inbox, smtp_port = smtp
    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    settings = make_settings(
        database_url, telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base=telegram_server.base_url,
        web_base_url=base, web_port=web_port, health_outbox_stuck_minutes=5, watchdog_seconds=0.2,
        smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none", smtp_from="bot@example.org",
        watchdog_email_to="it@province.example.org, duty-admin@province.example.org",
    )
    core = await build_core(settings, demo=False)
    other = await build_core(settings, demo=False)  # a second worker, or this one restarted
    try:
        async with serving(core) as task, httpx.AsyncClient(base_url=base) as http:
            await until_up(f"{base}/healthz", task)
            assert (await http.get("/readyz")).status_code == 200
            async with core.db.transaction() as session:  # a card due 40 minutes ago, held by a worker that hangs
                session.add(OutboxMessage(
                    key_id="none", channel="telegram", purpose="alert", next_attempt_at=utcnow() - timedelta(minutes=40),
                    claimed_until=utcnow() + timedelta(days=1),
                ))
            ready = await http.get("/readyz")
            assert ready.status_code == 503 and ready.json() == {"status": "not ready", "failing": ["outbox"]}

            await until(lambda: inbox.mail, "the watchdog's e-mail")
            assert await Watchdog(other, [email_route(settings)]).check_once() == [], "told already, by the other worker"
            for _ in range(3):  # the serving worker's own watchdog checks again, every 0.2 s
                await asyncio.sleep(0.25)
            assert len(inbox.mail) == 1
            later = Watchdog(other, [email_route(settings)], clock=lambda: utcnow() + timedelta(minutes=61))
            assert await later.check_once() == ["outbox"], "an hour later, still stuck: told again"
            assert len(inbox.mail) == 2
    finally:
        await core.db.dispose()
        await other.db.dispose()

    mail = inbox.mail[0]
    assert mail["To"] == "it@province.example.org, duty-admin@province.example.org"
    assert mail["Subject"] == "[Bot bảo vệ trẻ em] Cần kiểm tra hệ thống"
    text = body(mail)
    assert "Tin nhắn đi bị kẹt" in text and "40 phút" in text and "tối đa một lần mỗi 60 phút" in text
    assert str(COMMUNE_GROUP) not in text and "TE-" not in text
    assert not [r for r in telegram_server.requests if r.method == "sendMessage" and r.params.get("chat_id") == ADMIN]


async def test_an_unreachable_zalo_is_told_through_the_telegram_bot(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, telegram_server: Any
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: every Zalo call fails
    settings = make_settings(
        sqlite_url, telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base=telegram_server.base_url,
        zalo_bot_token="zalo-token-xyz", zalo_api_base=dead, zalo_webhook_secret="zalo-hook-secret", webhook_port=free_port(),
        health_channel_silent_minutes=0.005, watchdog_seconds=0.2, default_locale="en",
    )
    core = await build_core(settings, demo=False)
    try:
        async with serving(core) as task, httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.webhook_port}") as http:
            await until_up(f"http://127.0.0.1:{settings.webhook_port}/healthz", task)
            told = await telegram_server.wait_for_message(ADMIN, timeout=10)
            ready = await http.get("/readyz")
            assert ready.status_code == 503 and ready.json()["failing"] == ["zalo"], "Telegram answers; Zalo does not"
            await asyncio.sleep(0.5)  # more checks: no second message
    finally:
        await core.db.dispose()
    assert "Zalo has not been reachable" in told["text"] and "at most once every 60 minutes" in told["text"]
    assert len(telegram_server.messages_to(ADMIN)) == 1


async def test_late_timers_fail_readyz_and_are_told_once(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, smtp: tuple[Inbox, int]
) -> None:
    """No bot process runs the timers (only the console, `python -m bot web`): a report's steps fall due and
    stay due; /readyz says so, and the watchdog of a worker that comes back tells it once."""
    inbox, smtp_port = smtp
    settings = make_settings(
        sqlite_url, web_base_url="http://127.0.0.1:8765", web_port=8765, default_locale="en",
        smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none", watchdog_email_to="it@province.example.org",
    )
    core = await build_core(settings, demo=False)
    try:
        chat = CoreChat(core)
        await report_until_review(chat)
        assert "Mã tin báo" in await chat.choose("Gửi tin báo")
        async with core.db.transaction() as session:  # its next steps were due 20 minutes ago
            await session.exec(
                update(Escalation).where(col(Escalation.state) == "pending").values(due_at=utcnow() - timedelta(minutes=20))
            )
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=console_for(core)), base_url=BASE) as http:
            ready = await http.get("/readyz")
            assert ready.status_code == 503 and ready.json()["failing"] == ["timers"]
            scrape = (await http.get("/metrics")).text
        assert 1200 <= value(scrape, "cpbot_timer_lateness_seconds") < 1300 and value(scrape, "cpbot_timers_due") >= 1
        watchdog = Watchdog(core, [email_route(settings)])
        assert await watchdog.check_once() == ["timers"]
        assert await watchdog.check_once() == []
    finally:
        await core.db.dispose()
    [mail] = inbox.mail
    assert "The timers are late" in body(mail) and "20 minutes overdue" in body(mail)
