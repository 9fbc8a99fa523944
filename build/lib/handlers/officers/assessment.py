"""What the officer records at assessment, the same on every channel: whether abuse was confirmed, how many
children the case concerns, their special circumstances (Law on Children Art. 10), and which earlier case
concerns the same child. The reporter is never asked any of this.

One written form serves the Telegram button (then the officer's next message), the Zalo command
(«ketqua TE-7K3M co2_4») and the console's form: ``co 2 4 9`` = abuse confirmed, two children, one of them
with a disability (group 4) and one seriously harmed by violence (group 9); ``khong`` = unfounded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.officers.workflow import change_status
from handlers.places import normalize
from handlers.services import Services
from handlers.statistics.forms import SPECIAL_GROUPS
from storage.cases import case_by_code, get_case_for_officer, record_event
from storage.models import Case, CaseStatus, EventKind, Officer

__all__ = [
    "ASSESS", "CONFIRMED", "FINDINGS", "MAX_CHILDREN", "SAME_CHILD", "UNFOUNDED", "Assessment", "link_same_child",
    "parse_assessment", "quick_choices", "record_assessment",
]

ASSESS, SAME_CHILD = "assess", "samechild"
CONFIRMED, UNFOUNDED = "confirmed", "unfounded"
FINDINGS = (CONFIRMED, UNFOUNDED)
MAX_CHILDREN = 50
_WORDS = {"co": CONFIRMED, "c": CONFIRMED, "confirmed": CONFIRMED, "yes": CONFIRMED, "xacnhan": CONFIRMED,
          "khong": UNFOUNDED, "k": UNFOUNDED, "unfounded": UNFOUNDED, "no": UNFOUNDED, "u": UNFOUNDED}
_GLUED = re.compile(r"^([a-z]+)(\d+)$")


@dataclass(frozen=True)
class Assessment:
    finding: str
    children: int | None  # None for an unfounded report: no child was abused
    special: tuple[str, ...] = ()  # Art. 10 group numbers, one per child they apply to

    @property
    def code(self) -> str:
        """The short written form (the arg of a button or a Zalo command, and the timeline's detail)."""
        if self.finding == UNFOUNDED:
            return "u"
        return "_".join((f"c{self.children}", *self.special))


def parse_assessment(text: str) -> Assessment | None:
    """``co 2 4 9`` / ``Có, 2 trẻ, nhóm 4 và 9`` / ``c2_4_9`` / ``khong``; None when it is not one."""
    words = [w for w in normalize(text.replace("_", " ")).split() if w not in ("tre", "em", "nhom", "va", "children", "group")]
    if words and (glued := _GLUED.match(words[0])):
        words[:1] = [glued[1], glued[2]]
    if not words or words[0] not in _WORDS:
        return None
    finding, numbers = _WORDS[words[0]], words[1:]
    if not all(n.isdigit() for n in numbers):
        return None
    if finding == UNFOUNDED:
        return Assessment(UNFOUNDED, None) if not numbers else None
    children = int(numbers[0]) if numbers else 1
    special = tuple(str(int(n)) for n in numbers[1:])
    if not 1 <= children <= MAX_CHILDREN or any(g not in SPECIAL_GROUPS for g in special):
        return None
    return Assessment(CONFIRMED, children, special)


def quick_choices() -> tuple[tuple[str, int | None], ...]:
    """The one-press answers a chat offers (finding, children); groups come with the written form."""
    return ((CONFIRMED, 1), (CONFIRMED, 2), (CONFIRMED, 3), (UNFOUNDED, None))


async def record_assessment(services: Services, session: AsyncSession, officer: Officer, case: Case, text: str) -> str:
    """Records the finding on the case (a case still waiting for its assessment is marked assessed, which
    stops the 12-hour clock); returns the message key to answer with. May be corrected later."""
    found = parse_assessment(text)
    if found is None:
        return "assess.bad"
    if case.status == CaseStatus.RECEIVED:
        return "officer.not_now"
    case.finding, case.children, case.special = found.finding, found.children, ",".join(found.special) or None
    session.add(case)
    await record_event(session, case, EventKind.ASSESSMENT_RECORDED, officer.id, detail=found.code)
    if case.status == CaseStatus.ACKNOWLEDGED:
        await change_status(services, session, case, officer, CaseStatus.ASSESSED)
    return "assess.recorded" if found.finding == CONFIRMED else "assess.recorded_unfounded"


async def link_same_child(services: Services, session: AsyncSession, officer: Officer, case: Case, text: str) -> str:
    """``case`` concerns the same child as the case typed: statistics count that child once."""
    other = await case_by_code(session, text.upper().replace(" ", ""))
    if other is None or other.id == case.id or await get_case_for_officer(session, officer, other.code, action="view") is None:
        return "desk.unknown_case"
    case.same_child_of = other.id
    session.add(case)
    await record_event(session, case, EventKind.SAME_CHILD_LINKED, officer.id, detail=other.code)
    return "assess.same_child_linked"
