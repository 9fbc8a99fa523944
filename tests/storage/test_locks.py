"""Conversation locks in a real Redis: two workers exclude each other, a killed worker's lock frees itself,
a live holder keeps its lock past the ttl, and nobody frees a lock they no longer own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from storage.locks import LockUnavailable, RedisLocks

ROOT = Path(__file__).resolve().parents[2]
KEY = "ab12cd34" * 8  # a keyed handle's shape


@pytest.fixture
async def workers(redis_url: str, redis_prefix: str) -> AsyncIterator[Callable[..., RedisLocks]]:
    """Each call is another worker: its own Redis connection, the same prefix."""
    made: list[RedisLocks] = []

    def make(*, ttl: float = 10.0, wait: float = 15.0) -> RedisLocks:
        made.append(RedisLocks(Redis.from_url(redis_url), prefix=redis_prefix, ttl=ttl, wait=wait))
        return made[-1]

    yield make
    for locks in made:
        await locks.close()


async def test_two_holders_exclude_each_other(workers: Callable[..., RedisLocks]) -> None:
    first, second = workers(), workers(wait=0.3)
    order: list[str] = []
    async with first.hold(KEY):
        with pytest.raises(LockUnavailable):
            async with second.hold(KEY):
                pass
        waiting = asyncio.create_task(_enter(workers(wait=5.0), KEY, order))
        await asyncio.sleep(0.3)
        order.append("first leaves")
    await waiting
    assert order == ["first leaves", "entered"]
    async with second.hold("ef56" * 16):  # another conversation is never held up
        pass


async def _enter(locks: RedisLocks, key: str, order: list[str]) -> None:
    async with locks.hold(key):
        order.append("entered")


async def test_a_killed_holders_lock_frees_itself_after_its_ttl(
    workers: Callable[..., RedisLocks], redis_url: str, redis_prefix: str
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_FOREVER, redis_url, redis_prefix, KEY], cwd=ROOT,
        stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert holder.stdout is not None
        assert await asyncio.to_thread(holder.stdout.readline) == b"held\n"
        with pytest.raises(LockUnavailable):  # alive: it renews its 1 s lock
            async with workers(wait=1.5).hold(KEY):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    killed_at = time.monotonic()
    async with workers(wait=5.0).hold(KEY):
        freed_after = time.monotonic() - killed_at
    assert freed_after < 1.5, f"a dead worker's lock should expire within its 1 s ttl, took {freed_after:.1f} s"


_HOLD_FOREVER = """
import asyncio, sys
from redis.asyncio import Redis
from storage.locks import RedisLocks

async def main():
    async with RedisLocks(Redis.from_url(sys.argv[1]), prefix=sys.argv[2], ttl=1.0).hold(sys.argv[3]):
        print("held", flush=True)
        await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_a_live_holder_keeps_its_lock_past_the_ttl(workers: Callable[..., RedisLocks]) -> None:
    async with workers(ttl=0.6).hold(KEY):
        with pytest.raises(LockUnavailable):
            async with workers(wait=2.0).hold(KEY):  # more than three times the ttl
                pass


async def test_a_holder_whose_lock_expired_never_frees_the_next_owners(
    workers: Callable[..., RedisLocks], redis_url: str, redis_prefix: str
) -> None:
    late, next_owner = workers(ttl=5.0), workers(wait=1.0)
    order: list[str] = []
    async with late.hold(KEY):
        redis = Redis.from_url(redis_url)
        await redis.delete(f"{redis_prefix}conversation:{KEY}")  # as if it expired while this holder stalled
        await redis.aclose()
        held = asyncio.Event()
        release = asyncio.Event()

        async def own() -> None:
            async with next_owner.hold(KEY):
                held.set()
                await release.wait()
                order.append("next owner leaves")

        owner = asyncio.create_task(own())
        await held.wait()
    order.append("late holder left")
    with pytest.raises(LockUnavailable):  # still the next owner's
        async with workers(wait=0.3).hold(KEY):
            pass
    release.set()
    await owner
    assert order == ["late holder left", "next owner leaves"]
