"""aiogram's Telegram types and API methods are built on first use (bot/aiogram_models.py), and then work as if built at import."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import bot.channels.telegram
from aiogram.methods import SendMessage
from aiogram.types import Message, MessageEntity, Update
before = (Message.__pydantic_complete__, MessageEntity.__pydantic_complete__, SendMessage.__pydantic_complete__)
update = Update.model_validate({"update_id": 1, "message": {
    "message_id": 2, "date": 0, "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "is_bot": False, "first_name": "a"},
    "text": "hi", "entities": [{"type": "text_mention", "offset": 0, "length": 1, "user": {"id": 3, "is_bot": False, "first_name": "b"}}],
    "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "y"}]]}}})
method = SendMessage(chat_id=1, text="x", entities=update.message.entities, reply_markup=update.message.reply_markup)
print(before, update.message.entities[0].user.id, method.reply_markup.inline_keyboard[0][0].callback_data)
"""


def test_types_wait_for_first_use_and_then_validate_nested_forward_references() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["(False,", "False,", "False)", "3", "y"]
