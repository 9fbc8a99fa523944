"""The written sections of a unit's periodic report, sealed at rest, and the claim that sends each reminder once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_or
from storage.models import ReportReminder, ReportText
from storage.vault import Vault

__all__ = ["SECTIONS", "claim_reminder", "report_texts", "save_report_texts"]

SECTIONS = ("results", "difficulties", "recommendations")  # «Kết quả», «Khó khăn, vướng mắc», «Kiến nghị, đề xuất»


def _place(row: ReportText) -> tuple[str, str, str]:
    return ("report_text", "body_ct", row.id)


async def _row(session: AsyncSession, unit_code: str, period: str) -> ReportText | None:
    query = select(ReportText).where(col(ReportText.unit_code) == unit_code, col(ReportText.period) == period)
    return (await session.exec(query)).first()


async def report_texts(session: AsyncSession, vault: Vault, unit_code: str, period: str) -> dict[str, str]:
    """Each section's text ("" when none was written)."""
    row = await _row(session, unit_code, period)
    stored = await vault.open_json(session, row.key_id, _place(row), row.body_ct) if row is not None else {}
    return {name: str(stored.get(name, "")) for name in SECTIONS}


async def save_report_texts(
    session: AsyncSession, vault: Vault, unit_code: str, period: str, texts: dict[str, str], *, officer_id: str,
    now: datetime,
) -> None:
    """Replaces the unit's sections for the period; two officers saving at once: the later one wins whole."""
    body = {name: texts.get(name, "") for name in SECTIONS}
    row = await _row(session, unit_code, period)
    if row is None:
        try:
            async with session.begin_nested():
                key_id = await vault.create_key(session)
                row = ReportText(unit_code=unit_code, period=period, key_id=key_id, body_ct=b"", updated_at=now,
                                 updated_by=officer_id)
                row.body_ct = await vault.seal_json(session, key_id, _place(row), body)
                session.add(row)
                await session.flush()
            return
        except IntegrityError:  # the other officer's first save came first
            row = await _row(session, unit_code, period)
            assert row is not None
    row.body_ct = await vault.seal_json(session, row.key_id, _place(row), body)
    row.updated_at, row.updated_by = now, officer_id
    session.add(row)
    await session.flush()


async def claim_reminder(session: AsyncSession, unit_code: str, period: str, due_on: date, *, now: datetime) -> bool:
    """True for exactly one caller per report and due date (the row commits with the reminder's outbox rows)."""
    statement = (
        insert_or(session.bind, ReportReminder)
        .values(unit_code=unit_code, period=period, due_on=due_on, sent_at=now)
        .on_conflict_do_nothing()
        .returning(col(ReportReminder.unit_code))
    )
    return (await session.exec(statement)).first() is not None  # type: ignore[call-overload]
