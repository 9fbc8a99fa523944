"""Start and memory measured black-box: the real bot (``python -m bot``) as its own process, polling the
lean fake Bot API served by this one, with a deployment of ``--communes`` communes (each its duty group
and officer) under one province.

Per run: a fresh database, the first start (migrating) and a second start on the same database (the
normal case), each timed from exec to the arrival of its first ``getUpdates``
(not its answer, which comes only when the long poll's wait is over); the resident set (VmRSS from /proc) of
the second once idle, then again with ``--conversations`` reporters each midway through the report flow
(their sealed state committed). Goals (issue 20): start < 2 s with 50 communes, idle < 150 MB, < 170 MB
with 10,000 conversations.

Run: python -m bench.process [--communes 50] [--conversations 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from vietnam_provinces import Ward

from bench.fake_server import BenchServer
from bench.measure import ROOT, machine_info, print_machine, verdict
from bench.reporters import REPORTER_BASE, gather_limited
from tests.telegram_chat import TOKEN

GOALS = {"start_s": 2.0, "idle_mb": 150.0, "open_mb": 170.0}
MENU = "Báo tin về một bạn nhỏ"


def wards(communes: int) -> list[Ward]:
    return [w for w in Ward.iter_all() if w.province_code.value == 1][:communes]


def deployment(communes: int) -> str:
    lines = ['fallback_unit = "01"', "", "[[units]]", 'code = "01"', "telegram_chat_id = -1001000000001", ""]
    for n, ward in enumerate(wards(communes)):
        code = f"{ward.code.value:05d}"
        lines += ["[[units]]", f'code = "{code}"', f"telegram_chat_id = {-1002000000000 - n}", ""]
        lines += ["[[officers]]", f'name = "Cán bộ {n}"', f'unit = "{code}"', f"telegram_user_id = {7_000_000 + n}", ""]
    return "\n".join(lines)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Bot:
    def __init__(self, folder: Path, server: BenchServer) -> None:
        self.server = server
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bot.db'}", "DATA_DIR": str(folder / "data"),
            "DEPLOYMENT_FILE": str(folder / "deployment.toml"), "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": server.base_url, "ZALO_BOT_TOKEN": "",
            "MASTER_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(), "PSEUDONYM_PEPPER": "bench-pepper-0123456789",
        }
        self.log = (folder / "bot.log").open("ab")
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> float:
        polls = self.server.polls_begun
        began = time.perf_counter()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log
        )
        while self.server.polls_begun == polls:
            if self.process.returncode is not None:
                raise RuntimeError(f"the bot exited with {self.process.returncode}; see its log")
            await asyncio.sleep(0.005)
        return time.perf_counter() - began

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()

    def rss_mb(self) -> float:
        assert self.process is not None
        return _rss_mb(self.process.pid)


async def _open_conversation(server: BenchServer, user_id: int) -> None:
    """/start, then the menu's report button: the reporter is at the first question, state committed."""
    server.user_message(user_id, "/start")
    while not any(b["text"] == MENU for m in server.last.get(user_id, ()) for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row):
        await asyncio.sleep(0.01)
    menu = next(m for m in server.last[user_id] if any(b["text"] == MENU for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row))
    data = next(b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row if b["text"] == MENU)
    sent = server.sent_to[user_id]
    server.press(user_id, menu, data)
    while server.sent_to[user_id] == sent:
        await asyncio.sleep(0.01)
    server.forget_chat(user_id)


async def one_run(communes: int, conversations: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-process-") as name:
        folder = Path(name)
        (folder / "deployment.toml").write_text(deployment(communes), encoding="utf-8")
        async with BenchServer(max_poll_wait=0.5) as server:
            bot = Bot(folder, server)
            result = {"first_start_s": await bot.start()}
            await bot.stop()
            await asyncio.sleep(1.0)  # the killed process's last long poll ends, so the count below is the new one's
            result["start_s"] = await bot.start()
            await asyncio.sleep(3.0)  # settled: the first timers and outbox polls done
            result["idle_mb"] = bot.rss_mb()
            if conversations:
                jobs = [lambda u=REPORTER_BASE + n: _open_conversation(server, u) for n in range(conversations)]
                await gather_limited(jobs, 50)
                await asyncio.sleep(2.0)
                result["open_mb"] = bot.rss_mb()
            await bot.stop()
            bot.log.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print_machine(machine_info())
    runs = [asyncio.run(one_run(args.communes, args.conversations)) for _ in range(args.runs)]
    print(f"{args.runs} runs, {args.communes} communes, {args.conversations} open conversations")
    for name in runs[0]:
        values = [r[name] for r in runs]
        goal = GOALS.get(name)
        mark = f"  goal < {goal}: {verdict(statistics.median(values) < goal)}" if goal else ""
        print(f"  {name:14s} min {min(values):8.2f}  median {statistics.median(values):8.2f}  max {max(values):8.2f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
