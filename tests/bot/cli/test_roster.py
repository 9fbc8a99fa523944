"""``python -m bot roster show|leave|cover``: what an administrator sees and changes from the command line.

Settings come from the environment, as on a server. The command reads the rosters the bot loaded at its last
start (``bot_start``: the deployment file synced), with the CLI's and the web's entries. The clock the command
reads is pinned to Monday 2 November 2026, 09:00 in Vietnam (Lan's shift) unless a test says otherwise.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.cli.roster
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import build_core
from tests.conftest import server_environment
from tests.escalation_setup import escalation_deployment

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 local
LAN, DUNG = "Nguyễn Thị Lan", "Phạm Văn Dũng"
NOBODY = "KHÔNG CÓ AI"
NO_GAPS = "Không có khoảng trống trong 14 ngày tới."
SHIFT = re.compile(r"^(\d\d:\d\d \d\d/\d\d/\d{4}) → (\d\d:\d\d \d\d/\d\d/\d{4}): (.+) \(dự phòng: ([^)]+)\)(.*)$")


def bot_start() -> None:
    """The bot process starting (and so reading the deployment file), then stopping."""

    async def start() -> None:
        await (await build_core(Settings(), demo=False)).db.dispose()

    asyncio.run(start())


@pytest.fixture
def deployment_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = server_environment(tmp_path, monkeypatch, deployment=escalation_deployment())
    bot_start()
    return path


@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.cli.roster, "utcnow", lambda: NOW)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    code = main(["roster", *argv])
    out = capsys.readouterr().out
    assert code == 0, out
    return out.splitlines()


def shift_lines(lines: list[str]) -> list[tuple[str, str, str, str, str]]:
    return [found.groups() for line in lines if (found := SHIFT.match(line))]  # type: ignore[misc]


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_show_prints_who_is_on_duty_and_two_weeks_of_shifts(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys, "show", "00070")
    assert lines[0] == "Lịch trực UBND phường Hoàn Kiếm — từ 09:00 02/11/2026"
    assert lines[1] == f"Đang trực: {LAN} (dự phòng: {DUNG}) đến 07:30 03/11/2026"
    found = shift_lines(lines)
    assert len(found) == 15  # the rest of today's shift, 13 whole days, the start of the 15th
    assert found[0] == ("09:00 02/11/2026", "07:30 03/11/2026", LAN, DUNG, "")
    assert found[1] == ("07:30 03/11/2026", "07:30 04/11/2026", DUNG, LAN, "")
    assert found[-1] == ("07:30 16/11/2026", "09:00 16/11/2026", LAN, DUNG, "")
    assert [f[2] for f in found] == [LAN, DUNG] * 7 + [LAN]  # daily alternation
    assert all(one[1] == two[0] for one, two in zip(found, found[1:]))  # contiguous
    assert lines[-1] == NO_GAPS
    assert not any("Khoảng trống:" in line for line in lines)


@pytest.mark.usefixtures("deployment_file")
def test_show_on_the_real_clock(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys, "show", "00070")
    now = re.fullmatch(r"Đang trực: (.+) \(dự phòng: (.+)\) đến 07:30 \d\d/\d\d/\d{4}", lines[1])
    assert now is not None and {now[1], now[2]} == {LAN, DUNG}
    assert len(shift_lines(lines)) in (14, 15)  # 14 only when started exactly at a handoff
    assert lines[-1] == NO_GAPS


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_cover_without_officer_declares_a_gap_that_show_warns_about(capsys: pytest.CaptureFixture[str]) -> None:
    added = run(capsys, "cover", "00070", "--from", "2026-11-03T09:00", "--until", "2026-11-03T19:00")
    assert added == [f"Đã thêm: trực thay cho {NOBODY} từ 09:00 03/11/2026 đến 19:00 03/11/2026."]
    lines = run(capsys, "show", "00070")
    found = shift_lines(lines)
    assert found[1:4] == [
        ("07:30 03/11/2026", "09:00 03/11/2026", DUNG, LAN, ""),
        ("09:00 03/11/2026", "19:00 03/11/2026", NOBODY, DUNG, ""),
        ("19:00 03/11/2026", "07:30 04/11/2026", DUNG, LAN, ""),
    ]
    assert "⚠️ Khoảng trống: không có ai trực từ 09:00 03/11/2026 đến 19:00 03/11/2026" in lines
    assert NO_GAPS not in lines


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_cover_by_a_named_officer_replaces_the_rotation(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "cover", "00070", "--officer", LAN, "--from", "2026-11-03T12:00", "--until", "2026-11-03T18:00")
    found = shift_lines(run(capsys, "show", "00070"))
    assert ("12:00 03/11/2026", "18:00 03/11/2026", LAN, DUNG, " (trực thay)") in found


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_leave_makes_the_other_officer_cover(capsys: pytest.CaptureFixture[str]) -> None:
    added = run(capsys, "leave", "00070", "--officer", LAN, "--from", "2026-11-04T07:30", "--until", "2026-11-05T07:30")
    assert added == [f"Đã thêm: nghỉ cho {LAN} từ 07:30 04/11/2026 đến 07:30 05/11/2026."]
    lines = run(capsys, "show", "00070")
    found = shift_lines(lines)
    assert found[2] == ("07:30 04/11/2026", "07:30 05/11/2026", DUNG, NOBODY, " (thay người nghỉ)")
    assert found[3] == ("07:30 05/11/2026", "07:30 06/11/2026", DUNG, LAN, "")  # his own shift, Lan back as backup
    assert found[4][2] == LAN
    assert lines[-1] == NO_GAPS  # someone is on duty throughout


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_leave_accepts_an_explicit_offset(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "leave", "00070", "--officer", LAN, "--from", "2026-11-04T00:30+00:00", "--until", "2026-11-05T00:30+00:00")
    found = shift_lines(run(capsys, "show", "00070"))
    assert found[2] == ("07:30 04/11/2026", "07:30 05/11/2026", DUNG, NOBODY, " (thay người nghỉ)")


@pytest.mark.usefixtures("pinned_clock")
def test_cli_entries_survive_a_restart_while_file_entries_follow_the_file(
    capsys: pytest.CaptureFixture[str], deployment_file: Path
) -> None:
    run(capsys, "cover", "00070", "--from", "2026-11-03T09:00", "--until", "2026-11-03T19:00")
    run(capsys, "leave", "00070", "--officer", LAN, "--from", "2026-11-04T07:30", "--until", "2026-11-05T07:30")
    # the administrator edits the file: Dũng on leave on the 7th, and the bot restarts
    text = deployment_file.read_text(encoding="utf-8")
    deployment_file.write_text(
        text.replace(
            "start = 2026-11-02\n",
            f'start = 2026-11-02\nleave = [{{ officer = "{DUNG}", from = 2026-11-07T07:30:00, until = 2026-11-08T07:30:00 }}]\n',
        ),
        encoding="utf-8",
    )
    assert ("07:30 07/11/2026", "07:30 08/11/2026", LAN, NOBODY, " (thay người nghỉ)") not in shift_lines(
        run(capsys, "show", "00070")
    ), "a command does not read the file: the running bot has not"
    bot_start()
    found = shift_lines(run(capsys, "show", "00070"))
    assert ("09:00 03/11/2026", "19:00 03/11/2026", NOBODY, DUNG, "") in found
    assert ("07:30 04/11/2026", "07:30 05/11/2026", DUNG, NOBODY, " (thay người nghỉ)") in found
    assert ("07:30 07/11/2026", "07:30 08/11/2026", LAN, NOBODY, " (thay người nghỉ)") in found
    # the file's leave is removed again: gone after the next restart; the CLI's entries stay
    deployment_file.write_text(text, encoding="utf-8")
    bot_start()
    lines = run(capsys, "show", "00070")
    found = shift_lines(lines)
    assert ("07:30 07/11/2026", "07:30 08/11/2026", DUNG, LAN, "") in found
    assert ("09:00 03/11/2026", "19:00 03/11/2026", NOBODY, DUNG, "") in found
    assert ("07:30 04/11/2026", "07:30 05/11/2026", DUNG, NOBODY, " (thay người nghỉ)") in found
    assert "⚠️ Khoảng trống: không có ai trực từ 09:00 03/11/2026 đến 19:00 03/11/2026" in lines


@pytest.mark.usefixtures("pinned_clock")
def test_a_cli_cover_wins_over_the_files_cover_for_the_same_hours(
    capsys: pytest.CaptureFixture[str], deployment_file: Path
) -> None:
    text = deployment_file.read_text(encoding="utf-8").replace(
        "start = 2026-11-02\n",
        f'start = 2026-11-02\ncover = [{{ officer = "{LAN}", from = 2026-11-03T07:30:00, until = 2026-11-04T07:30:00 }}]\n',
    )
    deployment_file.write_text(text, encoding="utf-8")
    bot_start()
    found = shift_lines(run(capsys, "show", "00070"))
    assert found[1][:3] == ("07:30 03/11/2026", "07:30 04/11/2026", LAN)
    run(capsys, "cover", "00070", "--from", "2026-11-03T12:00", "--until", "2026-11-03T14:00")
    found = shift_lines(run(capsys, "show", "00070"))
    assert [(f[0], f[2]) for f in found[1:4]] == [
        ("07:30 03/11/2026", LAN), ("12:00 03/11/2026", NOBODY), ("14:00 03/11/2026", LAN),
    ]


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
@pytest.mark.parametrize(("unit", "shown"), [("00004", "00004"), ("1", "01")])
def test_unit_without_a_roster(capsys: pytest.CaptureFixture[str], unit: str, shown: str) -> None:
    no_roster = f"Đơn vị {shown} chưa có lịch trực (khai báo [[rosters]] trong tệp triển khai)."
    assert run(capsys, "show", unit) == [no_roster]
    assert run(capsys, "cover", unit, "--from", "2026-11-03T09:00", "--until", "2026-11-03T19:00") == [no_roster]


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["roster", *argv]) == Exit.USAGE
    captured = capsys.readouterr()
    assert "Đã thêm" not in captured.out
    return captured.err


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_leave_without_an_officer_is_refused_with_a_usage_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(capsys, "leave", "00070", "--from", "2026-11-04T07:30", "--until", "2026-11-05T07:30")
    assert "cách dùng: python -m bot roster leave|cover ĐƠNVỊ --officer TÊN --from" in err
    assert "Traceback" not in err
    assert run(capsys, "show", "00070")[-1] == NO_GAPS  # nothing was recorded


@pytest.mark.usefixtures("deployment_file", "pinned_clock")
def test_bad_arguments_are_refused_and_nothing_is_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(capsys, "leave", "00070", "--officer", "Lan", "--from", "2026-11-04T07:30", "--until", "2026-11-05T07:30")
    assert "«Lan» không phải cán bộ đang hoạt động của đơn vị 00070" in err
    err = _refused(capsys, "cover", "00070", "--from", "2026-11-04T07:30", "--until", "2026-11-04T07:00")
    assert "--until phải sau --from" in err
    err = _refused(capsys, "cover", "00070", "--from", "4/11/2026 07:30", "--until", "2026-11-05T07:30")
    assert "4/11/2026 07:30" in err
    assert _refused(capsys, "cover", "00070", "--from", "2026-11-04T07:30")  # no --until
    found = shift_lines(run(capsys, "show", "00070"))
    assert all(f[4] == "" and f[2] in (LAN, DUNG) for f in found)  # the plain rotation, untouched
