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


async def test_a_calls_response_model_is_built_at_its_first_call_and_then_kept(telegram_server) -> None:  # type: ignore[no-untyped-def]
    """Not at import (it cost a sixth of the start), and held once built: pydantic keeps it only weakly,
    and rebuilding it after a garbage collection costs milliseconds of CPU on a later call."""
    import gc
    import weakref

    from aiogram.methods import DeleteWebhook
    from aiogram.methods.base import Response

    from bot.channels.telegram import _RESPONSES, make_bot
    from tests.telegram_chat import TOKEN

    _RESPONSES.pop(DeleteWebhook.__returning__, None)
    bot = make_bot(TOKEN, telegram_server.base_url)
    try:
        assert await bot.delete_webhook() is True
        built = weakref.ref(_RESPONSES[DeleteWebhook.__returning__])
        gc.collect()
        assert built() is not None and Response[DeleteWebhook.__returning__] is built(), "it survives a collection"
        assert await bot.delete_webhook() is True
    finally:
        await bot.session.close()
