"""A lean fake Bot API server, so that over tens of thousands of updates what grows is the bot's memory.

The test fake keeps every request and every message forever (tests inspect them); that history would
dominate memory and slow down the very process we measure. ``LeanTelegramState`` keeps only what the bot
still needs (group messages it may edit, open callback queries) and ``BenchServer`` calls hooks instead
of recording.
"""

from __future__ import annotations

import collections
import itertools
import time
from collections.abc import Callable
from typing import Any

from tests.telegram_fake.server import FakeTelegramServer, RecordedRequest
from tests.telegram_fake.state import TelegramState

__all__ = ["BenchServer", "LeanTelegramState", "SendHook"]


class LeanTelegramState(TelegramState):
    """Forgets private-chat messages once sent (nothing edits or replies to them in these runs) and
    answered callback queries; keeps group messages, which cards may be edited in."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = collections.deque(maxlen=200)  # type: ignore[assignment]

    def new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        msg = super().new_message(chat_id, sender, **content)
        if chat_id > 0:
            self.chats.get(chat_id, {}).pop(msg["message_id"], None)
            if not self.chats.get(chat_id):
                self.chats.pop(chat_id, None)
        return msg

    def m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        done = super().m_answerCallbackQuery(params)
        self.callback_queries.pop(params["callback_query_id"], None)
        return done


SendHook = Callable[[int, dict[str, Any], float], None]  # (chat id, message as sent, perf_counter at arrival)


class BenchServer(FakeTelegramServer):
    """The fake Bot API with the same HTTP and spec checks, minus the test history: each successful
    send calls ``on_send`` hooks; the last few bot messages per chat are kept for finding buttons.
    Update ids keep growing across the servers of one process, as one bot's do on Telegram (the bot
    skips an update id it has seen before)."""

    _next_base = 1

    def __init__(self, *, max_poll_wait: float = 1.0) -> None:
        super().__init__(max_poll_wait=max_poll_wait)
        self._next_update_id = BenchServer._next_base
        BenchServer._next_base += 50_000_000
        self.state = LeanTelegramState()
        self.on_send: list[SendHook] = []
        self.last: dict[int, collections.deque[dict[str, Any]]] = {}
        self.sent_to: collections.Counter[int] = collections.Counter()  # messages sent per private chat
        self.calls: collections.Counter[str] = collections.Counter()  # answered calls, counted as they return
        self.polls_begun = 0  # getUpdates calls as they arrive (a long poll returns only when its wait is over)
        self.failed: collections.Counter[str] = collections.Counter()
        self._callback_ids = itertools.count(1)

    def _record(self, rec: RecordedRequest) -> None:
        now = time.perf_counter()
        self.calls[rec.method] += 1
        if not rec.ok:
            self.failed[rec.method] += 1
        elif rec.method == "sendMessage" and isinstance(rec.result, dict):
            chat_id = rec.result["chat"]["id"]
            if chat_id > 0:
                self.last.setdefault(chat_id, collections.deque(maxlen=4)).append(rec.result)
                self.sent_to[chat_id] += 1
            for hook in self.on_send:
                hook(chat_id, rec.result, now)
        self._notify()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls_begun += 1
        return await super()._get_updates(params)

    def forget_chat(self, chat_id: int) -> None:
        self.last.pop(chat_id, None)
        self.sent_to.pop(chat_id, None)
        self.state.users.pop(chat_id, None)
        self.state.reply_keyboards.pop(chat_id, None)
        self.state._message_ids.pop(chat_id, None)  # noqa: SLF001

    def press(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A press on ``message``'s button as the real client sends it (no lookup in the server's history)."""
        query = {
            "id": str(next(self._callback_ids) * 1_000_003 + user_id),
            "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "vi"},
            "message": message,
            "chat_instance": str(user_id * 7 + 11),
            "data": data,
        }
        return self.push_update({"callback_query": query})
