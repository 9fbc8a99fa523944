"""Per-conversation locks: in-process for one worker, in Redis when several workers share the chats.

A reporter's messages must be handled one at a time (each turn reads the sealed draft and writes it
back); with several workers behind a load balancer two of them may hold consecutive messages at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # redis is imported only by a deployment that uses it (about 6 MB per process)
    from redis.asyncio import Redis
    from redis.asyncio.lock import Lock

__all__ = ["ConversationLocks", "LocalLocks", "LockUnavailable", "RedisLocks"]

log = logging.getLogger(__name__)
_STRIPES = 256  # bounded memory however many people write; a shared stripe only serialises


class LockUnavailable(Exception):
    """The lock could not be had in time (the conversation stayed busy, or Redis did not answer)."""


class ConversationLocks(Protocol):
    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class LocalLocks:
    """One process: striped asyncio locks (``key`` is a hex keyed handle)."""

    def __init__(self) -> None:
        self._locks = [asyncio.Lock() for _ in range(_STRIPES)]

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._locks[int(key[:8], 16) % _STRIPES]:
            yield

    async def close(self) -> None:
        return None


class RedisLocks:
    """Several workers: one Redis key per conversation, owned through redis-py's random token.

    The key expires ``ttl`` seconds after its last renewal, so a killed worker's lock frees itself;
    a live holder renews it every ``ttl / 3``. A waiter gives up after ``wait`` seconds, which is
    longer than ``ttl`` so a dead holder's lock always expires first. Releasing checks the token:
    a holder whose lock expired meanwhile never frees the next owner's.
    """

    def __init__(self, redis: Redis, *, prefix: str, ttl: float = 10.0, wait: float = 15.0) -> None:
        self._redis, self._prefix, self._ttl, self._wait = redis, prefix, ttl, wait

    @classmethod
    def connect(cls, url: str, *, prefix: str) -> RedisLocks:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2), prefix=prefix)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        from redis.exceptions import LockNotOwnedError, RedisError

        lock = self._redis.lock(
            f"{self._prefix}conversation:{key}", timeout=self._ttl, sleep=0.05, blocking_timeout=self._wait,
            thread_local=False,
        )
        try:
            acquired = await lock.acquire()
        except RedisError as exc:
            raise LockUnavailable(type(exc).__name__) from None
        if not acquired:
            raise LockUnavailable("busy")
        renewal = asyncio.create_task(self._renew(lock))
        try:
            yield
        finally:
            renewal.cancel()
            try:
                await lock.release()
            except LockNotOwnedError:
                log.warning("a conversation lock expired before its holder finished")
            except RedisError as exc:
                log.warning("a conversation lock was not released (%s); it expires by itself", type(exc).__name__)
            await asyncio.wait([renewal])

    async def _renew(self, lock: Lock) -> None:
        from redis.exceptions import LockNotOwnedError, RedisError

        while True:
            await asyncio.sleep(self._ttl / 3)
            try:
                await lock.reacquire()
            except LockNotOwnedError:
                log.warning("a conversation lock was lost while held")
                return
            except RedisError as exc:  # a blip: the key lives on until its ttl; try again next time
                log.warning("a conversation lock was not renewed (%s)", type(exc).__name__)

    async def close(self) -> None:
        await self._redis.aclose()
