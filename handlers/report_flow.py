"""The citizen's report, as data: the steps in order, what each accepts, and what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["FIRST_STEP", "STEPS", "Step", "StepKind", "next_step"]


class StepKind(StrEnum):
    CHOICE = "choice"
    PLACE = "place"
    PLACE_CONFIRM = "place_confirm"
    TEXT = "text"
    PHOTOS = "photos"
    REVIEW = "review"


@dataclass(frozen=True)
class Step:
    name: str
    kind: StepKind
    options: tuple[str, ...] = ()
    optional: bool = False
    max_chars: int | None = None


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("relation", StepKind.CHOICE, ("relative", "neighbour", "teacher", "friend", "other")),
        Step(
            "category",
            StepKind.CHOICE,
            ("physical", "sexual", "neglect", "exploitation", "trafficking", "online", "bullying", "other"),
        ),
        Step("age_band", StepKind.CHOICE, ("0-5", "6-10", "11-15", "16-17", "unknown")),
        Step("sex", StepKind.CHOICE, ("girl", "boy", "unknown")),
        Step("danger", StepKind.CHOICE, ("yes", "no")),
        Step("place", StepKind.PLACE),
        Step("place_confirm", StepKind.PLACE_CONFIRM),
        Step("address", StepKind.TEXT, optional=True, max_chars=300),
        Step("description", StepKind.TEXT, optional=True),
        Step("photos", StepKind.PHOTOS, optional=True),
        Step("contact", StepKind.CHOICE, ("yes", "no")),
        Step("review", StepKind.REVIEW),
    )
}

FIRST_STEP = "relation"
_ORDER = list(STEPS)


def next_step(current: str, answers: dict[str, Any]) -> str:
    """Linear, except that a typed commune goes through confirmation and "don't know" skips it."""
    if current == "place" and answers.get("place_query"):
        return "place_confirm"
    if current == "place":
        return "address"
    return _ORDER[_ORDER.index(current) + 1]
