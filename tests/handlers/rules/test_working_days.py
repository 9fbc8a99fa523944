"""Working-day deadlines: weekends, Tết and the other days off skipped, counted in Vietnamese local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.rules.working_days import VIETNAM, is_public_holiday, is_working_day, working_days_deadline


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def end_of(day: date) -> datetime:
    """Local midnight at the end of `day`, in UTC: how deadlines come back."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=VIETNAM).astimezone(UTC)


def test_calendar_days() -> None:
    assert is_working_day(date(2026, 3, 9))  # a Monday
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 3, 15))  # Sunday
    assert is_public_holiday(date(2026, 9, 2)) and not is_working_day(date(2026, 9, 2))  # National Day
    assert not is_public_holiday(date(2026, 3, 9))


def test_plain_week_ends_on_the_following_monday() -> None:
    deadline = working_days_deadline(local(2026, 3, 9, 10), 5)
    assert deadline == end_of(date(2026, 3, 16))
    assert deadline == datetime(2026, 3, 16, 17, tzinfo=UTC)
    assert deadline.tzinfo is UTC


def test_received_on_friday_evening() -> None:
    assert working_days_deadline(local(2026, 3, 13, 21, 30), 1) == end_of(date(2026, 3, 16))


def test_received_on_a_saturday() -> None:
    assert working_days_deadline(local(2026, 3, 14, 9), 1) == end_of(date(2026, 3, 16))
    assert working_days_deadline(local(2026, 3, 14, 9), 2) == end_of(date(2026, 3, 17))


def test_tet_2027_is_skipped() -> None:
    tet = [date(2027, 2, 4) + timedelta(days=i) for i in range(7)]
    assert all(is_public_holiday(day) for day in tet)
    # Received the Wednesday before Tết: Thursday 4 February to Wednesday 10 February are all days off.
    assert working_days_deadline(local(2027, 2, 3, 9), 1) == end_of(date(2027, 2, 11))
    assert working_days_deadline(local(2027, 2, 3, 9), 3) == end_of(date(2027, 2, 15))


def test_vietnam_cultural_day_adds_a_day() -> None:
    assert is_public_holiday(date(2026, 11, 24))
    week_before = working_days_deadline(local(2026, 11, 16, 10), 5)
    crossing = working_days_deadline(local(2026, 11, 23, 10), 5)
    assert week_before == end_of(date(2026, 11, 23))  # Monday to Monday
    assert crossing == end_of(date(2026, 12, 1))  # Monday to Tuesday: one day later
    assert crossing - week_before == timedelta(days=8)


def test_utc_late_evening_is_already_tomorrow_in_vietnam() -> None:
    start = datetime(2026, 3, 8, 18, tzinfo=UTC)  # Sunday in UTC, Monday 01:00 in Vietnam
    assert start.astimezone(VIETNAM).date() == date(2026, 3, 9)
    assert working_days_deadline(start, 1) == end_of(date(2026, 3, 10))


def test_rejects_naive_start_and_no_days() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        working_days_deadline(datetime(2026, 3, 9, 10), 1)
    with pytest.raises(ValueError, match="at least 1"):
        working_days_deadline(local(2026, 3, 9, 10), 0)


@given(
    start=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(min_value=1, max_value=60),
)
def test_deadline_is_a_local_midnight_after_exactly_n_working_days(start: datetime, days: int) -> None:
    deadline = working_days_deadline(start, days)
    in_vietnam = deadline.astimezone(VIETNAM)
    assert in_vietnam.time() == datetime.min.time()
    assert deadline > start
    received = start.astimezone(VIETNAM).date()
    last_day = in_vietnam.date() - timedelta(days=1)
    assert is_working_day(last_day)
    between = (received + timedelta(days=i) for i in range(1, (last_day - received).days + 1))
    assert sum(is_working_day(day) for day in between) == days
