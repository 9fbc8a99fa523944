"""The periodic report a commune or province sends upward (docs/law-and-process.md, "Upward reporting") as
XLSX, CSV or PDF, made from clear columns only. Rendering is pure (a ``Report`` in, bytes out);
``report_file`` serves both the command line (bot/cli/report.py) and the officers' /baocao."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server or in a chat worker; set before anything draws

from matplotlib import rc_context  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.drawing.image import Image as SheetImage  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

from bot.report_document import Issuer, render_docx, render_official_pdf  # noqa: E402
from bot.report_formats import CONTENT_TYPES, STAGES  # noqa: E402
from handlers.i18n import KeyedError, t  # noqa: E402
from handlers.messages import Channel  # noqa: E402
from handlers.places import normalize  # noqa: E402
from handlers.services import Services  # noqa: E402
from handlers.statistics.calendar import schedule_for  # noqa: E402
from handlers.statistics.cases import load_cases, unit_tree  # noqa: E402
from handlers.statistics.periods import Period  # noqa: E402
from handlers.statistics.report import Cell, Report, Table, build_report  # noqa: E402
from storage.models import Unit  # noqa: E402
from storage.report_texts import report_texts  # noqa: E402
from storage.unread import unread_between  # noqa: E402

__all__ = [
    "CHART_TABLES",
    "CONTENT_TYPES",
    "CSV_COLUMNS",
    "STAGES",
    "chart_pngs",
    "file_name",
    "render",
    "render_csv",
    "render_xlsx",
    "report_file",
    "unit_report",
]

CSV_COLUMNS = ("table", "code", "row", "column", "value")  # fixed in every language: scripts import them
CHART_TABLES = ("category", "age_sex", "channel", "outcome")  # the table each chart draws, in order
# DejaVu Sans ships with matplotlib and has every Vietnamese letter; TrueType (42) keeps PDF text searchable;
# no maths parsing, so a "$" in a unit's name stays a dollar sign.
_RC = {"font.family": "DejaVu Sans", "pdf.fonttype": 42, "text.parse_math": False}
_BAR, _SEXES = "#2e7d32", ("#c2185b", "#1565c0", "#9e9e9e")


def _wrap(text: object, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _axes(title: str, labels: list[str], total: float, axis_label: str, empty: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(8, 4.8), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.set_yticks(range(len(labels)), [_wrap(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlim(0, max(1.0, total) * 1.15)  # room for the numbers at the bars' ends
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(axis_label)
    axes.set_title(_wrap(title, 70))
    if not total:
        axes.text(0.5, 0.5, empty, transform=axes.transAxes, ha="center", va="center")
    return figure, axes


def _bars(table: Table, axis_label: str, empty: str) -> Figure:
    rows = table.rows[:-1]  # without the total
    values = [int(row[1] or 0) for row in rows]
    labels = [str(row[0]) for row in rows]
    figure, axes = _axes(table.title, labels, max(values, default=0), axis_label, empty)
    axes.bar_label(axes.barh(range(len(rows)), values, color=_BAR), padding=3)
    return figure


def _stacked(table: Table, axis_label: str, empty: str) -> Figure:
    """Age bands as bars, split by sex: the breakdown indicator 0101 asks for."""
    rows, sexes = table.rows[:-1], table.headers[1:-1]
    totals = [int(row[-1] or 0) for row in rows]
    labels = [str(row[0]) for row in rows]
    figure, axes = _axes(table.title, labels, max(totals, default=0), axis_label, empty)
    left = [0] * len(rows)
    for i, sex in enumerate(sexes):
        values = [int(row[1 + i] or 0) for row in rows]
        bars = axes.barh(range(len(rows)), values, left=left, label=sex, color=_SEXES[i % len(_SEXES)])
        left = [a + b for a, b in zip(left, values)]
    if sexes:
        axes.bar_label(bars, labels=[str(n) for n in totals], padding=3)  # each band's total at its end
    axes.legend(loc="best")
    return figure


def _charts(report: Report, which: Sequence[int] | None = None) -> list[Figure]:
    label, empty = t(report.locale, "report.col.cases"), t(report.locale, "report.no_cases")
    slugs = CHART_TABLES if which is None else [CHART_TABLES[i] for i in which]
    return [(_stacked if slug == "age_sex" else _bars)(report.table(slug), label, empty) for slug in slugs]


def chart_pngs(report: Report, which: Sequence[int] | None = None) -> list[bytes]:
    """The charts as PNG images, in the order of ``CHART_TABLES``; ``which``: only those (the web console
    asks for one image at a time)."""
    found = []
    with rc_context(_RC):
        for figure in _charts(report, which):
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
            found.append(buffer.getvalue())
    return found


def _sheet_name(text: str, taken: set[str]) -> str:
    name = "".join(c for c in text if c not in "[]:*?/\\")[:31] or "Sheet"
    while name in taken:
        name = f"{name[:28]}_{len(taken)}"
    taken.add(name)
    return name


def _widths(rows: list[tuple[Cell, ...]]) -> list[int]:
    return [min(60, max(len(str(v)) for v in column if v is not None) + 2) for column in zip(*rows)]


def render_xlsx(report: Report, charts: list[bytes]) -> bytes:
    """One sheet per table (bold headers, the total row bold, widths fitted), an "about" sheet first and
    a charts sheet last; unit codes stay text so their leading zeros survive."""
    book, taken = Workbook(), set[str]()
    about = book.active
    assert about is not None
    about.title = _sheet_name(t(report.locale, "report.about"), taken)
    for i, line in enumerate(report.heading, 1):
        about.cell(i, 1, line).font = Font(bold=i == 1, size=14 if i == 1 else 11)
    about.column_dimensions["A"].width = 110

    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.sheet, taken))
        sheet.cell(1, 1, table.title).font = Font(bold=True, size=12)
        for j, header in enumerate(table.headers, 1):
            cell = sheet.cell(3, j, header)
            cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        for i, (code, row) in enumerate(zip(table.codes, table.rows), 4):
            for j, value in enumerate(row, 1):
                sheet.cell(i, j, value).font = Font(bold=code == "total")
        for j, width in enumerate(_widths([table.headers, *table.rows]), 1):
            sheet.column_dimensions[sheet.cell(3, j).column_letter].width = width
        sheet.freeze_panes = "A4"
    pictures, row = book.create_sheet(_sheet_name(t(report.locale, "report.charts"), taken)), 1
    for png in charts:
        image = SheetImage(io.BytesIO(png))
        pictures.add_image(image, f"A{row}")
        row += math.ceil(image.height / 20) + 2  # rows are 20 pixels high by default
    for sheet in book.worksheets:  # printed, every sheet is A4 portrait fitted to the width
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_csv(report: Report) -> bytes:
    """One file, one value per line (table, row code, row label, column header, value): every table fits
    the same five columns, so a spreadsheet pivot or a script reads it without knowing the layout.
    UTF-8 with a byte-order mark, which is what makes Excel show Vietnamese letters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for table in report.tables:
        for code, row in zip(table.codes, table.rows):
            for header, value in zip(table.headers[1:], row[1:]):
                writer.writerow((table.slug, code, row[0], header, "" if value is None else value))
    return buffer.getvalue().encode("utf-8-sig")


def issuer_of(report: Report) -> Issuer:
    return Issuer(governing=report.governing, issuing=report.unit_name, place=report.place or report.unit_name)


def render(report: Report, fmt: str) -> bytes:
    if fmt == "xlsx":
        return render_xlsx(report, chart_pngs(report))
    if fmt == "csv":
        return render_csv(report)
    if fmt == "pdf":
        return render_official_pdf(report, issuer_of(report), chart_pngs(report))
    if fmt == "docx":
        return render_docx(report, issuer_of(report), chart_pngs(report))
    raise KeyedError("report.unknown_format", format=fmt, formats=", ".join(CONTENT_TYPES))


async def report_file(
    services: Services, *, unit_code: str | None = None, period: Period | str, fmt: str = "xlsx",
    locale: str | None = None, now: datetime | None = None, progress: Callable[[], object] | None = None,
) -> tuple[bytes, str, str]:
    """(data, content type, file name) of one report; ``progress`` is called after each of ``STAGES`` steps.

    The unit defaults to the deployment's fallback unit (normally the province); rendering runs in a
    thread, so a bot serving chats meanwhile is not held up."""
    if fmt not in CONTENT_TYPES:
        raise KeyedError("report.unknown_format", format=fmt, formats=", ".join(CONTENT_TYPES))
    code, step = unit_code or services.fallback_unit, progress or (lambda: None)
    report = await unit_report(services, unit_code=code, period=period, locale=locale, now=now, progress=step)
    step()
    data = await asyncio.to_thread(render, report, fmt)
    step()
    return data, CONTENT_TYPES[fmt], file_name(report, code, fmt)


def file_name(report: Report, code: str, fmt: str) -> str:
    """Named after the unit and the period: "bao-cao-00070-ubnd-phuong-hoan-kiem-quy-iv-nam-2026.docx"."""
    words = normalize(f"{report.unit_name} {report.period.label('vi')}").replace(" ", "-")
    return f"bao-cao-{code}-{words[:80].rstrip('-')}.{fmt}"


async def unit_report(
    services: Services, *, unit_code: str, period: Period | str, locale: str | None = None,
    now: datetime | None = None, progress: Callable[[], object] | None = None,
) -> Report:
    """The tables of one unit's report (and everything under it): the file and the web console's statistics
    page are made from this, so they show the same numbers; the written sections are the only sealed part
    it opens, and the signer comes from the reporting calendar. ValueError for a bad period or one not started,
    LookupError for an unknown unit."""
    period = period if isinstance(period, Period) else Period.parse(period, services.report_periods)
    now = now or services.clock()
    if period.start > now:
        raise KeyedError("report.not_started", period=period.code)
    step = progress or (lambda: None)
    async with services.db.session() as session:
        units = await unit_tree(session, unit_code)
        step()
        rows = await load_cases(session, unit_code=unit_code, period=period)
        last_year = await load_cases(session, unit_code=unit_code, period=period.same_last_year())
        year_to_date = await load_cases(session, unit_code=unit_code, period=period.year_to_date())
        unit = await session.get(Unit, unit_code)
        governing, place = await _issuer(session, unit)
        unread = await unread_between(session, Channel.ZALO, period.start, period.end) if unit and unit.is_province else None
        sections = await report_texts(session, services.vault, unit_code, period.code)  # opened: the one sealed part
        step()
    report = build_report(
        rows, period=period, unit_name=units[0].name, now=now, units=units, locale=locale or services.alert_locale,
        unread=unread, last_year=last_year, year_to_date=year_to_date,
    )
    schedule = schedule_for(services.report_calendar, unit_code, period)
    signer, title = (schedule.signer or "", schedule.signer_title or "") if schedule else ("", "")
    return dataclasses.replace(report, governing=governing, place=place, sections=sections, signer=signer, signer_title=title)


_PROVINCE_WORDS = ("Thành phố ", "Tỉnh ", "TP. ")


async def _issuer(session: Any, unit: Unit | None) -> tuple[str, str]:
    """(the unit above, the province's name without "Thành phố"/"Tỉnh") for the document's heading."""
    if unit is None:
        return "", ""
    parent = await session.get(Unit, unit.parent_code) if unit.parent_code else None
    province = unit
    while not province.is_province and province.parent_code:
        above = await session.get(Unit, province.parent_code)
        if above is None:
            break
        province = above
    place = province.name
    for word in _PROVINCE_WORDS:
        place = place.removeprefix(word)
    return (parent.name if parent else ""), place
