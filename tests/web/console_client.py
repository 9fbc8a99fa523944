"""Signing officers in to the console the way they do it: /web in their private chat, then the link."""

from __future__ import annotations

import re

import httpx

from bot.core import Core
from tests.chat_driver import CoreChat

BASE = "http://127.0.0.1:8765"


async def sign_in_link(core: Core, login: str) -> str:
    answer = await CoreChat(core, user=login).send("/web")
    found = re.search(r"https?://\S+/in/\S+", answer)
    assert found, answer
    return found.group(0)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


async def signed_in(client: httpx.AsyncClient, core: Core, login: str) -> str:
    """Signs ``login`` in on ``client`` and returns the CSRF token of the session."""
    link = await sign_in_link(core, login)
    redeemed = await client.post(link.removeprefix(BASE))
    assert redeemed.status_code == 303, redeemed.text
    queue = await client.get("/")
    assert queue.status_code == 200, queue.text
    return csrf_of(queue.text)
