"""TELEGRAM_PROXY: from a host that cannot reach the Bot API, every call goes through an HTTP or SOCKS5 proxy.
A real proxy process (pproxy) between the bot's own session (bot/channels/telegram.py `make_bot`) and the
fake Bot API; the proxy's log names the fake server's port, and with the proxy gone the bot reaches nothing."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramNetworkError
from pydantic import ValidationError

from bot.channels.telegram import make_bot
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from tests.conftest import server_environment
from tests.telegram_fake.fixtures import TEST_TOKEN, telegram_server  # noqa: F401  (fixture)
from tests.telegram_fake.server import FakeTelegramServer

CHAT = 4242
EXAMPLE = Path(__file__).parents[2] / "deployment.example.toml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# pproxy installs uvloop whenever it can import it, then asks for a loop in a way uvloop's policy refuses
_PPROXY = "import sys; sys.modules['uvloop'] = None; from pproxy.server import main; sys.argv[0] = 'pproxy'; main()"


@pytest.fixture(params=["http", "socks5"])
def proxy(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """``pproxy -l SCHEME://127.0.0.1:PORT -v``: its log has one line per connection it carried."""
    port, log = _free_port(), tmp_path / "pproxy.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _PPROXY, "-l", f"{request.param}://127.0.0.1:{port}", "-v"], stdout=out, stderr=out
        )
    try:
        for _ in range(200):  # until it listens (a readiness wait, not a timing assertion)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                subprocess.run([sys.executable, "-c", "import time; time.sleep(0.05)"], check=True)
        yield f"{request.param}://127.0.0.1:{port}", process, log
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_the_bot_reaches_telegram_only_through_the_proxy(
    telegram_server: FakeTelegramServer, proxy: tuple[str, subprocess.Popen[bytes], Path]  # noqa: F811
) -> None:
    url, process, log = proxy
    bot = make_bot(TEST_TOKEN, telegram_server.base_url, proxy=url)
    try:
        me = await bot.get_me()
        await bot.send_message(CHAT, "qua proxy")
        assert me.is_bot
        assert (await telegram_server.wait_for_request("sendMessage")).params["text"] == "qua proxy"
        port = telegram_server.base_url.rsplit(":", 1)[1].strip("/")
        carried = [line for line in log.read_text().splitlines() if f"-> 127.0.0.1:{port}" in line]
        assert carried and carried[0].startswith(url.split(":")[0]), log.read_text()
        process.terminate()
        await asyncio.to_thread(process.wait, 10)
        await bot.session.close()  # a new connection for the next call, not the kept-alive one
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(CHAT, "không có proxy")
        assert all(r.params.get("text") != "không có proxy" for r in telegram_server.requests)
    finally:
        await bot.session.close()


@pytest.mark.parametrize("value", ["ftp://127.0.0.1:21", "socks5://127.0.0.1", "127.0.0.1:1080"])
def test_a_proxy_address_that_cannot_work_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TELEGRAM_PROXY", value)
    with pytest.raises(ValidationError, match="TELEGRAM_PROXY"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_check_config_names_the_proxy_but_not_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, TELEGRAM_PROXY="socks5://bot:s3cret-proxy-pass@10.0.0.1:1080")
    monkeypatch.setenv("DEPLOYMENT_FILE", str(EXAMPLE))
    assert main(["check-config"]) == Exit.OK
    out = capsys.readouterr().out
    assert "Telegram đi qua proxy socks5://10.0.0.1:1080" in out and "s3cret" not in out


def test_the_proxy_password_never_reaches_a_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_PROXY", "socks5://bot:s3cret-proxy-pass@10.0.0.1:1080")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "socks5://bot:s3cret-proxy-pass@10.0.0.1:1080" in settings.secret_values()
    assert "s3cret-proxy-pass" not in repr(settings)
