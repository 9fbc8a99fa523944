"""The reporting calendar end to end: the preparer is reminded privately on Telegram, the configured number
of working days before the due date (Tết included), once, with the draft document attached and a link to
the console; two workers on one PostgreSQL database remind once; ``report --due`` picks the right period.

The ward 00070 owes a monthly report before the 15th of each month, prepared by Lan and signed by its
chairperson; 15/02/2027 comes just after Tết (4–10 February 2027)."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import docx
import pytest
from sqlmodel import col, select

import bot.cli.report
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import Core, build_core
from bot.report_reminders import remind_preparers
from handlers.rules.working_days import VIETNAM
from storage.models import OutboxMessage, ReportReminder
from tests.conftest import LAN, _postgres_database, server_environment
from tests.escalation_setup import Clock, escalation_deployment, write_deployment
from tests.telegram_chat import running_bot
from tests.web.console_client import BASE

CALENDAR = """
[[report_calendar]]
unit = "00070"
report = "month"
due = ["15"]
preparer = "Nguyễn Thị Lan"
signer = "Chủ tịch Bình"
signer_title = "TM. ỦY BAN NHÂN DÂN\\nCHỦ TỊCH"
remind_working_days = 5

[[report_calendar]]
unit = "01"
report = "year"
due = ["10/01"]
preparer = "Trần Văn Minh"
"""
DEPLOYMENT = escalation_deployment() + CALENDAR


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
async def calendar_core(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    settings = make_settings(database_url, deployment_file=write_deployment(tmp_path, DEPLOYMENT), web_base_url=BASE,
                             report_reminder_seconds=0.2)
    built = await build_core(settings, demo=False)
    built.services.clock = Clock(local(2027, 1, 29, 17))  # Friday before: no reminder yet
    try:
        yield built
    finally:
        await built.db.dispose()


async def reminders(core: Core) -> list[OutboxMessage]:
    async with core.db.session() as session:
        return list((await session.exec(select(OutboxMessage).where(col(OutboxMessage.purpose).startswith("bao-cao-")))).all())


async def test_the_preparer_gets_the_draft_five_working_days_before_counting_tet_once(  # type: ignore[no-untyped-def]
    calendar_core: Core, telegram_server
) -> None:
    core, clock = calendar_core, calendar_core.services.clock
    assert await remind_preparers(core.services) == 0  # 29/1: the 15/2 report is six working days away
    clock.now = local(2027, 2, 1, 7, 59)
    assert await remind_preparers(core.services) == 0 and await reminders(core) == []  # before the office day
    clock.now = local(2027, 2, 1, 8, 0)  # Monday: 1, 2, 3 (Tết 4–10), 11, 12 February are the five working days
    async with running_bot(core, telegram_server):  # the bot's own reminder job finds it
        sent = await telegram_server.wait_for_request("sendDocument", lambda r: str(r.params.get("chat_id")) == str(LAN), timeout=30)
        text = next(m["text"] for m in reversed(telegram_server.messages_to(LAN)) if "Nhắc lập báo cáo" in m.get("text", ""))
    assert sent.filenames["document"] == "bao-cao-00070-ubnd-phuong-hoan-kiem-thang-1-nam-2027.docx"
    assert "Tháng 1 năm 2027 của UBND phường Hoàn Kiếm, hạn gửi trước ngày 15/02/2027" in text
    assert "15/12/2026 – 14/01/2027" in text and "Người ký: Chủ tịch Bình." in text
    assert f"{BASE}/stats?period=2027-01" in text
    document = docx.Document(io.BytesIO(sent.params["document"]))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Tháng 1 năm 2027" in words and "TM. ỦY BAN NHÂN DÂN" in words and "CHỦ TỊCH" in words and "Chủ tịch Bình" in words

    clock.now = local(2027, 2, 12, 16)  # later checks, and a restart, remind no more
    assert await remind_preparers(core.services) == 0
    assert len(await reminders(core)) == 1
    async with core.db.session() as session:
        assert [(r.unit_code, r.period, f"{r.due_on:%d/%m/%Y}") for r in (await session.exec(select(ReportReminder))).all()] == [
            ("00070", "2027-01", "15/02/2027")
        ]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
async def test_two_workers_remind_once(make_settings, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(postgres_url, deployment_file=write_deployment(tmp_path, DEPLOYMENT))
    workers = [await build_core(settings, demo=False) for _ in range(2)]
    clock = Clock(local(2027, 2, 1, 9))
    for core in workers:
        core.services.clock = clock
    try:
        told = await asyncio.gather(*(remind_preparers(core.services) for core in workers))
        assert sorted(told) == [0, 1]
        assert len(await reminders(workers[0])) == 1  # Lan has one private chat: one message with the draft
        assert await asyncio.gather(*(remind_preparers(core.services) for core in workers)) == [0, 0]
    finally:
        for core in workers:
            await core.db.dispose()


def _due(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, now: datetime, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(bot.cli.report, "utcnow", lambda: now)
    code = main(["report", "--due", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_due_makes_the_report_whose_due_date_comes_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, deployment=DEPLOYMENT)
    monkeypatch.chdir(tmp_path)
    asyncio.run(_start())
    code, out, err = _due(capsys, monkeypatch, local(2026, 12, 3, 10))
    assert code == Exit.OK, err
    # the ward's November report (data 15/10–14/11) is due before 15/12; the province's 2026 report only on 10/1
    assert "Báo cáo đến hạn: Tháng 11 năm 2026 của đơn vị 00070, hạn gửi trước ngày 15/12/2026" in err
    assert "15/10/2026 – 14/11/2026" in err and "chưa kết thúc" not in err
    path = Path(re.fullmatch(r"Đã ghi báo cáo: (.+)\n", out)[1])  # type: ignore[index]
    assert path.name == "bao-cao-00070-ubnd-phuong-hoan-kiem-thang-11-nam-2026.docx"
    assert "Tháng 11 năm 2026" in "\n".join(p.text for p in docx.Document(tmp_path / path).paragraphs)

    code, _, err = _due(capsys, monkeypatch, local(2026, 12, 3, 10), "--unit", "01", "--format", "pdf")
    assert code == Exit.OK and "Năm 2026 của đơn vị 01, hạn gửi trước ngày 10/01/2027" in err
    assert "Kỳ số liệu chưa kết thúc" in err  # the year's data (to 14/12) are still coming in
    assert (tmp_path / "bao-cao-01-thanh-pho-ha-noi-nam-2026.pdf").read_bytes().startswith(b"%PDF")

    code, out, err = _due(capsys, monkeypatch, local(2026, 12, 3, 10), "--unit", "79")
    assert code == Exit.NOT_FOUND and out == "" and "không có báo cáo nào đang đến hạn" in err


async def _start() -> None:
    core = await build_core(Settings(), demo=False)
    await core.db.dispose()
