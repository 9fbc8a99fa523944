"""Buttons on the alert card: acknowledge in the group, view details in private. Deny by default."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts import ACK, VIEW, details_message
from handlers.i18n import t
from handlers.messages import Inbound
from handlers.services import Reply, Services
from handlers.submission import refresh_cards
from storage.cases import acknowledge, case_attachment_ids, get_case_for_officer, open_body, record_event
from storage.models import Case, EventKind, Officer
from storage.outbox import enqueue
from storage.units import officer_by_handle

__all__ = ["ACTION_ROLES", "OfficerActions"]

log = logging.getLogger(__name__)
# Deny by default: each action names the roles that may take it. Administrators configure the system;
# they do not read children's cases (least privilege).
ACTION_ROLES: dict[str, frozenset[str]] = {
    ACK: frozenset({"officer", "supervisor"}),
    VIEW: frozenset({"officer", "supervisor"}),
}


class OfficerActions:
    def __init__(self, services: Services) -> None:
        self.s = services

    @staticmethod
    def handles(choice: str) -> bool:
        return choice.partition(":")[0] in ACTION_ROLES

    async def press(self, inbound: Inbound) -> Reply:
        """Callback data is never trusted: the presser and the case are re-checked here on every press."""
        action, _, code = inbound.choice.partition(":")
        locale = self.s.alert_locale
        try:
            async with self.s.db.transaction() as session:
                officer = await officer_by_handle(session, inbound.handle)
                allowed = officer is not None and officer.role in ACTION_ROLES.get(action, frozenset())
                case = await get_case_for_officer(session, officer, code, action=action) if officer and allowed else None
                if officer is None or case is None:
                    return Reply(toast=t(locale, "officer.not_officer"), toast_alert=True)
                if action == ACK:
                    reply = await self._acknowledge(session, officer, case)
                else:
                    reply = await self._details(session, officer, case, inbound)
        except SQLAlchemyError:
            log.exception("storage failed during an officer action")
            return Reply(toast=t(locale, "input.try_again_later"), toast_alert=True)
        self.s.wake_outbox()
        return reply

    async def _acknowledge(self, session: AsyncSession, officer: Officer, case: Case) -> Reply:
        locale = self.s.alert_locale
        if not await acknowledge(session, case, officer):
            taker = await session.get(Officer, case.acknowledged_by) if case.acknowledged_by else None
            return Reply(toast=t(locale, "officer.already_taken", name=taker.name if taker else "?"), toast_alert=True)
        await refresh_cards(self.s, session, case)
        return Reply(toast=t(locale, "officer.you_took_it", code=case.code))

    async def _details(self, session: AsyncSession, officer: Officer, case: Case, inbound: Inbound) -> Reply:
        locale = self.s.alert_locale
        body = await open_body(session, self.s.vault, case)
        message = details_message(locale, case, body, await case_attachment_ids(session, case.id))
        await enqueue(
            session, self.s.vault, key_id=case.key_id, channel=inbound.channel, address=inbound.reply_address,
            payload=message.to_json(), purpose="details", case_id=case.id, priority=5,
        )
        await record_event(session, case, EventKind.DETAILS_VIEWED, officer.id)
        return Reply(toast=t(locale, "officer.details_sent"))
