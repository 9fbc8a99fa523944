"""The chat driver for Zalo: a user typing numbers or words to the real Zalo adapter over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
from bot.channels.zalo import ZaloBot, ZaloClient, ZaloSender
from bot.core import Core
from handlers.messages import Channel
from tests.telegram_chat import TOKEN as TELEGRAM_TOKEN
from tests.telegram_chat import unsent_of
from tests.zalo_fake.server import TOKEN, FakeZaloServer


def zalo_bot(core: Core, client: ZaloClient) -> ZaloBot:
    return ZaloBot(
        client, core.db, core.conversation, core.officers, core.handle_for(Channel.ZALO),
        core.services.limits, media_hosts=("127.0.0.1",),
    )


@asynccontextmanager
async def running_zalo_and_telegram(core: Core, zalo: FakeZaloServer, telegram: Any) -> AsyncIterator[ZaloBot]:
    """Both channels in one process, as production runs them: Zalo long polling, Telegram polling, one outbox."""
    client = ZaloClient(TOKEN, zalo.base_url, timeout=5)
    bot = make_bot(TELEGRAM_TOKEN, telegram.base_url)
    outbox = core.dispatcher({Channel.ZALO: ZaloSender(client), Channel.TELEGRAM: TelegramSender(bot)})
    dispatcher = build_dispatcher(core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits)
    zalo_bot_ = zalo_bot(core, client)
    zalo.unsent = telegram.unsent = lambda: unsent_of(core)
    tasks = [
        asyncio.create_task(outbox.run_forever()),
        asyncio.create_task(zalo_bot_.poll_forever(timeout=1)),
        asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)),
    ]
    try:
        yield zalo_bot_
    finally:
        with contextlib.suppress(RuntimeError):  # polling may already have stopped
            await dispatcher.stop_polling()
        zalo.unsent = telegram.unsent = None
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks, timeout=5)
        await bot.session.close()
        await client.close()


class ZaloChat:
    def __init__(self, server: FakeZaloServer, user_id: str) -> None:
        self.server, self.user_id = server, user_id

    async def _after(self, push: Any, *, quiet: float = 0.15, timeout: float = 5.0) -> str:
        """The bot's whole answer: new messages, a short silence and (when the bot runs in this process) nothing
        due left in its outbox, as for Telegram (tests/telegram_chat.py `settled`)."""
        before = len(self.server.messages_to(self.user_id))
        push()
        deadline, seen, calm = time.monotonic() + timeout, before, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.server.messages_to(self.user_id))
            if count != seen:
                seen, calm = count, time.monotonic()
            elif count > before and time.monotonic() - calm >= quiet and not (self.server.unsent and await self.server.unsent()):
                return "\n".join(self.server.messages_to(self.user_id)[before:])
            await asyncio.sleep(0.02)
        raise AssertionError(f"no Zalo answer to {self.user_id}")

    async def send(self, text: str) -> str:
        return await self._after(lambda: self.server.user_text(self.user_id, text))

    async def choose(self, label: str) -> str:
        """Answers with the number printed beside ``label`` in the bot's last numbered list."""
        for text in reversed(self.server.messages_to(self.user_id)):
            options = re.findall(r"^(\d+)\. (.+)$", text, re.MULTILINE)
            for number, shown in options:
                if shown == label or shown.startswith(label):
                    return await self.send(number)
            if options:
                break  # only the newest list counts, as for a person reading the chat
        raise AssertionError(f"no numbered option {label!r} in {self.server.messages_to(self.user_id)[-2:]}")

    async def share_location(self, lat: float, lon: float) -> str:
        raise NotImplementedError("the Zalo Bot API documents no location messages")

    async def send_photo(self, data: bytes) -> str:
        return await self._after(lambda: self.server.user_image(self.user_id, data))
