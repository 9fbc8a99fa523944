"""Getting messages in and out exactly once: redelivery marks, timer rows, the outbox and its digests."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow, when_field

__all__ = [
    "Escalation", "EscalationState", "FloodNotice", "InboundSeen",
    "OutboxDigest", "OutboxMessage", "OutboxState",
]


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # an escalation notice made pointless by an acknowledgement before it went out


class EscalationState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class InboundSeen(SQLModel, table=True):
    """An update handled (Zalo's message id, Telegram's update id), committed with the transaction that handled
    it. ``holder`` and an unset ``handled`` are left by the earlier claim-and-lease format, for its rows."""

    __tablename__ = "inbound_seen"
    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=128)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    holder: str | None = Field(default=None, max_length=32)
    handled: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class Escalation(SQLModel, table=True):
    """One timer track of a case (the notification chain, the ack timeout, each Decree-56 deadline).

    The row is the truth: ``step`` is the next step to perform at ``due_at``; a worker takes it by
    swapping ``token``, in the same transaction as the notifications it writes.
    """

    __tablename__ = "escalation"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="report_case.id", index=True)
    track: str = Field(max_length=24)
    anchor: datetime = Field(sa_type=UTCDateTime)
    step: int = 0
    due_at: datetime | None = when_field(nullable=True, index=True)
    state: str = Field(default=EscalationState.PENDING, index=True)
    token: str = Field(default_factory=new_id, max_length=32)
    paged_at: datetime | None = when_field(nullable=True)  # the auditor's page for this row being late


class OutboxMessage(SQLModel, table=True):
    """A message committed with the change that caused it; only the dispatcher sends it."""

    __tablename__ = "outbox"
    id: str = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    case_id: str | None = Field(default=None, foreign_key="report_case.id", index=True)
    key_id: str = Field(max_length=32)
    channel: str
    purpose: str
    priority: int = 0
    address_ct: bytes | None = blob_field()
    payload_ct: bytes | None = blob_field()
    state: str = Field(default=OutboxState.PENDING, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    claimed_until: datetime | None = when_field(nullable=True)
    sent_at: datetime | None = when_field(nullable=True)
    platform_message_id: str | None = None
    last_error: str | None = None
    # the keyed handle of the person whose chat this goes to, while it waits: keeps that chat in order,
    # lets a wipe or a purge take back what has not gone out; forgotten once it is settled
    person: str | None = Field(default=None, max_length=64, index=True)


class OutboxDigest(SQLModel, table=True):
    """Links a coalesced alert (or an edit of the digest) to the outbox row whose message carries the
    digest, so a later change to one case re-renders the whole digest. No foreign keys: a purge deletes
    a case's rows without touching the other cases of the digest."""

    __tablename__ = "outbox_digest"
    row_id: str = Field(primary_key=True, max_length=32)
    digest_id: str = Field(index=True, max_length=32)


class FloodNotice(SQLModel, table=True):
    """One notice per scope ("admins", or a duty group's unit) and flood window: inserting the row is how
    exactly one worker wins the right to send it; ``held`` counts the reports that got no card of their own."""

    __tablename__ = "flood_notice"
    scope: str = Field(primary_key=True, max_length=32)
    window_start: datetime = Field(primary_key=True, sa_type=UTCDateTime)
    case_id: str | None = Field(default=None, foreign_key="report_case.id")  # the report that raised it
    outbox_id: str | None = Field(default=None, max_length=32)  # the group card, edited as the count grows
    held: int = 0
