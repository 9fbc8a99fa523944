"""Command line: ``python -m bot`` runs the bot (terminal demo without a token); ``serve`` takes Telegram by
webhook (several workers behind a proxy); ``check-config`` validates."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable

from bot.app import run
from bot.chain_reach import silent_chains, silent_steps
from bot.cli.audit import run_audit
from bot.cli.keys import run_keys
from bot.cli.purge import run_purge
from bot.cli.roster import add_arguments, run_roster
from bot.config import Settings
from bot.deployment import DeploymentError, load_deployment
from bot.log_hygiene import configure_logging
from bot.secrets_setup import MissingSecrets, load_secrets
from handlers.escalation.alerts import duration_text
from handlers.i18n import t
from storage.crypto import CryptoError

__all__ = ["main"]


def _check_config(settings: Settings) -> int:
    deployment = load_deployment(settings.deployment_file, locale=settings.default_locale)
    token = bool(settings.telegram_bot_token)  # an empty TELEGRAM_BOT_TOKEN= in .env is no token
    live = token or bool(settings.zalo_bot_token)
    try:
        load_secrets(settings)
    except MissingSecrets as exc:
        if live or exc.key != "admin.missing_secrets":
            raise
    loc = settings.default_locale
    file = settings.deployment_file
    if silent := silent_chains(deployment):  # an urgent case nobody takes would page nobody after its card
        for unit in silent:
            print(t(loc, "admin.chain_silent", code=unit.code, name=unit.display_name), file=sys.stderr)
        return 2
    print(t(loc, "admin.config_ok", file=file, units=len(deployment.units), officers=len(deployment.officers)))
    rostered = {r.unit for r in deployment.rosters}
    for unit in deployment.units:
        if unit.telegram_chat_id is None:
            print(t(loc, "admin.no_duty_group", code=unit.code, name=unit.display_name))
        if unit.code not in rostered and any(o.unit == unit.code for o in deployment.officers):
            print(t(loc, "admin.no_roster", code=unit.code, name=unit.display_name))
        for step in silent_steps(deployment, unit):
            after, targets = duration_text(loc, step.after), ", ".join(step.notify)
            print(t(loc, "admin.step_silent", code=unit.code, name=unit.display_name, after=after, targets=targets))
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
    "backup": _later("bot.cli.backup", "run_backup"),
    "restore": _later("bot.cli.backup", "run_restore"),
    "report": _later("bot.cli.report", "run_report"),
    "export-case": _later("bot.cli.export", "run_export"),
    "keys": run_keys,
    "purge": run_purge,
    "poster": _later("bot.cli.poster", "run_poster"),
    "web": _later("bot.cli.web", "run_web"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    argv = sys.argv[1:] if argv is None else argv
    parser.add_argument("command", nargs="?", default="run", choices=["run", "serve", "check-config", "roster", *_OWN_PARSERS])
    add_arguments(parser)
    args = parser.parse_args(argv[:1] if argv[:1] and argv[0] in _OWN_PARSERS else argv)
    settings = Settings()
    configure_logging(settings.log_level, secrets=settings.secret_values(), fmt=settings.log_format)
    try:
        if args.command == "check-config":
            return _check_config(settings)
        if args.command == "roster":
            return run_roster(settings, args)
        if args.command in _OWN_PARSERS:
            return _OWN_PARSERS[args.command](settings, argv[1:])
        asyncio.run(run(settings, webhook=args.command == "serve"))
    except MissingSecrets as exc:
        print(t(settings.default_locale, exc.key), file=sys.stderr)
        return 2
    except (DeploymentError, CryptoError, ValueError, LookupError) as exc:
        print(t(settings.default_locale, "admin.config_error", error=str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
