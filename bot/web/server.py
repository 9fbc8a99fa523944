"""The console on its own port, in the bot's process or alone (`python -m bot web`)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette

from bot.config import Settings
from bot.web.case_routes import case_routes
from bot.web.console import Console, console_app, templates
from bot.web.roster_routes import roster_routes
from bot.web.stats_routes import stats_routes
from handlers.i18n import t
from storage.crypto import keyed_handle

if TYPE_CHECKING:
    from bot.app import Core

__all__ = ["console_for", "run_web", "serve_console"]


def console_for(core: Core, *, poll_ms: int = 15_000) -> Starlette:
    settings = core.settings
    console = Console(
        core.services, core.officers, settings.web_base_url, settings.web_session_hours,
        functools.partial(keyed_handle, core.pepper, "web"), templates(), poll_ms=poll_ms,
    )
    return console_app(console, [*case_routes(), *roster_routes(), *stats_routes()])


async def serve_console(core: Core) -> None:
    """No access log: a sign-in link's token is in its path, and a log is no place for it."""
    settings = core.settings
    config = uvicorn.Config(
        console_for(core), host=settings.web_host, port=settings.web_port, access_log=False, log_level="warning",
        proxy_headers=True, server_header=False,
    )
    await uvicorn.Server(config).serve()


async def _serve_alone(settings: Settings) -> None:
    from bot.app import build_core

    live = bool(settings.telegram_bot_token or settings.zalo_bot_token)
    core = await build_core(settings, demo=not live)
    try:
        await serve_console(core)
    finally:
        await core.db.dispose()


def run_web(settings: Settings, argv: list[str]) -> int:
    """Only the console: the bot process (or processes) on the same database send what its actions queue."""
    argparse.ArgumentParser(prog="python -m bot web", description=run_web.__doc__).parse_args(argv)
    if not settings.web_enabled:
        print(t(settings.default_locale, "web.cli_needs_settings"), file=sys.stderr)
        return 2
    asyncio.run(_serve_alone(settings))
    return 0
