"""Sealed columns: a ciphertext moved to another row or column fails loudly; a shredded key reads nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core import Core
from storage.cases import open_body
from storage.crypto import DecryptionFailed, MasterKeyRing, UnknownKeyVersion
from storage.models import Case
from storage.vault import KeyShredded, Vault
from tests.chat_driver import CoreChat, report_until_review


async def _two_cases(core: Core) -> list[Case]:
    for description in ("first narrative", "second narrative"):
        chat = CoreChat(core, user=description)
        await report_until_review(chat, description=description)
        await chat.choose("Gửi tin báo")
    async with core.db.session() as session:
        return list((await session.exec(select(Case).order_by(Case.received_at))).all())


async def test_body_opens_only_in_its_own_row(core: Core) -> None:
    first, second = await _two_cases(core)
    async with core.db.session() as session:
        assert (await open_body(session, core.vault, first))["description"] == "first narrative"
        swapped = first.model_copy(update={"body_ct": second.body_ct})
        with pytest.raises(DecryptionFailed):
            await open_body(session, core.vault, swapped)
        same_key_other_row = second.model_copy(update={"id": first.id})
        with pytest.raises(DecryptionFailed):
            await open_body(session, core.vault, same_key_other_row)


async def test_unknown_master_version_and_shredded_key_are_clear_errors(core: Core) -> None:
    first, _ = await _two_cases(core)
    newer_only = Vault(MasterKeyRing({2: b"n" * 32}))
    async with core.db.session() as session:
        with pytest.raises(UnknownKeyVersion, match="version 1"):
            await open_body(session, newer_only, first)
    async with core.db.transaction() as session:
        await core.vault.shred(session, first.key_id)
        with pytest.raises(KeyShredded):
            await open_body(session, core.vault, first)
        await session.rollback()


async def test_rotation_keeps_old_data_readable(core: Core) -> None:
    first, _ = await _two_cases(core)
    rotated = core.vault.with_ring(MasterKeyRing({1: b"k" * 32, 2: b"n" * 32}))  # same key store
    async with core.db.transaction() as session:
        assert (await open_body(session, rotated, first))["description"] == "first narrative"
        key_id = await rotated.create_key(session)
        sealed = await rotated.seal(session, key_id, ("t", "c", "r"), b"x")
        assert await rotated.open(session, key_id, ("t", "c", "r"), sealed) == b"x"
