"""Communes and wards as they were named before the 2025 merger, and the wards they became.

People will type the old names for years («phường Bến Nghé», «phường 1, quận 3»). The old units and the
official old→new table come from the `vietnamadminunits` data files (10,040 old units, offline); the new
wards are matched to `vietnam-provinces` by province and name, as a few of its codes differ. Only its data
is read, never its converter, which geocodes street addresses over the network. An old unit split between
several new wards lists every one of them, the one the table marks most likely first, and the reporter
picks: we never guess.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from vietnam_provinces import Ward

from handlers.i18n import t
from handlers.places import Place, find_places, name_variants, normalize, place_by_code, query_readings

__all__ = ["Former", "find_with_former", "formed_from", "former_notes", "former_places"]

_DIVISIONS = {"phuong": "phuong", "xa": "xa", "thi tran": "thi tran"}  # old wardType, normalized
_DISTRICT_WORDS = 4  # at most this many trailing words are tried as the old district's name


@dataclass(frozen=True)
class Former:
    name: str  # "Phường Bến Nghé"
    core: str  # "ben nghe": the name as typed, without its division word
    district: str  # "Quận 1"
    province: str  # "Thành phố Hồ Chí Minh", as it was
    division: str  # "phuong", "xa" or "thi tran"
    district_keys: frozenset[str]  # the district's names without spaces ("quan1", "q1", "district1")
    became: tuple[str, ...]  # codes of the wards it is part of now, the most likely first

    @property
    def places(self) -> list[Place]:
        return [p for p in map(place_by_code, self.became) if p is not None]


def _data() -> Path:
    """The package's data folder, found without importing its code (which pulls in a geocoder)."""
    spec = find_spec("vietnamadminunits")
    assert spec is not None and spec.submodule_search_locations, "vietnamadminunits is a declared dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def _index() -> dict[str, tuple[Former, ...]]:
    """Old core name ("ben nghe"; "phuong 1" for numbered wards) → the old units that bore it."""
    today = {(f"{w.province_code.value:02d}", normalize(w.name)): f"{w.code.value:05d}" for w in Ward.iter_all()}
    table = json.loads((_data() / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{_data() / 'dataset.db'}?mode=ro", uri=True) as db:
        new = {(p, w): today.get((f"{int(code):02d}", normalize(name)), "")  # by name: a few codes differ
               for p, w, code, name in db.execute("SELECT provinceKey, wardKey, provinceCode, ward FROM admin_units")}
        old = db.execute(
            "SELECT provinceKey, districtKey, wardKey, ward, district, province, wardType, districtKeywords"
            " FROM admin_units_legacy WHERE wardKey IS NOT NULL"
        ).fetchall()
    became: dict[str, list[str]] = {}
    for province, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for key in olds:
                became.setdefault(key, []).append(new[(province, ward)])
    for province, olds in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in olds.items():
            ranked = sorted(parts, key=lambda part: not part["isDefaultNewWard"])
            became.setdefault(key, []).extend(new[(province, part["newWardKey"])] for part in ranked)
    index: dict[str, list[Former]] = {}
    for province_key, district_key, ward_key, ward, district, province, kind, keywords in old:
        codes = tuple(c for c in dict.fromkeys(became.get(f"{province_key}_{district_key}_{ward_key}", ())) if c)
        division = _DIVISIONS.get(normalize(kind or ""), "")
        full = normalize(ward)
        core = full.removeprefix(f"{division} ") if division else full
        core = full if core.isdigit() else core  # "Phường 1" is only ever typed with its division word
        if codes:
            found = Former(ward, core, district, province, division, frozenset(json.loads(keywords or "[]")), codes)
            index.setdefault(core, []).append(found)
    return {core: tuple(found) for core, found in index.items()}


def formed_from(code: str) -> list[Former]:
    """The pre-2025 units that are now (in whole or in part) the ward ``code``, by old district and name."""
    found = [f for formers in _index().values() for f in formers if code in f.became]
    return sorted(set(found), key=lambda f: (f.district, f.name))


def _names_district(former: Former, words: list[str]) -> bool:
    """Some run of ``words`` names the old district, with or without its kind ("quan 1", "q1", "ba dinh")."""
    return any("".join(words[i:j]) in former.district_keys for i in range(len(words)) for j in range(i + 1, len(words) + 1))


def former_places(query: str) -> tuple[list[Former], bool]:
    """Old units named as typed, in the province typed (old or new), and whether the district typed narrowed
    them ("phường 1, quận 3": of the many old «Phường 1», the one of Quận 3)."""
    if not isinstance(query, str):
        return [], False
    index, found, said = _index(), [], normalize(query[:100]).split()
    for name, province in query_readings(query[:100]):
        words = name.split()
        for cut in range(min(_DISTRICT_WORDS, len(words) - 1) + 1):  # "phuc xa ba dinh": the name, then the district
            head, tail = " ".join(words[: len(words) - cut]), words[len(words) - cut :]
            for wanted, division in name_variants(head):
                for former in index.get(wanted, ()):
                    if division and former.division != division:
                        continue
                    if province and all(p.province_code != province for p in former.places):
                        continue
                    if tail and not _names_district(former, tail):
                        continue
                    found.append(former)
    found = list(dict.fromkeys(found))
    narrowed = [f for f in found if _names_district(f, " ".join(said).replace(f.core, " ", 1).split())]
    return (narrowed, True) if narrowed else (found, False)


def find_with_former(query: str, *, limit: int = 5) -> tuple[list[Place], list[Former]]:
    """Today's wards for what was typed, counting old names too, and the old units that were meant.

    A name that is still a ward's name today wins, unless an old district typed with it says the old unit
    was meant; the wards an old name became come first when no ward bears the name today (today's search
    then found only look-alikes)."""
    current, (former, narrowed) = find_places(query, limit=limit), former_places(query)
    wanted = {variant for name, _ in query_readings(query[:100]) for variant, _ in name_variants(name)}
    if not former or (current and _core(current[0]) in wanted and not narrowed):
        return current, []
    renamed = [place for f in former for place in f.places]
    return list(dict.fromkeys([*renamed, *current]))[:limit], former


def _core(place: Place) -> str:
    full = normalize(place.name)
    return next((full.removeprefix(f"{word} ") for word in _DIVISIONS if full.startswith(f"{word} ")), full)


def former_notes(locale: str, former: list[Former]) -> list[str]:
    """«Phường Bến Nghé (Quận 1, Thành phố Hồ Chí Minh) nay là Phường Sài Gòn», one line per old unit."""
    notes = []
    for old in former[:3]:
        places = old.places
        if [normalize(p.name) for p in places] == [normalize(old.name)]:
            continue  # the same name today: nothing to explain
        what = f"{old.name} ({old.district}, {old.province})"
        if len(places) == 1:
            notes.append(t(locale, "place.renamed", old=what, new=places[0].name))
        elif places:
            notes.append(t(locale, "place.renamed_split", old=what, new=", ".join(p.name for p in places)))
    return [t(locale, "place.renamed_intro"), *notes] if notes else []
