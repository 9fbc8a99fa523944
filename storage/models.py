"""Database tables. Columns ending in ``_ct`` hold AES-GCM ciphertext bound to (table, column, id)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

__all__ = [
    "AuditEntry",
    "Attachment",
    "Case",
    "CaseMessage",
    "MessageDirection",
    "OfficerPending",
    "SecretAttempt",
    "CaseEvent",
    "CaseStatus",
    "ChatMigration",
    "Conversation",
    "Contact",
    "DataKey",
    "DutyHandoff",
    "Escalation",
    "EscalationState",
    "EventKind",
    "InboundSeen",
    "Officer",
    "OfficerIdentity",
    "OutboxDigest",
    "OutboxMessage",
    "OutboxState",
    "Roster",
    "RosterOverride",
    "Unit",
    "new_id",
    "utcnow",
]


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware datetimes, on SQLite (naive storage) and PostgreSQL alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _when(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _blob(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=sa.LargeBinary, nullable=nullable)


class CaseStatus(StrEnum):
    """The Decree 56 process (domain.md §2), in order; the forms each step produces are in comments."""

    RECEIVED = "received"  # form 01
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"  # initial risk assessment, form 02
    PROTECTING = "protecting"  # emergency protection / temporary separation, form 07
    DETAILED_ASSESSMENT = "detailed_assessment"  # form 03
    PLAN_DRAFTED = "plan_drafted"  # form 04
    PLAN_APPROVED = "plan_approved"  # form 05
    MONITORING = "monitoring"
    CLOSED = "closed"  # form 06


class EventKind(StrEnum):
    RECEIVED = "received"
    ALERTED = "alerted"
    ALERT_REROUTED = "alert_rerouted"  # a group refused the card for good; the next one up got it
    ACKNOWLEDGED = "acknowledged"
    DETAILS_VIEWED = "details_viewed"
    STEP_SENT = "step_sent"  # an escalation or deadline step notified someone; detail says whom
    STEP_SKIPPED = "step_skipped"  # a step that resolved to nobody; detail says why
    STEP_CANCELLED = "step_cancelled"  # pending steps stopped (acknowledged, deadline met)
    OVERDUE_PAGED = "overdue_paged"  # the auditor found a step late and paged the province
    ACK_TIMED_OUT = "ack_timed_out"
    STILL_WORKING = "still_working"
    RELEASED = "released"
    STATUS_CHANGED = "status_changed"
    NOTE_ADDED = "note_added"
    REPORTER_ASKED = "reporter_asked"
    REPORTER_REPLIED = "reporter_replied"
    REPORTER_ADDED = "reporter_added"  # more information or photos from the reporter, after submitting
    CONTACT_STOPPED = "contact_stopped"
    REASSIGNED = "reassigned"
    TRANSFERRED = "transferred"
    LINKED_DUPLICATE = "linked_duplicate"
    URGENT_RAISED = "urgent_raised"  # danger said after submitting: the case became urgent
    CLOSED = "closed"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # an escalation notice made pointless by an acknowledgement before it went out


class EscalationState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class DataKey(SQLModel, table=True):
    """A data key wrapped by a master key version; deleting the row shreds what it sealed.

    Rows refer to it by ``key_id`` without a foreign key, so a case outlives its shredded key.
    """

    __tablename__ = "data_key"
    id: str = Field(default_factory=new_id, primary_key=True)
    master_version: int
    wrapped: bytes = _blob(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Unit(SQLModel, table=True):
    __tablename__ = "unit"
    code: str = Field(primary_key=True, max_length=5)
    name: str
    is_province: bool = False
    parent_code: str | None = Field(default=None, foreign_key="unit.code")
    telegram_chat_id: int | None = Field(default=None, sa_type=sa.BigInteger)


class Officer(SQLModel, table=True):
    __tablename__ = "officer"
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    unit_code: str = Field(foreign_key="unit.code", index=True)
    role: str
    active: bool = True


class OfficerIdentity(SQLModel, table=True):
    """Keyed handle of an officer's platform account: recognises presses without storing the id.

    ``address_ct`` (sealed) is where private alerts go, for officers reached only on Zalo.
    """

    __tablename__ = "officer_identity"
    handle: str = Field(primary_key=True, max_length=64)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    channel: str
    key_id: str | None = Field(default=None, max_length=32)
    address_ct: bytes | None = _blob()


class InboundSeen(SQLModel, table=True):
    """Message ids already processed, for platforms whose updates carry no update id (Zalo)."""

    __tablename__ = "inbound_seen"
    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=128)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class Case(SQLModel, table=True):
    __tablename__ = "report_case"
    id: str = Field(default_factory=new_id, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    key_id: str = Field(max_length=32)
    unit_code: str = Field(foreign_key="unit.code", index=True)
    place_code: str | None = Field(default=None, max_length=5)
    category: str
    urgent: bool
    age_band: str
    sex: str
    channel: str
    reporter_kind: str
    status: str = Field(default=CaseStatus.RECEIVED, index=True)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    acknowledged_at: datetime | None = _when(nullable=True)
    acknowledged_by: str | None = Field(default=None, foreign_key="officer.id")
    first_acknowledged_at: datetime | None = _when(nullable=True)  # time-to-acknowledge, for statistics
    assessed_at: datetime | None = _when(nullable=True)  # time-to-assessment (the 12-hour clock)
    last_progress_at: datetime | None = _when(nullable=True)
    suspected_crime: bool = False
    policy: str = Field(default="{}")  # frozen snapshot of the escalation policy and deadlines (JSON)
    secret_hash: str | None = Field(default=None, max_length=120)  # the reporter's follow-up secret (scrypt)
    outcome: str | None = Field(default=None, max_length=24)
    closed_at: datetime | None = _when(nullable=True)
    duplicate_of: str | None = Field(default=None, foreign_key="report_case.id")
    reporter_handle: str = Field(max_length=64, index=True)
    contact_allowed: bool = False
    body_ct: bytes = _blob(nullable=False)
    reply_address_ct: bytes | None = _blob()


class CaseEvent(SQLModel, table=True):
    __tablename__ = "case_event"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="report_case.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    detail: str | None = Field(default=None, max_length=200)  # step, target and reason codes; never content


class MessageDirection(StrEnum):
    TO_REPORTER = "to_reporter"  # an officer's question
    FROM_REPORTER = "from_reporter"  # a reply, or information added later
    NOTE = "note"  # internal: officers only


class CaseMessage(SQLModel, table=True):
    """A message on a case (question, reply, internal note), sealed under the case's key."""

    __tablename__ = "case_message"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="report_case.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    direction: str = Field(max_length=16)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    body_ct: bytes = _blob(nullable=False)
    read_at: datetime | None = _when(nullable=True)  # by the reporter (questions) or an officer (replies)


class SecretAttempt(SQLModel, table=True):
    """A wrong follow-up secret, counted per case and per handle to rate-limit guessing."""

    __tablename__ = "secret_attempt"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str | None = Field(default=None, foreign_key="report_case.id", index=True)
    handle: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class OfficerPending(SQLModel, table=True):
    """What an officer's next typed message means (a note, a question for the reporter, a unit to
    transfer to); codes only, the text itself goes straight to the sealed case message."""

    __tablename__ = "officer_pending"
    handle: str = Field(primary_key=True, max_length=64)
    action: str = Field(max_length=16)
    case_code: str = Field(max_length=16)
    expires_at: datetime = Field(sa_type=UTCDateTime)


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
    due_at: datetime | None = _when(nullable=True, index=True)
    state: str = Field(default=EscalationState.PENDING, index=True)
    token: str = Field(default_factory=new_id, max_length=32)
    paged_at: datetime | None = _when(nullable=True)  # the auditor's page for this row being late


class Roster(SQLModel, table=True):
    """A unit's rotation (officer ids in order), from the deployment file."""

    __tablename__ = "roster"
    unit_code: str = Field(foreign_key="unit.code", primary_key=True, max_length=5)
    rotation: str  # JSON list of officer ids
    period_days: int = 1
    handoff: str = "07:30"  # local time
    start: str  # ISO date whose handoff starts rotation[0]
    backup_id: str | None = Field(default=None, foreign_key="officer.id")
    holiday_officer_id: str | None = Field(default=None, foreign_key="officer.id")


class RosterOverride(SQLModel, table=True):
    """Leave (the rotation skips the officer) or cover (a named officer, or nobody, for an interval)."""

    __tablename__ = "roster_override"
    id: str = Field(default_factory=new_id, primary_key=True)
    unit_code: str = Field(foreign_key="unit.code", index=True, max_length=5)
    kind: str = Field(max_length=8)  # "leave" | "cover"
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    source: str = Field(default="file", max_length=8)  # "file" entries are replaced at start; "cli" ones stay


class DutyHandoff(SQLModel, table=True):
    """Who was last told they are on duty, so each handoff message goes out once."""

    __tablename__ = "duty_handoff"
    unit_code: str = Field(foreign_key="unit.code", primary_key=True, max_length=5)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    since: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Contact(SQLModel, table=True):
    """Someone outside the officer list who is told, never asked: the unit's police contact, the
    national line. The address is sealed like an officer's."""

    __tablename__ = "contact"
    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(max_length=16)  # "police" | "national"
    unit_code: str | None = Field(default=None, foreign_key="unit.code", index=True, max_length=5)
    name: str
    channel: str
    key_id: str = Field(max_length=32)
    address_ct: bytes = _blob(nullable=False)


class Attachment(SQLModel, table=True):
    """An evidence photo, metadata stripped, sealed under its draft's key and re-sealed at submit."""

    __tablename__ = "attachment"
    id: str = Field(default_factory=new_id, primary_key=True)
    key_id: str = Field(max_length=32)
    case_id: str | None = Field(default=None, foreign_key="report_case.id", index=True)
    draft_handle: str | None = Field(default=None, max_length=64, index=True)
    content_type: str
    size: int
    data_ct: bytes = _blob(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """Where a person is in a flow; the whole state is sealed under the conversation's own key."""

    __tablename__ = "conversation"
    handle: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=32)
    state_ct: bytes = _blob(nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)  # stale drafts are shredded
    receipt_until: datetime | None = _when(nullable=True, index=True)  # a kept receipt's end, for its sweeper


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
    address_ct: bytes | None = _blob()
    payload_ct: bytes | None = _blob()
    state: str = Field(default=OutboxState.PENDING, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    claimed_until: datetime | None = _when(nullable=True)
    sent_at: datetime | None = _when(nullable=True)
    platform_message_id: str | None = None
    last_error: str | None = None
    # the keyed handle of the person whose chat this goes to, while it waits: keeps that chat in order,
    # lets a wipe or a purge take back what has not gone out; forgotten once it is settled
    person: str | None = Field(default=None, max_length=64, index=True)


class AuditEntry(SQLModel, table=True):
    """Append-only, hash-chained record of every access to case details."""

    __tablename__ = "audit_log"
    seq: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    action: str
    case_id: str | None = Field(default=None, foreign_key="report_case.id")
    prev_hash: str
    hash: str = Field(unique=True)


class WebLink(SQLModel, table=True):
    """A single-use sign-in link an officer asked for in a private chat; only its hash is kept."""

    __tablename__ = "web_link"
    token_hash: str = Field(primary_key=True, max_length=64)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = _when(nullable=True)


class WebSession(SQLModel, table=True):
    """A console session bound to one officer; the cookie holds the token, the database only its hash."""

    __tablename__ = "web_session"
    token_hash: str = Field(primary_key=True, max_length=64)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    csrf: str = Field(max_length=64)  # echoed in every form; useless without the HttpOnly cookie
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ended_at: datetime | None = _when(nullable=True)
    second_factor: bool = False  # TOTP passed, or not enrolled
    locale: str = Field(default="vi", max_length=8)
    flash: str | None = Field(default=None, max_length=400)  # the last action's answer, shown once after the redirect


class OfficerTotp(SQLModel, table=True):
    """An officer's TOTP secret (sealed); ``last_step`` stops a code from being used twice."""

    __tablename__ = "officer_totp"
    officer_id: str = Field(foreign_key="officer.id", primary_key=True)
    key_id: str = Field(max_length=32)
    secret_ct: bytes = _blob(nullable=False)
    confirmed: bool = False
    last_step: int = 0


class ChatMigration(SQLModel, table=True):
    """A Telegram group that became a supergroup under a new chat id. The deployment file still names
    the old id until an administrator edits it, so every start and every send follows this record."""

    __tablename__ = "chat_migration"
    old_chat_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    new_chat_id: int = Field(sa_type=sa.BigInteger)
    migrated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
