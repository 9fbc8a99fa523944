"""The public web chat over a throttled network in Debian's Chromium: bytes per page and the time from a
child's first press ("Em cần giúp đỡ", then "in danger") to the page that shows 111/113/115.

python -m bench.web_chat [--profile slow3g|fast3g] — a benchmark, not a test: it prints the figures the
docs/figures.md quotes. The profiles are DevTools' presets (Network.emulateNetworkConditions over CDP)."""

from __future__ import annotations

import argparse
import asyncio
import socket
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


async def _measure(url: str, profile: dict[str, float]) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
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
        async with page.expect_navigation():
            await page.get_by_role("button", name="Em cần giúp đỡ").click()
        sizes.clear()
        started = time.perf_counter()
        async with page.expect_navigation():
            await page.get_by_role("button", name="Có, em đang gặp nguy hiểm").click()
        await page.wait_for_selector('a[href="tel:111"]')
        danger = time.perf_counter() - started
        danger_bytes = sum(sizes.values())
        html = len((await page.content()).encode())
        await browser.close()
    return {"first_page_s": first_page, "menu_bytes": menu_bytes, "danger_answer_s": danger,
            "danger_bytes": danger_bytes, "danger_html_bytes": html}


async def main(profile: str) -> None:
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
            found = await _measure(f"http://127.0.0.1:{port}/", PROFILES[profile])
        finally:
            server.should_exit = True
            await serving
    print(f"profile {profile}: first page {found['first_page_s']:.2f} s, {found['menu_bytes']} B over the wire")
    print(f"'in danger' pressed → page with 111/113/115: {found['danger_answer_s']:.2f} s, "
          f"{found['danger_bytes']} B over the wire (POST, 303, GET), HTML {found['danger_html_bytes']} B")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="slow3g")
    asyncio.run(main(parser.parse_args().profile))
