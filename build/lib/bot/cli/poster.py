"""`python -m bot poster --unit CODE`: the A4 poster with the QR code to the web chat, for that commune.
It reads only the deployment file and the settings: no database, no keys."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.deployment import load_deployment
from bot.poster import chat_address, poster_pdf
from handlers.i18n import LOCALES, t

__all__ = ["run_poster"]


def run_poster(settings: Settings, argv: list[str]) -> int:
    locale = settings.default_locale
    parser = CliParser(locale, prog="python -m bot poster", description=t(locale, "poster.help"))
    parser.add_argument("--unit", required=True, help=t(locale, "poster.help_unit"))
    parser.add_argument("--out", type=Path, help=t(locale, "poster.help_out"))
    parser.add_argument("--url", default=settings.public_base_url, help=t(locale, "poster.help_url"))
    parser.add_argument("--locale", choices=LOCALES, default="vi", help=t(locale, "poster.help_locale"))
    args = parser.parse_args(argv)
    unit = load_deployment(settings.deployment_file).unit(args.unit)
    if unit is None:
        print(t(locale, "poster.unknown_unit", code=args.unit), file=sys.stderr)
        return Exit.NOT_FOUND
    if not args.url.strip():
        print(t(locale, "poster.needs_url"), file=sys.stderr)
        return Exit.CONFIG
    out: Path = args.out or Path(f"poster-{unit.code}.pdf")
    address = chat_address(args.url.strip(), unit.code)
    out.write_bytes(poster_pdf(args.locale, address=address, unit_name=unit.display_name))
    print(t(locale, "poster.written", file=str(out), address=address))
    return Exit.OK
