"""``python -m bot audit verify|show CODE``: check the hash-chained audit log, or list who accessed a case.

An administrator's tool on the server: it prints officers' names, times and action names, never case content
(the audit log holds none). Exit status 1 when the chain is broken or the case code is unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlmodel import col, select

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.core import open_core
from handlers.escalation.alerts import local_time
from handlers.i18n import t
from storage.audit import EDITED, AuditBreak, case_history, count_entries, first_break
from storage.cases import case_by_code
from storage.db import Database
from storage.models import Officer

__all__ = ["run_audit"]

def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot audit", description=t(locale, "cli.help.audit"))
    parser.add_argument("action", choices=["verify", "show"], help=t(locale, "audit.help_action"))
    parser.add_argument("code", nargs="?", help=t(locale, "audit.help_code"))
    return parser


def _why(locale: str, found: AuditBreak) -> str:
    return t(locale, "audit.why_edited") if found.why == EDITED else t(locale, "audit.why_removed")


async def _verify(db: Database, locale: str) -> tuple[int, list[str]]:
    async with db.session() as session:
        found = await first_break(session)
        total = await count_entries(session)
    if found is None:
        return Exit.OK, [t(locale, "audit.intact", count=total)]
    return Exit.FAILED, [t(locale, "audit.broken", seq=found.seq, time=local_time(found.at), why=_why(locale, found))]


async def _show(db: Database, locale: str, code: str) -> tuple[int, list[str]]:
    async with db.session() as session:
        case = await case_by_code(session, code)
        if case is None:
            return Exit.NOT_FOUND, [t(locale, "audit.unknown_case", code=code)]
        entries = await case_history(session, case.id)
        wanted = {e.officer_id for e in entries if e.officer_id}
        officers = (await session.exec(select(Officer).where(col(Officer.id).in_(wanted)))).all() if wanted else []
    names = {o.id: o.name for o in officers}
    nobody = t(locale, "audit.no_officer")
    lines = [t(locale, "audit.title", code=case.code, count=len(entries))]
    lines += [
        t(locale, "audit.line", time=local_time(e.at), officer=names.get(e.officer_id or "", nobody), action=e.action)
        for e in entries
    ] or [t(locale, "audit.empty")]
    return Exit.OK, lines


async def _run(settings: Settings, args: argparse.Namespace) -> tuple[int, list[str]]:
    """Opens the bot's database as the bot left it (bot/core.py `open_core`), then only reads."""
    db = (await open_core(settings)).db
    try:
        if args.action == "verify":
            return await _verify(db, settings.default_locale)
        return await _show(db, settings.default_locale, args.code)
    finally:
        await db.dispose()


def run_audit(settings: Settings, argv: list[str]) -> int:
    args = _parser(settings.default_locale).parse_args(argv)
    if args.action == "show":
        if not args.code:
            print(t(settings.default_locale, "audit.usage"), file=sys.stderr)
            return Exit.USAGE
        args.code = args.code.strip().upper()
    code, lines = asyncio.run(_run(settings, args))
    for line in lines:
        print(line)
    return code
