"""Danger wherever it is said: "the officers were told" only once a case and its alert are committed."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from storage.cases import open_body
from storage.follow_up import case_messages
from storage.models import Case, CaseStatus, Escalation, EscalationState, MessageDirection
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import COMMUNE_GROUP, LAN, PROVINCE_GROUP
from tests.recording_sender import RecordingSender

TOLD_CHILD, TOLD_ADULT = "Mình đã báo ngay cho cô chú", "đã được chuyển ngay cho cán bộ"


async def _cases(core: Core) -> list[Case]:
    async with core.db.session() as session:
        return list((await session.exec(select(Case).order_by(Case.received_at))).all())


async def _cards(core: Core, group: int) -> list[str]:
    sender = RecordingSender()
    await core.dispatcher({"telegram": sender}).run_once()
    return [d.message.text for d in sender.to(str(group))]


async def _child_submits_a_normal_case(chat: CoreChat) -> None:
    await chat.send("/help")
    await chat.choose("Không")
    await chat.choose("Em bị bỏ một mình, không được cho ăn")
    await chat.send("Bố mẹ đi làm xa")
    await chat.send("hoàn kiếm")
    await chat.choose("Phường Hoàn Kiếm")
    assert "Mã của em" in await chat.choose("Có")


async def test_danger_words_as_the_first_message_open_an_urgent_case_before_saying_so(core: Core) -> None:
    chat = CoreChat(core)
    answer = await chat.send("cứu em với, bố đang đánh em")
    assert "111" in answer and "113" in answer and TOLD_CHILD in answer
    [case] = await _cases(core)
    assert case.urgent and case.status == CaseStatus.RECEIVED and case.unit_code == "01"
    async with core.db.session() as session:
        assert (await open_body(session, core.vault, case))["description"] == "cứu em với, bố đang đánh em"
    [card] = await _cards(core, PROVINCE_GROUP)
    assert "KHẨN CẤP" in card and "bố đang đánh" not in card, "a group card carries no narrative"
    assert "xã hay phường" in chat.last[-1].text, "then where: the answers amend the same case"
    await chat.send("hoàn kiếm")
    await chat.choose("Phường Hoàn Kiếm")
    [case] = await _cases(core)
    assert case.unit_code == "00070"


async def test_danger_words_at_the_menu_after_start(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/start")
    assert TOLD_CHILD in await chat.send("em muốn chết")
    [case] = await _cases(core)
    assert case.urgent
    assert len(await _cards(core, PROVINCE_GROUP)) == 1


async def test_danger_words_in_the_middle_of_an_adults_report_open_the_case_at_once(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/start")
    await chat.choose("Báo tin về một bạn nhỏ")
    await chat.choose("Hàng xóm")
    await chat.choose("Bạo lực thể chất")
    answer = await chat.send("bé đang bị nhốt trong nhà")  # typed at the age question
    assert TOLD_ADULT in answer and "113" in answer
    [case] = await _cases(core)
    assert case.urgent and (case.category, case.age_band) == ("physical", "unknown")
    assert len(await _cards(core, PROVINCE_GROUP)) == 1
    await chat.choose("6–10 tuổi")  # the flow goes on where it was, and amends the same case
    await chat.choose("Bé gái")
    await chat.choose("Không")
    await chat.choose("Bỏ qua")  # where it happened
    await chat.send("hoan kiem")
    await chat.choose("Phường Hoàn Kiếm")
    await chat.send("Ngõ 5")
    await chat.send("Bé bị đánh hằng ngày")
    await chat.choose("Bỏ qua")
    await chat.choose("Có, được nhắn lại")
    receipt = await chat.choose("Gửi tin báo")
    [case] = await _cases(core)
    assert case.code in receipt and "113" in receipt
    assert (case.age_band, case.place_code, case.unit_code, case.urgent) == ("6-10", "00070", "00070", True)


async def test_danger_after_a_submitted_report_raises_that_case(core: Core) -> None:
    chat = CoreChat(core)
    await _child_submits_a_normal_case(chat)
    [case] = await _cases(core)
    assert not case.urgent
    [first] = await _cards(core, COMMUNE_GROUP)
    assert "KHẨN CẤP" not in first
    answer = await chat.send("cứu em, bố đang đánh em")
    assert TOLD_CHILD in answer and "Bạn muốn làm gì" in chat.last[-1].text
    [case] = await _cases(core)  # no second case: the open one is raised
    assert case.urgent
    sender = RecordingSender()
    await core.dispatcher({"telegram": sender}).run_once()
    edited = [d for d in sender.to(str(COMMUNE_GROUP)) if d.envelope.edit_message_id]
    assert edited and "KHẨN CẤP" in edited[-1].message.text and "bố đang đánh" not in edited[-1].message.text
    async with core.db.session() as session:
        chain = (await session.exec(select(Escalation).where(Escalation.case_id == case.id, Escalation.track == "chain"))).one()
        words = await case_messages(session, core.vault, case, directions=(MessageDirection.FROM_REPORTER,))
    assert chain.state == EscalationState.PENDING and chain.step > 0, "the urgent chain runs again, from its card"
    assert [text for _, text in words] == ["cứu em, bố đang đánh em"]


async def test_danger_after_submitting_reaches_the_officer_who_took_the_case(core: Core) -> None:
    chat = CoreChat(core)
    await _child_submits_a_normal_case(chat)
    [case] = await _cases(core)
    await officer_press(core, "lan", f"ack:{case.code}")
    await _cards(core, COMMUNE_GROUP)  # what the acknowledgement sent
    await chat.send("bo dang danh em")  # without diacritics
    sender = RecordingSender()
    await core.dispatcher({"telegram": sender}).run_once()
    [private] = [d for d in sender.to(str(LAN)) if "bo dang danh em" in d.message.text]
    assert case.code in private.message.text
    [case] = await _cases(core)
    assert case.urgent and case.status == CaseStatus.ACKNOWLEDGED


async def test_help_in_the_middle_of_an_adults_report_goes_to_the_childs_flow_at_once(core: Core) -> None:
    chat = CoreChat(core)
    await report_until_review(chat)
    answer = await chat.send("/help")
    assert "Ngay lúc này em có đang gặp nguy hiểm" in answer and "đang điền dở" not in answer
    await chat.choose("Có, em đang gặp nguy hiểm")
    [case] = await _cases(core)
    assert case.reporter_kind == "child" and case.urgent, "the adult's draft was dropped, not submitted"
