"""After the report: the officer asks, the anonymous reporter answers; /tracuu with code and secret; the
officer's desk (notes, transfer, reassign, close) and its refusals across units."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.core import Core
from handlers.messages import Channel
from storage.models import Case, CaseMessage, CaseStatus
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import HOA, LAN, OTHER_GROUP, ZALO_OFFICER
from tests.recording_sender import Delivery, RecordingSender


class Desk:
    """The core, a reporter, Lan at her private chat, and the outbox drained into a recorder."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.sender = RecordingSender()
        self.outbox = core.dispatcher({"telegram": self.sender, "zalo": self.sender, "terminal": self.sender})
        self.reporter = CoreChat(core, user="reporter")
        self.lan = CoreChat(core, user="lan")  # Lan's terminal login: an officer's private chat
        self.hoa = CoreChat(core, user="hoa")  # an officer of another province
        self.seen = 0

    async def drain(self) -> list[Delivery]:
        while await self.outbox.run_once():
            pass
        new, self.seen = self.sender.deliveries[self.seen:], len(self.sender.deliveries)
        return new

    async def case(self, code: str) -> Case:
        async with self.core.db.session() as session:
            found = (await session.exec(select(Case).where(col(Case.code) == code))).first()
        assert found is not None
        return found


@pytest.fixture
async def desk(core: Core) -> AsyncIterator[Desk]:
    yield Desk(core)


async def _submit(desk: Desk, **kwargs: object) -> tuple[str, str]:
    await report_until_review(desk.reporter, **kwargs)  # type: ignore[arg-type]
    receipt = await desk.reporter.choose("Gửi tin báo")
    code = receipt.split("Mã tin báo: ")[1].split()[0]
    secret = receipt.split("Mật mã theo dõi: ")[1].split()[0]
    await desk.drain()
    return code, secret


async def test_officer_asks_reporter_answers_and_neither_learns_who_the_other_is(desk: Desk) -> None:
    code, _ = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    reply = await officer_press(desk.core, "lan", f"ask:{code}")
    assert "câu hỏi" in (reply.toast or "")
    answer = await desk.lan.send("Bé đang ở đâu lúc này?")
    assert "Đã gửi câu hỏi" in answer
    question = [d for d in await desk.drain() if d.envelope.address == "chat-reporter"]
    assert len(question) == 1 and "Bé đang ở đâu lúc này?" in question[0].message.text
    assert "Lan" not in question[0].message.text and str(LAN) not in question[0].message.text, "no officer identity"
    ack = await desk.reporter.send("Bé ở nhà bà ngoại, ngõ 7")
    assert "Đã gửi tới cán bộ" in ack
    to_lan = [d for d in await desk.drain() if d.envelope.address == str(LAN)]
    assert len(to_lan) == 1 and "Bé ở nhà bà ngoại, ngõ 7" in to_lan[0].message.text
    assert "reporter" not in to_lan[0].message.text and desk.reporter.handle not in to_lan[0].message.text
    async with desk.core.db.session() as session:
        raw = (await session.exec(text("SELECT body_ct FROM case_message"))).all()  # type: ignore[call-overload]
        stored = (await session.exec(select(CaseMessage))).all()
    assert len(stored) == 2 and all(b"ngo\xcc" not in r[0] and "ngõ 7".encode() not in r[0] for r in raw), "sealed"
    page = (await officer_press(desk.core, "lan", f"view:{code}"), await desk.drain())[1]
    assert "Bé ở nhà bà ngoại" in page[0].message.text and "Bé đang ở đâu" in page[0].message.text


async def test_tracuu_with_the_secret_after_wiping_the_chat(desk: Desk) -> None:
    code, secret = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await officer_press(desk.core, "lan", f"ask:{code}")
    await desk.lan.send("Có người lớn nào biết chuyện không?")
    await desk.reporter.send("/xoa")  # the phone is wiped; the question waits in the case
    other_phone = CoreChat(desk.core, user="someone-else")
    assert "mã tin báo" in await other_phone.send("/tracuu")
    assert "mật mã" in await other_phone.send(code.lower())
    shown = await other_phone.send(secret.replace("-", " "))
    assert "đang xử lý" in shown and "Có người lớn nào biết chuyện không?" in shown
    assert "Không có tin nhắn mới" in (await other_phone.send("/tracuu"), await other_phone.send(code),
                                       await other_phone.send(secret))[2], "read once, then not new"
    await other_phone.choose("Trả lời")
    await other_phone.send("Cô giáo chủ nhiệm biết")
    assert [d for d in await desk.drain() if "Cô giáo chủ nhiệm biết" in d.message.text and d.envelope.address == str(LAN)]


async def test_reporter_can_stop_contact_then_officers_cannot_ask(desk: Desk) -> None:
    code, secret = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await desk.reporter.send("/tracuu")
    await desk.reporter.send(code)
    await desk.reporter.send(secret)
    assert "sẽ không nhắn" in await desk.reporter.choose("Đừng liên lạc")
    case = await desk.case(code)
    assert not case.contact_allowed and case.reply_address_ct is None, "the sealed chat address is gone too"
    assert "không đồng ý" in ((await officer_press(desk.core, "lan", f"ask:{code}")).toast or "")


async def test_reporter_adds_information_and_a_photo_later(desk: Desk) -> None:
    import io

    from PIL import Image

    code, secret = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await desk.reporter.send("/tracuu")
    await desk.reporter.send(code)
    await desk.reporter.send(secret)
    await desk.reporter.choose("Trả lời / bổ sung")
    await desk.reporter.send("Hôm nay lại nghe tiếng khóc")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    assert "Đã gửi" in await desk.reporter.send_photo(out.getvalue())
    sent = [d for d in await desk.drain() if d.envelope.address == str(LAN)]
    assert len(sent) == 2 and "tiếng khóc" in sent[0].message.text
    limit = desk.core.services.limits.max_photos  # each photo is decoded and sealed: a case takes so many a day
    for _ in range(limit - 1):
        assert "Đã gửi" in await desk.reporter.send_photo(out.getvalue())
    assert f"đã nhận {limit} ảnh bổ sung trong 24 giờ qua" in await desk.reporter.send_photo(out.getvalue())
    assert len([d for d in await desk.drain() if d.envelope.address == str(LAN)]) == limit - 1


async def test_another_units_officer_can_neither_see_nor_act_by_button_or_command(desk: Desk) -> None:
    code, _ = await _submit(desk)
    for action in ("view", "note", "ask", "assign", "transfer", "dup", "close", "to_assessed", "release"):
        value = f"{action}:{code}" + (":unfounded" if action == "close" else "")
        reply = await officer_press(desk.core, "hoa", value)
        assert "Xin lỗi" in (reply.toast or ""), value
    assert "Không tìm thấy" in await desk.hoa.send(f"/case {code}")
    assert code not in await desk.hoa.send("/cases")
    assert not [d for d in await desk.drain() if d.envelope.address == str(HOA)]
    assert (await desk.case(code)).status == CaseStatus.RECEIVED


async def test_status_transitions_allowed_and_refused(desk: Desk) -> None:
    code, _ = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    refused = await officer_press(desk.core, "lan", f"close:{code}:safe")
    assert "sau bước thực hiện" in (refused.toast or "")
    for step in ("to_assessed", "to_detailed_assessment", "to_plan_drafted", "to_plan_approved", "to_monitoring"):
        assert not (await officer_press(desk.core, "lan", f"{step}:{code}")).toast_alert, step
    assert "Đã kết thúc" in ((await officer_press(desk.core, "lan", f"close:{code}:safe")).toast or "")
    case = await desk.case(code)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "safe") and case.closed_at is not None
    assert (await officer_press(desk.core, "lan", f"to_assessed:{code}")).toast_alert, "nothing moves a closed case"
    cards = [d for d in await desk.drain() if d.envelope.purpose == "alert_edit"]
    assert len(cards) == 1 and "Đã đóng" in cards[0].message.text, "the card follows the case; stale edits are dropped"


async def test_notes_transfer_and_reassign(desk: Desk) -> None:
    code, _ = await _submit(desk)
    await officer_press(desk.core, "lan", f"note:{code}")
    assert "Đã lưu ghi chú" in await desk.lan.send("Đã gọi cho trường, chờ phản hồi")
    assert "Chỉ người đã nhận" in ((await officer_press(desk.core, "lan", f"assign:{code}:2")).toast or ""), "not hers yet"
    await officer_press(desk.core, "lan", f"ack:{code}")
    choose = await officer_press(desk.core, "lan", f"assign:{code}")
    assert "Giao" in (choose.toast or "") and [c.label for c in choose.messages[0].choices] == ["Nguyễn Thị Lan", "Phạm Văn Dũng"]
    assert "Đã giao" in ((await officer_press(desk.core, "lan", f"assign:{code}:2")).toast or "")
    told = [d for d in await desk.drain() if d.envelope.address == ZALO_OFFICER and "đã giao" in d.message.text]
    assert told, "Dũng hears on Zalo that it is his now"
    # Dũng finds it is the wrong commune: transfer to the unit of province 79
    dung = CoreChat(desk.core, user=ZALO_OFFICER, channel=Channel.ZALO)
    await officer_press(desk.core, ZALO_OFFICER, f"transfer:{code}", channel=Channel.ZALO)
    assert "Đã chuyển" in await dung.send("79")
    case = await desk.case(code)
    assert (case.unit_code, case.status, case.acknowledged_by) == ("79", CaseStatus.RECEIVED, None)
    assert [d for d in await desk.drain() if d.envelope.address == str(OTHER_GROUP) and d.envelope.purpose == "alert"]


def test_zalo_officers_type_every_action_with_its_argument() -> None:
    from bot.channels.zalo import render
    from handlers.messages import Choice, Outbound
    from handlers.officers.actions import typed_action

    assert typed_action("Đóng te 7k3mq unfounded") == "close:TE-7K3MQ:unfounded"
    assert typed_action("giao TE-7K3MQ 2") == "assign:TE-7K3MQ:2"
    assert typed_action("ghichu TE-7K3MQ") == "note:TE-7K3MQ"
    assert typed_action("xin chào TE-7K3MQ") is None
    shown = "\n".join(render(Outbound("Kết thúc?", (Choice("close:TE-7K3MQ:unfounded", "Không có cơ sở"),)), "vi"))
    assert "«dong TE-7K3MQ unfounded» — Không có cơ sở" in shown


async def test_a_purged_case_says_so_instead_of_failing(desk: Desk) -> None:
    from datetime import timedelta

    from storage.models import utcnow
    from storage.retention import Retention, purge_expired

    code, _ = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await officer_press(desk.core, "lan", f"close:{code}:unfounded")
    retention = Retention.from_days(unfounded=90, duplicate=90, handled=1826)
    purged = await purge_expired(desk.core.db, desk.core.vault, now=utcnow() + timedelta(days=91), retention=retention, dry_run=False)
    assert [p.code for p in purged] == [code]
    assert "xoá vĩnh viễn" in await desk.lan.send(f"/case {code}")
    assert (await desk.case(code)).category == "physical", "statistics columns stay"
