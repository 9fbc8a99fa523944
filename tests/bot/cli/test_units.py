"""``python -m bot units``: an administrator finds a commune's official code by the name people use, old or new."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.exits import Exit
from bot.cli.main import main
from tests.conftest import server_environment


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server_environment(tmp_path, monkeypatch)


def _out(capsys: pytest.CaptureFixture[str], *argv: str, status: int = Exit.OK) -> list[str]:
    assert main(["units", *argv]) == status
    captured = capsys.readouterr()
    return (captured.out if status == Exit.OK else captured.err).splitlines()


@pytest.mark.parametrize("typed", ["ben nghe", "Bến Nghé", "phường bến nghé", "BEN NGHE quan 1"])
def test_a_pre_2025_ward_says_what_it_became(capsys: pytest.CaptureFixture[str], typed: str) -> None:
    lines = _out(capsys, "find", typed)
    assert lines == [
        "Tên trước 2025 và đơn vị hiện nay:",
        "  Phường Bến Nghé (Quận 1, Thành phố Hồ Chí Minh, trước 2025)",
        "      → 26740  Phường Sài Gòn — Thành phố Hồ Chí Minh",
    ]


def test_a_name_still_in_use_gives_todays_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "find", "hoan kiem") == ["Đơn vị hiện nay:", "  00070  Phường Hoàn Kiếm — Thành phố Hà Nội"]


def test_a_numbered_ward_with_its_old_district(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _out(capsys, "find", "phường 1", "quận 3")
    assert "  Phường 1 (Quận 3, Thành phố Hồ Chí Minh, trước 2025)" in lines
    assert "      → 27160  Phường Bàn Cờ — Thành phố Hồ Chí Minh" in lines


def test_a_province_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "find", "ha noi")[0] == "tỉnh/thành 01  Thành phố Hà Nội"


def test_show_a_code_and_what_it_was_made_of(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _out(capsys, "show", "26740")
    assert lines[0] == "26740  Phường Sài Gòn — Thành phố Hồ Chí Minh"
    assert lines[1] == "Gồm các đơn vị cũ (trước 2025):"
    assert "  Phường Bến Nghé (Quận 1, Thành phố Hồ Chí Minh, trước 2025)" in lines[2:]
    assert _out(capsys, "show", "1") == ["tỉnh/thành 01  Thành phố Hà Nội"]


def test_unknown_names_and_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "find", "zzqqxx", status=Exit.NOT_FOUND) == ["Không tìm thấy đơn vị nào tên «zzqqxx»."]
    assert _out(capsys, "show", "99999", status=Exit.NOT_FOUND) == ["Không có đơn vị nào mang mã 99999."]
    assert "không phải mã đơn vị" in _out(capsys, "show", "ben-nghe", status=Exit.USAGE)[0]


def test_in_english(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    assert _out(capsys, "find", "ben nghe")[1] == "  Phường Bến Nghé (Quận 1, Thành phố Hồ Chí Minh, before 2025)"
