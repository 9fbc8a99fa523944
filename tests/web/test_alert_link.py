"""A private alert's link: an officer no group reaches opens the case from it, signing in on the way."""

from __future__ import annotations

import re

import httpx

from bot.core import Core
from handlers.messages import Channel
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import COMMUNE_GROUP, ZALO_OFFICER
from tests.recording_sender import RecordingSender
from tests.web.console_client import BASE


async def test_a_private_alert_links_to_the_case_which_opens_after_sign_in(web_core: Core, client: httpx.AsyncClient) -> None:
    chat = CoreChat(web_core)
    await report_until_review(chat)
    code = re.search(r"TE-[A-Z0-9]+", await chat.choose("Gửi tin báo")).group(0)  # type: ignore[union-attr]
    sender = RecordingSender()
    await web_core.dispatcher({Channel.TELEGRAM: sender, Channel.ZALO: sender}).run_once()
    [card] = sender.to(str(COMMUNE_GROUP))
    [private] = sender.to(ZALO_OFFICER)
    assert f"{BASE}/case/{code}" in private.message.text
    assert "/case/" not in card.message.text  # the group card stays as it was

    unsigned = await client.get(f"/case/{code}")
    assert unsigned.status_code == 401 and "/web" in unsigned.text and code not in unsigned.text
    answer = await CoreChat(web_core, user=ZALO_OFFICER, channel=Channel.ZALO).send("/web")
    link = re.search(r"https?://\S+/in/\S+", answer)
    assert link, answer
    signed = await client.post(link.group(0).removeprefix(BASE))
    assert signed.status_code == 303 and signed.headers["location"] == f"/case/{code}"
    page = await client.get(f"/case/{code}")
    assert page.status_code == 200 and code in page.text
    again = await client.post(link.group(0).removeprefix(BASE))
    assert again.status_code == 403  # the remembered case is spent with the link: no second redirect
