"""Append-only audit log; each entry hashes the previous one, so a deleted or edited entry shows."""

from __future__ import annotations

import hashlib

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry

__all__ = ["GENESIS", "append_audit", "verify_chain"]

GENESIS = "0" * 64


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    fields = (prev_hash, entry.at.isoformat(), entry.officer_id or "", entry.action, entry.case_id or "")
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


async def append_audit(session: AsyncSession, *, action: str, officer_id: str | None, case_id: str | None) -> None:
    last = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1))).first()
    entry = AuditEntry(action=action, officer_id=officer_id, case_id=case_id, prev_hash=last.hash if last else GENESIS, hash="")
    entry.hash = _digest(entry.prev_hash, entry)
    session.add(entry)
    await session.flush()


async def verify_chain(session: AsyncSession) -> bool:
    prev = GENESIS
    for entry in await session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))):
        if entry.prev_hash != prev or entry.hash != _digest(prev, entry):
            return False
        prev = entry.hash
    return True
