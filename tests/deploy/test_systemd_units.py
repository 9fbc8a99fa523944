"""The shipped systemd units pass `systemd-analyze verify` with no warning, and keep their hardening."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).parents[2] / "deploy" / "systemd"
INSTALLED_PYTHON = "/opt/child-protection-bot/.venv/bin/python"


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """The units as installed, with this test's interpreter where the install's would be."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian: systemd)")
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED_PYTHON, sys.executable))
    (tmp_path / "child-protection-bot-worker@1.service").write_text(
        (tmp_path / "child-protection-bot-worker@.service").read_text()
    )
    return tmp_path


def test_every_unit_verifies_without_a_warning(installed: Path) -> None:
    units = [str(p) for p in sorted(installed.iterdir()) if not p.name.endswith("@.service")]
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True, cwd=installed)
    assert (done.returncode, done.stderr.strip()) == (0, "")


def test_a_unit_that_is_wrong_is_caught(installed: Path) -> None:
    """The check above can fail: a misspelt hardening key is reported."""
    bad = installed / "bad.service"
    bad.write_text((installed / "child-protection-bot.service").read_text().replace("ProtectSystem=", "ProtectSystm="))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(bad)], capture_output=True, text=True)
    assert "ProtectSystm" in done.stderr


@pytest.mark.parametrize("name", ["child-protection-bot.service", "child-protection-bot-worker@.service"])
def test_the_bot_runs_as_its_own_user_and_writes_only_its_state(name: str) -> None:
    text = (UNITS / name).read_text()
    for line in ("User=cpbot", "ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes", "ProtectHome=yes",
                 "ReadWritePaths=/var/lib/child-protection-bot", "UMask=0077", "KillSignal=SIGINT"):
        assert line in text.splitlines(), line
