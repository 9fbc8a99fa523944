"""The case page in the console: the source of the report, and the home-visit form of the case's commune
(a private message to the collaborator through the outbox, with the case's facts, never the narrative)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from bot.core import Core, build_core
from bot.web.server import console_for
from storage.models import OutboxMessage
from storage.outbox import open_envelope
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import DEPLOYMENT
from tests.web.console_client import BASE, signed_in

COLLABORATOR = """
[[collaborators]]
name = "Bùi Văn Tư"
commune = "00070"
village = "Phố Hàng Bạc"
zalo_user_id = "zalo-collab-9"
"""


@pytest.fixture
async def web_core(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    deployment = tmp_path / "with-collaborator.toml"
    deployment.write_text(DEPLOYMENT + COLLABORATOR, encoding="utf-8")
    built = await build_core(make_settings(database_url, web_base_url=BASE, web_port=8765, deployment_file=deployment), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


@pytest.fixture
async def client(web_core: Core) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=console_for(web_core))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


async def _visits(core: Core) -> list[tuple[str, str, str]]:
    async with core.db.session() as session:
        rows = (await session.exec(select(OutboxMessage).where(col(OutboxMessage.purpose) == "home_visit"))).all()
        found = []
        for row in rows:
            envelope = await open_envelope(session, core.vault, row.id)
            assert envelope is not None
            found.append((row.channel, envelope.address, envelope.payload["text"]))
    return found


async def test_the_communes_officer_asks_a_collaborator_from_the_case_page(web_core: Core, client: httpx.AsyncClient) -> None:
    chat = CoreChat(web_core)
    await report_until_review(chat, description="Mẹ kế nhốt bé trong nhà", address="Số 12 ngõ Hàng Bạc")
    code = re.search(r"TE-[A-Z0-9]+", await chat.choose("Gửi")).group(0)  # type: ignore[union-attr]
    csrf = await signed_in(client, web_core, "lan")
    page = await client.get(f"/case/{code}")
    assert "Nguồn tin: Người dân báo" in page.text
    assert "Nhờ cộng tác viên thăm nhà" not in page.text, "a plain officer asks once the case is theirs"
    await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ack"})
    page = await client.get(f"/case/{code}")
    assert "Nhờ cộng tác viên thăm nhà" in page.text and "Bùi Văn Tư — Phố Hàng Bạc" in page.text
    sent = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "visit", "arg": "1", "address": "1"})
    assert sent.status_code == 303
    assert f"Đã nhờ Bùi Văn Tư thăm nhà cho {code}." in (await client.get(f"/case/{code}")).text
    ((channel, address, text),) = await _visits(web_core)
    assert (channel, address) == ("zalo", "zalo-collab-9")
    assert code in text and "Số 12 ngõ Hàng Bạc" in text and "Mẹ kế nhốt bé" not in text
    assert "Nhờ cộng tác viên Bùi Văn Tư thăm nhà — Nguyễn Thị Lan" in (await client.get(f"/case/{code}")).text


async def test_another_units_officer_is_neither_offered_the_form_nor_heard(web_core: Core, client: httpx.AsyncClient) -> None:
    chat = CoreChat(web_core)
    await report_until_review(chat)
    code = re.search(r"TE-[A-Z0-9]+", await chat.choose("Gửi")).group(0)  # type: ignore[union-attr]
    csrf = await signed_in(client, web_core, "hoa")
    refused = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "visit", "arg": "1"})
    assert refused.status_code == 404
    assert await _visits(web_core) == []
