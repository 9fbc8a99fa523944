"""The bot tells its administrators when it is itself unwell (docs/monitoring.md): the outbox stuck, a channel
unreachable, the timers late. Through another way than the one that failed — e-mail (SMTP), or the other
bot — and at most once per condition every WATCHDOG_REPEAT_MINUTES, which the database keeps, so that
several workers and a restart never say it twice. The messages name the problem only, never a case or a person.

It also keeps each channel's "last successful call" fresh where nothing else would: a quiet webhook worker
calls no API for hours, so every check asks the platform who the bot is (getMe) when it has been silent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING

from bot.probes import check_readiness
from handlers.i18n import t
from handlers.messages import Channel
from storage.models import utcnow
from storage.watchdog import claim_alert, release_alert

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

__all__ = ["EMAIL", "Route", "Watchdog", "chat_route", "email_route"]

log = logging.getLogger(__name__)

EMAIL = "email"
CHANNEL_NAMES = {Channel.TELEGRAM.value: "Telegram", Channel.ZALO.value: "Zalo"}
ORDER = (EMAIL, Channel.ZALO.value, Channel.TELEGRAM.value)  # e-mail first: no chat outage takes it down


@dataclass(frozen=True)
class Route:
    """One way to reach the administrators; ``send(subject, text)`` raises when nobody could be reached."""

    way: str  # "email", "telegram" or "zalo"
    send: Callable[[str, str], Awaitable[None]]


def email_route(settings: Settings) -> Route | None:
    """SMTP_HOST and WATCHDOG_EMAIL_TO set: a plain-text e-mail (STARTTLS, implicit TLS, or none for a local relay)."""
    to = [a.strip() for a in settings.watchdog_email_to.split(",") if a.strip()]
    if not settings.smtp_host.strip() or not to:
        return None

    def deliver(subject: str, text: str) -> None:
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = subject, settings.smtp_from or to[0], ", ".join(to)
        message.set_content(text)
        context = ssl.create_default_context()
        host, port = settings.smtp_host.strip(), settings.smtp_port
        smtp_class = smtplib.SMTP_SSL if settings.smtp_security == "tls" else smtplib.SMTP
        kwargs = {"context": context} if settings.smtp_security == "tls" else {}
        with smtp_class(host, port, timeout=20, **kwargs) as smtp:  # type: ignore[arg-type]
            if settings.smtp_security == "starttls":
                smtp.starttls(context=context)
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)

    async def send(subject: str, text: str) -> None:
        await asyncio.to_thread(deliver, subject, text)

    return Route(EMAIL, send)


def chat_route(way: str, addresses: list[str], post: Callable[[str, str], Awaitable[object]]) -> Route | None:
    """The administrators' private chats on one bot; reached when at least one of them got it."""
    if not addresses:
        return None

    async def send(_subject: str, text: str) -> None:
        reached = 0
        for address in addresses:
            try:
                await post(address, text)
                reached += 1
            except Exception as exc:  # noqa: BLE001 - the next administrator, then the next route
                log.warning("watchdog: an administrator's %s chat refused (%s)", way, type(exc).__name__)
        if not reached:
            raise ConnectionError(f"no administrator reached on {way}")

    return Route(way, send)


Probe = Callable[[], Awaitable[object]]


class Watchdog:
    def __init__(
        self, core: Core, routes: list[Route], *, probes: dict[str, Probe] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``probes``: per channel, a cheap call (getMe) made when that channel has been silent a while."""
        self.core, self.clock = core, clock
        self.routes = sorted(routes, key=lambda r: ORDER.index(r.way) if r.way in ORDER else len(ORDER))
        self.probes = probes or {}

    @property
    def settings(self) -> Settings:
        return self.core.settings

    async def probe(self) -> None:
        """Calls each channel that had no successful call for a check's interval (the call itself marks it)."""
        quiet = max(self.settings.watchdog_seconds, 1.0)
        for channel, call in self.probes.items():
            if self.core.metrics.channels.silent_for(channel) >= quiet:
                with contextlib.suppress(Exception):  # a failure is what /readyz and the check below report
                    await call()

    async def conditions(self) -> list[tuple[str, frozenset[str], str]]:
        """(condition, the ways that failed with it, the message) for each problem seen now."""
        s = self.settings
        found = await check_readiness(self.core.db, self.core.metrics, s)
        locale = s.default_locale
        problems = []
        for condition in found.failing:
            if condition == "outbox" and found.backlog is not None:
                minutes = round(found.backlog.oldest_due_age / 60)
                problems.append((condition, frozenset(found.backlog.stuck_channels), t(locale, "watchdog.outbox", minutes=minutes)))
            elif condition == "timers" and found.backlog is not None:
                minutes = round(found.backlog.timer_lateness / 60)
                problems.append((condition, frozenset(), t(locale, "watchdog.timers", minutes=minutes)))
            elif condition in CHANNEL_NAMES:
                minutes = round(self.core.metrics.channels.silent_for(condition) / 60)
                text = t(locale, "watchdog.channel", channel=CHANNEL_NAMES[condition], minutes=minutes)
                problems.append((condition, frozenset({condition}), text))
            # "database": nowhere to keep "told already"; the service manager's /readyz probe is the alarm
        return problems

    async def check_once(self) -> list[str]:
        """The conditions told to the administrators by this call."""
        told = []
        every = timedelta(minutes=self.settings.watchdog_repeat_minutes)
        locale = self.settings.default_locale
        for condition, failed, text in await self.conditions():
            routes = [r for r in self.routes if r.way not in failed]
            now = self.clock()
            async with self.core.db.transaction() as session:
                won, previous = await claim_alert(session, condition, now=now, every=every)
            if not won:
                continue
            if not routes:  # said in the log, as often as a message would be
                log.error("watchdog: %s, and no other way to tell the administrators is configured", condition)
                continue
            body = f"{text}\n\n{t(locale, 'watchdog.footer', every=round(every.total_seconds() / 60))}"
            if await self._tell(routes, t(locale, "watchdog.subject"), body):
                log.warning("watchdog: the administrators were told: %s", condition)
                told.append(condition)
            else:
                async with self.core.db.transaction() as session:
                    await release_alert(session, condition, claimed=now, previous=previous)
        return told

    async def _tell(self, routes: list[Route], subject: str, text: str) -> bool:
        for route in routes:
            try:
                await route.send(subject, text)
                return True
            except Exception as exc:  # noqa: BLE001 - then the next way
                log.error("watchdog: could not send by %s (%s)", route.way, type(exc).__name__)
        return False

    async def run_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.watchdog_seconds)
            try:
                await self.probe()
                await self.check_once()
            except Exception:  # the watchdog must outlive a database hiccup
                log.exception("watchdog check failed; it runs again at its next interval")
