"""Where a reader is in Learn, what each screen shows, and where a press leads: stateless screens
computed from a small place kept in the conversation, so Zalo's typed numbers work like buttons."""

from __future__ import annotations

from pydantic import BaseModel

from handlers.i18n import t
from handlers.learn.pieces import AUDIENCES, learn_text, piece, pieces_for
from handlers.messages import WIPE, Choice, Inbound, InboundKind, Outbound
from handlers.places import normalize

__all__ = ["LEARN_PREFIX", "LEAVE", "TALK", "LearnPlace", "learn_pick", "learn_screen", "move"]

LEARN_PREFIX = "learn:"
LEAVE = "learn:leave"  # back to the main menu
TALK = "menu:child"  # "talk to someone": the child's own flow, the same value as the main menu's option


class LearnPlace(BaseModel):
    """Nothing chosen (the audiences), an audience (its pieces), or a piece and a page of it."""

    audience: str | None = None
    piece: str | None = None
    page: int = 0


def _audiences(locale: str) -> Outbound:
    choices = [Choice(f"learn:a:{a}", learn_text(locale, f"audience_{a}")) for a in AUDIENCES]
    return Outbound(
        learn_text(locale, "choose_audience"),
        (*choices, Choice(LEAVE, learn_text(locale, "menu")), Choice(WIPE, _wipe(locale))),
    )


def _wipe(locale: str) -> str:
    return t(locale, "nav.wipe")


def learn_screen(locale: str, place: LearnPlace) -> Outbound:
    """The one message the reader sees at ``place``; the last page of a piece ends with 111 and a way to talk."""
    found = piece(locale, place.piece) if place.piece else None
    if found is None:
        if place.audience not in AUDIENCES:
            return _audiences(locale)
        listed = [Choice(f"learn:p:{p.id}:0", p.title) for p in pieces_for(locale, place.audience or "")]
        nav = (
            Choice("learn:top", learn_text(locale, "other_piece")),
            Choice(LEAVE, learn_text(locale, "menu")),
        )
        return Outbound(learn_text(locale, "choose_piece"), (*listed, *nav, Choice(WIPE, _wipe(locale))))
    pages = len(found.messages)
    page = min(max(place.page, 0), pages - 1)
    text = f"{found.title} {learn_text(locale, 'page', page=page + 1, pages=pages)}\n\n{found.messages[page]}"
    choices = (
        [Choice(f"learn:p:{found.id}:{page + 1}", learn_text(locale, "next"))] if page + 1 < pages else []
    )
    if page + 1 == pages:
        text += f"\n\n{learn_text(locale, 'ending')}\n\n{learn_text(locale, 'source', source=found.source)}"
        choices.append(Choice(TALK, learn_text(locale, "talk")))
    choices += [
        Choice(f"learn:a:{found.audience}", learn_text(locale, "other_piece")),
        Choice(LEAVE, learn_text(locale, "menu")),
    ]
    return Outbound(text, (*choices, Choice(WIPE, _wipe(locale))))


def learn_pick(inbound: Inbound, locale: str, place: LearnPlace) -> str:
    """The option of the screen at ``place`` meant: its button, its number (Zalo lists) or its words; "" for none."""
    options = learn_screen(locale, place).choices
    if inbound.kind is InboundKind.CHOICE:
        return inbound.choice if inbound.choice.startswith(LEARN_PREFIX) or inbound.choice == TALK else ""
    typed = inbound.text.strip() if inbound.kind is InboundKind.TEXT else ""
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1].value
    return next((o.value for o in options if typed and normalize(o.label) == normalize(typed)), "")


def move(locale: str, value: str) -> tuple[LearnPlace, str | None]:
    """The place a Learn option leads to, and the piece opened at its first page (to be counted), if any."""
    parts = value.removeprefix(LEARN_PREFIX).split(":")
    if parts[0] == "a" and len(parts) == 2 and parts[1] in AUDIENCES:
        return LearnPlace(audience=parts[1]), None
    if (
        parts[0] == "p"
        and len(parts) == 3
        and parts[2].isdigit()
        and (found := piece(locale, parts[1])) is not None
    ):
        page = min(int(parts[2]), len(found.messages) - 1)
        return LearnPlace(audience=found.audience, piece=found.id, page=page), found.id if page == 0 else None
    return LearnPlace(), None
