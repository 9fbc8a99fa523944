"""A whole session logged at DEBUG — report, officer view, question, the case record as PDF, the unit's
report as a file, then polling that fails with the token in aiohttp's error — and the log holds neither
the case's words nor the bot token (bot/log_hygiene.py, installed as the CLI installs it)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.core import build_core
from bot.log_hygiene import configure_logging
from bot.web.server import console_for
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, REPORTER
from tests.telegram_chat import TOKEN, TelegramChat, buttons, running_bot
from tests.web.console_client import BASE, sign_in_link

NARRATIVE = "Chú Quýnh khoá bé Nguyệt trong kho thóc"
ANSWER = "Lớp ba, trường Tiểu học Hoàng Diệu"


@pytest.fixture(params=["text", "json"])
def debug_log(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The log as text lines, and as JSON lines (LOG_FORMAT=json) read back into their decoded fields."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("DEBUG", secrets=[TOKEN], stream=stream, fmt=request.param)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _press(server: Any, user: int, message: dict[str, Any], label: str, **kwargs: Any) -> None:
    data = next(b["callback_data"] for b in buttons(message) if b["text"].startswith(label))
    server.press_button(user, message, data, **kwargs)


async def _redirect_loop(request: web.Request) -> web.Response:
    """A captive portal or a blocking proxy: getUpdates is sent round in circles (after a getMe that works)."""
    if request.path.endswith("/getMe"):
        me = {"id": 123456, "is_bot": True, "first_name": "CP Test Bot", "username": "test_cp_bot"}
        return web.json_response({"ok": True, "result": me})
    raise web.HTTPTemporaryRedirect(str(request.rel_url))


async def test_a_whole_session_at_debug_logs_no_case_text_and_no_token(  # type: ignore[no-untyped-def]
    make_settings, sqlite_url: str, telegram_server, debug_log: io.StringIO
) -> None:
    server = telegram_server
    core = await build_core(make_settings(sqlite_url, web_base_url=BASE, web_port=8765), demo=False)
    try:
        async with running_bot(core, server):
            reporter = TelegramChat(server, REPORTER)
            await report_until_review(reporter, description=NARRATIVE, address="Xóm Đoài, ngõ Hạnh")
            code = (await reporter.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
            card = await server.wait_for_message(COMMUNE_GROUP, lambda m: code in m.get("text", ""))
            _press(server, LAN, card, "Tôi nhận xử lý", chat_id=COMMUNE_GROUP)
            await server.wait_for_request("answerCallbackQuery", lambda r: "Bạn đã nhận" in r.params.get("text", ""))
            _press(server, LAN, card, "Xem chi tiết", chat_id=COMMUNE_GROUP)
            page = await server.wait_for_message(LAN, lambda m: NARRATIVE in m.get("text", ""))
            _press(server, LAN, page, "Hỏi người báo tin")
            await server.wait_for_message(LAN, lambda m: "viết câu hỏi" in m.get("text", ""))
            server.user_message(LAN, "Bé học lớp mấy?")
            await server.wait_for_message(REPORTER, lambda m: "Bé học lớp mấy" in m.get("text", ""))
            server.user_message(REPORTER, ANSWER)
            await server.wait_for_message(LAN, lambda m: ANSWER in m.get("text", ""))
            server.user_message(LAN, "/baocao")
            assert (await server.wait_for_request("sendDocument", lambda r: str(r.params.get("chat_id")) == str(LAN), timeout=30)).ok
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=console_for(core)), base_url=BASE) as console:
            await console.post((await sign_in_link(core, "lan")).removeprefix(BASE))
            record = await console.get(f"/case/{code}/export.pdf")
            assert record.status_code == 200 and record.content.startswith(b"%PDF")
        portal = web.Application()
        portal.router.add_route("*", "/{tail:.*}", _redirect_loop)
        runner = web.AppRunner(portal, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with running_bot(core, type("Portal", (), {"base_url": f"http://127.0.0.1:{port}"})()):
                for _ in range(100):
                    if "Failed to fetch updates" in debug_log.getvalue():
                        break
                    await asyncio.sleep(0.05)
        finally:
            await runner.cleanup()
    finally:
        await core.db.dispose()
    log = debug_log.getvalue()
    if log.startswith("{"):  # JSON lines: every line one object; the checks below read the decoded fields
        lines = [json.loads(line) for line in log.splitlines() if line.strip()]
        assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
        log = "\n".join(f"{line['level']} {line['logger']}: {line['message']}\n{line.get('exception', '')}" for line in lines)
    assert "Failed to fetch updates" in log and "/bot<hidden>/getUpdates" in log, log[-3000:]
    assert "DEBUG" in log, "the session was logged at DEBUG"
    for secret in (TOKEN, "TEST-TOKEN", NARRATIVE, "Quýnh", "Nguyệt", "kho thóc", "Hạnh", ANSWER, "Hoàng Diệu"):
        assert secret not in log, f"{secret!r} in the log"
    assert "fontTools" not in log and "Glyph names" not in log, "the subsetter lists the glyphs of the text it renders"


def test_json_lines_keep_a_traceback_scrubbed_in_its_own_field() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("INFO", secrets=[TOKEN], stream=stream, fmt="json")
    try:
        try:
            raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
        except ConnectionError:
            logging.getLogger("bot.test").exception("a call failed for %s", TOKEN)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["level"] == "ERROR" and line["logger"] == "bot.test"
    assert line["message"] == "a call failed for <hidden>"
    assert "ConnectionError" in line["exception"] and "/bot<hidden>/getMe" in line["exception"]
    assert TOKEN not in stream.getvalue() and "TEST-TOKEN" not in stream.getvalue()
