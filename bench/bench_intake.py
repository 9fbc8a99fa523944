"""Intake speed on the embedded database: commune lookup, whole reports through the core, alerts sent.

Run: python bench/bench_intake.py [--reports N]. Results go into docs/figures.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings  # noqa: E402
from bot.core import build_core  # noqa: E402
from handlers.places import find_places  # noqa: E402
from tests.chat_driver import CoreChat, report_until_review  # noqa: E402
from tests.conftest import DEPLOYMENT  # noqa: E402
from tests.recording_sender import RecordingSender  # noqa: E402

QUERIES = ["hoan kiem", "Hoàn Kiếm, Hà Nội", "tan phu dong nai", "hoan kiam", "xa a luoi 1", "qwxz"]


def bench_places(rounds: int) -> tuple[float, float]:
    find_places("warm up")
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            find_places(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)]


async def bench_reports(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        deployment = Path(folder) / "deployment.toml"
        deployment.write_text(DEPLOYMENT, encoding="utf-8")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{folder}/bench.db",
            master_keys="1:" + base64.b64encode(b"b" * 32).decode(),
            pseudonym_pepper="bench-pepper-0123456789",
            deployment_file=deployment,
        )
        core = await build_core(settings, demo=False)
        tracemalloc.start()
        start = time.perf_counter()
        messages = 0
        for number in range(count):
            chat = CoreChat(core, user=f"bench-{number}")
            await report_until_review(chat, description=f"Mô tả số {number}")
            await chat.choose("Gửi tin báo")
            messages += len(chat.replies)
        intake = time.perf_counter() - start
        sender = RecordingSender()
        outbox = core.dispatcher({"telegram": sender, "zalo": sender})
        start = time.perf_counter()
        while await outbox.run_once():
            pass
        dispatch = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        await core.db.dispose()
        return {
            "reports": count,
            "messages_per_s": messages / intake,
            "ms_per_report": intake / count * 1000,
            "alerts_per_s": len(sender.deliveries) / dispatch,
            "peak_mb": peak,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50)
    args = parser.parse_args()
    median, p95 = bench_places(200)
    print(f"commune lookup: median {median:.2f} ms, p95 {p95:.2f} ms")
    result = asyncio.run(bench_reports(args.reports))
    print(
        f"{result['reports']} whole reports: {result['ms_per_report']:.0f} ms each "
        f"({result['messages_per_s']:.0f} messages/s), alerts sent {result['alerts_per_s']:.0f}/s, "
        f"peak traced memory {result['peak_mb']:.1f} MB"
    )


if __name__ == "__main__":
    main()
