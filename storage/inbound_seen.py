"""Redelivered updates are recognised by message id (Zalo updates have no update id)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboundSeen, utcnow

__all__ = ["first_delivery", "forget_seen_before"]


async def first_delivery(session: AsyncSession, channel: str, message_id: str) -> bool:
    """True exactly once per (channel, message id), even with two workers racing on the same update."""
    try:
        async with session.begin_nested():
            session.add(InboundSeen(channel=channel, message_id=message_id[:128]))
            await session.flush()
    except IntegrityError:
        return False
    return True


async def forget_seen_before(session: AsyncSession, age: timedelta) -> None:
    await session.exec(delete(InboundSeen).where(col(InboundSeen.seen_at) < utcnow() - age))
