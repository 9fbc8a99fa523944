"""``python -m bot backup`` while reports come in, and ``restore`` into a fresh server that then takes a case."""

from __future__ import annotations

import asyncio
import base64
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.main import main
from bot.config import Settings
from bot.core import build_core
from storage.backup import prune_key_copies
from storage.cases import open_body
from storage.models import Case, CaseStatus
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import _postgres_database, server_environment

KEYS = "1:" + base64.b64encode(b"\x07" * 32).decode()


def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, name: str) -> None:
    server_environment(
        tmp_path, monkeypatch, DATABASE_URL=database_url, KEY_STORE_DIR=str(tmp_path / name / "keystore"),
        DATA_DIR=str(tmp_path / name / "data"), MASTER_KEYS=KEYS, PSEUDONYM_PEPPER="test-pepper-0123456789",
        DEFAULT_LOCALE="en",
    )


async def _report(core, n: int) -> str:  # type: ignore[no-untyped-def]
    chat = CoreChat(core, user=f"reporter-{n}")
    await report_until_review(chat, description=f"report {n}")
    receipt = await chat.choose("Gửi tin báo")
    return receipt.split("Mã tin báo: ")[1].split()[0]


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database of the same kind to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'cp.db'}"
    else:
        yield from _postgres_database()


async def test_a_backup_taken_while_reports_arrive_restores_and_its_case_can_be_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, fresh_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _environment(tmp_path, monkeypatch, database_url, "live")
    core = await build_core(Settings(), demo=False)
    try:
        first = await _report(core, 0)
        more = asyncio.gather(*(_report(core, n) for n in range(1, 6)))
        await asyncio.sleep(0.05)  # reports are being written while the copy is taken
        assert await asyncio.to_thread(main, ["backup", str(tmp_path / "backups")]) == 0
        await more
    finally:
        await core.db.dispose()
    [db_copy] = (tmp_path / "backups").glob("db-*")
    [key_copy] = (tmp_path / "backups").glob("keys-*")
    assert oct(os.stat(db_copy).st_mode & 0o777) == "0o700"

    _environment(tmp_path, monkeypatch, fresh_url, "restored")  # another machine: empty database and key store
    assert await asyncio.to_thread(main, ["restore", str(db_copy), "--keys", str(key_copy)]) == 0
    out = capsys.readouterr().out
    assert "data key(s) open" in out and "WARNING" not in out and "ERROR" not in out

    restored = await build_core(Settings(), demo=False)  # the bot starting on the restored server
    try:
        await officer_press(restored, "lan", f"ack:{first}")
        async with restored.db.session() as session:
            case = (await session.exec(select(Case).where(Case.code == first))).one()
            body = await open_body(session, restored.vault, case)
        assert case.status == CaseStatus.ACKNOWLEDGED and body["description"] == "report 0"
    finally:
        await restored.db.dispose()


def test_restore_never_overwrites_a_database_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _environment(tmp_path, monkeypatch, sqlite_url, "live")

    async def one() -> None:
        core = await build_core(Settings(), demo=False)
        try:
            await _report(core, 0)
        finally:
            await core.db.dispose()

    asyncio.run(one())
    assert main(["backup", str(tmp_path / "b")]) == 0
    [db_copy] = (tmp_path / "b").glob("db-*")
    assert main(["restore", str(db_copy)]) == 1  # DATABASE_URL is the live database
    assert "restore into a new DATABASE_URL" in capsys.readouterr().err
    assert main(["restore", str(tmp_path)]) == 1
    assert "not a database copy" in capsys.readouterr().err


def test_key_store_copies_older_than_the_purge_interval_are_deleted(tmp_path: Path) -> None:
    now = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    for taken in (now - timedelta(hours=30), now - timedelta(hours=2)):
        (tmp_path / f"keys-{taken:%Y%m%dT%H%M%SZ}").mkdir()
    (tmp_path / "db-20261130T060000Z").mkdir()  # database copies are kept: the live store shreds for them
    gone = prune_key_copies(tmp_path, now=now, keep=timedelta(hours=24))
    assert [p.name for p in gone] == ["keys-20261201T000000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db-20261130T060000Z", "keys-20261202T040000Z"]
