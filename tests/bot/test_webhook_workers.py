"""Webhook mode. Two real ``python -m bot serve`` workers behind a test "load balancer", on one PostgreSQL and
one Redis: Telegram updates spread over both (and some delivered to both) are each answered once, each
report's card reaches the duty group once, and a reporter's message waits while another worker holds
their conversation. A request without the webhook's secret is refused; `serve` refuses to start without
an HTTPS address and a valid secret."""

from __future__ import annotations

import asyncio
import base64
import inspect
import itertools
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, col, select

from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
from bot.channels.telegram_webhook import serve_webhook, set_webhook
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.core import build_core
from handlers.messages import Channel
from storage.crypto import keyed_handle
from storage.db import sync_url
from storage.inbound_seen import Deliveries
from storage.locks import RedisLocks
from storage.models import OutboxMessage, OutboxState
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, DEPLOYMENT, _postgres_database, server_environment
from tests.telegram_chat import TelegramChat, settled

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-TOKEN"
PUBLIC_URL = "https://bot.example.org/telegram/webhook"  # what Telegram is told; the proxy maps it to each worker
SECRET = "s3cret_webhook-Token"
PEPPER = "test-pepper-0123456789"
MASTER_KEYS = "1:" + base64.b64encode(b"k" * 32).decode()
Route = tuple[str, ...]


class Worker(NamedTuple):
    url: str
    process: subprocess.Popen[bytes]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _until(check: Callable[[], bool | Awaitable[bool]], what: str, logs: list[Path], timeout: float = 60.0) -> None:
    """Async waiting: the fake Bot API server runs on this event loop."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not ((await result) if inspect.isawaitable(result := check()) else result):
        if loop.time() > deadline:
            printed = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
            raise AssertionError(f"timed out waiting for {what}; the workers printed:\n{printed}")
        await asyncio.sleep(0.1)


async def _healthy(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


@pytest.fixture
async def workers(  # type: ignore[no-untyped-def]
    telegram_server, postgres_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> AsyncIterator[list[Worker]]:
    """Two workers started at once on the same database, keys and Redis; yields their webhook addresses
    and processes."""
    deployment = tmp_path / "deployment.toml"
    deployment.write_text(DEPLOYMENT, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url, "DATA_DIR": str(tmp_path / "data"), "DEPLOYMENT_FILE": str(deployment),
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": telegram_server.base_url,
        "TELEGRAM_WEBHOOK_URL": PUBLIC_URL, "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "ZALO_BOT_TOKEN": "", "ZALO_WEBHOOK_SECRET": "", "WEB_BASE_URL": "", "WEBHOOK_HOST": "127.0.0.1",
        "MASTER_KEYS": MASTER_KEYS, "PSEUDONYM_PEPPER": PEPPER, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix,
        "OUTBOX_POLL_SECONDS": "0.2", "TIMER_POLL_SECONDS": "0.5", "DEFAULT_LOCALE": "vi", "PYTHONUNBUFFERED": "1",
    }
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env={**env, "WEBHOOK_PORT": str(port)},
            stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]

    async def started() -> bool:  # listening, then setWebhook: both workers have done both
        set_twice = sum(r.method == "setWebhook" for r in telegram_server.requests) == 2
        return set_twice and all([await _healthy(f"http://127.0.0.1:{port}/healthz") for port in ports])

    engine = create_engine(sync_url(postgres_url))

    def unsent() -> int:  # the workers' outbox: a several-message answer is whole when nothing is due in it
        due = (col(OutboxMessage.state) == OutboxState.PENDING) & (col(OutboxMessage.next_attempt_at) <= datetime.now(UTC))
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(OutboxMessage).where(due)).one())

    telegram_server.unsent = lambda: asyncio.to_thread(unsent)
    try:
        await _until(started, "both workers to start", logs)
        yield [Worker(f"http://127.0.0.1:{port}/telegram/webhook", process) for port, process in zip(ports, processes, strict=True)]
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                await asyncio.to_thread(process.wait, 15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        telegram_server.unsent = None
        engine.dispose()
    printed = "".join(log.read_text(errors="replace") for log in logs)
    assert "update failed" not in printed, printed[-4000:]  # the dispatcher's error handler ran for nobody


class WebhookChat(TelegramChat):
    """A reporter whose every update the "load balancer" routes to one worker or to both at once;
    keeps how many messages answered each update."""

    def __init__(self, server: Any, user_id: int, routes: Iterator[Route]) -> None:
        super().__init__(server, user_id)
        self.routes = routes
        self.answers: list[int] = []

    async def _after(self, push: Any) -> str:
        before = len(self.server.messages_to(self.user_id))
        update = push()
        statuses = await asyncio.gather(*(self.server.deliver(update, url) for url in next(self.routes)))
        assert set(statuses) == {200}
        answer = await settled(self.server, self.user_id, before, timeout=15, quiet=0.3)  # the answer goes by the outbox
        self.answers.append(len(answer))
        return "\n".join(m.get("text") or "" for m in answer)


def _routes(*pattern: Route) -> Iterator[Route]:
    return itertools.cycle(pattern)


@pytest.mark.postgres
async def test_two_workers_answer_each_update_once_and_send_each_card_once(  # type: ignore[no-untyped-def]
    telegram_server, workers: list[str], redis_url: str, redis_prefix: str
) -> None:
    server = telegram_server
    for setting in [r.params for r in server.requests if r.method == "setWebhook"]:
        assert setting["url"] == PUBLIC_URL and setting["secret_token"] == SECRET
        assert {"message", "callback_query"} <= set(setting["allowed_updates"])
    a, b = (worker.url for worker in workers)
    chats = [
        WebhookChat(server, 9101, _routes((a,))),  # the control: one worker, one delivery each
        WebhookChat(server, 9102, _routes((a,), (b,))),  # alternating
        WebhookChat(server, 9103, _routes((a, b))),  # every update delivered to both workers at once
        WebhookChat(server, 9104, _routes((b,), (a, b), (a,), (b, a))),
    ]

    async def report(chat: WebhookChat) -> str:
        await report_until_review(chat)
        receipt = await chat.choose("Gửi tin báo")
        return receipt.split("Mã tin báo: ")[1].split()[0]

    codes = await asyncio.gather(*(report(chat) for chat in chats))

    control = chats[0].answers
    assert len(control) == 15 and all(n >= 1 for n in control)
    for chat in chats[1:]:
        assert chat.answers == control, "each update answered exactly as when delivered once to one worker"
    presses = [r.params["callback_query_id"] for r in server.requests if r.method == "answerCallbackQuery"]
    assert presses and set(Counter(presses).values()) == {1}, "each button press answered once"
    assert len(set(codes)) == 4

    await _until(lambda: len(server.messages_to(COMMUNE_GROUP)) >= 4, "the four cards", [])
    await asyncio.sleep(1.5)  # several outbox polls of both workers: time for a duplicate to show
    cards = [m["text"] for m in server.messages_to(COMMUNE_GROUP)]
    assert len(cards) == 4 and sorted(code for card in cards for code in codes if code in card) == sorted(codes), cards
    assert not [r for r in server.requests if not r.ok], server.dump()
    assert not [r for r in server.requests if r.method == "getUpdates"], "webhook mode never polls"

    # A reporter's message waits while their conversation is held elsewhere (as by a third worker).
    waiting = WebhookChat(server, 9105, _routes((b,)))
    elsewhere = RedisLocks(Redis.from_url(redis_url), prefix=redis_prefix)
    try:
        async with elsewhere.hold(keyed_handle(PEPPER.encode(), Channel.TELEGRAM, "9105")):
            answering = asyncio.create_task(waiting.send("/start"))
            await asyncio.sleep(1.5)
            assert not answering.done() and server.messages_to(9105) == []
        await asyncio.wait_for(answering, 10)
    finally:
        await elsewhere.close()
    assert waiting.answers == [1]
    waiting.find_button("Báo tin về một bạn nhỏ")

    # Each worker's probes on its webhook site (docs/monitoring.md): ready, and the four cards counted once overall.
    sent = 0.0
    for worker in workers:
        site = worker.url.removesuffix("/telegram/webhook")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{site}/readyz") as ready:
                assert ready.status == 200 and await ready.json() == {"status": "ready"}
            async with http.get(f"{site}/metrics") as scrape:
                for family in text_string_to_metric_families(await scrape.text()):
                    sent += sum(s.value for s in family.samples if s.name == "cpbot_alerts_sent_total"
                                and s.labels == {"channel": "telegram", "purpose": "alert"})
    assert sent == 4


def _blocked_on_conversations(postgres_url: str) -> bool:
    """Some session waits for the conversation table: a worker inside its turn, its update's mark written, uncommitted."""
    engine = create_engine(sync_url(postgres_url))
    try:
        with engine.connect() as connection:
            waiting = connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'conversation'::regclass"
            ))
            return bool(waiting.scalar_one())
    finally:
        engine.dispose()


@pytest.mark.postgres
async def test_an_update_whose_worker_is_killed_mid_way_is_handled_by_the_other(  # type: ignore[no-untyped-def]
    telegram_server, workers: list[Worker], postgres_url: str
) -> None:
    """kill -9 of a webhook worker in the middle of its turn's transaction, the update's mark written but not
    committed: it never answered Telegram, so Telegram delivers the update again (here to the other worker),
    which handles it as new and answers the person once. A further redelivery is skipped."""
    server, (killed, survivor) = telegram_server, workers
    engine = create_engine(sync_url(postgres_url))
    holder = engine.connect()
    try:
        holder.execute(text("LOCK TABLE conversation IN ACCESS EXCLUSIVE MODE"))  # the worker stops at its state's load
        update = server.user_message(9201, "/start")
        first = asyncio.create_task(server.deliver(update, killed.url))
        await _until(lambda: asyncio.to_thread(_blocked_on_conversations, postgres_url), "the worker inside its turn", [], timeout=20)
        killed.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(killed.process.wait, 10)
        with pytest.raises(aiohttp.ClientError):  # no answer: for Telegram, not delivered
            await first
    finally:
        holder.rollback()  # the dead worker's session meets its closed socket and rolls back, mark and all
        holder.close()
        engine.dispose()
    assert server.messages_to(9201) == []
    assert await server.deliver(update, survivor.url) == 200  # Telegram's redelivery, once the dead worker's lock lapsed
    await _until(lambda: server.messages_to(9201), "the answer, through the survivor's outbox", [], timeout=20)
    answers = server.messages_to(9201)
    assert len(answers) == 1 and "Bạn muốn làm gì?" in answers[0]["text"]
    assert await server.deliver(update, survivor.url) == 200  # once handled, a further redelivery is skipped
    await asyncio.sleep(1)  # what a second handling would have queued has had time to go out
    assert len(server.messages_to(9201)) == 1


async def test_a_request_without_the_webhook_secret_is_refused(  # type: ignore[no-untyped-def]
    telegram_server, make_settings, sqlite_url: str, aiohttp_client_factory
) -> None:
    """aiogram's handler as `serve` mounts it, in this process: refused before anything is read or counted."""
    core = await build_core(make_settings(sqlite_url), demo=False)
    bot = make_bot(TOKEN, telegram_server.base_url)
    dispatcher = build_dispatcher(
        core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits,
        deliveries=Deliveries(core.db, Channel.TELEGRAM),
    )
    app = web.Application()
    serve_webhook(app, dispatcher, bot, url=PUBLIC_URL, secret=SECRET)
    sending = asyncio.create_task(core.dispatcher({Channel.TELEGRAM: TelegramSender(bot)}).run_forever())
    try:
        await set_webhook(bot, dispatcher, url=PUBLIC_URL, secret=SECRET)
        async with aiohttp_client_factory(app) as client:
            url = str(client.make_url("/telegram/webhook"))
            update = telegram_server.user_message(9106, "/start")
            assert await telegram_server.deliver(update, url, secret="") == 401
            assert await telegram_server.deliver(update, url, secret="not-the-secret") == 401
            assert await telegram_server.deliver(update, url, secret=SECRET + "x") == 401
            assert telegram_server.messages_to(9106) == []
            assert await telegram_server.deliver(update, url) == 200  # the refused ones were not counted as seen
            assert await telegram_server.deliver(update, url) == 200
            await settled(telegram_server, 9106, 0, quiet=0.5)
            assert len(telegram_server.messages_to(9106)) == 1
    finally:
        sending.cancel()
        await bot.session.close()
        await core.db.dispose()


@pytest.mark.parametrize(
    ("url", "secret"), [("http://bot.example.org/hook", SECRET), (PUBLIC_URL, ""), (PUBLIC_URL, "has spaces")]
)
def test_serve_refuses_to_start_without_an_https_url_and_a_valid_secret(
    url: str, secret: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(
        tmp_path, monkeypatch, TELEGRAM_BOT_TOKEN=TOKEN, MASTER_KEYS=MASTER_KEYS, PSEUDONYM_PEPPER=PEPPER,
        DEFAULT_LOCALE="en", TELEGRAM_WEBHOOK_URL=url, TELEGRAM_WEBHOOK_SECRET=secret,
    )
    assert main(["serve"]) == Exit.CONFIG
    assert "needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL (an https://… address)" in capsys.readouterr().err
