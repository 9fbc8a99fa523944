"""Runtime settings read from the environment and .env (every one is documented in .env.example)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    zalo_bot_token: SecretStr | None = None
    zalo_api_base: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_secret: SecretStr | None = None
    zalo_media_hosts: str = "zdn.vn,zadn.vn,zalo.me,zaloapp.com,zaloplatforms.com"
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    database_url: str = "sqlite:///data/child_protection.db"
    master_keys: SecretStr | None = Field(
        default=None, description="Versioned AES-256 master keys: '1:<base64>,2:<base64>'"
    )
    pseudonym_pepper: SecretStr | None = None
    deployment_file: Path = Path("deployment.example.toml")
    data_dir: Path = Path("data")
    # The key store (one KEK per data key, outside the database); empty = DATA_DIR/keystore. A path, not a
    # Path|None, so an empty KEY_STORE_DIR= in .env means the default and not the current directory.
    key_store_dir: str = ""
    # Days a closed case keeps its content, per outcome, before `python -m bot purge` shreds it (README).
    retention_days_unfounded: int = Field(default=90, ge=1)
    retention_days_duplicate: int = Field(default=90, ge=1)
    retention_days_handled: int = Field(default=5 * 365 + 1, ge=1)  # safe, police, referred: 5 years
    default_locale: str = "vi"
    max_photo_bytes: int = 10 * 1024 * 1024
    max_voice_bytes: int = 5 * 1024 * 1024
    max_photos_per_report: int = 5
    max_description_chars: int = 3000
    outbox_poll_seconds: float = 1.0
    timer_poll_seconds: float = 1.0  # how often due escalation steps are looked for (they fire within this + a send)
    # Shared by several workers (webhook mode): conversation locks and rate limits. Empty: in-process.
    redis_url: str = ""
    log_level: str = "INFO"

    @property
    def key_store_path(self) -> Path:
        return Path(self.key_store_dir) if self.key_store_dir.strip() else self.data_dir / "keystore"
