"""Two bot processes on one database: every outbox row is claimed by one of them and sent once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from bot.core import build_core
from storage.models import utcnow
from storage.outbox import claim_due
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import COMMUNE_GROUP
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


async def test_a_card_whose_send_a_crash_cut_off_is_sent_again_saying_so(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """The killed worker may or may not have reached Telegram before dying: the card is never lost, and
    if it arrives twice the second copy tells the group it is the same report."""
    core = await build_core(make_settings(database_url), demo=False)
    try:
        chat = CoreChat(core)
        await report_until_review(chat)
        await chat.choose("Gửi tin báo")
        async with core.db.transaction() as session:  # a worker claims everything, then dies before settling
            crashed = await claim_due(session, now=utcnow(), lease=timedelta(seconds=-1))  # and its lease has run out
        assert crashed
        sender = RecordingSender()
        assert await core.dispatcher({"telegram": sender, "zalo": sender}).run_once() == len(crashed)
        [card] = sender.to(str(COMMUNE_GROUP))
        assert card.message.text.startswith("🔁 Gửi lại sau khi hệ thống khởi động lại")
        private = [d for d in sender.deliveries if d.envelope.purpose != "alert"]
        assert all(not d.message.text.startswith("🔁") for d in private), "only group cards carry the notice"
        fresh = CoreChat(core, user="another")
        await report_until_review(fresh)
        await fresh.choose("Gửi tin báo")
        sender.deliveries.clear()
        await core.dispatcher({"telegram": sender, "zalo": sender}).run_once()
        assert not sender.to(str(COMMUNE_GROUP))[0].message.text.startswith("🔁"), "a first send says nothing"
    finally:
        await core.db.dispose()
