"""Files above the documented size (10 MB photos, 5 MB voice messages) or of a type we do not keep are
refused politely before download, through the real adapters and the fake platforms.

Telegram: the update declares the size (or getFile tells it when the update does not) and the type,
so a refused file is never fetched. Zalo: the photo URL's headers (Content-Length, Content-Type) are
read and the body is left unread.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlmodel import select

from bot.core import Core
from storage.models import Attachment
from tests.conftest import REPORTER
from tests.telegram_chat import TelegramChat, running_bot, settled
from tests.telegram_fake.server import FakeTelegramServer
from tests.zalo_chat import ZaloChat, running_zalo_and_telegram
from tests.zalo_fake.server import FakeZaloServer

MB = 1024 * 1024
TOO_BIG = "Ảnh quá lớn (tối đa 10 MB)"
NOT_A_PHOTO = "Không đọc được ảnh này"
UP_TO_PHOTOS = ("Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua")


def _image(fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "navy").save(out, format=fmt)
    return out.getvalue()


async def _attachments(core: Core) -> int:
    async with core.db.session() as session:
        return len((await session.exec(select(Attachment))).all())


async def test_telegram_refuses_big_or_foreign_files_without_fetching_them(core: Core, telegram_server: FakeTelegramServer) -> None:
    server = telegram_server
    async with running_bot(core, server):
        chat = TelegramChat(server, REPORTER)
        await chat.send("/start report")
        for label in UP_TO_PHOTOS:
            await chat.choose(label)

        async def send(kind: str, data: bytes, **options: Any) -> tuple[str, str]:
            before = len(server.messages_to(REPORTER))
            update = server.user_file(REPORTER, kind, data, **options)
            content = update["message"][kind]
            file_id = (content[-1] if isinstance(content, list) else content)["file_id"]
            answer = await _answer(server, before)
            return answer, server.state.files[file_id].file_path

        refused = [
            (await send("photo", _image(), file_size=11 * MB), TOO_BIG),  # declared in the update
            (await send("photo", _image(), file_size=11 * MB, size_known=False), TOO_BIG),  # told by getFile
            (await send("photo", _image(), file_size=30 * MB, size_known=False), TOO_BIG),  # Telegram will not hand it out
            (await send("document", _image(), mime_type="image/jpeg", file_size=12 * MB), TOO_BIG),
            (await send("document", b"GIF89a....", mime_type="image/gif"), NOT_A_PHOTO),
            (await send("document", b"<svg/>", mime_type="image/svg+xml"), NOT_A_PHOTO),
            (await send("document", b"%PDF-1.4", mime_type="application/pdf"), "Mình chỉ đọc được chữ, nút bấm, vị trí và ảnh"),
            (await send("video", b"\x00" * 64, mime_type="video/mp4", file_size=50 * MB), "Mình chỉ đọc được chữ"),
            (await send("voice", b"OggS", mime_type="audio/ogg", file_size=6 * MB), "chưa nhận tin nhắn thoại"),
        ]
        for (answer, _), expected in refused:
            assert expected in answer
        png_answer, png_path = await send("document", _image("PNG"), mime_type="image/png", size_known=False)
        assert "Đã nhận ảnh (1/5)" in png_answer
    assert server.downloads == [png_path]  # nothing refused was fetched
    assert await _attachments(core) == 1


async def _answer(server: FakeTelegramServer, before: int) -> str:
    return "\n".join(m.get("text") or "" for m in await settled(server, REPORTER, before))


async def test_zalo_refuses_big_or_foreign_photos_by_their_headers(
    core: Core, zalo_server: FakeZaloServer, telegram_server: FakeTelegramServer
) -> None:
    async with running_zalo_and_telegram(core, zalo_server, telegram_server):
        chat = ZaloChat(zalo_server, "zalo-files-1")
        await chat.send("/start report")
        for label in UP_TO_PHOTOS:
            await chat.choose(label)
        huge = _image() + b"\x00" * (40 * MB)
        assert TOO_BIG in await chat._after(lambda: zalo_server.user_image("zalo-files-1", huge))
        page = b"<html>" + b"x" * 1000
        assert NOT_A_PHOTO in await chat._after(lambda: zalo_server.user_image("zalo-files-1", page, content_type="text/html"))
        gif = b"GIF89a" + b"\x00" * 100
        assert NOT_A_PHOTO in await chat._after(lambda: zalo_server.user_image("zalo-files-1", gif, content_type="image/gif"))
        assert "Đã nhận ảnh (1/5)" in await chat.send_photo(_image())
    [huge_name] = [name for name, data in zalo_server.files.items() if len(data) > 40 * MB]
    assert zalo_server.served[huge_name] < 8 * MB  # hung up after the headers; what was written sat in socket buffers
    assert await _attachments(core) == 1
