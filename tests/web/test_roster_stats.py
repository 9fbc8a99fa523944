"""The roster and statistics pages over HTTP: who is on duty, supervisors' edits (and nobody else's), and
figures equal to the exported report's.

The deployment is the escalation tests' one (Lan and Dũng by day in ward 00070, handoff 07:30, a
chairperson) plus a supervisor of the other province; the clock is pinned to Monday 2 November 2026,
09:00 in Vietnam, Lan's shift.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.core import Core, build_core
from bot.report_files import unit_report
from handlers.escalation.duty import duty_shift
from handlers.messages import Channel
from handlers.rules.roster import ShiftSource
from handlers.statistics.numbers import show_number
from handlers.statistics.periods import Period
from storage.models import AuditEntry, Officer, Roster, RosterOverride
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.escalation_setup import LEADER, MINH, Clock, escalation_deployment, write_deployment
from tests.web.console_client import BASE, csrf_of, signed_in

OTHER_SUPERVISOR = 5006  # supervisor of province 79: no reach into ward 00070
DEPLOYMENT = escalation_deployment() + f"""
[[officers]]
name = "Võ Văn Sơn"
unit = "79"
role = "supervisor"
telegram_user_id = {OTHER_SUPERVISOR}
"""
LAN, DUNG = "Nguyễn Thị Lan", "Phạm Văn Dũng"
pytestmark = pytest.mark.deployment(DEPLOYMENT)


@pytest.fixture
def deployment_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return write_deployment(tmp_path, request.node.get_closest_marker("deployment").args[0])


@pytest.fixture
async def web_core(make_settings, database_url: str, deployment_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    built = await build_core(make_settings(database_url, web_base_url=BASE, web_port=8765, deployment_file=deployment_path), demo=False)
    built.services.clock = Clock()
    try:
        yield built
    finally:
        await built.db.dispose()


async def telegram_sign_in(client: httpx.AsyncClient, core: Core, user_id: int) -> str:
    answer = await CoreChat(core, user=str(user_id), channel=Channel.TELEGRAM).send("/web")
    found = re.search(r"https?://\S+/in/\S+", answer)
    assert found, answer
    assert (await client.post(found.group(0).removeprefix(BASE))).status_code == 303
    return csrf_of((await client.get("/")).text)


async def officer_id(core: Core, name: str) -> str:
    async with core.db.session() as session:
        return (await session.exec(select(Officer.id).where(col(Officer.name) == name))).one()


async def web_entries(core: Core) -> list[RosterOverride]:
    async with core.db.session() as session:
        return list((await session.exec(select(RosterOverride).where(col(RosterOverride.source) == "web"))).all())


async def test_the_roster_shows_who_is_on_duty_now_and_next_and_a_plain_officer_gets_no_forms(
    web_core: Core, client: httpx.AsyncClient
) -> None:
    await signed_in(client, web_core, "lan")
    page = await client.get("/roster")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"Đang trực: {LAN} (dự phòng: {DUNG}), đến 07:30 03/11/2026" in text
    assert f"Ca tiếp theo: {DUNG} (dự phòng: {LAN}), từ 07:30 03/11/2026" in text
    assert "Không có khoảng trống trong 7 ngày tới." in text
    assert "/roster/00070/entry" not in text and "/roster/00070/rotation" not in text


async def test_a_supervisor_adds_leave_and_the_cover_officer_is_on_duty_also_after_a_restart(
    web_core: Core, client: httpx.AsyncClient, make_settings, database_url: str, deployment_path: Path  # type: ignore[no-untyped-def]
) -> None:
    csrf = await telegram_sign_in(client, web_core, MINH)
    assert "/roster/00070/entry" in (await client.get("/roster")).text  # the province supervisor edits the ward's roster
    lan = await officer_id(web_core, LAN)
    added = await client.post("/roster/00070/entry", data={
        "csrf": csrf, "kind": "leave", "officer": lan, "starts": "2026-11-02T12:00", "ends": "2026-11-05T07:30",
    })
    assert added.status_code == 303
    page = html.unescape((await client.get("/roster")).text)
    assert "Đã thêm: nghỉ cho Nguyễn Thị Lan từ 12:00 02/11/2026 đến 07:30 05/11/2026." in page
    assert f"Đang trực: {LAN} (dự phòng: {DUNG}), đến 12:00 02/11/2026" in page
    assert f"Ca tiếp theo: {DUNG} (dự phòng: KHÔNG CÓ AI), từ 12:00 02/11/2026" in page
    assert f"{LAN}: nghỉ từ 12:00 02/11/2026 đến 07:30 05/11/2026 <span class=\"hint\">(thêm trên trang web)" in page
    async with web_core.db.session() as session:
        shift = await duty_shift(session, "00070", datetime(2026, 11, 2, 6, 0, tzinfo=UTC))  # 13:00 local
        minh = await officer_id(web_core, "Trần Văn Minh")
        audit = (await session.exec(select(AuditEntry).where(AuditEntry.action == "roster_leave:00070"))).all()
    assert shift is not None and shift.officer == await officer_id(web_core, DUNG) and shift.source == ShiftSource.COVER
    assert [a.officer_id for a in audit] == [minh]

    again = await build_core(make_settings(database_url, web_base_url=BASE, deployment_file=deployment_path), demo=False)
    try:
        async with again.db.session() as session:
            after = await duty_shift(session, "00070", shift.starts)
    finally:
        await again.db.dispose()
    assert after is not None and after.officer == shift.officer  # the deployment file's sync keeps web entries


async def test_forged_roster_posts_from_a_plain_officer_or_another_province_change_nothing(web_core: Core, client: httpx.AsyncClient) -> None:
    lan = await officer_id(web_core, LAN)
    leave = {"kind": "leave", "officer": lan, "starts": "2026-11-02T12:00", "ends": "2026-11-03T07:30"}
    rotation = {"pos-" + lan: "1", "period_days": "7", "handoff": "08:00", "start": "2026-11-02"}
    async with web_core.db.session() as session:
        before = (await session.get(Roster, "00070")).model_dump()  # type: ignore[union-attr]

    csrf = await signed_in(client, web_core, "lan")
    assert (await client.post("/roster/00070/entry", data={"csrf": csrf, **leave})).status_code == 403
    assert (await client.post("/roster/00070/rotation", data={"csrf": csrf, **rotation})).status_code == 403
    leader = httpx.AsyncClient(transport=client._transport, base_url=BASE)  # noqa: SLF001
    csrf = await telegram_sign_in(leader, web_core, LEADER)
    assert (await leader.post("/roster/00070/entry", data={"csrf": csrf, **leave})).status_code == 403
    other = httpx.AsyncClient(transport=client._transport, base_url=BASE)  # noqa: SLF001
    csrf = await telegram_sign_in(other, web_core, OTHER_SUPERVISOR)
    assert "Phường" not in (await other.get("/roster")).text  # province 79 has no roster: nothing of ward 00070
    assert (await other.post("/roster/00070/entry", data={"csrf": csrf, **leave})).status_code == 404
    assert (await other.post("/roster/00070/rotation", data={"csrf": csrf, **rotation})).status_code == 404

    assert await web_entries(web_core) == []
    async with web_core.db.session() as session:
        assert (await session.get(Roster, "00070")).model_dump() == before  # type: ignore[union-attr]
        denied = (await session.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("denied:roster_")))).all()
    assert len(denied) == 5


async def test_a_supervisors_mistakes_are_explained_and_nothing_is_stored(web_core: Core, client: httpx.AsyncClient) -> None:
    csrf = await telegram_sign_in(client, web_core, MINH)
    lan, minh = await officer_id(web_core, LAN), await officer_id(web_core, "Trần Văn Minh")
    cases = [
        ({"kind": "leave", "officer": lan, "starts": "2026-11-03T07:30", "ends": "2026-11-02T07:30"}, "phải sau thời điểm bắt đầu"),
        ({"kind": "leave", "officer": lan, "starts": "mai", "ends": "2026-11-02T07:30"}, '"mai" không phải ngày giờ hợp lệ'),
        ({"kind": "cover", "officer": minh, "starts": "2026-11-02T12:00", "ends": "2026-11-03T07:30"}, "không thuộc đơn vị này"),
        ({"kind": "leave", "officer": "", "starts": "2026-11-02T12:00", "ends": "2026-11-03T07:30"}, "Nghỉ cần chọn một cán bộ"),
        ({"kind": "leave", "officer": lan, "starts": "2026-10-01T12:00", "ends": "2026-10-03T07:30"}, "đã qua"),
    ]
    for form, message in cases:
        refused = await client.post("/roster/00070/entry", data={"csrf": csrf, **form})
        assert refused.status_code == 400 and message in html.unescape(refused.text), form
    assert await web_entries(web_core) == []


async def test_a_rotation_edited_on_the_web_applies_at_once_and_the_file_wins_at_restart(
    web_core: Core, client: httpx.AsyncClient, make_settings, database_url: str, deployment_path: Path  # type: ignore[no-untyped-def]
) -> None:
    csrf = await telegram_sign_in(client, web_core, MINH)
    lan, dung = await officer_id(web_core, LAN), await officer_id(web_core, DUNG)
    form = {"csrf": csrf, f"pos-{dung}": "1", f"pos-{lan}": "2", "period_days": "7", "handoff": "08:00", "start": "2026-11-02"}
    assert (await client.post("/roster/00070/rotation", data=form)).status_code == 303
    page = html.unescape((await client.get("/roster")).text)
    assert f"Đang trực: {DUNG} (dự phòng: {LAN}), đến 08:00 09/11/2026" in page
    assert "tệp triển khai mỗi khi bot khởi động lại" in page  # the page says the file wins
    clash = {**form, f"pos-{lan}": "1"}
    assert "cùng một số thứ tự" in html.unescape((await client.post("/roster/00070/rotation", data=clash)).text)

    again = await build_core(make_settings(database_url, web_base_url=BASE, deployment_file=deployment_path), demo=False)
    try:
        async with again.db.session() as session:
            shift = await duty_shift(session, "00070", web_core.services.clock())
    finally:
        await again.db.dispose()
    assert shift is not None and shift.officer == lan


async def _report(core: Core, user: str, category: str) -> None:
    chat = CoreChat(core, user=user, channel=Channel.TELEGRAM)  # the terminal demo is never counted
    await report_until_review(chat, category=category)
    receipt = await chat.choose("Gửi")
    code = re.search(r"TE-[A-Z0-9]+", receipt)
    assert code, receipt
    if user == "r1":
        await officer_press(core, "lan", f"ack:{code.group(0)}")


def page_tables(page: str) -> dict[str, list[list[str]]]:
    tables = {}
    for slug, body in re.findall(r'<h2 id="([a-z_]+)">.*?<tbody>(.*?)</tbody>', page, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        tables[slug] = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    return tables


async def test_the_statistics_page_shows_the_exported_reports_numbers(web_core: Core, client: httpx.AsyncClient) -> None:
    await _report(web_core, "r1", "Bạo lực thể chất")
    await _report(web_core, "r2", "Xâm hại tình dục")
    web_core.services.clock.advance(hours=2)
    await telegram_sign_in(client, web_core, MINH)
    page = await client.get("/stats")  # the current quarter
    assert page.status_code == 200, page.text
    assert 'value="2026-Q4"' in page.text

    period, now = Period.parse("2026-Q4"), web_core.services.clock()
    report = await unit_report(web_core.services, unit_code="01", period=period, locale="vi", now=now)
    shown = page_tables(page.text)
    assert set(shown) == {table.slug for table in report.tables}
    for table in report.tables:
        assert shown[table.slug] == [[show_number(v) for v in row] for row in table.rows], table.slug
    assert report.indicators.cases == 2 and report.indicators.acknowledged == 1
    assert report.table("category").row("total")[1] == 2

    chart = await client.get("/stats/chart/2.png?period=2026-Q4")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert (await client.get("/stats/chart/9.png?period=2026-Q4")).status_code == 404
    workbook = await client.get("/stats/report.xlsx?period=2026-Q4")
    assert workbook.status_code == 200 and 'filename="bao-cao-01-thanh-pho-ha-noi-quy-iv-nam-2026.xlsx"' in workbook.headers["content-disposition"]
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):  # the official document, as on the command line
        document = await client.get(f"/stats/report.{fmt}?period=2026-Q4")
        assert document.status_code == 200 and document.content.startswith(magic), fmt
        assert f'filename="bao-cao-01-thanh-pho-ha-noi-quy-iv-nam-2026.{fmt}"' in document.headers["content-disposition"]
    assert (await client.get("/stats/report.exe?period=2026-Q4")).status_code == 404
    sheet = load_workbook(io.BytesIO(workbook.content))["Chỉ số xử lý"]
    assert [sheet.cell(r, 2).value for r in range(4, 6)] == [2, 1]  # cases, acknowledged


async def test_statistics_refuse_plain_officers_and_explain_a_bad_period(web_core: Core, client: httpx.AsyncClient) -> None:
    await signed_in(client, web_core, "lan")
    for path in ("/stats", "/stats?period=2026-Q4", "/stats/chart/1.png", "/stats/report.xlsx?period=2026-Q4"):
        assert (await client.get(path)).status_code == 404, path
    assert 'href="/stats"' not in (await client.get("/")).text

    leader = httpx.AsyncClient(transport=client._transport, base_url=BASE)  # noqa: SLF001
    await telegram_sign_in(leader, web_core, LEADER)
    bad = await leader.get("/stats?period=2026-Q9")
    assert bad.status_code == 400 and '"2026-Q9" không phải kỳ báo cáo' in html.unescape(bad.text)
    future = await leader.get("/stats?period=2027-Q1")
    assert future.status_code == 400 and "Quý I năm 2027 chưa bắt đầu" in future.text
    assert (await leader.get("/stats/chart/1.png?period=2027-Q1")).status_code == 400
    assert (await leader.get("/stats?period=2026-Q4")).status_code == 200  # a commune's chairperson sees the ward's figures


async def test_the_statistics_page_counts_learn_pieces_and_online_content_reports(web_core: Core, client: httpx.AsyncClient) -> None:
    for reader in ("reader-1", "reader-2"):
        chat = CoreChat(web_core, reader)
        await chat.send("/start")
        await chat.choose("📖 Tìm hiểu")
        await chat.choose("Tôi là giáo viên")
        await chat.choose("Báo tin thế nào")
        await chat.choose("Tiếp ›")  # a page further is not a second reading
    online = CoreChat(web_core, "net-user", channel=Channel.TELEGRAM)  # the terminal demo is never counted
    await online.send("/start")
    await online.choose("Báo nội dung xâm hại trẻ em trên mạng")
    await online.send("https://example.com/v/1")
    await online.choose("Facebook")
    assert "TE-" in await online.choose("Không")
    await telegram_sign_in(client, web_core, MINH)
    page = await client.get("/stats")
    assert page.status_code == 200
    assert "Tin báo nội dung xâm hại trẻ em trên mạng trong kỳ: 1" in html.unescape(page.text)
    assert page_tables(page.text)["learn"] == [["Báo tin thế nào", "2"]]
    earlier = await client.get("/stats?period=2026-Q3")  # counted by month: nothing before
    assert "Chưa có bài nào được mở trong kỳ này" in earlier.text
