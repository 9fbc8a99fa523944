"""The persistent outbox: rows committed with the change that caused them, claimed and sent by the dispatcher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, exists, insert, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.chat_migrations import current_chat_in
from storage.models import Attachment, OutboxDigest, OutboxMessage, OutboxState, new_id, utcnow
from storage.vault import Vault

__all__ = [
    "REPLY",
    "Envelope",
    "cancel_to_person",
    "claim_and_open",
    "claim_due",
    "defer",
    "enqueue",
    "enqueue_all",
    "forget_sent_to_person",
    "link_digest",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "open_address",
    "open_envelope",
    "open_envelope_in",
    "read_attachment",
    "reseal_to_person",
]


@dataclass(frozen=True)
class Envelope:
    """A claimed row, opened: where to send, what, and (for edits) which sent message to change."""

    id: str
    case_id: str | None
    channel: str
    purpose: str
    address: str
    payload: dict[str, Any]
    edit_message_id: str | None
    attempts: int
    created_at: datetime
    resent: bool = False  # an earlier worker's lease ran out mid-send: the platform may already have it
    person: str | None = None  # the keyed handle whose chat this is (a reporter's), for its wipe trace


LEASE_RAN_OUT = "lease ran out"
REPLY = "reply"  # the purpose of an answer to a person, sealed under their conversation's key


_OUTBOX: Any = OutboxMessage.__table__


def _place(row_id: str, column: str) -> tuple[str, str, str]:
    return ("outbox", column, row_id)


async def enqueue(
    session: AsyncSession,
    vault: Vault,
    *,
    key_id: str,
    channel: str,
    address: str,
    payload: dict[str, Any],
    purpose: str,
    case_id: str | None = None,
    priority: int = 0,
    edit_of: str | None = None,
    person: str | None = None,
) -> OutboxMessage:
    """``person``: the keyed handle of the reporter whose chat this is; their messages go out in order."""
    row = OutboxMessage(case_id=case_id, key_id=key_id, channel=channel, purpose=purpose, priority=priority, person=person)
    row.address_ct = await vault.seal(session, key_id, _place(row.id, "address_ct"), address.encode())
    row.payload_ct = await vault.seal_json(session, key_id, _place(row.id, "payload_ct"), {**payload, "edit_of": edit_of})
    session.add(row)
    await session.flush()
    return row


async def enqueue_all(
    session: AsyncSession,
    vault: Vault,
    payloads: list[dict[str, Any]],
    *,
    key_id: str,
    channel: str,
    address: str,
    purpose: str,
    case_id: str | None = None,
    priority: int = 0,
    person: str | None = None,
) -> None:
    """``enqueue`` for several messages to one chat in one INSERT (a turn's answers), in the order given:
    each row is a microsecond after the one before, as a person's chat is read by ``created_at``."""
    if not payloads:
        return
    first, rows = utcnow(), []
    for n, payload in enumerate(payloads):
        row_id = new_id()
        rows.append({
            "id": row_id, "created_at": first + timedelta(microseconds=n), "next_attempt_at": first, "case_id": case_id,
            "key_id": key_id, "channel": channel, "purpose": purpose, "priority": priority, "person": person,
            "state": OutboxState.PENDING, "attempts": 0,
            "address_ct": await vault.seal(session, key_id, _place(row_id, "address_ct"), address.encode()),
            "payload_ct": await vault.seal_json(session, key_id, _place(row_id, "payload_ct"), {**payload, "edit_of": None}),
        })
    await session.flush()  # the rows they refer to (a case made in this transaction) go first
    await (await session.connection()).execute(insert(_OUTBOX), rows)


async def claim_due(session: AsyncSession, *, now: datetime, lease: timedelta, limit: int = 20) -> list[str]:
    """Leases due rows to this worker; a crashed worker's lease runs out and another takes over."""
    rows = await session.run_sync(lambda s: _claim_rows(s.connection(), now=now, lease=lease, limit=limit))
    return [row.id for row in rows]


def _claim_rows(connection: Connection, *, now: datetime, lease: timedelta, limit: int) -> list[Any]:
    """One statement: the due rows, urgent first, leased and returned whole. A row still claimed but never
    settled (its worker died or hung between send and mark) is marked so, as it may have gone out already."""
    claim = _CLAIM_FOR_UPDATE if connection.dialect.name == "postgresql" else _CLAIM
    found = connection.execute(claim, {"now": now, "until": now + lease, "most": limit}).all()
    return sorted(found, key=lambda row: (-row.priority, row.created_at))  # RETURNING comes in table order


def claim_and_open(connection: Connection, vault: Vault, *, now: datetime, lease: timedelta, limit: int = 20) -> list[Envelope]:
    """The dispatcher's pass in one transaction: due rows leased to this worker, and opened."""
    rows = _claim_rows(connection, now=now, lease=lease, limit=limit)
    return [e for row in rows if (e := _opened(connection, vault, row)) is not None]


def _next_in_chat() -> Any:
    """A message to a person waits while an earlier one to them is pending (retried, held by a 429,
    or being sent by another worker): their chat reads in the order it was written, across workers."""
    earlier = aliased(OutboxMessage)
    waiting = exists().where(
        col(earlier.person) == col(OutboxMessage.person),
        col(earlier.state) == OutboxState.PENDING,
        col(earlier.created_at) < col(OutboxMessage.created_at),
    )
    return or_(col(OutboxMessage.person).is_(None), ~waiting)


_NEXT_IN_CHAT = _next_in_chat()  # built once: its alias costs a copy of every column each time it is made


def _claim(*, skip_locked: bool) -> Any:
    """Built once, its values bound at each pass: building and keying it cost more than running it."""
    now, c = bindparam("now"), _OUTBOX.c
    due = and_(c.state == OutboxState.PENDING, c.next_attempt_at <= now, or_(c.claimed_until.is_(None), c.claimed_until < now))
    candidates = select(c.id).where(due, _NEXT_IN_CHAT).order_by(c.priority.desc(), c.created_at).limit(bindparam("most"))
    if skip_locked:
        candidates = candidates.with_for_update(skip_locked=True)
    picked = candidates.cte("picked").prefix_with("MATERIALIZED")  # chosen once: an inlined LIMIT may run per row
    lapsed = case((c.claimed_until.is_not(None), LEASE_RAN_OUT), else_=c.last_error)
    return (
        _OUTBOX.update()
        .where(c.id.in_(select(picked.c.id)), c.state == OutboxState.PENDING)
        .values(claimed_until=bindparam("until"), last_error=lapsed)
        .returning(*c)
    )


_CLAIM, _CLAIM_FOR_UPDATE = _claim(skip_locked=False), _claim(skip_locked=True)


def _waiting_for(person: str, key_id: str | None) -> Any:
    found = and_(col(OutboxMessage.person) == person, col(OutboxMessage.state) == OutboxState.PENDING)
    return found if key_id is None else and_(found, col(OutboxMessage.key_id) == key_id)


async def cancel_to_person(session: AsyncSession, person: str, *, key_id: str | None = None) -> int:
    """What has not gone out to this person yet never will (a wipe; with ``key_id``, what that shredded key sealed)."""
    result = await session.exec(
        update(OutboxMessage)
        .where(_waiting_for(person, key_id))
        .values(state=OutboxState.CANCELLED, payload_ct=None, address_ct=None, person=None, claimed_until=None)
    )
    return int(result.rowcount)


async def reseal_to_person(session: AsyncSession, vault: Vault, person: str, *, old_key: str, new_key: str) -> int:
    """Messages still on their way to a person whose conversation key is renewed (a draft ended) move
    under the new key before the old one is shredded: an answer held by a 429 is not lost with the draft."""
    rows = (await session.exec(select(OutboxMessage).where(_waiting_for(person, old_key)))).all()
    for row in rows:
        address = await open_address(session, vault, row)
        payload = await vault.open_json(session, old_key, _place(row.id, "payload_ct"), row.payload_ct or b"")
        row.key_id = new_key
        row.address_ct = await vault.seal(session, new_key, _place(row.id, "address_ct"), (address or "").encode())
        row.payload_ct = await vault.seal_json(session, new_key, _place(row.id, "payload_ct"), payload)
        session.add(row)
    await session.flush()
    return len(rows)


async def open_envelope(session: AsyncSession, vault: Vault, row_id: str) -> Envelope | None:
    return await session.run_sync(lambda s: open_envelope_in(s.connection(), vault, row_id))


def open_envelope_in(connection: Connection, vault: Vault, row_id: str) -> Envelope | None:
    """``open_envelope`` in plain Core statements (``Database.run_sync``)."""
    row = connection.execute(_OUTBOX.select().where(_OUTBOX.c.id == row_id)).first()
    return None if row is None else _opened(connection, vault, row)


def _opened(connection: Connection, vault: Vault, row: Any) -> Envelope | None:
    if row.state != OutboxState.PENDING or row.address_ct is None or row.payload_ct is None:
        return None
    key = vault.key_in(connection, row.key_id)
    address = current_chat_in(connection, vault.open_with(key, _place(row.id, "address_ct"), row.address_ct).decode())
    payload: dict[str, Any] = vault.open_json_with(key, _place(row.id, "payload_ct"), row.payload_ct)
    edit_message_id = None
    if payload.get("edit_of"):
        target = _OUTBOX.c
        edit_message_id = connection.execute(select(target.platform_message_id).where(target.id == payload["edit_of"])).scalar()
    return Envelope(
        row.id, row.case_id, row.channel, row.purpose, address, payload, edit_message_id, row.attempts, row.created_at,
        resent=row.last_error == LEASE_RAN_OUT, person=row.person,
    )


async def read_attachment(session: AsyncSession, vault: Vault, attachment_id: str) -> tuple[bytes, str]:
    media = await session.get(Attachment, attachment_id)
    if media is None:
        raise LookupError("attachment is gone")
    data = await vault.open(session, media.key_id, ("attachment", "data_ct", media.id), media.data_ct)
    return data, media.content_type


async def mark_sent(
    session: AsyncSession, row_id: str, platform_message_id: str | None, *, keep_address: bool, to_person: bool = False
) -> None:
    """Sent rows keep no content: the outbox is not an archive of what was said. A card keeps its
    (sealed) group address, so it can be edited in place where it was posted. Of a message to a
    person's chat nothing stays, not even its message id (that goes, sealed, into their wipe trace)."""
    if to_person:
        await session.exec(delete(OutboxMessage).where(col(OutboxMessage.id) == row_id))
        return
    values: dict[str, Any] = dict(
        state=OutboxState.SENT, sent_at=utcnow(), platform_message_id=platform_message_id, payload_ct=None, claimed_until=None
    )
    if not keep_address:
        values["address_ct"] = None
    await session.exec(update(OutboxMessage).where(col(OutboxMessage.id) == row_id).values(**values))


def forget_sent_to_person(connection: Connection, *, row_ids: list[str]) -> None:
    """``mark_sent(..., to_person=True)`` for a chat's rows at once, in a plain Core statement."""
    connection.execute(_OUTBOX.delete().where(_OUTBOX.c.id.in_(row_ids)))


async def open_address(session: AsyncSession, vault: Vault, row: OutboxMessage) -> str | None:
    if row.address_ct is None:
        return None
    return (await vault.open(session, row.key_id, _place(row.id, "address_ct"), row.address_ct)).decode()


async def mark_retry(session: AsyncSession, row_id: str, *, delay: timedelta, error: str) -> None:
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row_id)
        .values(
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=utcnow() + delay,
            claimed_until=None,
            last_error=error[:300],
        )
    )


async def mark_failed(session: AsyncSession, row_id: str, error: str, *, to_person: bool = False) -> None:
    values: dict[str, Any] = dict(state=OutboxState.FAILED, claimed_until=None, last_error=error[:300], payload_ct=None)
    if to_person:
        values.update(person=None, address_ct=None)
    await session.exec(update(OutboxMessage).where(col(OutboxMessage.id) == row_id).values(**values))


async def defer(session: AsyncSession, row_ids: list[str], *, until: datetime) -> None:
    """Not sent yet and not a failure: its chat is at its limit (or on hold); it goes when that ends."""
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(row_ids), col(OutboxMessage.state) == OutboxState.PENDING)
        .values(next_attempt_at=until, claimed_until=None)
    )


async def link_digest(session: AsyncSession, row_ids: list[str], digest_id: str) -> None:
    """The rows whose message is the digest ``digest_id`` (its coalesced alerts, or an edit of it)."""
    for row_id in row_ids:
        await session.merge(OutboxDigest(row_id=row_id, digest_id=digest_id))
