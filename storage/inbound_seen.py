"""Updates are handled once and never lost: each is marked by its id (Zalo's message id, Telegram's
update id) in ``inbound_seen``, by one statement inside the first transaction its handling commits.

Several workers behind one address may each receive the same update (a webhook retried after a
timeout, a load balancer, a polling restart before the offset was confirmed). The row's primary key lets
one transaction hold it: a second worker's insert waits for the first's transaction (PostgreSQL's unique
index, SQLite's one writer), then finds the update handled and rolls its own work back. A worker killed
mid-update never commits, so its mark goes with its connection and the platform's redelivery (the killed
worker never said "ok") is handled by a live worker as new. The mark costs no transaction of its own; an
update whose handling writes nothing is marked after it, alone.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database, insert_or
from storage.models import InboundSeen, utcnow

__all__ = ["AlreadyHandled", "Deliveries", "Delivery"]

log = logging.getLogger(__name__)
_SEEN: Any = InboundSeen.__table__
_OLD_CLAIM = timedelta(seconds=10)  # an unhandled row of the earlier claim-and-lease format, its lease lapsed


class AlreadyHandled(Exception):
    """Another worker (or this one, earlier) handled this update: the transaction that met the mark rolls back."""


@dataclasses.dataclass
class Delivery:
    """``again``: the update had been handled already, so its handling was stopped at its first write."""

    again: bool = False


class Deliveries:
    """The marks of one channel; rows older than ``keep`` are swept hourly (redeliveries come within minutes)."""

    def __init__(self, db: Database, channel: str, *, keep: timedelta = timedelta(days=7)) -> None:
        self.db, self.channel, self.keep = db, channel, keep
        self._sweep_at = 0.0
        self._mark = _mark_statement(db)

    @asynccontextmanager
    async def handling(self, ref: str) -> AsyncIterator[Delivery]:
        """The body handles the update; its first transaction carries the mark. When the update was
        handled already, that transaction rolls back and the body stops there, quietly. A body that
        failed is marked all the same (it answered the person kindly); a cancelled one (the process
        stops) is not, for a redelivery to handle it."""
        ref, delivery = ref[:128], Delivery()

        async def mark(session: AsyncSession) -> None:
            if (await session.exec(self._mark, params=self._values(ref))).first() is None:  # type: ignore[call-overload]
                raise AlreadyHandled(ref)
            if (sweep := self._sweep_before()) is not None:
                await session.exec(delete(_SEEN).where(_SEEN.c.seen_at < sweep))  # type: ignore[call-overload]

        with self.db.first_transaction_runs(mark) as first:
            try:
                yield delivery
            except AlreadyHandled:
                delivery.again = True
                log.info("an update delivered again was skipped")
                return
            except Exception:
                if not first.done:
                    await self._mark_alone(ref)
                raise
        if not first.done:
            await self._mark_alone(ref)

    def _values(self, ref: str) -> dict[str, Any]:
        now = utcnow()
        return {"the_channel": self.channel, "the_ref": ref, "now": now, "lease_lapsed": now - _OLD_CLAIM}

    def _sweep_before(self) -> datetime | None:
        if time.monotonic() < self._sweep_at:
            return None
        self._sweep_at = time.monotonic() + 3600
        return utcnow() - self.keep

    async def _mark_alone(self, ref: str) -> None:
        def mark(connection: Connection) -> None:
            if connection.execute(self._mark, self._values(ref)).first() is None:
                log.info("an update that wrote nothing was handled twice")

        try:
            await self.db.run_sync(mark)
        except SQLAlchemyError:  # a redelivery runs it again: twice, never lost
            log.warning("an update could not be marked handled")


def _mark_statement(db: Database) -> Any:
    """The mark's INSERT, built once (building and keying it cost more than running it). An unhandled row left
    by the earlier claim-and-lease format whose lease lapsed is taken over; any other row means "handled"."""
    now = bindparam("now")
    values = {"channel": bindparam("the_channel"), "message_id": bindparam("the_ref"), "holder": None, "handled": True, "seen_at": now}
    stale = _SEEN.c.handled.is_(False) & (_SEEN.c.seen_at < bindparam("lease_lapsed"))
    mark = insert_or(db.engine, _SEEN).values(**values).on_conflict_do_update(
        index_elements=[_SEEN.c.channel, _SEEN.c.message_id], set_={"handled": True, "holder": None, "seen_at": now}, where=stale
    )
    return mark.returning(_SEEN.c.message_id)
