"""The link of an online-content report, told to the focal point's duty group and, in parallel, to
its police contact: defanged, with the platform and the case code, never who reported it."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.cards import NOTICE, Recipient, group_recipients, send
from handlers.i18n import t
from handlers.links import defang
from handlers.messages import Outbound
from handlers.services import Services
from storage.cases import record_event
from storage.models import Case, EventKind
from storage.units import ancestors, contact_addresses

__all__ = ["tell_link"]


async def tell_link(
    services: Services, session: AsyncSession, case: Case, *, link: str, platform: str
) -> None:
    locale = services.alert_locale
    text = t(
        locale,
        "online.notice",
        code=case.code,
        link=defang(link),
        platform=t(locale, f"step.online_platform.{platform}"),
        danger=t(locale, "online.notice_danger" if case.urgent else "online.notice_no_danger"),
    )
    groups = [
        Recipient(r.channel, r.address, NOTICE)
        for r in await group_recipients(services, session, case.unit_code)
    ]
    units = [u.code for u in await ancestors(session, case.unit_code)]
    police = [
        Recipient(ch, addr, NOTICE)
        for ch, addr in await contact_addresses(session, services.vault, "police", units)
    ]
    for recipient in groups + police:
        await send(services, session, case, recipient, Outbound(text))
    told = [name for name, found in (("group", groups), ("police", police)) if found]
    if told:
        await record_event(session, case, EventKind.STEP_SENT, detail=f"online_link: {', '.join(told)}")
    if not police:
        await record_event(
            session, case, EventKind.STEP_SKIPPED, detail="online_link: police(no_police_contact)"
        )
