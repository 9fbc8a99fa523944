"""The A4 poster for school and commune notice boards (the local plans ask for communication in schools
and communities): a few words for a child, 111, and a QR code to the web chat with the commune preset.
segno encodes the QR code; fpdf2 lays out the page with the DejaVu font matplotlib bundles (every
Vietnamese diacritic, no system font)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from fpdf import FPDF

from bot.documents import FONTS
from handlers.i18n import t

__all__ = ["chat_address", "poster_pdf"]


def chat_address(base_url: str, unit_code: str) -> str:
    """The web chat with the commune chosen in advance; the child can still change it."""
    return f"{base_url.rstrip('/')}/?{urlencode({'xa': unit_code})}"


def poster_pdf(locale: str, *, address: str, unit_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(t(locale, "poster.title"))
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_y(22)
    pdf.set_font("DejaVu", "B", 34)
    pdf.multi_cell(width, 15, t(locale, "poster.title"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 17)
    pdf.multi_cell(width, 9, t(locale, "poster.words"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 44)
    pdf.set_text_color(180, 20, 20)
    pdf.multi_cell(width, 18, t(locale, "poster.call"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(width, 7, t(locale, "poster.call_note"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 15)
    pdf.multi_cell(width, 8, t(locale, "poster.scan"), align="C", new_x="LMARGIN", new_y="NEXT")
    side = 85
    png = io.BytesIO()
    segno.make(address, error="m").save(png, kind="png", scale=10, border=4)
    pdf.image(png, x=(pdf.w - side) / 2, y=pdf.get_y() + 3, w=side, h=side)
    pdf.set_y(pdf.get_y() + side + 6)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(width, 7, address, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(width, 6, t(locale, "poster.private"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.h - 22)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 5, t(locale, "poster.footer", unit=unit_name), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
