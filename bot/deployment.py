"""The deployment file: which units exist, who their officers are, where their duty groups live.

Validated up front with errors that name the file, the entry and the field, so an administrator can
fix a typo without reading a traceback.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from handlers.i18n import t
from handlers.places import place_by_code, province_by_code
from handlers.rules.policy import WAIT_ERRORS, Policy
from handlers.rules.working_days import VIETNAM

__all__ = [
    "ContactSpec",
    "Deployment",
    "DeploymentError",
    "OfficerSpec",
    "Role",
    "RosterSpecFile",
    "UnitSpec",
    "load_deployment",
]


class DeploymentError(Exception):
    """A deployment file that cannot be used; the message is meant for the administrator."""


class Role(StrEnum):
    OFFICER = "officer"  # commune child-protection worker
    LEADER = "leader"  # commune chairperson or vice-chair: owns the 12-hour decisions
    SUPERVISOR = "supervisor"  # province
    ADMIN = "admin"


def _pad_code(value: object) -> object:
    """1 or "01" is a province; a commune needs 3 digits or more (70 is province 70; 070 or "00070" is a commune)."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        text = str(value)
        return text.zfill(2) if len(text) <= 2 else text.zfill(5)
    return value


UnitCode = Annotated[str, BeforeValidator(_pad_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _local(value: object) -> object:
    """A TOML local date-time (2026-12-01T07:30:00; TOML 1.0 needs the seconds) or date means Vietnamese time."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=VIETNAM)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=VIETNAM)
    return value


LocalDateTime = Annotated[datetime, BeforeValidator(_local)]


class ContactSpec(_Strict):
    """Told, never asked (no buttons): a police contact or the national line. A group, a person or Zalo."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    telegram_chat_id: int | None = None
    zalo_user_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> ContactSpec:
        if self.telegram_chat_id is None and self.zalo_user_id is None:
            raise ValueError(f"contact '{self.name}' needs telegram_chat_id or zalo_user_id")
        return self


class UnitSpec(_Strict):
    code: UnitCode = Field(description="official province (2 digits) or commune/ward (5 digits) code")
    name: str | None = None
    telegram_chat_id: int | None = None
    parent: UnitCode | None = None
    policy: str = "default"
    police: ContactSpec | None = None

    @field_validator("code")
    @classmethod
    def _official(cls, code: str) -> str:
        if not (province_by_code(code) if len(code) == 2 else place_by_code(code)):
            raise ValueError(f"'{code}' is not an official province or commune/ward code")
        return code

    @field_validator("telegram_chat_id")
    @classmethod
    def _group(cls, chat_id: int | None) -> int | None:
        if chat_id is not None and chat_id >= 0:
            raise ValueError("a duty group's chat id is negative (e.g. -1001234567890)")
        return chat_id

    @property
    def is_province(self) -> bool:
        return len(self.code) == 2

    @property
    def official_name(self) -> str:
        if self.is_province:
            found = province_by_code(self.code)
            return found[1] if found else self.code
        place = place_by_code(self.code)
        return place.label if place else self.code

    @property
    def display_name(self) -> str:
        return self.name or self.official_name

    @property
    def default_parent(self) -> str | None:
        if self.parent or self.is_province:
            return self.parent
        place = place_by_code(self.code)
        return place.province_code if place else None


class OfficerSpec(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    unit: UnitCode
    role: Role = Role.OFFICER
    telegram_user_id: Annotated[int, Field(gt=0)] | None = None
    zalo_user_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    terminal_login: str | None = None


class Interval(_Strict):
    officer: str | None = None  # a cover without an officer is a declared gap
    starts: LocalDateTime = Field(alias="from")
    ends: LocalDateTime = Field(alias="until")

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.ends <= self.starts:
            raise ValueError("'until' must be after 'from'")
        return self


class RosterSpecFile(_Strict):
    unit: UnitCode
    rotation: list[str] = Field(description="officer names in duty order")
    period_days: Annotated[int, Field(ge=1, le=28)] = 1
    handoff: time = time(7, 30)
    start: date
    backup: str | None = None
    holiday_officer: str | None = None
    leave: list[Interval] = []
    cover: list[Interval] = []

    def names(self) -> list[tuple[str, str]]:
        """(field, officer name) of every officer the roster mentions, for checking they exist."""
        found = [(f"rotation[{i}]", n) for i, n in enumerate(self.rotation)]
        found += [(f, n) for f, n in (("backup", self.backup), ("holiday_officer", self.holiday_officer)) if n]
        for kind, entries in (("leave", self.leave), ("cover", self.cover)):
            found += [(f"{kind}[{i}].officer", e.officer) for i, e in enumerate(entries) if e.officer]
        return found


class Deployment(_Strict):
    fallback_unit: UnitCode
    units: list[UnitSpec]
    officers: list[OfficerSpec] = []
    rosters: list[RosterSpecFile] = []
    policies: dict[str, Policy] = {}
    national_contact: ContactSpec | None = None
    # the one point for reports of harmful content about children online (the province's unit): its duty
    # group gets them, and its police contact (``police`` of that unit) is told the link in parallel
    online_content_unit: UnitCode | None = None

    @model_validator(mode="after")
    def _references(self) -> Deployment:
        codes = [u.code for u in self.units]
        problems = [f"units: code {c} is declared twice" for c in sorted({c for c in codes if codes.count(c) > 1})]
        known = set(codes)
        fallback = self.unit(self.fallback_unit)
        if fallback is None:
            problems.append(f"fallback_unit: '{self.fallback_unit}' is not one of the declared units")
        elif fallback.telegram_chat_id is None:
            problems.append(f"fallback_unit: '{self.fallback_unit}' needs a telegram_chat_id, or unplaced reports reach nobody")
        for i, unit in enumerate(self.units):
            if unit.parent and unit.parent not in known:
                problems.append(f"units[{i}].parent: '{unit.parent}' is not one of the declared units")
        seen: set[int] = set()
        for i, officer in enumerate(self.officers):
            if officer.unit not in known:
                problems.append(f"officers[{i}] ({officer.name}).unit: '{officer.unit}' is not a declared unit")
            if officer.telegram_user_id is not None:
                if officer.telegram_user_id in seen:
                    problems.append(f"officers[{i}] ({officer.name}).telegram_user_id: declared twice")
                seen.add(officer.telegram_user_id)
        if self.online_content_unit and self.online_content_unit not in known:
            problems.append(f"online_content_unit: '{self.online_content_unit}' is not one of the declared units")
        problems += self._roster_problems(known)
        policies = {"default", *self.policies}
        problems += [
            f"units[{i}].policy: '{u.policy}' is not declared under [policies]" for i, u in enumerate(self.units) if u.policy not in policies
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _roster_problems(self, known: set[str]) -> list[str]:
        problems = []
        units = [r.unit for r in self.rosters]
        for i, roster in enumerate(self.rosters):
            where = f"rosters[{i}]"
            if roster.unit not in known:
                problems.append(f"{where}.unit: '{roster.unit}' is not a declared unit")
            if units.count(roster.unit) > 1:
                problems.append(f"{where}.unit: unit {roster.unit} has more than one roster")
            members = {o.name for o in self.officers if o.unit == roster.unit}
            for field, name in roster.names():
                if name not in members:
                    problems.append(f"{where}.{field}: '{name}' is not an officer of unit {roster.unit}")
            if len(set(roster.rotation)) != len(roster.rotation):
                problems.append(f"{where}.rotation: an officer is listed twice")
        return problems

    def unit(self, code: str) -> UnitSpec | None:
        return next((u for u in self.units if u.code == code), None)

    def policy(self, name: str) -> Policy:
        return self.policies.get(name) or Policy()


def load_deployment(path: Path, *, locale: str = "vi") -> Deployment:
    """The validated file; a wait that cannot work (unreadable, negative, under a second) is said in ``locale``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentError(f"{path}: file not found (set DEPLOYMENT_FILE)") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeploymentError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Deployment.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {exc.error_count()} problem(s)"]
        for err in exc.errors(include_url=False):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
            message = t(locale, f"admin.{err['type']}", **err["ctx"]) if err["type"] in WAIT_ERRORS else err["msg"]
            lines.append(f"  - {where or 'file'}: {message}")
        raise DeploymentError("\n".join(lines)) from None
