"""Numbers as a Vietnamese document writes them: 1.234 (dot for thousands), 45,1 % (comma for decimals)."""

from __future__ import annotations

__all__ = ["Share", "show_number"]


class Share(float):
    """A percentage (a float to spreadsheets and scripts; "45,1 %" in a document)."""


def show_number(value: object, locale: str = "vi") -> str:
    """Text for a table cell; None (nothing to measure) is a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,d}"
    if locale == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} %" if isinstance(value, Share) else text
