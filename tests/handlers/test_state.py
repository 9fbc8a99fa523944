"""Drafts stored before the typed conversation state (a plain dict, version 1) resume after the upgrade."""

from __future__ import annotations

import time

from sqlmodel import select

from bot.core import Core
from handlers.state import ConversationState, Urgency, load_conversation
from storage.cases import open_body
from storage.drafts import load_state, save_state
from storage.models import Case
from tests.chat_driver import CoreChat
from tests.recording_sender import RecordingSender

# exactly what the engine stored before: the danger said in free text lived among the answers
ADULT_DRAFT_V1 = {
    "locale": "vi", "flow": "report", "step": "description",
    "answers": {
        "relation": "neighbour", "category": "physical", "age_band": "6-10", "sex": "girl", "danger": "no",
        "place_query": None, "place_code": "00070", "address": "Ngõ 5", "danger_detected": True,
    },
    "history": ["relation", "category", "age_band", "sex", "danger", "place", "place_confirm", "address"],
    "trace": [["901", int(time.time()) - 60]],  # still deletable by a wipe
    "photos": 0, "case_code": None, "matches": ["00070"],
}


async def _seal(core: Core, handle: str, stored: dict[str, object]) -> None:
    async with core.db.transaction() as session:
        await save_state(session, core.vault, handle, stored)


async def test_an_adults_draft_from_before_the_upgrade_resumes_and_stays_urgent(core: Core) -> None:
    chat = CoreChat(core)
    await _seal(core, chat.handle, ADULT_DRAFT_V1)
    await chat.send("Bé bị đánh hằng ngày")  # the description the old draft was waiting for
    await chat.choose("Bỏ qua")  # photos
    review = await chat.choose("Có, được nhắn lại")
    assert "Ngõ 5" in review and "Bé bị đánh hằng ngày" in review
    receipt = await chat.choose("Gửi tin báo")
    assert "Mã tin báo: TE-" in receipt and "113" in receipt, "urgent: the receipt gives 113"
    sender = RecordingSender()
    await core.dispatcher({"telegram": sender}).run_once()
    assert any("KHẨN CẤP" in d.message.text for d in sender.deliveries)
    async with core.db.session() as session:
        case = (await session.exec(select(Case))).one()
        body = await open_body(session, core.vault, case)
    assert case.urgent and case.unit_code == "00070" and body["danger_words"] is True


async def test_a_childs_draft_with_its_open_case_resumes_on_that_case(core: Core) -> None:
    chat = CoreChat(core)
    await chat.send("/help")
    await chat.choose("Có, em đang gặp nguy hiểm")  # the urgent case exists now
    async with core.db.session() as session:
        [case] = (await session.exec(select(Case))).all()
        current = await load_conversation(session, core.vault, chat.handle)
    assert current is not None and current.case is not None and current.urgency == [Urgency.ASKED]
    old = {  # the same moment as the old engine stored it
        "locale": "vi", "flow": "child", "step": current.step, "answers": {"child_danger": "yes"},
        "history": current.history, "trace": [], "photos": 0,
        "case_code": current.case.code, "case_secret": current.case.secret,
    }
    await _seal(core, chat.handle, old)
    await chat.send("hoàn kiếm")
    await chat.choose("Phường Hoàn Kiếm")
    thanks = await chat.choose("Có")
    assert current.case.code in thanks and current.case.secret in thanks
    async with core.db.session() as session:
        [amended] = (await session.exec(select(Case))).all()
    assert (amended.id, amended.urgent, amended.place_code, amended.contact_allowed) == (case.id, True, "00070", True)


async def test_the_upgraded_draft_is_stored_in_the_new_shape_and_reads_back_equal(core: Core) -> None:
    chat = CoreChat(core)
    await _seal(core, chat.handle, ADULT_DRAFT_V1)
    await chat.send("Bé bị đánh")
    async with core.db.session() as session:
        stored = await load_state(session, core.vault, chat.handle)
    assert stored is not None and stored["version"] == 2 and "danger_detected" not in stored["answers"]
    state = ConversationState.from_stored(stored)
    assert state.urgency == [Urgency.SAID] and state.step == "photos" and state.trace[0][0] == "901"
    assert ConversationState.from_stored(state.to_stored()) == state
