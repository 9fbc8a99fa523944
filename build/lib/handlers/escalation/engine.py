"""Performs escalation and deadline steps: whom to tell, what, and what happens next; all in the caller's
transaction, with the case row locked, so a step and its messages commit together or not at all."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import ACK, VIEW, alert_card, duration_text, local_time
from handlers.escalation.cards import (
    CANCELLED_BY_ACK,
    DEADLINE,
    ESCALATION,
    NOTICE,
    Recipient,
    group_recipients,
    refresh_cards,
    send,
)
from handlers.escalation.duty import duty_shift
from handlers.i18n import t
from handlers.messages import Choice, Outbound
from handlers.rules.deadlines import deadline_of, policy_of
from handlers.rules.policy import PlannedStep, StepKind, Target, Track, first_step, plan_next, track_steps
from handlers.services import Services
from storage.cases import record_event
from storage.escalation import claim, lock_case, pending_tracks, set_track, stop_tracks
from storage.models import Case, CaseStatus, Escalation, EventKind, Officer, OutboxMessage, OutboxState
from storage.units import ancestors, contact_addresses, officer_addresses, officers_with_role

__all__ = [
    "acknowledged",
    "fire",
    "progressed",
    "released",
    "restart_chain",
    "start_deadline",
    "start_escalation",
    "stop_all",
    "stop_deadline",
]

log = logging.getLogger(__name__)
MAX_STEPS_PER_PASS = 50  # a restart after a long outage catches up step by step, never in an endless loop
_PURPOSE = {StepKind.REMINDER: DEADLINE, StepKind.MISSED: DEADLINE, StepKind.TIMEOUT: ESCALATION, StepKind.NOTICE: NOTICE}


async def _begin(services: Services, session: AsyncSession, case: Case, track: Track, anchor: datetime) -> Escalation:
    steps = track_steps(policy_of(case), track, urgent=case.urgent)
    found = first_step(steps, anchor, services.clock())
    return await set_track(session, case.id, track, anchor=anchor, step=found.step, due=found.due)


async def start_escalation(services: Services, session: AsyncSession, case: Case, *, held: bool = False) -> None:
    """At submission: the chain, the Decree-56 clocks and (suspected crime) the police, with the
    first step (the duty group) performed at once in the same transaction. ``held`` (a report held back
    in a flood of new accounts): the clocks only — no card, no page, no police — so that a held report
    nobody opens still reaches the leader and then the province when its 12 hours run out."""
    policy = services.policy_for(case.unit_code)
    case.policy = policy.model_dump_json()
    case.suspected_crime = case.category in policy.crime_categories
    session.add(case)
    if not held:
        await _begin(services, session, case, Track.CHAIN, case.received_at)
    for track in (Track.ASSESSMENT, Track.PLAN):
        await _begin(services, session, case, track, deadline_of(case, track))
    if case.suspected_crime and not held:
        await _begin(services, session, case, Track.POLICE, case.received_at)
    await _run_due(services, session, case)


async def restart_chain(services: Services, session: AsyncSession, case: Case) -> None:
    """Nobody owns the case again (released, timed out, moved to another unit): the chain starts over now."""
    await _begin(services, session, case, Track.CHAIN, services.clock())
    await _run_due(services, session, case)


async def fire(services: Services, row_id: str, case_id: str) -> bool:
    """The worker's entry: one due row, claimed and performed in one transaction. False if another
    worker had it, or it was cancelled or moved in the meantime."""
    async with services.db.transaction() as session:
        case = await lock_case(session, case_id)
        if case is None or await claim(session, row_id, services.clock()) is None:
            return False
        await _run_due(services, session, case)
    return True


async def _run_due(services: Services, session: AsyncSession, case: Case) -> None:
    for _ in range(MAX_STEPS_PER_PASS):
        now = services.clock()
        due = [r for r in (await pending_tracks(session, case.id)).values() if r.due_at is not None and r.due_at <= now]
        if not due:
            return
        await _perform(services, session, case, min(due, key=lambda r: r.due_at or now), now)
    log.error("case %s: more than %d steps due at once; the rest go in the next pass", case.code, MAX_STEPS_PER_PASS)


def _still_relevant(case: Case, track: Track) -> bool:
    if track is Track.CHAIN:
        return case.status == CaseStatus.RECEIVED
    if track is Track.ACK_TIMEOUT:
        return case.status == CaseStatus.ACKNOWLEDGED
    return case.status != CaseStatus.CLOSED


async def _perform(services: Services, session: AsyncSession, case: Case, row: Escalation, now: datetime) -> None:
    track = Track(row.track)
    steps = track_steps(policy_of(case), track, urgent=case.urgent)
    if not _still_relevant(case, track) or row.step >= len(steps):
        await stop_tracks(session, case.id, [track])
        await record_event(session, case, EventKind.STEP_CANCELLED, detail=f"{track}: case is {case.status}")
        return
    step = steps[row.step]
    reached = await _notify(services, session, case, row, step, now)
    if step.kind is StepKind.TIMEOUT:
        await _time_out(services, session, case)
    nxt = plan_next(steps, row.anchor, row.step, now, skipped=not reached)
    await set_track(session, case.id, track, anchor=row.anchor, step=nxt.step, due=nxt.due)
    if step.kind in (StepKind.REMINDER, StepKind.MISSED):
        await refresh_cards(services, session, case, now)


async def _notify(
    services: Services, session: AsyncSession, case: Case, row: Escalation, step: PlannedStep, now: datetime
) -> bool:
    told, skipped, reached = [], [], set()
    for target in step.notify:
        recipients, reason = await _resolve(services, session, case, target, now)
        if not recipients:
            skipped.append(f"{target}({reason})")
            continue
        told.append(target.value)
        for recipient in recipients:
            if (recipient.channel, recipient.address) not in reached:  # the owner may also be on duty
                reached.add((recipient.channel, recipient.address))
                if step.kind in _PURPOSE:  # only "nobody took it" cards are group cards, edited in place later
                    recipient = replace(recipient, purpose=_PURPOSE[step.kind])
                await send(services, session, case, recipient, _message(services, case, row, step, recipient, now))
    where = f"{row.track}#{row.step} {step.kind}"
    if told:
        await record_event(session, case, EventKind.STEP_SENT, detail=f"{where}: {', '.join(told)}")
    if skipped:
        await record_event(session, case, EventKind.STEP_SKIPPED, detail=f"{where}: {', '.join(skipped)}")
    return bool(told)


async def _people(services: Services, session: AsyncSession, officer_ids: list[str | None], purpose: str) -> list[Recipient]:
    found = []
    for officer_id in dict.fromkeys(i for i in officer_ids if i):
        found += [Recipient(ch, addr, purpose) for ch, addr in await officer_addresses(session, services.vault, officer_id)]
    return found


async def _resolve(
    services: Services, session: AsyncSession, case: Case, target: Target, now: datetime
) -> tuple[list[Recipient], str]:
    """Who ``target`` means for this case right now, or nobody and why (the timeline keeps the reason)."""
    if target is Target.GROUP:
        return await group_recipients(services, session, case.unit_code), "no_duty_group"
    if target is Target.PARENT_GROUP:
        above = (await ancestors(session, case.unit_code))[1:]
        return (await group_recipients(services, session, above[0].code) if above else []), "no_parent_unit"
    if target in (Target.DUTY_OFFICER, Target.BACKUP, Target.OWNER):
        if target is Target.OWNER and case.acknowledged_by:
            owner = await _people(services, session, [case.acknowledged_by], ESCALATION)
            if owner:
                return owner, ""
        shift = await duty_shift(session, case.unit_code, now)
        if shift is None:
            return [], "no_roster"
        person = shift.backup if target is Target.BACKUP else shift.officer
        return await _people(services, session, [person], ESCALATION), "nobody_on_duty"
    if target is Target.LEADER:
        leaders = await officers_with_role(session, case.unit_code, "leader")
        return await _people(services, session, [o.id for o in leaders], ESCALATION), "no_leader"
    kind = "national" if target is Target.NATIONAL else "police"
    units: list[str | None] = [None] if kind == "national" else [u.code for u in await ancestors(session, case.unit_code)]
    found = await contact_addresses(session, services.vault, kind, units)
    return [Recipient(ch, addr, NOTICE) for ch, addr in found], f"no_{kind}_contact"


def _message(services: Services, case: Case, row: Escalation, step: PlannedStep, recipient: Recipient, now: datetime) -> Outbound:
    locale = services.alert_locale
    if step.kind in (StepKind.ALERT, StepKind.NOTICE):
        if step.kind is StepKind.NOTICE:
            header = t(locale, "escalation.police_notice")
        elif row.step:
            header = t(locale, "escalation.not_taken", elapsed=duration_text(locale, now - row.anchor))
        else:
            header = None
        return alert_card(locale, case, now=now, header=header, buttons=recipient.purpose != NOTICE)
    view = (Choice(f"{VIEW}:{case.code}", t(locale, "alert.view")),)
    if step.kind is StepKind.TIMEOUT:
        return Outbound(t(locale, "escalation.timed_out", code=case.code), (Choice(f"{ACK}:{case.code}", t(locale, "alert.ack")), *view))
    what = t(locale, f"clock.{row.track}")
    due = row.anchor  # deadline tracks are anchored at the deadline itself
    if step.kind is StepKind.REMINDER:
        text = t(locale, "deadline.reminder", code=case.code, what=what, due=local_time(due), left=duration_text(locale, due - now))
    else:
        text = t(locale, "deadline.missed", code=case.code, what=what, due=local_time(due), late=duration_text(locale, now - due))
    return Outbound(text, view)


async def _time_out(services: Services, session: AsyncSession, case: Case) -> None:
    """The owner recorded nothing in time: the case is the unit's again and the chain starts over."""
    owner = case.acknowledged_by
    case.status, case.acknowledged_by, case.acknowledged_at = CaseStatus.RECEIVED, None, None
    session.add(case)
    await record_event(session, case, EventKind.ACK_TIMED_OUT, owner)
    await refresh_cards(services, session, case, services.clock())
    await _begin(services, session, case, Track.CHAIN, services.clock())


async def acknowledged(services: Services, session: AsyncSession, case: Case, officer: Officer) -> None:
    """"I take it" stops the chain and every notice of it not yet sent; the ack timeout starts."""
    now = services.clock()
    stopped = await stop_tracks(session, case.id, [Track.CHAIN])
    cancelled = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.case_id) == case.id,
            col(OutboxMessage.purpose).in_(CANCELLED_BY_ACK),
            col(OutboxMessage.state) == OutboxState.PENDING,
        )
        .values(state=OutboxState.CANCELLED, payload_ct=None, address_ct=None)
    )
    if stopped or cancelled.rowcount:
        await record_event(session, case, EventKind.STEP_CANCELLED, officer.id, detail=f"chain: acknowledged; {cancelled.rowcount} unsent")
    case.first_acknowledged_at = case.first_acknowledged_at or now
    case.last_progress_at = now
    session.add(case)
    await _begin(services, session, case, Track.ACK_TIMEOUT, now)


async def progressed(services: Services, session: AsyncSession, case: Case) -> None:
    """A status change, a note or "still working": the ack timeout counts again from now, or ends once
    the case has moved past "acknowledged"; deadlines whose step is done stop."""
    now = services.clock()
    case.last_progress_at = now
    session.add(case)
    if case.status == CaseStatus.ACKNOWLEDGED:
        await _begin(services, session, case, Track.ACK_TIMEOUT, now)
    else:
        await stop_tracks(session, case.id, [Track.ACK_TIMEOUT])


async def released(services: Services, session: AsyncSession, case: Case) -> None:
    await stop_tracks(session, case.id, [Track.ACK_TIMEOUT])
    await restart_chain(services, session, case)


async def stop_deadline(services: Services, session: AsyncSession, case: Case, track: Track, officer_id: str | None) -> None:
    if await stop_tracks(session, case.id, [track]):
        await record_event(session, case, EventKind.STEP_CANCELLED, officer_id, detail=f"{track}: met")


async def start_deadline(
    services: Services, session: AsyncSession, case: Case, track: Track, *, extend_by: int | None = None
) -> None:
    """Starts a deadline counted from now, or (``extend_by`` days) pushes a running one past its old end."""
    current = (await pending_tracks(session, case.id)).get(track)
    if extend_by is not None and current is not None:
        anchor = current.anchor + timedelta(days=extend_by)
    else:
        anchor = deadline_of(case, track, started=services.clock())
    await _begin(services, session, case, track, anchor)


async def stop_all(session: AsyncSession, case: Case) -> None:
    await stop_tracks(session, case.id, list(Track))
