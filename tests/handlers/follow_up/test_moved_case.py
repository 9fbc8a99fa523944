"""The reporter's words follow the case, not the question: after a transfer, a reassignment or a release,
an answer to an old question (and any later addition) reaches only whoever may read and answers for the
case now — never an officer who lost it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core import build_core
from handlers.messages import Channel
from tests.chat_driver import CoreChat, officer_press
from tests.conftest import DEPLOYMENT, HOA, LAN, MINH, ZALO_OFFICER
from tests.escalation_setup import Clock, write_deployment
from tests.handlers.follow_up.test_relay import Desk, _submit
from tests.recording_sender import Delivery

WROTE = "Người báo tin"
ROSTER_79 = """
[[rosters]]
unit = "79"
rotation = ["Lê Thị Hoa"]
handoff = "07:30"
start = 2026-11-02
"""


@pytest.fixture
async def desk(make_settings, database_url: str, tmp_path: Path) -> AsyncIterator[Desk]:  # type: ignore[no-untyped-def]
    """The shared deployment, with Hoa on duty for unit 79 all the time."""
    path = write_deployment(tmp_path, DEPLOYMENT + ROSTER_79)
    core = await build_core(make_settings(database_url, deployment_file=path), demo=False)
    core.services.clock = Clock()
    try:
        yield Desk(core)
    finally:
        await core.db.dispose()


def words_to(deliveries: list[Delivery], address: object, text: str) -> list[Delivery]:
    return [d for d in deliveries if d.envelope.address == str(address) and text in d.message.text]


async def _ask(desk: Desk, login: str, code: str, question: str, channel: Channel = Channel.TERMINAL) -> None:
    desk.core.services.clock.advance(minutes=1)  # type: ignore[attr-defined]  # questions in their order
    await officer_press(desk.core, login, f"ask:{code}", channel=channel)
    assert "Đã gửi câu hỏi" in await CoreChat(desk.core, user=login, channel=channel).send(question)
    assert [d for d in await desk.drain() if question in d.message.text and d.envelope.address == "chat-reporter"]


async def _add(desk: Desk, code: str, secret: str, text: str) -> None:
    await desk.reporter.send("/tracuu")
    await desk.reporter.send(code)
    await desk.reporter.send(secret)
    await desk.reporter.choose("Trả lời / bổ sung")
    assert "Đã gửi" in await desk.reporter.send(text)


async def test_after_a_transfer_the_words_reach_the_new_unit_and_not_the_old_officer(desk: Desk) -> None:
    code, secret = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await _ask(desk, "lan", code, "Bé đang ở đâu?")
    await officer_press(desk.core, "lan", f"ask:{code}")  # a second question begun…
    minh = CoreChat(desk.core, user=str(MINH), channel=Channel.TELEGRAM)
    await officer_press(desk.core, str(MINH), f"transfer:{code}", channel=Channel.TELEGRAM)
    assert "Đã chuyển" in await minh.send("79")  # …when the province moves the case to unit 79
    assert "Xin lỗi" in await desk.lan.send("Có ai biết chuyện không?"), "the question begun before is void"
    assert not [d for d in await desk.drain() if "Có ai biết chuyện" in d.message.text]

    assert "Đã gửi tới cán bộ" in await desk.reporter.send("Bé ở nhà bà ngoại")  # the answer to Lan's question
    out = await desk.drain()
    assert not words_to(out, LAN, "Bé ở nhà bà ngoại"), "Lan lost the case with the transfer"
    assert len(words_to(out, HOA, "Bé ở nhà bà ngoại")) == 1, "unit 79's duty officer reads it"
    assert WROTE in words_to(out, HOA, "Bé ở nhà bà ngoại")[0].message.text

    await officer_press(desk.core, "hoa", f"ack:{code}")
    await _add(desk, code, secret, "Tối nay bố lại về")
    out = await desk.drain()
    assert len(words_to(out, HOA, "Tối nay bố lại về")) == 1 and not words_to(out, LAN, "Tối nay bố lại về")


async def test_after_reassign_or_release_only_who_answers_for_the_case_hears(desk: Desk) -> None:
    code, secret = await _submit(desk)
    await officer_press(desk.core, "lan", f"ack:{code}")
    await _ask(desk, "lan", code, "Bé học lớp mấy?")
    assert "Đã giao" in ((await officer_press(desk.core, "lan", f"assign:{code}:2")).toast or "")  # to Dũng
    await desk.drain()
    await desk.reporter.send("Lớp 3")
    out = await desk.drain()
    assert words_to(out, ZALO_OFFICER, "Lớp 3") and not words_to(out, LAN, "Lớp 3"), "the new owner, not the asker"

    await _ask(desk, str(MINH), code, "Gia đình có ai khác không?", Channel.TELEGRAM)  # the province asks too
    await desk.reporter.send("Có bà ngoại")
    out = await desk.drain()
    assert words_to(out, MINH, "Có bà ngoại") and words_to(out, ZALO_OFFICER, "Có bà ngoại"), "the asker and the owner"

    await _ask(desk, ZALO_OFFICER, code, "Bé có điện thoại không?", Channel.ZALO)
    assert "Đã trả" in ((await officer_press(desk.core, ZALO_OFFICER, f"release:{code}", channel=Channel.ZALO)).toast or "")
    await desk.drain()
    await desk.reporter.send("Không có")
    out = await desk.drain()
    assert not words_to(out, ZALO_OFFICER, "Không có") and not words_to(out, LAN, "Không có"), "Dũng gave it back"
    assert words_to(out, MINH, "Không có"), "the supervisor's question still stands: he still steers the case"

    await officer_press(desk.core, "lan", f"ack:{code}")  # Lan takes it again
    await _add(desk, code, secret, "Bà ngoại ở ngõ 9")
    out = await desk.drain()
    assert words_to(out, LAN, "Bà ngoại ở ngõ 9") and words_to(out, MINH, "Bà ngoại ở ngõ 9")
    assert not words_to(out, ZALO_OFFICER, "Bà ngoại ở ngõ 9") and not words_to(out, HOA, "Bà ngoại ở ngõ 9")
