"""A case's policy snapshot and the Decree-56 deadlines it implies."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.rules.policy import Policy, Track
from handlers.rules.working_days import working_days_deadline
from storage.models import Case, CaseStatus

__all__ = ["STATUS_ORDER", "deadline_of", "policy_of", "reached"]

STATUS_ORDER = list(CaseStatus)


def reached(status: str, milestone: CaseStatus) -> bool:
    return STATUS_ORDER.index(CaseStatus(status)) >= STATUS_ORDER.index(milestone)


def policy_of(case: Case) -> Policy:
    """The snapshot taken when the case was opened: a later change of the file does not move its clocks."""
    return Policy.model_validate_json(case.policy or "{}")


def deadline_of(case: Case, track: Track, *, started: datetime | None = None) -> datetime:
    """Receipt (T0) is the anchor of the 12-hour and 5-working-day clocks; separation counts from its decision."""
    policy = policy_of(case)
    if track is Track.ASSESSMENT:
        return case.received_at + timedelta(hours=policy.assessment_hours)
    if track is Track.PLAN:
        return working_days_deadline(case.received_at, policy.plan_working_days)
    if track is Track.SEPARATION:
        return (started or case.received_at) + timedelta(days=policy.separation_days)
    raise ValueError(f"{track} is not a deadline")
