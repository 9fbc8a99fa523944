"""Sends what the outbox holds, once committed: retries transient failures, gives up loudly on permanent ones."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.messages import Outbound
from handlers.cards import ALERT
from storage.cases import record_event
from storage.db import Database
from storage.models import Case, EventKind, utcnow
from storage.outbox import Envelope, claim_due, mark_failed, mark_retry, mark_sent, open_envelope, read_attachment
from storage.vault import Vault

__all__ = ["OutboxDispatcher", "PermanentFailure", "RetryLater", "Sender"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


class RetryLater(Exception):
    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class PermanentFailure(Exception):
    """The platform refused for good (bot removed, chat gone); retrying would not help."""


FailedAlert = Callable[[AsyncSession, str, str], Awaitable[None]]  # (session, case id, refused address)


class Sender(Protocol):
    async def send(
        self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]
    ) -> str | None:
        """Delivers (or edits, when ``envelope.edit_message_id`` is set) and returns the platform message id."""
        ...


def _backoff(attempts: int) -> float:
    return min(300.0, 2.0**attempts) * (0.5 + random.random() / 2)  # noqa: S311  jitter keeps workers from syncing up


class OutboxDispatcher:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        senders: Mapping[str, Sender],
        *,
        poll_seconds: float = 1.0,
        on_failed_alert: FailedAlert | None = None,
    ) -> None:
        self.db, self.vault, self.senders = db, vault, senders
        self.on_failed_alert = on_failed_alert
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self.lease = timedelta(seconds=60)
        self.lease_size = 20  # rows claimed per pass

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the loop must outlive any one bad row or a database hiccup
                log.exception("outbox pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

    async def run_once(self) -> int:
        async with self.db.transaction() as session:
            claimed = await claim_due(session, now=utcnow(), lease=self.lease, limit=self.lease_size)
        for row_id in claimed:
            await self._deliver(row_id)
        return len(claimed)

    async def _deliver(self, row_id: str) -> None:
        async with self.db.session() as session:
            envelope = await open_envelope(session, self.vault, row_id)
            if envelope is None:
                return
            attachments = [await read_attachment(session, self.vault, p) for p in envelope.payload.get("attachments", [])]
        sender = self.senders.get(envelope.channel)
        if envelope.payload.get("edit_of") and envelope.edit_message_id is None:
            await self._settle(row_id, RetryLater("the card to edit is not sent yet", after=2.0), envelope)
            return
        try:
            if sender is None:
                raise PermanentFailure(f"no sender for channel {envelope.channel}")
            message_id = await sender.send(envelope, Outbound.from_json(envelope.payload), attachments)
        except (RetryLater, PermanentFailure) as outcome:
            await self._settle(row_id, outcome, envelope)
            return
        async with self.db.transaction() as session:
            await mark_sent(session, row_id, message_id, keep_address=envelope.purpose == ALERT)
            if envelope.purpose == ALERT and envelope.case_id:
                case = await session.get(Case, envelope.case_id)
                if case is not None:
                    await record_event(session, case, EventKind.ALERTED)

    async def _settle(self, row_id: str, outcome: Exception, envelope: Envelope) -> None:
        async with self.db.transaction() as session:
            if isinstance(outcome, RetryLater) and envelope.attempts < MAX_ATTEMPTS:
                delay = outcome.after if outcome.after is not None else _backoff(envelope.attempts)
                await mark_retry(session, row_id, delay=timedelta(seconds=delay), error=str(outcome))
                return
            log.error("outbox message %s (%s) failed for good: %s", row_id, envelope.purpose, outcome)
            await mark_failed(session, row_id, str(outcome))
            if envelope.purpose == ALERT and envelope.case_id and self.on_failed_alert is not None:
                await self.on_failed_alert(session, envelope.case_id, envelope.address)  # never lose a card
