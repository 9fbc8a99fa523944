"""How many messages a channel would not let us read (Zalo withholds protected accounts' words, children's
among them): a number per day and channel, nothing about who sent them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["UnreadCount", "count_unread", "unread_between"]


class UnreadCount(SQLModel, table=True):
    __tablename__ = "unread_count"
    day: date = Field(primary_key=True)
    channel: str = Field(primary_key=True, max_length=16)
    count: int = 0


async def count_unread(session: AsyncSession, channel: str, day: date) -> None:
    """One more; several workers may count the same day at once."""
    bump = sa.update(UnreadCount).where(col(UnreadCount.day) == day, col(UnreadCount.channel) == channel)
    if (await session.exec(bump.values(count=UnreadCount.count + 1))).rowcount:  # type: ignore[call-overload]
        return
    try:
        async with session.begin_nested():
            session.add(UnreadCount(day=day, channel=channel, count=1))
    except IntegrityError:
        await session.exec(bump.values(count=UnreadCount.count + 1))  # type: ignore[call-overload]


async def unread_between(session: AsyncSession, channel: str, start: datetime, end: datetime) -> int:
    """Days in [start, end), by their local dates."""
    query = select(func.coalesce(func.sum(UnreadCount.count), 0)).where(
        UnreadCount.channel == channel, col(UnreadCount.day) >= start.date(), col(UnreadCount.day) < end.date()
    )
    return int((await session.exec(query)).one())
