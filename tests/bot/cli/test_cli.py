"""The command line as an operator meets it: a help per command, the exit-status table, one language per
message, no library chatter unless asked, and a help that answers without loading the bot."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli.exits import EXIT_CODES, Exit
from bot.cli.main import COMMANDS, main
from tests.conftest import server_environment

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_prints_its_own_help(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    assert main([command, "--help"]) == Exit.OK
    out = capsys.readouterr().out
    assert out.startswith(f"cách dùng: python -m bot {command} "), out
    assert "tuỳ chọn:" in out and "in trợ giúp này rồi thoát" in out
    assert "Các lệnh:" not in out  # not the top-level help
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "data").exists(), "a help touches nothing"


def test_the_top_level_help_lists_every_command_and_the_exit_statuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, DEFAULT_LOCALE="en")
    assert main(["--help"]) == Exit.OK
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m bot ")
    for command in COMMANDS:
        assert re.search(rf"^  {re.escape(command)} +\S", out, re.MULTILINE), command
    assert [int(code) for code in re.findall(r"^ +(\d+)  \S", out, re.MULTILINE)] == [int(c) for c in EXIT_CODES]
    assert "  3  configuration missing or wrong" in out


def test_a_wrong_command_is_a_usage_error_in_the_operators_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch)
    assert main(["bogus"]) == Exit.USAGE
    assert "'bogus' không phải lựa chọn hợp lệ" in capsys.readouterr().err
    assert main(["keys", "rotate", "now"]) == Exit.USAGE
    assert "tham số không nhận ra: now" in capsys.readouterr().err


def test_exit_statuses_are_distinct_for_usage_configuration_and_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, MASTER_KEYS="", PSEUDONYM_PEPPER="")
    assert main(["audit", "verify"]) == Exit.CONFIG == 3
    assert "chưa đặt MASTER_KEYS" in capsys.readouterr().err
    assert main(["units", "find", "zzqqxx"]) == Exit.NOT_FOUND == 4
    assert main(["report"]) == Exit.USAGE == 2
    monkeypatch.setenv("WEB_BASE_URL", "http://example.org")  # a setting refused by its validator
    assert main(["check-config"]) == Exit.CONFIG
    err = capsys.readouterr().err
    assert "WEB_BASE_URL" in err and "must be" not in err


def test_alembic_is_silent_unless_verbose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``keys check`` migrates a fresh database: no «INFO alembic…» lines, unless -v asks for them."""
    server_environment(tmp_path, monkeypatch)
    assert main(["keys", "check"]) == Exit.OK
    captured = capsys.readouterr()
    assert "alembic" not in captured.err and " INFO " not in captured.err, captured.err
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    assert main(["-v", "keys", "check"]) == Exit.OK
    assert "INFO alembic.runtime.migration: Running upgrade" in capsys.readouterr().err  # -v: at DEBUG, alembic too


def test_the_help_answers_without_loading_the_bot() -> None:
    """A separate process, as an operator runs it: none of aiogram, the scheduler or matplotlib is imported."""
    code = "import sys; from bot.cli.main import main; main(['--help']); print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiogram', 'apscheduler', 'matplotlib', 'sqlalchemy', 'bot')))"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert loaded == "['bot', 'bot.aiogram_models', 'bot.cli', 'bot.cli.exits', 'bot.cli.main', 'bot.cli.parsing', 'bot.config', 'bot.log_hygiene', 'bot.secrets_setup', 'bot.startup_heap']", loaded
    assert time.monotonic() - started < 10  # generous for a loaded CI machine; about 0.6 s here


@pytest.mark.parametrize("command", ["report", "web"])
def test_a_commands_help_answers_without_loading_its_runtime(command: str) -> None:
    """``report --help`` loaded the charts, documents and database (1.5 s), ``web --help`` the console."""
    code = f"import sys; from bot.cli.main import main; main([{command!r}, '--help']); print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'aiogram', 'apscheduler', 'matplotlib', 'sqlalchemy', 'starlette', 'openpyxl'}}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert f"python -m bot {command}" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def test_a_file_that_cannot_be_written_is_one_line_in_the_operators_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file where a folder is wanted")
    assert main(["init", "--province", "01", "--env", str(tmp_path / "taken" / ".env")]) == Exit.FAILED
    err = capsys.readouterr().err
    assert err == f"không làm được: {tmp_path / 'taken'} đã có\n"


def test_the_vietnamese_help_has_no_english_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse's own words ("usage:", "options:", "show this help message") are the catalog's too."""
    server_environment(tmp_path, monkeypatch)
    for argv in (["--help"], ["report", "--help"], ["units", "find", "--help"]):
        assert main(argv) == Exit.OK
        out = capsys.readouterr().out
        assert not re.search(r"usage|options|positional arguments|show this help|default", out), (argv, out)


def test_the_cli_reference_names_every_command_and_every_exit_status() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert re.search(rf"`{re.escape(command)}( |`)", text), f"docs/cli.md does not describe {command}"
    for code in EXIT_CODES:
        assert re.search(rf"^\| {int(code)} \|", text, re.MULTILINE), f"docs/cli.md lacks exit status {int(code)}"
