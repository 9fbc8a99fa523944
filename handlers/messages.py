"""Platform-neutral events in and messages out: what every channel adapter translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Channel", "ChatKind", "Choice", "Inbound", "InboundKind", "Outbound", "Photo"]


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    TERMINAL = "terminal"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


class InboundKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    LOCATION = "location"
    PHOTO = "photo"
    COMMAND = "command"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Photo:
    """Image bytes; an adapter that saw a declared size over the limit passes ``data=b""`` and that size."""

    data: bytes
    size: int


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
    photo: Photo | None = None
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
    photos: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "choices": [[c.value, c.label] for c in self.choices], "photos": list(self.photos)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Outbound:
        choices = data.get("choices") or []
        photos = data.get("photos") or []
        assert isinstance(choices, list) and isinstance(photos, list)
        return cls(
            text=str(data["text"]),
            choices=tuple(Choice(str(v), str(label)) for v, label in choices),
            photos=tuple(str(p) for p in photos),
        )
