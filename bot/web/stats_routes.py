"""The statistics page: the periodic report of the officer's unit (and everything under it) as tables and
charts, made by the same function as the exported file (bot/report_files.py unit_report), so the page, the
XLSX and ``python -m bot report`` give the same numbers. Supervisors and administrators type the report's
written sections here (kept sealed per unit and period, printed in the DOCX and PDF in their place)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.report_files import CHART_TABLES, CONTENT_TYPES, chart_pngs, report_file, unit_report
from bot.web.console import Console, signed_page
from bot.web.security import SignedIn
from handlers.i18n import t
from handlers.rules.working_days import VIETNAM
from handlers.statistics.numbers import show_number
from handlers.statistics.outreach import Outreach, outreach
from handlers.statistics.periods import Period
from handlers.statistics.report import Report
from storage.audit import append_audit
from storage.report_texts import SECTIONS, save_report_texts

__all__ = ["STATS_ROLES", "TEXT_ROLES", "stats_routes"]

STATS_ROLES = frozenset({"supervisor", "leader", "admin"})  # a plain officer works cases; counts are for who reports upward
TEXT_ROLES = frozenset({"supervisor", "admin"})  # who writes the report's sections for their unit
MAX_SECTION_CHARS = 8000  # a few pages of a report: more is a paste gone wrong
SECTION_LABELS = {
    "results": "web.stats.section_results",
    "difficulties": "web.stats.section_difficulties",
    "recommendations": "web.stats.section_recommendations",
}


def _choices(now: datetime, locale: str, convention: str) -> list[tuple[str, str]]:
    """Periods offered in the form (this year and last, those already started); any other can be typed."""
    year = now.astimezone(VIETNAM).year
    found = []
    for y in (year, year - 1):
        for code in (*(f"{y}-Q{q}" for q in (4, 3, 2, 1)), f"{y}-H2", f"{y}-H1", f"{y}-9M", str(y)):
            period = Period.parse(code, convention)
            if period.start <= now:
                found.append((period.code, period.label(locale)))
    return found


def _period(request: Request, now: datetime, locale: str, convention: str) -> tuple[str, Period | None, str | None]:
    """(the period as asked, the period, the kind message when it is not one or has not started)."""
    asked = request.query_params.get("period", "").strip()[:16] or Period.quarter_of(now, convention).code
    try:
        period = Period.parse(asked, convention)
    except ValueError:
        return asked, None, t(locale, "web.stats.bad_period", period=asked)
    if period.start > now:
        return period.code, None, t(locale, "web.stats.not_started", period=period.label(locale))
    return period.code, period, None


async def _report(console: Console, request: Request, signed: SignedIn) -> tuple[str, Report | None, str | None]:
    now = console.services.clock()
    asked, period, error = _period(request, now, signed.locale, console.services.report_periods)
    if period is None:
        return asked, None, error
    report = await unit_report(
        console.services, unit_code=signed.officer.unit_code, period=period, locale=signed.locale, now=now,
    )
    return asked, report, None


async def _stats_page(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    if signed.officer.role not in STATS_ROLES:
        return console.refuse(request, signed, 404, "web.not_found")
    asked, report, error = await _report(console, request, signed)
    reach: Outreach | None = None
    if report is not None:
        reach = await outreach(session, unit_code=signed.officer.unit_code, period=report.period, locale=signed.locale)
    return console.page(
        request, "stats.html", signed, status=400 if error else 200, asked=asked, report=report, error=error, outreach=reach,
        show=show_number, sections=[(name, SECTION_LABELS[name]) for name in SECTIONS], max_chars=MAX_SECTION_CHARS,
        editable=signed.officer.role in TEXT_ROLES,
        choices=_choices(console.services.clock(), signed.locale, console.services.report_periods), charts={slug: n for n, slug in enumerate(CHART_TABLES, 1)},
    )


async def _chart(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    number = request.path_params["number"]
    if signed.officer.role not in STATS_ROLES or not 1 <= number <= len(CHART_TABLES):
        return console.refuse(request, signed, 404, "web.not_found")
    _, report, _ = await _report(console, request, signed)
    if report is None:
        return console.refuse(request, signed, 400, "web.stats.refused_period")
    (png,) = await asyncio.to_thread(chart_pngs, report, [number - 1])  # drawing must not hold up the event loop
    return Response(png, media_type="image/png")


async def _file(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """The same report as a file: the official document (DOCX, PDF), the workbook or the CSV."""
    if signed.officer.role not in STATS_ROLES or request.path_params["fmt"] not in CONTENT_TYPES:
        return console.refuse(request, signed, 404, "web.not_found")
    now = console.services.clock()
    _, period, _ = _period(request, now, signed.locale, console.services.report_periods)
    if period is None:
        return console.refuse(request, signed, 400, "web.stats.refused_period")
    data, content_type, name = await report_file(
        console.services, unit_code=signed.officer.unit_code, period=period, fmt=request.path_params["fmt"],
        locale=signed.locale, now=now,
    )
    return Response(data, media_type=content_type, headers={"content-disposition": f'attachment; filename="{name}"'})


async def _save_texts(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """The unit's written sections for one period, replaced whole; only for the officer's own unit, and a
    refused try is on the audit log like a refused roster change."""
    form, locale, unit = request.state.form, signed.locale, signed.officer.unit_code
    if signed.officer.role not in TEXT_ROLES:
        await append_audit(session, action=f"denied:report_text:{unit}", officer_id=signed.officer.id, case_id=None)
        return console.refuse(request, signed, 403, "web.stats.texts_not_allowed")
    try:
        period = Period.parse(str(form.get("period", ""))[:32], console.services.report_periods)
    except ValueError:
        return console.refuse(request, signed, 400, "web.stats.refused_period")
    texts = {name: str(form.get(name, "")).replace("\r\n", "\n").strip() for name in SECTIONS}
    if any(len(text) > MAX_SECTION_CHARS for text in texts.values()):
        return console.refuse(request, signed, 400, "web.stats.texts_too_long")
    await save_report_texts(session, console.services.vault, unit, period.code, texts, officer_id=signed.officer.id,
                            now=console.services.clock())
    await append_audit(session, action=f"report_text:{unit}:{period.code}", officer_id=signed.officer.id, case_id=None)
    signed.web.flash = t(locale, "web.stats.texts_saved", period=period.label(locale))
    return RedirectResponse(f"/stats?period={quote(period.code)}#written", status_code=303)


def stats_routes() -> list[Route]:
    return [
        Route("/stats", signed_page(_stats_page)),
        Route("/stats/texts", signed_page(_save_texts, post=True), methods=["POST"]),
        Route("/stats/chart/{number:int}.png", signed_page(_chart)),
        Route("/stats/report.{fmt:str}", signed_page(_file)),
    ]
