"""At most one message per condition and interval, across workers and restarts: the row's upsert is the claim."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_or
from storage.models import WatchdogAlert

__all__ = ["claim_alert", "release_alert"]


async def claim_alert(session: AsyncSession, condition: str, *, now: datetime, every: timedelta) -> tuple[bool, datetime | None]:
    """(True, the previous time) for exactly one caller per ``condition`` and ``every``; (False, None) otherwise."""
    previous = await session.get(WatchdogAlert, condition, populate_existing=True)
    before = previous.alerted_at if previous is not None else None
    statement = (
        insert_or(session.bind, WatchdogAlert)
        .values(condition=condition, alerted_at=now)
        .on_conflict_do_update(
            index_elements=["condition"], set_={"alerted_at": now}, where=col(WatchdogAlert.alerted_at) <= now - every
        )
        .returning(col(WatchdogAlert.condition))
    )
    won = (await session.exec(statement)).first() is not None  # type: ignore[call-overload]
    return won, before


async def release_alert(session: AsyncSession, condition: str, *, claimed: datetime, previous: datetime | None) -> None:
    """The message could go nowhere: the claim is undone, so the next check tries again."""
    mine = (col(WatchdogAlert.condition) == condition) & (col(WatchdogAlert.alerted_at) == claimed)
    if previous is None:
        await session.exec(delete(WatchdogAlert).where(mine))  # type: ignore[call-overload]
    else:
        await session.exec(update(WatchdogAlert).where(mine).values(alerted_at=previous))  # type: ignore[call-overload]
