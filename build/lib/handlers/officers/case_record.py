"""A case as the commune's dossier needs it: the intake record shaped like Decree 56 form 01, and the
steps of forms 02–06 as far as they were recorded. Officers never retype a case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import local_time
from handlers.i18n import t
from handlers.places import place_by_code
from handlers.services import Services
from storage.audit import append_audit
from storage.cases import case_attachment_ids, open_body
from storage.follow_up import case_messages
from storage.models import Case, CaseEvent, EventKind, MessageDirection, Officer, Unit

__all__ = ["CaseRecord", "Section", "case_record"]

# The forms each recorded step stands for, in the dossier's order.
_FORM_OF_STATUS = {
    "assessed": "02", "protecting": "07", "detailed_assessment": "03",
    "plan_drafted": "04", "plan_approved": "05", "closed": "06",
}


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[tuple[str, str], ...]  # (label, value)


@dataclass(frozen=True)
class CaseRecord:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str


async def case_record(services: Services, session: AsyncSession, case: Case, *, who: str | None) -> CaseRecord:
    """Decrypts the report for the dossier; the caller's name (or None for the server's CLI) is audited.
    The reporter is anonymous by design: form 01 lets their details be left out unless they agree."""
    locale, body = services.alert_locale, await open_body(session, services.vault, case)
    await append_audit(session, action="export", officer_id=who, case_id=case.id)
    unit = await session.get(Unit, case.unit_code)
    place = place_by_code(case.place_code) if case.place_code else None
    unknown = t(locale, "record.unknown")
    intake = Section(t(locale, "record.intake"), (
        (t(locale, "record.code"), case.code),
        (t(locale, "record.received"), local_time(case.received_at)),
        (t(locale, "record.channel"), t(locale, "record.channel_value", channel=case.channel.capitalize())),
        (t(locale, "record.unit"), unit.name if unit else case.unit_code),
    ))
    child = Section(t(locale, "record.child"), (
        (t(locale, "record.child_name"), unknown),
        (t(locale, "record.age"), t(locale, f"step.age_band.{case.age_band}")),
        (t(locale, "record.sex"), t(locale, f"step.sex.{case.sex}")),
        (t(locale, "record.place"), place.label if place else unknown),
        (t(locale, "record.address"), body.get("address") or unknown),
        (t(locale, "record.form"), t(locale, f"step.category.{case.category}")),
        (t(locale, "record.danger"), t(locale, "step.review.yes" if case.urgent else "step.review.no")),
        (t(locale, "record.description"), body.get("description") or unknown),
        (t(locale, "record.attachments"), str(len(await case_attachment_ids(session, case.id)))),
        (t(locale, "record.carers"), unknown),
    ))
    relation = body.get("relation")
    reporter = Section(t(locale, "record.reporter"), (
        (t(locale, "record.reporter_identity"), t(locale, "record.anonymous")),
        (t(locale, "record.relation"), t(locale, f"step.relation.{relation}") if relation else unknown),
        (t(locale, "record.contact"), t(locale, "step.review.yes" if case.contact_allowed else "step.review.no")),
    ))
    added = await case_messages(session, services.vault, case, directions=(MessageDirection.FROM_REPORTER,))
    later = Section(t(locale, "record.added"), tuple((local_time(m.at), text) for m, text in added) or ((unknown, ""),))
    return CaseRecord(
        t(locale, "record.title", code=case.code),
        t(locale, "record.subtitle"),
        (intake, child, reporter, later, await _steps(session, locale, case)),
        t(locale, "record.footer"),
    )


async def _steps(session: AsyncSession, locale: str, case: Case) -> Section:
    """Forms 02–06 as recorded: each step with when and by whom, then the closing outcome."""
    kinds = (EventKind.ACKNOWLEDGED, EventKind.STATUS_CHANGED, EventKind.TRANSFERRED, EventKind.CLOSED)
    events = (await session.exec(
        select(CaseEvent).where(col(CaseEvent.case_id) == case.id, col(CaseEvent.kind).in_(kinds)).order_by(col(CaseEvent.at))
    )).all()
    names = {o.id: o.name for o in (await session.exec(select(Officer))).all()}
    rows = []
    for event in events:
        step = event.detail if event.kind == EventKind.STATUS_CHANGED else None
        what = t(locale, f"status.{step}") if step in _FORM_OF_STATUS else t(locale, f"event.{event.kind}")
        if event.kind == EventKind.CLOSED and event.detail:
            what = f"{t(locale, 'status.closed')}: {t(locale, f'outcome.{event.detail}')}"
        rows.append((local_time(event.at), f"{what} — {names.get(event.officer_id or '', '')}".rstrip(" —")))
    return Section(t(locale, "record.steps"), tuple(rows) or ((t(locale, "record.unknown"), ""),))
