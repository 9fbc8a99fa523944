"""Two bot processes on one database: every outbox row is claimed by one of them and sent once."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.app import build_core
from tests.chat_driver import CoreChat, report_until_review
from tests.recording_sender import RecordingSender


async def test_two_workers_send_each_alert_exactly_once(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(database_url)
    first, second = await build_core(settings, demo=False), await build_core(settings, demo=False)
    try:
        for number in range(12):
            chat = CoreChat(first, user=f"reporter-{number}")
            await report_until_review(chat, description=f"report {number}")
            await chat.choose("Gửi tin báo")
        senders = [RecordingSender(), RecordingSender()]
        workers = [
            core.dispatcher({"telegram": sender, "zalo": sender}) for core, sender in zip((first, second), senders, strict=True)
        ]
        for worker in workers:
            worker.lease_size = 3  # small batches, so the two really interleave
        while sum(await asyncio.gather(*(w.run_once() for w in workers))):
            pass
        sent = Counter(d.envelope.id for s in senders for d in s.deliveries)
        assert len(sent) == 24 and set(sent.values()) == {1}, "12 cards + 12 private Zalo alerts, each once"
        assert all(s.deliveries for s in senders), "both workers took part"
    finally:
        await first.db.dispose()
        await second.db.dispose()
