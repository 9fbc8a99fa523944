"""``python -m bot purge [--dry-run]``: shred closed cases past their retention period (run it daily, e.g. cron).

--dry-run lists what would go (code, outcome, closing date) and changes nothing. Without it the cases are
crypto-shredded (see storage/retention.py) and a count is printed; the chat addresses of every closed
case are forgotten too. Statistics columns stay, so every count stays the same. Drafts nobody touched for
RETENTION_DAYS_DRAFTS days are shredded too (counted).
"""

from __future__ import annotations

import asyncio

from bot.cli.exits import Exit
from bot.cli.keys import open_storage
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.core import retention_of
from handlers.i18n import t
from handlers.rules.working_days import VIETNAM
from storage.models import utcnow
from storage.retention import PurgedCase, purge_expired, shred_stale_drafts

__all__ = ["run_purge"]


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot purge", description=t(locale, "purge.help"))
    parser.add_argument("--dry-run", action="store_true", help=t(locale, "purge.help_dry_run"))
    return parser


def _line(locale: str, case: PurgedCase) -> str:
    outcome = t(locale, f"outcome.{case.outcome}") if case.outcome else t(locale, "purge.no_outcome")
    date = case.closed_at.astimezone(VIETNAM).strftime("%d/%m/%Y")
    return t(locale, "purge.line", code=case.code, outcome=outcome, date=date)


async def _run(settings: Settings, dry_run: bool) -> list[str]:
    locale = settings.default_locale
    db, vault = await open_storage(settings)
    now, retention = utcnow(), retention_of(settings)
    try:
        cases = await purge_expired(db, vault, now=now, retention=retention, dry_run=dry_run)
        drafts = await shred_stale_drafts(db, vault, now=now, retention=retention, dry_run=dry_run)
    finally:
        await db.dispose()
    lines = [t(locale, "purge.retention", unfounded=settings.retention_days_unfounded,
               duplicate=settings.retention_days_duplicate, handled=settings.retention_days_handled)]
    if not cases:
        lines.append(t(locale, "purge.nothing"))
    else:
        lines.append(t(locale, "purge.would_shred" if dry_run else "purge.shredding", count=len(cases)))
        lines += [_line(locale, c) for c in cases]
        if not dry_run:
            lines.append(t(locale, "purge.done", count=len(cases)))
    if drafts:
        lines.append(t(locale, "purge.drafts_would" if dry_run else "purge.drafts", count=drafts, days=settings.retention_days_drafts))
    return lines


def run_purge(settings: Settings, argv: list[str]) -> int:
    args = _parser(settings.default_locale).parse_args(argv)
    for line in asyncio.run(_run(settings, args.dry_run)):
        print(line)
    return Exit.OK
