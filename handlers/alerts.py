"""What duty officers see: the alert card (no narrative, no reporter) and the private details message."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.i18n import t
from handlers.messages import Choice, Outbound
from handlers.places import place_by_code
from storage.models import Case

__all__ = ["ACK", "VIEW", "alert_card", "details_message", "local_time"]

ACK = "ack"
VIEW = "view"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def _place_line(locale: str, case: Case) -> str:
    place = place_by_code(case.place_code) if case.place_code else None
    return t(locale, "alert.place", value=place.label) if place else t(locale, "alert.place_unknown")


def alert_card(locale: str, case: Case, *, taken_by: str | None = None) -> Outbound:
    lines = [
        t(locale, "alert.title", code=case.code),
        t(locale, "alert.urgent" if case.urgent else "alert.normal"),
        *([t(locale, "alert.child_self")] if case.reporter_kind == "child" else []),
        t(locale, "alert.category", value=t(locale, f"step.category.{case.category}")),
        _place_line(locale, case),
        t(locale, "alert.age", value=t(locale, f"step.age_band.{case.age_band}")),
        t(locale, "alert.sex", value=t(locale, f"step.sex.{case.sex}")),
        t(locale, "alert.received", value=local_time(case.received_at)),
    ]
    choices = [Choice(f"{VIEW}:{case.code}", t(locale, "alert.view"))]
    if taken_by is None:
        choices.insert(0, Choice(f"{ACK}:{case.code}", t(locale, "alert.ack")))
    elif case.acknowledged_at is not None:
        lines.append(t(locale, "alert.acknowledged", name=taken_by, at=local_time(case.acknowledged_at)))
    return Outbound("\n".join(lines), tuple(choices))


def details_message(locale: str, case: Case, body: dict[str, Any], attachments: list[str]) -> Outbound:
    yes_no = t(locale, "step.review.yes" if case.contact_allowed else "step.review.no")
    lines = [t(locale, "officer.details_title", code=case.code), alert_card(locale, case).text.split("\n", 1)[1]]
    lines.append(t(locale, "officer.details_relation", value=t(locale, f"step.relation.{body['relation']}")))
    if pin := body.get("pin"):
        lines.append(t(locale, "officer.details_pin", lat=f"{pin[0]:.5f}", lon=f"{pin[1]:.5f}"))
    if body.get("address"):
        lines.append(t(locale, "officer.details_address", value=body["address"]))
    if body.get("description"):
        lines.append(t(locale, "officer.details_description", value=body["description"]))
    lines.append(t(locale, "officer.details_contact", value=yes_no))
    if body.get("danger_words"):
        lines.append(t(locale, "officer.details_danger_words"))
    if attachments:
        lines.append(t(locale, "officer.details_attachments", count=len(attachments)))
    return Outbound("\n".join(lines), attachments=tuple(attachments))
