"""The exit statuses of ``python -m bot``: one table, used by every sub-command and listed in ``--help``
and docs/cli.md."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EXIT_CODES", "Exit"]


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # the command ran and found a problem: a broken audit chain, a key that does not open, a backup not taken
    USAGE = 2  # the command line is wrong (argparse's own status): nothing was done
    CONFIG = 3  # settings, secrets or the deployment file are missing or wrong: nothing was changed
    NOT_FOUND = 4  # the case, unit or name asked for does not exist
    INTERRUPTED = 130  # stopped with Ctrl-C (the shell's 128 + SIGINT)


# status → the catalog key that explains it (the help's epilog and the docs show this table)
EXIT_CODES: dict[Exit, str] = {code: f"cli.exit.{code.name.lower()}" for code in Exit}
