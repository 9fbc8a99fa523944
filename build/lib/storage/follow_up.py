"""After the report: sealed messages on a case, guesses at a reporter's secret, officers' pending input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Attachment, Case, CaseMessage, OfficerPending, SecretAttempt
from storage.vault import Vault

__all__ = [
    "GuessLimits",
    "add_message",
    "case_messages",
    "guessing_blocked",
    "mark_read",
    "photos_added_since",
    "record_wrong_secret",
    "set_pending",
    "take_pending",
]


@dataclass(frozen=True)
class GuessLimits:
    """Wrong follow-up secrets a person may send (docs/features.md, "Follow-up, anonymously"). Strangers' tries never
    count against another person, so nobody can lock a reporter out of their own case."""

    burst: int = 5  # per person within ``burst_window``
    burst_window: timedelta = timedelta(minutes=15)
    daily: int = 20  # per person within a day
    hot_code: int = 5  # wrong tries on one code within a day, by anyone: it is being guessed at
    on_hot_code: int = 2  # what each person may then still try on it within a day


DAY = timedelta(hours=24)
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


async def guessing_blocked(
    session: AsyncSession, *, handle: str, code_key: str, now: datetime, limits: GuessLimits = GuessLimits()
) -> bool:
    """Too many wrong secrets from this person lately, or on this code when many people guess at it.
    ``code_key`` is a keyed hash of the code as typed: real and invented codes are counted alike."""

    async def count(*where: Any) -> int:
        return (await session.exec(select(func.count()).select_from(SecretAttempt).where(*where))).one()

    today, mine = col(SecretAttempt.at) >= now - DAY, col(SecretAttempt.handle) == handle
    if await count(mine, col(SecretAttempt.at) >= now - limits.burst_window) >= limits.burst:
        return True
    if await count(mine, today) >= limits.daily:
        return True
    on_code = col(SecretAttempt.code_key) == code_key
    return await count(on_code, today) >= limits.hot_code and await count(on_code, mine, today) >= limits.on_hot_code


async def record_wrong_secret(session: AsyncSession, *, handle: str, code_key: str, now: datetime) -> None:
    session.add(SecretAttempt(handle=handle, code_key=code_key, at=now))
    await session.exec(delete(SecretAttempt).where(col(SecretAttempt.at) < now - DAY))
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
