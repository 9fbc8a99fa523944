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
from bot.purge_cli import retention_of
from bot.report_files import report_file
from bot.scheduler import TimerWorker
from bot.secrets_setup import load_secrets
from handlers.conversation import ReportConversation
from handlers.messages import Channel
from handlers.officer_actions import OfficerActions
from handlers.services import Limits, Services
from handlers.cards import reroute_alert
from storage.crypto import keyed_handle
from storage.db import Database, run_migrations
from storage.keystore import FileKeyStore
from storage.rosters import OverrideRecord, RosterRecord, sync_rosters
from storage.units import ContactRecord, Identity, OfficerRecord, UnitRecord, sync_directory
from storage.vault import Vault

__all__ = ["Core", "build_core", "run"]

log = logging.getLogger(__name__)
DIRECTORY_SYNC_LOCK = 72_001_112


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

    def timers(self) -> TimerWorker:
        return TimerWorker(self.services, poll_seconds=self.settings.timer_poll_seconds, retention=retention_of(self.settings))


def _contacts(deployment: Deployment) -> list[ContactRecord]:
    declared = [("police", u.code, u.police) for u in deployment.units if u.police]
    if deployment.national_contact:
        declared.append(("national", None, deployment.national_contact))
    found = []
    for kind, unit, spec in declared:
        if spec.telegram_chat_id is not None:
            found.append(ContactRecord(kind, unit, spec.name, Channel.TELEGRAM, str(spec.telegram_chat_id)))
        if spec.zalo_user_id is not None:
            found.append(ContactRecord(kind, unit, spec.name, Channel.ZALO, spec.zalo_user_id))
    return found


def _rosters(deployment: Deployment) -> list[RosterRecord]:
    return [
        RosterRecord(
            r.unit, r.rotation, r.period_days, r.handoff, r.start, r.backup, r.holiday_officer,
            [OverrideRecord("leave", e.officer, e.starts, e.ends) for e in r.leave]
            + [OverrideRecord("cover", e.officer, e.starts, e.ends) for e in r.cover],
        )
        for r in deployment.rosters
    ]


def _directory(deployment: Deployment, pepper: bytes) -> tuple[list[UnitRecord], list[OfficerRecord]]:
    def parent(code: str | None) -> str | None:
        return code if code and deployment.unit(code) else None

    units = [
        UnitRecord(u.code, u.display_name, u.is_province, parent(u.default_parent), u.telegram_chat_id)
        for u in deployment.units
    ]
    officers = []
    for o in deployment.officers:
        telegram = str(o.telegram_user_id) if o.telegram_user_id else None
        accounts = [  # (channel, account, private chat): a Telegram user's private chat id is their user id
            (Channel.TELEGRAM, telegram, telegram),
            (Channel.ZALO, o.zalo_user_id, o.zalo_user_id),  # no Zalo groups: alerts reach them privately
            (Channel.TERMINAL, o.terminal_login, None),  # the demo prints Telegram-addressed messages
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
    vault = Vault(ring, keystore=FileKeyStore.open(settings.key_store_path))  # case keys: crypto-shredding survives backups
    async with db.exclusive(DIRECTORY_SYNC_LOCK) as session:  # several workers may start at once
        await sync_directory(session, vault, *_directory(deployment, pepper), _contacts(deployment))
        await sync_rosters(session, _rosters(deployment))
    limits = Limits(
        max_description_chars=settings.max_description_chars,
        max_photos=settings.max_photos_per_report,
        max_photo_bytes=settings.max_photo_bytes,
        max_voice_bytes=settings.max_voice_bytes,
    )
    services = Services(
        db=db, vault=vault, fallback_unit=deployment.fallback_unit, alert_locale=settings.default_locale, limits=limits,
        policies={u.code: deployment.policy(u.policy) for u in deployment.units},
    )
    services.report_maker = lambda unit, period: report_file(services, unit_code=unit, period=period, fmt="xlsx")
    officers = OfficerActions(services)
    conversation = ReportConversation(services, officer_desk=officers.typed)
    return Core(settings, deployment, db, services, conversation, officers, pepper, vault)


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
    timers = core.timers()
    timers.start()
    try:
        await asyncio.gather(outbox.run_forever(), *jobs)
    finally:
        timers.stop()
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
    timers = core.timers()
    timers.start()
    try:
        await chat.run()
    finally:
        timers.stop()
        sender_task.cancel()


async def run(settings: Settings) -> None:
    """With a Telegram or Zalo token the bot serves those; with neither, the terminal demo runs."""
    live = bool(_secret(settings.telegram_bot_token) or _secret(settings.zalo_bot_token))
    core = await build_core(settings, demo=not live)
    try:
        await (_serve(core) if live else _run_terminal(core))
    finally:
        await core.db.dispose()
