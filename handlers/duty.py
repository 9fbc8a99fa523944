"""Who is on duty for a unit, from its stored roster."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.roster import Absence, Override, RosterSpec, Shift, on_duty
from storage.rosters import StoredRoster, stored_roster

__all__ = ["duty_shift", "roster_spec"]


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
