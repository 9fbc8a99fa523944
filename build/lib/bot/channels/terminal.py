"""The whole product in one terminal: you are the reporter, and with ``!N`` the duty officer in the group."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from handlers.i18n import t
from handlers.intake.engine import ReportConversation
from handlers.messages import Channel, ChatKind, Choice, Inbound, InboundKind, Media, Outbound, command_name
from handlers.officers.actions import OfficerActions
from storage.outbox import Envelope

__all__ = ["TerminalChat", "TerminalSender"]

REPORTER, OFFICER = "reporter", "officer"
_PRIVATE = frozenset({"details", "escalation", "deadline", "handoff", "private_alert"})
RULE = "─" * 60
CLEAR_SCREEN = "\033[2J\033[3J\033[H"  # the terminal's version of deleting the chat


class TerminalSender:
    """Prints what the outbox would send to a duty group or an officer, and remembers the card's buttons."""

    def __init__(self, out: TextIO, locale: str) -> None:
        self.out, self.locale = out, locale
        self.card_choices: list[Choice] = []

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> str | None:
        loc = self.locale
        private = envelope.purpose in _PRIVATE or not envelope.address.startswith("-")  # group chat ids are negative
        where = t(loc, "terminal.private") if private else t(loc, "terminal.group", address=envelope.address)
        verb = t(loc, "terminal.edited" if envelope.edit_message_id else "terminal.new")
        print(f"\n{RULE}\n[{where} — {verb}]\n{message.text}", file=self.out)
        for number, (_, content_type) in enumerate(attachments, start=1):
            print("  " + t(loc, "terminal.photo", number=number, kind=content_type), file=self.out)
        if envelope.purpose != "details":
            self.card_choices = list(message.choices)
        if message.choices and envelope.purpose != "details":
            print("  " + "   ".join(f"!{i}) {c.label}" for i, c in enumerate(message.choices, 1)), file=self.out)
        print(RULE, file=self.out)
        self.out.flush()
        return envelope.id


class TerminalChat:
    def __init__(
        self,
        conversation: ReportConversation,
        officers: OfficerActions,
        sender: TerminalSender,
        handle: Callable[[str], str],
        *,
        officer_login: str,
        out: TextIO = sys.stdout,
    ) -> None:
        self.conversation, self.officers, self.sender = conversation, officers, sender
        self.handle, self.officer_login, self.out = handle, officer_login, out
        self.shown: list[Choice] = []

    def show(self, messages: list[Outbound]) -> None:
        for message in messages:
            print(f"\nbot> {message.text}", file=self.out)
            for number, choice in enumerate(message.choices, 1):
                print(f"     {number}) {choice.label}", file=self.out)
        self.out.flush()

    def _reporter(self, kind: InboundKind, **fields: object) -> Inbound:
        return Inbound(Channel.TERMINAL, self.handle(REPORTER), kind, reply_address=REPORTER, **fields)  # type: ignore[arg-type]

    async def line(self, text: str) -> None:
        """One typed line: ``!N`` presses the duty card's button N as the officer, ``!web`` asks for the
        officer's console link; the rest is the reporter."""
        text = text.strip()
        if text.startswith("!") and text[1:].isdigit():
            await self._press(int(text[1:]))
            return
        if text == "!web":  # the duty officer asks for a sign-in link to the web console
            officer = Inbound(Channel.TERMINAL, self.handle(self.officer_login), InboundKind.COMMAND,
                              reply_address=OFFICER, command="web", text="/web")
            desk = await self.officers.typed(officer)
            self.show(desk.messages if desk else [])
            return
        if text.startswith("/location "):
            lat, _, lon = text.removeprefix("/location ").replace(",", " ").partition(" ")
            inbound = self._reporter(InboundKind.LOCATION, location=(float(lat), float(lon.strip())))
        elif text.startswith("/photo "):
            data = Path(text.removeprefix("/photo ").strip()).expanduser().read_bytes()
            inbound = self._reporter(InboundKind.PHOTO, media=Media(data=data, size=len(data)))
        elif command := command_name(text):
            inbound = self._reporter(InboundKind.COMMAND, command=command, text=text)
        else:
            inbound = self._reporter(InboundKind.TEXT, text=text)
        reply = await self.conversation.handle(inbound)
        if reply.wipe is not None:
            print(CLEAR_SCREEN, end="", file=self.out)
        self.show(reply.messages)

    async def _press(self, number: int) -> None:
        choices = self.sender.card_choices
        if not 1 <= number <= len(choices):
            print(t(self.sender.locale, "terminal.no_button"), file=self.out)
            return
        inbound = Inbound(
            Channel.TERMINAL,
            self.handle(self.officer_login),
            InboundKind.CHOICE,
            reply_address=OFFICER,
            chat_kind=ChatKind.GROUP,
            choice=choices[number - 1].value,
        )
        reply = await self.officers.press(inbound)
        if reply.toast:
            print("\n" + t(self.sender.locale, "terminal.toast", login=self.officer_login, text=reply.toast), file=self.out)

    async def run(self, read_line: Callable[[], str] = input, *, pause: float = 0.3) -> None:
        print(t(self.sender.locale, "terminal.intro"), file=self.out)
        await self.line("/start")
        loop = asyncio.get_running_loop()
        while True:
            try:
                text = await loop.run_in_executor(None, read_line)
            except EOFError:
                return
            try:
                await self.line(text)
            except (ValueError, OSError) as exc:
                print(t(self.sender.locale, "terminal.unreadable", reason=type(exc).__name__), file=self.out)
            await asyncio.sleep(pause)  # lets the outbox print the card before the next prompt
