"""Danger words are recognised with and without diacritics, and ordinary words are not mistaken for them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.intake.danger import danger_phrases, mentions_danger


@pytest.mark.parametrize(
    "text",
    [
        "Em muốn tự tử",
        "em muon tu tu",
        "EM MUỐN TỰ TỬ!!!",
        "Bố đang đánh em",
        "bo dang danh em",
        "em bị nhốt trong nhà",
        "em bi nhot trong nha",
        "cứu em với",
        "cuu em voi",
        "I want to die",
        "he locked me... I'm scared",
    ],
)
def test_danger_is_recognised(text: str) -> None:
    assert mentions_danger(text)


@pytest.mark.parametrize(
    "text",
    ["Từ từ đã", "dạo này em hơi buồn", "em bị nhọt ở tay", "Em ổn", "trường em có nhiều bạn", "I am fine"],
)
def test_ordinary_words_are_not_danger(text: str) -> None:
    assert not mentions_danger(text)


def test_every_phrase_in_the_list_is_recognised_as_written() -> None:
    for phrase in danger_phrases():
        assert mentions_danger(f"hôm nay {phrase} thật") or mentions_danger(phrase), phrase


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    assert mentions_danger(text) in (True, False)
