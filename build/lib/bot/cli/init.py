"""``python -m bot init``: a first ``.env`` (fresh master key, pepper and webhook secrets, mode 0600) and a
starter deployment file for one province and its communes, in which every unit has a roster and every
step of its urgent chain pages someone, so ``check-config`` accepts it as written. Asks for the province
and communes on a terminal, or takes them as flags. Never replaces a secret or a deployment file that is
already there: a second run keeps both and only adds what is missing."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from handlers.former_places import find_with_former
from handlers.i18n import KeyedError, KeyedLookupError, t
from handlers.places import Place, place_by_code, province_by_code, province_by_name
from handlers.rules.working_days import VIETNAM
from storage.crypto import KEY_BYTES

__all__ = ["SECRETS", "run_init"]

# the secrets init makes, each only when the .env has no value for it yet
SECRETS = ("MASTER_KEYS", "PSEUDONYM_PEPPER", "TELEGRAM_WEBHOOK_SECRET", "ZALO_WEBHOOK_SECRET")
# placeholders that cannot be anyone's: group ids are negative, and a bot can write to nobody who has
# not opened it first; each is marked for replacement in the file
_GROUP, _PERSON, _NATIONAL = -1009000000000, 9000000000, -1009999999999
EXAMPLE = "deployment.example.toml"


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot init", description=t(locale, "init.help"))
    parser.add_argument("--province", help=t(locale, "init.help_province"))
    parser.add_argument("--commune", action="append", default=[], help=t(locale, "init.help_commune"))
    parser.add_argument("--env", type=Path, default=Path(".env"), help=t(locale, "init.help_env"))
    parser.add_argument("--deployment", type=Path, default=Path("deployment.toml"), help=t(locale, "init.help_deployment"))
    parser.add_argument("--start", type=date.fromisoformat, help=t(locale, "init.help_start"))
    return parser


def _fresh(name: str) -> str:
    if name == "MASTER_KEYS":
        return "1:" + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
    if name == "PSEUDONYM_PEPPER":
        return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
    return secrets.token_urlsafe(32)  # webhook secrets: A-Z, a-z, 0-9, _ and -, as Telegram allows


def _write_private(path: Path, text: str) -> None:
    """Written beside, readable by its owner only from the first byte, then moved over (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
    path.chmod(0o600)


def write_env(path: Path, *, deployment: Path, locale: str) -> tuple[list[str], list[str]]:
    """(names made, names kept): a value already set is never replaced; an empty ``NAME=`` is filled."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else [f"# {t(locale, 'init.env_header')}"]
    wanted = {name: "" for name in SECRETS} | {"DEPLOYMENT_FILE": str(deployment), "DEFAULT_LOCALE": locale,
                                                "TELEGRAM_BOT_TOKEN": "", "ZALO_BOT_TOKEN": "", "TELEGRAM_PROXY": ""}
    made, kept, seen = [], [], set()
    for i, line in enumerate(lines):
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or name not in wanted or name.startswith("#"):
            continue
        seen.add(name)
        if name == "DEPLOYMENT_FILE" and value.strip() in ("", EXAMPLE):  # the shipped example is nobody's
            lines[i] = f"{name}={deployment}"
        elif value.strip():
            kept += [name] if name in SECRETS else []
        elif name in SECRETS:
            lines[i], made = f"{name}={_fresh(name)}", [*made, name]
    for name, default in wanted.items():
        if name not in seen:
            value = _fresh(name) if name in SECRETS else default
            made += [name] if name in SECRETS else []
            lines.append(f"{name}={value}")
    _write_private(path, "\n".join(lines) + "\n")
    return made, kept


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str  # official name
    short: str  # for the officers' placeholder names ("Hoàn Kiếm")
    lower: str  # inside a sentence ("phường Hoàn Kiếm")


def _province(text: str) -> tuple[str, str]:
    text = text.strip()
    found = province_by_code(text.zfill(2)) if text.isdigit() else province_by_name(text)
    if found is None:
        raise KeyedLookupError("init.unknown_province", province=text)
    return found


def _commune(text: str, province: str) -> Place:
    """A 5-digit code, or a name (old names too) of a ward in ``province``: the best match there."""
    text = text.strip()
    if text.isdigit():
        place = place_by_code(text.zfill(5))
        if place is None or place.province_code != province:
            raise KeyedLookupError("init.unknown_commune", commune=text)
        return place
    places, _ = find_with_former(text, limit=20)
    found = next((p for p in places if p.province_code == province), None)
    if found is None:
        raise KeyedLookupError("init.unknown_commune", commune=text)
    return found


def _short(name: str) -> str:
    for word in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        name = name.removeprefix(word)
    return name


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def deployment_text(locale: str, province: tuple[str, str], communes: list[Place], start: date) -> str:
    """Province first (policy "province": officers, then the national line), then each commune with two
    duty officers in a daily rotation and a leader; every id is a placeholder marked THAY/REPLACE."""
    replace = t(locale, "init.replace")
    units = [_Unit(province[0], province[1], _short(province[1]), province[1])]
    units += [_Unit(p.code, p.name, _short(p.name), p.name[:1].lower() + p.name[1:]) for p in communes]
    out = [f"# {t(locale, 'init.toml_header')}", f"# {t(locale, 'init.toml_units')}", "",
           f"fallback_unit = {_q(units[0].code)}",
           f"national_contact = {{ name = {_q(t(locale, 'init.national'))}, telegram_chat_id = {_NATIONAL} }}  # {replace}",
           f"online_content_unit = {_q(units[0].code)}", ""]
    person = _PERSON
    for i, unit in enumerate(units):
        province_unit = i == 0
        out += ["[[units]]", f"code = {_q(unit.code)}  # {unit.name}",
                f"name = {_q(t(locale, 'init.province_unit' if province_unit else 'init.commune_unit', name=unit.short, lower=unit.lower))}",
                f"telegram_chat_id = {_GROUP - i}  # {replace}: {t(locale, 'init.group_id')}"]
        out += ['policy = "province"', ""] if province_unit else [""]
    rosters = []
    for unit in units:
        province_unit = unit.code == units[0].code
        role = "supervisor" if province_unit else "officer"
        names = [t(locale, "init.officer", n=n, unit=unit.short) for n in (1, 2)]
        for name in names:
            person += 1
            out += ["[[officers]]", f"name = {_q(name)}", f"unit = {_q(unit.code)}", f'role = "{role}"',
                    f"telegram_user_id = {person}  # {replace}: {t(locale, 'init.user_id')}", ""]
        if not province_unit:
            person += 1
            out += ["[[officers]]", f"name = {_q(t(locale, 'init.leader', unit=unit.short))}", f"unit = {_q(unit.code)}",
                    'role = "leader"', f"telegram_user_id = {person}  # {replace}: {t(locale, 'init.user_id')}", ""]
        period = 7 if province_unit else 1
        rosters += ["[[rosters]]", f"unit = {_q(unit.code)}", f"rotation = [{', '.join(map(_q, names))}]",
                    f"period_days = {period}", 'handoff = "07:30"', f"start = {start.isoformat()}", ""]
    out += rosters
    out += [
        f"# {t(locale, 'init.policy_comment')}",
        "[policies.province.urgent]",
        'steps = [\n  { after = "0s", notify = "group" },\n  { after = "5m", notify = "duty_officer" },',
        '  { after = "10m", notify = ["backup", "leader"] },\n  { after = "30m", notify = "national" },\n]',
        'repeat_every = "15m"\nrepeats = 3', "",
        "[policies.province.normal]",
        'steps = [\n  { after = "0s", notify = "group" },\n  { after = "30m", notify = "duty_officer" },',
        '  { after = "1h", notify = ["backup", "leader"] },\n]',
        'repeat_every = "1h"\nrepeats = 2', "",
    ]
    return "\n".join(out)


def _ask(locale: str, key: str) -> str:
    print(t(locale, key), end=" ", flush=True)
    return sys.stdin.readline().strip()


def run_init(settings: Settings, argv: list[str]) -> int:
    locale = settings.default_locale
    args = _parser(locale).parse_args(argv)
    if args.province is None:
        if not sys.stdin.isatty():
            print(t(locale, "init.needs_province"), file=sys.stderr)
            return Exit.USAGE
        args.province = _ask(locale, "init.ask_province")
        args.commune = args.commune or [_ask(locale, "init.ask_communes")]
    wanted = [c for text in args.commune for c in text.split(",") if c.strip()]
    try:
        province = _province(args.province)
        communes = list(dict.fromkeys(_commune(c, province[0]) for c in wanted))
    except KeyedError as exc:
        print(exc.text(locale), file=sys.stderr)
        return Exit.NOT_FOUND
    made, kept = write_env(args.env, deployment=args.deployment, locale=locale)
    print(t(locale, "init.env_written", file=str(args.env), made=", ".join(made) or "—", kept=", ".join(kept) or "—"))
    if args.deployment.exists():
        print(t(locale, "init.deployment_kept", file=str(args.deployment)))
    else:
        start = args.start or datetime.now(VIETNAM).date()
        args.deployment.parent.mkdir(parents=True, exist_ok=True)
        args.deployment.write_text(deployment_text(locale, province, communes, start), encoding="utf-8")
        print(t(locale, "init.deployment_written", file=str(args.deployment), province=province[1], communes=len(communes)))
        for place in communes:
            print(f"  {place.code}  {place.name}")
    print(t(locale, "init.next"))
    return Exit.OK
