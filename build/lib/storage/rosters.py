"""Duty rosters as stored: the file's rotations, plus leave and cover from the file, the CLI or the web console."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import case
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DutyHandoff, Officer, Roster, RosterOverride

__all__ = [
    "OverrideRecord",
    "RosterRecord",
    "StoredRoster",
    "add_override",
    "record_handoff",
    "stored_roster",
    "sync_rosters",
    "units_with_rosters",
    "update_rotation",
]


@dataclass(frozen=True)
class OverrideRecord:
    kind: str  # "leave" | "cover"
    officer: str | None  # name; None only for a cover that declares a gap
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class RosterRecord:
    unit_code: str
    rotation: Sequence[str]  # names
    period_days: int
    handoff: time
    start: date
    backup: str | None
    holiday_officer: str | None
    overrides: Sequence[OverrideRecord]


@dataclass(frozen=True)
class StoredRoster:
    roster: Roster
    rotation: tuple[str, ...]  # officer ids
    overrides: tuple[RosterOverride, ...]


async def _officer_id(session: AsyncSession, unit_code: str, name: str | None) -> str | None:
    if name is None:
        return None
    query = select(Officer.id).where(col(Officer.unit_code) == unit_code, col(Officer.name) == name, col(Officer.active))
    found = (await session.exec(query)).first()
    if found is None:
        raise LookupError(f"no active officer '{name}' in unit {unit_code}")
    return found


async def sync_rosters(session: AsyncSession, rosters: Sequence[RosterRecord]) -> None:
    """The file's rosters replace the stored ones (a rotation edited on the web included); leave and cover
    added from the CLI or the web stay."""
    await session.exec(delete(RosterOverride).where(col(RosterOverride.source) == "file"))
    await session.exec(delete(Roster))
    for record in rosters:
        unit = record.unit_code
        rotation = [await _officer_id(session, unit, name) for name in record.rotation]
        session.add(
            Roster(
                unit_code=unit, rotation=json.dumps(rotation), period_days=record.period_days,
                handoff=record.handoff.strftime("%H:%M"), start=record.start.isoformat(),
                backup_id=await _officer_id(session, unit, record.backup),
                holiday_officer_id=await _officer_id(session, unit, record.holiday_officer),
            )
        )
        for entry in record.overrides:
            await add_override(session, unit, entry, source="file")
    await session.flush()


async def add_override(session: AsyncSession, unit_code: str, entry: OverrideRecord, *, source: str) -> RosterOverride:
    row = RosterOverride(
        unit_code=unit_code, kind=entry.kind, officer_id=await _officer_id(session, unit_code, entry.officer),
        starts_at=entry.starts, ends_at=entry.ends, source=source,
    )
    session.add(row)
    await session.flush()
    return row


async def stored_roster(session: AsyncSession, unit_code: str) -> StoredRoster | None:
    roster = await session.get(Roster, unit_code)
    if roster is None:
        return None
    file_first = case((col(RosterOverride.source) == "file", 0), else_=1)  # the last listed wins: CLI and web entries
    overrides = await session.exec(
        select(RosterOverride).where(col(RosterOverride.unit_code) == unit_code).order_by(file_first, col(RosterOverride.starts_at))
    )
    return StoredRoster(roster, tuple(json.loads(roster.rotation)), tuple(overrides.all()))


async def update_rotation(
    session: AsyncSession, unit_code: str, rotation: Sequence[str], *, period_days: int, handoff: time, start: date
) -> Roster:
    """A supervisor's new order of officers (names), period and handoff; the backup and holiday officer stay.
    LookupError when there is no roster or a name is not an active officer of the unit."""
    roster = await session.get(Roster, unit_code)
    if roster is None:
        raise LookupError(f"unit {unit_code} has no roster")
    roster.rotation = json.dumps([await _officer_id(session, unit_code, name) for name in rotation])
    roster.period_days, roster.handoff, roster.start = period_days, handoff.strftime("%H:%M"), start.isoformat()
    session.add(roster)
    await session.flush()
    return roster


async def units_with_rosters(session: AsyncSession) -> list[str]:
    return list(await session.exec(select(Roster.unit_code).order_by(Roster.unit_code)))  # one lock order for every worker


async def record_handoff(session: AsyncSession, unit_code: str, officer_id: str | None, now: datetime) -> bool:
    """True once per change of duty officer: the caller then sends the handoff message in the same transaction.

    Several workers may run this at once: the unit's row is made to exist first (a worker that loses
    that insert waits for the winner's commit, then reads its row), and the row is then locked."""
    try:
        async with session.begin_nested():
            session.add(DutyHandoff(unit_code=unit_code, officer_id=None, since=now))  # "nobody told yet"
            await session.flush()
    except IntegrityError:
        pass
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    row = await session.get(DutyHandoff, unit_code, with_for_update=postgres, populate_existing=True)
    assert row is not None
    if row.officer_id == officer_id:
        return False
    row.officer_id, row.since = officer_id, now
    session.add(row)
    await session.flush()
    return True
