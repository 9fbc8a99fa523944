"""The handling indicators (time to acknowledge, assessed in time, overdue, escalated), per case once."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.rules.deadlines import deadline_of, reached
from handlers.rules.policy import Track
from handlers.statistics.cases import CaseRow
from handlers.statistics.numbers import Share
from storage.models import Case, CaseStatus

__all__ = ["Facts", "Indicators", "facts_of", "indicators_of", "nearest_rank"]


@dataclass(frozen=True)
class Indicators:
    cases: int
    acknowledged: int
    ack_median_minutes: float | None
    ack_p90_minutes: float | None
    clock_over: int  # assessed, or the assessment clock has run out: the share's denominator
    assessed_in_time: int
    assessed_share: float | None  # percent, one decimal
    overdue: int
    escalated: int


@dataclass(frozen=True)
class Facts:
    """What the indicators need from one case, worked out once."""

    ack_minutes: float | None
    clock_over: bool
    in_time: bool
    overdue: bool


def facts_of(row: CaseRow, now: datetime) -> Facts:
    clocks = Case(received_at=row.received_at, policy=row.policy)  # deadline_of reads only these two columns
    assessment, plan = deadline_of(clocks, Track.ASSESSMENT), deadline_of(clocks, Track.PLAN)
    is_open = row.status != CaseStatus.CLOSED
    late_assessment = row.assessed_at is None and now > assessment
    late_plan = not reached(row.status, CaseStatus.PLAN_DRAFTED) and now > plan
    waited = row.first_acknowledged_at - row.received_at if row.first_acknowledged_at else None
    return Facts(
        ack_minutes=waited.total_seconds() / 60 if waited is not None else None,
        clock_over=row.assessed_at is not None or now > assessment,
        in_time=row.assessed_at is not None and row.assessed_at <= assessment,
        overdue=is_open and (late_assessment or late_plan),
    )


def nearest_rank(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: always a time some case really took, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def indicators_of(rows: Sequence[CaseRow], facts: Sequence[Facts]) -> Indicators:
    waits = [f.ack_minutes for f in facts if f.ack_minutes is not None]
    clock_over = sum(f.clock_over for f in facts)
    in_time = sum(f.in_time for f in facts)
    return Indicators(
        cases=len(rows),
        acknowledged=len(waits),
        ack_median_minutes=round(statistics.median(waits), 1) if waits else None,
        ack_p90_minutes=round(nearest_rank(waits, 0.9), 1) if waits else None,
        clock_over=clock_over,
        assessed_in_time=in_time,
        assessed_share=Share(round(100 * in_time / clock_over, 1)) if clock_over else None,
        overdue=sum(f.overdue for f in facts),
        escalated=sum(r.escalated for r in rows),
    )
