"""``python -m bot keys rotate|check`` and ``python -m bot purge``: what an administrator runs on the server.

Settings come from the environment, as on a server; reports are submitted by a core built from the same
settings, so every command below is a restart as far as the database and the key store are concerned.
"""

from __future__ import annotations

import asyncio
import base64
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import build_core
from storage.cases import open_body
from storage.db import Database
from storage.models import Case, CaseStatus, utcnow
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import server_environment

K1, K2, K3 = (f"{n}:" + base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2, 3))


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    server_environment(
        tmp_path, monkeypatch, KEY_STORE_DIR=str(tmp_path / "keystore"), MASTER_KEYS=K1,
        PSEUDONYM_PEPPER="test-pepper-0123456789", DEFAULT_LOCALE="en",
    )
    return tmp_path / "keystore"


def _submit(*descriptions: str) -> list[str]:
    async def go() -> list[str]:
        core = await build_core(Settings(), demo=False)
        try:
            codes = []
            for n, description in enumerate(descriptions):
                chat = CoreChat(core, user=f"reporter-{n}")
                await report_until_review(chat, description=description)
                receipt = await chat.choose("Gửi tin báo")
                codes.append(receipt.split("Mã tin báo: ")[1].split()[0])
            return codes
        finally:
            await core.db.dispose()

    return asyncio.run(go())


def _bodies() -> dict[str, str]:
    """Every case's narrative, opened by a freshly built core (raises if one does not open)."""
    async def go() -> dict[str, str]:
        core = await build_core(Settings(), demo=False)
        try:
            async with core.db.session() as session:
                cases = list(await session.exec(select(Case).where(col(Case.status) != CaseStatus.CLOSED)))
                return {c.code: (await open_body(session, core.vault, c))["description"] for c in cases}
        finally:
            await core.db.dispose()

    return asyncio.run(go())


def _close(code: str, outcome: str, days_ago: int) -> tuple[str, str]:
    """Closes a case as the officer's desk would; returns (key id, the closing date as printed)."""
    async def go() -> tuple[str, str]:
        db = Database(Settings().database_url)
        try:
            async with db.transaction() as session:
                case = (await session.exec(select(Case).where(col(Case.code) == code))).one()
                case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, outcome, utcnow() - timedelta(days=days_ago)
                session.add(case)
                return case.key_id, (case.closed_at + timedelta(hours=7)).strftime("%d/%m/%Y")
        finally:
            await db.dispose()

    return asyncio.run(go())


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _opened(out: str) -> int:
    found = re.search(r"^(\d+) data key\(s\) open \((\d+) of them", out, re.M)
    assert found is not None, out
    return int(found[1])


@pytest.mark.usefixtures("server")
def test_rotate_then_retire_the_old_master_key(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _submit("first narrative", "second narrative")
    code, out, _ = _run(capsys, "keys", "check")
    assert code == 0
    total = _opened(out)
    assert total >= 2 and f"{total} data key(s) open ({total} of them with their key-encryption key" in out

    monkeypatch.setenv("MASTER_KEYS", f"{K1},{K2}")
    code, out, _ = _run(capsys, "keys", "rotate")
    assert code == 0, out
    assert out.strip() == f"Master key v2 is now in use: {total} data key(s) re-wrapped, {total} in all. Case data was not touched."
    code, out, _ = _run(capsys, "keys", "rotate")  # nothing newer than v2 now
    assert code == 1
    assert "Nothing to rotate: every data key is already wrapped by v2" in out and "3:<base64>" in out

    monkeypatch.setenv("MASTER_KEYS", K2)  # the old version retired
    code, out, _ = _run(capsys, "keys", "check")
    assert code == 0, out
    assert _opened(out) == total and "FAILED" not in out and "WARNING" not in out
    assert sorted(_bodies().values()) == ["first narrative", "second narrative"]


@pytest.mark.usefixtures("server")
def test_a_master_version_missing_from_master_keys_fails_loudly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _submit("a narrative")
    monkeypatch.setenv("MASTER_KEYS", K3)  # v1 removed before any rotation
    code, out, _ = _run(capsys, "keys", "check")
    assert code == 1
    assert re.search(r"^FAILED: data key [0-9a-f]{32}: master key version 1 is not in MASTER_KEYS$", out, re.M)
    assert "data key(s) FAILED to open" in out and "0 data key(s) open" in out
    code, out, err = _run(capsys, "keys", "rotate")
    assert code == Exit.CONFIG and out == ""
    assert "master key version 1 is not in MASTER_KEYS" in err and "Traceback" not in err
    monkeypatch.setenv("MASTER_KEYS", K1)  # the refused rotation changed nothing
    assert _run(capsys, "keys", "check")[0] == 0
    assert list(_bodies().values()) == ["a narrative"]


def test_purge_then_check_tells_shredded_from_missing(capsys: pytest.CaptureFixture[str], server: Path) -> None:
    gone, kept = _submit("to be purged", "to be kept")
    code, out, _ = _run(capsys, "purge", "--dry-run")
    assert code == 0 and out.splitlines()[-1] == "No closed case is past its retention period."
    key_id, closed = _close(gone, "unfounded", days_ago=91)

    code, out, _ = _run(capsys, "purge", "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "Retention: unfounded 90 days, duplicate 90 days, handled (safe, police, referred) 1826 days.",
        "1 closed case(s) are past their retention period and would be shredded (dry run, nothing changed):",
        f"{gone} — Unfounded — closed {closed}",
    ]
    assert (server / f"{key_id}.kek").exists()
    code, out, _ = _run(capsys, "purge")
    assert code == 0
    assert out.splitlines()[-2:] == [f"{gone} — Unfounded — closed {closed}", "1 case(s) shredded. Statistics are unchanged."]
    assert not (server / f"{key_id}.kek").exists()
    assert _run(capsys, "purge")[1].splitlines()[-1] == "No closed case is past its retention period."

    code, out, _ = _run(capsys, "keys", "check")
    assert code == 0, out
    assert "1 case(s) shredded (purged after their retention period): unreadable by design." in out

    async def key_of(code: str) -> str:
        db = Database(Settings().database_url)
        try:
            async with db.session() as session:
                return (await session.exec(select(Case.key_id).where(col(Case.code) == code))).one()
        finally:
            await db.dispose()

    (server / f"{asyncio.run(key_of(kept))}.kek").unlink()  # a key store restored from a too-old backup
    code, out, _ = _run(capsys, "keys", "check")
    assert code == 1
    assert f"WARNING: 1 data key(s) have no key-encryption key in the key store {server}" in out
    assert f"Cases: {kept}." in out and "FAILED" not in out
