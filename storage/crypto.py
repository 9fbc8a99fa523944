"""All cryptography of the project: sealing with associated data, data-key wrapping, keyed handles.

Nothing else in the code base touches a cipher. Randomness is a parameter so tests can pin it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "CryptoError",
    "DecryptionFailed",
    "MasterKeyRing",
    "NO_SECRET",
    "Random",
    "UnknownKeyVersion",
    "associated_data",
    "check_secret",
    "hash_secret",
    "keyed_handle",
    "kek_unwrap",
    "kek_wrap",
    "needs_kek",
    "new_kek",
    "new_reporter_secret",
    "new_data_key",
    "open_sealed",
    "seal",
]

Random = Callable[[int], bytes]

_FORMAT = b"\x01"  # first byte of every sealed blob: lets a later format coexist with this one
_KEK_SEALED = b"\x02"  # first byte of a master-unwrapped payload that is a data key still sealed by its KEK
_NONCE = 12
KEY_BYTES = 32


class CryptoError(Exception):
    """Base of every cryptographic failure; never carries plaintext or key material."""


class UnknownKeyVersion(CryptoError):
    def __init__(self, version: int) -> None:
        super().__init__(f"master key version {version} is not configured (MASTER_KEYS)")
        self.version = version


class DecryptionFailed(CryptoError):
    """The ciphertext was altered, moved to another row/column, or sealed under another key."""


def new_data_key(rng: Random = os.urandom) -> bytes:
    return rng(KEY_BYTES)


def associated_data(table: str, column: str, row_id: str) -> bytes:
    """Binds a ciphertext to its place, so a value copied into another row or column fails to open."""
    for part in (table, column, row_id):
        if "\x00" in part:
            raise CryptoError("associated-data parts must not contain NUL")
    return b"\x00".join(p.encode() for p in (table, column, row_id))


def seal(key: bytes, plaintext: bytes, aad: bytes, *, rng: Random = os.urandom) -> bytes:
    nonce = rng(_NONCE)
    return _FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + _NONCE + 16 or blob[:1] != _FORMAT:
        raise DecryptionFailed("not a sealed value of a known format")
    nonce, body = blob[1 : 1 + _NONCE], blob[1 + _NONCE :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise DecryptionFailed("ciphertext failed authentication") from exc


@dataclass(frozen=True)
class MasterKeyRing:
    """Versioned master keys; new data keys are wrapped by the highest version, old ones still open."""

    keys: Mapping[int, bytes] = field(repr=False)  # a repr in a log or traceback must not print keys

    def __post_init__(self) -> None:
        if not self.keys:
            raise CryptoError("no master key configured")
        for version, key in self.keys.items():
            if version < 1 or len(key) != KEY_BYTES:
                raise CryptoError(f"master key v{version} must be {KEY_BYTES} bytes with version >= 1")

    @property
    def current(self) -> int:
        return max(self.keys)

    @classmethod
    def parse(cls, spec: str) -> MasterKeyRing:
        """Reads ``"1:<base64>,2:<base64>"`` as written in MASTER_KEYS."""
        keys: dict[int, bytes] = {}
        for item in filter(None, (p.strip() for p in spec.split(","))):
            version, sep, encoded = item.partition(":")
            version = version.strip()
            if not sep or not version.isdigit():
                raise CryptoError("MASTER_KEYS entries look like 1:<base64 of 32 bytes>")
            if int(version) in keys:
                raise CryptoError(f"master key v{version} is given twice in MASTER_KEYS")
            try:
                keys[int(version)] = base64.b64decode(encoded.strip(), validate=True)
            except ValueError as exc:
                raise CryptoError(f"master key v{version} is not valid base64") from exc
        return cls(keys)

    def wrap(self, data_key: bytes, key_id: str, *, rng: Random = os.urandom) -> tuple[int, bytes]:
        version = self.current
        return version, seal(self.keys[version], data_key, _wrap_aad(key_id, version), rng=rng)

    def unwrap(self, version: int, wrapped: bytes, key_id: str) -> bytes:
        try:
            master = self.keys[version]
        except KeyError:
            raise UnknownKeyVersion(version) from None
        return open_sealed(master, wrapped, _wrap_aad(key_id, version))

    def rewrap(self, version: int, wrapped: bytes, key_id: str, *, rng: Random = os.urandom) -> tuple[int, bytes]:
        """Master rotation: the same payload, now under the current version. A payload that is still
        sealed by its KEK stays sealed, so rotating never needs the key store nor sees those data keys."""
        return self.wrap(self.unwrap(version, wrapped, key_id), key_id, rng=rng)


def _wrap_aad(key_id: str, version: int) -> bytes:
    return associated_data("data_key", f"v{version}", key_id)


def new_kek(rng: Random = os.urandom) -> bytes:
    """A key-encryption key: lives only in the key store outside the database, one per data key."""
    return rng(KEY_BYTES)


def kek_wrap(kek: bytes, data_key: bytes, key_id: str, *, rng: Random = os.urandom) -> bytes:
    """The inner layer of an external data key; the master key wraps the result (``MasterKeyRing.wrap``).

    Destroying the KEK destroys the data key in every copy of the database, backups included.
    """
    return _KEK_SEALED + seal(kek, data_key, _kek_aad(key_id), rng=rng)


def needs_kek(payload: bytes) -> bool:
    """Whether a master-unwrapped payload is KEK-sealed; a bare data key predates the key store."""
    return len(payload) != KEY_BYTES


def kek_unwrap(kek: bytes, payload: bytes, key_id: str) -> bytes:
    if payload[:1] != _KEK_SEALED:
        raise DecryptionFailed("not a data key sealed by a key-encryption key")
    data_key = open_sealed(kek, payload[1:], _kek_aad(key_id))
    if len(data_key) != KEY_BYTES:
        raise DecryptionFailed("unwrapped data key has the wrong length")
    return data_key


def _kek_aad(key_id: str) -> bytes:
    return associated_data("data_key", "kek", key_id)


def keyed_handle(pepper: bytes, platform: str, user_id: str) -> str:
    """Pseudonymous handle for a platform user: stable for lookups, useless without the pepper."""
    return hmac.new(pepper, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()


# The follow-up secret is peppered, then scrypt-ed. The pepper lives with the master keys, outside the
# database, so a stolen database alone cannot test a single guess of a 10-digit secret; scrypt (n=2**11,
# r=8: 2 MiB, about 4 ms) is the second line for a thief who has the pepper too. Version 1 hashes (scrypt
# at n=2**14, 33 ms, no pepper) are still checked, until retention purges their cases.
_SCRYPT = {"n": 2**11, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}
_SCRYPT_V1 = {**_SCRYPT, "n": 2**14}
_SCHEME, _SCHEME_V1 = "pscrypt", "scrypt"


def new_reporter_secret(rng: Random = os.urandom) -> str:
    """Ten digits, grouped for reading aloud or copying by hand ("4821-0937-56"): any phone keyboard types them."""
    digits = "".join(str(b % 10) for b in _uniform_bytes(rng, 10))
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def _uniform_bytes(rng: Random, count: int) -> list[int]:
    found: list[int] = []
    while len(found) < count:
        found += [b for b in rng(count) if b < 250]  # 250 = 25 × 10: no bias towards low digits
    return found[:count]


def _normal_secret(secret: str) -> bytes:
    return "".join(ch for ch in secret if ch.isdigit()).encode()


def _peppered(pepper: bytes, secret: str) -> bytes:
    return hmac.new(pepper, b"follow-secret:" + _normal_secret(secret), hashlib.sha256).digest()


def hash_secret(secret: str, pepper: bytes, rng: Random = os.urandom) -> str:
    salt = rng(16)
    digest = hashlib.scrypt(_peppered(pepper, secret), salt=salt, **_SCRYPT)
    return f"{_SCHEME}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


# checked when a code has no secret (unknown, purged) so that it costs the same as a wrong secret;
# no secret matches it (the digest of a real one is not all zeros)
NO_SECRET = f"{_SCHEME}${base64.b64encode(bytes(16)).decode()}${base64.b64encode(bytes(32)).decode()}"


def check_secret(secret: str, stored: str, pepper: bytes) -> bool:
    """Constant-time; spaces, dashes and dots typed by the reporter are ignored."""
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme == _SCHEME:
        candidate = hashlib.scrypt(_peppered(pepper, secret), salt=base64.b64decode(salt), **_SCRYPT)
    elif scheme == _SCHEME_V1:
        candidate = hashlib.scrypt(_normal_secret(secret), salt=base64.b64decode(salt), **_SCRYPT_V1)
    else:
        return False
    return hmac.compare_digest(candidate, base64.b64decode(digest))
