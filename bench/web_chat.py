"""The public web chat over a throttled network in Debian's Chromium: bytes per page and the time from a
child's first press ("Em cần giúp đỡ", then "in danger") to the page that shows 111/113/115.

python -m bench.web_chat [--profile slow3g|fast3g] [--repeat N] — without and with JavaScript; a benchmark, not a test: it prints the figures the
docs/figures.md quotes. The profiles are DevTools' presets (Network.emulateNetworkConditions over CDP)."""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import time
from typing import Any

import uvicorn

from bench.assembly import bench_core
from bot.web.public_chat import public_for

CHROMIUM = "/usr/bin/chromium"
# DevTools' presets: "Slow 3G" 400 ms × 5 latency and 500 kbit/s × 0.8; "Fast 3G" 150 ms × 3.75, 1.6 Mbit/s × 0.9.
PROFILES = {
    "slow3g": {"latency": 2000, "downloadThroughput": 500_000 / 8 * 0.8, "uploadThroughput": 500_000 / 8 * 0.8},
    "fast3g": {"latency": 562.5, "downloadThroughput": 1_600_000 / 8 * 0.9, "uploadThroughput": 750_000 / 8 * 0.9},
}


async def _answer(page: Any, label: str, javascript: bool) -> None:
    """Without JavaScript a press is a navigation (POST, 303, GET); with it, one POST the script puts in the page."""
    button = page.get_by_role("button", name=label)
    if not javascript:
        async with page.expect_navigation():
            await button.click()
        return
    async with page.expect_response(lambda r: r.url.endswith("/say")):
        await button.click()


async def _measure(url: str, profile: dict[str, float], javascript: bool) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=javascript)
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        sizes: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        await cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
        started = time.perf_counter()
        await page.goto(url)
        first_page = time.perf_counter() - started
        menu_bytes = sum(sizes.values())
        sizes.clear()
        await _answer(page, "Em cần giúp đỡ", javascript)
        await page.wait_for_selector("text=Ngay lúc này em có đang gặp nguy hiểm không?")
        sizes.clear()
        started = time.perf_counter()
        await _answer(page, "Có, em đang gặp nguy hiểm", javascript)
        await page.wait_for_selector('main a[href="tel:113"]')
        danger = time.perf_counter() - started
        danger_bytes = sum(sizes.values())
        html = len((await page.content()).encode())
        await browser.close()
    return {"first_page_s": first_page, "menu_bytes": menu_bytes, "danger_answer_s": danger,
            "danger_bytes": danger_bytes, "danger_html_bytes": html}


async def main(profile: str, repeat: int) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    async with bench_core(None, public_base_url=f"http://127.0.0.1:{port}", public_port=port) as core:
        server = uvicorn.Server(uvicorn.Config(public_for(core), access_log=False, log_level="warning", lifespan="off"))
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.02)
        try:
            runs = {js: [await _measure(f"http://127.0.0.1:{port}/", PROFILES[profile], js) for _ in range(repeat)]
                    for js in (False, True)}
        finally:
            server.should_exit = True
            await serving
    for javascript, found in runs.items():
        way = "with JavaScript (one POST answered with the page)" if javascript else "without JavaScript (POST, 303, GET)"
        first, danger = sorted(f["first_page_s"] for f in found), sorted(f["danger_answer_s"] for f in found)
        print(f"profile {profile}, {way}, {repeat} runs (min/median/max):")
        print(f"  first page {first[0]:.2f}/{statistics.median(first):.2f}/{first[-1]:.2f} s, {found[0]['menu_bytes']} B over the wire")
        print(f"  'in danger' pressed → page with 111/113/115: {danger[0]:.2f}/{statistics.median(danger):.2f}/{danger[-1]:.2f} s, "
              f"{found[0]['danger_bytes']} B over the wire, HTML {found[0]['danger_html_bytes']} B")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="slow3g")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.profile, arguments.repeat))
