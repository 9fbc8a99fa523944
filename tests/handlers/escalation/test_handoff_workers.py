"""Two workers run the handoff job at the same moment on one PostgreSQL database: the first change of duty
is announced once, and neither job fails (both used to insert the first ``duty_handoff`` row)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import delete, select

from bot.core import build_core
from handlers.escalation.handoff import announce_handoffs
from storage.models import DutyHandoff, OutboxMessage
from tests.conftest import _postgres_database
from tests.escalation_setup import Clock, escalation_deployment, write_deployment


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
async def test_two_workers_announce_the_first_handoff_once(make_settings, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(postgres_url, deployment_file=write_deployment(tmp_path, escalation_deployment()))
    workers = [await build_core(settings, demo=False) for _ in range(2)]
    clock = Clock()
    for core in workers:
        core.services.clock = clock
    try:
        for _ in range(5):  # each round starts with no row, as on a new deployment
            async with workers[0].db.transaction() as session:
                await session.exec(delete(OutboxMessage))  # type: ignore[call-overload]
                await session.exec(delete(DutyHandoff))  # type: ignore[call-overload]
            told = await asyncio.gather(*(announce_handoffs(core.services) for core in workers))
            assert sorted(told) == [0, 1]
            async with workers[0].db.session() as session:
                handoffs = (await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "handoff"))).all()
            assert len(handoffs) == 1
    finally:
        for core in workers:
            await core.db.dispose()
