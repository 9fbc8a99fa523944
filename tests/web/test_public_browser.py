"""The public web chat in Debian's Chromium at a phone's width, against the real server (uvicorn), with the
outbox sending to the fake Telegram Bot API server. Skips without Chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import asyncio
import os
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiohttp import web

from bot.channels.telegram import TelegramSender, make_bot
from bot.core import Core, build_core
from bot.web.public_chat import public_for
from bot.web.public_sender import WebSender
from handlers.messages import Channel
from tests.conftest import PROVINCE_GROUP
from tests.escalation_setup import write_deployment
from tests.telegram_chat import TOKEN
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE, TELEGRAM_ONLY, WIDE

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


async def _phone(browser: Any, *, javascript: bool) -> Any:
    context = await browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=javascript, is_mobile=True)
    return await context.new_page()


async def _press(page: Any, label: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=label).last.click()


async def _say(page: Any, text: str) -> None:
    await page.fill("#t", text)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Gửi", exact=True).click()


async def test_a_child_without_javascript_in_danger_reaches_the_duty_group_first(public_url: tuple[str, Core], browser: Any,
                                                                              telegram_server: Any) -> None:
    url, _ = public_url
    page = await _phone(browser, javascript=False)
    await page.goto(url)
    await _press(page, "Em cần giúp đỡ")
    assert await page.locator("text=Ngay lúc này em có đang gặp nguy hiểm không?").count() == 1
    await _press(page, "Có, em đang gặp nguy hiểm")
    for number in ("111", "113", "115"):
        assert await page.locator(f'main a[href="tel:{number}"]').count() >= 1, number
    card = await telegram_server.wait_for_message(PROVINCE_GROUP)  # before any other question is answered
    assert "KHẨN CẤP" in card["text"] and "Trẻ em tự báo" in card["text"] and "trò chuyện trên web" in card["text"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat-danger-360.png"), full_page=True)
    assert await page.evaluate(WIDE) <= PHONE["width"]
    await _say(page, "hoan kiem")
    await _press(page, "Phường Hoàn Kiếm")
    await _press(page, "Có")
    codes = await page.locator("b.k").all_inner_texts()
    assert any(c.startswith("TE-") for c in codes) and any(SECRET.fullmatch(c) for c in codes), codes
    assert await page.locator("text=Hãy chép lại mã tin báo").count() == 1
    await page.screenshot(path=str(ARTIFACTS / "webchat-receipt-360.png"), full_page=True)
    assert await page.evaluate(WIDE) <= PHONE["width"]

    other = await _phone(browser, javascript=False)  # follow-up from another browser, with code and secret
    await other.goto(url)
    await _press(other, "Xem lại tin báo đã gửi")
    code = next(c for c in codes if c.startswith("TE-"))
    await _say(other, code)
    await _say(other, next(c for c in codes if SECRET.fullmatch(c)))
    assert await other.locator(f"text=Tin báo {code}").count() >= 1, await other.inner_text("main")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
async def test_quick_exit_leaves_nothing_of_the_chat_to_go_back_to(public_url: tuple[str, Core], browser: Any,
                                                                   neutral: str, javascript: bool) -> None:
    url, _ = public_url
    page = await _phone(browser, javascript=javascript)
    await page.goto(url)
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
