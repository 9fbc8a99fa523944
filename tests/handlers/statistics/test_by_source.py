"""Reports count cases by source: a citizen, a child themselves, a commune's collaborator. The cases come in
through the conversation engine (as over Telegram), so the source is the one a report really records."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core import Core, build_core
from bot.report_files import report_file, unit_report
from handlers.messages import Channel
from handlers.statistics.periods import Period
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import DEPLOYMENT

THU = "7001"
COLLABORATOR = f"""
[[collaborators]]
name = "Hà Thị Thu"
commune = "00070"
village = "Tổ dân phố 3"
telegram_user_id = {THU}
"""


@pytest.fixture
async def core(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    deployment = tmp_path / "with-collaborator.toml"
    deployment.write_text(DEPLOYMENT + COLLABORATOR, encoding="utf-8")
    built = await build_core(make_settings(database_url, deployment_file=deployment), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


async def _collaborator_report(core: Core, category: str) -> None:
    chat = CoreChat(core, user=THU, channel=Channel.TELEGRAM)
    await chat.send("/start")
    await chat.choose("Báo tin về một bạn nhỏ")
    for label in ("Hàng xóm", category, "6–10 tuổi", "Bé trai", "Không", "Bỏ qua"):
        await chat.choose(label)
    await chat.send("Tổ 3")
    await chat.send("Em bé bị bỏ đói")
    await chat.choose("Bỏ qua")
    await chat.choose("Không")
    assert "Mã tin báo" in await chat.choose("Gửi tin báo")


async def test_the_report_counts_cases_by_source(core: Core) -> None:
    await _collaborator_report(core, "Bỏ rơi, bỏ mặc")
    await _collaborator_report(core, "Bạo lực thể chất")
    citizen = CoreChat(core, user="9001", channel=Channel.TELEGRAM)
    await report_until_review(citizen)
    await citizen.choose("Gửi tin báo")
    period = Period.quarter_of(core.services.clock(), core.services.report_periods)
    report = await unit_report(core.services, unit_code="00070", period=period)
    table = report.table("reporter")
    assert table.title == "Số vụ theo nguồn tin (ai báo)" and table.headers[0] == "Nguồn tin"
    assert table.row("collaborator") == ("Cộng tác viên", 2) and table.row("adult") == ("Người dân báo", 1)
    assert table.row("child") == ("Trẻ em tự báo", 0) and table.row("total")[1] == 3
    english = await unit_report(core.services, unit_code="01", period=period, locale="en")  # the province counts them too
    assert english.table("reporter").row("collaborator") == ("Collaborator", 2)
    data, _, _ = await report_file(core.services, unit_code="00070", period=period, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(row[:1] == ["reporter"] and "collaborator" in row and "2" in row for row in rows), rows
