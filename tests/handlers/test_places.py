"""Commune lookup against the official post-2025 list: accents optional, typos forgiven, ties by province."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.places import find_places, normalize, place_by_code, province_by_code


@pytest.mark.parametrize("query", ["hoan kiem", "Hoàn Kiếm", "phuong hoan kiem", "P. Hoàn Kiếm", "Hoan Kiem, Ha Noi", "hoan kiam"])
def test_hoan_kiem_is_found_however_it_is_typed(query: str) -> None:
    assert find_places(query)[0].code == "00070"


def test_ambiguous_names_list_every_province_and_a_qualifier_narrows() -> None:
    everywhere = find_places("tan phu", limit=20)
    assert len({p.province_code for p in everywhere if normalize(p.name) == "xa tan phu"}) > 1
    [only] = [p for p in find_places("Tân Phú, Đồng Nai") if normalize(p.name) == "xa tan phu"]
    assert only.province_name.endswith("Đồng Nai")


def test_labels_are_short_and_codes_round_trip() -> None:
    place = place_by_code("00070")
    assert place is not None and place.label == "Phường Hoàn Kiếm, Hà Nội"
    assert province_by_code("01") == ("01", "Thành phố Hà Nội")
    assert place_by_code("99999") is None


@pytest.mark.parametrize("query", ["", "   ", "qwxz zzqq", "!!!", "\x00\x07", "ả" * 5000])
def test_garbage_finds_nothing(query: str) -> None:
    assert find_places(query) == []


@given(st.text(max_size=500), st.integers(min_value=0, max_value=10))
def test_never_raises_and_respects_the_limit(query: str, limit: int) -> None:
    assert len(find_places(query, limit=limit)) <= limit
