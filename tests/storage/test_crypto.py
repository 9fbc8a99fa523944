"""storage.crypto: known-answer vectors, round trips, and every way a ciphertext must refuse to open.

The vectors in crypto_vectors.json were produced once by the module; each test re-derives them with
``cryptography``'s AESGCM or ``hmac`` directly, and the published GCM vectors check the primitive itself,
so a change in the format or the binding of associated data cannot slip through as "self-consistent".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from storage import crypto
from storage.crypto import (
    CryptoError,
    DecryptionFailed,
    MasterKeyRing,
    UnknownKeyVersion,
    associated_data,
    keyed_handle,
    new_data_key,
    open_sealed,
    seal,
)

VECTORS: dict[str, Any] = json.loads(Path(__file__).with_name("crypto_vectors.json").read_text("utf-8"))
KEY = b"\x11" * 32
FORMAT = b"\x01"


def fixed(nonce_hex: str) -> crypto.Random:
    """An rng that hands out exactly this nonce, and fails if asked for anything else."""
    nonce = bytes.fromhex(nonce_hex)

    def rng(size: int) -> bytes:
        assert size == len(nonce), size
        return nonce

    return rng


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


aad_part = st.text(max_size=30).filter(lambda s: "\x00" not in s)


# --- known answers -------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS["published_aes_gcm"], ids=lambda v: v["source"][-22:])
def test_published_gcm_vectors(vector: dict[str, str]) -> None:
    key, nonce = bytes.fromhex(vector["key"]), bytes.fromhex(vector["nonce"])
    plaintext, aad = bytes.fromhex(vector["plaintext"]), bytes.fromhex(vector["aad"])
    sealed = seal(key, plaintext, aad, rng=fixed(vector["nonce"]))
    assert sealed == FORMAT + nonce + bytes.fromhex(vector["ciphertext_and_tag"])
    assert open_sealed(key, sealed, aad) == plaintext


@pytest.mark.parametrize("vector", VECTORS["seal"], ids=lambda v: v["sealed"][-8:])
def test_seal_vectors_match_an_independent_aes_gcm(vector: dict[str, Any]) -> None:
    key, nonce = bytes.fromhex(vector["key"]), bytes.fromhex(vector["nonce"])
    plaintext, sealed = bytes.fromhex(vector["plaintext"]), bytes.fromhex(vector["sealed"])
    table, column, row_id = vector["place"]
    aad = associated_data(table, column, row_id)
    assert aad == f"{table}\x00{column}\x00{row_id}".encode()  # the binding, spelled out independently
    assert seal(key, plaintext, aad, rng=fixed(vector["nonce"])) == sealed
    assert sealed == FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
    assert AESGCM(key).decrypt(sealed[1:13], sealed[13:], aad) == plaintext
    assert open_sealed(key, sealed, aad) == plaintext


@pytest.mark.parametrize("vector", VECTORS["wrap"], ids=lambda v: v["key_id"][:8])
def test_wrap_vectors(vector: dict[str, Any]) -> None:
    ring = MasterKeyRing.parse(VECTORS["master_keys"])
    data_key, nonce = bytes.fromhex(vector["data_key"]), bytes.fromhex(vector["nonce"])
    wrapped = bytes.fromhex(vector["wrapped"])
    version = vector["version"]
    assert ring.wrap(data_key, vector["key_id"], rng=fixed(vector["nonce"])) == (version, wrapped)
    aad = f"data_key\x00v{version}\x00{vector['key_id']}".encode()
    assert wrapped == FORMAT + nonce + AESGCM(ring.keys[version]).encrypt(nonce, data_key, aad)
    assert ring.unwrap(version, wrapped, vector["key_id"]) == data_key


@pytest.mark.parametrize("vector", VECTORS["keyed_handle"], ids=lambda v: v["platform"])
def test_keyed_handle_vectors(vector: dict[str, str]) -> None:
    pepper = bytes.fromhex(vector["pepper"])
    message = f"{vector['platform']}:{vector['user_id']}".encode()
    expected = hmac.new(pepper, message, hashlib.sha256).hexdigest()
    assert keyed_handle(pepper, vector["platform"], vector["user_id"]) == vector["handle"] == expected


@pytest.mark.parametrize("vector", VECTORS["negative"], ids=lambda v: v["why"])
def test_negative_vectors_refuse_to_open(vector: dict[str, Any]) -> None:
    key, blob = bytes.fromhex(vector["key"]), bytes.fromhex(vector["blob"])
    aad = associated_data(*vector["place"])
    assert vector["error"] == "DecryptionFailed"
    with pytest.raises(DecryptionFailed) as raised:
        open_sealed(key, blob, aad)
    assert key.hex() not in str(raised.value) and (not blob or blob.hex() not in str(raised.value))
    if len(blob) >= 29 and blob[:1] == FORMAT:  # well-formed: AES-GCM itself must reject it too
        with pytest.raises(InvalidTag):
            AESGCM(key).decrypt(blob[1:13], blob[13:], aad)


def test_every_negative_vector_is_a_small_change_of_a_valid_blob() -> None:
    """Guards the vector file: a negative that never opened anywhere would prove nothing."""
    valid = {bytes.fromhex(v["sealed"]) for v in VECTORS["seal"]}
    for vector in VECTORS["negative"]:
        blob = bytes.fromhex(vector["blob"])
        assert blob in valid or any(_close(blob, good) for good in valid), vector["why"]


def _close(blob: bytes, good: bytes) -> bool:
    if not blob:
        return True
    same_length = len(blob) == len(good) and sum(a != b for a, b in zip(blob, good, strict=True)) == 1
    return same_length or good.startswith(blob) or blob.startswith(good) or good.endswith(blob)


# --- round trips ---------------------------------------------------------------------------------


@given(st.binary(max_size=4096), aad_part, aad_part, aad_part)
def test_round_trip_over_arbitrary_bytes_and_places(
    plaintext: bytes, table: str, column: str, row: str
) -> None:
    aad = associated_data(table, column, row)
    sealed = seal(KEY, plaintext, aad)
    assert open_sealed(KEY, sealed, aad) == plaintext
    assert len(sealed) == 1 + 12 + len(plaintext) + 16


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_round_trip_with_raw_associated_data(plaintext: bytes, aad: bytes) -> None:
    assert open_sealed(KEY, seal(KEY, plaintext, aad), aad) == plaintext


def test_sealing_twice_uses_fresh_nonces() -> None:
    aad = associated_data("report_case", "body_ct", "c1")
    first, second = seal(KEY, b"same", aad), seal(KEY, b"same", aad)
    assert first[1:13] != second[1:13] and first != second
    assert len(new_data_key()) == 32 and new_data_key() != new_data_key()


def test_associated_data_parts_cannot_contain_the_separator() -> None:
    with pytest.raises(CryptoError, match="NUL"):
        associated_data("report_case\x00body_ct", "", "c1")


# --- tampering and misplacement ------------------------------------------------------------------


@given(st.binary(min_size=1, max_size=200), st.data())
def test_any_single_bit_flip_is_detected(plaintext: bytes, data: st.DataObject) -> None:
    aad = associated_data("report_case", "body_ct", "c1")
    blob = bytearray(seal(KEY, plaintext, aad))
    position = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
    blob[position] ^= 1 << data.draw(st.integers(min_value=0, max_value=7))
    with pytest.raises(DecryptionFailed):
        open_sealed(KEY, bytes(blob), aad)


def test_tampered_truncated_or_foreign_blobs_fail() -> None:
    aad = associated_data("report_case", "body_ct", "c1")
    blob = seal(KEY, b"narrative", aad)
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    for bad in (flipped, blob[:20], blob[:-1], b"\x02" + blob[1:], b""):
        with pytest.raises(DecryptionFailed):
            open_sealed(KEY, bad, aad)
    with pytest.raises(DecryptionFailed, match="authentication"):
        open_sealed(b"\x22" * 32, blob, aad)


@pytest.mark.parametrize(
    "place",
    [("other", "body_ct", "c1"), ("report_case", "other", "c1"), ("report_case", "body_ct", "c2")],
    ids=["table", "column", "row"],
)
def test_wrong_associated_data_fails(place: tuple[str, str, str]) -> None:
    blob = seal(KEY, b"narrative", associated_data("report_case", "body_ct", "c1"))
    with pytest.raises(DecryptionFailed):
        open_sealed(KEY, blob, associated_data(*place))


@given(aad_part, aad_part, aad_part, aad_part, aad_part, aad_part)
def test_any_other_place_fails(t1: str, c1: str, r1: str, t2: str, c2: str, r2: str) -> None:
    if (t1, c1, r1) == (t2, c2, r2):
        return
    blob = seal(KEY, b"x", associated_data(t1, c1, r1))
    with pytest.raises(DecryptionFailed):
        open_sealed(KEY, blob, associated_data(t2, c2, r2))


# --- master keys ---------------------------------------------------------------------------------


def test_key_ring_parse_picks_the_highest_version_as_current() -> None:
    one, two = b"a" * 32, b"b" * 32
    ring = MasterKeyRing.parse(f"1:{b64(one)},2:{b64(two)}")
    assert ring.current == 2 and dict(ring.keys) == {1: one, 2: two}
    # order and spaces do not matter; versions compare as numbers
    assert MasterKeyRing.parse(f" 2:{b64(two)} , 1:{b64(one)} ,").current == 2
    assert MasterKeyRing.parse(f"10:{b64(two)},9:{b64(one)}").current == 10


def test_wrap_unwrap_round_trip_and_rotation() -> None:
    old = MasterKeyRing({1: b"a" * 32})
    version, wrapped = old.wrap(b"d" * 32, "key-A")
    assert version == 1 and old.unwrap(1, wrapped, "key-A") == b"d" * 32
    rotated = MasterKeyRing({1: b"a" * 32, 2: b"b" * 32})
    assert rotated.unwrap(1, wrapped, "key-A") == b"d" * 32  # old data keys still open after rotation
    assert rotated.wrap(b"d" * 32, "key-A")[0] == 2


def test_unknown_version_names_the_version_and_master_keys() -> None:
    ring = MasterKeyRing({2: b"b" * 32})
    _, wrapped = ring.wrap(b"d" * 32, "key-A")
    with pytest.raises(UnknownKeyVersion, match=r"version 3 is not configured.*MASTER_KEYS") as raised:
        ring.unwrap(3, wrapped, "key-A")
    assert raised.value.version == 3 and isinstance(raised.value, CryptoError)


def test_a_data_key_wrapped_for_one_row_cannot_be_unwrapped_for_another() -> None:
    ring = MasterKeyRing({1: b"a" * 32, 2: b"b" * 32})
    version, wrapped = ring.wrap(b"d" * 32, "key-A")
    with pytest.raises(DecryptionFailed):
        ring.unwrap(version, wrapped, "key-B")
    with pytest.raises(DecryptionFailed):  # nor claimed to be under another version
        ring.unwrap(1, wrapped, "key-A")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("1:not-base64!", "v1 is not valid base64"),
        ("1:QUJ", "v1 is not valid base64"),  # bad padding
        (f"1:{b64(b'short')}", "v1 must be 32 bytes"),
        (f"1:{b64(b'x' * 33)}", "v1 must be 32 bytes"),
        (f"0:{b64(b'x' * 32)}", "version >= 1"),
        ("1:", "v1 must be 32 bytes"),
        (b64(b"x" * 32), "look like 1:<base64"),  # the version was forgotten
        (f":{b64(b'x' * 32)}", "look like 1:<base64"),
        (f"one:{b64(b'x' * 32)}", "look like 1:<base64"),
        (f"-1:{b64(b'x' * 32)}", "look like 1:<base64"),
        ("", "no master key configured"),
        (" , ", "no master key configured"),
    ],
)
def test_bad_master_key_specs_are_explained(spec: str, message: str) -> None:
    with pytest.raises(CryptoError, match=message) as raised:
        MasterKeyRing.parse(spec)
    secret = spec.partition(":")[2]
    assert not secret or secret not in str(raised.value)  # the message never echoes key material


def test_the_key_ring_does_not_print_its_keys() -> None:
    ring = MasterKeyRing({1: b"S" * 32})
    assert "SSSS" not in repr(ring) and "SSSS" not in str(ring)


# --- keyed handles -------------------------------------------------------------------------------


def test_keyed_handles_are_stable_separated_and_opaque() -> None:
    pepper = b"pepper-0123456789"
    handle = keyed_handle(pepper, "telegram", "123456789")
    assert handle == keyed_handle(pepper, "telegram", "123456789")
    assert handle != keyed_handle(pepper, "zalo", "123456789")
    assert handle != keyed_handle(b"another-pepper-000", "telegram", "123456789")
    assert handle != keyed_handle(pepper, "telegram", "123456780")
    assert "123456789" not in handle and len(handle) == 64 and int(handle, 16) >= 0


@given(
    st.binary(min_size=1, max_size=64),
    st.sampled_from(["telegram", "zalo"]),
    st.text(min_size=1, max_size=40),
)
def test_keyed_handle_never_contains_the_user_id(pepper: bytes, platform: str, user_id: str) -> None:
    handle = keyed_handle(pepper, platform, user_id)
    assert len(handle) == 64 and set(handle) <= set("0123456789abcdef")
    assert len(user_id) < 6 or user_id not in handle


def test_master_key_spec_tolerates_spaces_and_refuses_a_repeated_version() -> None:
    key = base64.b64encode(b"k" * 32).decode()
    assert MasterKeyRing.parse(f" 1 : {key} ").current == 1
    with pytest.raises(CryptoError, match="given twice"):
        MasterKeyRing.parse(f"1:{key},1:{key}")


PEPPER = b"a pepper of the deployment, 32 b"


def test_a_follow_up_secret_checks_only_with_its_pepper_and_as_typed_by_hand() -> None:
    stored = crypto.hash_secret("4821-0937-56", PEPPER)
    assert "4821" not in stored and stored.startswith("pscrypt$")
    assert crypto.check_secret("4821 0937 56", stored, PEPPER)  # spaces, dashes typed or not
    assert crypto.check_secret("4821093756", stored, PEPPER)
    assert not crypto.check_secret("4821-0937-57", stored, PEPPER)
    assert not crypto.check_secret("4821-0937-56", stored, b"another deployment's pepper")  # a stolen database alone
    assert crypto.hash_secret("4821-0937-56", PEPPER) != stored  # salted


def test_the_hash_is_the_scrypt_of_the_keyed_digits() -> None:
    """Re-derived with hashlib and hmac directly, so the stored format cannot drift unnoticed."""
    salt = bytes(range(16))
    stored = crypto.hash_secret("4821-0937-56", PEPPER, rng=lambda n: salt[:n])
    keyed = hmac.new(PEPPER, b"follow-secret:4821093756", hashlib.sha256).digest()
    digest = hashlib.scrypt(keyed, salt=salt, n=2**11, r=8, p=1, dklen=32)
    assert stored == f"pscrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_secrets_hashed_before_the_pepper_still_open_their_case() -> None:
    salt = bytes(16)
    digest = hashlib.scrypt(b"4821093756", salt=salt, n=2**14, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)
    old = f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert crypto.check_secret("4821-0937-56", old, PEPPER)
    assert not crypto.check_secret("4821-0937-55", old, PEPPER)


@pytest.mark.parametrize("stored", [crypto.NO_SECRET, "", "scrypt$broken", "md5$x$y"])
def test_no_secret_opens_a_missing_or_malformed_hash(stored: str) -> None:
    assert not crypto.check_secret("0000-0000-00", stored, PEPPER)
