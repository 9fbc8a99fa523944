"""Rosters, contacts and policies in the deployment file: loaded as Vietnamese time, refused with the field named;
and an urgent chain that would page nobody after its card refused by check-config."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.chain_reach import silent_chains, silent_steps
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.core import build_core
from bot.deployment import DeploymentError, load_deployment
from bot.scheduler import TimerWorker
from handlers.rules.policy import DEFAULT_POLICY, Policy, Target
from storage.models import Case
from tests.chat_driver import CoreChat
from tests.conftest import COMMUNE_GROUP, DEPLOYMENT, server_environment
from tests.escalation_setup import NATIONAL_CHAT, POLICE_CHAT, Clock, escalation_deployment, write_deployment
from tests.recording_sender import RecordingSender

LAN_NAME, DUNG_NAME, MINH_NAME = "Nguyễn Thị Lan", "Phạm Văn Dũng", "Trần Văn Minh"


def roster(body: str = "", *, unit: str = "00070", rotation: str = f'["{LAN_NAME}", "{DUNG_NAME}"]') -> str:
    return f"""
[[rosters]]
unit = "{unit}"
rotation = {rotation}
start = 2026-11-02
{body}
"""


def refused(tmp_path: Path, text: str, locale: str = "en") -> str:
    with pytest.raises(DeploymentError) as caught:
        load_deployment(write_deployment(tmp_path, text), locale=locale)
    return str(caught.value)


def test_escalation_deployment_loads(tmp_path: Path) -> None:
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment()))
    commune = deployment.unit("00070")
    assert commune is not None and commune.policy == "default"
    assert commune.police is not None and commune.police.telegram_chat_id == POLICE_CHAT
    assert deployment.national_contact is not None and deployment.national_contact.telegram_chat_id == NATIONAL_CHAT
    (spec,) = deployment.rosters
    assert (spec.unit, spec.rotation) == ("00070", [LAN_NAME, DUNG_NAME])
    assert (spec.handoff, spec.start, spec.period_days) == (time(7, 30), date(2026, 11, 2), 1)
    assert any(o.role == "leader" and o.unit == "00070" for o in deployment.officers)
    assert deployment.policy("default") == DEFAULT_POLICY


def test_roster_unit_code_written_as_a_number_is_padded(tmp_path: Path) -> None:
    province = roster(unit="1", rotation=f'["{MINH_NAME}"]').replace('unit = "1"', "unit = 1")
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment(rosters=roster() + province)))
    assert [r.unit for r in deployment.rosters] == ["00070", "01"]


def test_roster_naming_an_officer_of_another_unit_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, escalation_deployment(rosters=roster(rotation=f'["{LAN_NAME}", "{MINH_NAME}"]')))
    assert f"rosters[0].rotation[1]: '{MINH_NAME}' is not an officer of unit 00070" in message


@pytest.mark.parametrize("field", ["backup", "holiday_officer"])
def test_backup_or_holiday_officer_from_elsewhere_is_refused(tmp_path: Path, field: str) -> None:
    message = refused(tmp_path, escalation_deployment(rosters=roster(f'{field} = "Ai Đó"')))
    assert f"rosters[0].{field}: 'Ai Đó' is not an officer of unit 00070" in message


def test_leave_for_an_unknown_officer_is_refused(tmp_path: Path) -> None:
    body = 'leave = [{ officer = "Lan", from = 2026-12-01T07:30:00, until = 2026-12-02T07:30:00 }]'
    message = refused(tmp_path, escalation_deployment(rosters=roster(body)))
    assert "rosters[0].leave[0].officer: 'Lan' is not an officer of unit 00070" in message


def test_roster_for_an_undeclared_unit_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, escalation_deployment(rosters=roster() + roster(unit="00004", rotation="[]")))
    assert "rosters[1].unit: '00004' is not a declared unit" in message
    assert "rosters[0]" not in message


def test_two_rosters_for_one_unit_are_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, escalation_deployment(rosters=roster() + roster(rotation=f'["{DUNG_NAME}"]')))
    assert "rosters[1].unit: unit 00070 has more than one roster" in message


def test_officer_listed_twice_in_a_rotation_is_refused(tmp_path: Path) -> None:
    twice = f'["{LAN_NAME}", "{DUNG_NAME}", "{LAN_NAME}"]'
    message = refused(tmp_path, escalation_deployment(rosters=roster(rotation=twice)))
    assert "rosters[0].rotation: an officer is listed twice" in message


@pytest.mark.parametrize("until", ["2026-12-01T07:00:00", "2026-12-01T07:30:00"])
def test_cover_ending_before_it_starts_is_refused(tmp_path: Path, until: str) -> None:
    body = f'cover = [{{ officer = "{DUNG_NAME}", from = 2026-12-01T07:30:00, until = {until} }}]'
    message = refused(tmp_path, escalation_deployment(rosters=roster(body)))
    assert "rosters[0].cover[0]" in message and "'until' must be after 'from'" in message


def test_unit_naming_an_undeclared_policy_is_refused(tmp_path: Path) -> None:
    text = escalation_deployment().replace('name = "UBND phường Hoàn Kiếm"', 'name = "UBND phường Hoàn Kiếm"\npolicy = "strict"')
    message = refused(tmp_path, text)
    assert "units[1].policy: 'strict' is not declared under [policies]" in message


def test_unit_naming_a_declared_policy_gets_it(tmp_path: Path) -> None:
    text = escalation_deployment().replace('name = "UBND phường Hoàn Kiếm"', 'name = "UBND phường Hoàn Kiếm"\npolicy = "strict"')
    text += '\n[policies.strict]\nassessment_hours = 6\n'
    deployment = load_deployment(write_deployment(tmp_path, text))
    commune = deployment.unit("00070")
    assert commune is not None
    assert deployment.policy(commune.policy).assessment_hours == 6
    assert deployment.policy("default").assessment_hours == 12  # the other units keep the defaults


def test_national_contact_without_an_address_is_refused(tmp_path: Path) -> None:
    text = escalation_deployment().replace(f", telegram_chat_id = {NATIONAL_CHAT} }}", " }")
    message = refused(tmp_path, text)
    assert "national_contact" in message and "needs telegram_chat_id or zalo_user_id" in message


def test_police_contact_without_an_address_is_refused(tmp_path: Path) -> None:
    text = escalation_deployment().replace(f'"Công an phường", telegram_chat_id = {POLICE_CHAT} }}', '"Công an phường" }')
    message = refused(tmp_path, text)
    assert "units[1].police" in message and "contact 'Công an phường' needs telegram_chat_id or zalo_user_id" in message


def test_contact_reachable_on_zalo_only_is_accepted(tmp_path: Path) -> None:
    text = escalation_deployment().replace(f"telegram_chat_id = {NATIONAL_CHAT} }}", 'zalo_user_id = "zalo-111" }')
    deployment = load_deployment(write_deployment(tmp_path, text))
    assert deployment.national_contact is not None and deployment.national_contact.zalo_user_id == "zalo-111"


def test_policy_step_with_a_bad_duration_is_refused(tmp_path: Path) -> None:
    policy = 'urgent = { steps = [{ after = "0s", notify = "group" }, { after = "5 minutes", notify = "duty_officer" }] }'
    message = refused(tmp_path, escalation_deployment(policy), "vi")
    assert "policies.default.urgent.steps[1].after" in message and "«5 minutes» không phải một khoảng thời gian" in message


def test_a_sub_second_wait_is_refused_in_the_operators_language(tmp_path: Path) -> None:
    """"0.5s" used to pass, be cut to "0s" in each case's snapshot, and fail every report of the unit."""
    path = write_deployment(tmp_path, escalation_deployment('urgent = { steps = [{ after = "0s", notify = "group" }], '
                                                            'repeat_every = "0.5s", repeats = 2 }'))
    for locale, expected in [("vi", "thời gian chờ 0.5s ngắn hơn một giây"), ("en", "a wait of 0.5s is under one second")]:
        with pytest.raises(DeploymentError) as caught:
            load_deployment(path, locale=locale)
        assert "policies.default.urgent.repeat_every" in str(caught.value) and expected in str(caught.value)


def test_check_config_fails_on_a_sub_second_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, deployment=escalation_deployment('ack_timeout_normal = "0.5s"'),
                       DEFAULT_LOCALE="en", TELEGRAM_BOT_TOKEN="", ZALO_BOT_TOKEN="")
    assert main(["check-config"]) == Exit.CONFIG
    err = capsys.readouterr().err
    assert "configuration error" in err and "ack_timeout_normal: a wait of 0.5s is under one second" in err


def test_policy_step_with_an_unknown_target_is_refused(tmp_path: Path) -> None:
    policy = 'urgent = { steps = [{ after = "0s", notify = ["group", "mayor"] }] }'
    message = refused(tmp_path, escalation_deployment(policy))
    assert "policies.default.urgent.steps[0].notify[1]" in message


def test_leave_in_local_time_is_vietnam_time(tmp_path: Path) -> None:
    body = f'leave = [{{ officer = "{LAN_NAME}", from = 2026-12-01T07:30:00, until = 2026-12-03 }}]'
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment(rosters=roster(body))))
    (leave,) = deployment.rosters[0].leave
    assert leave.officer == LAN_NAME
    assert leave.starts == datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội is 00:30 UTC
    assert leave.starts.utcoffset() == timedelta(hours=7)
    assert leave.ends == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)  # a bare date is local midnight


def test_offset_date_time_is_kept_as_written(tmp_path: Path) -> None:
    body = "cover = [{ from = 2026-12-01T07:30:00Z, until = 2026-12-01T19:00:00+07:00 }]"
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment(rosters=roster(body))))
    (cover,) = deployment.rosters[0].cover
    assert cover.officer is None  # a declared gap
    assert cover.starts == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert cover.ends == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_declared_default_policy_overrides_only_what_it_sets(tmp_path: Path) -> None:
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment("assessment_hours = 8")))
    policy = deployment.policy("default")
    assert policy.assessment_hours == 8
    assert policy.urgent == DEFAULT_POLICY.urgent and policy.normal == DEFAULT_POLICY.normal
    assert policy.ack_timeout_urgent == DEFAULT_POLICY.ack_timeout_urgent
    assert policy.plan_working_days == 5 and policy.separation_days == 15


def test_declared_chain_replaces_the_default_chain(tmp_path: Path) -> None:
    policy = 'normal = { steps = [{ after = "0s", notify = "group" }, { after = "20m", notify = ["duty_officer", "leader"] }] }'
    deployment = load_deployment(write_deployment(tmp_path, escalation_deployment(policy)))
    loaded = deployment.policy("default")
    assert [s.after for s in loaded.normal.steps] == [timedelta(0), timedelta(minutes=20)]
    assert loaded.normal.steps[1].notify == (Target.DUTY_OFFICER, Target.LEADER)
    assert loaded.normal.repeats == 0
    assert loaded.urgent == Policy().urgent


def test_misspelt_policy_field_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, escalation_deployment("asessment_hours = 8"))
    assert "policies.default.asessment_hours" in message


def test_plain_deployment_without_rosters_still_loads(tmp_path: Path) -> None:
    deployment = load_deployment(write_deployment(tmp_path, DEPLOYMENT))
    assert deployment.rosters == [] and deployment.national_contact is None
    commune = deployment.unit("00070")
    assert commune is not None and commune.telegram_chat_id == COMMUNE_GROUP and commune.police is None


EXAMPLE = Path("deployment.example.toml")


def check_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, locale: str = "vi") -> int:
    """``python -m bot check-config`` on ``text``, with real secrets and no platform token."""
    key = base64.b64encode(b"k" * 32).decode()
    server_environment(tmp_path, monkeypatch, deployment=text, DEFAULT_LOCALE=locale, MASTER_KEYS=f"1:{key}",
                       PSEUDONYM_PEPPER="test-pepper-0123456789")
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name)
    return main(["check-config"])


def test_every_unit_of_the_example_pages_someone_at_every_urgent_step() -> None:
    deployment = load_deployment(EXAMPLE)
    assert silent_chains(deployment) == []
    assert {u.code: silent_steps(deployment, u) for u in deployment.units} == {u.code: [] for u in deployment.units}


@pytest.mark.parametrize(("locale", "words"), [("vi", "không báo được cho ai sau thẻ đầu tiên"), ("en", "reaches nobody after its first card")])
def test_check_config_refuses_an_urgent_chain_that_reaches_nobody_after_the_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], locale: str, words: str
) -> None:
    """The shared test deployment as it stands: its province has no roster, no leader, no parent, no national line."""
    assert check_config(tmp_path, monkeypatch, DEPLOYMENT, locale) == Exit.CONFIG
    out = capsys.readouterr()
    assert "01" in out.err and words in out.err and "hợp lệ" not in out.out and "OK" not in out.out
    assert "00070" not in out.err, "the commune's card climbs to the province group: someone is reached"


def test_check_config_notes_a_step_that_reaches_nobody(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    no_leaders = EXAMPLE.read_text(encoding="utf-8").replace('role = "leader"', 'role = "officer"')
    assert check_config(tmp_path, monkeypatch, no_leaders) == 0, "Ba Đình's chain still climbs to the province and the national line"
    out = capsys.readouterr().out
    assert "hợp lệ" in out and "00004 (UBND phường Ba Đình): bước khẩn cấp sau 10 phút (backup, leader) không báo được cho ai" in out


async def test_the_example_climbs_to_someone_at_each_step_for_an_urgent_child(make_settings: Any, sqlite_url: str) -> None:
    """A child in danger, on the fallback unit, and nobody takes it: each step of the chain reaches someone."""
    core = await build_core(make_settings(sqlite_url, deployment_file=EXAMPLE.resolve()), demo=False)
    clock = Clock()  # Monday 09:00, the province's first rostered week: Minh on duty, Hạnh his backup
    core.services.clock = clock
    sender = RecordingSender()
    outbox, timers = core.dispatcher({"telegram": sender, "terminal": sender}), TimerWorker(core.services)

    async def after(**delta: Any) -> set[str]:
        clock.advance(**delta)
        before = len(sender.deliveries)
        await timers.tick()
        while await outbox.run_once():
            pass
        return {d.envelope.address for d in sender.deliveries[before:]}

    try:
        child = CoreChat(core, user="child")
        await child.send("/start")
        await child.choose("Em cần giúp đỡ")
        await child.choose("Có, em đang gặp nguy hiểm")
        async with core.db.session() as session:
            case = (await session.exec(select(Case))).one()
        assert case.urgent and case.unit_code == "01"
        assert await after() == {"-1001000000001"}, "the province duty group's card"
        assert await after(minutes=5) == {"100000002"}, "the duty officer (Minh)"
        assert await after(minutes=5) == {"100000005"}, "his backup (Hạnh)"
        assert await after(minutes=20) == {"-1001000000009"}, "the national line"
        for _ in range(3):
            assert await after(minutes=15) == {"-1001000000009"}, "and again, three times"
        assert await after(hours=1) == set(), "then the chain is spent"
    finally:
        await core.db.dispose()
