"""The deployment file is validated with errors an administrator can act on; check-config says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.exits import Exit
from bot.cli.main import main
from bot.deployment import DeploymentError, load_deployment


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "deployment.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_example_deployment_is_valid() -> None:
    deployment = load_deployment(Path("deployment.example.toml"))
    assert deployment.fallback_unit == "01" and {u.code for u in deployment.units} >= {"01", "00070"}


def test_errors_name_the_entry_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
fallback_unit = "02"
[[units]]
code = 1
telegram_chat_id = 123
[[units]]
code = "99999"
[[officers]]
name = "Lan"
unit = "00070"
telegram_user_id = -5
colour = "blue"
""",
    )
    with pytest.raises(DeploymentError) as caught:
        load_deployment(path, locale="en")
    message = str(caught.value)
    assert "units[0].telegram_chat_id" in message and "negative" in message
    assert "units[1].code" in message and "99999" in message
    assert "officers[0].telegram_user_id" in message
    assert "officers[0].colour" in message


def test_references_to_undeclared_units_are_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
fallback_unit = "79"
[[units]]
code = "01"
telegram_chat_id = -100
[[officers]]
name = "Lan"
unit = "00070"
""",
    )
    with pytest.raises(DeploymentError, match=r"(?s)fallback_unit: '79'.*officers\[0\] \(Lan\)\.unit: '00070'"):
        load_deployment(path, locale="en")


def test_check_config_says_every_problem_in_vietnamese_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pydantic's and our own validators' sentences are English: the operator reads them in their language."""
    body = (
        'fallback_unit = "79"\n[[units]]\ncode = 1\ntelegram_chat_id = 123\n[[units]]\ncode = "99999"\n'
        '[[officers]]\nname = "Lan"\nunit = "00070"\ntelegram_user_id = -5\ncolour = "blue"\n'
    )
    monkeypatch.setenv("DEPLOYMENT_FILE", str(_write(tmp_path, body)))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEFAULT_LOCALE", "vi")
    assert main(["check-config"]) == Exit.CONFIG
    err = capsys.readouterr().err
    assert "lỗi cấu hình: " in err and "units[0].telegram_chat_id: mã nhóm trực là số âm" in err
    assert "units[1].code: «99999» không phải mã tỉnh hay xã/phường chính thức" in err
    assert "officers[0].colour: mục không được biết" in err and "officers[0].telegram_user_id: phải lớn hơn 0" in err
    english = r"\b(is|not|must|should|needs|declared|input|valid|field|extra|greater|unit|problem)\b"
    assert not re.search(english, err.replace("telegram_chat_id", "").replace("units[", "")), err
    monkeypatch.setenv("DEPLOYMENT_FILE", str(tmp_path / "missing.toml"))
    assert main(["check-config"]) == Exit.CONFIG
    assert "missing.toml: không tìm thấy tệp (đặt DEPLOYMENT_FILE)" in capsys.readouterr().err


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fallback_unit = \n")
    with pytest.raises(DeploymentError, match="line 1"):
        load_deployment(path, locale="en")


def test_check_config_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DEPLOYMENT_FILE", str(Path("deployment.example.toml").resolve()))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["check-config"]) == 0
    assert "3 đơn vị, 7 cán bộ — hợp lệ" in capsys.readouterr().out
    monkeypatch.setenv("DEPLOYMENT_FILE", str(_write(tmp_path, "fallback_unit = 1\n")))
    assert main(["check-config"]) == Exit.CONFIG
    assert "units" in capsys.readouterr().err


async def test_a_restart_keeps_unchanged_officers_keys_and_replaces_a_changed_one(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """The directory sync changes only what the file changed: no shredding and re-creating every key at start."""
    from sqlmodel import col, select

    from bot.core import build_core
    from storage.models import OfficerIdentity
    from tests.conftest import DEPLOYMENT, ZALO_OFFICER

    async def sealed_keys(settings) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
        core = await build_core(settings, demo=False)
        try:
            async with core.db.session() as session:
                rows = await session.exec(select(OfficerIdentity.key_id).where(col(OfficerIdentity.key_id).is_not(None)))
                return sorted(k for k in rows if k), core.vault.keystore.ids()  # type: ignore[union-attr]
        finally:
            await core.db.dispose()

    settings = make_settings(database_url)
    first, store_first = await sealed_keys(settings)
    again, store_again = await sealed_keys(settings)
    assert len(first) == 5 and again == first and store_again == store_first  # each officer's sealed private chat
    settings.deployment_file.write_text(DEPLOYMENT.replace(ZALO_OFFICER, "zalo-officer-new"), encoding="utf-8")
    changed, store_changed = await sealed_keys(settings)
    (gone,), (new,) = set(first) - set(changed), set(changed) - set(first)  # the Zalo officer's only
    assert gone not in store_changed and new in store_changed  # the old address's key is shredded


async def test_a_restart_on_the_same_file_writes_no_unit_or_officer_and_a_transfer_moves_the_officer(make_settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """One read of each table, then only the changes: the same file again writes nothing to them. Lan moves
    to a commune new in the file (a new officer row there, the old one inactive: its acknowledgements stay
    with it), Minh leaves the file (inactive)."""
    from sqlalchemy import event
    from sqlmodel import select

    from bot.core import open_core, sync_deployment
    from storage.models import Officer, Unit
    from tests.conftest import DEPLOYMENT

    async def start(settings, written: list[str]) -> tuple[dict[tuple[str, str], bool], dict[str, str | None]]:  # type: ignore[no-untyped-def]
        core = await open_core(settings)

        def record(_c, _cursor, statement: str, *_rest) -> None:  # type: ignore[no-untyped-def]
            words = statement.replace('"', "").split()
            if words[0] in ("INSERT", "UPDATE", "DELETE"):
                written.append(f"{words[0]} {words[2] if words[0] != 'UPDATE' else words[1]}")

        event.listen(core.db.engine.sync_engine, "before_cursor_execute", record)
        try:
            await sync_deployment(core)
            async with core.db.session() as session:
                people = {(o.name, o.unit_code): o.active for o in (await session.exec(select(Officer))).all()}
                return people, {u.code: u.parent_code for u in (await session.exec(select(Unit))).all()}
        finally:
            await core.db.dispose()

    settings = make_settings(database_url)
    first: list[str] = []
    people, _ = await start(settings, first)
    assert "INSERT unit" in first and "INSERT officer" in first and all(people.values())
    again: list[str] = []
    assert (await start(settings, again))[0] == people
    assert [w for w in again if w.split()[1] in ("unit", "officer")] == []
    minh = DEPLOYMENT.index('[[officers]]\nname = "Trần Văn Minh"')
    moved = DEPLOYMENT[:minh] + DEPLOYMENT[DEPLOYMENT.index("[[officers]]", minh + 1):]
    moved = moved.replace('name = "Nguyễn Thị Lan"\nunit = "00070"', 'name = "Nguyễn Thị Lan"\nunit = "00073"')
    settings.deployment_file.write_text(moved + '\n[[units]]\ncode = "00073"\n', encoding="utf-8")
    after, units = await start(settings, [])
    assert after[("Nguyễn Thị Lan", "00073")] and not after[("Nguyễn Thị Lan", "00070")]
    assert not after[("Trần Văn Minh", "01")] and after[("Phạm Văn Dũng", "00070")]
    assert units["00073"] == "01"


CALENDAR_BASE = """
fallback_unit = "01"
[[units]]
code = "01"
telegram_chat_id = -100
[[units]]
code = "00070"
[[officers]]
name = "Lan"
unit = "00070"
"""


def test_collaborators_belong_to_a_declared_commune_and_are_reachable(tmp_path: Path) -> None:
    head = CALENDAR_BASE + "telegram_user_id = 5\n"
    unreachable = _write(tmp_path, head + '[[collaborators]]\nname = "Hạnh"\ncommune = "00070"\nvillage = "Tổ 9"\n')
    with pytest.raises(DeploymentError) as caught:
        load_deployment(unreachable, locale="en")
    assert "collaborators[0]: collaborator 'Hạnh' needs telegram_user_id or zalo_user_id" in str(caught.value)
    assert "cộng tác viên «Hạnh» cần telegram_user_id" in caught.value.text("vi")
    misplaced = _write(tmp_path, head + """
[[collaborators]]
name = "Thu"
commune = "00004"
village = "Tổ 3"
telegram_user_id = 7
[[collaborators]]
name = "Tư"
commune = "01"
village = "Phố Hàng Bạc"
telegram_user_id = 5
""")
    with pytest.raises(DeploymentError) as caught:
        load_deployment(misplaced, locale="en")
    message = str(caught.value)
    assert "collaborators[0] (Thu).commune: '00004' is not a declared unit" in message
    assert "collaborators[1] (Tư).commune: '01' is a province code" in message
    assert "collaborators[1] (Tư).telegram_user_id: declared twice" in message, "an officer's account is not a collaborator's"
    assert "«01» là mã tỉnh/thành phố" in caught.value.text("vi")


def test_the_reporting_calendar_is_checked_entry_by_entry(tmp_path: Path) -> None:
    shapes = _write(tmp_path, CALENDAR_BASE + """
[[report_calendar]]
unit = "00070"
report = "quarter"
due = ["10/03", "31/02", "ngày 10"]
preparer = "Lan"
[[report_calendar]]
unit = "00070"
report = "half"
due = ["05"]
preparer = "Lan"
[[report_calendar]]
unit = "00070"
report = "custom"
due = ["10/07"]
preparer = "Lan"
""")
    with pytest.raises(DeploymentError) as caught:
        load_deployment(shapes, locale="vi")
    said = str(caught.value)
    assert "report_calendar[0].due[1]: «31/02» không phải hạn báo cáo" in said
    assert "report_calendar[0].due[2]: «ngày 10» không phải hạn báo cáo" in said
    assert "report_calendar[1]: hạn chỉ có ngày (như «05») chỉ dùng cho báo cáo hằng tháng" in said
    assert "report_calendar[2]: báo cáo «custom» cần «from» và «until»" in said

    people = _write(tmp_path, CALENDAR_BASE + """
[[report_calendar]]
unit = "00070"
report = "year"
due = ["20/11"]
preparer = "Lan"
signer = "Bình"
[[report_calendar]]
unit = "00004"
report = "custom"
from = 2026-01-01
until = 2026-06-30
due = [2026-07-10]
preparer = "Lan"
""")
    with pytest.raises(DeploymentError) as caught:
        load_deployment(people, locale="vi")
    said = str(caught.value)
    assert "report_calendar[0].signer: «Bình» không phải cán bộ của đơn vị 00070" in said
    assert "report_calendar[1].unit: «00004» không phải một đơn vị đã khai báo" in said
    assert "report_calendar[1].preparer: «Lan» không phải cán bộ của đơn vị 00004" in said
