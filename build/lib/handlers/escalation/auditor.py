"""The timers' own watchdog: a step late by more than a minute pages the province (a missed timer is
worse than a duplicate), once per late row."""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.escalation.alerts import duration_text
from handlers.escalation.cards import NOTICE, Recipient, send
from handlers.i18n import t
from handlers.messages import Channel, Outbound
from handlers.services import Services
from storage.cases import record_event
from storage.escalation import overdue
from storage.models import Case, EventKind
from storage.units import ancestors

__all__ = ["GRACE", "page_overdue"]

log = logging.getLogger(__name__)
GRACE = timedelta(minutes=1)


async def page_overdue(services: Services, *, grace: timedelta = GRACE) -> int:
    now = services.clock()
    paged = 0
    async with services.db.transaction() as session:
        for row in await overdue(session, now, grace=grace):
            case = await session.get(Case, row.case_id)
            if case is None:
                continue
            groups = [u for u in await ancestors(session, case.unit_code) if u.telegram_chat_id is not None]
            log.error("case %s: %s step %d is %s late", case.code, row.track, row.step, now - (row.due_at or now))
            row.paged_at = now
            session.add(row)
            await record_event(session, case, EventKind.OVERDUE_PAGED, detail=f"{row.track}#{row.step}")
            if groups:
                text = t(services.alert_locale, "escalation.overdue_page", code=case.code,
                         late=duration_text(services.alert_locale, now - (row.due_at or now)))
                await send(services, session, case, Recipient(Channel.TELEGRAM, str(groups[-1].telegram_chat_id), NOTICE), Outbound(text))
            paged += 1
    return paged
