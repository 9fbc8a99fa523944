"""A known set of cases through the real flows and officer actions, across two periods and two years: every
figure of the quarter IV 2026 report, of the same quarter of 2025 and of the year to date, in the DOCX,
PDF, XLSX and CSV, equals the truth worked out by hand below; the 15th-to-14th edges hold to the minute
(23:59 on the 14th is in, 00:00 on the 15th belongs to the next period, local time); every page is A4.

The clock is pinned and moved to each case's moment; the officer (Lan, commune 00070) takes each case,
records the assessment the same way her Telegram button does, links a duplicate and a «same child»."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

import openpyxl
import pypdfium2
import pytest
from docx import Document
from docx.shared import Mm

from bot.core import Core
from bot.report_files import report_file
from handlers.messages import Channel, Inbound, InboundKind
from handlers.rules.working_days import VIETNAM
from handlers.statistics.numbers import Share, show_number
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.escalation_setup import Clock


@dataclass(frozen=True)
class Known:
    name: str
    at: tuple[int, int, int, int, int]  # local time
    assessment: str | None = None  # what the officer types at assessment
    same_child_as: str | None = None
    duplicate_of: str | None = None
    channel: Channel = Channel.TELEGRAM


CASES = [
    Known("A", (2025, 10, 1, 10, 0), "co 1"),  # Q4 2025
    Known("B", (2025, 12, 14, 23, 59), "co 2"),  # Q4 2025's last minute
    Known("C", (2025, 12, 15, 0, 0), "co 1"),  # the first minute of 2026's data
    Known("D", (2026, 6, 1, 9, 0), "khong"),  # unfounded
    Known("E", (2026, 9, 14, 23, 59)),  # Q3 2026's last minute; taken, never assessed
    Known("F", (2026, 9, 15, 0, 0), "co 2 4"),  # Q4 2026's first minute: two children, one with a disability
    Known("G", (2026, 10, 10, 9, 0), "co 1", same_child_as="F"),  # one of F's children again
    Known("H", (2026, 11, 1, 9, 0), duplicate_of="G"),  # a duplicate: outside every figure
    Known("I", (2026, 12, 14, 23, 59)),  # Q4 2026's last minute; taken, not yet assessed
    Known("J", (2026, 12, 15, 0, 0), "co 3"),  # 15/12/2026: quarter I of 2027's data
    Known("K", (2026, 10, 20, 9, 0), "co 5", channel=Channel.TERMINAL),  # the terminal demo: never counted
]
NOW = (2026, 12, 16, 9, 0)

# The truth, by hand. Q4 2026 = 15/09/2026–14/12/2026: F, G, I (H duplicate, K demo). Children: F 2 + G 1 + I 1,
# less the one child F and G share = 3; abused (0101): F 2 + G 1 − 1 = 2. Assessed in time: F, G of F, G, I.
# Q4 2025 = 15/09/2025–14/12/2025: A, B. Year to date 2026 = 15/12/2025–14/12/2026: C, D, E, F, G, I.
SUMMARY = {  # code → (this period, same period last year, year to date)
    "cases": (3, 2, 6),
    "children": (3, 3, 6),
    "confirmed": (2, 2, 3),
    "children_abused": (2, 3, 3),
    "unfounded": (0, 0, 1),
    "awaiting": (1, 0, 2),
    "duplicates": (1, 0, 1),
    "assessed_share": (Share(66.7), Share(100.0), Share(66.7)),
}
SUMMARY_LABELS = {
    "cases": "Số vụ việc nhận được (không tính tin báo trùng)", "children": "Số trẻ em liên quan",
    "confirmed": "Số vụ xác nhận có xâm hại", "children_abused": "Số trẻ em bị xâm hại (chỉ tiêu 0101)",
    "unfounded": "Số vụ không có cơ sở", "awaiting": "Số vụ chưa có kết quả đánh giá",
    "duplicates": "Tin báo trùng (không tính)", "assessed_share": "Tỉ lệ đánh giá ban đầu trong hạn (%)",
}
FORM_VIOLENCE = (3, 2, 2)  # cases, confirmed, children abused: every report here is «Bạo lực thể chất»
AGE_SEX_TOTAL = (1, 0, 1, 2)  # F's girl (G's is the same child); F's second child, not described: unknown
SPECIAL_4 = 1


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VIETNAM)


async def _typed(core: Core, text: str) -> None:
    inbound = Inbound(Channel.TERMINAL, core.handle_for(Channel.TERMINAL)("lan"), InboundKind.TEXT,
                      reply_address="officer-lan", text=text)
    assert await core.officers.typed(inbound) is not None


@pytest.fixture
async def known(core: Core) -> Core:
    clock = Clock(local(*CASES[0].at))
    core.services.clock = clock
    codes: dict[str, str] = {}
    for case in CASES:
        clock.now = local(*case.at)
        chat = CoreChat(core, user=f"reporter-{case.name}", channel=case.channel)
        await report_until_review(chat)
        receipt = await chat.choose("Gửi tin báo")
        code = codes[case.name] = receipt.split("Mã tin báo: ")[1].split()[0]
        clock.advance(minutes=5)
        assert "Bạn đã nhận" in ((await officer_press(core, "lan", f"ack:{code}")).toast or "")
        if case.assessment:
            await officer_press(core, "lan", f"assess:{code}")  # the button, then her typed line
            await _typed(core, case.assessment)
        if case.same_child_as:
            await officer_press(core, "lan", f"samechild:{code}")
            await _typed(core, codes[case.same_child_as])
        if case.duplicate_of:
            await officer_press(core, "lan", f"dup:{code}")
            await _typed(core, codes[case.duplicate_of])
    clock.now = local(*NOW)
    return core


async def _file(core: Core, fmt: str, period: str = "2026-Q4") -> bytes:
    data, _, name = await report_file(core.services, unit_code="00070", period=period, fmt=fmt)
    assert name == f"bao-cao-00070-ubnd-phuong-hoan-kiem-{'quy-iv-nam-2026' if period == '2026-Q4' else 'quy-i-nam-2027'}.{fmt}"
    return data


def _shown(values: tuple[object, ...]) -> list[str]:
    return [show_number(v) for v in values]


async def test_every_figure_in_every_file(known: Core) -> None:
    book = openpyxl.load_workbook(io.BytesIO(await _file(known, "xlsx")))
    summary = {row[0]: tuple(row[1:]) for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    assert summary == {SUMMARY_LABELS[code]: values for code, values in SUMMARY.items()}
    assert [c.value for c in book["Tổng hợp"][3]] == ["Chỉ số", "Kỳ này", "Cùng kỳ năm trước", "Lũy kế từ đầu năm"]
    forms = {row[0]: tuple(row[1:]) for row in book["Chỉ tiêu 0101"].iter_rows(min_row=4, values_only=True)}
    assert forms["Bạo lực trẻ em"] == FORM_VIOLENCE and forms["Tổng cộng"] == FORM_VIOLENCE
    ages = {row[0]: tuple(row[1:]) for row in book["Tuổi và giới tính"].iter_rows(min_row=4, values_only=True)}
    assert ages["Tổng cộng"] == AGE_SEX_TOTAL and ages["6–10 tuổi"] == (1, 0, 0, 1)
    special = {row[0]: row[1] for row in book["Hoàn cảnh đặc biệt"].iter_rows(min_row=4, values_only=True)}
    assert special["4. Trẻ em khuyết tật"] == SPECIAL_4 and special["Tổng cộng"] == SPECIAL_4
    channels = {row[0]: row[1] for row in book["Kênh tiếp nhận"].iter_rows(min_row=4, values_only=True)}
    assert channels == {"Telegram": 3, "Zalo": 0, "Trò chuyện trên web": 0, "Tổng cộng": 3}  # no terminal line
    steps = {row[0]: row[1] for row in book["Kết quả xử lý"].iter_rows(min_row=4, values_only=True)}
    assert steps["Đã đánh giá ban đầu (mẫu 02)"] == 2 and steps["Đã có người nhận xử lý"] == 1
    assert steps["Tổng cộng"] == 3 and "Trùng tin báo khác" not in steps

    lines = list(csv.reader(io.StringIO((await _file(known, "csv")).decode("utf-8-sig"))))
    columns = ("Kỳ này", "Cùng kỳ năm trước", "Lũy kế từ đầu năm")
    for code, values in SUMMARY.items():
        found = [float(line[4]) for line in lines if line[:2] == ["summary", code]]
        assert found == [float(v) for v in values], code
        assert [line[3] for line in lines if line[:2] == ["summary", code]] == list(columns)
    assert ["forms", "total", "Tổng cộng", "Số trẻ em bị xâm hại", "2"] in lines

    document = Document(io.BytesIO(await _file(known, "docx")))
    rows = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    for code, values in SUMMARY.items():
        assert (SUMMARY_LABELS[code], *_shown(values)) in rows, code
    assert ("Bạo lực trẻ em", *_shown(FORM_VIOLENCE)) in rows and ("Tổng cộng", *_shown(AGE_SEX_TOTAL)) in rows
    assert ("4. Trẻ em khuyết tật", "1") in rows
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Quý IV năm 2026" in paragraphs and "(Số liệu từ 15/09/2026 – 14/12/2026)" in paragraphs

    pdf = pypdfium2.PdfDocument(await _file(known, "pdf"))
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    for code, values in SUMMARY.items():
        assert re.search(re.escape(SUMMARY_LABELS[code]) + r"\s+" + r"\s+".join(map(re.escape, _shown(values))), text), code
    assert "66,7 %" in text and "Bạo lực trẻ em 3 2 2" in text
    assert "Quý IV năm 2026" in text and "(Số liệu từ 15/09/2026 – 14/12/2026)" in text


async def test_every_page_of_every_export_is_a4_and_the_next_quarter_starts_on_the_15th(known: Core) -> None:
    book = openpyxl.load_workbook(io.BytesIO(await _file(known, "xlsx", "2027-Q1")))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    assert summary[SUMMARY_LABELS["cases"]] == 1 and summary[SUMMARY_LABELS["children_abused"]] == 3  # J alone

    pdf = pypdfium2.PdfDocument(await _file(known, "pdf"))
    assert len(pdf) >= 2
    assert {tuple(round(v) for v in page.get_size()) for page in pdf} == {(595, 842)}  # points: 210 × 297 mm
    document = Document(io.BytesIO(await _file(known, "docx")))
    for section in document.sections:
        assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    book = openpyxl.load_workbook(io.BytesIO(await _file(known, "xlsx")))
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
