"""Maintenance commands beside a live bot: without MASTER_KEYS and PSEUDONYM_PEPPER each refuses, in the
operator's language, before it touches the database; only the bot process writes the officer directory, and
throw-away keys exist only for the terminal demo, on a database of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import Core, build_core
from storage.models import OfficerIdentity
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import server_environment

COMMANDS = [
    ["audit", "verify"], ["audit", "show", "TE-AAAAA"], ["report", "--period", "2026"], ["roster", "show", "00070"],
    ["export-case", "TE-AAAAA"], ["web"], ["keys", "check"], ["purge", "--dry-run"],
]
REFUSED = {
    "vi": "lỗi cấu hình: chưa đặt MASTER_KEYS và PSEUDONYM_PEPPER (xem .env.example)",
    "en": "configuration error: MASTER_KEYS and PSEUDONYM_PEPPER are not set (see .env.example)",
}


async def _identities(core: Core) -> set[tuple[str, str]]:
    async with core.db.session() as session:
        return {(i.handle, i.officer_id) for i in (await session.exec(select(OfficerIdentity))).all()}


async def _live_bot_with_a_case() -> tuple[Core, str]:
    core = await build_core(Settings(), demo=False)
    chat = CoreChat(core, user="reporter")
    await report_until_review(chat)
    receipt = await chat.choose("Gửi tin báo")
    return core, receipt.split("Mã tin báo: ")[1].split()[0]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_commands_without_secrets_refuse_and_the_live_bot_still_knows_its_officers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], locale: str
) -> None:
    server_environment(tmp_path, monkeypatch, WEB_BASE_URL="http://127.0.0.1:8799", WEB_PORT="8799", DEFAULT_LOCALE=locale)
    core, code = await _live_bot_with_a_case()
    try:
        before = await _identities(core)
        monkeypatch.setenv("MASTER_KEYS", "")
        monkeypatch.setenv("PSEUDONYM_PEPPER", "")
        for argv in COMMANDS:  # each in its own thread, as its own process would be: main runs its own loop
            assert await asyncio.to_thread(main, argv) == Exit.CONFIG, argv
            captured = capsys.readouterr()
            assert REFUSED[locale] in captured.err and "Traceback" not in captured.err, (argv, captured)
        assert not list((tmp_path / "data").rglob("*keys.env")), "no throw-away keys were made"
        assert await _identities(core) == before
        taken = await officer_press(core, "lan", f"ack:{code}")  # the running bot, never restarted
        assert taken.toast == {"vi": f"Bạn đã nhận xử lý tin báo {code}.", "en": f"You have taken report {code}."}[locale], taken
    finally:
        await core.db.dispose()

EXAMPLE = Path(__file__).parents[3] / "deployment.example.toml"


def test_a_short_pepper_is_refused_and_check_config_does_not_make_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, PSEUDONYM_PEPPER="short")
    assert main(["audit", "verify"]) == Exit.CONFIG
    assert "PSEUDONYM_PEPPER phải dài ít nhất 16 ký tự" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists(), "refused before the database was touched"
    monkeypatch.setenv("MASTER_KEYS", "")
    monkeypatch.setenv("PSEUDONYM_PEPPER", "")
    monkeypatch.setenv("DEPLOYMENT_FILE", str(EXAMPLE))  # one whose urgent chains reach someone
    assert main(["check-config"]) == 0  # no token, no secrets: the terminal demo, which makes its own
    assert "bản thử trong terminal" in capsys.readouterr().out
    assert not (tmp_path / "data").exists()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert main(["check-config"]) == Exit.CONFIG
    assert REFUSED["vi"] in capsys.readouterr().err


async def test_the_terminal_demo_without_secrets_runs_on_its_own_database(make_settings, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(sqlite_url, master_keys=None, pseudonym_pepper=None)
    demo = await build_core(settings, demo=True)
    try:
        assert demo.settings.database_url == f"sqlite:///{tmp_path / 'data' / 'demo' / 'demo.db'}"
        assert demo.settings.key_store_path == tmp_path / "data" / "demo" / "keystore"
        assert (tmp_path / "data" / "demo" / "demo-keys.env").stat().st_mode & 0o777 == 0o600
        assert await _identities(demo)  # its officers, under its keys
    finally:
        await demo.db.dispose()
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists(), "the configured database was never opened"
