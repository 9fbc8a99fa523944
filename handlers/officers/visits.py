"""Asking one of the commune's collaborators (cộng tác viên) for a home visit: a private message with the
case's facts (code, kind of harm, urgency, the child's age band and sex, the commune, and the address only
if the officer chooses), never the reporter's words, sent through the outbox and put on the timeline."""

from __future__ import annotations

import re

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import local_time
from handlers.i18n import t
from handlers.messages import Choice, Outbound
from handlers.places import place_by_code
from handlers.services import Reply, Services
from storage.cases import open_body, record_event
from storage.collaborators import collaborator_addresses, collaborators_of
from storage.models import Case, CaseStatus, Collaborator, EventKind, Officer
from storage.outbox import enqueue
from storage.vault import KeyShredded

__all__ = ["VISIT", "choose_visit", "request_visit", "visit_message", "visit_options", "visit_tools"]

VISIT = "visit"
VISIT_PRIORITY = 5  # as an officer's private notice: after a person waiting for an answer and an urgent card
_ARG = re.compile(r"^(\d{1,3})(a?)$")  # "2": the second collaborator; "2a": and tell them the address


def _may_ask(officer: Officer, case: Case) -> bool:
    """The case's own commune asks its own collaborators: not a unit above it, and not on a closed case;
    like any step, the owner or a leader (OfficerActions checks that before this)."""
    return officer.unit_code == case.unit_code and case.status != CaseStatus.CLOSED


def _offered(officer: Officer, case: Case) -> bool:
    return _may_ask(officer, case) and (case.acknowledged_by == officer.id or officer.role != "officer")


def visit_options(locale: str, collaborators: list[Collaborator]) -> list[tuple[str, str]]:
    """(number, "name — village"): numbered in the stable order of ``collaborators_of``."""
    return [(str(i), t(locale, "visit.option", name=c.name, village=c.village)) for i, c in enumerate(collaborators, 1)]


async def visit_tools(services: Services, session: AsyncSession, officer: Officer, case: Case) -> list[Choice]:
    """The case page's button, when this officer may ask and the commune has someone to ask."""
    if not _offered(officer, case) or not await collaborators_of(session, case.unit_code):
        return []
    return [Choice(f"{VISIT}:{case.code}", t(services.alert_locale, "desk.visit"))]


async def choose_visit(services: Services, session: AsyncSession, case: Case) -> Reply:
    """The second level: whom, and whether the address goes with the request."""
    locale = services.alert_locale
    collaborators = await collaborators_of(session, case.unit_code)
    if not collaborators:
        return Reply(toast=t(locale, "visit.nobody"), toast_alert=True)
    options = []
    for number, label in visit_options(locale, collaborators):
        options.append(Choice(f"{VISIT}:{case.code}:{number}", label))
        options.append(Choice(f"{VISIT}:{case.code}:{number}a", t(locale, "visit.with_address", who=label)))
    text = t(locale, "desk.choose.visit", code=case.code)
    return Reply([Outbound(text, tuple(options))], toast=text)


def visit_message(locale: str, case: Case, *, address: str | None) -> Outbound:
    """What the collaborator reads: facts only; the narrative, the relation and the photos stay on the case."""
    place = place_by_code(case.place_code) if case.place_code else None
    lines = [
        t(locale, "visit.title", code=case.code),
        t(locale, "alert.urgent" if case.urgent else "alert.normal"),
        t(locale, "alert.category", value=t(locale, f"step.category.{case.category}")),
        t(locale, "alert.place", value=place.label) if place else t(locale, "alert.place_unknown"),
        *([t(locale, "visit.address", value=address)] if address else []),
        t(locale, "alert.age", value=t(locale, f"step.age_band.{case.age_band}")),
        t(locale, "alert.sex", value=t(locale, f"step.sex.{case.sex}")),
        t(locale, "alert.received", value=local_time(case.received_at)),
        t(locale, "visit.footer"),
    ]
    return Outbound("\n".join(lines))


async def request_visit(
    services: Services, session: AsyncSession, officer: Officer, case: Case, arg: str
) -> tuple[str, dict[str, object]]:
    """(catalog key, values) of the answer to the officer. Deny by default: the case's own commune, an open
    case, a collaborator of that commune with a chat to reach."""
    if not _may_ask(officer, case):
        return "visit.not_here", {}
    found = _ARG.match(arg)
    collaborators = await collaborators_of(session, case.unit_code)
    if found is None or not 1 <= int(found[1]) <= len(collaborators):
        return "officer.not_now", {"status": t(services.alert_locale, f"status.{case.status}")}
    collaborator = collaborators[int(found[1]) - 1]
    chats = await collaborator_addresses(session, services.vault, collaborator.id)
    if not chats:
        return "visit.unreachable", {"name": collaborator.name}
    address = None
    if found[2]:
        try:
            address = (await open_body(session, services.vault, case)).get("address")
        except KeyShredded:
            address = None
    locale = services.alert_locale
    message = visit_message(locale, case, address=address)
    for channel, chat in chats:  # sealed with the case's key: shredding the case makes the rows unreadable too
        await enqueue(
            session, services.vault, key_id=case.key_id, channel=channel, address=chat,
            payload={**message.to_json(), "locale": locale}, purpose="home_visit", case_id=case.id, priority=VISIT_PRIORITY,
        )
    await record_event(session, case, EventKind.VISIT_REQUESTED, officer.id, detail=collaborator.id)
    return "visit.sent", {"name": collaborator.name}
