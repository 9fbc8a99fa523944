"""The report files' formats and the steps of making one: what the command line offers before it loads
the charts, workbook and document libraries that make them (bot/report_files.py)."""

from __future__ import annotations

__all__ = ["CONTENT_TYPES", "STAGES"]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
STAGES = 4  # units, cases, tables, file: the steps the progress bar counts
