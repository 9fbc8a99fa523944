"""Canaries planted through a whole Telegram conversation must not appear in the database, the logs or the card."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from bot.core import Core
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN
from tests.telegram_chat import TelegramChat, buttons, running_bot, settled

NARRATIVE = "CANARYNARRATIVE7731"
ADDRESS = "CANARYADDRESS4412"
CANARY_USER = 7733441199


async def _stored_bytes(core: Core) -> bytes:
    """Everything the database holds: the raw files for SQLite, every column of every row for PostgreSQL."""
    url = make_url(core.db.url)
    if url.get_backend_name() == "sqlite":
        await core.db.dispose()  # closes connections, so the WAL is checkpointed into the file
        base = Path(url.database or "")
        return b"".join(p.read_bytes() for p in base.parent.glob(base.name + "*"))
    chunks: list[bytes] = []
    async with core.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.exec(text(f'SELECT * FROM "{table.name}"'))).all():  # type: ignore[call-overload]
                chunks.extend(v if isinstance(v, bytes) else str(v).encode() for v in row)
    return b"\x00".join(chunks)


async def test_canaries_never_reach_database_logs_or_card(
    core: Core, telegram_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, CANARY_USER)
        await report_until_review(chat, description=f"Bé bị đánh {NARRATIVE}", address=ADDRESS)
        await chat.choose("Gửi tin báo")
        [card] = await settled(telegram_server, COMMUNE_GROUP, 0)
        view = next(b for b in buttons(card) if b["text"] == "Xem chi tiết")
        telegram_server.press_button(LAN, card, view["callback_data"], chat_id=COMMUNE_GROUP)
        details = await settled(telegram_server, LAN, 0)
        assert NARRATIVE in details[0]["text"], "the canary did travel through the system"

    assert not any(c in card["text"] for c in (NARRATIVE, ADDRESS, str(CANARY_USER)))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for canary in (NARRATIVE, ADDRESS, str(CANARY_USER), str(LAN)):
        assert canary not in logged, f"{canary} reached the logs"
    stored = await _stored_bytes(core)
    assert stored, "the database was read"
    for canary in (NARRATIVE, ADDRESS, str(CANARY_USER), str(LAN)):
        assert canary.encode() not in stored, f"{canary} is in the database in clear"
