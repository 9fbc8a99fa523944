"""What the fake Telegram "knows": chats and their messages, files, callback queries, commands.

Why separate from the HTTP layer: each Bot API method is a plain synchronous function of this
state, so its Telegram-like behaviour (message ids, "message is not modified", edits removing the
inline keyboard, stale callback queries) can be read and changed in one place.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .spec import method_returns, parsed_text

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024  # getFile refuses bigger files ("file is too big")
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # setWebhook's secret_token, as the Bot API states it
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer from Telegram (becomes ``{"ok": false, ...}`` with ``status``)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


class SpecViolation(ApiError):
    """A 400 for a rule the spec states only in prose (e.g. "chat_id and message_id required")."""

    def __init__(self, description: str) -> None:
        super().__init__(400, f"Bad Request: {description}")


@dataclass
class FakeFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_size: int
    file_path: str

    def as_file(self) -> dict[str, Any]:
        out = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": self.file_size}
        return out | ({"file_path": self.file_path} if self.file_size <= MAX_DOWNLOAD_SIZE else {})


class TelegramState:
    def __init__(self) -> None:
        self.bot_user: dict[str, Any] = {
            "id": 1,
            "is_bot": True,
            "first_name": "CP Test Bot",
            "username": "test_cp_bot",
        }
        self.files: dict[str, FakeFile] = {}
        self.files_by_path: dict[str, FakeFile] = {}
        self.chats: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)  # chat -> id -> live message
        self.sent: list[tuple[int, dict[str, Any]]] = []  # (chat_id, message as sent by the bot)
        self.users: dict[int, dict[str, Any]] = {}
        self.reply_keyboards: dict[int, dict[str, Any]] = {}
        self.callback_queries: dict[str, dict[str, Any] | None] = {}  # id -> answer params (None: open)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None  # what the last setWebhook set (url, secret_token, allowed_updates)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._file_ids = itertools.count(1)
        self._filenames: dict[str, str] = {}

    # -- files ----------------------------------------------------------------------------------
    def add_file(self, data: bytes, *, file_size: int | None = None, folder: str = "documents") -> FakeFile:
        n = next(self._file_ids)
        f = FakeFile(
            file_id=f"FAKE{n}-{secrets.token_urlsafe(12)}",
            file_unique_id=f"U{n}",
            data=bytes(data),
            file_size=len(data) if file_size is None else file_size,
            file_path=f"{folder}/file_{n}",
        )
        self.files[f.file_id] = self.files_by_path[f.file_path] = f
        return f

    def _input_file(self, value: Any, folder: str) -> FakeFile:
        """An uploaded file (bytes), a known file_id, or a URL; anything else Telegram rejects."""
        if isinstance(value, (bytes, bytearray)):
            return self.add_file(bytes(value), folder=folder)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.add_file(b"", file_size=1024, folder=folder)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def photo_sizes(self, f: FakeFile, thumbnail: FakeFile | None = None) -> list[dict[str, Any]]:
        sizes = [(thumbnail, 90, 68)] if thumbnail else []
        return [
            {
                "file_id": x.file_id,
                "file_unique_id": x.file_unique_id,
                "width": w,
                "height": h,
                "file_size": x.file_size,
            }
            for x, w, h in [*sizes, (f, 1280, 960)]
        ]

    # -- chats and messages -----------------------------------------------------------------------
    def chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {
                "id": chat_id,
                "type": "private",
                "first_name": self.users.get(chat_id, {}).get("first_name", "U"),
            }
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        mid = next(self._message_ids[chat_id])
        msg = {"message_id": mid, "from": sender, "chat": self.chat(chat_id), "date": int(time.time())}
        msg.update({k: v for k, v in content.items() if v is not None})
        self.chats[chat_id][mid] = copy.deepcopy(msg)
        return msg

    def find_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        msg = self.chats.get(chat_id, {}).get(message_id)
        return copy.deepcopy(msg) if msg is not None else None

    @staticmethod
    def chat_id(params: dict[str, Any]) -> int:
        value = params.get("chat_id")
        if isinstance(value, int):
            return value
        raise ApiError(400, "Bad Request: chat not found")

    def _markup(self, chat_id: int, markup: Any) -> dict[str, Any] | None:
        """The inline keyboard to attach; reply keyboards are remembered per chat instead."""
        if not isinstance(markup, dict):
            return None
        if "keyboard" in markup:
            self.reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self.reply_keyboards.pop(chat_id, None)
        return markup if markup.get("inline_keyboard") else None

    def _bot_send(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = self.chat_id(params)
        reply = params.get("reply_parameters") or {}
        replied = self.find_message(chat_id, reply.get("message_id", -1)) if isinstance(reply, dict) else None
        if replied is None and reply and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        if replied:
            replied.pop("reply_to_message", None)
        markup = self._markup(chat_id, params.get("reply_markup"))
        msg = self.new_message(
            chat_id, self.bot_user, reply_to_message=replied, **content, reply_markup=markup
        )
        self.sent.append((chat_id, copy.deepcopy(msg)))
        return msg

    @staticmethod
    def _text(params: dict[str, Any], key: str) -> str | None:
        text = params.get(key)
        return parsed_text(text, params.get("parse_mode")) if isinstance(text, str) else None

    # -- methods (m_<apiMethod>) -----------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any], filenames: dict[str, str]) -> Any:
        fn = getattr(self, f"m_{method}", None)
        self._filenames = filenames  # multipart file names, for Document.file_name
        if fn is not None:
            return fn(params)
        if method_returns(method) in (["Boolean"], ["True"]):
            return True
        raise NotImplementedError(method)

    def m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def m_setWebhook(self, params: dict[str, Any]) -> bool:
        """Telegram posts only to HTTPS; an empty url removes the webhook."""
        url = params.get("url") or ""
        if not url:
            self.webhook = None
            return True
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not WEBHOOK_SECRET.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret, "allowed_updates": params.get("allowed_updates")}
        return True

    def m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def m_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return self.chat(self.chat_id(params)) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_send(params, text=self._text(params, "text"), entities=params.get("entities"))

    def m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        f = self._input_file(params["photo"], "photos")
        return self._bot_send(params, photo=self.photo_sizes(f), caption=self._text(params, "caption"))

    def _document(self, value: Any, file_name: str | None) -> dict[str, Any]:
        f = self._input_file(value, "documents")
        doc = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.file_size}
        return doc | ({"file_name": file_name} if file_name else {})

    def m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        doc = self._document(params["document"], self._filenames.get("document"))
        return self._bot_send(params, document=doc, caption=self._text(params, "caption"))

    def m_sendVoice(self, params: dict[str, Any]) -> dict[str, Any]:
        f = self._input_file(params["voice"], "voice")
        voice = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "duration": 1, "file_size": f.file_size}
        return self._bot_send(params, voice=voice, caption=self._text(params, "caption"))

    def m_sendMediaGroup(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        media = params["media"]
        if not 2 <= len(media) <= 10:
            raise SpecViolation("media must include 2-10 items")
        group_id = str(next(self._file_ids))
        out = []
        for item in media:
            content: dict[str, Any]
            if item["type"] == "photo":
                content = {"photo": self.photo_sizes(self._input_file(item["media"], "photos"))}
            elif item["type"] == "document":
                content = {"document": self._document(item["media"], None)}
            else:
                raise NotImplementedError(f"sendMediaGroup with {item['type']}")
            out.append(
                self._bot_send(
                    params, media_group_id=group_id, caption=self._text(item, "caption"), **content
                )
            )
        return out

    def _editable(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """The live message an edit targets (None for inline messages)."""
        if params.get("inline_message_id"):
            return None
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise SpecViolation("chat_id and message_id are required when inline_message_id is not specified")
        msg = self.chats.get(self.chat_id(params), {}).get(params["message_id"])
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _apply_edit(self, msg: dict[str, Any] | None, params: dict[str, Any], **changes: Any) -> Any:
        if msg is None:
            return True
        # Telegram drops the inline keyboard when an edit does not repeat it.
        changes["reply_markup"] = self._markup(msg["chat"]["id"], params.get("reply_markup"))
        if all(msg.get(k) == v for k, v in changes.items()):
            raise ApiError(400, NOT_MODIFIED)
        for k, v in changes.items():
            if v is None:
                msg.pop(k, None)
            else:
                msg[k] = v
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def m_editMessageText(self, params: dict[str, Any]) -> Any:
        msg = self._editable(params)
        if msg is not None and "text" not in msg:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(msg, params, text=self._text(params, "text"), entities=params.get("entities"))

    def m_editMessageCaption(self, params: dict[str, Any]) -> Any:
        msg = self._editable(params)
        if msg is not None and "text" in msg:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        return self._apply_edit(msg, params, caption=self._text(params, "caption"))

    def m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return self._apply_edit(self._editable(params), params)

    def m_deleteMessage(self, params: dict[str, Any]) -> bool:
        if self.chats.get(self.chat_id(params), {}).pop(params["message_id"], None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def m_deleteMessages(self, params: dict[str, Any]) -> bool:
        chat = self.chats.get(self.chat_id(params), {})
        for mid in params["message_ids"]:
            chat.pop(mid, None)
        return True

    def m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        qid = params["callback_query_id"]
        if qid not in self.callback_queries or self.callback_queries[qid] is not None:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_queries[qid] = params
        return True

    def m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        f = self.files.get(params["file_id"])
        if f is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if f.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        return f.as_file()

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        return json.dumps([params.get("scope"), params.get("language_code")], sort_keys=True)

    def m_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands[self._commands_key(params)] = params["commands"]
        return True

    def m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(params), [])

    def m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True
