"""The install CI makes is the one users get: the lock pins what pyproject.toml asks for, and a plain
(non-editable) install carries every module and data file the bot reads (the
editable install the tests run on would hide a package or a catalog that pyproject.toml leaves out)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("bot", "handlers", "storage", "locales")
DATA = (".py", ".ftl", ".toml", ".html", ".css", ".js", ".svg", ".mako")


def test_the_wheel_holds_every_file_of_the_runtime(tmp_path: Path) -> None:
    listed = subprocess.run(["git", "ls-files"], check=True, capture_output=True, text=True, cwd=ROOT).stdout.split("\n")
    source = tmp_path / "source"  # a copy of the tracked files: the build leaves its build/ there, not in the checkout
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(source)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    tracked = [name for name in listed if name.split("/", 1)[0] in SHIPPED]
    wanted = {name for name in tracked if name.endswith(DATA)}
    assert wanted, "git ls-files found nothing to check"
    assert sorted(wanted - packed) == []


def _pinned(lock: str) -> dict[str, Version]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {canonicalize_name(name): Version(version)
            for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.MULTILINE)}


def _unmet(requirements: list[str], pinned: dict[str, Version]) -> list[str]:
    wanted = [Requirement(text) for text in requirements]
    return [str(req) for req in wanted
            if canonicalize_name(req.name) not in pinned or pinned[canonicalize_name(req.name)] not in req.specifier]


def test_the_locks_pin_every_requirement_within_its_range_and_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, with_tests = _pinned("requirements.lock"), _pinned("requirements-test.lock")
    assert _unmet(project["dependencies"], runtime) == []
    assert _unmet(project["dependencies"] + project["optional-dependencies"]["test"], with_tests) == []
    assert {name: version for name, version in runtime.items() if with_tests.get(name) != version} == {}
