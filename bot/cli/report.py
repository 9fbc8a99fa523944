"""``python -m bot report --period 2026-Q3 [--unit CODE] [--format xlsx|csv|pdf|docx] [--out PATH]``: the periodic
report a commune or province sends upward (docs/law-and-process.md, "Upward reporting"); ``--due`` instead
makes the report the deployment's reporting calendar says is due now. The command line adds a progress bar
and writes the bytes that bot/report_files.py renders."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.report_formats import CONTENT_TYPES, STAGES
from handlers.i18n import LOCALES, KeyedError, t
from handlers.statistics.periods import CONVENTIONS, Period

if TYPE_CHECKING:
    from handlers.services import Services

__all__ = ["run_report"]


def utcnow() -> datetime:  # (storage.models' own, without importing the models before --help)
    return datetime.now(UTC)


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot report", description=t(locale, "report.help"))
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", help=t(locale, "report.help_period"))
    which.add_argument("--due", action="store_true", help=t(locale, "report.help_due"))
    parser.add_argument("--unit", help=t(locale, "report.help_unit"))
    parser.add_argument("--format", dest="fmt", choices=list(CONTENT_TYPES), help=t(locale, "report.help_format"))
    parser.add_argument("--out", type=Path, help=t(locale, "report.help_out"))
    parser.add_argument("--locale", choices=LOCALES, help=t(locale, "report.help_locale"))
    parser.add_argument("--data-period", choices=CONVENTIONS, help=t(locale, "report.help_data_period"))
    return parser


async def _make(
    settings: Settings, args: argparse.Namespace, progress: Callable[[], object]
) -> tuple[bytes, str]:
    """Opens the bot's database as the bot left it (bot/core.py `open_core`), then only reads."""
    from bot.core import open_core  # (the runtime and the report's libraries: after --help, not before)
    from bot.report_files import report_file

    core = await open_core(settings)
    try:
        if args.due and not _choose_due(core.services, args, settings.default_locale):
            raise KeyedError("report.due_none")
        data, _, name = await report_file(
            core.services, unit_code=args.unit, period=args.period, fmt=args.fmt,
            locale=args.locale, now=utcnow(), progress=progress,
        )
    finally:
        await core.db.dispose()
    return data, name


def _choose_due(services: Services, args: argparse.Namespace, locale: str) -> bool:
    """Sets the unit and period of the report now due (handlers/statistics/calendar.py) and says which it is."""
    from handlers.statistics.calendar import report_now_due

    found = report_now_due(services.report_calendar, utcnow(), args.unit)
    if found is None:
        return False
    due, ended = found
    args.unit, args.period = due.schedule.unit_code, due.period
    print(t(locale, "report.due_chosen", report=due.period.label(locale), code=args.unit, due=f"{due.due:%d/%m/%Y}",
            dates=due.period.dates()), file=sys.stderr)
    if not ended:
        print(t(locale, "report.due_data_open"), file=sys.stderr)
    return True


def run_report(settings: Settings, argv: list[str]) -> int:
    """Exit status 2 (usage) and one line on stderr for a bad period or one not started, 4 for an unknown
    unit; else the path written."""
    locale = settings.default_locale
    args = _parser(locale).parse_args(argv)
    args.fmt = args.fmt or ("docx" if args.due else "xlsx")  # the report now due is a document to sign
    try:
        if not args.due:
            checked = Period.parse(args.period, args.data_period or CONVENTIONS[0])  # before the database is touched
            args.period = checked if args.data_period else checked.code
        if args.unit and args.unit.isdigit():
            args.unit = args.unit.zfill(2) if len(args.unit) <= 2 else args.unit.zfill(5)
        with tqdm(total=STAGES, desc=t(locale, "report.progress"), file=sys.stderr) as bar:
            data, name = asyncio.run(_make(settings, args, bar.update))
    except KeyedError as exc:
        print(t(locale, "report.error", error=exc.text(locale)), file=sys.stderr)
        return Exit.NOT_FOUND if isinstance(exc, LookupError) or exc.key == "report.due_none" else Exit.USAGE
    path = args.out / name if args.out and args.out.is_dir() else args.out or Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(t(locale, "report.written", path=path))
    return Exit.OK
