"""The reporter after submitting: /tracuu with code and secret, the officer's questions, replies, more
information and photos, "stop contacting me". The reporter's identity never reaches an officer."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.notices import tell_officers
from handlers.i18n import t
from handlers.images import PhotoRefused, checked_photo
from handlers.messages import WIPE, Choice, Inbound, InboundKind, Outbound
from handlers.places import normalize
from handlers.services import Services
from handlers.state import ConversationState, FollowState
from storage.cases import case_by_code, record_event
from storage.crypto import NO_SECRET, check_secret, keyed_handle
from storage.follow_up import (
    add_message,
    case_messages,
    guessing_blocked,
    mark_read,
    photos_added_since,
    record_wrong_secret,
)
from storage.models import Attachment, Case, CaseStatus, EventKind, MessageDirection

__all__ = ["FOLLOW", "TRACK_COMMANDS", "FollowUp", "expect_reply", "plain_status", "wants_follow_up"]

FOLLOW = "follow"  # the conversation state's flow name while following up a case
TRACK_COMMANDS = {"tracuu", "status", "theodoi"}
REPLY, ADD, STOP, DONE = "fu:reply", "fu:add", "fu:stop", "fu:done"
_CODE = re.compile(r"te\s*-?\s*([a-z0-9]{5})")
PHOTOS_PER = timedelta(hours=24)  # a reporter adds at most Limits.max_photos photos to a case in this window


def wants_follow_up(inbound: Inbound, state: ConversationState) -> bool:
    return (
        state.flow == FOLLOW
        or (inbound.kind is InboundKind.COMMAND and inbound.command in TRACK_COMMANDS)
        or (inbound.kind is InboundKind.CHOICE and inbound.choice.startswith("fu:"))
    )


def _typed_choice(text: str, options: tuple[Choice, ...], *, numbers: bool = True) -> str | None:
    """The shown option meant by a typed number or by its words (Zalo and the terminal have no buttons)."""
    typed = text.strip()
    if numbers and typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1].value
    return next((o.value for o in options if typed and normalize(o.label) == normalize(typed)), None)


def plain_status(locale: str, case: Case) -> str:
    """What a reporter needs to know, in plain words: no internal step names."""
    if case.status == CaseStatus.RECEIVED:
        return t(locale, "follow.status_received")
    return t(locale, "follow.status_closed" if case.status == CaseStatus.CLOSED else "follow.status_handling")


async def expect_reply(
    services: Services, session: AsyncSession, case: Case, state: ConversationState | None
) -> ConversationState | None:
    """After an officer's question, the reporter's next words (in the chat where they reported) are the
    reply, unless they are in the middle of something else. Returns the state to save, or None."""
    if state is None or state.flow is not None:
        return None
    state.flow, state.step, state.follow = FOLLOW, "add", FollowState(code=case.code)
    return state


class FollowUp:
    def __init__(self, services: Services, session: AsyncSession, inbound: Inbound, state: ConversationState) -> None:
        self.s, self.session, self.inbound, self.state = services, session, inbound, state
        self.out: list[Outbound] = []
        self.finished = self.wiped = False

    @property
    def locale(self) -> str:
        return self.state.locale

    def say(self, key: str, *choices: Choice, **values: object) -> None:
        self.out.append(Outbound(t(self.locale, key, **values), tuple(choices)))

    def _waiting(self) -> tuple[Choice, ...]:
        """Under every prompt for typed words (the code, the secret, a reply): only "done"."""
        return (Choice(DONE, t(self.locale, "follow.done")),)

    def _choices(self, case: Case) -> tuple[Choice, ...]:
        found = [Choice(ADD, t(self.locale, "follow.add"))]
        if case.contact_allowed and case.status != CaseStatus.CLOSED:
            found.append(Choice(STOP, t(self.locale, "follow.stop")))
        return (*found, *self._waiting(), Choice(WIPE, t(self.locale, "nav.wipe")))

    async def run(self) -> None:
        inbound, step = self.inbound, self.state.step if self.state.flow == FOLLOW else None
        if inbound.kind is InboundKind.COMMAND and inbound.command in TRACK_COMMANDS:
            self.state.flow, self.state.step, self.state.follow = FOLLOW, "code", FollowState()
            self.say("follow.ask_code", *self._waiting())
        elif inbound.kind is InboundKind.COMMAND:  # /start, /huy…: leave following up
            self.finished = True
        elif inbound.kind is InboundKind.CHOICE:
            await self._choice(inbound.choice)
        elif inbound.kind is InboundKind.TEXT and (picked := await self._typed_pick(step)) is not None:
            if picked == WIPE:
                self.wiped = True
            else:
                await self._choice(picked)
        elif step == "code" and inbound.kind is InboundKind.TEXT:
            self._code(inbound.text)
        elif step == "secret" and inbound.kind is InboundKind.TEXT:
            await self._secret(inbound.text)
        elif step == "add" and inbound.kind in (InboundKind.TEXT, InboundKind.PHOTO):
            await self._add()
        elif step == "menu" and inbound.kind is InboundKind.TEXT and inbound.text.strip().isdigit():
            await self._choice("")  # a number beyond the list
        else:
            self.say("follow.not_now", *self._waiting())

    async def _typed_pick(self, step: str | None) -> str | None:
        """The option a typed message chooses among those shown at this step. A reply to an officer's
        question keeps its numbers ("2 người lớn biết"): there only the words of "done" count."""
        text = self.inbound.text
        if step == "menu":
            case = await self._case()
            return _typed_choice(text, self._choices(case)) if case else None
        return _typed_choice(text, self._waiting(), numbers=step != "add") if step in ("code", "secret", "add") else None

    async def _case(self) -> Case | None:
        code = self.state.follow.code if self.state.follow else None
        return await case_by_code(self.session, code) if code else None

    async def _mine(self, code: str) -> Case | None:
        """A case this person may follow without the secret: the one they reported from this account."""
        case = await case_by_code(self.session, code)
        return case if case is not None and case.reporter_handle == self.inbound.handle else None

    async def _choice(self, value: str) -> None:
        action, _, code = value.partition(":")[2].partition(":")
        action = f"fu:{action}"
        if action == DONE:
            self.finished = True
            self.say("follow.bye")
            return
        case = await self._mine(code) if code else await self._case()
        if case is None or (not code and not (self.state.follow and self.state.follow.authed)):
            self.say("input.old_button")
            return
        self.state.flow, self.state.follow = FOLLOW, FollowState(code=case.code, authed=True)
        if action in (REPLY, ADD) and case.status != CaseStatus.CLOSED:
            self.state.step = "add"
            self.say("follow.write_now", *self._waiting())
        elif action == STOP:
            await self._stop(case)
        else:
            await self._show(case)

    def _code(self, text: str) -> None:
        found = _CODE.search(normalize(text))
        if found is None:
            self.say("follow.bad_code", *self._waiting())
            return
        self.state.step, self.state.follow = "secret", FollowState(code=f"TE-{found.group(1).upper()}")
        self.say("follow.ask_secret", *self._waiting())

    async def _secret(self, text: str) -> None:
        """A real code with a wrong secret and an invented code answer alike, in words and in time: the
        same scrypt check (against a hash no secret matches) and the same counting, by a keyed hash of
        the code as typed. The limits count each person's wrong tries, never anyone else's."""
        now, handle = self.s.clock(), self.inbound.handle
        case = await self._case()
        code_key = keyed_handle(self.s.pepper, "follow-code", self.state.follow.code if self.state.follow else "")
        if await guessing_blocked(self.session, handle=handle, code_key=code_key, now=now):
            self.say("follow.blocked", *self._waiting())
            self.state.step = "code"
            return
        stored = case.secret_hash if case is not None and case.secret_hash else NO_SECRET
        right = await asyncio.to_thread(check_secret, text, stored, self.s.pepper)  # scrypt, always; off the event loop
        if case is None or not right:
            await record_wrong_secret(self.session, handle=handle, code_key=code_key, now=now)
            self.state.step, self.state.follow = "code", FollowState()
            self.say("follow.wrong", *self._waiting())
            return
        self.state.follow = FollowState(code=case.code, authed=True)
        await self._show(case)

    async def _show(self, case: Case) -> None:
        questions = await case_messages(
            self.session, self.s.vault, case, directions=(MessageDirection.TO_REPORTER,), unread_only=True
        )
        await mark_read(self.session, [m for m, _ in questions], self.s.clock())
        lines = [t(self.locale, "follow.status", code=case.code, status=plain_status(self.locale, case))]
        lines += [t(self.locale, "follow.question", text=text) for _, text in questions]
        if not questions:
            lines.append(t(self.locale, "follow.no_new"))
        self.state.step = "menu"
        self.out.append(Outbound("\n\n".join(lines), self._choices(case)))

    async def _stop(self, case: Case) -> None:
        case.contact_allowed, case.reply_address_ct = False, None
        self.session.add(case)
        await record_event(self.session, case, EventKind.CONTACT_STOPPED)
        self.state.step = "menu"
        self.say("follow.stopped", *self._choices(case))

    async def _add(self) -> None:
        """A reply or more information (text or a photo) goes to the case, sealed, and to the officer privately."""
        case = await self._case()
        if case is None or case.status == CaseStatus.CLOSED:
            self.finished = True
            self.say("follow.closed")
            return
        now = self.s.clock()
        if self.inbound.kind is InboundKind.PHOTO:
            media = self.inbound.media
            try:
                if await photos_added_since(self.session, case, now - PHOTOS_PER) >= self.s.limits.max_photos:
                    raise PhotoRefused("follow.photos_limit", limit=self.s.limits.max_photos)
                data, content_type = checked_photo(media)
            except PhotoRefused as refused:
                self.say(refused.key, **refused.values)
                return
            photo = Attachment(key_id=case.key_id, case_id=case.id, content_type=content_type, size=len(data), data_ct=b"",
                               created_at=now)
            photo.data_ct = await self.s.vault.seal(self.session, case.key_id, ("attachment", "data_ct", photo.id), data)
            self.session.add(photo)
            text = t(self.s.alert_locale, "follow.photo_added")
        else:
            text = self.inbound.text.strip()[: self.s.limits.max_description_chars]
        await add_message(self.session, self.s.vault, case, direction=MessageDirection.FROM_REPORTER, text=text, officer_id=None, at=now)
        await record_event(self.session, case, EventKind.REPORTER_ADDED)
        await tell_officers(self.s, self.session, case, text)
        self.say("follow.sent", *self._waiting())
