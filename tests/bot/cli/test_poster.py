"""`python -m bot poster`: an A4 page whose QR code, decoded from the rendered PDF, opens the web chat."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from bot.cli.exits import Exit
from bot.cli.main import main
from tests.conftest import server_environment

CHAT = "https://tro-chuyen.example.vn"


def _page(pdf: Path) -> tuple[str, list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        [page] = list(document)
        width, height = page.get_size()
        assert (round(width), round(height)) == (595, 842), "A4 in points"
        image = page.render(scale=2).to_pil()
        return page.get_textpage().get_text_range(), [code.text for code in zxingcpp.read_barcodes(image)]
    finally:
        document.close()


def test_the_poster_for_a_commune_opens_the_chat_with_that_commune(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server_environment(tmp_path, monkeypatch, PUBLIC_BASE_URL=CHAT + "/")
    out = tmp_path / "poster.pdf"
    assert main(["poster", "--unit", "00070", "--out", str(out)]) == 0
    text, codes = _page(out)
    assert codes == [f"{CHAT}/?xa=00070"]
    assert "111" in text and "Em cần giúp đỡ?" in text and "phường Hoàn Kiếm" in text and f"{CHAT}/?xa=00070" in text


def test_the_poster_needs_a_known_unit_and_an_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server_environment(tmp_path, monkeypatch, PUBLIC_BASE_URL="")
    assert main(["poster", "--unit", "00070"]) == Exit.CONFIG
    assert "PUBLIC_BASE_URL" in capsys.readouterr().err
    assert main(["poster", "--unit", "99999", "--url", CHAT]) == Exit.NOT_FOUND
    assert "99999" in capsys.readouterr().err
    assert not list(tmp_path.glob("poster-*.pdf"))
