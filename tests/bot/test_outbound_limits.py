"""The outbound side under load and faults, end to end: the real aiogram bot and outbox dispatcher against
the fake Bot API server (Telegram's limits, 429s, 5xx, timeouts, a removed bot, a migrated group)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.core import Core, build_core
from storage.models import Unit
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import ADMIN, COMMUNE_GROUP, LAN, PROVINCE_GROUP
from tests.escalation_setup import escalation_deployment, write_deployment
from tests.telegram_chat import buttons, running_bot

LAN_ALWAYS = """
[[rosters]]
unit = "00070"
rotation = ["Nguyễn Thị Lan"]
start = 2026-01-01
"""
CHAIN = """
[policies.default.normal]
steps = [{ after = "0s", notify = "group" }, { after = "%s", notify = "duty_officer" }, { after = "2h", notify = "parent_group" }]
"""
UNIT_NAME = "UBND phường Hoàn Kiếm"
NEW_GROUP = -1001000000099


@asynccontextmanager
async def started(make_settings: Any, database_url: str, tmp_path: Path, *, chain: str | None = None, **settings: Any) -> AsyncIterator[Core]:
    if chain is not None:
        settings["deployment_file"] = write_deployment(tmp_path, escalation_deployment(CHAIN % chain, rosters=LAN_ALWAYS))
    core = await build_core(make_settings(database_url, **settings), demo=False)
    try:
        yield core
    finally:
        await core.db.dispose()


async def _report(core: Core, n: int, *, urgent: bool = False) -> str:
    chat = CoreChat(core, user=f"reporter-{n}")
    await report_until_review(chat, danger=urgent, description=f"report {n}")
    receipt = await chat.choose("Gửi tin báo")
    return receipt.split("Mã tin báo: ")[1].split()[0]


def _to(server: Any, chat_id: int) -> list[Any]:
    return [r for r in server.requests if r.params.get("chat_id") == chat_id and r.method in ("sendMessage", "editMessageText")]


async def _until(predicate: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_a_burst_to_one_group_keeps_its_limit_and_ends_in_one_digest(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    async with started(make_settings, database_url, tmp_path, outbound_group_rate="3 per 4 seconds") as core:
        normal = [await _report(core, n) for n in range(3)]
        urgent = [await _report(core, n, urgent=True) for n in range(3, 6)]
        async with running_bot(core, telegram_server):
            await _until(lambda: len(telegram_server.messages_to(COMMUNE_GROUP)) == 3, 8, "two cards and a digest")
            first, second, digest = telegram_server.messages_to(COMMUNE_GROUP)
            assert urgent[0] in first["text"] and urgent[1] in second["text"], "urgent cards go first"
            lines = digest["text"].split("\n")
            assert lines[0].startswith("📋 4 tin báo mới")
            order = [next(i for i, line in enumerate(lines) if code in line) for code in [urgent[2], *normal]]
            assert order == sorted(order) and "KHẨN CẤP" in lines[order[0]], "the urgent one heads the digest"
            every = [m["text"] for m in telegram_server.messages_to(COMMUNE_GROUP)]
            assert all(sum(code in text for text in every) == 1 for code in normal + urgent), "each case once"
            labels = [b["text"] for b in buttons(digest)]
            assert labels[:2] == [f"Nhận {urgent[2]}", f"Xem {urgent[2]}"] and len(labels) == 8

            take = next(b for b in buttons(digest) if b["text"] == f"Nhận {normal[0]}")
            telegram_server.press_button(LAN, digest, take["callback_data"], chat_id=COMMUNE_GROUP)
            edit = await telegram_server.wait_for_request("editMessageText", timeout=8)
            assert edit.params["message_id"] == digest["message_id"], "the digest itself is edited, not pasted over"
            current = next(m for m in telegram_server.chat_messages(COMMUNE_GROUP) if m["message_id"] == digest["message_id"])
            taken = next(line for line in current["text"].split("\n") if normal[0] in line)
            assert "✅ Nguyễn Thị Lan đã nhận" in taken and all(code in current["text"] for code in [urgent[2], *normal])
            now = [b["text"] for b in buttons(current)]
            assert f"Nhận {normal[0]}" not in now and f"Xem {normal[0]}" in now and f"Nhận {normal[1]}" in now
        sends = sorted(r.at for r in _to(telegram_server, COMMUNE_GROUP))
        assert all(b - a >= 0.95 for a, b in zip(sends, sends[1:], strict=False)), "about one message a second per chat"
        assert all(sends[i + 3] - sends[i] >= 3.95 for i in range(len(sends) - 3)), "at most 3 in any 4 seconds"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the limits live in memory: one database is enough
async def test_a_long_burst_to_one_group_shows_every_new_case_within_the_pace(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    """Reports keep coming faster than the group may get messages: once its window is down to the
    reserve, one digest per pace (2 s here) carries every card then waiting. Spending the window on single
    cards first (the rule before) left later cases unseen until the window turned, 4 s and more here."""
    async with started(make_settings, database_url, tmp_path, outbound_group_rate="5 per 10 seconds", outbound_group_pace_seconds=2) as core:
        async with running_bot(core, telegram_server):
            submitted: dict[str, float] = {}  # the fake server stamps requests with time.monotonic()
            start = time.monotonic()
            for n in range(14):
                submitted[await _report(core, n)] = time.monotonic()
                await asyncio.sleep(max(0.0, start + 0.75 * (n + 1) - time.monotonic()))
            seen: dict[str, float] = {}

            def first_notices() -> bool:
                for request in _to(telegram_server, COMMUNE_GROUP):
                    for code in submitted:
                        if code in (request.params.get("text") or ""):
                            seen.setdefault(code, request.at)
                return len(seen) == len(submitted)

            await _until(first_notices, 10, "a notice of every case")
        waits = sorted(seen[code] - at for code, at in submitted.items())
        sends = sorted(r.at for r in _to(telegram_server, COMMUNE_GROUP))
        assert waits[-1] < 3.5, f"each case seen within the 2 s pace (and a pass): {waits}"
        assert all(sends[i + 5] - sends[i] >= 9.95 for i in range(len(sends) - 5)), "at most 5 in any 10 seconds"
        assert len(sends) < len(submitted), "later cases went together, as digests"


async def test_a_429_holds_only_its_chat(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    telegram_server.fail_next("sendMessage", 429, retry_after=4, chat_id=COMMUNE_GROUP)
    async with started(make_settings, database_url, tmp_path, chain="1s") as core, running_bot(core, telegram_server):
        loop = asyncio.get_running_loop()
        code = await _report(core, 1)
        await telegram_server.wait_for_request("sendMessage", lambda r: r.params["chat_id"] == COMMUNE_GROUP, include_failed=True)
        limited = loop.time()
        later = await _report(core, 2)  # queued for the held group too
        private = await telegram_server.wait_for_message(LAN, lambda m: code in m["text"], timeout=4)
        assert loop.time() - limited < 3, "the duty officer's private message was not held with the group"
        assert "Chưa có ai nhận xử lý" in private["text"]
        card = await telegram_server.wait_for_message(COMMUNE_GROUP, lambda m: code in m["text"], timeout=8)
        assert loop.time() - limited >= 3.9, "the group waited for retry_after"
        await telegram_server.wait_for_message(COMMUNE_GROUP, lambda m: later in m["text"], timeout=4)
        assert "Tin báo mới" in card["text"]
        tries = _to(telegram_server, COMMUNE_GROUP)
        assert [r.status for r in tries] == [429, 200, 200], "nothing was tried during the hold, nothing twice"


async def test_5xx_and_timeouts_for_a_while_lose_nothing_and_duplicate_nothing(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    quick = dict(outbound_request_timeout_seconds=0.5, outbound_retry_base_seconds=0.2, outbound_retry_max_seconds=0.8)
    quick["outbound_group_pace_seconds"] = 60  # no pacing: ten failed tries fill the group's minute, then one per pace
    async with started(make_settings, database_url, tmp_path, **quick) as core:
        codes = [await _report(core, n) for n in range(3)]
        telegram_server.stall_next("sendMessage", 1.5, count=2)
        telegram_server.fail_next("sendMessage", 500, count=6, chat_id=COMMUNE_GROUP)
        telegram_server.fail_next("sendMessage", 502, count=2, chat_id=COMMUNE_GROUP)
        async with running_bot(core, telegram_server):
            await _until(lambda: len(telegram_server.messages_to(COMMUNE_GROUP)) >= 3, 20, "every card")
            await asyncio.sleep(1.5)  # anything still retrying would show up as a duplicate now
        texts = [m["text"] for m in telegram_server.messages_to(COMMUNE_GROUP)]
        assert sorted(next(c for c in codes if c in t) for t in texts) == sorted(codes), "each card exactly once"
        assert telegram_server.dropped == ["sendMessage", "sendMessage"], "two requests timed out"
        assert sum(r.status >= 500 for r in _to(telegram_server, COMMUNE_GROUP)) == 8


async def test_a_group_that_removed_the_bot_tells_the_admins_and_escalates_at_once(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    telegram_server.block_chat(COMMUNE_GROUP, description="Forbidden: bot was kicked from the supergroup chat")
    async with started(make_settings, database_url, tmp_path, chain="1h") as core, running_bot(core, telegram_server):
        codes = [await _report(core, 1), await _report(core, 2)]
        for code in codes:
            await telegram_server.wait_for_message(PROVINCE_GROUP, lambda m, c=code: c in m["text"], timeout=5)
            private = await telegram_server.wait_for_message(LAN, lambda m, c=code: c in m["text"], timeout=5)
            assert "Chưa có ai nhận xử lý" in private["text"], "the duty officer is paged now, not in an hour"
        await asyncio.sleep(0.5)
        [notice] = telegram_server.messages_to(ADMIN)
        assert UNIT_NAME in notice["text"] and "bị xoá khỏi nhóm" in notice["text"]
        assert not any(code in notice["text"] for code in codes) and str(COMMUNE_GROUP) not in notice["text"]


async def test_a_group_that_became_a_supergroup_is_followed_across_a_restart(make_settings, database_url, tmp_path, telegram_server) -> None:  # type: ignore[no-untyped-def]
    telegram_server.migrate_chat(COMMUNE_GROUP, NEW_GROUP)
    async with started(make_settings, database_url, tmp_path) as core, running_bot(core, telegram_server):
        code = await _report(core, 1)
        card = await telegram_server.wait_for_message(NEW_GROUP, lambda m: code in m["text"], timeout=5)
        notice = await telegram_server.wait_for_message(ADMIN, timeout=5)
        assert UNIT_NAME in notice["text"] and str(NEW_GROUP) in notice["text"] and code not in notice["text"]
        take = next(b for b in buttons(card) if b["text"] == "Tôi nhận xử lý")
        telegram_server.press_button(LAN, card, take["callback_data"], chat_id=NEW_GROUP)
        edit = await telegram_server.wait_for_request("editMessageText", timeout=5)
        assert edit.params["chat_id"] == NEW_GROUP and edit.params["message_id"] == card["message_id"]
    async with started(make_settings, database_url, tmp_path) as core:  # the file still names the old group
        async with core.db.session() as session:
            unit = (await session.exec(select(Unit).where(Unit.code == "00070"))).one()
            assert unit.telegram_chat_id == NEW_GROUP
        async with running_bot(core, telegram_server):
            later = await _report(core, 2)
            await telegram_server.wait_for_message(NEW_GROUP, lambda m: later in m["text"], timeout=5)
    assert len(_to(telegram_server, COMMUNE_GROUP)) == 1, "only the first message ever tried the old id"
    assert len(telegram_server.messages_to(ADMIN)) == 1
