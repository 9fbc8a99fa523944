"""Turning a finished draft into a case: case, timeline and alert committed in one transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts import alert_card
from handlers.messages import Channel, Inbound
from handlers.places import place_by_code
from handlers.services import Services
from storage.cases import Submission, create_case
from storage.models import Case, Conversation
from storage.outbox import enqueue
from storage.units import alert_unit, route

__all__ = ["ALERT", "alert_target", "submit_report"]

ALERT = "alert"
URGENT_PRIORITY = 10


async def alert_target(services: Services, session: AsyncSession, case: Case) -> tuple[str, str]:
    """(channel, address) of the duty group that gets this case's card: the nearest unit up the tree with one."""
    unit = await alert_unit(session, case.unit_code) or await alert_unit(session, services.fallback_unit)
    if unit is None or unit.telegram_chat_id is None:
        raise LookupError("no duty group configured for the case's unit or the fallback unit")
    return Channel.TELEGRAM, str(unit.telegram_chat_id)


async def submit_report(
    services: Services, session: AsyncSession, inbound: Inbound, state: dict[str, Any]
) -> tuple[str, bool, bool]:
    answers = state["answers"]
    place = place_by_code(answers["place_code"]) if answers.get("place_code") else None
    contact = answers.get("contact") == "yes"
    submission = Submission(
        category=answers["category"],
        urgent=answers["danger"] == "yes",
        age_band=answers["age_band"],
        sex=answers["sex"],
        place_code=place.code if place else None,
        channel=inbound.channel,
        reporter_kind="adult",
        reporter_handle=inbound.handle,
        contact_allowed=contact,
        body={k: answers.get(k) for k in ("relation", "pin", "address", "description")} | {"locale": state["locale"]},
        reply_address=inbound.reply_address if contact else None,
    )
    unit = await route(
        session,
        place_code=submission.place_code,
        province_code=place.province_code if place else None,
        fallback=services.fallback_unit,
    )
    draft = await session.get(Conversation, inbound.handle)
    case = await create_case(
        session,
        services.vault,
        submission,
        unit_code=unit.code,
        draft=(inbound.handle, draft.key_id) if draft else None,
    )
    channel, address = await alert_target(services, session, case)
    await enqueue(
        session,
        services.vault,
        key_id=case.key_id,
        channel=channel,
        address=address,
        payload=alert_card(services.alert_locale, case).to_json(),
        purpose=ALERT,
        case_id=case.id,
        priority=URGENT_PRIORITY if case.urgent else 0,
    )
    return case.code, case.urgent, contact
