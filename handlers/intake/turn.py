"""One event applied to one person's conversation state: the rules every flow shares."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.follow_up.relay import FollowUp, wants_follow_up
from handlers.i18n import LOCALES, t
from handlers.images import PhotoRefused, checked_photo
from handlers.intake.abuse import daily_limit_reached
from handlers.intake.all_flows import FLOWS, STEPS
from handlers.intake.danger import mentions_danger
from handlers.intake.flows import Flow, StepKind, confirm_step_of, place_step_of
from handlers.intake.prompts import (
    BACK,
    CANCEL,
    DONE,
    MENU_CHILD,
    MENU_LANGUAGE,
    MENU_REPORT,
    SKIP,
    SUBMIT,
    menu,
    prompt,
)
from handlers.intake.submission import amend_case, open_case
from handlers.messages import WIPE, Inbound, InboundKind, Outbound
from handlers.places import find_places, normalize
from handlers.services import Services
from storage.drafts import add_draft_media, save_state

__all__ = ["Turn", "exempt_from_limits", "fresh_state"]

_WIPE_COMMANDS = {"xoa", "clear", "wipe"}
_HELP_COMMANDS = {"help", "giupdo", "trogiup"}


def fresh_state(locale: str, trace: list[Any] | None = None) -> dict[str, Any]:
    return {"locale": locale, "flow": None, "step": None, "answers": {}, "history": [], "trace": trace or []}


def menu_pick(inbound: Inbound, locale: str) -> str:
    """The menu option meant: a button, its number (Zalo lists) or its words typed; "" for none."""
    options = menu(locale).choices
    typed = inbound.text.strip() if inbound.kind is InboundKind.TEXT else ""
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1].value
    if typed:
        return next((o.value for o in options if normalize(o.label) == normalize(typed)), "")
    return inbound.choice if inbound.kind is InboundKind.CHOICE else ""


def exempt_from_limits(inbound: Inbound, state: dict[str, Any]) -> bool:
    """What no rate limit may hold back: danger (said now, or earlier in this flow, so an urgent report
    always reaches its submission), the danger question itself, the way into a child's request for help,
    and wiping the chat."""
    answers = state.get("answers") or {}
    if answers.get("danger") == "yes" or answers.get("child_danger") == "yes" or answers.get("danger_detected"):
        return True
    if state.get("step") in ("danger", "child_danger"):
        return True
    kind = inbound.kind
    if kind is InboundKind.TEXT and mentions_danger(inbound.text):
        return True
    if kind is InboundKind.COMMAND:
        args = inbound.text.lower().split()[1:]
        return inbound.command in _WIPE_COMMANDS | _HELP_COMMANDS or args[:1] == ["help"]
    if kind is InboundKind.CHOICE and inbound.choice == WIPE:
        return True
    return state.get("step") is None and menu_pick(inbound, str(state.get("locale", "vi"))) == MENU_CHILD


class Turn:
    """Collects the messages to answer with, and whether the flow ended (submitted, cancelled, wiped)."""

    def __init__(self, services: Services, session: AsyncSession, inbound: Inbound, state: dict[str, Any]) -> None:
        self.s, self.session, self.inbound, self.state = services, session, inbound, state
        self.out: list[Outbound] = []
        self.finished = self.wiped = self.case_opened = False
        self.receipt: list[Outbound] = []  # kept sealed a few minutes: a receipt lost in a crash can be shown again

    @property
    def locale(self) -> str:
        return str(self.state["locale"])

    @property
    def flow(self) -> Flow | None:
        return FLOWS.get(self.state.get("flow") or "")

    def say(self, key: str, **values: object) -> None:
        self.out.append(Outbound(t(self.locale, key, **values)))

    def ask(self, *, text_key: str | None = None) -> None:
        self.out.append(prompt(self.state, self.s.limits, text_key=text_key))

    async def run(self) -> None:
        kind, inbound = self.inbound.kind, self.inbound
        if (kind is InboundKind.CHOICE and inbound.choice == WIPE) or (
            kind is InboundKind.COMMAND and inbound.command in _WIPE_COMMANDS
        ):
            self.wiped = True
            return
        if wants_follow_up(inbound, self.state) and not (self.state.get("flow") in FLOWS):
            await self._follow_up()
            return
        if kind is InboundKind.TEXT and mentions_danger(inbound.text):
            await self._danger_detected()
        if kind is InboundKind.COMMAND:
            await self._command(inbound.command, inbound.text.split()[1:])
        elif self.state["step"] is None:
            self._menu()
        elif kind is InboundKind.CHOICE:
            await self._choice(inbound.choice)
        elif kind is InboundKind.TEXT:
            await self._text(inbound.text)
        elif kind is InboundKind.LOCATION:
            self._location()
        elif kind is InboundKind.PHOTO:
            await self._photo()
        elif kind is InboundKind.VOICE:
            await self._voice()
        else:
            self.say("input.unsupported")
            self.ask()

    async def _follow_up(self) -> None:
        if self.inbound.kind is InboundKind.TEXT and mentions_danger(self.inbound.text):
            self.say("child.danger_numbers")  # the numbers first, whatever the text is for
        follow = FollowUp(self.s, self.session, self.inbound, self.state)
        await follow.run()
        self.out += follow.out
        self.finished = follow.finished
        if follow.finished:
            self.out.append(menu(self.locale))

    # --- outside a flow -------------------------------------------------------------------------
    def _start(self, flow: Flow) -> None:
        self.state.update(flow=flow.name, step=flow.first, answers={}, history=[], photos=0, case_code=None)
        self.state.pop("receipt", None)
        if flow.name == "child":
            self.say("child.welcome")
        self.ask()

    def _menu(self) -> None:
        choice = menu_pick(self.inbound, self.locale)
        if choice in (MENU_CHILD, MENU_REPORT):
            self._start(FLOWS["child" if choice == MENU_CHILD else "report"])
            return
        if choice == MENU_LANGUAGE:
            self._switch_language()
        elif choice and not self._receipt_again():
            self.say("input.old_button")
        self.out.append(menu(self.locale))

    def _receipt_again(self) -> bool:
        """A press of the flow's last button arriving again just after it was submitted: the process may
        have died before the receipt reached the person, who must not lose their code and secret."""
        kept = self.state.get("receipt")
        if not kept or kept["until"] < self.s.clock().timestamp() or self.inbound.kind is not InboundKind.CHOICE:
            return False
        self.say("submitted.again")
        self.out.extend(Outbound.from_json(m) for m in kept["messages"])
        return True

    def _switch_language(self) -> None:
        self.state["locale"] = LOCALES[(LOCALES.index(self.locale) + 1) % len(LOCALES)]

    async def _command(self, command: str, args: list[str]) -> None:
        in_flow = self.state["step"] is not None
        wants = {"help": "child", "report": "report"}.get(args[0].lower() if args else "")
        if command in _HELP_COMMANDS:
            wants = "child"
        elif command in ("report", "baotin"):
            wants = "report"
        if command in ("cancel", "huy") and in_flow:
            await self._choice(CANCEL)
        elif command in ("back", "quaylai") and in_flow:
            await self._choice(BACK)
        elif command in ("lang", "language", "english", "tiengviet"):
            self._switch_language()
            self.ask() if in_flow else self.out.append(menu(self.locale))
        elif in_flow:
            known = command == "start" or wants
            self.say("menu.in_progress" if known else "input.unknown_command")
            self.ask()
        elif wants:
            self._start(FLOWS[wants])
        else:
            self.out.append(menu(self.locale))

    # --- inside a flow --------------------------------------------------------------------------
    async def _advance(self, *, answered: str) -> None:
        flow = self.flow
        assert flow is not None
        if self.state.get("case_code"):
            await amend_case(self.s, self.session, self.inbound, self.state)  # each answer updates the case
        following = flow.next(answered, self.state["answers"])
        if following is None:
            await self._finish()
            return
        self.state["history"].append(answered)
        self.state["step"] = following
        self.ask()

    async def _choice(self, value: str) -> None:
        step = STEPS[self.state["step"]]
        if value == CANCEL:
            self.finished = True
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
            await self._advance(answered=step.name)
        elif value == DONE and step.kind is StepKind.PHOTOS:
            await self._advance(answered=step.name)
        elif value == SUBMIT and step.kind is StepKind.REVIEW:
            await self._finish()
        elif value.startswith("s:") and value.count(":") == 2:
            await self._option(*value[2:].split(":", 1))
        else:
            self.say("input.old_button")
            self.ask()

    async def _option(self, step_name: str, option: str) -> None:
        current, answers = self.state["step"], self.state["answers"]
        step = STEPS[current]
        if step.kind is StepKind.PLACE_CONFIRM and step_name == place_step_of(current) and option == "unknown":
            self.state["step"] = current = step_name  # "don't know" offered beside the matches
            step = STEPS[current]
        if step_name != current:
            self.say("input.old_button")
            self.ask()
        elif step.kind is StepKind.CHOICE and option in step.options:
            answers[current] = option
            if option == "yes" and current in ("danger", "child_danger"):
                await self._danger_now(current)
            await self._advance(answered=current)
        elif step.kind is StepKind.PLACE and option == "unknown":
            answers.update(place_code=None, place_query=None)
            await self._advance(answered=current)
        elif step.kind is StepKind.PLACE_CONFIRM and option == "retype":
            self.state["step"] = self.state["history"].pop()
            self.ask()
        elif step.kind is StepKind.PLACE_CONFIRM and option in self.state.get("matches", []):
            answers.update(place_code=option, place_query=None)
            await self._advance(answered=current)
        else:
            self.say("input.old_button")
            self.ask()

    async def _text(self, raw: str) -> None:
        text = raw.strip()
        step = STEPS[self.state["step"]]
        choices = prompt(self.state, self.s.limits).choices
        # a bare number picks the numbered option, even at a free-text step: Zalo shows lists, not buttons
        if text.isdigit() and 1 <= int(text) <= len(choices):
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
            await self._advance(answered=step.name)
        elif step.kind is StepKind.PHOTOS:
            self.say("step.photos.text_instead")
            self.ask()
        else:
            self.say("input.choose_button")
            self.ask()

    def _search_place(self, text: str) -> None:
        current = self.state["step"]
        matches = find_places(text, limit=5)
        if not matches:
            self.say(f"step.{current}.no_match", query=text[:60])
            self.ask()
            return
        self.state["matches"] = [p.code for p in matches]
        self.state["answers"]["place_query"] = text[:100]
        self.state["history"].append(current)
        self.state["step"] = confirm_step_of(current)
        self.ask()

    def _location(self) -> None:
        current = self.state["step"]
        if STEPS[current].kind is not StepKind.PLACE or self.inbound.location is None:
            self.say("input.location_not_now")
            self.ask()
            return
        lat, lon = self.inbound.location
        self.state["answers"]["pin"] = [round(lat, 6), round(lon, 6)]
        self.ask(text_key=f"step.{current}.after_pin")

    async def _photo(self) -> None:
        limits, media = self.s.limits, self.inbound.media
        if STEPS[self.state["step"]].kind is not StepKind.PHOTOS or media is None:
            self.say("step.photos.not_now")
            self.ask()
            return
        if self.state.get("photos", 0) >= limits.max_photos:
            self.say("step.photos.limit_reached", limit=limits.max_photos)
            return
        try:
            data, content_type = checked_photo(media)  # decoded before the transaction (ReportConversation.handle)
        except PhotoRefused as refused:
            self.say(refused.key, **refused.values)
            return
        await self._keep(data, content_type)
        self.state["photos"] = self.state.get("photos", 0) + 1
        self.say("step.photos.received", count=self.state["photos"], limit=limits.max_photos)

    async def _voice(self) -> None:
        media, step = self.inbound.media, STEPS[self.state["step"]]
        if not step.voice or media is None:
            self.say("input.voice_not_now")
            self.ask()
        elif max(media.size, len(media.data)) > self.s.limits.max_voice_bytes or not media.data:
            self.say("input.voice_too_long")
            self.ask()
        else:
            await self._keep(media.data, media.content_type or "audio/ogg")
            self.state["answers"]["voice"] = self.state["answers"].get("voice", 0) + 1
            await self._advance(answered=step.name)

    async def _keep(self, data: bytes, content_type: str) -> None:
        key_id = await save_state(self.session, self.s.vault, self.inbound.handle, self.state)
        await add_draft_media(self.session, self.s.vault, self.inbound.handle, key_id, data, content_type)

    # --- danger and the end of a flow -----------------------------------------------------------
    async def _danger_now(self, step: str) -> None:
        """The numbers come first, in one short message; a child's urgent case exists before the next question."""
        self.say("child.danger_numbers" if step == "child_danger" else "step.danger.urgent_now")
        if step == "child_danger":
            await self._open_case()

    async def _danger_detected(self) -> None:
        answers = self.state["answers"]
        if answers.get("danger_detected"):
            return
        answers["danger_detected"] = True
        self.say("child.danger_numbers")
        if self.state.get("flow") == "child" and not self.state.get("case_code"):
            await self._open_case()
        elif self.state.get("case_code"):
            await amend_case(self.s, self.session, self.inbound, self.state)

    async def _open_case(self) -> None:
        self.state["case_code"], self.state["case_secret"] = await open_case(self.s, self.session, self.inbound, self.state)
        self.case_opened = True

    async def _finish(self) -> None:
        child = self.state.get("flow") == "child"
        answers = self.state["answers"]
        urgent = answers.get("danger") == "yes" or bool(answers.get("danger_detected"))
        if not self.state.get("case_code"):
            if not urgent and await daily_limit_reached(self.s, self.session, self.inbound.handle):
                self.say("abuse.reports_per_day", count=self.s.abuse.max_reports_per_day)  # the draft stays
                self.ask()
                return
            await self._open_case()
        code = self.state["case_code"]
        self.finished = True
        contact = answers.get("child_contact" if child else "contact") == "yes"
        secret = self.state.get("case_secret", "")
        shown = len(self.out)
        if child:
            self.say("child.thanks", code=code)
            self.say("child.secret", secret=secret)
            self.say("child.contact_yes" if contact else "child.contact_no")
        else:
            parts = [
                t(self.locale, "submitted.text", code=code),
                t(self.locale, "submitted.secret", secret=secret),
                t(self.locale, "submitted.contact_yes" if contact else "submitted.contact_no"),
                t(self.locale, "submitted.hotline_urgent" if urgent else "submitted.hotline"),
            ]
            self.out.append(Outbound("\n\n".join(parts)))
        self.receipt = self.out[shown:]
        self.out.append(menu(self.locale))
