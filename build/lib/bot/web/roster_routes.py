"""The roster page: who is on duty now and next, and the gaps, for each unit the officer works in; supervisors
and administrators add leave and cover and edit the rotation. The shifts come from the same code as
``python -m bot roster show`` (handlers/escalation/duty.py roster_outlook), so the page and the pager agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.web.console import Console, signed_page
from bot.web.security import SignedIn
from handlers.escalation.alerts import local_time
from handlers.escalation.duty import RosterOutlook, local_moment, roster_outlook
from handlers.i18n import t
from storage.audit import append_audit
from storage.models import Officer, RosterOverride
from storage.rosters import OverrideRecord, add_override, stored_roster, update_rotation
from storage.units import units_under

__all__ = ["EDIT_ROLES", "roster_routes"]

DAYS = 7
EDIT_ROLES = frozenset({"supervisor", "admin"})
KINDS = ("leave", "cover")
LONGEST_ENTRY = timedelta(days=366)  # a longer leave is almost surely a mistyped year
MAX_PERIOD_DAYS = 28  # as the deployment file allows


@dataclass(frozen=True)
class UnitRoster:
    outlook: RosterOutlook
    entries: list[RosterOverride]  # leave and cover not yet over
    officers: list[Officer]  # the unit's active officers, for the forms
    editable: bool

    @property
    def code(self) -> str:
        return self.outlook.unit.code

    @property
    def positions(self) -> dict[str, int]:
        return {officer: i for i, officer in enumerate(self.outlook.stored.rotation, 1)}


class Refused(Exception):
    """A form the page explains instead of applying: ``key`` and its values are the message."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


async def _units(console: Console, signed: SignedIn, session: Any) -> list[UnitRoster]:
    """Every unit in the officer's reach that has a roster (a province officer: each commune under it)."""
    now, officer = console.services.clock(), signed.officer
    found = []
    for unit in sorted(await units_under(session, officer.unit_code), key=lambda u: (u.code != officer.unit_code, u.code)):
        outlook = await roster_outlook(session, unit.code, now, days=DAYS)
        if outlook is None:
            continue
        entries = sorted((e for e in outlook.stored.overrides if e.ends_at > now), key=lambda e: e.starts_at)
        found.append(UnitRoster(outlook, entries, await _unit_officers(session, unit.code), officer.role in EDIT_ROLES))
    return found


async def _unit_officers(session: Any, code: str) -> list[Officer]:
    query = select(Officer).where(col(Officer.unit_code) == code, col(Officer.active)).order_by(col(Officer.name))
    return list((await session.exec(query)).all())


async def _page(console: Console, request: Request, signed: SignedIn, session: Any, *, error: str | None = None,
                status: int = 200) -> Response:
    names = {o.id: o.name for o in (await session.exec(select(Officer))).all()}
    return console.page(
        request, "roster.html", signed, status=status, units=await _units(console, signed, session), names=names,
        nobody=t(signed.locale, "roster.nobody"), local_time=local_time, error=error, kinds=KINDS, days=DAYS,
        max_period=MAX_PERIOD_DAYS,
    )


async def _editable_unit(console: Console, request: Request, signed: SignedIn, session: Any, what: str) -> str | Response:
    """The unit code of the form, or the refusal: 404 outside the officer's reach (or without a roster), 403
    for a role that only reads. A refused try is on the audit log like a refused case."""
    code = request.path_params["unit"]
    reach = {u.code for u in await units_under(session, signed.officer.unit_code)}
    known = code in reach and await stored_roster(session, code) is not None
    if known and signed.officer.role in EDIT_ROLES:
        return code
    await append_audit(session, action=f"denied:roster_{what}:{code[:16]}", officer_id=signed.officer.id, case_id=None)
    return console.refuse(request, signed, 403 if known else 404, "web.roster.not_allowed" if known else "web.not_found")


def _moment(text: str) -> datetime:
    try:
        return local_moment(text[:32])
    except ValueError:
        raise Refused("web.roster.bad_time", text=text[:32]) from None


async def _entry(session: Any, code: str, form: Any, now: datetime) -> OverrideRecord:
    kind, officer_id = str(form.get("kind", "")), str(form.get("officer", ""))
    if kind not in KINDS:
        raise Refused("web.roster.bad_kind")
    starts, ends = _moment(str(form.get("starts", ""))), _moment(str(form.get("ends", "")))
    if ends <= starts:
        raise Refused("web.roster.ends_first")
    if ends <= now:
        raise Refused("web.roster.past")
    if ends - starts > LONGEST_ENTRY:
        raise Refused("web.roster.too_long")
    officer = await session.get(Officer, officer_id) if officer_id else None
    if officer_id and (officer is None or officer.unit_code != code or not officer.active):
        raise Refused("web.roster.not_in_unit")
    if kind == "leave" and officer is None:
        raise Refused("web.roster.officer_needed")
    return OverrideRecord(kind, officer.name if officer else None, starts, ends)


async def _add_entry(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """Stored with source "web": the deployment file's entries are replaced at each start, these stay."""
    code = await _editable_unit(console, request, signed, session, "entry")
    if not isinstance(code, str):
        return code
    locale = signed.locale
    try:
        entry = await _entry(session, code, request.state.form, console.services.clock())
    except Refused as refused:
        return await _page(console, request, signed, session, error=t(locale, refused.key, **refused.values), status=400)
    await add_override(session, code, entry, source="web")
    await append_audit(session, action=f"roster_{entry.kind}:{code}", officer_id=signed.officer.id, case_id=None)
    signed.web.flash = t(
        locale, "roster.added", kind=t(locale, f"roster.kind.{entry.kind}"), officer=entry.officer or t(locale, "roster.nobody"),
        start=local_time(entry.starts), end=local_time(entry.ends),
    )
    return RedirectResponse(f"/roster#unit-{code}", status_code=303)


def _rotation(form: Any, officers: list[Officer]) -> list[str]:
    """Names in the order the positions give; a blank position leaves the officer out."""
    placed = []
    for officer in officers:
        text = str(form.get(f"pos-{officer.id}", "")).strip()
        if not text:
            continue
        if not text.isdecimal() or not 1 <= int(text) <= len(officers):
            raise Refused("web.roster.bad_position", officer=officer.name)
        placed.append((int(text), officer.name))
    if not placed:
        raise Refused("web.roster.rotation_empty")
    if len({n for n, _ in placed}) != len(placed):
        raise Refused("web.roster.same_position")
    return [name for _, name in sorted(placed)]


def _settings(form: Any) -> tuple[int, time, date]:
    period = str(form.get("period_days", "")).strip()
    if not period.isdecimal() or not 1 <= int(period) <= MAX_PERIOD_DAYS:
        raise Refused("web.roster.bad_period", most=MAX_PERIOD_DAYS)
    try:
        handoff = time.fromisoformat(str(form.get("handoff", "")).strip()[:8]).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise Refused("web.roster.bad_handoff") from None
    try:
        start = date.fromisoformat(str(form.get("start", "")).strip()[:10])
    except ValueError:
        raise Refused("web.roster.bad_start") from None
    return int(period), handoff, start


async def _edit_rotation(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """Takes effect at once; the deployment file's rotation replaces it at the next start (the page says so)."""
    code = await _editable_unit(console, request, signed, session, "rotation")
    if not isinstance(code, str):
        return code
    form, locale = request.state.form, signed.locale
    try:
        rotation = _rotation(form, await _unit_officers(session, code))
        period_days, handoff, start = _settings(form)
    except Refused as refused:
        return await _page(console, request, signed, session, error=t(locale, refused.key, **refused.values), status=400)
    await update_rotation(session, code, rotation, period_days=period_days, handoff=handoff, start=start)
    await append_audit(session, action=f"roster_rotation:{code}", officer_id=signed.officer.id, case_id=None)
    signed.web.flash = t(locale, "web.roster.rotation_saved", officers=", ".join(rotation))
    return RedirectResponse(f"/roster#unit-{code}", status_code=303)


def roster_routes() -> list[Route]:
    return [
        Route("/roster", signed_page(_page)),
        Route("/roster/{unit}/entry", signed_page(_add_entry, post=True), methods=["POST"]),
        Route("/roster/{unit}/rotation", signed_page(_edit_rotation, post=True), methods=["POST"]),
    ]
