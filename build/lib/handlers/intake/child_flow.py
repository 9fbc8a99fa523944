"""A child asking for help, as data: danger first, one short question per message, every step skippable."""

from __future__ import annotations

from handlers.intake.flows import Flow, Step, StepKind

__all__ = ["CHILD", "CHILD_CATEGORY"]

# The child's words → the form of abuse officers and statistics use.
CHILD_CATEGORY = {
    "hit": "physical",
    "touch": "sexual",
    "bullied": "bullying",
    "alone": "neglect",
    "online": "online",
    "other": "other",
}

CHILD = Flow(
    "child",
    (
        Step("child_danger", StepKind.CHOICE, ("yes", "no")),
        Step("child_what", StepKind.CHOICE, tuple(CHILD_CATEGORY), optional=True),
        Step("child_more", StepKind.TEXT, optional=True, voice=True),
        Step("child_place", StepKind.PLACE),
        Step("child_place_confirm", StepKind.PLACE_CONFIRM),
        Step("child_contact", StepKind.CHOICE, ("yes", "no"), optional=True),
    ),
    branches={
        # in danger: the case exists already; only where and whether an adult may write are asked
        "child_danger": lambda answers: "child_place" if answers.get("child_danger") == "yes" else "child_what",
        "child_place": lambda answers: "child_place_confirm" if answers.get("place_query") else "child_contact",
    },
)
