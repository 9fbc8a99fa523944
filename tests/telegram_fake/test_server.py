"""The fake Telegram server, driven by a real aiogram Bot and by raw HTTP for invalid requests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto

from tests.telegram_fake.fixtures import TEST_TOKEN
from tests.telegram_fake.server import FakeTelegramServer
from tests.telegram_fake.spec import validate_object

USER = 9001


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=d.upper(), callback_data=d)] for d in data]
    )


async def raw_post(server: FakeTelegramServer, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    url = f"{server.base_url}/bot{TEST_TOKEN}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as resp:
        return resp.status, await resp.json()


async def test_get_me_and_get_updates(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    me = await telegram_bot.get_me()
    assert me.is_bot and me.username == "test_cp_bot" and me.id == 123456
    assert await telegram_bot.delete_webhook(drop_pending_updates=False)

    pushed = telegram_server.user_message(USER, "/start", first_name="Lan")
    updates = await telegram_bot(GetUpdates(timeout=0))
    assert [u.update_id for u in updates] == [pushed["update_id"]]
    assert updates[0].message.text == "/start" and updates[0].message.from_user.first_name == "Lan"
    # Not confirmed yet: delivered again; confirmed by offset: gone.
    assert len(await telegram_bot(GetUpdates(timeout=0))) == 1
    assert await telegram_bot(GetUpdates(offset=pushed["update_id"] + 1, timeout=0)) == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    telegram_server.max_poll_wait = 5.0
    loop = asyncio.get_running_loop()
    start = loop.time()
    loop.call_later(0.1, telegram_server.user_location, USER, 21.0, 105.8)
    updates = await telegram_bot(GetUpdates(timeout=30, allowed_updates=["message", "callback_query"]))
    assert updates[0].message.location.latitude == 21.0
    assert loop.time() - start < 2


async def test_allowed_updates_filters_and_timeout_is_capped(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    telegram_server.user_sticker(USER)
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await telegram_bot(GetUpdates(timeout=50, allowed_updates=["callback_query"])) == []
    assert 0.8 < loop.time() - start < 3  # capped at max_poll_wait (1 s)


async def test_send_edit_press_and_answer(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    sent = await telegram_bot.send_message(USER, "Xin chào", reply_markup=keyboard("yes", "no"))
    rec = await telegram_server.wait_for_request("sendMessage")
    assert (
        rec.params["chat_id"] == USER
        and rec.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    )
    msg = await telegram_server.wait_for_message(USER)
    assert msg["message_id"] == sent.message_id and msg["text"] == "Xin chào"

    update = telegram_server.press_button(USER, msg, "yes")
    query = update["callback_query"]
    assert query["message"]["reply_markup"] == msg["reply_markup"] and query["from"]["id"] == USER
    assert await telegram_bot.answer_callback_query(query["id"], text="OK")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await telegram_bot.answer_callback_query(query["id"])

    edited = await telegram_bot.edit_message_text("Đã xác nhận", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "Đã xác nhận" and edited.reply_markup is None  # the edit dropped the keyboard
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await telegram_bot.edit_message_text("Đã xác nhận", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(AssertionError, match="no button 'no'"):
        telegram_server.press_button(USER, msg, "no")

    await telegram_bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("undo")
    )
    [current] = telegram_server.chat_messages(USER)
    assert (
        current["text"] == "Đã xác nhận"
        and current["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "undo"
    )
    assert [m["text"] for m in telegram_server.messages_to(USER)] == ["Xin chào"]  # as sent

    assert await telegram_bot.delete_message(USER, sent.message_id)
    assert telegram_server.chat_messages(USER) == []
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await telegram_bot.delete_message(USER, sent.message_id)


async def test_message_ids_are_shared_per_chat(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    first = telegram_server.user_message(USER, "hi")["message"]
    reply = await telegram_bot.send_message(USER, "hello")
    other = await telegram_bot.send_message(-100123, "group")
    assert reply.message_id == first["message_id"] + 1 and other.message_id == 1
    assert other.chat.type == "supergroup"
    assert [m["text"] for m in telegram_server.chat_messages(USER)] == ["hi", "hello"]


async def test_upload_photo_and_media_group(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    sent = await telegram_bot.send_photo(USER, BufferedInputFile(b"\x89PNG fake", "a.png"), caption="ảnh")
    rec = await telegram_server.wait_for_request("sendPhoto")
    assert rec.params["photo"] == b"\x89PNG fake" and rec.filenames["photo"] == "a.png"
    assert sent.caption == "ảnh"
    # The photo the bot sent can be sent again by file_id, and downloaded.
    again = await telegram_bot.send_photo(-100123, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    assert (await telegram_bot.download(sent.photo[-1].file_id)).read() == b"\x89PNG fake"

    album = await telegram_bot.send_media_group(
        USER,
        [
            InputMediaPhoto(media=BufferedInputFile(bytes([i]) * 3, f"{i}.jpg"), caption=str(i))
            for i in range(2)
        ],
    )
    assert [m.caption for m in album] == ["0", "1"] and album[0].media_group_id == album[1].media_group_id
    rec = await telegram_server.wait_for_request("sendMediaGroup")
    assert [m["media"] for m in rec.params["media"]] == [b"\x00" * 3, b"\x01" * 3]


async def test_download_user_photo(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    update = telegram_server.user_photo(USER, b"JPEG" * 100, caption="bằng chứng")
    photo = update["message"]["photo"]
    assert (await telegram_bot.download(photo[-1]["file_id"])).read() == b"JPEG" * 100
    assert (await telegram_bot.download(photo[0]["file_id"])).read() != b"JPEG" * 100  # thumbnail

    file_id, _ = telegram_server.add_file(b"x", file_size=25 * 1024 * 1024)
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await telegram_bot.get_file(file_id)
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await telegram_bot.get_file("nope")


async def test_commands_and_get_chat(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    from aiogram.types import BotCommand

    assert await telegram_bot.set_my_commands([BotCommand(command="start", description="Bắt đầu")])
    assert [c.command for c in await telegram_bot.get_my_commands()] == ["start"]
    chat = await telegram_bot.get_chat(USER)
    assert chat.id == USER and chat.type == "private"
    assert await telegram_bot.send_chat_action(USER, "typing")  # any spec method returning True


async def test_faults_reach_aiogram(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    telegram_server.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as info:
        await telegram_bot.send_message(USER, "a")
    assert info.value.retry_after == 7

    telegram_server.fail_next("sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await telegram_bot.send_message(USER, "b")
    await telegram_bot.send_message(USER, "c")
    assert [r.ok for r in telegram_server.requests if r.method == "sendMessage"] == [
        False,
        False,
        False,
        True,
    ]
    assert (await telegram_server.wait_for_request("sendMessage")).params["text"] == "c"

    telegram_server.block_chat(USER)
    with pytest.raises(TelegramForbiddenError, match="can't initiate"):
        await telegram_bot.send_message(USER, "d")
    assert telegram_server.messages_to(USER)[-1]["text"] == "c"


async def test_wait_times_out_with_a_readable_dump(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    await telegram_bot.send_message(USER, "only this")
    with pytest.raises(AssertionError, match=r"(?s)waiting for a message to chat 1\b.*sendMessage 200"):
        await telegram_server.wait_for_message(1, timeout=0.2)


@pytest.mark.parametrize(
    ("method", "data", "expected"),
    [
        ("sendMesage", {"chat_id": "1", "text": "x"}, "sendMesage: unknown method"),
        ("sendMessage", {"chat_id": "1"}, "sendMessage: text: missing required field"),
        ("sendMessage", {"chat_id": "1", "text": "x", "colour": "red"}, "sendMessage: colour: unknown field"),
        ("sendMessage", {"chat_id": "1", "text": "x" * 4097}, "text: too long (4097 characters, max 4096)"),
        ("sendMessage", {"chat_id": "1", "text": "x", "disable_notification": "maybe"}, "expected Boolean"),
        (
            "sendMessage",
            {
                "chat_id": "1",
                "text": "x",
                "reply_markup": json.dumps(
                    {"inline_keyboard": [[{"text": "A", "callback_data": "báo cáo/" + "x" * 56}]]}
                ),
            },
            "reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 66",
        ),
        (
            "editMessageText",
            {
                "chat_id": "1",
                "message_id": "1",
                "text": "x",
                "reply_markup": json.dumps({"inline_keyboard": [[{"text": "A", "callback": "x"}]]}),
            },
            "inline_keyboard[0][0].callback: unknown field of InlineKeyboardButton",
        ),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201}, "text: too long"),
        (
            "sendPhoto",
            {"chat_id": "1", "photo": "attach://missing"},
            "attach://missing names no uploaded file part",
        ),
    ],
)
async def test_violations_are_rejected_and_recorded(
    telegram_server: FakeTelegramServer, method: str, data: dict[str, str], expected: str
) -> None:
    status, body = await raw_post(telegram_server, method, data=data)
    assert status == (404 if "unknown method" in expected else 400) and body["ok"] is False
    assert expected in body["description"]
    assert any(expected in v for v in telegram_server.violations)
    assert telegram_server.requests == []
    telegram_server.violations.clear()  # expected: keep the fixture's teardown check green


async def test_raw_json_and_direct_file_upload_are_accepted(telegram_server: FakeTelegramServer) -> None:
    status, body = await raw_post(telegram_server, "sendMessage", json={"chat_id": 5, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    form = aiohttp.FormData()
    form.add_field("chat_id", "5")
    form.add_field("photo", b"raw", filename="p.jpg")
    status, body = await raw_post(telegram_server, "sendPhoto", data=form)
    assert status == 200 and body["result"]["photo"]
    assert (await telegram_server.wait_for_request("sendPhoto")).params["photo"] == b"raw"


async def test_edit_without_target_is_a_violation(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="chat_id and message_id are required"):
        await telegram_bot.edit_message_text("x", message_id=1)
    assert telegram_server.violations == [
        "editMessageText: Bad Request: chat_id and message_id are required when inline_message_id is not specified"
    ]
    telegram_server.violations.clear()


async def test_fake_payloads_conform_to_the_spec(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    msg = await telegram_bot.send_message(USER, "x", reply_markup=keyboard("a"))
    await telegram_bot.send_photo(USER, BufferedInputFile(b"p", "p.png"))
    updates = [
        telegram_server.user_message(USER, "/start now"),
        telegram_server.user_photo(USER, b"p", caption="c"),
        telegram_server.user_document(USER, b"%PDF"),
        telegram_server.user_location(USER, 1.5, 2.5),
        telegram_server.user_sticker(USER),
        telegram_server.group_message(USER, -100123, "hi"),
        telegram_server.press_button(USER, telegram_server.messages_to(USER)[0], "a"),
    ]
    for update in updates:
        assert validate_object(update, "Update") == []
    await telegram_bot.edit_message_text("y", chat_id=USER, message_id=msg.message_id)
    for message in telegram_server.chat_messages(USER):
        assert validate_object(message, "Message") == []
    assert validate_object(telegram_server.state.m_getMe({}), "User") == []
    assert validate_object(telegram_server.state.m_getChat({"chat_id": USER}), "ChatFullInfo") == []


async def test_dispatcher_polling_end_to_end(telegram_server: FakeTelegramServer, telegram_bot: Bot) -> None:
    from aiogram import Dispatcher, F
    from aiogram.types import CallbackQuery, Message

    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}", reply_markup=keyboard("again"))

    @dp.callback_query(F.data == "again")
    async def again(query: CallbackQuery) -> None:
        await query.answer()
        await query.message.edit_text("pressed")

    polling = asyncio.create_task(
        dp.start_polling(telegram_bot, handle_signals=False, close_bot_session=False)
    )
    try:
        telegram_server.user_message(USER, "xin chào")
        reply = await telegram_server.wait_for_message(USER)
        assert reply["text"] == "echo: xin chào"
        telegram_server.press_button(USER, reply, "again")
        await telegram_server.wait_for_request("answerCallbackQuery")
        await telegram_server.wait_for_request("editMessageText")
        assert telegram_server.chat_messages(USER)[-1]["text"] == "pressed"
    finally:
        await dp.stop_polling()
        await polling


def test_bundled_spec_is_the_shared_official_one() -> None:
    """The repo carries a copy for clean clones; where the shared original exists, they must not drift."""
    from pathlib import Path

    import pytest

    from tests.telegram_fake.spec import DEFAULT_SPEC_PATH

    shared = Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.json"
    if not shared.exists():
        pytest.skip("no shared/telegram-bot-api next to the checkout")
    assert DEFAULT_SPEC_PATH.read_bytes() == shared.read_bytes()


async def test_set_webhook_is_validated_and_recorded_and_stops_polling(
    telegram_server: FakeTelegramServer, telegram_bot: Bot
) -> None:
    from aiogram.exceptions import TelegramConflictError

    with pytest.raises(TelegramBadRequest, match="HTTPS"):
        await telegram_bot.set_webhook("http://bot.example.org/hook")
    with pytest.raises(TelegramBadRequest, match="secret token"):
        await telegram_bot.set_webhook("https://bot.example.org/hook", secret_token="no spaces")
    await telegram_bot.set_webhook("https://bot.example.org/hook", secret_token="s3cret-1_A", allowed_updates=["message"])
    assert telegram_server.state.webhook == {
        "url": "https://bot.example.org/hook", "secret_token": "s3cret-1_A", "allowed_updates": ["message"]
    }
    assert (await telegram_bot.get_webhook_info()).url == "https://bot.example.org/hook"
    with pytest.raises(TelegramConflictError):
        await telegram_bot.get_updates()
    await telegram_bot.delete_webhook()
    assert await telegram_bot.get_updates() == []
