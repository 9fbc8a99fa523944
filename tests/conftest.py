"""Shared fixtures: a database per test (SQLite file, or a fresh PostgreSQL database), keys, deployment."""

from __future__ import annotations

import asyncio
import base64
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

try:
    import uvloop
except ImportError:  # not on every platform (pyproject.toml): those tests then run on asyncio's loop only
    uvloop = None

from bot.config import Settings
from bot.core import Core, build_core

pytest_plugins = ["tests.telegram_fake.fixtures", "tests.zalo_fake.fixtures"]  # the fake servers

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"

REPORTER, OTHER_USER = 9001, 9002
LAN, MINH, HOA = 5001, 5002, 5003  # commune officer, province supervisor, officer of another province
ADMIN = 5004  # the province's administrator: configures, never reads cases
COMMUNE_GROUP, PROVINCE_GROUP, OTHER_GROUP = -1001000000002, -1001000000001, -1001000000003
ZALO_OFFICER = "zalo-officer-77"  # a commune officer without Telegram: alerts reach them privately on Zalo

DEPLOYMENT = f"""
fallback_unit = "01"

[[units]]
code = "01"
telegram_chat_id = {PROVINCE_GROUP}

[[units]]
code = "00070"
name = "UBND phường Hoàn Kiếm"
telegram_chat_id = {COMMUNE_GROUP}

[[units]]
code = "79"
telegram_chat_id = {OTHER_GROUP}

[[officers]]
name = "Nguyễn Thị Lan"
unit = "00070"
telegram_user_id = {LAN}
terminal_login = "lan"

[[officers]]
name = "Trần Văn Minh"
unit = "01"
role = "supervisor"
telegram_user_id = {MINH}

[[officers]]
name = "Phạm Văn Dũng"
unit = "00070"
zalo_user_id = "{ZALO_OFFICER}"

[[officers]]
name = "Quản trị Tâm"
unit = "01"
role = "admin"
telegram_user_id = {ADMIN}

[[officers]]
name = "Lê Thị Hoa"
unit = "79"
telegram_user_id = {HOA}
terminal_login = "hoa"
"""


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Every async test on asyncio's loop; those marked ``both_loops`` (the runtime end to end) on uvloop
    too, the loop ``python -m bot`` runs on where it is installed (bot/cli/run.py)."""
    loops: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {"asyncio": asyncio.new_event_loop}
    if uvloop is not None and item.get_closest_marker("both_loops") is not None:
        loops["uvloop"] = uvloop.new_event_loop
    return loops


def _postgres_database(template: str | None = None) -> Iterator[str]:
    import psycopg

    name = f"cp_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but did not answer: {exc}")
        pytest.skip(f"no PostgreSQL server at {PG_ADMIN_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _Migrated:
    """One database per kind migrated once per session and copied for each test (SQLite's backup, a
    PostgreSQL template): migrating afresh took about a quarter of a second per test, minutes per run.
    ``empty_database_url`` is for the tests of the migrations themselves."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite: Path | None = None
        self.postgres: str | None = None  # the template's name
        self._postgres_made: Iterator[str] | None = None

    def sqlite_copy(self, target: Path) -> None:
        import sqlite3
        from contextlib import closing

        from storage.db import run_migrations

        if self.sqlite is None:
            self.sqlite = self.folder / "migrated.db"
            run_migrations(f"sqlite:///{self.sqlite}")
        with closing(sqlite3.connect(self.sqlite)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)

    def postgres_template(self) -> str:
        import psycopg

        from storage.db import run_migrations

        if self.postgres is None:
            self._postgres_made = _postgres_database()
            url = next(self._postgres_made)
            run_migrations(url)
            self.postgres = url.rsplit("/", 1)[1]
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:  # a template must have no one connected
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.postgres,))
        return self.postgres

    def close(self) -> None:
        if self._postgres_made is not None:
            self._postgres_made.close()  # drops the template (the generator's finally)


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Migrated]:
    migrated = _Migrated(tmp_path_factory.mktemp("migrated"))
    yield migrated
    migrated.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, _migrated: _Migrated) -> Iterator[str]:
    """A database of this test's own, already at the newest revision."""
    if request.param == "sqlite":
        _migrated.sqlite_copy(tmp_path / "cp.db")
        yield f"sqlite:///{tmp_path / 'cp.db'}"
    else:
        yield from _postgres_database(_migrated.postgres_template())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cp.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def redis_url() -> str:
    """The real Redis server; each test keeps its keys apart with its own prefix (see ``redis_prefix``)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (REQUIRE_REDIS=1) but did not answer: {exc}")
        pytest.skip(f"no Redis server at {REDIS_TEST_URL}: {exc}")
    return REDIS_TEST_URL


@pytest.fixture
def redis_prefix() -> str:
    return f"cptest:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cp.db'}"


@pytest.fixture
def make_settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    deployment = tmp_path / "deployment.toml"
    deployment.write_text(DEPLOYMENT, encoding="utf-8")
    key = base64.b64encode(b"k" * 32).decode()

    def make(database_url: str, **overrides: object) -> Settings:
        values: dict[str, object] = dict(
            telegram_bot_token=None,
            database_url=database_url,
            master_keys=f"1:{key}",
            pseudonym_pepper="test-pepper-0123456789",
            deployment_file=deployment,
            data_dir=tmp_path / "data",
            outbox_poll_seconds=0.05,
            timer_poll_seconds=0.2,
            abuse_max_messages=0,  # scripts type faster than any person; tests/handlers/intake/test_abuse.py sets it
        )
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
async def core(make_settings, database_url: str) -> AsyncIterator[Core]:  # type: ignore[no-untyped-def]
    built = await build_core(make_settings(database_url), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


SERVER_MASTER_KEYS = "1:" + base64.b64encode(b"s" * 32).decode()
SERVER_PEPPER = "server-pepper-0123456789"


def server_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, deployment: str = DEPLOYMENT, **extra: str
) -> Path:
    """The environment variables a server's command line reads (its own keys: a command never makes any);
    returns the deployment file."""
    path = tmp_path / "deployment.toml"
    path.write_text(deployment, encoding="utf-8")
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DEPLOYMENT_FILE": str(path), "DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": "", "ZALO_BOT_TOKEN": "", "MASTER_KEYS": SERVER_MASTER_KEYS, "PSEUDONYM_PEPPER": SERVER_PEPPER,
        "DEFAULT_LOCALE": "vi",
    }
    for name, value in {**values, **extra}.items():
        monkeypatch.setenv(name, value)
    return path


@pytest.fixture
def aiohttp_client_factory() -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    """A real HTTP client against an aiohttp app served on a free local port."""
    from aiohttp.test_utils import TestClient, TestServer

    @asynccontextmanager
    async def make(app: Any) -> AsyncIterator[Any]:
        async with TestClient(TestServer(app)) as client:
            yield client

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long loops (kill -9 runs, fuzzing at full count) run only with RUN_SLOW=1; CI runs their short form."""
    if os.environ.get("RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="long loop: run with RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
