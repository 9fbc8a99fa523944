"""The reporter's and the child's side of the chat: one engine runs every flow for every channel."""

from __future__ import annotations

import dataclasses
import logging
import time
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from handlers.i18n import pick_locale, t
from handlers.images import prepare_photo
from handlers.intake.abuse import Pace, message_pace
from handlers.intake.asks import exempt_from_limits
from handlers.intake.turn import Turn
from handlers.messages import Channel, ChatKind, Inbound, Outbound
from handlers.services import Reply, Services
from handlers.state import ConversationState, KeptReceipt, load_conversation, save_conversation
from handlers.to_person import queue_to_person
from storage.drafts import change_state, discard_conversation, kept_receipts, renew_conversation
from storage.locks import ConversationLocks, LocalLocks, LockUnavailable
from storage.outbox import cancel_to_person

__all__ = ["ReportConversation"]

log = logging.getLogger(__name__)
DELETABLE_FOR = 48 * 3600  # Telegram lets a bot delete messages of a private chat for 48 hours
RECEIPT_AGAIN_FOR = 600  # seconds a submitted report's receipt can be shown again (sealed with the conversation)


OfficerDesk = Callable[[Inbound], Awaitable[Reply | None]]


class ReportConversation:
    def __init__(
        self, services: Services, *, officer_desk: OfficerDesk | None = None, locks: ConversationLocks | None = None
    ) -> None:
        """``officer_desk`` sees an officer's private text first (their commands, a note being typed);
        ``locks`` keep one person's messages in order (in Redis when several workers serve the chats)."""
        self.s = services
        self.officer_desk = officer_desk
        self.locks = locks or LocalLocks()

    async def handle(self, inbound: Inbound) -> Reply:
        """Never raises for a person's input: the worst case is a kind "try again" with the draft kept."""
        if inbound.chat_kind is not ChatKind.PRIVATE:
            return Reply()
        text = inbound.text.encode("utf-8", "replace").decode()  # a lone surrogate (JSON allows them) cannot be stored
        inbound = dataclasses.replace(inbound, text=unicodedata.normalize("NFC", text))
        if self.officer_desk is not None:
            try:
                if (desk := await self.officer_desk(inbound)) is not None:
                    return desk
            except SQLAlchemyError:
                log.exception("storage failed during an officer's command")
                return Reply([Outbound(t(self.s.alert_locale, "input.try_again_later"))])
        try:
            async with self.locks.hold(inbound.handle):
                inbound = await prepare_photo(inbound, max_bytes=self.s.limits.max_photo_bytes)  # not in the transaction
                async with self.s.db.transaction() as session:
                    pace = await message_pace(self.s, inbound.handle)  # after the update's mark: a redelivery is not counted
                    state = await load_conversation(session, self.s.vault, inbound.handle)
                    state = state or ConversationState.fresh(pick_locale(inbound.locale_hint))
                    if pace is not Pace.OK and not exempt_from_limits(inbound, state):
                        return _slow_down(pace, state.locale)  # nothing written: the draft stays as it was
                    _trace(state, [inbound.message_ref] if inbound.message_ref else [])
                    turn = Turn(self.s, session, inbound, state)
                    await turn.run()
                    if turn.wiped:  # and what was still on its way to this chat never arrives after the wipe
                        await cancel_to_person(session, inbound.handle)
                        await discard_conversation(session, self.s.vault, inbound.handle)
                        state = ConversationState.fresh(state.locale)
                    elif turn.finished:
                        await renew_conversation(session, self.s.vault, inbound.handle)
                        state = ConversationState.fresh(state.locale, state.trace)
                        if turn.receipt:
                            until = self.s.clock().timestamp() + RECEIPT_AGAIN_FOR
                            state.receipt = KeptReceipt(messages=[m.to_json() for m in turn.receipt], until=until)
                    if state.receipt and state.receipt.until < self.s.clock().timestamp():
                        state.receipt = None  # the code and secret are not kept a moment longer than needed
                    key_id = await save_conversation(session, self.s.vault, inbound.handle, state)
                    out = _answer(turn, inbound, state.locale)
                    queued = inbound.channel in self.s.reply_channels
                    if queued:  # committed with the turn: the receipt cannot be lost between commit and send
                        await queue_to_person(
                            self.s, session, out, person=inbound.handle, channel=inbound.channel,
                            address=inbound.reply_address, key_id=key_id, locale=state.locale,
                        )
        except SQLAlchemyError:
            log.exception("storage failed while handling a message")
            return _try_again(inbound)
        except LockUnavailable as exc:
            log.warning("a conversation stayed busy or its lock could not be had (%s)", exc)
            return _try_again(inbound)
        if queued or turn.case_opened:
            self.s.wake_outbox()
        wipe = [ref for ref, _ in turn.state.trace] if turn.wiped else None
        return Reply(out, wipe=wipe, queued=queued, locale=state.locale)

    async def forget_receipts(self) -> int:
        """Receipts kept for a crash go when their minutes are over, whether or not the person writes
        again; the conversation moves to a new key, so no copy of the database taken meanwhile opens them."""
        now = self.s.clock()
        async with self.s.db.session() as session:
            handles = await kept_receipts(session, ended_before=now)
        swept = 0
        for handle in handles:
            try:
                async with self.locks.hold(handle), self.s.db.transaction() as session:
                    state = await load_conversation(session, self.s.vault, handle)
                    if state is None or (state.receipt is not None and state.receipt.until >= now.timestamp()):
                        continue  # gone, or a newer receipt kept meanwhile
                    state.receipt = None
                    await renew_conversation(session, self.s.vault, handle)  # no draft: a flow's start drops the receipt
                    await save_conversation(session, self.s.vault, handle, state)
                    swept += 1
            except LockUnavailable:
                continue  # the person is writing: their turn drops it, or the next sweep does
        return swept

    async def remember(self, handle: str, refs: list[str], settle: Callable[[Connection], None] | None = None) -> None:
        """The outbox (and an adapter, for what it sent itself) reports the ids of what went to this
        person's chat, so that a later wipe can delete them too. ``settle`` (the outbox's "sent" for those
        rows) commits with them, or alone when they cannot be recorded: it runs once either way."""
        settled = settle is None
        if not refs and settle is None:
            return

        def traced(stored: dict[str, Any]) -> dict[str, Any]:  # only the trace changes: the rest stays as stored
            return {**stored, "trace": _traced([tuple(entry) for entry in stored.get("trace") or []], refs)}

        def trace_in(connection: Connection) -> bool:
            return change_state(connection, self.s.vault, handle, traced)

        def together(connection: Connection) -> bool:
            if settle is not None:
                settle(connection)
            return trace_in(connection)

        try:
            async with self.locks.hold(handle):
                found = await self.s.db.run_sync(together)  # the usual case: one short plain transaction
                settled = True
                if found or not refs:
                    return
                try:
                    async with self.s.db.transaction() as session:
                        state = await load_conversation(session, self.s.vault, handle) or ConversationState.fresh(self.s.alert_locale)
                        _trace(state, refs)
                        await save_conversation(session, self.s.vault, handle, state)
                except IntegrityError:  # another worker's turn created the chat's row meanwhile: trace it there
                    await self.s.db.run_sync(trace_in)
        except SQLAlchemyError:
            log.exception("storage failed while remembering sent messages")
        except LockUnavailable as exc:
            log.warning("sent messages not remembered for a later wipe: the conversation stayed busy (%s)", exc)
        finally:
            if not settled and settle is not None:
                await self.s.db.run_sync(settle)


def _trace(state: ConversationState, refs: list[str]) -> None:
    state.trace = _traced(state.trace, refs)


def _traced(trace: list[tuple[str, int]], refs: list[str]) -> list[tuple[str, int]]:
    now = int(time.time())
    return [entry for entry in trace if now - entry[1] < DELETABLE_FOR] + [(ref, now) for ref in refs]


def _answer(turn: Turn, inbound: Inbound, locale: str) -> list[Outbound]:
    if turn.wiped:  # Zalo gives bots no way to delete: there the answer says how to do it by hand
        return [Outbound(t(locale, "zalo.wipe_by_hand" if inbound.channel is Channel.ZALO else "wipe.done"))]
    return [_discreet(locale, m) for m in turn.out]


def _try_again(inbound: Inbound) -> Reply:
    locale = pick_locale(inbound.locale_hint)
    return Reply([_discreet(locale, Outbound(t(locale, "input.try_again_later")))], locale=locale)


def _slow_down(pace: Pace, locale: str) -> Reply:
    """Told once per window (with 111), then silence: a flood of messages must not get a flood of replies."""
    if pace is Pace.QUIET:
        return Reply(locale=locale)
    return Reply([_discreet(locale, Outbound(t(locale, "abuse.slow_down")))], locale=locale)


def _discreet(locale: str, message: Outbound) -> Outbound:
    """A neutral first line: lock-screen previews on a shared phone show only the start of a message."""
    return dataclasses.replace(message, text=f"{t(locale, 'discreet.header')}\n{message.text}")
