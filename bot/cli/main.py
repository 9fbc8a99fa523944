"""Command line: ``python -m bot [COMMAND]``, ``run`` (the default) when no command is given. Each command
is a module of bot/cli imported only when it runs, so ``--help`` answers at once; each has its own parser
and ``--help``; every message comes from the catalogs in DEFAULT_LOCALE; exit statuses are bot/cli/exits.py."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.cli.exits import EXIT_CODES, Exit
from bot.cli.parsing import CliParser, os_error
from bot.config import Settings
from bot.log_hygiene import configure_logging
from bot.secrets_setup import MissingSecrets
from bot.startup_heap import ready
from handlers.i18n import DEFAULT_LOCALE, KeyedError, t
from storage.crypto import CryptoError, UnknownKeyVersion

__all__ = ["COMMANDS", "main"]

Command = Callable[[Settings, list[str]], int]

# command → (module, function): (settings, the arguments after the command) → exit status. The help line
# of each is the catalog's ``cli.help.<command>``.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bot.cli.run", "run_bot"),
    "serve": ("bot.cli.run", "run_serve"),
    "check-config": ("bot.cli.check", "run_check_config"),
    "init": ("bot.cli.init", "run_init"),
    "units": ("bot.cli.units", "run_units"),
    "roster": ("bot.cli.roster", "run_roster"),
    "audit": ("bot.cli.audit", "run_audit"),
    "keys": ("bot.cli.keys", "run_keys"),
    "purge": ("bot.cli.purge", "run_purge"),
    "backup": ("bot.cli.backup", "run_backup"),
    "restore": ("bot.cli.backup", "run_restore"),
    "report": ("bot.cli.report", "run_report"),
    "export-case": ("bot.cli.export", "run_export"),
    "poster": ("bot.cli.poster", "run_poster"),
    "web": ("bot.cli.web", "run_web"),
}
# commands that serve until stopped: their runtime tells the collector when it is ready (bot/startup_heap.py)
SERVING = ("run", "serve")
# --verbose logs at DEBUG, alembic's lines included (bot/log_hygiene.py CHATTY); fontTools stays silent even
# then (it logs the glyphs of what it renders)
VERBOSE = ("-v", "--verbose")


def _top_parser(locale: str) -> CliParser:
    width = max(map(len, COMMANDS))
    commands = "\n".join(f"  {name:<{width}}  {t(locale, f'cli.help.{name}')}" for name in COMMANDS)
    exits = "\n".join(f"  {int(code):>3}  {t(locale, key)}" for code, key in EXIT_CODES.items())
    parser = CliParser(
        locale, prog="python -m bot", description=t(locale, "cli.description"),
        epilog=f"{t(locale, 'cli.commands')}\n{commands}\n\n{t(locale, 'cli.exit_codes')}\n{exits}\n\n{t(locale, 'cli.more')}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(*VERBOSE, action="store_true", help=t(locale, "cli.verbose"))
    parser.add_argument("command", nargs="?", default="run", choices=list(COMMANDS), metavar="COMMAND",
                        help=t(locale, "cli.command"))
    return parser


def _settings() -> Settings | str:
    """The settings, or the catalog text naming the ones that are wrong (said in DEFAULT_LOCALE if readable)."""
    try:
        return Settings()
    except ValidationError as exc:
        names = ", ".join(sorted({str(e["loc"][0]).upper() for e in exc.errors() if e["loc"]}))
        return t(DEFAULT_LOCALE, "cli.bad_settings", names=names)


def _command(name: str) -> Command:
    module, function = COMMANDS[name]
    found: Command = getattr(importlib.import_module(module), function)
    return found


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = bool(argv) and argv[0] in VERBOSE
    argv = argv[1:] if verbose else argv
    settings = _settings()
    if isinstance(settings, str):
        print(settings, file=sys.stderr)
        return Exit.CONFIG
    locale = settings.default_locale
    try:
        # only the command word (and the top-level flags) here: what follows is the command's own parser's
        _top_parser(locale).parse_args(argv[:1])
    except SystemExit as exc:
        return int(exc.code or 0)
    name, rest = (argv[0], argv[1:]) if argv else ("run", [])
    configure_logging("DEBUG" if verbose else settings.log_level, secrets=settings.secret_values(), fmt=settings.log_format)
    try:
        command = _command(name)
        if name not in SERVING:
            ready()
        return int(command(settings, rest))
    except SystemExit as exc:  # a command's parser: --help (0) or a wrong command line (Exit.USAGE)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        return exc.code if isinstance(exc.code, int) else Exit.USAGE if exc.code else Exit.OK
    except MissingSecrets as exc:  # said whole: the text tells what to set, and that nothing changed
        print(t(locale, exc.key), file=sys.stderr)
        return Exit.CONFIG
    except KeyedError as exc:  # a deployment file that cannot be used, a value the settings refuse
        print(t(locale, "admin.config_error", error=exc.text(locale)), file=sys.stderr)
        return Exit.CONFIG
    except CryptoError as exc:  # a data key under a master version MASTER_KEYS lacks (keys rotate, restore)
        version = exc.version if isinstance(exc, UnknownKeyVersion) else "?"
        print(t(locale, "admin.config_error", error=t(locale, "admin.unknown_key_version", version=version)), file=sys.stderr)
        return Exit.CONFIG
    except OSError as exc:  # a file a command writes or reads (--out, .env, a backup folder)
        print(t(locale, "cli.failed", error=os_error(locale, exc)), file=sys.stderr)
        return Exit.FAILED
    except (ValueError, LookupError) as exc:  # not yet a catalog key: its own text, still no traceback
        print(t(locale, "admin.config_error", error=str(exc)), file=sys.stderr)
        return Exit.CONFIG
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
