"""The key store outside the database: put/get/delete, atomic and never-replacing writes, several writers.

Also the two-layer wrap in crypto.py that the store serves: a KEK opens its own data key only.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from storage.crypto import (
    DecryptionFailed,
    MasterKeyRing,
    kek_unwrap,
    kek_wrap,
    needs_kek,
    new_data_key,
    new_kek,
)
from storage.keystore import FileKeyStore, KekMissing, KeyShredded, KeyStoreError

KEY = bytes(range(32))


def _write_many(directory: str, prefix: str, count: int) -> list[str]:
    """Runs in another process: writes ``count`` keys whose bytes can be recomputed from their id."""
    store = FileKeyStore(Path(directory))
    ids = [f"{prefix}{i:04d}" for i in range(count)]
    for key_id in ids:
        store.put(key_id, key_id.encode().ljust(32, b"."))
    return ids


def test_put_get_delete(tmp_path: Path) -> None:
    store = FileKeyStore.open(tmp_path / "keys")
    store.put("a1b2", KEY)
    assert store.get("a1b2") == KEY
    assert store.contains("a1b2") and store.ids() == ["a1b2"]
    assert store.delete("a1b2") is True
    assert not store.contains("a1b2") and store.ids() == []
    assert store.delete("a1b2") is False  # twice is fine: a retried purge


def test_a_missing_key_is_a_clear_shredded_error_without_key_material(tmp_path: Path) -> None:
    store = FileKeyStore.open(tmp_path / "keys")
    store.put("gone", KEY)
    store.delete("gone")
    with pytest.raises(KekMissing, match="gone.*not in the key store") as raised:
        store.get("gone")
    assert isinstance(raised.value, KeyShredded) and isinstance(raised.value, LookupError)
    assert KEY.hex() not in str(raised.value)
    with pytest.raises(KekMissing):
        FileKeyStore(tmp_path / "never-created").get("x")


def test_files_are_private_and_nothing_temporary_is_left(tmp_path: Path) -> None:
    store = FileKeyStore.open(tmp_path / "keys")
    store.put("k1", KEY)
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "keys" / "k1.kek").stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["k1.kek"]
    assert repr(store) == f"FileKeyStore({str(tmp_path / 'keys')!r})"


def test_a_key_is_never_replaced(tmp_path: Path) -> None:
    """Overwriting a KEK would shred its data silently; the second write fails and the first stays."""
    store = FileKeyStore.open(tmp_path / "keys")
    store.put("k1", KEY)
    with pytest.raises(KeyStoreError, match="already has"):
        store.put("k1", b"x" * 32)
    assert store.get("k1") == KEY
    assert [p.name for p in (tmp_path / "keys").iterdir()] == ["k1.kek"]


def test_a_crash_before_the_link_leaves_no_key_and_the_next_start_removes_the_leftover(tmp_path: Path) -> None:
    """Atomicity: a write is a private temporary file, fsynced, then linked; until the link there is no key.
    What a killed process left is removed when a store opens, so a delete never scans the directory."""
    store = FileKeyStore.open(tmp_path / "keys")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    leftover = tmp_path / "keys" / f".k1.{dead.stdout.strip()}.deadbeef.tmp"  # what a process killed mid-put leaves
    leftover.write_bytes(KEY[:10])
    running = tmp_path / "keys" / f".k2.{os.getpid()}.cafebabe.tmp"  # a live process's put in progress: left alone
    running.write_bytes(KEY[:10])
    assert store.ids() == [] and not store.contains("k1")
    with pytest.raises(KekMissing):
        store.get("k1")
    store.put("k1", KEY)
    assert store.get("k1") == KEY  # never a partial key
    store.delete("k1")
    FileKeyStore.open(tmp_path / "keys")  # the next start
    assert [p.name for p in (tmp_path / "keys").iterdir()] == [running.name]


@pytest.mark.parametrize("key_id", ["../x", "a/b", "", "x" * 65, "ab.kek", "é"])
def test_key_ids_cannot_name_other_files(tmp_path: Path, key_id: str) -> None:
    store = FileKeyStore.open(tmp_path / "keys")
    with pytest.raises(KeyStoreError):
        store.put(key_id, KEY)
    with pytest.raises(KeyStoreError):
        store.get(key_id)


def test_an_unwritable_directory_fails_at_open(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(KeyStoreError, match="not writable"):
        FileKeyStore.open(locked)


def test_two_processes_write_and_delete_side_by_side(tmp_path: Path) -> None:
    directory = tmp_path / "keys"
    FileKeyStore.open(directory)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        first = pool.submit(_write_many, str(directory), "a", 150)
        second = pool.submit(_write_many, str(directory), "b", 150)
        ids = first.result() + second.result()
    store = FileKeyStore(directory)
    assert store.ids() == sorted(ids)
    assert all(store.get(i) == i.encode().ljust(32, b".") for i in ids)
    with ThreadPoolExecutor(max_workers=4) as pool:  # deleting while others still read
        deleted = list(pool.map(store.delete, ids[::2]))
        read = list(pool.map(store.get, ids[1::2]))
    assert all(deleted) and read == [i.encode().ljust(32, b".") for i in ids[1::2]]
    assert store.ids() == sorted(ids[1::2])
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]


def test_threads_racing_for_the_same_id_give_exactly_one_winner(tmp_path: Path) -> None:
    store = FileKeyStore.open(tmp_path / "keys")
    start, outcomes = threading.Barrier(8), []

    def put(n: int) -> None:
        start.wait()
        try:
            store.put("same", bytes([n]) * 32)
            outcomes.append(n)
        except KeyStoreError:
            pass

    threads = [threading.Thread(target=put, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 1
    assert store.get("same") == bytes([outcomes[0]]) * 32
    assert store.ids() == ["same"] and len(list((tmp_path / "keys").iterdir())) == 1


def test_two_layers_each_bound_to_the_key_id() -> None:
    data_key, kek = new_data_key(), new_kek()
    inner = kek_wrap(kek, data_key, "k1")
    assert needs_kek(inner) and not needs_kek(data_key)  # a bare 32-byte payload predates the store
    assert kek_unwrap(kek, inner, "k1") == data_key
    with pytest.raises(DecryptionFailed):
        kek_unwrap(kek, inner, "k2")  # a KEK file renamed to another key opens nothing
    with pytest.raises(DecryptionFailed):
        kek_unwrap(new_kek(), inner, "k1")
    with pytest.raises(DecryptionFailed):
        kek_unwrap(kek, b"\x01" + inner[1:], "k1")
    ring = MasterKeyRing({1: b"a" * 32})
    version, wrapped = ring.wrap(inner, "k1")
    rotated = MasterKeyRing({1: b"a" * 32, 2: b"b" * 32})
    new_version, rewrapped = rotated.rewrap(version, wrapped, "k1")
    assert (version, new_version) == (1, 2)
    assert MasterKeyRing({2: b"b" * 32}).unwrap(2, rewrapped, "k1") == inner  # still sealed by its KEK
