"""Reporting periods of the local calendar: the quarters, halves, nine months, years and months asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from handlers.i18n import KeyedError, t
from handlers.rules.working_days import VIETNAM

__all__ = ["Period", "PeriodKind"]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])|(9M)))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period of the local calendar (docs/law-and-process.md, "Upward reporting": quarterly,
    six-monthly, nine-monthly, annual reports, and months for a closer look), as the half-open interval
    [start, end) of local midnights."""

    code: str  # canonical: "2026-Q3", "2026-H1", "2026-9M", "2026", "2026-07"
    kind: PeriodKind
    year: int
    first_month: int
    months: int

    @classmethod
    def parse(cls, text: str) -> Period:
        found = _PERIOD.match(text.strip().upper())
        if found is None:
            raise KeyedError("period.not_a_period", period=text)
        year_text, month, quarter, half, nine = found.groups()
        year = int(year_text)
        if not 2000 <= year <= 2100:
            raise KeyedError("period.bad_year", period=text)
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
