"""Turning answers into a case: case, timeline and alert committed in one transaction; later answers amend it."""

from __future__ import annotations

import asyncio

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.cards import alert_target, refresh_cards
from handlers.escalation.engine import restart_chain
from handlers.escalation.notices import tell_officers
from handlers.intake.abuse import admit
from handlers.intake.child_flow import CHILD_CATEGORY
from handlers.intake.online_flow import ONLINE_CATEGORY
from handlers.intake.report_flow import COLLABORATOR
from handlers.messages import Inbound
from handlers.places import place_by_code
from handlers.services import Services
from handlers.state import ConversationState, Urgency
from storage.cases import Submission, amend_case_record, case_by_code, create_case, record_event
from storage.crypto import hash_secret, new_reporter_secret
from storage.follow_up import add_message
from storage.models import Case, CaseStatus, Conversation, EventKind, MessageDirection
from storage.units import route

__all__ = ["amend_case", "open_case", "raise_to_urgent"]


def _submission(inbound: Inbound, state: ConversationState) -> Submission:
    answers = state.answers
    child = state.flow == "child"
    place = place_by_code(answers["place_code"]) if answers.get("place_code") else None
    contact = answers.get("child_contact" if child else "contact") == "yes"
    common = {"locale": state.locale, "pin": answers.get("pin"), "danger_words": Urgency.SAID in state.urgency}
    if child:
        what = answers.get("child_what")
        category = CHILD_CATEGORY[what] if what else "unknown"
        age_band = sex = "unknown"
        body = {"relation": "self", "description": answers.get("child_more"), **common}
    elif state.flow == "online":  # the link is sealed in the body like any narrative
        category, age_band, sex = ONLINE_CATEGORY, "unknown", "unknown"
        body = {"relation": "other", "online_link": answers.get("online_link"), "online_platform": answers.get("online_platform"), **common}
    else:  # an urgent case opens before the flow is through (danger words): what is not known yet is unknown
        category = answers.get("category") or "unknown"
        age_band, sex = answers.get("age_band") or "unknown", answers.get("sex") or "unknown"
        body = {"relation": answers.get("relation"), "address": answers.get("address"), "description": answers.get("description"), **common}
    setting = answers.get("setting") if state.flow == "report" else None  # the child's flow asks nothing more
    return Submission(
        category=category,
        urgent=state.urgent,
        age_band=age_band,
        sex=sex,
        place_code=place.code if place else None,
        channel=inbound.channel,
        reporter_kind="child" if child else COLLABORATOR if answers.get("source") == COLLABORATOR else "adult",
        reporter_handle=inbound.handle,
        contact_allowed=contact,
        body=body,
        reply_address=inbound.reply_address if contact else None,
        setting=setting,
    )


async def _route(services: Services, session: AsyncSession, submission: Submission) -> str:
    if submission.category == ONLINE_CATEGORY and services.online_unit:
        return services.online_unit  # one focal point for the province's online reports
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


async def open_case(services: Services, session: AsyncSession, inbound: Inbound, state: ConversationState) -> tuple[str, str]:
    """Creates the case and its alert (unless it is a duplicate or held in a flood, see handlers/intake/abuse.py);
    returns the case code and the reporter's follow-up secret, shown once and kept only as a peppered hash."""
    secret = new_reporter_secret()
    secret_hash = await asyncio.to_thread(hash_secret, secret, services.pepper)  # scrypt, ~4 ms: off the loop
    submission = _submission(inbound, state)
    unit_code = await _route(services, session, submission)
    draft = await _draft(session, inbound.handle)
    case = await create_case(
        session, services.vault, submission, unit_code=unit_code, draft=draft, received_at=services.clock()
    )
    case.secret_hash = secret_hash
    session.add(case)
    await admit(services, session, case)
    return case.code, secret


async def amend_case(services: Services, session: AsyncSession, inbound: Inbound, state: ConversationState) -> None:
    """Applies later answers to the open case; a newly known commune re-routes a case nobody has taken yet."""
    case = await case_by_code(session, state.case.code) if state.case else None
    if case is None or case.reporter_handle != inbound.handle:
        return
    submission = _submission(inbound, state)
    shown_before = (case.category, case.urgent, case.place_code, case.age_band, case.sex)
    await amend_case_record(session, services.vault, case, submission, draft=await _draft(session, inbound.handle))
    if (case.category, case.urgent, case.place_code, case.age_band, case.sex) != shown_before:  # cards show only clear fields
        await refresh_cards(services, session, case, services.clock())
    unit_code = await _route(services, session, submission)
    if case.status != CaseStatus.RECEIVED:
        return
    before = await alert_target(services, session, case.unit_code)
    case.unit_code = unit_code
    session.add(case)
    await session.flush()
    moved = await alert_target(services, session, case.unit_code) != before  # the new unit's group and escalation
    if moved or (case.urgent and not shown_before[1]):  # or danger said later: the urgent chain, from now
        await restart_chain(services, session, case)


async def raise_to_urgent(services: Services, session: AsyncSession, case: Case, words: str) -> None:
    """Danger said after the report was in: the case is urgent from now on and its cards say so, a case
    nobody has taken calls the urgent chain again, and whoever answers for it reads the words privately."""
    now = services.clock()
    if not case.urgent:
        case.urgent = True
        session.add(case)
        await record_event(session, case, EventKind.URGENT_RAISED)
        await refresh_cards(services, session, case, now)
        if case.status == CaseStatus.RECEIVED:
            await restart_chain(services, session, case)
    words = words[: services.limits.max_description_chars]
    await add_message(session, services.vault, case, direction=MessageDirection.FROM_REPORTER, text=words, officer_id=None, at=now)
    await record_event(session, case, EventKind.REPORTER_ADDED)
    await tell_officers(services, session, case, words)
