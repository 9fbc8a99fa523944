"""Command line: ``python -m bot`` runs the bot (terminal demo without a token); ``check-config`` validates."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.app import run
from bot.config import Settings
from bot.deployment import DeploymentError, load_deployment
from bot.secrets_setup import MissingSecrets, load_secrets
from storage.crypto import CryptoError

__all__ = ["main"]


def _check_config(settings: Settings) -> int:
    deployment = load_deployment(settings.deployment_file)
    token = settings.telegram_bot_token is not None
    load_secrets(settings, demo=not token)
    print(f"{settings.deployment_file}: {len(deployment.units)} unit(s), {len(deployment.officers)} officer(s) — OK")
    for unit in deployment.units:
        if unit.telegram_chat_id is None:
            print(f"  note: unit {unit.code} ({unit.display_name}) has no duty group; its alerts go up the tree")
    if not token:
        print("  note: TELEGRAM_BOT_TOKEN is not set; `python -m bot` will run the terminal demo")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "check-config"])
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # its lines name chat and user ids
    try:
        if args.command == "check-config":
            return _check_config(settings)
        asyncio.run(run(settings))
    except (DeploymentError, MissingSecrets, CryptoError, ValueError) as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
