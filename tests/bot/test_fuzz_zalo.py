"""Nothing in a Zalo update ends the process: malformed updates and photo URLs through the real adapter,
long polling the HTTP Zalo fake.

One bad photo URL (``http://[::1/x.jpg``: urlsplit raises on it) used to escape the adapter and stop the
polling task, so nobody on Zalo got an answer again. Asserted after each update: no error logged, a
person's photo is answered kindly, and a new person's "/start" is still answered.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Core, build_core
from tests.telegram_fake.server import FakeTelegramServer
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram
from tests.zalo_fake.server import FakeZaloServer

UP_TO_PHOTOS = ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua")
BAD_URLS = [
    "http://[::1/x.jpg", "http://[::1]:99999/x.jpg", "http://127.0.0.1:port/x.jpg", "http://127.0.0.1:99999/x.jpg",
    "http://[v1.x]/a.jpg", "http://127.0.0.1:1/x.jpg", "http://127.0.0.1\x00.evil/x.jpg", "http://ví-dụ.vn/ảnh.jpg",
    "http://127.0.0.1/" + "a" * 70_000, "ftp://127.0.0.1/x.jpg", "file:///etc/passwd", "//127.0.0.1/x.jpg", "", " ",
    "http://user:pw@127.0.0.1:9/x.jpg", "http://127.0.0.1/%zz\udfff.jpg",
]
_users = itertools.count(1)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.sampled_from(BAD_URLS))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=8)
_EVENTS = st.sampled_from(["message.text.received", "message.image.received", "message.sticker.received", "", "x"])


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def _still_answers(zalo: FakeZaloServer, errors: ErrorLog) -> None:
    assert "Bạn muốn làm gì?" in await ZaloChat(zalo, f"zalo-fresh-{next(_users)}").send("/start")
    assert not errors.records, "errors were logged: " + "; ".join(r.getMessage()[:200] for r in errors.records)


async def test_bad_photo_urls_are_answered_and_the_bot_keeps_running(
    core: Core, zalo_server: FakeZaloServer, telegram_server: FakeTelegramServer
) -> None:
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        async with running_zalo_and_telegram(core, zalo_server, telegram_server):
            chat = ZaloChat(zalo_server, "zalo-bad-urls")
            await chat.send("/start report")
            for label in UP_TO_PHOTOS:
                await chat.choose(label)
            for url in BAD_URLS:
                update = zalo_server.update(chat.user_id, "message.image.received", photo=url)
                assert "Không đọc được ảnh" in await chat._after(lambda: zalo_server.push(update)), url  # noqa: B023
            await _still_answers(zalo_server, errors)
    finally:
        logging.getLogger().removeHandler(errors)


def _update(zalo: FakeZaloServer, event: str, shape: str, junk: Any) -> dict[str, Any]:
    """A well-formed update with one part replaced by junk (or junk added), as a buggy platform could send."""
    update = zalo.update(f"zalo-fuzz-{next(_users)}", event, text="/start", photo="http://[::1/x.jpg")
    message = update["message"]
    target = {"update": update, "message": message, "chat": message["chat"], "from": message["from"]}[shape.split(".")[0]]
    target[shape.split(".")[1]] = junk
    return update


SHAPES = st.sampled_from(["update.message", "update.result", "update.event_name", "message.message_id", "message.chat",
                          "message.from", "message.photo", "message.text", "chat.id", "chat.chat_type", "from.id",
                          "from.is_bot"])


def _run(make_settings, sqlite_url: str, examples: int) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    errors = ErrorLog()
    zalo, telegram = FakeZaloServer(), FakeTelegramServer(max_poll_wait=0.5)

    async def start() -> Any:
        core = await build_core(make_settings(sqlite_url, abuse_max_messages=0), demo=False)
        await zalo.start()
        await telegram.start()
        running = running_zalo_and_telegram(core, zalo, telegram)
        await running.__aenter__()
        return core, running

    core, running = loop.run_until_complete(start())
    logging.getLogger().addHandler(errors)

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(_EVENTS, SHAPES, _JSON), min_size=1, max_size=4), st.lists(_JSON, max_size=2))
    def example(broken: list[tuple[str, str, Any]], raw: list[Any]) -> None:
        async def play() -> None:
            for event, shape, junk in broken:
                zalo.push(_update(zalo, event, shape, junk))
            for junk in raw:
                zalo.push(junk)  # not even an update
            await asyncio.sleep(0.05)
            await _still_answers(zalo, errors)

        loop.run_until_complete(play())

    try:
        example()
    finally:
        logging.getLogger().removeHandler(errors)
        loop.run_until_complete(running.__aexit__(None, None, None))
        loop.run_until_complete(zalo.stop())
        loop.run_until_complete(telegram.stop())
        loop.run_until_complete(core.db.dispose())
        loop.close()


def test_random_broken_zalo_updates_never_stop_the_bot(make_settings, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    _run(make_settings, sqlite_url, int(os.environ.get("FUZZ_EXAMPLES", "20")))


@pytest.mark.slow
def test_random_broken_zalo_updates_long_run(make_settings, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    _run(make_settings, sqlite_url, int(os.environ.get("FUZZ_EXAMPLES_SLOW", "300")))
