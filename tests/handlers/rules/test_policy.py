"""The escalation policy as data and the pure arithmetic of its timers: no database, no clock, explicit instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from handlers.rules.policy import (
    DEFAULT_POLICY,
    ChainSpec,
    Next,
    Policy,
    StepKind,
    Target,
    Track,
    first_step,
    parse_duration,
    plan_next,
    track_steps,
)

T = Target
RECEIVED = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam, Monday 2 November 2026
DEADLINE = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # the 12-hour assessment deadline of that report
MIN, HOUR = timedelta(minutes=1), timedelta(hours=1)


def chain(*steps: tuple[str, object], **extra: object) -> ChainSpec:
    return ChainSpec.model_validate({"steps": [{"after": a, "notify": n} for a, n in steps], **extra})


def offsets(steps: tuple[object, ...]) -> list[timedelta]:
    return [s.offset for s in steps]  # type: ignore[attr-defined]


# parse_duration ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("5m", timedelta(minutes=5)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1.5h", timedelta(minutes=90)),
        ("-2h", -timedelta(hours=2)),
        (" 15m ", timedelta(minutes=15)),
        (90, timedelta(seconds=90)),
        (2.5, timedelta(seconds=2.5)),
    ],
)
def test_parse_duration_reads_what_an_administrator_writes(text: object, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["5 minutes", "", "h", "5", "2x", "5m30s", "--2h"])
def test_parse_duration_refuses_anything_else_with_a_readable_message(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration like 30s, 5m, 2h or 1d"):
        parse_duration(text)


# Defaults ---------------------------------------------------------------------------------------------------


def _steps(spec: ChainSpec) -> list[tuple[timedelta, set[Target]]]:
    return [(s.after, set(s.notify)) for s in spec.steps]


def test_default_urgent_chain() -> None:
    urgent = DEFAULT_POLICY.urgent
    assert _steps(urgent) == [
        (timedelta(0), {T.GROUP}),
        (5 * MIN, {T.DUTY_OFFICER}),
        (10 * MIN, {T.BACKUP, T.LEADER}),
        (15 * MIN, {T.PARENT_GROUP}),
        (30 * MIN, {T.NATIONAL}),
    ]
    assert (urgent.repeat_every, urgent.repeats) == (15 * MIN, 3)


def test_default_normal_chain() -> None:
    normal = DEFAULT_POLICY.normal
    assert _steps(normal) == [
        (timedelta(0), {T.GROUP}),
        (30 * MIN, {T.DUTY_OFFICER}),
        (HOUR, {T.BACKUP, T.LEADER}),
        (2 * HOUR, {T.PARENT_GROUP}),
    ]
    assert (normal.repeat_every, normal.repeats) == (HOUR, 2)


def test_default_timeouts_and_decree_56_deadlines() -> None:
    policy = Policy()
    assert policy == DEFAULT_POLICY
    assert policy.ack_timeout_urgent == HOUR
    assert policy.ack_timeout_normal == 4 * HOUR
    assert policy.assessment_hours == 12
    assert policy.plan_working_days == 5
    assert policy.separation_days == 15


def test_a_policy_overrides_only_what_it_sets() -> None:
    policy = Policy.model_validate({"assessment_hours": 8, "ack_timeout_urgent": "30m"})
    assert (policy.assessment_hours, policy.ack_timeout_urgent) == (8, 30 * MIN)
    assert policy.urgent == DEFAULT_POLICY.urgent and policy.normal == DEFAULT_POLICY.normal
    assert policy.ack_timeout_normal == DEFAULT_POLICY.ack_timeout_normal


def test_policy_refuses_unknown_fields_and_out_of_range_deadlines() -> None:
    with pytest.raises(ValidationError, match="assesment_hours"):
        Policy.model_validate({"assesment_hours": 8})
    with pytest.raises(ValidationError, match="assessment_hours"):
        Policy.model_validate({"assessment_hours": 0})
    with pytest.raises(ValidationError, match="plan_working_days"):
        Policy.model_validate({"plan_working_days": 31})


# ChainSpec validation ---------------------------------------------------------------------------------------


def test_chain_with_decreasing_after_is_refused() -> None:
    with pytest.raises(ValidationError, match="increasing order"):
        chain(("0s", "group"), ("10m", "duty_officer"), ("5m", "leader"))


def test_chain_with_negative_after_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot be negative"):
        chain(("-5m", "group"), ("5m", "duty_officer"))


def test_chain_with_equal_afters_is_accepted() -> None:
    spec = chain(("0s", "group"), ("0s", "police"))
    assert [s.after for s in spec.steps] == [timedelta(0), timedelta(0)]


def test_repeats_need_repeat_every() -> None:
    with pytest.raises(ValidationError, match="'repeats' needs 'repeat_every'"):
        chain(("0s", "group"), repeats=2)


def test_repeats_are_at_most_ten() -> None:
    assert chain(("0s", "group"), repeat_every="1m", repeats=10).repeats == 10
    with pytest.raises(ValidationError, match="repeats"):
        chain(("0s", "group"), repeat_every="1m", repeats=11)


def test_a_chain_needs_at_least_one_step() -> None:
    with pytest.raises(ValidationError, match="steps"):
        ChainSpec.model_validate({"steps": []})


def test_notify_as_a_single_string_is_one_target() -> None:
    spec = chain(("0s", "group"), ("5m", ["backup", "leader"]))
    assert spec.steps[0].notify == (T.GROUP,)
    assert spec.steps[1].notify == (T.BACKUP, T.LEADER)


@pytest.mark.parametrize("notify", ["mayor", ["group", "mayor"], []])
def test_unknown_or_missing_target_is_refused(notify: object) -> None:
    with pytest.raises(ValidationError, match="notify"):
        chain(("0s", notify))


def test_a_bad_duration_in_a_step_is_refused() -> None:
    with pytest.raises(ValidationError, match="is not a duration"):
        chain(("5 minutes", "group"))


def test_negative_repeat_every_is_refused() -> None:
    with pytest.raises(ValidationError):
        chain(("0s", "group"), ("30m", "national"), repeat_every="-15m", repeats=3)


def test_negative_reminder_before_a_deadline_is_refused() -> None:
    with pytest.raises(ValidationError):
        Policy.model_validate({"assessment_remind_before": ["-1h"]})


# track_steps ------------------------------------------------------------------------------------------------


def test_urgent_chain_steps_include_the_repeats() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    assert len(steps) == len(DEFAULT_POLICY.urgent.steps) + 3
    assert offsets(steps) == [m * MIN for m in (0, 5, 10, 15, 30, 45, 60, 75)]
    assert all(s.kind is StepKind.ALERT for s in steps)
    assert [s.notify for s in steps[4:]] == [(T.NATIONAL,)] * 4  # the last step, repeated


def test_normal_chain_steps_include_the_repeats() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=False)
    assert len(steps) == len(DEFAULT_POLICY.normal.steps) + 2
    assert offsets(steps) == [timedelta(0), 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR]
    assert steps[-1].notify == steps[-2].notify == (T.PARENT_GROUP,)


def test_chain_without_repeats_is_its_steps() -> None:
    policy = Policy(urgent=chain(("0s", "group"), ("1m", "national")))
    steps = track_steps(policy, Track.CHAIN, urgent=True)
    assert offsets(steps) == [timedelta(0), MIN]
    assert track_steps(policy, Track.CHAIN, urgent=False) == track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=False)


@pytest.mark.parametrize(("urgent", "wait"), [(True, HOUR), (False, 4 * HOUR)])
def test_ack_timeout_is_one_timeout_step(urgent: bool, wait: timedelta) -> None:
    (step,) = track_steps(DEFAULT_POLICY, Track.ACK_TIMEOUT, urgent=urgent)
    assert step.kind is StepKind.TIMEOUT
    assert step.offset == wait
    assert T.OWNER in step.notify


def test_police_track_is_one_notice_at_once() -> None:
    (step,) = track_steps(DEFAULT_POLICY, Track.POLICE, urgent=True)
    assert (step.offset, step.notify, step.kind) == (timedelta(0), (T.POLICE,), StepKind.NOTICE)


@pytest.mark.parametrize(
    ("track", "reminders"),
    [
        (Track.ASSESSMENT, [-2 * HOUR, -30 * MIN]),
        (Track.PLAN, [-timedelta(days=1)]),
        (Track.SEPARATION, [-timedelta(days=2)]),
    ],
)
def test_deadline_tracks_remind_then_report_the_miss(track: Track, reminders: list[timedelta]) -> None:
    steps = track_steps(DEFAULT_POLICY, track, urgent=False)
    assert offsets(steps) == [*reminders, timedelta(0), HOUR]
    assert [s.kind for s in steps] == [StepKind.REMINDER] * len(reminders) + [StepKind.MISSED, StepKind.MISSED]
    assert all(s.notify == (T.OWNER,) for s in steps[: len(reminders)])
    assert set(steps[-2].notify) == {T.LEADER, T.OWNER}
    assert steps[-1].notify == (T.PARENT_GROUP,)


def test_deadline_reminders_are_sorted_earliest_first_whatever_the_file_order() -> None:
    policy = Policy.model_validate({"assessment_remind_before": ["30m", "4h", "2h"], "missed_escalate_after": "3h"})
    steps = track_steps(policy, Track.ASSESSMENT, urgent=True)
    assert offsets(steps) == [-4 * HOUR, -2 * HOUR, -30 * MIN, timedelta(0), 3 * HOUR]


# first_step -------------------------------------------------------------------------------------------------


def test_chain_starts_at_its_first_step_even_when_started_late() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    assert first_step(steps, RECEIVED, RECEIVED) == Next(0, RECEIVED)
    assert first_step(steps, RECEIVED, RECEIVED + 3 * HOUR) == Next(0, RECEIVED)


def test_deadline_track_started_in_time_begins_with_the_first_reminder() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.ASSESSMENT, urgent=True)
    assert first_step(steps, DEADLINE, DEADLINE - 12 * HOUR) == Next(0, DEADLINE - 2 * HOUR)
    assert first_step(steps, DEADLINE, DEADLINE - 2 * HOUR) == Next(0, DEADLINE - 2 * HOUR)  # exactly on time


def test_deadline_track_started_late_skips_the_past_reminder() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.ASSESSMENT, urgent=True)
    assert first_step(steps, DEADLINE, DEADLINE - HOUR) == Next(1, DEADLINE - 30 * MIN)


def test_deadline_track_started_after_the_deadline_still_reports_the_miss() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.ASSESSMENT, urgent=True)
    assert first_step(steps, DEADLINE, DEADLINE - 10 * MIN) == Next(2, DEADLINE)
    assert first_step(steps, DEADLINE, DEADLINE + 5 * HOUR) == Next(2, DEADLINE)  # MISSED is never skipped


# plan_next --------------------------------------------------------------------------------------------------


def test_plan_next_follows_the_chain() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    assert plan_next(steps, RECEIVED, 0, RECEIVED, skipped=False) == Next(1, RECEIVED + 5 * MIN)
    assert plan_next(steps, RECEIVED, 4, RECEIVED + 30 * MIN, skipped=False) == Next(5, RECEIVED + 45 * MIN)


def test_plan_next_keeps_times_when_the_worker_was_late() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    late = RECEIVED + 12 * MIN  # step 1 (5 min) fired seven minutes late
    assert plan_next(steps, RECEIVED, 1, late, skipped=False) == Next(2, RECEIVED + 10 * MIN)


def test_a_skipped_chain_step_is_not_waited_out() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    now = RECEIVED + 5 * MIN  # the duty-officer step reached nobody (no roster)
    assert plan_next(steps, RECEIVED, 1, now, skipped=True) == Next(2, now)


def test_a_skipped_chain_step_does_not_delay_a_step_already_due() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.CHAIN, urgent=True)
    now = RECEIVED + 20 * MIN  # step 2 (10 min) fired late and reached nobody; step 3 was due at 15 min
    assert plan_next(steps, RECEIVED, 2, now, skipped=True) == Next(3, RECEIVED + 15 * MIN)


def test_a_skipped_reminder_keeps_the_deadline_times() -> None:
    steps = track_steps(DEFAULT_POLICY, Track.ASSESSMENT, urgent=True)
    now = DEADLINE - 2 * HOUR  # the reminder reached nobody: the next reminder still waits for its time
    assert plan_next(steps, DEADLINE, 0, now, skipped=True) == Next(1, DEADLINE - 30 * MIN)
    assert plan_next(steps, DEADLINE, 1, DEADLINE - 30 * MIN, skipped=True) == Next(2, DEADLINE)


def test_after_the_last_step_the_track_is_finished() -> None:
    for track in Track:
        steps = track_steps(DEFAULT_POLICY, track, urgent=True)
        last = len(steps) - 1
        for skipped in (False, True):
            assert plan_next(steps, RECEIVED, last, RECEIVED + timedelta(days=30), skipped=skipped) == Next(None, None)


# The walk, as a property ------------------------------------------------------------------------------------

_minutes = st.integers(min_value=0, max_value=24 * 60)


@st.composite
def chains(draw: st.DrawFn) -> ChainSpec:
    gaps = draw(st.lists(_minutes, min_size=1, max_size=8))
    afters = list(accumulate(gaps))  # non-negative, in increasing order, equal neighbours allowed
    targets = st.lists(st.sampled_from(list(Target)), min_size=1, max_size=3)
    repeats = draw(st.integers(min_value=0, max_value=10))
    every = draw(st.integers(min_value=1, max_value=24 * 60)) if repeats or draw(st.booleans()) else None
    return ChainSpec.model_validate(
        {
            "steps": [{"after": f"{a}m", "notify": [str(x) for x in draw(targets)]} for a in afters],
            "repeat_every": f"{every}m" if every else None,
            "repeats": repeats,
        }
    )


@given(
    spec=chains(),
    urgent=st.booleans(),
    outcomes=st.lists(st.booleans(), min_size=25, max_size=25),
    lateness=st.lists(st.integers(min_value=0, max_value=120), min_size=25, max_size=25),
)
def test_walking_a_chain_visits_every_step_once_and_never_goes_back_in_time(
    spec: ChainSpec, urgent: bool, outcomes: list[bool], lateness: list[int]
) -> None:
    policy = Policy(urgent=spec) if urgent else Policy(normal=spec)
    steps = track_steps(policy, Track.CHAIN, urgent=urgent)
    assert len(steps) == len(spec.steps) + spec.repeats
    current = first_step(steps, RECEIVED, RECEIVED)
    visited: list[int] = []
    dues: list[datetime] = []
    for skipped, late in zip(outcomes, lateness, strict=True):
        if current.step is None:
            break
        assert current.due is not None
        visited.append(current.step)
        dues.append(current.due)
        now = current.due + timedelta(minutes=late)  # the step fires at its time, or a little after
        current = plan_next(steps, RECEIVED, current.step, now, skipped=skipped)
        if current.step is not None:
            planned = RECEIVED + steps[current.step].offset
            assert current.due == (min(planned, now) if skipped else planned)  # nobody reached: not waited out
    assert current == Next(None, None)
    assert visited == list(range(len(steps)))
    assert dues == sorted(dues)
    assert all(due <= RECEIVED + step.offset for due, step in zip(dues, steps, strict=True))  # never later than planned


# Waits: validated once, kept exact ----------------------------------------------------------------------------


def test_a_case_snapshot_keeps_fractional_waits_exactly() -> None:
    """The snapshot used to cut 1.5 s to "1s" (and 0.5 s to "0s", which then failed to load on every report)."""
    policy = Policy.model_validate({
        "urgent": {"steps": [{"after": "0s", "notify": "group"}, {"after": "1.5s", "notify": "duty_officer"}],
                   "repeat_every": "2.25s", "repeats": 1},
        "ack_timeout_urgent": 90.000001, "missed_escalate_after": "1.5m",
    })
    again = Policy.model_validate_json(policy.model_dump_json())
    assert again == policy
    assert again.urgent.steps[1].after == timedelta(seconds=1.5) and again.urgent.repeat_every == timedelta(seconds=2.25)
    assert again.ack_timeout_urgent == timedelta(seconds=90, microseconds=1)


@pytest.mark.parametrize("field", ["repeat_every", "after", "ack_timeout_urgent"])
def test_a_wait_under_one_second_is_refused_where_it_is_written(field: str) -> None:
    spec: dict[str, object] = {"steps": [{"after": "0.5s" if field == "after" else "0s", "notify": "group"}]}
    if field == "repeat_every":
        spec |= {"repeat_every": "0.5s", "repeats": 1}
    data = {"ack_timeout_urgent": "0.5s"} if field == "ack_timeout_urgent" else {"urgent": spec}
    with pytest.raises(ValidationError, match="a wait of 0.5s is under one second"):
        Policy.model_validate(data)
