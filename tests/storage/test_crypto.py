"""storage.crypto: known-answer vectors, round trips, and every way a ciphertext must refuse to open."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from storage.crypto import (
    CryptoError,
    DecryptionFailed,
    MasterKeyRing,
    UnknownKeyVersion,
    associated_data,
    keyed_handle,
    open_sealed,
    seal,
)

VECTORS = json.loads((Path(__file__).with_name("crypto_vectors.json")).read_text())
KEY = b"\x11" * 32


@pytest.mark.parametrize("vector", VECTORS["seal"])
def test_known_answers_match_an_independent_aes_gcm(vector: dict[str, object]) -> None:
    key, nonce = bytes.fromhex(str(vector["key"])), bytes.fromhex(str(vector["nonce"]))
    plaintext, aad = bytes.fromhex(str(vector["plaintext"])), associated_data(*vector["place"])  # type: ignore[misc]
    sealed = bytes.fromhex(str(vector["sealed"]))
    assert seal(key, plaintext, aad, rng=lambda n: nonce[:n]) == sealed
    assert sealed == b"\x01" + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)  # not self-confirming
    assert open_sealed(key, sealed, aad) == plaintext


@pytest.mark.parametrize("vector", VECTORS["keyed_handle"])
def test_keyed_handle_vectors(vector: dict[str, str]) -> None:
    pepper = bytes.fromhex(vector["pepper"])
    expected = hmac.new(pepper, f"{vector['platform']}:{vector['user_id']}".encode(), hashlib.sha256).hexdigest()
    assert keyed_handle(pepper, vector["platform"], vector["user_id"]) == vector["handle"] == expected


@given(st.binary(max_size=2000), st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s))
def test_round_trip(plaintext: bytes, row: str) -> None:
    aad = associated_data("t", "c", row)
    assert open_sealed(KEY, seal(KEY, plaintext, aad), aad) == plaintext


def test_tampered_truncated_or_foreign_blobs_fail_loudly() -> None:
    aad = associated_data("report_case", "body_ct", "c1")
    blob = seal(KEY, b"narrative", aad)
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    for bad in (flipped, blob[:20], b"\x02" + blob[1:], b""):
        with pytest.raises(DecryptionFailed):
            open_sealed(KEY, bad, aad)
    with pytest.raises(DecryptionFailed):
        open_sealed(b"\x22" * 32, blob, aad)


@pytest.mark.parametrize("place", [("other", "body_ct", "c1"), ("report_case", "other", "c1"), ("report_case", "body_ct", "c2")])
def test_wrong_associated_data_fails(place: tuple[str, str, str]) -> None:
    blob = seal(KEY, b"narrative", associated_data("report_case", "body_ct", "c1"))
    with pytest.raises(DecryptionFailed):
        open_sealed(KEY, blob, associated_data(*place))


def test_key_ring_parse_wrap_unwrap_and_unknown_version() -> None:
    one, two = base64.b64encode(b"a" * 32).decode(), base64.b64encode(b"b" * 32).decode()
    ring = MasterKeyRing.parse(f"1:{one}, 2:{two}")
    assert ring.current == 2
    version, wrapped = ring.wrap(b"d" * 32, "key-A")
    assert version == 2 and ring.unwrap(version, wrapped, "key-A") == b"d" * 32
    with pytest.raises(DecryptionFailed):
        ring.unwrap(version, wrapped, "key-B")  # a data key is bound to its own row
    with pytest.raises(UnknownKeyVersion, match="version 3 is not configured.*MASTER_KEYS"):
        ring.unwrap(3, wrapped, "key-A")


@pytest.mark.parametrize(
    ("spec", "message"),
    [("1:not-base64!", "not valid base64"), (f"1:{base64.b64encode(b'short').decode()}", "32 bytes"), ("abc", "look like"), ("", "no master key")],
)
def test_bad_master_key_specs_are_explained(spec: str, message: str) -> None:
    with pytest.raises(CryptoError, match=message):
        MasterKeyRing.parse(spec)


def test_keyed_handles_are_stable_separated_and_opaque() -> None:
    pepper = b"pepper-0123456789"
    handle = keyed_handle(pepper, "telegram", "123456789")
    assert handle == keyed_handle(pepper, "telegram", "123456789")
    assert handle != keyed_handle(pepper, "zalo", "123456789")
    assert handle != keyed_handle(b"another-pepper-000", "telegram", "123456789")
    assert "123456789" not in handle and len(handle) == 64
