"""Links in a report: found in what was typed, shown defanged so no app makes them tappable or fetches them."""

from __future__ import annotations

import pytest

from handlers.links import defang, find_link


@pytest.mark.parametrize(
    ("typed", "found", "shown"),
    [
        ("xem ở https://example.com/v?id=1.", "https://example.com/v?id=1", "hxxps://example[.]com/v?id=1"),
        ("HTTP://Bad.Site/a.b", "HTTP://Bad.Site/a.b", "HxxP://Bad[.]Site/a.b"),
        ("www.facebook.com/groups/123", "www.facebook.com/groups/123", "www[.]facebook[.]com/groups/123"),
        ("tiktok.com/@someone/video/9)", "tiktok.com/@someone/video/9", "tiktok[.]com/@someone/video/9"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x", "hxxp://127[.]0[.]0[.]1:8080/x"),
    ],
)
def test_a_typed_link_is_found_and_defanged(typed: str, found: str, shown: str) -> None:
    assert find_link(typed) == found
    assert defang(found) == shown


@pytest.mark.parametrize("typed", ["có một video rất xấu", "bé 5 tuổi.", "a.b c", ""])
def test_words_without_an_address_are_not_a_link(typed: str) -> None:
    assert find_link(typed) is None
