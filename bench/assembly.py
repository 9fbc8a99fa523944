"""The bot as bot.app assembles it (polling, outbox, timers) on a fresh database, against the bench server."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import inspect
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from bench.fake_server import BenchServer
from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
from bot.config import Settings
from bot.core import Core, build_core
from handlers.messages import Channel
from tests.conftest import DEPLOYMENT

__all__ = [
    "TOKEN", "NullSender", "Running", "Tracker", "bench_core", "bench_settings", "fresh_database",
    "production_dispatcher", "production_sender", "running", "settings_overrides",
]

TOKEN = "123456:BENCH-TOKEN"


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


class Tracker:
    """An outer update middleware: tells the driver when the bot has finished with an update (its
    answers sent and remembered), and counts updates that raised."""

    def __init__(self) -> None:
        self.waiters: dict[int, asyncio.Future[float]] = {}
        self.done = 0
        self.errors = 0
        # a bot whose answers go by the outbox: when each person's answer was out (the outbox's report)
        self.replies: dict[str, asyncio.Future[None]] = {}
        self.by_outbox = False
        self.arrived: dict[int, float] = {}  # the last message's arrival per private chat (server time)

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

    def expect_reply(self, handle: str) -> asyncio.Future[None]:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.replies[handle] = waiter
        return waiter

    def replied(self, handle: str) -> None:
        waiter = self.replies.pop(handle, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def on_send(self, chat_id: int, message: dict[str, Any], at: float) -> None:
        self.arrived[chat_id] = at

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


def _report_replies(sender: Any, tracker: Tracker) -> None:
    """Where this version of the bot sends answers by the outbox, the tracker hears when each person's is out."""
    recorded = getattr(sender, "on_person_sent", None)
    if recorded is None:
        return

    async def noted(handle: str, refs: list[str], *settle: Any) -> None:
        await recorded(handle, refs, *settle)
        tracker.replied(handle)

    sender.on_person_sent = noted
    tracker.by_outbox = True


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
        _report_replies(sender, tracker)
        server.on_send.append(tracker.on_send)
        run.tasks.append(asyncio.create_task(sender.run_forever()))
    if core is not None and timers:
        worker = core.timers()
        worker.start()
    gc.freeze()  # the heap so far never walked again, as bot/app.py's ``ready()`` does before serving
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
