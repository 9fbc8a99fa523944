"""What duty officers see: the alert card (no narrative, no reporter) and the private details message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.i18n import t
from handlers.links import defang
from handlers.messages import Channel, Choice, Outbound
from handlers.places import place_by_code
from handlers.rules.deadlines import deadline_of, reached
from handlers.rules.policy import Track
from storage.models import Case, CaseStatus

__all__ = ["ACK", "VIEW", "alert_card", "clock_line", "details_message", "duration_text", "local_time"]

ACK = "ack"
VIEW = "view"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def duration_text(locale: str, span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return t(locale, "clock.hours_minutes", hours=hours, minutes=minutes) if hours else t(locale, "clock.minutes", minutes=minutes)


def clock_line(locale: str, case: Case, now: datetime) -> str | None:
    """The Decree-56 clock the case is running against: assessment (12 h), then the plan (5 working days)."""
    for track, milestone in ((Track.ASSESSMENT, CaseStatus.ASSESSED), (Track.PLAN, CaseStatus.PLAN_DRAFTED)):
        if reached(case.status, milestone):
            continue
        due = deadline_of(case, track)
        what = t(locale, f"clock.{track}")
        if due <= now:
            return t(locale, "clock.overdue", what=what, due=local_time(due), late=duration_text(locale, now - due))
        return t(locale, "clock.left", what=what, due=local_time(due), left=duration_text(locale, due - now))
    return None


def _place_line(locale: str, case: Case) -> str:
    place = place_by_code(case.place_code) if case.place_code else None
    return t(locale, "alert.place", value=place.label) if place else t(locale, "alert.place_unknown")


def alert_card(
    locale: str, case: Case, *, now: datetime, taken_by: str | None = None, header: str | None = None, buttons: bool = True
) -> Outbound:
    """``header`` says why this copy was sent (an escalation step); ``buttons`` is off for people outside
    the officer list, who are told but cannot act."""
    lines = [
        *([header] if header else []),
        t(locale, "alert.title", code=case.code),
        t(locale, "alert.urgent" if case.urgent else "alert.normal"),
        *([t(locale, "alert.child_self")] if case.reporter_kind == "child" else []),
        *([t(locale, "alert.from_collaborator")] if case.reporter_kind == "collaborator" else []),  # the source, never who
        *([t(locale, "alert.via_web")] if case.channel == Channel.WEB else []),  # no chat app to look the reporter up in
        t(locale, "alert.category", value=t(locale, f"step.category.{case.category}")),
        _place_line(locale, case),
        t(locale, "alert.age", value=t(locale, f"step.age_band.{case.age_band}")),
        t(locale, "alert.sex", value=t(locale, f"step.sex.{case.sex}")),
        t(locale, "alert.received", value=local_time(case.received_at)),
    ]
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.ACKNOWLEDGED):  # the card follows the case
        lines.append(t(locale, "officer.details_status", value=t(locale, f"status.{case.status}")))
    if case.status != CaseStatus.CLOSED and (clock := clock_line(locale, case, now)) is not None:
        lines.append(clock)
    choices = [Choice(f"{VIEW}:{case.code}", t(locale, "alert.view"))]
    if taken_by is None:
        choices.insert(0, Choice(f"{ACK}:{case.code}", t(locale, "alert.ack")))
    elif case.acknowledged_at is not None:
        lines.append(t(locale, "alert.acknowledged", name=taken_by, at=local_time(case.acknowledged_at)))
    return Outbound("\n".join(lines), tuple(choices) if buttons else ())


def details_message(
    locale: str, case: Case, body: dict[str, Any], attachments: list[str], *, now: datetime, actions: tuple[Choice, ...] = ()
) -> Outbound:
    yes_no = t(locale, "step.review.yes" if case.contact_allowed else "step.review.no")
    card = alert_card(locale, case, now=now).text.split("\n", 1)[1]
    lines = [t(locale, "officer.details_title", code=case.code), card]
    if case.status in (CaseStatus.RECEIVED, CaseStatus.ACKNOWLEDGED):  # otherwise the card part says it
        lines.append(t(locale, "officer.details_status", value=t(locale, f"status.{case.status}")))
    lines.append(t(locale, "officer.details_relation", value=t(locale, f"step.relation.{body['relation']}")))
    if pin := body.get("pin"):
        lines.append(t(locale, "officer.details_pin", lat=f"{pin[0]:.5f}", lon=f"{pin[1]:.5f}"))
    if body.get("address"):
        lines.append(t(locale, "officer.details_address", value=body["address"]))
    if body.get("description"):
        lines.append(t(locale, "officer.details_description", value=body["description"]))
    if body.get("online_link"):  # shown defanged: nobody taps it by mistake, no app fetches a preview
        platform = t(locale, f"step.online_platform.{body.get('online_platform') or 'other'}")
        lines.append(t(locale, "officer.details_online_link", link=defang(body["online_link"]), platform=platform))
    lines.append(t(locale, "officer.details_contact", value=yes_no))
    if body.get("danger_words"):
        lines.append(t(locale, "officer.details_danger_words"))
    if attachments:
        lines.append(t(locale, "officer.details_attachments", count=len(attachments)))
    return Outbound("\n".join(lines), actions, attachments=tuple(attachments))
