"""The bot's own health: when the administrators were last told of each condition (bot/watchdog.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime

__all__ = ["WatchdogAlert"]


class WatchdogAlert(SQLModel, table=True):
    """One row per condition ("outbox", "timers", "telegram", "zalo"): the row is how two workers and a restart
    agree that the administrators were told within the hour; no id, no person, no case."""

    __tablename__ = "watchdog_alert"
    condition: str = Field(primary_key=True, max_length=32)
    alerted_at: datetime = Field(sa_type=UTCDateTime)
