"""What a message asks for whatever step the person is at: a wipe, the child's help, a menu option, and
which messages no rate limit may hold back."""

from __future__ import annotations

from handlers.intake.danger import mentions_danger
from handlers.intake.prompts import MENU_CHILD, menu
from handlers.messages import WIPE, Inbound, InboundKind
from handlers.places import normalize
from handlers.state import ConversationState

__all__ = ["HELP_COMMANDS", "exempt_from_limits", "menu_pick", "wants_wipe"]

WIPE_COMMANDS = {"xoa", "clear", "wipe"}
HELP_COMMANDS = {"help", "giupdo", "trogiup"}


def wants_wipe(inbound: Inbound) -> bool:
    return (inbound.kind is InboundKind.CHOICE and inbound.choice == WIPE) or (
        inbound.kind is InboundKind.COMMAND and inbound.command in WIPE_COMMANDS
    )


def menu_pick(inbound: Inbound, locale: str) -> str:
    """The menu option meant: a button, its number (Zalo lists) or its words typed; "" for none."""
    options = menu(locale).choices
    typed = inbound.text.strip() if inbound.kind is InboundKind.TEXT else ""
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1].value
    if typed:
        return next((o.value for o in options if normalize(o.label) == normalize(typed)), "")
    return inbound.choice if inbound.kind is InboundKind.CHOICE else ""


def exempt_from_limits(inbound: Inbound, state: ConversationState) -> bool:
    """What no rate limit may hold back: danger (said now, or earlier in this flow, so an urgent report
    always reaches its submission), the danger question itself, the way into a child's request for help,
    and wiping the chat."""
    if state.urgent or state.step in ("danger", "child_danger"):
        return True
    kind = inbound.kind
    if kind is InboundKind.TEXT and mentions_danger(inbound.text):
        return True
    if kind is InboundKind.COMMAND:
        args = inbound.text.lower().split()[1:]
        return inbound.command in WIPE_COMMANDS | HELP_COMMANDS or args[:1] == ["help"]
    if wants_wipe(inbound):
        return True
    return state.step is None and menu_pick(inbound, state.locale) == MENU_CHILD
