"""The console on its own port, in the bot's process or alone (`python -m bot web`)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import uvicorn
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.web.case_routes import case_routes
from bot.web.console import Console, console_app, templates
from bot.web.probe_routes import probe_routes
from bot.web.roster_routes import roster_routes
from bot.web.stats_routes import stats_routes
from storage.crypto import keyed_handle

if TYPE_CHECKING:
    from bot.core import Core

__all__ = ["console_for", "serve_console"]


def console_for(core: Core, *, poll_ms: int = 15_000) -> ASGIApp:
    settings = core.settings
    console = Console(
        core.services, core.officers, settings.web_base_url, settings.web_session_hours,
        functools.partial(keyed_handle, core.pepper, "web"), templates(), poll_ms=poll_ms, metrics=core.metrics,
    )
    app = console_app(console, [*probe_routes(core), *case_routes(), *roster_routes(), *stats_routes()])
    proxies = [p.strip() for p in settings.web_trusted_proxies.split(",") if p.strip()]
    return ProxyHeadersMiddleware(app, trusted_hosts=proxies) if proxies else app


async def serve_console(core: Core) -> None:
    """No access log: a sign-in link's token is in its path, and a log is no place for it. Forwarded
    headers are read by `console_for`, from WEB_TRUSTED_PROXIES only, never by uvicorn from any local peer."""
    settings = core.settings
    config = uvicorn.Config(
        console_for(core), host=settings.web_host, port=settings.web_port, access_log=False, log_level="warning",
        proxy_headers=False, server_header=False,
        lifespan="off",  # the console has no start-up hooks; "on" logs a traceback when the bot stops
        log_config=None,  # uvicorn's lines go through the process's one handler: scrubbed, and JSON with LOG_FORMAT=json
    )
    await uvicorn.Server(config).serve()
