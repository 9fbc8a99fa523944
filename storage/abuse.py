"""The queries behind the abuse rules: reports per person, reports from new accounts, flood notices claimed once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_or
from storage.models import Case, CaseStatus, FloodNotice, Officer

__all__ = [
    "administrators",
    "claim_notice",
    "count_held",
    "earlier_open_case",
    "has_earlier_report",
    "new_reporter_reports",
    "reports_since",
    "set_notice_card",
]


async def reports_since(session: AsyncSession, handle: str, since: datetime) -> int:
    query = select(func.count()).select_from(Case).where(col(Case.reporter_handle) == handle, col(Case.received_at) >= since)
    return int((await session.exec(query)).one())


async def has_earlier_report(session: AsyncSession, case: Case) -> bool:
    query = select(Case.id).where(col(Case.reporter_handle) == case.reporter_handle, col(Case.id) != case.id)
    return (await session.exec(query.limit(1))).first() is not None


async def new_reporter_reports(session: AsyncSession, since: datetime) -> int:
    """Reports received since ``since`` that were their reporter's first ever."""
    earlier = aliased(Case)
    first_ever = ~exists().where(
        col(earlier.reporter_handle) == col(Case.reporter_handle), col(earlier.received_at) < col(Case.received_at)
    )
    query = select(func.count()).select_from(Case).where(col(Case.received_at) >= since, first_ever)
    return int((await session.exec(query)).one())


async def earlier_open_case(session: AsyncSession, case: Case, since: datetime) -> Case | None:
    """The same person's latest open report since ``since`` about what is plausibly the same situation: the
    same unit and commune (an unknown commune matches only an unknown one) and the same child (category, age
    band, sex). Followed to the report it was itself linked to, so a chain of duplicates points at one case."""
    query = (
        select(Case)
        .where(
            col(Case.reporter_handle) == case.reporter_handle,
            col(Case.unit_code) == case.unit_code,
            col(Case.place_code).is_not_distinct_from(case.place_code),
            col(Case.category) == case.category,
            col(Case.age_band) == case.age_band,
            col(Case.sex) == case.sex,
            col(Case.id) != case.id,
            col(Case.received_at) >= since,
            col(Case.status) != CaseStatus.CLOSED,
        )
        .order_by(col(Case.received_at).desc())
    )
    found = (await session.exec(query.limit(1))).first()
    if found is not None and found.duplicate_of:
        root = await session.get(Case, found.duplicate_of)
        if root is not None and root.status != CaseStatus.CLOSED:
            return root
    return found


async def claim_notice(session: AsyncSession, scope: str, window_start: datetime, *, case_id: str) -> bool:
    """True for exactly one caller per (scope, window), across workers: the row's insert is the claim."""
    statement = (
        insert_or(session.bind, FloodNotice)
        .values(scope=scope, window_start=window_start, case_id=case_id, held=0)
        .on_conflict_do_nothing(index_elements=["scope", "window_start"])
        .returning(col(FloodNotice.scope))  # a row back only if this insert made it (rowcount is not portable here)
    )
    result = await session.exec(statement)  # type: ignore[call-overload]
    return result.first() is not None


async def set_notice_card(session: AsyncSession, scope: str, window_start: datetime, outbox_id: str) -> None:
    await session.exec(
        update(FloodNotice)
        .where(col(FloodNotice.scope) == scope, col(FloodNotice.window_start) == window_start)
        .values(outbox_id=outbox_id)
    )


async def count_held(session: AsyncSession, scope: str, window_start: datetime) -> FloodNotice | None:
    """One more report held under this notice (atomic increment); the notice row, or None if it is gone."""
    await session.exec(
        update(FloodNotice)
        .where(col(FloodNotice.scope) == scope, col(FloodNotice.window_start) == window_start)
        .values(held=FloodNotice.held + 1)
    )
    query = select(FloodNotice).where(col(FloodNotice.scope) == scope, col(FloodNotice.window_start) == window_start)
    return (await session.exec(query.execution_options(populate_existing=True))).first()


async def administrators(session: AsyncSession) -> list[Officer]:
    """Every active administrator, whatever their unit: a flood is the deployment's concern, not a commune's."""
    query = select(Officer).where(col(Officer.role) == "admin", col(Officer.active)).order_by(col(Officer.name))
    return list((await session.exec(query)).all())
