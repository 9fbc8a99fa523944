"""Periodic statistics: period parsing, the unit tree, the period's edges in Vietnam time, and every number.

The data set is written straight into ``report_case`` with chosen clear fields, so each count is known by
hand; the clock the report reads is pinned to Monday 23 November 2026, 09:00 in Vietnam.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import Core
from handlers.rules.policy import Policy
from handlers.rules.working_days import VIETNAM
from handlers.statistics.cases import CaseRow, load_cases, unit_tree
from handlers.statistics.indicators import nearest_rank
from handlers.statistics.numbers import Share, show_number
from handlers.statistics.periods import CALENDAR, Period, PeriodKind
from handlers.statistics.report import Report, Table, build_report
from storage.models import Case, CaseEvent, CaseStatus, EventKind

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 local
S = CaseStatus


def local(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM).astimezone(UTC)


def utc(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """One case as the test writes it: ``ack`` minutes to acknowledge, ``assessed`` after receipt."""

    unit: str
    received: datetime
    category: str
    age: str
    sex: str
    channel: str
    reporter: str
    status: CaseStatus
    outcome: str | None = None
    ack: float | None = None
    assessed: timedelta | None = None
    policy: str = "{}"
    sent: tuple[str, ...] = ()  # details of "step_sent" events
    skipped: tuple[str, ...] = ()  # details of "step_skipped" events


H = timedelta(hours=1)
EIGHT_HOURS = Policy(assessment_hours=8).model_dump_json()  # a commune with a stricter target than 12 h
UP = "chain#3 alert: parent_group"

# Province 01 and its commune 00070, received in 2026-Q3 (local): 12 cases.
QUARTER = [
    Spec("00070", local(7, 1, 0, 0), "physical", "0-5", "girl", "telegram", "adult", S.CLOSED, "safe", 1, 2 * H),
    Spec("00070", local(7, 10), "physical", "6-10", "boy", "zalo", "adult", S.CLOSED, "police", 2, 11 * H + timedelta(minutes=59),
         sent=("chain#0 alert: group",)),
    Spec("00070", local(7, 15), "sexual", "11-15", "girl", "zalo", "adult", S.CLOSED, "referred", 3, 13 * H),
    Spec("00070", local(8, 1), "sexual", "11-15", "girl", "zalo", "child", S.MONITORING, None, 4, 12 * H),  # on the dot: in time
    Spec("00070", local(8, 5), "neglect", "16-17", "unknown", "telegram", "adult", S.PLAN_DRAFTED, None, 5, 1 * H),
    Spec("00070", local(8, 20), "unknown", "unknown", "unknown", "zalo", "child", S.ACKNOWLEDGED, None, 6, sent=(UP,)),
    Spec("00070", local(9, 1), "online", "6-10", "girl", "terminal", "adult", S.ASSESSED, None, 7, 3 * H,
         skipped=("chain#3 alert: parent_group(no group)",)),  # assessed, but the plan is late
    Spec("01", local(9, 10), "trafficking", "11-15", "boy", "telegram", "adult", S.CLOSED, "unfounded", 8, 20 * H),
    Spec("01", local(9, 20), "other", "0-5", "boy", "telegram", "adult", S.CLOSED, "duplicate", 9),
    Spec("00070", utc(9, 30, 16, 30), "physical", "0-5", "girl", "zalo", "adult", S.RECEIVED,  # 23:30 local on the last day
         sent=(UP, "chain#4 alert: parent_group")),
    Spec("01", utc(9, 30, 16, 59), "bullying", "6-10", "boy", "zalo", "child", S.ACKNOWLEDGED, None, 100),  # 23:59 local
    Spec("00070", local(8, 10), "exploitation", "11-15", "boy", "telegram", "adult", S.DETAILED_ASSESSMENT, None, 10, 10 * H,
         policy=EIGHT_HOURS),  # 10 h: late under its own 8-hour target
]
OUTSIDE = [  # around the quarter's edges, and another province
    Spec("00070", utc(9, 30, 17, 10), "physical", "0-5", "girl", "zalo", "adult", S.RECEIVED),  # 00:10 local on 1 October
    Spec("01", utc(9, 30, 17, 1), "physical", "0-5", "girl", "zalo", "adult", S.RECEIVED),  # 00:01 local on 1 October
    Spec("00070", utc(6, 30, 16, 59), "physical", "0-5", "girl", "zalo", "adult", S.RECEIVED),  # 23:59 local on 30 June
]
OTHER_PROVINCE = [
    Spec("79", local(8, 1), "sexual", "11-15", "girl", "zalo", "adult", S.RECEIVED, sent=(UP,)),
    Spec("79", local(9, 30, 23, 30), "neglect", "0-5", "boy", "telegram", "adult", S.CLOSED, "safe", 30, 4 * H),
]


async def seed(session: AsyncSession) -> None:
    """Writes every case above (units 01, 00070 and 79 come from the deployment file)."""
    for n, spec in enumerate(QUARTER + OUTSIDE + OTHER_PROVINCE):
        case = Case(
            code=f"TE-T{n:03d}", key_id="none", unit_code=spec.unit, category=spec.category, urgent=False,
            age_band=spec.age, sex=spec.sex, channel=spec.channel, reporter_kind=spec.reporter, status=spec.status,
            outcome=spec.outcome, received_at=spec.received, policy=spec.policy, reporter_handle=f"h{n}", body_ct=b"",
            first_acknowledged_at=spec.received + timedelta(minutes=spec.ack) if spec.ack is not None else None,
            assessed_at=spec.received + spec.assessed if spec.assessed is not None else None,
            closed_at=NOW if spec.status is S.CLOSED else None,
        )
        session.add(case)
        await session.flush()
        for kind, details in ((EventKind.STEP_SENT, spec.sent), (EventKind.STEP_SKIPPED, spec.skipped)):
            session.add_all(CaseEvent(case_id=case.id, kind=kind, detail=d, at=spec.received + H) for d in details)


# What the report for province 01 in 2026-Q3 must say, row code → numbers. The terminal demo's case (1 September)
# and the duplicate (20 September) are outside every figure: 10 cases count.
CATEGORY = {"physical": 3, "sexual": 2, "neglect": 1, "exploitation": 1, "trafficking": 1, "online": 0, "bullying": 1,
            "other": 0, "online_content": 0, "unknown": 1, "total": 10}
FORMS = {"violence": (4, 0, 0), "exploitation": (1, 0, 0), "sexual": (2, 0, 0), "trafficking": (1, 0, 0),
         "abandonment": (0, 0, 0), "neglect": (1, 0, 0), "other": (0, 0, 0), "unclassified": (1, 0, 0), "total": (10, 0, 0)}
SETTING = {"home": 0, "school": 0, "online": 0, "public": 0, "other": 0, "not_recorded": 10, "total": 10}
CHANNEL = {"telegram": 4, "zalo": 6, "web": 0, "total": 10}
REPORTER = {"child": 3, "adult": 7, "collaborator": 0, "total": 10}
OUTCOME = {"received": 1, "acknowledged": 2, "assessed": 0, "protecting": 0, "detailed_assessment": 1, "plan_drafted": 1,
           "plan_approved": 0, "monitoring": 1, "safe": 1, "police": 1, "referred": 1, "unfounded": 1, "not_recorded": 0,
           "total": 10}
HANDLING = {"cases": 10, "acknowledged": 9, "ack_median_minutes": 5.0, "ack_p90_minutes": 100.0, "clock_over": 10,
            "assessed_in_time": 4, "assessed_share": 40.0, "overdue": 4, "escalated": 2, "duplicates": 1}
UNITS = {"01": (2, 2, 0, 2, 0, 1), "00070": (8, 8, 0, 7, 4, 3), "total": (10, 10, 0, 9, 4, 4)}


def counts(table: Table, skip: int = 1) -> dict[str, object]:
    """Row code → the row's numbers (one number alone, several as a tuple)."""
    found: dict[str, object] = {}
    for code, row in zip(table.codes, table.rows):
        values = row[skip:]
        found[code] = values[0] if len(values) == 1 else tuple(values)
    return found


async def report_for(core: Core, unit: str, period: str, *, locale: str = "vi") -> Report:
    """This data set is laid around the calendar quarter's edges: the calendar option."""
    async with core.db.session() as session:
        units = await unit_tree(session, unit)
        rows = await load_cases(session, unit_code=unit, period=Period.parse(period, CALENDAR))
    return build_report(rows, period=Period.parse(period, CALENDAR), unit_name=units[0].name, now=NOW, locale=locale,
                        units=units)


@pytest.fixture
async def seeded(core: Core) -> Core:
    async with core.db.transaction() as session:
        await seed(session)
    return core


async def test_every_table_of_the_province_quarter(seeded: Core) -> None:
    report = await report_for(seeded, "01", "2026-Q3")
    assert [t.slug for t in report.tables] == ["summary", "forms", "age_sex", "special", "category", "setting", "channel",
                                               "reporter", "outcome", "handling", "units"]
    assert counts(report.table("setting")) == SETTING  # nobody was asked where: the data set predates the question
    assert {k: v[0] for k, v in counts(report.table("category")).items()} == CATEGORY
    assert counts(report.table("forms")) == FORMS
    assert counts(report.table("age_sex"))["total"] == (0, 0, 0, 0)  # nobody recorded a confirmed case here
    assert counts(report.table("channel")) == CHANNEL
    assert counts(report.table("reporter")) == REPORTER
    assert counts(report.table("outcome")) == OUTCOME
    assert counts(report.table("handling")) == HANDLING
    assert counts(report.table("units"), skip=2) == UNITS
    assert report.indicators.ack_median_minutes == 5.0 and report.indicators.escalated == 2


async def test_labels_come_from_the_catalog(seeded: Core) -> None:
    report = await report_for(seeded, "01", "2026-Q3")
    category = report.table("category")
    assert category.headers == ("Loại tin báo", "Số vụ", "Hình thức xâm hại")
    assert category.row("physical") == ("Bạo lực thể chất", 3, "Bạo lực trẻ em") and category.row("total")[0] == "Tổng cộng"
    assert category.row("bullying")[2] == "Bạo lực trẻ em" and category.row("online")[2] == "Hình thức gây tổn hại khác"
    assert report.table("age_sex").headers == ("Nhóm tuổi", "Bé gái", "Bé trai", "Không biết", "Tổng")
    assert report.table("outcome").row("detailed_assessment")[0] == "Đã đánh giá chi tiết (mẫu 03)"
    assert report.heading[2] == "Kỳ báo cáo: Quý III năm 2026 (01/07/2026 – 30/09/2026)"
    assert report.heading[3] == "Số liệu tính đến: 09:00 23/11/2026"
    english = await report_for(seeded, "01", "2026-Q3", locale="en")
    assert english.table("category").row("physical") == ("Physical violence", 3, "Violence against children")
    assert english.table("units").row("00070")[:3] == ("00070", "UBND phường Hoàn Kiếm", 8)


async def test_the_commune_excludes_its_province_and_the_other_province(seeded: Core) -> None:
    report = await report_for(seeded, "00070", "2026-Q3")
    assert report.table("units").codes == ("00070", "total")
    assert counts(report.table("units"), skip=2) == {"00070": (8, 8, 0, 7, 4, 3), "total": (8, 8, 0, 7, 4, 3)}
    handling = counts(report.table("handling"))
    assert handling["cases"] == 8 and handling["escalated"] == 2
    assert (handling["ack_median_minutes"], handling["ack_p90_minutes"]) == (4.0, 10.0)  # 1…6 and 10 minutes
    other = await report_for(seeded, "79", "2026-Q3")
    assert counts(other.table("units"), skip=2) == {"79": (2, 2, 0, 1, 1, 1), "total": (2, 2, 0, 1, 1, 1)}
    assert counts(other.table("handling"))["escalated"] == 1


@pytest.mark.parametrize(("period", "cases"), [
    ("2026-Q3", 10), ("2026-Q4", 2), ("2026-10", 2), ("2026-H1", 1), ("2026-06", 1), ("2026-9M", 11), ("2026-H2", 12),
    ("2026", 13), ("2026-Q2", 1), ("2026-07", 3), ("2025", 0),
])
async def test_a_case_belongs_to_the_local_day_it_was_received(seeded: Core, period: str, cases: int) -> None:
    report = await report_for(seeded, "01", period)
    assert report.indicators.cases == cases


async def test_the_edges_of_the_quarter(seeded: Core) -> None:
    async with seeded.db.session() as session:
        rows = await load_cases(session, unit_code="01", period=Period.parse("2026-Q3", CALENDAR))
    received = {r.received_at for r in rows}
    assert utc(9, 30, 16, 30) in received and utc(9, 30, 16, 59) in received  # 23:30 and 23:59 local
    assert utc(9, 30, 17, 10) not in received and utc(9, 30, 17, 1) not in received  # 00:10 and 00:01 local
    assert local(7, 1, 0, 0) in received and utc(6, 30, 16, 59) not in received
    assert [r.received_at for r in rows] == sorted(received)


async def test_only_clear_columns_are_read(seeded: Core) -> None:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(seeded.db.engine.sync_engine, "before_cursor_execute", record)
    try:
        await report_for(seeded, "01", "2026-Q3")
    finally:
        event.remove(seeded.db.engine.sync_engine, "before_cursor_execute", record)
    case_queries = [s for s in statements if "report_case" in s]
    assert case_queries and not any("_ct" in s or "secret_hash" in s or "reporter_handle" in s for s in case_queries)


async def test_an_unknown_unit_is_refused(core: Core) -> None:
    async with core.db.session() as session:
        with pytest.raises(LookupError, match="unknown unit '99999'"):
            await load_cases(session, unit_code="99999", period=Period.parse("2026-Q3"))


async def test_the_unit_tree(core: Core) -> None:
    async with core.db.session() as session:
        assert [u.code for u in await unit_tree(session, "01")] == ["01", "00070"]
        assert [u.code for u in await unit_tree(session, "00070")] == ["00070"]
        assert [u.code for u in await unit_tree(session, "79")] == ["79"]


@pytest.mark.parametrize(("text", "code", "kind", "start", "end"), [
    ("2026-Q3", "2026-Q3", PeriodKind.QUARTER, (2026, 7, 1), (2026, 10, 1)),
    ("2026-q4", "2026-Q4", PeriodKind.QUARTER, (2026, 10, 1), (2027, 1, 1)),
    ("2026-H1", "2026-H1", PeriodKind.HALF, (2026, 1, 1), (2026, 7, 1)),
    ("2026-h2", "2026-H2", PeriodKind.HALF, (2026, 7, 1), (2027, 1, 1)),
    ("2026-9M", "2026-9M", PeriodKind.NINE_MONTHS, (2026, 1, 1), (2026, 10, 1)),
    (" 2026 ", "2026", PeriodKind.YEAR, (2026, 1, 1), (2027, 1, 1)),
    ("2026-07", "2026-07", PeriodKind.MONTH, (2026, 7, 1), (2026, 8, 1)),
    ("2026-12", "2026-12", PeriodKind.MONTH, (2026, 12, 1), (2027, 1, 1)),
])
def test_period_parsing(text: str, code: str, kind: PeriodKind, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    period = Period.parse(text, CALENDAR)
    assert (period.code, period.kind) == (code, kind)
    assert period.start == datetime(*start, tzinfo=VIETNAM) and period.end == datetime(*end, tzinfo=VIETNAM)
    assert period.start.astimezone(UTC) == datetime(*start, tzinfo=UTC) - timedelta(hours=7)  # local midnight


def test_period_edges_are_half_open() -> None:
    quarter = Period.parse("2026-Q3", CALENDAR)
    assert quarter.contains(utc(6, 30, 17, 0)) and not quarter.contains(utc(6, 30, 16, 59))
    assert quarter.contains(utc(9, 30, 16, 59)) and not quarter.contains(utc(9, 30, 17, 0))


def test_period_labels() -> None:
    assert [Period.parse(p).label("vi") for p in ("2026-07", "2026-Q3", "2026-Q4", "2026-H1", "2026-H2", "2026-9M", "2026")] == [
        "Tháng 7 năm 2026", "Quý III năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026",
        "9 tháng đầu năm 2026", "Năm 2026",
    ]
    assert Period.parse("2026-Q3").label("en") == "Quarter III of 2026"
    assert Period.parse("2026-Q3", CALENDAR).dates() == "01/07/2026 – 30/09/2026"
    assert Period.parse("2024-02", CALENDAR).dates() == "01/02/2024 – 29/02/2024"
    assert Period.parse("2024-03").dates() == "15/02/2024 – 14/03/2024"


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-Q4", (2026, 9, 15), (2026, 12, 15)),  # data 15/09–14/12
    ("2026-Q1", (2025, 12, 15), (2026, 3, 15)),
    ("2026-H1", (2025, 12, 15), (2026, 6, 15)),
    ("2026-9M", (2025, 12, 15), (2026, 9, 15)),
    ("2026", (2025, 12, 15), (2026, 12, 15)),
    ("2026-01", (2025, 12, 15), (2026, 1, 15)),
])
def test_the_15th_to_14th_data_periods(text: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    period = Period.parse(text)  # the default for Vietnam
    assert period.start == datetime(*start, tzinfo=VIETNAM) and period.end == datetime(*end, tzinfo=VIETNAM)
    assert period.contains(datetime(*end, tzinfo=VIETNAM) - timedelta(minutes=1))  # 23:59 on the 14th
    assert not period.contains(datetime(*end, tzinfo=VIETNAM))  # 00:00 on the 15th: the next period
    assert period.year_to_date().start == datetime(period.year - 1, 12, 15, tzinfo=VIETNAM)
    assert period.year_to_date().end == period.end
    assert period.same_last_year().start == period.start.replace(year=period.start.year - 1)


def test_vietnamese_numbers() -> None:
    assert [show_number(v) for v in (1234, 45.1, Share(45.1), Share(100.0), None, 0, 1234567)] == [
        "1.234", "45,1", "45,1 %", "100,0 %", "—", "0", "1.234.567"]
    assert show_number(Share(45.1), "en") == "45.1 %" and show_number(1234, "en") == "1,234"


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-7", "26-Q1", "2026Q3", "", "2026-H3",
                                  "2026-6M", "Q3-2026", "2026-07-01", "1999", "2101"])
def test_bad_periods_are_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="2026-Q3|between 2000 and 2100"):
        Period.parse(text)


def row(received: datetime, **values: object) -> CaseRow:
    fields: dict[str, object] = dict(unit_code="00070", category="physical", age_band="0-5", sex="girl", channel="zalo",
                                     reporter_kind="adult", status="received", outcome=None, received_at=received)
    fields.update(values)
    return CaseRow(**fields)  # type: ignore[arg-type]


def test_a_case_still_inside_its_clock_is_not_counted_against_the_share() -> None:
    now = utc(9, 30, 20, 0)
    rows = [
        row(now - H, first_acknowledged_at=now - timedelta(minutes=30)),  # 1 h old, nobody assessed yet: not late
        row(now - 30 * H, status="assessed", first_acknowledged_at=now - 29 * H, assessed_at=now - 28 * H),
    ]
    report = build_report(rows, period=Period.parse("2026-Q3", CALENDAR), unit_name="x", now=now)
    numbers = counts(report.table("handling"))
    assert (numbers["clock_over"], numbers["assessed_in_time"], numbers["assessed_share"]) == (1, 1, 100.0)
    assert numbers["overdue"] == 0
    assert (numbers["ack_median_minutes"], numbers["ack_p90_minutes"]) == (45.0, 60.0)


def test_an_empty_period_still_lists_every_row_with_zeros() -> None:
    report = build_report([], period=Period.parse("2026-Q3", CALENDAR), unit_name="x", now=NOW)
    assert counts(report.table("category"))["total"] == (0, "")
    assert counts(report.table("forms"))["total"] == (0, 0, 0)
    assert set(counts(report.table("age_sex")).values()) == {(0, 0, 0, 0)}
    handling = counts(report.table("handling"))
    assert handling["ack_median_minutes"] is None and handling["assessed_share"] is None and handling["cases"] == 0
    assert report.table("units").codes == ("total",)


def test_unexpected_codes_are_shown_as_stored_rather_than_dropped() -> None:
    rows = [row(utc(8, 1, 2, 0), category="legacy", channel="sms", status="closed", outcome=None)]
    report = build_report(rows, period=Period.parse("2026-Q3", CALENDAR), unit_name="x", now=NOW)
    assert report.table("category").row("legacy") == ("legacy", 1, "Chưa xác định hình thức")
    assert report.table("channel").row("sms") == ("sms", 1)
    assert counts(report.table("outcome"))["not_recorded"] == 1  # closed without an outcome
    assert counts(report.table("units"), skip=2) == {"00070": (1, 1, 0, 0, 0, 0), "total": (1, 1, 0, 0, 0, 0)}


def test_nearest_rank() -> None:
    assert nearest_rank([5, 1, 3], 0.9) == 5
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank([7], 0.5) == 7


def test_the_default_quarter_follows_the_local_calendar() -> None:
    assert Period.quarter_of(datetime(2026, 9, 30, 16, 59, tzinfo=UTC), CALENDAR).code == "2026-Q3"
    assert Period.quarter_of(datetime(2026, 9, 30, 17, 0, tzinfo=UTC), CALENDAR).code == "2026-Q4"  # midnight in Hà Nội
    assert Period.quarter_of(datetime(2026, 9, 14, 16, 59, tzinfo=UTC)).code == "2026-Q3"  # 23:59 on 14/9
    assert Period.quarter_of(datetime(2026, 9, 14, 17, 0, tzinfo=UTC)).code == "2026-Q4"  # 00:00 on 15/9
    assert Period.quarter_of(datetime(2026, 12, 14, 17, 0, tzinfo=UTC)).code == "2027-Q1"
