"""Abuse of the reporting channel: per-person limits, floods of new accounts, and the same report twice.

None of it may hold back danger: callers exempt "danger now", danger words and wiping (handlers/intake/turn.py),
and ``admit`` alerts every urgent case at once whatever else it decides.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import VIEW, local_time
from handlers.escalation.cards import Recipient, group_recipients, send
from handlers.escalation.engine import start_escalation
from handlers.escalation.notices import answering_officer, tell_officer
from handlers.i18n import t
from handlers.messages import Channel, Choice, Outbound
from handlers.services import Services
from storage.abuse import (
    administrators,
    claim_notice,
    count_held,
    earlier_open_case,
    has_earlier_report,
    new_reporter_reports,
    reports_since,
    set_notice_card,
)
from storage.cases import record_event
from storage.follow_up import add_message
from storage.models import Case, EventKind, MessageDirection, OutboxMessage, OutboxState
from storage.outbox import enqueue
from storage.units import alert_unit, officer_addresses

__all__ = ["FLOOD_NOTICE", "Pace", "admit", "daily_limit_reached", "message_pace"]

log = logging.getLogger(__name__)
FLOOD_NOTICE = "flood_notice"  # the duty group's one card per flood window
FLOOD_NOTICE_EDIT = "flood_notice_edit"  # its count, edited in place
FLOOD_WARNING = "flood_warning"  # the administrators' private warning
ADMINS = "admins"  # the flood-notice scope of the administrators' warning
DAY = timedelta(hours=24)


class Pace(StrEnum):
    OK = "ok"
    TOLD = "told"  # just went over the limit: answered kindly, once per window
    QUIET = "quiet"  # still over it: not answered, so a flood of messages gets no flood of replies


async def message_pace(services: Services, handle: str) -> Pace:
    limit = services.abuse.max_messages
    if not limit:
        return Pace.OK
    count = await services.counter.hit(f"msg:{handle}", services.abuse.message_window_seconds)
    return Pace.OK if count <= limit else Pace.TOLD if count == limit + 1 else Pace.QUIET


async def daily_limit_reached(services: Services, session: AsyncSession, handle: str) -> bool:
    """Counted from the database, so every worker agrees and a restart forgets nothing."""
    limit = services.abuse.max_reports_per_day
    return bool(limit) and await reports_since(session, handle, services.clock() - DAY) >= limit


async def admit(services: Services, session: AsyncSession, case: Case) -> None:
    """How a new case reaches officers: linked to the same person's open report about the same child in
    the same commune (its officer told privately), held during a flood, or alerted as usual (its
    escalation started). An urgent case always alerts at once."""
    first = await _linkable(services, session, case)
    if first is not None:
        if not await _link(services, session, case, first):
            return
    elif await _held_in_flood(services, session, case):
        await start_escalation(services, session, case, held=True)
        return
    await start_escalation(services, session, case)


# --- the same report twice ------------------------------------------------------------------------
async def _linkable(services: Services, session: AsyncSession, case: Case) -> Case | None:
    hours = services.abuse.duplicate_window_hours
    if not hours:
        return None
    return await earlier_open_case(session, case, services.clock() - timedelta(hours=hours))


def _raises_stakes(services: Services, case: Case, first: Case) -> bool:
    """Alerts anyway: danger never waits, and a suspected crime the first report did not name must reach the police."""
    crimes = services.policy_for(case.unit_code).crime_categories
    return case.urgent or (case.category in crimes and first.category not in crimes)


async def _link(services: Services, session: AsyncSession, case: Case, first: Case) -> bool:
    """The first case's officers learn of it: a note on its page, and privately whoever answers for it.
    True when the new report needs its own card all the same: it raises the stakes, or nobody answers for
    the first case (no owner, nobody on duty, its chain maybe spent), so a private word would reach nobody."""
    case.duplicate_of = first.id
    session.add(case)
    await record_event(session, case, EventKind.LINKED_DUPLICATE, detail=first.code)
    await record_event(session, first, EventKind.REPORTER_ADDED, detail=case.code)
    officer = await answering_officer(services, session, first)
    if officer is not None and not await officer_addresses(session, services.vault, officer):
        officer = None  # an officer with no private chat (terminal only) cannot be told either
    if _raises_stakes(services, case, first):
        key = "abuse.duplicate_alerted"
    else:
        key = "abuse.duplicate_linked" if officer else "abuse.duplicate_unheard"
    locale, now = services.alert_locale, services.clock()
    text = t(locale, key, first=first.code, code=case.code)
    await add_message(session, services.vault, first, direction=MessageDirection.NOTE, text=text, officer_id=None, at=now)
    if officer is not None:
        view = (Choice(f"{VIEW}:{case.code}", t(locale, "alert.view")),)
        await tell_officer(services, session, first, officer, Outbound(text, view))
    return key != "abuse.duplicate_linked"


# --- floods of new accounts -----------------------------------------------------------------------
def _window(services: Services) -> tuple[datetime, datetime]:
    """The fixed flood window ``now`` falls in: notices are claimed once per window."""
    seconds = services.abuse.flood_window_minutes * 60
    start = int(services.clock().timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(start + seconds, UTC)


async def _held_in_flood(services: Services, session: AsyncSession, case: Case) -> bool:
    """During a flood the administrators are warned once, each duty group gets one notice card whose
    count grows, and the first report of the window per group alerts as usual (its chain pages someone
    once); the other non-urgent first-ever reports get no card and no page, only their Decree-56 clocks."""
    threshold = services.abuse.flood_new_reporters
    if not threshold or await has_earlier_report(session, case):
        return False
    since = services.clock() - timedelta(minutes=services.abuse.flood_window_minutes)
    count = await new_reporter_reports(session, since)
    if count <= threshold:
        return False
    start, end = _window(services)
    if await claim_notice(session, ADMINS, start, case_id=case.id):
        await _warn_administrators(services, session, case, count, end)
    unit = await alert_unit(session, case.unit_code)
    scope = f"group:{unit.code if unit else case.unit_code}"
    if await claim_notice(session, scope, start, case_id=case.id):
        await _post_notice(services, session, case, scope, start, end)
        return False
    if case.urgent:
        return False
    notice = await count_held(session, scope, start)
    await record_event(session, case, EventKind.STEP_SKIPPED, detail=f"chain: held, flood of new reporters ({scope})")
    if notice is not None and notice.outbox_id and notice.case_id:
        await _edit_notice(services, session, notice.case_id, notice.outbox_id, notice.held, end)
    return True


async def _warn_administrators(services: Services, session: AsyncSession, case: Case, count: int, end: datetime) -> None:
    locale = services.alert_locale
    text = t(locale, "abuse.flood_admin", count=count, minutes=services.abuse.flood_window_minutes, until=local_time(end))
    told = 0
    for admin in await administrators(session):
        for channel, address in await officer_addresses(session, services.vault, admin.id):
            await send(services, session, case, Recipient(channel, address, FLOOD_WARNING), Outbound(text))
            told += 1
    if not told:
        log.error("flood of new reporters (%d in %d min) and no administrator with a private chat to warn",
                  count, services.abuse.flood_window_minutes)


def _notice(services: Services, held: int, end: datetime) -> Outbound:
    return Outbound(t(services.alert_locale, "abuse.flood_notice", held=held, until=local_time(end)))


async def _post_notice(services: Services, session: AsyncSession, case: Case, scope: str, start: datetime, end: datetime) -> None:
    payload = {**_notice(services, 0, end).to_json(), "locale": services.alert_locale}
    for recipient in await group_recipients(services, session, case.unit_code):
        row = await enqueue(
            session, services.vault, key_id=case.key_id, channel=recipient.channel, address=recipient.address,
            payload=payload, purpose=FLOOD_NOTICE, case_id=case.id,
        )
        if recipient.channel == Channel.TELEGRAM:  # a group card can be edited in place; a Zalo message cannot
            await set_notice_card(session, scope, start, row.id)


async def _edit_notice(services: Services, session: AsyncSession, case_id: str, card_id: str, held: int, end: datetime) -> None:
    """Only the newest count matters: an older edit not sent yet is cancelled (the group's 20-per-minute quota)."""
    card = await session.get(OutboxMessage, card_id)
    head = await session.get(Case, case_id)
    group = await alert_unit(session, head.unit_code) if head is not None else None
    if card is None or head is None or group is None or group.telegram_chat_id is None:
        return
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.case_id) == case_id, col(OutboxMessage.purpose) == FLOOD_NOTICE_EDIT,
               col(OutboxMessage.state) == OutboxState.PENDING)
        .values(state=OutboxState.CANCELLED, payload_ct=None, address_ct=None)
    )
    await enqueue(
        session, services.vault, key_id=head.key_id, channel=Channel.TELEGRAM, address=str(group.telegram_chat_id),
        payload={**_notice(services, held, end).to_json(), "locale": services.alert_locale},
        purpose=FLOOD_NOTICE_EDIT, case_id=case_id, edit_of=card_id,
    )
