"""Before each due date of the reporting calendar the report's preparer is told privately, with the draft
document attached (DOCX; on Zalo, which cannot send files, the console link carries it) and a link to the
console's statistics page, where the written sections are typed. Once per report and due date: the reminder's
row (storage/report_texts.py claim_reminder) commits with its outbox rows, so two workers remind once."""

from __future__ import annotations

import logging
from urllib.parse import quote

from sqlmodel import col, select

from handlers.i18n import t
from handlers.messages import Outbound
from handlers.services import Services
from handlers.statistics.calendar import DueReport, reminders_due
from storage.models import Attachment, Officer, ReportReminder, Unit
from storage.outbox import enqueue
from storage.report_texts import claim_reminder
from storage.units import officer_addresses

__all__ = ["remind_preparers", "reminder_message", "stats_link"]

log = logging.getLogger(__name__)


def stats_link(services: Services, period_code: str) -> str:
    """The console's statistics page for the period ("" when the console is not set up)."""
    base = services.web_base_url.rstrip("/")
    return f"{base}/stats?period={quote(period_code)}" if base else ""


def reminder_message(services: Services, due: DueReport, unit_name: str, now_ended: bool) -> str:
    locale, period = services.alert_locale, due.period
    lines = [t(locale, "report.reminder", report=period.label(locale), unit=unit_name, due=f"{due.due:%d/%m/%Y}",
               dates=period.dates())]
    if not now_ended:
        lines.append(t(locale, "report.reminder_data_open"))
    if due.schedule.signer:
        lines.append(t(locale, "report.reminder_signer", signer=due.schedule.signer))
    if link := stats_link(services, period.code):
        lines.append(t(locale, "report.reminder_link", link=link))
    return "\n".join(lines)


async def _preparer(services: Services, due: DueReport) -> Officer | None:
    """The preparer, unless this reminder went already (a cheap look before the draft is drawn)."""
    key = (due.schedule.unit_code, due.period.code, due.due)
    async with services.db.session() as session:
        if await session.get(ReportReminder, key) is not None:
            return None
        query = select(Officer).where(
            col(Officer.unit_code) == due.schedule.unit_code, col(Officer.name) == due.schedule.preparer, col(Officer.active)
        )
        return (await session.exec(query)).first()


async def remind_preparers(services: Services) -> int:
    """Reminders whose time has come (handlers/statistics/calendar.py reminders_due), each once; returns how many."""
    now, told, locale = services.clock(), 0, services.alert_locale
    for due in reminders_due(services.report_calendar, now):
        officer = await _preparer(services, due)
        if officer is None:
            continue
        # charts and documents load when a reminder is due, not at every start
        from bot.report_files import report_file

        data, content_type, name = await report_file(
            services, unit_code=due.schedule.unit_code, period=due.period, fmt="docx", now=now,
        )
        async with services.db.transaction() as session:
            addresses = await officer_addresses(session, services.vault, officer.id)
            if not addresses:
                log.warning("report reminder for unit %s: its preparer has no private chat yet", due.schedule.unit_code)
                continue
            if not await claim_reminder(session, due.schedule.unit_code, due.period.code, due.due, now=now):
                continue  # another worker sent it
            unit = await session.get(Unit, due.schedule.unit_code)
            text = reminder_message(services, due, unit.name if unit else due.schedule.unit_code, due.period.end <= now)
            for channel, address in addresses:
                key_id = await services.vault.create_key(session)
                document = Attachment(key_id=key_id, content_type=content_type, size=len(data), data_ct=b"")
                document.data_ct = await services.vault.seal(session, key_id, ("attachment", "data_ct", document.id), data)
                session.add(document)
                await session.flush()
                message = Outbound(text, attachments=(document.id,))
                await enqueue(session, services.vault, key_id=key_id, channel=channel, address=address,
                              payload={**message.to_json(), "locale": locale}, purpose=name.rsplit(".", 1)[0])
            told += 1
    if told:
        services.wake_outbox()
    return told
