"""Runtime settings read from the environment and .env (every one is documented in .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["PROXY_SCHEMES", "Settings"]

PROXY_SCHEMES = ("http", "socks5", "socks4")  # what aiohttp-socks, under aiogram's session, can reach through


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    # An outbound proxy for every Bot API call (docs/telegram-from-vietnam.md): http://host:port or
    # socks5://[user:password@]host:port. Empty: straight to TELEGRAM_API_BASE.
    telegram_proxy: SecretStr | None = None
    # Webhook mode (`python -m bot serve`): the public HTTPS address Telegram posts to (a reverse proxy
    # forwards its path to WEBHOOK_HOST:WEBHOOK_PORT) and the secret Telegram sends back with each update.
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None
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
    # Days a closed case keeps its content, per outcome, before `python -m bot purge` shreds it (docs/operations.md).
    retention_days_unfounded: int = Field(default=90, ge=1)
    retention_days_duplicate: int = Field(default=90, ge=1)
    retention_days_handled: int = Field(default=5 * 365 + 1, ge=1)  # safe, police, referred: 5 years
    retention_days_drafts: int = Field(default=7, ge=1)  # a draft (conversation) nobody touched for this long
    default_locale: str = "vi"
    max_photo_bytes: int = 10 * 1024 * 1024
    max_voice_bytes: int = 5 * 1024 * 1024
    max_photos_per_report: int = 5
    max_description_chars: int = 3000
    outbox_poll_seconds: float = 1.0
    event_loop: Literal["auto", "uvloop", "asyncio"] = "auto"  # auto: uvloop where installed (bot/cli/run.py)
    timer_poll_seconds: float = 1.0  # how often due escalation steps are looked for (they fire within this + a send)
    report_reminder_seconds: float = Field(default=300.0, gt=0)  # how often the reporting calendar's reminders are looked for
    # Telegram's sending limits ("N/second", "N/minute", "N per M seconds"), counted per chat, per group, overall.
    outbound_chat_rate: str = "1/second"
    outbound_group_rate: str = "20/minute"
    outbound_group_pace_seconds: int = Field(default=8, ge=1)  # a busy group: one message (a digest) per this
    outbound_global_rate: str = "30/second"
    outbound_retry_base_seconds: float = Field(default=2.0, gt=0)  # first retry of a 5xx/timeout, doubling
    outbound_retry_max_seconds: float = Field(default=300.0, gt=0)
    outbound_give_up_hours: float = Field(default=24.0, gt=0)  # transient failures are retried this long
    outbound_request_timeout_seconds: float = Field(default=20.0, gt=0)
    # The officers' web console: the address officers open (https, or http on localhost for trying it out),
    # and where this process listens. Both set: `python -m bot` serves it too; `python -m bot web` serves only it.
    web_base_url: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = 0
    web_link_minutes: int = Field(default=10, ge=1, le=60)  # a sign-in link from /web works once, this long
    web_session_hours: int = Field(default=12, ge=1, le=72)
    # Addresses (or CIDR ranges) of the reverse proxies in front of the console, comma separated: only a
    # request from one of them may name its client in X-Forwarded-For. Empty: the header is ignored.
    web_trusted_proxies: str = ""
    # The public web chat (docs/web-chat.md): its own address and port, apart from the console; off when unset.
    public_base_url: str = ""
    public_host: str = "127.0.0.1"
    public_port: int = 0
    public_session_minutes: int = Field(default=60, ge=5, le=24 * 60)  # idle life of a visit's cookie
    public_exit_url: str = "https://www.google.com.vn/"  # where "Thoát nhanh" sends the browser
    public_title: str = "Trò chuyện"  # the tab's title: neutral on a shared screen
    public_favicon: str = ""  # an .ico/.png/.svg of your choosing; unset: a plain speech bubble
    # Shared by several workers (webhook mode): conversation locks and rate limits. Empty: in-process.
    redis_url: str = ""
    redis_prefix: str = "cp:"  # keys of conversation locks start with this (several deployments on one Redis)
    # Abuse of the channel (docs/abuse-limits.md); 0 turns a limit off.
    abuse_max_messages: int = Field(default=20, ge=0)  # per person per ABUSE_MESSAGE_WINDOW_SECONDS
    abuse_message_window_seconds: float = Field(default=60.0, gt=0)
    abuse_max_reports_per_day: int = Field(default=5, ge=0)
    abuse_flood_new_reporters: int = Field(default=20, ge=0)
    abuse_flood_window_minutes: int = Field(default=10, ge=1)
    abuse_duplicate_window_hours: float = Field(default=6.0, ge=0)
    log_level: str = "INFO"
    # Watching it (docs/monitoring.md). LOG_FORMAT=json: one JSON object a line, scrubbed as the text lines.
    log_format: str = Field(default="text", pattern="^(text|json)$")
    metrics_token: SecretStr | None = None  # set: /metrics wants "Authorization: Bearer <token>"
    # /readyz fails, and the watchdog tells the administrators, past these.
    health_outbox_stuck_minutes: float = Field(default=10.0, gt=0)  # an outbox row due this long and not sent
    health_timer_late_minutes: float = Field(default=5.0, gt=0)  # a timer step due this long and not performed
    health_channel_silent_minutes: float = Field(default=10.0, gt=0)  # no call to Telegram/Zalo succeeded this long
    watchdog_seconds: float = Field(default=60.0, ge=0)  # how often the bot checks itself (and its channels); 0: off
    watchdog_repeat_minutes: float = Field(default=60.0, gt=0)  # one message per condition at most this often
    smtp_host: str = ""  # e-mail for the watchdog (its route that no chat outage can take down)
    smtp_port: int = 587
    smtp_security: str = Field(default="starttls", pattern="^(starttls|tls|none)$")  # none: a relay on this machine
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_from: str = ""
    watchdog_email_to: str = ""  # comma separated addresses of the administrators

    @field_validator("telegram_proxy")
    @classmethod
    def _proxy_url(cls, value: SecretStr | None) -> SecretStr | None:
        text = value.get_secret_value().strip() if value else ""
        parts = urlsplit(text)
        if text and (parts.scheme not in PROXY_SCHEMES or not parts.hostname or not parts.port):
            raise ValueError("TELEGRAM_PROXY is http://host:port or socks5://[user:password@]host:port")
        return SecretStr(text) if text else None

    @field_validator("web_base_url", "public_base_url")
    @classmethod
    def _console_over_tls(cls, value: str) -> str:
        """Session cookies and sign-in links never cross a network in clear: http only on this machine."""
        parts = urlsplit(value.strip())
        if value.strip() and not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1"))):
            raise ValueError("WEB_BASE_URL and PUBLIC_BASE_URL must be https:// (http:// only for localhost)")
        return value.strip().rstrip("/")

    def secret_values(self) -> list[str]:
        """Every secret as it may appear in a log line: tokens, webhook secrets, master keys, the pepper."""
        secrets = [self.telegram_bot_token, self.telegram_webhook_secret, self.zalo_bot_token, self.zalo_webhook_secret,
                   self.master_keys, self.pseudonym_pepper, self.telegram_proxy, self.smtp_password,
                   self.metrics_token]
        values = [s.get_secret_value() for s in secrets if s]
        keys = self.master_keys.get_secret_value() if self.master_keys else ""
        return values + [part.split(":", 1)[-1] for part in keys.split(",")]

    @property
    def web_enabled(self) -> bool:
        return bool(self.web_base_url.strip()) and self.web_port > 0

    @property
    def public_enabled(self) -> bool:
        return bool(self.public_base_url) and self.public_port > 0

    @property
    def key_store_path(self) -> Path:
        return Path(self.key_store_dir) if self.key_store_dir.strip() else self.data_dir / "keystore"
