"""Master keys and pepper: from the environment in production, generated once for the terminal demo."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

from bot.config import Settings
from storage.crypto import KEY_BYTES, MasterKeyRing

__all__ = ["MissingSecrets", "load_secrets"]

log = logging.getLogger(__name__)


class MissingSecrets(Exception):
    pass


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


def load_secrets(settings: Settings, *, demo: bool) -> tuple[MasterKeyRing, bytes]:
    master = settings.master_keys.get_secret_value() if settings.master_keys else ""
    pepper = settings.pseudonym_pepper.get_secret_value() if settings.pseudonym_pepper else ""
    if not (master and pepper):
        if not demo:
            raise MissingSecrets("MASTER_KEYS and PSEUDONYM_PEPPER must be set (see .env.example)")
        master, pepper = _demo_secrets(settings.data_dir / "demo-keys.env")
    if len(pepper) < 16:
        raise MissingSecrets("PSEUDONYM_PEPPER must be at least 16 characters of random data")
    return MasterKeyRing.parse(master), pepper.encode()
