"""A case and what belongs to it: timeline, messages, attachments, follow-up tries, the person's draft."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow, when_field

__all__ = [
    "Attachment", "Case", "CaseEvent", "CaseMessage", "CaseStatus",
    "Conversation", "EventKind", "MessageDirection", "SecretAttempt",
]


class CaseStatus(StrEnum):
    """The Decree 56 process (docs/law-and-process.md, "The handling process"), in order; the forms each
    step produces are in comments."""

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
    ASSESSMENT_RECORDED = "assessment_recorded"  # detail: finding, children and group numbers, never content
    SAME_CHILD_LINKED = "same_child_linked"  # detail: the other case's code
    URGENT_RAISED = "urgent_raised"  # danger said after submitting: the case became urgent
    VISIT_REQUESTED = "visit_requested"  # a collaborator was asked for a home visit; detail: their id
    CLOSED = "closed"


class MessageDirection(StrEnum):
    TO_REPORTER = "to_reporter"  # an officer's question
    FROM_REPORTER = "from_reporter"  # a reply, or information added later
    NOTE = "note"  # internal: officers only


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
    # where it happened, as the adult reporter chose it (home, school, online, public, other; None: not asked or
    # skipped): in clear like the category, for the report's "where" table
    setting: str | None = Field(default=None, max_length=16)
    channel: str
    reporter_kind: str
    status: str = Field(default=CaseStatus.RECEIVED, index=True)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    acknowledged_at: datetime | None = when_field(nullable=True)
    acknowledged_by: str | None = Field(default=None, foreign_key="officer.id")
    first_acknowledged_at: datetime | None = when_field(nullable=True)  # time-to-acknowledge, for statistics
    assessed_at: datetime | None = when_field(nullable=True)  # time-to-assessment (the 12-hour clock)
    last_progress_at: datetime | None = when_field(nullable=True)
    suspected_crime: bool = False
    policy: str = Field(default="{}")  # frozen snapshot of the escalation policy and deadlines (JSON)
    secret_hash: str | None = Field(default=None, max_length=120)  # the reporter's follow-up secret (peppered, then scrypt)
    outcome: str | None = Field(default=None, max_length=24)
    closed_at: datetime | None = when_field(nullable=True)
    duplicate_of: str | None = Field(default=None, foreign_key="report_case.id")
    # Recorded by the officer at assessment (never asked of the reporter): "confirmed" or "unfounded", how many
    # children the case concerns, their special circumstances (Law on Children Art. 10 group numbers, comma
    # separated, one per child: "4,4" is two children with a disability), and the case that concerns the same
    # child (statistics count that child once).
    finding: str | None = Field(default=None, max_length=16)
    children: int | None = None
    special: str | None = Field(default=None, max_length=80)
    same_child_of: str | None = Field(default=None, foreign_key="report_case.id")
    reporter_handle: str = Field(max_length=64, index=True)
    contact_allowed: bool = False
    body_ct: bytes = blob_field(nullable=False)
    reply_address_ct: bytes | None = blob_field()


class CaseEvent(SQLModel, table=True):
    __tablename__ = "case_event"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="report_case.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    detail: str | None = Field(default=None, max_length=200)  # step, target and reason codes; never content


class CaseMessage(SQLModel, table=True):
    """A message on a case (question, reply, internal note), sealed under the case's key."""

    __tablename__ = "case_message"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="report_case.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    direction: str = Field(max_length=16)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    body_ct: bytes = blob_field(nullable=False)
    read_at: datetime | None = when_field(nullable=True)  # by the reporter (questions) or an officer (replies)


class Attachment(SQLModel, table=True):
    """An evidence photo, metadata stripped, sealed under its draft's key and re-sealed at submit."""

    __tablename__ = "attachment"
    id: str = Field(default_factory=new_id, primary_key=True)
    key_id: str = Field(max_length=32)
    case_id: str | None = Field(default=None, foreign_key="report_case.id", index=True)
    draft_handle: str | None = Field(default=None, max_length=64, index=True)
    content_type: str
    size: int
    data_ct: bytes = blob_field(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SecretAttempt(SQLModel, table=True):
    """A wrong follow-up secret, counted per person and per code to rate-limit guessing. No case id: the
    code is kept as a keyed hash of what was typed, so the rows do not tell real codes from invented ones."""

    __tablename__ = "secret_attempt"
    id: str = Field(default_factory=new_id, primary_key=True)
    handle: str = Field(max_length=64, index=True)
    code_key: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class Conversation(SQLModel, table=True):
    """Where a person is in a flow; the whole state is sealed under the conversation's own key."""

    __tablename__ = "conversation"
    handle: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=32)
    state_ct: bytes = blob_field(nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)  # stale drafts are shredded
    receipt_until: datetime | None = when_field(nullable=True, index=True)  # a kept receipt's end, for its sweeper
