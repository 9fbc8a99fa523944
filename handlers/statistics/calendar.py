"""The reporting calendar: which reports a unit owes, the period each due date is for, which report is due now
and when its preparer is reminded (docs/reports.md, "The reporting calendar"). Pure: the deployment file
(bot/deployment.py) fills it in, the reminder job and ``report --due`` ask it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from handlers.rules.working_days import VIETNAM, working_days_before
from handlers.statistics.periods import DATA_15_14, Period, PeriodKind

__all__ = ["REMIND_AT", "DueDay", "DueReport", "ReportSchedule", "occurrences", "reminders_due", "report_now_due", "schedule_for"]

REMIND_AT = time(8, 0)  # local: the reminder waits for the office day to begin
_CODES = {  # the periods of each kind in a year, as Period codes (month → "2026-07")
    PeriodKind.MONTH: tuple(f"{m:02d}" for m in range(1, 13)),
    PeriodKind.QUARTER: ("Q1", "Q2", "Q3", "Q4"),
    PeriodKind.HALF: ("H1", "H2"),
    PeriodKind.NINE_MONTHS: ("9M",),
    PeriodKind.YEAR: ("",),
}


@dataclass(frozen=True)
class DueDay:
    """A due date as plans write it: "before 10/3" every year (``year`` None), one date, or a day of every
    month (``month`` None, monthly reports). The report goes in before this local day begins."""

    day: int
    month: int | None = None
    year: int | None = None

    def dates(self, around: int) -> list[date]:
        """This due day in the years around ``around`` (one before, one after): enough for any "next"."""
        if self.year is not None and self.month is not None:
            return [date(self.year, self.month, self.day)]
        months = [self.month] if self.month else list(range(1, 13))
        return [date(y, m, min(self.day, 28) if m == 2 else self.day) for y in (around - 1, around, around + 1) for m in months]


@dataclass(frozen=True)
class ReportSchedule:
    """One report a unit owes: its kind (a Period kind, or custom days), when it is due, whose data, and the
    officers (by name, of ``unit_code``) who prepare and sign it."""

    unit_code: str
    kind: PeriodKind
    due: tuple[DueDay, ...]
    preparer: str
    data_period: str = DATA_15_14
    signer: str | None = None
    signer_title: str | None = None
    remind_working_days: int = 5
    custom: tuple[date, date] | None = None  # first and last day of a custom report's data


@dataclass(frozen=True)
class DueReport:
    schedule: ReportSchedule
    period: Period
    due: date

    @property
    def deadline(self) -> datetime:
        """The start of the due day, local time: "before 10/3" is late from 00:00 on 10 March."""
        return datetime.combine(self.due, time(0), tzinfo=VIETNAM)

    @property
    def remind_at(self) -> datetime:
        day = working_days_before(self.due, self.schedule.remind_working_days)
        return datetime.combine(day, REMIND_AT, tzinfo=VIETNAM)


def _period_for(schedule: ReportSchedule, due: date) -> Period:
    """The period a due date is for: the one of the schedule's kind whose calendar end lies nearest the due
    date, before or after it (10/3 → quarter I, 10/7 → the first half, 20/11 → this year, 20/1 → last year)."""
    if schedule.custom is not None:
        return Period.between(*schedule.custom)
    codes = [f"{y}-{c}" if c else str(y) for y in (due.year - 1, due.year, due.year + 1) for c in _CODES[schedule.kind]]
    periods = [Period.parse(code, schedule.data_period) for code in codes]
    moment = datetime.combine(due, time(0), tzinfo=VIETNAM)

    def distance(period: Period) -> tuple[timedelta, bool]:
        calendar_end = Period.parse(period.code, "calendar").end
        return abs(calendar_end - moment), calendar_end > moment  # a tie goes to the period already over

    return min(periods, key=distance)


def occurrences(schedule: ReportSchedule, around: date) -> list[DueReport]:
    """Every due date of the schedule in the years around ``around``, each with its period, by date."""
    days = sorted({d for due in schedule.due for d in due.dates(around.year)})
    return [DueReport(schedule, _period_for(schedule, d), d) for d in days]


def report_now_due(schedules: tuple[ReportSchedule, ...] | list[ReportSchedule], now: datetime,
                   unit_code: str | None = None) -> tuple[DueReport, bool] | None:
    """The report now due and whether its data have ended: the nearest due date not yet past whose period's
    data have ended; when no such report comes (a plan that wants a report before its period ends), the
    nearest due date not yet past whose period has begun, with its data so far. None: nothing is owed."""
    today = now.astimezone(VIETNAM).date()
    upcoming = sorted(
        (o for s in schedules if unit_code in (None, s.unit_code) for o in occurrences(s, today)
         if o.deadline > now and o.period.start <= now),
        key=lambda o: (o.due, o.schedule.unit_code),
    )
    ended = [o for o in upcoming if o.period.end <= now]
    if ended:
        return ended[0], True
    return (upcoming[0], False) if upcoming else None


def reminders_due(schedules: tuple[ReportSchedule, ...] | list[ReportSchedule], now: datetime) -> list[DueReport]:
    """Reports whose reminder time has come and whose due date has not passed: the job sends each once."""
    today = now.astimezone(VIETNAM).date()
    return [
        o for s in schedules for o in occurrences(s, today)
        if o.remind_at <= now < o.deadline and o.period.start <= now
    ]


def schedule_for(schedules: tuple[ReportSchedule, ...] | list[ReportSchedule], unit_code: str, period: Period) -> ReportSchedule | None:
    """The unit's calendar entry for a report of this period's kind (a custom one: of these very days)."""
    return next(
        (s for s in schedules if s.unit_code == unit_code and s.kind == period.kind
         and (s.custom is None or s.custom == period.days)),
        None,
    )
