"""The audit log's hash chain: intact when untouched; an edit, a removal or a swap names the first broken entry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

import storage.audit
from storage.audit import (
    EDITED,
    GENESIS,
    REMOVED_OR_REORDERED,
    AuditBreak,
    _digest,
    append_audit,
    case_history,
    count_entries,
    first_break,
    verify_chain,
)
from storage.db import Database, run_migrations
from storage.models import AuditEntry, Case, Officer, Unit, utcnow


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await asyncio.to_thread(run_migrations, database_url)
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def _people(db: Database) -> tuple[list[str], list[str]]:
    """Two officers and two cases to point entries at (the log's foreign keys)."""
    async with db.transaction() as session:
        session.add(Unit(code="00070", name="UBND phường Hoàn Kiếm"))
        await session.flush()
        officers = [Officer(name=n, unit_code="00070", role="officer") for n in ("Lan", "Dũng")]
        cases = [
            Case(code=c, key_id="k", unit_code="00070", category="physical", urgent=False, age_band="6-10", sex="f",
                 channel="terminal", reporter_kind="neighbour", reporter_handle="h", body_ct=b"x")
            for c in ("TE-AAAAA", "TE-BBBBB")
        ]
        session.add_all([*officers, *cases])
        await session.flush()
        return [o.id for o in officers], [c.id for c in cases]


async def _append(db: Database, action: str, officer_id: str | None = None, case_id: str | None = None) -> None:
    async with db.transaction() as session:
        await append_audit(session, action=action, officer_id=officer_id, case_id=case_id)


async def _filled(db: Database) -> tuple[list[str], list[str]]:
    officers, cases = await _people(db)
    for i, action in enumerate(["view", "ack", "denied:view", "status:assessed", "view"]):
        await _append(db, action, officers[i % 2], cases[i % 2])
    return officers, cases


async def _break(db: Database) -> AuditBreak | None:
    async with db.session() as session:
        return await first_break(session)


async def _raw(db: Database, sql: str, **params: object) -> None:
    async with db.transaction() as session:
        await session.exec(text(sql).bindparams(**params))  # type: ignore[call-overload]


async def test_appends_chain_each_entry_to_the_one_before(db: Database) -> None:
    await _filled(db)
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.seq))).all()  # type: ignore[arg-type]
        assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
        assert entries[0].prev_hash == GENESIS
        assert all(after.prev_hash == before.hash for before, after in zip(entries, entries[1:]))
        assert all(e.hash == _digest(e) and len(e.hash) == 64 for e in entries)
        assert await first_break(session) is None
        assert await verify_chain(session) is True
        assert await count_entries(session) == 5


async def test_an_empty_log_is_intact(db: Database) -> None:
    assert await _break(db) is None


async def test_appends_in_one_transaction_chain_too(db: Database) -> None:
    async with db.transaction() as session:
        for action in ("view", "note", "ask"):
            await append_audit(session, action=action, officer_id=None, case_id=None)
    async with db.session() as session:
        assert [e.action for e in (await session.exec(select(AuditEntry))).all()] == ["view", "note", "ask"]
        assert await first_break(session) is None


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "view"), ("action", "ack "), ("officer_id", None), ("case_id", None), ("prev_hash", GENESIS)],
)
async def test_an_edited_entry_is_named_as_edited(db: Database, column: str, value: object) -> None:
    officers, cases = await _filled(db)
    await _raw(db, f"UPDATE audit_log SET {column} = :value WHERE seq = 2", value=value)
    found = await _break(db)
    assert found is not None and (found.seq, found.why) == (2, EDITED)
    async with db.session() as session:
        assert await verify_chain(session) is False


async def test_an_entry_given_to_another_officer_is_named_as_edited(db: Database) -> None:
    officers, _ = await _filled(db)
    await _raw(db, "UPDATE audit_log SET officer_id = :other WHERE seq = 3", other=officers[1])  # was officers[0]
    assert await _break(db) == AuditBreak(3, (await _entry(db, 3)).at, EDITED)


async def test_an_edited_time_is_named_as_edited(db: Database) -> None:
    await _filled(db)
    async with db.transaction() as session:
        entry = await session.get(AuditEntry, 4)
        assert entry is not None
        entry.at = entry.at.replace(year=2020)
        session.add(entry)
    found = await _break(db)
    assert found is not None and (found.seq, found.why, found.at.year) == (4, EDITED, 2020)


async def _entry(db: Database, seq: int) -> AuditEntry:
    async with db.session() as session:
        entry = await session.get(AuditEntry, seq)
        assert entry is not None
        return entry


async def test_a_removed_entry_names_the_one_after_it(db: Database) -> None:
    await _filled(db)
    await _raw(db, "DELETE FROM audit_log WHERE seq = 3")
    found = await _break(db)
    assert found is not None and (found.seq, found.why) == (4, REMOVED_OR_REORDERED)


async def test_removing_the_first_entries_shows(db: Database) -> None:
    await _filled(db)
    await _raw(db, "DELETE FROM audit_log WHERE seq <= 2")
    found = await _break(db)
    assert found is not None and (found.seq, found.why) == (3, REMOVED_OR_REORDERED)


async def test_swapped_entries_show_because_the_hash_covers_the_position(db: Database) -> None:
    await _filled(db)
    await _raw(db, "UPDATE audit_log SET seq = 100 WHERE seq = 2")
    await _raw(db, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    await _raw(db, "UPDATE audit_log SET seq = 3 WHERE seq = 100")
    found = await _break(db)
    assert found is not None and (found.seq, found.why) == (2, EDITED)


async def test_a_rehashed_copy_moved_elsewhere_is_named_as_removed_or_reordered(db: Database) -> None:
    """Even with each moved row's own hash recomputed, the links between rows give the move away."""
    await _filled(db)
    second, third = await _entry(db, 2), await _entry(db, 3)
    async with db.transaction() as session:
        await session.exec(text("DELETE FROM audit_log WHERE seq IN (2, 3)"))  # type: ignore[call-overload]
        for seq, source in ((2, third), (3, second)):
            moved = AuditEntry(seq=seq, at=source.at, officer_id=source.officer_id, action=source.action,
                               case_id=source.case_id, prev_hash=source.prev_hash, hash="")
            moved.hash = _digest(moved)
            session.add(moved)
    found = await _break(db)
    assert found is not None and (found.seq, found.why) == (2, REMOVED_OR_REORDERED)


async def test_the_digest_cannot_be_fooled_by_moving_a_separator(db: Database) -> None:
    one = AuditEntry(seq=1, at=utcnow(), officer_id="a|b", action="c", case_id=None, prev_hash=GENESIS, hash="")
    two = AuditEntry(seq=1, at=one.at, officer_id="a", action="b|c", case_id=None, prev_hash=GENESIS, hash="")
    three = AuditEntry(seq=1, at=one.at, officer_id="a\x1fb", action="c", case_id=None, prev_hash=GENESIS, hash="")
    four = AuditEntry(seq=1, at=one.at, officer_id="a", action="b\x1fc", case_id=None, prev_hash=GENESIS, hash="")
    empty = AuditEntry(seq=1, at=one.at, officer_id="", action="c", case_id=None, prev_hash=GENESIS, hash="")
    none = AuditEntry(seq=1, at=one.at, officer_id=None, action="c", case_id=None, prev_hash=GENESIS, hash="")
    assert len({_digest(e) for e in (one, two, three, four, empty, none)}) == 6


async def test_case_history_lists_one_cases_entries_oldest_first(db: Database) -> None:
    officers, cases = await _filled(db)
    async with db.session() as session:
        history = await case_history(session, cases[0])
        assert [(e.seq, e.action, e.officer_id) for e in history] == [
            (1, "view", officers[0]), (3, "denied:view", officers[0]), (5, "view", officers[0]),
        ]
        assert [e.seq for e in await case_history(session, cases[1])] == [2, 4]
        assert await case_history(session, "no-such-case") == []


APPENDS = 40


async def _race(url: str) -> None:
    """Two workers (two engines, as two processes would have) append at once, each in its own transactions."""
    one, two = Database(url), Database(url)
    try:
        jobs = [_append(one if i % 2 else two, f"view:{i}") for i in range(APPENDS)]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        assert [r for r in results if r is not None] == []  # nobody failed on a taken seq or hash
    finally:
        await one.dispose()
        await two.dispose()


async def test_two_workers_appending_at_once_leave_one_intact_chain(db: Database) -> None:
    await _race(db.url)
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.seq))).all()  # type: ignore[arg-type]
        assert [e.seq for e in entries] == list(range(1, APPENDS + 1))
        assert len({e.prev_hash for e in entries}) == APPENDS  # no fork: no two entries chain onto the same one
        assert sorted(e.action for e in entries) == sorted(f"view:{i}" for i in range(APPENDS))
        assert await first_break(session) is None


async def _overlapping(url: str) -> BaseException | None:
    """A second worker appends while the first one's append is not yet committed."""
    one, two = Database(url), Database(url)
    try:
        async with one.transaction() as session:
            await append_audit(session, action="first", officer_id=None, case_id=None)
            second = asyncio.create_task(_append(two, "second"))
            await asyncio.sleep(0.3)  # the second has read the head (or is waiting for the lock) by now
        [outcome] = await asyncio.gather(second, return_exceptions=True)
        return outcome
    finally:
        await one.dispose()
        await two.dispose()


async def test_an_append_waits_for_an_uncommitted_one_and_chains_onto_it(db: Database) -> None:
    assert await _overlapping(db.url) is None
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.seq))).all()  # type: ignore[arg-type]
        assert [(e.seq, e.action) for e in entries] == [(1, "first"), (2, "second")]
        assert entries[1].prev_hash == entries[0].hash
        assert await first_break(session) is None


async def test_without_the_append_lock_the_second_append_would_chain_onto_a_stale_head(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shows the test above is a real race: unserialised, both read an empty log and claim seq 1."""

    async def no_lock(session: object) -> None:
        return None

    monkeypatch.setattr(storage.audit, "_lock_appends", no_lock)
    assert isinstance(await _overlapping(db.url), IntegrityError)
    assert await _break(db) is None  # the collision is refused rather than forking the chain
