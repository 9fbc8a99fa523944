"""After the report: sealed messages on a case, guesses at a reporter's secret, officers' pending input."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Attachment, Case, CaseMessage, OfficerPending, SecretAttempt
from storage.vault import Vault

__all__ = [
    "ATTEMPT_WINDOW",
    "MAX_ATTEMPTS",
    "add_message",
    "case_messages",
    "guessing_blocked",
    "mark_read",
    "photos_added_since",
    "record_wrong_secret",
    "set_pending",
    "take_pending",
]

MAX_ATTEMPTS = 5  # wrong secrets per case, and per person, within the window
ATTEMPT_WINDOW = timedelta(minutes=15)
PENDING_FOR = timedelta(minutes=15)


def _place(message: CaseMessage) -> tuple[str, str, str]:
    return ("case_message", "body_ct", message.id)


async def add_message(
    session: AsyncSession, vault: Vault, case: Case, *, direction: str, text: str, officer_id: str | None, at: datetime
) -> CaseMessage:
    message = CaseMessage(case_id=case.id, direction=direction, officer_id=officer_id, body_ct=b"", at=at)
    message.body_ct = await vault.seal(session, case.key_id, _place(message), text.encode())
    session.add(message)
    await session.flush()
    return message


async def case_messages(
    session: AsyncSession, vault: Vault, case: Case, *, directions: tuple[str, ...], unread_only: bool = False
) -> list[tuple[CaseMessage, str]]:
    query = select(CaseMessage).where(col(CaseMessage.case_id) == case.id, col(CaseMessage.direction).in_(directions))
    if unread_only:
        query = query.where(col(CaseMessage.read_at).is_(None))
    rows = (await session.exec(query.order_by(col(CaseMessage.at)))).all()
    return [(row, (await vault.open(session, case.key_id, _place(row), row.body_ct)).decode()) for row in rows]


async def mark_read(session: AsyncSession, messages: list[CaseMessage], at: datetime) -> None:
    if messages:
        await session.exec(update(CaseMessage).where(col(CaseMessage.id).in_([m.id for m in messages])).values(read_at=at))


async def guessing_blocked(session: AsyncSession, *, case_id: str | None, handle: str, now: datetime) -> bool:
    """Too many wrong secrets lately for this case, or from this person: wait, whoever is right."""
    recent = select(func.count()).select_from(SecretAttempt).where(col(SecretAttempt.at) >= now - ATTEMPT_WINDOW)
    per_handle = (await session.exec(recent.where(col(SecretAttempt.handle) == handle))).one()
    per_case = (await session.exec(recent.where(col(SecretAttempt.case_id) == case_id))).one() if case_id else 0
    return per_case >= MAX_ATTEMPTS or per_handle >= MAX_ATTEMPTS


async def record_wrong_secret(session: AsyncSession, *, case_id: str | None, handle: str, now: datetime) -> None:
    session.add(SecretAttempt(case_id=case_id, handle=handle, at=now))
    await session.exec(delete(SecretAttempt).where(col(SecretAttempt.at) < now - ATTEMPT_WINDOW))
    await session.flush()


async def set_pending(session: AsyncSession, handle: str, *, action: str, case_code: str, now: datetime) -> None:
    row = await session.get(OfficerPending, handle) or OfficerPending(handle=handle, action=action, case_code=case_code, expires_at=now)
    row.action, row.case_code, row.expires_at = action, case_code, now + PENDING_FOR
    session.add(row)
    await session.flush()


async def take_pending(session: AsyncSession, handle: str, now: datetime) -> OfficerPending | None:
    """The officer's pending input, once: it is removed as it is taken (or found expired)."""
    row = await session.get(OfficerPending, handle)
    if row is None:
        return None
    await session.delete(row)
    await session.flush()
    return row if row.expires_at > now else None


async def photos_added_since(session: AsyncSession, case: Case, since: datetime) -> int:
    """Photos the reporter added to a submitted case after ``since`` (the report's own ones are older than
    its receipt): each is decoded and sealed, so how many a person may add is limited."""
    after = max(since, case.received_at)
    query = select(func.count()).select_from(Attachment)
    query = query.where(col(Attachment.case_id) == case.id, col(Attachment.created_at) > after)
    return int((await session.exec(query)).one())
