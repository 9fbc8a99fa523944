"""Per-row data keys and the one place where columns are sealed and opened.

Every encrypted column goes through ``Vault.seal``/``Vault.open`` with its table, column and row id,
so a ciphertext copied elsewhere fails loudly instead of decrypting in the wrong place.
"""

from __future__ import annotations

import json
import os
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import MasterKeyRing, Random, associated_data, new_data_key, open_sealed, seal
from storage.models import DataKey

__all__ = ["KeyShredded", "Vault"]


class KeyShredded(LookupError):
    """The data key is gone: what it sealed is unreadable by design."""


class Vault:
    def __init__(self, ring: MasterKeyRing, *, rng: Random = os.urandom) -> None:
        self._ring = ring
        self._rng = rng

    async def create_key(self, session: AsyncSession) -> str:
        row = DataKey(master_version=0, wrapped=b"")
        row.master_version, row.wrapped = self._ring.wrap(new_data_key(self._rng), row.id, rng=self._rng)
        session.add(row)
        await session.flush()
        return row.id

    async def _key(self, session: AsyncSession, key_id: str) -> bytes:
        row = await session.get(DataKey, key_id)
        if row is None:
            raise KeyShredded(key_id)
        return self._ring.unwrap(row.master_version, row.wrapped, row.id)

    async def seal(
        self, session: AsyncSession, key_id: str, place: tuple[str, str, str], plaintext: bytes
    ) -> bytes:
        key = await self._key(session, key_id)
        return seal(key, plaintext, associated_data(*place), rng=self._rng)

    async def open(self, session: AsyncSession, key_id: str, place: tuple[str, str, str], blob: bytes) -> bytes:
        key = await self._key(session, key_id)
        return open_sealed(key, blob, associated_data(*place))

    async def seal_json(
        self, session: AsyncSession, key_id: str, place: tuple[str, str, str], value: Any
    ) -> bytes:
        return await self.seal(session, key_id, place, json.dumps(value, ensure_ascii=False).encode())

    async def open_json(self, session: AsyncSession, key_id: str, place: tuple[str, str, str], blob: bytes) -> Any:
        return json.loads(await self.open(session, key_id, place, blob))

    async def shred(self, session: AsyncSession, key_id: str) -> None:
        row = await session.get(DataKey, key_id)
        if row is not None:
            await session.delete(row)
            await session.flush()
