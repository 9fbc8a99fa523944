"""``python -m bot keys rotate|check``: master-key rotation, and a health check of every data key.

rotate: MASTER_KEYS must list a new highest version (keep the old one for this run); every data key is
re-wrapped under it, case data untouched. Afterwards the old version can be removed from MASTER_KEYS.
check: every data key must unwrap (with its KEK from the key store when it has one); exit status 1 when
one does not, or when a KEK is missing. Neither prints key material: counts, key ids, case codes.
"""

from __future__ import annotations

import asyncio

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.secrets_setup import load_secrets
from handlers.i18n import t
from storage.db import Database, run_migrations
from storage.keystore import FileKeyStore
from storage.vault import KeyCheck, Vault, check_keys, rewrap_keys

__all__ = ["check_lines", "open_storage", "run_keys"]

MAX_CODES = 20  # case codes listed for missing keys; the rest are counted


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot keys", description=t(locale, "keys.help"))
    parser.add_argument("action", choices=["rotate", "check"], help=t(locale, "keys.help_action"))
    return parser


async def open_storage(settings: Settings) -> tuple[Database, Vault]:
    """The database and vault exactly as the bot builds them, without syncing the deployment file."""
    ring, _ = load_secrets(settings)
    await asyncio.to_thread(run_migrations, settings.database_url)
    return Database(settings.database_url), Vault(ring, keystore=FileKeyStore.open(settings.key_store_path))


async def _rotate(db: Database, vault: Vault, locale: str) -> tuple[int, list[str]]:
    result = await rewrap_keys(db, vault)
    current = vault.ring.current
    if result.rewrapped == 0:
        return Exit.FAILED, [t(locale, "keys.no_new_version", version=current, next=current + 1)]
    return Exit.OK, [t(locale, "keys.rotated", version=current, rewrapped=result.rewrapped, total=result.total)]


def _reason(locale: str, reason: str) -> str:
    kind, _, version = reason.partition(":")
    if kind == "unknown_version":
        return t(locale, "admin.unknown_key_version", version=version)
    return t(locale, {"keystore_required": "keys.reason_keystore_required",
                      "keystore_unreadable": "keys.reason_keystore_unreadable"}.get(kind, "keys.reason_damaged"))


def check_lines(found: KeyCheck, locale: str, store: str) -> list[str]:
    lines = [t(locale, "keys.check_opened", opened=found.opened, external=found.external)]
    if found.shredded_cases:
        lines.append(t(locale, "keys.check_shredded", count=found.shredded_cases))
    if found.orphans:
        lines.append(t(locale, "keys.check_orphans", count=found.orphans))
    if found.missing:
        codes = ", ".join(found.missing_cases[:MAX_CODES]) + (" …" if len(found.missing_cases) > MAX_CODES else "")
        lines.append(t(locale, "keys.check_missing", count=len(found.missing), store=store, codes=codes or "—"))
    lines += [t(locale, "keys.check_failed", id=key_id, error=_reason(locale, reason)) for key_id, reason in found.failed]
    if found.failed:
        lines.append(t(locale, "keys.check_failed_total", count=len(found.failed)))
    return lines


async def _run(settings: Settings, action: str) -> tuple[int, list[str]]:
    db, vault = await open_storage(settings)
    locale = settings.default_locale
    try:
        if action == "rotate":
            return await _rotate(db, vault, locale)
        found = await check_keys(db, vault)
        return (Exit.FAILED if found.failed or found.missing else Exit.OK), check_lines(found, locale, str(settings.key_store_path))
    finally:
        await db.dispose()


def run_keys(settings: Settings, argv: list[str]) -> int:
    """A data key under a master version missing from MASTER_KEYS stops ``rotate`` before it changes
    anything (UnknownKeyVersion, exit 3 through the CLI's configuration-error path)."""
    args = _parser(settings.default_locale).parse_args(argv)
    code, lines = asyncio.run(_run(settings, args.action))
    for line in lines:
        print(line)
    return code
