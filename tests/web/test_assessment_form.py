"""The console's assessment form: the same officer action as the chat's button and Zalo's command."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bot.core import Core
from storage.models import Case
from tests.chat_driver import officer_press
from tests.handlers.officers.test_assessment import _submitted
from tests.web.console_client import csrf_of, signed_in


async def test_the_console_form(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _submitted(web_core)
    await officer_press(web_core, "lan", f"ack:{code}")
    csrf = await signed_in(client, web_core, "lan")
    page = await client.get(f"/case/{code}")
    assert 'name="special_4"' in page.text and "Trẻ em khuyết tật" in page.text
    posted = await client.post(f"/case/{code}/act", data={
        "csrf": csrf_of(page.text) or csrf, "action": "assess", "finding": "confirmed", "children": "2", "special_4": "2",
    })
    assert posted.status_code == 303
    case = await _read(web_core, code)
    assert (case.finding, case.children, case.special) == ("confirmed", 2, "4,4")
    assert "Kết quả đánh giá: Có xâm hại" in (await client.get(f"/case/{code}")).text


async def _read(core: Core, code: str) -> Case:
    async with core.db.session() as session:
        return (await session.exec(select(Case).where(Case.code == code))).one()
