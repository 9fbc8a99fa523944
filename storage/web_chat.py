"""The public web chat's visits and what waits to be shown to them, sealed under the visit's own key.

A visit is keyed by the person's handle (a keyed hash of the random id in their cookie): the database
never holds the cookie, and ending the visit shreds the key of everything shown in it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import UTCDateTime, new_id, utcnow
from storage.vault import Vault

__all__ = [
    "WebNote", "WebVisit", "drop_seen", "end_visit", "forget_expired", "has_unseen", "issue_form_token", "notes_of", "put_notes",
    "start_visit", "take_form_token", "visit_of",
]


class WebVisit(SQLModel, table=True):
    """One browser's session; ``form_token`` is the hash of the one token the page on screen carries."""

    __tablename__ = "web_visit"
    handle: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=32)
    form_token: str = Field(default="", max_length=64)
    locale: str = Field(default="vi", max_length=8)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class WebNote(SQLModel, table=True):
    """A message for the page (as ``Outbound.to_json``): the engine's answer, or an officer's question that came through the outbox."""

    __tablename__ = "web_note"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    handle: str = Field(foreign_key="web_visit.handle", index=True, max_length=64)
    seq: int = 0
    seen: bool = False  # shown once: the next answer replaces it
    message_ct: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _place(note_id: str) -> tuple[str, str, str]:
    return ("web_note", "message_ct", note_id)


async def start_visit(session: AsyncSession, vault: Vault, handle: str, *, locale: str, lasts: timedelta) -> WebVisit:
    visit = WebVisit(handle=handle, key_id=await vault.create_key(session), locale=locale, expires_at=utcnow() + lasts)
    session.add(visit)
    await session.flush()
    return visit


async def visit_of(session: AsyncSession, handle: str, *, now: datetime) -> WebVisit | None:
    visit = await session.get(WebVisit, handle)
    return visit if visit is not None and visit.expires_at > now else None


def issue_form_token(visit: WebVisit) -> str:
    """A new token for the page about to be shown; any older page's forms stop counting."""
    token = secrets.token_urlsafe(24)
    visit.form_token = _digest(token)
    return token


def take_form_token(visit: WebVisit, given: object) -> bool:
    """True once for the page on screen: a replayed or stale form is refused."""
    if not isinstance(given, str) or not visit.form_token or not secrets.compare_digest(_digest(given), visit.form_token):
        return False
    visit.form_token = ""
    return True


async def put_notes(session: AsyncSession, vault: Vault, visit: WebVisit, messages: list[dict[str, Any]]) -> None:
    last = (await session.exec(select(WebNote.seq).where(WebNote.handle == visit.handle).order_by(col(WebNote.seq).desc()))).first()
    for seq, message in enumerate(messages, start=(last or 0) + 1):
        note = WebNote(handle=visit.handle, seq=seq, message_ct=b"")
        note.message_ct = await vault.seal_json(session, visit.key_id, _place(note.id), message)
        session.add(note)
    await session.flush()


async def has_unseen(session: AsyncSession, handle: str) -> bool:
    """Something came after the page was drawn (an officer's question): the page's script fetches it."""
    found = await session.exec(select(WebNote.seq).where(WebNote.handle == handle, col(WebNote.seen).is_(False)).limit(1))
    return found.first() is not None


async def drop_seen(session: AsyncSession, handle: str, *, keep: int = 0) -> None:
    """A new answer replaces what the screen showed, but for its newest ``keep`` messages; an officer's
    question not yet shown stays."""
    kept = select(WebNote.seq).where(WebNote.handle == handle, col(WebNote.seen)).order_by(col(WebNote.seq).desc()).limit(keep)
    await session.exec(delete(WebNote).where(  # type: ignore[call-overload]
        col(WebNote.handle) == handle, col(WebNote.seen), col(WebNote.seq).not_in(kept.scalar_subquery())
    ))


async def notes_of(session: AsyncSession, vault: Vault, visit: WebVisit) -> list[dict[str, Any]]:
    """The messages for the page, in order, all marked seen (a reload shows them again)."""
    notes = (await session.exec(select(WebNote).where(WebNote.handle == visit.handle).order_by(col(WebNote.seq)))).all()
    shown = []
    for note in notes:
        shown.append(await vault.open_json(session, visit.key_id, _place(note.id), note.message_ct))
        note.seen = True
        session.add(note)
    await session.flush()
    return shown


async def end_visit(session: AsyncSession, vault: Vault, handle: str) -> None:
    """Quick exit, wipe, expiry: the notes go and their key is shredded."""
    visit = await session.get(WebVisit, handle)
    await session.exec(delete(WebNote).where(col(WebNote.handle) == handle))  # type: ignore[call-overload]
    if visit is not None:
        await session.delete(visit)
        await session.flush()
        await vault.shred(session, visit.key_id)


async def forget_expired(session: AsyncSession, vault: Vault, *, now: datetime, limit: int = 50) -> int:
    """A few expired visits per call: nobody can come back to them (their cookie has expired too)."""
    handles = (await session.exec(select(WebVisit.handle).where(WebVisit.expires_at <= now).limit(limit))).all()
    for handle in handles:
        await end_visit(session, vault, handle)
    return len(handles)
