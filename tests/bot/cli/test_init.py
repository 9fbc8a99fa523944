"""``python -m bot init``: from nothing to a configuration ``check-config`` accepts, without ever losing a key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.chain_reach import silent_chains, silent_steps
from bot.cli.exits import Exit
from bot.cli.main import main
from bot.deployment import load_deployment

SETTINGS = ("MASTER_KEYS", "PSEUDONYM_PEPPER", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "DEPLOYMENT_FILE",
            "DATABASE_URL", "DATA_DIR", "DEFAULT_LOCALE", "TELEGRAM_WEBHOOK_SECRET", "ZALO_WEBHOOK_SECRET", "KEY_STORE_DIR")
INIT = ["init", "--province", "ha noi", "--commune", "hoan kiem", "--commune", "phuc xa, 00004", "--start", "2026-12-01"]


@pytest.fixture(autouse=True)
def _fresh_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty directory and no bot settings in the environment: only what init writes counts."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def _env(path: Path = Path(".env")) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line and line[0] != "#")


def test_init_writes_private_secrets_and_a_deployment_check_config_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(INIT) == Exit.OK
    out = capsys.readouterr().out
    assert "deployment.toml: Thành phố Hà Nội và 3 xã/phường" in out
    assert "  00097  Phường Hồng Hà" in out  # «Phúc Xá» before 2025: the ward it became
    env = _env()
    assert stat.S_IMODE(Path(".env").stat().st_mode) == 0o600
    assert env["MASTER_KEYS"].startswith("1:") and len(env["PSEUDONYM_PEPPER"]) >= 40
    assert len({env["MASTER_KEYS"], env["PSEUDONYM_PEPPER"], env["TELEGRAM_WEBHOOK_SECRET"], env["ZALO_WEBHOOK_SECRET"]}) == 4
    assert env["DEPLOYMENT_FILE"] == "deployment.toml"

    deployment = load_deployment(Path("deployment.toml"))
    assert [u.code for u in deployment.units] == ["01", "00070", "00097", "00004"]
    assert {r.unit for r in deployment.rosters} == {u.code for u in deployment.units}  # every unit has a roster
    assert silent_chains(deployment) == []
    assert all(silent_steps(deployment, unit) == [] for unit in deployment.units)  # someone paged at every step

    Path(".env").write_text(Path(".env").read_text().replace("TELEGRAM_BOT_TOKEN=\n", "TELEGRAM_BOT_TOKEN=123:abc\n"))
    assert main(["check-config"]) == Exit.OK
    out = capsys.readouterr().out
    assert out.splitlines() == ["deployment.toml: 4 đơn vị, 11 cán bộ — hợp lệ"], out  # no note, no warning


def test_running_init_again_keeps_every_secret_and_the_deployment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(INIT) == Exit.OK
    first, deployment = _env(), Path("deployment.toml").read_text()
    Path("deployment.toml").write_text(deployment.replace("Cán bộ trực 1 (Hoàn Kiếm)", "Nguyễn Thị Lan"))
    capsys.readouterr()
    assert main(["init", "--province", "79", "--commune", "ben nghe"]) == Exit.OK
    out = capsys.readouterr().out
    assert "giữ nguyên MASTER_KEYS, PSEUDONYM_PEPPER, TELEGRAM_WEBHOOK_SECRET, ZALO_WEBHOOK_SECRET" in out
    assert "deployment.toml đã có: giữ nguyên" in out
    assert _env() == first
    assert "Nguyễn Thị Lan" in Path("deployment.toml").read_text()


def test_an_env_copied_from_the_example_gets_its_empty_secrets_filled(capsys: pytest.CaptureFixture[str]) -> None:
    example = (Path(__file__).parents[3] / ".env.example").read_text(encoding="utf-8")
    Path(".env").write_text(example.replace("LOG_LEVEL=INFO", "LOG_LEVEL=WARNING"))
    Path(".env").chmod(0o644)
    assert main([*INIT, "--deployment", "conf/units.toml"]) == Exit.OK
    env = _env()
    assert env["MASTER_KEYS"].startswith("1:") and env["PSEUDONYM_PEPPER"] and env["LOG_LEVEL"] == "WARNING"
    assert env["DEPLOYMENT_FILE"] == "conf/units.toml"  # the shipped example was nobody's choice
    assert list(env).count("MASTER_KEYS") == 1
    assert stat.S_IMODE(Path(".env").stat().st_mode) == 0o600
    assert tomllib.loads(Path("conf/units.toml").read_text())["fallback_unit"] == "01"


def test_a_deployment_file_the_operator_chose_stays_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".env").write_text("DEPLOYMENT_FILE=/etc/bot/units.toml\nMASTER_KEYS=\n")
    assert main(INIT) == Exit.OK
    env = _env()
    assert env["DEPLOYMENT_FILE"] == "/etc/bot/units.toml" and env["MASTER_KEYS"].startswith("1:")


def test_unknown_places_and_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--province", "atlantis"]) == Exit.NOT_FOUND
    assert "Không tìm thấy tỉnh/thành phố «atlantis»" in capsys.readouterr().err
    assert main(["init", "--province", "ha noi", "--commune", "ben nghe"]) == Exit.NOT_FOUND  # a ward of another province
    assert "«ben nghe»" in capsys.readouterr().err
    assert main(["init"]) == Exit.USAGE  # pytest's stdin is no terminal: flags are needed
    assert "--province" in capsys.readouterr().err
    assert not Path(".env").exists() and not Path("deployment.toml").exists()


def test_on_a_terminal_init_asks_for_the_province_and_communes(tmp_path: Path) -> None:
    """A real terminal (a pseudo-terminal): the questions, then the same files as with flags."""
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | {"PYTHONPATH": str(Path(__file__).parents[3])}
    process = subprocess.Popen([sys.executable, "-m", "bot", "init", "--start", "2026-12-01"], cwd=tmp_path, env=env,
                               stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(follower)
    os.write(leader, "Hà Nội\nhoàn kiếm, phuc xa\n".encode())
    out, err = process.communicate(timeout=120)
    os.close(leader)
    assert process.returncode == Exit.OK, err.decode()
    text = out.decode()
    assert "Tỉnh/thành phố (tên hoặc mã):" in text and "Các xã/phường" in text
    assert "  00070  Phường Hoàn Kiếm" in text and "  00097  Phường Hồng Hà" in text
    assert [u.code for u in load_deployment(tmp_path / "deployment.toml").units] == ["01", "00070", "00097"]
