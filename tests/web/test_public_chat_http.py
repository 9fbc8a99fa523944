"""The public web chat over HTTP: the same flows as the chat apps, and every bad input answered kindly."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image
from sqlmodel import select

from bot.core import Core, build_core
from bot.web.public_chat import COOKIE, public_for
from bot.web.public_sender import WebSender
from handlers.messages import Channel
from handlers.officers.desk import finish_input
from handlers.state import load_conversation
from storage.models import (
    Attachment,
    Case,
    CaseMessage,
    Conversation,
    MessageDirection,
    Officer,
    OutboxMessage,
)
from storage.web_chat import WebNote, WebVisit
from tests.chat_driver import officer_press, report_until_review
from tests.web.public_client import PUBLIC, WebChat


@pytest.fixture
async def public_core(make_settings, database_url: str) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    built = await build_core(make_settings(database_url, public_base_url=PUBLIC, public_port=8766,
                                           public_exit_url="https://neutral.example/"), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


@pytest.fixture
async def http(public_core: Core) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=public_for(public_core))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
        yield client


async def test_the_first_page_is_the_main_menu_with_private_headers_and_a_short_lived_cookie(http: httpx.AsyncClient) -> None:
    response = await http.get("/", headers={"accept-language": "vi-VN"})
    assert response.status_code == 200
    page = response.text
    for label in ("Em cần giúp đỡ", "Báo tin về một bạn nhỏ", "Thoát nhanh", 'href="tel:111"', 'href="tel:113"', 'href="tel:115"'):
        assert label in page
    assert "<title>Trò chuyện</title>" in page
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=3600" in cookie
    assert "secure" not in cookie  # http on localhost; https sets it
    assert len(response.content) < 30_000
    assert "http://" not in page.replace(PUBLIC, "") and "https://" not in page.replace("https://neutral.example/", "")


async def test_a_citizen_reports_through_the_web_and_gets_code_and_secret(public_core: Core, http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    await chat.load()
    await report_until_review(chat)
    receipt = await chat.choose("Gửi tin báo")
    assert "Mã tin báo" in receipt and "Mật mã theo dõi" in receipt, receipt
    assert 'class="k">TE-' in chat.page and "Hãy chép lại mã tin báo" in chat.page
    async with public_core.db.session() as session:
        case = (await session.exec(select(Case))).one()
        notes = (await session.exec(select(WebNote))).all()
    assert case.channel == "web" and case.reporter_handle != http.cookies[COOKIE]
    assert notes and all(b"TE-" not in n.message_ct for n in notes), "the page's messages are sealed"
    assert len(chat.page.encode()) < 30_000


async def test_stale_replayed_missing_and_forged_forms_get_kind_answers_and_keep_the_draft(http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    await chat.load()
    await chat.choose("Báo tin về một bạn nhỏ")
    old_token, old_value = chat.token, chat.value_of("Hàng xóm")
    await chat.choose("Hàng xóm")
    for token in (old_token, "", "forged"):  # a replay of the page before, none, one made up
        await chat.post({"choice": chat.value_of("Bạo lực thể chất")}, token=token)
        assert "Trang vừa rồi đã cũ" in chat.text()
    await chat.post({"choice": old_value})  # the button of a question already answered
    assert "Nút này thuộc một câu hỏi trước" in chat.text()
    await chat.post({"choice": "s:category:<script>alert(1)</script>" + "x" * 500})
    assert "<script>alert" not in chat.page
    text = await chat.send("<script>alert(1)</script><b>x</b>")
    assert "<script>alert" not in chat.page and "Traceback" not in text
    response = await http.post("/say", data={"form": chat.token, "text": "x" * 70_000})
    assert response.status_code == 303
    assert "Câu trả lời quá dài" in await chat.load()
    assert "Bạo lực thể chất" in chat.text(), "the draft is where it was"
    response = await http.post("/say", content=b"\xff\xfe", headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 303


async def test_a_cookie_nobody_was_given_starts_a_fresh_visit(public_core: Core) -> None:
    transport = httpx.ASGITransport(app=public_for(public_core))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC, cookies={COOKIE: "A" * 43}) as http:
        response = await http.post("/say", data={"form": "x", "choice": "menu:report"})
        assert response.headers["location"] == "/?n=e"
        page = (await http.get(response.headers["location"])).text
        assert "Cuộc trò chuyện trước đã kết thúc" in page and "Em cần giúp đỡ" in page
        assert http.cookies.get(COOKIE, domain="127.0.0.1") not in (None, "A" * 43)


async def test_quick_exit_and_wipe_end_the_visit_and_clear_the_browser(public_core: Core, http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    await chat.load()
    await chat.choose("Báo tin về một bạn nhỏ")
    response = await http.post("/exit", data={})
    assert response.status_code == 303 and response.headers["location"] == "https://neutral.example/"
    assert response.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    async with public_core.db.session() as session:
        assert (await session.exec(select(WebVisit))).all() == []
        [row] = (await session.exec(select(Conversation))).all()
        state = await load_conversation(session, public_core.vault, row.handle)
        assert state is not None and state.flow is None and state.answers == {}, "the draft was wiped"
    assert "Em cần giúp đỡ" in await chat.load() and "Hàng xóm" not in chat.page
    await chat.choose("Báo tin về một bạn nhỏ")
    response = await http.post("/say", data={"form": chat.token, "choice": chat.value_of("🧹")})
    assert response.headers["location"] == "/?n=w" and "clear-site-data" in response.headers
    async with public_core.db.session() as session:
        assert (await session.exec(select(WebVisit))).all() == []


async def test_an_officers_question_reaches_the_open_page_and_the_answer_goes_back(public_core: Core, http: httpx.AsyncClient) -> None:
    """Through the outbox, as to any channel: sealed for the visit, shown on the next page it loads."""
    chat = WebChat(http)
    await chat.load()
    await report_until_review(chat)
    code = (await chat.choose("Gửi tin báo")).split("Mã tin báo:")[1].split()[0]
    assert await _officer_asks(public_core, code, "Bé học lớp mấy?") == "desk.done.ask"
    outbox = public_core.dispatcher({Channel.WEB: WebSender(public_core.db, public_core.vault)})
    assert await outbox.run_once() >= 1
    assert "Bé học lớp mấy?" in await chat.load() and 'class="m note"' in chat.page
    await chat.send("Lớp 3")
    assert "Bé học lớp mấy?" not in chat.page, "a new answer replaces the screen"
    async with public_core.db.session() as session:
        case = (await session.exec(select(Case).where(Case.code == code))).one()
        texts = [m.direction for m in (await session.exec(select(CaseMessage).where(CaseMessage.case_id == case.id))).all()]
    assert MessageDirection.FROM_REPORTER in texts


async def test_the_pages_script_gets_the_next_page_in_one_answer_and_polls_for_an_officers_question(
    public_core: Core, http: httpx.AsyncClient
) -> None:
    """With `X-Chat: 1` an answer returns the next page itself (one round trip on a slow network), `/poll`
    says 204 until a message waits unseen, and an ended visit says where to go instead of redirecting."""
    chat = WebChat(http)
    await chat.load()
    inline = {"x-chat": "1"}
    answered = await http.post("/say", data={"form": chat.token, "choice": chat.value_of("Báo tin về một bạn nhỏ")},
                               headers=inline)
    assert answered.status_code == 200 and "Hàng xóm" in answered.text
    chat.page = answered.text
    stale = await http.post("/say", data={"form": "not-this-page", "text": "xin chào"}, headers=inline)
    assert stale.status_code == 200 and "Trang vừa rồi đã cũ" in stale.text and "Hàng xóm" in stale.text
    chat.page = stale.text
    await chat.choose("Huỷ")
    await report_until_review(chat)
    code = (await chat.choose("Gửi tin báo")).split("Mã tin báo:")[1].split()[0]
    assert (await http.get("/poll")).status_code == 204
    assert await _officer_asks(public_core, code, "Bé học lớp mấy?") == "desk.done.ask"
    await public_core.dispatcher({Channel.WEB: WebSender(public_core.db, public_core.vault)}).run_once()
    assert (await http.get("/poll")).status_code == 200, "the officer's question waits for the open page"
    assert "Bé học lớp mấy?" in await chat.load()
    assert (await http.get("/poll")).status_code == 204
    ended = await http.post("/say", data={"form": chat.token, "choice": chat.value_of("🧹")}, headers=inline)
    assert ended.status_code == 204 and ended.headers["x-chat-go"] == "/?n=w" and "location" not in ended.headers
    assert ended.headers["clear-site-data"] == '"cache", "cookies", "storage"' and COOKIE not in http.cookies
    assert (await http.get("/poll")).status_code == 204, "no visit: nothing waits"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, format="JPEG")
    return out.getvalue()


async def test_a_photo_from_the_web_is_checked_like_any_photo_and_kept_with_the_case(
    public_core: Core, http: httpx.AsyncClient
) -> None:
    """The photo step's form takes a file (multipart): a JPEG is kept (rebuilt by the engine), a GIF
    is refused by its declared type, one over the limit is refused by its length, unread; the draft stays."""
    chat = WebChat(http)
    await chat.load()
    await chat.choose("Báo tin về một bạn nhỏ")
    for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua"):
        await chat.choose(label)
    await chat.send("hoan kiem")
    await chat.choose("Phường Hoàn Kiếm")
    await chat.send("Ngõ 5")
    await chat.send("Bé bị đánh hằng ngày")
    assert 'enctype="multipart/form-data"' in chat.page and 'type="file" name="photo"' in chat.page

    async def upload(data: bytes, kind: str) -> str:
        answer = await http.post("/say", data={"form": chat.token}, files={"photo": ("anh.jpg", data, kind)})
        assert answer.status_code == 303, answer.text
        await chat.load(answer.headers["location"])
        return chat.text()

    assert "Đã nhận ảnh (1/" in await upload(_jpeg(), "image/jpeg")
    assert "Không đọc được ảnh này" in await upload(b"GIF89a" + bytes(64), "image/gif")
    too_big = await http.post("/say", content=b"x" * (public_core.settings.max_photo_bytes + 70_000),
                              headers={"content-type": "multipart/form-data; boundary=b"})
    assert too_big.status_code == 303
    assert "Ảnh quá lớn" in await chat.load() and 'type="file" name="photo"' in chat.page, "the step is asked again"
    await chat.choose("Xong")
    await chat.choose("Có, được nhắn lại")
    code = re.search(r"TE-[A-Z0-9]+", await chat.choose("Gửi tin báo")).group(0)  # type: ignore[union-attr]
    async with public_core.db.session() as session:
        case = (await session.exec(select(Case).where(Case.code == code))).one()
        [photo] = (await session.exec(select(Attachment).where(Attachment.case_id == case.id))).all()
    assert photo.content_type == "image/jpeg" and b"\xff\xd8\xff" not in photo.data_ct, "kept, and sealed"


async def test_a_message_for_a_visit_that_ended_is_not_kept_for_it(public_core: Core, http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    await chat.load()
    await report_until_review(chat)
    code = (await chat.choose("Gửi tin báo")).split("Mã tin báo:")[1].split()[0]
    await http.post("/exit")
    assert await _officer_asks(public_core, code, "Bé học lớp mấy?") == "desk.done.ask"
    await public_core.dispatcher({Channel.WEB: WebSender(public_core.db, public_core.vault)}).run_once()
    async with public_core.db.session() as session:
        assert (await session.exec(select(WebNote))).all() == []
        waiting = (await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "question"))).all()
        kept = (await session.exec(select(CaseMessage).where(CaseMessage.direction == MessageDirection.TO_REPORTER))).all()
    assert waiting == [], "settled (a sent row to a person is not kept), not left retrying for a visit that ended"
    assert len(kept) == 1, "the question stays with the case: read with code and secret from any browser"


async def _officer_asks(core: Core, code: str, text: str) -> str:
    """The commune's officer takes the case and asks, as the console and the chat desk do."""
    await officer_press(core, "lan", f"ack:{code}")
    async with core.db.transaction() as session:
        officer = (await session.exec(select(Officer).where(Officer.name == "Nguyễn Thị Lan"))).one()
        return await finish_input(core.services, session, officer, "ask", code, text)


async def test_a_posters_address_offers_its_commune_when_the_place_is_asked(public_core: Core, http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    await chat.load("/?xa=00070")  # what the poster's QR code opens (python -m bot poster --unit 00070)
    await chat.choose("Em cần giúp đỡ")
    assert "📍" not in chat.page, "offered only where the place is asked"
    await chat.choose("Có, em đang gặp nguy hiểm")
    assert "📍 Phường Hoàn Kiếm, Hà Nội" in chat.page
    await chat.post({"text": "Phường Hoàn Kiếm, Hà Nội"})  # the suggested button posts the commune's name
    await chat.choose("Phường Hoàn Kiếm")
    async with public_core.db.session() as session:
        case = (await session.exec(select(Case))).one()
    assert (case.place_code, case.unit_code, case.urgent) == ("00070", "00070", True)


async def test_a_preset_that_is_not_a_commune_is_no_preset(http: httpx.AsyncClient) -> None:
    chat = WebChat(http)
    for junk in ("01", "99999", "<script>", "00070&xa=1"):
        await chat.load(f"/?xa={junk}")
        assert 'name="xa"' not in chat.page
