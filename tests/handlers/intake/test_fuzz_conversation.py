"""Any sequence of inputs, however strange, gets an answer and leaves the conversation in a valid state."""

from __future__ import annotations

import asyncio
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import build_core
from handlers.intake.all_flows import STEPS
from handlers.messages import Channel, Inbound, InboundKind, Media
from handlers.state import load_conversation

_VALUES = st.sampled_from(
    ["nav:back", "nav:cancel", "nav:skip", "nav:done", "nav:submit", "nav:wipe", "menu:child", "menu:report",
     "menu:language", "s:relation:teacher", "s:danger:yes", "s:child_danger:yes", "s:place:unknown",
     "s:place_confirm:00070", "s:child_what:hit", "s:contact:no", "ack:TE-XXXXX", "1|junk", ""]
)
_EVENTS = st.one_of(
    st.builds(lambda text: (InboundKind.TEXT, {"text": text}), st.text(max_size=300)),
    st.builds(lambda text: (InboundKind.TEXT, {"text": text}), st.sampled_from(["1", "2", "3", "hoan kiem", "bỏ qua", "em muốn tự tử"])),
    st.builds(lambda value: (InboundKind.CHOICE, {"choice": value}), _VALUES),
    st.builds(lambda c: (InboundKind.COMMAND, {"command": c, "text": "/" + c}), st.sampled_from(["start", "help", "xoa", "lang", "cancel", "back", "zzz"])),
    st.builds(lambda lat, lon: (InboundKind.LOCATION, {"location": (lat, lon)}), st.floats(-90, 90), st.floats(-180, 180)),
    st.builds(lambda data: (InboundKind.PHOTO, {"media": Media(data=data, size=len(data))}), st.binary(max_size=64)),
    st.builds(lambda data: (InboundKind.VOICE, {"media": Media(data=data, size=len(data))}), st.binary(max_size=64)),
    st.just((InboundKind.UNSUPPORTED, {})),
)


def test_random_sequences_always_get_an_answer(make_settings, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    async def setup():  # type: ignore[no-untyped-def]
        return await build_core(make_settings(sqlite_url), demo=False)

    loop = asyncio.new_event_loop()
    core = loop.run_until_complete(setup())
    handle = core.handle_for(Channel.TERMINAL)

    # a small count in CI; FUZZ_EXAMPLES=2000 for a long run
    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(_EVENTS, min_size=1, max_size=25), st.integers(0, 10_000))
    def run(events: list[tuple[InboundKind, dict[str, object]]], user: int) -> None:
        async def play() -> None:
            for kind, fields in events:
                inbound = Inbound(Channel.TERMINAL, handle(f"fuzz-{user}"), kind, reply_address="x", **fields)  # type: ignore[arg-type]
                reply = await core.conversation.handle(inbound)
                assert reply.messages, f"no answer to {kind}"
                async with core.db.session() as session:
                    state = await load_conversation(session, core.vault, inbound.handle)
                assert state is not None and state.locale in ("vi", "en")
                assert state.step is None or state.step in STEPS

        loop.run_until_complete(play())

    try:
        run()
    finally:
        loop.run_until_complete(core.db.dispose())
        loop.close()
