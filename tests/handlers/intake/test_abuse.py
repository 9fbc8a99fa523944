"""Abuse of the channel: per-person limits answered kindly, floods of new accounts, the same report twice,
and danger that no limit ever holds back. Through the platform-neutral core, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlmodel import col, select

from bot.core import Core, build_core
from handlers.escalation.alerts import ACK
from storage.counters import InProcessCounter
from storage.models import Case, Escalation, EscalationState
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import ADMIN, COMMUNE_GROUP, LAN, PROVINCE_GROUP
from tests.escalation_setup import Clock, escalation_deployment, write_deployment
from tests.recording_sender import Delivery, RecordingSender


@asynccontextmanager
async def world(make_settings: Callable[..., Any], database_url: str, **overrides: object) -> AsyncIterator[tuple[Core, Clock]]:
    """A core whose clock and message counter move only when the test says so."""
    core = await build_core(make_settings(database_url, **overrides), demo=False)
    clock = Clock()
    core.services.clock = clock
    core.services.counter = InProcessCounter(clock=lambda: clock.now.timestamp())
    try:
        yield core, clock
    finally:
        await core.db.dispose()


async def drain(core: Core, sender: RecordingSender) -> list[Delivery]:
    before = len(sender.deliveries)
    outbox = core.dispatcher({"telegram": sender, "zalo": sender, "terminal": sender})
    while await outbox.run_once():
        pass
    return sender.deliveries[before:]


def code_of(receipt: str) -> str:
    return receipt.split("Mã tin báo: ")[1].split()[0]


async def submit(chat: CoreChat, **kwargs: Any) -> str:
    await report_until_review(chat, **kwargs)
    return await chat.choose("Gửi tin báo")


async def cases(core: Core) -> list[Case]:
    async with core.db.session() as session:
        return list((await session.exec(select(Case).order_by(col(Case.received_at)))).all())


# --- messages per window ------------------------------------------------------------------------
async def test_too_many_messages_are_answered_kindly_once_then_the_window_resets(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_max_messages=4, abuse_message_window_seconds=60) as (core, clock):
        chat = CoreChat(core)
        await chat.send("/start")
        await chat.choose("Báo tin về một bạn nhỏ")
        await chat.choose("Hàng xóm")
        await chat.choose("Bạo lực thể chất")  # the 4th: still fine
        age = chat.value_of("6–10 tuổi")  # the button stays under the question in the chat
        slowed = await chat.press_value(age)
        assert "hơi nhanh" in slowed and "111" in slowed and slowed.startswith("💬 Tin nhắn mới")
        assert await chat.press_value(age) == "" and chat.last == [], "told once, then no flood of replies"
        clock.advance(seconds=61)
        await chat.press_value(age)
        assert "Bé gái" in [c.label for m in chat.last for c in m.choices], "the draft was kept: on to the next question"


async def test_the_limit_is_kind_in_english_too(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_max_messages=1) as (core, _):
        chat = CoreChat(core)
        await chat.send("/lang")  # the first message: English from now on
        slowed = await chat.send("hello")
        assert "a little fast" in slowed and "111" in slowed and slowed.startswith("💬 New message")


# --- danger is never held back ------------------------------------------------------------------
async def test_danger_now_reaches_the_group_even_over_every_limit(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_max_messages=7, abuse_max_reports_per_day=1) as (core, clock):
        sender = RecordingSender()
        chat = CoreChat(core)
        limits = core.services.abuse
        core.services.abuse = dataclasses.replace(limits, max_messages=0)
        first = code_of(await submit(chat))  # today's one report, about the same commune: a duplicate window too
        core.services.abuse = limits
        await drain(core, sender)
        clock.advance(minutes=2)  # a fresh message window: 7 messages reach the danger question
        await chat.send("/start")
        await chat.choose("Báo tin về một bạn nhỏ")
        for label in ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái"):
            await chat.choose(label)
        assert "113" in await chat.choose("Có, đang nguy hiểm")  # the 7th
        await chat.choose("Bỏ qua")  # where it happened
        await chat.send("hoan kiem")  # from here every message is over the limit
        await chat.choose("Phường Hoàn Kiếm")
        await chat.choose("Bỏ qua")
        await chat.send("Bé đang bị đánh ngay lúc này")
        await chat.choose("Bỏ qua")
        await chat.choose("Có, được nhắn lại")
        receipt = await chat.choose("Gửi tin báo")
        assert "Mã tin báo: TE-" in receipt and "113" in receipt, "over the message, daily and duplicate limits alike"
        urgent = code_of(receipt)
        cards = [d for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP)]
        assert any(urgent in d.message.text and "KHẨN CẤP" in d.message.text for d in cards)
        assert urgent != first


async def test_danger_words_and_a_childs_call_for_help_pass_any_limit(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_max_messages=1) as (core, _):
        adult = CoreChat(core, user="adult")
        await adult.send("/start")
        assert await adult.send("chào") != ""  # the 2nd: told to slow down
        assert "113" in await adult.send("có người muốn tự tử"), "danger words show the numbers whatever the pace"

        child = CoreChat(core, user="child")
        await child.send("/start")
        assert "nguy hiểm" in await child.choose("Em cần giúp đỡ")
        numbers = await child.choose("Có, em đang gặp nguy hiểm")
        assert "111" in numbers and "113" in numbers
        sender = RecordingSender()
        cards = [d for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP) or d.envelope.address.startswith("-")]
        assert any("KHẨN CẤP" in d.message.text and "Trẻ em tự báo" in d.message.text for d in cards)
        assert "Đã xong" in await child.send("/xoa"), "wiping the chat is never refused"


# --- reports per day ----------------------------------------------------------------------------
async def test_reports_per_day_are_limited_kindly_and_the_draft_waits(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_max_reports_per_day=2, abuse_duplicate_window_hours=0) as (core, clock):
        chat = CoreChat(core)
        for _ in range(2):
            assert "Mã tin báo" in await submit(chat)
            clock.advance(hours=1)
        refused = await submit(chat)
        assert "tối đa 2 tin báo" in refused and "111" in refused and "Mã tin báo" not in refused
        assert "Gửi tin báo" in [c.label for m in chat.last for c in m.choices], "the report waits at its review"
        assert len(await cases(core)) == 2
        clock.advance(hours=23)
        assert "Mã tin báo: TE-" in await chat.choose("Gửi tin báo"), "24 hours after the first, it goes through"
        assert len(await cases(core)) == 3


# --- the same report twice ----------------------------------------------------------------------
async def test_a_second_report_is_linked_its_officer_told_and_an_urgent_one_still_alerts(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url) as (core, clock):
        sender = RecordingSender()
        chat = CoreChat(core)
        first = code_of(await submit(chat))
        assert [d for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP)]
        await officer_press(core, "lan", f"{ACK}:{first}")
        await drain(core, sender)

        clock.advance(hours=2)
        receipt = await submit(chat, description="Hôm nay bé lại bị đánh")
        assert "Mã tin báo: TE-" in receipt and "111" in receipt, "a normal receipt"
        second = code_of(receipt)
        sent = await drain(core, sender)
        assert not [d for d in sent if d.envelope.address == str(COMMUNE_GROUP) and second in d.message.text], "not alerted twice"
        [told] = [d for d in sent if d.envelope.address == str(LAN)]
        assert first in told.message.text and second in told.message.text
        rows = {c.code: c for c in await cases(core)}
        assert rows[second].duplicate_of == rows[first].id
        page = await CoreChat(core, user="lan").send(f"/case {first}")
        assert first in page and second in page, "the first case's page says what was added"

        clock.advance(hours=1)
        urgent = code_of(await submit(chat, danger=True))
        sent = await drain(core, sender)
        assert any(urgent in d.message.text and "KHẨN CẤP" in d.message.text for d in sent if d.envelope.address == str(COMMUNE_GROUP))
        assert any(urgent in d.message.text for d in sent if d.envelope.address == str(LAN))

        clock.advance(hours=7)
        later = code_of(await submit(chat))
        assert any(later in d.message.text for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP)), \
            "after the window a report alerts again"


async def test_a_report_about_another_child_or_commune_is_a_case_of_its_own(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url) as (core, clock):
        sender = RecordingSender()
        chat = CoreChat(core)
        first = code_of(await submit(chat))
        await officer_press(core, "lan", f"{ACK}:{first}")  # someone answers for the first: a link would reach her
        await drain(core, sender)
        clock.advance(hours=1)
        brother = code_of(await submit(chat, sex="Bé trai", description="Em trai của bé cũng bị đánh"))
        cards = [d for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP)]
        assert any(brother in d.message.text and "Tin báo mới" in d.message.text for d in cards), "another child: its own card"

        clock.advance(hours=1)  # two communes without a unit of their own: both go to the province
        ba_dinh = code_of(await submit(chat, place="ba dinh", commune="Phường Ba Đình"))
        tay_ho = code_of(await submit(chat, place="tay ho", commune="Phường Tây Hồ"))
        cards = [d for d in await drain(core, sender) if d.envelope.address == str(PROVINCE_GROUP)]
        assert all(any(c in d.message.text for d in cards) for c in (ba_dinh, tay_ho)), "another commune: its own card"
        rows = {c.code: c for c in await cases(core)}
        assert [rows[c].duplicate_of for c in (brother, ba_dinh, tay_ho)] == [None, None, None]
        assert rows[ba_dinh].unit_code == rows[tay_ho].unit_code == "01"


async def test_a_linked_report_nobody_answers_for_still_gets_a_card(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url) as (core, clock):
        sender = RecordingSender()
        chat = CoreChat(core)
        first = code_of(await submit(chat))
        await drain(core, sender)
        clock.advance(hours=5)  # nobody took it, nobody is on duty (no roster), its chain is spent
        second = code_of(await submit(chat, description="Hôm nay bé lại bị đánh"))
        cards = [d for d in await drain(core, sender) if d.envelope.address == str(COMMUNE_GROUP)]
        assert any(second in d.message.text and "Tin báo mới" in d.message.text for d in cards), "not swallowed"
        rows = {c.code: c for c in await cases(core)}
        assert rows[second].duplicate_of == rows[first].id, "still linked, for whoever opens the first"
        page = await CoreChat(core, user="lan").send(f"/case {first}")
        assert second in page and "báo vào nhóm trực như một tin mới" in page


async def test_a_linked_report_is_told_privately_to_the_duty_officer(make_settings, database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    deployment = write_deployment(tmp_path, escalation_deployment())  # Lan on duty on Monday
    async with world(make_settings, database_url, deployment_file=deployment) as (core, clock):
        sender = RecordingSender()
        chat = CoreChat(core)
        first = code_of(await submit(chat))
        await drain(core, sender)
        clock.advance(hours=5)  # the first's chain has run out; nobody took it
        second = code_of(await submit(chat, description="Hôm nay bé lại bị đánh"))
        sent = await drain(core, sender)
        assert not [d for d in sent if second in d.message.text and d.envelope.address.startswith("-")], "no second card"
        [told] = [d for d in sent if d.envelope.address == str(LAN)]
        assert first in told.message.text and second in told.message.text and "cùng một bạn nhỏ" in told.message.text


# --- floods of new accounts ---------------------------------------------------------------------
async def test_a_flood_of_new_accounts_warns_the_admins_once_and_posts_one_notice(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    async with world(make_settings, database_url, abuse_flood_new_reporters=3, abuse_flood_window_minutes=10) as (core, clock):
        sender = RecordingSender()
        codes = []
        for n in range(7):
            codes.append(code_of(await submit(CoreChat(core, user=f"new-{n}"), description=f"tin số {n}")))
            clock.advance(seconds=20)
        urgent = code_of(await submit(CoreChat(core, user="new-urgent"), danger=True))
        sent = await drain(core, sender)
        await asyncio.sleep(2.1)  # the dispatcher defers an edit whose card went out in the same pass
        sent += await drain(core, sender)
        group = [d for d in sent if d.envelope.address == str(COMMUNE_GROUP) and not d.envelope.edit_message_id]
        carded = [c for c in codes if any(c in d.message.text for d in group)]
        assert carded == codes[:4], "three before the flood, then the first of the window; the rest are held"
        assert any(urgent in d.message.text and "KHẨN CẤP" in d.message.text for d in group), "urgent still alerts at once"
        [notice] = [d for d in group if "tài khoản mới" in d.message.text]
        edits = [d for d in sent if d.envelope.edit_message_id]
        assert edits and "Số tin không có thẻ riêng: 3" in edits[-1].message.text
        [warning] = [d for d in sent if d.envelope.address == str(ADMIN)]
        assert "hàng loạt" in warning.message.text and notice

        lan = CoreChat(core, user="lan")
        listing = await lan.send("/cases")
        assert all(code in listing for code in [*codes, urgent]), "nothing is lost: every report is in /cases"
        async with core.db.session() as session:
            held = {c.id for c in await cases(core) if c.code in codes[4:]}
            timers = (await session.exec(select(Escalation).where(col(Escalation.state) == EscalationState.PENDING))).all()
        held_tracks = {(t.case_id, t.track) for t in timers if t.case_id in held}
        assert {track for _, track in held_tracks} == {"assessment", "plan"}, "held reports page nobody one by one"
        assert len(held_tracks) == 2 * len(held), "but each keeps its Decree-56 clocks, so none is forgotten"

        clock.advance(seconds=470)  # the next 10-minute window, the flood still within the last 10 minutes
        late = [code_of(await submit(CoreChat(core, user=f"new-late-{n}"))) for n in range(2)]
        sent = await drain(core, sender)
        assert len([d for d in sent if d.envelope.address == str(ADMIN)]) == 1, "one warning per window"
        group = [d for d in sent if d.envelope.address == str(COMMUNE_GROUP) and not d.envelope.edit_message_id]
        assert len([d for d in group if "tài khoản mới" in d.message.text]) == 1
        assert [c for c in late if any(c in d.message.text for d in group)] == late[:1]


async def test_two_workers_raise_one_warning_per_window(make_settings, database_url) -> None:  # type: ignore[no-untyped-def]
    settings = dict(abuse_flood_new_reporters=2, abuse_flood_window_minutes=10)
    async with world(make_settings, database_url, **settings) as (one, clock), world(make_settings, database_url, **settings) as (two, _):
        two.services.clock = clock
        for n in range(2):
            await submit(CoreChat(one, user=f"early-{n}"))
        chats = [CoreChat(core, user=f"burst-{n}") for n, core in enumerate((one, two, one, two))]
        for chat in chats:
            await report_until_review(chat)
        receipts = await asyncio.gather(*(chat.choose("Gửi tin báo") for chat in chats))
        assert all("Mã tin báo" in r for r in receipts)
        sender = RecordingSender()
        sent = await drain(one, sender)
        assert len([d for d in sent if d.envelope.address == str(ADMIN)]) == 1
        notices = [d for d in sent if d.envelope.address == str(COMMUNE_GROUP) and "tài khoản mới" in d.message.text
                   and not d.envelope.edit_message_id]
        assert len(notices) == 1
        assert len(await cases(one)) == 6
