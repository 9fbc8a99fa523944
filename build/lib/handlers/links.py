"""Web addresses in a report: found in what was typed, and shown defanged (hxxps://example[.]com) so
that no app turns them into a link to tap or a preview to fetch. The bot never opens them."""

from __future__ import annotations

import re

__all__ = ["defang", "find_link"]

# a scheme, "www.", or a dotted host followed by a path: enough to tell an address from a sentence
_LINK = re.compile(
    r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"']+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"']*", re.IGNORECASE
)
_SCHEME = re.compile(r"^(h)tt(ps?)(://)", re.IGNORECASE)


def find_link(text: str) -> str | None:
    """The first web address in ``text`` as typed (trailing punctuation dropped), or None."""
    found = _LINK.search(text)
    return found.group(0).rstrip(".,;:!?)»") if found else None


def defang(link: str) -> str:
    """hxxps://example[.]com/a.b — the host's dots bracketed, the scheme broken, the path left readable."""
    link = _SCHEME.sub(lambda m: f"{m.group(1)}xx{m.group(2)}{m.group(3)}", link)
    scheme, sep, rest = link.partition("://")
    if not sep:
        scheme, rest = "", link
    host, slash, path = rest.partition("/")
    host = host.replace(".", "[.]")
    return f"{scheme}{sep}{host}{slash}{path}"
