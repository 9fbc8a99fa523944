from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.core import Core, build_core
from bot.web.server import console_for
from tests.web.console_client import BASE


@pytest.fixture
async def web_core(make_settings, database_url: str) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    built = await build_core(make_settings(database_url, web_base_url=BASE, web_port=8765), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


@pytest.fixture
async def client(web_core: Core) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=console_for(web_core))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http
