"""Photos in flight must not hold up anyone else: another person's "/start" latency, and the event
loop's lag (what a timer due meanwhile waits), while three people's big-pixel photos are handled.

Three people at the photo step each send one image at the same moment; 50 ms later a fourth person
sends "/start" and its answer is timed; a ticker sleeping 10 ms at a time records how late it wakes.
Images: a 40-megapixel white PNG (about 120 KB: what issue 16 measured) and a 16-megapixel one (the
largest kept now). Through the core (ReportConversation.handle, where the draft's transaction is).

Run: python -m bench.photos [--rounds 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import time
from typing import Any

from PIL import Image

from bench.harness import (
    bench_core,
    common_options,
    machine_info,
    percentile,
    print_machine,
    quiet_logging,
    rss_mb,
    run_benchmark,
)
from tests.chat_driver import CoreChat

UP_TO_PHOTOS = ["Báo tin về một bạn nhỏ", "Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Không biết",
                "Bỏ qua", "Bỏ qua"]
IMAGES = {"40 MP PNG": (8000, 5000), "16 MP PNG": (4000, 4000)}


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


class Ticker:
    """How late a 10 ms sleep wakes: what a due timer (or any other task) waits for the event loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - before - 0.01)

    def __enter__(self) -> Ticker:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def _start_ms(core: Any, user: str) -> float:
    started = time.perf_counter()
    await CoreChat(core, user=user).send("/start")
    return (time.perf_counter() - started) * 1000


async def measure(args: argparse.Namespace, name: str | None, data: bytes) -> dict[str, Any]:
    start_ms: list[float] = []
    lag_ms: list[float] = []
    photo_s: list[float] = []
    answers: set[str] = set()
    async with bench_core(args.database_url) as core:
        await _start_ms(core, "warm-up")
        for round_ in range(args.rounds):
            chats = [CoreChat(core, user=f"photo-{round_}-{n}") for n in range(args.photos)]
            for chat in chats:
                await chat.send("/start")
                for label in UP_TO_PHOTOS:
                    await chat.choose(label)

            async def timed_photo(chat: CoreChat) -> None:
                began = time.perf_counter()
                answers.add((await chat.send_photo(data)).split("\n")[-1][:40])
                photo_s.append(time.perf_counter() - began)

            with Ticker() as ticker:
                photos = [asyncio.create_task(timed_photo(chat)) for chat in chats] if name else []
                await asyncio.sleep(0.05)
                start_ms.append(await _start_ms(core, f"someone-{round_}"))
                await asyncio.gather(*photos)
            lag_ms.append(ticker.worst * 1000)
    return {
        "image": name or "none", "bytes": len(data), "rounds": args.rounds,
        "start_p50_ms": percentile(start_ms, 50), "start_max_ms": max(start_ms),
        "loop_lag_max_ms": max(lag_ms), "photo_answer_max_s": max(photo_s, default=0.0),
        "photo_answers": sorted(answers), "peak_rss_mb": rss_mb()[1],
    }


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    quiet_logging()
    images = {name: _png(size) for name, size in IMAGES.items()}  # made first: their own memory is not the bot's
    runs = [await measure(args, None, b"")] + [await measure(args, name, data) for name, data in images.items()]
    return {"benchmark": "photos", "machine": machine_info(args.database_url), "photos_in_flight": args.photos, "runs": runs}


def report(result: dict[str, Any]) -> None:
    print_machine(result["machine"])
    print(f"another person's /start with {result['photos_in_flight']} photos in flight:")
    for run in result["runs"]:
        print(f"  {run['image']:>10} ({run['bytes'] // 1024} KB): /start p50 {run['start_p50_ms']:.0f} ms, "
              f"max {run['start_max_ms']:.0f} ms; event loop lag max {run['loop_lag_max_ms']:.0f} ms; "
              f"photo answered within {run['photo_answer_max_s']:.1f} s; peak RSS so far {run['peak_rss_mb']:.0f} MB; "
              f"answers {run['photo_answers']}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = common_options(argparse.ArgumentParser(description=__doc__))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--photos", type=int, default=3)
    return run_benchmark(bench, report, parser, argv)


if __name__ == "__main__":
    main()
