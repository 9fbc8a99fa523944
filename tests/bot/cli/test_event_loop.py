"""The loop `python -m bot` runs on: uvloop where installed, asyncio's when asked (EVENT_LOOP)."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli.run import loop_factory
from bot.config import Settings

uvloop = pytest.importorskip("uvloop")


def test_auto_and_uvloop_choose_uvloop_and_asyncio_keeps_the_standard_loop() -> None:
    assert loop_factory("auto") is uvloop.new_event_loop
    assert loop_factory("uvloop") is uvloop.new_event_loop
    assert loop_factory("asyncio") is None
    with asyncio.Runner(loop_factory=loop_factory(Settings(_env_file=None).event_loop)) as runner:  # type: ignore[call-arg]
        assert isinstance(runner.get_loop(), uvloop.Loop), "the default setting runs the bot on uvloop"


def test_a_misspelt_choice_is_refused_when_the_settings_are_read() -> None:
    with pytest.raises(ValueError, match="event_loop"):
        Settings(_env_file=None, event_loop="uv")  # type: ignore[call-arg]
