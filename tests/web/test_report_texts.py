"""The report's written sections over HTTP: a supervisor types them on the statistics page (CSRF like every
form), they are kept sealed per unit and period, and the DOCX and PDF documents carry them in their place
with the calendar's signer; A4 on every page. A leader reads them; a forged or foreign post changes nothing."""

from __future__ import annotations

import html
import io
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import httpx
import pypdfium2
import pytest
from sqlmodel import col, select

from bot.core import Core, build_core
from storage.models import AuditEntry, ReportText
from tests.escalation_setup import LEADER, MINH, Clock, escalation_deployment, write_deployment
from tests.web.console_client import BASE, csrf_of
from tests.web.test_roster_stats import telegram_sign_in

CALENDAR = """
[[report_calendar]]
unit = "01"
report = "quarter"
due = ["20/03", "20/06", "20/09", "20/12"]
preparer = "Trần Văn Minh"
signer = "Trần Văn Minh"
signer_title = "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"
"""
RESULTS = "Đã tiếp nhận và xử lý kịp thời các tin báo trong quý.\nPhối hợp với công an phường trong hai vụ việc."
DIFFICULTIES = "Cán bộ cấp xã kiêm nhiệm nhiều việc."
RECOMMENDATIONS = "Đề nghị bổ sung kinh phí tập huấn cho cộng tác viên thôn, tổ dân phố."
A4_POINTS = (595.28, 841.89)


@pytest.fixture
async def web_core(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    path = write_deployment(tmp_path, escalation_deployment() + CALENDAR)
    built = await build_core(make_settings(database_url, web_base_url=BASE, web_port=8765, deployment_file=path), demo=False)
    built.services.clock = Clock()  # Monday 2 November 2026: quarter IV (15/09–14/12) is under way
    try:
        yield built
    finally:
        await built.db.dispose()


def pdf_text(data: bytes) -> tuple[str, list[tuple[float, float]]]:
    pdf = pypdfium2.PdfDocument(data)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return text, [tuple(round(v, 2) for v in pdf[i].get_size()) for i in range(len(pdf))]


def docx_text(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections]
    return "\n".join([p.text for p in document.paragraphs] + cells), sizes


async def test_written_sections_go_from_the_console_into_the_docx_and_pdf(web_core: Core, client: httpx.AsyncClient) -> None:
    csrf = await telegram_sign_in(client, web_core, MINH)
    page = await client.get("/stats?period=2026-Q4")
    assert page.status_code == 200 and 'action="/stats/texts"' in page.text and "Kiến nghị, đề xuất" in page.text
    before, _ = docx_text((await client.get("/stats/report.docx?period=2026-Q4")).content)
    assert "(Đơn vị bổ sung nội dung.)" in before  # nothing written yet: the blank to fill in

    saved = await client.post("/stats/texts", data={
        "csrf": csrf, "period": "2026-Q4", "results": RESULTS.replace("\n", "\r\n"), "difficulties": DIFFICULTIES,
        "recommendations": RECOMMENDATIONS,
    })
    assert saved.status_code == 303 and saved.headers["location"] == "/stats?period=2026-Q4#written"
    shown = html.unescape((await client.get("/stats?period=2026-Q4")).text)
    assert "Đã lưu phần viết của báo cáo Quý IV năm 2026" in shown and DIFFICULTIES in shown
    async with web_core.db.session() as session:
        (row,) = (await session.exec(select(ReportText))).all()
    assert (row.unit_code, row.period) == ("01", "2026-Q4") and "kinh phí".encode() not in row.body_ct  # sealed at rest

    words, sizes = docx_text((await client.get("/stats/report.docx?period=2026-Q4")).content)
    assert set(sizes) == {(210, 297)}
    lines = words.splitlines()
    results = lines.index("Phối hợp với công an phường trong hai vụ việc.")
    difficulties, recommendations = lines.index("II. KHÓ KHĂN, VƯỚNG MẮC"), lines.index("III. ĐỀ XUẤT, KIẾN NGHỊ")
    assert lines.index("Đã tiếp nhận và xử lý kịp thời các tin báo trong quý.") < results < difficulties  # each in its place
    assert lines[difficulties + 1] == DIFFICULTIES and lines[recommendations + 1] == RECOMMENDATIONS
    assert "(Đơn vị bổ sung nội dung.)" not in words
    assert "KT. GIÁM ĐỐC" in words and "PHÓ GIÁM ĐỐC" in words and "Trần Văn Minh" in words  # the calendar's signer

    pdf = await client.get("/stats/report.pdf?period=2026-Q4")
    text, pages = pdf_text(pdf.content)
    flat = " ".join(text.split())
    assert set(pages) == {A4_POINTS} and len(pages) >= 2  # every page A4 portrait, the annex included
    for written in (*RESULTS.splitlines(), DIFFICULTIES, RECOMMENDATIONS, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Minh"):
        assert written in flat, written
    assert flat.index(DIFFICULTIES) < flat.index("III. ĐỀ XUẤT, KIẾN NGHỊ") < flat.index(RECOMMENDATIONS)

    other = await client.get("/stats/report.docx?period=2026-Q3")  # another period keeps its own (none)
    assert DIFFICULTIES not in docx_text(other.content)[0]


async def test_a_leader_reads_the_sections_and_forged_or_refused_posts_change_nothing(
    web_core: Core, client: httpx.AsyncClient
) -> None:
    csrf = await telegram_sign_in(client, web_core, MINH)
    form = {"csrf": csrf, "period": "2026-Q4", "results": RESULTS, "difficulties": "", "recommendations": ""}
    assert (await client.post("/stats/texts", data={**form, "csrf": "forged"})).status_code == 403
    assert (await client.post("/stats/texts", data={**form, "period": "2026-Q9"})).status_code == 400
    too_long = await client.post("/stats/texts", data={**form, "difficulties": "x" * 8001})
    assert too_long.status_code == 400 and "tối đa 8000 ký tự" in too_long.text
    async with web_core.db.session() as session:
        assert (await session.exec(select(ReportText))).all() == []
    assert (await client.post("/stats/texts", data=form)).status_code == 303

    leader = httpx.AsyncClient(transport=client._transport, base_url=BASE)
    leader_csrf = await telegram_sign_in(leader, web_core, LEADER)
    page = html.unescape((await leader.get("/stats?period=2026-Q4")).text)
    assert 'action="/stats/texts"' not in page and "(Chưa viết.)" in page  # the ward's own report has none
    refused = await leader.post("/stats/texts", data={**form, "csrf": leader_csrf, "results": "ghi đè"})
    assert refused.status_code == 403
    async with web_core.db.session() as session:
        (row,) = (await session.exec(select(ReportText))).all()
        denied = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "denied:report_text:00070"))).all()
    assert row.unit_code == "01" and len(denied) == 1
    assert csrf_of(page)  # the leader's page still carries the session's token for its other forms
