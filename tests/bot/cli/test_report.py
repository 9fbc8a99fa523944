"""``python -m bot report``: the file an administrator sends upward, in each format, from the command line.

Settings come from the environment, as on a server; the database is seeded with the statistics tests' data
set (province 01 and commune 00070 in 2026-Q3, with cases around the quarter's edges and in province 79)
and the clock the command reads is pinned to 23 November 2026.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from pathlib import Path

import openpyxl
import pypdfium2
import pytest

import bot.cli.report
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import Core, build_core
from bot.report_files import CONTENT_TYPES, CSV_COLUMNS, report_file
from tests.conftest import server_environment
from tests.handlers.statistics.test_report import CATEGORY, HANDLING, NOW, UNITS, seed

SHEETS = ["Thông tin", "Tổng hợp", "Chỉ tiêu 0101", "Tuổi và giới tính", "Hoàn cảnh đặc biệt", "Loại tin báo", "Nơi xảy ra",
          "Kênh tiếp nhận", "Nguồn tin", "Kết quả xử lý", "Chỉ số xử lý", "Theo đơn vị", "Biểu đồ"]


async def _seed() -> None:
    core = await build_core(Settings(), demo=False)
    try:
        async with core.db.transaction() as session:
            await seed(session)
    finally:
        await core.db.dispose()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded database and the environment a server would have; the working folder is ``tmp_path``."""
    server_environment(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bot.cli.report, "utcnow", lambda: NOW)
    asyncio.run(_seed())
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Path:
    """The data set is laid around the calendar quarter's edges: the calendar option."""
    code = main(["report", "--data-period", "calendar", *argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    found = re.fullmatch(r"Đã ghi báo cáo: (.+)\n", captured.out)
    assert found is not None, captured.out
    assert "100%" in captured.err  # the progress bar ran to the end
    assert not re.search(r" (INFO|DEBUG) |alembic|fontTools", captured.err), captured.err  # no library chatter
    return Path(found[1])


def refused(capsys: pytest.CaptureFixture[str], *argv: str, status: int = Exit.USAGE) -> str:
    assert main(["report", *argv]) == status
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return captured.err


def sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[object, tuple[object, ...]]:
    """First cell → the rest, from the header row (row 3) down."""
    return {row[0]: tuple(row[1:]) for row in sheet.iter_rows(min_row=3, values_only=True)}


def test_xlsx_has_a_sheet_per_table_the_charts_and_the_numbers(capsys: pytest.CaptureFixture[str], server: Path) -> None:
    path = run(capsys, "--period", "2026-Q3")
    assert path == Path("bao-cao-01-thanh-pho-ha-noi-quy-iii-nam-2026.xlsx") and (server / path).is_file()  # the default name, here
    book = openpyxl.load_workbook(server / path)
    assert book.sheetnames == SHEETS
    assert len(book["Biểu đồ"]._images) == 4  # type: ignore[attr-defined]
    assert book["Thông tin"]["A1"].value == "Báo cáo định kỳ về tin báo xâm hại trẻ em"
    assert book["Thông tin"]["A2"].value == "Đơn vị: Thành phố Hà Nội"
    forms = book["Loại tin báo"]
    assert forms["A1"].value.startswith("Số vụ theo loại tin báo người báo chọn")
    assert [c.value for c in forms[3]] == ["Loại tin báo", "Số vụ", "Hình thức xâm hại"]
    assert all(c.font.b for c in forms[3]) and forms.column_dimensions["A"].width > 15
    found = sheet_rows(forms)
    assert found["Bạo lực thể chất"] == (CATEGORY["physical"], "Bạo lực trẻ em")
    assert found["Tổng cộng"][0] == 10
    handling = sheet_rows(book["Chỉ số xử lý"])
    assert [v[0] for v in list(handling.values())[1:]] == [*HANDLING.values(), 0]  # and Zalo's unreadable: none
    units = {row[0]: row[2:] for row in book["Theo đơn vị"].iter_rows(min_row=4, values_only=True)}
    assert units == {"01": UNITS["01"], "00070": UNITS["00070"], None: UNITS["total"]}  # codes kept as text: "00070"
    ages = sheet_rows(book["Tuổi và giới tính"])
    assert ages["Nhóm tuổi"] == ("Bé gái", "Bé trai", "Không biết", "Tổng") and ages["Tổng cộng"] == (0, 0, 0, 0)


def test_csv_is_one_value_per_line(capsys: pytest.CaptureFixture[str], server: Path) -> None:
    path = run(capsys, "--period", "2026-Q3", "--format", "csv", "--unit", "00070", "--out", str(server / "out"))
    assert path == server / "out"  # --out names the file itself when it is not a folder
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel shows Vietnamese letters
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(lines[0]) == CSV_COLUMNS
    assert ["category", "physical", "Bạo lực thể chất", "Số vụ", "3"] in lines  # 00070 alone: two of 01's are its own
    assert ["category", "total", "Tổng cộng", "Số vụ", "8"] in lines
    assert [line[3:] for line in lines if line[:2] == ["handling", "ack_median_minutes"]] == [["Giá trị", "4.0"]]
    assert {line[1] for line in lines if line[0] == "units"} == {"00070", "total"}
    assert {line[0] for line in lines[1:]} == {"summary", "forms", "age_sex", "special", "category", "setting", "channel",
                                               "reporter", "outcome", "handling", "units"}


def test_pdf_has_the_heading_the_tables_and_the_charts(capsys: pytest.CaptureFixture[str], server: Path) -> None:
    (server / "reports").mkdir()
    path = run(capsys, "--period", "2026-q3", "--format", "pdf", "--out", str(server / "reports"))
    assert path == server / "reports" / "bao-cao-01-thanh-pho-ha-noi-quy-iii-nam-2026.pdf"  # a folder: the default name inside it
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(data)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "THÀNH PHỐ HÀ NỘI", "Số:", "BÁO CÁO",
                  "Quý III năm 2026", "Hà Nội, ngày 23 tháng 11 năm 2026", "Nơi nhận:", "(Chữ ký, dấu)", "PHỤ LỤC"):
        assert words in text, words
    assert all(round(w) == 595 and round(h) == 842 for w, h in (page.get_size() for page in document))  # A4


def test_english_labels_on_request(capsys: pytest.CaptureFixture[str], server: Path) -> None:
    path = run(capsys, "--period", "2026-Q3", "--locale", "en", "--unit", "79")
    assert path == Path("bao-cao-79-thanh-pho-ho-chi-minh-quy-iii-nam-2026.xlsx")
    book = openpyxl.load_workbook(server / path)
    assert book.sheetnames[0] == "About" and book.sheetnames[-1] == "Charts"
    assert sheet_rows(book["Report category"])["Total"][0] == 2


@pytest.mark.parametrize(("argv", "said", "status"), [
    (["--period", "2026-Q5"], "Không lập được báo cáo: «2026-Q5» không phải một kỳ báo cáo", Exit.USAGE),
    (["--period", "2027-Q1"], "Không lập được báo cáo: kỳ 2027-Q1 chưa bắt đầu\n", Exit.USAGE),
    (["--period", "2026-Q3", "--unit", "99999"], "Không lập được báo cáo: đơn vị «99999» chưa có trong cơ sở dữ liệu", Exit.NOT_FOUND),
    (["--period", "2026-Q3", "--format", "odt"], "--format: 'odt' không phải lựa chọn hợp lệ", Exit.USAGE),
    ([], "python -m bot report: thiếu tham số bắt buộc: --period", Exit.USAGE),
])
def test_errors_print_one_line_in_one_language(
    capsys: pytest.CaptureFixture[str], server: Path, argv: list[str], said: str, status: int
) -> None:
    err = refused(capsys, *argv, status=status)
    assert said in err
    assert not re.search(r"\b(the|is|not|unknown|invalid|choice|required|started)\b", err), err  # no English left
    assert not list(server.glob("report-*"))


async def test_report_file_gives_bytes_a_content_type_and_a_name(core: Core) -> None:
    """What a chat command will send: the same rendering, in memory."""
    async with core.db.transaction() as session:
        await seed(session)
    core.services.report_periods = "calendar"
    data, content_type, name = await report_file(core.services, period="2026-Q3", fmt="csv", now=NOW)
    assert (content_type, name) == (CONTENT_TYPES["csv"], "bao-cao-01-thanh-pho-ha-noi-quy-iii-nam-2026.csv")
    assert "category,total,Tổng cộng,Số vụ,10" in data.decode("utf-8-sig")
    ticks: list[None] = []
    data, content_type, name = await report_file(
        core.services, unit_code="00070", period="2026-Q3", fmt="xlsx", now=NOW, progress=lambda: ticks.append(None)
    )
    assert name == "bao-cao-00070-ubnd-phuong-hoan-kiem-quy-iii-nam-2026.xlsx" and data[:2] == b"PK" and len(ticks) == bot.cli.report.STAGES
    with pytest.raises(ValueError, match="unknown format"):
        await report_file(core.services, period="2026-Q3", fmt="odt", now=NOW)
