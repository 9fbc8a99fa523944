"""A real HTTP fake of the Zalo Bot Platform API, with the documented shapes and limits."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web

TOKEN = "1234567890:zalo-test-secret"
TEXT_LIMIT = 2000
_FIELDS = {
    "getMe": set(),
    "getUpdates": {"timeout"},
    "setWebhook": {"url", "secret_token"},
    "deleteWebhook": set(),
    "getWebhookInfo": set(),
    "sendMessage": {"chat_id", "text"},
    "sendPhoto": {"chat_id", "photo", "caption"},
    "sendChatAction": {"chat_id", "action"},
}
_REQUIRED = {"sendMessage": {"chat_id", "text"}, "sendPhoto": {"chat_id", "photo"}, "setWebhook": {"url", "secret_token"}}


@dataclass
class Sent:
    chat_id: str
    text: str
    message_id: str


class FakeZaloServer:
    def __init__(self) -> None:
        self.violations: list[str] = []
        self.sent: list[Sent] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.files: dict[str, bytes] = {}
        self.file_types: dict[str, str] = {}
        self.served: dict[str, int] = {}  # bytes of each file the server got to write before the bot hung up
        self.webhook: dict[str, Any] | None = None
        # set by the bot under test: how many of its outbox messages are due and unsent (tests/zalo_chat.py)
        self.unsent: Callable[[], Awaitable[int]] | None = None
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1000)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> Self:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._method)
        app.router.add_get("/files/{name}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _fail(self, status: int, description: str) -> web.Response:
        return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != TOKEN:
            return self._fail(401, "Unauthorized")
        if method not in _FIELDS:
            self.violations.append(f"unknown method {method}")
            return self._fail(404, "Not Found")
        params: dict[str, Any] = await request.json() if request.can_read_body else {}
        self.requests.append((method, params))
        problems = [f"{method}: unknown field {k}" for k in params if k not in _FIELDS[method]]
        problems += [f"{method}: missing {k}" for k in _REQUIRED.get(method, set()) if k not in params]
        if method == "sendMessage" and not 1 <= len(str(params.get("text", ""))) <= TEXT_LIMIT:
            problems.append(f"sendMessage: text of {len(str(params.get('text', '')))} characters")
        if problems:
            self.violations += problems
            return self._fail(400, "; ".join(problems))
        return web.json_response({"ok": True, "result": await getattr(self, f"_m_{method}")(params)})

    async def _m_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"id": "bot-1", "account_name": "test_bot", "account_type": "BASIC", "can_join_groups": False}

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(float(params.get("timeout", 0)), 1.0)
        while not self._updates and time.monotonic() < deadline:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        taken, self._updates = self._updates, []
        return taken

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        if not 8 <= len(params["secret_token"]) <= 256:
            raise web.HTTPBadRequest()
        self.webhook = params
        return True

    async def _m_deleteWebhook(self, _: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _m_getWebhookInfo(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"url": (self.webhook or {}).get("url", "")}

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = Sent(str(params["chat_id"]), params["text"], str(next(self._ids)))
        self.sent.append(sent)
        self._changed.set()
        return {"message_id": sent.message_id, "date": int(time.time() * 1000)}

    async def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._m_sendMessage({"chat_id": params["chat_id"], "text": f"[photo] {params['photo']}"})

    async def _m_sendChatAction(self, _: dict[str, Any]) -> bool:
        return True

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """Streamed in chunks, counting what was written: a bot that refuses by the headers hangs up early."""
        name = request.match_info["name"]
        data = self.files.get(name)
        if data is None:
            return web.Response(status=404)
        response = web.StreamResponse(headers={"Content-Type": self.file_types.get(name, "image/jpeg")})
        response.content_length = len(data)
        await response.prepare(request)
        self.served[name] = 0
        try:
            for start in range(0, len(data), 65536):
                await response.write(data[start : start + 65536])
                self.served[name] = start + len(data[start : start + 65536])
        except ConnectionError:
            pass
        return response

    # --- what users do -----------------------------------------------------------------------
    def update(self, user_id: str, event: str, *, message_id: str | None = None, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": message_id or f"m{next(self._ids)}",
            "date": int(time.time() * 1000),
            "chat": {"id": user_id, "chat_type": "PRIVATE"},
            "from": {"id": user_id, "display_name": "Người dùng", "is_bot": False},
            **content,
        }
        return {"event_name": event, "message": message}

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        self._updates.append(update)
        self._changed.set()
        return update

    def user_text(self, user_id: str, text: str, *, message_id: str | None = None) -> dict[str, Any]:
        return self.push(self.update(user_id, "message.text.received", message_id=message_id, text=text))

    def user_image(self, user_id: str, data: bytes, *, content_type: str = "image/jpeg") -> dict[str, Any]:
        name = f"img{next(self._ids)}.jpg"
        self.files[name], self.file_types[name] = data, content_type
        return self.push(self.update(user_id, "message.image.received", photo=f"{self.base_url}/files/{name}"))

    def user_sticker(self, user_id: str) -> dict[str, Any]:
        return self.push(self.update(user_id, "message.sticker.received", sticker="abc"))

    def messages_to(self, chat_id: str) -> list[str]:
        return [s.text for s in self.sent if s.chat_id == chat_id]

    async def wait_for_message(self, chat_id: str, contains: str, *, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [t for t in self.messages_to(chat_id) if contains in t]
            if found:
                return found[-1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no message with {contains!r} to {chat_id}; got {self.messages_to(chat_id)[-3:]}")
