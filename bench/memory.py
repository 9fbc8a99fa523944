"""4. Memory: resident set size of the bot process with ``--conversations`` (default 10,000) distinct
reporters each midway through the report flow (their state stored), all through the real Telegram path
(fake Bot API over HTTP → aiogram → conversation → sealed draft committed). Read from /proc/self/status
(VmRSS, VmHWM). Goal < 200 MB RSS.

Everything runs in one process: the bot, its outbox and timers, the fake Bot API server and the
driver. The fake server here keeps no history (bench.fake_server.BenchServer), so what grows is the bot's.

Run: python -m bench.memory [--conversations 10000] [--steps 4] [--concurrency 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import subprocess
import sys
import time
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bench.assembly import bench_core, running
from bench.fake_server import BenchServer
from bench.measure import (
    collect,
    common_options,
    machine_info,
    print_machine,
    quiet_logging,
    rss_mb,
    run_benchmark,
    verdict,
)
from bench.reporters import REPORT_STEPS, REPORTER_BASE, Reporter, gather_limited
from storage.models import Conversation

GOAL_MB = 200.0


async def _stored(core: Any) -> int:
    async with core.services.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(Conversation))).one())  # type: ignore[call-overload]


_REFERENCE = """
import sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
sys.path.insert(0, %r)
out = [rss()]
import aiogram, aiogram.types
out.append(rss())
import bot.app
out.append(rss())
print(*out)
"""


def reference_rss() -> dict[str, float]:
    """A fresh interpreter: bare, after importing aiogram (any aiogram bot's floor), after the bot's imports."""
    from bench.measure import ROOT

    try:
        found = subprocess.run([sys.executable, "-c", _REFERENCE % str(ROOT)], capture_output=True, text=True, timeout=120, check=True)
        bare, aiogram, bot = (float(x) for x in found.stdout.split())
    except (subprocess.SubprocessError, ValueError):
        return {}
    return {"python_mb": bare, "with_aiogram_mb": aiogram, "with_bot_imports_mb": bot}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    errors = quiet_logging()
    reference = reference_rss()
    info = machine_info(args.database_url)
    script = REPORT_STEPS[: args.steps]
    start_rss = rss_mb()[0]
    async with bench_core(args.database_url) as core, BenchServer() as server, running(server, core) as run:

        async def person(user_id: int) -> None:
            reporter = Reporter(run, user_id)
            for kind, value in script:
                await reporter.step(kind, value)
            server.forget_chat(user_id)

        await gather_limited([functools.partial(person, REPORTER_BASE + 2_000_000 + n) for n in range(args.warmup)], 10)
        collect()
        baseline = rss_mb()[0]
        samples: list[tuple[int, float]] = [(0, baseline)]
        started = time.perf_counter()
        done = 0
        for chunk in range(0, args.conversations, args.sample_every):
            count = min(args.sample_every, args.conversations - chunk)
            first = REPORTER_BASE + 3_000_000 + chunk
            await gather_limited([functools.partial(person, first + n) for n in range(count)], args.concurrency)
            done += count
            samples.append((done, rss_mb()[0]))
            print(f"  {done} conversations in progress, RSS {samples[-1][1]:.0f} MB ({time.perf_counter() - started:.0f} s)", flush=True)
        elapsed = time.perf_counter() - started
        collect()
        await asyncio.sleep(1.5)  # the outbox and timers settle; nothing is due
        collect()
        final, peak = rss_mb()
        stored = await _stored(core)
        failed = run.tracker.errors
    per_conversation_kb = (final - baseline) * 1024 / max(1, args.conversations)
    return {
        "benchmark": "memory",
        "machine": info,
        "conversations": args.conversations,
        "steps_each": len(script),
        "last_step": script[-1][1],
        "stored_drafts": stored,
        "seconds": elapsed,
        "rss_at_start_mb": start_rss,
        "rss_bot_running_mb": baseline,
        "rss_mb": final,
        "peak_rss_mb": peak,
        "per_conversation_kb": per_conversation_kb,
        "samples": samples,
        "reference": reference,
        "failed_updates": failed,
        "busy_answers": Reporter.busy,
        "goal": f"RSS < {GOAL_MB:.0f} MB",
        "pass": final < GOAL_MB and not failed and stored >= args.conversations,
        "logged_errors": errors.count,
        "first_errors": errors.first,
    }


def report(result: dict[str, Any]) -> None:
    print_machine(result["machine"])
    print(
        f"memory: {result['conversations']} reporters each {result['steps_each']} steps into the report flow "
        f"(last: {result['last_step']!r}), {result['stored_drafts']} drafts stored, driven in {result['seconds']:.0f} s"
    )
    print(
        f"  RSS: {result['rss_at_start_mb']:.0f} MB after imports, {result['rss_bot_running_mb']:.0f} MB with the bot running, "
        f"{result['rss_mb']:.0f} MB with all conversations in progress (peak {result['peak_rss_mb']:.0f} MB); "
        f"{result['per_conversation_kb']:.2f} KB per conversation"
    )
    if ref := result.get("reference"):
        print(
            f"  for reference, a fresh interpreter: {ref['python_mb']:.0f} MB bare, {ref['with_aiogram_mb']:.0f} MB after "
            f"`import aiogram.types` (any aiogram 3 bot's floor), {ref['with_bot_imports_mb']:.0f} MB after `import bot.app`"
        )
    extra = ""
    if result["failed_updates"]:
        extra += f"  [{result['failed_updates']} updates raised]"
    if result["busy_answers"]:
        extra += f"  [{result['busy_answers']} 'busy, try again' answers, steps retried]"
    if result["logged_errors"]:
        extra += f"  [{result['logged_errors']} errors logged: {result['first_errors'][:2]}]"
    print(f"  RSS {result['rss_mb']:.0f} MB (goal < {GOAL_MB:.0f} MB) -> {verdict(result['pass'])}{extra}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--conversations", type=int, default=10_000, help="distinct reporters left midway through the flow")
    p.add_argument("--steps", type=int, default=4, help=f"steps each takes (of {len(REPORT_STEPS)}; 4 = up to choosing what happened)")
    p.add_argument("--concurrency", type=int, default=100, help="reporters stepping at the same time while filling up")
    p.add_argument("--warmup", type=int, default=20, help="reporters before the baseline is read")
    p.add_argument("--sample-every", type=int, default=1000, help="read RSS after every this many conversations")
    return common_options(p)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_benchmark(bench, report, parser(), argv)


if __name__ == "__main__":
    main()
