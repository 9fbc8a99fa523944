"""Case records as files for the commune's dossier: DOCX (python-docx) and PDF (fpdf2 with DejaVu Sans,
which has every Vietnamese diacritic; the font is the one matplotlib bundles, so no system font is needed)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from docx import Document
from fpdf import FPDF

from handlers.officers.case_record import CaseRecord

__all__ = ["CONTENT_TYPES", "FONTS", "record_docx", "record_pdf"]

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def record_docx(record: CaseRecord) -> bytes:
    document = Document()
    document.add_heading(record.title, level=1)
    document.add_paragraph(record.subtitle)
    for section in record.sections:
        document.add_heading(section.title, level=2)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in section.rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    document.add_paragraph(record.footer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def record_pdf(record: CaseRecord) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, record.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, record.subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in record.sections:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        with pdf.table(col_widths=(35, 65), text_align="LEFT") as table:
            for label, value in section.rows:
                row = table.row()
                row.cell(label)
                row.cell(value)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, record.footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
