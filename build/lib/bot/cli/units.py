"""``python -m bot units find NAME`` and ``python -m bot units show CODE``: the official unit codes (since the
1 July 2025 merger) by name, with or without accents, old names included, and what each old unit became.
Offline: the `vietnam-provinces` and `vietnamadminunits` data files (handlers/places.py, former_places.py)."""

from __future__ import annotations

import sys

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from handlers.former_places import Former, find_with_former, formed_from
from handlers.i18n import t
from handlers.places import Place, place_by_code, province_by_code, province_by_name

__all__ = ["run_units"]

LIMIT = 10


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot units", description=t(locale, "units.help"))
    actions = parser.add_subparsers(dest="action", required=True, metavar="find|show", parser_class=CliParser)
    find = actions.add_parser("find", locale=locale, help=t(locale, "units.help_find"), description=t(locale, "units.help_find"))
    find.add_argument("name", nargs="+", help=t(locale, "units.help_name"))
    find.add_argument("--limit", type=int, default=LIMIT, help=t(locale, "units.help_limit"))
    show = actions.add_parser("show", locale=locale, help=t(locale, "units.help_show"), description=t(locale, "units.help_show"))
    show.add_argument("code", help=t(locale, "units.help_code"))
    return parser


def _place(locale: str, place: Place) -> str:
    return t(locale, "units.place", code=place.code, name=place.name, province=place.province_name)


def _former(locale: str, old: Former) -> list[str]:
    lines = [t(locale, "units.former", name=old.name, district=old.district, province=old.province)]
    return lines + [f"    → {_place(locale, p)}" for p in old.places]


def _find(locale: str, query: str, limit: int) -> tuple[int, list[str]]:
    places, former = find_with_former(query, limit=max(limit, 1))
    province = province_by_name(query)
    lines = [t(locale, "units.province", code=province[0], name=province[1])] if province else []
    if places and not former:  # with old units found, their arrows name today's wards; the rest are look-alikes
        lines += [t(locale, "units.today"), *(f"  {_place(locale, p)}" for p in places)]
    if former:
        lines.append(t(locale, "units.before_2025"))
        lines += [f"  {line}" for old in former[:limit] for line in _former(locale, old)]
    return (Exit.OK, lines) if lines else (Exit.NOT_FOUND, [t(locale, "units.none", query=query)])


def _show(locale: str, code: str) -> tuple[int, list[str]]:
    code = code.strip()
    padded = code.zfill(2) if len(code) <= 2 else code.zfill(5)
    if not padded.isdigit():
        return Exit.USAGE, [t(locale, "units.not_a_code", code=code)]
    if len(padded) == 2:
        province = province_by_code(padded)
        return (Exit.OK, [t(locale, "units.province", code=padded, name=province[1])]) if province else (
            Exit.NOT_FOUND, [t(locale, "units.unknown_code", code=code)])
    place = place_by_code(padded)
    if place is None:
        return Exit.NOT_FOUND, [t(locale, "units.unknown_code", code=code)]
    lines = [_place(locale, place)]
    olds = formed_from(place.code)
    if olds:
        lines.append(t(locale, "units.formed_from"))
        lines += [f"  {t(locale, 'units.former', name=o.name, district=o.district, province=o.province)}" for o in olds]
    return Exit.OK, lines


def run_units(settings: Settings, argv: list[str]) -> int:
    locale = settings.default_locale
    args = _parser(locale).parse_args(argv)
    code, lines = _find(locale, " ".join(args.name), args.limit) if args.action == "find" else _show(locale, args.code)
    for line in lines:
        print(line, file=sys.stdout if code == Exit.OK else sys.stderr)
    return code
