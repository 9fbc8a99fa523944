"""What every benchmark measures and prints the same way: the machine, memory, percentiles, the verdict,
its options, its entry point and the count of the bot's errors."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import platform
import resource
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.cli.run import loop_factory

__all__ = [
    "ROOT", "ErrorCounter", "bot_loop", "collect", "common_options", "machine_info", "percentile", "print_machine",
    "quiet_logging", "rss_mb", "run_benchmark", "verdict", "write_result",
]

ROOT = Path(__file__).resolve().parents[1]


def bot_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop the bot would run on here (EVENT_LOOP, as bot/cli/run.py reads it): benchmarks use it too."""
    return loop_factory(os.environ.get("EVENT_LOOP", "auto"))


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001
        return "?"


def machine_info(database_url: str | None = None) -> dict[str, Any]:
    import sqlite3

    import aiogram
    import sqlalchemy

    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(_ram_gb(), 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "aiogram": aiogram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "aiohttp": _version("aiohttp"),
        "cryptography": _version("cryptography"),
        "event_loop": "uvloop" if bot_loop() else "asyncio",
    }
    if database_url and database_url.startswith("postgresql"):
        info["database"] = f"PostgreSQL {_pg_version(database_url)} (psycopg {_version('psycopg')})"
    else:
        info["database"] = f"SQLite {sqlite3.sqlite_version} file, WAL (aiosqlite {_version('aiosqlite')})"
    return info


def _pg_version(url: str) -> str:
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(url, connect_timeout=3) as conn:
        row = conn.execute("show server_version").fetchone()
        return str(row[0]) if row else "?"
    return "?"


def print_machine(info: dict[str, Any]) -> None:
    print(
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {info['ram_gb']} GB RAM, "
        f"load average {info['load_avg'][0]} / {info['load_avg'][1]} / {info['load_avg'][2]} at start"
    )
    print(
        f"software: Python {info['python']}, aiogram {info['aiogram']}, SQLAlchemy {info['sqlalchemy']}, "
        f"aiohttp {info['aiohttp']}, cryptography {info['cryptography']}; database: {info['database']}; "
        f"the bot's event loop: {info.get('event_loop', 'asyncio')}"
    )


def rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) of this process in MB, from /proc (getrusage's peak where no /proc)."""
    values: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount = line.split(":", 1)
                values[name] = int(amount.split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return values.get("VmRSS", peak), values.get("VmHWM", peak)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (a value that really occurred); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))  # ceil(q/100 * n)
    return ordered[rank - 1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def common_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every benchmark takes: where the database is and where the result goes."""
    parser.add_argument("--database-url", default=None, help="postgresql://… (a fresh database is made there); default SQLite file")
    parser.add_argument("--json", default=None, help="write the result as JSON to this file")
    return parser


def run_benchmark(
    bench: Callable[[argparse.Namespace], Awaitable[dict[str, Any]]], report: Callable[[dict[str, Any]], None],
    parser: argparse.ArgumentParser, argv: list[str] | None,
) -> dict[str, Any]:
    args = parser.parse_args(argv)
    with asyncio.Runner(loop_factory=bot_loop()) as runner:
        result = runner.run(bench(args))
    report(result)
    write_result(args.json, result)
    return result


def write_result(path: str | None, result: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


class ErrorCounter(logging.Handler):
    """Counts the bot's ERROR log records (a failed update, a failed step), so a broken run is visible."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(f"{record.name}: {record.getMessage()[:200]}")


def quiet_logging() -> ErrorCounter:
    counter = ErrorCounter()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().addHandler(counter)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: maximum number of running instances"
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    return counter


def collect() -> None:
    for _ in range(3):
        gc.collect()
