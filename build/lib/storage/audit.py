"""Append-only audit log; each entry hashes its own content and the previous entry's hash.

An edited entry no longer matches its own hash; a removed or moved entry breaks the link from the entry
after it. The hash covers the entry's position (``seq``), so swapping rows shows too. Anyone able to write
the table could recompute every hash after an edit: the chain makes careless or partial tampering visible,
it is not a signature. Removing the newest entries is not detectable from the chain alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from sqlalchemy import func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry, utcnow

__all__ = [
    "APPEND_LOCK",
    "EDITED",
    "GENESIS",
    "REMOVED_OR_REORDERED",
    "AuditBreak",
    "append_audit",
    "case_history",
    "count_entries",
    "first_break",
    "verify_chain",
]

GENESIS: Final = "0" * 64
APPEND_LOCK: Final = 72_001_113  # PostgreSQL advisory lock: one appender at a time, so the chain never forks
EDITED: Final = "edited"  # the entry's hash does not match its content
REMOVED_OR_REORDERED: Final = "removed or reordered"  # its prev_hash is not the previous entry's hash
_BATCH = 1000

Why = Literal["edited", "removed or reordered"]


@dataclass(frozen=True, slots=True)
class AuditBreak:
    """The first entry at which the chain fails, and why."""

    seq: int
    at: datetime
    why: Why


def _digest(entry: AuditEntry) -> str:
    """SHA-256 of the entry's fields as a JSON array: unambiguous (no separator can be forged), None ≠ ""."""
    if entry.seq is None:
        raise ValueError("an audit entry is hashed only once its seq is known")
    fields = [
        entry.seq,
        entry.prev_hash,
        entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        entry.officer_id,
        entry.action,
        entry.case_id,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


async def _lock_appends(session: AsyncSession) -> None:
    """Until this transaction ends, no other appender can read the chain's head and chain onto it too."""
    dialect = (await session.connection()).dialect.name
    if dialect == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=APPEND_LOCK))  # type: ignore[call-overload]
    elif dialect == "sqlite":
        # SQLite reads outside a write transaction: two sessions could read the same head. A write that
        # touches no row still takes the database's write lock, so the head is read under it.
        await session.exec(text("UPDATE audit_log SET seq = seq WHERE seq IS NULL"))  # type: ignore[call-overload]


async def append_audit(session: AsyncSession, *, action: str, officer_id: str | None, case_id: str | None) -> None:
    """Adds one entry in the caller's transaction; concurrent appenders wait for each other until commit."""
    await _lock_appends(session)
    last = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1))).first()
    entry = AuditEntry(
        seq=(last.seq or 0) + 1 if last else 1, at=utcnow(), action=action, officer_id=officer_id, case_id=case_id,
        prev_hash=last.hash if last else GENESIS, hash="",
    )
    entry.hash = _digest(entry)
    session.add(entry)
    await session.flush()


async def first_break(session: AsyncSession) -> AuditBreak | None:
    """The first entry that is edited, or follows a removed or reordered one; None when the chain is intact."""
    prev, after = GENESIS, 0
    while True:
        query = select(AuditEntry).where(col(AuditEntry.seq) > after).order_by(col(AuditEntry.seq)).limit(_BATCH)
        batch = (await session.exec(query)).all()
        for entry in batch:
            assert entry.seq is not None
            if entry.hash != _digest(entry):
                return AuditBreak(entry.seq, entry.at, EDITED)
            if entry.prev_hash != prev:
                return AuditBreak(entry.seq, entry.at, REMOVED_OR_REORDERED)
            prev, after = entry.hash, entry.seq
        if len(batch) < _BATCH:
            return None


async def verify_chain(session: AsyncSession) -> bool:
    """True when the chain is intact (``first_break`` says where and why it is not)."""
    return await first_break(session) is None


async def case_history(session: AsyncSession, case_id: str) -> list[AuditEntry]:
    """Every audited access to one case, oldest first."""
    query = select(AuditEntry).where(col(AuditEntry.case_id) == case_id).order_by(col(AuditEntry.seq))
    return list((await session.exec(query)).all())


async def count_entries(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(AuditEntry))).one())
