"""Zalo Bot Platform through httpx: the same flows as Telegram, with choices as numbered lists.

The bot token is part of every request URL, so no URL, request or httpx log line is ever logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from aiohttp import web

from bot.metrics import Metrics
from bot.outbox_dispatcher import PermanentFailure, RetryLater
from handlers.escalation.alerts import ACK, VIEW
from handlers.i18n import pick_locale, t
from handlers.images import PHOTO_TYPES
from handlers.intake.engine import ReportConversation
from handlers.messages import Channel, Inbound, InboundKind, Media, Outbound, command_name, split_text
from handlers.officers.actions import TYPED_VERBS, OfficerActions, typed_action
from handlers.rules.working_days import VIETNAM
from handlers.services import Limits, Reply
from storage.db import Database
from storage.inbound_seen import Deliveries
from storage.models import utcnow
from storage.outbox import Envelope
from storage.unread import count_unread

__all__ = ["SECRET_HEADER", "TEXT_LIMIT", "ZaloBot", "ZaloClient", "ZaloError", "ZaloSender", "render"]

log = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs every request URL, token included
TEXT_LIMIT = 2000
UNREADABLE = "message.unsupported.received"  # a protected account (children's among them): Zalo keeps the words
SECRET_HEADER = "X-Bot-Api-Secret-Token"
_UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream"})  # a CDN that does not say: the pixels decide


class MediaTooLarge(Exception):
    """A reporter's file declared or turned out larger than we accept; nothing more is read."""


class ZaloError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"Zalo API error {status}: {description}")
        self.status = status


class ZaloClient:
    """A thin client: POST JSON to ``<base>/bot<token>/<method>`` and unwrap ``{"ok", "result"}``."""

    def __init__(self, token: str, base: str, *, timeout: float = 40.0) -> None:
        self._prefix = f"{base.rstrip('/')}/bot{token}/"
        self._http = httpx.AsyncClient(timeout=timeout)
        self.on_answer: Callable[[], None] | None = None  # Zalo answered (the channel is reachable), error or not

    async def call(self, method: str, **payload: Any) -> Any:
        try:
            response = await self._http.post(self._prefix + method, json=payload)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:  # the exception would name the URL: keep only the kind
            raise ZaloError(0, type(exc).__name__) from None
        if self.on_answer is not None and response.status_code < 500 and isinstance(body, dict):
            self.on_answer()
        if not isinstance(body, dict) or not body.get("ok"):
            description = str(body.get("description", "")) if isinstance(body, dict) else "malformed answer"
            code = body.get("error_code", response.status_code) if isinstance(body, dict) else 0
            raise ZaloError(code if isinstance(code, int) else response.status_code, description)
        return body.get("result")

    async def fetch(self, url: str, *, limit: int, allowed_hosts: tuple[str, ...]) -> bytes:
        """Downloads a reporter's photo: b"" for a foreign host (no fetching our own network for a
        stranger), a declared type we do not keep (left unread) or a failure; MediaTooLarge for anything
        that declares or turns out to be over ``limit``."""
        try:
            parts = urlsplit(url)
            host, _ = parts.hostname or "", parts.port  # a malformed host or port raises here, not later
        except ValueError:
            return b""
        if parts.scheme not in ("http", "https") or not any(host == h or host.endswith("." + h) for h in allowed_hosts):
            return b""
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    return b""
                if int(response.headers.get("content-length") or 0) > limit:
                    raise MediaTooLarge
                declared_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
                if declared_type not in PHOTO_TYPES and declared_type not in _UNTYPED:
                    return b""
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > limit:
                        raise MediaTooLarge
                return bytes(data)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError):
            return b""

    async def close(self) -> None:
        await self._http.aclose()


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(value: object) -> str:
    """A platform id as text, or "" for anything that is not one (a list, a bool, a float)."""
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def render(message: Outbound, locale: str) -> list[str]:
    """Choices become "1. …" lines and a hint; officers' card buttons become reply commands."""
    lines = [message.text]
    numbered = [c for c in message.choices if c.value.partition(":")[0] not in TYPED_VERBS]
    if numbered:
        lines.append("")
        lines += [f"{i}. {choice.label}" for i, choice in enumerate(numbered, 1)]
        numbers = [str(i) for i in range(1, len(numbered) + 1)]
        spoken = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} {t(locale, 'zalo.or')} {numbers[-1]}"
        lines.append(t(locale, "zalo.reply_hint", numbers=spoken))
    codes = sorted({c.value.partition(":")[2] for c in message.choices if c.value.partition(":")[0] in (ACK, VIEW)})
    for code in codes:
        lines += ["", t(locale, "zalo.officer_commands", code=code)]
    typed = [(c.value.partition(":"), c.label) for c in message.choices if c.value.partition(":")[0] in TYPED_VERBS]
    lines += [t(locale, "zalo.officer_action", command=f"{TYPED_VERBS[a]} {rest.replace(':', ' ')}", label=label)
              for (a, _, rest), label in typed if a not in (ACK, VIEW)]
    return split_text("\n".join(lines), TEXT_LIMIT)


class ZaloSender:
    """The outbox's way out to Zalo: no edits, no uploads (photos need a URL), so texts only."""

    def __init__(self, client: ZaloClient) -> None:
        self.client = client

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> str | None:
        if envelope.edit_message_id is not None:
            return envelope.edit_message_id  # Zalo cannot edit; the duty group's card is the one that changes
        locale = str(envelope.payload.get("locale") or "vi")
        text = message.text
        if attachments:
            text += "\n\n" + t(locale, "zalo.attachments_elsewhere", count=len(attachments))
        first: str | None = None
        try:
            for part in render(Outbound(text, message.choices), locale):
                result = await self.client.call("sendMessage", chat_id=envelope.address, text=part)
                first = first or str((result or {}).get("message_id", "")) or None
        except ZaloError as exc:
            if exc.status in (0, 429) or exc.status >= 500:
                raise RetryLater(str(exc)) from None
            raise PermanentFailure(str(exc)) from None
        return first


def _kind(event: str, text: str) -> str:
    """The metrics' kind of an update (bot/metrics.py KINDS): never the event name itself, which Zalo may extend."""
    if event == UNREADABLE:
        return "unreadable"
    if event == "message.text.received":
        return "choice" if typed_action(text) else "command" if command_name(text) else "text"
    return "photo" if event == "message.image.received" else "other"


class ZaloBot:
    """Receives updates (long polling or webhook), runs them through the core, answers in text."""

    def __init__(
        self,
        client: ZaloClient,
        db: Database,
        conversation: ReportConversation,
        officers: OfficerActions,
        handle: Callable[[str], str],
        limits: Limits,
        *,
        media_hosts: tuple[str, ...],
        web_chat: str = "",
    ) -> None:
        """``web_chat``: the public web chat's address, offered to those whose words Zalo withholds."""
        self.client, self.db, self.conversation, self.officers = client, db, conversation, officers
        self.handle, self.limits, self.media_hosts, self.web_chat = handle, limits, media_hosts, web_chat
        self.deliveries = Deliveries(db, Channel.ZALO)
        self.metrics: Metrics | None = None  # updates by kind, unreadable messages (docs/monitoring.md)

    async def process(self, update: object) -> None:
        """One update, once: a redelivered message id is recognised and skipped. Nothing in an update ends
        the process: a failure is logged by its kind and the person, when known, is told to try again.
        A delivery of an update another worker is handling waits for that one's transaction."""
        body = _dict(update)
        if isinstance(body.get("result"), dict):  # documented wrapping; webhooks come without it
            body = body["result"]
        message = _dict(body.get("message"))
        chat, sender = _dict(message.get("chat")), _dict(message.get("from"))
        message_id, chat_id, user_id = _id(message.get("message_id")), _id(chat.get("id")), _id(sender.get("id"))
        private = str(chat.get("chat_type", "PRIVATE")).upper() == "PRIVATE"
        event = str(body.get("event_name") or "")
        readable = event != UNREADABLE
        if not message_id or (readable and not (chat_id and user_id and private)) or sender.get("is_bot"):
            return
        try:
            async with self.deliveries.handling(message_id) as delivery:
                if readable:
                    await self._handle(event, message, chat_id, user_id)
                else:
                    await self._unreadable(chat_id if private else "")
            if not delivery.again and self.metrics is not None:
                self.metrics.update(Channel.ZALO, _kind(event, str(message.get("text") or "")))
                if not readable:
                    self.metrics.zalo_unreadable.inc()
        except Exception as exc:  # noqa: BLE001 - one update must never stop the bot for everyone else
            log.error("a Zalo update failed with %s", type(exc).__name__)
            with contextlib.suppress(ZaloError):
                text = t(pick_locale(None), "input.try_again_later")
                await self.client.call("sendMessage", chat_id=chat_id, text=text)

    async def _unreadable(self, chat_id: str) -> None:
        """Counted (a number, no id), and answered where there is a chat to answer: 111, the web chat, an
        adult to trust. Nothing of the message is known, so nothing of it is said."""
        async with self.db.transaction() as session:
            await count_unread(session, Channel.ZALO, utcnow().astimezone(VIETNAM).date())  # the reports' local days
        if not chat_id:
            return
        text = t("vi", "zalo.unreadable")
        if self.web_chat:
            text += "\n" + t("vi", "zalo.unreadable_web", address=self.web_chat)
        await self._answer(chat_id, Reply([Outbound(text)], locale="vi"))

    async def _handle(self, event: str, message: dict[str, Any], chat_id: str, user_id: str) -> None:
        inbound = await self._inbound(event, message, chat_id, user_id)
        if inbound.kind is InboundKind.CHOICE:
            reply = await self.officers.press(inbound)  # a question with options (whom to ask, to assign) is shown
            reply.messages = reply.messages or ([Outbound(reply.toast)] if reply.toast else [])  # as typed commands
        else:
            reply = await self.conversation.handle(inbound)
        await self._answer(chat_id, reply)

    async def _inbound(self, event: str, message: dict[str, Any], chat_id: str, user_id: str) -> Inbound:
        base: dict[str, Any] = dict(channel=Channel.ZALO, handle=self.handle(user_id), reply_address=chat_id)
        text = str(message.get("text") or "")
        if event == "message.text.received" and (action := typed_action(text)):
            return Inbound(kind=InboundKind.CHOICE, choice=action, **base)
        if event == "message.text.received":
            command = command_name(text)
            return Inbound(kind=InboundKind.COMMAND if command else InboundKind.TEXT, text=text, command=command, **base)
        if event == "message.image.received" and isinstance(message.get("photo"), str):
            limit = self.limits.max_photo_bytes
            try:
                data = await self.client.fetch(message["photo"], limit=limit, allowed_hosts=self.media_hosts)
                media = Media(data=data, size=len(data))
            except MediaTooLarge:
                media = Media(data=b"", size=limit + 1)
            return Inbound(kind=InboundKind.PHOTO, media=media, **base)
        return Inbound(kind=InboundKind.UNSUPPORTED, **base)

    async def _answer(self, chat_id: str, reply: Reply) -> None:
        if reply.queued:  # the outbox sends them, with its retries
            return
        for message in reply.messages:
            for part in render(message, reply.locale):
                try:
                    await self.client.call("sendMessage", chat_id=chat_id, text=part)
                except ZaloError as exc:
                    log.warning("a Zalo reply was not delivered (%s)", exc.status)

    async def poll_forever(self, *, timeout: int = 30) -> None:
        """Zalo down or refusing at start (deleteWebhook included) is retried with backoff, never raised: the
        other channels, the outbox and the timers run in the same process and must go on."""
        failures, webhook_off = 0, False
        while True:
            try:
                if not webhook_off:
                    await self.client.call("deleteWebhook")
                    webhook_off = True
                result = await self.client.call("getUpdates", timeout=timeout)
                failures = 0
            except ZaloError as exc:
                failures += 1
                log.warning("Zalo %s failed (%s); retrying", "getUpdates" if webhook_off else "deleteWebhook", exc.status)
                await asyncio.sleep(min(60.0, 2.0**failures))
                continue
            for update in result if isinstance(result, list) else [result] if result else []:
                await self.process(update)

    def webhook_app(self, secret: str, path: str = "/zalo/webhook") -> web.Application:
        expected = secret.encode()

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, expected):  # before the body is read
                return web.json_response({"ok": False}, status=401)
            try:
                update = await request.json()
            except ValueError:
                return web.json_response({"ok": False}, status=400)
            await self.process(update)
            return web.json_response({"ok": True})

        app = web.Application(client_max_size=256 * 1024)
        app.router.add_post(path, receive)
        return app
