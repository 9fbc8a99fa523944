"""What the core needs from the runtime, injected once: database, vault, limits and the outbox's doorbell."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from storage.db import Database
from storage.models import utcnow
from storage.vault import Vault

from handlers.escalation_policy import Policy
from handlers.messages import Outbound

__all__ = ["Limits", "Reply", "Services"]


@dataclass(frozen=True)
class Limits:
    max_description_chars: int = 3000
    max_photos: int = 5
    max_photo_bytes: int = 10 * 1024 * 1024
    max_voice_bytes: int = 5 * 1024 * 1024


@dataclass
class Reply:
    """Messages to answer with at once, and a short toast for a pressed button (Telegram's callback answer)."""

    messages: list[Outbound] = field(default_factory=list)
    toast: str | None = None
    toast_alert: bool = False
    wipe: list[str] | None = None  # message refs the adapter must delete before sending ``messages``
    locale: str = "vi"  # for what an adapter adds itself (Zalo's "reply with a number" hint)


@dataclass
class Services:
    db: Database
    vault: Vault
    fallback_unit: str
    alert_locale: str = "vi"
    limits: Limits = Limits()
    wake_outbox: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utcnow  # injected in tests; every timer decision reads this
    policies: dict[str, Policy] = field(default_factory=dict)  # by unit code, from the deployment file
    # (unit code, period such as "2026-Q3") → (file bytes, content type, file name); rendering is a runtime concern
    report_maker: Callable[[str, str], Awaitable[tuple[bytes, str, str]]] | None = None

    def policy_for(self, unit_code: str) -> Policy:
        return self.policies.get(unit_code) or Policy()
