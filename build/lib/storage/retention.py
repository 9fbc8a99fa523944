"""How long a closed case keeps its content, and the purge that crypto-shreds it when that time is over.

A purged case keeps its row with the clear statistics columns (category, age band, sex, unit, channel,
reporter kind, urgency, status, outcome, timestamps), its timeline (codes only) and its audit entries,
so every count stays the same. Everything a person could be found from goes: the case's data key
(with its KEK in the key store, so old database backups cannot open the case either), the sealed
narrative, photos and voice messages, the messages with the reporter, the reporter's chat address,
follow-up secret and keyed handle, the exact commune, and the case's outbox rows — and the reporter's
conversation when it still names the case (the receipt kept with code and secret, a follow-up), key and all.

Drafts nobody touched for ``Retention.drafts`` (7 days unless set) are shredded by the same daily run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audit import append_audit
from storage.db import Database
from storage.drafts import discard_conversation, discard_if_about, untouched_since
from storage.models import (
    Attachment,
    Case,
    CaseMessage,
    CaseStatus,
    Conversation,
    OutboxMessage,
    OutboxState,
)
from storage.outbox import REPLY
from storage.vault import Vault

__all__ = [
    "PURGED",
    "PurgedCase",
    "Retention",
    "expired_cases",
    "forget_closed_addresses",
    "forget_reporter_address",
    "forget_sent_documents",
    "purge_expired",
    "shred_stale_drafts",
]

log = logging.getLogger(__name__)

PURGED = "purged"  # the audit-log action of a purge
_SHORT = ("unfounded", "duplicate")  # outcomes with their own (short) retention; every other one is "handled"


@dataclass(frozen=True)
class Retention:
    """Per outcome; an outcome this code does not know gets the longest period, never a shorter one."""

    unfounded: timedelta
    duplicate: timedelta
    handled: timedelta  # safe, police, referred
    drafts: timedelta = timedelta(days=7)  # a conversation nobody touched for this long: an abandoned draft

    @classmethod
    def from_days(cls, *, unfounded: int, duplicate: int, handled: int, drafts: int = 7) -> Retention:
        return cls(timedelta(days=unfounded), timedelta(days=duplicate), timedelta(days=handled), timedelta(days=drafts))

    def of(self, outcome: str | None) -> timedelta:
        if outcome == "unfounded":
            return self.unfounded
        if outcome == "duplicate":
            return self.duplicate
        return self.handled


@dataclass(frozen=True)
class PurgedCase:
    code: str
    outcome: str | None
    closed_at: datetime


async def forget_reporter_address(session: AsyncSession, case: Case) -> None:
    """Call when a case is closed: nobody writes to the reporter of a closed case, so the sealed chat
    address has no purpose left (the follow-up secret stays until the purge: the reporter may still
    look up the outcome)."""
    if case.reply_address_ct is not None:
        case.reply_address_ct = None
        session.add(case)
        await session.flush()


async def forget_closed_addresses(session: AsyncSession) -> int:
    """The same for every closed case at once: cases closed before closing forgot it, or by another path."""
    result = await session.exec(
        update(Case)
        .where(col(Case.status) == CaseStatus.CLOSED, col(Case.reply_address_ct).is_not(None))
        .values(reply_address_ct=None)
    )
    return int(result.rowcount)


def _expired(now: datetime, retention: Retention) -> Any:
    handled = or_(col(Case.outcome).is_(None), col(Case.outcome).not_in(_SHORT))
    return and_(
        col(Case.status) == CaseStatus.CLOSED,
        col(Case.closed_at).is_not(None),
        func.length(col(Case.body_ct)) > 0,  # not purged yet
        or_(
            and_(col(Case.outcome) == "unfounded", col(Case.closed_at) <= now - retention.unfounded),
            and_(col(Case.outcome) == "duplicate", col(Case.closed_at) <= now - retention.duplicate),
            and_(handled, col(Case.closed_at) <= now - retention.handled),
        ),
    )


async def expired_cases(session: AsyncSession, *, now: datetime, retention: Retention) -> list[Case]:
    """Closed cases whose ``closed_at + retention(outcome) <= now``, oldest first."""
    query = select(Case).where(_expired(now, retention)).order_by(col(Case.closed_at), col(Case.code))
    return list(await session.exec(query))


async def purge_expired(
    db: Database, vault: Vault, *, now: datetime, retention: Retention, dry_run: bool
) -> list[PurgedCase]:
    """Shreds every expired case, one transaction each (a failure keeps what was done; the next run
    takes the rest); with ``dry_run`` only says which. Also forgets the chat addresses of all closed cases and finishes
    shreds a crash interrupted. Safe to run again at any time, and from two processes at once."""
    async with db.session() as session:
        found = await expired_cases(session, now=now, retention=retention)
    listed = [PurgedCase(c.code, c.outcome, c.closed_at) for c in found if c.closed_at is not None]
    if dry_run:
        return listed
    done = []
    for entry in listed:
        async with db.transaction() as session:
            if await _purge_one(session, vault, entry.code, now=now, retention=retention):
                done.append(entry)
    async with db.transaction() as session:
        await forget_closed_addresses(session)
        await forget_sent_documents(session, vault, before=now - DOCUMENTS_KEPT)
    await _finish_interrupted(db, vault)
    return done


DOCUMENTS_KEPT = timedelta(days=1)


async def forget_sent_documents(session: AsyncSession, vault: Vault, *, before: datetime) -> int:
    """Messages made for an officer outside any case (a /baocao file, a handoff list) each got a key of their
    own; once they are out, nothing needs them, so their rows go and their keys are shredded."""
    documents = (await session.exec(
        select(Attachment).where(
            col(Attachment.case_id).is_(None), col(Attachment.draft_handle).is_(None), col(Attachment.created_at) < before
        )
    )).all()
    settled = and_(
        col(OutboxMessage.case_id).is_(None), col(OutboxMessage.state) != OutboxState.PENDING, col(OutboxMessage.created_at) < before
    )
    replies = await session.exec(  # sealed under the person's conversation key, which lives on: rows only
        delete(OutboxMessage).where(settled, col(OutboxMessage.purpose) == REPLY)
    )
    messages = (await session.exec(select(OutboxMessage).where(settled, col(OutboxMessage.purpose) != REPLY))).all()
    for row in [*documents, *messages]:
        await session.delete(row)
        await session.flush()
        await vault.shred(session, row.key_id)
    return len(documents) + len(messages) + int(replies.rowcount)


async def _purge_one(session: AsyncSession, vault: Vault, code: str, *, now: datetime, retention: Retention) -> bool:
    query = select(Case).where(col(Case.code) == code, _expired(now, retention)).with_for_update()
    case = (await session.exec(query)).first()  # re-read and locked: another purge may have been first
    if case is None:
        return False
    await discard_if_about(session, vault, case.reporter_handle, case.code)
    for table in (Attachment, CaseMessage, OutboxMessage):
        await session.exec(delete(table).where(col(table.case_id) == case.id))  # type: ignore[attr-defined]
    case.body_ct, case.reply_address_ct, case.secret_hash = b"", None, None
    case.reporter_handle, case.place_code, case.contact_allowed = "", None, False
    session.add(case)
    await vault.shred(session, case.key_id)  # the row now, the KEK once this transaction commits
    await append_audit(session, action=PURGED, officer_id=None, case_id=case.id)
    return True


async def shred_stale_drafts(db: Database, vault: Vault, *, now: datetime, retention: Retention, dry_run: bool) -> int:
    """Every conversation untouched for ``retention.drafts`` (a half-written narrative, an address, its
    photos and voice notes) is shredded with its key, one transaction each; returns how many (would) go."""
    before = now - retention.drafts
    async with db.session() as session:
        handles = await untouched_since(session, before)
    if dry_run:
        return len(handles)
    done = 0
    for handle in handles:
        async with db.transaction() as session:
            query = select(Conversation).where(col(Conversation.handle) == handle, col(Conversation.updated_at) < before)
            if (await session.exec(query.with_for_update())).first() is not None:  # nobody wrote meanwhile
                await discard_conversation(session, vault, handle)
                done += 1
    return done


async def _finish_interrupted(db: Database, vault: Vault) -> None:
    """A crash between a purge's commit and its KEK deletion left the KEK: delete it now."""
    if vault.keystore is None:
        return
    async with db.session() as session:
        purged = select(Case.key_id).where(col(Case.status) == CaseStatus.CLOSED, func.length(col(Case.body_ct)) == 0)
        key_ids = list(await session.exec(purged))
    for key_id in key_ids:
        if vault.keystore.contains(key_id):
            try:
                vault.shred_now(key_id)
            except OSError as exc:  # the next run tries again; the case itself is already emptied
                log.warning("could not delete the key-encryption key of purged data key %s: %s", key_id, exc.strerror)
