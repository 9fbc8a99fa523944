"""Commune lookup against the official post-2025 list: accents optional, typos forgiven, ties by province."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vietnam_provinces import Province, Ward

from handlers.former_places import _index as _former_index
from handlers.former_places import find_with_former, former_notes
from handlers.intake.danger import mentions_danger
from handlers.places import Place, find_places, normalize, place_by_code, province_by_code

HOAN_KIEM = "00070"


def labels(query: str, limit: int = 5) -> list[str]:
    return [p.label for p in find_places(query, limit=limit)]


@pytest.mark.parametrize(
    "query",
    [
        "hoan kiem",
        "Hoàn Kiếm",
        "HOÀN KIẾM",
        "phuong hoan kiem",
        "Phường Hoàn Kiếm",
        "P. Hoàn Kiếm",
        "p.hoan kiem",
        "  hoàn   kiếm!! ",
        "hoankiem",
        "Hoan Kiem, Ha Noi",
        "hoan kiem ha noi",
        "hoan kiem, tp ha noi, viet nam",
        "hoan kiam",  # typo
        "hoan kiem\x00\x07",
    ],
)
def test_hoan_kiem_is_found_however_it_is_typed(query: str) -> None:
    assert find_places(query)[0].code == HOAN_KIEM


def test_division_word_and_trailing_province_without_a_comma() -> None:
    [first, *_] = find_places("xa tan phu dong thap")
    assert (first.name, first.province_name) == ("Xã Tân Phú", "Đồng Tháp")
    assert all(p.province_name == "Đồng Tháp" for p in find_places("xa tan phu dong thap"))


def test_exact_beats_prefix_beats_substring() -> None:
    found = find_places("tan phu", limit=50)
    core = [normalize(p.name).split(" ", 1)[1] for p in found]
    exact = [i for i, c in enumerate(core) if c == "tan phu"]
    prefix = [i for i, c in enumerate(core) if c != "tan phu" and c.startswith("tan phu")]
    assert exact and prefix and max(exact) < min(prefix)
    assert labels("Phương Liệt")[0] == "Phường Phương Liệt, Hà Nội"  # "Phương" is a name here, not "phường"
    assert labels("Tịnh Khê")[0] == "Xã Tịnh Khê, Quảng Ngãi"  # nor "Tịnh" a "tỉnh"


def test_ambiguous_names_rank_together_ordered_by_province() -> None:
    everywhere = find_places("tan phu", limit=20)
    same = [p for p in everywhere if normalize(p.name).endswith(" tan phu")]
    assert len({p.province_code for p in same}) > 1
    assert everywhere[: len(same)] == same  # all same-name places first, nothing in between
    provinces = [normalize(p.label.split(", ")[1]) for p in same]
    assert provinces == sorted(provinces)


def test_a_typed_division_word_prefers_that_division() -> None:
    assert find_places("xa tan phu", limit=20)[0].name == "Xã Tân Phú"
    assert find_places("phuong tan phu", limit=20)[0].name == "Phường Tân Phú"


@pytest.mark.parametrize(
    "query", ["Tân Phú, Đồng Nai", "tan phu dong nai", "tan phu tinh dong nai", "Tân Phú, Đồng Nia"]
)
def test_a_province_qualifier_narrows(query: str) -> None:
    found = find_places(query, limit=20)
    assert found and all(p.province_name == "Đồng Nai" for p in found)
    assert found[0].name == "Xã Tân Phú"


def test_provinces_merged_in_2025_and_old_districts_are_understood() -> None:
    assert labels("Tân Phú, Bình Phước")[0] == "Xã Tân Phú, Đồng Nai"
    assert labels("thu dau mot binh duong")[0] == "Phường Thủ Dầu Một, Hồ Chí Minh"
    assert labels("Phường Bến Thành, Quận 1, TP HCM") == ["Phường Bến Thành, Hồ Chí Minh"]
    assert labels("ben thanh quan 1") == ["Phường Bến Thành, Hồ Chí Minh"]


def test_names_that_look_like_a_province_still_match_literally() -> None:
    assert labels("phuong lao cai")[0] == "Phường Lào Cai, Lào Cai"
    assert labels("lao cai")[0] == "Phường Lào Cai, Lào Cai"


def test_a_wrong_province_falls_back_to_the_name_everywhere() -> None:
    assert find_places("Hoàn Kiếm, Đồng Nai")[0].code == HOAN_KIEM


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "qwxz zzqq",
        "!!!",
        "\x00\x07",
        "ả" * 5000,
        "🙂" * 300,
        "中文字符",
        "\ud800\udfff",
        ", dong nai",
        "Đồng Nai",
        "tp hcm",
    ],
)
def test_garbage_and_bare_provinces_find_nothing(query: str) -> None:
    assert find_places(query) == []


def test_limit_is_respected() -> None:
    assert len(find_places("a", limit=3)) == 3
    assert find_places("hoan kiem", limit=0) == []


@given(st.text(max_size=500), st.integers(min_value=0, max_value=10))
def test_never_raises_and_respects_the_limit(query: str, limit: int) -> None:
    found = find_places(query, limit=limit)
    assert len(found) <= limit
    assert found == find_places(query, limit=limit)  # deterministic


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40))
def test_normalize_is_plain_lowercase_ascii_words(text: str) -> None:
    result = normalize(text)
    assert result == result.strip() and "  " not in result
    assert all(ch.isascii() and (ch.islower() or ch.isdigit() or ch == " ") for ch in result)


def test_normalize_never_truncates() -> None:
    """danger.py compares a message with its normalized form; cutting it made long messages blind."""
    assert normalize("ab " * 2000) == " ".join(["ab"] * 2000)
    assert mentions_danger("chao ban " * 60 + "toi muon chet")


def test_labels_are_short_and_codes_round_trip() -> None:
    place = place_by_code(HOAN_KIEM)
    assert place == Place(HOAN_KIEM, "Phường Hoàn Kiếm", "01", "Thành phố Hà Nội")
    assert place.label == "Phường Hoàn Kiếm, Hà Nội"
    assert province_by_code("01") == ("01", "Thành phố Hà Nội")
    assert province_by_code("1") is None and place_by_code("70") is None  # canonical padded codes only
    assert place_by_code("99999") is None


def test_every_official_ward_is_indexed_and_round_trips() -> None:
    wards = list(Ward.iter_all())
    assert len(wards) == 3321
    assert len({f"{p.code.value:02d}" for p in Province.iter_all()}) == 34
    for ward in wards:
        place = place_by_code(f"{ward.code.value:05d}")
        assert place is not None and place.name == ward.name
        assert province_by_code(place.province_code) == (place.province_code, place.province_name)
        assert len(place.label) <= 64


def test_every_ward_is_found_by_its_own_name_and_province() -> None:
    for ward in Ward.iter_all():
        place = place_by_code(f"{ward.code.value:05d}")
        assert place is not None
        assert place in find_places(f"{place.name}, {place.province_name}", limit=10), place



@pytest.mark.parametrize(
    ("query", "now"),
    [
        ("phường Bến Nghé", "Phường Sài Gòn, Hồ Chí Minh"),
        ("ben nghe", "Phường Sài Gòn, Hồ Chí Minh"),
        ("Bến Nghé, Quận 1, TP HCM", "Phường Sài Gòn, Hồ Chí Minh"),
        ("Phúc Xá, Ba Đình, Hà Nội", "Phường Hồng Hà, Hà Nội"),
        ("phuc xa ba dinh", "Phường Hồng Hà, Hà Nội"),
        ("phuong 1, quan 3", "Phường Bàn Cờ, Hồ Chí Minh"),  # of the many old «Phường 1», the district's
        ("Phường 12, Gò Vấp", "Phường An Hội Tây, Hồ Chí Minh"),
    ],
)
def test_names_from_before_the_2025_merger_find_the_ward_they_became(query: str, now: str) -> None:
    places, former = find_with_former(query)
    assert places[0].label == now and former


def test_an_old_unit_split_between_wards_lists_each_and_the_note_says_so() -> None:
    places, former = find_with_former("kim ma")
    assert [f.name for f in former] == ["Phường Kim Mã"]
    assert {p.name for p in places} == {"Phường Ba Đình", "Phường Giảng Võ", "Phường Ngọc Hà"}
    intro, note = former_notes("vi", former)
    assert "1/7/2025" in intro and "Phường Kim Mã (Quận Ba Đình, Thành phố Hà Nội) (cũ) nay thuộc một trong các nơi" in note
    [_, one] = former_notes("vi", find_with_former("ben nghe")[1])
    assert one == "• Phường Bến Nghé (Quận 1, Thành phố Hồ Chí Minh) (cũ) nay là Phường Sài Gòn."


@pytest.mark.parametrize("query", ["Giảng Võ", "hoan kiem", "tan phu", "p.ben thanh q1"])
def test_a_name_that_is_still_a_wards_name_today_needs_no_note(query: str) -> None:
    places, former = find_with_former(query)
    assert places[0].code == find_places(query)[0].code and former_notes("vi", former) == []


def test_every_old_unit_maps_to_wards_of_today() -> None:
    units = [f for found in _former_index().values() for f in found]
    assert len(units) == 10035  # 10,040 old units less five island districts that had no ward
    assert all(f.places and len(f.places) == len(f.became) for f in units)


@given(st.text(max_size=200))
def test_old_name_lookup_never_raises(query: str) -> None:
    places, former = find_with_former(query)
    assert len(places) <= 5 and isinstance(former_notes("en", former), list)
