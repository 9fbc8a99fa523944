"""/healthz, /readyz and /metrics, on the console's port (Starlette) and on the webhook site (aiohttp) alike,
and the hooks that tell the metrics what the channels did (docs/monitoring.md).

Their bodies name checks and numbers only: never a person, a case, a chat or a setting's value."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramServerError
from aiogram.methods import Response as ApiResponse
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject, Update
from aiohttp import web
from sqlalchemy import text

from bot.metrics import CONTENT_TYPE, Backlog, Metrics, backlog
from storage.db import Database
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

__all__ = [
    "Readiness", "TelegramCalls", "add_probes", "check_readiness", "count_telegram_updates", "metrics_allowed", "telegram_kind",
]

DB_TIMEOUT = 5.0  # seconds: a database that takes longer to answer SELECT 1 is not "reachable" for a probe


@dataclass(frozen=True)
class Readiness:
    failing: tuple[str, ...]
    backlog: Backlog | None

    @property
    def ready(self) -> bool:
        return not self.failing

    def body(self) -> dict[str, Any]:
        return {"status": "ready"} if self.ready else {"status": "not ready", "failing": list(self.failing)}


async def check_readiness(db: Database, metrics: Metrics, settings: Settings) -> Readiness:
    """database (answers SELECT 1), outbox (no row due longer than HEALTH_OUTBOX_STUCK_MINUTES), timers (no step
    due longer than HEALTH_TIMER_LATE_MINUTES), and each channel this process runs (a call to its platform
    succeeded within HEALTH_CHANNEL_SILENT_MINUTES)."""
    failing: list[str] = []
    state: Backlog | None = None
    try:
        async with asyncio.timeout(DB_TIMEOUT):
            async with db.session() as session:
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            state = await backlog(db, utcnow(), stuck_after=settings.health_outbox_stuck_minutes * 60)
    except Exception:  # noqa: BLE001 - whatever the driver raises, the answer is the same
        failing.append("database")
    if state is not None:
        if state.stuck_channels:
            failing.append("outbox")
        if state.timer_lateness > settings.health_timer_late_minutes * 60:
            failing.append("timers")
    silent = settings.health_channel_silent_minutes * 60
    failing += sorted(c for c in metrics.channels.last_ok if metrics.channels.silent_for(c) > silent)
    return Readiness(tuple(failing), state)


def metrics_allowed(settings: Settings, authorization: str) -> bool:
    """METRICS_TOKEN set: /metrics wants "Authorization: Bearer <token>"; unset: it is open (keep it off the Internet)."""
    if settings.metrics_token is None or not settings.metrics_token.get_secret_value():
        return True
    expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
    return hmac.compare_digest(authorization.encode(), expected)


# --- the webhook site (aiohttp) ----------------------------------------------------------------------
def add_probes(app: web.Application, core: Core) -> None:
    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        found = await check_readiness(core.db, core.metrics, core.settings)
        return web.json_response(found.body(), status=200 if found.ready else 503)

    async def metrics(request: web.Request) -> web.Response:
        if not metrics_allowed(core.settings, request.headers.get("Authorization", "")):
            return web.Response(status=401)
        body = await core.metrics.render(core.db)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


# --- what Telegram did -------------------------------------------------------------------------------
class TelegramCalls(BaseRequestMiddleware):
    """Every Bot API call that Telegram answered (an error of the request's own, like a blocked chat, is an
    answer too; a network failure or a 5xx is not) marks the channel reachable."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[Any], bot: Bot, method: TelegramMethod[Any]
    ) -> ApiResponse[Any]:
        try:
            response = await make_request(bot, method)
        except (TelegramNetworkError, TelegramServerError):
            raise
        except TelegramAPIError:
            self.metrics.channels.ok("telegram")
            raise
        self.metrics.channels.ok("telegram")
        return response


def telegram_kind(update: Update) -> str:
    if update.callback_query is not None:
        return "choice"
    if update.edited_message is not None:
        return "edited"
    message = update.message
    if message is None:
        return "other"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    for kind in ("photo", "voice", "location"):
        if getattr(message, kind) is not None:
            return kind
    return "other"


def count_telegram_updates(metrics: Metrics) -> Callable[..., Awaitable[Any]]:
    """An outer middleware for the dispatcher's updates: counted once handled, by kind."""

    async def middleware(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], update: TelegramObject, data: dict[str, Any]
    ) -> Any:
        result = await handler(update, data)
        if isinstance(update, Update):
            metrics.update("telegram", telegram_kind(update))
        return result

    return middleware
