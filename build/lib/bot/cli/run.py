"""``python -m bot run`` (the default) and ``python -m bot serve``: the bot itself, by long polling (or the
terminal demo without a token) or by webhook (several workers behind a reverse proxy)."""

from __future__ import annotations

import asyncio

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from handlers.i18n import t

__all__ = ["run_bot", "run_serve"]


def _start(settings: Settings, argv: list[str], *, webhook: bool) -> int:
    name = "serve" if webhook else "run"
    loc = settings.default_locale
    CliParser(loc, prog=f"python -m bot {name}", description=t(loc, f"cli.help.{name}")).parse_args(argv)
    from bot.app import run  # (aiogram, the scheduler, the web servers: after --help, not before)

    asyncio.run(run(settings, webhook=webhook))
    return Exit.OK


def run_bot(settings: Settings, argv: list[str]) -> int:
    return _start(settings, argv, webhook=False)


def run_serve(settings: Settings, argv: list[str]) -> int:
    return _start(settings, argv, webhook=True)
