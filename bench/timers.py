"""3. Escalation timer lateness with many pending timers: ``--timers`` cases (default 10,000), each with its
chain timer (a row in ``escalation``) due within a ``--window`` of seconds, fired by the real TimerWorker
(APScheduler every TIMER_POLL_SECONDS = 1 s, ``fire`` per row) while the outbox sends what the steps
write to the fake Telegram server. Lateness = the step's timeline entry (``step_sent``/``step_skipped``,
written in the transaction that fires it) minus the row's due time. Goal p99 < 1 s.

The cases are made with the storage layer (``create_case``, each with its own data key) rather than
through the chat, which would take far longer than the measurement; the step fired is the second of
the default normal chain (the duty officer on the roster, privately), with the case's policy snapshot
set as at submission. Every case has its assessment and plan timers too, due hours later, so the
table holds 3 pending rows per case.

Run: python -m bench.timers [--timers 10000] [--window 60] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import col, select, update

from bench.assembly import bench_core, running
from bench.fake_server import BenchServer
from bench.measure import (
    common_options,
    machine_info,
    percentile,
    print_machine,
    quiet_logging,
    run_benchmark,
    verdict,
)
from handlers.rules.deadlines import deadline_of
from handlers.rules.policy import Track
from storage.cases import Submission, create_case
from storage.escalation import set_track
from storage.models import CaseEvent, Escalation, EscalationState, EventKind, utcnow
from tests.escalation_setup import escalation_deployment

GOAL_S = 1.0
LAN_ALWAYS = """
[[rosters]]
unit = "00070"
rotation = ["Nguyễn Thị Lan"]
start = 2026-01-01
"""


def _submission(number: int) -> Submission:
    return Submission(
        category="physical", urgent=False, age_band="6-10", sex="girl", place_code="00070", channel="telegram",
        reporter_kind="adult", reporter_handle=f"bench-timer-{number:06d}", contact_allowed=False,
        body={"relation": "neighbour", "address": "Ngõ 5", "description": f"Mô tả {number}", "locale": "vi"},
        reply_address=None,
    )


async def _make_cases(core: Any, count: int, batch: int = 200) -> list[str]:
    """Cases with their chain at step 1 (the group card went out at submission), due far away for now."""
    services, ids = core.services, []
    far = utcnow() + timedelta(days=1)
    policy = services.policy_for("00070").model_dump_json()
    for start in range(0, count, batch):
        async with services.db.transaction() as session:
            for number in range(start, min(count, start + batch)):
                now = utcnow()
                case = await create_case(session, services.vault, _submission(number), unit_code="00070", draft=None, received_at=now)
                case.policy = policy
                session.add(case)
                await session.flush()
                await set_track(session, case.id, Track.CHAIN, anchor=now, step=1, due=far)
                for track in (Track.ASSESSMENT, Track.PLAN):
                    await set_track(session, case.id, track, anchor=deadline_of(case, track), step=0, due=far + timedelta(hours=1))
                ids.append(case.id)
    return ids


async def _schedule(core: Any, case_ids: list[str], first_due: datetime, window: float) -> dict[str, datetime]:
    """Spreads the chain timers evenly over the window (one statement, so they all exist before the worker looks)."""
    step = window / max(1, len(case_ids) - 1) if len(case_ids) > 1 else 0.0
    due = {case_id: first_due + timedelta(seconds=n * step) for n, case_id in enumerate(case_ids)}
    statement = (
        update(Escalation)
        .where(col(Escalation.case_id) == bindparam("cid"), col(Escalation.track) == Track.CHAIN.value)
        .values(due_at=bindparam("due"))
    )
    async with core.services.db.transaction() as session:
        connection = await session.connection()
        await connection.execute(statement, [{"cid": cid, "due": at} for cid, at in due.items()])
    return due


async def _fired(core: Any) -> dict[str, datetime]:
    """case id → when its chain step 1 fired, from the timeline."""
    query = (
        select(CaseEvent.case_id, func.min(CaseEvent.at))
        .where(col(CaseEvent.kind).in_([EventKind.STEP_SENT, EventKind.STEP_SKIPPED]), col(CaseEvent.detail).like("chain#1 %"))
        .group_by(col(CaseEvent.case_id))
    )
    async with core.services.db.session() as session:
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return {case_id: at for case_id, at in rows}


async def _pending(core: Any) -> int:
    async with core.services.db.session() as session:
        query = select(func.count()).select_from(Escalation).where(col(Escalation.state) == EscalationState.PENDING)
        return int((await session.exec(query)).one())  # type: ignore[call-overload]


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    errors = quiet_logging()
    info = machine_info(args.database_url)
    deployment = escalation_deployment(rosters=LAN_ALWAYS)
    async with bench_core(args.database_url, deployment, timer_poll_seconds=args.poll) as core:
        made = time.perf_counter()
        case_ids = await _make_cases(core, args.timers)
        setup_s = time.perf_counter() - made
        first_due = utcnow() + timedelta(seconds=args.lead)
        coming = case_ids[: args.due or len(case_ids)]  # the rest stay pending a day ahead
        due = await _schedule(core, coming, first_due, args.window)
        pending = await _pending(core)
        print(f"  {len(case_ids)} cases made in {setup_s:.0f} s; {pending} pending timer rows; {len(coming)} chain timers due over {args.window:g} s", flush=True)
        last_due = max(due.values())
        deadline = time.monotonic() + args.lead + args.window + args.timeout
        fired: dict[str, datetime] = {}
        progress: list[tuple[float, int]] = []
        async with BenchServer() as server, running(server, core):
            began = time.monotonic()
            while time.monotonic() < deadline:
                await asyncio.sleep(args.check)
                fired = await _fired(core)
                progress.append((time.monotonic() - began, len(fired)))
                if len(fired) >= len(coming):
                    break
            sent_private = server.calls.get("sendMessage", 0)
        fired = await _fired(core)
    lateness = [(fired[cid] - due[cid]).total_seconds() for cid in coming if cid in fired]
    unfired = len(coming) - len(lateness)
    censored = lateness + [(utcnow() - last_due).total_seconds()] * unfired  # not fired yet: at least this late
    early = sum(1 for x in lateness if x < 0)
    span = (max(fired.values()) - min(fired.values())).total_seconds() if len(fired) > 1 else float("nan")
    p99 = percentile(censored, 99)
    return {
        "benchmark": "timers",
        "machine": info,
        "timers": len(case_ids),
        "due_in_window": len(coming),
        "pending_rows": pending,
        "window_s": args.window,
        "poll_s": args.poll,
        "setup_s": setup_s,
        "fired": len(lateness),
        "unfired": unfired,
        "early": early,
        "lateness_p50_s": percentile(censored, 50),
        "lateness_p90_s": percentile(censored, 90),
        "lateness_p99_s": p99,
        "lateness_max_s": max(censored, default=float("nan")),
        "fired_per_s": len(fired) / span if span and span > 0 else float("nan"),
        "needed_per_s": len(coming) / args.window if args.window > 0 else float("inf"),
        "telegram_sends": sent_private,
        "goal": f"p99 < {GOAL_S:g} s",
        "pass": p99 < GOAL_S and unfired == 0 and early == 0,
        "logged_errors": errors.count,
        "first_errors": errors.first,
    }


def report(result: dict[str, Any]) -> None:
    print_machine(result["machine"])
    print(
        f"timers: {result['timers']} pending chain timers, {result['due_in_window']} of them due over {result['window_s']:g} s "
        f"({result['needed_per_s']:.0f}/s needed; {result['pending_rows']} pending rows in the table), "
        f"TimerWorker polling every {result['poll_s']:g} s"
    )
    print(
        f"  lateness p50 {result['lateness_p50_s']:.2f} s, p90 {result['lateness_p90_s']:.2f} s, "
        f"p99 {result['lateness_p99_s']:.2f} s, max {result['lateness_max_s']:.2f} s; "
        f"fired {result['fired']} at {result['fired_per_s']:.0f}/s, {result['telegram_sends']} Telegram messages sent meanwhile"
    )
    extra = ""
    if result["unfired"]:
        extra += f"  [{result['unfired']} never fired in time: counted as late as the run's end]"
    if result["early"]:
        extra += f"  [{result['early']} fired EARLY]"
    if result["logged_errors"]:
        extra += f"  [{result['logged_errors']} errors logged: {result['first_errors'][:2]}]"
    print(f"  p99 {result['lateness_p99_s']:.2f} s (goal < {GOAL_S:g} s) -> {verdict(result['pass'])}{extra}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--timers", type=int, default=10_000, help="pending chain timers (one case each)")
    p.add_argument("--due", type=int, default=None, help="how many of them come due within the window (default: all); the rest stay pending a day ahead")
    p.add_argument("--window", type=float, default=60.0, help="seconds over which their due times are spread")
    p.add_argument("--lead", type=float, default=3.0, help="seconds from scheduling to the first due time")
    p.add_argument("--poll", type=float, default=1.0, help="TIMER_POLL_SECONDS (production default 1 s)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds after the window to wait for the stragglers")
    p.add_argument("--check", type=float, default=1.0, help="seconds between progress checks")
    return common_options(p)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_benchmark(bench, report, parser(), argv)


if __name__ == "__main__":
    main()
