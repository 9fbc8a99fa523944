"""Real bot processes on one PostgreSQL: steps pending across ``kill -9`` fire once after the restart, and
two processes side by side fire each step once. Timing is measured from the database's own records."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.config import Settings
from bot.core import Core, build_core
from storage.models import Case, CaseEvent, EventKind
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import SERVER_MASTER_KEYS, SERVER_PEPPER, _postgres_database
from tests.escalation_setup import escalation_deployment, write_deployment

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
AFTER = {1: 3.0, 2: 5.0}  # chain step → seconds after receipt
DEPLOYMENT = escalation_deployment(
    """
[policies.default.normal]
steps = [{ after = "0s", notify = "group" }, { after = "3s", notify = "duty_officer" }, { after = "5s", notify = "parent_group" }]
""",
    rosters='[[rosters]]\nunit = "00070"\nrotation = ["Nguyễn Thị Lan"]\nstart = 2026-01-01\n',
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DATA_DIR": str(tmp_path / "data"),
        "DEPLOYMENT_FILE": str(write_deployment(tmp_path, DEPLOYMENT)),
        "TELEGRAM_BOT_TOKEN": "",
        "ZALO_BOT_TOKEN": "",
        "MASTER_KEYS": SERVER_MASTER_KEYS,  # the in-test core below opens the same database with the same keys
        "PSEUDONYM_PEPPER": SERVER_PEPPER,
        "TIMER_POLL_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """The terminal demo (no token) is the whole bot: timers, auditor and outbox included."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


async def _case_through(env: dict[str, str]) -> tuple[Core, str]:
    """The report is taken by an in-test core on the same database and keys."""
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items() if k in {  # type: ignore[arg-type]
        "DATABASE_URL", "DATA_DIR", "DEPLOYMENT_FILE", "MASTER_KEYS", "PSEUDONYM_PEPPER"}})
    core = await build_core(settings, demo=False)
    chat = CoreChat(core, user="reporter")
    await report_until_review(chat)
    await chat.choose("Gửi tin báo")
    async with core.db.session() as session:
        case = (await session.exec(select(Case))).one()
    return core, case.id


async def _steps(core: Core, case_id: str) -> tuple[Counter[str], dict[str, float]]:
    """How many times each step was recorded, and how late each first was (seconds after its due time)."""
    async with core.db.session() as session:
        case = await session.get(Case, case_id)
        events = (await session.exec(select(CaseEvent).where(col(CaseEvent.case_id) == case_id, col(CaseEvent.kind) == EventKind.STEP_SENT))).all()
    assert case is not None  # delivery is checked on what the processes printed: a killed worker's lease may hold a row
    counts = Counter((e.detail or "").split(":")[0] for e in events)
    lateness = {}
    for event in events:
        step = int((event.detail or "").split("#")[1].split()[0])
        if step in AFTER:
            lateness[f"chain#{step}"] = (event.at - (case.received_at + timedelta(seconds=AFTER[step]))).total_seconds()
    return counts, lateness


def _wait_for(path: Path, text: str, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(errors="replace").count(text) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{count}× {text!r} not seen; the process printed:\n{path.read_text(errors='replace')[-3000:]}")


async def test_steps_pending_at_kill_minus_nine_fire_once_after_the_restart(postgres_url: str, tmp_path: Path) -> None:
    env = _env(postgres_url, tmp_path)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _start(env, first_log)
    try:
        _wait_for(first_log, "Bot bảo vệ trẻ em", 1)  # up, with its timers running
        core, case_id = await _case_through(env)
        _wait_for(first_log, "Tin báo mới", 1)  # the group card went out; steps 1 and 2 are pending
    finally:
        _kill(first)
    try:
        await asyncio.sleep(AFTER[2] + 1)  # both steps are now overdue, with no bot running
        second = _start(env, second_log)
        try:
            _wait_for(second_log, "Chưa có ai nhận xử lý", 2)
            await asyncio.sleep(1.5)  # time for a duplicate to show, if there were one
        finally:
            _kill(second)
        counts, _ = await _steps(core, case_id)
        assert counts == Counter({"chain#0 alert": 1, "chain#1 alert": 1, "chain#2 alert": 1})
        assert second_log.read_text().count("Chưa có ai nhận xử lý") == 2, "duty officer and province, once each"
    finally:
        await core.db.dispose()


async def test_two_processes_fire_each_step_once_and_on_time(postgres_url: str, tmp_path: Path) -> None:
    env = _env(postgres_url, tmp_path)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [_start(env, log) for log in logs]
    try:
        for log in logs:
            _wait_for(log, "Bot bảo vệ trẻ em", 1)
        core, case_id = await _case_through(env)
        await asyncio.sleep(AFTER[2] + 2)
    finally:
        for process in processes:
            _kill(process)
    try:
        counts, lateness = await _steps(core, case_id)
        assert counts == Counter({"chain#0 alert": 1, "chain#1 alert": 1, "chain#2 alert": 1})
        printed = sum(log.read_text().count("Chưa có ai nhận xử lý") for log in logs)
        assert printed == 2, "each escalation message delivered once across both processes"
        assert all(0 <= late < 2.0 for late in lateness.values()), f"due steps fire within 2 s: {lateness}"
    finally:
        await core.db.dispose()
