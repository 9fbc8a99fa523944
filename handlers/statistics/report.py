"""The upward report (docs/law-and-process.md, "Upward reporting"): its heading and form-style tables
(category, age and sex, unit…)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.escalation.alerts import local_time
from handlers.i18n import DEFAULT_LOCALE, t
from handlers.intake.report_flow import CATEGORIES
from handlers.messages import Channel
from handlers.rules.outcomes import OUTCOMES
from handlers.statistics.cases import CaseRow, UnitRow
from handlers.statistics.indicators import Facts, Indicators, facts_of, indicators_of
from handlers.statistics.periods import Period
from storage.models import CaseStatus

__all__ = ["AGE_BANDS", "SEXES", "Cell", "Report", "Table", "build_report"]

AGE_BANDS = ("0-5", "6-10", "11-15", "16-17", "unknown")  # a child's own report says "unknown"
SEXES = ("girl", "boy", "unknown")
REPORTERS = ("child", "adult")
OPEN = "open"
TOTAL = "total"
NOT_RECORDED = "not_recorded"

Cell = str | int | float | None


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


def _handling(locale: str, numbers: Indicators, unread: int | None) -> Table:
    """``unread``: messages Zalo kept from us (protected accounts, children's among them), for the province."""
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
        *([("unread", "report.ind.unread", unread)] if unread is not None else []),
    ]
    headers = (t(locale, "report.col.indicator"), t(locale, "report.col.value"))
    body = ((t(locale, key), value) for _, key, value in lines)
    return _table(locale, "handling", headers, (code for code, _, _ in lines), body)


def _by_unit(
    locale: str, rows: Sequence[CaseRow], facts: Sequence[Facts], units: Sequence[UnitRow]
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
    locale: str = DEFAULT_LOCALE, units: Sequence[UnitRow] = (), unread: int | None = None,
) -> Report:
    """The tables of one report. ``now`` decides which open cases are overdue and which assessment clocks
    have run out; ``units`` lists the communes shown even when they received nothing; ``unread`` counts
    the messages Zalo would not let us read (the province's report only: they come with no commune)."""
    facts = [facts_of(row, now) for row in rows]
    numbers = indicators_of(rows, facts)
    names = {
        Channel.TELEGRAM.value: t(locale, "report.channel.telegram"),
        Channel.ZALO.value: t(locale, "report.channel.zalo"),
        Channel.TERMINAL.value: t(locale, "report.channel.terminal"), Channel.WEB.value: t(locale, "report.channel.web"),
        "child": t(locale, "report.reporter.child"),
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
        _handling(locale, numbers, unread),
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
