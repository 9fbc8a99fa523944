"""The key store outside the database: one key-encryption key (KEK) per data key, one small file each.

Why outside: a data key wrapped only by the master key sits next to the data in the same database, so
every backup of the database carries it, and deleting the row shreds nothing in those backups. A data
key that also needs its KEK from here is gone from every copy of the database once the KEK file is.

Why one file per key rather than one shared file: a key is written once and deleted once, never edited,
so no file is ever rewritten and several processes need no lock. A write is a private temporary file
(``O_EXCL``, 0600, fsync) linked to its final name (``os.link`` refuses an existing name, so a key is
never replaced) and the directory fsynced; a reader sees the whole key or no key. The store only holds
bytes; all cryptography is in ``storage/crypto.py``.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

__all__ = ["FileKeyStore", "KekMissing", "KeyShredded", "KeyStoreError"]

_SUFFIX = ".kek"
_TEMP = ".tmp"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # data key ids are uuid hex; anything else never names a file


class KeyShredded(LookupError):
    """The data key is gone: what it sealed is unreadable by design."""


class KekMissing(KeyShredded):
    """The data key's row is there but its KEK is not in the store: shredded (a purge), or the wrong store."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f"key-encryption key of data key {key_id} is not in the key store (shredded, or another store)"
        )
        self.key_id = key_id


class KeyStoreError(Exception):
    """The store cannot do what was asked (unwritable directory, a key written twice); never carries key bytes."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class FileKeyStore:
    """KEKs as ``<directory>/<key id>.kek`` (0600, in a 0700 directory). Safe for several processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"FileKeyStore({str(self.directory)!r})"

    @classmethod
    def open(cls, directory: Path) -> FileKeyStore:
        """Creates the directory if needed and checks it is writable, so a bad path fails at start, not at a report."""
        store = cls(directory)
        store.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(store.directory, os.W_OK | os.X_OK):
            raise KeyStoreError(f"key store {store.directory} is not writable (KEY_STORE_DIR)")
        store._sweep_leftovers()
        return store

    def _sweep_leftovers(self) -> None:
        """Removes the temporary copies of KEKs that a process killed inside ``put`` left behind (its pid is in
        the name): once at start, so that ``delete`` never has to scan a directory of thousands of keys."""
        for leftover in self.directory.glob(f".*{_TEMP}"):
            pid = leftover.name.split(".")[2] if leftover.name.count(".") >= 4 else ""
            if pid.isdigit() and not _alive(int(pid)):
                leftover.unlink(missing_ok=True)

    def _path(self, key_id: str) -> Path:
        if not _KEY_ID.match(key_id):
            raise KeyStoreError("a key id may only hold letters, digits, '-' and '_' (at most 64)")
        return self.directory / f"{key_id}{_SUFFIX}"

    def put(self, key_id: str, kek: bytes) -> None:
        """Atomic and durable once it returns; refuses to replace a key (that would shred silently)."""
        final = self._path(key_id)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = self.directory / f".{key_id}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                _write_all(fd, kek)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.link(temp, final)
        except FileExistsError:
            raise KeyStoreError(f"data key {key_id} already has a key-encryption key") from None
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(self.directory)

    def get(self, key_id: str) -> bytes:
        try:
            return self._path(key_id).read_bytes()
        except FileNotFoundError:
            raise KekMissing(key_id) from None

    def contains(self, key_id: str) -> bool:
        return self._path(key_id).exists()

    def delete(self, key_id: str) -> bool:
        """Shreds one KEK; False when it was not there (a copy a crash left behind went at start, see ``open``).

        The bytes are overwritten before the unlink: best effort only (SSDs and copy-on-write file
        systems may keep the old blocks), which is why the store's backups must be short-lived.
        """
        path = self._path(key_id)
        try:
            fd = os.open(path, os.O_WRONLY)
        except FileNotFoundError:
            return False
        try:
            _write_all(fd, bytes(os.fstat(fd).st_size))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            path.unlink()
        except FileNotFoundError:  # another process shredded it at the same moment
            return False
        _fsync_dir(self.directory)
        return True

    def ids(self) -> list[str]:
        """Every key id in the store (for ``keys check``); temporary files are not keys."""
        if not self.directory.is_dir():
            return []
        return sorted(
            p.name[: -len(_SUFFIX)]
            for p in self.directory.iterdir()
            if p.name.endswith(_SUFFIX) and not p.name.startswith(".")
        )
