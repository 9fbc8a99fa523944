"""Engines, sessions and start-up migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["Database", "async_url", "insert_or", "run_migrations", "sync_url"]

_MIGRATIONS = Path(__file__).with_name("migrations")
T = TypeVar("T")


@dataclasses.dataclass
class FirstWork:
    """Statements that join the first transaction a task opens (``Database.first_transaction_runs``)."""

    work: Callable[[AsyncSession], Awaitable[None]]
    task: asyncio.Task[Any] | None
    done: bool = False  # committed, or on its way: a rolled-back transaction hands it to the next one


_FIRST: ContextVar[FirstWork | None] = ContextVar("first_transaction_work", default=None)


def _driver(url: str, *, asynchronous: bool) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        driver = "aiosqlite" if asynchronous else "pysqlite"
    elif backend == "postgresql":
        driver = "psycopg"
    else:
        raise ValueError(f"DATABASE_URL: unsupported database '{backend}' (use sqlite or postgresql)")
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def async_url(url: str) -> str:
    return _driver(url, asynchronous=True)


def sync_url(url: str) -> str:
    return _driver(url, asynchronous=False)


def insert_or(bind: Any, table: Any) -> Any:
    """The INSERT of ``bind``'s dialect, the one with ON CONFLICT (SQLite's and PostgreSQL's both have it).
    PostgreSQL's dialect is imported only where it runs: on SQLite it would add 36 ms to every start."""
    if bind is not None and bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


_REVISION = re.compile(r"^(revision|down_revision)\s*=\s*['\"]?(\w+)", re.MULTILINE)


def _newest_revision() -> str | None:
    """The one head of the chain, read from the files as text (None when it is not one plain chain)."""
    revisions, parents = set(), set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _applied_revisions(url: str) -> list[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:  # a new database: no table yet
        return []
    finally:
        engine.dispose()


def run_migrations(url: str) -> None:
    """Brings the schema to the newest Alembic revision; safe to call at every start. Alembic (with mako,
    about 12 MB per process) is imported only when there is something to migrate."""
    _ensure_sqlite_dir(url)
    newest = _newest_revision()
    if newest is not None and _applied_revisions(url) == [newest]:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["database_url"] = sync_url(url)
    command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """One async engine per process; sessions are short and never shared across tasks."""

    def __init__(self, url: str) -> None:
        _ensure_sqlite_dir(url)
        self.url = url
        sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine: AsyncEngine = create_async_engine(  # a local file does not drop connections: no ping for it
            async_url(url), pool_pre_ping=not sqlite, hide_parameters=True  # errors never echo sealed or personal values
        )
        self._plain: Engine | None = None  # SQLite: the same file through the plain driver, for ``run_sync``
        if sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self._plain = create_engine(
                sync_url(url), hide_parameters=True, pool_size=2, connect_args={"check_same_thread": False}
            )
            event.listen(self._plain, "connect", _sqlite_pragmas)
        self.info: dict[str, Any] = {}  # copied into each new session's .info (bot/metrics.py counts commits by it)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False, info=self.info)
        self._writer = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None
        self._writer_task: asyncio.Task[Any] | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Everything written inside commits together or not at all.

        On SQLite, one writer at a time is the file's own rule; taking turns here, in order, replaces
        SQLite's busy-wait (sleeps of up to 100 ms between tries) with a queue. A transaction opened
        inside another by the same task does not wait for itself."""
        if self._writer is None or self._writer_task is asyncio.current_task():
            async with self._begin() as session:
                yield session
            return
        async with self._writer:
            self._writer_task = asyncio.current_task()
            try:
                async with self._begin() as session:
                    yield session
            finally:
                self._writer_task = None

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            first = _FIRST.get()
            if first is None or first.done or first.task is not asyncio.current_task():
                yield session
                return
            first.done = True
            try:
                await first.work(session)
                yield session
            except BaseException:
                first.done = False
                raise

    @contextmanager
    def first_transaction_runs(self, work: Callable[[AsyncSession], Awaitable[None]]) -> Iterator[FirstWork]:
        """``work`` opens the first ``transaction`` this task begins inside the block, and commits with it:
        an update's "handled" mark costs no transaction of its own. ``done`` tells whether one carried it.
        A transaction that only looked, leaving the update's work to a later one, raises to roll back."""
        first = FirstWork(work, asyncio.current_task())
        token = _FIRST.set(first)
        try:
            yield first
        finally:
            _FIRST.reset(token)

    @asynccontextmanager
    async def exclusive(self, key: int) -> AsyncIterator[AsyncSession]:
        """A transaction that workers run one at a time (PostgreSQL advisory lock; SQLite writes are serial anyway)."""
        async with self.transaction() as session:
            if self.is_postgres:
                await session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=key))  # type: ignore[call-overload]
            yield session

    async def run_sync(self, work: Callable[[Connection], T]) -> T:
        """``work`` (plain Core statements on a synchronous connection) as one transaction, for the few
        writes every update makes (its redelivery mark, the ids of what was sent). Through aiosqlite each
        statement costs several hops to its thread and back; here on SQLite the whole transaction is one
        hop to a worker thread (taking its turn with the other writers), while PostgreSQL runs it on the
        async engine itself. ``work`` must not touch the event loop; it may run in another thread."""
        if self._plain is None:
            async with self.engine.begin() as connection:
                return await connection.run_sync(work)
        if self._writer_task is asyncio.current_task():
            raise RuntimeError("run_sync inside this task's own transaction would wait for itself")
        assert self._writer is not None
        async with self._writer:
            return await asyncio.get_running_loop().run_in_executor(None, self._in_thread, work)

    def _in_thread(self, work: Callable[[Connection], T]) -> T:
        assert self._plain is not None
        with self._plain.begin() as connection:
            return work(connection)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._plain is not None:
            self._plain.dispose()
