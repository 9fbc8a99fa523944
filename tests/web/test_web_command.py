"""`python -m bot web` as an administrator starts it: a real process serving the console alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.cli.exits import Exit
from bot.cli.main import main
from tests.conftest import server_environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_web_without_its_settings_says_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    server_environment(tmp_path, monkeypatch, WEB_BASE_URL="", WEB_PORT="0")
    assert main(["web"]) == Exit.CONFIG
    assert "WEB_BASE_URL" in capsys.readouterr().err


def test_web_serves_the_console_alone_with_its_security_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server_environment(tmp_path, monkeypatch, WEB_BASE_URL=base, WEB_PORT=str(port), LOG_LEVEL="WARNING")
    process = subprocess.Popen([sys.executable, "-m", "bot", "web"], env=dict(os.environ), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                landing = httpx.get(f"{base}/in/some-link", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "the console did not start"
                time.sleep(0.2)
        assert landing.status_code == 200 and "Đăng nhập" in landing.text
        assert landing.headers["cache-control"] == "no-store" and "frame-ancestors 'none'" in landing.headers["content-security-policy"]
        assert httpx.get(f"{base}/", timeout=2).status_code == 401
        assert httpx.post(f"{base}/in/some-link", timeout=2).status_code == 403
        for n in range(4):  # a local peer is no trusted proxy unless WEB_TRUSTED_PROXIES names it: the header is ignored
            assert httpx.post(f"{base}/in/some-link", headers={"x-forwarded-for": f"203.0.113.{n}"}, timeout=2).status_code == 403
        assert httpx.post(f"{base}/in/some-link", headers={"x-forwarded-for": "198.51.100.1"}, timeout=2).status_code == 429
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "some-link" not in output  # no access log: a sign-in link's token is in its path
