"""Learn pieces opened, counted per piece and month in one row each: the only trace reading leaves."""

from __future__ import annotations

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_or
from storage.models import LearnRead

__all__ = ["count_read", "read_counts"]


async def count_read(session: AsyncSession, piece: str, month: str) -> None:
    """One more opening of ``piece`` in ``month``; atomic across workers (an upsert, not read-then-write)."""
    statement = insert_or(session.bind, LearnRead).values(piece=piece, month=month, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["piece", "month"],
        set_={"count": statement.excluded["count"] + LearnRead.__table__.c["count"]},
    )
    await session.exec(statement)  # type: ignore[call-overload]


async def read_counts(session: AsyncSession, *, months: list[str]) -> dict[str, int]:
    """Openings per piece over ``months`` (a period's months, "2026-10"…), most read first."""
    total = func.sum(col(LearnRead.count))
    query = (
        select(LearnRead.piece, total).where(col(LearnRead.month).in_(months)).group_by(col(LearnRead.piece))
    )
    rows = (await session.exec(query)).all()
    return dict(sorted(((piece, int(n)) for piece, n in rows), key=lambda row: (-row[1], row[0])))
