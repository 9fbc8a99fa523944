"""Every catalog has every key, uses the same placeholders, and holds no key the code never asks for."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.cli.exits import EXIT_CODES
from bot.cli.main import COMMANDS
from handlers.i18n import LOCALES, catalog_ids, fluent_id, t
from handlers.intake.all_flows import STEPS
from handlers.intake.flows import StepKind
from handlers.intake.online_flow import ONLINE_CATEGORY
from handlers.intake.report_flow import CATEGORIES
from handlers.learn.pieces import AUDIENCES, learn_file, learn_text, pieces
from handlers.officers.assessment import FINDINGS
from handlers.officers.desk import INPUT_ACTIONS
from handlers.officers.timeline import TIMELINE_REASONS
from handlers.officers.workflow import STATUS_ACTIONS
from handlers.rules.outcomes import OUTCOMES
from handlers.rules.policy import WAIT_ERRORS, Target, Track
from handlers.rules.policy import StepKind as EscalationStep
from handlers.rules.roster import ShiftSource
from handlers.statistics.forms import ART4_FORMS, SPECIAL_GROUPS, UNCLASSIFIED
from handlers.statistics.report import SUMMARY
from storage.backup import ERRORS as BACKUP_ERRORS
from storage.models import CaseStatus, EventKind, MessageDirection

ROOT = Path(__file__).resolve().parents[2]
_LITERAL = re.compile(r"""["']([a-z_]+(?:\.[a-z0-9_-]+)+)["']""")


def _dynamic_keys() -> set[str]:
    """Keys the code builds from flow data rather than writing out."""
    keys = {f"step.category.{c}" for c in (*CATEGORIES, "unknown", ONLINE_CATEGORY)} | {"step.relation.self"}
    for step in STEPS.values():
        keys.add(f"step.{step.name}.prompt")
        keys |= {f"step.{step.name}.{o}" for o in step.options}
        if step.kind is StepKind.PLACE:
            keys |= {f"step.{step.name}.{k}" for k in ("after_pin", "no_match", "unknown")}
        if step.kind is StepKind.PLACE_CONFIRM:
            keys.add(f"step.{step.name}.retype")
    review_rows = ("relation", "category", "age_band", "sex", "danger", "setting", "place", "pin", "address", "description")
    keys |= {f"step.review.{k}" for k in (*review_rows, "photos", "contact", "yes", "no", "none", "unknown_place")}
    keys |= {f"status.{s}" for s in CaseStatus} | {f"officer.to.{s}" for s in STATUS_ACTIONS.values()}
    keys |= {f"clock.{t}" for t in (Track.ASSESSMENT, Track.PLAN, Track.SEPARATION)}
    keys |= {f"roster.source.{s}" for s in ShiftSource} | {"roster.kind.leave", "roster.kind.cover"}
    keys |= {f"event.{k}" for k in EventKind} | {f"desk.message.{d}" for d in MessageDirection} | {f"outcome.{o}" for o in OUTCOMES}
    keys |= {f"timeline.track.{t}" for t in Track} | {f"timeline.target.{t}" for t in Target}
    keys |= {f"timeline.sent.{k}" for k in (*EscalationStep, "alert_again")} | {f"timeline.reason.{r}" for r in TIMELINE_REASONS}
    keys |= {f"admin.{e}" for e in WAIT_ERRORS} | {f"backup.error.{e}" for e in BACKUP_ERRORS}
    keys |= {f"desk.prompt.{a}" for a in INPUT_ACTIONS} | {f"desk.choose.{a}" for a in ("assign", "close")}
    keys |= {"desk.done.note", "desk.done.ask"} | {f"web.hint.{a}" for a in INPUT_ACTIONS}
    keys |= {f"cli.help.{c}" for c in COMMANDS} | set(EXIT_CODES.values())
    keys |= {f"web.roster.kind_{k}" for k in ("leave", "cover")} | {f"web.roster.from_{s}" for s in ("file", "cli", "web")}
    keys |= {f"special.{g}" for g in SPECIAL_GROUPS} | {f"form.{f}" for f in (*ART4_FORMS, UNCLASSIFIED)}
    keys |= {f"assess.choice.{f}" for f in FINDINGS} | {f"report.sum.{code}" for code in SUMMARY}
    keys |= {f"doc.section.{k}" for k in ("difficulties", "recommendations")}
    return keys


def _literal_keys(known_sections: set[str]) -> set[str]:
    found: set[str] = set()
    for folder, pattern in (("bot", "*.py"), ("handlers", "*.py"), ("bot/web/templates", "*.html")):
        for path in (ROOT / folder).rglob(pattern):
            found |= {
                k for k in _LITERAL.findall(path.read_text())
                # not a template's name, nor a prefix the template completes ("web.roster.kind_" ~ kind)
                if k.split(".")[0] in known_sections and not k.endswith((".html", "_"))
            }
    return found


def test_catalogs_have_the_same_keys() -> None:
    vi, en = catalog_ids("vi"), catalog_ids("en")
    assert vi - en == set(), "missing in English"
    assert en - vi == set(), "missing in Vietnamese"


def test_no_key_is_missing_or_unused() -> None:
    catalog = catalog_ids("vi")
    sections = {k.split("-")[0] for k in catalog}
    used = {fluent_id(k) for k in _literal_keys(sections) | _dynamic_keys()}
    assert used - catalog == set(), "asked for by the code but absent from the catalogs"
    assert catalog - used == set(), "in the catalogs but never used"


@pytest.mark.parametrize("message_id", sorted(catalog_ids("vi")))
def test_placeholders_agree_across_languages(message_id: str) -> None:
    source = {loc: (ROOT / "locales" / f"{loc}.ftl").read_text(encoding="utf-8") for loc in LOCALES}

    def placeholders(text: str) -> set[str]:
        block = re.search(rf"^{re.escape(message_id)} =(.*?)(?=^\S|\Z)", text, re.M | re.S)
        assert block is not None
        return set(re.findall(r"\{ \$(\w+) \}", block.group(1)))

    assert placeholders(source["vi"]) == placeholders(source["en"])


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("vi", "no.such.key")


def test_learn_pieces_are_complete_in_every_language_and_name_their_source() -> None:
    """locales/learn.<lang>.toml: the same pieces, audiences and number of messages, the same labels with
    the same placeholders; each piece with a title, a source and short messages."""
    reference = {p.id: p for p in pieces("vi")}
    assert {p.audience for p in reference.values()} == set(AUDIENCES)
    ui = tomllib.loads(learn_file("vi").read_text(encoding="utf-8"))["ui"]
    for locale in LOCALES:
        found = {p.id: p for p in pieces(locale)}
        assert found.keys() == reference.keys(), locale
        for piece_id, piece in found.items():
            assert piece.audience == reference[piece_id].audience and len(piece.messages) == len(reference[piece_id].messages)
            assert piece.title and piece.source and 2 <= len(piece.messages) <= 5, (locale, piece_id)
            assert all(0 < len(m) <= 300 for m in piece.messages), (locale, piece_id)
        labels = tomllib.loads(learn_file(locale).read_text(encoding="utf-8"))["ui"]
        assert labels.keys() == ui.keys(), locale
        for key, text in labels.items():
            assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", ui[key])), (locale, key)
    assert "111" in learn_text("vi", "ending") and "111" in learn_text("en", "ending")
