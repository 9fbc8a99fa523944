from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.core import Core, build_core
from bot.web.server import console_for
from tests.web.console_client import BASE
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS


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


@pytest.fixture
async def neutral() -> AsyncIterator[str]:
    """The neutral site quick exit leads to."""
    async def weather(_: web.Request) -> web.Response:
        return web.Response(text="<title>Thời tiết</title><p>Trời nắng</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", weather)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
