"""The reporting calendar: the period each due date is for, the report now due, and when its preparer is
reminded (working days, Tết included)."""

from __future__ import annotations

from datetime import date, datetime

from handlers.rules.working_days import VIETNAM
from handlers.statistics.calendar import DueDay, ReportSchedule, occurrences, reminders_due, report_now_due
from handlers.statistics.periods import Period, PeriodKind


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def plan(kind: PeriodKind, *due: DueDay, unit: str = "00070", data: str = "15-14", days: int = 5) -> ReportSchedule:
    return ReportSchedule(unit, kind, due, "Nguyễn Thị Lan", data, remind_working_days=days)


LY_SON = [  # 3-, 6-, 9- and 12-month reports before 10/3, 10/6, 10/9, 10/12 (district plan 65/KH-UBND, 2023)
    plan(PeriodKind.QUARTER, DueDay(10, 3)), plan(PeriodKind.HALF, DueDay(10, 6)),
    plan(PeriodKind.NINE_MONTHS, DueDay(10, 9)), plan(PeriodKind.YEAR, DueDay(10, 12)),
]


def test_each_due_date_is_for_the_period_ending_nearest_it() -> None:
    assert [(o.period.code, o.due) for s in LY_SON for o in occurrences(s, date(2026, 12, 3)) if o.due.year == 2026] == [
        ("2026-Q1", date(2026, 3, 10)), ("2026-H1", date(2026, 6, 10)), ("2026-9M", date(2026, 9, 10)),
        ("2026", date(2026, 12, 10)),
    ]
    thanh_hoa = plan(PeriodKind.HALF, DueDay(10, 7), DueDay(10, 1))  # six-monthly, early in the month after
    assert [o.period.code for o in occurrences(thanh_hoa, date(2026, 12, 3)) if o.due.year == 2026] == ["2025-H2", "2026-H1"]
    dien_bien = plan(PeriodKind.YEAR, DueDay(20, 11), data="calendar")  # the year's results before 20 November
    assert [o.period.code for o in occurrences(dien_bien, date(2026, 12, 3))] == ["2025", "2026", "2027"]


def test_the_report_now_due_is_the_nearest_due_date_whose_data_have_ended() -> None:
    quarterly = plan(PeriodKind.QUARTER, DueDay(20, 3), DueDay(20, 6), DueDay(20, 9), DueDay(20, 12))
    yearly = plan(PeriodKind.YEAR, DueDay(10, 1), unit="01")
    due, ended = report_now_due([quarterly, yearly], local(2026, 12, 15, 9))  # quarter IV's data ended on the 14th
    assert (due.period.code, due.due, due.period.dates(), ended) == ("2026-Q4", date(2026, 12, 20), "15/09/2026 – 14/12/2026", True)
    due, ended = report_now_due([quarterly, yearly], local(2026, 12, 20, 9))  # 20/12 has begun: quarter IV is past
    assert (due.schedule.unit_code, due.period.code, due.due, ended) == ("01", "2026", date(2027, 1, 10), True)
    due, ended = report_now_due([quarterly, yearly], local(2026, 12, 20, 9), "00070")  # the ward's own: quarter I so far
    assert (due.period.code, due.due, ended) == ("2027-Q1", date(2027, 3, 20), False)
    due, ended = report_now_due([quarterly], local(2026, 12, 3, 9))  # nothing ended is due: this quarter so far
    assert (due.period.code, ended) == ("2026-Q4", False)
    calendar = plan(PeriodKind.QUARTER, DueDay(20, 12), data="calendar")  # calendar data end on 31/12: after 20/12
    due, ended = report_now_due([calendar], local(2026, 12, 15, 9))
    assert (due.period.dates(), ended) == ("01/10/2026 – 31/12/2026", False)
    assert report_now_due([], local(2026, 12, 15, 9)) is None


def test_the_reminder_comes_the_set_number_of_working_days_before_tet_included() -> None:
    monthly = plan(PeriodKind.MONTH, DueDay(15))  # due on the 15th of every month; 15/02/2027 is just after Tết
    (due,) = [o for o in occurrences(monthly, date(2027, 2, 1)) if o.due == date(2027, 2, 15)]
    assert due.period.code == "2027-01"
    # Tết 2027 is 4–10 February: five working days before Monday 15/2 are 12, 11, 3, 2 and 1 February
    assert due.remind_at == local(2027, 2, 1, 8)
    assert reminders_due([monthly], local(2027, 2, 1, 7, 59)) == []
    assert reminders_due([monthly], local(2027, 2, 1, 8)) == [due]
    assert reminders_due([monthly], local(2027, 2, 14, 23, 59)) == [due]
    assert reminders_due([monthly], local(2027, 2, 15, 0)) == []  # the due day: too late to remind
    two_days = plan(PeriodKind.MONTH, DueDay(15), days=2)
    assert [o.remind_at for o in occurrences(two_days, date(2027, 2, 1)) if o.due == date(2027, 2, 15)] == [local(2027, 2, 11, 8)]


def test_a_custom_report_covers_its_own_days_and_its_code_reads_back() -> None:
    custom = ReportSchedule("01", PeriodKind.CUSTOM, (DueDay(10, 7, 2026),), "Trần Văn Minh",
                            custom=(date(2026, 1, 1), date(2026, 6, 30)))
    (due,) = occurrences(custom, date(2026, 7, 1))
    assert (due.period.code, due.due) == ("2026-01-01..2026-06-30", date(2026, 7, 10))
    assert (due.period.start, due.period.end) == (local(2026, 1, 1), local(2026, 7, 1))
    assert due.period.label("vi") == "từ ngày 01/01/2026 đến ngày 30/06/2026"
    assert Period.parse(due.period.code) == due.period  # the console's ?period= link opens the same period
    assert due.period.same_last_year().code == "2025-01-01..2025-06-30"
    assert due.period.year_to_date().dates() == "01/01/2026 – 30/06/2026"
    assert report_now_due([custom], local(2026, 7, 2, 9)) == (due, True)
    assert report_now_due([custom], local(2026, 7, 10, 0)) is None  # past its one due date
