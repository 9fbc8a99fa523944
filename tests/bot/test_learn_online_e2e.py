"""Learn and the online-content report end to end on Telegram, Zalo and the web chat: danger words in
the middle of a piece open an urgent case; a photo is refused, a link reaches the focal point's group and
the police contact defanged, with link previews off, and nobody ever requests it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bot.config import Settings
from bot.web.public_chat import public_for
from tests.conftest import PROVINCE_GROUP
from tests.online_setup import POLICE_CHAT, online_core, watched_link
from tests.telegram_chat import TelegramChat, running_bot
from tests.web.public_client import PUBLIC, WebChat
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram
from tests.zalo_fake.server import FakeZaloServer

CHILD, ADULT = 434343, 434344
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _defanged(link: str) -> str:
    return link.replace("http://", "hxxp://").replace("127.0.0.1", "127[.]0[.]0[.]1")


async def _the_link_arrived(telegram_server: Any, link: str) -> None:
    police = await telegram_server.wait_for_message(POLICE_CHAT)
    assert _defanged(link) in police["text"] and link not in police["text"] and not police.get("reply_markup")
    notice = await telegram_server.wait_for_message(
        PROVINCE_GROUP, lambda m: "hxxp://" in (m.get("text") or "")
    )
    assert _defanged(link) in notice["text"]
    sends = [r for r in telegram_server.requests if r.method == "sendMessage"]
    assert sends and all((r.params.get("link_preview_options") or {}).get("is_disabled") for r in sends)


async def test_telegram_learn_then_danger_words_then_an_online_report(
    make_settings: Callable[..., Settings], database_url: str, tmp_path: Path, telegram_server: Any
) -> None:
    async with online_core(make_settings, database_url, tmp_path) as core, running_bot(core, telegram_server):
        child = TelegramChat(telegram_server, CHILD)
        await child.send("/start")
        await child.choose("📖 Tìm hiểu")
        await child.choose("Em là trẻ em")
        assert "(1/3)" in await child.choose("An toàn trên mạng")
        answer = await child.send("cứu em với, có người doạ em")
        assert "111" in answer and "113" in answer
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert "KHẨN CẤP" in card["text"] and "doạ" not in card["text"]

        with watched_link() as (link, hits):
            adult = TelegramChat(telegram_server, ADULT)
            await adult.send("/start")
            await adult.choose("Báo nội dung xâm hại trẻ em trên mạng")
            assert "vi phạm pháp luật" in await adult.send_photo(PHOTO)
            assert "Nội dung đó ở đâu" in await adult.send(link)
            await adult.choose("TikTok")
            receipt = await adult.choose("Không biết")
            assert "TE-" in receipt
            await _the_link_arrived(telegram_server, link)
            assert not [
                r
                for r in telegram_server.requests
                if link in str(r.params.get("text", "")) and r.method != "sendMessage"
            ]
            assert hits == []


async def test_zalo_learn_by_numbers_then_danger_words_then_an_online_report(
    make_settings: Callable[..., Settings],
    database_url: str,
    tmp_path: Path,
    zalo_server: FakeZaloServer,
    telegram_server: Any,
) -> None:
    async with (
        online_core(make_settings, database_url, tmp_path) as core,
        running_zalo_and_telegram(core, zalo_server, telegram_server),
    ):
        child = ZaloChat(zalo_server, "zalo-child-1")
        await child.send("xin chào")
        assert "Bạn là ai?" in await child.choose("📖 Tìm hiểu")
        await child.choose("Em là trẻ em")
        assert "(1/3)" in await child.choose("Bí mật tốt và bí mật xấu")
        assert "(2/3)" in await child.choose("Tiếp")
        answer = await child.send("cuu em voi")  # typed without accents, in the middle of the piece
        assert "111" in answer and "113" in answer
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert "KHẨN CẤP" in card["text"]

        with watched_link() as (link, hits):
            adult = ZaloChat(zalo_server, "zalo-adult-1")
            await adult.send("xin chào")
            await adult.choose("Báo nội dung xâm hại trẻ em trên mạng")
            assert "vi phạm pháp luật" in await adult.send_photo(PHOTO)
            await adult.send(f"link đây: {link}")
            await adult.choose("Facebook")
            assert "TE-" in await adult.choose("Không")
            await _the_link_arrived(telegram_server, link)
            assert hits == []


async def test_web_chat_learn_then_danger_words_then_an_online_report(
    make_settings: Callable[..., Settings], database_url: str, tmp_path: Path, telegram_server: Any
) -> None:
    async with online_core(make_settings, database_url, tmp_path) as core, running_bot(core, telegram_server):
        core.settings = core.settings.model_copy(update={"public_base_url": PUBLIC, "public_port": 8766})
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=public_for(core)), base_url=PUBLIC
        ) as http:
            child = WebChat(http)
            await child.load()
            await child.choose("📖 Tìm hiểu")
            await child.choose("Em là trẻ em")
            assert "(1/3)" in await child.choose("Em có thể kể với ai?")
            answer = await child.send("cứu em với")
            assert "111" in answer and "113" in answer
            card = await telegram_server.wait_for_message(PROVINCE_GROUP)
            assert "KHẨN CẤP" in card["text"]
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=public_for(core)), base_url=PUBLIC
        ) as http:
            with watched_link() as (link, hits):
                adult = WebChat(http)
                await adult.load()
                await adult.choose("Báo nội dung xâm hại trẻ em trên mạng")
                await adult.send(link)
                await adult.choose("YouTube")
                assert "TE-" in await adult.choose("Không")
                await _the_link_arrived(telegram_server, link)
                assert hits == []
