"""``python -m bot roster show|leave|cover``: the duty roster from the command line, on the same tables the bot reads."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from sqlmodel import select

from bot.config import Settings
from bot.core import open_core
from handlers.escalation.alerts import local_time
from handlers.escalation.duty import local_moment, roster_outlook
from handlers.i18n import t
from handlers.rules.roster import Shift
from storage.db import Database
from storage.models import Officer, utcnow
from storage.rosters import OverrideRecord, add_override, stored_roster

__all__ = ["add_arguments", "run_roster"]

DAYS = 14


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["show", "leave", "cover"], help="roster: what to do")
    parser.add_argument("unit", nargs="?", help="roster: unit code (e.g. 00070)")
    parser.add_argument("--officer", help="roster leave/cover: the officer's name as in the deployment file")
    parser.add_argument("--from", dest="starts", help="roster leave/cover: local start, e.g. 2026-12-01T07:30")
    parser.add_argument("--until", dest="ends", help="roster leave/cover: local end")


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
        raise ValueError("roster leave|cover UNIT --officer NAME --from 2026-12-01T07:30 --until 2026-12-02T07:30")
    entry = OverrideRecord(args.action, args.officer, local_moment(args.starts), local_moment(args.ends))
    if entry.ends <= entry.starts:
        raise ValueError("--until must be after --from")
    async with db.transaction() as session:
        if await stored_roster(session, args.unit) is None:
            return [t(locale, "roster.no_roster", unit=args.unit)]
        await add_override(session, args.unit, entry, source="cli")
    nobody = t(locale, "roster.nobody")
    return [t(locale, "roster.added", kind=t(locale, f"roster.kind.{args.action}"), officer=args.officer or nobody,
              start=local_time(entry.starts), end=local_time(entry.ends))]


async def _run(settings: Settings, args: argparse.Namespace) -> list[str]:
    """The roster the running bot uses: the file's as of the bot's last start, with the CLI's and the web's entries."""
    db = (await open_core(settings)).db
    try:
        if args.action == "show":
            return await _show(db, settings.default_locale, args.unit, utcnow())
        return await _add(db, settings.default_locale, args)
    finally:
        await db.dispose()


def run_roster(settings: Settings, args: argparse.Namespace) -> int:
    """Edits go to the database (source "cli") and survive restarts; the file's own entries are re-read at start."""
    if not args.action or not args.unit:
        raise ValueError("usage: python -m bot roster show|leave|cover UNIT [--officer NAME --from … --until …]")
    args.unit = args.unit.zfill(2) if len(args.unit) <= 2 else args.unit.zfill(5)
    for line in asyncio.run(_run(settings, args)):
        print(line)
    return 0
