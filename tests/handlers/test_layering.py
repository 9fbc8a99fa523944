"""The handler packages import one way only (docs/architecture.md): a package never imports one above it."""

from __future__ import annotations

import ast
from pathlib import Path

import handlers

ORDER = ("rules", "shared", "escalation", "follow_up", "intake", "statistics", "officers")
ROOT = Path(handlers.__file__).parent


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ORDER else "shared"


def _imports() -> list[tuple[str, str]]:
    found = []
    for path in ROOT.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "handlers":
                found.append((module, node.module))
    return found


def test_no_handler_package_imports_one_above_it() -> None:
    upward = [(a, b) for a, b in _imports() if ORDER.index(_layer(b)) > ORDER.index(_layer(a))]
    assert upward == []


def test_the_rules_import_no_other_handler_module_and_storage_imports_no_handler() -> None:
    assert [(a, b) for a, b in _imports() if _layer(a) == "rules" and _layer(b) != "rules"] == []
    storage = Path(handlers.__file__).parent.parent / "storage"
    for path in storage.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "handlers", path


def test_every_handler_package_says_what_it_owns() -> None:
    for package in ORDER:
        if package != "shared":
            doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8")))
            assert doc and "import" in doc.lower(), package
