"""Every flow the conversation engine runs, and a lookup of their steps by name (names are unique)."""

from __future__ import annotations

from handlers.intake.child_flow import CHILD
from handlers.intake.flows import Flow, Step
from handlers.intake.online_flow import ONLINE
from handlers.intake.report_flow import REPORT

__all__ = ["FLOWS", "STEPS"]

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (REPORT, CHILD, ONLINE)}
STEPS: dict[str, Step] = {step.name: step for flow in FLOWS.values() for step in flow.steps}
assert len(STEPS) == sum(len(f.steps) for f in FLOWS.values()), "step names must be unique across flows"
