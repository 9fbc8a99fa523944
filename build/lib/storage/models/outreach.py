"""What prevention reading leaves behind: a count per piece and month, never who read it."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

__all__ = ["LearnRead"]


class LearnRead(SQLModel, table=True):
    """How often a Learn piece was opened in a month (Vietnamese time, "2026-12"): no handle, no chat."""

    __tablename__ = "learn_read"
    piece: str = Field(primary_key=True, max_length=40)
    month: str = Field(primary_key=True, max_length=7)
    count: int = 0
