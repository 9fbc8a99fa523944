"""Reporting periods: the quarters, halves, nine months, years and months asked for, and the data each covers.

Vietnam's local plans report every 3, 6, 9 and 12 months, and the report is due before the period's calendar
end, so by default the data of a period run from the 15th of the month before it to the 14th of its last
month (``DATA_15_14``: the quarter IV report's data are 15/9–14/12). A plain calendar period
(``CALENDAR``) is the option. Days are local days (Asia/Ho_Chi_Minh), as half-open intervals of local
midnights: a case at 23:59 on the 14th is in, one at 00:00 on the 15th belongs to the next period."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from handlers.i18n import KeyedError, t
from handlers.rules.working_days import VIETNAM

__all__ = ["CALENDAR", "CONVENTIONS", "DATA_15_14", "Period", "PeriodKind", "roman"]

DATA_15_14, CALENDAR = "15-14", "calendar"
CONVENTIONS = (DATA_15_14, CALENDAR)
_CUT_DAY = 15  # the first day of a 15th-to-14th data period


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    YEAR_TO_DATE = "year_to_date"
    CUSTOM = "custom"  # any run of whole days a plan asks for (the reporting calendar's "custom" report)


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])|(9M)))?$")
_ROMAN = ("I", "II", "III", "IV")


def roman(quarter: int) -> str:
    return _ROMAN[quarter - 1]


def _month_start(year: int, month: int, day: int = 1) -> datetime:
    """Local midnight of ``day`` in month ``month`` of ``year`` (month may run past 12 or below 1)."""
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, day, tzinfo=VIETNAM)


def _year_back(day: date) -> date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


@dataclass(frozen=True)
class Period:
    """A reporting period of the local calendar (docs/law-and-process.md, "Upward reporting": quarterly,
    six-monthly, nine-monthly, annual reports, and months for a closer look) and the half-open interval
    [start, end) of local midnights its data cover."""

    code: str  # canonical: "2026-Q3", "2026-H1", "2026-9M", "2026", "2026-07"
    kind: PeriodKind
    year: int
    first_month: int
    months: int
    convention: str = DATA_15_14
    days: tuple[date, date] | None = None  # a custom period's first and last local day

    @classmethod
    def between(cls, first: date, last: date) -> Period:
        """A custom period of whole local days, ``last`` included (no data-period convention applies)."""
        if last < first:
            raise ValueError("a custom period ends after it starts")
        return cls(f"{first:%Y-%m-%d}..{last:%Y-%m-%d}", PeriodKind.CUSTOM, first.year, first.month, 0, CALENDAR, (first, last))

    @classmethod
    def parse(cls, text: str, convention: str = DATA_15_14) -> Period:
        if convention not in CONVENTIONS:
            raise ValueError(f"'{convention}' is not a data-period convention: use {' or '.join(CONVENTIONS)}")
        if ".." in text:  # a custom period as its code writes it: 2026-01-01..2026-06-30
            try:
                first, last = (date.fromisoformat(part.strip()) for part in text.split("..", 1))
                return cls.between(first, last)
            except ValueError:
                raise KeyedError("period.not_a_period", period=text) from None
        found = _PERIOD.match(text.strip().upper())
        if found is None:
            raise KeyedError("period.not_a_period", period=text)
        year_text, month, quarter, half, nine = found.groups()
        year = int(year_text)
        if not 2000 <= year <= 2100:
            raise KeyedError("period.bad_year", period=text)
        if month:
            return cls(f"{year}-{month}", PeriodKind.MONTH, year, int(month), 1, convention)
        if quarter:
            return cls(f"{year}-Q{quarter}", PeriodKind.QUARTER, year, 3 * int(quarter) - 2, 3, convention)
        if half:
            return cls(f"{year}-H{half}", PeriodKind.HALF, year, 6 * int(half) - 5, 6, convention)
        if nine:
            return cls(f"{year}-9M", PeriodKind.NINE_MONTHS, year, 1, 9, convention)
        return cls(str(year), PeriodKind.YEAR, year, 1, 12, convention)

    @classmethod
    def quarter_of(cls, moment: datetime, convention: str = DATA_15_14) -> Period:
        """The quarter whose data ``moment`` falls in (the default report period): by the local calendar, or
        with the 15th-to-14th convention from the 15th of a quarter's last month on, the next quarter."""
        local = moment.astimezone(VIETNAM)
        month, year = local.month, local.year
        if convention == DATA_15_14 and local.day >= _CUT_DAY:
            month += 1
            if month == 13:
                month, year = 1, year + 1
        return cls.parse(f"{year}-Q{(month - 1) // 3 + 1}", convention)

    @property
    def start(self) -> datetime:
        if self.days is not None:
            return datetime.combine(self.days[0], time(0), tzinfo=VIETNAM)
        if self.convention == DATA_15_14:
            return _month_start(self.year, self.first_month - 1, _CUT_DAY)
        return _month_start(self.year, self.first_month)

    @property
    def end(self) -> datetime:
        if self.days is not None:
            return datetime.combine(self.days[1] + timedelta(days=1), time(0), tzinfo=VIETNAM)
        last = self.first_month + self.months  # the month after the period, possibly January next year
        if self.convention == DATA_15_14:
            return _month_start(self.year, last - 1, _CUT_DAY)
        return _month_start(self.year, last)

    def same_last_year(self) -> Period:
        if self.days is not None:
            return Period.between(*(_year_back(d) for d in self.days))
        return replace(self, code=self.code.replace(str(self.year), str(self.year - 1), 1), year=self.year - 1)

    def year_to_date(self) -> Period:
        """From the start of the reporting year to the end of this period ("lũy kế từ đầu năm")."""
        if self.days is not None:
            return replace(Period.between(date(self.days[1].year, 1, 1), self.days[1]), kind=PeriodKind.YEAR_TO_DATE)
        months = self.first_month + self.months - 1
        return Period(f"{self.year}-YTD{months:02d}", PeriodKind.YEAR_TO_DATE, self.year, 1, months, self.convention)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def label(self, locale: str) -> str:
        """How an official document names the period: «Quý IV năm 2026», «6 tháng đầu năm 2026», «Năm 2026»."""
        if self.kind is PeriodKind.MONTH:
            return t(locale, "report.period.month", month=self.first_month, year=str(self.year))
        if self.kind is PeriodKind.QUARTER:
            return t(locale, "report.period.quarter", quarter=roman((self.first_month + 2) // 3), year=str(self.year))
        if self.kind is PeriodKind.HALF:
            key = "report.period.h1" if self.first_month == 1 else "report.period.h2"
            return t(locale, key, year=str(self.year))
        if self.kind is PeriodKind.NINE_MONTHS:
            return t(locale, "report.period.nine_months", year=str(self.year))
        if self.kind is PeriodKind.CUSTOM:
            assert self.days is not None  # a custom period always has its days
            first, last = self.days
            return t(locale, "report.period.custom", first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}")
        if self.kind is PeriodKind.YEAR_TO_DATE:
            return t(locale, "report.period.year_to_date", year=str(self.year))
        return t(locale, "report.period.year", year=str(self.year))

    def dates(self) -> str:
        """First and last local day of the data, as people write them ("15/09/2026 – 14/12/2026")."""
        last = self.end - timedelta(days=1)
        return f"{self.start:%d/%m/%Y} – {last:%d/%m/%Y}"
