"""``python -m bot export-case TE-XXXXX [--format pdf|docx] [--out PATH]``: the form-01-shaped record of a
case, for the commune's paper dossier. The export is audited (the server's CLI, no officer)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.cli.exits import Exit
from bot.cli.parsing import CliParser
from bot.config import Settings
from bot.core import open_core
from bot.documents import record_docx, record_pdf
from handlers.i18n import t
from handlers.officers.case_record import case_record
from storage.cases import case_by_code
from storage.vault import KeyShredded

__all__ = ["run_export"]


def _parser(locale: str) -> CliParser:
    parser = CliParser(locale, prog="python -m bot export-case", description=t(locale, "record.help"))
    parser.add_argument("code", help=t(locale, "record.help_code"))
    parser.add_argument("--format", choices=["pdf", "docx"], default="pdf", help=t(locale, "record.help_format"))
    parser.add_argument("--out", type=Path, help=t(locale, "record.help_out"))
    return parser


class _Shredded(Exception):
    """The case's content was crypto-shredded: there is no record left to export."""


async def _export(settings: Settings, code: str, fmt: str) -> bytes | None:
    core = await open_core(settings)
    try:
        async with core.db.transaction() as session:
            case = await case_by_code(session, code)
            if case is None:
                return None
            try:
                record = await case_record(core.services, session, case, who=None)
            except KeyShredded:
                raise _Shredded from None
    finally:
        await core.db.dispose()
    return record_pdf(record) if fmt == "pdf" else record_docx(record)


def run_export(settings: Settings, argv: list[str]) -> int:
    args = _parser(settings.default_locale).parse_args(argv)
    code = args.code.strip().upper()
    try:
        data = asyncio.run(_export(settings, code, args.format))
    except _Shredded:
        print(t(settings.default_locale, "desk.purged", code=code), file=sys.stderr)
        return Exit.FAILED
    if data is None:
        print(t(settings.default_locale, "record.unknown_case", code=code), file=sys.stderr)
        return Exit.NOT_FOUND
    out: Path = args.out or Path(f"{code}.{args.format}")
    out.write_bytes(data)
    out.chmod(0o600)  # it holds the child's details: readable by its owner only
    print(t(settings.default_locale, "record.written", path=str(out)))
    return Exit.OK
