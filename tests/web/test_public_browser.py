"""The public web chat in Debian's Chromium at a phone's width, against the real server (uvicorn), with the
outbox sending to the fake Telegram Bot API server. Skips without Chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.channels.telegram import TelegramSender, make_bot
from bot.core import Core, build_core
from bot.web.public_chat import public_for
from bot.web.public_sender import WebSender
from handlers.messages import Channel
from tests.escalation_setup import write_deployment
from tests.telegram_chat import TOKEN
from tests.web.test_browser import PHONE, TELEGRAM_ONLY

SECRET = re.compile(r"\d{4}-\d{4}-\d{2}")


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    try:
        yield sock
    finally:
        sock.close()


@pytest.fixture
async def public_url(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, tmp_path: Path, listening: socket.socket, neutral: str, telegram_server: Any
) -> AsyncIterator[tuple[str, Core]]:
    """The public site and the outbox (Telegram and web senders) in the test's loop, as `python -m bot` runs them."""
    port = listening.getsockname()[1]
    settings = make_settings(sqlite_url, deployment_file=write_deployment(tmp_path, TELEGRAM_ONLY),
                             public_base_url=f"http://127.0.0.1:{port}", public_port=port, public_exit_url=neutral)
    core = await build_core(settings, demo=False)
    bot = make_bot(TOKEN, telegram_server.base_url)
    outbox = core.dispatcher({Channel.TELEGRAM: TelegramSender(bot), Channel.WEB: WebSender(core.db, core.vault)})
    server = uvicorn.Server(uvicorn.Config(public_for(core), access_log=False, log_level="warning", lifespan="off",
                                           ws="none", timeout_graceful_shutdown=1))
    tasks = [asyncio.create_task(server.serve(sockets=[listening])), asyncio.create_task(outbox.run_forever())]
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield settings.public_base_url, core
    finally:
        server.should_exit = True
        tasks[1].cancel()
        await asyncio.wait(tasks, timeout=5)
        await bot.session.close()
        await core.db.dispose()


async def _phone(browser: Any, *, javascript: bool) -> Any:
    context = await browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=javascript, is_mobile=True)
    return await context.new_page()


async def _press(page: Any, label: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=label).last.click()


async def _in_page(page: Any, act: Any) -> None:
    """An answer the page's script posts: no navigation, and the page's form changes for the next one."""
    from playwright.async_api import expect

    form = page.locator("input[name=form]").first
    before = await form.get_attribute("value")
    await act()
    await expect(form).not_to_have_attribute("value", before or "")


async def _say(page: Any, text: str) -> None:
    await page.fill("#t", text)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Gửi", exact=True).click()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
async def test_quick_exit_leaves_nothing_of_the_chat_to_go_back_to(public_url: tuple[str, Core], browser: Any,
                                                                   neutral: str, javascript: bool) -> None:
    url, _ = public_url
    page = await _phone(browser, javascript=javascript)
    await page.goto(url)
    if javascript:
        await _in_page(page, lambda: page.get_by_role("button", name="Báo tin về một bạn nhỏ").click())
    else:
        await _press(page, "Báo tin về một bạn nhỏ")
    assert await page.locator("text=Hàng xóm").count() == 1
    first = [c["value"] for c in await page.context.cookies() if c["name"] == "s"]
    entries = await page.evaluate("history.length") if javascript else None
    async with page.expect_navigation(url=neutral):
        await page.get_by_role("button", name="Thoát nhanh").click()
    await page.wait_for_load_state()
    assert page.url == neutral
    if javascript:
        assert await page.evaluate("history.length") == entries, "the chat's page was replaced, not left behind"
    assert [c for c in await page.context.cookies() if c["name"] == "s"] == [] or javascript
    await page.go_back()
    if page.url.startswith(url):
        assert await page.locator("text=Hàng xóm").count() == 0, "Back shows nothing of the conversation"
    await page.goto(url)
    assert await page.locator("text=Em cần giúp đỡ").count() == 1 and await page.locator("text=Hàng xóm").count() == 0
    again = [c["value"] for c in await page.context.cookies() if c["name"] == "s"]
    assert again and again != first, "a later visit is a new session"
