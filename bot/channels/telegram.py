"""Telegram through aiogram: updates become Inbound events, Outbound messages become inline keyboards."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.outbox_dispatcher import PermanentFailure, RetryLater
from handlers.conversation import ReportConversation
from handlers.i18n import pick_locale, t
from handlers.messages import Channel, ChatKind, Inbound, InboundKind, Media, Outbound, command_name, split_text
from handlers.officer_actions import OfficerActions
from handlers.services import Limits, Reply
from storage.outbox import Envelope

__all__ = ["CALLBACK_VERSION", "TelegramSender", "build_dispatcher", "make_bot", "render", "delete_messages", "send_outbound"]

log = logging.getLogger(__name__)
CALLBACK_VERSION = "1|"  # bump when the meaning of callback values changes; old buttons then read as stale
TEXT_LIMIT = 4096
Handle = Callable[[str], str]
_NAV_ROW = {"nav:back", "nav:cancel"}  # side by side at the bottom, as phones show them


def make_bot(token: str, api_base: str) -> Bot:
    return Bot(token=token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))


def render(message: Outbound) -> InlineKeyboardMarkup | None:
    if not message.choices:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    nav: list[InlineKeyboardButton] = []
    for choice in message.choices:
        button = InlineKeyboardButton(text=choice.label[:64], callback_data=CALLBACK_VERSION + choice.value)
        if choice.value in _NAV_ROW:
            nav.append(button)
        else:
            rows.append([button])
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav] if nav else rows)


async def send_outbound(bot: Bot, chat_id: int | str, message: Outbound) -> list[Message]:
    parts = split_text(message.text, TEXT_LIMIT)
    sent = [await bot.send_message(chat_id, part) for part in parts[:-1]]
    return [*sent, await bot.send_message(chat_id, parts[-1], reply_markup=render(message))]


async def delete_messages(bot: Bot, chat_id: int, refs: list[str]) -> None:
    """Deletes what the platform still allows (48 hours, private chat); what it refuses is simply gone already."""
    ids = sorted({int(ref) for ref in refs if ref.isdigit()})
    for start in range(0, len(ids), 100):
        try:
            await bot.delete_messages(chat_id, ids[start : start + 100])
        except TelegramBadRequest:
            log.warning("some messages could not be deleted during a wipe")


class TelegramSender:
    """The outbox's way out to Telegram; maps API errors to retry-later or give-up."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> str | None:
        try:
            if envelope.edit_message_id is not None:
                return await self._edit(envelope, message)
            sent = await send_outbound(self.bot, envelope.address, message)
            for number, (data, content_type) in enumerate(attachments, start=1):
                if content_type.startswith("image/"):
                    await self.bot.send_photo(envelope.address, BufferedInputFile(data, f"evidence-{number}.jpg"))
                elif content_type.startswith("audio/"):
                    await self.bot.send_voice(envelope.address, BufferedInputFile(data, f"voice-{number}.ogg"))
                else:  # a document: the periodic report
                    name = f"{envelope.purpose}-{number}{mimetypes.guess_extension(content_type) or ''}"
                    await self.bot.send_document(envelope.address, BufferedInputFile(data, name))
            return str(sent[0].message_id)
        except TelegramRetryAfter as exc:
            raise RetryLater("rate limited", after=float(exc.retry_after)) from None
        except (TelegramNetworkError, TelegramServerError) as exc:
            raise RetryLater(type(exc).__name__) from None
        except (TelegramForbiddenError, TelegramNotFound, TelegramUnauthorizedError, TelegramBadRequest) as exc:
            raise PermanentFailure(f"{type(exc).__name__}: {exc.message}") from None
        except TelegramAPIError as exc:  # anything else (e.g. a migrated chat): give up on this row, loudly
            raise PermanentFailure(type(exc).__name__) from None

    async def _edit(self, envelope: Envelope, message: Outbound) -> str:
        message_id = int(envelope.edit_message_id or 0)
        try:
            await self.bot.edit_message_text(
                text=message.text, chat_id=envelope.address, message_id=message_id, reply_markup=render(message)
            )
        except TelegramBadRequest as exc:
            if "not modified" not in exc.message:
                raise
        return str(message_id)


async def _fetch(bot: Bot, file_id: str, declared: int, limit: int, content_type: str) -> Media:
    """Downloads only what we would accept: a declared size over the limit is refused unread."""
    data = b""
    if declared <= limit:
        downloaded = await bot.download(file_id)
        data = downloaded.read() if downloaded else b""
    return Media(data=data, size=max(declared, len(data)), content_type=content_type)


def _inbound_from_message(message: Message, handle: Handle, **extra: Any) -> Inbound:
    user = message.from_user
    assert user is not None
    base: dict[str, Any] = dict(
        channel=Channel.TELEGRAM,
        handle=handle(str(user.id)),
        reply_address=str(message.chat.id),
        locale_hint=user.language_code,
        message_ref=str(message.message_id),
    )
    return Inbound(**base, **extra)


def build_dispatcher(
    conversation: ReportConversation, officers: OfficerActions, handle: Handle, limits: Limits
) -> Dispatcher:
    """All routers in one place: private chats (reporters, officers' details), duty groups (buttons)."""
    private, groups = Router(name="private"), Router(name="groups")
    private.message.filter(F.chat.type == "private")
    private.callback_query.filter(F.message.chat.type == "private")
    groups.callback_query.filter(F.message.chat.type.in_({"group", "supergroup"}))

    async def answer(bot: Bot, chat_id: int, user_id: int, reply: Reply) -> None:
        if reply.wipe is not None:
            await delete_messages(bot, chat_id, reply.wipe)
        sent = [m for out in reply.messages for m in await send_outbound(bot, chat_id, out)]
        if chat_id == user_id:  # a private chat: remember what we wrote, so a wipe can take it back
            await conversation.remember(handle(str(user_id)), [str(m.message_id) for m in sent])

    async def reply_to(message: Message, bot: Bot, kind: InboundKind, **fields: Any) -> None:
        assert message.from_user is not None
        inbound = _inbound_from_message(message, handle, kind=kind, **fields)
        await answer(bot, message.chat.id, message.from_user.id, await conversation.handle(inbound))

    @private.message(F.text)
    async def on_text(message: Message, bot: Bot) -> None:
        text = message.text or ""
        command = command_name(text)
        kind = InboundKind.COMMAND if command else InboundKind.TEXT
        await reply_to(message, bot, kind, text=text, command=command)

    @private.message(F.location)
    async def on_location(message: Message, bot: Bot) -> None:
        assert message.location is not None
        where = (message.location.latitude, message.location.longitude)
        await reply_to(message, bot, InboundKind.LOCATION, location=where)

    @private.message(F.photo | (F.document.mime_type.startswith("image/")))
    async def on_photo(message: Message, bot: Bot) -> None:
        file = message.photo[-1] if message.photo else message.document
        assert file is not None
        media = await _fetch(bot, file.file_id, file.file_size or 0, limits.max_photo_bytes, "image/*")
        await reply_to(message, bot, InboundKind.PHOTO, media=media)

    @private.message(F.voice)
    async def on_voice(message: Message, bot: Bot) -> None:
        assert message.voice is not None
        voice = message.voice
        media = await _fetch(bot, voice.file_id, voice.file_size or 0, limits.max_voice_bytes, voice.mime_type or "audio/ogg")
        await reply_to(message, bot, InboundKind.VOICE, media=media)

    @private.message()
    async def on_other(message: Message, bot: Bot) -> None:
        await reply_to(message, bot, InboundKind.UNSUPPORTED)

    async def on_press(query: CallbackQuery, bot: Bot, chat_kind: ChatKind) -> None:
        data = query.data or ""
        value = data[len(CALLBACK_VERSION) :] if data.startswith(CALLBACK_VERSION) else "stale"
        inbound = Inbound(
            channel=Channel.TELEGRAM,
            handle=handle(str(query.from_user.id)),
            kind=InboundKind.CHOICE,
            choice=value,
            chat_kind=chat_kind,
            reply_address=str(query.from_user.id),
            locale_hint=query.from_user.language_code,
        )
        if officers.handles(value):
            reply = await officers.press(inbound)
        else:
            reply = await conversation.handle(inbound)
        await query.answer(text=(reply.toast or "")[:200] or None, show_alert=reply.toast_alert)
        if query.message is not None:
            await answer(bot, query.message.chat.id, query.from_user.id, reply)

    @private.callback_query()
    async def on_private_press(query: CallbackQuery, bot: Bot) -> None:
        await on_press(query, bot, ChatKind.PRIVATE)

    @groups.callback_query()
    async def on_group_press(query: CallbackQuery, bot: Bot) -> None:
        await on_press(query, bot, ChatKind.GROUP)

    dispatcher = Dispatcher()
    dispatcher.include_routers(private, groups)

    @dispatcher.errors()
    async def on_error(event: ErrorEvent, bot: Bot) -> bool:
        """Logs only the exception type (its text or the update could carry a narrative or an id) and
        still answers a person in a private chat, kindly, instead of leaving them with silence."""
        log.error("update failed with %s", type(event.exception).__name__)
        update = event.update
        source = update.message or (update.callback_query.message if update.callback_query else None)
        user = update.message.from_user if update.message else (update.callback_query.from_user if update.callback_query else None)
        if source is not None and source.chat.type == "private":
            locale = pick_locale(user.language_code if user else None)
            with contextlib.suppress(TelegramAPIError):
                await bot.send_message(source.chat.id, t(locale, "input.try_again_later"))
        return True

    return dispatcher

