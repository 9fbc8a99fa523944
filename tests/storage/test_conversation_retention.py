"""What a person's conversation keeps, and for how long: shredded with a purged case it still names (in a
backup too), a receipt kept for a crash forgotten when its minutes are over without the person writing
again, abandoned drafts shredded with their photos by the daily purge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.core import Core
from bot.secrets_setup import load_secrets
from handlers.intake.engine import RECEIPT_AGAIN_FOR
from handlers.state import load_conversation
from storage.db import Database
from storage.drafts import load_state
from storage.keystore import FileKeyStore, KekMissing
from storage.models import Attachment, Conversation, DataKey, utcnow
from storage.retention import purge_expired
from storage.vault import Vault
from tests.chat_driver import CoreChat, report_until_review
from tests.storage.test_retention import NOW, RETENTION, _backup, _close, _photo, cleanups  # noqa: F401  (fixture)


async def _conversation(core: Core, handle: str) -> Conversation | None:
    async with core.db.session() as session:
        return await session.get(Conversation, handle)


async def test_a_purged_case_takes_the_conversation_that_names_it_even_from_a_backup(
    core: Core, tmp_path: Path, cleanups: list[Callable[[], None]]  # noqa: F811
) -> None:
    chat = CoreChat(core, user="reporter-10")
    await report_until_review(chat, description="narrative to be purged")
    receipt = await chat.choose("Gửi tin báo")
    code = receipt.split("Mã tin báo: ")[1].split()[0]
    other = CoreChat(core, user="bystander")
    await other.send("/start")
    kept = await _conversation(core, chat.handle)
    assert kept is not None and kept.receipt_until is not None  # the receipt, with code and secret, kept sealed
    async with core.db.session() as session:
        from storage.cases import case_by_code

        case = await case_by_code(session, code)
    assert case is not None
    await _close(core, case, "unfounded", NOW - timedelta(days=91))
    backup = await _backup(core, tmp_path, cleanups)

    assert [p.code for p in await purge_expired(core.db, core.vault, now=NOW, retention=RETENTION, dry_run=False)] == [code]
    assert await _conversation(core, chat.handle) is None, "nothing in the live database opens to the code any more"
    assert core.vault.keystore is not None and not core.vault.keystore.contains(kept.key_id)
    async with core.db.session() as session:
        assert await session.get(DataKey, kept.key_id) is None
    assert await _conversation(core, other.handle) is not None, "a conversation that does not name the case stays"

    ring, _ = load_secrets(core.settings)
    old = Database(backup)
    fresh = Vault(ring, keystore=FileKeyStore(core.settings.key_store_path))
    try:
        with pytest.raises(KekMissing):  # the backup still has the row, sealed under a key nobody has
            async with old.session() as session:
                await load_state(session, fresh, chat.handle)
    finally:
        await old.dispose()


async def test_a_kept_receipt_is_forgotten_when_its_minutes_are_over_without_a_new_message(core: Core) -> None:
    chat = CoreChat(core, user="reporter-sweep")
    await report_until_review(chat)
    await chat.choose("Gửi tin báo")
    held = await _conversation(core, chat.handle)
    assert held is not None and held.receipt_until is not None
    worker = core.timers()
    await worker._receipts()  # noqa: SLF001  within its minutes: kept
    async with core.db.session() as session:
        state = await load_conversation(session, core.vault, chat.handle)
    assert state is not None and state.receipt is not None

    later = utcnow() + timedelta(seconds=RECEIPT_AGAIN_FOR + 1)
    core.services.clock = lambda: later
    await worker._receipts()  # noqa: SLF001  the scheduler's periodic job
    swept = await _conversation(core, chat.handle)
    assert swept is not None and swept.receipt_until is None and swept.key_id != held.key_id
    async with core.db.session() as session:
        state = await load_conversation(session, core.vault, chat.handle)
        assert await session.get(DataKey, held.key_id) is None, "the key the receipt was sealed under is shredded"
    assert state is not None and state.receipt is None and state.locale == "vi", "the receipt goes, the chat goes on"
    assert core.vault.keystore is not None and not core.vault.keystore.contains(held.key_id)


async def test_abandoned_drafts_are_shredded_with_their_photos_by_the_daily_purge(core: Core) -> None:
    stale, fresh = CoreChat(core, user="gone-quiet"), CoreChat(core, user="still-writing")
    for chat in (stale, fresh):
        await chat.send("/start")
        await chat.choose("Báo tin về một bạn nhỏ")
        await chat.choose("Hàng xóm")
        await chat.choose("Bạo lực thể chất")
        await chat.choose("6–10 tuổi")
        await chat.choose("Bé gái")
        await chat.choose("Không")
        await chat.choose("Bỏ qua")
        await chat.send("hoan kiem")
        await chat.choose("Phường Hoàn Kiếm")
        await chat.send("Ngõ 5, nhà số 12")
        await chat.send("a half-written narrative")
        await chat.send_photo(_photo())
    old = await _conversation(core, stale.handle)
    assert old is not None
    async with core.db.transaction() as session:  # eight days of silence from one of them
        await session.exec(
            update(Conversation).where(col(Conversation.handle) == stale.handle).values(updated_at=utcnow() - timedelta(days=8))
        )
    await core.timers()._purge()  # noqa: SLF001  the daily job (`python -m bot purge` runs the same)
    assert await _conversation(core, stale.handle) is None
    async with core.db.session() as session:
        photos = (await session.exec(select(Attachment.draft_handle).where(col(Attachment.draft_handle).is_not(None)))).all()
        assert await session.get(DataKey, old.key_id) is None
    assert photos == [fresh.handle], "the stale draft's photo is gone, the other's is kept"
    assert core.vault.keystore is not None and not core.vault.keystore.contains(old.key_id)
    assert await _conversation(core, fresh.handle) is not None  # the other draft goes on
