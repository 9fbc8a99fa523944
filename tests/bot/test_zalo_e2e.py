"""Zalo end to end over real HTTP: the same flows, numbered choices, alerts in the unit's Telegram group."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from sqlmodel import select

from bot.channels.zalo import SECRET_HEADER, TEXT_LIMIT, UNREADABLE, ZaloBot, ZaloClient, ZaloSender, render
from bot.core import Core
from bot.report_files import unit_report
from handlers.messages import Channel, Choice, Outbound, split_text
from handlers.statistics.periods import Period
from storage.unread import UnreadCount
from tests.chat_driver import report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, PROVINCE_GROUP, ZALO_OFFICER
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram, zalo_bot
from tests.zalo_fake.server import TOKEN, FakeZaloServer

REPORTER = "zalo-user-123"


@pytest.mark.both_loops  # the runtime end to end, on the loop `python -m bot` runs on too
async def test_citizen_report_from_zalo_is_acknowledged_in_the_telegram_group(
    core: Core, zalo_server: FakeZaloServer, telegram_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, REPORTER)
        menu = await chat.send("xin chào")
        assert "1. Em cần giúp đỡ" in menu and "Trả lời 1, 2, 3, 4, 5 hoặc 6" in menu
        assert "Bạn có quan hệ gì với bạn nhỏ" in await chat.send("bao tin ve mot ban nho")  # words, no accents
        await chat.send("Huỷ")
        review = await report_until_review(chat, description="Zalo: bé bị đánh")
        assert "Zalo: bé bị đánh" in review
        receipt = await chat.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        card = await telegram_server.wait_for_message(COMMUNE_GROUP)
        assert code in card["text"] and "Zalo: bé bị đánh" not in card["text"]
        ack = next(b for b in card["reply_markup"]["inline_keyboard"][0] if b["text"] == "Tôi nhận xử lý")
        telegram_server.press_button(LAN, card, ack["callback_data"], chat_id=COMMUNE_GROUP)
        edit = await telegram_server.wait_for_request("editMessageText")
        assert "Nguyễn Thị Lan đã nhận xử lý" in edit.params["text"]
        assert int(edit.params["message_id"]) == card["message_id"]
    ours = [r for r in caplog.records if r.name != "aiohttp.access"]  # the fake server's own access log is not ours
    logged = "\n".join(r.getMessage() for r in ours)
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


async def test_a_zalo_only_officer_is_alerted_privately_and_acknowledges_by_text(
    core: Core, zalo_server: FakeZaloServer, telegram_server: Any
) -> None:
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, REPORTER)
        await report_until_review(chat)
        receipt = await chat.choose("Gửi tin báo")
        code = receipt.split("Mã tin báo: ")[1].split()[0]
        card = await telegram_server.wait_for_message(COMMUNE_GROUP)
        private = await zalo_server.wait_for_message(ZALO_OFFICER, code)  # no buttons: a reply command
        assert f"nhan {code}" in private and "1." not in private
        stranger = await ZaloChat(zalo_server, "zalo-stranger").send(f"nhan {code}")
        assert "chỉ cán bộ được phân công" in stranger
        taken = await ZaloChat(zalo_server, ZALO_OFFICER).send(f"Nhận {code.lower()}")  # accents, case: any
        assert f"Bạn đã nhận xử lý tin báo {code}" in taken
        edit = await telegram_server.wait_for_request("editMessageText")
        assert "Phạm Văn Dũng đã nhận xử lý" in edit.params["text"] and int(edit.params["message_id"]) == card["message_id"]
        details = await ZaloChat(zalo_server, ZALO_OFFICER).send(f"xem {code}")
        assert "ngay trong cuộc trò chuyện này" in details
        assert "Ngõ 5" in await zalo_server.wait_for_message(ZALO_OFFICER, "Chi tiết tin báo")


async def test_child_danger_now_on_zalo(core: Core, zalo_server: FakeZaloServer, telegram_server: Any) -> None:
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, "zalo-child-9")
        await chat.send("/start help")
        answer = await chat.choose("Có, em đang gặp nguy hiểm")
        assert "115" in answer and "Em đang ở xã hay phường nào" in answer
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert "KHẨN CẤP" in card["text"] and "Trẻ em tự báo" in card["text"]
        wiped = await chat.send("/xoa")
        assert "Zalo không cho phép bot xoá tin nhắn" in wiped


async def test_danger_words_after_a_zalo_report_raise_it_to_urgent(
    core: Core, zalo_server: FakeZaloServer, telegram_server: Any
) -> None:
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, "zalo-adult-5")
        await report_until_review(chat, description="Zalo: bé bị bỏ đói")
        await chat.choose("Gửi tin báo")
        card = await telegram_server.wait_for_message(COMMUNE_GROUP)
        assert "KHẨN CẤP" not in card["text"]
        answer = await chat.send("bây giờ bé đang bị đánh")
        assert "Mình đã báo ngay cho cô chú" in answer
        edit = await telegram_server.wait_for_request("editMessageText")
        assert "KHẨN CẤP" in edit.params["text"] and "đang bị đánh" not in edit.params["text"]


@pytest.mark.both_loops
async def test_webhook_checks_the_secret_and_processes_a_redelivery_once(
    core: Core, zalo_server: FakeZaloServer, aiohttp_client_factory: Any
) -> None:
    client = ZaloClient(TOKEN, zalo_server.base_url, timeout=5)
    bot = zalo_bot(core, client)
    sending = asyncio.create_task(core.dispatcher({Channel.ZALO: ZaloSender(client)}).run_forever())  # replies go out by it
    try:
        app = bot.webhook_app("s3cret-webhook-token")
        async with aiohttp_client_factory(app) as http:
            update = zalo_server.update("zalo-web-1", "message.text.received", message_id="dup-1", text="/start")
            for headers in ({}, {SECRET_HEADER: "wrong-secret"}):
                response = await http.post("/zalo/webhook", json=update, headers=headers)
                assert response.status == 401
            assert zalo_server.messages_to("zalo-web-1") == []
            wrapped = {"ok": True, "result": update}
            for body in (update, wrapped, update):  # the same message delivered three times
                response = await http.post("/zalo/webhook", json=body, headers={SECRET_HEADER: "s3cret-webhook-token"})
                assert response.status == 200
            await zalo_server.wait_for_message("zalo-web-1", "Bạn muốn làm gì?")
            await asyncio.sleep(0.3)
            assert len(zalo_server.messages_to("zalo-web-1")) == 1
    finally:
        sending.cancel()
        await client.close()


def test_long_texts_are_split_on_sentences_within_the_limit() -> None:
    text = " ".join(f"Câu số {i} kể chuyện." for i in range(400))
    parts = split_text(text, TEXT_LIMIT)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text


def test_choices_render_as_a_numbered_list_and_officer_buttons_as_commands() -> None:
    [text] = render(Outbound("Chọn:", (Choice("a", "Một"), Choice("b", "Hai"))), "vi")
    assert "1. Một\n2. Hai" in text and "Trả lời 1 hoặc 2" in text
    [card] = render(Outbound("Tin báo", (Choice("ack:TE-ABCDE", "Tôi nhận"), Choice("view:TE-ABCDE", "Xem"))), "en")
    assert "nhan TE-ABCDE" in card and "xem TE-ABCDE" in card and "1." not in card


async def test_api_errors_never_carry_the_token() -> None:
    client = ZaloClient(TOKEN, "http://127.0.0.1:9", timeout=1)  # nothing listens there
    try:
        with pytest.raises(Exception) as caught:
            await client.call("getMe")
        assert TOKEN not in str(caught.value) and "zalo-test-secret" not in repr(caught.value)
        assert not isinstance(caught.value, httpx.HTTPError)
    finally:
        await client.close()


async def test_zalo_photos_are_fetched_checked_and_refused_from_foreign_hosts(
    core: Core, zalo_server: FakeZaloServer, telegram_server: Any
) -> None:
    import io

    from PIL import Image
    from sqlmodel import select

    from storage.models import Attachment
    from storage.outbox import read_attachment

    image = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(image, format="JPEG", exif=b"Exif\x00\x00GPS-CANARY")
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, "zalo-photo-1")
        await chat.send("/start report")
        for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua"):
            await chat.choose(label)
        assert "Đã nhận ảnh (1/" in await chat.send_photo(image.getvalue())
        foreign = zalo_server.update("zalo-photo-1", "message.image.received", photo="http://10.0.0.1/internal.jpg")
        answer = await chat._after(lambda: zalo_server.push(foreign))
        assert "Không đọc được ảnh" in answer
    assert b"GPS-CANARY" in image.getvalue()
    async with core.db.session() as session:
        [photo] = (await session.exec(select(Attachment))).all()  # only the accepted one
        stored, content_type = await read_attachment(session, core.vault, photo.id)
    assert content_type == "image/jpeg" and stored.startswith(b"\xff\xd8") and b"GPS-CANARY" not in stored


async def test_a_protected_account_zalo_will_not_let_us_read_is_answered_kindly_and_counted(
    core: Core, zalo_server: FakeZaloServer
) -> None:
    """Zalo sends only the event for a protected account (children among them): 111, the web chat, an adult."""
    client = ZaloClient(TOKEN, zalo_server.base_url, timeout=5)
    bot = ZaloBot(client, core.db, core.conversation, core.officers, core.handle_for(Channel.ZALO), core.services.limits,
                  media_hosts=(), web_chat="https://tro-chuyen.example.vn")
    try:
        update = zalo_server.update("zalo-child-1", UNREADABLE, message_id="u-1")
        update["message"].pop("from")  # what the sender is, Zalo does not say either
        await bot.process(update)
        await bot.process(update)  # redelivered: answered once
        [answer] = zalo_server.messages_to("zalo-child-1")
        assert "111" in answer and "https://tro-chuyen.example.vn" in answer and "người lớn mà em tin tưởng" in answer
        await bot.process({"event_name": UNREADABLE, "message": {"message_id": "u-2", "date": 1}})  # no chat to answer
        assert [s.chat_id for s in zalo_server.sent] == ["zalo-child-1"]
    finally:
        await client.close()
    async with core.db.session() as session:
        [count] = (await session.exec(select(UnreadCount))).all()
    assert count.channel == "zalo" and count.count == 2, "a number per day, no id"
    report = await unit_report(core.services, unit_code="01", period=Period.quarter_of(core.services.clock()))
    assert report.table("handling").row("unread")[-1] == 2, "the province's report shows how many"
    commune = await unit_report(core.services, unit_code="00070", period=Period.quarter_of(core.services.clock()))
    assert "unread" not in commune.table("handling").codes, "they come with no commune"


async def test_zalo_refusing_at_start_is_retried_and_the_bot_then_answers(core: Core, zalo_server: FakeZaloServer) -> None:
    """A wrong or revoked token, or Zalo down, at start must not end the process that also serves Telegram,
    the outbox and the timers: the poller retries deleteWebhook, then polls as usual."""
    client = ZaloClient("0:not-the-token", zalo_server.base_url, timeout=5)
    poller = asyncio.create_task(zalo_bot(core, client).poll_forever(timeout=1))
    try:
        await asyncio.sleep(1.5)
        assert not poller.done(), poller.exception() if poller.done() else None
        assert [m for m, _ in zalo_server.requests] == [], "the fake refused every call (401), none was served"
        client._prefix = client._prefix.replace("0:not-the-token", TOKEN)  # Zalo takes the token again
        zalo_server.user_text(REPORTER, "/start")
        for _ in range(150):
            if ("getUpdates" in (called := [m for m, _ in zalo_server.requests])) and not zalo_server._updates:
                break
            await asyncio.sleep(0.1)
        assert called[:2] == ["deleteWebhook", "getUpdates"] and not zalo_server._updates, "polling resumed and took the message"
        assert not poller.done()
    finally:
        poller.cancel()
        await client.close()
