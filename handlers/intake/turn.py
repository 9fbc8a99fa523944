"""One event applied to one person's conversation state: the rules every flow shares."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.follow_up.own_reports import OWN_REPORTS_COMMANDS, own_reports
from handlers.follow_up.relay import FollowUp, wants_follow_up
from handlers.former_places import find_with_former, former_notes
from handlers.i18n import LOCALES, for_channel, t
from handlers.images import PhotoRefused, checked_photo
from handlers.intake.abuse import daily_limit_reached
from handlers.intake.all_flows import FLOWS, STEPS
from handlers.intake.asks import HELP_COMMANDS, menu_pick, wants_wipe
from handlers.intake.danger import mentions_danger
from handlers.intake.flows import Flow, StepKind, confirm_step_of, place_step_of
from handlers.intake.online_notice import tell_link
from handlers.intake.prompts import (
    BACK,
    CANCEL,
    DONE,
    MENU_CHILD,
    MENU_LANGUAGE,
    MENU_LEARN,
    MENU_ONLINE,
    MENU_REPORT,
    SKIP,
    SUBMIT,
    menu,
    prompt,
)
from handlers.intake.report_flow import COLLABORATOR
from handlers.intake.submission import amend_case, open_case, raise_to_urgent
from handlers.learn.reader import LEARN_PREFIX, LEAVE, TALK, LearnPlace, learn_pick, learn_screen, move
from handlers.links import find_link
from handlers.messages import Inbound, InboundKind, Outbound
from handlers.places import normalize, place_by_code
from handlers.rules.working_days import VIETNAM
from handlers.services import Services
from handlers.state import ConversationState, OpenCase, Urgency, save_conversation
from storage.cases import case_by_code, open_case_of
from storage.collaborators import collaborator_by_handle
from storage.drafts import add_draft_media, renew_conversation
from storage.learn_reads import count_read

__all__ = ["Turn"]


class Turn:
    """Collects the messages to answer with, and whether the flow ended (submitted, cancelled, wiped)."""

    def __init__(self, services: Services, session: AsyncSession, inbound: Inbound, state: ConversationState) -> None:
        self.s, self.session, self.inbound, self.state = services, session, inbound, state
        self.out: list[Outbound] = []
        self.finished = self.wiped = self.case_opened = False
        self.receipt: list[Outbound] = []  # kept sealed a few minutes: a receipt lost in a crash can be shown again

    @property
    def locale(self) -> str:
        return self.state.locale

    @property
    def flow(self) -> Flow | None:
        return FLOWS.get(self.state.flow or "")

    def say(self, key: str, **values: object) -> None:
        self.out.append(Outbound(t(self.locale, for_channel(key, self.inbound.channel), **values)))

    def ask(self, *, text_key: str | None = None) -> None:
        self.out.append(prompt(self.state, self.s.limits, text_key=text_key, channel=self.inbound.channel))

    async def run(self) -> None:
        kind, inbound = self.inbound.kind, self.inbound
        if wants_wipe(inbound):
            self.wiped = True
            return
        if wants_follow_up(inbound, self.state) and self.state.flow not in FLOWS:
            await self._follow_up()
            return
        if kind is InboundKind.TEXT and mentions_danger(inbound.text) and await self._danger_detected():
            return
        if kind is InboundKind.COMMAND:
            await self._command(inbound.command, inbound.text.split()[1:])
        elif self.state.step is None:
            await self._outside()
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
            self.say("online.no_files" if self.state.flow == "online" else "input.unsupported")
            self.ask()

    async def _follow_up(self) -> None:
        if self.inbound.kind is InboundKind.TEXT and mentions_danger(self.inbound.text):
            self.say("child.danger_numbers")  # the numbers first, whatever the text is for
        follow = FollowUp(self.s, self.session, self.inbound, self.state)
        await follow.run()
        if follow.wiped:  # the number or words of "wipe" typed at the follow-up menu
            self.wiped = True
            return
        self.out += follow.out
        self.finished = follow.finished
        if follow.finished:
            self.out.append(menu(self.locale))

    # --- outside a flow -------------------------------------------------------------------------
    async def _start(self, flow: Flow) -> None:
        self.state.start(flow.name, flow.first)
        if flow.name == "child":
            self.say("child.welcome")
        elif flow.name == "report" and (
            collaborator := await collaborator_by_handle(self.session, self.s.pepper, self.inbound.handle)
        ):
            # a declared collaborator reports from their own commune: it is known, the flow does not ask it
            self.state.answers.update(source=COLLABORATOR, place_code=collaborator.unit_code)
            self.say("collab.report_start", village=collaborator.village, commune=_commune_name(collaborator.unit_code))
        self.ask()

    async def _outside(self) -> None:
        """The main menu, or Learn while it is being read (its screen's numbers and words, not the menu's)."""
        pressed = self.inbound.kind is InboundKind.CHOICE and self.inbound.choice.startswith(LEARN_PREFIX)
        if self.state.learn is not None or pressed:
            value = learn_pick(self.inbound, self.locale, self.state.learn or LearnPlace())
            if value:
                await self._learn(value)
                return
        self.state.learn = None
        await self._menu()

    async def _learn(self, value: str) -> None:
        """One Learn screen; opening a piece counts it, for its month only and without the reader."""
        self.state.learn = None
        if value == TALK:
            await self._start(FLOWS["child"])
        elif value == LEAVE:
            self.out.append(menu(self.locale))
        else:
            place, opened = move(self.locale, value)
            if opened:
                await count_read(self.session, opened, self.s.clock().astimezone(VIETNAM).strftime("%Y-%m"))
            self.state.learn = place
            self.out.append(learn_screen(self.locale, place))

    async def _menu(self) -> None:
        choice = menu_pick(self.inbound, self.locale)
        flows = {MENU_CHILD: "child", MENU_REPORT: "report", MENU_ONLINE: "online"}
        if choice in flows:
            await self._start(FLOWS[flows[choice]])
            return
        if choice == MENU_LEARN:
            self.state.learn = LearnPlace()
            self.out.append(learn_screen(self.locale, self.state.learn))
            return
        if choice == MENU_LANGUAGE:
            self._switch_language()
        elif choice and not self._receipt_again():
            self.say("input.old_button")
        self.out.append(menu(self.locale))

    def _receipt_again(self) -> bool:
        """A press of the flow's last button arriving again just after it was submitted: the process may
        have died before the receipt reached the person, who must not lose their code and secret."""
        kept = self.state.receipt
        if not kept or kept.until < self.s.clock().timestamp() or self.inbound.kind is not InboundKind.CHOICE:
            return False
        self.say("submitted.again")
        self.out.extend(Outbound.from_json(m) for m in kept.messages)
        return True

    def _switch_language(self) -> None:
        self.state.locale = LOCALES[(LOCALES.index(self.locale) + 1) % len(LOCALES)]

    async def _command(self, command: str, args: list[str]) -> None:
        in_flow, self.state.learn = self.state.step is not None, None
        wants = {"help": "child", "report": "report"}.get(args[0].lower() if args else "")
        if command in HELP_COMMANDS:
            wants = "child"
        elif command in ("report", "baotin"):
            wants = "report"
        if command in OWN_REPORTS_COMMANDS:  # a collaborator's own reports, whatever they are in the middle of
            self.out.append(await own_reports(self.s, self.session, self.inbound.handle, self.locale))
            self.ask() if in_flow else self.out.append(menu(self.locale))
        elif command in ("cancel", "huy") and in_flow:
            await self._choice(CANCEL)
        elif command in ("back", "quaylai") and in_flow:
            await self._choice(BACK)
        elif command in ("lang", "language", "english", "tiengviet"):
            self._switch_language()
            self.ask() if in_flow else self.out.append(menu(self.locale))
        elif in_flow and wants == "child" and self.state.flow != "child":
            await renew_conversation(self.session, self.s.vault, self.inbound.handle)  # the other draft's photos
            await self._start(FLOWS["child"])  # a child never waits behind another report
        elif in_flow:
            known = command == "start" or wants
            self.say("menu.in_progress" if known else "input.unknown_command")
            self.ask()
        elif wants:
            await self._start(FLOWS[wants])
        else:
            self.out.append(menu(self.locale))

    # --- inside a flow --------------------------------------------------------------------------
    async def _advance(self, *, answered: str) -> None:
        flow = self.flow
        assert flow is not None
        if self.state.case:
            await amend_case(self.s, self.session, self.inbound, self.state)  # each answer updates the case
        following = flow.next(answered, self.state.answers)
        if following is None:
            await self._finish()
            return
        self.state.history.append(answered)
        self.state.step = following
        self.ask()

    async def _choice(self, value: str) -> None:
        step = STEPS[self.state.step or ""]
        if value == CANCEL:
            self.finished = True
            self.say("nav.cancelled")
            self.out.append(menu(self.locale))
        elif value == BACK:
            if self.state.history:
                self.state.step = self.state.history.pop()
            else:
                self.say("nav.nothing_to_go_back")
            self.ask()
        elif value == SKIP and (step.optional or step.kind is StepKind.PHOTOS):
            self.state.answers[step.name] = None
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
        current, answers = self.state.step or "", self.state.answers
        step = STEPS[current]
        if step.kind is StepKind.PLACE_CONFIRM and step_name == place_step_of(current) and option == "unknown":
            self.state.step = current = step_name  # "don't know" offered beside the matches
            step = STEPS[current]
        if step_name != current:
            self.say("input.old_button")
            self.ask()
        elif step.kind is StepKind.CHOICE and option in step.options:
            answers[current] = option
            if current in ("danger", "child_danger", "online_danger"):
                self.state.answer_danger(option == "yes")
                if option == "yes":
                    await self._danger_now(current)
            await self._advance(answered=current)
        elif step.kind is StepKind.PLACE and option == "unknown":
            answers.update(place_code=None, place_query=None)
            await self._advance(answered=current)
        elif step.kind is StepKind.PLACE_CONFIRM and option == "retype":
            self.state.step = self.state.history.pop()
            self.ask()
        elif step.kind is StepKind.PLACE_CONFIRM and option in self.state.matches:
            answers.update(place_code=option, place_query=None)
            await self._advance(answered=current)
        else:
            self.say("input.old_button")
            self.ask()

    async def _text(self, raw: str) -> None:
        text = raw.strip()
        step = STEPS[self.state.step or ""]
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
            self.state.answers[step.name] = text
            await self._advance(answered=step.name)
        elif step.kind is StepKind.LINK:
            await self._link(step.name, text[: step.max_chars or len(text)])
        elif step.kind is StepKind.PHOTOS:
            self.say("step.photos.text_instead")
            self.ask()
        else:
            self.say("input.choose_button")
            self.ask()

    async def _link(self, step: str, text: str) -> None:
        """Only the address is kept (sealed with the report); it is never opened, here or anywhere."""
        link = find_link(text)
        if link is None:
            self.say("online.not_a_link")
            self.ask()
            return
        self.state.answers[step] = link
        await self._advance(answered=step)

    def _search_place(self, text: str) -> None:
        current = self.state.step or ""
        matches, former = find_with_former(text, limit=5)
        self.out += [Outbound(note) for note in former_notes(self.locale, former)]  # the name changed in 2025
        if not matches:
            self.say(f"step.{current}.no_match", query=text[:60])
            self.ask()
            return
        self.state.matches = [p.code for p in matches]
        self.state.answers["place_query"] = text[:100]
        self.state.history.append(current)
        self.state.step = confirm_step_of(current)
        self.ask()

    def _location(self) -> None:
        current = self.state.step or ""
        if STEPS[current].kind is not StepKind.PLACE or self.inbound.location is None:
            self.say("input.location_not_now")
            self.ask()
            return
        lat, lon = self.inbound.location
        self.state.answers["pin"] = [round(lat, 6), round(lon, 6)]
        self.ask(text_key=f"step.{current}.after_pin")

    async def _photo(self) -> None:
        limits, media = self.s.limits, self.inbound.media
        if self.state.flow == "online":  # never the material itself: not kept, not forwarded
            self.say("online.no_images")
            self.ask()
            return
        if STEPS[self.state.step or ""].kind is not StepKind.PHOTOS or media is None:
            self.say("step.photos.not_now")
            self.ask()
            return
        if self.state.photos >= limits.max_photos:
            self.say("step.photos.limit_reached", limit=limits.max_photos)
            return
        try:
            data, content_type = checked_photo(media)  # decoded before the transaction (ReportConversation.handle)
        except PhotoRefused as refused:
            self.say(refused.key, **refused.values)
            return
        await self._keep(data, content_type)
        self.state.photos += 1
        self.say("step.photos.received", count=self.state.photos, limit=limits.max_photos)

    async def _voice(self) -> None:
        media, step = self.inbound.media, STEPS[self.state.step or ""]
        if not step.voice or media is None:
            self.say("input.voice_not_now")
            self.ask()
        elif max(media.size, len(media.data)) > self.s.limits.max_voice_bytes or not media.data:
            self.say("input.voice_too_long")
            self.ask()
        else:
            await self._keep(media.data, media.content_type or "audio/ogg")
            self.state.answers["voice"] = self.state.answers.get("voice", 0) + 1
            await self._advance(answered=step.name)

    async def _keep(self, data: bytes, content_type: str) -> None:
        key_id = await save_conversation(self.session, self.s.vault, self.inbound.handle, self.state)
        await add_draft_media(self.session, self.s.vault, self.inbound.handle, key_id, data, content_type)

    # --- danger and the end of a flow -----------------------------------------------------------
    async def _danger_now(self, step: str) -> None:
        """The numbers come first, in one short message; a child's urgent case exists before the next question."""
        self.say("child.danger_told" if step == "child_danger" else "step.danger.urgent_now")
        if step == "child_danger":
            await self._open_case()

    async def _danger_detected(self) -> bool:
        """The numbers at once, and officers told (the reply says so only then) through a case in this same
        transaction: the flow's own, this person's open case, or a new urgent one. True when that was all."""
        self.state.learn = None  # a reader of Learn too: the numbers and the case come before any piece
        if self.state.flow in FLOWS:
            if self.state.raise_urgency(Urgency.SAID):
                await (amend_case(self.s, self.session, self.inbound, self.state) if self.state.case else self._open_case())
            self.say("child.danger_told" if self.state.flow == "child" else "step.danger.told")
            return False  # the words are also the answer to this step
        if (case := await open_case_of(self.session, self.inbound.handle)) is not None:
            self.state.raise_urgency(Urgency.AFTER_SUBMIT)
            await raise_to_urgent(self.s, self.session, case, self.inbound.text.strip())
            self.say("child.danger_told")
            self.out.append(menu(self.locale))
            return True
        child = FLOWS["child"]  # outside any flow: whoever wrote this, someone may be in danger now
        self.state.start(child.name, child.first)
        self.state.raise_urgency(Urgency.SAID)
        self.state.answers["child_more"] = self.inbound.text.strip()[: self.s.limits.max_description_chars]
        self.state.history, self.state.step = [child.first], child.next(child.first, {"child_danger": "yes"})
        await self._open_case()
        self.say("child.danger_told")
        self.ask()
        return True

    async def _open_case(self) -> None:
        code, secret = await open_case(self.s, self.session, self.inbound, self.state)
        self.state.case = OpenCase(code=code, secret=secret)
        self.case_opened = True

    async def _finish(self) -> None:
        child = self.state.flow == "child"
        answers, urgent = self.state.answers, self.state.urgent
        if not self.state.case:
            declared = answers.get("source") == COLLABORATOR  # reports what a village sees: never capped per person
            if not urgent and not declared and await daily_limit_reached(self.s, self.session, self.inbound.handle):
                self.say("abuse.reports_per_day", count=self.s.abuse.max_reports_per_day)  # the draft stays
                self.ask()
                return
            await self._open_case()
        assert self.state.case is not None
        code, secret = self.state.case.code, self.state.case.secret
        self.finished = True
        if self.state.flow == "online" and (case := await case_by_code(self.session, code)) is not None:
            await tell_link(self.s, self.session, case, link=answers["online_link"], platform=answers["online_platform"])
        contact = answers.get("child_contact" if child else "contact") == "yes"
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
                *([t(self.locale, "online.thanks")] if self.state.flow == "online" else []),
                *([t(self.locale, "collab.follow_hint")] if answers.get("source") == COLLABORATOR else []),
            ]
            self.out.append(Outbound("\n\n".join(parts)))
        self.receipt = self.out[shown:]
        self.out.append(menu(self.locale))


def _commune_name(code: str) -> str:
    place = place_by_code(code)
    return place.label if place else code
