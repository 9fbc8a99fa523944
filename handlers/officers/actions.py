"""Officers' buttons (and Zalo's typed equivalents): take, view, still working, release, next step. Deny by default."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import ACK, VIEW
from handlers.escalation.cards import refresh_cards
from handlers.escalation.engine import acknowledged, progressed, released
from handlers.i18n import KeyedError, for_channel, t
from handlers.messages import Choice, Inbound, InboundKind, Outbound
from handlers.officers.assessment import record_assessment
from handlers.officers.desk import (
    ASK,
    ASSESS,
    ASSIGN,
    CLOSE,
    DUP,
    INPUT_ACTIONS,
    NOTE,
    SAME_CHILD,
    TRANSFER,
    ask_assessment,
    assign,
    case_list,
    case_page,
    choose,
    close_case,
    finish_input,
    start_input,
)
from handlers.officers.visits import VISIT, choose_visit, request_visit
from handlers.officers.workflow import NEXT_STATUS, STATUS_ACTIONS, change_status, extend_separation
from handlers.places import normalize
from handlers.services import Reply, Services
from handlers.statistics.periods import Period
from storage.cases import acknowledge, get_case_for_officer, record_event
from storage.follow_up import take_pending
from storage.models import Attachment, Case, CaseStatus, EventKind, Officer
from storage.outbox import enqueue
from storage.units import officer_by_handle, officer_handles
from storage.web_auth import new_link

__all__ = ["ACTION_ROLES", "OfficerActions", "RELEASE", "TYPED_VERBS", "WORK", "owner_choices", "typed_action"]

log = logging.getLogger(__name__)
REPORT_FORMATS = ("xlsx", "docx", "pdf", "csv")
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
    **{action: CASE_ROLES for action in (NOTE, ASK, ASSIGN, TRANSFER, DUP, CLOSE, ASSESS, SAME_CHILD, VISIT)},
    **{action: CASE_ROLES for action in STATUS_ACTIONS},
}
# Where there are no buttons (Zalo), an action is typed: "<verb> <case code>", ASCII so any keyboard works.
TYPED_VERBS = {
    ACK: "nhan", VIEW: "xem", WORK: "tiep", RELEASE: "tra", EXTEND: "giahan",
    NOTE: "ghichu", ASK: "hoi", ASSIGN: "giao", TRANSFER: "chuyen", DUP: "trung", CLOSE: "dong",
    ASSESS: "ketqua", SAME_CHILD: "cungtre", VISIT: "thamnha",
    "to_assessed": "danhgia", "to_protecting": "baove", "to_detailed_assessment": "chitiet",
    "to_plan_drafted": "kehoach", "to_plan_approved": "duyet", "to_monitoring": "theodoi",
}
_ACTION_OF_VERB = {verb: action for action, verb in TYPED_VERBS.items()} | {"ack": ACK, "view": VIEW}
_TYPED = re.compile(r"^([a-z]+) (te ?[a-z0-9]{4,8})(?: ([a-z0-9_ ]{1,24}))?$")  # "ketqua te 7k3m co2 4 9"


def typed_action(text: str) -> str | None:
    """ "nhan TE-7K3M" / "Nhận te 7k3m" → "ack:TE-7K3M"; "dong TE-7K3M unfounded" → "close:TE-7K3M:unfounded"."""
    found = _TYPED.match(normalize(text))
    if found is None or found.group(1) not in _ACTION_OF_VERB:
        return None
    suffix = re.sub(r"[^a-z0-9]", "", found.group(2))[2:].upper()
    arg = f":{found.group(3).replace(' ', '_')}" if found.group(3) else ""
    return f"{_ACTION_OF_VERB[found.group(1)]}:TE-{suffix}{arg}"


def owner_choices(locale: str, case: Case) -> tuple[Choice, ...]:
    """What the owner can do next, shown under the private details."""
    if case.status == CaseStatus.CLOSED:
        return ()
    if case.status == CaseStatus.RECEIVED:
        return (Choice(f"{ACK}:{case.code}", t(locale, "alert.ack")),)
    steps = [Choice(f"to_{s}:{case.code}", t(locale, f"officer.to.{s}")) for s in NEXT_STATUS.get(CaseStatus(case.status), ())]
    extra = [Choice(f"{WORK}:{case.code}", t(locale, "officer.work"))] if case.status == CaseStatus.ACKNOWLEDGED else []
    if case.status == CaseStatus.PROTECTING:
        extra.append(Choice(f"{EXTEND}:{case.code}", t(locale, "officer.extend")))
    return (*steps, *extra, Choice(f"{RELEASE}:{case.code}", t(locale, "officer.release")))


class _ReportersText(Exception):
    """Text from a handle that is no active officer's, or that no desk input awaits: the reporter flows take it.
    Its look-up transaction rolls back, as one that commits would also commit the update's "handled" mark
    (``Database.first_transaction_runs``)."""


class OfficerActions:
    OFFICERS_FRESH_FOR = 60.0  # seconds the list of officers' handles is trusted before it is read again

    def __init__(self, services: Services) -> None:
        self.s = services
        self._officers: tuple[float, frozenset[str]] = (0.0, frozenset())

    async def _may_be_officer(self, handle: str) -> bool:
        """Every private message passes here first: a reporter's should not cost a database round trip.
        The directory changes only when a worker starts, so a minute-old list is exact in practice, and a
        handle found in it is still checked against the database by the action itself."""
        if time.monotonic() >= self._officers[0]:
            async with self.s.db.session() as session:
                found = frozenset(await officer_handles(session))
            self._officers = (time.monotonic() + self.OFFICERS_FRESH_FOR, found)
        return handle in self._officers[1]

    @staticmethod
    def handles(choice: str) -> bool:
        return choice.partition(":")[0] in ACTION_ROLES

    async def typed(self, inbound: Inbound) -> Reply | None:
        """An officer's commands (/cases, /case CODE) and the text that completes a note, a question, a
        transfer or a duplicate link. None: not an officer's business, the reporter flows take it."""
        if inbound.kind not in (InboundKind.TEXT, InboundKind.COMMAND) or not await self._may_be_officer(inbound.handle):
            return None
        locale = self.s.alert_locale
        if inbound.kind is InboundKind.COMMAND and inbound.command in ("baocao", "report"):
            return await self._report(inbound)
        if inbound.kind is InboundKind.COMMAND and inbound.command == "web":
            return await self._sign_in_link(inbound)
        try:
            async with self.s.db.transaction() as session:
                officer = await officer_by_handle(session, inbound.handle)
                if officer is None or officer.role not in CASE_ROLES:
                    raise _ReportersText
                if inbound.kind is InboundKind.COMMAND and inbound.command in ("cases", "vieccan"):
                    return Reply([await case_list(self.s, session, officer)], locale=locale)
                if inbound.kind is InboundKind.COMMAND and inbound.command in ("case", "hoso"):
                    code = (inbound.text.split()[1:] or [""])[0].upper()
                    case = await get_case_for_officer(session, officer, code, action=VIEW)
                    if case is None:
                        return Reply([Outbound(t(locale, "desk.unknown_case"))], locale=locale)
                    await record_event(session, case, EventKind.DETAILS_VIEWED, officer.id)
                    page = await case_page(self.s, session, officer, case, self._next(officer, case), channel=inbound.channel)
                    return Reply([page], locale=locale)
                pending = await take_pending(session, inbound.handle, self.s.clock())
                if pending is None:
                    raise _ReportersText
                if inbound.kind is InboundKind.COMMAND:
                    return Reply([Outbound(t(locale, "desk.input_cancelled"))], locale=locale)
                key = await finish_input(self.s, session, officer, pending.action, pending.case_code, inbound.text)
        except _ReportersText:  # rolled back: the turn's own transaction commits the update's mark
            return None
        self.s.wake_outbox()
        return Reply([Outbound(t(locale, key, code=pending.case_code))], locale=locale)

    async def _report(self, inbound: Inbound) -> Reply | None:
        """The periodic report of the officer's own unit (a province: everything under it), as a file in
        this private chat. Administrators may have it too: it holds counts, never a case's content."""
        locale = self.s.alert_locale
        async with self.s.db.session() as session:
            officer = await officer_by_handle(session, inbound.handle)
        if officer is None or self.s.report_maker is None:
            return None
        words = inbound.text.split()[1:]
        fmt = next((w.lower() for w in words if w.lower() in REPORT_FORMATS), "xlsx")  # "/baocao 2026-Q4 docx"
        period = next((w for w in words if w.lower() not in REPORT_FORMATS), Period.quarter_of(self.s.clock(), self.s.report_periods).code)
        try:
            data, content_type, name = await self.s.report_maker(officer.unit_code, period, fmt)
        except ValueError as exc:  # a period that is not one or has not started: said in the officer's language
            reason = exc.text(locale) if isinstance(exc, KeyedError) else str(exc)
            return Reply([Outbound(t(locale, "desk.report_refused", reason=reason))], locale=locale)
        async with self.s.db.transaction() as session:
            key_id = await self.s.vault.create_key(session)
            document = Attachment(key_id=key_id, content_type=content_type, size=len(data), data_ct=b"")
            document.data_ct = await self.s.vault.seal(session, key_id, ("attachment", "data_ct", document.id), data)
            session.add(document)
            await session.flush()
            message = Outbound(t(locale, "desk.report_ready", period=period), attachments=(document.id,))
            await enqueue(session, self.s.vault, key_id=key_id, channel=inbound.channel, address=inbound.reply_address,
                          payload=message.to_json(), purpose=name.rsplit(".", 1)[0], priority=1)  # the file's name
        self.s.wake_outbox()
        return Reply([Outbound(t(locale, "desk.report_coming", period=period))], locale=locale)

    async def _sign_in_link(self, inbound: Inbound) -> Reply | None:
        """A single-use link to the web console, for this officer only; it works for a few minutes."""
        locale = self.s.alert_locale
        try:
            async with self.s.db.transaction() as session:
                officer = await officer_by_handle(session, inbound.handle)
                if officer is None or not officer.active:
                    raise _ReportersText
                if not self.s.web_base_url:
                    return Reply([Outbound(t(locale, "web.not_set_up"))], locale=locale)
                minutes = self.s.web_link_minutes
                token = await new_link(
                    session, officer.id, key=self.s.pepper, now=self.s.clock(), valid=timedelta(minutes=minutes)
                )
        except _ReportersText:
            return None
        link = f"{self.s.web_base_url.rstrip('/')}/in/{token}"
        return Reply([Outbound(t(locale, "web.link", link=link, minutes=minutes))], locale=locale)

    def _next(self, officer: Officer, case: Case) -> tuple[Choice, ...]:
        mine = case.acknowledged_by == officer.id or case.status == CaseStatus.RECEIVED or officer.role != "officer"
        return owner_choices(self.s.alert_locale, case) if mine else ()

    async def press(self, inbound: Inbound) -> Reply:
        """Callback data is never trusted: the presser, the case and the case's state are re-checked here."""
        action, _, rest = inbound.choice.partition(":")
        code, _, arg = rest.partition(":")

        async def chat_act(session: AsyncSession, officer: Officer, case: Case) -> Reply:
            if action == VIEW:
                return await self._details(session, officer, case, inbound)
            if action in INPUT_ACTIONS:  # the officer's next message in this chat completes it
                if action != NOTE and not self._may_steer(officer, case):
                    return self._not_owner()
                return await start_input(self.s, session, inbound.handle, case, action)
            if action == ASSESS and not arg:
                return await ask_assessment(self.s, session, inbound.handle, case) if self._may_steer(officer, case) else self._not_owner()
            return await self._decide(session, action, officer, case, arg)

        return await self._checked(action, code, chat_act, handle=inbound.handle)

    async def act(
        self, officer_id: str, action: str, code: str, *, arg: str = "", text: str | None = None, locale: str | None = None
    ) -> Reply:
        """The web console's way in: the same checks and the same case rules as a pressed button, with the
        typed part (note, question, transfer, duplicate) given at once instead of as the next message."""

        async def web_act(session: AsyncSession, officer: Officer, case: Case) -> Reply:
            if action in INPUT_ACTIONS:
                key = await finish_input(self.s, session, officer, action, case.code, text or "")
                return Reply(toast=t(locale or self.s.alert_locale, key, code=case.code))
            if action == VIEW:
                return Reply()
            return await self._decide(session, action, officer, case, arg or (text or "") if action == ASSESS else arg, locale=locale)

        return await self._checked(action, code, web_act, officer_id=officer_id)

    async def _checked(
        self, action: str, code: str, act: Callable[[AsyncSession, Officer, Case], Awaitable[Reply]],
        *, handle: str | None = None, officer_id: str | None = None,
    ) -> Reply:
        locale = self.s.alert_locale
        try:
            async with self.s.db.transaction() as session:
                officer = await (officer_by_handle(session, handle) if handle else session.get(Officer, officer_id))
                allowed = officer is not None and officer.active and officer.role in ACTION_ROLES.get(action, frozenset())
                case = await get_case_for_officer(session, officer, code, action=action) if officer and allowed else None
                if officer is None or case is None:
                    return Reply(toast=t(locale, "officer.not_officer"), toast_alert=True, denied=True)
                reply = await act(session, officer, case)
        except SQLAlchemyError:
            log.exception("storage failed during an officer action")
            return Reply(toast=t(locale, "input.try_again_later"), toast_alert=True)
        self.s.wake_outbox()
        return reply

    @staticmethod
    def _may_steer(officer: Officer, case: Case) -> bool:
        """Only the owner steers a case, or anyone above a plain officer; notes are open to the whole unit."""
        return case.acknowledged_by == officer.id or officer.role != "officer"

    def _not_owner(self, locale: str | None = None) -> Reply:
        return Reply(toast=t(locale or self.s.alert_locale, "officer.not_owner"), toast_alert=True)

    async def _decide(
        self, session: AsyncSession, action: str, officer: Officer, case: Case, arg: str, *, locale: str | None = None
    ) -> Reply:
        """``locale``: the answer's language (the console's reader); cards and notices keep the unit's."""
        locale = locale or self.s.alert_locale
        if action == ACK:
            return await self._acknowledge(session, officer, case, locale)
        if not self._may_steer(officer, case):
            return self._not_owner(locale)
        if action in (ASSIGN, CLOSE) and not arg:
            return await choose(self.s, session, case, action)
        if action == VISIT:  # a collaborator of the case's commune, asked privately through the outbox
            if not arg:
                return await choose_visit(self.s, session, case)
            done, values = await request_visit(self.s, session, officer, case, arg)
            return Reply(toast=t(locale, done, code=case.code, **values), toast_alert=done != "visit.sent")
        if action == ASSESS and not arg:
            return await ask_assessment(self.s, session, None, case)
        if action == ASSESS:
            done = await record_assessment(self.s, session, officer, case, arg)
            if done.startswith("assess.recorded"):
                await refresh_cards(self.s, session, case, self.s.clock())
            return Reply(toast=t(locale, done, code=case.code, status=t(locale, f"status.{case.status}")), toast_alert=not done.startswith("assess.recorded"))
        if action in (ASSIGN, CLOSE):
            done = await (assign if action == ASSIGN else close_case)(self.s, session, officer, case, arg)
            return Reply(toast=t(locale, done, code=case.code, status=t(locale, f"status.{case.status}")), toast_alert=done == "officer.not_now")
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

    async def _acknowledge(self, session: AsyncSession, officer: Officer, case: Case, locale: str) -> Reply:
        if not await acknowledge(session, case, officer, self.s.clock()):
            taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
            return Reply(toast=t(locale, "officer.already_taken", name=taker.name if taker else "?"), toast_alert=True)
        await acknowledged(self.s, session, case, officer)
        await refresh_cards(self.s, session, case, self.s.clock())
        return Reply(toast=t(locale, "officer.you_took_it", code=case.code))

    async def _details(self, session: AsyncSession, officer: Officer, case: Case, inbound: Inbound) -> Reply:
        """The case page goes to the officer's private chat whatever chat the button was pressed in."""
        locale = self.s.alert_locale
        message = await case_page(self.s, session, officer, case, self._next(officer, case), channel=inbound.channel)
        await enqueue(
            session, self.s.vault, key_id=case.key_id, channel=inbound.channel, address=inbound.reply_address,
            payload=message.to_json(), purpose="details", case_id=case.id, priority=5,
        )
        await record_event(session, case, EventKind.DETAILS_VIEWED, officer.id)
        return Reply(toast=t(locale, for_channel("officer.details_sent", inbound.channel)))
