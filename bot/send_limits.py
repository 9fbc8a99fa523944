"""Telegram's sending limits (per chat, per group, overall) and the hold a 429 puts on one chat.

Moving windows from the ``limits`` package: they say exactly when a full window frees a slot, so a
message that must wait is rescheduled for that moment instead of being tried and refused.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from bot.config import Settings
from storage.crypto import keyed_handle

__all__ = ["SendLimits", "is_group", "send_limits"]


def is_group(address: str) -> bool:
    """Telegram group and supergroup chat ids are negative; users' private chats are positive."""
    return address.startswith("-")


def _rate(text: str) -> RateLimitItem:
    try:
        return parse(text)
    except ValueError:
        raise ValueError(f"cannot read the rate {text!r} (OUTBOUND_*_RATE): write e.g. '20/minute' or '3 per 2 seconds'") from None


class SendLimits:
    """Counts what one bot sends. ``key`` turns a chat address into the limiter's identifier (a keyed
    hash), so neither memory dumps nor a shared Redis hold chat ids in clear.

    A busy group is paced: once its window's room is down to the ``reserve`` (one message per
    ``group_pace_seconds`` over a whole window, and one more), it gets one message per pace, each a digest
    of every card then waiting. Spending the whole window on single cards would leave a burst's later cases
    unseen until the window turns (42 s at 20/minute); with the reserve, no new case waits much longer than
    the pace."""

    def __init__(
        self,
        *,
        per_chat: str = "1/second",
        per_group: str = "20/minute",
        overall: str = "30/second",
        key: Callable[[str], str],
        storage_uri: str = "memory://",
        key_prefix: str = "cp:outbound",
        group_pace_seconds: int = 8,
    ) -> None:
        self.per_chat, self.per_group, self.overall = _rate(per_chat), _rate(per_group), _rate(overall)
        # Room for every paced message of a window, and one more: a message sent single while the pace's own
        # window was already taken is not counted in it. A window no longer than the pace turns by itself in
        # time: then only a full group gets a digest.
        window = self.per_group.get_expiry()
        self.reserve = math.ceil(window / group_pace_seconds) + 1 if window > group_pace_seconds else 1
        self.paced = RateLimitItemPerSecond(1, group_pace_seconds) if self.reserve > 1 else None
        options = {"implementation": "redispy", "key_prefix": key_prefix} if storage_uri.startswith("redis") else {}
        self._limiter = MovingWindowRateLimiter(storage_from_string(f"async+{storage_uri}", **options))  # type: ignore[arg-type]
        self._key = key
        self._holds: dict[str, float] = {}  # chat key → epoch seconds until which Telegram asked us to wait

    def _items(self, address: str, window: bool) -> list[RateLimitItem]:
        if not window:
            return []
        if not is_group(address):
            return [self.per_chat]
        return [self.per_chat, self.per_group] + ([self.paced] if self.paced is not None else [])

    def hold(self, address: str, seconds: float) -> float:
        """A 429 for this chat: nothing goes to it for ``seconds``; returns when the hold ends."""
        until = time.time() + seconds
        key = self._key(address)
        self._holds[key] = max(until, self._holds.get(key, 0.0))
        return self._holds[key]

    async def wait_until(self, address: str, *, window: bool = True) -> float | None:
        """When a message to ``address`` may go, if not now (epoch seconds); None: it may go now.
        ``window=False``: a reply to a person, which only a 429's hold and the overall limit delay
        (it answers what they just did, as a direct reply would; a burst of a few is what Telegram allows)."""
        key = self._key(address)
        held = self._holds.get(key, 0.0)
        if held > time.time():
            return held
        self._holds.pop(key, None)
        items = self._items(address, window)
        if items and items[-1] is self.paced and not await self.pacing(address):
            items.pop()  # the pace is counted always, waited for only while the group is paced
        later = [
            (await self._limiter.get_window_stats(item, "chat", key)).reset_time
            for item in items
            if not await self._limiter.test(item, "chat", key)
        ]
        if not await self._limiter.test(self.overall, "all"):
            later.append((await self._limiter.get_window_stats(self.overall, "all")).reset_time)
        return max(later) if later else None

    async def take(self, address: str, *, window: bool = True) -> bool:
        """Counts one message; False when the overall window filled meanwhile (another chat's task won)."""
        if not await self._limiter.hit(self.overall, "all"):
            return False
        key = self._key(address)
        for item in self._items(address, window):
            await self._limiter.hit(item, "chat", key)
        return True

    async def pacing(self, address: str) -> bool:
        """The group's room is down to its reserve: one message per pace, cards first, as one digest."""
        if not is_group(address):
            return False
        return (await self._limiter.get_window_stats(self.per_group, "chat", self._key(address))).remaining <= self.reserve


def send_limits(settings: Settings, pepper: bytes) -> SendLimits:
    """Shared through Redis when several bot processes send for one bot (REDIS_URL), else in memory."""
    return SendLimits(
        per_chat=settings.outbound_chat_rate, per_group=settings.outbound_group_rate, overall=settings.outbound_global_rate,
        key=lambda address: keyed_handle(pepper, "outbound", address), storage_uri=settings.redis_url or "memory://",
        key_prefix=f"{settings.redis_prefix}outbound", group_pace_seconds=settings.outbound_group_pace_seconds,
    )
