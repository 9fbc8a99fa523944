"""The officer's case work beyond the card: the case page, /cases, notes, questions to the reporter,
reassignment, transfer, duplicates and closing. Every action re-checks role, unit and state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import VIEW, clock_line, details_message, local_time
from handlers.escalation.cards import refresh_cards
from handlers.escalation.engine import acknowledged, progressed, restart_chain, start_deadline, stop_all
from handlers.escalation.notices import tell_officer
from handlers.follow_up.relay import expect_reply
from handlers.i18n import t
from handlers.messages import Channel, Choice, Outbound
from handlers.officers.assessment import ASSESS, SAME_CHILD, link_same_child, quick_choices, record_assessment
from handlers.officers.timeline import COLLABORATOR_NAME, describe
from handlers.officers.visits import visit_tools
from handlers.rules.deadlines import deadline_of
from handlers.rules.outcomes import OUTCOMES
from handlers.rules.policy import Track
from handlers.services import Reply, Services
from handlers.state import load_conversation, save_conversation
from handlers.to_person import queue_to_person
from storage.cases import case_attachment_ids, case_by_code, get_case_for_officer, open_body, record_event
from storage.follow_up import add_message, case_messages, set_pending
from storage.models import (
    Case,
    CaseEvent,
    CaseMessage,
    CaseStatus,
    Collaborator,
    EventKind,
    MessageDirection,
    Officer,
    Unit,
)
from storage.retention import forget_reporter_address
from storage.units import officers_with_role, units_under
from storage.vault import KeyShredded

__all__ = [
    "ASK", "ASSESS", "ASSIGN", "CLOSE", "DUP", "INPUT_ACTIONS", "NOTE", "OUTCOMES", "SAME_CHILD", "TRANSFER", "CaseView",
    "ask_assessment", "assessment_choices", "assign", "case_list", "case_page", "case_view", "choose", "close_case", "finish_input", "open_cases", "running_clock",
    "start_input", "tools",
]

NOTE, ASK, ASSIGN, TRANSFER, DUP, CLOSE = "note", "ask", "assign", "transfer", "dup", "close"
INPUT_ACTIONS = (NOTE, ASK, TRANSFER, DUP, SAME_CHILD)  # the officer's next typed message completes these
TIMELINE_SHOWN = 15


def tools(locale: str, case: Case) -> list[Choice]:
    """The desk's own actions under the case page (the Decree-56 steps come from the caller)."""
    if case.status == CaseStatus.CLOSED:
        return []
    found = [Choice(f"{NOTE}:{case.code}", t(locale, "desk.note"))]
    if case.contact_allowed and case.reply_address_ct:
        found.append(Choice(f"{ASK}:{case.code}", t(locale, "desk.ask")))
    if case.status != CaseStatus.RECEIVED:
        found.append(Choice(f"{ASSESS}:{case.code}", t(locale, "desk.assess")))
    return found + [
        Choice(f"{ASSIGN}:{case.code}", t(locale, "desk.assign")),
        Choice(f"{TRANSFER}:{case.code}", t(locale, "desk.transfer")),
        Choice(f"{DUP}:{case.code}", t(locale, "desk.dup")),
        Choice(f"{SAME_CHILD}:{case.code}", t(locale, "desk.samechild")),
        Choice(f"{CLOSE}:{case.code}", t(locale, "desk.close")),
    ]


@dataclass
class CaseView:
    """What an officer may read of a case, for the chat's case page and the console's alike (the caller audits)."""

    details: Outbound | None  # None: the content was shredded at the end of its retention period
    messages: list[tuple[CaseMessage, str]]
    events: list[CaseEvent]  # oldest first
    names: dict[str, str] = field(default_factory=dict)  # officer id (a collaborator's: COLLABORATOR_NAME + id) → name
    units: dict[str, str] = field(default_factory=dict)  # unit code → name, for transfers

    def timeline(self, locale: str) -> list[tuple[datetime, str]]:
        """Each event in plain words, in the reader's language (one rendering for chat and console)."""
        return [(e.at, describe(locale, e, names=self.names, units=self.units)) for e in self.events]


async def case_view(services: Services, session: AsyncSession, case: Case, *, events_shown: int | None = None) -> CaseView:
    locale, now = services.alert_locale, services.clock()
    try:
        body = await open_body(session, services.vault, case)
    except KeyShredded:
        return CaseView(None, [], [])
    details = details_message(locale, case, body, await case_attachment_ids(session, case.id), now=now)
    directions = (MessageDirection.TO_REPORTER, MessageDirection.FROM_REPORTER, MessageDirection.NOTE)
    messages = await case_messages(session, services.vault, case, directions=directions)
    query = select(CaseEvent).where(col(CaseEvent.case_id) == case.id).order_by(col(CaseEvent.at).desc())
    events = (await session.exec(query.limit(events_shown) if events_shown else query)).all()
    names = {o.id: o.name for o in (await session.exec(select(Officer))).all()}
    asked = [e.detail for e in events if e.kind == EventKind.VISIT_REQUESTED and e.detail]
    if asked:  # the collaborators asked for a home visit, apart from officers (their ids never read as one)
        found = await session.exec(select(Collaborator).where(col(Collaborator.id).in_(asked)))
        names |= {f"{COLLABORATOR_NAME}{c.id}": c.name for c in found.all()}
    units = {u.code: u.name for u in (await session.exec(select(Unit))).all()}
    return CaseView(details, messages, list(reversed(events)), names, units)


async def case_page(
    services: Services, session: AsyncSession, officer: Officer, case: Case, actions: tuple[Choice, ...],
    *, channel: str = Channel.TELEGRAM,
) -> Outbound:
    """The decrypted report, its conversation with the reporter, notes and the timeline (the caller audits).
    Zalo takes no photos from bots: there the page says where the photos can be seen instead."""
    locale = services.alert_locale
    view = await case_view(services, session, case, events_shown=TIMELINE_SHOWN)
    if view.details is None:
        return Outbound(t(locale, "desk.purged", code=case.code))
    lines = [view.details.text]
    attachments = view.details.attachments
    if channel == Channel.ZALO and attachments:
        link = f"{services.web_base_url.rstrip('/')}/case/{case.code}?show=1" if services.web_base_url else ""
        lines.append(t(locale, "desk.photos_on_web", count=len(attachments), link=link) if link
                     else t(locale, "desk.photos_not_on_zalo", count=len(attachments)))
        attachments = ()
    for message, text in view.messages:
        lines.append(t(locale, f"desk.message.{message.direction}", at=local_time(message.at), text=text))
    lines.append(t(locale, "desk.timeline"))
    lines += [f"• {local_time(at)} {what}" for at, what in view.timeline(locale)]
    visit = await visit_tools(services, session, officer, case)
    return Outbound("\n".join(lines), (*actions, *tools(locale, case), *visit), attachments=attachments)


def running_clock(case: Case) -> datetime:
    """The Decree-56 deadline the case runs against now: assessment until assessed, then the plan."""
    track = Track.ASSESSMENT if case.status in (CaseStatus.RECEIVED, CaseStatus.ACKNOWLEDGED) else Track.PLAN
    return deadline_of(case, track)


async def open_cases(session: AsyncSession, officer: Officer) -> list[Case]:
    """Open cases of the officer's unit (a province: every unit under it), urgent and most overdue first."""
    units = [u.code for u in await units_under(session, officer.unit_code)]
    query = select(Case).where(col(Case.unit_code).in_(units), col(Case.status) != CaseStatus.CLOSED)
    return sorted((await session.exec(query)).all(), key=lambda case: (not case.urgent, running_clock(case)))


async def case_list(services: Services, session: AsyncSession, officer: Officer) -> Outbound:
    locale, now = services.alert_locale, services.clock()
    cases = await open_cases(session, officer)
    if not cases:
        return Outbound(t(locale, "desk.no_cases"))
    lines = [t(locale, "desk.cases_title", count=len(cases))]
    for case in cases[:30]:
        clock = clock_line(locale, case, now) or ""
        lines.append(f"{'🔴 ' if case.urgent else ''}{case.code} — {t(locale, f'status.{case.status}')} {clock}".rstrip())
    choices = tuple(Choice(f"{VIEW}:{c.code}", c.code) for c in cases[:10])
    return Outbound("\n".join(lines), choices)


async def start_input(services: Services, session: AsyncSession, handle: str, case: Case, action: str) -> Reply:
    locale = services.alert_locale
    if action == ASK and not (case.contact_allowed and case.reply_address_ct):
        return Reply(toast=t(locale, "desk.no_contact"), toast_alert=True)
    await set_pending(session, handle, action=action, case_code=case.code, now=services.clock())
    prompt = t(locale, f"desk.prompt.{action}", code=case.code)
    return Reply([Outbound(prompt)], toast=prompt)


def assessment_choices(locale: str, case: Case) -> tuple[Choice, ...]:
    """One press for the common answers; the written form (with the special-circumstance groups) as well."""
    found = []
    for finding, children in quick_choices():
        arg = f"c{children}" if children else "u"
        label = t(locale, f"assess.choice.{finding}", children=children or 0)
        found.append(Choice(f"{ASSESS}:{case.code}:{arg}", label))
    return tuple(found)


async def ask_assessment(services: Services, session: AsyncSession, handle: str | None, case: Case) -> Reply:
    """The buttons, and (in a chat) the officer's next message may give the full written form instead."""
    locale = services.alert_locale
    if handle is not None:
        await set_pending(session, handle, action=ASSESS, case_code=case.code, now=services.clock())
    prompt = t(locale, "assess.prompt", code=case.code)
    return Reply([Outbound(prompt, assessment_choices(locale, case))], toast=prompt)


async def choose(services: Services, session: AsyncSession, case: Case, action: str) -> Reply:
    """The second level of assign and close: whom, or with which outcome."""
    locale = services.alert_locale
    if action == CLOSE:
        options = [Choice(f"{CLOSE}:{case.code}:{o}", t(locale, f"outcome.{o}")) for o in OUTCOMES]
    else:
        options = [Choice(f"{ASSIGN}:{case.code}:{i}", o.name) for i, o in enumerate(await officers_with_role(session, case.unit_code, "officer", "leader"), 1)]
    text = t(locale, f"desk.choose.{action}", code=case.code)
    return Reply([Outbound(text, tuple(options))], toast=text)


async def assign(services: Services, session: AsyncSession, officer: Officer, case: Case, index: str) -> str:
    colleagues = await officers_with_role(session, case.unit_code, "officer", "leader")
    if not index.isdigit() or not 1 <= int(index) <= len(colleagues) or case.status == CaseStatus.CLOSED:
        return "officer.not_now"
    new = colleagues[int(index) - 1]
    now = services.clock()
    was_open = case.status == CaseStatus.RECEIVED
    case.acknowledged_by, case.acknowledged_at = new.id, case.acknowledged_at or now
    if was_open:
        case.status = CaseStatus.ACKNOWLEDGED
    session.add(case)
    await session.flush()
    if was_open:
        await acknowledged(services, session, case, new)
    await record_event(session, case, EventKind.REASSIGNED, officer.id, detail=new.id[:8])
    await progressed(services, session, case)
    await refresh_cards(services, session, case, now)
    locale = services.alert_locale
    await tell_officer(services, session, case, new.id, Outbound(t(locale, "desk.assigned_to_you", code=case.code, by=officer.name),
                                                           (Choice(f"{VIEW}:{case.code}", t(locale, "alert.view")),)))
    return "desk.assigned"


async def close_case(services: Services, session: AsyncSession, officer: Officer, case: Case, outcome: str) -> str:
    """Any step may end as unfounded, duplicate, referred or with the police; "safe" needs monitoring first."""
    if outcome not in OUTCOMES or case.status == CaseStatus.CLOSED:
        return "officer.not_now"
    if outcome == "safe" and case.status != CaseStatus.MONITORING:
        return "desk.safe_needs_monitoring"
    now = services.clock()
    case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, outcome, now
    await forget_reporter_address(session, case)  # nobody writes to the reporter of a closed case
    session.add(case)
    await stop_all(session, case)
    await record_event(session, case, EventKind.CLOSED, officer.id, detail=outcome)
    await refresh_cards(services, session, case, now)
    return "desk.closed"


async def finish_input(services: Services, session: AsyncSession, officer: Officer, action: str, code: str, text: str) -> str:
    """The typed part of note, ask, transfer and duplicate; returns the message key to answer with."""
    case = await get_case_for_officer(session, officer, code, action=action)
    if case is None:
        return "officer.not_officer"
    if case.acknowledged_by != officer.id and officer.role == "officer" and action != NOTE:
        return "officer.not_owner"
    text, now = text.strip(), services.clock()
    if not text:
        return "input.empty"
    if action == NOTE:
        await add_message(session, services.vault, case, direction=MessageDirection.NOTE, text=text, officer_id=officer.id, at=now)
        await record_event(session, case, EventKind.NOTE_ADDED, officer.id)
    elif action == ASK:
        if not await _ask(services, session, officer, case, text):
            return "desk.no_contact"
    elif action == TRANSFER:
        return await _transfer(services, session, officer, case, text)
    elif action == ASSESS:
        return await record_assessment(services, session, officer, case, text)
    elif action == SAME_CHILD:
        return await link_same_child(services, session, officer, case, text)
    elif action == DUP:
        other = await case_by_code(session, text.upper().replace(" ", ""))
        if other is None or other.id == case.id or await get_case_for_officer(session, officer, other.code, action="view") is None:
            return "desk.unknown_case"
        case.duplicate_of = other.id
        await record_event(session, case, EventKind.LINKED_DUPLICATE, officer.id, detail=other.code)
        return await close_case(services, session, officer, case, "duplicate")
    await progressed(services, session, case)
    return f"desk.done.{action}"


async def _ask(services: Services, session: AsyncSession, officer: Officer, case: Case, text: str) -> bool:
    """To the chat where the report came from (sealed address), with no officer's name or id."""
    if not (case.contact_allowed and case.reply_address_ct):
        return False
    address = (await services.vault.open(session, case.key_id, ("report_case", "reply_address_ct", case.id), case.reply_address_ct)).decode()
    now = services.clock()
    await add_message(session, services.vault, case, direction=MessageDirection.TO_REPORTER, text=text, officer_id=officer.id, at=now)
    await record_event(session, case, EventKind.REPORTER_ASKED, officer.id)
    state = await load_conversation(session, services.vault, case.reporter_handle)
    locale = state.locale if state else services.alert_locale
    question = Outbound(
        t(locale, "discreet.header") + "\n" + t(locale, "follow.officer_asks", code=case.code, text=text),
        (Choice(f"fu:reply:{case.code}", t(locale, "follow.reply")), Choice(f"fu:stop:{case.code}", t(locale, "follow.stop"))),
    )
    await queue_to_person(  # in the reporter's chat, in order with their answers, and wiped with them
        services, session, [question], person=case.reporter_handle, channel=case.channel, address=address,
        key_id=case.key_id, locale=locale, purpose="question", case_id=case.id,
    )
    if (waiting := await expect_reply(services, session, case, state)) is not None:
        await save_conversation(session, services.vault, case.reporter_handle, waiting)
    return True


async def _transfer(services: Services, session: AsyncSession, officer: Officer, case: Case, text: str) -> str:
    """Wrong commune: the new unit gets a fresh alert and its own escalation; the case starts over there."""
    code = text.strip()
    code = code.zfill(2) if len(code) <= 2 else code.zfill(5)
    unit = await session.get(Unit, code) if code.isdigit() else None
    if unit is None or unit.code == case.unit_code or case.status == CaseStatus.CLOSED:
        return "desk.unknown_unit"
    old = case.unit_code
    await stop_all(session, case)
    case.unit_code, case.status, case.acknowledged_by, case.acknowledged_at = unit.code, CaseStatus.RECEIVED, None, None
    session.add(case)
    await session.flush()
    await record_event(session, case, EventKind.TRANSFERRED, officer.id, detail=f"{old}->{unit.code}")
    await refresh_cards(services, session, case, services.clock())
    await restart_chain(services, session, case)
    for track in (Track.ASSESSMENT, Track.PLAN):  # T0 stays the first receipt: the clocks do not restart
        if track is Track.PLAN or case.assessed_at is None:
            await start_deadline(services, session, case, track)
    return "desk.transferred"
