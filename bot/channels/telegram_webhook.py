"""Telegram by webhook: several workers behind a proxy, each answering Telegram only once an update is handled."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

__all__ = ["serve_webhook", "set_webhook", "webhook_settings_valid"]

_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token


def webhook_settings_valid(url: str, secret: str) -> bool:
    """Telegram posts only to HTTPS and accepts a secret of 1-256 letters, digits, "_" and "-"."""
    return url.startswith("https://") and bool(_WEBHOOK_SECRET.fullmatch(secret))


class _AnswerWhenHandled(SimpleRequestHandler):
    """Telegram hears "ok" only after the update was handled (or another worker finished it). aiogram's
    handler answers after 55 s whatever the state, and by default at once: a worker killed meanwhile
    lost the update. Unanswered, Telegram delivers it again and a live worker handles it; a delivery
    of an update another worker is handling waits for that one's transaction, then answers "ok"."""

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        update = await request.json(loads=bot.session.json_loads)
        await self.dispatcher.feed_raw_update(bot, update, **self.data)
        return web.json_response({})


def serve_webhook(app: web.Application, dispatcher: Dispatcher, bot: Bot, *, url: str, secret: str) -> None:
    """aiogram's handler at the path of the public ``url`` (a reverse proxy forwards it here), answering
    only once the update is handled (see ``_AnswerWhenHandled``).

    A request without the secret header Telegram was given is answered 401 before its body is read.
    Telegram's own limit on connections then holds back a slow worker instead of piling up tasks in it."""
    handler = _AnswerWhenHandled(dispatcher, bot, handle_in_background=False, secret_token=secret)
    handler.register(app, path=urlsplit(url).path or "/")
    setup_application(app, dispatcher, bot=bot)


async def set_webhook(bot: Bot, dispatcher: Dispatcher, *, url: str, secret: str) -> None:
    """Every worker sets the same webhook at start (idempotent); none deletes it when stopping, since the
    others still serve. Pending updates are kept: they are what people wrote while we were away."""
    try:
        await bot.set_webhook(
            url, secret_token=secret, allowed_updates=dispatcher.resolve_used_update_types(), drop_pending_updates=False
        )
    except TelegramBadRequest as exc:  # a URL Telegram will not post to: a configuration error, said at start
        raise ValueError(f"setWebhook: {exc.message}") from None
