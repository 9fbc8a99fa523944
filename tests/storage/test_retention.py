"""Retention and the purge: expired closed cases are crypto-shredded, in the live database and in a backup
taken before the purge, while every statistic stays the same; a dry run changes nothing.

Reports are submitted through the conversation (CoreChat); closing is set directly on the rows, as the
officer's "close" would leave them.
"""

from __future__ import annotations

import io
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from bot.core import Core
from bot.secrets_setup import load_secrets
from storage.audit import case_history, first_break
from storage.cases import open_body
from storage.crypto import MasterKeyRing
from storage.db import Database
from storage.follow_up import add_message
from storage.keystore import FileKeyStore, KekMissing
from storage.models import (
    Attachment,
    Case,
    CaseMessage,
    CaseStatus,
    DataKey,
    OutboxMessage,
    utcnow,
)
from storage.retention import PURGED, Retention, expired_cases, forget_reporter_address, purge_expired
from storage.vault import KeyShredded, KeyStoreRequired, Vault
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import PG_ADMIN_URL

RETENTION = Retention.from_days(unfounded=90, duplicate=90, handled=5 * 365)
NOW = utcnow() + timedelta(days=3 * 365)  # the purge runs years after the reports were closed


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return out.getvalue()


async def _report(core: Core, user: str, *, category: str = "Bạo lực thể chất", photo: bool = False) -> Case:
    chat = CoreChat(core, user=user)
    await report_until_review(chat, description=f"narrative of {user}", category=category)
    await chat.choose("Gửi tin báo")
    async with core.db.transaction() as session:
        case = (await session.exec(select(Case).where(col(Case.reporter_handle) == chat.handle))).one()
        if photo:  # as a photo adopted from the draft at submission: sealed under the case's key
            media = Attachment(key_id=case.key_id, case_id=case.id, content_type="image/jpeg", size=1, data_ct=b"")
            media.data_ct = await core.vault.seal(session, case.key_id, ("attachment", "data_ct", media.id), _photo())
            session.add(media)
    return case


async def _close(core: Core, case: Case, outcome: str, closed_at: datetime) -> None:
    async with core.db.transaction() as session:
        row = await session.get(Case, case.id)
        assert row is not None
        row.status, row.outcome, row.closed_at = CaseStatus.CLOSED, outcome, closed_at
        session.add(row)


async def _statistics(db: Database) -> list[tuple[Any, ...]]:
    columns = (Case.category, Case.outcome, Case.status, Case.age_band, Case.sex, Case.unit_code, Case.channel, Case.reporter_kind)
    async with db.session() as session:
        query = select(*columns, func.count()).group_by(*columns).order_by(*columns)  # type: ignore[call-overload]
        return [tuple(row) for row in await session.exec(query)]


async def _cases(core: Core) -> dict[str, dict[str, Any]]:
    async with core.db.session() as session:
        return {c.code: c.model_dump() for c in await session.exec(select(Case))}


async def _count(core: Core, table: Any, case: Case) -> int:
    async with core.db.session() as session:
        return (await session.exec(select(func.count()).select_from(table).where(col(table.case_id) == case.id))).one()


async def _opens(db: Database, vault: Vault, code: str) -> str:
    async with db.session() as session:
        case = (await session.exec(select(Case).where(col(Case.code) == code))).one()
        return str((await open_body(session, vault, case))["description"])


async def _backup(core: Core, tmp_path: Path, cleanups: list[Callable[[], None]]) -> str:
    """A copy of the whole database as a nightly backup would take it, before the purge."""
    url = core.db.url
    if not core.db.is_postgres:
        copy = tmp_path / "backup.db"
        with sqlite3.connect(make_url(url).database or "") as source, sqlite3.connect(copy) as target:
            source.backup(target)  # the WAL included, unlike a plain file copy
        return f"sqlite:///{copy}"
    import psycopg

    await core.db.dispose()  # CREATE DATABASE ... TEMPLATE needs the source without connections; the pool reopens
    name, source = f"cp_backup_{uuid.uuid4().hex[:12]}", make_url(url).database
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    cleanups.append(drop)
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


@pytest.fixture
def cleanups() -> Any:
    found: list[Callable[[], None]] = []
    yield found
    for cleanup in found:
        cleanup()


async def test_purge_shreds_expired_cases_even_in_a_backup_taken_before(
    core: Core, tmp_path: Path, cleanups: list[Callable[[], None]]
) -> None:
    unfounded = await _report(core, "u", photo=True)
    duplicate = await _report(core, "d", category="Bỏ rơi, bỏ mặc")
    safe = await _report(core, "s")  # handled: kept five years
    still_open = await _report(core, "o")
    closed = NOW - timedelta(days=91)
    await _close(core, unfounded, "unfounded", closed)
    await _close(core, duplicate, "duplicate", closed)
    await _close(core, safe, "safe", closed)
    async with core.db.transaction() as session:
        await add_message(session, core.vault, unfounded, direction="note", text="internal note", officer_id=None, at=closed)
    assert await _count(core, Attachment, unfounded) == 1 and await _count(core, CaseMessage, unfounded) == 1
    assert await _count(core, OutboxMessage, unfounded) >= 1 and unfounded.reply_address_ct and unfounded.secret_hash
    before = await _statistics(core.db)
    backup = await _backup(core, tmp_path, cleanups)

    purged = await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=False)
    assert [(p.code, p.outcome) for p in purged] == sorted([(unfounded.code, "unfounded"), (duplicate.code, "duplicate")])
    assert await _statistics(core.db) == before  # counts by category, outcome, age band… unchanged

    rows = await _cases(core)
    for case in (unfounded, duplicate):
        row = rows[case.code]
        assert row["body_ct"] == b"" and row["reply_address_ct"] is None and row["secret_hash"] is None
        assert row["reporter_handle"] == "" and row["place_code"] is None
        assert (row["category"], row["age_band"], row["closed_at"]) == (case.category, case.age_band, closed)
        for table in (Attachment, CaseMessage, OutboxMessage):
            assert await _count(core, table, case) == 0, table
        assert core.vault.keystore is not None and not core.vault.keystore.contains(case.key_id)
        async with core.db.session() as session:
            assert await session.get(DataKey, case.key_id) is None
            assert [e.action for e in await case_history(session, case.id)][-1] == PURGED
    async with core.db.session() as session:
        assert await first_break(session) is None  # the purge is in the audit log, the chain intact
    assert await _opens(core.db, core.vault, safe.code) == "narrative of s"
    assert rows[safe.code]["reply_address_ct"] is None  # closed: the chat address is forgotten anyway
    assert rows[still_open.code]["reply_address_ct"] is not None

    # The backup, opened by a fresh process with the same master keys and the same key store.
    ring, _ = load_secrets(core.settings)
    old = Database(backup)
    fresh = Vault(ring, keystore=FileKeyStore(core.settings.key_store_path))
    try:
        for case in (unfounded, duplicate):
            async with old.session() as session:
                assert await session.get(DataKey, case.key_id) is not None  # the wrapped key is in the backup…
            with pytest.raises(KekMissing):  # …but its KEK is gone from the key store
                await _opens(old, fresh, case.code)
        async with old.session() as session:
            photo = (await session.exec(select(Attachment).where(col(Attachment.case_id) == unfounded.id))).one()
            with pytest.raises(KeyShredded):
                await fresh.open(session, photo.key_id, ("attachment", "data_ct", photo.id), photo.data_ct)
        assert await _opens(old, fresh, safe.code) == "narrative of s"
        assert await _opens(old, fresh, still_open.code) == "narrative of o"
        assert await _statistics(old) == before
    finally:
        await old.dispose()

    assert await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=False) == []  # idempotent


async def test_dry_run_lists_and_changes_nothing(core: Core) -> None:
    first, second = await _report(core, "a"), await _report(core, "b")
    await _close(core, first, "unfounded", NOW - timedelta(days=100))
    await _close(core, second, "police", NOW - timedelta(days=100))
    assert core.vault.keystore is not None
    keys_before, rows_before = core.vault.keystore.ids(), await _cases(core)
    listed = await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=True)
    assert [(p.code, p.outcome, p.closed_at) for p in listed] == [(first.code, "unfounded", NOW - timedelta(days=100))]
    assert await _cases(core) == rows_before  # the chat address of closed cases too
    assert core.vault.keystore.ids() == keys_before
    assert await _opens(core.db, core.vault, first.code) == "narrative of a"


async def test_each_outcome_has_its_own_period_and_the_boundary_counts(core: Core) -> None:
    retention = Retention.from_days(unfounded=10, duplicate=20, handled=30)
    assert [retention.of(o).days for o in ("unfounded", "duplicate", "safe", "police", "referred", None, "new")] == [
        10, 20, 30, 30, 30, 30, 30,
    ]
    cases = {o: await _report(core, o) for o in ("unfounded", "duplicate", "referred")}
    for outcome, case in cases.items():
        await _close(core, case, outcome, NOW - retention.of(outcome))  # exactly at the limit: expired
    async with core.db.session() as session:
        assert {c.code for c in await expired_cases(session, now=NOW, retention=retention)} == {c.code for c in cases.values()}
        earlier = NOW - timedelta(seconds=1)
        assert await expired_cases(session, now=earlier, retention=retention) == []


async def test_forget_reporter_address_at_closing(core: Core) -> None:
    case = await _report(core, "r")
    assert case.reply_address_ct is not None and case.contact_allowed
    async with core.db.transaction() as session:
        row = await session.get(Case, case.id)
        assert row is not None
        row.status, row.outcome, row.closed_at = CaseStatus.CLOSED, "referred", utcnow()
        await forget_reporter_address(session, row)
        await forget_reporter_address(session, row)  # harmless twice
    rows = await _cases(core)
    assert rows[case.code]["reply_address_ct"] is None
    assert rows[case.code]["secret_hash"] == case.secret_hash  # the reporter can still look up the outcome
    assert await _opens(core.db, core.vault, case.code) == "narrative of r"


async def test_a_shred_deletes_the_kek_only_when_its_transaction_commits(core: Core) -> None:
    store = core.vault.keystore
    assert store is not None
    async with core.db.transaction() as session:
        kept, nested_kept, gone = [await core.vault.create_key(session) for _ in range(3)]
    assert {kept, nested_kept, gone} <= set(store.ids())
    async with core.db.transaction() as session:
        await core.vault.shred(session, kept)
        await session.rollback()
    async with core.db.transaction() as session:
        savepoint = await session.begin_nested()
        await core.vault.shred(session, nested_kept)
        await savepoint.rollback()
        await core.vault.shred(session, gone)
        assert store.contains(gone)  # not yet: the transaction could still roll back
    assert store.contains(kept) and store.contains(nested_kept) and not store.contains(gone)
    async with core.db.transaction() as session:
        sealed = await core.vault.seal(session, kept, ("t", "c", "r"), b"still usable")
        assert await core.vault.open(session, kept, ("t", "c", "r"), sealed) == b"still usable"


async def test_a_purge_interrupted_before_the_kek_deletion_is_finished_by_the_next(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = await _report(core, "i")
    await _close(core, case, "unfounded", NOW - timedelta(days=100))
    assert core.vault.keystore is not None

    def disk_error(self: FileKeyStore, key_id: str) -> bool:
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as patched:
        patched.setattr(FileKeyStore, "delete", disk_error)
        assert len(await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=False)) == 1
    assert core.vault.keystore.contains(case.key_id)  # the row went, the KEK stayed
    assert await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=False) == []
    assert not core.vault.keystore.contains(case.key_id)


async def test_keys_from_before_the_key_store_still_open_and_need_no_kek(core: Core) -> None:
    ring = core.vault.ring
    legacy = Vault(ring)  # a process from before KEY_STORE_DIR existed
    async with core.db.transaction() as session:
        old_key = await legacy.create_key(session)
        sealed = await legacy.seal(session, old_key, ("t", "c", "r"), b"old")
        assert await core.vault.open(session, old_key, ("t", "c", "r"), sealed) == b"old"
        new_key = await core.vault.create_key(session)
        with pytest.raises(KeyStoreRequired, match="KEY_STORE_DIR"):
            await legacy.seal(session, new_key, ("t", "c", "r"), b"new")
        with pytest.raises(KeyStoreRequired):
            await legacy.create_key(session, external=True)
        plain = await core.vault.create_key(session, external=False)
    assert core.vault.keystore is not None
    assert old_key not in core.vault.keystore.ids() and plain not in core.vault.keystore.ids()
    assert new_key in core.vault.keystore.ids()
    assert isinstance(ring, MasterKeyRing)


async def test_documents_made_for_an_officer_are_forgotten_a_day_later(core: Core) -> None:
    from storage.models import Attachment
    from storage.retention import Retention, purge_expired

    now = datetime.now().astimezone()
    async with core.db.transaction() as session:
        for age in (timedelta(hours=2), timedelta(days=2)):
            key_id = await core.vault.create_key(session)
            document = Attachment(key_id=key_id, content_type="text/csv", size=3, data_ct=b"", created_at=now - age)
            document.data_ct = await core.vault.seal(session, key_id, ("attachment", "data_ct", document.id), b"1,2")
            session.add(document)
    retention = Retention.from_days(unfounded=90, duplicate=90, handled=1826)
    await purge_expired(core.db, core.vault, now=now, retention=retention, dry_run=False)
    async with core.db.session() as session:
        left = (await session.exec(select(Attachment))).all()
    assert [now - a.created_at < timedelta(days=1) for a in left] == [True], "the recent one stays, the old one is gone"


async def test_a_handoff_message_key_is_shredded_once_the_message_is_out(core: Core) -> None:
    from storage.models import DataKey, OutboxMessage, OutboxState
    from storage.outbox import enqueue
    from storage.retention import Retention, purge_expired

    now = datetime.now().astimezone()
    async with core.db.transaction() as session:
        key_id = await core.vault.create_key(session)
        row = await enqueue(session, core.vault, key_id=key_id, channel="telegram", address="5001",
                            payload={"text": "ca trực"}, purpose="handoff")
        row.state, row.created_at = OutboxState.SENT, now - timedelta(days=2)
        session.add(row)
    retention = Retention.from_days(unfounded=90, duplicate=90, handled=1826)
    await purge_expired(core.db, core.vault, now=now, retention=retention, dry_run=False)
    async with core.db.session() as session:
        assert await session.get(OutboxMessage, row.id) is None
        assert await session.get(DataKey, key_id) is None
