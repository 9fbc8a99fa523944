"""``python -m bot audit verify|show CODE``: the administrator checks the audit log and reads a case's access history.

Settings come from the environment, as on a server. The cases and the officers' presses are made by a core built
from the same settings (a restart, as far as the command is concerned); tampering is done on the SQLite file.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest

from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import build_core
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import server_environment

LAN, HOA = "Nguyễn Thị Lan", "Lê Thị Hoa"
WHEN = r"\d\d:\d\d \d\d/\d\d/\d{4}"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    server_environment(tmp_path, monkeypatch)
    return tmp_path / "x.db"


async def _report_and_presses(*presses: tuple[str, str], reporter: str = "reporter") -> str:
    """One submitted report, then officers' presses on it ("view", "ack"…); returns the case code."""
    core = await build_core(Settings(), demo=False)
    try:
        chat = CoreChat(core, user=reporter)
        await report_until_review(chat, description="narrative for officers only", address="Ngõ 5")
        receipt = await chat.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        for login, action in presses:
            await officer_press(core, login, f"{action}:{code}")
        return code
    finally:
        await core.db.dispose()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = main(["audit", *argv])
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("database")
def test_verify_on_an_untouched_log(capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_report_and_presses(("lan", "view"), ("lan", "ack"), ("hoa", "view")))
    assert _run(capsys, "verify") == (0, ["nhật ký truy cập nguyên vẹn (3 mục)"])


@pytest.mark.usefixtures("database")
def test_verify_on_an_empty_log_in_english(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    assert _run(capsys, "verify") == (0, ["audit log intact (0 entries)"])


def test_an_edited_entry_is_named_with_its_time_and_why(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    asyncio.run(_report_and_presses(("lan", "view"), ("lan", "ack"), ("lan", "view")))
    with sqlite3.connect(database) as raw:  # someone hides that Lan acknowledged the case
        raw.execute("UPDATE audit_log SET action = 'view' WHERE seq = 2")
    status, lines = _run(capsys, "verify")
    assert status == 1
    assert len(lines) == 1
    assert re.fullmatch(
        rf"CẢNH BÁO: nhật ký truy cập bị can thiệp tại mục số 2 \({WHEN}\): "
        r"mục này đã bị sửa \(nội dung không còn khớp mã băm\)",
        lines[0],
    ), lines


def test_a_removed_entry_names_the_next_one(
    capsys: pytest.CaptureFixture[str], database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_report_and_presses(("lan", "view"), ("lan", "ack"), ("lan", "view")))
    with sqlite3.connect(database) as raw:
        raw.execute("DELETE FROM audit_log WHERE seq = 2")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    status, lines = _run(capsys, "verify")
    assert status == 1
    assert re.fullmatch(
        rf"WARNING: audit log tampered with at entry 3 \({WHEN}\): "
        r"removed or reordered \(an entry before it is missing or out of order\)",
        lines[0],
    ), lines


def test_an_entry_moved_to_another_officer_is_named(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    asyncio.run(_report_and_presses(("lan", "view"), ("hoa", "view")))
    with sqlite3.connect(database) as raw:  # the refused press of another unit's officer, pinned on Lan instead
        (lan,) = raw.execute("SELECT officer_id FROM audit_log WHERE seq = 1").fetchone()
        raw.execute("UPDATE audit_log SET officer_id = ? WHERE seq = 2", (lan,))
    status, lines = _run(capsys, "verify")
    assert status == 1 and "mục số 2 " in lines[0] and "đã bị sửa" in lines[0]


@pytest.mark.usefixtures("database")
def test_show_lists_who_did_what_and_when_without_case_content(capsys: pytest.CaptureFixture[str]) -> None:
    code = asyncio.run(_report_and_presses(("lan", "view"), ("hoa", "view"), ("lan", "ack")))
    other = asyncio.run(_report_and_presses(("lan", "view"), reporter="neighbour"))  # another case's entries are not listed
    status, lines = _run(capsys, "show", code.lower())  # codes are read case-insensitively
    assert status == 0
    assert lines[0] == f"Lịch sử truy cập tin báo {code} (3 mục):"
    rows = [re.fullmatch(rf"({WHEN}) — (.+) — (.+)", line) for line in lines[1:]]
    assert all(rows), lines
    assert [(r[2], r[3]) for r in rows if r] == [(LAN, "view"), (HOA, "denied:view"), (LAN, "ack")]
    text = "\n".join(lines)
    assert "narrative" not in text and "Ngõ 5" not in text and other not in text
    status, lines = _run(capsys, "show", other)
    assert status == 0 and len(lines) == 2 and lines[1].endswith(f" — {LAN} — view")


@pytest.mark.usefixtures("database")
def test_show_a_case_nobody_has_opened(capsys: pytest.CaptureFixture[str]) -> None:
    code = asyncio.run(_report_and_presses())
    assert _run(capsys, "show", code) == (0, [f"Lịch sử truy cập tin báo {code} (0 mục):", "chưa có ai truy cập tin báo này"])


@pytest.mark.usefixtures("database")
def test_show_an_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_report_and_presses(("lan", "view")))
    assert _run(capsys, "show", "TE-ZZZZZ") == (Exit.NOT_FOUND, ["không có tin báo nào mang mã TE-ZZZZZ"])


@pytest.mark.usefixtures("database")
def test_show_without_a_code_prints_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "show"]) == Exit.USAGE
    captured = capsys.readouterr()
    assert "cách dùng: python -m bot audit verify | python -m bot audit show TE-XXXXX" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.usefixtures("database")
def test_an_unknown_audit_action_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "erase"]) == Exit.USAGE
    assert "'erase' không phải lựa chọn hợp lệ" in capsys.readouterr().err
