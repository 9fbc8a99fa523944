"""What a flow is: named steps, what each accepts, and which step follows which answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Flow", "Step", "StepKind", "confirm_step_of", "place_step_of"]


class StepKind(StrEnum):
    CHOICE = "choice"
    PLACE = "place"
    PLACE_CONFIRM = "place_confirm"
    TEXT = "text"
    LINK = "link"  # a web address, never fetched (handlers/links.py)
    PHOTOS = "photos"
    REVIEW = "review"


@dataclass(frozen=True)
class Step:
    name: str
    kind: StepKind
    options: tuple[str, ...] = ()
    optional: bool = False
    max_chars: int | None = None
    voice: bool = False  # a voice message answers this step as well as text does


@dataclass(frozen=True)
class Flow:
    """Steps in order; ``branches`` override "the next one" where an answer changes the way; ``skips``
    pass over a step whose answer is already known (the flow goes on as if it had just been answered)."""

    name: str
    steps: tuple[Step, ...]
    branches: Mapping[str, Callable[[dict[str, Any]], str | None]] = field(default_factory=dict)
    skips: Mapping[str, Callable[[dict[str, Any]], bool]] = field(default_factory=dict)

    @property
    def first(self) -> str:
        return self.steps[0].name

    def next(self, current: str, answers: dict[str, Any]) -> str | None:
        """The step after ``current``; None when the flow is complete."""
        if current in self.branches:
            following = self.branches[current](answers)
        else:
            names = [s.name for s in self.steps]
            position = names.index(current) + 1
            following = names[position] if position < len(names) else None
        if following in self.skips and self.skips[following](answers):
            return self.next(following, answers)
        return following


def confirm_step_of(place_step: str) -> str:
    return f"{place_step}_confirm"


def place_step_of(confirm_step: str) -> str:
    return confirm_step.removesuffix("_confirm")
