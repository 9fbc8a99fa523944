"""Who may be told: units, officers and their platform identities (keyed hashes), contacts, rosters."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow

__all__ = [
    "ChatMigration", "Collaborator", "CollaboratorIdentity", "Contact", "DutyHandoff", "Officer", "OfficerIdentity",
    "OfficerPending", "Roster", "RosterOverride", "Unit",
]


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
    address_ct: bytes | None = blob_field()


class Collaborator(SQLModel, table=True):
    """A commune's cộng tác viên (village or street volunteer): their reports go straight to their commune,
    they follow them without code and secret, and the commune's officers ask them for home visits."""

    __tablename__ = "collaborator"
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    unit_code: str = Field(foreign_key="unit.code", index=True, max_length=5)
    village: str  # the village or street (thôn, tổ dân phố) they look after, as the deployment file names it
    active: bool = True


class CollaboratorIdentity(SQLModel, table=True):
    """A collaborator's platform account as a keyed handle, and (sealed) their private chat for home visits."""

    __tablename__ = "collaborator_identity"
    handle: str = Field(primary_key=True, max_length=64)
    collaborator_id: str = Field(foreign_key="collaborator.id", index=True)
    channel: str
    key_id: str | None = Field(default=None, max_length=32)
    address_ct: bytes | None = blob_field()


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
    address_ct: bytes = blob_field(nullable=False)


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


class OfficerPending(SQLModel, table=True):
    """What an officer's next typed message means (a note, a question for the reporter, a unit to
    transfer to); codes only, the text itself goes straight to the sealed case message."""

    __tablename__ = "officer_pending"
    handle: str = Field(primary_key=True, max_length=64)
    action: str = Field(max_length=16)
    case_code: str = Field(max_length=16)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class ChatMigration(SQLModel, table=True):
    """A Telegram group that became a supergroup under a new chat id. The deployment file still names
    the old id until an administrator edits it, so every start and every send follows this record."""

    __tablename__ = "chat_migration"
    old_chat_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    new_chat_id: int = Field(sa_type=sa.BigInteger)
    migrated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
