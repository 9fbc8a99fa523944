"""Master keys and pepper: from the environment; throw-away ones only for the terminal demo, on its own database."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from storage.crypto import KEY_BYTES, CryptoError, MasterKeyRing

__all__ = ["MissingSecrets", "demo_settings", "load_secrets"]

log = logging.getLogger(__name__)


class MissingSecrets(Exception):
    """A secret is not set or not usable: the command stops before it touches any database. ``key`` names the
    locale message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _demo_secrets(path: Path) -> tuple[str, str]:
    """Demo-only keys in a 0600 file, so a restarted demo can still read its own database."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = base64.b64encode(os.urandom(KEY_BYTES)).decode()
        pepper = base64.b64encode(os.urandom(KEY_BYTES)).decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"MASTER_KEYS=1:{key}\nPSEUDONYM_PEPPER={pepper}\n")
        log.warning("generated demo keys in %s — never use them for real reports", path)
    values = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return values["MASTER_KEYS"], values["PSEUDONYM_PEPPER"]


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""


def demo_settings(settings: Settings) -> Settings:
    """The terminal demo without secrets: generated keys, and a database and key store of its own under
    DATA_DIR/demo, so that demo keys never rewrite a real database's officer directory."""
    if _secret(settings.master_keys) and _secret(settings.pseudonym_pepper):
        return settings
    folder = settings.data_dir / "demo"
    master, pepper = _demo_secrets(folder / "demo-keys.env")
    log.warning("terminal demo on its own database %s (MASTER_KEYS and PSEUDONYM_PEPPER are not set)", folder / "demo.db")
    return settings.model_copy(update={
        "master_keys": SecretStr(master), "pseudonym_pepper": SecretStr(pepper),
        "database_url": f"sqlite:///{folder / 'demo.db'}", "key_store_dir": str(folder / "keystore"),
    })


def load_secrets(settings: Settings) -> tuple[MasterKeyRing, bytes]:
    master, pepper = _secret(settings.master_keys), _secret(settings.pseudonym_pepper)
    if not (master and pepper):
        raise MissingSecrets("admin.missing_secrets")
    if len(pepper) < 16:
        raise MissingSecrets("admin.short_pepper")
    try:
        return MasterKeyRing.parse(master), pepper.encode()
    except CryptoError:  # its sentence is English and may quote the value: the catalog's, in the operator's language
        raise MissingSecrets("admin.bad_master_keys") from None
