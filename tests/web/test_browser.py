"""The console in a real headless Chromium at a phone's width, served by uvicorn, with the real Telegram bot
polling the fake Bot API server: what an officer sees and what their clicks do in the chats.

Debian's chromium only (Playwright never downloads a browser). Without it these tests skip, unless
REQUIRE_BROWSER=1 (CI). Screenshots go to $TEST_ARTIFACTS (default tests/artifacts/) for a human to look at.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlmodel import select

from bot.core import Core, build_core
from bot.web.server import console_for
from storage.models import Case, CaseStatus, Escalation, EscalationState
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import COMMUNE_GROUP, DEPLOYMENT, LAN, PROVINCE_GROUP, REPORTER, ZALO_OFFICER
from tests.escalation_setup import write_deployment
from tests.telegram_chat import TelegramChat, running_bot
from tests.web.console_client import sign_in_link

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts")
NOT_TAKEN_AFTER = 8  # seconds: the province hears of a case nobody took; the officer takes it well before
# Without the commune's Zalo officer: no Zalo sender runs here, and a refused alert escalates at once.
ZALO_OFFICER_ENTRY = f'''
[[officers]]
name = "Phạm Văn Dũng"
unit = "00070"
zalo_user_id = "{ZALO_OFFICER}"
'''
TELEGRAM_ONLY = DEPLOYMENT.replace(ZALO_OFFICER_ENTRY, "\n")
assert TELEGRAM_ONLY != DEPLOYMENT
FAST_CHAIN = f"""
[policies.default.normal]
steps = [{{ after = "0s", notify = "group" }}, {{ after = "{NOT_TAKEN_AFTER}s", notify = "parent_group" }}]
"""
LINK = re.compile(r"https?://\S+/in/\S+")
WIDE = "document.documentElement.scrollWidth"


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    """Bound before the core is built: WEB_BASE_URL must name the port the browser opens (the CSRF origin check)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    try:
        yield sock
    finally:
        sock.close()


@pytest.fixture
async def web_core(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, tmp_path: Path, listening: socket.socket
) -> AsyncIterator[Core]:
    port = listening.getsockname()[1]
    settings = make_settings(
        sqlite_url, deployment_file=write_deployment(tmp_path, TELEGRAM_ONLY + FAST_CHAIN),
        web_base_url=f"http://127.0.0.1:{port}", web_port=port,
    )
    built = await build_core(settings, demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


@pytest.fixture
async def console_url(web_core: Core, listening: socket.socket) -> AsyncIterator[str]:
    """uvicorn in the test's own event loop, next to the bot, its outbox and its timers."""
    config = uvicorn.Config(
        console_for(web_core, poll_ms=500), access_log=False, log_level="warning", lifespan="off", ws="none",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    while not server.started:
        assert not serving.done(), "uvicorn stopped while starting"
        await asyncio.sleep(0.02)
    try:
        yield web_core.settings.web_base_url
    finally:
        server.should_exit = True
        await serving


@pytest.fixture
async def page(console_url: str, browser: Any) -> AsyncIterator[Any]:
    """A 360×740 phone screen; the browser (set up after the server) closes before the server stops."""
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    yield await context.new_page()


async def _screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / name), full_page=True)


async def _press(page: Any, label: str) -> None:
    """A case action: its form posts, and the case page comes back with the answer on top."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=label, exact=True).click()


async def test_an_officer_takes_and_works_a_new_case_from_the_browser(
    web_core: Core, console_url: str, page: Any, telegram_server: Any
) -> None:
    from playwright.async_api import expect

    server = telegram_server
    async with running_bot(web_core, server):
        found = LINK.search(await TelegramChat(server, LAN).send("/web"))
        assert found and found.group(0).startswith(f"{console_url}/in/"), found
        await page.goto(found.group(0))
        async with page.expect_navigation():
            await page.click("#sign-in")
        await expect(page.locator("h1")).to_have_text("Tin báo đang mở")
        await expect(page.locator("#queue .empty")).to_be_visible()
        await page.evaluate("window.notReloaded = true")

        reporter = TelegramChat(server, REPORTER)
        await report_until_review(reporter)
        receipt = await reporter.choose("Gửi tin báo")
        submitted = time.monotonic()
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        row = page.locator("#queue a", has_text=code)
        await expect(row).to_be_visible(timeout=5_000)
        assert await page.evaluate("window.notReloaded === true"), "the queue must refresh itself, not reload"
        await _screenshot(page, "queue.png")

        async with page.expect_navigation():
            await row.click()
        await expect(page.locator("h1")).to_contain_text(code)
        await _press(page, "Tôi nhận xử lý")
        await expect(page.locator(".flash")).to_have_text(f"Bạn đã nhận xử lý tin báo {code}.")
        await server.wait_for_request("editMessageText", lambda r: str(r.params["chat_id"]) == str(COMMUNE_GROUP))
        [card] = server.chat_messages(COMMUNE_GROUP)
        assert "✅ Nguyễn Thị Lan đã nhận xử lý" in card["text"]
        async with web_core.db.session() as session:
            case = (await session.exec(select(Case).where(Case.code == code))).one()
            chain = (await session.exec(select(Escalation).where(Escalation.case_id == case.id, Escalation.track == "chain"))).all()
        assert chain and all(r.state != EscalationState.PENDING for r in chain)

        for step, status in (
            ("Đã đánh giá ban đầu (mẫu 02)", "Đã đánh giá ban đầu (mẫu 02)"),
            ("Đã đánh giá chi tiết (mẫu 03)", "Đã đánh giá chi tiết (mẫu 03)"),
            ("Đã lập kế hoạch (mẫu 04)", "Đã lập kế hoạch hỗ trợ (mẫu 04)"),
        ):
            await _press(page, step)
            await expect(page.locator(".status-line")).to_have_text(status)

        ask = page.locator("details", has=page.locator("input[name=action][value=ask]"))
        await ask.locator("summary").click()  # the desk's tools are folded, to keep the page short on a phone
        await ask.locator("textarea").fill("Cháu học trường nào?")
        async with page.expect_navigation():
            await ask.get_by_role("button").click()
        await expect(page.locator(".flash")).to_contain_text("Đã gửi câu hỏi")
        await server.wait_for_message(REPORTER, lambda m: "Cháu học trường nào?" in (m.get("text") or ""))
        await _screenshot(page, "case.png")

        await asyncio.sleep(max(0.0, submitted + NOT_TAKEN_AFTER + 1 - time.monotonic()))
        late = [m["text"] for m in server.messages_to(PROVINCE_GROUP) if code in (m.get("text") or "")]
        assert late == [], "the province was told of a case already taken"
    async with web_core.db.session() as session:
        assert (await session.exec(select(Case).where(Case.code == code))).one().status == CaseStatus.PLAN_DRAFTED


async def test_the_queue_and_the_case_fit_a_360_pixel_screen(web_core: Core, console_url: str, page: Any) -> None:
    """No sideways scrolling on a cheap phone, even with a long unbroken word in the report."""
    chat = CoreChat(web_core)
    await report_until_review(chat, description="Bé bị đánh " + "x" * 120 + " https://example.org/" + "a" * 80)
    code = (await chat.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
    await page.goto(await sign_in_link(web_core, "lan"))
    async with page.expect_navigation():
        await page.click("#sign-in")
    pages = (("/", "queue-360.png"), (f"/case/{code}", "case-360.png"), (f"/case/{code}?show=1", "case-report-360.png"),
             ("/roster", "roster-360.png"), ("/sessions", "sessions-360.png"))
    for path, shot in pages:
        await page.goto(console_url + path)
        await _screenshot(page, shot)
        assert await page.evaluate(WIDE) <= PHONE["width"], f"{path} scrolls sideways at 360 px"
