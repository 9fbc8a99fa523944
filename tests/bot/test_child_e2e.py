"""The child's flow over the real Telegram stack: urgent case first, voice to officers, and a wipe that leaves nothing."""

from __future__ import annotations

from typing import Any

from bot.core import Core
from tests.conftest import COMMUNE_GROUP, LAN, PROVINCE_GROUP
from tests.telegram_chat import TelegramChat, buttons, running_bot, settled

CHILD = 424242


async def test_danger_now_alerts_before_any_further_answer(core: Core, telegram_server: Any) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, CHILD)
        await chat.send("/start help")  # the deep link t.me/<bot>?start=help
        answer = await chat.choose("Có, em đang gặp nguy hiểm")
        assert "111" in answer and "113" in answer and "115" in answer
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)  # no further answer was given
        assert "KHẨN CẤP" in card["text"] and "Trẻ em tự báo" in card["text"]


async def test_full_child_path_with_a_voice_message(core: Core, telegram_server: Any) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, CHILD)
        await chat.send("/start")
        await chat.choose("Em cần giúp đỡ")
        await chat.choose("Không")
        await chat.choose("Có người đánh em")
        before = len(telegram_server.messages_to(CHILD))
        telegram_server.user_voice(CHILD, b"OggS-fake-voice-note")
        assert "xã hay phường" in (await settled(telegram_server, CHILD, before))[-1]["text"]
        await chat.send("hoan kiem")
        await chat.choose("Phường Hoàn Kiếm")
        thanks = await chat.choose("Có")
        assert "Đây không phải lỗi của em" in thanks
        card = await telegram_server.wait_for_message(COMMUNE_GROUP)
        assert "Trẻ em tự báo" in card["text"] and "Bạo lực thể chất" in card["text"]
        view = next(b for b in buttons(card) if b["text"] == "Xem chi tiết")
        telegram_server.press_button(LAN, card, view["callback_data"], chat_id=COMMUNE_GROUP)
        voice = await telegram_server.wait_for_request("sendVoice")
        assert voice.params["voice"] == b"OggS-fake-voice-note" and int(voice.params["chat_id"]) == LAN


async def test_wipe_deletes_every_message_and_the_case_still_reaches_the_group(core: Core, telegram_server: Any) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, CHILD)
        await chat.send("/start")
        await chat.choose("Em cần giúp đỡ")
        await chat.choose("Không")
        await chat.choose("Có người động chạm em mà em không thích")
        await chat.send("chú hàng xóm hay sờ em")
        await chat.choose("Bỏ qua")
        await chat.choose("Không")  # submitted
        every_id = {m["message_id"] for m in telegram_server.chat_messages(CHILD)}
        assert len(every_id) > 10
        await chat.choose("🧹 Xoá tin nhắn")
        deletes = [r for r in telegram_server.requests if r.method == "deleteMessages"]
        deleted = {int(i) for r in deletes for i in r.params["message_ids"]}
        assert every_id <= deleted, f"not deleted: {every_id - deleted}"
        left = telegram_server.chat_messages(CHILD)
        assert [m.get("text") for m in left] == ["Đã xong."]
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert "Xâm hại tình dục" in card["text"]
        await chat.send("/xoa")  # the command works too, and leaves at most one neutral line
        assert [m.get("text") for m in telegram_server.chat_messages(CHILD)] == ["Đã xong."]


async def test_danger_words_as_a_first_message_reach_the_group_before_the_reply_says_so(core: Core, telegram_server: Any) -> None:
    async with running_bot(core, telegram_server):
        chat = TelegramChat(telegram_server, CHILD)
        answer = await chat.send("cứu em với, bố đang đánh em")
        assert "113" in answer and "Mình đã báo ngay cho cô chú" in answer
        card = await telegram_server.wait_for_message(PROVINCE_GROUP)
        assert "KHẨN CẤP" in card["text"] and "đang đánh" not in card["text"]
