"""When a platform refuses a chat for good, or moves it: the card goes on, the case escalates now, and the
administrators learn which unit's chat is broken (never what the case is about, never anyone's id)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.cards import ALERT, CANCELLED_BY_ACK, reroute_alert
from handlers.i18n import t
from handlers.messages import Channel, Outbound
from handlers.rules.policy import Track
from handlers.services import Services
from storage.cases import record_event
from storage.chat_migrations import record_migration
from storage.models import (
    Case,
    CaseStatus,
    Escalation,
    EscalationState,
    EventKind,
    Officer,
    OfficerIdentity,
    OutboxMessage,
    Unit,
)
from storage.outbox import enqueue
from storage.units import ancestors, officer_addresses, officers_with_role

__all__ = ["ChatProblem", "Refusal", "chat_moved", "refused"]

log = logging.getLogger(__name__)
NOTICE_PREFIX = "outbound_notice"  # purpose of the administrators' notices: "outbound_notice:<unit>:<problem>"
NOTICE_QUIET = timedelta(hours=1)  # a broken group refuses every message; the administrators hear once an hour


class ChatProblem(StrEnum):
    REMOVED = "removed"  # the bot was removed from the group, or the group was deleted
    BLOCKED = "blocked"  # a person's private chat: blocked the bot, or never pressed Start
    NOT_FOUND = "not_found"  # no such chat (a wrong id in the deployment file)
    REFUSED = "refused"  # this message was refused (too long, a card deleted by hand): the chat itself is fine


@dataclass(frozen=True)
class Refusal:
    channel: str
    address: str
    purpose: str
    case_id: str | None
    problem: ChatProblem


async def refused(services: Services, session: AsyncSession, refusal: Refusal) -> None:
    """A card that cannot reach its chat: the next group up gets it and the chain's next step fires now,
    instead of after a wait for someone who will never see the card."""
    case = await session.get(Case, refusal.case_id) if refusal.case_id else None
    if case is not None and refusal.purpose == ALERT:
        await reroute_alert(services, session, case.id, refusal.address)
        await _hasten_chain(services, session, case)
    elif case is not None and refusal.purpose in CANCELLED_BY_ACK and refusal.problem is not ChatProblem.REFUSED:
        await _hasten_chain(services, session, case)  # an officer the bot cannot reach: the next one, now
    if refusal.problem is not ChatProblem.REFUSED and not refusal.purpose.startswith(NOTICE_PREFIX):
        await _tell_admins_of_refusal(services, session, refusal)


async def chat_moved(services: Services, session: AsyncSession, old: str, new: str) -> None:
    """Telegram made the group a supergroup: follow it, and ask the administrators to fix the file (until
    they do, every start re-applies the recorded move)."""
    units = await record_migration(session, int(old), int(new))
    for unit in units:
        await _tell_admins(services, session, unit.code, "moved", "outbound.notice_moved", unit=unit.name, chat=new)
    log.warning("a duty group moved to a supergroup; %d unit(s) now follow the new chat", len(units))


async def _hasten_chain(services: Services, session: AsyncSession, case: Case) -> None:
    if case.status != CaseStatus.RECEIVED:
        return
    now = services.clock()
    hastened = await session.exec(
        update(Escalation)
        .where(
            col(Escalation.case_id) == case.id, col(Escalation.track) == Track.CHAIN,
            col(Escalation.state) == EscalationState.PENDING, col(Escalation.due_at) > now,
        )
        .values(due_at=now)
    )
    if hastened.rowcount:
        await record_event(session, case, EventKind.STEP_SKIPPED, detail="chain: card refused, next step now")


async def _tell_admins_of_refusal(services: Services, session: AsyncSession, refusal: Refusal) -> None:
    if refusal.channel == Channel.TELEGRAM and refusal.address.startswith("-") and refusal.address[1:].isdigit():
        units = (await session.exec(select(Unit).where(col(Unit.telegram_chat_id) == int(refusal.address)))).all()
        key = "outbound.notice_not_found" if refusal.problem is ChatProblem.NOT_FOUND else "outbound.notice_removed"
        for unit in units:
            await _tell_admins(services, session, unit.code, refusal.problem, key, unit=unit.name)
        return
    officer = await _officer_at(services, session, refusal.channel, refusal.address)
    if officer is not None:  # a reporter's chat is theirs to close: nobody is told
        unit = await session.get(Unit, officer.unit_code)
        await _tell_admins(
            services, session, officer.unit_code, f"{refusal.problem}-{officer.id}", "outbound.notice_blocked",
            officer=officer.name, unit=unit.name if unit else officer.unit_code,
        )


async def _officer_at(services: Services, session: AsyncSession, channel: str, address: str) -> Officer | None:
    identities = await session.exec(select(OfficerIdentity).where(col(OfficerIdentity.address_ct).is_not(None)))
    for officer_id in dict.fromkeys(i.officer_id for i in identities.all()):
        if (channel, address) in await officer_addresses(session, services.vault, officer_id):
            return await session.get(Officer, officer_id)
    return None


async def _tell_admins(services: Services, session: AsyncSession, unit_code: str, what: str, key: str, **values: str) -> None:
    """Privately, to the administrators of the unit or above it (else every administrator), at most once
    per ``NOTICE_QUIET`` for the same unit and problem, across processes (the outbox row is the record)."""
    purpose = f"{NOTICE_PREFIX}:{unit_code}:{what}"[:64]
    recent = await session.exec(
        select(OutboxMessage.id).where(
            col(OutboxMessage.purpose) == purpose, col(OutboxMessage.created_at) > services.clock() - NOTICE_QUIET
        )
    )
    if recent.first() is not None:
        return
    admins = [o for u in await ancestors(session, unit_code) for o in await officers_with_role(session, u.code, "admin")]
    if not admins:
        admins = list((await session.exec(select(Officer).where(col(Officer.role) == "admin", col(Officer.active)))).all())
    message = Outbound(t(services.alert_locale, key, **values))
    for admin in admins:
        for channel, address in await officer_addresses(session, services.vault, admin.id):
            key_id = await services.vault.create_key(session)
            await enqueue(
                session, services.vault, key_id=key_id, channel=channel, address=address,
                payload={**message.to_json(), "locale": services.alert_locale}, purpose=purpose,
            )
    if not admins:
        log.error("a chat refuses messages for good and no administrator is declared to be told")
