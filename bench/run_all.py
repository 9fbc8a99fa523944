"""All four speed benchmarks, each in its own fresh process (so one's heap never inflates another's
memory reading), then one summary table.

Run: python -m bench [--quick] [--database-url postgresql://…] [--only pipeline,latency,timers,memory]
(also: python bench/run_all.py …). Each benchmark's own output is printed as it runs; the bot's log
(errors included) goes to bench-logs/<name>.log beside this file, or --logs DIR.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ORDER = ["pipeline", "latency", "timers", "memory"]
FULL: dict[str, list[str]] = {
    "pipeline": ["--reporters", "150", "--concurrency", "50", "--repeats", "3"],
    "latency": ["--reporters", "50", "--rounds", "4"],
    "timers": ["--timers", "10000", "--due", "1000", "--window", "60"],
    "memory": ["--conversations", "10000", "--steps", "4"],
}
QUICK: dict[str, list[str]] = {
    "pipeline": ["--reporters", "30", "--concurrency", "15", "--repeats", "1", "--warmup", "3"],
    "latency": ["--reporters", "50", "--rounds", "1", "--think", "0.5", "--warmup", "1", "--send-limits", "on"],
    "timers": ["--timers", "1000", "--due", "200", "--window", "10", "--timeout", "40"],
    "memory": ["--conversations", "300", "--steps", "4", "--concurrency", "50", "--sample-every", "150"],
}


def _fmt(value: float, unit: str, digits: int = 0) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f} {unit}".strip()


def summary_rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    rows = []
    if r := results.get("pipeline"):
        rows.append((
            "1. pipeline throughput vs bare aiogram echo",
            f"ratio {r['ratio']:.3f} ({r['bot_updates_per_s']:.0f} vs {r['echo_updates_per_s']:.0f} updates/s, {r['updates_per_run']} updates)",
            ">= 0.5", "PASS" if r["pass"] else "MISS",
        ))
    if r := results.get("latency"):
        variants = {v["send_limits"]: v for v in r["variants"]}
        text = f"p99 {_fmt(r['alert_p99_ms'], 'ms')} (p50 {_fmt(r['alert_p50_ms'], 'ms')}, {r['samples']} submits)"
        if False in variants and True in variants:
            text += f"; without Telegram send limits p99 {_fmt(variants[False]['alert_p99_ms'], 'ms')}"
        rows.append(("2. submit-to-alert, 50 reporters", text, "p99 < 300 ms", "PASS" if r["pass"] else "MISS"))
    if r := results.get("timers"):
        rows.append((
            f"3. timer lateness, {r['timers']} pending, {r['due_in_window']} due over {r['window_s']:g} s",
            f"p99 {_fmt(r['lateness_p99_s'], 's', 2)} (p50 {_fmt(r['lateness_p50_s'], 's', 2)}; fired {r['fired_per_s']:.0f}/s, needed {r['needed_per_s']:.0f}/s)",
            "p99 < 1 s", "PASS" if r["pass"] else "MISS",
        ))
    if r := results.get("memory"):
        ref = r.get("reference") or {}
        floor = f"; aiogram import alone {ref['with_aiogram_mb']:.0f} MB" if ref else ""
        rows.append((
            f"4. RSS, {r['conversations']} conversations in progress",
            f"{r['rss_mb']:.0f} MB ({r['rss_bot_running_mb']:.0f} MB before them, {r['per_conversation_kb']:.1f} KB each{floor})",
            "< 200 MB", "PASS" if r["pass"] else "MISS",
        ))
    return rows


def print_summary(results: dict[str, dict[str, Any]], failures: dict[str, str]) -> None:
    rows = summary_rows(results) + [(f"{name} (did not finish)", why, "", "ERROR") for name, why in failures.items()]
    widths = [max(len(row[i]) for row in [("benchmark", "result", "goal", "")] + rows) for i in range(4)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    print(line)
    for row in [("benchmark", "result", "goal", "")] + rows:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
        if row[0] == "benchmark":
            print(line)
    print(line)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small counts, about two minutes in all (the full run: ~30 min)")
    p.add_argument("--database-url", default=None, help="postgresql://… (each benchmark makes and drops its own database there)")
    p.add_argument("--only", default=",".join(ORDER), help="comma-separated subset of " + ",".join(ORDER))
    p.add_argument("--logs", default=None, help="folder for each benchmark's log (default: a temporary folder)")
    p.add_argument("--json", default=None, help="write all results as one JSON file")
    args = p.parse_args(argv)
    chosen = [name for name in ORDER if name in args.only.split(",")]
    logs = Path(args.logs) if args.logs else Path(tempfile.mkdtemp(prefix="cp-bench-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    presets = QUICK if args.quick else FULL
    results: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for name in chosen:
        out = logs / f"{name}.json"
        command = [sys.executable, "-m", f"bench.{name}", *presets[name], "--json", str(out)]
        if args.database_url:
            command += ["--database-url", args.database_url]
        print(f"== {name}: {' '.join(command[2:])}", flush=True)
        began = time.perf_counter()
        with open(logs / f"{name}.log", "w", encoding="utf-8") as log:
            finished = subprocess.run(command, cwd=ROOT, stderr=log, check=False)
        if finished.returncode == 0 and out.exists():
            results[name] = json.loads(out.read_text(encoding="utf-8"))
        else:
            failures[name] = f"exit status {finished.returncode}; see {logs / (name + '.log')}"
        print(f"   ({time.perf_counter() - began:.0f} s; log: {logs / (name + '.log')})\n", flush=True)
    print(f"summary ({'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s):")
    if results:
        from bench.measure import print_machine

        print_machine(next(iter(results.values()))["machine"])
    print_summary(results, failures)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
