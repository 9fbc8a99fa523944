"""The workload: reporters who step through the flow the way a person does, and running many at a time."""

from __future__ import annotations

import asyncio
import collections
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bench.assembly import Running
from handlers.messages import Channel

__all__ = ["BUSY", "CODE_RE", "REPORTER_BASE", "REPORT_STEPS", "Reporter", "gather_limited"]

CODE_RE = re.compile(r"TE-[23456789A-Z]{5}")
REPORTER_BASE = 10_000_000  # Telegram user ids of the benchmark's reporters (distinct from tests' officers)

# The citizen's whole report, as tests.chat_driver.report_until_review walks it, then "submit".
REPORT_STEPS: list[tuple[str, str]] = [
    ("send", "/start"),
    ("choose", "Báo tin về một bạn nhỏ"),
    ("choose", "Hàng xóm"),
    ("choose", "Bạo lực thể chất"),
    ("choose", "6–10 tuổi"),
    ("choose", "Bé gái"),
    ("choose", "Không"),
    ("choose", "Bỏ qua"),  # where it happened
    ("send", "hoan kiem"),
    ("choose", "Phường Hoàn Kiếm"),
    ("send", "Ngõ 5"),
    ("send", "Bé bị đánh hằng ngày, hàng xóm nghe tiếng khóc mỗi tối"),
    ("choose", "Bỏ qua"),
    ("choose", "Có, được nhắn lại"),
    ("choose", "Gửi tin báo"),
]


def _busy_text() -> str:
    from handlers.i18n import t

    return t("vi", "input.try_again_later").split("\n")[0][:40]


BUSY = _busy_text()
RETRY_PAUSE = 0.5  # a person who is told "busy, try again" tries again a moment later
MAX_RETRIES = 10


class Reporter:
    """One person in a private chat: each step pushes an update and waits until the bot is done with it.
    Told "the system is busy, try again", the person does the same step again (counted in ``busy``)."""

    busy = 0  # every reporter's "try again" answers, for the run's report

    def __init__(self, run: Running, user_id: int, *, timeout: float = 120.0) -> None:
        self.run, self.user_id, self.timeout = run, user_id, timeout
        self.updates = 0
        self.handle = run.core.handle_for(Channel.TELEGRAM)(str(user_id)) if run.core is not None else ""

    async def _answered(self, reply: asyncio.Future[None] | None, handled: float, before: int) -> float:
        """When the answer reached the chat: once the update is handled for a bot that answers directly;
        when the outbox reports it out for one whose answers go by the outbox (a direct "busy" aside)."""
        if reply is None:
            return handled
        new = self.run.server.sent_to[self.user_id] - before
        recent = list(self.run.server.last.get(self.user_id, ()))[-new:] if new else []
        if not any(BUSY in (m.get("text") or "") for m in recent):
            await asyncio.wait_for(reply, self.timeout)
        else:
            reply.cancel()
        return self.run.tracker.arrived.get(self.user_id, handled)

    async def _push(self, push: Callable[[], dict[str, Any]]) -> float:
        tracker = self.run.tracker
        for _ in range(MAX_RETRIES + 1):
            before = self.run.server.sent_to[self.user_id]
            reply = tracker.expect_reply(self.handle) if tracker.by_outbox else None
            update = push()
            waiter = self.run.tracker.expect(update["update_id"])
            self.updates += 1
            try:
                done = await self._answered(reply, await asyncio.wait_for(waiter, self.timeout), before)
            except TimeoutError:
                stuck = [t for t in asyncio.all_tasks() if "process_update" in repr(t.get_coro()) or "_process_update" in repr(t.get_coro())]
                for task in stuck[:3]:
                    task.print_stack(limit=12)
                raise AssertionError(
                    f"reporter {self.user_id}: no answer to update {update['update_id']} in {self.timeout}s "
                    f"({len(stuck)} updates in progress)"
                ) from None
            new = self.run.server.sent_to[self.user_id] - before
            answers = list(self.run.server.last.get(self.user_id, ()))[-new:] if new else []
            if not any(BUSY in (m.get("text") or "") for m in answers):
                return done
            Reporter.busy += 1
            await asyncio.sleep(RETRY_PAUSE)
        raise AssertionError(f"reporter {self.user_id}: still 'busy' after {MAX_RETRIES} tries")

    async def send(self, text: str) -> float:
        return await self._push(lambda: self.run.server.user_message(self.user_id, text))

    def find_button(self, label: str) -> tuple[dict[str, Any], str]:
        recent = list(reversed(self.run.server.last.get(self.user_id, ())))
        for exact in (True, False):
            for message in recent:
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        text = button.get("text", "")
                        if text == label or (not exact and text.startswith(label)):
                            return message, button["callback_data"]
        shown = [b.get("text") for m in recent for r in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in r]
        last = [(m.get("text") or "")[:80] for m in recent[:2]]
        raise AssertionError(f"reporter {self.user_id}: no button {label!r}; buttons {shown}; last messages {last}")

    async def choose(self, label: str) -> float:
        message, data = self.find_button(label)
        return await self._push(lambda: self.run.server.press(self.user_id, message, data))

    async def step(self, kind: str, value: str) -> float:
        return await (self.send(value) if kind == "send" else self.choose(value))

    def last_texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.run.server.last.get(self.user_id, ())]


async def gather_limited(jobs: list[Callable[[], Awaitable[Any]]], concurrency: int) -> list[Any]:
    """Runs the jobs with at most ``concurrency`` at a time; the first failure cancels the rest."""
    queue = collections.deque(enumerate(jobs))
    results: list[Any] = [None] * len(jobs)

    async def worker() -> None:
        while queue:
            index, job = queue.popleft()
            results[index] = await job()

    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(concurrency, len(jobs))))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        raise
    return results
