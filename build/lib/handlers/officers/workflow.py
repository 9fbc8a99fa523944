"""The Decree-56 steps an officer may move a case along, and what each step does to the clocks."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.engine import progressed, start_deadline, stop_deadline
from handlers.rules.deadlines import policy_of
from handlers.rules.policy import Track
from handlers.services import Services
from storage.cases import record_event
from storage.models import Case, CaseStatus, EventKind, Officer

__all__ = ["NEXT_STATUS", "STATUS_ACTIONS", "change_status", "extend_separation"]

S = CaseStatus
# From each status, where an officer may take it next (closing with an outcome comes with the case view).
NEXT_STATUS: dict[CaseStatus, tuple[CaseStatus, ...]] = {
    S.ACKNOWLEDGED: (S.ASSESSED,),
    S.ASSESSED: (S.PROTECTING, S.DETAILED_ASSESSMENT),
    S.PROTECTING: (S.DETAILED_ASSESSMENT,),
    S.DETAILED_ASSESSMENT: (S.PLAN_DRAFTED,),
    S.PLAN_DRAFTED: (S.PLAN_APPROVED,),
    S.PLAN_APPROVED: (S.MONITORING,),
}
STATUS_ACTIONS = {f"to_{status}": status for status in {s for targets in NEXT_STATUS.values() for s in targets}}


async def change_status(services: Services, session: AsyncSession, case: Case, officer: Officer, target: CaseStatus) -> bool:
    """False when the move is not allowed from where the case is (a stale button, a forged press)."""
    if target not in NEXT_STATUS.get(CaseStatus(case.status), ()):
        return False
    now = services.clock()
    case.status = target
    if target is S.ASSESSED:
        case.assessed_at = now
        await stop_deadline(services, session, case, Track.ASSESSMENT, officer.id)
    elif target is S.PROTECTING:  # emergency protection or temporary separation: 15 days unless extended
        await start_deadline(services, session, case, Track.SEPARATION)
    elif target is S.PLAN_DRAFTED:
        await stop_deadline(services, session, case, Track.PLAN, officer.id)
    elif target is S.MONITORING:
        await stop_deadline(services, session, case, Track.SEPARATION, officer.id)
    session.add(case)
    await record_event(session, case, EventKind.STATUS_CHANGED, officer.id, detail=str(target))
    await progressed(services, session, case)
    return True


async def extend_separation(services: Services, session: AsyncSession, case: Case, officer: Officer) -> bool:
    """A competent authority extended the temporary separation: its clock runs again, from the old end."""
    if case.status != S.PROTECTING:
        return False
    days = policy_of(case).separation_days
    await start_deadline(services, session, case, Track.SEPARATION, extend_by=days)
    await record_event(session, case, EventKind.STATUS_CHANGED, officer.id, detail=f"separation extended {days}d")
    await progressed(services, session, case)
    return True
