"""At each change of duty the new duty officer is told, privately, which cases of the unit are open."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.escalation.alerts import clock_line, local_time
from handlers.escalation.duty import duty_shift
from handlers.i18n import for_channel, t
from handlers.messages import Outbound
from handlers.services import Services
from storage.models import Case, CaseStatus, Unit
from storage.outbox import enqueue
from storage.rosters import record_handoff, units_with_rosters
from storage.units import officer_addresses

__all__ = ["announce_handoffs", "handoff_message"]


def handoff_message(services: Services, unit: Unit, until: str, cases: list[Case], *, channel: str = "") -> Outbound:
    locale, now = services.alert_locale, services.clock()
    lines = [t(locale, "roster.handoff", unit=unit.name, until=until)]
    for case in cases:
        status = t(locale, f"status.{case.status}")
        lines.append(f"• {case.code} — {status}" + (f" — {clock}" if (clock := clock_line(locale, case, now)) else ""))
    lines.append(t(locale, for_channel("roster.handoff_open", channel), count=len(cases)) if cases else t(locale, "roster.handoff_none"))
    return Outbound("\n".join(lines))


async def announce_handoffs(services: Services) -> int:
    """Once per change (the stored last duty officer is compared and swapped in the same transaction)."""
    now, told = services.clock(), 0
    async with services.db.transaction() as session:
        for unit_code in await units_with_rosters(session):
            shift = await duty_shift(session, unit_code, now)
            officer = shift.officer if shift else None
            if not await record_handoff(session, unit_code, officer, now) or officer is None or shift is None:
                continue
            unit = await session.get(Unit, unit_code)
            query = select(Case).where(col(Case.unit_code) == unit_code, col(Case.status) != CaseStatus.CLOSED)
            cases = list((await session.exec(query.order_by(col(Case.urgent).desc(), col(Case.received_at)))).all())
            if unit is None:
                continue
            key_id = await services.vault.create_key(session)
            for channel, address in await officer_addresses(session, services.vault, officer):
                message = handoff_message(services, unit, local_time(shift.ends), cases, channel=channel)
                await enqueue(session, services.vault, key_id=key_id, channel=channel, address=address,
                              payload={**message.to_json(), "locale": services.alert_locale}, purpose="handoff")
            told += 1
    return told
