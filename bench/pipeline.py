"""1. Pipeline throughput: updates/s through the whole conversation (aiogram parse → flow → encrypt →
commit → answer) for many reporters stepping through the report flow, as a ratio to a bare aiogram echo
bot run the same way (same fake server, same polling, same number of updates, same process). Goal ≥ 0.5.

Run: python -m bench.pipeline [--reporters 50] [--reports 2] [--repeats 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import io
import pstats
import statistics
import time
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.types import Message

from bench.assembly import Running, bench_core, running, settings_overrides
from bench.fake_server import BenchServer
from bench.measure import (
    common_options,
    machine_info,
    percentile,
    print_machine,
    quiet_logging,
    run_benchmark,
    verdict,
)
from bench.reporters import REPORT_STEPS, REPORTER_BASE, Reporter, gather_limited

GOAL = 0.5
FLOOD_NOTE = (
    "flood hold off (ABUSE_FLOOD_NEW_REPORTERS=0): hundreds of first-time reporters of one commune within "
    "minutes is what it holds back; every other setting is the production default"
)
STEPS = len(REPORT_STEPS)


def echo_dispatcher() -> Dispatcher:
    """The baseline: one handler that answers each message with its text."""
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def _drive(run: Running, first_user: int, reporters: int, concurrency: int, script: list[tuple[str, str]]) -> dict[str, Any]:
    """``reporters`` different people, ``concurrency`` of them at a time, each walking ``script`` once
    (one person, one report: the bot's per-person limits are not what is measured here); timed from
    the first push to the bot finishing the last update."""
    latencies: list[float] = []

    async def person(user_id: int) -> None:
        reporter = Reporter(run, user_id)
        for kind, value in script:
            start = time.perf_counter()
            done = await reporter.step(kind, value)
            latencies.append(done - start)
        run.server.forget_chat(user_id)

    errors_before, busy_before = run.tracker.errors, Reporter.busy
    start = time.perf_counter()
    await gather_limited([functools.partial(person, first_user + n) for n in range(reporters)], concurrency)
    elapsed = time.perf_counter() - start
    updates = reporters * len(script)
    return {
        "updates": updates,
        "seconds": elapsed,
        "updates_per_s": updates / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "failed_updates": run.tracker.errors - errors_before,
        "busy_answers": Reporter.busy - busy_before,  # "busy, try again": the step was pushed again
    }


async def echo_run(first_user: int, reporters: int, concurrency: int, warmup: int) -> dict[str, Any]:
    script = [("send", f"tin nhắn số {n}: {value}") for n, (_, value) in enumerate(REPORT_STEPS)]
    async with BenchServer() as server, running(server, dispatcher=echo_dispatcher()) as run:
        if warmup:
            await _drive(run, first_user - 1000, warmup, warmup, script)
        result = await _drive(run, first_user, reporters, concurrency, script)
        result["requests"] = dict(server.calls)
        return result


async def bot_run(core: Any, first_user: int, reporters: int, concurrency: int, warmup: int, profile: cProfile.Profile | None) -> dict[str, Any]:
    async with BenchServer() as server, running(server, core) as run:
        if warmup:
            await _drive(run, first_user - 1000, warmup, warmup, REPORT_STEPS)
        if profile is not None:
            profile.enable()
        try:
            result = await _drive(run, first_user, reporters, concurrency, REPORT_STEPS)
        finally:
            if profile is not None:
                profile.disable()
        await asyncio.sleep(0)
        result["requests"] = dict(server.calls)
        result["failed_requests"] = dict(server.failed)
        return result


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    errors = quiet_logging()
    info = machine_info(args.database_url)
    profile = cProfile.Profile() if args.profile else None
    echo, full = [], []
    overrides = settings_overrides(abuse_flood_new_reporters=0)  # see FLOOD_NOTE
    async with bench_core(args.database_url, **overrides) as core:
        for repeat in range(args.repeats):
            base = REPORTER_BASE + (repeat + 1) * 100_000
            echo.append(await echo_run(base, args.reporters, args.concurrency, args.warmup))
            full.append(await bot_run(core, base + 50_000, args.reporters, args.concurrency, args.warmup, profile if repeat == 0 else None))
            print(
                f"  repeat {repeat + 1}: echo {echo[-1]['updates_per_s']:.0f} updates/s, "
                f"bot {full[-1]['updates_per_s']:.0f} updates/s, ratio {full[-1]['updates_per_s'] / echo[-1]['updates_per_s']:.3f}",
                flush=True,
            )
    echo_ups = statistics.median(r["updates_per_s"] for r in echo)
    bot_ups = statistics.median(r["updates_per_s"] for r in full)
    ratio = bot_ups / echo_ups
    result = {
        "benchmark": "pipeline",
        "machine": info,
        "reporters": args.reporters,
        "concurrency": args.concurrency,
        "settings_changed": overrides,
        "updates_per_run": full[0]["updates"],
        "repeats": args.repeats,
        "echo_updates_per_s": echo_ups,
        "bot_updates_per_s": bot_ups,
        "ratio": ratio,
        "goal": f"ratio >= {GOAL}",
        "pass": ratio >= GOAL and not any(r["failed_updates"] for r in full),
        "runs": {"echo": echo, "bot": full},
        "logged_errors": errors.count,
        "first_errors": errors.first,
    }
    if profile is not None:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.dump_stats(args.profile)
        stats.sort_stats("tottime").print_stats(25)
        result["profile_top"] = out.getvalue()
    return result


def report(result: dict[str, Any]) -> None:
    print_machine(result["machine"])
    full, echo = result["runs"]["bot"], result["runs"]["echo"]
    print(
        f"pipeline: {result['reporters']} reporters ({result['concurrency']} at a time) x one whole report of {STEPS} updates = "
        f"{result['updates_per_run']} updates per run, {result['repeats']} run(s) each, medians:"
    )
    print(
        f"  bare echo bot : {result['echo_updates_per_s']:7.1f} updates/s  (per update p50 "
        f"{statistics.median(r['p50_ms'] for r in echo):.0f} ms, p99 {statistics.median(r['p99_ms'] for r in echo):.0f} ms)"
    )
    print(
        f"  the real bot  : {result['bot_updates_per_s']:7.1f} updates/s  (per update p50 "
        f"{statistics.median(r['p50_ms'] for r in full):.0f} ms, p99 {statistics.median(r['p99_ms'] for r in full):.0f} ms; "
        f"Bot API calls per update {sum(full[0]['requests'].values()) / full[0]['updates']:.2f} incl. getUpdates)"
    )
    failed = sum(r["failed_updates"] for r in full)
    busy = sum(r["busy_answers"] for r in full)
    print(
        f"  ratio {result['ratio']:.3f} (goal >= {GOAL}) -> {verdict(result['pass'])}"
        + (f"  [{failed} updates raised]" if failed else "")
        + (f"  [{busy} 'busy, try again' answers, steps retried]" if busy else "")
        + (f"  [{result['logged_errors']} errors logged: {result['first_errors'][:2]}]" if result["logged_errors"] else "")
    )
    if result["settings_changed"]:
        print(f"  note: {FLOOD_NOTE}")
    if result.get("profile_top"):
        print(result["profile_top"])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reporters", type=int, default=150, help="different reporters per run, one whole report (14 updates) each")
    p.add_argument("--concurrency", type=int, default=50, help="reporters stepping through the flow at the same time")
    p.add_argument("--repeats", type=int, default=3, help="alternating echo/bot runs; medians are compared")
    p.add_argument("--warmup", type=int, default=5, help="reporters making one report before timing")
    p.add_argument("--profile", default=None, help="write cProfile stats of the first bot run to this file and print the top")
    return common_options(p)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_benchmark(bench, report, parser(), argv)


if __name__ == "__main__":
    main()
