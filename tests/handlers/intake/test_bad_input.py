"""Bad input gets a kind answer in the reporter's language and the conversation stays where it was."""

from __future__ import annotations

import asyncio
import io
import time

from PIL import Image
from sqlmodel import select

from bot.core import Core
from storage.models import Attachment
from storage.outbox import read_attachment
from tests.chat_driver import CoreChat


async def _at(chat: CoreChat, step_labels: list[str]) -> None:
    await chat.send("/start")
    await chat.choose("Báo tin về một bạn nhỏ")
    for label in step_labels:
        await chat.choose(label)


async def test_text_where_a_choice_is_expected_keeps_the_question(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, [])
    answer = await chat.send("tôi không biết chọn gì")
    assert "Hãy chọn một trong các lựa chọn" in answer and "Bạn có quan hệ gì với bạn nhỏ" in answer
    # typing the number or the words of an option works too (accent-insensitive)
    assert "Chuyện gì đang xảy ra" in await chat.send("hang xom")
    assert "bao nhiêu tuổi" in await chat.send("1")


async def test_unknown_commune_gets_closest_matches_or_a_retry(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua"])
    answer = await chat.send("qwxz zzqq")
    assert "Không tìm thấy xã/phường «qwxz zzqq»" in answer
    typo = await chat.send("hoan kiam")
    assert "Có phải một trong các nơi này" in typo
    assert any("Hoàn Kiếm" in c.label for m in chat.last for c in m.choices)


async def test_over_long_description_is_refused_with_the_limit(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua"])
    limit = core.services.limits.max_description_chars
    answer = await chat.send("a" * (limit + 1))
    assert f"vượt quá giới hạn {limit} ký tự" in answer and "Hãy kể ngắn gọn" in answer
    assert "ảnh" in await chat.send("a" * limit)


async def test_unsupported_media_commands_and_old_buttons_are_answered_kindly(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, ["Hàng xóm"])
    old_value = "s:relation:teacher"
    sticker = await chat.send_sticker()
    assert "Mình chỉ đọc được chữ" in sticker and "Chuyện gì đang xảy ra" in sticker
    assert "Không có lệnh này" in await chat.send("/foo")
    assert "đang điền dở" in await chat.send("/start")
    stale = await chat.press_value(old_value)
    assert "câu hỏi trước" in stale and "Chuyện gì đang xảy ra" in stale
    assert "câu hỏi trước" in await chat.press_value("1|garbage")
    assert "Bước này chưa nhận ảnh" in await chat.send_photo(b"not an image")
    assert "Bước này chưa cần vị trí" in await chat.share_location(21.0, 105.8)


async def test_photos_are_checked_cleaned_and_limited(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua"])
    assert "Không đọc được ảnh" in await chat.send_photo(b"GIF89a not really")
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="JPEG")
    for count in range(1, core.services.limits.max_photos + 1):
        assert f"Đã nhận ảnh ({count}/" in await chat.send_photo(image.getvalue())
    assert "Đã đủ" in await chat.send_photo(image.getvalue())
    assert "nhắn lại" in await chat.send("xong")


UP_TO_PHOTOS = ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Bỏ qua", "Không biết", "Bỏ qua", "Bỏ qua"]


def _solid(size: tuple[int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format=fmt)
    return out.getvalue()


async def test_a_small_file_of_too_many_pixels_is_refused_before_it_is_decoded(core: Core) -> None:
    """A 40-megapixel PNG of about 120 KB took seconds and hundreds of MB to decode, inside the transaction."""
    chat = CoreChat(core)
    await _at(chat, UP_TO_PHOTOS)
    bomb = _solid((8000, 5000), "PNG")
    assert len(bomb) < 200_000
    started = time.perf_counter()
    assert "Không đọc được ảnh" in await chat.send_photo(bomb)
    assert time.perf_counter() - started < 0.5, "refused from the header, not decoded"
    big_camera = _solid((8000, 6000), "JPEG")  # 48 MP: decoded at half scale, which JPEG makes cheap
    assert "Đã nhận ảnh (1/" in await chat.send_photo(big_camera)
    async with core.db.session() as session:
        [photo] = (await session.exec(select(Attachment))).all()
        stored, _ = await read_attachment(session, core.vault, photo.id)
    assert Image.open(io.BytesIO(stored)).size == (4000, 3000)


async def test_photos_being_decoded_do_not_hold_up_another_persons_start(core: Core) -> None:
    chats = [CoreChat(core, user=f"photographer-{n}") for n in range(3)]
    for chat in chats:
        await _at(chat, UP_TO_PHOTOS)
    heavy = _solid((4000, 4000), "PNG")  # under the cap: each takes a fraction of a second to rebuild
    photos = [asyncio.create_task(chat.send_photo(heavy)) for chat in chats]
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    assert "Bạn muốn làm gì?" in await CoreChat(core, user="someone-else").send("/start")
    waited = time.perf_counter() - started
    assert not all(p.done() for p in photos), "the photos were decoded on the event loop, before the /start"
    for answer in await asyncio.gather(*photos):
        assert "Đã nhận ảnh (1/" in answer
    assert waited < 1.0
