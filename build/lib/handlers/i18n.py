"""User-facing text from Fluent catalogs (locales/<lang>.ftl), Vietnamese first, English complete.

Fluent rather than gettext: messages have stable ids instead of English source strings (so Vietnamese
can lead), variables are named, and a translator edits one plain file per language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast, parse

import locales

__all__ = ["DEFAULT_LOCALE", "LOCALES", "KeyedError", "KeyedLookupError", "MissingText", "catalog_ids", "fluent_id", "for_channel", "pick_locale", "t"]

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
_DIR = Path(locales.__file__).parent

# Texts that tell a person what to do where a channel cannot do it: Zalo bots get no location, show no
# buttons (numbered lists instead), cannot delete messages and cannot send photos or files.
_CHANNEL_KEYS = {
    "zalo": {
        "step.place.prompt": "step.place.prompt_zalo",
        "step.child_place.prompt": "step.child_place.prompt_zalo",
        "input.unsupported": "input.unsupported_zalo",
        "input.choose_button": "input.choose_button_zalo",
        "child.contact_yes": "child.contact_yes_zalo",
        "child.contact_no": "child.contact_no_zalo",
        "officer.details_sent": "officer.details_sent_zalo",
        "roster.handoff_open": "roster.handoff_open_zalo",
    },
}


class MissingText(KeyError):
    """A key absent from a catalog: a bug the catalog tests catch, never silently shown as an id."""


@cache
def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)  # no invisible bidi marks around values
    bundle.add_resource(FluentResource((_DIR / f"{locale}.ftl").read_text(encoding="utf-8")))
    return bundle


def fluent_id(key: str) -> str:
    """The code's dotted key ("step.place.prompt") as a Fluent message id ("step-place-prompt")."""
    return key.replace(".", "-")


def catalog_ids(locale: str) -> set[str]:
    """Message ids of a catalog (Fluent form; compare with ``fluent_id`` of the code's keys)."""
    resource = parse((_DIR / f"{locale}.ftl").read_text(encoding="utf-8"))
    return {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}


def for_channel(key: str, channel: str) -> str:
    """The key of the text that holds on ``channel`` (a Channel value): its own where the usual one
    would name something the channel lacks, else the usual one."""
    return _CHANNEL_KEYS.get(channel, {}).get(key, key)


def t(locale: str, key: str, **values: object) -> str:
    bundle = _bundle(locale if locale in LOCALES else DEFAULT_LOCALE)
    message = bundle.get_message(fluent_id(key)) if bundle.has_message(fluent_id(key)) else None
    if message is None or message.value is None:
        raise MissingText(key)
    text, errors = bundle.format_pattern(message.value, {k: str(v) for k, v in values.items()})
    if errors:
        raise MissingText(f"{key}: {errors[0]}")
    return str(text)


def pick_locale(hint: str | None) -> str:
    return "en" if hint and hint.lower().startswith("en") else DEFAULT_LOCALE


class KeyedError(ValueError):
    """An error meant for a person: a catalog key and its values, said in the language of whoever is shown
    it (``text(locale)``), so an English sentence never lands inside a Vietnamese one. ``str()`` is the
    English text, for logs and for callers that only know ValueError."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, locale: str) -> str:
        return t(locale, self.key, **self.values)

    def __str__(self) -> str:
        return self.text("en")


class KeyedLookupError(KeyedError, LookupError):
    """A KeyedError for something asked for that does not exist (a unit, a case): still a LookupError."""
