"""Per-row data keys and the one place where columns are sealed and opened.

Every encrypted column goes through ``Vault.seal``/``Vault.open`` with its table, column and row id,
so a ciphertext copied elsewhere fails loudly instead of decrypting in the wrong place.

A data key is wrapped by a master key version (``MASTER_KEYS``); with a key store configured, every new
key is first sealed by its own KEK held in the store (outside the database), so shredding the KEK makes
the key unreadable in every backup too. Keys made before the store existed stay master-only and open as
before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, func
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import (
    CryptoError,
    MasterKeyRing,
    Random,
    UnknownKeyVersion,
    associated_data,
    kek_unwrap,
    kek_wrap,
    needs_kek,
    new_data_key,
    new_kek,
    open_sealed,
    seal,
)
from storage.db import Database
from storage.keystore import FileKeyStore, KekMissing, KeyShredded
from storage.models import Case, DataKey

__all__ = [
    "KeyCheck",
    "KeyShredded",
    "KeyStoreRequired",
    "Rewrapped",
    "Vault",
    "check_keys",
    "rewrap_keys",
]

log = logging.getLogger(__name__)

_PENDING = "vault.kek_shreds"  # session.info: (transaction, store, key id) to shred once the transaction commits


class KeyStoreRequired(LookupError):
    """The data key is sealed by a KEK but this process has no key store configured."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"data key {key_id} needs the key store (KEY_STORE_DIR), which is not configured here")


class Vault:
    """Unwrapped data keys are kept in memory for ``KEY_CACHE_SECONDS`` after last use: every message
    opens and seals its draft, and unwrapping means a row, a key file and two unwraps each time. A key
    shredded here leaves the cache at once; shredded by another process (the daily purge), it stays
    usable in this one for at most that long — the row, the KEK and every backup are gone regardless."""

    KEY_CACHE_SECONDS = 60.0
    KEY_CACHE_SIZE = 4096

    def __init__(self, ring: MasterKeyRing, *, keystore: FileKeyStore | None = None, rng: Random = os.urandom) -> None:
        self._ring = ring
        self._store = keystore
        self._rng = rng
        self._cache: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._cache_lock = threading.Lock()  # ``Database.run_sync`` work opens and seals in a worker thread

    @property
    def ring(self) -> MasterKeyRing:
        return self._ring

    @property
    def keystore(self) -> FileKeyStore | None:
        return self._store

    def with_ring(self, ring: MasterKeyRing) -> Vault:
        """The same key store under other master keys (a rotation, an old backup)."""
        return Vault(ring, keystore=self._store, rng=self._rng)

    async def create_key(self, session: AsyncSession, *, external: bool | None = None) -> str:
        """``external`` defaults to "whenever a key store is configured": every caller, case creation
        included, gets backup-proof shredding without asking for it."""
        external = self._store is not None if external is None else external
        row = DataKey(master_version=0, wrapped=b"")
        payload = new_data_key(self._rng)
        if external:
            if self._store is None:
                raise KeyStoreRequired(row.id)
            kek = new_kek(self._rng)
            # written before the row commits: a data key is never without its KEK
            await asyncio.to_thread(self._store.put, row.id, kek)
            payload = kek_wrap(kek, payload, row.id, rng=self._rng)
        row.master_version, row.wrapped = self._ring.wrap(payload, row.id, rng=self._rng)
        session.add(row)
        await session.flush()
        return row.id

    def _unwrap(self, row: DataKey) -> bytes:
        payload = self._ring.unwrap(row.master_version, row.wrapped, row.id)
        if not needs_kek(payload):
            return payload  # made before the key store existed
        if self._store is None:
            raise KeyStoreRequired(row.id)
        return kek_unwrap(self._store.get(row.id), payload, row.id)

    def _cached(self, key_id: str) -> bytes | None:
        with self._cache_lock:
            cached = self._cache.get(key_id)
            if cached is None or cached[0] <= time.monotonic():
                return None
            self._cache.move_to_end(key_id)
            return cached[1]

    def _unwrapped(self, key_id: str, row: DataKey | None) -> bytes:
        if row is None:
            with self._cache_lock:
                self._cache.pop(key_id, None)
            raise KeyShredded(key_id)
        key = self._unwrap(row)
        with self._cache_lock:
            self._cache[key_id] = (time.monotonic() + self.KEY_CACHE_SECONDS, key)
            self._cache.move_to_end(key_id)
            if len(self._cache) > self.KEY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return key

    async def warm(self, session: AsyncSession, key_ids: list[str]) -> None:
        """Unwraps many keys read by one query into the cache (the start-up compares every sealed address
        of the directory with the file's): the opens that follow do not read a row each."""
        wanted = [k for k in dict.fromkeys(key_ids) if self._cached(k) is None][: self.KEY_CACHE_SIZE]
        for start in range(0, len(wanted), 500):  # within any SQLite's limit of bound values
            rows = await session.exec(select(DataKey).where(col(DataKey.id).in_(wanted[start : start + 500])))
            for row in rows.all():
                self._unwrapped(row.id, row)

    async def _key(self, session: AsyncSession, key_id: str) -> bytes:
        cached = self._cached(key_id)
        return cached if cached is not None else self._unwrapped(key_id, await session.get(DataKey, key_id))

    def key_in(self, connection: Connection, key_id: str) -> bytes:
        """The data key for plain Core work (``Database.run_sync``), which may run in a worker thread."""
        cached = self._cached(key_id)
        if cached is not None:
            return cached
        table = DataKey.__table__  # type: ignore[attr-defined]
        found = connection.execute(table.select().where(table.c.id == key_id)).first()
        return self._unwrapped(key_id, DataKey(**found._mapping) if found is not None else None)

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

    def open_with(self, key: bytes, place: tuple[str, str, str], blob: bytes) -> bytes:
        """``open`` with a key already in hand (``key_in``)."""
        return open_sealed(key, blob, associated_data(*place))

    def open_json_with(self, key: bytes, place: tuple[str, str, str], blob: bytes) -> Any:
        """``open_json`` with a key already in hand (``key_in``)."""
        return json.loads(open_sealed(key, blob, associated_data(*place)))

    def seal_json_with(self, key: bytes, place: tuple[str, str, str], value: Any) -> bytes:
        return seal(key, json.dumps(value, ensure_ascii=False).encode(), associated_data(*place), rng=self._rng)

    async def shred(self, session: AsyncSession, key_id: str) -> None:
        """The row goes with the caller's transaction; the KEK once that transaction commits — never
        before, since a rolled-back shred must leave a key that is still in use. A crash between the two
        leaves a KEK without a row: harmless to the live database, counted by ``keys check``, and for
        purged cases removed by the next purge."""
        with self._cache_lock:
            self._cache.pop(key_id, None)
        row = await session.get(DataKey, key_id)
        if row is not None:
            await session.delete(row)
            await session.flush()
        if self._store is not None:
            _shred_after_commit(session.sync_session, self._store, key_id)

    def shred_now(self, key_id: str) -> bool:
        """Deletes a KEK at once (the purge's repair of a shred a crash interrupted)."""
        return self._store.delete(key_id) if self._store is not None else False


def _shred_after_commit(session: Session, store: FileKeyStore, key_id: str) -> None:
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        event.listen(session, "after_commit", _on_commit)
        event.listen(session, "after_soft_rollback", _on_rollback)
    current = session.get_nested_transaction() or session.get_transaction()
    session.info[_PENDING].append((current, store, key_id))


def _on_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the outer transaction may still roll back
        return
    pending, session.info[_PENDING] = session.info[_PENDING], []
    for _, store, key_id in pending:
        try:
            store.delete(key_id)
        except OSError as exc:  # the row is gone already; the KEK stays until a purge repairs it
            log.warning("could not delete the key-encryption key of data key %s: %s", key_id, exc.strerror)


def _on_rollback(session: Session, previous: SessionTransaction) -> None:
    def undone(transaction: SessionTransaction | None) -> bool:
        while transaction is not None:
            if transaction is previous:
                return True
            transaction = transaction.parent
        return False

    session.info[_PENDING] = [entry for entry in session.info[_PENDING] if not undone(entry[0])]


# Maintenance (``python -m bot keys``): batches of rows, each batch its own short transaction, so the bot
# keeps running while a rotation or a check goes through the table.

_BATCH = 200


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnknownKeyVersion):
        return f"unknown_version:{exc.version}"
    if isinstance(exc, KeyStoreRequired):
        return "keystore_required"
    return "keystore_unreadable" if isinstance(exc, OSError) else "damaged"


@dataclass(frozen=True)
class Rewrapped:
    rewrapped: int  # moved to the current master version by this run
    total: int  # data keys in the table


async def rewrap_keys(db: Database, vault: Vault) -> Rewrapped:
    """Master rotation without touching case data: every data key under an older version is re-wrapped
    under the highest one. Refuses to start (``UnknownKeyVersion``) if any key uses a version not in
    ``MASTER_KEYS``, so a half-configured ring changes nothing."""
    ring, current = vault.ring, vault.ring.current
    async with db.session() as session:
        versions = list(await session.exec(select(DataKey.master_version).distinct()))
        total = (await session.exec(select(func.count()).select_from(DataKey))).one()
    for version in sorted(versions):
        if version not in ring.keys:
            raise UnknownKeyVersion(version)
    done, after = 0, ""
    while True:
        async with db.transaction() as session:
            query = (
                select(DataKey).where(col(DataKey.master_version) != current, col(DataKey.id) > after)
                .order_by(col(DataKey.id)).limit(_BATCH)
            )
            rows = list(await session.exec(query))
            for row in rows:
                version, wrapped = ring.rewrap(row.master_version, row.wrapped, row.id)
                result = await session.exec(
                    update(DataKey)  # a key shredded meanwhile is simply not there any more
                    .where(col(DataKey.id) == row.id, col(DataKey.master_version) == row.master_version)
                    .values(master_version=version, wrapped=wrapped)
                )
                done += result.rowcount
        if len(rows) < _BATCH:
            return Rewrapped(done, total)
        after = rows[-1].id


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnknownKeyVersion):
        return f"unknown_version:{exc.version}"
    if isinstance(exc, KeyStoreRequired):
        return "keystore_required"
    return "keystore_unreadable" if isinstance(exc, OSError) else "damaged"


@dataclass
class KeyCheck:
    opened: int = 0  # data keys that unwrap
    external: int = 0  # of those, sealed by a KEK from the store
    missing: list[str] = field(default_factory=list)  # data keys whose KEK is not in the store
    # (key id, reason): "unknown_version:<n>", "damaged", "keystore_required" or "keystore_unreadable", codes
    # the command line says in the operator's language (bot/cli/keys.py)
    failed: list[tuple[str, str]] = field(default_factory=list)
    shredded_cases: int = 0  # cases whose data key is gone: purged
    orphans: int = 0  # KEKs in the store without a data key row (an interrupted shred or creation)
    missing_cases: list[str] = field(default_factory=list)  # codes of cases among ``missing``


async def check_keys(db: Database, vault: Vault) -> KeyCheck:
    """Unwraps every data key (the key itself is dropped at once); reads no case data."""
    found, after = KeyCheck(), ""
    seen: set[str] = set()
    while True:
        async with db.session() as session:
            query = select(DataKey).where(col(DataKey.id) > after).order_by(col(DataKey.id)).limit(_BATCH)
            rows = list(await session.exec(query))
        for row in rows:
            seen.add(row.id)
            try:
                payload = vault.ring.unwrap(row.master_version, row.wrapped, row.id)
                if needs_kek(payload):
                    if vault.keystore is None:
                        raise KeyStoreRequired(row.id)
                    kek_unwrap(vault.keystore.get(row.id), payload, row.id)
                    found.external += 1
                found.opened += 1
            except KekMissing:
                found.missing.append(row.id)
            except (CryptoError, KeyStoreRequired, OSError) as exc:
                found.failed.append((row.id, _reason(exc)))
        if len(rows) < _BATCH:
            break
        after = rows[-1].id
    async with db.session() as session:
        shredded = select(func.count()).select_from(Case).where(col(Case.key_id).not_in(select(DataKey.id)))
        found.shredded_cases = (await session.exec(shredded)).one()
        if found.missing:
            codes = select(Case.code).where(col(Case.key_id).in_(found.missing)).order_by(col(Case.code))
            found.missing_cases = list(await session.exec(codes))
    if vault.keystore is not None:
        found.orphans = len(set(vault.keystore.ids()) - seen)
    return found
