"""The database gone for a while (a real fault, no mock): the reporter is told kindly to try again, the
draft is kept, and once the database is back they continue where they were and can submit.

SQLite: another connection holds the write lock past the app's busy_timeout (5 s). PostgreSQL: the
test database stops accepting connections and the app's connections are terminated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.core import Core
from storage.models import Case
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, PG_ADMIN_URL, REPORTER
from tests.telegram_chat import TelegramChat, buttons, running_bot

BUSY = "Hệ thống đang bận"


@contextmanager
def database_down(url: str) -> Iterator[None]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        holder = sqlite3.connect(parsed.database or "", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # every writer waits out its busy_timeout, then fails
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    name = parsed.database
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


async def _cases(core: Core) -> list[Case]:
    async with core.db.session() as session:
        return list((await session.exec(select(Case))).all())


async def test_submit_while_the_database_is_down_then_again_when_it_is_back(
    core: Core, telegram_server, database_url: str  # type: ignore[no-untyped-def]
) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, REPORTER)
        await report_until_review(chat, description="Bé bị bỏ đói nhiều ngày")  # no danger words: those open the case at once
        with database_down(database_url):
            message, data = chat.find_button("Gửi tin báo")
            press = telegram_server.press_button(REPORTER, message, data)
            busy = await telegram_server.wait_for_message(REPORTER, lambda m: BUSY in (m.get("text") or ""), timeout=20)
            assert "vẫn được giữ" in busy["text"] and "Traceback" not in busy["text"]
            assert telegram_server.state.callback_queries[press["callback_query"]["id"]] is not None  # no spinning button
        assert await _cases(core) == []
        receipt = await chat.choose("Gửi tin báo")  # the same button, the same draft
        assert "Mã tin báo: TE-" in receipt
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        [case] = await _cases(core)
        assert case.code == code
        card = await telegram_server.wait_for_message(COMMUNE_GROUP, lambda m: code in (m.get("text") or ""), timeout=10)
        view = next(b for b in buttons(card) if b["text"] == "Xem chi tiết")
        telegram_server.press_button(LAN, card, view["callback_data"], chat_id=COMMUNE_GROUP)
        details = await telegram_server.wait_for_message(LAN, lambda m: code in (m.get("text") or ""))
        assert "Bé bị bỏ đói nhiều ngày" in details["text"]  # the draft kept through the outage is what was sent


async def test_an_answer_typed_during_the_outage_is_asked_again_and_then_taken(
    core: Core, telegram_server, database_url: str  # type: ignore[no-untyped-def]
) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, REPORTER)
        await chat.send("/start")
        await chat.choose("Báo tin về một bạn nhỏ")
        with database_down(database_url):
            telegram_server.user_message(REPORTER, "/start")
            await telegram_server.wait_for_message(REPORTER, lambda m: BUSY in (m.get("text") or ""), timeout=20)
        assert "Chuyện gì đang xảy ra" in await chat.choose("Hàng xóm")  # still at the question it was on
