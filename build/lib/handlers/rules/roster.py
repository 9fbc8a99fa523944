"""Who is on duty when: a commune's rotation of duty officers resolved against leave, holidays and overrides."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from handlers.rules.working_days import VIETNAM, is_public_holiday

__all__ = ["Absence", "Override", "RosterSpec", "Shift", "ShiftSource", "gaps", "on_duty", "shifts"]


def _is_aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


def _check_interval(what: str, starts: datetime, ends: datetime) -> None:
    if not (_is_aware(starts) and _is_aware(ends)):
        raise ValueError(f"{what} needs timezone-aware starts and ends")
    if not starts < ends:
        raise ValueError(f"{what} must start before it ends ({starts.isoformat()} >= {ends.isoformat()})")


@dataclass(frozen=True)
class Absence:
    """An officer on leave: the rotation passes their shifts to the next officer available, from the
    moment the leave starts (a sick officer going home at noon hands over at noon)."""

    officer: str
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class Override:
    """`officer` covers [starts, ends) whatever the rotation says; officer None declares that nobody does."""

    officer: str | None
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class RosterSpec:
    """A commune's duty arrangement. Times of day are local (Asia/Ho_Chi_Minh), instants are aware."""

    rotation: tuple[str, ...]  # in order; empty means only overrides give anyone duty
    period_days: int  # 1 = daily rotation, 7 = weekly
    handoff: time  # local time of day at which shifts change, e.g. 07:30
    start: date  # the local date whose handoff starts rotation[0]
    backup: str | None = None  # fixed backup; None = the next officer in rotation order who is available
    holiday_officer: str | None = None  # takes any rotation shift that starts on a public holiday
    overrides: tuple[Override, ...] = ()  # when several overlap, the one listed last wins
    absences: tuple[Absence, ...] = ()

    def __post_init__(self) -> None:
        if self.period_days < 1:
            raise ValueError(f"period_days must be at least 1, got {self.period_days}")
        if len(set(self.rotation)) != len(self.rotation):
            repeated = sorted({officer for officer in self.rotation if self.rotation.count(officer) > 1})
            raise ValueError(f"officers appear more than once in the rotation: {', '.join(repeated)}")
        if self.handoff.tzinfo is not None:
            raise ValueError("handoff is a local time of day and must not carry a timezone")
        for override in self.overrides:
            _check_interval(f"override for {override.officer or 'nobody'}", override.starts, override.ends)
        for absence in self.absences:
            _check_interval(f"absence of {absence.officer}", absence.starts, absence.ends)


class ShiftSource(StrEnum):
    """Why this officer (or nobody) holds the shift."""

    ROTATION = "rotation"
    COVER = "cover"  # the rotation officer is absent and the next available one took the shift
    HOLIDAY = "holiday"
    OVERRIDE = "override"
    GAP = "gap"


@dataclass(frozen=True)
class Shift:
    """A stretch of time with one duty officer (or nobody) and one backup."""

    officer: str | None  # None = nobody on duty
    backup: str | None
    starts: datetime  # aware, UTC
    ends: datetime
    source: ShiftSource


def on_duty(roster: RosterSpec, at: datetime) -> Shift:
    """The piece of shift holding `at`: its rotation period cut at override boundaries, neither merged with
    its neighbours nor clipped, so its bounds are the ones that decide availability."""
    if not _is_aware(at):
        raise ValueError("at must be timezone-aware")
    return next(
        piece for piece in _pieces(roster, _period_index(roster, at)) if piece.starts <= at < piece.ends
    )


def shifts(roster: RosterSpec, *, start: datetime, end: datetime) -> list[Shift]:
    """Contiguous shifts covering exactly [start, end): rotation periods split at override boundaries, and
    consecutive pieces with the same officer, backup and source merged."""
    if not (_is_aware(start) and _is_aware(end)):
        raise ValueError("start and end must be timezone-aware")
    if not start < end:
        raise ValueError("start must be before end")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    found: list[Shift] = []
    index = _period_index(roster, start)
    while _handoff(roster, index) < end:
        for piece in _pieces(roster, index):
            starts, ends = max(piece.starts, start), min(piece.ends, end)
            if starts >= ends:
                continue
            if found and _same_duty(found[-1], piece):
                found[-1] = replace(found[-1], ends=ends)
            else:
                found.append(replace(piece, starts=starts, ends=ends))
        index += 1
    return found


def gaps(found: Sequence[Shift]) -> list[Shift]:
    """The shifts nobody holds: declared by an override, left by leave, or an empty rotation."""
    return [shift for shift in found if shift.officer is None]


def _same_duty(one: Shift, other: Shift) -> bool:
    return (one.officer, one.backup, one.source) == (other.officer, other.backup, other.source)


def _handoff(roster: RosterSpec, index: int) -> datetime:
    """The start of rotation period `index`, computed on the local calendar so that a handoff stays at the
    same wall-clock time whatever the offset does."""
    day = roster.start + timedelta(days=index * roster.period_days)
    return datetime.combine(day, roster.handoff, tzinfo=VIETNAM).astimezone(UTC)


def _period_index(roster: RosterSpec, at: datetime) -> int:
    """The last period whose handoff day is on or before the local date of `at`, or the one before it when
    `at` comes earlier that day than the handoff."""
    index = (at.astimezone(VIETNAM).date() - roster.start).days // roster.period_days
    return index if _handoff(roster, index) <= at else index - 1


def _pieces(roster: RosterSpec, index: int) -> Iterator[Shift]:
    """Period `index` cut at every override and leave boundary inside it, each piece resolved at its own start."""
    period_start, period_end = _handoff(roster, index), _handoff(roster, index + 1)
    inside = {
        moment.astimezone(UTC)
        for entry in (*roster.overrides, *roster.absences)
        for moment in (entry.starts, entry.ends)
        if period_start < moment < period_end
    }
    for starts, ends in pairwise(sorted({period_start, period_end} | inside)):
        override = next((o for o in reversed(roster.overrides) if o.starts <= starts < o.ends), None)
        if override is None:
            officer, source = _rotation_duty(roster, index, period_start, starts)
        else:
            officer = override.officer
            source = ShiftSource.GAP if officer is None else ShiftSource.OVERRIDE
        yield Shift(officer, _backup(roster, index, officer, starts), starts, ends, source)


def _rotation_duty(
    roster: RosterSpec, index: int, period_start: datetime, at: datetime
) -> tuple[str | None, ShiftSource]:
    """The holiday is that of the period's start; leave is judged at `at`, the start of the piece."""
    if not roster.rotation:
        return None, ShiftSource.GAP
    holiday_officer = roster.holiday_officer
    if (
        holiday_officer is not None
        and is_public_holiday(period_start.astimezone(VIETNAM).date())
        and _available(roster, holiday_officer, at)
    ):
        return holiday_officer, ShiftSource.HOLIDAY
    for step, officer in enumerate(_in_order_from(roster.rotation, index)):
        if _available(roster, officer, at):
            return officer, ShiftSource.ROTATION if step == 0 else ShiftSource.COVER
    return None, ShiftSource.GAP


def _backup(roster: RosterSpec, index: int, duty: str | None, at: datetime) -> str | None:
    """The fixed backup when they can serve, else the next available officer after the duty officer; an
    officer from outside the rotation (or nobody) is followed by the period's own rotation officer."""
    if roster.backup is not None and roster.backup != duty and _available(roster, roster.backup, at):
        return roster.backup
    if not roster.rotation:
        return None
    first = roster.rotation.index(duty) + 1 if duty in roster.rotation else index
    candidates = _in_order_from(roster.rotation, first)
    return next((o for o in candidates if o != duty and _available(roster, o, at)), None)


def _in_order_from(rotation: tuple[str, ...], first: int) -> tuple[str, ...]:
    """The whole rotation starting at position `first` (any integer, taken modulo its length), wrapping."""
    split = first % len(rotation)
    return rotation[split:] + rotation[:split]


def _available(roster: RosterSpec, officer: str, at: datetime) -> bool:
    return not any(a.officer == officer and a.starts <= at < a.ends for a in roster.absences)
