"""Bad input gets a kind answer in the reporter's language and the conversation stays where it was."""

from __future__ import annotations

import io

from PIL import Image

from bot.core import Core
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
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không"])
    answer = await chat.send("qwxz zzqq")
    assert "Không tìm thấy xã/phường «qwxz zzqq»" in answer
    typo = await chat.send("hoan kiam")
    assert "Có phải một trong các nơi này" in typo
    assert any("Hoàn Kiếm" in c.label for m in chat.last for c in m.choices)


async def test_over_long_description_is_refused_with_the_limit(core: Core) -> None:
    chat = CoreChat(core)
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Không biết", "Bỏ qua"])
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
    await _at(chat, ["Hàng xóm", "Bạo lực thể chất", "6–10 tuổi", "Bé gái", "Không", "Không biết", "Bỏ qua", "Bỏ qua"])
    assert "Không đọc được ảnh" in await chat.send_photo(b"GIF89a not really")
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="JPEG")
    for count in range(1, core.services.limits.max_photos + 1):
        assert f"Đã nhận ảnh ({count}/" in await chat.send_photo(image.getvalue())
    assert "Đã đủ" in await chat.send_photo(image.getvalue())
    assert "nhắn lại" in await chat.send("xong")
