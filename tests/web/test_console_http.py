"""The console over HTTP: sign-in links, sessions, CSRF, unit boundaries and the shared case rules."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import httpx
import pyotp
from sqlmodel import col, select

from bot.channels.terminal import TerminalChat, TerminalSender
from bot.core import Core, build_core
from handlers.messages import Channel
from storage.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CaseStatus,
    Escalation,
    EscalationState,
    EventKind,
    OutboxMessage,
    utcnow,
)
from storage.outbox import open_envelope
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import ADMIN, MINH
from tests.web.console_client import BASE, csrf_of, sign_in_link, signed_in


async def _case(core: Core, description: str = "Bé bị đánh hằng ngày") -> str:
    chat = CoreChat(core)
    await report_until_review(chat, description=description)
    receipt = await chat.choose("Gửi")
    found = re.search(r"TE-[A-Z0-9]+", receipt)
    assert found, receipt
    return found.group(0)


async def _case_row(core: Core, code: str) -> Case:
    async with core.db.session() as session:
        return (await session.exec(select(Case).where(Case.code == code))).one()


async def test_a_sign_in_link_opens_a_session_once_and_the_queue_shows_the_units_cases(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    landing = await client.get(link)
    assert landing.status_code == 200 and "cp_session" not in landing.headers.get("set-cookie", "")  # a preview spends nothing
    redeemed = await client.post(link)
    assert redeemed.status_code == 303
    cookie = redeemed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    queue = await client.get("/")
    assert code in queue.text and "Bé bị đánh" not in queue.text  # the queue never shows the narrative
    assert queue.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in queue.headers["content-security-policy"]

    again = await httpx.AsyncClient(transport=client._transport, base_url=BASE).post(link)  # noqa: SLF001
    assert again.status_code == 403 and "đã được dùng" in again.text


async def test_an_expired_link_is_refused(web_core: Core, client: httpx.AsyncClient) -> None:
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    web_core.services.clock = lambda: utcnow() + timedelta(minutes=11)
    refused = await client.post(link)
    assert refused.status_code == 403
    assert (await client.get("/")).status_code == 401


async def test_an_officer_of_another_unit_gets_404_by_url_and_by_forged_forms(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    csrf = await signed_in(client, web_core, "hoa")  # province 79; the case is in ward 00070 of province 01
    assert code not in (await client.get("/")).text
    for path in (f"/case/{code}", f"/case/{code}?show=1", f"/case/{code}/photo/1", f"/case/{code}/export.pdf"):
        assert (await client.get(path)).status_code == 404, path
    for action in ("ack", "close", "note", "to_assessed"):
        forged = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": action, "arg": "unfounded", "text": "x"})
        assert forged.status_code == 404
    case = await _case_row(web_core, code)
    assert case.status == CaseStatus.RECEIVED and case.acknowledged_by is None
    async with web_core.db.session() as session:
        denied = (await session.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("denied:")))).all()
    assert len(denied) >= 8  # every refused try is on the audit log


async def test_a_form_without_the_csrf_token_or_from_another_site_changes_nothing(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    csrf = await signed_in(client, web_core, "lan")
    missing = await client.post(f"/case/{code}/act", data={"action": "ack"})
    assert missing.status_code == 403
    elsewhere = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ack"}, headers={"origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    assert (await _case_row(web_core, code)).status == CaseStatus.RECEIVED


async def test_acknowledging_on_the_web_stops_the_escalation(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    csrf = await signed_in(client, web_core, "lan")
    taken = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ack"})
    assert taken.status_code == 303 and taken.headers["location"] == f"/case/{code}"
    page = await client.get(f"/case/{code}")
    assert f"Bạn đã nhận xử lý tin báo {code}." in page.text  # the answer, shown once after the redirect
    assert "Bạn đã nhận xử lý" not in (await client.get(f"/case/{code}")).text
    case = await _case_row(web_core, code)
    assert case.status == CaseStatus.ACKNOWLEDGED
    async with web_core.db.session() as session:
        chain = (await session.exec(select(Escalation).where(Escalation.case_id == case.id, Escalation.track == "chain"))).all()
    assert chain and all(row.state != EscalationState.PENDING for row in chain)  # the Telegram card: tests/web/test_browser.py


async def test_opening_the_report_is_audited_and_put_on_the_timeline(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core, description="Cháu bị nhốt trong kho")
    await signed_in(client, web_core, "lan")
    card = await client.get(f"/case/{code}")
    assert "Cháu bị nhốt" not in card.text  # decrypted only on demand
    report = await client.get(f"/case/{code}?show=1")
    assert "Cháu bị nhốt trong kho" in report.text and report.headers["cache-control"] == "no-store"
    case = await _case_row(web_core, code)
    async with web_core.db.session() as session:
        audit = (await session.exec(select(AuditEntry).where(AuditEntry.case_id == case.id, AuditEntry.action == "web_view"))).all()
        viewed = (await session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == EventKind.DETAILS_VIEWED))).all()
    assert len(audit) == 1 and len(viewed) == 1


async def test_asking_the_reporter_from_the_web_reaches_the_reporters_chat(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    csrf = await signed_in(client, web_core, "lan")
    await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ack"})
    asked = await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ask", "text": "Cháu học trường nào?"})
    assert asked.status_code == 303
    async with web_core.db.session() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "question"))).all()
    assert len(rows) == 1
    async with web_core.db.session() as session:
        envelope = await open_envelope(session, web_core.vault, rows[0].id)
    assert envelope is not None and envelope.address == "chat-reporter" and "Cháu học trường nào?" in envelope.payload["text"]


async def test_a_plain_officer_cannot_steer_a_colleagues_case_from_the_web(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    await officer_press(web_core, str(MINH), f"ack:{code}", channel=Channel.TELEGRAM)  # the supervisor took it
    csrf = await signed_in(client, web_core, "lan")
    await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "close", "arg": "unfounded"})
    assert (await _case_row(web_core, code)).status == CaseStatus.ACKNOWLEDGED
    page = await client.get(f"/case/{code}")
    assert "Chỉ người đã nhận xử lý" in page.text


async def test_ending_a_session_from_the_console_signs_that_browser_out(web_core: Core, client: httpx.AsyncClient) -> None:
    csrf = await signed_in(client, web_core, "lan")
    other = httpx.AsyncClient(transport=client._transport, base_url=BASE)  # noqa: SLF001  a second phone
    await signed_in(other, web_core, "lan")
    listed = await client.get("/sessions")
    hashes = re.findall(r'name="session" value="([0-9a-f]{64})"', listed.text)
    assert len(hashes) == 2
    for digest in hashes:
        if "(phiên này)" not in listed.text.split(digest)[0].rsplit("<li>", 1)[-1]:
            await client.post("/sessions/end", data={"csrf": csrf, "session": digest})
    assert (await other.get("/")).status_code == 401
    assert (await client.get("/")).status_code == 200


async def test_a_supervisor_who_enrolled_totp_must_give_a_code_after_the_link(web_core: Core, client: httpx.AsyncClient) -> None:
    async def link() -> str:
        answer = await CoreChat(web_core, user=str(MINH), channel=Channel.TELEGRAM).send("/web")
        found = re.search(r"https?://\S+/in/\S+", answer)
        assert found
        return found.group(0).removeprefix(BASE)

    await client.post(await link())
    enrol = await client.get("/totp")
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", enrol.text)
    assert secret, enrol.text
    totp = pyotp.TOTP(secret.group(1))
    await client.post("/totp", data={"csrf": csrf_of(enrol.text), "code": totp.now()})

    fresh = httpx.AsyncClient(transport=client._transport, base_url=BASE)  # noqa: SLF001
    signed = await fresh.post(await link())
    assert signed.headers["location"] == "/totp"
    assert (await fresh.get("/")).headers.get("location") == "/totp"
    page = await fresh.get("/totp")
    wrong = await fresh.post("/totp", data={"csrf": csrf_of(page.text), "code": "000000"})
    assert wrong.headers["location"] == "/totp" and (await fresh.get("/")).status_code == 303
    replayed = await fresh.post("/totp", data={"csrf": csrf_of(page.text), "code": totp.now()})
    assert replayed.headers["location"] == "/totp"  # the enrolment's code cannot be used again
    right = await fresh.post("/totp", data={"csrf": csrf_of(page.text), "code": totp.at(utcnow() + timedelta(seconds=30))})
    assert right.headers["location"] == "/"
    assert (await fresh.get("/")).status_code == 200


async def test_web_command_without_a_console_says_so(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    core = await build_core(make_settings(database_url), demo=False)
    try:
        answer = await CoreChat(core, user="lan").send("/web")
        assert "chưa được cài đặt" in answer
        reporter = await CoreChat(core, user="someone").send("/web")
        assert "/in/" not in reporter  # not an officer: the reporter flow answers as to any unknown command
    finally:
        await core.db.dispose()


async def test_an_administrator_configures_but_does_not_read_cases(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    answer = await CoreChat(web_core, user=str(ADMIN), channel=Channel.TELEGRAM).send("/web")
    link = re.search(r"https?://\S+/in/\S+", answer)
    assert link
    await client.post(link.group(0).removeprefix(BASE))
    queue = await client.get("/")
    assert queue.status_code == 200 and code not in queue.text
    assert (await client.get(f"/case/{code}?show=1")).status_code == 404
    forged = await client.post(f"/case/{code}/act", data={"csrf": csrf_of(queue.text), "action": "ack"})
    assert forged.status_code == 404 and (await _case_row(web_core, code)).status == CaseStatus.RECEIVED


async def test_another_site_cannot_sign_a_browser_in_nor_send_it_elsewhere(web_core: Core, client: httpx.AsyncClient) -> None:
    link = (await sign_in_link(web_core, "lan")).removeprefix(BASE)
    forged = await client.post(link, headers={"origin": "https://evil.example"})
    assert forged.status_code == 403 and "cp_session" not in forged.headers.get("set-cookie", "")
    assert (await client.post(link)).status_code == 303  # the link was not spent by the forged try
    csrf = csrf_of((await client.get("/")).text)
    for elsewhere in ("//evil.example/x", "/\\evil.example", "https://evil.example"):
        moved = await client.post("/language", data={"csrf": csrf, "locale": "en", "back": elsewhere})
        assert moved.headers["location"] == "/"
    assert "Open reports" in (await client.get("/")).text


async def test_an_officer_reading_in_english_is_answered_in_english(web_core: Core, client: httpx.AsyncClient) -> None:
    code = await _case(web_core)
    csrf = await signed_in(client, web_core, "lan")
    await client.post("/language", data={"csrf": csrf, "locale": "en", "back": f"/case/{code}"})
    await client.post(f"/case/{code}/act", data={"csrf": csrf, "action": "ack"})
    page = (await client.get(f"/case/{code}")).text
    assert f"You have taken report {code}." in page


async def test_the_terminal_demos_officer_gets_a_working_link_with_web(web_core: Core, client: httpx.AsyncClient) -> None:
    out = io.StringIO()
    sender = TerminalSender(out, "vi")
    chat = TerminalChat(web_core.conversation, web_core.officers, sender, web_core.handle_for(Channel.TERMINAL), officer_login="lan", out=out)
    await chat.line("!web")
    link = re.search(r"https?://\S+/in/\S+", out.getvalue())
    assert link, out.getvalue()
    assert (await client.post(link.group(0).removeprefix(BASE))).status_code == 303
