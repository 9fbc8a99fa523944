"""``python -m bot run`` (the default) and ``python -m bot serve``: the bot itself, by long polling (or the
terminal demo without a token) or by webhook (several workers behind a reverse proxy)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from handlers.i18n import t

__all__ = ["loop_factory", "run_bot", "run_serve"]


def _start(settings: Settings, argv: list[str], *, webhook: bool) -> int:
    name = "serve" if webhook else "run"
    loc = settings.default_locale
    CliParser(loc, prog=f"python -m bot {name}", description=t(loc, f"cli.help.{name}")).parse_args(argv)
    from bot.app import run  # (aiogram, the scheduler, the web servers: after --help, not before)

    with asyncio.Runner(loop_factory=loop_factory(settings.event_loop)) as runner:
        runner.run(run(settings, webhook=webhook))
    return Exit.OK


def loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (``EVENT_LOOP=auto``): the bot's work is many small callbacks (database
    hops, HTTP calls), which its loop runs with less CPU than asyncio's. ``asyncio`` keeps the standard loop."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise
        return None
    return uvloop.new_event_loop


def run_bot(settings: Settings, argv: list[str]) -> int:
    return _start(settings, argv, webhook=False)


def run_serve(settings: Settings, argv: list[str]) -> int:
    return _start(settings, argv, webhook=True)
