"""``python -m bot roster show|leave|cover``: the duty roster from the command line, on the same tables the bot reads."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from sqlmodel import select

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.core import open_core
from handlers.escalation.alerts import local_time
from handlers.escalation.duty import local_moment, roster_outlook
from handlers.i18n import KeyedError, t
from handlers.rules.roster import Shift
from storage.db import Database
from storage.models import Officer, utcnow
from storage.rosters import OverrideRecord, add_override, stored_roster

__all__ = ["run_roster"]

DAYS = 14


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot roster", description=t(locale, "cli.help.roster"))
    parser.add_argument("action", choices=["show", "leave", "cover"], help=t(locale, "roster.help_action"))
    parser.add_argument("unit", help=t(locale, "roster.help_unit"))
    parser.add_argument("--officer", help=t(locale, "roster.help_officer"))
    parser.add_argument("--from", dest="starts", help=t(locale, "roster.help_from"))
    parser.add_argument("--until", dest="ends", help=t(locale, "roster.help_until"))
    return parser


def _line(locale: str, shift: Shift, names: dict[str, str]) -> str:
    nobody = t(locale, "roster.nobody")
    return t(
        locale, "roster.line", start=local_time(shift.starts), end=local_time(shift.ends),
        officer=names.get(shift.officer or "", nobody), backup=names.get(shift.backup or "", nobody),
        note=t(locale, f"roster.source.{shift.source}"),
    )


async def _show(db: Database, locale: str, unit_code: str, now: datetime) -> list[str]:
    async with db.session() as session:
        outlook = await roster_outlook(session, unit_code, now, days=DAYS)
        names = {o.id: o.name for o in (await session.exec(select(Officer))).all()}
    if outlook is None:
        return [t(locale, "roster.no_roster", unit=unit_code)]
    current = outlook.current
    nobody = t(locale, "roster.nobody")
    lines = [
        t(locale, "roster.title", unit=outlook.unit.name, start=local_time(now)),
        t(locale, "roster.now", officer=names.get(current.officer or "", nobody),
          backup=names.get(current.backup or "", nobody), until=local_time(current.ends)),
        "",
    ]
    lines += [_line(locale, s, names) for s in outlook.coming]
    lines.append("")
    holes = [t(locale, "roster.gap", start=local_time(g.starts), end=local_time(g.ends)) for g in outlook.gaps]
    return lines + (holes or [t(locale, "roster.no_gaps")])


async def _add(db: Database, locale: str, args: argparse.Namespace) -> list[str]:
    if not (args.starts and args.ends) or (args.action == "leave" and not args.officer):
        raise _Usage("roster.usage_override")
    moments = []
    for text in (args.starts, args.ends):
        try:
            moments.append(local_moment(text))
        except ValueError:
            raise _Usage("roster.bad_moment", value=text) from None
    entry = OverrideRecord(args.action, args.officer, *moments)
    if entry.ends <= entry.starts:
        raise _Usage("roster.until_before_from")
    async with db.transaction() as session:
        if await stored_roster(session, args.unit) is None:
            return [t(locale, "roster.no_roster", unit=args.unit)]
        try:
            await add_override(session, args.unit, entry, source="cli")
        except LookupError:  # storage's sentence is English: the officer is not an active one of the unit
            raise _Usage("roster.unknown_officer", officer=args.officer or "", unit=args.unit) from None
    nobody = t(locale, "roster.nobody")
    return [t(locale, "roster.added", kind=t(locale, f"roster.kind.{args.action}"), officer=args.officer or nobody,
              start=local_time(entry.starts), end=local_time(entry.ends))]


class _Usage(KeyedError):
    """A leave or cover the command line cannot add (missing times, an unknown officer): Exit.USAGE."""


async def _run(settings: Settings, args: argparse.Namespace) -> list[str]:
    """The roster the running bot uses: the file's as of the bot's last start, with the CLI's and the web's entries."""
    db = (await open_core(settings)).db
    try:
        if args.action == "show":
            return await _show(db, settings.default_locale, args.unit, utcnow())
        return await _add(db, settings.default_locale, args)
    finally:
        await db.dispose()


def run_roster(settings: Settings, argv: list[str]) -> int:
    """Edits go to the database (source "cli") and survive restarts; the file's own entries are re-read at start."""
    locale = settings.default_locale
    args = _parser(locale).parse_args(argv)
    args.unit = args.unit.zfill(2) if len(args.unit) <= 2 else args.unit.zfill(5)
    try:
        lines = asyncio.run(_run(settings, args))
    except _Usage as exc:
        print(exc.text(locale), file=sys.stderr)
        return Exit.USAGE
    for line in lines:
        print(line)
    return Exit.OK
