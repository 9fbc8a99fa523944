"""The fake Zalo server as a pytest fixture; any request outside the documented API fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.zalo_fake.server import FakeZaloServer


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    server = await FakeZaloServer().start()
    try:
        yield server
    finally:
        await server.stop()
    assert server.violations == [], server.violations
