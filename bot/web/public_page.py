"""How the web chat's page is drawn: the engine's messages as HTML (numbers as tel: links, a case code and
secret easy to copy), its style and one optional script inline under hashes the CSP names, nothing from elsewhere."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from handlers.follow_up.relay import DONE as ADDED
from handlers.i18n import t
from handlers.images import PHOTO_TYPES
from handlers.intake.prompts import DONE
from handlers.messages import Choice, Outbound
from handlers.places import Place

__all__ = ["FAVICON", "Shown", "csp", "render_page", "shown"]

_HERE = Path(__file__).parent
CSS = (_HERE / "public" / "chat.css").read_text().strip()
JS = (_HERE / "public" / "chat.js").read_text().strip()
FAVICON = (_HERE / "public" / "favicon.svg").read_bytes()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def csp(exit_url: str) -> str:
    """Only our own inline style and script (by hash); forms post to us alone, and the quick exit's redirect
    may only lead to the neutral site; never inside a frame."""
    parts = urlsplit(exit_url)
    return (
        f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}; img-src 'self'; connect-src 'self'; "
        f"form-action 'self' {parts.scheme}://{parts.netloc}; frame-ancestors 'none'; base-uri 'none'"
    )


_NUMBERS = re.compile(r"(?<!\d)(111|113|115)(?!\d)")
_KEYS = re.compile(r"(?<![\w-])(TE-[A-Z0-9]{5}|\d{4}-\d{4}-\d{2})(?![\w-])")  # a case code, a follow-up secret


@dataclass(frozen=True)
class Shown:
    html: Markup
    choices: tuple[Choice, ...]
    note: bool  # came outside a reply (an officer's question)
    receipt: bool


def _html(text: str) -> Markup:
    escaped = str(escape(text))
    escaped = _KEYS.sub(r'<b class="k">\1</b>', escaped)
    escaped = _NUMBERS.sub(r'<a href="tel:\1">\1</a>', escaped)
    return Markup("".join(f"<p>{part}</p>" for part in escaped.split("\n\n") if part.strip()))


def shown(data: dict[str, Any], locale: str) -> Shown:
    """``data`` as stored (``Outbound.to_json``); the lock-screen header the engine puts first is for chat
    apps' previews and is left out here."""
    message = Outbound.from_json(data)
    text = message.text
    header = t(locale, "discreet.header")
    if text.startswith(header + "\n"):
        text = text[len(header) + 1:]
    return Shown(_html(text), message.choices, bool(data.get("note")), bool(_KEYS.search(text) and "TE-" in text))


@functools.cache
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(["html"]))


def render_page(messages: list[Shown], *, locale: str, token: str, title: str, exit_url: str, max_chars: int,
                at_menu: bool, preset: Place | None = None) -> str:
    """``preset``: the commune a poster's QR code named (``/?xa=CODE``), offered when the place is asked."""
    call = _html(t(locale, "webchat.call"))
    last_has_buttons = bool(messages and messages[-1].choices)
    asks_place = last_has_buttons and any(c.value.endswith("place:unknown") for c in messages[-1].choices)
    takes_photo = any(c.value in (DONE, ADDED) for m in messages for c in m.choices)  # the photo step, or a note after it
    return _templates().get_template("public_chat.html").render(
        _=functools.partial(t, locale), locale=locale, messages=messages, token=token, title=title, exit_url=exit_url,
        max_chars=max_chars, at_menu=at_menu, focus=not last_has_buttons, receipt=any(m.receipt for m in messages),
        call=Markup(str(call).removeprefix("<p>").removesuffix("</p>")), css=Markup(CSS), js=Markup(JS),
        preset=preset, suggest=preset if asks_place else None, photo_types=",".join(sorted(PHOTO_TYPES)) if takes_photo else "",
    )
