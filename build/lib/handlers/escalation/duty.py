"""Who is on duty for a unit, from its stored roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.rules.roster import Absence, Override, RosterSpec, Shift, gaps, on_duty, shifts
from handlers.rules.working_days import VIETNAM
from storage.models import Unit
from storage.rosters import StoredRoster, stored_roster

__all__ = ["RosterOutlook", "duty_shift", "local_moment", "roster_outlook", "roster_spec"]


def roster_spec(stored: StoredRoster) -> RosterSpec:
    row = stored.roster
    leave = tuple(Absence(o.officer_id, o.starts_at, o.ends_at) for o in stored.overrides if o.kind == "leave" and o.officer_id)
    cover = tuple(Override(o.officer_id, o.starts_at, o.ends_at) for o in stored.overrides if o.kind == "cover")
    return RosterSpec(
        rotation=stored.rotation,
        period_days=row.period_days,
        handoff=time.fromisoformat(row.handoff),
        start=date.fromisoformat(row.start),
        backup=row.backup_id,
        holiday_officer=row.holiday_officer_id,
        overrides=cover,
        absences=leave,
    )


async def duty_shift(session: AsyncSession, unit_code: str, at: datetime) -> Shift | None:
    """None when the unit has no roster at all (then nobody is "on duty", and steps for the duty officer are skipped)."""
    stored = await stored_roster(session, unit_code)
    return on_duty(roster_spec(stored), at) if stored else None


@dataclass(frozen=True)
class RosterOutlook:
    """What the command line and the web console show of a unit's roster from a moment on."""

    unit: Unit
    stored: StoredRoster
    current: Shift  # the piece of shift holding the moment, with its real end
    coming: list[Shift]  # from the moment, merged; the first one is the current shift cut at the moment
    gaps: list[Shift]


async def roster_outlook(session: AsyncSession, unit_code: str, start: datetime, *, days: int) -> RosterOutlook | None:
    """None when the unit is unknown or has no roster."""
    unit = await session.get(Unit, unit_code)
    stored = await stored_roster(session, unit_code)
    if unit is None or stored is None:
        return None
    spec = roster_spec(stored)
    coming = shifts(spec, start=start, end=start + timedelta(days=days))
    return RosterOutlook(unit, stored, on_duty(spec, start), coming, gaps(coming))


def local_moment(text: str) -> datetime:
    """A date and time as a person types it (2026-12-01T07:30), in Vietnam's time unless it names an offset.
    ValueError when it is not one."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
