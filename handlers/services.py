"""What the core needs from the runtime, injected once: database, vault, limits and the outbox's doorbell."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers.messages import Channel, Outbound
from handlers.rules.policy import Policy
from storage.counters import Counter, InProcessCounter
from storage.db import Database
from storage.models import utcnow
from storage.vault import Vault

__all__ = ["AbuseLimits", "Limits", "Reply", "Services"]


@dataclass(frozen=True)
class Limits:
    max_description_chars: int = 3000
    max_photos: int = 5
    max_photo_bytes: int = 10 * 1024 * 1024
    max_voice_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class AbuseLimits:
    """Per-person limits, the flood threshold and the duplicate window (docs/abuse-limits.md)."""

    max_messages: int = 20  # per person per message window; 0 = no limit
    message_window_seconds: float = 60.0
    max_reports_per_day: int = 5  # submitted per person in 24 hours; 0 = no limit
    flood_new_reporters: int = 20  # more first-ever reports than this within the flood window is a flood; 0 = off
    flood_window_minutes: int = 10
    duplicate_window_hours: float = 6.0  # 0 = never link


@dataclass
class Reply:
    """Messages to answer with at once, and a short toast for a pressed button (Telegram's callback answer)."""

    messages: list[Outbound] = field(default_factory=list)
    toast: str | None = None
    toast_alert: bool = False
    wipe: list[str] | None = None  # message refs the adapter must delete
    queued: bool = False  # ``messages`` are committed to the outbox, which sends them: the adapter must not
    locale: str = "vi"  # for what an adapter adds itself (Zalo's "reply with a number" hint)
    denied: bool = False  # the person may not act on this case (or it does not exist): the console answers 404


@dataclass
class Services:
    db: Database
    vault: Vault
    fallback_unit: str
    alert_locale: str = "vi"
    limits: Limits = Limits()
    abuse: AbuseLimits = AbuseLimits()
    counter: Counter = field(default_factory=InProcessCounter)  # messages per person; Redis when workers share it
    wake_outbox: Callable[[], None] = lambda: None
    # whose replies go through the outbox (retries, 429 waits); the terminal demo prints its own at once
    reply_channels: frozenset[str] = frozenset({Channel.TELEGRAM, Channel.ZALO})
    clock: Callable[[], datetime] = utcnow  # injected in tests; every timer decision reads this
    policies: dict[str, Policy] = field(default_factory=dict)  # by unit code, from the deployment file
    report_periods: str = "15-14"  # data periods: the 15th-to-14th convention, or "calendar"
    # the deployment's reporting calendar: handlers.statistics.calendar.ReportSchedule entries (typed loosely:
    # this module sits below statistics in the import rule)
    report_calendar: tuple[Any, ...] = ()
    online_unit: str | None = None  # the focal point for reports of harmful content online (else fallback_unit)
    # (unit code, period such as "2026-Q3") → (file bytes, content type, file name); rendering is a runtime concern
    report_maker: Callable[[str, str, str], Awaitable[tuple[bytes, str, str]]] | None = None  # unit, period, format
    web_base_url: str = ""  # the officers' console; empty: /web says it is not set up
    web_link_minutes: int = 10
    # the deployment's pseudonym pepper: keyed hashes of what must not be stored in clear (guessed codes,
    # console link and session tokens)
    pepper: bytes = field(default_factory=lambda: os.urandom(32), repr=False)

    def policy_for(self, unit_code: str) -> Policy:
        return self.policies.get(unit_code) or Policy()
