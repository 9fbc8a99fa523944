"""One person's conversation, typed: what the flows, follow-up and the desk read and write between two
messages. It is sealed as JSON under the draft's key (storage/drafts.py); a draft stored by an earlier
version (a plain dict with three differently named danger flags) is read into this shape unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.learn.reader import LearnPlace
from storage.drafts import load_state, save_state
from storage.vault import Vault

__all__ = [
    "ConversationState", "FollowState", "KeptReceipt", "OpenCase", "Urgency", "load_conversation", "save_conversation",
]

VERSION = 2


class Urgency(StrEnum):
    """Why this person's report is urgent: the one notion every rule reads."""

    ASKED = "asked"  # "yes" to the flow's danger question
    SAID = "said"  # danger words in free text, anywhere
    AFTER_SUBMIT = "after_submit"  # danger words after the report was in, while its case is open


class OpenCase(BaseModel):
    """The case this flow has already opened (a child's urgent case exists before the last question)."""

    code: str
    secret: str = ""


class FollowState(BaseModel):
    """/tracuu: the case being followed, and whether this person proved they may read it."""

    code: str | None = None
    authed: bool = False


class KeptReceipt(BaseModel):
    """The receipt (code and secret) kept sealed a few minutes, for a press repeated after a crash."""

    messages: list[dict[str, Any]]
    until: float


class ConversationState(BaseModel):
    version: int = VERSION
    locale: str
    flow: str | None = None
    step: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    history: list[str] = Field(default_factory=list)
    trace: list[tuple[str, int]] = Field(default_factory=list)  # what was sent or received, for a wipe
    photos: int = 0
    matches: list[str] = Field(default_factory=list)  # places offered at a confirm step
    urgency: list[Urgency] = Field(default_factory=list)  # why this is urgent, in the order it became so
    case: OpenCase | None = None
    follow: FollowState | None = None
    receipt: KeptReceipt | None = None
    learn: LearnPlace | None = None  # reading Learn (outside any flow): where, so typed numbers pick its options

    @classmethod
    def fresh(cls, locale: str, trace: list[tuple[str, int]] | None = None) -> ConversationState:
        return cls(locale=locale, trace=list(trace or []))

    @property
    def urgent(self) -> bool:
        return bool(self.urgency)

    def raise_urgency(self, reason: Urgency) -> bool:
        """True the first time for this reason: what follows (the numbers, a case, an urgent chain) happens once."""
        if reason in self.urgency:
            return False
        self.urgency.append(reason)
        return True

    def answer_danger(self, yes: bool) -> None:
        """The danger question's answer is the "asked" reason: going back and answering "no" takes it away."""
        if not yes and Urgency.ASKED in self.urgency:
            self.urgency.remove(Urgency.ASKED)
        elif yes:
            self.raise_urgency(Urgency.ASKED)

    def start(self, flow: str, first: str) -> None:
        """A new flow forgets the previous one's answers, but not the chat's locale and trace."""
        self.flow, self.step = flow, first
        self.answers, self.history, self.matches = {}, [], []
        self.photos, self.urgency, self.case, self.follow, self.receipt = 0, [], None, None, None
        self.learn = None

    def to_stored(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> ConversationState:
        return cls.model_validate(data if data.get("version") == VERSION else _upgrade(data))


def _upgrade(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (before the typed state): the danger flags lived among the answers, the case as two keys."""
    answers = dict(old.get("answers") or {})
    said = answers.pop("danger_detected", None)
    asked = answers.get("danger") == "yes" or answers.get("child_danger") == "yes"
    new = {k: v for k, v in old.items() if k in ConversationState.model_fields and k not in ("case", "urgency")}
    new.update(version=VERSION, answers=answers, locale=old.get("locale") or "vi")
    new["urgency"] = [reason for reason, held in ((Urgency.ASKED, asked), (Urgency.SAID, said)) if held]
    if old.get("case_code"):
        new["case"] = {"code": old["case_code"], "secret": old.get("case_secret") or ""}
    if not old.get("follow"):
        new.pop("follow", None)
    return new


async def load_conversation(session: AsyncSession, vault: Vault, handle: str) -> ConversationState | None:
    stored = await load_state(session, vault, handle)
    return None if stored is None else ConversationState.from_stored(stored)


async def save_conversation(session: AsyncSession, vault: Vault, handle: str, state: ConversationState) -> str:
    until = datetime.fromtimestamp(state.receipt.until, UTC) if state.receipt else None
    return await save_state(session, vault, handle, state.to_stored(), receipt_until=until)
