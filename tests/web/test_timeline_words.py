"""The case's timeline as officers read it, on the chat's case page and the console's: plain words in
the reader's language, never the machine detail behind an event."""

from __future__ import annotations

import re

import httpx

from bot.core import Core
from bot.scheduler import TimerWorker
from handlers.rules.policy import StepKind, Target, Track
from storage.models import EventKind
from tests.chat_driver import CoreChat, report_until_review
from tests.recording_sender import RecordingSender
from tests.web.console_client import signed_in

# What the stored details are made of: none of it may reach an officer's eyes, in any language.
INTERNAL = re.compile(
    "|".join([r"#\d", "->", r"\bunsent\b", r"\bchain\b", r"alert:", r": met\b", r"\bcase is\b",
              *(rf"\b{re.escape(v.value)}\b" for enum in (EventKind, Track, Target, StepKind) for v in enum if "_" in v.value)])
)
# ... and in Vietnamese, not even the English words of the stored enums ("group", "acknowledged").
ENGLISH = re.compile("|".join(rf"\b{re.escape(v.value)}\b" for enum in (Track, Target, StepKind) for v in enum) + r"|\backnowledged\b")


async def test_the_desk_and_the_console_tell_the_timeline_in_plain_words(web_core: Core, client: httpx.AsyncClient) -> None:
    chat = CoreChat(web_core)
    await report_until_review(chat)
    code = re.search(r"TE-[A-Z0-9]+", await chat.choose("Gửi tin báo")).group(0)  # type: ignore[union-attr]
    await TimerWorker(web_core.services).tick()  # the chain's first step: the card to the duty group
    await web_core.dispatcher({"telegram": RecordingSender(), "zalo": RecordingSender()}).run_once()
    csrf = await signed_in(client, web_core, "lan")
    for form in ({"action": "ack"}, {"action": "to_assessed"}, {"action": "note", "text": "Đã gọi cho nhà trường"},
                 {"action": "assign", "arg": "2"}):
        assert (await client.post(f"/case/{code}/act", data={"csrf": csrf, **form})).status_code == 303

    page = (await client.get(f"/case/{code}")).text
    console = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.DOTALL).group(1)  # type: ignore[union-attr]
    desk = (await CoreChat(web_core, user="lan").send(f"/case {code}")).split("Diễn biến:")[1]
    for timeline in (console, desk):
        assert "Đã báo tin tới nhóm trực của đơn vị" in timeline
        assert "Đã có người nhận: dừng nhắc — Nguyễn Thị Lan" in timeline
        assert "Đã hoàn thành đánh giá ban đầu (12 giờ): dừng nhắc hạn" in timeline
        assert "Giao cho Phạm Văn Dũng — Nguyễn Thị Lan" in timeline
        assert INTERNAL.findall(timeline) == [] and ENGLISH.findall(timeline) == [], timeline
