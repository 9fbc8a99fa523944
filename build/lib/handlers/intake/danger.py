"""Recognises words that mean danger now in free text, with or without Vietnamese diacritics."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from handlers.places import normalize

__all__ = ["danger_phrases", "mentions_danger"]

_DATA = Path(__file__).with_name("danger_words.toml")


@cache
def danger_phrases() -> tuple[str, ...]:
    with _DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(unicodedata.normalize("NFC", p).lower() for phrases in data.values() for p in phrases)


def _words(text: str) -> str:
    """Lowercase words separated by single spaces, diacritics kept."""
    return " ".join(re.sub(r"[^\w']+", " ", unicodedata.normalize("NFC", text).lower()).split())


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def whole(phrases: set[str]) -> re.Pattern[str]:
        return re.compile(r"(?:^| )(?:" + "|".join(re.escape(p) for p in sorted(phrases)) + r")(?: |$)")

    return whole({_words(p) for p in danger_phrases()}), whole({normalize(p) for p in danger_phrases()})


def mentions_danger(text: str) -> bool:
    accented, plain = _patterns()
    words = _words(text[:5000])
    if normalize(words) != words:  # diacritics were typed: they disambiguate, so use them
        return accented.search(words) is not None
    return plain.search(words) is not None
