"""Escalation policies and Decree-56 deadlines as data, and the pure arithmetic of their timers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "DEFAULT_POLICY",
    "WAIT_ERRORS",
    "ChainSpec",
    "Duration",
    "Next",
    "PlannedStep",
    "Policy",
    "StepKind",
    "StepSpec",
    "Target",
    "Track",
    "first_step",
    "parse_duration",
    "plan_next",
    "track_steps",
]


class Target(StrEnum):
    GROUP = "group"  # the unit's duty group, and privately its officers whom no group reaches (Zalo)
    DUTY_OFFICER = "duty_officer"  # whoever the roster has on duty now, privately
    BACKUP = "backup"  # the roster's backup, privately
    LEADER = "leader"  # the commune chairperson or vice-chair (officers with role "leader")
    PARENT_GROUP = "parent_group"  # the duty group of the unit above (commune → province)
    NATIONAL = "national"  # the deployment's named national contact
    OWNER = "owner"  # the officer who took the case; the duty officer while nobody has
    POLICE = "police"  # the unit's police contact (suspected crime, in parallel)


class Track(StrEnum):
    """Independent timers of one case; each is one database row."""

    CHAIN = "chain"  # nobody has taken the case yet
    ACK_TIMEOUT = "ack_timeout"  # taken, but no progress recorded since
    POLICE = "police"
    ASSESSMENT = "assessment"  # 12 h from receipt (Art. 26(3))
    PLAN = "plan"  # 5 working days (Art. 28)
    SEPARATION = "separation"  # 15 days (Art. 32)


class StepKind(StrEnum):
    ALERT = "alert"  # "nobody has taken this case": the card, with its buttons
    NOTICE = "notice"  # for people outside the officer list (police, national line): no buttons
    TIMEOUT = "timeout"  # the owner recorded no progress: the case goes back to the unit
    REMINDER = "reminder"  # a deadline approaches
    MISSED = "missed"  # a deadline passed


_DURATION = re.compile(r"^\s*(-?)\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(value: object) -> object:
    """ "90s", "5m", "2h", "1d", "-2h" (or seconds as a number) → timedelta."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        found = _DURATION.match(value)
        if found is None:
            raise PydanticCustomError(
                "wait_unreadable", "'{value}' is not a duration like 30s, 5m, 2h or 1d", {"value": value}
            )
        sign, amount, unit = found.groups()
        delta = timedelta(**{_UNITS[unit]: float(amount)})
        return -delta if sign else delta
    return value


def _format_duration(value: timedelta) -> str:
    """Exact to the microsecond, so that a case's snapshot holds the very waits that were validated."""
    whole, micro = divmod(value // timedelta(microseconds=1), 1_000_000)
    return f"{whole}.{micro:06d}".rstrip("0").rstrip(".") + "s" if micro else f"{whole}s"


def _a_wait(value: timedelta) -> timedelta:
    """Validated once, where the file is read: timers are looked at about once a second, and a snapshot
    that failed to load later would fail every report of its unit."""
    if value < timedelta(0):
        raise PydanticCustomError("wait_negative", "a wait cannot be negative ({value})", {"value": _format_duration(value)})
    if value < timedelta(seconds=1) and value != timedelta(0):
        text = "a wait of {value} is under one second: write 0s or at least 1s"
        raise PydanticCustomError("wait_under_a_second", text, {"value": _format_duration(value)})
    return value


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise PydanticCustomError("wait_zero", "must be longer than zero", {"value": _format_duration(value)})
    return value


WAIT_ERRORS = frozenset({"wait_unreadable", "wait_negative", "wait_under_a_second", "wait_zero"})  # admin-<type> keys
Duration = Annotated[
    timedelta, BeforeValidator(parse_duration), PlainSerializer(_format_duration), AfterValidator(_a_wait)
]
Positive = Annotated[Duration, AfterValidator(_positive)]


def _targets(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepSpec(_Strict):
    after: Duration
    notify: Annotated[tuple[Target, ...], BeforeValidator(_targets), Field(min_length=1)]


class ChainSpec(_Strict):
    """Ordered steps counted from receipt; then the last step again every ``repeat_every``, at most ``repeats`` times."""

    steps: Annotated[tuple[StepSpec, ...], Field(min_length=1)]
    repeat_every: Positive | None = None
    repeats: Annotated[int, Field(ge=0, le=10)] = 0

    @model_validator(mode="after")
    def _ordered(self) -> ChainSpec:
        afters = [s.after for s in self.steps]
        if afters != sorted(afters):
            raise PydanticCustomError("steps_out_of_order", "steps must have 'after' values in increasing order")
        if self.repeats and not self.repeat_every:
            raise PydanticCustomError("repeats_without_every", "'repeats' needs 'repeat_every'")
        return self


def _chain(*steps: tuple[str, tuple[Target, ...]], every: str, repeats: int) -> ChainSpec:
    return ChainSpec.model_validate(
        {"steps": [{"after": a, "notify": n} for a, n in steps], "repeat_every": every, "repeats": repeats}
    )


T = Target


class Policy(_Strict):
    """What a province accepts out of the box (docs/escalation.md); every number can be
    overridden per policy in the deployment file."""

    urgent: ChainSpec = _chain(
        ("0s", (T.GROUP,)), ("5m", (T.DUTY_OFFICER,)), ("10m", (T.BACKUP, T.LEADER)),
        ("15m", (T.PARENT_GROUP,)), ("30m", (T.NATIONAL,)), every="15m", repeats=3,
    )
    normal: ChainSpec = _chain(
        ("0s", (T.GROUP,)), ("30m", (T.DUTY_OFFICER,)), ("1h", (T.BACKUP, T.LEADER)),
        ("2h", (T.PARENT_GROUP,)), every="1h", repeats=2,
    )
    ack_timeout_urgent: Positive = timedelta(hours=1)
    ack_timeout_normal: Positive = timedelta(hours=4)
    assessment_hours: Annotated[float, Field(gt=0, le=72)] = 12  # Art. 26(3); some communes set 8
    plan_working_days: Annotated[int, Field(ge=1, le=30)] = 5  # Art. 28(1)
    separation_days: Annotated[int, Field(ge=1, le=60)] = 15  # Art. 32
    assessment_remind_before: tuple[Positive, ...] = (timedelta(hours=2), timedelta(minutes=30))
    plan_remind_before: tuple[Positive, ...] = (timedelta(days=1),)
    separation_remind_before: tuple[Positive, ...] = (timedelta(days=2),)
    missed_escalate_after: Duration = timedelta(hours=1)  # a missed deadline: leader at once, province after this
    crime_categories: tuple[str, ...] = ("sexual", "trafficking", "exploitation")


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class PlannedStep:
    offset: timedelta  # from the track's anchor (receipt, progress, or the deadline itself)
    notify: tuple[Target, ...]
    kind: StepKind


def _chain_steps(chain: ChainSpec) -> tuple[PlannedStep, ...]:
    steps = [PlannedStep(s.after, s.notify, StepKind.ALERT) for s in chain.steps]
    last = chain.steps[-1]
    for n in range(1, chain.repeats + 1):
        assert chain.repeat_every is not None  # guaranteed by the validator
        steps.append(PlannedStep(last.after + n * chain.repeat_every, last.notify, StepKind.ALERT))
    return tuple(steps)


def _deadline_steps(remind_before: tuple[timedelta, ...], escalate_after: timedelta) -> tuple[PlannedStep, ...]:
    """Anchored at the deadline: reminders before it, the leader at it, the province after it."""
    reminders = [PlannedStep(-r, (T.OWNER,), StepKind.REMINDER) for r in sorted(remind_before, reverse=True)]
    return (
        *reminders,
        PlannedStep(timedelta(0), (T.LEADER, T.OWNER), StepKind.MISSED),
        PlannedStep(escalate_after, (T.PARENT_GROUP,), StepKind.MISSED),
    )


def track_steps(policy: Policy, track: Track, *, urgent: bool) -> tuple[PlannedStep, ...]:
    if track is Track.CHAIN:
        return _chain_steps(policy.urgent if urgent else policy.normal)
    if track is Track.ACK_TIMEOUT:
        wait = policy.ack_timeout_urgent if urgent else policy.ack_timeout_normal
        return (PlannedStep(wait, (T.OWNER, T.DUTY_OFFICER), StepKind.TIMEOUT),)
    if track is Track.POLICE:
        return (PlannedStep(timedelta(0), (T.POLICE,), StepKind.NOTICE),)
    remind = {
        Track.ASSESSMENT: policy.assessment_remind_before,
        Track.PLAN: policy.plan_remind_before,
        Track.SEPARATION: policy.separation_remind_before,
    }[track]
    return _deadline_steps(remind, policy.missed_escalate_after)


@dataclass(frozen=True)
class Next:
    step: int | None  # None: the track is finished
    due: datetime | None


def _due(steps: tuple[PlannedStep, ...], anchor: datetime, index: int) -> Next:
    return Next(index, anchor + steps[index].offset) if index < len(steps) else Next(None, None)


def first_step(steps: tuple[PlannedStep, ...], anchor: datetime, now: datetime) -> Next:
    """Where a new track starts: reminders whose time is already past are not sent late; everything else is."""
    index = 0
    while index < len(steps) and steps[index].kind is StepKind.REMINDER and anchor + steps[index].offset < now:
        index += 1
    return _due(steps, anchor, index)


def plan_next(steps: tuple[PlannedStep, ...], anchor: datetime, done: int, now: datetime, *, skipped: bool) -> Next:
    """After step ``done``: the next step at its time or, in the alert chain, at once if ``done`` reached
    nobody (a step with nobody to tell is skipped, not waited out). Deadline steps keep their times."""
    found = _due(steps, anchor, done + 1)
    if skipped and found.step is not None and steps[found.step].kind is StepKind.ALERT and found.due and found.due > now:
        return Next(found.step, now)
    return found
