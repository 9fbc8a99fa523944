"""`python -m bot web`: the console alone, beside the bot process (or processes) on the same database."""

from __future__ import annotations

import asyncio
import sys

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from handlers.i18n import t

__all__ = ["run_web"]


async def _serve_alone(settings: Settings) -> None:
    from bot.core import open_core  # (the runtime and the console: after --help, not before)
    from bot.web.server import serve_console

    core = await open_core(settings)
    try:
        await serve_console(core)
    finally:
        await core.db.dispose()


def run_web(settings: Settings, argv: list[str]) -> int:
    """Only the console: the bot process (or processes) on the same database send what its actions queue."""
    locale = settings.default_locale
    CliParser(locale, prog="python -m bot web", description=t(locale, "cli.help.web")).parse_args(argv)
    if not settings.web_enabled:
        print(t(locale, "web.cli_needs_settings"), file=sys.stderr)
        return Exit.CONFIG
    asyncio.run(_serve_alone(settings))
    return Exit.OK
