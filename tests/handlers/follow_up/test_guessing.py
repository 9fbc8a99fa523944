"""Guessing a follow-up secret: an invented code answers exactly like a real one with a wrong secret, the
limits count each person's own wrong tries, and strangers never lock the reporter out of their case."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import inspect, text

from bot.core import Core
from storage.follow_up import GuessLimits
from tests.chat_driver import CoreChat
from tests.escalation_setup import Clock
from tests.handlers.follow_up.test_relay import Desk, _submit

UNKNOWN = "TE-22222"
LIMITS = GuessLimits()


@pytest.fixture
async def desk(core: Core) -> AsyncIterator[Desk]:
    core.services.clock = Clock()
    yield Desk(core)


async def _try(chat: CoreChat, code: str, secret: str) -> str:
    await chat.send("/tracuu")
    await chat.send(code)
    return await chat.send(secret)


async def test_an_invented_code_answers_word_for_word_like_a_real_one(desk: Desk) -> None:
    code, secret = await _submit(desk)
    real, invented = CoreChat(desk.core, user="guesser-a"), CoreChat(desk.core, user="guesser-b")
    for n in range(LIMITS.burst + 2):  # wrong, wrong… then "too many tries", for both alike
        on_real, on_invented = await _try(real, code, f"1111-0000-0{n}"), await _try(invented, UNKNOWN, f"1111-0000-0{n}")
        assert on_real == on_invented
        assert ("quá nhiều lần" in on_real) == (n >= LIMITS.burst), n
    assert "quá nhiều lần" in await _try(real, code, secret), "the guesser is blocked even with the right secret"
    for n in range(LIMITS.hot_code):  # strangers, once each: both codes are now being guessed at
        for guessed in (code, UNKNOWN):
            assert "chưa đúng" in await _try(CoreChat(desk.core, user=f"stranger-{guessed}-{n}"), guessed, "2222-0000-00")
    late_real, late_invented = CoreChat(desk.core, user="late-a"), CoreChat(desk.core, user="late-b")
    for n in range(LIMITS.on_hot_code + 1):  # a newcomer gets only a few tries on a code under attack
        on_real, on_invented = await _try(late_real, code, f"3333-0000-0{n}"), await _try(late_invented, UNKNOWN, f"3333-0000-0{n}")
        assert on_real == on_invented and ("quá nhiều lần" in on_real) == (n >= LIMITS.on_hot_code), n
    honest = CoreChat(desk.core, user="reporter-on-new-phone")
    shown = await _try(honest, code, secret)
    assert code in shown and "quá nhiều lần" not in shown, "strangers' wrong tries never lock the reporter out"
    assert "chưa đúng" in await _try(honest, code, "4444-0000-00"), "and one slip of their own is allowed"
    assert code in await _try(honest, code, secret)


async def test_a_persons_tries_are_limited_per_day_across_codes(desk: Desk) -> None:
    clock: Clock = desk.core.services.clock  # type: ignore[assignment]
    code, secret = await _submit(desk)
    guesser = CoreChat(desk.core, user="patient-guesser")
    for n in range(LIMITS.daily):
        if n and n % LIMITS.burst == 0:
            clock.advance(minutes=16)  # each burst waited out
        assert "chưa đúng" in await _try(guesser, f"TE-3{n:04d}".replace("0", "A").replace("1", "B"), "5555-0000-00")
    clock.advance(minutes=16)
    assert "quá nhiều lần" in await _try(guesser, code, secret), "a day's tries are spent"
    clock.advance(hours=24)
    assert code in await _try(guesser, code, secret), "and come back the next day"


async def test_attempt_rows_name_neither_the_case_nor_the_code(desk: Desk) -> None:
    code, _ = await _submit(desk)
    await _try(CoreChat(desk.core, user="guesser"), code, "6666-0000-00")
    await _try(CoreChat(desk.core, user="guesser"), UNKNOWN, "6666-0000-00")
    async with desk.core.db.session() as session:
        columns = await session.run_sync(lambda s: [c["name"] for c in inspect(s.connection()).get_columns("secret_attempt")])
        rows = (await session.exec(text("SELECT * FROM secret_attempt"))).all()  # type: ignore[call-overload]
        case_id = (await session.exec(text("SELECT id FROM report_case"))).one()[0]  # type: ignore[call-overload]
    assert "case_id" not in columns and len(rows) == 2
    stored = " ".join(str(v) for row in rows for v in row)
    assert code not in stored and UNKNOWN not in stored and case_id not in stored
    assert len({row._mapping["code_key"] for row in rows}) == 2, "each code typed has its own keyed hash"
