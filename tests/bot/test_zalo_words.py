"""On Zalo, people are told what works on Zalo: no location to share, no buttons to press, no /start, no
photos in a Telegram group; a Zalo-only officer is sent to the web console for photos. Over real HTTP."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PIL import Image
from sqlmodel import select

from bot.core import Core, build_core
from handlers.escalation.handoff import handoff_message
from handlers.messages import Channel
from storage.models import Case, Unit
from tests.conftest import ZALO_OFFICER
from tests.web.console_client import BASE
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram
from tests.zalo_fake.server import FakeZaloServer

# Instructions that only hold on Telegram: sharing a location, pressing buttons or /start, Telegram itself.
TELEGRAM_ONLY = re.compile(r"📎|vị trí|\bnút\b|\bbấm\b|/start|Telegram|location|button|\bpress\b", re.IGNORECASE)


@pytest.fixture
async def web_core(make_settings, database_url: str) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    built = await build_core(make_settings(database_url, web_base_url=BASE, web_port=8765), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


def _photo() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(image, format="JPEG")
    return image.getvalue()


async def test_zalo_reporters_child_and_officer_only_hear_what_works_on_zalo(
    web_core: Core, zalo_server: FakeZaloServer, telegram_server: Any
) -> None:
    async with running_zalo_and_telegram(web_core, zalo_server, telegram_server):
        adult = ZaloChat(zalo_server, "zalo-adult-1")
        await adult.send("/start report")
        for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua"):
            await adult.choose(label)
        await adult._after(lambda: zalo_server.user_sticker("zalo-adult-1"))  # something Zalo-only it cannot read
        await adult.send("hoan kiem")
        await adult.choose("Phường Hoàn Kiếm")
        await adult.send("Ngõ 5")
        await adult.choose("Bỏ qua")
        await adult.send_photo(_photo())
        await adult.choose("Xong")
        await adult.choose("Có, được nhắn lại")
        receipt = await adult.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]

        child = ZaloChat(zalo_server, "zalo-child-2")
        await child.send("/start help")
        for label in ("Không", "Có người đánh em", "Bỏ qua"):
            await child.choose(label)
        await child.send("hoan kiem")
        await child.choose("Phường Hoàn Kiếm")
        contact = await child.choose("Có")
        assert "tự xoá cuộc trò chuyện" in contact

        officer = ZaloChat(zalo_server, ZALO_OFFICER)
        await zalo_server.wait_for_message(ZALO_OFFICER, code)  # the private alert
        assert "ngay trong cuộc trò chuyện này" in await officer.send(f"xem {code}")
        page = await zalo_server.wait_for_message(ZALO_OFFICER, "Chi tiết tin báo")
        assert f"{BASE}/case/{code}?show=1" in page and "1 ảnh" in page

    said = {who: "\n".join(zalo_server.messages_to(who)) for who in ("zalo-adult-1", "zalo-child-2", ZALO_OFFICER)}
    assert "gõ tên xã/phường" in said["zalo-adult-1"] and "số thứ tự" in said["zalo-adult-1"]
    async with web_core.db.session() as session:  # the change-of-duty message a Zalo duty officer gets
        cases, unit = list((await session.exec(select(Case))).all()), await session.get(Unit, "00070")
    assert unit is not None
    said["handoff"] = handoff_message(web_core.services, unit, "17:00", cases, channel=Channel.ZALO).text
    assert "xem TE-" in said["handoff"]
    for who, text in said.items():
        assert TELEGRAM_ONLY.findall(text) == [], (who, text)
