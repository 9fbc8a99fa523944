"""A case's timeline in plain words, in the reader's language: the one rendering of an event that the
chat's case page and the web console share.

Events keep a short machine detail written by whoever recorded them ("chain#0 alert: group",
"chain: acknowledged; 3 unsent", "assessment: met", "00070->00073", an outcome, a case code). Officers
read none of it as written: each known form becomes a sentence here, and a detail this module does not
recognise is left out rather than shown, so no internal token reaches an officer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from handlers.i18n import t
from handlers.rules.outcomes import OUTCOMES
from handlers.rules.policy import StepKind, Target, Track
from storage.models import CaseEvent, CaseStatus, EventKind

__all__ = ["COLLABORATOR_NAME", "TIMELINE_REASONS", "describe"]

COLLABORATOR_NAME = "collaborator:"  # names' key prefix for a collaborator's id (an officer's id is bare)

_STEP = re.compile(r"^(?P<track>\w+)#(?P<step>\d+) (?P<kind>\w+): (?P<targets>.+)$")  # escalation._notify
_SKIPPED_TARGET = re.compile(r"^(?P<target>\w+)\((?P<reason>\w+)\)$")
_ACKED = re.compile(r"^chain: acknowledged; (?P<unsent>\d+) unsent$")  # escalation.acknowledged
_MET = re.compile(r"^(?P<track>\w+): met$")  # escalation.stop_deadline
_IRRELEVANT = re.compile(r"^(?P<track>\w+): case is (?P<status>\w+)$")  # escalation._perform
_OVERDUE = re.compile(r"^(?P<track>\w+)#\d+$")  # auditor.page_overdue
_EXTENDED = re.compile(r"^separation extended (?P<days>\d+)d$")  # workflow.extend_separation
_TRANSFER = re.compile(r"^(?P<old>\d+)->(?P<new>\d+)$")  # desk._transfer
_CASE_CODE = re.compile(r"^TE-[A-Z0-9]+$")
_HELD = "chain: held, flood of new reporters"  # abuse: the card waits in the flood notice
_REFUSED = "chain: card refused, next step now"  # refusals._hasten_chain
TIMELINE_REASONS = (  # escalation._resolve: why a step reached nobody
    "no_duty_group", "no_parent_unit", "no_roster", "nobody_on_duty", "no_leader", "no_national_contact", "no_police_contact",
)


def _enum(kind: type, value: str) -> bool:
    return value in {member.value for member in kind}


def _track(locale: str, track: str) -> str:
    return t(locale, f"timeline.track.{track}") if _enum(Track, track) else t(locale, "timeline.track.other")


def _targets(locale: str, listed: str) -> str | None:
    names = [t(locale, f"timeline.target.{name}") for name in listed.split(", ") if _enum(Target, name)]
    return ", ".join(names) if names and len(names) == len(listed.split(", ")) else None


def _step_sent(locale: str, detail: str) -> str | None:
    found = _STEP.match(detail)
    if not found or not _enum(StepKind, found["kind"]) or (targets := _targets(locale, found["targets"])) is None:
        return None
    kind = found["kind"]
    if kind == StepKind.ALERT and found["step"] != "0":
        kind = "alert_again"  # nobody took it after the first card
    return t(locale, f"timeline.sent.{kind}", who=targets, what=_track(locale, found["track"]))


def _step_skipped(locale: str, detail: str) -> str | None:
    if detail.startswith(_HELD):
        return t(locale, "timeline.held")
    if detail == _REFUSED:
        return t(locale, "timeline.refused")
    found = _STEP.match(detail)
    if not found:
        return None
    parts = []
    for item in found["targets"].split(", "):
        target = _SKIPPED_TARGET.match(item)
        if not target or not _enum(Target, target["target"]) or target["reason"] not in TIMELINE_REASONS:
            return None
        name, reason = t(locale, f"timeline.target.{target['target']}"), t(locale, f"timeline.reason.{target['reason']}")
        parts.append(f"{name} ({reason})")
    return t(locale, "timeline.skipped", who=", ".join(parts))


def _step_cancelled(locale: str, detail: str) -> str | None:
    if found := _ACKED.match(detail):
        unsent = int(found["unsent"])
        return t(locale, "timeline.acked_unsent", count=unsent) if unsent else t(locale, "timeline.acked")
    if found := _MET.match(detail):
        return t(locale, "timeline.met", what=_track(locale, found["track"]))
    if (found := _IRRELEVANT.match(detail)) and _enum(CaseStatus, found["status"]):
        return t(locale, "timeline.stopped", what=_track(locale, found["track"]),
                 status=t(locale, f"status.{found['status']}"))
    return None


def _overdue(locale: str, detail: str) -> str | None:
    found = _OVERDUE.match(detail)
    return t(locale, "timeline.overdue", what=_track(locale, found["track"])) if found else None


def _status(locale: str, detail: str) -> str | None:
    if _enum(CaseStatus, detail):
        return t(locale, f"status.{detail}")
    found = _EXTENDED.match(detail)
    return t(locale, "timeline.extended", days=found["days"]) if found else None


def describe(locale: str, event: CaseEvent, *, names: Mapping[str, str], units: Mapping[str, str]) -> str:
    """What happened, then who did it ("Nhận xử lý — Nguyễn Thị Lan"); never the raw detail."""
    detail = event.detail or ""

    def officer(prefix: str) -> str | None:  # reassignments record the first characters of the id
        return next((name for key, name in names.items() if prefix and key.startswith(prefix)), None)

    def transferred(text: str) -> str | None:
        found = _TRANSFER.match(text)
        return t(locale, "timeline.transferred", old=units.get(found["old"], found["old"]),
                 new=units.get(found["new"], found["new"])) if found else None

    readers: dict[str, Callable[[str], str | None]] = {
        EventKind.STEP_SENT: lambda text: _step_sent(locale, text),
        EventKind.STEP_SKIPPED: lambda text: _step_skipped(locale, text),
        EventKind.STEP_CANCELLED: lambda text: _step_cancelled(locale, text),
        EventKind.OVERDUE_PAGED: lambda text: _overdue(locale, text),
        EventKind.STATUS_CHANGED: lambda text: _status(locale, text),
        EventKind.REASSIGNED: lambda text: t(locale, "timeline.reassigned", name=name) if (name := officer(text)) else None,
        EventKind.TRANSFERRED: transferred,
        EventKind.CLOSED: lambda text: t(locale, "timeline.closed", outcome=t(locale, f"outcome.{text}")) if text in OUTCOMES else None,
        EventKind.LINKED_DUPLICATE: lambda text: t(locale, "timeline.duplicate_of", code=text) if _CASE_CODE.match(text) else None,
        EventKind.SAME_CHILD_LINKED: lambda text: t(locale, "timeline.same_child", code=text) if _CASE_CODE.match(text) else None,
        EventKind.ASSESSMENT_RECORDED: lambda text: t(locale, "timeline.assessment",
                                                      finding=t(locale, "finding.unfounded" if text == "u" else "finding.confirmed")),
        EventKind.REPORTER_ADDED: lambda text: t(locale, "timeline.another_report", code=text) if _CASE_CODE.match(text) else None,
        EventKind.VISIT_REQUESTED: lambda text: t(locale, "timeline.visit", name=name)
        if (name := names.get(COLLABORATOR_NAME + text)) else None,
    }
    read = readers.get(event.kind)
    what = (read(detail) if read and detail else None) or t(locale, f"event.{event.kind}")
    who = names.get(event.officer_id or "", "")
    return f"{what} — {who}" if who else what
