"""``python -m bot report --period 2026-Q3 [--unit CODE] [--format xlsx|csv|pdf] [--out PATH]``: the periodic
report a commune or province sends upward (docs/law-and-process.md, "Upward reporting"); the command line
adds a progress bar and writes the bytes that bot/report_files.py renders."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from bot.config import Settings
from bot.core import open_core
from bot.report_files import CONTENT_TYPES, STAGES, report_file
from handlers.i18n import LOCALES, t
from handlers.statistics.periods import Period
from storage.models import utcnow

__all__ = ["run_report"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # a clear line and exit status 2, not argparse's usage dump
        raise ValueError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot report", description=__doc__)
    parser.add_argument("--period", required=True, help="2026-Q3, 2026-H1, 2026-9M, 2026 or 2026-07")
    parser.add_argument("--unit", help="unit code (default: the deployment's fallback unit)")
    parser.add_argument("--format", dest="fmt", choices=list(CONTENT_TYPES), default="xlsx")
    parser.add_argument("--out", type=Path, help="a file, or a folder (default: report-UNIT-PERIOD.EXT here)")
    parser.add_argument("--locale", choices=LOCALES, help="language of the labels (default: DEFAULT_LOCALE)")
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
    """Exit status 2 and one line on stderr for a bad period, format or unit; else the path written."""
    locale = settings.default_locale
    try:
        args = _parser().parse_args(argv)
        args.period = Period.parse(args.period)  # before the database is touched
        if args.unit and args.unit.isdigit():
            args.unit = args.unit.zfill(2) if len(args.unit) <= 2 else args.unit.zfill(5)
        with tqdm(total=STAGES, desc=t(locale, "report.progress"), file=sys.stderr) as bar:
            data, name = asyncio.run(_make(settings, args, bar.update))
    except (ValueError, LookupError) as exc:
        print(t(locale, "report.error", error=str(exc)), file=sys.stderr)
        return 2
    path = args.out / name if args.out and args.out.is_dir() else args.out or Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(t(locale, "report.written", path=path))
    return 0
