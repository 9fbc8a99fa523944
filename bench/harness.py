"""What every speed benchmark shares: the machine report, a fresh database, the real bot polling a lean
fake Bot API server in this process, and reporters that step through the flow the way a person does.

Why a lean server: the test fake keeps every request and every message forever (tests inspect them);
over tens of thousands of updates that history would dominate memory and slow down the very process we
measure. ``LeanTelegramState`` keeps only what the bot still needs (group messages it may edit, open
callback queries) and ``BenchServer`` calls hooks instead of recording, so what grows is the bot's own.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import contextlib
import gc
import inspect
import itertools
import json
import logging
import os
import platform
import re
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiogram import Bot, Dispatcher  # noqa: E402
from aiogram.types import Update  # noqa: E402

from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core import Core, build_core  # noqa: E402
from handlers.messages import Channel  # noqa: E402
from tests.conftest import COMMUNE_GROUP, DEPLOYMENT  # noqa: E402
from tests.telegram_fake.server import FakeTelegramServer, RecordedRequest  # noqa: E402
from tests.telegram_fake.state import TelegramState  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
CODE_RE = re.compile(r"TE-[23456789A-Z]{5}")
REPORTER_BASE = 10_000_000  # Telegram user ids of the benchmark's reporters (distinct from tests' officers)

# The citizen's whole report, as tests.chat_driver.report_until_review walks it, then "submit".
REPORT_STEPS: list[tuple[str, str]] = [
    ("send", "/start"),
    ("choose", "Báo tin về một bạn nhỏ"),
    ("choose", "Hàng xóm"),
    ("choose", "Bạo lực thể chất"),
    ("choose", "6–10 tuổi"),
    ("choose", "Bé gái"),
    ("choose", "Không"),
    ("send", "hoan kiem"),
    ("choose", "Phường Hoàn Kiếm"),
    ("send", "Ngõ 5"),
    ("send", "Bé bị đánh hằng ngày, hàng xóm nghe tiếng khóc mỗi tối"),
    ("choose", "Bỏ qua"),
    ("choose", "Có, được nhắn lại"),
    ("choose", "Gửi tin báo"),
]


# -- the machine ---------------------------------------------------------------------------------------
def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001
        return "?"


def machine_info(database_url: str | None = None) -> dict[str, Any]:
    import sqlite3

    import aiogram
    import sqlalchemy

    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(_ram_gb(), 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "aiogram": aiogram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "aiohttp": _version("aiohttp"),
        "cryptography": _version("cryptography"),
    }
    if database_url and database_url.startswith("postgresql"):
        info["database"] = f"PostgreSQL {_pg_version(database_url)} (psycopg {_version('psycopg')})"
    else:
        info["database"] = f"SQLite {sqlite3.sqlite_version} file, WAL (aiosqlite {_version('aiosqlite')})"
    return info


def _pg_version(url: str) -> str:
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(url, connect_timeout=3) as conn:
        row = conn.execute("show server_version").fetchone()
        return str(row[0]) if row else "?"
    return "?"


def print_machine(info: dict[str, Any]) -> None:
    print(
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {info['ram_gb']} GB RAM, "
        f"load average {info['load_avg'][0]} / {info['load_avg'][1]} / {info['load_avg'][2]} at start"
    )
    print(
        f"software: Python {info['python']}, aiogram {info['aiogram']}, SQLAlchemy {info['sqlalchemy']}, "
        f"aiohttp {info['aiohttp']}, cryptography {info['cryptography']}; database: {info['database']}"
    )


def rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) of this process in MB, from /proc (getrusage's peak where no /proc)."""
    values: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount = line.split(":", 1)
                values[name] = int(amount.split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return values.get("VmRSS", peak), values.get("VmHWM", peak)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (a value that really occurred); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))  # ceil(q/100 * n)
    return ordered[rank - 1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def common_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every benchmark takes: where the database is and where the result goes."""
    parser.add_argument("--database-url", default=None, help="postgresql://… (a fresh database is made there); default SQLite file")
    parser.add_argument("--json", default=None, help="write the result as JSON to this file")
    return parser


def run_benchmark(
    bench: Callable[[argparse.Namespace], Awaitable[dict[str, Any]]], report: Callable[[dict[str, Any]], None],
    parser: argparse.ArgumentParser, argv: list[str] | None,
) -> dict[str, Any]:
    args = parser.parse_args(argv)
    result = asyncio.run(bench(args))
    report(result)
    write_result(args.json, result)
    return result


def write_result(path: str | None, result: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


class ErrorCounter(logging.Handler):
    """Counts the bot's ERROR log records (a failed update, a failed step), so a broken run is visible."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(f"{record.name}: {record.getMessage()[:200]}")


def quiet_logging() -> ErrorCounter:
    counter = ErrorCounter()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().addHandler(counter)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: maximum number of running instances"
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    return counter


# -- the database and the core -------------------------------------------------------------------------
@asynccontextmanager
async def fresh_database(database_url: str | None, folder: Path) -> AsyncIterator[str]:
    """A SQLite file in ``folder`` by default; with a PostgreSQL URL, a new database on that server
    (the URL is used only to create and finally drop it)."""
    if not database_url or database_url.startswith("sqlite"):
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    import psycopg

    name = f"cp_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{database_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_settings(database_url: str, folder: Path, deployment: str = DEPLOYMENT, **overrides: Any) -> Settings:
    """Production defaults (outbox and timer poll 1 s) except the secrets and paths a benchmark makes up."""
    path = folder / "deployment.toml"
    path.write_text(deployment, encoding="utf-8")
    values: dict[str, Any] = dict(
        telegram_bot_token=None,
        database_url=database_url,
        master_keys="1:" + base64.b64encode(b"b" * 32).decode(),
        pseudonym_pepper="bench-pepper-0123456789",
        deployment_file=path,
        data_dir=folder / "data",
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def bench_core(database_url: str | None, deployment: str = DEPLOYMENT, **overrides: Any) -> AsyncIterator[Core]:
    with tempfile.TemporaryDirectory(prefix="cp-bench-") as name:
        folder = Path(name)
        async with fresh_database(database_url, folder) as url:
            core = await build_core(bench_settings(url, folder, deployment, **overrides), demo=False)
            try:
                yield core
            finally:
                await core.db.dispose()


# -- the lean fake Bot API server ------------------------------------------------------------------------
class LeanTelegramState(TelegramState):
    """Forgets private-chat messages once sent (nothing edits or replies to them in these runs) and
    answered callback queries; keeps group messages, which cards may be edited in."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = collections.deque(maxlen=200)  # type: ignore[assignment]

    def new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        msg = super().new_message(chat_id, sender, **content)
        if chat_id > 0:
            self.chats.get(chat_id, {}).pop(msg["message_id"], None)
            if not self.chats.get(chat_id):
                self.chats.pop(chat_id, None)
        return msg

    def m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        done = super().m_answerCallbackQuery(params)
        self.callback_queries.pop(params["callback_query_id"], None)
        return done


SendHook = Callable[[int, dict[str, Any], float], None]  # (chat id, message as sent, perf_counter at arrival)


class BenchServer(FakeTelegramServer):
    """The fake Bot API with the same HTTP and spec checks, minus the test history: each successful
    send calls ``on_send`` hooks; the last few bot messages per chat are kept for finding buttons.
    Update ids keep growing across the servers of one process, as one bot's do on Telegram (the bot
    skips an update id it has seen before)."""

    _next_base = 1

    def __init__(self, *, max_poll_wait: float = 1.0) -> None:
        super().__init__(max_poll_wait=max_poll_wait)
        self._next_update_id = BenchServer._next_base
        BenchServer._next_base += 50_000_000
        self.state = LeanTelegramState()
        self.on_send: list[SendHook] = []
        self.last: dict[int, collections.deque[dict[str, Any]]] = {}
        self.sent_to: collections.Counter[int] = collections.Counter()  # messages sent per private chat
        self.calls: collections.Counter[str] = collections.Counter()
        self.failed: collections.Counter[str] = collections.Counter()
        self._callback_ids = itertools.count(1)

    def _record(self, rec: RecordedRequest) -> None:
        now = time.perf_counter()
        self.calls[rec.method] += 1
        if not rec.ok:
            self.failed[rec.method] += 1
        elif rec.method == "sendMessage" and isinstance(rec.result, dict):
            chat_id = rec.result["chat"]["id"]
            if chat_id > 0:
                self.last.setdefault(chat_id, collections.deque(maxlen=4)).append(rec.result)
                self.sent_to[chat_id] += 1
            for hook in self.on_send:
                hook(chat_id, rec.result, now)
        self._notify()

    def forget_chat(self, chat_id: int) -> None:
        self.last.pop(chat_id, None)
        self.sent_to.pop(chat_id, None)
        self.state.users.pop(chat_id, None)
        self.state.reply_keyboards.pop(chat_id, None)
        self.state._message_ids.pop(chat_id, None)  # noqa: SLF001

    def press(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A press on ``message``'s button as the real client sends it (no lookup in the server's history)."""
        query = {
            "id": str(next(self._callback_ids) * 1_000_003 + user_id),
            "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "vi"},
            "message": message,
            "chat_instance": str(user_id * 7 + 11),
            "data": data,
        }
        return self.push_update({"callback_query": query})


# -- the bot, polling ------------------------------------------------------------------------------------
class Tracker:
    """An outer update middleware: tells the driver when the bot has finished with an update (its
    answers sent and remembered), and counts updates that raised."""

    def __init__(self) -> None:
        self.waiters: dict[int, asyncio.Future[float]] = {}
        self.done = 0
        self.errors = 0

    async def __call__(self, handler: Callable[[Update, dict[str, Any]], Awaitable[Any]], event: Update, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        except Exception:
            self.errors += 1
            raise
        finally:
            self.done += 1
            waiter = self.waiters.pop(event.update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(time.perf_counter())

    def expect(self, update_id: int) -> asyncio.Future[float]:
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[update_id] = waiter
        return waiter


def _accepts(function: Callable[..., Any], name: str) -> bool:
    return name in inspect.signature(function).parameters


def production_dispatcher(core: Core) -> Dispatcher:
    """The Telegram dispatcher as bot.app._serve builds it for polling (with the redelivery check
    where this version of the bot has one)."""
    extra: dict[str, Any] = {}
    if _accepts(build_dispatcher, "deliveries"):
        from storage.inbound_seen import Deliveries

        extra["deliveries"] = Deliveries(core.db, Channel.TELEGRAM)
    elif _accepts(build_dispatcher, "first_delivery"):
        from storage.inbound_seen import Deliveries

        extra["first_delivery"] = Deliveries(core.db, Channel.TELEGRAM).first
    return build_dispatcher(
        core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits, **extra
    )


def production_sender(core: Core, bot: Bot) -> TelegramSender:
    extra: dict[str, Any] = {}
    timeout = getattr(core.settings, "outbound_request_timeout_seconds", None)
    if timeout is not None and _accepts(TelegramSender.__init__, "request_timeout"):
        extra["request_timeout"] = timeout
    return TelegramSender(bot, **extra)


def settings_overrides(**wanted: Any) -> dict[str, Any]:
    """Only the settings this version of the bot has (other work may add or rename them)."""
    return {name: value for name, value in wanted.items() if name in Settings.model_fields}


class NullSender:
    """The deployment's Zalo-only officer gets private alerts; these runs measure Telegram, so they are
    accepted and dropped (counted) instead of failing for want of a Zalo sender."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, envelope: Any, message: Any, attachments: Any) -> str:
        self.sent += 1
        return str(self.sent)


@dataclass
class Running:
    server: BenchServer
    tracker: Tracker
    bot: Bot
    core: Core | None = None
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


@asynccontextmanager
async def running(
    server: BenchServer,
    core: Core | None = None,
    *,
    dispatcher: Dispatcher | None = None,
    outbox: bool = True,
    timers: bool = True,
    send_limits: bool = True,
) -> AsyncIterator[Running]:
    """The production assembly of bot.app._serve (Telegram dispatcher polling, outbox dispatcher,
    TimerWorker) against ``server``; with ``dispatcher`` and no core, that bare dispatcher instead."""
    bot = make_bot(TOKEN, server.base_url)
    tracker = Tracker()
    run = Running(server, tracker, bot, core)
    worker = None
    if core is not None and dispatcher is None:
        dispatcher = production_dispatcher(core)
    assert dispatcher is not None
    dispatcher.update.outer_middleware._middlewares.insert(0, tracker)  # noqa: SLF001  outermost: after the error handler too
    run.tasks.append(asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False)))
    if core is not None and outbox:
        telegram = production_sender(core, bot)
        if not send_limits:  # Telegram's per-chat and per-group limits off: the bot's own speed alone
            telegram.rate_limited = False  # type: ignore[attr-defined]
        sender = core.dispatcher({Channel.TELEGRAM: telegram, Channel.ZALO: NullSender()})
        run.tasks.append(asyncio.create_task(sender.run_forever()))
    if core is not None and timers:
        worker = core.timers()
        worker.start()
    try:
        yield run
    finally:
        if worker is not None:
            worker.stop()
        with contextlib.suppress(RuntimeError):
            await dispatcher.stop_polling()
        for task in run.tasks[1:]:
            task.cancel()
        await asyncio.wait(run.tasks, timeout=5)
        run.tasks[0].cancel()
        await bot.session.close()


def _busy_text() -> str:
    from handlers.i18n import t

    return t("vi", "input.try_again_later").split("\n")[0][:40]


BUSY = _busy_text()
RETRY_PAUSE = 0.5  # a person who is told "busy, try again" tries again a moment later
MAX_RETRIES = 10


class Reporter:
    """One person in a private chat: each step pushes an update and waits until the bot is done with it.
    Told "the system is busy, try again", the person does the same step again (counted in ``busy``)."""

    busy = 0  # every reporter's "try again" answers, for the run's report

    def __init__(self, run: Running, user_id: int, *, timeout: float = 120.0) -> None:
        self.run, self.user_id, self.timeout = run, user_id, timeout
        self.updates = 0

    async def _push(self, push: Callable[[], dict[str, Any]]) -> float:
        for _ in range(MAX_RETRIES + 1):
            before = self.run.server.sent_to[self.user_id]
            update = push()
            waiter = self.run.tracker.expect(update["update_id"])
            self.updates += 1
            try:
                done = await asyncio.wait_for(waiter, self.timeout)
            except TimeoutError:
                stuck = [t for t in asyncio.all_tasks() if "process_update" in repr(t.get_coro()) or "_process_update" in repr(t.get_coro())]
                for task in stuck[:3]:
                    task.print_stack(limit=12)
                raise AssertionError(
                    f"reporter {self.user_id}: no answer to update {update['update_id']} in {self.timeout}s "
                    f"({len(stuck)} updates in progress)"
                ) from None
            new = self.run.server.sent_to[self.user_id] - before
            answers = list(self.run.server.last.get(self.user_id, ()))[-new:] if new else []
            if not any(BUSY in (m.get("text") or "") for m in answers):
                return done
            Reporter.busy += 1
            await asyncio.sleep(RETRY_PAUSE)
        raise AssertionError(f"reporter {self.user_id}: still 'busy' after {MAX_RETRIES} tries")

    async def send(self, text: str) -> float:
        return await self._push(lambda: self.run.server.user_message(self.user_id, text))

    def find_button(self, label: str) -> tuple[dict[str, Any], str]:
        recent = list(reversed(self.run.server.last.get(self.user_id, ())))
        for exact in (True, False):
            for message in recent:
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        text = button.get("text", "")
                        if text == label or (not exact and text.startswith(label)):
                            return message, button["callback_data"]
        shown = [b.get("text") for m in recent for r in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in r]
        last = [(m.get("text") or "")[:80] for m in recent[:2]]
        raise AssertionError(f"reporter {self.user_id}: no button {label!r}; buttons {shown}; last messages {last}")

    async def choose(self, label: str) -> float:
        message, data = self.find_button(label)
        return await self._push(lambda: self.run.server.press(self.user_id, message, data))

    async def step(self, kind: str, value: str) -> float:
        return await (self.send(value) if kind == "send" else self.choose(value))

    def last_texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.run.server.last.get(self.user_id, ())]


async def gather_limited(jobs: list[Callable[[], Awaitable[Any]]], concurrency: int) -> list[Any]:
    """Runs the jobs with at most ``concurrency`` at a time; the first failure cancels the rest."""
    queue = collections.deque(enumerate(jobs))
    results: list[Any] = [None] * len(jobs)

    async def worker() -> None:
        while queue:
            index, job = queue.popleft()
            results[index] = await job()

    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(concurrency, len(jobs))))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        raise
    return results


def collect() -> None:
    for _ in range(3):
        gc.collect()


__all__ = [
    "COMMUNE_GROUP", "CODE_RE", "REPORTER_BASE", "REPORT_STEPS", "BenchServer", "Reporter", "Running", "bench_core",
    "collect", "gather_limited", "machine_info", "percentile", "print_machine", "quiet_logging", "rss_mb",
    "running", "verdict", "write_result",
]
