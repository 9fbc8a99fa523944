"""The running bot: channels, webhooks, the console, the outbox dispatcher and the timers around one core
(bot/core.py builds it)."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings
from bot.core import Core, build_core
from bot.outbox_dispatcher import Sender
from bot.probes import TelegramCalls, add_probes, count_telegram_updates
from bot.startup_heap import ready
from bot.watchdog import Route, Watchdog, chat_route, email_route
from handlers.i18n import KeyedError
from handlers.messages import Channel
from storage.inbound_seen import Deliveries

__all__ = ["run"]

log = logging.getLogger(__name__)


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""


async def _serve(core: Core, *, webhook: bool = False) -> None:
    """Telegram (long polling, or by webhook with ``webhook``) and Zalo side by side (either may be off),
    one outbox dispatcher for both; both webhooks share one aiohttp site on WEBHOOK_HOST:WEBHOOK_PORT."""
    from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
    from bot.channels.telegram_webhook import serve_webhook, set_webhook

    settings = core.settings
    senders: dict[str, Sender] = {}
    jobs: list[Coroutine[Any, Any, None]] = []
    cleanups: list[Callable[[], Awaitable[None]]] = []
    app = web.Application(client_max_size=256 * 1024)  # updates are small; anything bigger is not one
    add_probes(app, core)  # /healthz, /readyz, /metrics: for the load balancer and Prometheus (docs/monitoring.md)
    metrics = core.metrics
    routes: list[Route] = [r for r in [email_route(settings)] if r is not None]  # the watchdog's ways to the admins
    probes: dict[str, Callable[[], Awaitable[object]]] = {}
    admins = [o for o in core.deployment.officers if o.role == "admin"]
    webhooks: list[Callable[[], Awaitable[None]]] = []  # set once the site listens: Telegram may post at once
    listen = False
    if token := _secret(settings.telegram_bot_token):
        bot = make_bot(token, settings.telegram_api_base, proxy=_secret(settings.telegram_proxy))
        bot.session.middleware(TelegramCalls(metrics))
        metrics.channels.configure(Channel.TELEGRAM)
        senders[Channel.TELEGRAM] = TelegramSender(bot, request_timeout=settings.outbound_request_timeout_seconds)
        telegram = build_dispatcher(
            core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits,
            deliveries=Deliveries(core.db, Channel.TELEGRAM),
        )
        telegram.update.outer_middleware(count_telegram_updates(metrics))
        probes[Channel.TELEGRAM] = bot.get_me
        post = functools.partial(_telegram_post, bot)
        if route := chat_route(Channel.TELEGRAM, [str(o.telegram_user_id) for o in admins if o.telegram_user_id], post):
            routes.append(route)
        if webhook:
            url, secret = settings.telegram_webhook_url, _secret(settings.telegram_webhook_secret)
            serve_webhook(app, telegram, bot, url=url, secret=secret)
            webhooks.append(functools.partial(set_webhook, bot, telegram, url=url, secret=secret))
            listen = True
        else:
            if settings.telegram_webhook_url:
                log.warning("TELEGRAM_WEBHOOK_URL is set but this process polls and removes the webhook; "
                            "several workers run `python -m bot serve`")
            await bot.delete_webhook(drop_pending_updates=False)
            jobs.append(telegram.start_polling(bot, handle_signals=False))
        cleanups.append(bot.session.close)
    elif any(u.telegram_chat_id for u in core.deployment.units):
        log.error("units have Telegram duty groups but TELEGRAM_BOT_TOKEN is empty: their cards cannot be sent")
    if zalo_token := _secret(settings.zalo_bot_token):
        from bot.channels.zalo import ZaloBot, ZaloClient, ZaloSender  # (httpx: only where Zalo is served)

        client = ZaloClient(zalo_token, settings.zalo_api_base)
        client.on_answer = functools.partial(metrics.channels.ok, Channel.ZALO)
        metrics.channels.configure(Channel.ZALO)
        senders[Channel.ZALO] = ZaloSender(client)
        hosts = tuple(h.strip() for h in settings.zalo_media_hosts.split(",") if h.strip())
        zalo = ZaloBot(
            client, core.db, core.conversation, core.officers, core.handle_for(Channel.ZALO),
            core.services.limits, media_hosts=hosts, web_chat=settings.public_base_url if settings.public_enabled else "",
        )
        if secret := _secret(settings.zalo_webhook_secret):
            app.add_subapp("/zalo", zalo.webhook_app(secret, path="/webhook"))
            listen = True
        else:
            jobs.append(zalo.poll_forever())
        zalo.metrics = metrics
        probes[Channel.ZALO] = functools.partial(client.call, "getMe")
        post = functools.partial(_zalo_post, client)
        if route := chat_route(Channel.ZALO, [o.zalo_user_id for o in admins if o.zalo_user_id], post):
            routes.append(route)
        cleanups.append(client.close)
    if listen:
        runner = web.AppRunner(app, access_log=None)  # an access log would only add addresses and timings
        await runner.setup()
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        cleanups.append(runner.cleanup)  # runs first: requests in flight finish before the sessions close
        for set_it in webhooks:
            await set_it()
    if settings.web_enabled:
        from bot.web.server import serve_console

        jobs.append(serve_console(core))
    jobs += _public_chat(core, senders)
    if settings.watchdog_seconds > 0:
        jobs.append(Watchdog(core, routes, probes=probes).run_forever())
    outbox = core.dispatcher(senders)
    timers = core.timers()
    timers.start()
    ready()
    try:
        await asyncio.gather(outbox.run_forever(), *jobs)
    finally:
        timers.stop()
        for cleanup in reversed(cleanups):
            await cleanup()


async def _telegram_post(bot: Any, chat_id: str, text: str) -> None:
    await bot.send_message(int(chat_id), text)


async def _zalo_post(client: Any, chat_id: str, text: str) -> None:
    await client.call("sendMessage", chat_id=chat_id, text=text)


def _public_chat(core: Core, senders: dict[str, Sender]) -> list[Coroutine[Any, Any, None]]:
    """The public web chat (PUBLIC_BASE_URL and PUBLIC_PORT set): its site, and its way for officers' messages."""
    if not core.settings.public_enabled:
        return []
    from bot.web.public_chat import serve_public
    from bot.web.public_sender import WebSender

    senders[Channel.WEB] = WebSender(core.db, core.vault)
    return [serve_public(core)]


async def _run_terminal(core: Core) -> None:
    from bot.channels.terminal import TerminalChat, TerminalSender

    sender = TerminalSender(sys.stdout, core.settings.default_locale)
    senders: dict[str, Sender] = {Channel.TELEGRAM: sender, Channel.TERMINAL: sender}
    public = _public_chat(core, senders)  # the demo's web chat, beside the terminal
    outbox = core.dispatcher(senders)
    login = next((o.terminal_login for o in core.deployment.officers if o.terminal_login), "duty")
    handle = core.handle_for(Channel.TERMINAL)
    chat = TerminalChat(core.conversation, core.officers, sender, handle, officer_login=login)
    tasks = [asyncio.create_task(outbox.run_forever()), *map(asyncio.create_task, public)]
    if core.settings.web_enabled:  # the demo's officer can try the console too: /web gives a link
        from bot.web.server import serve_console

        tasks.append(asyncio.create_task(serve_console(core)))
    timers = core.timers()
    timers.start()
    ready()
    try:
        await chat.run()
    finally:
        timers.stop()
        for task in tasks:
            task.cancel()


async def run(settings: Settings, *, webhook: bool = False) -> None:
    """With a Telegram or Zalo token the bot serves those; with neither, the terminal demo runs.

    ``webhook`` (`python -m bot serve`): Telegram by webhook, so that several workers can share the load."""
    live = bool(_secret(settings.telegram_bot_token) or _secret(settings.zalo_bot_token))
    if webhook:
        from bot.channels.telegram_webhook import webhook_settings_valid

        secret = _secret(settings.telegram_webhook_secret)
        if not (_secret(settings.telegram_bot_token) and webhook_settings_valid(settings.telegram_webhook_url, secret)):
            raise KeyedError("serve.needs_webhook")
        if not settings.redis_url.strip():
            log.warning("REDIS_URL is empty: conversation locks are per process, so run a single worker")
    core = await build_core(settings, demo=not live)
    try:
        await (_serve(core, webhook=webhook) if live else _run_terminal(core))
    finally:
        await core.conversation.locks.close()
        await core.services.counter.close()
        await core.db.dispose()
