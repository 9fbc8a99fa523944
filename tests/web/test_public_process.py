"""The public web chat of a real `python -m bot` process, in Debian's Chromium on a 360 px phone, with the
bot talking to the fake Telegram and Zalo servers over HTTP and the officer working in the console.
Skips without Chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEPLOYMENT, LAN, PROVINCE_GROUP
from tests.telegram_chat import TOKEN
from tests.web.test_browser import ARTIFACTS, PHONE, WIDE
from tests.web.test_public_browser import SECRET, _in_page, _phone, _press, _say
from tests.web.test_public_chat_http import _jpeg
from tests.zalo_fake.server import TOKEN as ZALO_TOKEN

ROOT = Path(__file__).resolve().parents[2]
PROVINCE_ZALO = "zalo-province-88"  # the province's duty officer without Telegram: alerts reach them on Zalo
WITH_PROVINCE_ZALO = DEPLOYMENT + f'''
[[officers]]
name = "Võ Thị Hạnh"
unit = "01"
zalo_user_id = "{PROVINCE_ZALO}"
'''
LINK = re.compile(r"https?://\S+/in/\S+")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBot:
    public: str
    console: str


@pytest.fixture
async def bot_process(tmp_path: Path, telegram_server: Any, zalo_server: Any, neutral: str) -> AsyncIterator[RunningBot]:
    """`python -m bot` as a deployment runs it: polling both chat apps, the console and the public site."""
    public, console = f"http://127.0.0.1:{_free_port()}", f"http://127.0.0.1:{_free_port()}"
    (tmp_path / "deployment.toml").write_text(WITH_PROVINCE_ZALO, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "DATA_DIR": str(tmp_path / "data"),
        "DEPLOYMENT_FILE": str(tmp_path / "deployment.toml"),
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": telegram_server.base_url,
        "ZALO_BOT_TOKEN": ZALO_TOKEN, "ZALO_API_BASE": zalo_server.base_url,
        "MASTER_KEYS": f"1:{base64.b64encode(os.urandom(32)).decode()}", "PSEUDONYM_PEPPER": "process-pepper-0123456789",
        "PUBLIC_BASE_URL": public, "PUBLIC_PORT": public.rsplit(":", 1)[1], "PUBLIC_EXIT_URL": neutral,
        "WEB_BASE_URL": console, "WEB_PORT": console.rsplit(":", 1)[1],
        "OUTBOX_POLL_SECONDS": "0.1", "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as http:
            while True:
                assert process.returncode is None, (tmp_path / "bot.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the bot's sites did not come up"
                try:
                    if (await http.get(f"{public}/favicon")).status_code == 200 and (await http.get(f"{console}/healthz")).is_success:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield RunningBot(public + "/", console)
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 20)
        log.close()


async def test_a_child_without_javascript_in_danger_reaches_the_duty_group_and_zalo_officer_first(
    bot_process: RunningBot, browser: Any, telegram_server: Any, zalo_server: Any
) -> None:
    page = await _phone(browser, javascript=False)
    await page.goto(bot_process.public)
    await _press(page, "Em cần giúp đỡ")
    await _press(page, "Có, em đang gặp nguy hiểm")
    for number in ("111", "113", "115"):
        assert await page.locator(f'main a[href="tel:{number}"]').count() >= 1, number
    card = await telegram_server.wait_for_message(PROVINCE_GROUP, timeout=20)  # before any other question is answered
    assert "KHẨN CẤP" in card["text"] and "Trẻ em tự báo" in card["text"] and "trò chuyện trên web" in card["text"]
    assert "KHẨN CẤP" in await zalo_server.wait_for_message(PROVINCE_ZALO, "KHẨN CẤP", timeout=20)
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
    await other.goto(bot_process.public)
    await _press(other, "Xem lại tin báo đã gửi")
    code = next(c for c in codes if c.startswith("TE-"))
    await _say(other, code)
    await _say(other, next(c for c in codes if SECRET.fullmatch(c)))
    assert await other.locator(f"text=Tin báo {code}").count() >= 1, await other.inner_text("main")


async def test_with_javascript_an_officers_question_appears_in_the_open_page_and_the_answer_reaches_them(
    bot_process: RunningBot, browser: Any, telegram_server: Any
) -> None:
    from playwright.async_api import expect

    page = await _phone(browser, javascript=True)
    await page.goto(bot_process.public)
    await page.evaluate("window.notReloaded = true")
    entries = await page.evaluate("history.length")

    async def press(label: str) -> None:
        await _in_page(page, lambda: page.get_by_role("button", name=label).last.click())

    async def say(text: str) -> None:
        await page.fill("#t", text)
        await _in_page(page, lambda: page.get_by_role("button", name="Gửi", exact=True).click())

    await press("Báo tin về một bạn nhỏ")
    for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Ở nhà"):
        await press(label)
    await say("hoan kiem")
    await press("Phường Hoàn Kiếm")
    await say("Ngõ 5")
    await say("Bé bị đánh hằng ngày")
    await page.set_input_files("input[name=photo]", {"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    await _in_page(page, lambda: page.get_by_role("button", name="Gửi", exact=True).click())
    assert "Đã nhận ảnh (1/" in await page.inner_text("main"), "the photo went with the script's post (multipart)"
    await press("Xong")
    await press("Có, được nhắn lại")
    await press("Gửi tin báo")
    code = next(c for c in await page.locator("b.k").all_inner_texts() if c.startswith("TE-"))
    assert await page.evaluate("window.notReloaded === true"), "every answer came into the page, none reloaded it"
    assert await page.evaluate("history.length") == entries, "the chat left no entries in the tab's history"

    telegram_server.user_message(LAN, "/web")
    link = LINK.search((await telegram_server.wait_for_message(LAN, lambda m: "/in/" in (m.get("text") or ""), timeout=20))["text"])
    assert link, "the officer's sign-in link"
    officer = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    await officer.goto(link.group(0))
    async with officer.expect_navigation():
        await officer.click("#sign-in")
    await officer.goto(f"{bot_process.console}/case/{code}")
    async with officer.expect_navigation():
        await officer.get_by_role("button", name="Tôi nhận xử lý", exact=True).click()
    ask = officer.locator("details", has=officer.locator("input[name=action][value=ask]"))
    await ask.locator("summary").click()
    await ask.locator("textarea").fill("Cháu học trường nào?")
    async with officer.expect_navigation():
        await ask.get_by_role("button").click()
    await expect(officer.locator(".flash")).to_contain_text("Đã gửi câu hỏi")

    await expect(page.locator("main", has_text="Cháu học trường nào?")).to_be_visible(timeout=30_000)
    assert await page.evaluate("window.notReloaded === true"), "the question came into the open page without a reload"
    await say("Trường Tiểu học Hoàng Diệu")
    answer = await telegram_server.wait_for_message(LAN, lambda m: "Hoàng Diệu" in (m.get("text") or ""), timeout=20)
    assert code in answer["text"], "the answer reaches the officer privately, with the case it belongs to"
