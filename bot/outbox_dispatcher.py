"""Sends what the outbox holds, once committed, within the platform's limits: waits for a full chat
without counting a failure, coalesces waiting alerts into one digest, retries transient failures,
follows a migrated group, and hands permanent refusals on so no report is left unseen."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.metrics import Metrics
from bot.send_limits import SendLimits
from handlers.escalation.cards import ALERT, DIGEST_MAX, digest_card
from handlers.escalation.refusals import ChatProblem, Refusal
from handlers.i18n import t
from handlers.messages import Outbound
from storage.cases import record_event
from storage.db import Database
from storage.models import Case, EventKind, utcnow
from storage.outbox import (
    Envelope,
    claim_and_open,
    defer,
    forget_sent_to_person,
    link_digest,
    mark_failed,
    mark_retry,
    mark_sent,
    read_attachment,
)
from storage.vault import Vault

__all__ = ["ChatMoved", "OutboxDispatcher", "PermanentFailure", "RateLimited", "RetryLater", "RetryPolicy", "Sender"]

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """A transient failure (network, timeout, 5xx): counted as an attempt, retried with backoff."""

    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class RateLimited(RetryLater):
    """The platform said "too many requests" for this chat: the chat waits, it is not a failed attempt."""


class PermanentFailure(Exception):
    """The platform refused for good (bot removed, chat gone); retrying would not help."""

    def __init__(self, reason: str, *, problem: ChatProblem = ChatProblem.REFUSED) -> None:
        super().__init__(reason)
        self.problem = problem


class ChatMoved(Exception):
    """The group became a supergroup with a new address; the message goes there instead."""

    def __init__(self, new_address: str) -> None:
        super().__init__("chat migrated")
        self.new_address = new_address


OnRefused = Callable[[AsyncSession, Refusal], Awaitable[None]]
OnMoved = Callable[[AsyncSession, str, str], Awaitable[None]]  # (session, old address, new address)
# (person's handle, the platform's message ids, the settling of their rows: to run in the same transaction,
# or alone if the ids cannot be recorded; it must run once either way)
OnPersonSent = Callable[[str, list[str], Callable[[Connection], None]], Awaitable[None]]
Outcome = RetryLater | PermanentFailure | ChatMoved
SentIds = str | list[str] | None  # the platform's id of what was sent; a list when it took several messages


class Sender(Protocol):
    """``rate_limited = True`` on a sender puts its channel under the dispatcher's ``SendLimits``."""

    async def send(
        self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]
    ) -> SentIds:
        """Delivers (or edits, when ``envelope.edit_message_id`` is set) and returns the platform message
        id (the first one is what an edit changes), or every id when it took several messages."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 2.0
    max_seconds: float = 300.0
    give_up_after: timedelta = timedelta(hours=24)  # transient failures stop being retried after this

    def backoff(self, attempts: int) -> float:
        delay = min(self.max_seconds, self.base_seconds * 2.0**attempts)
        return delay * (0.5 + random.random() / 2)  # noqa: S311  jitter keeps workers from syncing up


def _as_sent(envelope: Envelope) -> Outbound:
    """A card whose earlier send was cut off by a crash may already be in the group (platforms take no
    idempotency key): sending it again is safer than losing it, and it says so, so nobody acts twice."""
    message = Outbound.from_json(envelope.payload)
    if envelope.resent and envelope.purpose == ALERT and not envelope.edit_message_id:
        notice = t(str(envelope.payload.get("locale") or "vi"), "outbound.resent")
        message = replace(message, text=f"{notice}\n{message.text}")
    return message


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _ids(sent: SentIds) -> list[str]:
    return [sent] if isinstance(sent, str) else list(sent or [])


class OutboxDispatcher:
    def __init__(
        self,
        db: Database,
        vault: Vault,
        senders: Mapping[str, Sender],
        *,
        poll_seconds: float = 1.0,
        on_refused: OnRefused | None = None,
        on_moved: OnMoved | None = None,
        on_person_sent: OnPersonSent | None = None,
        limits: SendLimits | None = None,
        retry: RetryPolicy = RetryPolicy(),
        metrics: Metrics | None = None,
    ) -> None:
        """``on_person_sent`` records what went to a person's chat in their (sealed) wipe trace."""
        self.db, self.vault, self.senders = db, vault, senders
        self.on_refused, self.on_moved, self.on_person_sent = on_refused, on_moved, on_person_sent
        self.limits, self.retry = limits, retry
        self.metrics = metrics or Metrics()  # alerts sent, retried and failed (docs/monitoring.md)
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
        """One pass: chats are served side by side, each chat's rows in order (urgent first), so a chat
        that is slow, full or on hold never delays another."""
        now, lease, size = utcnow(), self.lease, self.lease_size
        claimed = await self.db.run_sync(lambda c: claim_and_open(c, self.vault, now=now, lease=lease, limit=size))
        chats: dict[tuple[str, str], list[Envelope]] = {}
        for envelope in claimed:
            chats.setdefault((envelope.channel, envelope.address), []).append(envelope)
        await asyncio.gather(*(self._serve_chat(rows) for rows in chats.values()))
        return len(claimed)

    def _limits_for(self, channel: str) -> SendLimits | None:
        return self.limits if getattr(self.senders.get(channel), "rate_limited", False) else None

    async def _serve_chat(self, rows: list[Envelope]) -> None:
        """What went out to a person's chat is settled in one transaction after the chat's turn in this
        pass (a crash before it re-sends, never loses), then joins their wipe trace."""
        delivered: list[tuple[Envelope, list[str]]] = []
        try:
            await self._serve_rows(rows, delivered)
        finally:
            if delivered:  # a person's messages keep nothing once out: their rows go (storage.outbox.mark_sent)
                gone = [envelope.id for envelope, _ in delivered]
                settle = functools.partial(forget_sent_to_person, row_ids=gone)
                person, refs = rows[0].person, [ref for _, sent in delivered for ref in sent]
                if person is not None and self.on_person_sent is not None:
                    await self.on_person_sent(person, refs, settle)  # with their wipe trace, in one transaction
                else:
                    await self.db.run_sync(settle)
                for envelope, _ in delivered:
                    self.metrics.alert("sent", envelope.channel, envelope.purpose)

    async def _serve_rows(self, rows: list[Envelope], delivered: list[tuple[Envelope, list[str]]]) -> None:
        limits = self._limits_for(rows[0].channel)
        address = rows[0].address
        while rows:
            window = rows[0].person is None  # a person's answers go at once, as replies; a 429 still holds them
            if limits is not None and (until := await limits.wait_until(address, window=window)) is not None:
                await self._defer(rows, until)
                return
            batch = await self._batch(limits, address, rows)
            if limits is not None and not await limits.take(address, window=window):
                continue  # another chat took the last overall slot meanwhile: wait for the next one
            rows = [r for r in rows if r not in batch]
            outcome = await (self._send_digest(batch) if len(batch) > 1 else self._deliver(batch[0], delivered))
            if isinstance(outcome, RateLimited) and limits is not None:
                held = limits.hold(address, outcome.after or self.retry.base_seconds)
                await self._defer(batch + rows, held)
                return
            if isinstance(outcome, ChatMoved):
                await self._defer(batch + rows, None)  # opened again next pass, at the new address
                return
            if outcome is not None and not window:  # a person's chat: the rest wait until this one is out
                await self._defer(rows, None)  # (due, but storage.outbox keeps them behind it)
                return

    async def _batch(self, limits: SendLimits | None, address: str, rows: list[Envelope]) -> list[Envelope]:
        """The next message: in order, unless the group is paced (bot/send_limits.py); then every waiting
        card goes first, as one digest, before any edit or reminder, so each new case is seen within the pace."""
        if limits is not None and await limits.pacing(address):
            return self._digest(rows) or rows[:1]
        return rows[:1]

    @staticmethod
    def _digest(rows: list[Envelope]) -> list[Envelope]:
        return [r for r in rows if r.purpose == ALERT][:DIGEST_MAX]

    async def _defer(self, rows: list[Envelope], until: float | None) -> None:
        """Rows that must wait (a full window, the group's pace, a 429) are due again at ``until``; the
        dispatcher wakes then rather than at its next poll, so a paced card goes at its moment."""
        async with self.db.transaction() as session:
            await defer(session, [r.id for r in rows], until=_at(until) if until is not None else utcnow())
        if until is not None:
            asyncio.get_running_loop().call_later(max(0.0, until - time.time()) + 0.1, self.wake)  # past the edge

    async def _deliver(self, envelope: Envelope, delivered: list[tuple[Envelope, list[str]]]) -> Outcome | None:
        if envelope.payload.get("edit_of") and envelope.edit_message_id is None:
            await self._defer([envelope], (utcnow() + timedelta(seconds=2)).timestamp())  # the card is not sent yet
            return None
        attachments = []
        if media := envelope.payload.get("attachments"):
            async with self.db.session() as session:
                attachments = [await read_attachment(session, self.vault, p) for p in media]
        sender = self.senders.get(envelope.channel)
        try:
            if sender is None:
                raise PermanentFailure(f"no sender for channel {envelope.channel}")
            sent = _ids(await sender.send(envelope, _as_sent(envelope), attachments))
        except (RetryLater, PermanentFailure, ChatMoved) as outcome:
            await self._settle([envelope], outcome)
            return outcome
        if envelope.person is not None:  # settled with the rest of this person's chat
            delivered.append((envelope, sent))
            return None
        async with self.db.transaction() as session:
            await self._sent(session, envelope, sent[0] if sent else None)
        return None

    async def _send_digest(self, members: list[Envelope]) -> Outcome | None:
        """The waiting cards as one message; each member row is marked sent with the digest's message id
        and linked to it, so a later change to any of the cases re-renders the whole digest."""
        anchor = members[0]
        locale = str(anchor.payload.get("locale") or "vi")
        async with self.db.session() as session:
            card = await digest_card(session, locale, [m.case_id for m in members if m.case_id])
        envelope = replace(anchor, payload={**card.to_json(), "locale": locale, "digest": True})
        try:
            sent = _ids(await self.senders[anchor.channel].send(envelope, card, []))
        except (RetryLater, PermanentFailure, ChatMoved) as outcome:
            await self._settle(members, outcome)
            return outcome
        async with self.db.transaction() as session:
            for member in members:
                await self._sent(session, member, sent[0] if sent else None)
            await link_digest(session, [m.id for m in members], anchor.id)
        log.info("%d alert cards coalesced into one digest", len(members))
        return None

    async def _sent(self, session: AsyncSession, envelope: Envelope, message_id: str | None) -> None:
        self.metrics.alert("sent", envelope.channel, envelope.purpose)
        await mark_sent(
            session, envelope.id, message_id, keep_address=envelope.purpose == ALERT, to_person=envelope.person is not None
        )
        if envelope.purpose == ALERT and envelope.case_id:
            case = await session.get(Case, envelope.case_id)
            if case is not None:
                await record_event(session, case, EventKind.ALERTED)

    async def _settle(self, rows: list[Envelope], outcome: Outcome) -> None:
        async with self.db.transaction() as session:
            if isinstance(outcome, ChatMoved):
                if self.on_moved is not None:
                    await self.on_moved(session, rows[0].address, outcome.new_address)
                return
            if isinstance(outcome, RateLimited) and self._limits_for(rows[0].channel) is not None:
                return  # the caller holds the chat and defers its rows: not a failed attempt
            for envelope in rows:
                await self._settle_one(session, envelope, outcome)

    async def _settle_one(self, session: AsyncSession, envelope: Envelope, outcome: RetryLater | PermanentFailure) -> None:
        if isinstance(outcome, RetryLater) and utcnow() - envelope.created_at < self.retry.give_up_after:
            delay = outcome.after if outcome.after is not None else self.retry.backoff(envelope.attempts)
            await mark_retry(session, envelope.id, delay=timedelta(seconds=delay), error=str(outcome))
            self.metrics.alert("retried", envelope.channel, envelope.purpose)
            return
        problem = outcome.problem if isinstance(outcome, PermanentFailure) else ChatProblem.REFUSED
        log.error("outbox message %s (%s) failed for good: %s", envelope.id, envelope.purpose, problem)
        await mark_failed(session, envelope.id, str(outcome), to_person=envelope.person is not None)
        self.metrics.alert("failed", envelope.channel, envelope.purpose)
        if self.on_refused is not None:  # never lose a card: the next group up, the chain's next step, the admins
            refusal = Refusal(envelope.channel, envelope.address, envelope.purpose, envelope.case_id, problem)
            await self.on_refused(session, refusal)

