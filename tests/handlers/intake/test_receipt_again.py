"""A receipt lost in a crash (the case committed, the answer never sent) is not the reporter's code lost."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.core import Core
from handlers.intake.engine import RECEIPT_AGAIN_FOR
from handlers.state import load_conversation
from storage.models import utcnow
from tests.chat_driver import CoreChat, report_until_review


async def test_pressing_submit_again_shows_the_same_receipt_for_a_few_minutes(core: Core) -> None:
    chat = CoreChat(core)
    await report_until_review(chat)
    submit = chat.value_of("Gửi")
    receipt = await chat.press_value(submit)
    code = re.search(r"TE-[A-Z0-9]+", receipt)
    secret = re.search(r"\d{4}-\d{4}-\d{2}", receipt)
    assert code and secret

    again = await chat.press_value(submit)  # Telegram delivers the press again after a restart
    assert "đã được gửi rồi" in again and code.group(0) in again and secret.group(0) in again

    later = utcnow() + timedelta(seconds=RECEIPT_AGAIN_FOR + 1)
    core.services.clock = lambda: later
    stale = await chat.press_value(submit)
    assert secret.group(0) not in stale and "câu hỏi trước" in stale
    async with core.db.session() as session:
        state = await load_conversation(session, core.vault, chat.handle)
    assert state is not None and state.receipt is None  # not kept sealed a moment longer than needed
