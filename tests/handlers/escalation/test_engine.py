"""The escalation chain, the ack timeout and the Decree-56 clocks, on a real database with an injected clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.core import Core, build_core
from bot.scheduler import TimerWorker
from handlers.escalation.auditor import page_overdue
from handlers.escalation.handoff import announce_handoffs
from storage.models import Case, CaseEvent, CaseStatus, Escalation, EventKind
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, PROVINCE_GROUP, ZALO_OFFICER
from tests.escalation_setup import (
    LEADER,
    NATIONAL_CHAT,
    POLICE_CHAT,
    Clock,
    escalation_deployment,
    write_deployment,
)
from tests.recording_sender import Delivery, RecordingSender


class World:
    """The core with a hand-moved clock, its timer worker and a sender that records what goes out."""

    def __init__(self, core: Core, clock: Clock) -> None:
        self.core, self.clock = core, clock
        self.sender = RecordingSender()
        self.outbox = core.dispatcher({"telegram": self.sender, "zalo": self.sender, "terminal": self.sender})
        self.timers = TimerWorker(core.services)
        self.seen = 0

    async def run(self, **delta: Any) -> list[Delivery]:
        """Moves the clock, lets due steps fire and the outbox drain; returns what was sent meanwhile."""
        self.clock.advance(**delta)
        await self.timers.tick()
        while await self.outbox.run_once():
            pass
        new, self.seen = self.sender.deliveries[self.seen:], len(self.sender.deliveries)
        return new

    async def report(self, **kwargs: Any) -> str:
        chat = CoreChat(self.core, user=f"reporter-{len(self.sender.deliveries)}")
        await report_until_review(chat, **kwargs)
        await chat.choose("Gửi tin báo")
        async with self.core.db.session() as session:
            case = (await session.exec(select(Case).order_by(col(Case.received_at).desc()))).first()
        assert case is not None
        return case.code

    async def case(self, code: str) -> Case:
        async with self.core.db.session() as session:
            found = (await session.exec(select(Case).where(col(Case.code) == code))).first()
        assert found is not None
        return found

    async def timeline(self, code: str) -> list[tuple[str, str | None]]:
        case = await self.case(code)
        async with self.core.db.session() as session:
            rows = await session.exec(select(CaseEvent).where(col(CaseEvent.case_id) == case.id).order_by(col(CaseEvent.at)))
            return [(e.kind, e.detail) for e in rows.all()]


def to(deliveries: list[Delivery], address: object) -> list[Delivery]:
    return [d for d in deliveries if d.envelope.address == str(address)]


@pytest.fixture
async def world(make_settings, database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    marker = request.node.get_closest_marker("deployment")
    text = marker.args[0] if marker else escalation_deployment()
    core = await build_core(make_settings(database_url, deployment_file=write_deployment(tmp_path, text)), demo=False)
    clock = Clock()
    core.services.clock = clock
    built = World(core, clock)
    await built.run()  # the handoff job has not run: nothing is out yet
    try:
        yield built
    finally:
        await core.db.dispose()


async def test_nobody_takes_it_duty_officer_then_backup_and_leader_then_province(world: World) -> None:
    code = await world.report()
    first = await world.run()
    assert [d.envelope.address for d in first if d.envelope.purpose == "alert"] == [str(COMMUNE_GROUP)]
    assert not to(first, LAN), "the duty officer is not messaged privately before the first wait"
    assert not await world.run(minutes=29)
    step = await world.run(minutes=1)
    lan = to(step, LAN)
    assert len(lan) == 1 and "Chưa có ai nhận xử lý sau 30 phút" in lan[0].message.text and code in lan[0].message.text
    assert [c.value for c in lan[0].message.choices] == [f"ack:{code}", f"view:{code}"]
    step = await world.run(minutes=30)
    assert to(step, ZALO_OFFICER) and to(step, LEADER), "backup (Dũng, on Zalo) and the chairperson at 1 h"
    step = await world.run(hours=1)
    province = to(step, PROVINCE_GROUP)
    assert len(province) == 1 and "Chưa có ai nhận xử lý sau 2 giờ 0 phút" in province[0].message.text
    sent = [d for kind, d in await world.timeline(code) if kind == EventKind.STEP_SENT]
    assert sent == ["chain#0 alert: group", "chain#1 alert: duty_officer", "chain#2 alert: backup, leader", "chain#3 alert: parent_group"]


async def test_repeats_are_capped(world: World) -> None:
    await world.report()
    await world.run(hours=2)
    repeats = [len(to(await world.run(hours=1), PROVINCE_GROUP)) for _ in range(5)]
    assert repeats == [1, 1, 0, 0, 0], "the last step twice more, an hour apart, then silence"


async def test_acknowledging_after_the_first_step_stops_every_notification(world: World) -> None:
    code = await world.report()
    await world.run(minutes=30)
    reply = await officer_press(world.core, "lan", f"ack:{code}")
    assert "Bạn đã nhận xử lý" in (reply.toast or "")
    after = await world.run(minutes=1)
    assert {d.envelope.purpose for d in after} == {"alert_edit"}, "only the card edited in place"
    assert "Nguyễn Thị Lan" in after[0].message.text
    assert not await world.run(hours=3), "no step of the chain goes out after the acknowledgement"
    case = await world.case(code)
    assert case.first_acknowledged_at == world.clock.now - __import__("datetime").timedelta(hours=3, minutes=1)


async def test_acknowledgement_cancels_notices_not_yet_sent(world: World) -> None:
    code = await world.report()
    await world.run()
    world.clock.advance(hours=2)
    await world.timers.tick()  # duty officer, backup, leader, province: written, not sent yet
    await officer_press(world.core, "lan", f"ack:{code}")
    sent = await world.run()
    assert {d.envelope.purpose for d in sent} <= {"alert_edit"}, [d.envelope.purpose for d in sent]
    assert ("step_cancelled", "chain: acknowledged; 4 unsent") in await world.timeline(code)


async def test_ack_timeout_gives_the_case_back_and_still_working_resets_it(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    await world.run(hours=3)
    assert "Đã ghi nhận" in ((await officer_press(world.core, "lan", f"work:{code}")).toast or "")
    assert not [d for d in await world.run(hours=3, minutes=59) if d.envelope.purpose != "alert_edit"]
    timed_out = await world.run(minutes=1)
    lan = to(timed_out, LAN)
    assert len(lan) == 1 and "chưa có cập nhật nào" in lan[0].message.text, "Lan is owner and on duty: told once"
    assert to(timed_out, COMMUNE_GROUP), "the group gets the card again"
    case = await world.case(code)
    assert case.status == CaseStatus.RECEIVED and case.acknowledged_by is None
    assert case.first_acknowledged_at is not None, "time-to-acknowledge keeps the first acknowledgement"
    assert (EventKind.ACK_TIMED_OUT, None) in await world.timeline(code)


async def test_release_gives_the_case_back_and_the_chain_starts_again(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    reply = await officer_press(world.core, "lan", f"release:{code}")
    assert "trả" in (reply.toast or "")
    again = await world.run()
    assert [d for d in to(again, COMMUNE_GROUP) if d.envelope.purpose == "alert"], "a fresh card in the group"
    assert to(await world.run(minutes=30), LAN), "and the duty officer 30 minutes later"


async def test_only_the_owner_moves_the_case_and_only_one_step_at_a_time(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    assert "Không thực hiện được" in ((await officer_press(world.core, "lan", f"to_plan_drafted:{code}")).toast or "")
    assert "Xin lỗi" in ((await officer_press(world.core, "hoa", f"to_assessed:{code}")).toast or ""), "another province"
    assert (await world.case(code)).status == CaseStatus.ACKNOWLEDGED
    assert "Đã đánh giá ban đầu" in ((await officer_press(world.core, "lan", f"to_assessed:{code}")).toast or "")
    case = await world.case(code)
    assert case.status == CaseStatus.ASSESSED and case.assessed_at == world.clock.now


@pytest.mark.deployment(escalation_deployment('ack_timeout_normal = "24h"'))
async def test_assessment_deadline_reminds_then_escalates_to_leader_and_province(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    await world.run(hours=9, minutes=59)
    reminder = to(await world.run(minutes=1), LAN)
    assert len(reminder) == 1 and "Đánh giá ban đầu (12 giờ)" in reminder[0].message.text and "còn 2 giờ 0 phút" in reminder[0].message.text
    assert "còn 30 phút" in to(await world.run(hours=1, minutes=30), LAN)[0].message.text
    missed = await world.run(minutes=30)
    assert "QUÁ HẠN" in to(missed, LEADER)[0].message.text or "quá hạn" in to(missed, LEADER)[0].message.text
    assert [d for d in to(missed, COMMUNE_GROUP) if "QUÁ HẠN" in d.message.text], "the card shows it overdue"
    assert to(await world.run(hours=1), PROVINCE_GROUP), "an hour later, the province"


@pytest.mark.deployment(escalation_deployment('ack_timeout_normal = "24h"'))
async def test_assessment_in_time_stops_its_clock(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    await officer_press(world.core, "lan", f"to_assessed:{code}")
    quiet = await world.run(hours=13)
    assert not [d for d in quiet if d.envelope.purpose == "deadline"]
    assert ("step_cancelled", "assessment: met") in await world.timeline(code)


async def test_plan_deadline_counts_working_days_and_skips_the_holiday(world: World) -> None:
    code = await world.report()  # Monday 2 November 2026, 09:00
    async with world.core.db.session() as session:
        case = await world.case(code)
        plan = (await session.exec(select(Escalation).where(col(Escalation.case_id) == case.id, col(Escalation.track) == "plan"))).one()
    # Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 → due at the end of Monday 9 November (local), 17:00 UTC
    assert plan.anchor.isoformat() == "2026-11-09T17:00:00+00:00"


@pytest.mark.deployment(escalation_deployment(rosters="""
[[rosters]]
unit = "00070"
rotation = ["Nguyễn Thị Lan", "Phạm Văn Dũng"]
start = 2026-11-02

[[rosters.cover]]
from = 2026-11-02T08:00:00
until = 2026-11-02T18:00:00
"""))
async def test_a_step_with_nobody_on_duty_is_skipped_not_waited_out(world: World) -> None:
    code = await world.report()
    await world.run()
    step = await world.run(minutes=30)
    assert to(step, LEADER), "the next step (backup and chairperson) went at once, not at 1 h"
    assert ("step_skipped", "chain#1 alert: duty_officer(nobody_on_duty)") in await world.timeline(code)


async def test_suspected_crime_tells_the_police_at_once_without_buttons(world: World) -> None:
    code = await world.report(category="Xâm hại tình dục")
    police = to(await world.run(), POLICE_CHAT)
    assert len(police) == 1 and "công an" in police[0].message.text and not police[0].message.choices
    assert "Ngõ 5" not in police[0].message.text and "Bé bị đánh" not in police[0].message.text, "no narrative"
    assert (await world.case(code)).suspected_crime
    assert not to(await world.run(), POLICE_CHAT)


@pytest.mark.deployment(escalation_deployment("""
[policies.default.urgent]
steps = [{ after = "0s", notify = "group" }, { after = "30m", notify = "national" }]
"""))
async def test_urgent_cases_use_their_own_chain(world: World) -> None:
    await world.report(danger=True)
    await world.run()
    assert to(await world.run(minutes=30), NATIONAL_CHAT)


@pytest.mark.deployment(escalation_deployment("""
[policies.default.urgent]
steps = [{ after = "0s", notify = "group" }, { after = "1.5s", notify = "duty_officer" }]
"""))
async def test_a_fractional_wait_is_kept_exactly_in_the_cases_snapshot(world: World) -> None:
    """The snapshot used to cut "1.5s" to "1s": the step fired early (and "0.5s" became an invalid "0s")."""
    code = await world.report(danger=True)
    await world.run()
    assert '"1.5s"' in (await world.case(code)).policy
    assert not to(await world.run(seconds=1), LAN)
    assert to(await world.run(seconds=0.5), LAN)


async def test_auditor_pages_the_province_once_for_a_late_step(world: World) -> None:
    code = await world.report()
    await world.run()
    world.clock.advance(minutes=32)  # the 30-minute step is 2 minutes late: no worker ran
    assert await page_overdue(world.core.services) == 1
    assert await page_overdue(world.core.services) == 0, "paged once per late row"
    await world.timers.tick()
    while await world.outbox.run_once():
        pass
    page = [d for d in to(world.sender.deliveries, PROVINCE_GROUP) if "trễ" in d.message.text]
    assert len(page) == 1 and code in page[0].message.text
    assert to(world.sender.deliveries, LAN), "the late step still fired, once"


async def test_handoff_tells_the_new_duty_officer_the_open_cases(world: World) -> None:
    code = await world.report()
    await world.run()
    assert await announce_handoffs(world.core.services) == 1  # Lan, on duty since 07:30
    assert await announce_handoffs(world.core.services) == 0
    world.clock.advance(hours=23)  # Tuesday 08:00: Dũng's day
    assert await announce_handoffs(world.core.services) == 1
    sent = await world.run()
    handoff = [d for d in to(sent, ZALO_OFFICER) if d.envelope.purpose == "handoff"]
    assert len(handoff) == 1 and code in handoff[0].message.text and "UBND phường Hoàn Kiếm" in handoff[0].message.text


@pytest.mark.deployment(escalation_deployment('ack_timeout_normal = "24h"'))
async def test_separation_runs_fifteen_days_reminds_and_can_be_extended(world: World) -> None:
    code = await world.report()
    await world.run()
    for action in ("ack", "to_assessed", "to_protecting"):
        await officer_press(world.core, "lan", f"{action}:{code}")
    await world.run(days=12, hours=23)
    reminder = [d for d in to(await world.run(hours=1), LAN) if "cách ly" in d.message.text]
    assert len(reminder) == 1 and "còn 2 ngày" not in reminder[0].message.text and "48 giờ 0 phút" in reminder[0].message.text
    assert "gia hạn" in ((await officer_press(world.core, "lan", f"extend:{code}")).toast or "")
    assert not [d for d in await world.run(days=3) if "cách ly" in d.message.text], "not due on day 15 any more"
    assert [d for d in to(await world.run(days=12), LAN) if "cách ly" in d.message.text], "reminded before day 30"
    await officer_press(world.core, "lan", f"to_detailed_assessment:{code}")
    for action in ("to_plan_drafted", "to_plan_approved", "to_monitoring"):
        assert (await officer_press(world.core, "lan", f"{action}:{code}")).toast_alert is False
    assert ("step_cancelled", "separation: met") in await world.timeline(code)


@pytest.mark.deployment(escalation_deployment('ack_timeout_normal = "24h"'))
async def test_a_missed_deadline_in_the_province_group_stays_a_notice_after_the_case_moves(world: World) -> None:
    code = await world.report()
    await world.run()
    await officer_press(world.core, "lan", f"ack:{code}")
    province = [d for d in to(await world.run(hours=13), PROVINCE_GROUP) if "quá hạn" in d.message.text]
    assert len(province) == 1 and province[0].envelope.purpose == "deadline"
    await officer_press(world.core, "lan", f"to_assessed:{code}")
    edits = [d for d in await world.run() if d.envelope.purpose == "alert_edit"]
    assert {d.envelope.address for d in edits} == {str(COMMUNE_GROUP)}, "only the card is edited, not the notice"
