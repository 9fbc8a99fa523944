"""The citizen's report about a child, as data."""

from __future__ import annotations

from handlers.intake.flows import Flow, Step, StepKind

__all__ = ["CATEGORIES", "COLLABORATOR", "REPORT", "SETTINGS"]

COLLABORATOR = "collaborator"  # answers["source"] of a declared collaborator: their commune is already known
CATEGORIES = ("physical", "sexual", "neglect", "exploitation", "trafficking", "online", "bullying", "other")
SETTINGS = ("home", "school", "online", "public", "other")  # where it happened: indicator 0101's breakdown

REPORT = Flow(
    "report",
    (
        Step("relation", StepKind.CHOICE, ("relative", "neighbour", "teacher", "friend", "other")),
        Step("category", StepKind.CHOICE, CATEGORIES),
        Step("age_band", StepKind.CHOICE, ("0-5", "6-10", "11-15", "16-17", "unknown")),
        Step("sex", StepKind.CHOICE, ("girl", "boy", "unknown")),
        Step("danger", StepKind.CHOICE, ("yes", "no")),
        Step("setting", StepKind.CHOICE, SETTINGS, optional=True),  # one skippable question, plain words
        Step("place", StepKind.PLACE),
        Step("place_confirm", StepKind.PLACE_CONFIRM),
        Step("address", StepKind.TEXT, optional=True, max_chars=300),
        Step("description", StepKind.TEXT, optional=True),
        Step("photos", StepKind.PHOTOS, optional=True),
        Step("contact", StepKind.CHOICE, ("yes", "no")),
        Step("review", StepKind.REVIEW),
    ),
    # a typed commune goes through confirmation; "don't know" skips it
    branches={"place": lambda answers: "place_confirm" if answers.get("place_query") else "address"},
    skips={"place": lambda answers: answers.get("source") == COLLABORATOR},  # reporting from their own commune
)
