"""User-facing text: every string lives in locales/<lang>.toml, Vietnamese first, English complete."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import locales

__all__ = ["LOCALES", "DEFAULT_LOCALE", "pick_locale", "t"]

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
_DIR = Path(locales.__file__).parent


def _flatten(prefix: str, table: dict[str, Any], into: dict[str, str]) -> dict[str, str]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(f"{name}.", value, into)
        else:
            into[name] = str(value)
    return into


@cache
def catalog(locale: str) -> dict[str, str]:
    with (_DIR / f"{locale}.toml").open("rb") as handle:
        return _flatten("", tomllib.load(handle), {})


def t(locale: str, key: str, **values: object) -> str:
    """The text for ``key``; a key missing from a locale is a bug that tests catch, not a fallback."""
    text = catalog(locale if locale in LOCALES else DEFAULT_LOCALE)[key]
    return text.format(**values) if values else text


def pick_locale(hint: str | None) -> str:
    return "en" if hint and hint.lower().startswith("en") else DEFAULT_LOCALE
