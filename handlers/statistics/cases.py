"""The clear columns a report reads, loaded without opening a sealed field (so without the master keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.i18n import KeyedLookupError
from handlers.messages import Channel
from handlers.rules.policy import Target
from handlers.statistics.periods import Period
from storage.models import Case, CaseEvent, EventKind, Unit
from storage.units import units_under

__all__ = ["CaseRow", "UnitRow", "load_cases", "unit_tree"]


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str


@dataclass(frozen=True)
class CaseRow:
    """The clear columns of one case that the report reads, and whether it was escalated to the province."""

    unit_code: str
    category: str
    age_band: str
    sex: str
    channel: str
    reporter_kind: str
    status: str
    outcome: str | None
    received_at: datetime
    first_acknowledged_at: datetime | None = None
    assessed_at: datetime | None = None
    policy: str = "{}"
    escalated: bool = False
    id: str = ""
    duplicate_of: str | None = None
    finding: str | None = None  # recorded by the officer at assessment: "confirmed" / "unfounded"
    children: int | None = None
    special: str | None = None
    same_child_of: str | None = None
    setting: str | None = None  # where it happened, as the adult reporter chose (None: not asked or skipped)

    @property
    def duplicate(self) -> bool:
        """A linked duplicate (or one closed as such): outside every figure, counted apart."""
        return self.duplicate_of is not None or self.outcome == "duplicate"

    @property
    def confirmed(self) -> bool:
        """Abuse confirmed by the officer at assessment, and not closed as unfounded later."""
        return self.finding == "confirmed" and self.outcome != "unfounded" and not self.duplicate

    @property
    def child_count(self) -> int:
        """The children the case concerns: as recorded at assessment, else the one child it was reported for."""
        return self.children if self.children else 1


async def unit_tree(session: AsyncSession, unit_code: str) -> list[UnitRow]:
    """The unit and every unit whose chain of parents reaches it, the unit itself first, then by code.

    Walks each unit's ancestors (the same tree officers' access follows) rather than one level of
    parents, so a deeper tree stays counted once the deployment has one."""
    if await session.get(Unit, unit_code) is None:
        raise KeyedLookupError("report.unknown_unit", unit=unit_code)
    found = [UnitRow(u.code, u.name) for u in await units_under(session, unit_code)]
    return sorted(found, key=lambda u: (u.code != unit_code, u.code))


async def load_cases(session: AsyncSession, *, unit_code: str, period: Period) -> list[CaseRow]:
    """Cases of the unit's tree received in the period; clear columns only (never a ``*_ct`` column). The
    terminal demo's cases are no real reports: official figures never include them."""
    codes = [u.code for u in await unit_tree(session, unit_code)]
    escalated = (
        select(CaseEvent.id)
        .where(
            col(CaseEvent.case_id) == col(Case.id),
            col(CaseEvent.kind) == EventKind.STEP_SENT,
            col(CaseEvent.detail).contains(Target.PARENT_GROUP.value, autoescape=True),
        )
        .exists()
    )
    query = select(  # type: ignore[call-overload]
        Case.unit_code, Case.category, Case.age_band, Case.sex, Case.channel, Case.reporter_kind, Case.status,
        Case.outcome, Case.received_at, Case.first_acknowledged_at, Case.assessed_at, Case.policy,
        Case.id, Case.duplicate_of, Case.finding, Case.children, Case.special, Case.same_child_of,
        Case.setting, escalated.label("escalated"),
    ).where(
        col(Case.unit_code).in_(codes),
        col(Case.channel) != Channel.TERMINAL.value,
        col(Case.received_at) >= period.start,
        col(Case.received_at) < period.end,
    )
    rows = (await session.exec(query.order_by(col(Case.received_at)))).all()
    return [CaseRow(*row[:12], bool(row[-1]), *row[12:-1]) for row in rows]
