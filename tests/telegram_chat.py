"""The chat driver for Telegram: a user talking to the real aiogram bot through the fake Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, func, select

from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
from bot.core import Core
from handlers.messages import Channel
from storage.models.delivery import OutboxMessage, OutboxState

TOKEN = "123456:TEST-TOKEN"


@asynccontextmanager
async def running_bot(core: Core, server: Any) -> AsyncIterator[None]:
    """The production assembly (dispatcher + outbox) polling the fake server over real HTTP."""
    bot = make_bot(TOKEN, server.base_url)
    outbox = core.dispatcher({Channel.TELEGRAM: TelegramSender(bot, request_timeout=core.settings.outbound_request_timeout_seconds)})
    handle = core.handle_for(Channel.TELEGRAM)
    dispatcher = build_dispatcher(core.conversation, core.officers, handle, core.services.limits)
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1))
    sending = asyncio.create_task(outbox.run_forever())
    timers = core.timers()
    timers.start()
    server.unsent = lambda: unsent_of(core)
    try:
        yield
    finally:
        server.unsent = None
        timers.stop()
        sending.cancel()
        with contextlib.suppress(RuntimeError):  # polling may already have stopped
            await dispatcher.stop_polling()
        await asyncio.wait([polling], timeout=5)
        polling.cancel()
        await bot.session.close()


async def unsent_of(core: Core) -> int:
    now = datetime.now(UTC)
    due = (col(OutboxMessage.state) == OutboxState.PENDING) & (col(OutboxMessage.next_attempt_at) <= now)
    async with core.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(OutboxMessage).where(due))).one())


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def settled(server: Any, chat_id: int, before: int, *, timeout: float = 5.0, quiet: float = 0.15) -> list[dict[str, Any]]:
    """Waits for the bot's whole answer: at least one new message, a short silence, and (when the bot runs in
    this process) nothing due left in its outbox: under load a silence alone ends a several-message answer early."""
    deadline = time.monotonic() + timeout
    seen = before
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        count = len(server.messages_to(chat_id))
        if count != seen:
            seen, calm_since = count, time.monotonic()
        elif count > before and time.monotonic() - calm_since >= quiet and not (server.unsent and await server.unsent()):
            return list(server.messages_to(chat_id)[before:])
        await asyncio.sleep(0.02)
    raise AssertionError(f"no answer in chat {chat_id}; last: {[m.get('text') for m in server.messages_to(chat_id)[-3:]]}")


class TelegramChat:
    def __init__(self, server: Any, user_id: int, *, language_code: str = "vi") -> None:
        self.server, self.user_id, self.language_code = server, user_id, language_code

    async def _after(self, push: Any) -> str:
        before = len(self.server.messages_to(self.user_id))
        push()
        return "\n".join(m.get("text") or m.get("caption") or "" for m in await settled(self.server, self.user_id, before))

    async def send(self, text: str) -> str:
        return await self._after(lambda: self.server.user_message(self.user_id, text, language_code=self.language_code))

    def find_button(self, label: str) -> tuple[dict[str, Any], str]:
        for message in reversed(self.server.messages_to(self.user_id)):
            for button in buttons(message):
                if button["text"] == label or button["text"].startswith(label):
                    return message, button["callback_data"]
        raise AssertionError(f"no button {label!r} in chat {self.user_id}")

    async def choose(self, label: str) -> str:
        message, data = self.find_button(label)
        return await self._after(lambda: self.server.press_button(self.user_id, message, data))

    async def share_location(self, lat: float, lon: float) -> str:
        return await self._after(lambda: self.server.user_location(self.user_id, lat, lon))

    async def send_photo(self, data: bytes) -> str:
        return await self._after(lambda: self.server.user_photo(self.user_id, data))
