"""The collector is off only while ``python -m bot`` starts: on again once it is ready, with the start-up heap frozen."""

from __future__ import annotations

import gc
import subprocess
import sys

from bot.startup_heap import ready
from tests.bot.cli.test_cli import ROOT


def test_a_started_process_collects_again_with_its_start_up_heap_frozen() -> None:
    code = (
        "import gc; gc.disable()\n"
        "import bot.app\n"
        "from bot.startup_heap import ready\n"
        "before = gc.get_freeze_count(); ready()\n"
        "print(gc.isenabled(), before, gc.get_freeze_count() > 100_000)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "0", "True"], done.stdout + done.stderr


def test_a_process_that_never_turned_it_off_is_left_alone() -> None:
    """The tests call the commands in their own process: nothing of theirs is frozen for good."""
    before = gc.get_freeze_count()
    ready()
    assert gc.isenabled() and gc.get_freeze_count() == before
