"""A real process killed with SIGKILL mid-report: started again, it resumes the reporter's question."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import DEPLOYMENT

ROOT = Path(__file__).resolve().parents[2]


def _start(tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill9.db'}",
        "DATA_DIR": str(tmp_path / "data"),
        "DEPLOYMENT_FILE": str(tmp_path / "deployment.toml"),
        "TELEGRAM_BOT_TOKEN": "",
        "ZALO_BOT_TOKEN": "",
        "MASTER_KEYS": "",
        "PSEUDONYM_PEPPER": "",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _say(process: subprocess.Popen[bytes], line: str, expect: str, timeout: float = 20.0) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write((line + "\n").encode())
    process.stdin.flush()
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            seen += os.read(process.stdout.fileno(), 65536)
        if expect in seen.decode(errors="replace"):
            return seen.decode(errors="replace")
    raise AssertionError(f"expected {expect!r}; the process printed:\n{seen.decode(errors='replace')[-2000:]}")


def test_kill_minus_nine_mid_report_then_resume(tmp_path: Path) -> None:
    (tmp_path / "deployment.toml").write_text(DEPLOYMENT, encoding="utf-8")
    first = _start(tmp_path)
    try:
        _say(first, "2", "Bạn có quan hệ gì với bạn nhỏ")  # menu → report
        _say(first, "3", "Chuyện gì đang xảy ra")  # teacher
        _say(first, "8", "bao nhiêu tuổi")  # other
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    second = _start(tmp_path)
    try:
        resumed = _say(second, "2", "Bạn nhỏ là bé gái hay bé trai")  # the age question, answered after the restart
        assert "Đã huỷ" not in resumed
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(10)
