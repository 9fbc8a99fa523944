"""Officers' buttons (and Zalo's typed equivalents): take, view, still working, release, next step. Deny by default."""

from __future__ import annotations

import logging
import re

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts import ACK, VIEW, details_message
from handlers.cards import refresh_cards
from handlers.case_workflow import NEXT_STATUS, STATUS_ACTIONS, change_status, extend_separation
from handlers.escalation import acknowledged, progressed, released
from handlers.i18n import t
from handlers.messages import Choice, Inbound
from handlers.places import normalize
from handlers.services import Reply, Services
from storage.cases import acknowledge, case_attachment_ids, get_case_for_officer, open_body, record_event
from storage.models import Case, CaseStatus, EventKind, Officer
from storage.outbox import enqueue
from storage.units import officer_by_handle

__all__ = ["ACTION_ROLES", "OfficerActions", "RELEASE", "TYPED_VERBS", "WORK", "owner_choices", "typed_action"]

log = logging.getLogger(__name__)
WORK = "work"  # "still working": resets the ack timeout
RELEASE = "release"  # gives the case back to the unit
EXTEND = "extend"  # the temporary separation was extended by a competent authority
CASE_ROLES = frozenset({"officer", "leader", "supervisor"})
# Deny by default: each action names the roles that may take it. Administrators configure the system;
# they do not read children's cases (least privilege).
ACTION_ROLES: dict[str, frozenset[str]] = {
    ACK: CASE_ROLES,
    VIEW: CASE_ROLES,
    WORK: CASE_ROLES,
    RELEASE: CASE_ROLES,
    EXTEND: CASE_ROLES,
    **{action: CASE_ROLES for action in STATUS_ACTIONS},
}
# Where there are no buttons (Zalo), an action is typed: "<verb> <case code>", ASCII so any keyboard works.
TYPED_VERBS = {
    ACK: "nhan", VIEW: "xem", WORK: "tiep", RELEASE: "tra", EXTEND: "giahan",
    "to_assessed": "danhgia", "to_protecting": "baove", "to_detailed_assessment": "chitiet",
    "to_plan_drafted": "kehoach", "to_plan_approved": "duyet", "to_monitoring": "theodoi",
}
_ACTION_OF_VERB = {verb: action for action, verb in TYPED_VERBS.items()} | {"ack": ACK, "view": VIEW}
_TYPED = re.compile(r"^([a-z]+) (te ?[a-z0-9]{4,8})$")


def typed_action(text: str) -> str | None:
    """ "nhan TE-7K3M" / "Nhận te 7k3m" → "ack:TE-7K3M"; anything else → None."""
    found = _TYPED.match(normalize(text))
    if found is None or found.group(1) not in _ACTION_OF_VERB:
        return None
    suffix = re.sub(r"[^a-z0-9]", "", found.group(2))[2:].upper()
    return f"{_ACTION_OF_VERB[found.group(1)]}:TE-{suffix}"


def owner_choices(locale: str, case: Case) -> tuple[Choice, ...]:
    """What the owner can do next, shown under the private details."""
    if case.status == CaseStatus.RECEIVED:
        return (Choice(f"{ACK}:{case.code}", t(locale, "alert.ack")),)
    steps = [Choice(f"to_{s}:{case.code}", t(locale, f"officer.to.{s}")) for s in NEXT_STATUS.get(CaseStatus(case.status), ())]
    extra = [Choice(f"{WORK}:{case.code}", t(locale, "officer.work"))] if case.status == CaseStatus.ACKNOWLEDGED else []
    if case.status == CaseStatus.PROTECTING:
        extra.append(Choice(f"{EXTEND}:{case.code}", t(locale, "officer.extend")))
    return (*steps, *extra, Choice(f"{RELEASE}:{case.code}", t(locale, "officer.release")))


class OfficerActions:
    def __init__(self, services: Services) -> None:
        self.s = services

    @staticmethod
    def handles(choice: str) -> bool:
        return choice.partition(":")[0] in ACTION_ROLES

    async def press(self, inbound: Inbound) -> Reply:
        """Callback data is never trusted: the presser, the case and the case's state are re-checked here."""
        action, _, code = inbound.choice.partition(":")
        locale = self.s.alert_locale
        try:
            async with self.s.db.transaction() as session:
                officer = await officer_by_handle(session, inbound.handle)
                allowed = officer is not None and officer.role in ACTION_ROLES.get(action, frozenset())
                case = await get_case_for_officer(session, officer, code, action=action) if officer and allowed else None
                if officer is None or case is None:
                    return Reply(toast=t(locale, "officer.not_officer"), toast_alert=True)
                reply = await self._act(session, action, officer, case, inbound)
        except SQLAlchemyError:
            log.exception("storage failed during an officer action")
            return Reply(toast=t(locale, "input.try_again_later"), toast_alert=True)
        self.s.wake_outbox()
        return reply

    async def _act(self, session: AsyncSession, action: str, officer: Officer, case: Case, inbound: Inbound) -> Reply:
        locale = self.s.alert_locale
        if action == ACK:
            return await self._acknowledge(session, officer, case)
        if action == VIEW:
            return await self._details(session, officer, case, inbound)
        if case.acknowledged_by != officer.id and officer.role == "officer":
            return Reply(toast=t(locale, "officer.not_owner"), toast_alert=True)
        if action == WORK and case.status == CaseStatus.ACKNOWLEDGED:
            await record_event(session, case, EventKind.STILL_WORKING, officer.id)
            await progressed(self.s, session, case)
            return Reply(toast=t(locale, "officer.work_noted", code=case.code))
        if action == RELEASE and case.status != CaseStatus.RECEIVED:
            case.status, case.acknowledged_by, case.acknowledged_at = CaseStatus.RECEIVED, None, None
            session.add(case)
            await record_event(session, case, EventKind.RELEASED, officer.id)
            await refresh_cards(self.s, session, case, self.s.clock())
            await released(self.s, session, case)
            return Reply(toast=t(locale, "officer.released", code=case.code))
        if action == EXTEND and await extend_separation(self.s, session, case, officer):
            return Reply(toast=t(locale, "officer.extended", code=case.code))
        target = STATUS_ACTIONS.get(action)
        if target is not None and await change_status(self.s, session, case, officer, target):
            await refresh_cards(self.s, session, case, self.s.clock())
            return Reply(toast=t(locale, "officer.status_changed", code=case.code, status=t(locale, f"status.{target}")))
        return Reply(toast=t(locale, "officer.not_now", status=t(locale, f"status.{case.status}")), toast_alert=True)

    async def _acknowledge(self, session: AsyncSession, officer: Officer, case: Case) -> Reply:
        locale = self.s.alert_locale
        if not await acknowledge(session, case, officer, self.s.clock()):
            taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
            return Reply(toast=t(locale, "officer.already_taken", name=taker.name if taker else "?"), toast_alert=True)
        await acknowledged(self.s, session, case, officer)
        await refresh_cards(self.s, session, case, self.s.clock())
        return Reply(toast=t(locale, "officer.you_took_it", code=case.code))

    async def _details(self, session: AsyncSession, officer: Officer, case: Case, inbound: Inbound) -> Reply:
        locale = self.s.alert_locale
        body = await open_body(session, self.s.vault, case)
        mine = case.acknowledged_by == officer.id or case.status == CaseStatus.RECEIVED
        actions = owner_choices(locale, case) if mine else ()
        message = details_message(locale, case, body, await case_attachment_ids(session, case.id), now=self.s.clock(), actions=actions)
        await enqueue(
            session, self.s.vault, key_id=case.key_id, channel=inbound.channel, address=inbound.reply_address,
            payload=message.to_json(), purpose="details", case_id=case.id, priority=5,
        )
        await record_event(session, case, EventKind.DETAILS_VIEWED, officer.id)
        return Reply(toast=t(locale, "officer.details_sent"))
