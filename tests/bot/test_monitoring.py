"""Watching the bot (docs/monitoring.md): the whole bot process (`bot.app`'s serve, in this process) with
Telegram and Zalo against their fake servers and the console on its port; real flows, then real HTTP
scrapes of /metrics, /healthz and /readyz on the console's port and on the webhook site."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import col, select

from bot.app import _serve
from bot.channels.zalo import UNREADABLE
from bot.core import Core, build_core
from bot.metrics import LABELS, Metrics
from storage.models import CaseEvent, EventKind, OutboxMessage, utcnow
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import ADMIN, COMMUNE_GROUP, LAN, REPORTER
from tests.telegram_chat import TOKEN as TELEGRAM_TOKEN
from tests.telegram_chat import TelegramChat, buttons
from tests.web.console_client import sign_in_link
from tests.zalo_chat import ZaloChat
from tests.zalo_fake.server import TOKEN as ZALO_TOKEN

ZALO_REPORTER = "zalo-reporter-4242"
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"
WEBHOOK_SECRET = "monitoring_secret-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_up(url: str, task: asyncio.Task[None]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(200):
            if task.done():
                task.result()  # the bot stopped: say why
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered")


@asynccontextmanager
async def serving(core: Core, *, webhook: bool = False) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(_serve(core, webhook=webhook))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


def samples(scrape: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(scrape):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def label_values_allowed(scrape: str) -> list[str]:
    """Every label of every sample, checked against the closed lists of bot/metrics.py."""
    wrong = []
    for name, labels in samples(scrape):
        for label, value in labels:
            if label == "le":  # a histogram's bucket bound: a number
                float(value)
            elif value not in LABELS.get(label, ()):
                wrong.append(f"{name}{{{label}={value!r}}}")
    return wrong


def value(scrape: str, name: str, **labels: str) -> float:
    return samples(scrape).get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_after_real_flows_count_them_and_no_label_names_anyone(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, telegram_server: Any, zalo_server: Any
) -> None:
    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    settings = make_settings(
        sqlite_url, telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base=telegram_server.base_url,
        zalo_bot_token=ZALO_TOKEN, zalo_api_base=zalo_server.base_url, zalo_media_hosts="127.0.0.1",
        web_base_url=base, web_port=web_port, watchdog_seconds=0,
    )
    core = await build_core(settings, demo=False)
    try:
        async with serving(core) as task:
            await until_up(f"{base}/healthz", task)
            # A Zalo report, its card in the commune's Telegram group, taken by the officer.
            chat = ZaloChat(zalo_server, ZALO_REPORTER)
            await report_until_review(chat)
            receipt = await chat.choose("Gửi tin báo")
            code = receipt.split("Mã tin báo: ")[1].split()[0]
            card = await telegram_server.wait_for_message(COMMUNE_GROUP)
            ack = next(b for b in buttons(card) if b["text"] == "Tôi nhận xử lý")
            telegram_server.press_button(LAN, card, ack["callback_data"], chat_id=COMMUNE_GROUP)
            await telegram_server.wait_for_request("editMessageText")
            # A Telegram reporter starts; a protected Zalo account writes; someone tries a made-up sign-in link.
            await TelegramChat(telegram_server, REPORTER).send("/start")
            zalo_server.push(zalo_server.update(ZALO_REPORTER, UNREADABLE, message_id="unreadable-1"))
            await zalo_server.wait_for_message(ZALO_REPORTER, "111")
            async with httpx.AsyncClient(base_url=base) as http:
                refused = await http.post("/in/not-a-real-token", headers={"Origin": base})
                assert refused.status_code == 403
                link = await sign_in_link(core, "lan")  # /web in the officer's chat, then the link
                assert (await http.post(link.removeprefix(base), headers={"Origin": base})).status_code == 303
                await asyncio.sleep(0.3)  # the ack's edit is settled in the outbox's transaction
                scrape = (await http.get("/metrics")).text
                health = await http.get("/healthz")
                ready = await http.get("/readyz")
    finally:
        await core.db.dispose()

    assert value(scrape, "cpbot_reports_opened_total", channel="zalo", urgency="normal") == 1
    assert value(scrape, "cpbot_time_to_acknowledge_seconds_count", urgency="normal") == 1
    assert value(scrape, "cpbot_time_to_acknowledge_seconds_bucket", urgency="normal", le="60.0") == 1, "taken at once"
    assert value(scrape, "cpbot_alerts_sent_total", channel="telegram", purpose="alert") == 1
    assert value(scrape, "cpbot_zalo_unreadable_total") == 1
    assert value(scrape, "cpbot_updates_total", channel="zalo", kind="unreadable") == 1
    assert value(scrape, "cpbot_updates_total", channel="zalo", kind="text") >= 5
    assert value(scrape, "cpbot_updates_total", channel="telegram", kind="command") == 1
    assert value(scrape, "cpbot_updates_total", channel="telegram", kind="choice") == 1
    assert value(scrape, "cpbot_console_refusals_total", reason="link_refused") == 1
    assert value(scrape, "cpbot_console_signins_total") == 1
    assert ("cpbot_outbox_pending", ()) in samples(scrape) and ("cpbot_timer_lateness_seconds", ()) in samples(scrape)
    assert label_values_allowed(scrape) == []
    for private in (code, ZALO_REPORTER, str(REPORTER), str(LAN), str(COMMUNE_GROUP), str(ADMIN), "Lan"):
        # a whole token, not digits inside a measured float ("0.59127960900…" holds "9001")
        assert not re.search(rf"(?<![\w.-]){re.escape(private)}(?![\w.])", scrape), private
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_the_webhook_site_answers_the_probes_and_readyz_names_a_stuck_outbox(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, telegram_server: Any
) -> None:
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    settings = make_settings(
        sqlite_url, telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base=telegram_server.base_url,
        telegram_webhook_url=WEBHOOK_URL, telegram_webhook_secret=WEBHOOK_SECRET, webhook_port=port,
        watchdog_seconds=0, health_outbox_stuck_minutes=5, metrics_token="scrape-token-0123456789",
    )
    core = await build_core(settings, demo=False)
    try:
        async with serving(core, webhook=True) as task, httpx.AsyncClient(base_url=site) as http:
            await until_up(f"{site}/healthz", task)
            update = telegram_server.user_message(REPORTER, "/start")
            assert await telegram_server.deliver(update, f"{site}/telegram/webhook") == 200
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert (await http.get("/metrics")).status_code == 401, "METRICS_TOKEN set: no scrape without it"
            http.headers["Authorization"] = "Bearer scrape-token-0123456789"
            scrape = (await http.get("/metrics")).text
            assert value(scrape, "cpbot_updates_total", channel="telegram", kind="command") == 1
            assert label_values_allowed(scrape) == []

            async with core.db.transaction() as session:  # a card due an hour ago that nothing sends
                row = OutboxMessage(key_id="none", channel="telegram", purpose="alert", next_attempt_at=utcnow() - timedelta(hours=1))
                row.claimed_until = utcnow() + timedelta(days=1)  # held by a worker that hangs
                session.add(row)
            stuck = await http.get("/readyz")
            assert stuck.status_code == 503 and stuck.json() == {"status": "not ready", "failing": ["outbox"]}
            scrape = (await http.get("/metrics")).text
            assert value(scrape, "cpbot_outbox_pending") == 1
            assert value(scrape, "cpbot_outbox_oldest_due_seconds") >= 3600
    finally:
        await core.db.dispose()


def test_docs_describe_every_metric_and_no_other() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "monitoring.md").read_text(encoding="utf-8")
    exported = {f"{f.name}_total" if f.type == "counter" else f.name for f in Metrics().registry.collect()}
    documented = set(re.findall(r"^\| `(cpbot_\w+)`", docs, re.MULTILINE))
    assert documented == exported


async def test_reports_held_in_a_flood_are_counted_as_the_timeline_records_them(make_settings, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    core = await build_core(make_settings(sqlite_url, abuse_flood_new_reporters=1), demo=False)
    try:
        for n in range(4):
            chat = CoreChat(core, user=f"new-{n}")
            await report_until_review(chat, description=f"tin số {n}")
            assert "Mã tin báo" in await chat.choose("Gửi tin báo")
        async with core.db.session() as session:
            events = (await session.exec(select(CaseEvent).where(col(CaseEvent.kind) == EventKind.STEP_SKIPPED))).all()
        held = [e for e in events if (e.detail or "").startswith("chain: held")]
        scrape = (await core.metrics.render(core.db)).decode()
    finally:
        await core.db.dispose()
    assert len(held) == 2, "one before the flood, the first of the window, then held"
    assert value(scrape, "cpbot_floods_held_total") == 2
    assert value(scrape, "cpbot_reports_opened_total", channel="terminal", urgency="normal") == 4
