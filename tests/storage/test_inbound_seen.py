"""An update's "handled" mark, on SQLite and PostgreSQL: it commits with the first transaction of the update's
handling (no transaction of its own), a redelivery's work is rolled back, a look-up that rolls back hands the
mark on, a handling that writes nothing or fails is still marked, a cancelled one is not, and two workers
given one update at once do its work once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, func, select

from storage.db import Database
from storage.inbound_seen import Deliveries, Delivery
from storage.models import InboundSeen

WORK = "work"  # the handling's own write, a row of another channel so that counting it is plain


class LookedOnly(Exception):
    pass


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def _marks(db: Database, channel: str = "zalo") -> list[str]:
    async with db.session() as session:
        found = await session.exec(select(InboundSeen.message_id).where(InboundSeen.channel == channel))  # type: ignore[call-overload]
        return sorted(found.scalars())


async def _work(db: Database, name: str, *, pause: float = 0.0) -> None:
    async with db.transaction() as session:
        session.add(InboundSeen(channel=WORK, message_id=name))
        await session.flush()
        await asyncio.sleep(pause)


async def _handle(deliveries: Deliveries, ref: str, work: str, *, pause: float = 0.0) -> Delivery:
    async with deliveries.handling(ref) as delivery:
        await _work(deliveries.db, work, pause=pause)
    return delivery


async def test_the_mark_commits_with_the_work_and_a_redelivery_is_rolled_back(db: Database) -> None:
    deliveries, commits = Deliveries(db, "zalo"), []
    event.listen(db.engine.sync_engine, "commit", lambda _: commits.append(1))
    first = await _handle(deliveries, "m1", "first answer")
    assert not first.again and len(commits) == 1, "one transaction carried the work and the mark"
    again = await _handle(deliveries, "m1", "second answer")
    assert again.again
    assert await _marks(db) == ["m1"] and await _marks(db, WORK) == ["first answer"]
    assert not (await _handle(Deliveries(db, "telegram"), "m1", "other channel")).again  # ids are per channel


async def test_a_look_up_that_rolls_back_hands_the_mark_to_the_next_transaction(db: Database) -> None:
    deliveries = Deliveries(db, "zalo")
    async with deliveries.handling("m2"):
        with contextlib.suppress(LookedOnly):
            async with db.transaction():
                raise LookedOnly
        assert await _marks(db) == [], "not committed by a transaction that did not hold the work"
        await _work(db, "the turn")
        assert await _marks(db) == ["m2"]
    assert (await _handle(deliveries, "m2", "again")).again


async def test_handlings_that_write_nothing_or_fail_are_marked_and_a_cancelled_one_is_not(db: Database) -> None:
    deliveries = Deliveries(db, "zalo")
    async with deliveries.handling("quiet"):
        pass
    with pytest.raises(RuntimeError):
        async with deliveries.handling("failed"):
            raise RuntimeError("the person was answered kindly all the same")
    stopping = asyncio.create_task(_handle(deliveries, "stopped", "never", pause=30))
    await asyncio.sleep(0.2)
    stopping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stopping
    assert await _marks(db) == ["failed", "quiet"]
    assert not (await _handle(deliveries, "stopped", "redelivered")).again, "the stopped process's update is handled"
    assert await _marks(db, WORK) == ["redelivered"]


async def test_two_workers_given_one_update_at_once_do_its_work_once(db: Database) -> None:
    other = Database(db.url)  # a second worker: its own engine and connections
    try:
        one, two = Deliveries(db, "telegram"), Deliveries(other, "telegram")
        results = await asyncio.gather(_handle(one, "u7", "by one", pause=0.3), _handle(two, "u7", "by two", pause=0.3))
    finally:
        await other.dispose()
    assert sorted(r.again for r in results) == [False, True]
    async with db.session() as session:
        assert (await session.exec(select(func.count()).select_from(InboundSeen).where(InboundSeen.channel == WORK))).scalar_one() == 1  # type: ignore[call-overload]
