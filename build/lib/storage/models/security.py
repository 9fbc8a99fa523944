"""Keys and trust: wrapped data keys, the hash-chained audit log, console links, sessions and TOTP."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import UTCDateTime, blob_field, new_id, utcnow, when_field

__all__ = ["AuditEntry", "DataKey", "OfficerTotp", "WebLink", "WebSession"]


class DataKey(SQLModel, table=True):
    """A data key wrapped by a master key version; deleting the row shreds what it sealed.

    Rows refer to it by ``key_id`` without a foreign key, so a case outlives its shredded key.
    """

    __tablename__ = "data_key"
    id: str = Field(default_factory=new_id, primary_key=True)
    master_version: int
    wrapped: bytes = blob_field(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
    used_at: datetime | None = when_field(nullable=True)


class WebSession(SQLModel, table=True):
    """A console session bound to one officer; the cookie holds the token, the database only its hash."""

    __tablename__ = "web_session"
    token_hash: str = Field(primary_key=True, max_length=64)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    csrf: str = Field(max_length=64)  # echoed in every form; useless without the HttpOnly cookie
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ended_at: datetime | None = when_field(nullable=True)
    second_factor: bool = False  # TOTP passed, or not enrolled
    locale: str = Field(default="vi", max_length=8)
    flash: str | None = Field(default=None, max_length=400)  # the last action's answer, shown once after the redirect


class OfficerTotp(SQLModel, table=True):
    """An officer's TOTP secret (sealed); ``last_step`` stops a code from being used twice."""

    __tablename__ = "officer_totp"
    officer_id: str = Field(foreign_key="officer.id", primary_key=True)
    key_id: str = Field(max_length=32)
    secret_ct: bytes = blob_field(nullable=False)
    confirmed: bool = False
    last_step: int = 0
