"""The cyclic garbage collector is off while the process starts, and the start-up heap is frozen once it is
ready. Imports and the deployment sync make some 300,000 objects that live as long as the process and are
never garbage (a collection at the ready point frees about 2,000 of them); every full collection during the
start walks them all again, a third of the start-up time as measured. Frozen, they are never walked again,
so each later collection looks only at what the bot's own work makes.

``bot/__main__.py`` turns the collector off before its first import; nothing here acts in a process that
did not (the tests, which call the commands in their own process)."""

from __future__ import annotations

import gc

__all__ = ["ready"]


def ready() -> None:
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
