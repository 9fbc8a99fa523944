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
import functools
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database, insert_or
from storage.models import InboundSeen, utcnow

__all__ = ["Deliveries", "HandledElsewhere"]

log = logging.getLogger(__name__)
_SEEN: Any = InboundSeen.__table__  # plain Core statements: every update runs them, twice
_BUSY = "busy"  # another live worker holds the claim
_THIS = (_SEEN.c.channel == bindparam("the_channel"), _SEEN.c.message_id == bindparam("the_ref"))
_HANDLED = update(_SEEN).where(*_THIS).values(handled=True)  # built once: only their values change
_RENEWED = update(_SEEN).where(*_THIS, _SEEN.c.holder == bindparam("the_holder")).values(seen_at=bindparam("now"))


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
            sweep = time.monotonic() >= self._sweep_at  # redeliveries come within minutes; hourly sweeps suffice
            if sweep:
                self._sweep_at = time.monotonic() + 3600
            now = utcnow()
            lapsed, swept = now - timedelta(seconds=self.lease), now - self.keep if sweep else None
            taken = await self.db.run_sync(functools.partial(_take, channel=self.channel, ref=ref, holder=holder, now=now,
                                                             lapsed=lapsed, sweep_before=swept))
            if taken != _BUSY:
                return taken
            if time.monotonic() > deadline:
                raise HandledElsewhere(ref)
            await asyncio.sleep(0.2)

    async def _renew(self, ref: str, holder: str) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            values = {"the_channel": self.channel, "the_ref": ref, "the_holder": holder, "now": utcnow()}
            with contextlib.suppress(SQLAlchemyError):  # a missed renewal only risks a second handling
                await self.db.run_sync(lambda c: c.execute(_RENEWED, values))  # noqa: B023  awaited at once

    async def _handled(self, ref: str) -> None:
        values = {"the_channel": self.channel, "the_ref": ref}
        try:
            await self.db.run_sync(lambda c: c.execute(_HANDLED, values))
        except SQLAlchemyError:  # the lease lapses and a redelivery runs it again: twice, never lost
            log.warning("an update could not be marked handled")


def _take(
    c: Connection, *, channel: str, ref: str, holder: str, now: datetime, lapsed: datetime, sweep_before: datetime | None
) -> str | None:
    """One transaction: the claim (``holder``), handled already (None), or ``_BUSY``; a lapsed claim is taken over."""
    claim = insert_or(c, _SEEN).values(channel=channel, message_id=ref, holder=holder, handled=False, seen_at=now)
    if c.execute(claim.on_conflict_do_nothing().returning(_SEEN.c.holder)).first() is not None:  # (rowcount: -1 on psycopg)
        if sweep_before is not None:
            c.execute(delete(_SEEN).where(_SEEN.c.seen_at < sweep_before))
        return holder
    key = (_SEEN.c.channel == channel, _SEEN.c.message_id == ref)
    seen = c.execute(select(_SEEN.c.holder, _SEEN.c.handled, _SEEN.c.seen_at).where(*key)).first()
    if seen is None or seen.handled:
        return None
    if seen.seen_at < lapsed:
        over = update(_SEEN).where(*key, _SEEN.c.holder == seen.holder, _SEEN.c.handled.is_(False))
        if c.execute(over.values(holder=holder, seen_at=now).returning(_SEEN.c.holder)).first() is not None:
            log.warning("an update whose worker stopped mid-way is handled again")
            return holder
    return _BUSY
