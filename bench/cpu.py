"""Updates/s and CPU per update measured black-box: the real bot (``python -m bot``) and a bare aiogram echo
bot (``python -m bench.echo_bot``), each its own process, poll the lean fake Bot API served by this one.
Reporters walk the whole report flow (15 updates each since the "where" question), each waiting for the bot's answer before the next
step; CPU is the bot process's user + system time (all its threads, from /proc) over the driven window,
divided by the updates handled. The fake server's own work is in this process, so it is not counted; it
is printed beside (this process's CPU over the same window, per update: "harness").
Telegram's send limits are off unless ``--send-limits`` (like the echo bot, which has none; with them
30 messages/s overall, two or three per update, cap the bot's updates/s whatever its CPU); the flood hold
is off as in ``bench.pipeline``; every other setting is the production default.

Goals (issue "Speed and memory per process"): updates/s ≥ 0.35 × the echo bot's, CPU ≤ 2.5 ms per update.

Run: python -m bench.cpu [--reporters 60] [--concurrency 30] [--runs 3] [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.assembly import fresh_database
from bench.fake_server import BenchServer
from bench.measure import machine_info, print_machine, verdict
from bench.process import Bot, deployment
from bench.reporters import BUSY, CODE_RE, REPORT_STEPS, REPORTER_BASE, gather_limited

GOALS = {"ratio": 0.35, "cpu_ms": 2.5}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) time of every thread of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


class ChatUser:
    """One person who sends, or presses a button of the bot's latest messages, and waits for the answer."""

    def __init__(self, server: BenchServer, user_id: int, *, timeout: float = 120.0) -> None:
        self.server, self.user_id, self.timeout = server, user_id, timeout
        self.busy = 0
        self.arrived = asyncio.Event()  # set by the server's send hook (see ``_drive``)

    def _recent(self, since: int) -> list[dict[str, Any]]:
        new = self.server.sent_to[self.user_id] - since
        return list(self.server.last.get(self.user_id, ()))[-new:] if new > 0 else []

    def _button(self, label: str) -> tuple[dict[str, Any], str] | None:
        for message in reversed(self.server.last.get(self.user_id, ())):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text", "").startswith(label):
                        return message, button["callback_data"]
        return None

    def _answered(self, before: int, expect: Any) -> bool:
        new = self._recent(before)
        return any(BUSY in (m.get("text") or "") for m in new) or bool(expect(new))

    async def _until(self, ready: Any) -> None:
        deadline = time.monotonic() + self.timeout
        while not ready():
            self.arrived.clear()
            if ready():
                return
            try:
                await asyncio.wait_for(self.arrived.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise AssertionError(f"reporter {self.user_id}: no answer in {self.timeout} s") from None

    async def step(self, kind: str, value: str, expect: Any) -> None:
        """Pushes one update and waits until ``expect(new messages)`` holds (a busy answer: again)."""
        while True:
            before = self.server.sent_to[self.user_id]
            if kind == "send":
                self.server.user_message(self.user_id, value)
            else:
                await self._until(lambda: self._button(value) is not None)
                message, data = self._button(value)  # type: ignore[misc]
                self.server.press(self.user_id, message, data)
            answered = functools.partial(self._answered, before, expect)
            await self._until(answered)
            if not any(BUSY in (m.get("text") or "") for m in self._recent(before)):
                return
            self.busy += 1
            await asyncio.sleep(0.5)


def _expectation(index: int, script: list[tuple[str, str]], echo: bool) -> Any:
    """What shows the bot answered step ``index``: the next step's button, the receipt's code, any message."""
    if echo:
        return lambda new: bool(new)
    if index + 1 < len(script) and script[index + 1][0] == "choose":
        label = script[index + 1][1]
        return lambda new: any(
            b.get("text", "").startswith(label) for m in new for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
        )
    if index + 1 == len(script):
        return lambda new: any(CODE_RE.search(m.get("text") or "") for m in new)
    return lambda new: bool(new)


async def _drive(server: BenchServer, pid: int, first_user: int, reporters: int, concurrency: int, echo: bool) -> dict[str, Any]:
    script = [("send", f"tin nhắn số {n}: {v}") for n, (_, v) in enumerate(REPORT_STEPS)] if echo else REPORT_STEPS
    expectations = [_expectation(n, script, echo) for n in range(len(script))]
    busy, users = 0, {}

    def arrived(chat_id: int, message: dict[str, Any], at: float) -> None:
        if (user := users.get(chat_id)) is not None:
            user.arrived.set()

    async def person(user_id: int) -> None:
        nonlocal busy
        user = users[user_id] = ChatUser(server, user_id)
        for (kind, value), expect in zip(script, expectations, strict=True):
            await user.step(kind, value, expect)
        busy += user.busy
        server.forget_chat(user_id)
        del users[user_id]

    server.on_send.append(arrived)
    cpu, own, start = cpu_seconds(pid), _own_cpu(), time.perf_counter()
    try:
        await gather_limited([lambda u=first_user + n: person(u) for n in range(reporters)], concurrency)
    finally:
        server.on_send.remove(arrived)
    elapsed, (user, system), harness = time.perf_counter() - start, cpu_seconds(pid), _own_cpu() - own
    updates = reporters * len(script) + busy
    user, system = (user - cpu[0]) / updates * 1000, (system - cpu[1]) / updates * 1000
    return {
        "updates": updates, "seconds": elapsed, "updates_per_s": updates / elapsed, "cpu_ms": user + system,
        "system_ms": system, "busy": busy, "harness_ms": harness / updates * 1000,
    }


def _own_cpu() -> float:
    """User + system seconds of this process (the fake server and the reporters), every thread."""
    times = os.times()
    return times.user + times.system


async def _echo(server: BenchServer, env: dict[str, str], first_user: int, args: argparse.Namespace) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.echo_bot", env={**env, "TELEGRAM_API_BASE": server.base_url},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await _drive(server, process.pid, first_user - 1000, args.warmup, args.warmup, echo=True)
        return await _drive(server, process.pid, first_user, args.reporters, args.concurrency, echo=True)
    finally:
        process.terminate()
        await process.wait()


async def one_run(args: argparse.Namespace, run: int) -> dict[str, Any]:
    first = REPORTER_BASE + run * 100_000
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as name:
        folder = Path(name)
        (folder / "deployment.toml").write_text(deployment(args.communes), encoding="utf-8")
        async with BenchServer(max_poll_wait=0.5) as server, fresh_database(args.database_url, folder) as url:
            bot = Bot(folder, server)
            bot.env.update(ABUSE_FLOOD_NEW_REPORTERS="0", DATABASE_URL=url)
            if not args.send_limits:  # the echo bot has none: the bot's own capacity, not Telegram's 30 messages/s
                bot.env.update(OUTBOUND_GLOBAL_RATE="1000000/second", OUTBOUND_CHAT_RATE="1000000/second")
            echo = await _echo(server, bot.env, first, args)
            await bot.start()
            try:
                assert bot.process is not None
                await _drive(server, bot.process.pid, first + 40_000, args.warmup, args.warmup, echo=False)
                real = await _drive(server, bot.process.pid, first + 50_000, args.reporters, args.concurrency, echo=False)
            finally:
                await bot.stop()
                bot.log.close()
    real["ratio"] = real["updates_per_s"] / echo["updates_per_s"]
    print(
        f"  run {run + 1}: echo {echo['updates_per_s']:.0f} updates/s {echo['cpu_ms']:.2f} ms CPU each; "
        f"bot {real['updates_per_s']:.1f} updates/s {real['cpu_ms']:.2f} ms CPU each ({real['system_ms']:.2f} system); "
        f"ratio {real['ratio']:.3f}; server and reporters {echo['harness_ms']:.2f} / {real['harness_ms']:.2f} ms per update"
        + (f" ({real['busy']} busy answers)" if real["busy"] else ""),
        flush=True,
    )
    return {"echo": echo, "bot": real}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reporters", type=int, default=60, help="reporters per run, one whole report (15 updates) each")
    parser.add_argument("--concurrency", type=int, default=30, help="reporters stepping through the flow at the same time")
    parser.add_argument("--warmup", type=int, default=5, help="reporters making one report before the timed part")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--communes", type=int, default=50)
    parser.add_argument(
        "--send-limits", action="store_true",
        help="keep Telegram's send limits (30 messages/s overall caps the bot near 15 updates/s, whatever its CPU)",
    )
    parser.add_argument("--database-url", default=None, help="postgresql://… (a database is made and dropped per run)")
    args = parser.parse_args(argv)
    print_machine(machine_info(args.database_url))
    runs = [asyncio.run(one_run(args, n)) for n in range(args.runs)]
    print(f"{args.runs} runs, {args.reporters} reporters ({args.concurrency} at a time) x {len(REPORT_STEPS)} updates")
    rows = {
        "echo updates/s": [r["echo"]["updates_per_s"] for r in runs],
        "echo CPU ms/update": [r["echo"]["cpu_ms"] for r in runs],
        "bot updates/s": [r["bot"]["updates_per_s"] for r in runs],
        "bot CPU ms/update": [r["bot"]["cpu_ms"] for r in runs],
        "ratio": [r["bot"]["ratio"] for r in runs],
        "harness ms, echo": [r["echo"]["harness_ms"] for r in runs],  # the fake server's and the reporters' CPU
        "harness ms, bot": [r["bot"]["harness_ms"] for r in runs],
    }
    for name, values in rows.items():
        print(f"  {name:20s} min {min(values):8.3f}  median {statistics.median(values):8.3f}  max {max(values):8.3f}")
    ratio, cpu = statistics.median(rows["ratio"]), statistics.median(rows["bot CPU ms/update"])
    print(f"  ratio goal >= {GOALS['ratio']}: {verdict(ratio >= GOALS['ratio'])}; CPU goal <= {GOALS['cpu_ms']} ms: {verdict(cpu <= GOALS['cpu_ms'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
