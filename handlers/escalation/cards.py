"""Where a case's cards go and how they follow it: duty groups, edits in place, re-routing refused cards."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import ACK, VIEW, alert_card
from handlers.i18n import t
from handlers.messages import Channel, Choice, Outbound
from handlers.services import Services
from storage.cases import record_event
from storage.models import Case, CaseStatus, EventKind, Officer, OutboxDigest, OutboxMessage, OutboxState
from storage.outbox import enqueue, link_digest, open_address
from storage.units import alert_unit, ancestors, private_alert_addresses

__all__ = [
    "ALERT",
    "CANCELLED_BY_ACK",
    "DEADLINE",
    "DIGEST_EDIT",
    "DIGEST_MAX",
    "ESCALATION",
    "NOTICE",
    "PRIVATE_ALERT",
    "URGENT_PRIORITY",
    "Recipient",
    "alert_target",
    "digest_card",
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
DIGEST_EDIT = "digest_edit"  # a digest card re-rendered because one of its cases changed
CANCELLED_BY_ACK = (ALERT, PRIVATE_ALERT, ESCALATION)  # "I take it" stops these if they have not gone out
URGENT_PRIORITY = 10
EDIT_PRIORITY = 5
DIGEST_MAX = 20  # cases in one digest: two buttons each stay well within Telegram's keyboard and text limits


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
    if recipient.purpose == PRIVATE_ALERT and services.web_base_url:  # a group card stays minimal
        link = f"{services.web_base_url.rstrip('/')}/case/{case.code}"
        message = replace(message, text=f"{message.text}\n{t(services.alert_locale, 'web.alert_link', link=link)}")
    await enqueue(
        session, services.vault, key_id=case.key_id, channel=recipient.channel, address=recipient.address,
        payload={**message.to_json(), "locale": services.alert_locale}, purpose=recipient.purpose, case_id=case.id,
        priority=URGENT_PRIORITY if case.urgent else 0,
    )


async def digest_card(session: AsyncSession, locale: str, case_ids: list[str]) -> Outbound:
    """One card for several alerts a group could not get one by one (its Telegram limit): a line per case,
    urgent first, and take/view buttons for each; a case someone took shows who, and loses its take button."""
    cases = [c for c in [await session.get(Case, i) for i in dict.fromkeys(case_ids)] if c is not None]
    cases.sort(key=lambda c: (not c.urgent, c.received_at))
    lines, choices = [t(locale, "outbound.digest_title", count=len(cases))], []
    for case in cases:
        category = t(locale, f"step.category.{case.category}")
        line = t(locale, "outbound.digest_urgent" if case.urgent else "outbound.digest_normal", code=case.code, category=category)
        if case.reporter_kind == "child":
            line += " · " + t(locale, "alert.child_self")
        elif case.reporter_kind == "collaborator":
            line += " · " + t(locale, "alert.from_collaborator")
        taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
        if taker is not None:
            line += " — " + t(locale, "outbound.digest_taken", name=taker.name)
        elif case.status == CaseStatus.CLOSED:
            line += " — " + t(locale, "status.closed")
        else:
            choices.append(Choice(f"{ACK}:{case.code}", t(locale, "outbound.digest_take", code=case.code)))
        choices.append(Choice(f"{VIEW}:{case.code}", t(locale, "outbound.digest_view", code=case.code)))
        lines.append(line)
    lines.append(t(locale, "outbound.digest_hint"))
    return Outbound("\n".join(lines), tuple(choices))


async def refresh_cards(services: Services, session: AsyncSession, case: Case, now: datetime) -> None:
    """Edits every group card of the case in place (the 20-per-minute group limit): owner, clock, buttons.
    A case that went out inside a digest gets the whole digest re-rendered, never its own card pasted
    over the other cases."""
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
    digests: set[str] = set()
    for row in alerts.all():
        if (member := await session.get(OutboxDigest, row.id)) is not None:
            digests.add(member.digest_id)
            continue
        address = await open_address(session, services.vault, row)
        if address is None:
            continue
        await enqueue(
            session, services.vault, key_id=case.key_id, channel=row.channel, address=address,
            payload=card, purpose="alert_edit", case_id=case.id, priority=EDIT_PRIORITY, edit_of=row.id,
        )
    for digest_id in sorted(digests):
        await _refresh_digest(services, session, case, digest_id)


async def _refresh_digest(services: Services, session: AsyncSession, case: Case, digest_id: str) -> None:
    anchor = await session.get(OutboxMessage, digest_id)
    address = await open_address(session, services.vault, anchor) if anchor and anchor.state == OutboxState.SENT else None
    if anchor is None or address is None:
        return
    linked = select(OutboxDigest.row_id).where(col(OutboxDigest.digest_id) == digest_id)
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(linked), col(OutboxMessage.purpose) == DIGEST_EDIT, col(OutboxMessage.state) == OutboxState.PENDING)
        .values(state=OutboxState.CANCELLED, payload_ct=None, address_ct=None)
    )
    members = await session.exec(
        select(OutboxMessage.case_id).where(col(OutboxMessage.id).in_(linked), col(OutboxMessage.purpose) == ALERT)
    )
    digest = await digest_card(session, services.alert_locale, [c for c in members.all() if c])
    row = await enqueue(
        session, services.vault, key_id=case.key_id, channel=anchor.channel, address=address,
        payload={**digest.to_json(), "digest": True}, purpose=DIGEST_EDIT, case_id=case.id, priority=EDIT_PRIORITY,
        edit_of=anchor.id,
    )
    await link_digest(session, [row.id], digest_id)


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
