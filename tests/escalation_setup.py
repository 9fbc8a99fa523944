"""A deployment with a roster, a leader, a police contact and the national line, for escalation tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.conftest import COMMUNE_GROUP, DEPLOYMENT, LAN, MINH, PROVINCE_GROUP

LEADER = 5005  # the commune chairperson
POLICE_CHAT = -1001000000007
NATIONAL_CHAT = -1001000000009


def escalation_deployment(policy: str = "", *, rosters: str | None = None) -> str:
    """The shared test deployment plus the commune's chairperson, its roster (Lan and Dũng by day,
    handoff 07:30) and contacts; ``policy`` is TOML for [policies.default]."""
    roster = rosters if rosters is not None else """
[[rosters]]
unit = "00070"
rotation = ["Nguyễn Thị Lan", "Phạm Văn Dũng"]
handoff = "07:30"
start = 2026-11-02
"""
    units = DEPLOYMENT.replace(
        f'name = "UBND phường Hoàn Kiếm"\ntelegram_chat_id = {COMMUNE_GROUP}',
        f'name = "UBND phường Hoàn Kiếm"\ntelegram_chat_id = {COMMUNE_GROUP}\n'
        f'police = {{ name = "Công an phường", telegram_chat_id = {POLICE_CHAT} }}',
    )
    assert units != DEPLOYMENT
    return f"""
national_contact = {{ name = "Tổng đài 111", telegram_chat_id = {NATIONAL_CHAT} }}
{units}
[[officers]]
name = "Chủ tịch Bình"
unit = "00070"
role = "leader"
telegram_user_id = {LEADER}
{roster}
{"[policies.default]" if policy else ""}
{policy}
"""


def write_deployment(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "escalation.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Clock:
    """The injected clock: starts on a Monday at 09:00 in Vietnam (Lan's shift) and only moves when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 local, Monday 2 November 2026

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: Any) -> None:
        self.now += timedelta(**delta)


__all__ = ["LAN", "LEADER", "MINH", "NATIONAL_CHAT", "POLICE_CHAT", "PROVINCE_GROUP", "Clock", "escalation_deployment", "write_deployment"]
