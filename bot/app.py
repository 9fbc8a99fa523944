"""Assembly in one place: settings → deployment → database → services → channels → outbox dispatcher."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings
from bot.deployment import Deployment, load_deployment
from bot.outbox_dispatcher import OutboxDispatcher, Sender
from bot.secrets_setup import load_secrets
from handlers.conversation import ReportConversation
from handlers.messages import Channel
from handlers.officer_actions import OfficerActions
from handlers.services import Limits, Services
from handlers.submission import reroute_alert
from storage.crypto import keyed_handle
from storage.db import Database, run_migrations
from storage.units import Identity, OfficerRecord, UnitRecord, sync_directory
from storage.vault import Vault

__all__ = ["Core", "build_core", "run"]

log = logging.getLogger(__name__)


@dataclass
class Core:
    settings: Settings
    deployment: Deployment
    db: Database
    services: Services
    conversation: ReportConversation
    officers: OfficerActions
    pepper: bytes
    vault: Vault

    def handle_for(self, channel: Channel) -> Callable[[str], str]:
        return functools.partial(keyed_handle, self.pepper, channel.value)

    def dispatcher(self, senders: dict[str, Sender]) -> OutboxDispatcher:
        outbox = OutboxDispatcher(
            self.db,
            self.vault,
            senders,
            poll_seconds=self.settings.outbox_poll_seconds,
            on_failed_alert=functools.partial(reroute_alert, self.services),
        )
        self.services.wake_outbox = outbox.wake
        return outbox


def _directory(deployment: Deployment, pepper: bytes) -> tuple[list[UnitRecord], list[OfficerRecord]]:
    def parent(code: str | None) -> str | None:
        return code if code and deployment.unit(code) else None

    units = [
        UnitRecord(u.code, u.display_name, u.is_province, parent(u.default_parent), u.telegram_chat_id)
        for u in deployment.units
    ]
    officers = []
    for o in deployment.officers:
        accounts = [
            (Channel.TELEGRAM, str(o.telegram_user_id) if o.telegram_user_id else None, None),
            (Channel.ZALO, o.zalo_user_id, o.zalo_user_id),  # no Zalo groups: alerts reach them privately
            (Channel.TERMINAL, o.terminal_login, None),
        ]
        identities = [
            Identity(channel.value, keyed_handle(pepper, channel, account), private)
            for channel, account, private in accounts
            if account
        ]
        officers.append(OfficerRecord(o.name, o.unit, o.role, identities))
    return units, officers


async def build_core(settings: Settings, *, demo: bool) -> Core:
    deployment = load_deployment(settings.deployment_file)
    ring, pepper = load_secrets(settings, demo=demo)
    await asyncio.to_thread(run_migrations, settings.database_url)
    db = Database(settings.database_url)
    vault = Vault(ring)
    async with db.transaction() as session:
        await sync_directory(session, vault, *_directory(deployment, pepper))
    limits = Limits(
        max_description_chars=settings.max_description_chars,
        max_photos=settings.max_photos_per_report,
        max_photo_bytes=settings.max_photo_bytes,
        max_voice_bytes=settings.max_voice_bytes,
    )
    services = Services(
        db=db, vault=vault, fallback_unit=deployment.fallback_unit, alert_locale=settings.default_locale, limits=limits
    )
    return Core(settings, deployment, db, services, ReportConversation(services), OfficerActions(services), pepper, vault)


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""


async def _serve(core: Core) -> None:
    """Telegram and Zalo side by side (either may be off), one outbox dispatcher for both."""
    from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot
    from bot.channels.zalo import ZaloBot, ZaloClient, ZaloSender

    settings = core.settings
    senders: dict[str, Sender] = {}
    jobs: list[Coroutine[Any, Any, None]] = []
    cleanups: list[Callable[[], Awaitable[None]]] = []
    if token := _secret(settings.telegram_bot_token):
        bot = make_bot(token, settings.telegram_api_base)
        senders[Channel.TELEGRAM] = TelegramSender(bot)
        telegram = build_dispatcher(core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits)
        await bot.delete_webhook(drop_pending_updates=False)
        jobs.append(telegram.start_polling(bot, handle_signals=False))
        cleanups.append(bot.session.close)
    elif any(u.telegram_chat_id for u in core.deployment.units):
        log.error("units have Telegram duty groups but TELEGRAM_BOT_TOKEN is empty: their cards cannot be sent")
    if zalo_token := _secret(settings.zalo_bot_token):
        client = ZaloClient(zalo_token, settings.zalo_api_base)
        senders[Channel.ZALO] = ZaloSender(client)
        hosts = tuple(h.strip() for h in settings.zalo_media_hosts.split(",") if h.strip())
        zalo = ZaloBot(
            client, core.db, core.conversation, core.officers, core.handle_for(Channel.ZALO),
            core.services.limits, media_hosts=hosts,
        )
        if secret := _secret(settings.zalo_webhook_secret):
            runner = web.AppRunner(zalo.webhook_app(secret))
            await runner.setup()
            await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
            cleanups.append(runner.cleanup)
        else:
            jobs.append(zalo.poll_forever())
        cleanups.append(client.close)
    outbox = core.dispatcher(senders)
    try:
        await asyncio.gather(outbox.run_forever(), *jobs)
    finally:
        for cleanup in reversed(cleanups):
            await cleanup()


async def _run_terminal(core: Core) -> None:
    from bot.channels.terminal import TerminalChat, TerminalSender

    sender = TerminalSender(sys.stdout, core.settings.default_locale)
    outbox = core.dispatcher({Channel.TELEGRAM: sender, Channel.TERMINAL: sender})
    login = next((o.terminal_login for o in core.deployment.officers if o.terminal_login), "duty")
    handle = core.handle_for(Channel.TERMINAL)
    chat = TerminalChat(core.conversation, core.officers, sender, handle, officer_login=login)
    sender_task = asyncio.create_task(outbox.run_forever())
    try:
        await chat.run()
    finally:
        sender_task.cancel()


async def run(settings: Settings) -> None:
    """With a Telegram or Zalo token the bot serves those; with neither, the terminal demo runs."""
    live = bool(_secret(settings.telegram_bot_token) or _secret(settings.zalo_bot_token))
    core = await build_core(settings, demo=not live)
    try:
        await (_serve(core) if live else _run_terminal(core))
    finally:
        await core.db.dispose()
