"""``python -m bot export-case CODE``: the form-01-shaped record for the commune's dossier, as DOCX and PDF."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import col, select

from bot.cli.exits import Exit
from bot.cli.main import main
from bot.config import Settings
from bot.core import build_core
from storage.models import AuditEntry
from tests.chat_driver import CoreChat, officer_press, report_until_review
from tests.conftest import server_environment


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    server_environment(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _handled_case() -> str:
    core = await build_core(Settings(), demo=False)
    try:
        chat = CoreChat(core)
        await report_until_review(chat, description="Bé bị bố đánh bằng roi", address="Ngõ 5 Hàng Bạc")
        code = (await chat.choose("Gửi tin báo")).split("Mã tin báo: ")[1].split()[0]
        for action in ("ack", "to_assessed", "close"):
            await officer_press(core, "lan", f"{action}:{code}" + (":unfounded" if action == "close" else ""))
        return code
    finally:
        await core.db.dispose()


async def _audited(code: str) -> list[str]:
    core = await build_core(Settings(), demo=False)
    try:
        async with core.db.session() as session:
            return list((await session.exec(select(AuditEntry.action).where(col(AuditEntry.action) == "export"))).all())
    finally:
        await core.db.dispose()


def test_docx_record_has_form_01_fields_the_steps_and_no_reporter_identity(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = asyncio.run(_handled_case())
    assert main(["export-case", code.lower(), "--format", "docx"]) == 0
    path = env / f"{code}.docx"
    assert f"đã ghi {path.name}" in capsys.readouterr().out
    document = Document(str(path))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    for expected in ("Bé bị bố đánh bằng roi", "Ngõ 5 Hàng Bạc", "Bạo lực thể chất", "6–10 tuổi", "Bé gái",
                     "Phường Hoàn Kiếm, Hà Nội", "Giấu tên (người báo không đồng ý cung cấp)", "Hàng xóm"):
        assert expected in cells, expected
    steps = " ".join(cells)
    assert "Đã đánh giá ban đầu (mẫu 02)" in steps and "Không có cơ sở" in steps and "Nguyễn Thị Lan" in steps
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert asyncio.run(_audited(code)) == ["export"]


def test_pdf_record_and_an_unknown_code(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = asyncio.run(_handled_case())
    assert main(["export-case", code, "--out", "dossier.pdf"]) == 0
    data = (env / "dossier.pdf").read_bytes()
    assert data.startswith(b"%PDF") and b"/Type /Page" in data
    assert main(["export-case", "TE-22222"]) == Exit.NOT_FOUND
    assert "không có tin báo nào mang mã TE-22222" in capsys.readouterr().err
