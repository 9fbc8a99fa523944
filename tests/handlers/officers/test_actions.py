"""Alert buttons: only officers of the case's unit or its province may press; details go private, audited."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from storage.audit import verify_chain
from storage.models import AuditEntry, Case, CaseEvent, CaseStatus
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import COMMUNE_GROUP
from tests.recording_sender import RecordingSender


async def _submitted(core: Core) -> str:
    chat = CoreChat(core)
    await report_until_review(chat, description="narrative for officers only")
    receipt = await chat.choose("Gửi tin báo")
    return receipt.split("Mã tin báo: ")[1].split()[0]


async def test_officer_of_another_unit_is_refused_and_nothing_changes(core: Core) -> None:
    code = await _submitted(core)
    refused = await officer_press(core, "hoa", f"ack:{code}")
    assert refused.toast_alert and "chỉ cán bộ được phân công" in (refused.toast or "")
    refused = await officer_press(core, "stranger", f"view:{code}")
    assert "chỉ cán bộ được phân công" in (refused.toast or "")
    async with core.db.session() as session:
        case = (await session.exec(select(Case))).one()
        assert case.status == CaseStatus.RECEIVED and case.acknowledged_by is None
        denied = (await session.exec(select(AuditEntry))).all()
        assert [e.action for e in denied] == ["denied:ack"]


async def test_acknowledge_edits_the_card_once_and_a_second_press_is_told_who_took_it(core: Core) -> None:
    code = await _submitted(core)
    sender = RecordingSender()
    outbox = core.dispatcher({"telegram": sender, "terminal": sender})
    await outbox.run_once()
    taken = await officer_press(core, "lan", f"ack:{code}")
    assert taken.toast == f"Bạn đã nhận xử lý tin báo {code}."
    again = await officer_press(core, "lan", f"ack:{code}")
    assert "đã được Nguyễn Thị Lan nhận xử lý" in (again.toast or "")
    await outbox.run_once()
    card, edit = sender.to(str(COMMUNE_GROUP))
    assert edit.envelope.edit_message_id == "1"  # the card's own message, edited in place
    assert "✅ Nguyễn Thị Lan đã nhận xử lý lúc" in edit.message.text
    assert [c.label for c in edit.message.choices] == ["Xem chi tiết"]


async def test_view_details_goes_to_the_officers_private_chat_and_is_audited(core: Core) -> None:
    code = await _submitted(core)
    reply = await officer_press(core, "lan", f"view:{code}")
    assert "gửi riêng cho bạn" in (reply.toast or "")
    sender = RecordingSender()
    await core.dispatcher({"telegram": sender, "terminal": sender}).run_once()
    [details] = sender.to("officer-lan")
    assert "narrative for officers only" in details.message.text and "Ngõ 5" in details.message.text
    assert not any("narrative" in d.message.text for d in sender.to(str(COMMUNE_GROUP)))
    async with core.db.session() as session:
        assert [e.action for e in (await session.exec(select(AuditEntry))).all()] == ["view"]
        assert await verify_chain(session)
        kinds = [e.kind for e in (await session.exec(select(CaseEvent))).all()]
        assert "details_viewed" in kinds


async def test_province_supervisor_may_act_on_a_commune_case(core: Core) -> None:
    code = await _submitted(core)
    # Minh (province 01) has only a Telegram identity; press as Telegram user.
    from handlers.messages import Channel
    from tests.conftest import MINH

    reply = await officer_press(core, str(MINH), f"ack:{code}", channel=Channel.TELEGRAM)
    assert reply.toast == f"Bạn đã nhận xử lý tin báo {code}."


async def test_an_administrator_of_the_province_may_not_take_or_read_a_case(core: Core) -> None:
    from handlers.messages import Channel
    from tests.conftest import ADMIN

    code = await _submitted(core)
    for action in ("ack", "view"):
        reply = await officer_press(core, str(ADMIN), f"{action}:{code}", channel=Channel.TELEGRAM)
        assert "chỉ cán bộ được phân công" in (reply.toast or "")
    async with core.db.session() as session:
        assert (await session.exec(select(Case))).one().status == CaseStatus.RECEIVED
