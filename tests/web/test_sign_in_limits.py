"""Signing in to the console under attack: guesses limited per address (as a trusted proxy names it) and TOTP
codes per officer, colleagues behind one address never locked out, tokens kept as keyed hashes, a session
token renewed once the second factor is given, and no sign-in from ``Origin: null``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pyotp
import pytest
from sqlmodel import select

from bot.core import Core, build_core
from bot.web.server import console_for
from handlers.messages import Channel
from storage.models import WebSession, utcnow
from tests.chat_driver import CoreChat
from tests.conftest import ADMIN, MINH
from tests.web.console_client import BASE, csrf_of, sign_in_link


@pytest.fixture
async def proxied(make_settings, database_url: str) -> AsyncIterator[tuple[Core, httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    """The console behind a reverse proxy at 127.0.0.1 (the test client's address), named in WEB_TRUSTED_PROXIES."""
    core = await build_core(
        make_settings(database_url, web_base_url=BASE, web_port=8765, web_trusted_proxies="127.0.0.1/32, 10.0.0.0/8"), demo=False
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=console_for(core)), base_url=BASE) as http:
            yield core, http
    finally:
        await core.db.dispose()


def _fresh(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser (its own cookies) on the same console."""
    return httpx.AsyncClient(transport=client._transport, base_url=BASE)


async def _link_of(core: Core, telegram_user: int) -> str:
    answer = await CoreChat(core, user=str(telegram_user), channel=Channel.TELEGRAM).send("/web")
    found = re.search(r"https?://\S+/in/\S+", answer)
    assert found, answer
    return found.group(0).removeprefix(BASE)


async def _enrolled(core: Core, client: httpx.AsyncClient, telegram_user: int) -> pyotp.TOTP:
    await client.post(await _link_of(core, telegram_user))
    enrol = await client.get("/totp")
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", enrol.text)
    assert secret, enrol.text
    totp = pyotp.TOTP(secret.group(1))
    assert (await client.post("/totp", data={"csrf": csrf_of(enrol.text), "code": totp.now()})).headers["location"] == "/"
    return totp


async def test_guesses_are_limited_per_address_but_a_right_link_still_opens(web_core: Core, client: httpx.AsyncClient) -> None:
    for _ in range(5):
        assert (await client.post("/in/not-a-real-token")).status_code == 403
    assert (await client.post("/in/another-guess")).status_code == 429
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    assert (await client.post(link)).status_code == 303, "a colleague behind the guesser's address still signs in"
    for _ in range(8):  # an officer's own spent link, opened again and again, is no guess
        assert (await _fresh(client).post(link)).status_code == 403


async def test_a_rotating_forwarded_header_gains_nothing_without_a_trusted_proxy(client: httpx.AsyncClient) -> None:
    for n in range(5):
        refused = await client.post(f"/in/guess-{n}", headers={"x-forwarded-for": f"203.0.113.{n}"})
        assert refused.status_code == 403
    assert (await client.post("/in/guess-6", headers={"x-forwarded-for": "198.51.100.1"})).status_code == 429


async def test_a_trusted_proxy_names_the_client_and_a_forged_prefix_is_ignored(proxied: tuple[Core, httpx.AsyncClient]) -> None:
    _, client = proxied
    for n in range(5):
        assert (await client.post(f"/in/guess-{n}", headers={"x-forwarded-for": "203.0.113.7"})).status_code == 403
    assert (await client.post("/in/guess-5", headers={"x-forwarded-for": "203.0.113.7"})).status_code == 429
    # what the client wrote comes first; the proxy appends the address it saw, which is the one counted
    forged = await client.post("/in/guess-6", headers={"x-forwarded-for": "1.2.3.4, 203.0.113.7"})
    assert forged.status_code == 429
    assert (await client.post("/in/guess-7", headers={"x-forwarded-for": "198.51.100.9"})).status_code == 403


async def test_totp_codes_are_limited_per_officer_from_any_address_and_colleagues_are_not_locked_out(
    proxied: tuple[Core, httpx.AsyncClient],
) -> None:
    core, client = proxied
    totp = await _enrolled(core, client, MINH)
    attacker = _fresh(client)
    assert (await attacker.post(await _link_of(core, MINH))).headers["location"] == "/totp"
    page = await attacker.get("/totp")
    for n in range(5):  # a new address for every try
        wrong = await attacker.post("/totp", data={"csrf": csrf_of(page.text), "code": f"00000{n}"},
                                    headers={"x-forwarded-for": f"203.0.113.{n}"})
        assert wrong.headers["location"] == "/totp"
    right = totp.at(utcnow() + timedelta(seconds=30))
    blocked = await attacker.post("/totp", data={"csrf": csrf_of(page.text), "code": right}, headers={"x-forwarded-for": "203.0.113.99"})
    assert blocked.status_code == 429
    # the administrator, behind the address of the last wrong try, enrols and passes at once
    admin = _fresh(client)
    await admin.post(await _link_of(core, ADMIN), headers={"x-forwarded-for": "203.0.113.4"})
    enrol = await admin.get("/totp")
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", enrol.text)
    assert secret
    passed = await admin.post("/totp", data={"csrf": csrf_of(enrol.text), "code": pyotp.TOTP(secret.group(1)).now()},
                              headers={"x-forwarded-for": "203.0.113.4"})
    assert passed.headers["location"] == "/" and (await admin.get("/")).status_code == 200


async def test_the_session_token_is_renewed_when_the_code_is_given(web_core: Core, client: httpx.AsyncClient) -> None:
    totp = await _enrolled(web_core, client, MINH)
    browser = _fresh(client)
    await browser.post(await _link_of(web_core, MINH))
    before = browser.cookies["cp_session"]
    page = await browser.get("/totp")
    passed = await browser.post("/totp", data={"csrf": csrf_of(page.text), "code": totp.at(utcnow() + timedelta(seconds=30))})
    assert passed.headers["location"] == "/"
    after = browser.cookies["cp_session"]
    assert after != before and (await browser.get("/")).status_code == 200
    stale = httpx.AsyncClient(transport=client._transport, base_url=BASE, cookies={"cp_session": before})
    assert (await stale.get("/")).status_code == 401, "the token seen before the code opens nothing"


async def test_a_database_writer_cannot_mint_a_session(web_core: Core, client: httpx.AsyncClient) -> None:
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    assert (await client.post(link)).status_code == 303
    real = client.cookies["cp_session"]
    async with web_core.db.transaction() as session:
        rows = (await session.exec(select(WebSession))).all()
        assert [r.token_hash for r in rows] != [hashlib.sha256(real.encode()).hexdigest()]
        lan = rows[0].officer_id
        minted = "token-the-writer-chose"  # a row made the way an unkeyed hash would match it
        session.add(WebSession(token_hash=hashlib.sha256(minted.encode()).hexdigest(), officer_id=lan, csrf="x",
                               expires_at=utcnow() + timedelta(hours=1), second_factor=True))
    writer = httpx.AsyncClient(transport=client._transport, base_url=BASE, cookies={"cp_session": minted})
    assert (await writer.get("/")).status_code == 401


async def test_a_sign_in_from_origin_null_is_refused_and_the_link_kept(web_core: Core, client: httpx.AsyncClient) -> None:
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    sandboxed = await client.post(link, headers={"origin": "null"})
    assert sandboxed.status_code == 403 and "cp_session" not in client.cookies
    assert (await client.post(link, headers={"origin": BASE})).status_code == 303
    assert (await client.get("/")).headers["referrer-policy"] == "same-origin"
