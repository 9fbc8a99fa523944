"""Assembly in one place: settings → deployment → database → services → channels → outbox dispatcher."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.config import Settings
from bot.deployment import Deployment, load_deployment
from bot.outbox_dispatcher import OutboxDispatcher, RetryPolicy, Sender
from bot.send_limits import send_limits
from bot.purge_cli import retention_of
from bot.scheduler import TimerWorker
from bot.secrets_setup import load_secrets
from handlers.conversation import ReportConversation
from handlers.messages import Channel
from handlers.officer_actions import OfficerActions
from handlers.services import AbuseLimits, Limits, Services
from handlers.refusals import chat_moved, refused
from handlers.i18n import t
from storage.counters import make_counter
from storage.crypto import keyed_handle
from storage.chat_migrations import apply_migrations
from storage.db import Database, run_migrations
from storage.inbound_seen import Deliveries
from storage.keystore import FileKeyStore
from storage.locks import LocalLocks, RedisLocks
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
            on_refused=functools.partial(refused, self.services),
            on_moved=functools.partial(chat_moved, self.services),
            limits=send_limits(self.settings, self.pepper),
            retry=RetryPolicy(
                self.settings.outbound_retry_base_seconds, self.settings.outbound_retry_max_seconds,
                timedelta(hours=self.settings.outbound_give_up_hours),
            ),
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
        await apply_migrations(session)  # a group Telegram moved stays followed until the file names it
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
        abuse=AbuseLimits(
            max_messages=settings.abuse_max_messages,
            message_window_seconds=settings.abuse_message_window_seconds,
            max_reports_per_day=settings.abuse_max_reports_per_day,
            flood_new_reporters=settings.abuse_flood_new_reporters,
            flood_window_minutes=settings.abuse_flood_window_minutes,
            duplicate_window_hours=settings.abuse_duplicate_window_hours,
        ),
        counter=make_counter(settings.redis_url, prefix=settings.redis_prefix),
        web_base_url=settings.web_base_url.strip(), web_link_minutes=settings.web_link_minutes,
    )
    services.report_maker = functools.partial(_report_file, services)
    officers = OfficerActions(services)
    shared = settings.redis_url.strip()  # several workers: one reporter's messages in order across all of them
    locks = RedisLocks.connect(shared, prefix=settings.redis_prefix) if shared else LocalLocks()
    conversation = ReportConversation(services, officer_desk=officers.typed, locks=locks)
    return Core(settings, deployment, db, services, conversation, officers, pepper, vault)


async def _report_file(services: Services, unit: str, period: str) -> tuple[bytes, str, str]:
    """/baocao's file; its charts and workbook libraries load on first use, not at every start."""
    from bot.report_files import report_file

    return await report_file(services, unit_code=unit, period=period, fmt="xlsx")


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value else ""


async def _healthy(_: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _serve(core: Core, *, webhook: bool = False) -> None:
    """Telegram (long polling, or by webhook with ``webhook``) and Zalo side by side (either may be off),
    one outbox dispatcher for both; both webhooks share one aiohttp site on WEBHOOK_HOST:WEBHOOK_PORT."""
    from bot.channels.telegram import TelegramSender, build_dispatcher, make_bot, serve_webhook, set_webhook
    from bot.channels.zalo import ZaloBot, ZaloClient, ZaloSender

    settings = core.settings
    senders: dict[str, Sender] = {}
    jobs: list[Coroutine[Any, Any, None]] = []
    cleanups: list[Callable[[], Awaitable[None]]] = []
    app = web.Application(client_max_size=256 * 1024)  # updates are small; anything bigger is not one
    app.router.add_get("/healthz", _healthy)  # for the load balancer in front of several workers
    webhooks: list[Callable[[], Awaitable[None]]] = []  # set once the site listens: Telegram may post at once
    listen = False
    if token := _secret(settings.telegram_bot_token):
        bot = make_bot(token, settings.telegram_api_base)
        senders[Channel.TELEGRAM] = TelegramSender(bot, request_timeout=settings.outbound_request_timeout_seconds)
        telegram = build_dispatcher(
            core.conversation, core.officers, core.handle_for(Channel.TELEGRAM), core.services.limits,
            first_delivery=Deliveries(core.db, Channel.TELEGRAM).first,
        )
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
        client = ZaloClient(zalo_token, settings.zalo_api_base)
        senders[Channel.ZALO] = ZaloSender(client)
        hosts = tuple(h.strip() for h in settings.zalo_media_hosts.split(",") if h.strip())
        zalo = ZaloBot(
            client, core.db, core.conversation, core.officers, core.handle_for(Channel.ZALO),
            core.services.limits, media_hosts=hosts,
        )
        if secret := _secret(settings.zalo_webhook_secret):
            app.add_subapp("/zalo", zalo.webhook_app(secret, path="/webhook"))
            listen = True
        else:
            jobs.append(zalo.poll_forever())
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
    tasks = [asyncio.create_task(outbox.run_forever())]
    if core.settings.web_enabled:  # the demo's officer can try the console too: /web gives a link
        from bot.web.server import serve_console

        tasks.append(asyncio.create_task(serve_console(core)))
    timers = core.timers()
    timers.start()
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
        from bot.channels.telegram import webhook_settings_valid

        secret = _secret(settings.telegram_webhook_secret)
        if not (_secret(settings.telegram_bot_token) and webhook_settings_valid(settings.telegram_webhook_url, secret)):
            raise ValueError(t(settings.default_locale, "serve.needs_webhook"))
        if not settings.redis_url.strip():
            log.warning("REDIS_URL is empty: conversation locks are per process, so run a single worker")
    core = await build_core(settings, demo=not live)
    try:
        await (_serve(core, webhook=webhook) if live else _run_terminal(core))
    finally:
        await core.conversation.locks.close()
        await core.services.counter.close()
        await core.db.dispose()
