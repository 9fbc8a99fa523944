"""The official post-2025 communes and wards, and accent-insensitive lookup of what a reporter typed.

Reporters type on phones, often without diacritics, with or without "xã"/"phường", sometimes with a
province (old or new) after the name. A wrong commune routes a report to the wrong duty officer, so the
ranking is conservative: exact names first, and same-name communes of different provinces always listed
together so the reporter picks the province, never us.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from unidecode import unidecode
from vietnam_provinces import Province, Ward

__all__ = ["Place", "find_places", "name_variants", "normalize", "place_by_code", "province_by_code", "province_by_name",
           "query_readings"]

_MAX_QUERY = 100  # characters of the raw query, and of its normalized form, that are looked at
_FUZZY_CUTOFF = 0.8  # difflib ratio; "hoan kiam" vs "hoan kiem" is 0.89, unrelated names stay below
_FUZZY_CANDIDATES = 40  # closest by shared letter pairs, before the slower difflib ratio
_PROVINCE_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh)\s+")

# A leading word that names the kind of division; None means it says nothing about xã vs phường.
_DIVISION_WORDS = {
    "xa": "xa", "x": "xa",
    "phuong": "phuong", "p": "phuong",
    "dac khu": "dac khu", "dk": "dac khu",
    "thi tran": None, "tt": None, "tp": None, "thanh pho": None, "tinh": None,
}  # fmt: skip
_PROVINCE_WORDS = ("thanh pho", "tp", "tinh")
_COUNTRY_WORDS = ("viet nam", "vietnam", "vn")
_OLD_DISTRICT = re.compile(r" (?:quan|q|huyen|h) \d+$")  # "… quan 1": districts were abolished in 2025

# Provinces merged away in 2025 (Resolution 202/2025/QH15), which people will keep writing for years,
# and common short forms.
_OTHER_SPELLINGS = {
    "01": ("hn",), "08": ("ha giang",), "15": ("yen bai",), "19": ("bac kan",), "24": ("bac giang",),
    "25": ("vinh phuc", "hoa binh"), "31": ("hai duong",), "33": ("thai binh",),
    "37": ("ha nam", "nam dinh"), "44": ("quang binh",), "48": ("quang nam",), "51": ("kon tum",),
    "52": ("binh dinh",), "56": ("ninh thuan",), "66": ("phu yen",), "68": ("dak nong", "binh thuan"),
    "75": ("binh phuoc",), "79": ("binh duong", "ba ria vung tau", "vung tau", "hcm", "tphcm", "sai gon", "saigon"),
    "80": ("long an",), "82": ("tien giang",), "86": ("ben tre", "tra vinh"),
    "91": ("kien giang",), "92": ("soc trang", "hau giang"), "96": ("bac lieu",),
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    code: str  # official commune/ward code zero-padded to 5 digits as in the package's WardCode ("00070")
    name: str  # "Phường Hoàn Kiếm"
    province_code: str  # official province code zero-padded to 2 digits ("01")
    province_name: str  # "Thành phố Hà Nội"

    @property
    def label(self) -> str:
        """Short enough for a button: "Phường Hoàn Kiếm, Hà Nội"."""
        return f"{self.name}, {_PROVINCE_PREFIX.sub('', self.province_name)}"


def normalize(text: str) -> str:
    """Lowercase ASCII words: "Phường  Hoàn-Kiếm" → "phuong hoan kiem"; control characters vanish.

    Never truncates: danger-word detection normalizes whole messages with it.
    """
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    ascii_text = unidecode(cleaned.replace("đ", "d").replace("Đ", "D")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]  # sorted by (core name, short province name, code): the tie order
    by_code: dict[str, Place]
    divisions: tuple[str, ...]  # normalized division of each place ("xa", "phuong", "dac khu")
    cores: tuple[str, ...]  # distinct names without their division word ("hoan kiem"), sorted
    blob: str  # "\nname\nname\n…": one C-speed substring search instead of a Python loop per name
    starts: tuple[int, ...]  # offset of each core name in blob
    squashed: dict[str, tuple[int, ...]]  # name without spaces → core numbers, for "hoankiem"
    positions: tuple[tuple[int, ...], ...]  # core number → places with that core name
    province_cores: dict[str, frozenset[int]]  # province code → core numbers found there
    pairs: dict[str, tuple[int, ...]]  # letter pair → core numbers containing it
    provinces: dict[str, tuple[str, str]]  # code → (code, name)
    province_keys: dict[str, str]  # every accepted spelling of a province → code


def _pairs(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


@cache
def _index() -> _Index:
    provinces = {f"{p.code.value:02d}": (f"{p.code.value:02d}", p.name) for p in Province.iter_all()}
    province_keys: dict[str, str] = {}
    for code, name in provinces.values():
        short = normalize(_PROVINCE_PREFIX.sub("", name))
        for spelling in (short, *_OTHER_SPELLINGS.get(code, ())):
            for form in (spelling, *(f"{word} {spelling}" for word in _PROVINCE_WORDS)):
                province_keys[form] = province_keys[form.replace(" ", "")] = code
    rows = []
    for ward in Ward.iter_all():
        province_code = f"{ward.province_code.value:02d}"
        province_name = provinces[province_code][1]
        division = normalize(ward.division_type.value)
        full = normalize(ward.name)
        core = full.removeprefix(f"{division} ") if full != division else full
        place = Place(f"{ward.code.value:05d}", ward.name, province_code, province_name)
        rows.append(((core, normalize(_PROVINCE_PREFIX.sub("", province_name)), place.code), division, place))
    rows.sort(key=lambda row: row[0])
    cores = tuple(sorted({key[0] for key, _, _ in rows}))
    number = {core: i for i, core in enumerate(cores)}
    positions: dict[int, list[int]] = {}
    province_cores: dict[str, set[int]] = {}
    for position, (key, _, place) in enumerate(rows):
        positions.setdefault(number[key[0]], []).append(position)
        province_cores.setdefault(place.province_code, set()).add(number[key[0]])
    squashed_lists: dict[str, list[int]] = {}
    pairs: dict[str, list[int]] = {}
    for i, core in enumerate(cores):
        squashed_lists.setdefault(core.replace(" ", ""), []).append(i)
        for pair in _pairs(core):
            pairs.setdefault(pair, []).append(i)
    squashed = {text: tuple(found) for text, found in squashed_lists.items()}
    places = tuple(place for _, _, place in rows)
    return _Index(
        places=places,
        by_code={p.code: p for p in places},
        divisions=tuple(division for _, division, _ in rows),
        cores=cores,
        blob="\n" + "\n".join(cores) + "\n",
        starts=tuple(itertools.accumulate((len(core) + 1 for core in cores[:-1]), initial=1)),
        squashed=squashed,
        positions=tuple(tuple(positions[i]) for i in range(len(cores))),
        province_cores={code: frozenset(found) for code, found in province_cores.items()},
        pairs={pair: tuple(found) for pair, found in pairs.items()},
        provinces=provinces,
        province_keys=province_keys,
    )


def place_by_code(code: str) -> Place | None:
    """Only the canonical 5-digit form ("00070"); padding belongs to whoever reads codes from people."""
    return _index().by_code.get(code)


def province_by_code(code: str) -> tuple[str, str] | None:
    """Only the canonical 2-digit form ("01")."""
    return _index().provinces.get(code)


def province_by_name(text: str) -> tuple[str, str] | None:
    """(code, name) of the province ``text`` names, with or without accents or its kind ("ha noi", "tp hcm")."""
    code = _province_of(normalize(text[:_MAX_QUERY]))
    return province_by_code(code) if code else None


def _province_of(words: str) -> str | None:
    keys = _index().province_keys
    if words in keys:
        return keys[words]
    close = difflib.get_close_matches(words, keys, n=1, cutoff=0.85) if len(words) >= 5 else []
    return keys[close[0]] if close else None


def _strip_trailing(words: list[str], endings: tuple[str, ...]) -> list[str]:
    text = " ".join(words)
    for ending in endings:
        if text == ending or text.endswith(f" {ending}"):
            return text[: -len(ending)].split()
    return words


def query_readings(query: str) -> list[tuple[str, str | None]]:
    """Ways to read the query as (name, province code or None), most literal first.

    "tan phu, dong nai" and "tan phu dong nai" both give ("tan phu", "75"); the literal reading stays
    too, because some commune names end with what looks like a province ("Phường Lào Cai").
    """
    segments = [normalize(s) for s in query.split(",")]
    if not segments[0]:
        return []
    name, province = _OLD_DISTRICT.sub("", segments[0]) or segments[0], None
    for segment in [s for s in segments[1:] if s][::-1][:3]:
        province = _province_of(" ".join(_strip_trailing(segment.split(), _COUNTRY_WORDS)))
        if province:
            break
    readings = [(name, province)]
    words = _strip_trailing(name.split(), _COUNTRY_WORDS)
    for cut in range(1, min(5, len(words))):
        found = _index().province_keys.get(" ".join(words[-cut:]))
        if found and province in (None, found):
            rest = " ".join(_strip_trailing(words[:-cut], _PROVINCE_WORDS))
            if rest:
                readings.append((_OLD_DISTRICT.sub("", rest) or rest, found))
    return readings


def name_variants(name: str) -> list[tuple[str, str | None]]:
    """The name as typed, and without a leading division word (remembering which division it named)."""
    variants: list[tuple[str, str | None]] = [(name, None)]
    for word, division in _DIVISION_WORDS.items():
        if name.startswith(f"{word} "):
            variants.append((name[len(word) + 1 :], division))
    return variants


def _containing(wanted: str) -> set[int]:
    """Core numbers whose name contains ``wanted``, or equals it once spaces are dropped."""
    index = _index()
    found = set(index.squashed.get(wanted.replace(" ", ""), ()))
    for match in re.finditer(re.escape(wanted), index.blob):
        found.add(bisect.bisect_right(index.starts, match.start()) - 1)
    return found


def _text_rank(core: str, wanted: str) -> int | None:
    if core == wanted or core.replace(" ", "") == wanted.replace(" ", ""):
        return 0
    if core.startswith(f"{wanted} "):
        return 1  # whole words of a longer name: "tan phu" → "tan phu dong"
    if core.startswith(wanted):
        return 2  # still typing: "hoan ki"
    if f" {wanted}" in core:
        return 3
    if len(wanted) >= 3 and wanted in core:
        return 4
    return None


def _ranked(name: str, province: str | None, *, fuzzy: bool) -> dict[int, tuple[int, float, int]]:
    """Place position → (rank, -similarity, division mismatch); lower is better."""
    index = _index()
    pool = index.province_cores.get(province, frozenset()) if province else None
    variants = name_variants(name[:_MAX_QUERY])
    best: dict[int, tuple[int, float, int]] = {}
    if fuzzy and name not in index.province_keys:  # "Đồng Nai" alone is a province, not a typo
        for number, similarity, division in _fuzzy(variants, pool):
            _keep(best, index, number, province, division, (5, -similarity))
        return best
    for wanted, division in variants:
        for number in _containing(wanted):
            rank = _text_rank(index.cores[number], wanted)
            if rank is not None and (pool is None or number in pool):
                _keep(best, index, number, province, division, (rank, 0.0))
    return best


def _keep(
    best: dict[int, tuple[int, float, int]],
    index: _Index,
    number: int,
    province: str | None,
    division: str | None,
    score: tuple[int, float],
) -> None:
    for position in index.positions[number]:
        if province and index.places[position].province_code != province:
            continue
        mismatch = int(division is not None and index.divisions[position] != division)
        candidate = (*score, mismatch)
        if position not in best or candidate < best[position]:
            best[position] = candidate


def _fuzzy(
    variants: list[tuple[str, str | None]], pool: frozenset[int] | None
) -> list[tuple[int, float, str | None]]:
    """Typos: names sharing most letter pairs with the query, then confirmed by difflib."""
    index = _index()
    found: list[tuple[int, float, str | None]] = []
    for wanted, division in variants:
        if len(wanted) < 4:
            continue
        shared = Counter(
            n for pair in _pairs(wanted) for n in index.pairs.get(pair, ()) if pool is None or n in pool
        )
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for number, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:_FUZZY_CANDIDATES]:
            matcher.set_seq1(index.cores[number])
            if matcher.real_quick_ratio() >= _FUZZY_CUTOFF and matcher.quick_ratio() >= _FUZZY_CUTOFF:
                similarity = matcher.ratio()
                if similarity >= _FUZZY_CUTOFF:
                    found.append((number, similarity, division))
    return found


def find_places(query: str, *, limit: int = 5) -> list[Place]:
    """Best first: exact name, whole-word prefix, prefix, substring, then close spellings.

    Ties keep the index order (name, then province), so same-name communes of different provinces sit
    together. When the query can be read with and without a province, the reading whose best match is
    better wins, and on a tie the narrower one (with the province).
    """
    if not isinstance(query, str) or limit < 1:
        return []
    readings = query_readings(query[:_MAX_QUERY])
    ranked = _best(readings)
    if not ranked and readings and readings[0][1]:  # the named province has no such commune: look everywhere
        ranked = _best([(readings[0][0], None)])
    order = sorted(ranked, key=lambda position: (*ranked[position], position))
    index = _index()
    return [index.places[position] for position in order[:limit]]


def _best(readings: list[tuple[str, str | None]]) -> dict[int, tuple[int, float, int]]:
    best: tuple[tuple[int, float], int, dict[int, tuple[int, float, int]]] | None = None
    for fuzzy in (False, True):  # close spellings only when no reading matches as written
        for name, province in readings:
            ranked = _ranked(name, province, fuzzy=fuzzy)
            if ranked:
                candidate = (min(score[:2] for score in ranked.values()), 0 if province else 1, ranked)
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
        if best is not None:
            return best[2]
    return {}
