"""Platform-neutral events in and messages out: what every channel adapter translates to and from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["WIPE", "Channel", "ChatKind", "Choice", "Inbound", "InboundKind", "Media", "Outbound", "command_name", "split_text"]

WIPE = "nav:wipe"  # offered on every message: a child on a shared phone must be able to erase at once
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")


def command_name(text: str) -> str:
    """ "/Start help" → "start", "/xoa@bot" → "xoa"; "" for text that is not a command (a bare "/" too)."""
    words = text[1:].split(maxsplit=1) if text.startswith("/") else []
    return words[0].split("@", 1)[0].lower() if words else ""


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut after a sentence or a line where one is near, so no
    platform refuses a message for its length."""
    parts: list[str] = []
    while len(text) > limit:
        cuts = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1) if m.end() <= limit]
        cut = cuts[-1] if cuts and cuts[-1] > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text] if text else parts


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    TERMINAL = "terminal"
    WEB = "web"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


class InboundKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    LOCATION = "location"
    PHOTO = "photo"
    VOICE = "voice"
    COMMAND = "command"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Media:
    """A photo or voice message; an adapter that saw a declared size over the limit passes ``data=b""``.
    A photo is then checked before its conversation is touched: ``cleaned`` (the bytes are the rebuilt
    image) or ``refused`` (the message key and values telling the person why)."""

    data: bytes
    size: int
    content_type: str = ""
    cleaned: bool = False
    refused: tuple[str, dict[str, object]] | None = None


@dataclass(frozen=True)
class Inbound:
    """One thing a person did. ``handle`` is the keyed hash; the raw id never leaves the adapter,
    except as ``reply_address``, which storage only keeps encrypted."""

    channel: Channel
    handle: str
    kind: InboundKind
    reply_address: str
    chat_kind: ChatKind = ChatKind.PRIVATE
    text: str = ""
    choice: str = ""
    command: str = ""
    location: tuple[float, float] | None = None
    media: Media | None = None
    message_ref: str | None = None  # the platform's id of this message, so a wipe can delete it
    locale_hint: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Outbound:
    """A message as the core means it; adapters render choices as buttons or a numbered list."""

    text: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "choices": [[c.value, c.label] for c in self.choices], "attachments": list(self.attachments)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Outbound:
        choices = data.get("choices") or []
        attachments = data.get("attachments") or []
        assert isinstance(choices, list) and isinstance(attachments, list)
        return cls(
            text=str(data["text"]),
            choices=tuple(Choice(str(v), str(label)) for v, label in choices),
            attachments=tuple(str(p) for p in attachments),
        )
