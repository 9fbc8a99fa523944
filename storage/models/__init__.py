"""Database tables, by what they hold (one module each); this package is their one import path.
Columns ending in ``_ct`` hold AES-GCM ciphertext bound to (table, column, id)."""

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow, when_field
from storage.models.cases import (
    Attachment,
    Case,
    CaseEvent,
    CaseMessage,
    CaseStatus,
    Conversation,
    EventKind,
    MessageDirection,
    SecretAttempt,
)
from storage.models.delivery import (
    Escalation,
    EscalationState,
    FloodNotice,
    InboundSeen,
    OutboxDigest,
    OutboxMessage,
    OutboxState,
)
from storage.models.directory import (
    ChatMigration,
    Collaborator,
    CollaboratorIdentity,
    Contact,
    DutyHandoff,
    Officer,
    OfficerIdentity,
    OfficerPending,
    Roster,
    RosterOverride,
    Unit,
)
from storage.models.outreach import LearnRead
from storage.models.reports import ReportReminder, ReportText
from storage.models.security import AuditEntry, DataKey, OfficerTotp, WebLink, WebSession
from storage.models.watchdog import WatchdogAlert

__all__ = [
    "Attachment",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "CaseMessage",
    "CaseStatus",
    "ChatMigration",
    "Collaborator",
    "CollaboratorIdentity",
    "Contact",
    "Conversation",
    "DataKey",
    "DutyHandoff",
    "Escalation",
    "EscalationState",
    "EventKind",
    "FloodNotice",
    "InboundSeen",
    "LearnRead",
    "MessageDirection",
    "Officer",
    "OfficerIdentity",
    "OfficerPending",
    "OfficerTotp",
    "OutboxDigest",
    "OutboxMessage",
    "OutboxState",
    "ReportReminder",
    "ReportText",
    "Roster",
    "RosterOverride",
    "SecretAttempt",
    "UTCDateTime",
    "Unit",
    "WatchdogAlert",
    "WebLink",
    "WebSession",
    "blob_field",
    "new_id",
    "utcnow",
    "when_field",
]
