"""Telegram through aiogram: updates become Inbound events, Outbound messages become inline keyboards."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import mimetypes
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    TelegramObject,
    Update,
)
from aiohttp import ClientConnectionError

from bot.outbox_dispatcher import ChatMoved, PermanentFailure, RateLimited, RetryLater, SentIds
from handlers.escalation.refusals import ChatProblem
from handlers.i18n import pick_locale, t
from handlers.images import PHOTO_TYPES
from handlers.intake.engine import ReportConversation
from handlers.messages import (
    WIPE,
    Channel,
    ChatKind,
    Choice,
    Inbound,
    InboundKind,
    Media,
    Outbound,
    command_name,
    split_text,
)
from handlers.officers.actions import OfficerActions
from handlers.services import Limits, Reply
from storage.inbound_seen import Deliveries
from storage.outbox import Envelope

__all__ = [
    "CALLBACK_VERSION",
    "TelegramSender",
    "build_dispatcher",
    "delete_messages",
    "make_bot",
    "render",
    "send_outbound",
]

log = logging.getLogger(__name__)
CALLBACK_VERSION = "1|"  # bump when the meaning of callback values changes; old buttons then read as stale
TEXT_LIMIT = 4096
Handle = Callable[[str], str]
_NAV_ROW = {"nav:back", "nav:cancel"}  # side by side at the bottom, as phones show them


# aiogram parametrises its Response model for every call; pydantic keeps those models only weakly, so a
# garbage collection makes the next call rebuild one (milliseconds of CPU each). Each is held here from
# its first call (building all of them at import cost a sixth of the start).
_RESPONSES: dict[Any, Any] = {}


class _Session(AiohttpSession):
    """aiogram's session, with a proxy that cannot be reached or refuses told as the network error it is
    (aiohttp-socks raises its own types, which aiogram lets through): the outbox retries it, polling waits."""

    def __init__(self, *, proxy: str | None = None, **kwargs: Any) -> None:
        super().__init__(proxy=proxy, **kwargs)
        self.proxy_errors: tuple[type[Exception], ...] = ()
        if proxy:  # aiohttp-socks only where a proxy is set (as aiogram itself imports it)
            from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError

            self.proxy_errors = (ProxyError, ProxyConnectionError, ProxyTimeoutError)

    def check_response(self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str) -> Response[Any]:
        if method.__returning__ not in _RESPONSES:
            _RESPONSES[method.__returning__] = Response[method.__returning__]
        return super().check_response(bot, method, status_code, content)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        try:
            return await super().make_request(bot, method, timeout)
        except self.proxy_errors as exc:
            raise TelegramNetworkError(method=method, message=f"proxy: {type(exc).__name__}") from None

    async def stream_content(self, url: str, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        try:
            async for chunk in super().stream_content(url, *args, **kwargs):
                yield chunk
        except self.proxy_errors as exc:
            raise ClientConnectionError(f"proxy: {type(exc).__name__}") from None


def make_bot(token: str, api_base: str, *, proxy: str = "") -> Bot:
    """Link previews off for every message: Telegram's servers would otherwise fetch a page named in one
    (a reported address, an officer's note), which must never be opened for the bot. ``proxy``
    (TELEGRAM_PROXY, http:// or socks5://) carries every call, downloads included (aiohttp-socks)."""
    session = _Session(api=TelegramAPIServer.from_base(api_base), proxy=proxy or None)
    return Bot(token=token, session=session, default=DefaultBotProperties(link_preview=LinkPreviewOptions(is_disabled=True)))


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
    """The outbox's way out to Telegram: maps API errors to wait, retry, follow or give up. Every call has
    its own timeout, so a stalled request frees the dispatcher to retry instead of hanging a chat."""

    rate_limited = True  # Telegram's per-chat, per-group and overall limits apply (bot/send_limits.py)

    def __init__(self, bot: Bot, *, request_timeout: float = 20.0) -> None:
        self.bot, self.timeout = bot, request_timeout

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> SentIds:
        try:
            if envelope.edit_message_id is not None:
                return await self._edit(envelope, message)
            return await self._post(envelope, message, attachments)
        except TelegramMigrateToChat as exc:
            raise ChatMoved(str(exc.migrate_to_chat_id)) from None
        except TelegramRetryAfter as exc:
            raise RateLimited("rate limited", after=float(exc.retry_after)) from None
        except (TelegramNetworkError, TelegramServerError) as exc:  # aiogram reports a timeout as a network error
            raise RetryLater(type(exc).__name__) from None
        except TelegramUnauthorizedError:  # a revoked token: nothing is dropped while the operator fixes it
            log.error("Telegram refuses the bot token; messages wait until TELEGRAM_BOT_TOKEN is fixed")
            raise RetryLater("unauthorized") from None
        except (TelegramForbiddenError, TelegramNotFound, TelegramBadRequest) as exc:
            raise PermanentFailure(f"{type(exc).__name__}: {exc.message}", problem=_problem(envelope.address, exc)) from None
        except TelegramAPIError as exc:  # anything else: give up on this row, loudly
            raise PermanentFailure(type(exc).__name__) from None

    async def _post(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> list[str]:
        """Every message id, the first one first: a person's wipe deletes them all, an edit changes the first."""
        chat, timeout = envelope.address, self.timeout
        parts = split_text(message.text, TEXT_LIMIT)
        sent = [await self.bot.send_message(chat, part, request_timeout=timeout) for part in parts[:-1]]  # type: ignore[arg-type]
        sent.append(await self.bot.send_message(chat, parts[-1], reply_markup=_keyboard(envelope, message), request_timeout=timeout))  # type: ignore[arg-type]
        for number, (data, content_type) in enumerate(attachments, start=1):
            if content_type.startswith("image/"):
                sent.append(await self.bot.send_photo(chat, BufferedInputFile(data, f"evidence-{number}.jpg"), request_timeout=timeout))  # type: ignore[arg-type]
            elif content_type.startswith("audio/"):
                sent.append(await self.bot.send_voice(chat, BufferedInputFile(data, f"voice-{number}.ogg"), request_timeout=timeout))  # type: ignore[arg-type]
            else:  # a document: the periodic report, its purpose the file's name (unit and period)
                suffix = "" if number == 1 else f"-{number}"
                name = f"{envelope.purpose}{suffix}{mimetypes.guess_extension(content_type) or ''}"
                sent.append(await self.bot.send_document(chat, BufferedInputFile(data, name), request_timeout=timeout))  # type: ignore[arg-type]
        return [str(m.message_id) for m in sent]

    async def _edit(self, envelope: Envelope, message: Outbound) -> str:
        message_id = int(envelope.edit_message_id or 0)
        try:
            await self.bot.edit_message_text(
                text=message.text, chat_id=envelope.address, message_id=message_id,
                reply_markup=_keyboard(envelope, message), request_timeout=self.timeout,  # type: ignore[arg-type]
            )
        except TelegramBadRequest as exc:
            if "not modified" not in exc.message:
                raise
        return str(message_id)


def _keyboard(envelope: Envelope, message: Outbound) -> InlineKeyboardMarkup | None:
    """A digest keeps each case's take and view buttons side by side on one row. Every message to a
    person's own chat carries the wipe button: on a shared phone, erasing must always be one press away."""
    if envelope.person is not None and not any(c.value == WIPE for c in message.choices):
        wipe = Choice(WIPE, t(str(envelope.payload.get("locale") or "vi"), "nav.wipe"))
        message = dataclasses.replace(message, choices=(*message.choices, wipe))
    if not envelope.payload.get("digest"):
        return render(message)
    rows: dict[str, list[InlineKeyboardButton]] = {}
    for choice in message.choices:
        button = InlineKeyboardButton(text=choice.label[:64], callback_data=CALLBACK_VERSION + choice.value)
        rows.setdefault(choice.value.partition(":")[2], []).append(button)
    return InlineKeyboardMarkup(inline_keyboard=list(rows.values())) if rows else None


def _problem(address: str, exc: TelegramAPIError) -> ChatProblem:
    """What the administrators are told: only a refused chat is news to them, not a refused message."""
    text = exc.message.lower()
    if isinstance(exc, TelegramNotFound) or "chat not found" in text:
        return ChatProblem.NOT_FOUND
    if isinstance(exc, TelegramForbiddenError):
        return ChatProblem.REMOVED if address.startswith("-") else ChatProblem.BLOCKED
    return ChatProblem.REFUSED


async def _fetch(bot: Bot, file_id: str, declared: int | None, limit: int, content_type: str) -> Media:
    """Downloads only what we would accept: a size over the limit, declared in the update or (when the
    update leaves it out) told by getFile, is refused unread, like a file Telegram will not hand out."""
    refused = Media(data=b"", size=limit + 1, content_type=content_type)
    if declared is not None and declared > limit:
        return refused
    try:
        file = await bot.get_file(file_id)
    except TelegramBadRequest:  # "file is too big": over the 20 MB a bot may download at all
        return refused
    if (file.file_size or 0) > limit or not file.file_path:
        return refused
    downloaded = await bot.download_file(file.file_path)
    data = downloaded.read() if downloaded else b""
    return Media(data=data, size=max(declared or 0, len(data)), content_type=content_type)


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
    conversation: ReportConversation,
    officers: OfficerActions,
    handle: Handle,
    limits: Limits,
    *,
    deliveries: Deliveries | None = None,
) -> Dispatcher:
    """All routers in one place: private chats (reporters, officers' details), duty groups (buttons).

    ``deliveries`` lets one worker of several handle an update delivered twice, and a live worker handle
    one whose worker died mid-way."""
    private, groups = Router(name="private"), Router(name="groups")
    private.message.filter(F.chat.type == "private")
    private.edited_message.filter(F.chat.type == "private")
    private.callback_query.filter(F.message.chat.type == "private")
    groups.callback_query.filter(F.message.chat.type.in_({"group", "supergroup"}))

    async def answer(bot: Bot, chat_id: int, user_id: int, reply: Reply) -> None:
        if reply.wipe is not None:
            await delete_messages(bot, chat_id, reply.wipe)
        if reply.queued:  # the outbox sends them, and remembers them for a wipe
            return
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
        declared_type = "image/jpeg" if message.photo else (message.document.mime_type if message.document else None) or ""
        if declared_type in PHOTO_TYPES:
            media = await _fetch(bot, file.file_id, file.file_size, limits.max_photo_bytes, declared_type)
        else:  # a GIF, HEIC or SVG "image": refused by its declared type, unread
            media = Media(data=b"", size=file.file_size or 0, content_type=declared_type)
        await reply_to(message, bot, InboundKind.PHOTO, media=media)

    @private.message(F.voice)
    async def on_voice(message: Message, bot: Bot) -> None:
        assert message.voice is not None
        voice = message.voice
        media = await _fetch(bot, voice.file_id, voice.file_size, limits.max_voice_bytes, voice.mime_type or "audio/ogg")
        await reply_to(message, bot, InboundKind.VOICE, media=media)

    @private.message()
    async def on_other(message: Message, bot: Bot) -> None:
        await reply_to(message, bot, InboundKind.UNSUPPORTED)

    @private.edited_message()
    async def on_edit(message: Message, bot: Bot) -> None:
        """An edit is not read again (its answer already moved the conversation on); say so rather than
        let a reporter believe a corrected description reached anyone."""
        assert message.from_user is not None
        locale = pick_locale(message.from_user.language_code)
        note = Outbound(f"{t(locale, 'discreet.header')}\n{t(locale, 'fault.edit_not_read')}")
        await answer(bot, message.chat.id, message.from_user.id, Reply([note], locale=locale))

    async def on_press(query: CallbackQuery, bot: Bot, chat_kind: ChatKind) -> None:
        data = (query.data or "").encode("utf-8", "replace").decode()  # a forged lone surrogate cannot be sent back
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
    if deliveries is not None:
        claims = deliveries

        async def handled_once(
            handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], update: TelegramObject, data: dict[str, Any]
        ) -> Any:
            assert isinstance(update, Update)
            result = None
            async with claims.handling(str(update.update_id)):
                result = await handler(update, data)
            return result

        dispatcher.update.outer_middleware(handled_once)

    @dispatcher.errors()
    async def on_error(event: ErrorEvent, bot: Bot) -> bool:
        """Logs only the exception type (its text or the update could carry a narrative or an id) and
        still answers a person in a private chat, kindly, instead of leaving them with silence."""
        log.error("update failed with %s", type(event.exception).__name__)
        update = event.update
        source = update.message or (update.callback_query.message if update.callback_query else None)
        user = update.message.from_user if update.message else (update.callback_query.from_user if update.callback_query else None)
        locale = pick_locale(user.language_code if user else None)
        if update.callback_query is not None:  # the button stops spinning, in a duty group too
            with contextlib.suppress(TelegramAPIError):
                await bot.answer_callback_query(update.callback_query.id, text=t(locale, "input.try_again_later")[:200])
        if source is not None and source.chat.type == "private":
            with contextlib.suppress(TelegramAPIError):
                await bot.send_message(source.chat.id, t(locale, "input.try_again_later"))
        return True

    return dispatcher
