"""The upward report (docs/law-and-process.md, "Upward reporting"): its heading and form-style tables
(category, age and sex, unit…)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from handlers.escalation.alerts import local_time
from handlers.i18n import DEFAULT_LOCALE, t
from handlers.intake.online_flow import ONLINE_CATEGORY
from handlers.intake.report_flow import CATEGORIES, SETTINGS
from handlers.messages import Channel
from handlers.rules.outcomes import OUTCOMES
from handlers.statistics.cases import CaseRow, UnitRow
from handlers.statistics.forms import ART4_FORMS, SPECIAL_GROUPS, UNCLASSIFIED, form_of
from handlers.statistics.indicators import Facts, Indicators, facts_of, indicators_of
from handlers.statistics.periods import Period
from storage.models import CaseStatus

__all__ = ["AGE_BANDS", "SEXES", "SUMMARY", "Cell", "Figures", "Report", "Table", "build_report", "children_of", "figures_of"]

AGE_BANDS = ("0-5", "6-10", "11-15", "16-17", "unknown")  # a child's own report says "unknown"
SEXES = ("girl", "boy", "unknown")
REPORTERS = ("child", "adult", "collaborator")  # the source: a child themselves, a citizen, a commune's collaborator
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
    governing: str = ""  # the unit above (the document's "cơ quan chủ quản"), "" for a province
    place: str = ""  # the province, for the document's place and date
    sections: dict[str, str] = field(default_factory=dict)  # what the unit wrote: results, difficulties, recommendations
    signer: str = ""  # the calendar's signer for this report (name, title); "" leaves the blanks to fill in
    signer_title: str = ""

    def table(self, slug: str) -> Table:
        return next(table for table in self.tables if table.slug == slug)


_TITLES = {  # slug → (title key, short sheet-name key)
    "summary": ("report.table.summary", "report.sheet.summary"),
    "forms": ("report.table.forms", "report.sheet.forms"),
    "special": ("report.table.special", "report.sheet.special"),
    "category": ("report.table.category", "report.sheet.category"),
    "setting": ("report.table.setting", "report.sheet.setting"),
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


def children_of(rows: Sequence[CaseRow]) -> int:
    """Children the cases concern, a child in several linked cases ("same child") counted once: each link
    that joins two cases of ``rows`` not yet joined says one of their children is the same."""
    parent = {r.id: r.id for r in rows}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    total = sum(r.child_count for r in rows)
    for r in rows:
        if r.same_child_of in parent and root(r.id) != root(r.same_child_of):
            parent[root(r.id)] = root(r.same_child_of)
            total -= 1
    return total


def _repeats(rows: Sequence[CaseRow]) -> set[str]:
    """The cases whose described child was already counted through a "same child" link among ``rows``."""
    parent = {r.id: r.id for r in rows}
    found = set()

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for r in rows:
        if r.same_child_of in parent and root(r.id) != root(r.same_child_of):
            parent[root(r.id)] = root(r.same_child_of)
            found.add(r.id)
    return found


def _age_sex(locale: str, rows: Sequence[CaseRow]) -> Table:
    """Children abused (indicator 0101) by age band and sex: the child the report described, in its band;
    more children recorded at assessment in "unknown" (the reporter described one child)."""
    repeats = _repeats(rows)
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if r.id not in repeats:
            counts[r.age_band, r.sex] += 1
        counts["unknown", "unknown"] += r.child_count - 1
    bands, sexes = _ordered(AGE_BANDS, (b for b, _ in counts)), _ordered(SEXES, (s for _, s in counts))
    age = _labeller(AGE_BANDS, lambda b: t(locale, f"step.age_band.{b}"))
    sex = _labeller(SEXES, lambda s: t(locale, f"step.sex.{s}"))
    body = [(age(b), *(counts[b, s] for s in sexes), sum(counts[b, s] for s in sexes)) for b in bands]
    body.append((t(locale, "report.total"), *(sum(counts[b, s] for b in bands) for s in sexes), sum(counts.values())))
    headers = (t(locale, "report.col.age"), *(sex(s) for s in sexes), t(locale, "report.col.total"))
    return _table(locale, "age_sex", headers, (*bands, TOTAL), body)


def _forms(locale: str, rows: Sequence[CaseRow]) -> Table:
    """Indicator 0101 by the forms of abuse of Art. 4 (the product's categories mapped by forms.py)."""
    confirmed = [r for r in rows if r.confirmed]
    codes = [*ART4_FORMS, UNCLASSIFIED]
    body = []
    for code in codes:
        mine = [r for r in confirmed if form_of(r.category) == code]
        body.append((t(locale, f"form.{code}"), sum(form_of(r.category) == code for r in rows), len(mine),
                     children_of(mine)))
    body.append((t(locale, "report.total"), len(rows), len(confirmed), children_of(confirmed)))
    headers = (t(locale, "report.col.form"), t(locale, "report.col.cases"), t(locale, "report.col.confirmed"),
               t(locale, "report.col.children_abused"))
    return _table(locale, "forms", headers, (*codes, TOTAL), body)


def _categories(locale: str, rows: Sequence[CaseRow], label: Callable[[str], str]) -> Table:
    """Cases by the category the reporter chose, with the Art. 4 form each counts under (forms.py)."""
    counts = Counter(r.category for r in rows)
    codes = _ordered((*CATEGORIES, ONLINE_CATEGORY, "unknown"), counts)
    body = [(label(c), counts[c], t(locale, f"form.{form_of(c)}")) for c in codes]
    body.append((t(locale, "report.total"), len(rows), ""))
    headers = (t(locale, "report.col.category"), t(locale, "report.col.cases"), t(locale, "report.col.form"))
    return _table(locale, "category", headers, (*codes, TOTAL), body)


def _special(locale: str, rows: Sequence[CaseRow]) -> Table:
    """Children in special circumstances (Art. 10), as the officer recorded them at assessment: one per child."""
    counts = Counter(g for r in rows for g in (r.special or "").split(",") if g)
    codes = _ordered(SPECIAL_GROUPS, counts)
    label = _labeller(SPECIAL_GROUPS, lambda g: f"{g}. {t(locale, f'special.{g}')}")
    body = [(label(g), counts[g]) for g in codes] + [(t(locale, "report.total"), sum(counts.values()))]
    headers = (t(locale, "report.col.group"), t(locale, "report.col.children"))
    return _table(locale, "special", headers, (*codes, TOTAL), body)


def _outcome(row: CaseRow) -> str:
    """An open case by the Decree-56 step it is at; a closed one by its outcome."""
    if row.status != CaseStatus.CLOSED:
        return row.status
    return row.outcome or NOT_RECORDED


def _handling(locale: str, numbers: Indicators, unread: int | None, duplicates: int) -> Table:
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
        ("duplicates", "report.ind.duplicates", duplicates),
        *([("unread", "report.ind.unread", unread)] if unread is not None else []),
    ]
    headers = (t(locale, "report.col.indicator"), t(locale, "report.col.value"))
    body = ((t(locale, key), value) for _, key, value in lines)
    return _table(locale, "handling", headers, (code for code, _, _ in lines), body)


@dataclass(frozen=True)
class Figures:
    """The headline figures of one stretch of time (this period, the same period last year, the year to date)."""

    cases: int
    children: int
    confirmed: int
    children_abused: int  # indicator 0101
    unfounded: int
    awaiting: int  # no assessment result yet
    duplicates: int
    assessed_share: float | None


def figures_of(rows: Sequence[CaseRow], now: datetime) -> Figures:
    counted = [r for r in rows if not r.duplicate]
    confirmed = [r for r in counted if r.confirmed]
    numbers = indicators_of(counted, [facts_of(r, now) for r in counted])
    unfounded = [r for r in counted if not r.confirmed and (r.finding == "unfounded" or r.outcome == "unfounded")]
    return Figures(
        cases=len(counted), children=children_of(counted), confirmed=len(confirmed), children_abused=children_of(confirmed),
        unfounded=len(unfounded), awaiting=len(counted) - len(confirmed) - len(unfounded),
        duplicates=len(rows) - len(counted), assessed_share=numbers.assessed_share,
    )


SUMMARY = ("cases", "children", "confirmed", "children_abused", "unfounded", "awaiting", "duplicates", "assessed_share")


def _summary(locale: str, columns: Sequence[tuple[str, Figures]]) -> Table:
    body = [(t(locale, f"report.sum.{code}"), *(getattr(f, code) for _, f in columns)) for code in SUMMARY]
    headers = (t(locale, "report.col.indicator"), *(name for name, _ in columns))
    return _table(locale, "summary", headers, SUMMARY, body)


def _by_unit(
    locale: str, rows: Sequence[CaseRow], facts: Sequence[Facts], units: Sequence[UnitRow]
) -> Table:
    names = {u.code: u.name for u in units}
    codes = [u.code for u in units] + sorted({r.unit_code for r in rows} - set(names))
    sums = {code: [0, 0, 0, 0, 0, 0] for code in codes}  # cases, children, abused, acknowledged, in time, overdue
    for code in codes:
        mine = [r for r in rows if r.unit_code == code]
        sums[code][1], sums[code][2] = children_of(mine), children_of([r for r in mine if r.confirmed])
    for row, fact in zip(rows, facts):
        for i, hit in ((0, True), (3, row.first_acknowledged_at is not None), (4, fact.in_time), (5, fact.overdue)):
            sums[row.unit_code][i] += hit
    body: list[tuple[Cell, ...]] = [(code, names.get(code, code), *sums[code]) for code in codes]
    total = [sum(s[i] for s in sums.values()) for i in range(6)]
    total[1], total[2] = children_of(rows), children_of([r for r in rows if r.confirmed])  # links across units
    body.append(("", t(locale, "report.total"), *total))
    headers = (t(locale, k) for k in ("report.col.unit_code", "report.col.unit_name", "report.col.cases",
                                      "report.col.children", "report.col.children_abused", "report.col.acknowledged",
                                      "report.col.in_time", "report.col.overdue"))
    return _table(locale, "units", headers, (*codes, TOTAL), body)


def build_report(
    rows: Sequence[CaseRow], *, period: Period, unit_name: str, now: datetime,
    locale: str = DEFAULT_LOCALE, units: Sequence[UnitRow] = (), unread: int | None = None,
    last_year: Sequence[CaseRow] | None = None, year_to_date: Sequence[CaseRow] | None = None,
) -> Report:
    """The tables of one report. ``now`` decides which open cases are overdue and which assessment clocks
    have run out; ``units`` lists the communes shown even when they received nothing; ``unread`` counts
    the messages Zalo would not let us read (the province's report only: they come with no commune);
    ``last_year`` and ``year_to_date``: the cases of those stretches, for the comparison columns.

    Linked duplicates are outside every figure (one line counts them); the terminal demo's cases never
    reach here (load_cases leaves them out)."""
    counted = [r for r in rows if not r.duplicate]
    duplicates = len(rows) - len(counted)
    facts = [facts_of(row, now) for row in counted]
    numbers = indicators_of(counted, facts)
    names = {
        Channel.TELEGRAM.value: t(locale, "report.channel.telegram"),
        Channel.ZALO.value: t(locale, "report.channel.zalo"), Channel.WEB.value: t(locale, "report.channel.web"),
        "child": t(locale, "report.reporter.child"),
        "adult": t(locale, "report.reporter.adult"),
        "collaborator": t(locale, "report.reporter.collaborator"),
        NOT_RECORDED: t(locale, "report.not_recorded"),
    }
    outcome = _labeller(OUTCOMES, lambda o: t(locale, f"outcome.{o}"))
    category = _labeller((*CATEGORIES, ONLINE_CATEGORY, "unknown"), lambda c: t(locale, f"step.category.{c}"))
    # where it happened: only adults are asked, and they may skip (a child's own report is never asked more)
    setting = _labeller((*SETTINGS, NOT_RECORDED), lambda s: names[s] if s == NOT_RECORDED else t(locale, f"step.setting.{s}"))
    columns = [(t(locale, "report.col.this_period"), figures_of(rows, now))]
    if last_year is not None:
        columns.append((t(locale, "report.col.last_year"), figures_of(last_year, now)))
    if year_to_date is not None:
        columns.append((t(locale, "report.col.year_to_date"), figures_of(year_to_date, now)))
    confirmed = [r for r in counted if r.confirmed]
    channels = tuple(c.value for c in Channel if c is not Channel.TERMINAL)
    steps = tuple(s.value for s in CaseStatus if s is not CaseStatus.CLOSED)
    closed = tuple(o for o in OUTCOMES if o != "duplicate")
    tables = (
        _summary(locale, columns),
        _forms(locale, counted),
        _age_sex(locale, confirmed),
        _special(locale, counted),
        _categories(locale, counted, category),
        _counts(locale, "setting", "report.col.setting", (*SETTINGS, NOT_RECORDED), setting,
                [r.setting or NOT_RECORDED for r in counted]),
        _counts(locale, "channel", "report.col.channel", channels, lambda c: names.get(c, c),
                [r.channel for r in counted]),
        _counts(locale, "reporter", "report.col.reporter", REPORTERS, lambda c: names.get(c, c),
                [r.reporter_kind for r in counted]),
        _counts(locale, "outcome", "report.col.outcome", (*steps, *closed, NOT_RECORDED),
                lambda c: t(locale, f"status.{c}") if c in steps else names.get(c) or outcome(c),
                [_outcome(r) for r in counted]),
        _handling(locale, numbers, unread, duplicates),
        _by_unit(locale, counted, facts, units),
    )
    heading = (
        t(locale, "report.title"),
        t(locale, "report.unit", unit=unit_name),
        t(locale, "report.period", period=period.label(locale), dates=period.dates()),
        t(locale, "report.generated", time=local_time(now)),
        t(locale, "report.counting"),
    )
    return Report(period, unit_name, locale, now, heading, numbers, tables)
