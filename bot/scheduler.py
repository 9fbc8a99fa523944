"""The in-process clock: APScheduler wakes the timer worker, the auditor, the handoff check, the receipt
sweeper, the report reminders (bot/report_reminders.py) and the daily purge (closed cases past retention,
abandoned drafts).
It holds no state of its own; the database rows are the truth, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.report_reminders import remind_preparers
from handlers.escalation.auditor import page_overdue
from handlers.escalation.engine import fire
from handlers.escalation.handoff import announce_handoffs
from handlers.services import Services
from storage.escalation import due_ids, next_due_at
from storage.retention import Retention, purge_expired, shred_stale_drafts

__all__ = ["TimerWorker"]

log = logging.getLogger(__name__)


class TimerWorker:
    def __init__(
        self,
        services: Services,
        *,
        poll_seconds: float = 1.0,
        audit_seconds: float = 30.0,
        handoff_seconds: float = 60.0,
        retention: Retention | None = None,
        sweep_receipts: Callable[[], Awaitable[int]] | None = None,
        sweep_seconds: float = 60.0,
        reminder_seconds: float = 300.0,
    ) -> None:
        """``sweep_receipts`` drops receipts kept for a crash once their minutes are over, every ``sweep_seconds``;
        the reporting calendar's reminders are looked for every ``reminder_seconds``."""
        self.s, self.reminder_seconds = services, reminder_seconds
        self.retention, self.sweep_receipts, self.sweep_seconds = retention, sweep_receipts, sweep_seconds
        self.poll_seconds, self.audit_seconds, self.handoff_seconds = poll_seconds, audit_seconds, handoff_seconds
        self.batch = 200
        self.passes = 5  # per tick; a step that keeps failing is left to the next poll, not retried in a loop
        self.scheduler: AsyncIOScheduler | None = None
        self._ticking = asyncio.Lock()  # the poll and a precise wake-up never fire side by side
        self._soon: asyncio.TimerHandle | None = None
        self._soon_task: asyncio.Future[int] | None = None

    async def tick(self) -> int:
        """Performs every due step once; another worker's claim or a cancellation makes a row a no-op.
        Then, if the next step falls due before the next poll, wakes up for it exactly then."""
        fired = 0
        async with self._ticking:
            for _ in range(self.passes):  # steps that fell due while this pass fired go in the next one
                async with self.s.db.session() as session:
                    due = await due_ids(session, self.s.clock(), limit=self.batch)
                for row_id, case_id in due:
                    try:
                        fired += await fire(self.s, row_id, case_id)
                    except Exception:  # one bad row must not stop the others; the auditor pages if it stays late
                        log.exception("escalation step %s failed; it stays due", row_id)
                if fired:
                    self.s.wake_outbox()
                async with self.s.db.session() as session:
                    upcoming = await next_due_at(session)
                if not due or upcoming is None or upcoming > self.s.clock():
                    self._wake_for(upcoming)
                    break
        return fired

    def _wake_for(self, due: datetime | None) -> None:
        wait = (due - self.s.clock()).total_seconds() if due is not None else None
        if self.scheduler is None or wait is None or not 0 < wait < self.poll_seconds:
            return  # the regular poll comes first (or nothing is pending)
        if self._soon is not None:
            self._soon.cancel()
        self._soon = asyncio.get_running_loop().call_later(wait, self._tick_soon)

    def _tick_soon(self) -> None:
        self._soon = None
        self._soon_task = asyncio.ensure_future(self.tick())  # kept referenced until it is done

    async def _guarded(self, job: str) -> None:
        try:
            if job == "audit":
                await page_overdue(self.s)
            elif job == "purge" and self.retention is not None:
                now, retention = self.s.clock(), self.retention
                purged = await purge_expired(self.s.db, self.s.vault, now=now, retention=retention, dry_run=False)
                drafts = await shred_stale_drafts(self.s.db, self.s.vault, now=now, retention=retention, dry_run=False)
                log.info("daily purge: %d case(s) and %d abandoned draft(s) shredded", len(purged), drafts)
            elif job == "reminders":
                if told := await remind_preparers(self.s):
                    log.info("%d report reminder(s) sent", told)
            elif job == "receipts" and self.sweep_receipts is not None:
                if swept := await self.sweep_receipts():
                    log.info("%d kept receipt(s) forgotten", swept)
            else:
                await announce_handoffs(self.s)
            self.s.wake_outbox()
        except Exception:
            log.exception("%s job failed; it runs again at its next interval", job)

    async def _audit(self) -> None:
        await self._guarded("audit")

    async def _handoffs(self) -> None:
        await self._guarded("handoffs")

    async def _purge(self) -> None:
        await self._guarded("purge")

    async def _receipts(self) -> None:
        await self._guarded("receipts")

    async def _reminders(self) -> None:
        await self._guarded("reminders")

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone="UTC")
        first = datetime.now().astimezone()
        options = {"max_instances": 1, "coalesce": True, "next_run_time": first}
        scheduler.add_job(self.tick, "interval", seconds=self.poll_seconds, id="timers", **options)
        scheduler.add_job(self._audit, "interval", seconds=self.audit_seconds, id="auditor", **options)
        scheduler.add_job(self._handoffs, "interval", seconds=self.handoff_seconds, id="handoffs", **options)
        scheduler.add_job(self._purge, "interval", hours=24, id="purge", **options)  # and once at start
        scheduler.add_job(self._receipts, "interval", seconds=self.sweep_seconds, id="receipts", **options)
        if self.s.report_calendar:
            scheduler.add_job(self._reminders, "interval", seconds=self.reminder_seconds, id="reminders", **options)
        scheduler.start()
        self.scheduler = scheduler

    def stop(self) -> None:
        if self._soon is not None:
            self._soon.cancel()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
