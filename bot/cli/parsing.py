"""The argument parser every sub-command uses: its own ``--help``, its headings in the operator's language,
and a wrong command line told in one line in that language with exit status 2 (``Exit.USAGE``)."""

from __future__ import annotations

import argparse
import errno
import re
import sys
from typing import Any, NoReturn

from bot.cli.exits import Exit
from handlers.i18n import t

__all__ = ["CliParser", "os_error", "usage_error"]

# argparse's own error sentences (English in the standard library) and the catalog text for each
_ARGPARSE = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "cli.error.required"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), "cli.error.required"),  # "--period --due"
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "cli.error.unrecognized"),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"), "cli.error.choice"),
    (re.compile(r"argument (?P<name>\S+): expected one argument"), "cli.error.expected_one"),
    (re.compile(r"argument (?P<name>\S+): invalid \S+ value: (?P<value>.+)"), "cli.error.invalid_value"),
    (re.compile(r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)"), "cli.error.not_allowed_with"),
)


def usage_error(locale: str, message: str) -> str:
    """argparse's sentence in ``locale`` (a form not listed is said as a generic wrong command line)."""
    for pattern, key in _ARGPARSE:
        if found := pattern.fullmatch(message):
            return t(locale, key, **found.groupdict())
    return t(locale, "cli.error.other")


_OS_ERRORS = {errno.EACCES: "cli.os.denied", errno.EPERM: "cli.os.denied", errno.ENOENT: "cli.os.missing",
              errno.ENOSPC: "cli.os.no_space", errno.EEXIST: "cli.os.exists", errno.EROFS: "cli.os.read_only"}


def os_error(locale: str, exc: OSError) -> str:
    """A file-system failure in ``locale`` (Python's strerror is English): what happened, and to which path."""
    key = _OS_ERRORS.get(exc.errno or 0, "cli.os.other")
    return t(locale, key, path=str(exc.filename or "?"), code=errno.errorcode.get(exc.errno or 0, "?"))


class _Formatter(argparse.HelpFormatter):
    locale = "vi"

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else t(self.locale, "cli.usage") + " ")


class CliParser(argparse.ArgumentParser):
    """``CliParser(locale, prog="python -m bot x", description=...)``: argparse with localized headings
    and -h, and a usage error as one line on stderr plus the usage, exit status ``Exit.USAGE``."""

    def __init__(self, locale: str, **kwargs: Any) -> None:
        base = kwargs.pop("formatter_class", argparse.HelpFormatter)
        formatter = type("Formatter", (_Formatter, base), {"locale": locale})
        super().__init__(add_help=False, formatter_class=formatter, **kwargs)
        self.locale = locale
        self._positionals.title = t(locale, "cli.positionals")
        self._optionals.title = t(locale, "cli.options")
        self.add_argument("-h", "--help", action="help", help=t(locale, "cli.help_flag"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {usage_error(self.locale, message)}", file=sys.stderr)
        raise SystemExit(Exit.USAGE)
