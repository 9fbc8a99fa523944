"""The assessment result, recorded by the officer (never asked of the reporter), the same on every channel:
the Telegram button and the next typed message, the Zalo command, the console's form."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from handlers.messages import Channel, Inbound, InboundKind
from handlers.officers.actions import typed_action
from handlers.officers.assessment import Assessment, parse_assessment
from storage.models import Case, CaseStatus
from tests.chat_driver import CoreChat, officer_press, report_until_review


async def _submitted(core: Core, user: str = "reporter") -> str:
    chat = CoreChat(core, user=user, channel=Channel.TELEGRAM)
    await report_until_review(chat)
    receipt = await chat.choose("Gửi tin báo")
    return receipt.split("Mã tin báo: ")[1].split()[0]


async def _case(core: Core, code: str) -> Case:
    async with core.db.session() as session:
        return (await session.exec(select(Case).where(Case.code == code))).one()


def test_the_written_form() -> None:
    assert parse_assessment("co 2 4 9") == Assessment("confirmed", 2, ("4", "9"))
    assert parse_assessment("Có, 2 trẻ, nhóm 4 và 9") == Assessment("confirmed", 2, ("4", "9"))
    assert parse_assessment("c2_4_9") == Assessment("confirmed", 2, ("4", "9"))
    assert parse_assessment("co") == Assessment("confirmed", 1)
    assert parse_assessment("Không") == Assessment("unfounded", None)
    for bad in ("", "maybe", "co 0", "co 2 15", "khong 2", "co hai"):
        assert parse_assessment(bad) is None, bad
    assert typed_action("ketqua TE-7K3M co2 4 9") == "assess:TE-7K3M:co2_4_9"
    assert typed_action("cungtre te 7k3m") == "samechild:TE-7K3M"


async def test_a_button_then_a_typed_line_records_the_result_and_stops_the_clock(core: Core) -> None:
    code = await _submitted(core)
    await officer_press(core, "lan", f"ack:{code}")
    asked = await officer_press(core, "lan", f"assess:{code}")
    [prompt] = asked.messages
    assert [c.value for c in prompt.choices] == [f"assess:{code}:c1", f"assess:{code}:c2", f"assess:{code}:c3", f"assess:{code}:u"]
    typed = Inbound(Channel.TERMINAL, core.handle_for(Channel.TERMINAL)("lan"), InboundKind.TEXT, reply_address="officer-lan",
                    text="co 2 4 9")
    reply = await core.officers.typed(typed)
    assert reply is not None and "có xâm hại" in reply.messages[0].text
    case = await _case(core, code)
    assert (case.finding, case.children, case.special, case.status) == ("confirmed", 2, "4,9", CaseStatus.ASSESSED)
    assert case.assessed_at is not None
    again = await officer_press(core, "lan", f"assess:{code}:u")  # corrected later: the last word counts
    assert "không có xâm hại" in (again.toast or "")
    assert (await _case(core, code)).finding == "unfounded"


async def test_the_zalo_command_and_a_stranger_is_refused(core: Core) -> None:
    code = await _submitted(core)
    await officer_press(core, "lan", f"ack:{code}")
    refused = await officer_press(core, "hoa", f"assess:{code}:c1")  # another commune's officer
    assert refused.denied and (await _case(core, code)).finding is None
    action = typed_action(f"ketqua {code} co3 4")
    assert action is not None
    await officer_press(core, "lan", action)  # what the Zalo adapter makes of the typed command
    case = await _case(core, code)
    assert (case.finding, case.children, case.special) == ("confirmed", 3, "4")


async def test_the_same_child_link(core: Core) -> None:
    first, second = await _submitted(core, "r1"), await _submitted(core, "r2")
    await officer_press(core, "lan", f"ack:{second}")
    asked = await officer_press(core, "lan", f"samechild:{second}")
    assert "cùng trẻ" in (asked.toast or "")
    typed = Inbound(Channel.TERMINAL, core.handle_for(Channel.TERMINAL)("lan"), InboundKind.TEXT, reply_address="officer-lan",
                    text=first)
    reply = await core.officers.typed(typed)
    assert reply is not None and "cùng một trẻ" in reply.messages[0].text
    assert (await _case(core, second)).same_child_of == (await _case(core, first)).id
