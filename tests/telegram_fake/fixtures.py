"""Pytest fixtures: a running FakeTelegramServer, and an aiogram Bot pointed at it.

Import them into a conftest (``from tests.telegram_fake.fixtures import telegram_server``).
Teardown fails the test on any spec violation or on a method the fake does not implement, so a
bad request can never pass unnoticed even if the bot swallowed the 400.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from .server import FakeTelegramServer

TEST_TOKEN = "123456:TEST-token_for-fake"


def make_bot(server: FakeTelegramServer, token: str = TEST_TOKEN, **kwargs: object) -> Bot:
    """A Bot talking to ``server``; close it with ``await bot.session.close()``."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    return Bot(token, session=session, **kwargs)  # type: ignore[arg-type]


@pytest_asyncio.fixture
async def telegram_server() -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    assert not server.violations, "Bot API spec violations:\n" + "\n".join(server.violations)
    assert not server.unimplemented, f"methods FakeTelegramServer does not implement: {server.unimplemented}"


@pytest_asyncio.fixture
async def telegram_bot(telegram_server: FakeTelegramServer) -> AsyncIterator[Bot]:
    bot = make_bot(telegram_server)
    try:
        yield bot
    finally:
        await bot.session.close()
