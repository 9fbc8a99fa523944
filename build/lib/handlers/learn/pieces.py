"""The Learn pieces as data (locales/learn.<lang>.toml, beside the catalogs): texts, audiences, sources."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import locales
from handlers.i18n import DEFAULT_LOCALE, LOCALES, MissingText

__all__ = ["AUDIENCES", "Piece", "learn_file", "learn_text", "pieces", "pieces_for"]

AUDIENCES = ("child", "parent", "teacher")


@dataclass(frozen=True)
class Piece:
    id: str
    audience: str
    title: str
    source: str  # the published material the piece rests on, named in the file
    messages: tuple[str, ...]


def learn_file(locale: str) -> Path:
    return Path(locales.__file__).parent / f"learn.{locale}.toml"


@cache
def _load(locale: str) -> tuple[dict[str, str], tuple[Piece, ...]]:
    data = tomllib.loads(learn_file(locale).read_text(encoding="utf-8"))
    found = tuple(
        Piece(p["id"], p["audience"], p["title"], p["source"], tuple(p["messages"]))
        for p in data.get("pieces", [])
    )
    return dict(data["ui"]), found


def _locale(locale: str) -> str:
    return locale if locale in LOCALES else DEFAULT_LOCALE


def pieces(locale: str) -> tuple[Piece, ...]:
    return _load(_locale(locale))[1]


def pieces_for(locale: str, audience: str) -> tuple[Piece, ...]:
    return tuple(p for p in pieces(locale) if p.audience == audience)


def piece(locale: str, piece_id: str) -> Piece | None:
    return next((p for p in pieces(locale) if p.id == piece_id), None)


def learn_text(locale: str, key: str, **values: object) -> str:
    """A label of the Learn screens ([ui] in the file), with ``{name}`` placeholders filled."""
    ui = _load(_locale(locale))[0]
    if key not in ui:
        raise MissingText(f"learn.{key}")
    return ui[key].format(**values)
