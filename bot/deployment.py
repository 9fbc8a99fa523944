"""The deployment file: which units exist, who their officers are, where their duty groups live.

Validated up front with errors that name the file, the entry and the field, so an administrator can
fix a typo without reading a traceback.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from handlers.i18n import KeyedError, t
from handlers.places import place_by_code, province_by_code
from handlers.rules.policy import WAIT_ERRORS, Policy
from handlers.rules.working_days import VIETNAM
from handlers.statistics.calendar import DueDay, ReportSchedule
from handlers.statistics.periods import PeriodKind

__all__ = [
    "CollaboratorSpec",
    "ContactSpec",
    "Deployment",
    "DeploymentError",
    "OfficerSpec",
    "ReportCalendarSpec",
    "Role",
    "RosterSpecFile",
    "UnitSpec",
    "load_deployment",
]


class DeploymentError(KeyedError):
    """A deployment file that cannot be used, told to the administrator in their language: one heading
    (a catalog key) and one line per problem (where in the file, and what is wrong as a catalog key)."""

    def __init__(
        self, key: str, *, problems: list[tuple[str, str, dict[str, object]]] | None = None, locale: str = "en", **values: object
    ) -> None:
        super().__init__(key, **values)
        self.problems, self.locale = problems or [], locale

    def text(self, locale: str) -> str:
        lines = [t(locale, self.key, **self.values)]
        lines += [f"  - {where or t(locale, 'admin.whole_file')}: {_said(locale, kind, ctx)}" for where, kind, ctx in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:  # in the language load_deployment was asked for
        return self.text(self.locale)


# A text per problem type (``admin.<type>``): ours, then the pydantic types a hand-written TOML file meets.
PROBLEM_KEYS = frozenset({
    "admin.contact_unreachable", "admin.unit_not_official", "admin.group_not_negative", "admin.until_before_from",
    "admin.unit_twice", "admin.not_a_unit", "admin.fallback_without_group", "admin.user_twice",
    "admin.unknown_policy", "admin.roster_twice", "admin.not_an_officer", "admin.rotation_twice",
    "admin.steps_out_of_order", "admin.repeats_without_every", "admin.collaborator_unreachable",
    "admin.not_a_commune", "admin.bad_due", "admin.custom_needs_days",
    "admin.days_only_for_custom", "admin.day_only_for_month", "admin.custom_due_needs_year",
    "admin.missing", "admin.extra_forbidden", "admin.int_type", "admin.int_parsing", "admin.string_type",
    "admin.string_too_short", "admin.string_too_long", "admin.greater_than", "admin.greater_than_equal",
    "admin.less_than_equal", "admin.list_type", "admin.dict_type", "admin.model_type", "admin.bool_type",
    "admin.enum", "admin.too_short", "admin.time_type", "admin.time_parsing", "admin.date_type",
    "admin.date_parsing", "admin.datetime_type", "admin.datetime_parsing",
})


def _said(locale: str, kind: str, ctx: dict[str, object]) -> str:
    """A validation problem in ``locale``: ours and the common pydantic ones have an ``admin.<type>`` text;
    any other is named by its type, never by pydantic's English sentence."""
    if f"admin.{kind}" in PROBLEM_KEYS or kind in WAIT_ERRORS:
        return t(locale, f"admin.{kind}", **ctx)
    return t(locale, "admin.invalid_value", type=kind)


def _problem(kind: str, english: str, **ctx: object) -> PydanticCustomError:
    """A validator's error carrying its catalog key (``admin.<kind>``) and values through pydantic."""
    return PydanticCustomError(kind, english, ctx)


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
            raise _problem("contact_unreachable", "contact '{name}' needs telegram_chat_id or zalo_user_id", name=self.name)
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
            raise _problem("unit_not_official", "'{code}' is not an official province or commune/ward code", code=code)
        return code

    @field_validator("telegram_chat_id")
    @classmethod
    def _group(cls, chat_id: int | None) -> int | None:
        if chat_id is not None and chat_id >= 0:
            raise _problem("group_not_negative", "a duty group's chat id is negative (e.g. -1001234567890)")
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


class CollaboratorSpec(_Strict):
    """A commune's cộng tác viên: reports from them go to their commune, and its officers can ask them for
    a home visit in a private message (so they need a Telegram or Zalo account)."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    commune: UnitCode
    village: Annotated[str, Field(min_length=1, max_length=120)]  # thôn, ấp, bản or tổ dân phố, or a street
    telegram_user_id: Annotated[int, Field(gt=0)] | None = None
    zalo_user_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> CollaboratorSpec:
        if self.telegram_user_id is None and self.zalo_user_id is None:
            raise _problem(
                "collaborator_unreachable", "collaborator '{name}' needs telegram_user_id or zalo_user_id", name=self.name
            )
        return self


class Interval(_Strict):
    officer: str | None = None  # a cover without an officer is a declared gap
    starts: LocalDateTime = Field(alias="from")
    ends: LocalDateTime = Field(alias="until")

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.ends <= self.starts:
            raise _problem("until_before_from", "'until' must be after 'from'")
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


_DUE = re.compile(r"^(\d{1,2})(?:/(\d{1,2}))?$")


def _due_day(value: object) -> object:
    """"10/03" (every year, day/month as Vietnamese plans write it), "05" (every month), or a TOML date."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return DueDay(value.day, value.month, value.year)
    found = _DUE.match(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise _problem("bad_due", "'{value}' is not a due date: write 10/03, 05 or 2026-12-10", value=str(value))
    day, month = int(found[1]), int(found[2]) if found[2] else None
    try:
        date(2028, month or 1, day)  # a leap year: 29/02 is a day some year has
    except ValueError:
        raise _problem("bad_due", "'{value}' is not a due date: write 10/03, 05 or 2026-12-10", value=value) from None
    return DueDay(day, month)


class ReportCalendarSpec(_Strict):
    """One report a unit owes upward (docs/reports.md, "The reporting calendar"): its kind, due dates, data
    period, who prepares it (reminded privately with the draft) and who signs it."""

    unit: UnitCode
    report: Literal["month", "quarter", "half", "nine_months", "year", "custom"]
    due: Annotated[list[Annotated[DueDay, BeforeValidator(_due_day)]], Field(min_length=1)]
    data_period: Literal["15-14", "calendar"] | None = None  # default: the file's report_data_period
    preparer: Annotated[str, Field(min_length=1, max_length=80)]
    signer: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    signer_title: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    remind_working_days: Annotated[int, Field(ge=1, le=30)] = 5
    starts: date | None = Field(default=None, alias="from")  # a custom report's data: first and last day
    ends: date | None = Field(default=None, alias="until")

    @model_validator(mode="after")
    def _shape(self) -> ReportCalendarSpec:
        custom = self.report == "custom"
        if custom and (self.starts is None or self.ends is None):
            raise _problem("custom_needs_days", "a custom report needs 'from' and 'until'")
        if not custom and (self.starts is not None or self.ends is not None):
            raise _problem("days_only_for_custom", "'from' and 'until' are for a custom report only")
        if custom and self.starts and self.ends and self.ends < self.starts:
            raise _problem("until_before_from", "'until' must be after 'from'")
        if any(d.month is None for d in self.due) and self.report != "month":
            raise _problem("day_only_for_month", "a due day without a month (\"05\") is for monthly reports")
        if custom and (yearly := next((d for d in self.due if d.year is None), None)):
            raise _problem("custom_due_needs_year", "a custom report's due date is one date, like 2026-07-10 (not '{value}')",
                           value=f"{yearly.day:02d}/{yearly.month or 0:02d}")
        return self

    def schedule(self, default_data_period: str) -> ReportSchedule:
        kind = PeriodKind(self.report)
        days = (self.starts, self.ends) if self.starts and self.ends else None
        return ReportSchedule(
            self.unit, kind, tuple(self.due), self.preparer, self.data_period or default_data_period, self.signer,
            self.signer_title, self.remind_working_days, days,
        )


class Deployment(_Strict):
    fallback_unit: UnitCode
    units: list[UnitSpec]
    officers: list[OfficerSpec] = []
    collaborators: list[CollaboratorSpec] = []
    rosters: list[RosterSpecFile] = []
    policies: dict[str, Policy] = {}
    national_contact: ContactSpec | None = None
    # the one point for reports of harmful content about children online (the province's unit): its duty
    # group gets them, and its police contact (``police`` of that unit) is told the link in parallel
    online_content_unit: UnitCode | None = None
    # reports' data periods: "15-14" (from the 15th of the month before the period to the 14th of its last
    # month, the usual convention in Vietnam) or "calendar" (the calendar months themselves)
    report_data_period: Literal["15-14", "calendar"] = "15-14"
    report_calendar: list[ReportCalendarSpec] = []

    @model_validator(mode="after")
    def _references(self) -> Deployment:
        """Every cross-reference at once, each problem as (where, catalog type, values)."""
        codes = [u.code for u in self.units]
        problems: list[tuple[str, str, dict[str, object]]] = [
            ("units", "unit_twice", {"code": c}) for c in sorted({c for c in codes if codes.count(c) > 1})
        ]
        known = set(codes)
        fallback = self.unit(self.fallback_unit)
        if fallback is None:
            problems.append(("fallback_unit", "not_a_unit", {"code": self.fallback_unit}))
        elif fallback.telegram_chat_id is None:
            problems.append(("fallback_unit", "fallback_without_group", {"code": self.fallback_unit}))
        for i, unit in enumerate(self.units):
            if unit.parent and unit.parent not in known:
                problems.append((f"units[{i}].parent", "not_a_unit", {"code": unit.parent}))
        seen: set[int] = set()
        for i, officer in enumerate(self.officers):
            if officer.unit not in known:
                problems.append((f"officers[{i}] ({officer.name}).unit", "not_a_unit", {"code": officer.unit}))
            if officer.telegram_user_id is not None:
                if officer.telegram_user_id in seen:
                    problems.append((f"officers[{i}] ({officer.name}).telegram_user_id", "user_twice", {}))
                seen.add(officer.telegram_user_id)
        problems += self._collaborator_problems(known)
        if self.online_content_unit and self.online_content_unit not in known:
            problems.append(("online_content_unit", "not_a_unit", {"code": self.online_content_unit}))
        problems += self._roster_problems(known)
        problems += self._calendar_problems(known)
        policies = {"default", *self.policies}
        problems += [
            (f"units[{i}].policy", "unknown_policy", {"policy": u.policy}) for i, u in enumerate(self.units) if u.policy not in policies
        ]
        if problems:
            english = "; ".join(f"{where}: {_said('en', kind, ctx)}" for where, kind, ctx in problems)
            raise PydanticCustomError("references", english.replace("{", "(").replace("}", ")"), {"problems": problems})
        return self

    def _collaborator_problems(self, known: set[str]) -> list[tuple[str, str, dict[str, object]]]:
        """A collaborator belongs to a declared commune, and no account is two people (officer or collaborator)."""
        problems: list[tuple[str, str, dict[str, object]]] = []
        telegram = {o.telegram_user_id for o in self.officers if o.telegram_user_id is not None}
        zalo = {o.zalo_user_id for o in self.officers if o.zalo_user_id is not None}
        for i, person in enumerate(self.collaborators):
            where = f"collaborators[{i}] ({person.name})"
            if len(person.commune) != 5:
                problems.append((f"{where}.commune", "not_a_commune", {"code": person.commune}))
            elif person.commune not in known:
                problems.append((f"{where}.commune", "not_a_unit", {"code": person.commune}))
            accounts = (("telegram_user_id", person.telegram_user_id, telegram), ("zalo_user_id", person.zalo_user_id, zalo))
            for field, account, seen in accounts:
                if account is None:
                    continue
                if account in seen:
                    problems.append((f"{where}.{field}", "user_twice", {}))
                seen.add(account)  # type: ignore[arg-type]
        return problems

    def _roster_problems(self, known: set[str]) -> list[tuple[str, str, dict[str, object]]]:
        problems: list[tuple[str, str, dict[str, object]]] = []
        units = [r.unit for r in self.rosters]
        for i, roster in enumerate(self.rosters):
            where = f"rosters[{i}]"
            if roster.unit not in known:
                problems.append((f"{where}.unit", "not_a_unit", {"code": roster.unit}))
            if units.count(roster.unit) > 1:
                problems.append((f"{where}.unit", "roster_twice", {"code": roster.unit}))
            members = {o.name for o in self.officers if o.unit == roster.unit}
            for field, name in roster.names():
                if name not in members:
                    problems.append((f"{where}.{field}", "not_an_officer", {"name": name, "code": roster.unit}))
            if len(set(roster.rotation)) != len(roster.rotation):
                problems.append((f"{where}.rotation", "rotation_twice", {}))
        return problems

    def _calendar_problems(self, known: set[str]) -> list[tuple[str, str, dict[str, object]]]:
        problems: list[tuple[str, str, dict[str, object]]] = []
        for i, entry in enumerate(self.report_calendar):
            if entry.unit not in known:
                problems.append((f"report_calendar[{i}].unit", "not_a_unit", {"code": entry.unit}))
            members = {o.name for o in self.officers if o.unit == entry.unit}
            for field, name in (("preparer", entry.preparer), ("signer", entry.signer)):
                if name and name not in members:
                    problems.append((f"report_calendar[{i}].{field}", "not_an_officer", {"name": name, "code": entry.unit}))
        return problems

    def schedules(self) -> tuple[ReportSchedule, ...]:
        return tuple(entry.schedule(self.report_data_period) for entry in self.report_calendar)

    def unit(self, code: str) -> UnitSpec | None:
        return next((u for u in self.units if u.code == code), None)

    def policy(self, name: str) -> Policy:
        return self.policies.get(name) or Policy()


def load_deployment(path: Path, *, locale: str = "vi") -> Deployment:
    """The validated file, or a DeploymentError that says what is wrong: ``str()`` in ``locale``, ``text(other)``
    in any other language."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentError("admin.deployment_not_found", file=str(path), locale=locale) from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = at.groups() if at else ("?", "?")
        raise DeploymentError("admin.deployment_not_toml", file=str(path), line=line, column=column, locale=locale) from None
    try:
        return Deployment.model_validate(raw)
    except ValidationError as exc:
        problems: list[tuple[str, str, dict[str, object]]] = []
        for err in exc.errors(include_url=False):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
            ctx = dict(err.get("ctx") or {})
            if err["type"] == "references":
                problems += ctx["problems"]  # type: ignore[arg-type]
            else:
                problems.append((where, err["type"], {k: _plain(v) for k, v in ctx.items()}))
        raise DeploymentError(
            "admin.deployment_problems", file=str(path), count=len(problems), problems=problems, locale=locale
        ) from None


def _plain(value: object) -> object:
    """pydantic's ctx values as a catalog takes them (numbers and words; an exception as its type)."""
    return value if isinstance(value, (str, int, float)) else type(value).__name__ if isinstance(value, Exception) else str(value)
