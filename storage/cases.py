"""Cases: creation in one transaction with its timeline, and the single door through which officers reach one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audit import append_audit
from storage.models import Attachment, Case, CaseEvent, CaseStatus, EventKind, Officer
from storage.units import ancestors
from storage.vault import Vault

__all__ = [
    "CODE_ALPHABET",
    "Submission",
    "acknowledge",
    "amend_case_record",
    "case_by_code",
    "case_attachment_ids",
    "create_case",
    "get_case_for_officer",
    "may_read",
    "new_case_code",
    "open_body",
    "record_event",
]

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over a phone without doubt
CODE_PREFIX = "TE-"


def new_case_code(length: int = 5) -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class Submission:
    """What a reporter submitted: clear routing/statistics fields plus a body that is only stored sealed."""

    category: str
    urgent: bool
    age_band: str
    sex: str
    place_code: str | None
    channel: str
    reporter_kind: str
    reporter_handle: str
    contact_allowed: bool
    body: dict[str, Any]
    reply_address: str | None
    setting: str | None = None  # where it happened, if the reporter said


async def _unused_code(session: AsyncSession) -> str:
    while True:
        code = new_case_code()
        if (await session.exec(select(Case.id).where(col(Case.code) == code))).first() is None:
            return code


async def create_case(
    session: AsyncSession,
    vault: Vault,
    submission: Submission,
    *,
    unit_code: str,
    draft: tuple[str, str] | None,
    received_at: datetime,
) -> Case:
    """``draft`` is (handle, key id) of the conversation whose photos move to the case, re-sealed.
    ``received_at`` is T0 of every Decree-56 clock."""
    case = Case(
        received_at=received_at,
        code=await _unused_code(session),
        key_id=await vault.create_key(session),
        unit_code=unit_code,
        place_code=submission.place_code,
        category=submission.category,
        urgent=submission.urgent,
        age_band=submission.age_band,
        sex=submission.sex,
        setting=submission.setting,
        channel=submission.channel,
        reporter_kind=submission.reporter_kind,
        reporter_handle=submission.reporter_handle,
        contact_allowed=submission.contact_allowed,
        body_ct=b"",
    )
    await _seal_reporter_fields(session, vault, case, submission)
    if draft is not None:
        await _adopt_draft_media(session, vault, draft, case)
    await record_event(session, case, EventKind.RECEIVED)
    return case


async def _seal_reporter_fields(session: AsyncSession, vault: Vault, case: Case, submission: Submission) -> None:
    case.body_ct = await vault.seal_json(session, case.key_id, ("report_case", "body_ct", case.id), submission.body)
    case.reply_address_ct = None
    if submission.contact_allowed and submission.reply_address:
        place = ("report_case", "reply_address_ct", case.id)
        case.reply_address_ct = await vault.seal(session, case.key_id, place, submission.reply_address.encode())
    session.add(case)
    await session.flush()


async def amend_case_record(
    session: AsyncSession, vault: Vault, case: Case, submission: Submission, *, draft: tuple[str, str] | None
) -> None:
    """A later answer to the same report (a child's place or consent after the urgent case was opened)."""
    case.category, case.place_code = submission.category, submission.place_code
    case.age_band, case.sex = submission.age_band, submission.sex  # an adult's case opened early by danger words
    case.setting = submission.setting
    case.urgent = case.urgent or submission.urgent  # never downgraded by a later answer
    case.contact_allowed = submission.contact_allowed
    await _seal_reporter_fields(session, vault, case, submission)
    if draft is not None:
        await _adopt_draft_media(session, vault, draft, case)


async def _adopt_draft_media(session: AsyncSession, vault: Vault, draft: tuple[str, str], case: Case) -> None:
    handle, draft_key_id = draft
    for photo in await session.exec(select(Attachment).where(col(Attachment.draft_handle) == handle)):
        place = ("attachment", "data_ct", photo.id)
        data = await vault.open(session, draft_key_id, place, photo.data_ct)
        photo.data_ct = await vault.seal(session, case.key_id, place, data)
        photo.key_id, photo.case_id, photo.draft_handle = case.key_id, case.id, None
        session.add(photo)


async def record_event(
    session: AsyncSession, case: Case, kind: EventKind, officer_id: str | None = None, *, detail: str | None = None
) -> None:
    """``detail`` holds codes (step, target, reason), never content: the timeline is stored in clear."""
    session.add(CaseEvent(case_id=case.id, kind=kind, officer_id=officer_id, detail=detail[:200] if detail else None))
    await session.flush()


async def case_by_code(session: AsyncSession, code: str) -> Case | None:
    return (await session.exec(select(Case).where(col(Case.code) == code))).first()


async def open_case_of(session: AsyncSession, handle: str) -> Case | None:
    """This person's latest case still open (the chat's keyed handle is on the case), not a linked copy."""
    query = (
        select(Case)
        .where(col(Case.reporter_handle) == handle, col(Case.status) != CaseStatus.CLOSED, col(Case.duplicate_of).is_(None))
        .order_by(col(Case.received_at).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


async def get_case_for_officer(
    session: AsyncSession, officer: Officer, code: str, *, action: str
) -> Case | None:
    """The case if the officer's unit is the case's unit or above it; every grant is audited."""
    case = await case_by_code(session, code)
    if case is None or not officer.active:
        return None
    if not await may_read(session, officer, case):
        await append_audit(session, action=f"denied:{action}", officer_id=officer.id, case_id=case.id)
        return None
    await append_audit(session, action=action, officer_id=officer.id, case_id=case.id)
    return case


async def may_read(session: AsyncSession, officer: Officer, case: Case) -> bool:
    """The case page's rule, also for whom the reporter's words may reach: an active officer of the case's
    unit or of a unit above it (the caller checks the role)."""
    return officer.active and officer.unit_code in {u.code for u in await ancestors(session, case.unit_code)}


async def acknowledge(session: AsyncSession, case: Case, officer: Officer, now: datetime) -> bool:
    """Atomic: of two officers pressing at once, exactly one takes the case."""
    result = await session.exec(
        update(Case)
        .where(col(Case.id) == case.id, col(Case.status) == CaseStatus.RECEIVED)
        .values(status=CaseStatus.ACKNOWLEDGED, acknowledged_by=officer.id, acknowledged_at=now)
    )
    if result.rowcount != 1:
        await session.refresh(case)
        return False
    await session.refresh(case)
    await record_event(session, case, EventKind.ACKNOWLEDGED, officer.id)
    return True


async def open_body(session: AsyncSession, vault: Vault, case: Case) -> dict[str, Any]:
    body: dict[str, Any] = await vault.open_json(session, case.key_id, ("report_case", "body_ct", case.id), case.body_ct)
    return body


async def case_attachment_ids(session: AsyncSession, case_id: str) -> list[str]:
    query = select(Attachment.id).where(col(Attachment.case_id) == case_id).order_by(col(Attachment.created_at))
    return list(await session.exec(query))
