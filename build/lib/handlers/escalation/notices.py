"""Private messages to the officers of a case: who answers for it right now."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import VIEW
from handlers.escalation.cards import Recipient, send
from handlers.escalation.duty import duty_shift
from handlers.i18n import t
from handlers.messages import Choice, Outbound
from handlers.services import Services
from storage.audit import append_audit
from storage.cases import may_read
from storage.models import Case, CaseMessage, MessageDirection, Officer
from storage.units import officer_addresses

__all__ = ["answering_officer", "answering_officers", "tell_officer", "tell_officers"]


async def answering_officers(services: Services, session: AsyncSession, case: Case) -> list[str]:
    """Who reads the reporter's words now: the latest asker who still answers for the case, and the owner
    (none: whoever is on duty for the case's unit now) — each only while they may read the case, by the
    case page's rule. An asker answers for it while they steer it: its owner, or a leader or supervisor.
    So a transfer, a reassignment or a release voids the questions of whoever lost the case, and the
    words go to whoever has it now (nobody: the case is "received" again, its chain calling for someone)."""
    found: list[str] = []
    asked = await session.exec(
        select(CaseMessage.officer_id)
        .where(col(CaseMessage.case_id) == case.id, col(CaseMessage.direction) == MessageDirection.TO_REPORTER)
        .order_by(col(CaseMessage.at).desc())
    )
    for asker in dict.fromkeys(officer_id for officer_id in asked.all() if officer_id):
        officer = await session.get(Officer, asker)
        steers = officer is not None and (officer.id == case.acknowledged_by or officer.role in ("leader", "supervisor"))
        if officer is not None and steers and await may_read(session, officer, case):
            found.append(officer.id)
            break
    holder_id = case.acknowledged_by
    if holder_id is None:
        shift = await duty_shift(session, case.unit_code, services.clock())
        holder_id = shift.officer if shift else None
    holder = await session.get(Officer, holder_id) if holder_id else None
    if holder is not None and holder.id not in found and await may_read(session, holder, case):
        found.append(holder.id)
    return found


async def answering_officer(services: Services, session: AsyncSession, case: Case) -> str | None:
    """The first of them: the one a notice about the case goes to."""
    return next(iter(await answering_officers(services, session, case)), None)


async def tell_officer(services: Services, session: AsyncSession, case: Case, officer_id: str, message: Outbound) -> bool:
    """Privately, on every channel the officer has; audited, since it may carry the reporter's words."""
    addresses = await officer_addresses(session, services.vault, officer_id)
    for channel, address in addresses:
        await send(services, session, case, Recipient(channel, address, "details"), message)
    if addresses:
        await append_audit(session, action="delivered", officer_id=officer_id, case_id=case.id)
    return bool(addresses)


async def tell_officers(services: Services, session: AsyncSession, case: Case, text: str) -> bool:
    """The reporter wrote: the answering officers read it in a private chat, never in a group."""
    locale = services.alert_locale
    message = Outbound(t(locale, "officer.reporter_wrote", code=case.code, text=text), (Choice(f"{VIEW}:{case.code}", t(locale, "alert.view")),))
    told = [await tell_officer(services, session, case, officer, message) for officer in await answering_officers(services, session, case)]
    return any(told)
