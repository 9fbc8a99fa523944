"""Periodic statistics for upward reporting (domain.md §6): counts and handling indicators over clear columns.

Only the columns kept in clear for routing, deadlines and statistics are read; nothing here opens a sealed
field, so a report can be made by anyone who may read the database file, without the master keys.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.escalation.alerts import local_time
from handlers.i18n import DEFAULT_LOCALE, t
from handlers.intake.report_flow import CATEGORIES
from handlers.messages import Channel
from handlers.rules.deadlines import deadline_of, reached
from handlers.rules.outcomes import OUTCOMES
from handlers.rules.policy import Target, Track
from handlers.rules.working_days import VIETNAM
from storage.models import Case, CaseEvent, CaseStatus, EventKind, Unit
from storage.units import units_under

__all__ = [
    "AGE_BANDS", "SEXES", "CaseRow", "Cell", "Indicators", "Period", "PeriodKind", "Report", "Table",
    "UnitRow",
    "build_report", "load_cases", "nearest_rank", "unit_tree",
]

AGE_BANDS = ("0-5", "6-10", "11-15", "16-17", "unknown")  # a child's own report says "unknown"
SEXES = ("girl", "boy", "unknown")
REPORTERS = ("child", "adult")
OPEN = "open"
TOTAL = "total"
NOT_RECORDED = "not_recorded"

Cell = str | int | float | None


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])|(9M)))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period of the local calendar (domain.md: quarterly, six-monthly, nine-monthly, annual
    reports, and months for a closer look), as the half-open interval [start, end) of local midnights."""

    code: str  # canonical: "2026-Q3", "2026-H1", "2026-9M", "2026", "2026-07"
    kind: PeriodKind
    year: int
    first_month: int
    months: int

    @classmethod
    def parse(cls, text: str) -> Period:
        found = _PERIOD.match(text.strip().upper())
        if found is None:
            raise ValueError(
                f"'{text}' is not a reporting period: use 2026-Q3 (quarter), "
                "2026-H1 or 2026-H2 (six months), 2026-9M (nine months), 2026 (year) or 2026-07 (month)"
            )
        year_text, month, quarter, half, nine = found.groups()
        year = int(year_text)
        if not 2000 <= year <= 2100:
            raise ValueError(f"'{text}': the year must be between 2000 and 2100")
        if month:
            return cls(f"{year}-{month}", PeriodKind.MONTH, year, int(month), 1)
        if quarter:
            return cls(f"{year}-Q{quarter}", PeriodKind.QUARTER, year, 3 * int(quarter) - 2, 3)
        if half:
            return cls(f"{year}-H{half}", PeriodKind.HALF, year, 6 * int(half) - 5, 6)
        if nine:
            return cls(f"{year}-9M", PeriodKind.NINE_MONTHS, year, 1, 9)
        return cls(str(year), PeriodKind.YEAR, year, 1, 12)

    @classmethod
    def quarter_of(cls, moment: datetime) -> Period:
        """The quarter ``moment`` falls in, by the local calendar (the default report period)."""
        local = moment.astimezone(VIETNAM)
        return cls.parse(f"{local.year}-Q{(local.month - 1) // 3 + 1}")

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.first_month, 1, tzinfo=VIETNAM)

    @property
    def end(self) -> datetime:
        last = self.first_month + self.months  # the month after the period, possibly January next year
        return datetime(self.year + (last - 1) // 12, (last - 1) % 12 + 1, 1, tzinfo=VIETNAM)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def label(self, locale: str) -> str:
        if self.kind is PeriodKind.MONTH:
            return t(locale, "report.period.month", month=self.first_month, year=self.year)
        if self.kind is PeriodKind.QUARTER:
            return t(locale, "report.period.quarter", quarter=(self.first_month + 2) // 3, year=self.year)
        if self.kind is PeriodKind.HALF:
            key = "report.period.h1" if self.first_month == 1 else "report.period.h2"
            return t(locale, key, year=self.year)
        if self.kind is PeriodKind.NINE_MONTHS:
            return t(locale, "report.period.nine_months", year=self.year)
        return t(locale, "report.period.year", year=self.year)

    def dates(self) -> str:
        """First and last local day, as people write them ("01/07/2026 – 30/09/2026")."""
        last = self.end - timedelta(days=1)
        return f"{self.start:%d/%m/%Y} – {last:%d/%m/%Y}"


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str


@dataclass(frozen=True)
class CaseRow:
    """The clear columns of one case that the report reads, and whether it was escalated to the province."""

    unit_code: str
    category: str
    age_band: str
    sex: str
    channel: str
    reporter_kind: str
    status: str
    outcome: str | None
    received_at: datetime
    first_acknowledged_at: datetime | None = None
    assessed_at: datetime | None = None
    policy: str = "{}"
    escalated: bool = False


async def unit_tree(session: AsyncSession, unit_code: str) -> list[UnitRow]:
    """The unit and every unit whose chain of parents reaches it, the unit itself first, then by code.

    Walks each unit's ancestors (the same tree officers' access follows) rather than one level of
    parents, so a deeper tree stays counted once the deployment has one."""
    if await session.get(Unit, unit_code) is None:
        raise LookupError(f"unknown unit '{unit_code}' (not declared in the deployment file)")
    found = [UnitRow(u.code, u.name) for u in await units_under(session, unit_code)]
    return sorted(found, key=lambda u: (u.code != unit_code, u.code))


async def load_cases(session: AsyncSession, *, unit_code: str, period: Period) -> list[CaseRow]:
    """Cases of the unit's tree received in the period; clear columns only (never a ``*_ct`` column)."""
    codes = [u.code for u in await unit_tree(session, unit_code)]
    escalated = (
        select(CaseEvent.id)
        .where(
            col(CaseEvent.case_id) == col(Case.id),
            col(CaseEvent.kind) == EventKind.STEP_SENT,
            col(CaseEvent.detail).contains(Target.PARENT_GROUP.value, autoescape=True),
        )
        .exists()
    )
    query = select(  # type: ignore[call-overload]
        Case.unit_code, Case.category, Case.age_band, Case.sex, Case.channel, Case.reporter_kind, Case.status,
        Case.outcome, Case.received_at, Case.first_acknowledged_at, Case.assessed_at, Case.policy,
        escalated.label("escalated"),
    ).where(
        col(Case.unit_code).in_(codes),
        col(Case.received_at) >= period.start,
        col(Case.received_at) < period.end,
    )
    rows = (await session.exec(query.order_by(col(Case.received_at)))).all()
    return [CaseRow(*row[:-1], escalated=bool(row[-1])) for row in rows]


@dataclass(frozen=True)
class Table:
    """One table of the report: ``key`` is its title's catalog key, ``codes`` the stable code of each row
    (category, age band, unit code, "total"…) for machines and tests, ``rows`` what people read."""

    key: str
    title: str
    sheet: str  # a short name (spreadsheet tabs hold 31 characters)
    headers: tuple[str, ...]
    codes: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def slug(self) -> str:
        return self.key.rsplit(".", 1)[-1]

    def row(self, code: str) -> tuple[Cell, ...]:
        return self.rows[self.codes.index(code)]


@dataclass(frozen=True)
class Indicators:
    cases: int
    acknowledged: int
    ack_median_minutes: float | None
    ack_p90_minutes: float | None
    clock_over: int  # assessed, or the assessment clock has run out: the share's denominator
    assessed_in_time: int
    assessed_share: float | None  # percent, one decimal
    overdue: int
    escalated: int


@dataclass(frozen=True)
class Report:
    period: Period
    unit_name: str
    locale: str
    generated_at: datetime
    heading: tuple[str, ...]  # title, unit, period, time made, and how to read the numbers
    indicators: Indicators
    tables: tuple[Table, ...]

    def table(self, slug: str) -> Table:
        return next(table for table in self.tables if table.slug == slug)


@dataclass(frozen=True)
class _Facts:
    """What the indicators need from one case, worked out once."""

    ack_minutes: float | None
    clock_over: bool
    in_time: bool
    overdue: bool


def _facts(row: CaseRow, now: datetime) -> _Facts:
    clocks = Case(received_at=row.received_at, policy=row.policy)  # deadline_of reads only these two columns
    assessment, plan = deadline_of(clocks, Track.ASSESSMENT), deadline_of(clocks, Track.PLAN)
    is_open = row.status != CaseStatus.CLOSED
    late_assessment = row.assessed_at is None and now > assessment
    late_plan = not reached(row.status, CaseStatus.PLAN_DRAFTED) and now > plan
    waited = row.first_acknowledged_at - row.received_at if row.first_acknowledged_at else None
    return _Facts(
        ack_minutes=waited.total_seconds() / 60 if waited is not None else None,
        clock_over=row.assessed_at is not None or now > assessment,
        in_time=row.assessed_at is not None and row.assessed_at <= assessment,
        overdue=is_open and (late_assessment or late_plan),
    )


def nearest_rank(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: always a time some case really took, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def _indicators(rows: Sequence[CaseRow], facts: Sequence[_Facts]) -> Indicators:
    waits = [f.ack_minutes for f in facts if f.ack_minutes is not None]
    clock_over = sum(f.clock_over for f in facts)
    in_time = sum(f.in_time for f in facts)
    return Indicators(
        cases=len(rows),
        acknowledged=len(waits),
        ack_median_minutes=round(statistics.median(waits), 1) if waits else None,
        ack_p90_minutes=round(nearest_rank(waits, 0.9), 1) if waits else None,
        clock_over=clock_over,
        assessed_in_time=in_time,
        assessed_share=round(100 * in_time / clock_over, 1) if clock_over else None,
        overdue=sum(f.overdue for f in facts),
        escalated=sum(r.escalated for r in rows),
    )


_TITLES = {  # slug → (title key, short sheet-name key)
    "category": ("report.table.category", "report.sheet.category"),
    "age_sex": ("report.table.age_sex", "report.sheet.age_sex"),
    "channel": ("report.table.channel", "report.sheet.channel"),
    "reporter": ("report.table.reporter", "report.sheet.reporter"),
    "outcome": ("report.table.outcome", "report.sheet.outcome"),
    "handling": ("report.table.handling", "report.sheet.handling"),
    "units": ("report.table.units", "report.sheet.units"),
}


def _table(
    locale: str, slug: str, headers: Iterable[str], codes: Iterable[str], rows: Iterable[tuple[Cell, ...]]
) -> Table:
    key, sheet = _TITLES[slug]
    return Table(key, t(locale, key), t(locale, sheet), tuple(headers), tuple(codes), tuple(rows))


def _ordered(known: Sequence[str], seen: Iterable[str]) -> list[str]:
    """Every known code (zeros too: a form nobody reported is a finding), then any unexpected one found."""
    return list(known) + sorted({s for s in seen if s not in known})


def _labeller(known: Sequence[str], text: Callable[[str], str]) -> Callable[[str], str]:
    """Catalog labels for known codes; an unexpected code (an older release's) is shown as it is stored."""
    return lambda code: text(code) if code in known else code


def _counts(
    locale: str, slug: str, header: str, known: Sequence[str], label: Callable[[str], str], found: list[str],
    *extra: tuple[str, Cell],
) -> Table:
    """One row per code with its number of cases (and constant ``extra`` columns), then the total."""
    codes, counts = _ordered(known, found), Counter(found)
    tail = tuple(value for _, value in extra)
    rows = [(label(c), counts[c], *tail) for c in codes] + [(t(locale, "report.total"), len(found), *tail)]
    headers = (t(locale, header), t(locale, "report.col.cases"), *(name for name, _ in extra))
    return _table(locale, slug, headers, (*codes, TOTAL), rows)


def _age_sex(locale: str, rows: Sequence[CaseRow]) -> Table:
    bands, sexes = _ordered(AGE_BANDS, (r.age_band for r in rows)), _ordered(SEXES, (r.sex for r in rows))
    counts = Counter((r.age_band, r.sex) for r in rows)
    age = _labeller(AGE_BANDS, lambda b: t(locale, f"step.age_band.{b}"))
    sex = _labeller(SEXES, lambda s: t(locale, f"step.sex.{s}"))
    body = [(age(b), *(counts[b, s] for s in sexes), sum(counts[b, s] for s in sexes)) for b in bands]
    body.append((t(locale, "report.total"), *(sum(counts[b, s] for b in bands) for s in sexes), len(rows)))
    headers = (t(locale, "report.col.age"), *(sex(s) for s in sexes), t(locale, "report.col.total"))
    return _table(locale, "age_sex", headers, (*bands, TOTAL), body)


def _outcome(row: CaseRow) -> str:
    if row.status != CaseStatus.CLOSED:
        return OPEN
    return row.outcome or NOT_RECORDED


def _handling(locale: str, numbers: Indicators) -> Table:
    lines: list[tuple[str, str, Cell]] = [
        ("cases", "report.ind.cases", numbers.cases),
        ("acknowledged", "report.ind.acknowledged", numbers.acknowledged),
        ("ack_median_minutes", "report.ind.ack_median", numbers.ack_median_minutes),
        ("ack_p90_minutes", "report.ind.ack_p90", numbers.ack_p90_minutes),
        ("clock_over", "report.ind.clock_over", numbers.clock_over),
        ("assessed_in_time", "report.ind.assessed_in_time", numbers.assessed_in_time),
        ("assessed_share", "report.ind.assessed_share", numbers.assessed_share),
        ("overdue", "report.ind.overdue", numbers.overdue),
        ("escalated", "report.ind.escalated", numbers.escalated),
    ]
    headers = (t(locale, "report.col.indicator"), t(locale, "report.col.value"))
    body = ((t(locale, key), value) for _, key, value in lines)
    return _table(locale, "handling", headers, (code for code, _, _ in lines), body)


def _by_unit(
    locale: str, rows: Sequence[CaseRow], facts: Sequence[_Facts], units: Sequence[UnitRow]
) -> Table:
    names = {u.code: u.name for u in units}
    codes = [u.code for u in units] + sorted({r.unit_code for r in rows} - set(names))
    sums = {code: [0, 0, 0, 0] for code in codes}  # cases, acknowledged, assessed in time, overdue
    for row, fact in zip(rows, facts):
        for i, hit in enumerate((True, row.first_acknowledged_at is not None, fact.in_time, fact.overdue)):
            sums[row.unit_code][i] += hit
    body: list[tuple[Cell, ...]] = [(code, names.get(code, code), *sums[code]) for code in codes]
    body.append(("", t(locale, "report.total"), *(sum(s[i] for s in sums.values()) for i in range(4))))
    headers = (t(locale, k) for k in ("report.col.unit_code", "report.col.unit_name", "report.col.cases",
                                      "report.col.acknowledged", "report.col.in_time", "report.col.overdue"))
    return _table(locale, "units", headers, (*codes, TOTAL), body)


def build_report(
    rows: Sequence[CaseRow], *, period: Period, unit_name: str, now: datetime,
    locale: str = DEFAULT_LOCALE, units: Sequence[UnitRow] = (),
) -> Report:
    """The tables of one report. ``now`` decides which open cases are overdue and which assessment clocks
    have run out; ``units`` lists the communes shown even when they received nothing."""
    facts = [_facts(row, now) for row in rows]
    numbers = _indicators(rows, facts)
    names = {
        Channel.TELEGRAM.value: t(locale, "report.channel.telegram"),
        Channel.ZALO.value: t(locale, "report.channel.zalo"),
        Channel.TERMINAL.value: t(locale, "report.channel.terminal"), "child": t(locale, "report.reporter.child"),
        "adult": t(locale, "report.reporter.adult"), OPEN: t(locale, "report.open"),
        NOT_RECORDED: t(locale, "report.not_recorded"),
    }
    outcome = _labeller(OUTCOMES, lambda o: t(locale, f"outcome.{o}"))
    category = _labeller((*CATEGORIES, "unknown"), lambda c: t(locale, f"step.category.{c}"))
    setting = (t(locale, "report.col.setting"), names[NOT_RECORDED])  # 0101 asks for it; the app never does
    tables = (
        _counts(locale, "category", "report.col.form", (*CATEGORIES, "unknown"), category,
                [r.category for r in rows], setting),
        _age_sex(locale, rows),
        _counts(locale, "channel", "report.col.channel", tuple(c.value for c in Channel), lambda c: names.get(c, c),
                [r.channel for r in rows]),
        _counts(locale, "reporter", "report.col.reporter", REPORTERS, lambda c: names.get(c, c),
                [r.reporter_kind for r in rows]),
        _counts(locale, "outcome", "report.col.outcome", (OPEN, *OUTCOMES, NOT_RECORDED),
                lambda c: names.get(c) or outcome(c), [_outcome(r) for r in rows]),
        _handling(locale, numbers),
        _by_unit(locale, rows, facts, units),
    )
    heading = (
        t(locale, "report.title"),
        t(locale, "report.unit", unit=unit_name),
        t(locale, "report.period", period=period.label(locale), dates=period.dates()),
        t(locale, "report.generated", time=local_time(now)),
        t(locale, "report.counting"),
        t(locale, "report.setting_note"),
    )
    return Report(period, unit_name, locale, now, heading, numbers, tables)
