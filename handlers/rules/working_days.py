"""The Vietnamese working-day calendar, and the working-day deadlines that Decree 56 sets for handling reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = ["VIETNAM", "is_public_holiday", "is_working_day", "working_days_before", "working_days_deadline"]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@lru_cache(maxsize=64)  # a few years are ever in play at once
def _public_holidays(year: int) -> frozenset[date]:
    """The days off of one year, Tết and substituted days included, from the maintained `holidays` data:
    the dates move with the lunar calendar and with each year's government decision, so no list here."""
    return frozenset(holidays.country_holidays("VN", years=year))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday.

    The `holidays` calendar does not list the Saturdays that are worked to make up for a bridged day off, so
    those count as days off here: a deadline can only come out later than the official one, never earlier.
    """
    return day.weekday() < 5 and not is_public_holiday(day)


def working_days_deadline(start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after the local date of `start`, as an aware UTC datetime.

    The day of receipt itself never counts, whatever the hour, and the deadline is the local midnight that
    ends the last working day: "within N working days" leaves the whole of that day.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be timezone-aware")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    day = start.astimezone(VIETNAM).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM).astimezone(UTC)


def working_days_before(day: date, days: int) -> date:
    """The ``days``-th working day before ``day`` (``day`` itself not counted): a reminder 5 working days
    before a report due on Monday 15 February 2027 falls before Tết, not in it."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
