"""What a periodic report needs beyond the case columns: the unit's written sections, and which reminders went."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow

__all__ = ["ReportReminder", "ReportText"]


class ReportText(SQLModel, table=True):
    """The written parts of one unit's report for one period («Kết quả», «Khó khăn, vướng mắc», «Kiến nghị,
    đề xuất»), sealed under a key of their own: officers may name cases, places or people in them."""

    __tablename__ = "report_text"
    __table_args__ = (sa.UniqueConstraint("unit_code", "period", name="uq_report_text_unit_period"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    unit_code: str = Field(foreign_key="unit.code", max_length=5)
    period: str = Field(max_length=32)  # the period's code: "2026-Q4", "2026-01-01..2026-06-30"
    key_id: str = Field(max_length=32)
    body_ct: bytes = blob_field(nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str | None = Field(default=None, foreign_key="officer.id")


class ReportReminder(SQLModel, table=True):
    """One row per report and due date whose preparer was reminded: inserting it is the claim, so two workers
    and a restart remind once."""

    __tablename__ = "report_reminder"
    unit_code: str = Field(primary_key=True, max_length=5)
    period: str = Field(primary_key=True, max_length=32)
    due_on: date = Field(primary_key=True)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
