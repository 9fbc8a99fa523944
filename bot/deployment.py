"""The deployment file: which units exist, who their officers are, where their duty groups live.

Validated up front with errors that name the file, the entry and the field, so an administrator can
fix a typo without reading a traceback.
"""

from __future__ import annotations

import tomllib
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

from handlers.places import place_by_code, province_by_code

__all__ = ["Deployment", "DeploymentError", "OfficerSpec", "Role", "UnitSpec", "load_deployment"]


class DeploymentError(Exception):
    """A deployment file that cannot be used; the message is meant for the administrator."""


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


def _pad_code(value: object) -> object:
    """Accepts 1 or "01" for a province and 70 or "00070" for a commune, as people will write both."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        text = str(value)
        return text.zfill(2) if len(text) <= 2 else text.zfill(5)
    return value


UnitCode = Annotated[str, BeforeValidator(_pad_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(_Strict):
    code: UnitCode = Field(description="official province (2 digits) or commune/ward (5 digits) code")
    name: str | None = None
    telegram_chat_id: int | None = None
    parent: UnitCode | None = None

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


class Deployment(_Strict):
    fallback_unit: UnitCode
    units: list[UnitSpec]
    officers: list[OfficerSpec] = []

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
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def unit(self, code: str) -> UnitSpec | None:
        return next((u for u in self.units if u.code == code), None)


def load_deployment(path: Path) -> Deployment:
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
            lines.append(f"  - {where or 'file'}: {err['msg']}")
        raise DeploymentError("\n".join(lines)) from None
