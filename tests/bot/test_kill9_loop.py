"""kill -9 at a random moment while several people submit, again and again, against a real bot process.

The bot (``python -m bot`` with a Telegram token) polls the spec-checking fake Bot API in this test's
process; reporters answer whatever question they see, so they cope with an update delivered again
after a restart. After each SIGKILL the bot is started again on the same database. Asserted: every
report whose receipt a reporter saw is stored exactly once and its card reached the duty group once —
or, when a kill cut off the first send after Telegram took it, a second time saying it is sent again
(Telegram takes no idempotency key, and losing a card is worse); reporters cut off mid-report finish and
submit after the restart.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import re
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import COMMUNE_GROUP, DEPLOYMENT
from tests.telegram_chat import TOKEN, buttons
from tests.telegram_fake.server import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]
RECEIPT = re.compile(r"Mã tin báo: (TE-\w+)")
# question (start of the prompt) → the answer a reporter gives: a button label, or text to type
ANSWERS = [
    ("Bạn có quan hệ gì với bạn nhỏ", "press", "Hàng xóm"),
    ("Chuyện gì đang xảy ra", "press", "Bạo lực thể chất"),
    ("bao nhiêu tuổi", "press", "6–10 tuổi"),
    ("bé gái hay bé trai", "press", "Bé gái"),
    ("nguy hiểm", "press", "Không"),
    ("xảy ra ở đâu", "press", "Bỏ qua"),
    ("Có phải một trong các nơi này", "press", "Phường Hoàn Kiếm"),
    ("xã/phường", "type", "hoan kiem"),
    ("Địa chỉ", "type", "Ngõ 5"),
    ("Hãy kể", "type", "Bé bị đánh hằng ngày"),
    ("ảnh", "press", "Bỏ qua"),
    ("nhắn lại", "press", "Có, được nhắn lại"),
]


class BotProcess:
    def __init__(self, tmp_path: Path, server: FakeTelegramServer) -> None:
        key = base64.b64encode(os.urandom(32)).decode()
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kill9.db'}",
            "DATA_DIR": str(tmp_path / "data"),
            "DEPLOYMENT_FILE": str(tmp_path / "deployment.toml"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": server.base_url,
            "ZALO_BOT_TOKEN": "",
            "MASTER_KEYS": f"1:{key}",
            "PSEUDONYM_PEPPER": "kill9-pepper-0123456789",
            "OUTBOX_POLL_SECONDS": "0.1",
            "TIMER_POLL_SECONDS": "0.5",
            "PYTHONUNBUFFERED": "1",
            "ABUSE_MAX_MESSAGES": "0",  # reporters answer again after each restart: not a flood here
            "ABUSE_FLOOD_NEW_REPORTERS": "0",
        }
        self.server, self.log = server, (tmp_path / "bot.log").open("ab")
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        polls = self._polls()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while self._polls() == polls:  # up once it asks for updates
            assert self.process.returncode is None, f"the bot exited with {self.process.returncode}"
            assert time.monotonic() < deadline, "the bot did not start polling"
            await asyncio.sleep(0.05)

    def _polls(self) -> int:
        return sum(1 for r in self.server.requests if r.method == "getUpdates")

    async def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)
            await self.process.wait()


class Reporter:
    """Answers the question currently shown, whatever came before; stops at the receipt."""

    def __init__(self, server: FakeTelegramServer, user_id: int) -> None:
        self.server, self.user_id = server, user_id

    def receipts(self) -> list[str]:
        return [code for m in self.server.messages_to(self.user_id) for code in RECEIPT.findall(m.get("text") or "")]

    def _act(self) -> None:
        shown = self.server.messages_to(self.user_id)
        if not shown:
            self.server.user_message(self.user_id, "/start")
            return
        last = shown[-1]
        live = self.server.state.find_message(self.user_id, last["message_id"]) or last
        labels = {b["text"]: b["callback_data"] for b in buttons(live)}
        for always in ("Báo tin về một bạn nhỏ", "Gửi tin báo"):  # the menu; the review (its summary repeats the questions)
            if always in labels:
                self.server.press_button(self.user_id, live, labels[always])
                return
        text = (last.get("text") or "").lower()
        for question, how, answer in ANSWERS:
            label = next((label for label in labels if label.startswith(answer)), None)
            if question.lower() in text and (how == "type" or label is not None):
                if label is None:
                    self.server.user_message(self.user_id, answer)
                else:
                    self.server.press_button(self.user_id, live, labels[label])
                return
        self.server.user_message(self.user_id, "/start")  # lost: the current question comes back

    async def submit(self, *, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not self.receipts():
            assert time.monotonic() < deadline, f"reporter {self.user_id} never got a receipt\n{self.server.dump()}"
            before = len(self.server.messages_to(self.user_id))
            self._act()
            await self._settle(before)
        return self.receipts()[-1]

    async def _settle(self, before: int) -> None:
        """Waits for the whole answer: a reply of several messages (a notice, then the question) arrives one
        send at a time, and acting on its first part alone would loop under load (/start again)."""
        answered = time.monotonic() + 3
        while len(self.server.messages_to(self.user_id)) == before and time.monotonic() < answered:
            await asyncio.sleep(0.02)
        count, quiet_since = len(self.server.messages_to(self.user_id)), time.monotonic()
        while time.monotonic() - quiet_since < 0.6:
            await asyncio.sleep(0.05)
            if (now := len(self.server.messages_to(self.user_id))) != count:
                count, quiet_since = now, time.monotonic()


def _stored(db: Path, code: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM report_case WHERE code = ?", (code,)).fetchone()[0])


RESENT = "🔁"


async def _kill_loop(tmp_path: Path, runs: int, reporters: int) -> list[str]:
    (tmp_path / "deployment.toml").write_text(DEPLOYMENT, encoding="utf-8")
    rng = random.Random(os.environ.get("KILL9_SEED"))
    codes: list[str] = []
    async with FakeTelegramServer(max_poll_wait=0.5) as server:
        bot = BotProcess(tmp_path, server)
        await bot.start()
        try:
            for run in range(runs):
                people = [Reporter(server, 800_000_000 + run * 100 + n) for n in range(reporters)]
                submitting = [asyncio.create_task(p.submit(timeout=90)) for p in people]
                await asyncio.sleep(rng.uniform(0.2, 4.0))
                await bot.kill()
                await bot.start()  # at once, as a supervisor would; the reporters keep going meanwhile
                codes += await asyncio.gather(*submitting)
            deadline = time.monotonic() + 90  # a card claimed by the killed process waits out its 60 s lease
            cards = lambda code: [m for m in server.messages_to(COMMUNE_GROUP) if code in (m.get("text") or "")]  # noqa: E731
            while not all(cards(code) for code in codes) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)  # a duplicate would show up by now
        finally:
            await bot.kill(signal.SIGTERM)
            bot.log.close()
        assert not server.violations, server.violations
        for code in codes:
            assert _stored(tmp_path / "kill9.db", code) == 1, f"{code} stored {_stored(tmp_path / 'kill9.db', code)} times"
            found = cards(code)  # a card whose send a kill cut off is sent again, saying so (no idempotency key)
            first = [m for m in found if not m["text"].startswith(RESENT)]
            assert found and len(first) <= 1 and len(found) - len(first) <= 1, f"{code} alerted {len(found)} times"
    return codes


async def test_kill_minus_nine_during_submissions(tmp_path: Path) -> None:
    runs = int(os.environ.get("KILL9_RUNS", "3"))
    codes = await _kill_loop(tmp_path, runs, reporters=3)
    assert len(set(codes)) == runs * 3


@pytest.mark.slow
async def test_kill_minus_nine_during_submissions_many_runs(tmp_path: Path) -> None:
    runs = int(os.environ.get("KILL9_RUNS_SLOW", "30"))
    codes = await _kill_loop(tmp_path, runs, reporters=4)
    assert len(set(codes)) == runs * 4
