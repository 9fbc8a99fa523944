"""How each step of a flow is asked, and the report summarised, in the person's language."""

from __future__ import annotations

from handlers.i18n import for_channel, t
from handlers.intake.all_flows import STEPS
from handlers.intake.flows import StepKind, place_step_of
from handlers.messages import WIPE, Choice, Outbound
from handlers.places import place_by_code
from handlers.services import Limits
from handlers.state import ConversationState

__all__ = [
    "BACK",
    "CANCEL",
    "DONE",
    "MENU_CHILD",
    "MENU_LANGUAGE",
    "MENU_LEARN",
    "MENU_ONLINE",
    "MENU_REPORT",
    "SKIP",
    "SUBMIT",
    "menu",
    "option_value",
    "prompt",
    "review_text",
]

BACK, CANCEL, SKIP, DONE, SUBMIT = "nav:back", "nav:cancel", "nav:skip", "nav:done", "nav:submit"
MENU_CHILD, MENU_REPORT, MENU_LANGUAGE = "menu:child", "menu:report", "menu:language"
MENU_ONLINE, MENU_LEARN = "menu:online", "menu:learn"


def option_value(step: str, option: str) -> str:
    """Step-bound, so a button pressed on an old question is recognised as such."""
    return f"s:{step}:{option}"


def menu(locale: str) -> Outbound:
    return Outbound(
        t(locale, "menu.welcome"),
        (
            Choice(MENU_CHILD, t(locale, "menu.child")),
            Choice(MENU_REPORT, t(locale, "menu.report")),
            Choice(MENU_ONLINE, t(locale, "menu.online")),
            Choice(MENU_LEARN, t(locale, "menu.learn")),
            Choice(MENU_LANGUAGE, t(locale, "menu.language")),
            Choice(WIPE, t(locale, "nav.wipe")),
        ),
    )


def _nav(locale: str, state: ConversationState) -> list[Choice]:
    back = [Choice(BACK, t(locale, "nav.back"))] if state.history else []
    return [*back, Choice(CANCEL, t(locale, "nav.cancel")), Choice(WIPE, t(locale, "nav.wipe"))]


def prompt(state: ConversationState, limits: Limits, *, text_key: str | None = None, channel: str = "") -> Outbound:
    locale, name = state.locale, state.step or ""
    step = STEPS[name]
    text = t(locale, for_channel(text_key or f"step.{name}.prompt", channel), limit=limits.max_photos)
    choices: list[Choice] = []
    if step.kind is StepKind.CHOICE:
        choices = [Choice(option_value(name, o), t(locale, f"step.{name}.{o}")) for o in step.options]
        if step.optional:
            choices.append(Choice(SKIP, t(locale, "nav.skip")))
    elif step.kind is StepKind.PLACE:
        choices = [Choice(option_value(name, "unknown"), t(locale, f"step.{name}.unknown"))]
    elif step.kind is StepKind.PLACE_CONFIRM:
        places = [p for p in map(place_by_code, state.matches) if p is not None]
        choices = [Choice(option_value(name, p.code), p.label) for p in places]
        choices.append(Choice(option_value(name, "retype"), t(locale, f"step.{name}.retype")))
        place_step = place_step_of(name)
        choices.append(Choice(option_value(place_step, "unknown"), t(locale, f"step.{place_step}.unknown")))
    elif step.kind is StepKind.TEXT:
        choices = [Choice(SKIP, t(locale, "nav.skip"))]
    elif step.kind is StepKind.PHOTOS:
        choices = [Choice(DONE, t(locale, "nav.done")), Choice(SKIP, t(locale, "nav.skip"))]
    elif step.kind is StepKind.REVIEW:
        text = review_text(state)
        choices = [Choice(SUBMIT, t(locale, "step.review.submit"))]
    return Outbound(text, tuple(choices + _nav(locale, state)))


def review_text(state: ConversationState) -> str:
    locale, answers = state.locale, state.answers

    def label(step: str) -> str:
        value = answers.get(step)
        return t(locale, f"step.{step}.{value}") if value else t(locale, "step.review.none")

    place = place_by_code(answers["place_code"]) if answers.get("place_code") else None
    rows = [(key, label(key)) for key in ("relation", "category", "age_band", "sex", "danger", "setting")]
    rows.append(("place", place.label if place else t(locale, "step.review.unknown_place")))
    if answers.get("pin"):
        rows.append(("pin", "{:.5f}, {:.5f}".format(*answers["pin"])))
    rows.append(("address", answers.get("address") or t(locale, "step.review.none")))
    rows.append(("description", answers.get("description") or t(locale, "step.review.none")))
    rows.append(("photos", str(state.photos)))
    rows.append(("contact", label("contact")))
    body = "\n".join(f"• {t(locale, f'step.review.{key}')}: {value}" for key, value in rows)
    return f"{t(locale, 'step.review.prompt')}\n\n{body}"
