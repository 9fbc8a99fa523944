"""Restarts: a reporter continues where they were; an alert committed but not sent goes out once after restart."""

from __future__ import annotations

from sqlmodel import select

from bot.core import build_core
from storage.models import OutboxMessage, OutboxState
from tests.chat_driver import CoreChat, report_until_review
from tests.conftest import COMMUNE_GROUP
from tests.recording_sender import RecordingSender


async def test_reporter_continues_after_restart_mid_report(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(database_url)
    first = await build_core(settings, demo=False)
    chat = CoreChat(first)
    await chat.send("/start")
    await chat.choose("Báo tin về một bạn nhỏ")
    await chat.choose("Thầy cô giáo")
    await first.db.dispose()  # the process dies here

    second = await build_core(settings, demo=False)
    try:
        resumed = CoreChat(second)
        answer = await resumed.send("tiếp tục")  # any message brings the current question back
        assert "Chuyện gì đang xảy ra" in answer
        await resumed.choose("Bỏ rơi, bỏ mặc")
        assert "Thầy cô giáo" in await _finish(resumed)
    finally:
        await second.db.dispose()


async def _finish(chat: CoreChat) -> str:
    for label in ("0–5 tuổi", "Bé trai", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua", "Bỏ qua"):
        await chat.choose(label)
    return await chat.choose("Không")


async def test_alert_committed_before_a_crash_is_sent_exactly_once_after_restart(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(database_url)
    first = await build_core(settings, demo=False)
    chat = CoreChat(first)
    await report_until_review(chat)
    await chat.choose("Gửi tin báo")  # committed: case + timeline + outbox row; nothing sent yet
    await first.db.dispose()  # killed before the dispatcher ran

    second = await build_core(settings, demo=False)
    try:
        sender = RecordingSender()
        outbox = second.dispatcher({"telegram": sender, "zalo": sender})
        assert await outbox.run_once() == 2  # the group's card and the Zalo-only officer's private alert
        assert await outbox.run_once() == 0
        [card] = sender.to(str(COMMUNE_GROUP))
        assert "TE-" in card.message.text and len(sender.deliveries) == 2
        async with second.db.session() as session:
            row = (await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "alert"))).one()
            assert row.state == OutboxState.SENT and row.payload_ct is None  # content gone once sent
            assert row.address_ct is not None  # the card keeps its sealed group address, for edits
    finally:
        await second.db.dispose()
