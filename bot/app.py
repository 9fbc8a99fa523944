"""Assembly in one place: settings → deployment → database → services → channels → outbox dispatcher."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.deployment import Deployment, load_deployment
from bot.outbox_dispatcher import OutboxDispatcher, Sender
from bot.secrets_setup import load_secrets
from handlers.conversation import ReportConversation
from handlers.messages import Channel
from handlers.officer_actions import OfficerActions
from handlers.services import Limits, Services
from storage.crypto import keyed_handle
from storage.db import Database, run_migrations
from storage.units import OfficerRecord, UnitRecord, sync_directory
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
        outbox = OutboxDispatcher(self.db, self.vault, senders, poll_seconds=self.settings.outbox_poll_seconds)
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
        handles = []
        if o.telegram_user_id is not None:
            handles.append((Channel.TELEGRAM.value, keyed_handle(pepper, Channel.TELEGRAM, str(o.telegram_user_id))))
        if o.terminal_login:
            handles.append((Channel.TERMINAL.value, keyed_handle(pepper, Channel.TERMINAL, o.terminal_login)))
        officers.append(OfficerRecord(o.name, o.unit, o.role, handles))
    return units, officers


async def build_core(settings: Settings, *, demo: bool) -> Core:
    deployment = load_deployment(settings.deployment_file)
    ring, pepper = load_secrets(settings, demo=demo)
    await asyncio.to_thread(run_migrations, settings.database_url)
    db = Database(settings.database_url)
    vault = Vault(ring)
    async with db.transaction() as session:
        await sync_directory(session, *_directory(deployment, pepper))
    limits = Limits(
        max_description_chars=settings.max_description_chars,
        max_photos=settings.max_photos_per_report,
        max_photo_bytes=settings.max_photo_bytes,
    )
    services = Services(
        db=db, vault=vault, fallback_unit=deployment.fallback_unit, alert_locale=settings.default_locale, limits=limits
    )
    return Core(settings, deployment, db, services, ReportConversation(services), OfficerActions(services), pepper, vault)


async def _run_telegram(core: Core, token: str) -> None:
    from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot

    bot = make_bot(token, core.settings.telegram_api_base)
    outbox = core.dispatcher({Channel.TELEGRAM: TelegramSender(bot)})
    handle = core.handle_for(Channel.TELEGRAM)
    dispatcher = build_dispatcher(core.conversation, core.officers, handle, core.services.limits)
    sender_task = asyncio.create_task(outbox.run_forever())
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await dispatcher.start_polling(bot, handle_signals=False)
    finally:
        sender_task.cancel()
        await bot.session.close()


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
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    core = await build_core(settings, demo=not token)
    try:
        if token:
            await _run_telegram(core, token)
        else:
            await _run_terminal(core)
    finally:
        await core.db.dispose()
