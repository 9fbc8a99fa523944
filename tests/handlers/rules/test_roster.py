"""Duty roster resolution: handoffs, rotation periods, leave, holidays and overrides, on an injected clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.rules.roster import Absence, Override, RosterSpec, Shift, ShiftSource, gaps, on_duty, shifts
from handlers.rules.working_days import VIETNAM, is_public_holiday

LAN, MINH, HOA, TUAN = "lan", "minh", "hoa", "tuan"

DAILY = RosterSpec(rotation=(LAN, MINH, HOA), period_days=1, handoff=time(7, 30), start=date(2026, 3, 2))


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def assert_tiles(found: list[Shift], start: datetime, end: datetime) -> None:
    """`found` covers exactly [start, end), each shift ending where the next starts, none merely repeating
    the one before."""
    assert found[0].starts == start and found[-1].ends == end
    for shift in found:
        assert shift.starts < shift.ends
        assert shift.starts.tzinfo is UTC and shift.ends.tzinfo is UTC
    for before, after in pairwise(found):
        assert before.ends == after.starts
        assert (before.officer, before.backup, before.source) != (after.officer, after.backup, after.source)


def test_handoff_at_0730() -> None:
    before = on_duty(DAILY, local(2026, 3, 3, 7, 29))
    after = on_duty(DAILY, local(2026, 3, 3, 7, 30))
    assert before == Shift(
        LAN, MINH, utc(local(2026, 3, 2, 7, 30)), utc(local(2026, 3, 3, 7, 30)), ShiftSource.ROTATION
    )
    assert after == Shift(
        MINH, HOA, utc(local(2026, 3, 3, 7, 30)), utc(local(2026, 3, 4, 7, 30)), ShiftSource.ROTATION
    )
    assert on_duty(DAILY, local(2026, 3, 4, 7, 30)).officer == HOA
    assert on_duty(DAILY, local(2026, 3, 5, 7, 30)).officer == LAN  # wrapped round


def test_the_night_belongs_to_the_shift_that_started_in_the_morning() -> None:
    late = on_duty(DAILY, local(2026, 3, 2, 23))
    small_hours = on_duty(DAILY, local(2026, 3, 3, 2))
    assert late == small_hours
    assert late.officer == LAN and late.starts == utc(local(2026, 3, 2, 7, 30))
    # The same instant given in UTC (19:00 the day before) resolves the same way.
    assert on_duty(DAILY, datetime(2026, 3, 2, 19, tzinfo=UTC)) == small_hours


def test_evening_handoff_spans_midnight() -> None:
    nights = replace(DAILY, handoff=time(22))
    shift = on_duty(nights, local(2026, 3, 3, 6))
    assert shift.officer == LAN
    assert (shift.starts, shift.ends) == (utc(local(2026, 3, 2, 22)), utc(local(2026, 3, 3, 22)))
    assert on_duty(nights, local(2026, 3, 3, 21, 59)) == shift
    assert on_duty(nights, local(2026, 3, 3, 22)).officer == MINH


def test_weekly_rotation() -> None:
    weekly = replace(DAILY, period_days=7, handoff=time(8))  # 2026-03-02 is a Monday
    assert on_duty(weekly, local(2026, 3, 8, 23)).officer == LAN  # Sunday night
    assert on_duty(weekly, local(2026, 3, 9, 7, 59)).officer == LAN
    second = on_duty(weekly, local(2026, 3, 9, 8))
    assert second.officer == MINH and second.backup == HOA
    assert (second.starts, second.ends) == (utc(local(2026, 3, 9, 8)), utc(local(2026, 3, 16, 8)))
    assert on_duty(weekly, local(2026, 3, 20, 12)).officer == HOA
    assert on_duty(weekly, local(2026, 3, 23, 8)).officer == LAN


def test_times_before_the_rotation_start() -> None:
    assert on_duty(DAILY, local(2026, 3, 2, 7, 29)).officer == HOA  # period -1
    assert on_duty(DAILY, local(2026, 3, 1, 12)).officer == HOA
    assert on_duty(DAILY, local(2026, 2, 28, 12)).officer == MINH  # period -2
    assert on_duty(DAILY, local(2026, 2, 27, 12)).officer == LAN  # period -3
    weekly = replace(DAILY, period_days=7)
    earlier = on_duty(weekly, local(2026, 2, 25, 12))
    assert earlier.officer == HOA
    assert (earlier.starts, earlier.ends) == (utc(local(2026, 2, 23, 7, 30)), utc(local(2026, 3, 2, 7, 30)))


def test_absent_officer_is_covered_by_the_next_and_the_backup_moves_on() -> None:
    usual = on_duty(DAILY, local(2026, 3, 2, 12))
    assert (usual.officer, usual.backup, usual.source) == (LAN, MINH, ShiftSource.ROTATION)
    on_leave = replace(DAILY, absences=(Absence(LAN, local(2026, 3, 2), local(2026, 3, 3)),))
    covered = on_duty(on_leave, local(2026, 3, 2, 12))
    assert (covered.officer, covered.backup, covered.source) == (MINH, HOA, ShiftSource.COVER)
    assert on_duty(on_leave, local(2026, 3, 3, 12)) == on_duty(
        DAILY, local(2026, 3, 3, 12)
    )  # back from leave


def test_absent_backup_is_skipped() -> None:
    roster = replace(DAILY, absences=(Absence(MINH, local(2026, 3, 1), local(2026, 3, 5)),))
    shift = on_duty(roster, local(2026, 3, 2, 12))
    assert (shift.officer, shift.backup, shift.source) == (LAN, HOA, ShiftSource.ROTATION)


def test_fixed_backup() -> None:
    roster = replace(DAILY, backup=TUAN)
    assert on_duty(roster, local(2026, 3, 2, 12)).backup == TUAN
    away = replace(roster, absences=(Absence(TUAN, local(2026, 3, 2), local(2026, 3, 3)),))
    assert on_duty(away, local(2026, 3, 2, 12)).backup == MINH  # falls back to rotation order
    on_duty_themselves = replace(DAILY, backup=LAN)
    assert on_duty(on_duty_themselves, local(2026, 3, 2, 12)).backup == MINH


def test_leave_starting_mid_shift_hands_over_at_once() -> None:
    roster = replace(DAILY, absences=(Absence(LAN, local(2026, 3, 2, 12), local(2026, 3, 10)),))
    assert on_duty(roster, local(2026, 3, 2, 11, 59)).officer == LAN
    noon = on_duty(roster, local(2026, 3, 2, 18))
    assert noon.officer != LAN and noon.source == ShiftSource.COVER and noon.starts == local(2026, 3, 2, 12)
    assert on_duty(roster, local(2026, 3, 5, 12)).source == ShiftSource.COVER


def test_everyone_absent_is_a_gap() -> None:
    away = tuple(Absence(officer, local(2026, 3, 1), local(2026, 3, 8)) for officer in DAILY.rotation)
    roster = replace(DAILY, absences=away)
    shift = on_duty(roster, local(2026, 3, 4, 12))
    assert (shift.officer, shift.backup, shift.source) == (None, None, ShiftSource.GAP)
    week = shifts(roster, start=local(2026, 3, 1), end=local(2026, 3, 10))
    assert [(s.starts, s.ends) for s in gaps(week)] == [
        (utc(local(2026, 3, 1)), utc(local(2026, 3, 8)))  # from the moment the last one leaves to the first return
    ]


def test_holiday_officer_takes_shifts_starting_on_vietnam_cultural_day() -> None:
    roster = replace(DAILY, holiday_officer=TUAN)
    assert is_public_holiday(date(2026, 11, 24))
    eve = on_duty(roster, local(2026, 11, 24, 7, 29))
    assert eve.source == ShiftSource.ROTATION and eve.officer != TUAN
    holiday = on_duty(roster, local(2026, 11, 24, 7, 30))
    usual = on_duty(DAILY, local(2026, 11, 24, 7, 30))
    assert (holiday.officer, holiday.source) == (TUAN, ShiftSource.HOLIDAY)
    assert holiday.backup == usual.officer  # the officer whose turn it was stands by
    assert on_duty(roster, local(2026, 11, 25, 7, 29)) == holiday
    assert on_duty(roster, local(2026, 11, 25, 7, 30)).source == ShiftSource.ROTATION


def test_holiday_officer_through_tet_2027() -> None:
    roster = replace(DAILY, holiday_officer=TUAN)
    by_day = [on_duty(roster, local(2027, 2, day, 12)) for day in range(3, 12)]  # shifts starting 3-11 Feb
    assert [shift.source for shift in by_day] == [
        ShiftSource.ROTATION,
        *[ShiftSource.HOLIDAY] * 7,  # 4 to 10 February, weekend included
        ShiftSource.ROTATION,
    ]
    assert {shift.officer for shift in by_day[1:-1]} == {TUAN}


def test_absent_holiday_officer_leaves_the_rotation_in_place() -> None:
    away = Absence(TUAN, local(2026, 11, 20), local(2026, 11, 30))
    roster = replace(DAILY, holiday_officer=TUAN, absences=(away,))
    assert on_duty(roster, local(2026, 11, 24, 12)) == on_duty(DAILY, local(2026, 11, 24, 12))


def test_weekly_shift_spanning_a_holiday_is_not_a_holiday_shift() -> None:
    weekly = replace(DAILY, period_days=7, holiday_officer=TUAN)  # Monday 2026-11-23 starts a week
    assert on_duty(weekly, local(2026, 11, 24, 12)).source == ShiftSource.ROTATION


def test_override_inside_a_shift_splits_it_in_three() -> None:
    roster = replace(DAILY, overrides=(Override(HOA, local(2026, 3, 2, 12), local(2026, 3, 2, 15)),))
    found = shifts(roster, start=local(2026, 3, 2, 7, 30), end=local(2026, 3, 3, 7, 30))
    assert found == [
        Shift(LAN, MINH, utc(local(2026, 3, 2, 7, 30)), utc(local(2026, 3, 2, 12)), ShiftSource.ROTATION),
        Shift(HOA, LAN, utc(local(2026, 3, 2, 12)), utc(local(2026, 3, 2, 15)), ShiftSource.OVERRIDE),
        Shift(LAN, MINH, utc(local(2026, 3, 2, 15)), utc(local(2026, 3, 3, 7, 30)), ShiftSource.ROTATION),
    ]
    assert on_duty(roster, local(2026, 3, 2, 14, 59)) == found[1]
    assert on_duty(roster, local(2026, 3, 2, 15)) == found[2]


def test_the_override_listed_last_wins() -> None:
    first = Override(HOA, local(2026, 3, 2, 12), local(2026, 3, 2, 18))
    second = Override(TUAN, local(2026, 3, 2, 14), local(2026, 3, 2, 16))
    roster = replace(DAILY, overrides=(first, second))
    found = shifts(roster, start=local(2026, 3, 2, 12), end=local(2026, 3, 2, 18))
    assert [(s.officer, s.starts.astimezone(VIETNAM).hour) for s in found] == [
        (HOA, 12),
        (TUAN, 14),
        (HOA, 16),
    ]
    assert [
        s.officer
        for s in shifts(replace(roster, overrides=(second, first)), start=first.starts, end=first.ends)
    ] == [HOA]


def test_override_to_nobody_is_a_reported_gap() -> None:
    closed = Override(None, local(2026, 3, 3, 18), local(2026, 3, 4, 9))  # across a handoff
    roster = replace(DAILY, overrides=(closed,))
    found = shifts(roster, start=local(2026, 3, 2), end=local(2026, 3, 6))
    assert_tiles(found, utc(local(2026, 3, 2)), utc(local(2026, 3, 6)))
    reported = gaps(found)
    assert [(s.starts, s.ends, s.source) for s in reported] == [
        (
            utc(closed.starts),
            utc(local(2026, 3, 4, 7, 30)),
            ShiftSource.GAP,
        ),  # the backup follows the rotation
        (utc(local(2026, 3, 4, 7, 30)), utc(closed.ends), ShiftSource.GAP),
    ]
    assert on_duty(roster, local(2026, 3, 4, 8)) == reported[1]
    assert gaps(shifts(DAILY, start=local(2026, 3, 2), end=local(2026, 3, 6))) == []


def test_empty_rotation_gives_duty_only_through_overrides() -> None:
    cover = Override(TUAN, local(2026, 3, 3, 8), local(2026, 3, 3, 17))
    roster = RosterSpec(
        rotation=(), period_days=1, handoff=time(7, 30), start=date(2026, 3, 2), overrides=(cover,)
    )
    assert on_duty(roster, local(2026, 3, 3, 7)) == Shift(
        None, None, utc(local(2026, 3, 2, 7, 30)), utc(local(2026, 3, 3, 7, 30)), ShiftSource.GAP
    )
    found = shifts(roster, start=local(2026, 3, 2), end=local(2026, 3, 5))
    assert [(s.officer, s.source) for s in found] == [
        (None, ShiftSource.GAP),
        (TUAN, ShiftSource.OVERRIDE),
        (None, ShiftSource.GAP),
    ]
    assert found[1].backup is None


def test_one_officer_rotation_merges_into_one_shift() -> None:
    alone = RosterSpec(rotation=(LAN,), period_days=1, handoff=time(7, 30), start=date(2026, 3, 2))
    found = shifts(alone, start=local(2026, 3, 2), end=local(2026, 3, 9))
    assert found == [Shift(LAN, None, utc(local(2026, 3, 2)), utc(local(2026, 3, 9)), ShiftSource.ROTATION)]


def test_fourteen_days_of_shifts_tile_the_window() -> None:
    roster = replace(
        DAILY,
        holiday_officer=TUAN,
        overrides=(Override(TUAN, local(2026, 11, 26, 9), local(2026, 11, 27, 9)),),
        absences=(Absence(MINH, local(2026, 11, 28), local(2026, 12, 2)),),
    )
    start, end = local(2026, 11, 20, 10, 17), local(2026, 12, 4, 10, 17)
    found = shifts(roster, start=start, end=end)
    assert_tiles(found, utc(start), utc(end))
    assert len(found) >= 14
    for shift in found:
        assert on_duty(roster, shift.starts).officer == shift.officer


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_days": 0}, "period_days"),
        ({"rotation": (LAN, MINH, LAN)}, "more than once"),
        ({"handoff": time(7, 30, tzinfo=UTC)}, "handoff"),
        ({"overrides": (Override(LAN, local(2026, 3, 2, 9), local(2026, 3, 2, 9)),)}, "start before it ends"),
        ({"overrides": (Override(None, datetime(2026, 3, 2), datetime(2026, 3, 3)),)}, "timezone-aware"),
        ({"absences": (Absence(LAN, local(2026, 3, 3), local(2026, 3, 2)),)}, "start before it ends"),
        ({"absences": (Absence(LAN, local(2026, 3, 2), datetime(2026, 3, 3)),)}, "timezone-aware"),
    ],
)
def test_invalid_rosters_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(DAILY, **changes)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        on_duty(DAILY, datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="timezone-aware"):
        shifts(DAILY, start=datetime(2026, 3, 2), end=local(2026, 3, 3))
    with pytest.raises(ValueError, match="before end"):
        shifts(DAILY, start=local(2026, 3, 3), end=local(2026, 3, 3))


# Random rosters around Vietnam Cultural Day 2026, so that holidays come up as well.
BASE = local(2026, 11, 24)
OFFICERS = (LAN, MINH, HOA, TUAN, "mai")
officers = st.sampled_from(OFFICERS)
offsets = st.integers(min_value=-6 * 24 * 60, max_value=6 * 24 * 60).map(
    lambda m: BASE + timedelta(minutes=m)
)
durations = st.integers(min_value=1, max_value=3 * 24 * 60).map(lambda m: timedelta(minutes=m))
zones = st.sampled_from([UTC, VIETNAM])


@st.composite
def intervals(draw: st.DrawFn) -> tuple[datetime, datetime]:
    starts, zone = draw(offsets), draw(zones)
    return starts.astimezone(zone), (starts + draw(durations)).astimezone(zone)


rosters = st.builds(
    RosterSpec,
    rotation=st.lists(officers, unique=True, max_size=4).map(tuple),
    period_days=st.integers(min_value=1, max_value=8),
    handoff=st.times(),
    start=st.dates(min_value=date(2026, 10, 1), max_value=date(2027, 1, 31)),
    backup=st.none() | officers,
    holiday_officer=st.none() | officers,
    overrides=st.lists(
        st.builds(lambda who, span: Override(who, *span), st.none() | officers, intervals()), max_size=4
    ).map(tuple),
    absences=st.lists(
        st.builds(lambda who, span: Absence(who, *span), officers, intervals()), max_size=4
    ).map(tuple),
)


@given(roster=rosters, at=offsets, zone=zones)
def test_on_duty_agrees_with_shifts(roster: RosterSpec, at: datetime, zone: tzinfo) -> None:
    at = at.astimezone(zone)
    piece = on_duty(roster, at)
    assert piece.starts <= at < piece.ends
    window_start, window_end = at - timedelta(days=1), at + timedelta(days=1)
    found = shifts(roster, start=window_start, end=window_end)
    assert_tiles(found, utc(window_start), utc(window_end))
    [holding] = [shift for shift in found if shift.starts <= at < shift.ends]
    assert (holding.officer, holding.backup, holding.source) == (piece.officer, piece.backup, piece.source)
    assert holding.starts <= max(piece.starts, window_start) and min(piece.ends, window_end) <= holding.ends
