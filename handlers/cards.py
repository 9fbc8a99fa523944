"""Where a case's cards go and how they follow it: duty groups, edits in place, re-routing refused cards."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts import alert_card
from handlers.messages import Channel, Outbound
from handlers.services import Services
from storage.cases import record_event
from storage.models import Case, EventKind, Officer, OutboxMessage, OutboxState
from storage.outbox import enqueue, open_address
from storage.units import alert_unit, ancestors, private_alert_addresses

__all__ = [
    "ALERT",
    "CANCELLED_BY_ACK",
    "DEADLINE",
    "ESCALATION",
    "NOTICE",
    "PRIVATE_ALERT",
    "URGENT_PRIORITY",
    "Recipient",
    "alert_target",
    "group_recipients",
    "refresh_cards",
    "reroute_alert",
    "send",
]

log = logging.getLogger(__name__)
ALERT = "alert"  # the card in a duty group: kept (sealed address) so it can be edited in place
PRIVATE_ALERT = "private_alert"  # the card to an officer no group reaches (Zalo: no groups for bots)
ESCALATION = "escalation"  # a card to one person because nobody took the case
NOTICE = "notice"  # told, not asked: police, the national line
DEADLINE = "deadline"  # a Decree-56 reminder or missed deadline
CANCELLED_BY_ACK = (ALERT, PRIVATE_ALERT, ESCALATION)  # "I take it" stops these if they have not gone out
URGENT_PRIORITY = 10


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    purpose: str


async def alert_target(services: Services, session: AsyncSession, unit_code: str) -> Recipient | None:
    """The duty group nearest up the tree from the unit, so a unit without one never swallows an alert."""
    unit = await alert_unit(session, unit_code)
    if unit is None or unit.telegram_chat_id is None:
        return None
    return Recipient(Channel.TELEGRAM, str(unit.telegram_chat_id), ALERT)


async def group_recipients(services: Services, session: AsyncSession, unit_code: str) -> list[Recipient]:
    """The unit's duty group, and privately the unit's officers whom no group reaches (Zalo only)."""
    found = [r for r in [await alert_target(services, session, unit_code)] if r is not None]
    private = await private_alert_addresses(session, services.vault, unit_code)
    return found + [Recipient(channel, address, PRIVATE_ALERT) for channel, address in private]


async def send(services: Services, session: AsyncSession, case: Case, recipient: Recipient, message: Outbound) -> None:
    await enqueue(
        session, services.vault, key_id=case.key_id, channel=recipient.channel, address=recipient.address,
        payload={**message.to_json(), "locale": services.alert_locale}, purpose=recipient.purpose, case_id=case.id,
        priority=URGENT_PRIORITY if case.urgent else 0,
    )


async def refresh_cards(services: Services, session: AsyncSession, case: Case, now: datetime) -> None:
    """Edits every group card of the case in place (the 20-per-minute group limit): owner, clock, buttons."""
    taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
    card = alert_card(services.alert_locale, case, now=now, taken_by=taker.name if taker else None).to_json()
    alerts = await session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.case_id) == case.id,
            col(OutboxMessage.purpose) == ALERT,
            col(OutboxMessage.state).in_([OutboxState.SENT, OutboxState.PENDING]),  # refused or cancelled: nothing to edit
        )
    )
    await session.exec(  # an older edit not sent yet would only show a stale state, and costs the group's quota
        update(OutboxMessage)
        .where(
            col(OutboxMessage.case_id) == case.id,
            col(OutboxMessage.purpose) == "alert_edit",
            col(OutboxMessage.state) == OutboxState.PENDING,
        )
        .values(state=OutboxState.CANCELLED, payload_ct=None, address_ct=None)
    )
    for row in alerts.all():
        address = await open_address(session, services.vault, row)
        if address is None:
            continue
        await enqueue(
            session, services.vault, key_id=case.key_id, channel=row.channel, address=address,
            payload=card, purpose="alert_edit", case_id=case.id, priority=5, edit_of=row.id,
        )


async def reroute_alert(services: Services, session: AsyncSession, case_id: str, refused: str) -> None:
    """A card the platform refused for good (bot removed from the group, group deleted) goes to the
    next duty group up the tree, then the fallback unit's: a report must reach a human."""
    case = await session.get(Case, case_id)
    if case is None:
        return
    rows = await session.exec(
        select(OutboxMessage).where(col(OutboxMessage.case_id) == case.id, col(OutboxMessage.purpose) == ALERT)
    )
    tried = {refused} | {a for row in rows.all() if (a := await open_address(session, services.vault, row))}
    chain = [*await ancestors(session, case.unit_code), *await ancestors(session, services.fallback_unit)]
    for unit in chain:
        if unit.telegram_chat_id is not None and str(unit.telegram_chat_id) not in tried:
            card = alert_card(services.alert_locale, case, now=services.clock())
            await send(services, session, case, Recipient(Channel.TELEGRAM, str(unit.telegram_chat_id), ALERT), card)
            await record_event(session, case, EventKind.ALERT_REROUTED)
            return
    log.error("case %s: every duty group refused its card; no group is left to alert", case.code)
