"""Rate counters: a window that resets, keys kept apart, and one count shared by every worker through Redis."""

from __future__ import annotations

import asyncio

from storage.counters import InProcessCounter, RedisCounter


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_in_process_counter_counts_per_key_and_resets_after_the_window() -> None:
    ticks = Ticks()
    counter = InProcessCounter(clock=ticks)
    assert [await counter.hit("a", 60) for _ in range(3)] == [1, 2, 3]
    assert await counter.hit("b", 60) == 1
    ticks.now += 59.9
    assert await counter.hit("a", 60) == 4
    ticks.now += 0.2
    assert await counter.hit("a", 60) == 1, "a new window starts from zero"


async def test_redis_counter_is_shared_between_instances_and_atomic(redis_url: str, redis_prefix: str) -> None:
    first, second = RedisCounter(redis_url, prefix=redis_prefix), RedisCounter(redis_url, prefix=redis_prefix)
    try:
        assert await first.hit("h", 60) == 1
        assert await second.hit("h", 60) == 2, "a second worker sees the first one's count"
        counts = await asyncio.gather(*(c.hit("burst", 60) for _ in range(25) for c in (first, second)))
        assert sorted(counts) == list(range(1, 51)), "no two hits ever see the same count"
        assert await second.hit("other", 60) == 1
    finally:
        await first.close()
        await second.close()


async def test_redis_counter_window_expires(redis_url: str, redis_prefix: str) -> None:
    counter = RedisCounter(redis_url, prefix=redis_prefix)
    try:
        assert [await counter.hit("h", 0.3) for _ in range(2)] == [1, 2]
        await asyncio.sleep(0.45)
        assert await counter.hit("h", 0.3) == 1
    finally:
        await counter.close()


async def test_a_redis_outage_never_refuses_anyone() -> None:
    counter = RedisCounter("redis://127.0.0.1:1/0", prefix="cptest:down:")  # nothing listens on port 1
    try:
        assert await counter.hit("h", 60) == 0
    finally:
        await counter.close()
