"""Assembly in one place: settings → deployment → database → services. The bot process (bot/app.py) starts
with `build_core`, which makes the database's officer directory match the deployment file; every other
command (and `python -m bot web`) opens the same core with `open_core`, which never rewrites it."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.config import Settings
from bot.deployment import Deployment, load_deployment
from bot.metrics import Metrics
from bot.outbox_dispatcher import OutboxDispatcher, RetryPolicy, Sender
from bot.scheduler import TimerWorker
from bot.secrets_setup import demo_settings, load_secrets
from bot.send_limits import send_limits
from handlers.escalation.refusals import chat_moved, refused
from handlers.intake.engine import ReportConversation
from handlers.messages import Channel
from handlers.officers.actions import OfficerActions
from handlers.services import AbuseLimits, Limits, Services
from storage.chat_migrations import apply_migrations
from storage.collaborators import CollaboratorRecord, collaborator_handle, sync_collaborators
from storage.counters import make_counter
from storage.crypto import keyed_handle
from storage.db import Database, run_migrations
from storage.keystore import FileKeyStore
from storage.locks import LocalLocks, RedisLocks
from storage.retention import Retention
from storage.rosters import OverrideRecord, RosterRecord, sync_rosters
from storage.units import ContactRecord, Identity, OfficerRecord, UnitRecord, sync_directory
from storage.vault import Vault

__all__ = ["Core", "build_core", "open_core", "retention_of", "sync_deployment"]

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
    metrics: Metrics = field(default_factory=Metrics)  # this core's own registry (docs/monitoring.md)

    def __post_init__(self) -> None:
        self.metrics.attach(self.db)

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
            on_person_sent=self.conversation.remember,
            metrics=self.metrics,
            limits=send_limits(self.settings, self.pepper),
            retry=RetryPolicy(
                self.settings.outbound_retry_base_seconds, self.settings.outbound_retry_max_seconds,
                timedelta(hours=self.settings.outbound_give_up_hours),
            ),
        )
        self.services.wake_outbox = outbox.wake
        return outbox

    def timers(self) -> TimerWorker:
        return TimerWorker(
            self.services, poll_seconds=self.settings.timer_poll_seconds, retention=retention_of(self.settings),
            sweep_receipts=self.conversation.forget_receipts, reminder_seconds=self.settings.report_reminder_seconds,
        )


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


def _collaborators(deployment: Deployment, pepper: bytes) -> list[CollaboratorRecord]:
    """Their accounts as keyed handles (keyed once more than a chat's: storage/collaborators.py says why); each
    private chat (a Telegram user's is their user id) kept sealed."""
    found = []
    for c in deployment.collaborators:
        telegram = str(c.telegram_user_id) if c.telegram_user_id else None
        accounts = [(Channel.TELEGRAM, telegram), (Channel.ZALO, c.zalo_user_id)]
        identities = [
            Identity(channel.value, collaborator_handle(pepper, keyed_handle(pepper, channel, account)), account)
            for channel, account in accounts
            if account
        ]
        found.append(CollaboratorRecord(c.name, c.commune, c.village, identities))
    return found


async def build_core(settings: Settings, *, demo: bool) -> Core:
    """The bot process: the deployment file's units, officers, contacts and rosters written to the database.

    ``demo`` (the terminal demo): without MASTER_KEYS and PSEUDONYM_PEPPER it runs on its own database with
    generated keys (bot/secrets_setup.py); anything else without them stops with MissingSecrets."""
    core = await open_core(demo_settings(settings) if demo else settings)
    await sync_deployment(core)
    return core


async def sync_deployment(core: Core) -> None:
    """The deployment file's directory, collaborators and rosters, written where they changed."""
    async with core.db.exclusive(DIRECTORY_SYNC_LOCK) as session:  # several workers may start at once
        await sync_directory(session, core.vault, *_directory(core.deployment, core.pepper), _contacts(core.deployment))
        await sync_collaborators(session, core.vault, _collaborators(core.deployment, core.pepper))
        await apply_migrations(session)  # a group Telegram moved stays followed until the file names it
        await sync_rosters(session, _rosters(core.deployment))


async def open_core(settings: Settings) -> Core:
    """The database as the bot process left it, for the commands beside it: secrets are required (checked
    before the database is touched) and the directory is not rewritten, so a running bot keeps recognising
    its officers whatever a command is run with."""
    deployment = load_deployment(settings.deployment_file, locale=settings.default_locale)
    ring, pepper = load_secrets(settings)
    await asyncio.to_thread(run_migrations, settings.database_url)
    db = Database(settings.database_url)
    vault = Vault(ring, keystore=FileKeyStore.open(settings.key_store_path))  # case keys: crypto-shredding survives backups
    limits = Limits(
        max_description_chars=settings.max_description_chars,
        max_photos=settings.max_photos_per_report,
        max_photo_bytes=settings.max_photo_bytes,
        max_voice_bytes=settings.max_voice_bytes,
    )
    services = Services(
        db=db, vault=vault, fallback_unit=deployment.fallback_unit, alert_locale=settings.default_locale, limits=limits,
        policies={u.code: deployment.policy(u.policy) for u in deployment.units},
        online_unit=deployment.online_content_unit, report_periods=deployment.report_data_period,
        report_calendar=deployment.schedules(),
        abuse=AbuseLimits(
            max_messages=settings.abuse_max_messages,
            message_window_seconds=settings.abuse_message_window_seconds,
            max_reports_per_day=settings.abuse_max_reports_per_day,
            flood_new_reporters=settings.abuse_flood_new_reporters,
            flood_window_minutes=settings.abuse_flood_window_minutes,
            duplicate_window_hours=settings.abuse_duplicate_window_hours,
        ),
        counter=make_counter(settings.redis_url, prefix=settings.redis_prefix),
        web_base_url=settings.web_base_url.strip(), web_link_minutes=settings.web_link_minutes, pepper=pepper,
    )
    services.report_maker = functools.partial(_report_file, services)
    officers = OfficerActions(services)
    shared = settings.redis_url.strip()  # several workers: one reporter's messages in order across all of them
    locks = RedisLocks.connect(shared, prefix=settings.redis_prefix) if shared else LocalLocks()
    conversation = ReportConversation(services, officer_desk=officers.typed, locks=locks)
    return Core(settings, deployment, db, services, conversation, officers, pepper, vault)


async def _report_file(services: Services, unit: str, period: str, fmt: str = "xlsx") -> tuple[bytes, str, str]:
    """/baocao's file; its charts and workbook libraries load on first use, not at every start."""
    from bot.report_files import report_file

    return await report_file(services, unit_code=unit, period=period, fmt=fmt)


def retention_of(settings: Settings) -> Retention:
    return Retention.from_days(
        unfounded=settings.retention_days_unfounded,
        duplicate=settings.retention_days_duplicate,
        handled=settings.retention_days_handled,
        drafts=settings.retention_days_drafts,
    )
