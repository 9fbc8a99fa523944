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
from storage.models import Case, CaseMessage, MessageDirection
from storage.units import officer_addresses

__all__ = ["answering_officer", "tell_officer", "tell_officers"]


async def answering_officer(services: Services, session: AsyncSession, case: Case) -> str | None:
    """The officer who last asked the reporter, else the owner, else whoever is on duty."""
    asked = await session.exec(
        select(CaseMessage.officer_id)
        .where(col(CaseMessage.case_id) == case.id, col(CaseMessage.direction) == MessageDirection.TO_REPORTER)
        .order_by(col(CaseMessage.at).desc())
    )
    last = asked.first()
    if last:
        return last
    if case.acknowledged_by:
        return case.acknowledged_by
    shift = await duty_shift(session, case.unit_code, services.clock())
    return shift.officer if shift else None


async def tell_officer(services: Services, session: AsyncSession, case: Case, officer_id: str, message: Outbound) -> bool:
    """Privately, on every channel the officer has; audited, since it may carry the reporter's words."""
    addresses = await officer_addresses(session, services.vault, officer_id)
    for channel, address in addresses:
        await send(services, session, case, Recipient(channel, address, "details"), message)
    if addresses:
        await append_audit(session, action="delivered", officer_id=officer_id, case_id=case.id)
    return bool(addresses)


async def tell_officers(services: Services, session: AsyncSession, case: Case, text: str) -> bool:
    """The reporter wrote: the answering officer reads it in a private chat, never in a group."""
    officer = await answering_officer(services, session, case)
    if officer is None:
        return False
    locale = services.alert_locale
    message = Outbound(t(locale, "officer.reporter_wrote", code=case.code, text=text), (Choice(f"{VIEW}:{case.code}", t(locale, "alert.view")),))
    return await tell_officer(services, session, case, officer, message)
