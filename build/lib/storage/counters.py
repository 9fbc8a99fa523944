"""Fast fixed-window counters for rate limits: in-process for one worker, Redis when several share the limits."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Counter", "InProcessCounter", "RedisCounter", "make_counter"]

log = logging.getLogger(__name__)

# INCR and the expiry in one atomic step: two workers never both see 1, and no key is left without a TTL.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class Counter(Protocol):
    async def hit(self, key: str, window_seconds: float) -> int:
        """Counts one event under ``key`` and returns how many happened in the current window, this one included."""
        ...

    async def close(self) -> None: ...


class InProcessCounter:
    """For a single worker (and the terminal demo). ``clock`` is injectable so tests move time themselves."""

    _PRUNE_AT = 10_000  # keys kept before expired ones are dropped: bounded memory however many people write

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # key → (window end, count)

    async def hit(self, key: str, window_seconds: float) -> int:
        now = self.clock()
        if len(self._windows) >= self._PRUNE_AT:
            self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
        ends, count = self._windows.get(key, (0.0, 0))
        if ends <= now:
            ends, count = now + window_seconds, 0
        self._windows[key] = (ends, count + 1)
        return count + 1

    async def close(self) -> None:
        self._windows.clear()


class RedisCounter:
    """Shared by every worker using the same Redis. If Redis fails the limit is not applied (0 is
    returned): a person asking for help must never be refused because a counter is down."""

    def __init__(self, url: str, *, prefix: str = "cp:count:") -> None:
        # only a deployment that uses redis imports it (about 6 MB per process)
        from redis.asyncio import Redis

        self.prefix = prefix
        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._hit = self._redis.register_script(_HIT)

    async def hit(self, key: str, window_seconds: float) -> int:
        from redis.exceptions import RedisError

        try:
            return int(await self._hit(keys=[self.prefix + key], args=[max(1, int(window_seconds * 1000))]))
        except (RedisError, OSError) as exc:
            log.warning("rate counter unavailable, limit not applied: %s", type(exc).__name__)
            return 0

    async def close(self) -> None:
        await self._redis.aclose()


def make_counter(redis_url: str, *, prefix: str = "cp:") -> Counter:
    """Redis when configured (several workers), else in-process."""
    return RedisCounter(redis_url, prefix=f"{prefix}count:") if redis_url.strip() else InProcessCounter()
