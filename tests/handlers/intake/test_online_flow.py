"""The online-content report through the core: the link only, sealed, to the focal point and its police."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

from bot.config import Settings
from storage.cases import open_body
from storage.models import Case
from tests.chat_driver import CoreChat
from tests.conftest import PROVINCE_GROUP
from tests.online_setup import POLICE_CHAT, online_core, watched_link
from tests.recording_sender import RecordingSender

PHOTO = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


async def test_a_photo_is_refused_and_a_link_reaches_the_focal_point_and_the_police_defanged(
    make_settings: Callable[..., Settings], database_url: str, tmp_path: Path
) -> None:
    async with online_core(make_settings, database_url, tmp_path) as core:
        with watched_link() as (link, hits):
            chat = CoreChat(core, "neighbour")
            await chat.send("/start")
            assert "đường link" in await chat.choose("Báo nội dung xâm hại trẻ em trên mạng")
            refused = await chat.send_photo(PHOTO)
            assert "vi phạm pháp luật" in refused and "đường link" in refused
            assert "chưa thấy đường link" in await chat.send("có một video rất xấu")
            assert "ở đâu" in await chat.send(f"xem ở đây {link} nhé")
            await chat.choose("Facebook")
            receipt = await chat.choose("Có, em đang gặp nguy hiểm")
            assert "TE-" in receipt and "113" in receipt
            async with core.db.session() as session:
                [case] = (await session.exec(select(Case))).all()
                body = await open_body(session, core.vault, case)
            assert (
                case.category == "online_content"
                and case.unit_code == "01"
                and case.urgent
                and case.secret_hash
            )
            assert body["online_link"] == link and link.encode() not in case.body_ct  # sealed
            sender = RecordingSender()
            await core.dispatcher({"telegram": sender}).run_once()
            defanged = link.replace("http://", "hxxp://").replace("127.0.0.1", "127[.]0[.]0[.]1")
            [police] = sender.to(str(POLICE_CHAT))
            assert (
                defanged in police.message.text
                and "Facebook" in police.message.text
                and link not in police.message.text
            )
            assert (
                not police.message.choices
            )  # told, not asked; no reporter: nothing but the code, platform, link
            group = [d.message.text for d in sender.to(str(PROVINCE_GROUP))]
            assert any(defanged in text for text in group) and not any(link in text for text in group)
            assert hits == []  # the bot never opened the link
