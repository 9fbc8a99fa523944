"""What an operator's Prometheus reads at /metrics (docs/monitoring.md): counters kept in this process, and
the outbox and timer gauges computed from the database at each scrape.

One registry per core (never the global default), so several cores in one test process never share a
count. No label carries a person, a case code or a chat id: every label value goes through ``_label``,
which lets through only the values of a closed list and says "other" for anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import event, func
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, select

from handlers.escalation.cards import ALERT, DEADLINE, ESCALATION, NOTICE, PRIVATE_ALERT
from handlers.messages import Channel
from storage.db import Database
from storage.models import Case, CaseEvent, Escalation, EventKind, OutboxMessage, OutboxState, utcnow
from storage.models.delivery import EscalationState

__all__ = ["CONTENT_TYPE", "LABELS", "Backlog", "ChannelWatch", "Metrics", "backlog"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
CHANNELS = frozenset(c.value for c in Channel)
KINDS = frozenset({"text", "command", "photo", "voice", "location", "choice", "edited", "unreadable", "other"})
ALERT_PURPOSES = frozenset({ALERT, PRIVATE_ALERT, ESCALATION, NOTICE, DEADLINE})
REFUSALS = frozenset({"link_refused", "too_many", "csrf", "totp_wrong"})
URGENCY = frozenset({"urgent", "normal"})
# Every label value a scrape may show; the test of the labels checks a real scrape against it.
LABELS: dict[str, frozenset[str]] = {
    "channel": CHANNELS | {"other"},
    "kind": KINDS,
    "urgency": URGENCY,
    "purpose": ALERT_PURPOSES | {"other"},
    "reason": REFUSALS | {"other"},
}
ACK_BUCKETS = (60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600, 24 * 3600, 72 * 3600)
disable_created_metrics()  # no *_created series beside each counter: a restart shows as a reset either way
_PENDING = "cp_metrics_pending"  # session.info: what this transaction will count once it commits
_METRICS = "metrics"  # Database.info: the core's Metrics, for the session hooks below


def _label(name: str, value: object) -> str:
    text = str(getattr(value, "value", value))
    return text if text in LABELS[name] else "other"


def _urgency(urgent: bool) -> str:
    return "urgent" if urgent else "normal"


@dataclass
class Backlog:
    """The outbox and timers as the database has them now (ages in seconds, 0 when nothing waits)."""

    pending: int = 0
    oldest_pending_age: float = 0.0
    oldest_due_age: float = 0.0  # how long the longest-due row has been due and not sent
    stuck_channels: tuple[str, ...] = ()  # channels of rows due longer than the limit asked for
    timers_pending: int = 0
    timer_lateness: float = 0.0  # how long the most overdue timer step has been due


async def backlog(db: Database, now: datetime, *, stuck_after: float = 0.0) -> Backlog:
    """One read of the outbox and timer tables (counts and oldest times only: nothing sealed is opened)."""
    pending = col(OutboxMessage.state) == OutboxState.PENDING
    async with db.session() as session:
        count, oldest = (await session.exec(select(func.count(), func.min(OutboxMessage.created_at)).where(pending))).one()
        due = (await session.exec(
            select(func.min(OutboxMessage.next_attempt_at)).where(pending, col(OutboxMessage.next_attempt_at) <= now)
        )).one()
        stuck: list[str] = []
        if stuck_after > 0:
            query = select(OutboxMessage.channel).where(
                pending, col(OutboxMessage.next_attempt_at) <= now - timedelta(seconds=stuck_after)
            )
            stuck = sorted({_label("channel", c) for c in await session.exec(query.distinct())})
        waiting = col(Escalation.state) == EscalationState.PENDING
        timers, late = (await session.exec(
            select(func.count(), func.min(Escalation.due_at)).where(waiting, col(Escalation.due_at) <= now)
        )).one()

    def age(when: datetime | None) -> float:
        return max(0.0, (now - when).total_seconds()) if when is not None else 0.0

    return Backlog(int(count or 0), age(oldest), age(due), tuple(stuck), int(timers or 0), age(late))


@dataclass
class ChannelWatch:
    """When each channel this process runs last had a call to its platform succeed (monotonic seconds)."""

    last_ok: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def configure(self, channel: str) -> None:
        self.last_ok.setdefault(channel, 0.0)

    def ok(self, channel: str) -> None:
        self.last_ok[channel] = time.monotonic()

    def silent_for(self, channel: str) -> float:
        """Seconds since the last success (since this process started, if none yet)."""
        return time.monotonic() - max(self.last_ok.get(channel, 0.0), self.started)


class Metrics:
    def __init__(self) -> None:
        self.registry = r = CollectorRegistry(auto_describe=True)
        self.channels = ChannelWatch()
        self.updates = Counter("cpbot_updates", "Updates handled, per channel and kind", ["channel", "kind"], registry=r)
        self.reports = Counter("cpbot_reports_opened", "Cases opened, per channel and urgency", ["channel", "urgency"], registry=r)
        self.alerts_sent = Counter("cpbot_alerts_sent", "Officer alerts delivered", ["channel", "purpose"], registry=r)
        self.alerts_failed = Counter("cpbot_alerts_failed", "Officer alerts refused for good", ["channel", "purpose"], registry=r)
        self.alerts_retried = Counter("cpbot_alerts_retried", "Officer alerts to be tried again", ["channel", "purpose"], registry=r)
        self.ack = Histogram(
            "cpbot_time_to_acknowledge_seconds", "From a report received to an officer taking it", ["urgency"],
            buckets=ACK_BUCKETS, registry=r,
        )
        self.floods_held = Counter("cpbot_floods_held", "Reports held without a card during a flood of new reporters", registry=r)
        self.zalo_unreadable = Counter(
            "cpbot_zalo_unreadable", "Zalo messages whose words Zalo withheld (message.unsupported.received)", registry=r
        )
        self.signins = Counter("cpbot_console_signins", "Console sign-ins that opened a session", registry=r)
        self.refusals = Counter("cpbot_console_refusals", "Console sign-in steps refused", ["reason"], registry=r)
        self.outbox_pending = Gauge("cpbot_outbox_pending", "Outbox rows waiting to be sent", registry=r)
        self.outbox_age = Gauge("cpbot_outbox_oldest_pending_age_seconds", "Age of the oldest waiting outbox row", registry=r)
        self.outbox_due = Gauge("cpbot_outbox_oldest_due_seconds", "How long the longest-due outbox row has been due", registry=r)
        self.timers_due = Gauge("cpbot_timers_due", "Timer steps due and not yet performed", registry=r)
        self.timer_late = Gauge("cpbot_timer_lateness_seconds", "How long the most overdue timer step has been due", registry=r)
        self.channel_silence = Gauge(
            "cpbot_channel_silence_seconds", "Seconds since this process's last successful call to the platform",
            ["channel"], registry=r,
        )
        self.scrape_errors = Counter("cpbot_scrape_errors", "Scrapes whose database read failed", registry=r)
        for channel in (Channel.TELEGRAM, Channel.ZALO, Channel.WEB):  # series exist at 0, so rates and alerts work at once
            for urgency in sorted(URGENCY):
                self.reports.labels(channel.value, urgency)
        for urgency in sorted(URGENCY):
            self.ack.labels(urgency)
        for reason in sorted(REFUSALS):
            self.refusals.labels(reason)
        for channel in (Channel.TELEGRAM, Channel.ZALO):
            for purpose in sorted(ALERT_PURPOSES):
                for counter in (self.alerts_sent, self.alerts_failed, self.alerts_retried):
                    counter.labels(channel.value, purpose)

    # --- what the code counts ------------------------------------------------------------------
    def update(self, channel: str, kind: str) -> None:
        self.updates.labels(_label("channel", channel), _label("kind", kind)).inc()

    def alert(self, outcome: str, channel: str, purpose: str) -> None:
        if purpose not in ALERT_PURPOSES:
            return
        counter = {"sent": self.alerts_sent, "failed": self.alerts_failed, "retried": self.alerts_retried}[outcome]
        counter.labels(_label("channel", channel), _label("purpose", purpose)).inc()

    def refused(self, reason: str) -> None:
        self.refusals.labels(_label("reason", reason)).inc()

    def attach(self, db: Database) -> None:
        """Cases opened, acknowledged and held are counted when their transaction commits (see ``_flushed``)."""
        db.info[_METRICS] = self

    # --- a scrape ------------------------------------------------------------------------------
    async def render(self, db: Database, now: datetime | None = None) -> bytes:
        try:
            state = await backlog(db, now or utcnow())
        except Exception:  # noqa: BLE001 - the counters are still worth reading; /readyz names the database
            self.scrape_errors.inc()
        else:
            self.outbox_pending.set(state.pending)
            self.outbox_age.set(state.oldest_pending_age)
            self.outbox_due.set(state.oldest_due_age)
            self.timers_due.set(state.timers_pending)
            self.timer_late.set(state.timer_lateness)
        for channel in list(self.channels.last_ok):
            self.channel_silence.labels(_label("channel", channel)).set(self.channels.silent_for(channel))
        return generate_latest(self.registry)


# --- counting at commit: the ORM's view of what a transaction wrote ------------------------------
Count = Callable[["Metrics"], None]


def _observed(session: Session) -> list[Count] | None:
    return session.info.setdefault(_PENDING, []) if _METRICS in session.info else None


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    pending = _observed(session)
    if pending is None:
        return
    for obj in list(session.new):
        if not isinstance(obj, CaseEvent):
            continue
        case = session.identity_map.get(identity_key(Case, obj.case_id))
        if obj.kind == EventKind.RECEIVED and case is not None:
            channel, urgency = _label("channel", case.channel), _urgency(case.urgent)
            pending.append(lambda m, c=channel, u=urgency: m.reports.labels(c, u).inc())
        elif obj.kind == EventKind.ACKNOWLEDGED and case is not None and case.acknowledged_at is not None:
            waited = max(0.0, (case.acknowledged_at - case.received_at).total_seconds())
            urgency = _urgency(case.urgent)
            pending.append(lambda m, w=waited, u=urgency: m.ack.labels(u).observe(w))
        elif obj.kind == EventKind.STEP_SKIPPED and (obj.detail or "").startswith("chain: held"):
            pending.append(lambda m: m.floods_held.inc())


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    metrics = session.info.get(_METRICS)
    for count in session.info.pop(_PENDING, []):
        count(metrics)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)

