"""Consistent copies of the database and, separately, of the key store, and bringing them back.

Why two copies, and why the key-store copy must not live long: a data key needs its KEK from the key
store (storage/keystore.py), and a purge shreds a case by deleting that KEK. A database copy is harmless
after a purge (the live store no longer opens the purged case), but a key-store copy still holds the
KEK, so it is kept only until the next purge would have run (``prune_key_copies``).

SQLite is copied with its online-backup API (a consistent snapshot while the bot writes); PostgreSQL
with ``pg_dump`` (one transaction, so consistent too) and restored with ``pg_restore``."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = [
    "ERRORS", "BackupError", "copy_database", "copy_key_store", "prune_key_copies", "restore_database", "restore_key_store",
]

MANIFEST = "backup.json"
ERRORS = ("in_memory", "unsupported", "tool_missing", "tool_failed", "no_database", "not_a_copy", "other_backend",
          "target_exists")  # each one a ``backup.error.<key>`` text in locales/
_SQLITE_FILE, _PG_FILE = "database.sqlite3", "database.pgdump"


class BackupError(Exception):
    """What the operator must fix (a target that is not empty, a tool missing, a copy that is not one):
    a catalog key (``backup.error.<key>``) and its values, told in the operator's language by the command."""

    def __init__(self, key: str, **values: str) -> None:
        assert key in ERRORS, key
        super().__init__(key)
        self.key, self.values = f"backup.error.{key}", values


@dataclass(frozen=True)
class _Target:
    backend: str
    path: Path | None  # SQLite's file
    libpq: str  # PostgreSQL's connection string, as pg_dump takes it


def _target(url: str) -> _Target:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise BackupError("in_memory")
        return _Target(backend, Path(parsed.database), "")
    if backend == "postgresql":
        return _Target(backend, None, parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    raise BackupError("unsupported", backend=str(backend))


def _run(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError("tool_missing", tool=tool)
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError("tool_failed", tool=tool, detail=done.stderr.strip()[:500])


def copy_database(url: str, directory: Path, *, at: datetime) -> Path:
    """A new directory under ``directory`` holding the database and a manifest; returns it."""
    target = _target(url)
    out = directory / f"db-{at:%Y%m%dT%H%M%SZ}"
    out.mkdir(parents=True, mode=0o700)
    if target.backend == "sqlite":
        assert target.path is not None
        if not target.path.exists():
            raise BackupError("no_database", path=str(target.path))
        with sqlite3.connect(target.path) as source, sqlite3.connect(out / _SQLITE_FILE) as copy:
            source.backup(copy)  # all pages in one step: one snapshot, whatever the bot writes meanwhile
        os.chmod(out / _SQLITE_FILE, 0o600)
        name = _SQLITE_FILE
    else:
        _run("pg_dump", "--format=custom", "--no-owner", f"--file={out / _PG_FILE}", f"--dbname={target.libpq}")
        name = _PG_FILE
    (out / MANIFEST).write_text(json.dumps({"backend": target.backend, "file": name, "at": at.isoformat()}))
    return out


def copy_key_store(store: Path, directory: Path, *, at: datetime) -> tuple[Path, int]:
    """The KEK files, copied after the database (so every key the database copy names is in it)."""
    out = directory / f"keys-{at:%Y%m%dT%H%M%SZ}"
    out.mkdir(parents=True, mode=0o700)
    count = 0
    for kek in sorted(store.glob("*.kek")) if store.is_dir() else []:
        shutil.copy2(kek, out / kek.name)
        os.chmod(out / kek.name, 0o600)
        count += 1
    return out, count


def prune_key_copies(directory: Path, *, now: datetime, keep: timedelta) -> list[Path]:
    """Deletes key-store copies older than ``keep``: a purge's shredding must reach every copy in time."""
    gone = []
    for copy in sorted(directory.glob("keys-*")):
        try:
            taken = datetime.strptime(copy.name, "keys-%Y%m%dT%H%M%SZ").replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
        if now - taken > keep:
            shutil.rmtree(copy)
            gone.append(copy)
    return gone


def restore_database(copy: Path, url: str) -> None:
    """Into an empty target only: a restore never overwrites a database that is in use."""
    try:
        manifest = json.loads((copy / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("not_a_copy", path=str(copy)) from exc
    target = _target(url)
    if manifest.get("backend") != target.backend:
        raise BackupError("other_backend", copy=str(manifest.get("backend")), target=target.backend)
    if target.backend == "sqlite":
        assert target.path is not None
        if target.path.exists() and target.path.stat().st_size > 0:
            raise BackupError("target_exists", path=str(target.path))
        target.path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(copy / _SQLITE_FILE) as source, sqlite3.connect(target.path) as into:
            source.backup(into)
        os.chmod(target.path, 0o600)
    else:
        _run("pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
             f"--dbname={target.libpq}", str(copy / _PG_FILE))


def restore_key_store(copy: Path, store: Path) -> int:
    """Adds the copied KEKs the live store lacks; never replaces one (a key is written once)."""
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    added = 0
    for kek in sorted(copy.glob("*.kek")):
        if not (store / kek.name).exists():
            shutil.copy2(kek, store / kek.name)
            os.chmod(store / kek.name, 0o600)
            added += 1
    return added
