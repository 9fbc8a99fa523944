"""`python -m bot backup DIR` and `python -m bot restore`: the database and the key store, copied apart
and brought back; a restore ends with the same check as `keys check` (every data key opens)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.cli.exits import Exit
from bot.cli.keys import check_lines, open_storage
from bot.cli.parsing import CliParser, os_error
from bot.config import Settings
from bot.secrets_setup import load_secrets
from handlers.i18n import t
from storage.backup import (
    BackupError,
    copy_database,
    copy_key_store,
    prune_key_copies,
    restore_database,
    restore_key_store,
)
from storage.vault import check_keys

__all__ = ["run_backup", "run_restore"]


def run_backup(settings: Settings, argv: list[str]) -> int:
    locale = settings.default_locale
    parser = CliParser(locale, prog="python -m bot backup", description=t(locale, "backup.help"))
    parser.add_argument("directory", type=Path, help=t(locale, "backup.help_dir"))
    parser.add_argument("--keys-dir", type=Path, help=t(locale, "backup.help_keys_dir"))
    parser.add_argument("--keep-keys-hours", type=float, default=24.0, help=t(locale, "backup.help_keep"))
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    keys_dir: Path = args.keys_dir or args.directory
    try:
        database = copy_database(settings.database_url, args.directory, at=now)
        keys, count = copy_key_store(settings.key_store_path, keys_dir, at=now)  # after: it covers the copy
    except BackupError as exc:
        print(t(locale, "backup.failed", error=t(locale, exc.key, **exc.values)), file=sys.stderr)
        return Exit.FAILED
    except OSError as exc:
        print(t(locale, "backup.failed", error=os_error(locale, exc)), file=sys.stderr)
        return Exit.FAILED
    pruned = prune_key_copies(keys_dir, now=now, keep=timedelta(hours=args.keep_keys_hours))
    print(t(locale, "backup.done", database=str(database), keys=str(keys), count=count))
    if pruned:
        print(t(locale, "backup.pruned", count=len(pruned), hours=args.keep_keys_hours))
    return Exit.OK


async def _check(settings: Settings) -> tuple[int, list[str]]:
    db, vault = await open_storage(settings)  # also brings an older copy's schema up to date
    try:
        found = await check_keys(db, vault)
    finally:
        await db.dispose()
    return (Exit.FAILED if found.failed or found.missing else Exit.OK), check_lines(found, settings.default_locale, str(settings.key_store_path))


def run_restore(settings: Settings, argv: list[str]) -> int:
    locale = settings.default_locale
    parser = CliParser(locale, prog="python -m bot restore", description=t(locale, "restore.help"))
    parser.add_argument("database", type=Path, help=t(locale, "restore.help_database"))
    parser.add_argument("--keys", type=Path, help=t(locale, "restore.help_keys"))
    args = parser.parse_args(argv)
    load_secrets(settings)  # the check after the restore needs them: refuse before touching anything
    try:
        restore_database(args.database, settings.database_url)
        added = restore_key_store(args.keys, settings.key_store_path) if args.keys else 0
    except BackupError as exc:
        print(t(locale, "restore.failed", error=t(locale, exc.key, **exc.values)), file=sys.stderr)
        return Exit.FAILED
    except OSError as exc:
        print(t(locale, "restore.failed", error=os_error(locale, exc)), file=sys.stderr)
        return Exit.FAILED
    print(t(locale, "restore.done", database=settings.database_url.split("@")[-1], added=added))
    code, lines = asyncio.run(_check(settings))
    for line in lines:
        print(line)
    return code
