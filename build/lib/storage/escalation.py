"""Timer rows: one per (case, track); claimed by swapping a token in the transaction that acts on them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, Escalation, EscalationState, new_id

__all__ = ["claim", "due_ids", "lock_case", "next_due_at", "overdue", "pending_tracks", "set_track", "stop_tracks"]

PENDING = EscalationState.PENDING


async def lock_case(session: AsyncSession, case_id: str) -> Case | None:
    """Every change to a case's timers takes the case row first, so firing and acknowledging serialise
    (and never deadlock: both lock in the same order)."""
    query = select(Case).where(col(Case.id) == case_id).execution_options(populate_existing=True)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def set_track(
    session: AsyncSession, case_id: str, track: str, *, anchor: datetime, step: int | None, due: datetime | None
) -> Escalation:
    """Starts (or restarts) a track; a fresh token invalidates any claim a slower worker still holds."""
    found = await session.exec(select(Escalation).where(col(Escalation.case_id) == case_id, col(Escalation.track) == track))
    row = found.first() or Escalation(case_id=case_id, track=track, anchor=anchor)
    row.anchor, row.step, row.due_at, row.token, row.paged_at = anchor, step or 0, due, new_id(), None
    row.state = EscalationState.PENDING if step is not None else EscalationState.DONE
    session.add(row)
    await session.flush()
    return row


async def stop_tracks(session: AsyncSession, case_id: str, tracks: Iterable[str]) -> list[str]:
    """Cancels the pending ones; returns which were pending (for the timeline)."""
    wanted = list(tracks)
    result = await session.exec(
        update(Escalation)
        .where(col(Escalation.case_id) == case_id, col(Escalation.track).in_(wanted), col(Escalation.state) == PENDING)
        .values(state=EscalationState.CANCELLED, due_at=None, token=new_id())
        .returning(col(Escalation.track))
    )
    return sorted(result.scalars())


async def pending_tracks(session: AsyncSession, case_id: str) -> dict[str, Escalation]:
    rows = await session.exec(select(Escalation).where(col(Escalation.case_id) == case_id, col(Escalation.state) == PENDING))
    return {row.track: row for row in rows.all()}


async def due_ids(session: AsyncSession, now: datetime, *, limit: int) -> list[tuple[str, str]]:
    """(row id, case id) of due rows, oldest first."""
    query = (
        select(Escalation.id, Escalation.case_id)
        .where(col(Escalation.state) == PENDING, col(Escalation.due_at) <= now)
        .order_by(col(Escalation.due_at))
        .limit(limit)
    )
    return [(row_id, case_id) for row_id, case_id in await session.exec(query)]


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending step falls due (the worker sleeps until then rather than a whole poll)."""
    query = select(func.min(Escalation.due_at)).where(col(Escalation.state) == PENDING)
    return (await session.exec(query)).one()  # type: ignore[call-overload,no-any-return]


async def claim(session: AsyncSession, row_id: str, now: datetime) -> Escalation | None:
    """Exactly one worker wins a due row: the token swap succeeds once, and the caller's transaction
    (holding the case lock) either commits the step's effects with it or rolls both back."""
    row = await session.get(Escalation, row_id, populate_existing=True)
    if row is None or row.state != PENDING or row.due_at is None or row.due_at > now:
        return None
    result = await session.exec(
        update(Escalation)
        .where(col(Escalation.id) == row_id, col(Escalation.token) == row.token, col(Escalation.state) == PENDING)
        .values(token=new_id())
    )
    if result.rowcount != 1:
        return None
    await session.refresh(row)
    return row


async def overdue(session: AsyncSession, now: datetime, *, grace: timedelta) -> list[Escalation]:
    """Pending rows late by more than ``grace`` that the auditor has not paged about yet."""
    query = select(Escalation).where(
        col(Escalation.state) == PENDING, col(Escalation.due_at) < now - grace, col(Escalation.paged_at).is_(None)
    )
    return list((await session.exec(query)).all())
