"""Updates are handled once and never lost: each is claimed by its id (Zalo's message id, Telegram's
update id) with a lease, and marked handled only once its handling returned.

Several workers behind one address may each receive the same update (a webhook retried after a
timeout, a load balancer, a polling restart before the offset was confirmed); the primary key of
``inbound_seen`` lets exactly one of them hold it. A worker killed mid-update stops renewing its lease:
the platform's redelivery (the killed worker never said "ok") is then taken over by a live one, instead
of being skipped as already seen. A crash between the handling's own commit and the "handled" mark can
make an update run twice; nothing makes it vanish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col, delete, update

from storage.db import Database
from storage.models import InboundSeen, utcnow

__all__ = ["Deliveries", "HandledElsewhere"]

log = logging.getLogger(__name__)


class HandledElsewhere(Exception):
    """Another live worker still holds this update: the platform is to deliver it again later."""


class Deliveries:
    """The claims of one channel, each in its own short transaction, committed before the update is
    handled. ``lease``: seconds a claim lives without renewal (renewed every ``lease / 3`` while the
    update is handled); ``wait``: how long a second delivery waits for the first worker to finish."""

    def __init__(
        self, db: Database, channel: str, *, keep: timedelta = timedelta(days=7), lease: float = 10.0, wait: float = 45.0
    ) -> None:
        self.db, self.channel, self.keep, self.lease, self.wait = db, channel, keep, lease, wait
        self._sweep_at = 0.0

    @asynccontextmanager
    async def handling(self, ref: str) -> AsyncIterator[bool]:
        """True: handle the update now (it is marked handled when the body returns or fails, since a
        failure still answered the person kindly); False: it was handled already, do nothing.
        A cancelled body (the process stops) leaves the claim to lapse, for a redelivery to take over."""
        ref = ref[:128]
        holder = await self._claim(ref)
        if holder is None:
            yield False
            return
        renewal = asyncio.create_task(self._renew(ref, holder))
        try:
            yield True
        except Exception:
            await self._handled(ref)
            raise
        finally:
            renewal.cancel()
        await self._handled(ref)

    async def _claim(self, ref: str) -> str | None:
        holder, deadline = secrets.token_hex(16), time.monotonic() + self.wait
        while True:
            async with self.db.transaction() as session:
                try:
                    async with session.begin_nested():
                        session.add(InboundSeen(channel=self.channel, message_id=ref, holder=holder, handled=False))
                        await session.flush()
                    if time.monotonic() >= self._sweep_at:  # redeliveries come within minutes; hourly sweeps suffice
                        self._sweep_at = time.monotonic() + 3600
                        await session.exec(delete(InboundSeen).where(col(InboundSeen.seen_at) < utcnow() - self.keep))
                    return holder
                except IntegrityError:
                    pass
                seen = await session.get(InboundSeen, (self.channel, ref), populate_existing=True)
                if seen is None or seen.handled:
                    return None
                lapsed = utcnow() - timedelta(seconds=self.lease)
                if seen.seen_at < lapsed:
                    taken = await session.exec(  # type: ignore[call-overload]
                        update(InboundSeen)
                        .where(col(InboundSeen.channel) == self.channel, col(InboundSeen.message_id) == ref,
                               col(InboundSeen.holder) == seen.holder, col(InboundSeen.handled).is_(False))
                        .values(holder=holder, seen_at=utcnow())
                    )
                    if taken.rowcount == 1:
                        log.warning("an update whose worker stopped mid-way is handled again")
                        return holder
            if time.monotonic() > deadline:
                raise HandledElsewhere(ref)
            await asyncio.sleep(0.2)

    async def _renew(self, ref: str, holder: str) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            with contextlib.suppress(SQLAlchemyError):  # a missed renewal only risks a second handling
                async with self.db.transaction() as session:
                    await session.exec(  # type: ignore[call-overload]
                        update(InboundSeen)
                        .where(col(InboundSeen.channel) == self.channel, col(InboundSeen.message_id) == ref,
                               col(InboundSeen.holder) == holder)
                        .values(seen_at=utcnow())
                    )

    async def _handled(self, ref: str) -> None:
        try:
            async with self.db.transaction() as session:
                await session.exec(  # type: ignore[call-overload]
                    update(InboundSeen)
                    .where(col(InboundSeen.channel) == self.channel, col(InboundSeen.message_id) == ref)
                    .values(handled=True)
                )
        except SQLAlchemyError:  # the lease lapses and a redelivery runs it again: twice, never lost
            log.warning("an update could not be marked handled")
