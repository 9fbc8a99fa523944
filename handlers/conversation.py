"""The reporter's side of the chat: one engine runs the report flow for every channel."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.i18n import LOCALES, pick_locale, t
from handlers.images import ImageRejected, clean_image
from handlers.messages import ChatKind, Inbound, InboundKind, Outbound
from handlers.places import find_places, normalize
from handlers.report_flow import FIRST_STEP, STEPS, StepKind, next_step
from handlers.report_prompts import (
    BACK,
    CANCEL,
    DONE,
    MENU_LANGUAGE,
    MENU_REPORT,
    SKIP,
    SUBMIT,
    menu,
    prompt,
)
from handlers.services import Reply, Services
from handlers.submission import submit_report
from storage.drafts import add_draft_photo, discard_conversation, load_state, save_state

__all__ = ["ReportConversation"]

log = logging.getLogger(__name__)
_LOCK_STRIPES = 256  # bounded memory however many people write; a shared stripe only serialises


class ReportConversation:
    def __init__(self, services: Services) -> None:
        self.s = services
        self._locks = [asyncio.Lock() for _ in range(_LOCK_STRIPES)]

    async def handle(self, inbound: Inbound) -> Reply:
        """Never raises for a reporter's input: the worst case is a kind "try again" with the draft kept."""
        if inbound.chat_kind is not ChatKind.PRIVATE:
            return Reply()
        async with self._locks[int(inbound.handle[:8], 16) % _LOCK_STRIPES]:
            try:
                async with self.s.db.transaction() as session:
                    reply, submitted = await self._handle(session, inbound)
            except SQLAlchemyError:
                log.exception("storage failed while handling a reporter's message")
                locale = pick_locale(inbound.locale_hint)
                return Reply([Outbound(t(locale, "input.try_again_later"))])
        if submitted:
            self.s.wake_outbox()
        return reply

    async def _handle(self, session: AsyncSession, inbound: Inbound) -> tuple[Reply, bool]:
        state = await load_state(session, self.s.vault, inbound.handle)
        if state is None:
            state = {"locale": pick_locale(inbound.locale_hint), "step": None, "answers": {}, "history": []}
        turn = _Turn(self.s, session, inbound, state)
        await turn.run()
        if turn.submitted or turn.cancelled:
            await discard_conversation(session, self.s.vault, inbound.handle)
            await save_state(session, self.s.vault, inbound.handle, _fresh(state["locale"]))
        else:
            await save_state(session, self.s.vault, inbound.handle, state)
        return Reply(turn.out), turn.submitted


def _fresh(locale: str) -> dict[str, Any]:
    return {"locale": locale, "step": None, "answers": {}, "history": []}


class _Turn:
    """One inbound event applied to one state; collects the messages to answer with."""

    def __init__(self, services: Services, session: AsyncSession, inbound: Inbound, state: dict[str, Any]) -> None:
        self.s, self.session, self.inbound, self.state = services, session, inbound, state
        self.out: list[Outbound] = []
        self.submitted = self.cancelled = False

    @property
    def locale(self) -> str:
        return str(self.state["locale"])

    def say(self, key: str, **values: object) -> None:
        self.out.append(Outbound(t(self.locale, key, **values)))

    def ask(self, *, text_key: str | None = None) -> None:
        self.out.append(prompt(self.state, self.s.limits, text_key=text_key))

    async def run(self) -> None:
        kind, step = self.inbound.kind, self.state["step"]
        if kind is InboundKind.COMMAND:
            await self._command(self.inbound.command)
        elif step is None:
            self._menu()
        elif kind is InboundKind.CHOICE:
            await self._choice(self.inbound.choice)
        elif kind is InboundKind.TEXT:
            await self._text(self.inbound.text)
        elif kind is InboundKind.LOCATION:
            self._location()
        elif kind is InboundKind.PHOTO:
            await self._photo()
        else:
            self.say("input.unsupported")
            self.ask()

    # --- outside a flow -------------------------------------------------------------------------
    def _menu(self) -> None:
        choice = self.inbound.choice if self.inbound.kind is InboundKind.CHOICE else ""
        if self.inbound.kind is InboundKind.TEXT and self.inbound.text.strip() in ("1", "2"):
            choice = (MENU_REPORT, MENU_LANGUAGE)[int(self.inbound.text.strip()) - 1]
        if choice == MENU_REPORT:
            self.state.update(step=FIRST_STEP, answers={}, history=[], photos=0)
            self.ask()
            return
        if choice == MENU_LANGUAGE:
            self._switch_language()
        elif choice:
            self.say("input.old_button")
        self.out.append(menu(self.locale))

    def _switch_language(self) -> None:
        self.state["locale"] = LOCALES[(LOCALES.index(self.locale) + 1) % len(LOCALES)]

    async def _command(self, command: str) -> None:
        in_flow = self.state["step"] is not None
        if command in ("cancel", "huy") and in_flow:
            await self._choice(CANCEL)
        elif command in ("back", "quaylai") and in_flow:
            await self._choice(BACK)
        elif command in ("lang", "language", "english", "tiengviet"):
            self._switch_language()
            self.ask() if in_flow else self.out.append(menu(self.locale))
        elif command in ("start", "report", "baotin") and not in_flow:
            self.out.append(menu(self.locale))
        elif in_flow:
            self.say("menu.in_progress" if command in ("start", "report", "baotin") else "input.unknown_command")
            self.ask()
        else:
            self.out.append(menu(self.locale))

    # --- inside the report flow -----------------------------------------------------------------
    def _advance(self, *, answered: str) -> None:
        self.state["history"].append(answered)
        self.state["step"] = next_step(answered, self.state["answers"])
        self.ask()

    async def _choice(self, value: str) -> None:
        step = STEPS[self.state["step"]]
        if value == CANCEL:
            self.cancelled = True
            self.say("nav.cancelled")
            self.out.append(menu(self.locale))
        elif value == BACK:
            if self.state["history"]:
                self.state["step"] = self.state["history"].pop()
            else:
                self.say("nav.nothing_to_go_back")
            self.ask()
        elif value == SKIP and (step.optional or step.kind is StepKind.PHOTOS):
            self.state["answers"][step.name] = None
            self._advance(answered=step.name)
        elif value == DONE and step.kind is StepKind.PHOTOS:
            self._advance(answered=step.name)
        elif value == SUBMIT and step.kind is StepKind.REVIEW:
            await self._submit()
        elif value.startswith("s:") and value.count(":") == 2:
            await self._option(*value[2:].split(":", 1))
        else:
            self.say("input.old_button")
            self.ask()

    async def _option(self, step_name: str, option: str) -> None:
        current, answers = self.state["step"], self.state["answers"]
        if current == "place_confirm" and step_name == "place" and option == "unknown":
            current = step_name = "place"  # "don't know" offered beside the matches
        if step_name != current:
            self.say("input.old_button")
            self.ask()
            return
        step = STEPS[current]
        if step.kind is StepKind.CHOICE and option in step.options:
            answers[current] = option
            if current == "danger" and option == "yes":
                self.say("step.danger.urgent_now")
            self._advance(answered=current)
        elif step.kind is StepKind.PLACE and option == "unknown":
            answers.update(place_code=None, place_query=None)
            self.state["step"] = "place"
            self._advance(answered="place")
        elif step.kind is StepKind.PLACE_CONFIRM and option == "retype":
            self.state["step"] = self.state["history"].pop()
            self.ask()
        elif step.kind is StepKind.PLACE_CONFIRM and option in self.state.get("matches", []):
            answers.update(place_code=option, place_query=None)
            self._advance(answered=current)
        else:
            self.say("input.old_button")
            self.ask()

    async def _text(self, raw: str) -> None:
        text = raw.strip()
        step = STEPS[self.state["step"]]
        choices = prompt(self.state, self.s.limits).choices
        free_text = step.kind in (StepKind.TEXT, StepKind.PLACE)
        if not free_text and text.isdigit() and 1 <= int(text) <= len(choices):
            await self._choice(choices[int(text) - 1].value)
            return
        typed = normalize(text)
        match = next((c for c in choices if typed and normalize(c.label) == typed), None)
        if match is not None:  # the words of a button, typed (Zalo and the terminal have no buttons)
            await self._choice(match.value)
        elif not text:
            self.say("input.empty")
            self.ask()
        elif step.kind is StepKind.PLACE:
            self._search_place(text)
        elif step.kind is StepKind.TEXT:
            limit = step.max_chars or self.s.limits.max_description_chars
            if len(text) > limit:
                self.say("step.description.too_long", length=len(text), limit=limit)
                self.ask()
                return
            self.state["answers"][step.name] = text
            self._advance(answered=step.name)
        elif step.kind is StepKind.PHOTOS:
            self.say("step.photos.text_instead")
            self.ask()
        else:
            self.say("input.choose_button")
            self.ask()

    def _search_place(self, text: str) -> None:
        matches = find_places(text, limit=5)
        if not matches:
            self.say("step.place.no_match", query=text[:60])
            self.ask()
            return
        self.state["matches"] = [p.code for p in matches]
        self.state["answers"]["place_query"] = text[:100]
        self._advance(answered="place")

    def _location(self) -> None:
        if self.state["step"] != "place" or self.inbound.location is None:
            self.say("input.location_not_now")
            self.ask()
            return
        lat, lon = self.inbound.location
        self.state["answers"]["pin"] = [round(lat, 6), round(lon, 6)]
        self.ask(text_key="step.place.after_pin")

    async def _photo(self) -> None:
        limits = self.s.limits
        photo = self.inbound.photo
        if self.state["step"] != "photos" or photo is None:
            self.say("step.photos.not_now")
            self.ask()
            return
        if self.state.get("photos", 0) >= limits.max_photos:
            self.say("step.photos.limit_reached", limit=limits.max_photos)
            return
        if max(photo.size, len(photo.data)) > limits.max_photo_bytes:
            self.say("step.photos.too_big", limit_mb=limits.max_photo_bytes // (1024 * 1024))
            return
        try:
            data, content_type = clean_image(photo.data)
        except ImageRejected:
            self.say("step.photos.unreadable")
            return
        key_id = await save_state(self.session, self.s.vault, self.inbound.handle, self.state)
        await add_draft_photo(self.session, self.s.vault, self.inbound.handle, key_id, data, content_type)
        self.state["photos"] = self.state.get("photos", 0) + 1
        self.say("step.photos.received", count=self.state["photos"], limit=limits.max_photos)

    async def _submit(self) -> None:
        code, urgent, contact = await submit_report(self.s, self.session, self.inbound, self.state)
        self.submitted = True
        parts = [
            t(self.locale, "submitted.text", code=code),
            t(self.locale, "submitted.contact_yes" if contact else "submitted.contact_no"),
            t(self.locale, "submitted.hotline_urgent" if urgent else "submitted.hotline"),
        ]
        self.out.append(Outbound("\n\n".join(parts)))
        self.out.append(menu(self.locale))

