"""The queue and the case page: the chat desk's case services (open_cases, case_view, OfficerActions.act)
rendered as pages, so no case rule lives here."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.documents import record_pdf
from bot.web.console import Console, signed_page
from bot.web.security import SignedIn
from handlers.escalation.alerts import VIEW, clock_line, local_time
from handlers.i18n import t
from handlers.messages import Choice
from handlers.officers.actions import ACTION_ROLES, owner_choices
from handlers.officers.assessment import ASSESS, CONFIRMED, FINDINGS, MAX_CHILDREN
from handlers.officers.case_record import case_record
from handlers.officers.desk import ASSIGN, CLOSE, INPUT_ACTIONS, case_view, open_cases, running_clock, tools
from handlers.officers.visits import VISIT, visit_options, visit_tools
from handlers.rules.outcomes import OUTCOMES
from handlers.statistics.forms import SPECIAL_GROUPS
from storage.cases import case_attachment_ids, get_case_for_officer, record_event
from storage.collaborators import collaborators_of
from storage.models import Attachment, Case, CaseStatus, Collaborator, EventKind, Officer
from storage.units import officers_with_role
from storage.vault import KeyShredded

__all__ = ["case_routes"]

QUEUE_SHOWN = 100


@dataclass(frozen=True)
class QueueRow:
    case: Case
    clock: str | None
    overdue: bool
    owner: str


def _reads_cases(officer: Officer) -> bool:
    """Administrators configure; they do not read children's cases (the chat desk's rule, ACTION_ROLES)."""
    return officer.role in ACTION_ROLES[VIEW]


async def _readable(session: Any, signed: SignedIn, code: str, action: str) -> Case | None:
    """The case when this officer may read it (role, then unit: get_case_for_officer audits the grant or refusal)."""
    if not _reads_cases(signed.officer):
        return None
    return await get_case_for_officer(session, signed.officer, code.upper(), action=action)


async def _queue(console: Console, signed: SignedIn, session: Any) -> tuple[list[QueueRow], str]:
    """The rows and their fingerprint: the page's script asks again only when it changed."""
    now, locale = console.services.clock(), signed.locale
    names = {o.id: o.name for o in (await session.exec(select(Officer))).all()}
    rows = []
    cases = await open_cases(session, signed.officer) if _reads_cases(signed.officer) else []
    for case in cases[:QUEUE_SHOWN]:
        clock = clock_line(locale, case, now)
        rows.append(QueueRow(case, clock, clock is not None and running_clock(case) <= now, names.get(case.acknowledged_by or "", "")))
    marks = "|".join(f"{r.case.code}:{r.case.status}:{r.owner}:{r.overdue}" for r in rows)
    return rows, hashlib.sha256(marks.encode()).hexdigest()[:16]


async def _queue_page(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    rows, mark = await _queue(console, signed, session)
    reads = _reads_cases(signed.officer)
    return console.page(request, "queue.html", signed, rows=rows, mark=mark, duty=reads, reads=reads, poll_ms=console.poll_ms)


async def _queue_rows(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    rows, mark = await _queue(console, signed, session)
    if request.query_params.get("since") == mark:
        return Response(status_code=204, headers={"x-queue-mark": mark})
    response = console.page(request, "queue_rows.html", signed, rows=rows, mark=mark)
    response.headers["x-queue-mark"] = mark
    return response


def _action_forms(
    locale: str, officer: Officer, case: Case, colleagues: list[Officer], collaborators: list[Collaborator]
) -> dict[str, Any]:
    """The buttons the chat would show this officer, as forms; what they may not do is not offered (and the
    server refuses it anyway)."""
    mine = case.acknowledged_by == officer.id or case.status == CaseStatus.RECEIVED or officer.role != "officer"
    steps: tuple[Choice, ...] = owner_choices(locale, case) if mine else ()
    desk = tools(locale, case)
    inputs = [c for c in desk if c.value.partition(":")[0] in INPUT_ACTIONS]
    chosen = {c.value.partition(":")[0] for c in desk}
    special = Counter((case.special or "").split(",")) if case.special else Counter()
    assess = {
        "findings": [(f, t(locale, f"finding.{f}")) for f in FINDINGS], "max": MAX_CHILDREN, "chosen": dict(special),
        "groups": [(g, t(locale, f"special.{g}")) for g in SPECIAL_GROUPS],
    } if ASSESS in chosen else None
    return {
        "buttons": [(c.value.partition(":")[0], c.label) for c in steps],
        "inputs": [(c.value.partition(":")[0], c.label) for c in inputs],
        "assign": [(str(i), o.name) for i, o in enumerate(colleagues, 1)] if ASSIGN in chosen else [],
        "outcomes": [(o, t(locale, f"outcome.{o}")) for o in OUTCOMES] if CLOSE in chosen else [],
        "assess": assess,
        "visit": visit_options(locale, collaborators),  # empty unless this officer may ask (visit_tools)
    }


def _assessment_text(form: Any) -> str:
    """The console form as the written form every channel shares ("co 2 4 9" / "khong")."""
    if str(form.get("finding", "")) != CONFIRMED:
        return "khong"
    children = str(form.get("children", "1")).strip()
    groups = []
    for group in SPECIAL_GROUPS:
        count = str(form.get(f"special_{group}", "0")).strip()
        groups += [group] * min(int(count), MAX_CHILDREN) if count.isdigit() else []
    return " ".join(("co", children if children.isdigit() else "x", *groups))


async def _case_page(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """The card's facts and the actions at once; the report itself (narrative, address, messages, photos)
    only when asked for, and each opening is audited and put on the case's timeline."""
    code, locale = request.path_params["code"].upper(), signed.locale
    show = request.query_params.get("show") == "1"
    case = await _readable(session, signed, code, "web_view" if show else "web_card")
    if case is None:
        return console.refuse(request, signed, 404, "web.not_found")
    if show:
        await record_event(session, case, EventKind.DETAILS_VIEWED, signed.officer.id)
    view = await case_view(console.services, session, case)
    colleagues = await officers_with_role(session, case.unit_code, "officer", "leader")
    asks = await visit_tools(console.services, session, signed.officer, case)
    collaborators = await collaborators_of(session, case.unit_code) if asks else []
    now = console.services.clock()
    clock = clock_line(locale, case, now)
    return console.page(
        request, "case.html", signed, case=case, view=view, show=show, local_time=local_time,
        clock=clock, overdue=clock is not None and running_clock(case) <= now,
        forms=_action_forms(locale, signed.officer, case, colleagues, collaborators),
        photos=len(await case_attachment_ids(session, case.id)) if show else 0,
    )


async def _act(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """Forged posts meet the same checks as a pressed button: role, unit, owner and the case's state."""
    code, form = request.path_params["code"].upper(), request.state.form
    action = str(form.get("action", ""))
    text = str(form.get("text", ""))[:4000] if action in INPUT_ACTIONS else None
    if action == ASSESS:
        text = _assessment_text(form)
    arg = str(form.get("arg", ""))[:16]
    if action == VISIT and arg:  # "2a": the second collaborator, told the address too
        arg += "a" if form.get("address") else ""
    reply = await console.officers.act(signed.officer.id, action, code, arg=arg, text=text, locale=signed.locale)
    if reply.denied:
        return console.refuse(request, signed, 404, "web.not_found")
    signed.web.flash = reply.toast or (reply.messages[0].text if reply.messages else None)
    return RedirectResponse(f"/case/{code}", status_code=303)


async def _photo(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    case = await _readable(session, signed, request.path_params["code"], "web_photo")
    ids = await case_attachment_ids(session, case.id) if case else []
    number = request.path_params["number"]
    if case is None or not 1 <= number <= len(ids):
        return console.refuse(request, signed, 404, "web.not_found")
    photo = await session.get(Attachment, ids[number - 1])
    try:
        data = await console.services.vault.open(session, photo.key_id, ("attachment", "data_ct", photo.id), photo.data_ct)
    except KeyShredded:
        return console.refuse(request, signed, 404, "web.not_found")
    return Response(data, media_type=photo.content_type if photo.content_type.startswith("image/") else "application/octet-stream")


async def _export(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """The form-01-shaped record as PDF; case_record audits the export under the officer's name."""
    case = await _readable(session, signed, request.path_params["code"], "web_export")
    if case is None:
        return console.refuse(request, signed, 404, "web.not_found")
    try:
        record = await case_record(console.services, session, case, who=signed.officer.id)
    except KeyShredded:
        return console.refuse(request, signed, 410, "web.purged")
    return Response(
        record_pdf(record), media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{case.code}.pdf"'},
    )


def case_routes() -> list[Route]:
    return [
        Route("/", signed_page(_queue_page)),
        Route("/queue/rows", signed_page(_queue_rows)),
        Route("/case/{code}", signed_page(_case_page)),
        Route("/case/{code}/act", signed_page(_act, post=True), methods=["POST"]),
        Route("/case/{code}/photo/{number:int}", signed_page(_photo)),
        Route("/case/{code}/export.pdf", signed_page(_export)),
    ]
