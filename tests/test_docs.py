"""The documentation stays true: its links lead somewhere, the commands it shows exist, the configuration
reference is the Settings class, and every dependency is explained."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

_FENCE = re.compile(r"^(```|~~~)")
_LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _prose(text: str) -> str:
    """The page without its fenced code blocks (a `# comment` in a shell block is no heading)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return "\n".join(lines)


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in _prose(page.read_text(encoding="utf-8")).splitlines():
        if found := _HEADING.match(line):
            slug = _slug(found.group(2))
            anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(page: Path) -> list[str]:
    prose = re.sub(r"`[^`\n]*`", "", _prose(page.read_text(encoding="utf-8")))
    return [m.group(1) for m in _LINK.finditer(prose)]


def test_every_relative_link_leads_to_a_file_and_heading() -> None:
    broken = []
    for page in PAGES:
        for target in _links(page):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and (file.suffix != ".md" or anchor not in _anchors(file)):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no heading #{anchor})")
    assert not broken, "\n".join(broken)


def test_the_docs_link_to_every_docs_page() -> None:
    linked = {(page.parent / t.partition("#")[0]).resolve() for page in PAGES for t in _links(page) if t}
    orphans = [p.name for p in DOCS.glob("*.md") if p.resolve() not in linked]
    assert not orphans, f"pages no other page links to: {orphans}"


_COMMAND = re.compile(r"python -m bot((?:[ \t]+[a-z][a-z-]*){0,2})")


def _shown_commands() -> set[tuple[str, ...]]:
    """Every `python -m bot <sub> [<sub-sub>]` in inline code or a code block of the README and docs/."""
    shown = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
        spans = re.findall(r"`([^`]+)`", re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE))
        for code in [*blocks, *spans]:
            for found in _COMMAND.finditer(code):
                words = tuple(found.group(1).split())
                if words:
                    shown.add(words)
    return shown


# Runs in a fresh interpreter (main() sets up logging for the whole process): each command with --help,
# its exit status. argparse and click both exit 0 for --help and 2 for an unknown command.
_PROBE = """
import contextlib, io, json, sys
from bot.cli.main import main
codes = {}
for words in json.loads(sys.argv[1]):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main([*words, "--help"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    codes[" ".join(words)] = code or 0
print(json.dumps(codes))
"""


def test_every_command_the_docs_show_exists(tmp_path: Path) -> None:
    shown = sorted(_shown_commands())
    assert ("backup",) in {w[:1] for w in shown}, "the command finder found none of the documented commands"
    probes = sorted({w[:1] for w in shown} | {w for w in shown if len(w) == 2})
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(probes)],
        cwd=tmp_path,  # no .env of the developer's
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=True,
    )
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    missing = [f"python -m bot {words}" for words, code in codes.items() if code != 0]
    assert not missing, f"shown in the docs but not a command: {missing}"


def _documented_settings() -> dict[str, str]:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|", text, re.MULTILINE)
    return {name: value.strip() for name, value in rows}


def test_the_configuration_reference_is_the_settings_class() -> None:
    documented = _documented_settings()
    fields = {name.upper(): field for name, field in Settings.model_fields.items()}
    assert sorted(set(fields) - set(documented)) == [], "settings missing from docs/configuration.md"
    assert sorted(set(documented) - set(fields)) == [], "documented settings the code does not read"
    wrong = []
    for name, field in fields.items():
        default = field.default
        expected = "(empty)" if default in (None, "") else f"`{default}`"
        if documented[name] != expected:
            wrong.append(f"{name}: documented {documented[name]}, the code has {expected}")
    assert not wrong, "\n".join(wrong)


def test_every_dependency_is_explained() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {re.match(r"[A-Za-z0-9_.-]+", spec).group(0) for spec in wanted}
    table = (DOCS / "dependencies.md").read_text(encoding="utf-8").lower()
    missing = sorted(n for n in names if n.lower() not in table)
    assert not missing, f"dependencies docs/dependencies.md does not explain: {missing}"
