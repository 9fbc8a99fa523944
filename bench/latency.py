"""2. Submit-to-alert latency with 50 concurrent reporters: from the moment the update carrying the final
"submit" press is made available to the bot (pushed into the fake server's getUpdates queue) until the
alert card's sendMessage for the duty group arrives at the fake server. Goal p99 < 300 ms.

Each of ``--reporters`` slots walks whole reports one after another (a new person each time, pausing
``--think`` seconds on average between steps), so at any moment that many people are in the flow and
their submits overlap. Production settings (outbox poll 1 s, woken at commit) except the flood hold,
which would hold back exactly this crowd of first-time reporters of one commune. Run twice: with the
outbox's Telegram send limits (1 message/s per chat, 20/min per group, digests) as in production, and
without them, which is the bot's own share of the latency.

``--communes N`` spreads the reporters over N communes (each its own duty group, as in bench.process),
so no one group's 20 messages a minute binds; without it every report goes to one commune's group, the
burst case, where the measure is the first notice of each case (its card or a digest naming it).

Run: python -m bench.latency [--reporters 50] [--rounds 4] [--communes 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any

from bench.assembly import bench_core, running, settings_overrides
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
from bench.process import deployment, wards
from bench.reporters import CODE_RE, REPORT_STEPS, REPORTER_BASE, Reporter
from tests.conftest import COMMUNE_GROUP

GOAL_MS = 300.0


def _steps(commune: int | None) -> list[tuple[str, str]]:
    """The report, with "where" answered with the ``commune``-th ward of bench.process's deployment."""
    if commune is None:
        return REPORT_STEPS
    name = wards(commune + 1)[commune].name
    where = REPORT_STEPS.index(("send", "hoan kiem"))
    return [*REPORT_STEPS[:where], ("send", name), ("choose", name), *REPORT_STEPS[where + 2 :]]


async def measure(args: argparse.Namespace, *, send_limits: bool) -> dict[str, Any]:
    overrides = settings_overrides(abuse_flood_new_reporters=0)
    cards: dict[str, float] = {}
    digested: set[str] = set()
    waiting: dict[str, asyncio.Future[float]] = {}

    def on_send(chat_id: int, message: dict[str, Any], at: float) -> None:
        if chat_id != COMMUNE_GROUP and not (args.communes and chat_id < 0):
            return
        codes = CODE_RE.findall(message.get("text") or "")  # a card, or a digest of several
        for code in codes:
            if code not in cards:
                cards[code] = at
                if len(codes) > 1:
                    digested.add(code)
                if (waiter := waiting.pop(code, None)) is not None and not waiter.done():
                    waiter.set_result(at)

    alert_ms: list[float] = []
    receipt_ms: list[float] = []
    missing: list[str] = []
    measured_codes: list[str] = []
    busy_before = Reporter.busy
    rng = random.Random(7)

    spread = {"deployment": deployment(args.communes)} if args.communes else {}
    async with bench_core(args.database_url, **spread, **overrides) as core, BenchServer() as server, running(
        server, core, send_limits=send_limits
    ) as run:
        server.on_send.append(on_send)

        async def think() -> None:
            if args.think > 0:
                await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))

        async def report(user_id: int, measured: bool, commune: int | None = None) -> None:
            reporter = Reporter(run, user_id)
            for kind, value in _steps(commune)[:-1]:
                await reporter.step(kind, value)
                await think()
            pushed = time.perf_counter()
            done = await reporter.step(*REPORT_STEPS[-1])
            code = next((m.group() for text in reversed(reporter.last_texts()) if (m := CODE_RE.search(text))), None)
            server.forget_chat(user_id)
            if code is None:
                raise AssertionError(f"reporter {user_id}: no case code in the receipt {reporter.last_texts()[-1:]}")
            if code in cards:
                arrived = cards[code]
            else:
                waiting[code] = asyncio.get_running_loop().create_future()
                try:
                    arrived = await asyncio.wait_for(waiting[code], args.timeout)
                except TimeoutError:
                    missing.append(code)
                    return
            if measured:
                measured_codes.append(code)
                alert_ms.append((arrived - pushed) * 1000)
                receipt_ms.append((done - pushed) * 1000)

        async def slot(number: int) -> None:
            await asyncio.sleep(args.think * rng.uniform(0, 1))  # people do not all start in the same instant
            for round_ in range(args.rounds):
                commune = number % args.communes if args.communes else None
                await report(REPORTER_BASE + 1_000_000 + round_ * 10_000 + number, True, commune)

        for n in range(args.warmup):  # one at a time: imports, caches, connections
            await report(REPORTER_BASE + 900_000 + n, False)
        started = time.perf_counter()
        await asyncio.gather(*(slot(n) for n in range(args.reporters)))
        elapsed = time.perf_counter() - started
        failed = run.tracker.errors

    p99 = percentile(alert_ms, 99)
    return {
        "send_limits": send_limits,
        "samples": len(alert_ms),
        "seconds": elapsed,
        "alert_p50_ms": percentile(alert_ms, 50),
        "alert_p90_ms": percentile(alert_ms, 90),
        "alert_p99_ms": p99,
        "alert_max_ms": max(alert_ms, default=float("nan")),
        "receipt_p50_ms": percentile(receipt_ms, 50),
        "receipt_p99_ms": percentile(receipt_ms, 99),
        "in_digest": sum(code in digested for code in measured_codes),
        "missing_cards": missing,
        "failed_updates": failed,
        "busy_answers": Reporter.busy - busy_before,
        "settings_changed": overrides,
        "pass": p99 < GOAL_MS and not missing and not failed,
    }


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    errors = quiet_logging()
    result: dict[str, Any] = {
        "benchmark": "latency",
        "machine": machine_info(args.database_url),
        "reporters": args.reporters,
        "rounds": args.rounds,
        "think_s": args.think,
        "communes": args.communes,
        "goal": f"p99 < {GOAL_MS:.0f} ms",
        "variants": [],
    }
    for limits in {"on": [True], "off": [False], "both": [True, False]}[args.send_limits]:
        result["variants"].append(await measure(args, send_limits=limits))
    headline = result["variants"][0]
    result.update({k: headline[k] for k in ("alert_p50_ms", "alert_p99_ms", "samples", "pass")})
    result["logged_errors"], result["first_errors"] = errors.count, errors.first
    return result


def report(result: dict[str, Any]) -> None:
    print_machine(result["machine"])
    print(
        f"submit-to-alert: {result['reporters']} concurrent reporters x {result['rounds']} report(s) each, "
        f"{result['think_s']:g} s mean pause between steps (0 = none), "
        + (f"{result['communes']} communes' duty groups" if result["communes"] else "one commune's duty group")
    )
    for v in result["variants"]:
        name = "Telegram send limits ON (production)" if v["send_limits"] else "send limits OFF (the bot alone)  "
        extra = ""
        if v["in_digest"]:
            extra += f"  [{v['in_digest']} cards went in a digest]"
        if v["missing_cards"]:
            extra += f"  [{len(v['missing_cards'])} cards never arrived]"
        if v["busy_answers"]:
            extra += f"  [{v['busy_answers']} 'busy, try again' answers, steps retried]"
        if v["failed_updates"]:
            extra += f"  [{v['failed_updates']} updates raised]"
        print(
            f"  {name}: {v['samples']} submits in {v['seconds']:.0f} s; card p50 {v['alert_p50_ms']:.0f} ms, "
            f"p90 {v['alert_p90_ms']:.0f} ms, p99 {v['alert_p99_ms']:.0f} ms, max {v['alert_max_ms']:.0f} ms; "
            f"receipt p50 {v['receipt_p50_ms']:.0f} ms, p99 {v['receipt_p99_ms']:.0f} ms -> {verdict(v['pass'])}{extra}"
        )
    if result["logged_errors"]:
        print(f"  {result['logged_errors']} errors logged, first: {result['first_errors'][:2]}")
    print(f"  goal p99 < {GOAL_MS:.0f} ms -> {verdict(result['pass'])} (first line)")
    print("  note: flood hold off (ABUSE_FLOOD_NEW_REPORTERS=0); every other setting is the production default")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reporters", type=int, default=50, help="reporters in the flow at the same time")
    p.add_argument("--rounds", type=int, default=4, help="whole reports per slot, each by a new person (samples = reporters x rounds)")
    p.add_argument("--warmup", type=int, default=2, help="reports made one at a time before measuring")
    p.add_argument("--think", type=float, default=1.0, help="mean pause between a reporter's steps, seconds (0: none, a stress test)")
    p.add_argument("--send-limits", choices=["on", "off", "both"], default="both",
                   help="Telegram's per-chat/per-group send limits in the outbox: on (production), off, or both runs")
    p.add_argument("--communes", type=int, default=0, help="spread the reporters over this many communes' groups (0: all to one)")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for a card before counting it missing")
    return common_options(p)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_benchmark(bench, report, parser(), argv)


if __name__ == "__main__":
    main()
