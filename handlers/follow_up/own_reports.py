"""A collaborator's own reports and where each stands, without code and secret: the chat they write from
is one of their declared accounts, which is what a code and secret prove for anyone else."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import local_time
from handlers.follow_up.relay import plain_status
from handlers.i18n import t
from handlers.messages import Outbound
from handlers.services import Services
from storage.collaborators import collaborator_by_handle, own_cases

__all__ = ["OWN_REPORTS_COMMANDS", "own_reports"]

OWN_REPORTS_COMMANDS = frozenset({"cuatoi", "mine"})
SHOWN = 20


async def own_reports(services: Services, session: AsyncSession, handle: str, locale: str) -> Outbound:
    """Code, day, kind of harm and the plain status of each (never an officer's name or a note)."""
    collaborator = await collaborator_by_handle(session, services.pepper, handle)
    if collaborator is None:
        return Outbound(t(locale, "collab.not_collaborator"))
    cases = await own_cases(session, services.vault, services.pepper, collaborator.id, limit=SHOWN)
    if not cases:
        return Outbound(t(locale, "collab.no_reports"))
    lines = [t(locale, "collab.reports_title", count=len(cases))]
    for case in cases:
        category = t(locale, f"step.category.{case.category}")
        lines.append(t(locale, "collab.report_line", code=case.code, at=local_time(case.received_at), category=category,
                       status=plain_status(locale, case)))
    return Outbound("\n".join(lines))
