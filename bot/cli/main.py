"""Command line: ``python -m bot`` runs the bot (terminal demo without a token); ``serve`` takes Telegram by
webhook (several workers behind a proxy); ``check-config`` validates."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable

from bot.app import run
from bot.cli.audit import run_audit
from bot.cli.keys import run_keys
from bot.cli.purge import run_purge
from bot.cli.roster import add_arguments, run_roster
from bot.config import Settings
from bot.deployment import DeploymentError, load_deployment
from bot.secrets_setup import MissingSecrets, load_secrets
from handlers.i18n import t
from storage.crypto import CryptoError

__all__ = ["main"]


def _check_config(settings: Settings) -> int:
    deployment = load_deployment(settings.deployment_file, locale=settings.default_locale)
    token = settings.telegram_bot_token is not None
    live = token or settings.zalo_bot_token is not None
    load_secrets(settings, demo=not live)
    loc = settings.default_locale
    file = settings.deployment_file
    print(t(loc, "admin.config_ok", file=file, units=len(deployment.units), officers=len(deployment.officers)))
    rostered = {r.unit for r in deployment.rosters}
    for unit in deployment.units:
        if unit.telegram_chat_id is None:
            print(t(loc, "admin.no_duty_group", code=unit.code, name=unit.display_name))
        if unit.code not in rostered and any(o.unit == unit.code for o in deployment.officers):
            print(t(loc, "admin.no_roster", code=unit.code, name=unit.display_name))
    if not live:
        print(t(loc, "admin.demo_mode"))
    elif not token and any(u.telegram_chat_id for u in deployment.units):
        print(t(loc, "admin.groups_without_telegram"))
    return 0


Command = Callable[[Settings, list[str]], int]


def _later(module: str, name: str) -> Command:
    """Imported when run: charts, documents and the console load matplotlib and friends (about a second),
    which the bot itself never needs at start."""
    return lambda settings, argv: getattr(importlib.import_module(module), name)(settings, argv)


# Subcommands that parse their own arguments: (settings, the arguments after the command) → exit code.
_OWN_PARSERS: dict[str, Command] = {
    "audit": run_audit,
    "report": _later("bot.cli.report", "run_report"),
    "export-case": _later("bot.cli.export", "run_export"),
    "keys": run_keys,
    "purge": run_purge,
    "web": _later("bot.cli.web", "run_web"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    argv = sys.argv[1:] if argv is None else argv
    parser.add_argument("command", nargs="?", default="run", choices=["run", "serve", "check-config", "roster", *_OWN_PARSERS])
    add_arguments(parser)
    args = parser.parse_args(argv[:1] if argv[:1] and argv[0] in _OWN_PARSERS else argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiogram.event", "aiosqlite", "httpx", "httpcore", "apscheduler"):  # ids, SQL parameters, token-bearing URLs, ticks
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        if args.command == "check-config":
            return _check_config(settings)
        if args.command == "roster":
            return run_roster(settings, args)
        if args.command in _OWN_PARSERS:
            return _OWN_PARSERS[args.command](settings, argv[1:])
        asyncio.run(run(settings, webhook=args.command == "serve"))
    except (DeploymentError, MissingSecrets, CryptoError, ValueError, LookupError) as exc:
        print(t(settings.default_locale, "admin.config_error", error=str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
