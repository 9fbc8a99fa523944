"""Whom each step of a unit's urgent chain can reach, judged from the deployment file alone, the way
handlers/escalation/engine.py resolves it at run time: so that check-config refuses a deployment where an
urgent case nobody takes would page nobody after its card (a step with nobody to tell is skipped at once)."""

from __future__ import annotations

from bot.deployment import Deployment, OfficerSpec, Role, UnitSpec
from handlers.rules.policy import StepSpec, Target

__all__ = ["silent_chains", "silent_steps"]


def _reachable(officer: OfficerSpec | None) -> bool:
    """A private chat to page: Telegram (the user id is the chat id) or Zalo; a terminal login is no one's phone."""
    return officer is not None and (officer.telegram_user_id is not None or officer.zalo_user_id is not None)


def _ancestors(deployment: Deployment, unit: UnitSpec) -> list[UnitSpec]:
    """The unit and the declared units above it, nearest first (as bot/core.py syncs parents)."""
    chain: list[UnitSpec] = []
    current: UnitSpec | None = unit
    while current is not None and current not in chain:
        chain.append(current)
        current = deployment.unit(current.default_parent) if current.default_parent else None
    return chain


def _group_reaches(deployment: Deployment, unit: UnitSpec) -> bool:
    """The nearest duty group up the tree, or the unit's officers whom no group reaches (Zalo only)."""
    if any(u.telegram_chat_id is not None for u in _ancestors(deployment, unit)):
        return True
    return any(o.unit == unit.code and o.telegram_user_id is None and o.zalo_user_id for o in deployment.officers)


def _reaches(deployment: Deployment, unit: UnitSpec, target: Target) -> bool:
    officers = {o.name: o for o in deployment.officers if o.unit == unit.code}
    roster = next((r for r in deployment.rosters if r.unit == unit.code), None)
    on_duty = [*(roster.rotation if roster else []), *([roster.holiday_officer] if roster and roster.holiday_officer else [])]
    every_shift = bool(roster and roster.rotation) and all(_reachable(officers.get(n)) for n in on_duty)
    if target is Target.GROUP:
        return _group_reaches(deployment, unit)
    if target is Target.PARENT_GROUP:
        above = _ancestors(deployment, unit)[1:]
        return bool(above) and _group_reaches(deployment, above[0])
    if target in (Target.DUTY_OFFICER, Target.OWNER):
        return every_shift
    if target is Target.BACKUP:  # a fixed backup, else the next officer in a rotation of two or more
        fixed = roster is not None and roster.backup is not None and _reachable(officers.get(roster.backup))
        return fixed or (every_shift and roster is not None and len(roster.rotation) > 1)
    if target is Target.LEADER:
        return any(o.role == Role.LEADER and _reachable(o) for o in officers.values())
    if target is Target.NATIONAL:
        return deployment.national_contact is not None
    return any(u.police is not None for u in _ancestors(deployment, unit))


def silent_steps(deployment: Deployment, unit: UnitSpec) -> list[StepSpec]:
    """The steps of the unit's urgent chain that reach nobody at all."""
    chain = deployment.policy(unit.policy).urgent
    return [s for s in chain.steps if not any(_reaches(deployment, unit, t) for t in s.notify)]


def silent_chains(deployment: Deployment) -> list[UnitSpec]:
    """Units whose urgent chain reaches nobody after its first step (the card): every declared unit can
    hold a case (its communes', its province's, the fallback's, or one transferred to it)."""
    found = []
    for unit in deployment.units:
        after_card = deployment.policy(unit.policy).urgent.steps[1:]
        if not any(_reaches(deployment, unit, t) for s in after_card for t in s.notify):
            found.append(unit)
    return found
