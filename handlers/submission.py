"""Turning answers into a case: case, timeline and alert committed in one transaction; later answers amend it."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts import alert_card
from handlers.child_flow import CHILD_CATEGORY
from handlers.messages import Channel, Inbound
from handlers.places import place_by_code
from handlers.services import Services
from storage.cases import Submission, amend_case_record, case_by_code, create_case, record_event
from storage.models import Case, CaseStatus, Conversation, EventKind, Officer, OutboxMessage, OutboxState
from storage.outbox import enqueue, open_address
from storage.units import alert_unit, ancestors, private_alert_addresses, route

__all__ = ["ALERT", "alert_target", "amend_case", "open_case", "refresh_cards", "reroute_alert"]

log = logging.getLogger(__name__)
ALERT = "alert"
PRIVATE_ALERT = "private_alert"  # no editable card: platforms without edits or groups (Zalo)
URGENT_PRIORITY = 10


async def alert_target(services: Services, session: AsyncSession, case: Case) -> tuple[str, str]:
    """(channel, address) of the duty group that gets this case's card: the nearest unit up the tree with one."""
    unit = await alert_unit(session, case.unit_code) or await alert_unit(session, services.fallback_unit)
    if unit is None or unit.telegram_chat_id is None:
        raise LookupError("no duty group configured for the case's unit or the fallback unit")
    return Channel.TELEGRAM, str(unit.telegram_chat_id)


def _submission(inbound: Inbound, state: dict[str, Any]) -> Submission:
    answers = state["answers"]
    child = state.get("flow") == "child"
    place = place_by_code(answers["place_code"]) if answers.get("place_code") else None
    contact = answers.get("child_contact" if child else "contact") == "yes"
    detected = bool(answers.get("danger_detected"))
    common = {"locale": state["locale"], "pin": answers.get("pin"), "danger_words": detected}
    if child:
        what = answers.get("child_what")
        category, urgent = (CHILD_CATEGORY[what] if what else "unknown"), answers.get("child_danger") == "yes"
        age_band = sex = "unknown"
        body = {"relation": "self", "description": answers.get("child_more"), **common}
    else:
        category, urgent = answers["category"], answers["danger"] == "yes"
        age_band, sex = answers["age_band"], answers["sex"]
        body = {"relation": answers["relation"], "address": answers.get("address"), "description": answers.get("description"), **common}
    return Submission(
        category=category,
        urgent=urgent or detected,
        age_band=age_band,
        sex=sex,
        place_code=place.code if place else None,
        channel=inbound.channel,
        reporter_kind="child" if child else "adult",
        reporter_handle=inbound.handle,
        contact_allowed=contact,
        body=body,
        reply_address=inbound.reply_address if contact else None,
    )


async def _route(services: Services, session: AsyncSession, submission: Submission) -> str:
    place = place_by_code(submission.place_code) if submission.place_code else None
    unit = await route(
        session,
        place_code=submission.place_code,
        province_code=place.province_code if place else None,
        fallback=services.fallback_unit,
    )
    return unit.code


async def _draft(session: AsyncSession, handle: str) -> tuple[str, str] | None:
    draft = await session.get(Conversation, handle)
    return (handle, draft.key_id) if draft else None


async def _alert(services: Services, session: AsyncSession, case: Case) -> None:
    """The card to the duty group, and privately to the unit's officers whom no group reaches (Zalo)."""
    card = {**alert_card(services.alert_locale, case).to_json(), "locale": services.alert_locale}
    group = await alert_target(services, session, case)
    for channel, address in [group, *await private_alert_addresses(session, services.vault, case.unit_code)]:
        await enqueue(
            session,
            services.vault,
            key_id=case.key_id,
            channel=channel,
            address=address,
            payload=card,
            purpose=ALERT if (channel, address) == group else PRIVATE_ALERT,
            case_id=case.id,
            priority=URGENT_PRIORITY if case.urgent else 0,
        )


async def open_case(services: Services, session: AsyncSession, inbound: Inbound, state: dict[str, Any]) -> str:
    """Creates the case and its alert; returns the case code."""
    submission = _submission(inbound, state)
    unit_code = await _route(services, session, submission)
    draft = await _draft(session, inbound.handle)
    case = await create_case(session, services.vault, submission, unit_code=unit_code, draft=draft)
    await _alert(services, session, case)
    return case.code


async def amend_case(services: Services, session: AsyncSession, inbound: Inbound, state: dict[str, Any]) -> None:
    """Applies later answers to the open case; a newly known commune re-routes a case nobody has taken yet."""
    case = await case_by_code(session, state["case_code"])
    if case is None or case.reporter_handle != inbound.handle:
        return
    submission = _submission(inbound, state)
    shown_before = (case.category, case.urgent, case.place_code)
    await amend_case_record(session, services.vault, case, submission, draft=await _draft(session, inbound.handle))
    if (case.category, case.urgent, case.place_code) != shown_before:  # cards show only clear fields
        await refresh_cards(services, session, case)
    unit_code = await _route(services, session, submission)
    if unit_code != case.unit_code and case.status == CaseStatus.RECEIVED:
        before = await alert_target(services, session, case)
        case.unit_code = unit_code
        session.add(case)
        await session.flush()
        if await alert_target(services, session, case) != before:
            await _alert(services, session, case)


async def refresh_cards(services: Services, session: AsyncSession, case: Case) -> None:
    """Edits every card of the case in place, where it was posted (the 20-per-minute group limit)."""
    taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
    card = alert_card(services.alert_locale, case, taken_by=taker.name if taker else None).to_json()
    alerts = await session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.case_id) == case.id,
            col(OutboxMessage.purpose) == ALERT,
            col(OutboxMessage.state) != OutboxState.FAILED,  # a refused card has nothing to edit
        )
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
            await enqueue(
                session, services.vault, key_id=case.key_id, channel=Channel.TELEGRAM,
                address=str(unit.telegram_chat_id), payload=alert_card(services.alert_locale, case).to_json(),
                purpose=ALERT, case_id=case.id, priority=URGENT_PRIORITY,
            )
            await record_event(session, case, EventKind.ALERT_REROUTED)
            return
    log.error("case %s: every duty group refused its card; no group is left to alert", case.code)
