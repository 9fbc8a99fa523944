"""The periodic report as an administrative document in the layout of Decree 30/2020/NĐ-CP: governing body
and issuing body with the number and symbol on the left, the national motto and heading on the right,
place and date, the title with its period, the written sections, the tables (and charts), "Nơi nhận" and
the signature block. A4 portrait on every page, Vietnamese number and date formats, as DOCX (editable:
officers fill in the number, the written parts and the signer) and PDF.

DOCX uses Times New Roman (what every office's Word has); the PDF embeds DejaVu Serif, which matplotlib
ships with every Vietnamese letter, so no system font is needed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from fpdf import FPDF
from fpdf.enums import Align

from bot.documents import FONTS
from handlers.i18n import t
from handlers.rules.working_days import VIETNAM
from handlers.statistics.numbers import show_number
from handlers.statistics.report import Report, Table

__all__ = ["A4_MM", "Issuer", "official_date", "render_docx", "render_official_pdf"]

A4_MM = (210, 297)
# Decree 30 Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
_TOP, _BOTTOM, _LEFT, _RIGHT = 20, 20, 30, 15
_BODY = A4_MM[0] - _LEFT - _RIGHT  # 165 mm


@dataclass(frozen=True)
class Issuer:
    governing: str  # cơ quan chủ quản (the unit above), "" for none
    issuing: str  # cơ quan ban hành
    place: str  # địa danh, for "Hà Nội, ngày … tháng … năm …"


def official_date(moment: datetime, place: str, locale: str) -> str:
    """Decree 30: a day below 10 and the months 1 and 2 are written with a leading zero."""
    local = moment.astimezone(VIETNAM)
    day = f"{local.day:02d}"
    month = f"{local.month:02d}" if local.month <= 2 else str(local.month)
    return t(locale, "doc.place_date", place=place, day=day, month=month, year=str(local.year))


def _cells(table: Table, locale: str) -> list[list[str]]:
    return [list(table.headers)] + [[show_number(v, locale) for v in row] for row in table.rows]


def _numeric(table: Table) -> list[bool]:
    return [all(isinstance(v, int | float) or v is None for v in column) for column in zip(*table.rows)] or [False] * len(
        table.headers)


def _widths(table: Table) -> list[float]:
    """Column widths in mm within the body: the label columns share what the number columns leave."""
    count, numeric = len(table.headers), _numeric(table)
    if table.slug == "units":  # code, name, then numbers
        rest = (_BODY - 16 - 42) / (count - 2)
        return [16.0, 42.0, *([rest] * (count - 2))]
    narrow = 22.0 if count > 3 else 32.0
    labels = [i for i in range(count) if not numeric[i]] or [0]
    free = _BODY - narrow * (count - len(labels))
    return [free / len(labels) if i in labels else narrow for i in range(count)]


# ---------------------------------------------------------------------------------------------------- DOCX


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 13,  # type: ignore[no-untyped-def]
         underline: bool = False):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size, run.font.name = Pt(size), "Times New Roman"
    return run


def _para(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, **style):  # type: ignore[no-untyped-def]
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _cell_text(cell, text: str, *, bold: bool = False, italic: bool = False, size: float = 13,  # type: ignore[no-untyped-def]
               align=WD_ALIGN_PARAGRAPH.CENTER, underline: bool = False) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)


def _docx_table(document, table: Table, locale: str, title: str) -> None:  # type: ignore[no-untyped-def]
    _para(document, title, bold=True, size=12)
    grid = document.add_table(rows=0, cols=len(table.headers))
    grid.style = "Table Grid"
    numeric = _numeric(table)
    for i, row in enumerate(_cells(table, locale)):
        cells = grid.add_row().cells
        total = i > 0 and table.codes[i - 1] == "total"
        for j, value in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric[j] and i else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cells[j], value, bold=i == 0 or total, size=11, align=WD_ALIGN_PARAGRAPH.CENTER if i == 0 else align)
    for j, width in enumerate(_widths(table)):
        for cell in grid.columns[j].cells:
            cell.width = Mm(width)
    _para(document)


def render_docx(report: Report, issuer: Issuer, charts: Sequence[bytes] = ()) -> bytes:
    locale = report.locale
    document = Document()
    for section in document.sections:  # A4 portrait, stated explicitly: python-docx's template is US Letter
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.top_margin, section.bottom_margin = Mm(_TOP), Mm(_BOTTOM)
        section.left_margin, section.right_margin = Mm(_LEFT), Mm(_RIGHT)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)

    head = document.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    if issuer.governing:
        _cell_text(left, issuer.governing.upper(), size=12)
    _cell_text(left, issuer.issuing.upper(), bold=True, size=12)
    _cell_text(left, t(locale, "doc.number"), size=13)
    _cell_text(right, t(locale, "doc.motto1"), bold=True, size=12)
    _cell_text(right, t(locale, "doc.motto2"), bold=True, size=13, underline=True)
    _cell_text(right, official_date(report.generated_at, issuer.place, locale), italic=True, size=13)

    _para(document)
    _para(document, t(locale, "doc.kind"), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _para(document, t(locale, "doc.title", period=report.period.label(locale)), align=WD_ALIGN_PARAGRAPH.CENTER,
          bold=True, size=14)
    _para(document, t(locale, "doc.dates", dates=report.period.dates()), align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)
    _para(document, report.heading[3], align=WD_ALIGN_PARAGRAPH.CENTER, italic=True, size=12)

    summary, annex = report.tables[0], report.tables[1:]
    _para(document, t(locale, "doc.section.results"), bold=True)
    _docx_table(document, summary, locale, f"1. {summary.title}")
    _para(document, t(locale, "doc.see_annex"), italic=True, size=12)
    _docx_written(document, report, "results")
    for key in ("difficulties", "recommendations"):
        _para(document, t(locale, f"doc.section.{key}"), bold=True)
        _docx_written(document, report, key)
    _para(document)

    foot = document.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    _cell_text(left, t(locale, "doc.recipients"), bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in _recipients(locale, issuer):
        _cell_text(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in _signer_title(report).splitlines():
        _cell_text(right, line, bold=True, size=13)
    _cell_text(right, t(locale, "doc.signature"), italic=True, size=12)
    for _ in range(4):
        _cell_text(right, "", size=13)
    _cell_text(right, report.signer or t(locale, "doc.signer_name"), bold=True, size=13)

    document.add_page_break()  # the annex, in the same A4 section
    _para(document, t(locale, "doc.annex"), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _para(document, t(locale, "doc.annex_of", period=report.period.label(locale), dates=report.period.dates()),
          align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)
    _para(document, report.heading[4], italic=True, size=11, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for number, table in enumerate(annex, 2):
        _docx_table(document, table, locale, f"{number}. {table.title}")
    for png in charts:
        document.add_picture(io.BytesIO(png), width=Mm(130))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _written(report: Report, key: str) -> list[str]:
    """The unit's paragraphs for one section (a line each), or none when it wrote nothing there."""
    return [line.strip() for line in report.sections.get(key, "").splitlines() if line.strip()]


def _signer_title(report: Report) -> str:
    """The calendar's title ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH": a line each), else the blank to fill in."""
    return report.signer_title or t(report.locale, "doc.signer_title")


def _docx_written(document, report: Report, key: str) -> None:  # type: ignore[no-untyped-def]
    paragraphs = _written(report, key)
    if not paragraphs:
        _para(document, t(report.locale, "doc.to_fill"), italic=True)
    for text in paragraphs:
        paragraph = _para(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)  # Decree 30: a first-line indent of 1–1.27 cm


def _recipients(locale: str, issuer: Issuer) -> list[str]:
    lines = [t(locale, "doc.to_above", unit=issuer.governing)] if issuer.governing else []
    return [*lines, t(locale, "doc.to_board"), t(locale, "doc.to_archive")]


# ----------------------------------------------------------------------------------------------------- PDF


class _Document(FPDF):
    def __init__(self, locale: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.locale = locale
        for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf"), ("I", "DejaVuSerif-Italic.ttf"),
                            ("BI", "DejaVuSerif-BoldItalic.ttf")):
            self.add_font("Serif", style, str(FONTS / name))
        self.set_margins(_LEFT, _TOP, _RIGHT)
        self.set_auto_page_break(auto=True, margin=_BOTTOM)

    def footer(self) -> None:  # Decree 30: page numbers from the second page, centred
        if self.page_no() > 1:
            self.set_y(-12)
            self.set_font("Serif", "", 10)
            self.cell(0, 5, str(self.page_no()), align="C")


def _line(pdf: FPDF, text: str, style: str = "", size: float = 12, align: str = "L", height: float = 6,
          width: float = 0) -> None:
    pdf.set_font("Serif", style, size)
    pdf.multi_cell(width, height, text, align=align, new_x="LMARGIN" if not width else "LEFT", new_y="NEXT")


def _pdf_table(pdf: FPDF, table: Table, locale: str, title: str) -> None:
    _line(pdf, title, "B", 11, "L", 5.5)
    pdf.set_font("Serif", "", 9)
    numeric = _numeric(table)
    with pdf.table(col_widths=_widths(table), width=_BODY, align=Align.L, line_height=4.6, first_row_as_headings=True,
                   text_align=tuple("RIGHT" if n else "LEFT" for n in numeric), repeat_headings=1) as grid:
        for i, values in enumerate(_cells(table, locale)):
            row = grid.row()
            total = i > 0 and table.codes[i - 1] == "total"
            pdf.set_font("Serif", "B" if total else "", 9)
            for value in values:
                row.cell(value)
    pdf.set_font("Serif", "", 9)


def _pdf_written(pdf: FPDF, report: Report, key: str) -> None:
    paragraphs = _written(report, key)
    if not paragraphs:
        _line(pdf, t(report.locale, "doc.to_fill"), "I", 11, "L", 6)
    for text in paragraphs:
        pdf.set_x(_LEFT)
        _line(pdf, " " * 6 + text, "", 12, "J", 6)


def render_official_pdf(report: Report, issuer: Issuer, charts: Sequence[bytes] = ()) -> bytes:
    locale = report.locale
    pdf = _Document(locale)
    pdf.set_title(t(locale, "doc.title", period=report.period.label(locale)))
    pdf.set_creator("child-protection-bot")
    pdf.add_page()
    top, left_w, right_x = pdf.get_y(), 68.0, _LEFT + 72.0
    pdf.set_xy(_LEFT, top)
    if issuer.governing:
        _line(pdf, issuer.governing.upper(), "", 10.5, "C", 5, left_w)
    _line(pdf, issuer.issuing.upper(), "B", 10.5, "C", 5, left_w)
    pdf.line(_LEFT + left_w / 2 - 12, pdf.get_y() + 1, _LEFT + left_w / 2 + 12, pdf.get_y() + 1)
    pdf.set_y(pdf.get_y() + 2)
    _line(pdf, t(locale, "doc.number"), "", 11, "C", 6, left_w)
    left_end = pdf.get_y()
    pdf.set_xy(right_x, top)
    _line(pdf, t(locale, "doc.motto1"), "B", 10.5, "C", 5, _BODY - 72)
    pdf.set_x(right_x)
    _line(pdf, t(locale, "doc.motto2"), "B", 11.5, "C", 5, _BODY - 72)
    middle = right_x + (_BODY - 72) / 2
    pdf.line(middle - 31, pdf.get_y() + 1, middle + 31, pdf.get_y() + 1)
    pdf.set_xy(right_x, pdf.get_y() + 2)
    _line(pdf, official_date(report.generated_at, issuer.place, locale), "I", 11, "C", 6, _BODY - 72)
    pdf.set_xy(_LEFT, max(left_end, pdf.get_y()) + 6)

    _line(pdf, t(locale, "doc.kind"), "B", 14, "C", 7)
    _line(pdf, t(locale, "doc.title", period=report.period.label(locale)), "B", 13, "C", 7)
    _line(pdf, t(locale, "doc.dates", dates=report.period.dates()), "I", 11.5, "C", 6)
    _line(pdf, report.heading[3], "I", 10.5, "C", 6)
    pdf.ln(3)
    summary, annex = report.tables[0], report.tables[1:]
    _line(pdf, t(locale, "doc.section.results"), "B", 12, "L", 7)
    _pdf_table(pdf, summary, locale, f"1. {summary.title}")
    pdf.ln(1)
    _line(pdf, t(locale, "doc.see_annex"), "I", 10.5, "L", 5.5)
    _pdf_written(pdf, report, "results")
    for key in ("difficulties", "recommendations"):
        pdf.ln(2)
        _line(pdf, t(locale, f"doc.section.{key}"), "B", 12, "L", 7)
        _pdf_written(pdf, report, key)
    if pdf.get_y() > A4_MM[1] - _BOTTOM - 50:
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()
    _line(pdf, t(locale, "doc.recipients"), "BI", 11, "L", 5.5, 78)
    for line in _recipients(locale, issuer):
        pdf.set_x(_LEFT)
        _line(pdf, line, "", 10, "L", 5, 78)
    pdf.set_xy(_LEFT + 80, top)
    for line in _signer_title(report).splitlines():
        pdf.set_x(_LEFT + 80)
        _line(pdf, line, "B", 12, "C", 6, _BODY - 80)
    pdf.set_x(_LEFT + 80)
    _line(pdf, t(locale, "doc.signature"), "I", 11, "C", 6, _BODY - 80)
    pdf.set_xy(_LEFT + 80, pdf.get_y() + 22)
    _line(pdf, report.signer or t(locale, "doc.signer_name"), "B", 12, "C", 6, _BODY - 80)

    pdf.add_page()  # the annex: every table and chart, A4 portrait like the rest
    _line(pdf, t(locale, "doc.annex"), "B", 13, "C", 7)
    _line(pdf, t(locale, "doc.annex_of", period=report.period.label(locale), dates=report.period.dates()), "I", 11, "C", 6)
    pdf.ln(2)
    _line(pdf, report.heading[4], "I", 9.5, "J", 4.8)
    for number, table in enumerate(annex, 2):
        pdf.ln(2)
        _pdf_table(pdf, table, locale, f"{number}. {table.title}")
    for png in charts:
        if pdf.get_y() > A4_MM[1] - _BOTTOM - 90:
            pdf.add_page()
        pdf.ln(3)
        pdf.image(io.BytesIO(png), x=_LEFT + 17.5, w=130)
    return bytes(pdf.output())
