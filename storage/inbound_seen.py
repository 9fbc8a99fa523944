"""Redelivered updates are recognised by their id: Zalo's message id, Telegram's update id.

Several workers behind one address may each receive the same update (a webhook retried after a
timeout, a load balancer, a polling restart before the offset was confirmed); the primary key of
``inbound_seen`` lets exactly one of them handle it.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.models import InboundSeen, utcnow

__all__ = ["Deliveries", "first_delivery", "forget_seen_before"]


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


class Deliveries:
    """The first-delivery check of one channel in its own short transaction, committed before the update
    is handled: a worker that dies while handling loses that update rather than letting it run twice."""

    def __init__(self, db: Database, channel: str, *, keep: timedelta = timedelta(days=7)) -> None:
        self.db, self.channel, self.keep = db, channel, keep
        self._sweep_at = 0.0

    async def first(self, ref: str) -> bool:
        async with self.db.transaction() as session:
            if not await first_delivery(session, self.channel, ref):
                return False
            if time.monotonic() >= self._sweep_at:  # redeliveries come within minutes; hourly sweeps suffice
                self._sweep_at = time.monotonic() + 3600
                await forget_seen_before(session, self.keep)
        return True
