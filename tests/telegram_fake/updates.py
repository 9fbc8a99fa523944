"""Builders for updates a user would cause: messages, photos, locations, stickers, button presses.

Why here: tests should describe what the user does ("sends a photo", "presses Confirm"), while the
Telegram-shaped payloads (message ids shared with bot messages, photo sizes, callback ids) stay in
one place and consistent with the fake's state.
"""

from __future__ import annotations

import copy
import itertools
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import TelegramState

_callback_ids = itertools.count(1)


def _user(user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    return user | ({"language_code": language_code} if language_code else {})


def _callback_data(markup: Any) -> list[str]:
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


class UpdateBuilders:
    """Mixin for FakeTelegramServer; every builder pushes the update and returns it."""

    state: TelegramState

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - see server
        raise NotImplementedError

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        first_name: str,
        language_code: str | None,
        **content: Any,
    ) -> dict[str, Any]:
        sender = _user(user_id, first_name, language_code)
        self.state.users[user_id] = sender
        msg = self.state.new_message(user_id if chat_id is None else chat_id, sender, **content)
        return self.push_update({"message": msg})

    def user_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        first_name: str = "U",
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity like the real client."""
        entities = None
        if text.startswith("/"):
            command = text.split()[0] if text.split() else text
            # UTF-16 code units, as Telegram counts them; a lone surrogate (JSON allows one) is one unit
            entities = [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le", "surrogatepass")) // 2}]
        return self._user_message(user_id, chat_id, first_name, language_code, text=text, entities=entities)

    def group_message(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        first_name: str = "U",
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A text message in a group/supergroup (``chat_id`` < 0)."""
        assert chat_id < 0, "group chat ids are negative"
        return self.user_message(
            user_id, text, chat_id=chat_id, first_name=first_name, language_code=language_code
        )

    def user_photo(
        self,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        file_size: int | None = None,
        chat_id: int | None = None,
        first_name: str = "U",
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A photo in two sizes; only the last (largest) one downloads as ``data``.

        The thumbnail is a separate small file, so a bot that saves ``photo[0]`` is caught.
        """
        full = self.state.add_file(data, file_size=file_size, folder="photos")
        thumb = self.state.add_file(b"thumbnail:" + full.file_unique_id.encode(), folder="photos")
        photo = self.state.photo_sizes(full, thumbnail=thumb)
        return self._user_message(user_id, chat_id, first_name, language_code, photo=photo, caption=caption)

    def user_document(
        self,
        user_id: int,
        data: bytes,
        *,
        file_name: str = "file.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        file_size: int | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        f = self.state.add_file(data, file_size=file_size)
        doc = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": f.file_size,
        }
        return self._user_message(user_id, chat_id, "U", "vi", document=doc, caption=caption)

    def user_voice(
        self, user_id: int, data: bytes, *, file_size: int | None = None, chat_id: int | None = None
    ) -> dict[str, Any]:
        f = self.state.add_file(data, file_size=file_size, folder="voice")
        voice = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": f.file_size,
        }
        return self._user_message(user_id, chat_id, "U", "vi", voice=voice)

    def user_location(
        self, user_id: int, lat: float, lon: float, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        return self._user_message(user_id, chat_id, "U", "vi", location={"latitude": lat, "longitude": lon})

    def user_sticker(self, user_id: int, *, emoji: str = "😀", chat_id: int | None = None) -> dict[str, Any]:
        f = self.state.add_file(b"RIFF-fake-webp", folder="stickers")
        sticker = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": f.file_size,
        }
        return self._user_message(user_id, chat_id, "U", "vi", sticker=sticker)

    def press_button(
        self,
        user_id: int,
        message: dict[str, Any],
        callback_data: str,
        *,
        chat_id: int | None = None,
        first_name: str = "U",
        language_code: str | None = "vi",
        strict: bool = True,
    ) -> dict[str, Any]:
        """The user presses the inline button carrying ``callback_data`` under ``message``.

        The update carries the message as it stands now (after edits).  With ``strict`` the
        button must still be on it -- a real user cannot press a button that is gone; pass
        ``strict=False`` to simulate a stale or forged callback.
        """
        chat_id = message["chat"]["id"] if chat_id is None else chat_id
        current = self.state.find_message(chat_id, message["message_id"])
        if strict:
            assert current is not None, f"message {message['message_id']} is not in chat {chat_id} (deleted?)"
            available = _callback_data(current.get("reply_markup"))
            assert callback_data in available, (
                f"no button {callback_data!r} on the message; buttons: {available}"
            )
        sender = _user(user_id, first_name, language_code)
        query = {
            "id": str(next(_callback_ids) * 1_000_003 + user_id),
            "from": sender,
            "message": current if current is not None else copy.deepcopy(message),
            "chat_instance": str(-abs(chat_id) * 7 + 11),
            "data": callback_data,
        }
        return self.push_update({"callback_query": query})

    # -- what the fault and fuzz tests add: every other kind of update a person or Telegram can cause --
    def user_content(self, user_id: int, *, chat_id: int | None = None, **content: Any) -> dict[str, Any]:
        """A message with any content (contact, video, audio, poll, dice…), shaped by the caller."""
        return self._user_message(user_id, chat_id, "U", "vi", **content)

    def user_file(
        self,
        user_id: int,
        kind: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        file_size: int | None = None,
        size_known: bool = True,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A photo, document, voice, audio or video whose declared size may lie or be missing (Telegram
        omits ``file_size`` when it does not know it; getFile still tells it)."""
        f = self.state.add_file(data, file_size=file_size, folder={"photo": "photos", "voice": "voice"}.get(kind, "documents"))
        ids = {"file_id": f.file_id, "file_unique_id": f.file_unique_id} | ({"file_size": f.file_size} if size_known else {})
        content: Any
        if kind == "photo":
            content = [ids | {"width": 1280, "height": 960}]
        elif kind in ("voice", "audio"):
            content = ids | {"duration": 3} | ({"mime_type": mime_type} if mime_type else {})
        elif kind == "video":
            content = ids | {"width": 640, "height": 480, "duration": 3} | ({"mime_type": mime_type} if mime_type else {})
        else:
            content = ids | {"file_name": "file"} | ({"mime_type": mime_type} if mime_type else {})
        return self._user_message(user_id, chat_id, "U", "vi", **{kind: content})

    def edited_message(self, user_id: int, text: str, *, chat_id: int | None = None) -> dict[str, Any]:
        """The person edits one of their earlier texts (a new one is made if they wrote none)."""
        chat = user_id if chat_id is None else chat_id
        mine = [m for m in self.state.chats.get(chat, {}).values() if m.get("from", {}).get("id") == user_id and "text" in m]
        original = copy.deepcopy(mine[-1]) if mine else self.state.new_message(chat, _user(user_id, "U", "vi"), text=text)
        self.state.chats[chat][original["message_id"]]["text"] = text
        edited = original | {"text": text, "edit_date": original["date"] + 1}
        edited.pop("entities", None)
        return self.push_update({"edited_message": edited})

    def channel_post(self, chat_id: int, text: str) -> dict[str, Any]:
        """A post in a channel the bot was added to: no sender user, only the channel."""
        chat = {"id": chat_id, "type": "channel", "title": f"Channel {chat_id}"}
        mid = next(self.state._message_ids[chat_id])
        post = {"message_id": mid, "sender_chat": chat, "chat": chat, "date": int(time.time()), "text": text}
        return self.push_update({"channel_post": post})

    def my_chat_member(self, user_id: int, *, chat_id: int | None = None, status: str = "kicked") -> dict[str, Any]:
        """The person blocks the bot (private chat) or someone adds/removes it in a group."""
        chat = user_id if chat_id is None else chat_id
        bot = self.state.bot_user
        old = {"status": "member", "user": bot}
        new = {"status": status, "user": bot} | ({"until_date": 0} if status == "kicked" else {})
        change = {"chat": self.state.chat(chat), "from": _user(user_id, "U", "vi"), "date": int(time.time()),
                  "old_chat_member": old, "new_chat_member": new}
        return self.push_update({"my_chat_member": change})

    def forged_press(
        self, user_id: int, callback_data: str, *, chat_id: int | None = None, inaccessible: bool = False
    ) -> dict[str, Any]:
        """A press with any callback data under the bot's last message in the chat (or a message that is
        gone: ``inaccessible`` is what Telegram sends for messages older than 48 hours)."""
        chat = user_id if chat_id is None else chat_id
        bots = [m for m in self.state.chats.get(chat, {}).values() if m.get("from", {}).get("is_bot")]
        if bots and not inaccessible:
            return self.press_button(user_id, bots[-1], callback_data, chat_id=chat, strict=False)
        gone = {"chat": self.state.chat(chat), "message_id": 999_999, "date": 0}
        query = {
            "id": str(next(_callback_ids) * 1_000_003 + user_id),
            "from": _user(user_id, "U", "vi"),
            "message": gone,
            "chat_instance": str(-abs(chat) * 7 + 11),
            "data": callback_data,
        }
        return self.push_update({"callback_query": query})
