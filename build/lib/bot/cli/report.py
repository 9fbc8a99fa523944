"""``python -m bot report --period 2026-Q3 [--unit CODE] [--format xlsx|csv|pdf] [--out PATH]``: the periodic
report a commune or province sends upward (docs/law-and-process.md, "Upward reporting"); the command line
adds a progress bar and writes the bytes that bot/report_files.py renders."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.core import open_core
from bot.report_files import CONTENT_TYPES, STAGES, report_file
from handlers.i18n import LOCALES, KeyedError, t
from handlers.statistics.periods import CONVENTIONS, Period
from storage.models import utcnow

__all__ = ["run_report"]


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot report", description=t(locale, "report.help"))
    parser.add_argument("--period", required=True, help=t(locale, "report.help_period"))
    parser.add_argument("--unit", help=t(locale, "report.help_unit"))
    parser.add_argument("--format", dest="fmt", choices=list(CONTENT_TYPES), default="xlsx", help=t(locale, "report.help_format"))
    parser.add_argument("--out", type=Path, help=t(locale, "report.help_out"))
    parser.add_argument("--locale", choices=LOCALES, help=t(locale, "report.help_locale"))
    parser.add_argument("--data-period", choices=CONVENTIONS, help=t(locale, "report.help_data_period"))
    return parser


async def _make(
    settings: Settings, args: argparse.Namespace, progress: Callable[[], object]
) -> tuple[bytes, str]:
    """Opens the bot's database as the bot left it (bot/core.py `open_core`), then only reads."""
    core = await open_core(settings)
    try:
        data, _, name = await report_file(
            core.services, unit_code=args.unit, period=args.period, fmt=args.fmt,
            locale=args.locale, now=utcnow(), progress=progress,
        )
    finally:
        await core.db.dispose()
    return data, name


def run_report(settings: Settings, argv: list[str]) -> int:
    """Exit status 2 (usage) and one line on stderr for a bad period or one not started, 4 for an unknown
    unit; else the path written."""
    locale = settings.default_locale
    args = _parser(locale).parse_args(argv)
    try:
        checked = Period.parse(args.period, args.data_period or CONVENTIONS[0])  # before the database is touched
        args.period = checked if args.data_period else checked.code
        if args.unit and args.unit.isdigit():
            args.unit = args.unit.zfill(2) if len(args.unit) <= 2 else args.unit.zfill(5)
        with tqdm(total=STAGES, desc=t(locale, "report.progress"), file=sys.stderr) as bar:
            data, name = asyncio.run(_make(settings, args, bar.update))
    except KeyedError as exc:
        print(t(locale, "report.error", error=exc.text(locale)), file=sys.stderr)
        return Exit.NOT_FOUND if isinstance(exc, LookupError) else Exit.USAGE
    path = args.out / name if args.out and args.out.is_dir() else args.out or Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(t(locale, "report.written", path=path))
    return Exit.OK
