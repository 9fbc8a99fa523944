"""The official post-2025 communes and wards, and accent-insensitive lookup of what a reporter typed."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from unidecode import unidecode
from vietnam_provinces import Province, Ward

__all__ = ["Place", "find_places", "normalize", "place_by_code", "province_by_code"]

_MAX_QUERY = 100
_DIVISION_WORDS = re.compile(r"^(?:xa|phuong|dac khu|thi tran|p|x|tp|tinh|thanh pho)\b\.?\s*")
_PROVINCE_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh)\s+")


@dataclass(frozen=True)
class Place:
    code: str  # official 5-digit commune/ward code, zero-padded ("00070")
    name: str
    province_code: str  # official 2-digit province code ("01")
    province_name: str

    @property
    def label(self) -> str:
        """Short enough for a button: "Phường Hoàn Kiếm, Hà Nội"."""
        return f"{self.name}, {_PROVINCE_PREFIX.sub('', self.province_name)}"


def normalize(text: str) -> str:
    """Lowercase ASCII words: "Phường  Hoàn-Kiếm" → "phuong hoan kiem"; control characters vanish."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text[: _MAX_QUERY * 4])
    ascii_text = unidecode(cleaned.replace("đ", "d").replace("Đ", "D")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def _core_name(normalized: str) -> str:
    return _DIVISION_WORDS.sub("", normalized).strip()


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    by_code: dict[str, Place]
    keys: tuple[str, ...]  # core name of each place, same order
    provinces: dict[str, tuple[str, str]]  # code → (code, name)
    province_keys: dict[str, str]  # core province name → code


@cache
def _index() -> _Index:
    provinces = {f"{p.code.value:02d}": (f"{p.code.value:02d}", p.name) for p in Province.iter_all()}
    places = tuple(
        sorted(
            (
                Place(f"{w.code.value:05d}", w.name, f"{w.province_code.value:02d}", provinces[f"{w.province_code.value:02d}"][1])
                for w in Ward.iter_all()
            ),
            key=lambda p: (normalize(p.name), p.province_name),
        )
    )
    province_keys = {_core_name(normalize(name)): code for code, name in provinces.values()}
    return _Index(
        places,
        {p.code: p for p in places},
        tuple(_core_name(normalize(p.name)) for p in places),
        provinces,
        province_keys,
    )


def place_by_code(code: str) -> Place | None:
    return _index().by_code.get(code)


def province_by_code(code: str) -> tuple[str, str] | None:
    return _index().provinces.get(code)


def _split_province(query: str) -> tuple[str, str | None]:
    """ "tan phu, dong nai" or "tan phu dong nai" → ("tan phu", "75")."""
    index = _index()
    if "," in query:
        name, _, rest = query.partition(",")
        code = index.province_keys.get(_core_name(normalize(rest)))
        return normalize(name), code
    words = normalize(query).split()
    for cut in range(1, min(4, len(words))):
        code = index.province_keys.get(" ".join(words[-cut:]))
        if code:
            return " ".join(words[:-cut]), code
    return " ".join(words), None


def find_places(query: str, *, limit: int = 5) -> list[Place]:
    """Best first: exact name, then prefix, then substring, then close spellings; ties by province."""
    if not query or limit < 1:
        return []
    name, province = _split_province(query[:_MAX_QUERY])
    wanted = _core_name(name)
    if not wanted:
        return []
    index = _index()
    ranked: list[tuple[int, float, int]] = []
    for position, (key, place) in enumerate(zip(index.keys, index.places, strict=True)):
        if province and place.province_code != province:
            continue
        if key == wanted:
            ranked.append((0, 0.0, position))
        elif key.startswith(wanted):
            ranked.append((1, 0.0, position))
        elif f" {wanted}" in f" {key}":
            ranked.append((2, 0.0, position))
    if not ranked:
        pool = [k for k, p in zip(index.keys, index.places, strict=True) if not province or p.province_code == province]
        close = set(difflib.get_close_matches(wanted, pool, n=limit * 3, cutoff=0.8))
        for position, key in enumerate(index.keys):
            if key in close and (not province or index.places[position].province_code == province):
                ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
                ranked.append((3, -ratio, position))
    ranked.sort()
    return [index.places[position] for *_, position in ranked[:limit]]
