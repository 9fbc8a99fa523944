"""A real HTTP Telegram Bot API server for tests, validating every request against the spec.

Why HTTP instead of mocking ``Bot``: the bot's own aiogram session serialises the requests, so the
tests exercise exactly the bytes production sends (multipart/urlencoded form, JSON-encoded
objects, ``attach://`` file parts) and every one is checked against api.json.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import ClientSession, ClientTimeout, web

from .spec import decode_params, validate_request
from .state import ApiError, SpecViolation, TelegramState
from .updates import UpdateBuilders

_TOKEN_RE = re.compile(r"(\d+):[\w-]+")
_ATTACH_RE = re.compile(r"attach://([\w.-]+)")
# Delivered only when asked for in allowed_updates (as in the Bot API).
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendMediaGroup")


@dataclass
class RecordedRequest:
    """A spec-valid request: decoded ``params`` (files as bytes) and how it was answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None  # "result" on success, "description" on error
    filenames: dict[str, str] = field(default_factory=dict)
    consumed: bool = False
    at: float = field(default_factory=time.monotonic)  # when it was answered, for checking sending rates

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    count: int
    chat_id: int | None = None


def _error(
    status: int, description: str, retry_after: int | None = None, migrate_to_chat_id: int | None = None
) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    if migrate_to_chat_id is not None:
        body["parameters"] = {"migrate_to_chat_id": migrate_to_chat_id}
    return web.json_response(body, status=status)


def _attach_names(value: Any) -> set[str]:
    return set(_ATTACH_RE.findall(value)) if isinstance(value, str) else set()


def _substitute(value: Any, files: dict[str, bytes]) -> Any:
    """Replace nested ``attach://name`` strings (e.g. in sendMediaGroup media) by the bytes."""
    if isinstance(value, dict):
        return {k: _substitute(v, files) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, files) for v in value]
    if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
        return files[value[9:]]
    return value


class FakeTelegramServer(UpdateBuilders):
    """Bot API on 127.0.0.1:<free port>; point aiogram at it with ``TelegramAPIServer.from_base``."""

    def __init__(self, *, max_poll_wait: float = 1.0) -> None:
        self.max_poll_wait = max_poll_wait  # getUpdates waits at most this long, whatever timeout says
        self.state = TelegramState()
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.unimplemented: list[str] = []
        self.downloads: list[str] = []  # file paths the bot downloaded (GET /file/bot<token>/<path>)
        self.blocked_chats: dict[int, str] = {}
        self.migrated_chats: dict[int, int] = {}
        self.dropped: list[str] = []  # methods of stalled requests the client gave up on (never processed)
        self._stalls: dict[str, list[list[float]]] = {}  # method -> [[seconds, count left], ...]
        self._faults: dict[str, list[_Fault]] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._consumed_sent: set[int] = set()  # indexes into state.sent used by wait_for_message
        self._changed: asyncio.Event | None = None
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        # set by the bot under test: how many of its outbox messages are due and unsent (tests/telegram_chat.py)
        self.unsent: Callable[[], Awaitable[int]] | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._changed = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        assert self._port is not None, "server not started"
        return f"http://127.0.0.1:{self._port}"

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    # -- fault injection --------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int = 500,
        retry_after: int | None = None,
        description: str | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``count`` valid calls of ``method`` (naming ``chat_id``, if given) with an error
        (429 gets retry_after)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request",
            }.get(status, "Internal Server Error")
        self._faults.setdefault(method, []).append(_Fault(status, description, retry_after, count, chat_id))

    def block_chat(
        self, chat_id: int, description: str = "Forbidden: bot can't initiate conversation with a user"
    ) -> None:
        """Every call naming this chat_id gets 403 until ``unblock_chat``."""
        self.blocked_chats[chat_id] = description

    def unblock_chat(self, chat_id: int) -> None:
        self.blocked_chats.pop(chat_id, None)

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup: calls naming the old id get 400 with migrate_to_chat_id."""
        self.migrated_chats[chat_id] = new_chat_id

    def stall_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Hold the next ``count`` calls of ``method`` for ``seconds`` before answering. A client that
        times out meanwhile has its request dropped unprocessed (as when a request never reached
        Telegram), so a retry must not show up as a duplicate."""
        self._stalls.setdefault(method, []).append([seconds, count])

    async def _stall(self, method: str, request: web.Request) -> bool:
        """True when the client went away during the stall."""
        queue = self._stalls.get(method)
        if not queue:
            return False
        seconds = queue[0][0]
        queue[0][1] -= 1
        if queue[0][1] <= 0:
            queue.pop(0)
        await asyncio.sleep(seconds)
        gone = request.transport is None or request.transport.is_closing()
        if gone:
            self.dropped.append(method)
        return gone

    def _take_fault(self, method: str, chat_id: Any) -> _Fault | None:
        queue = self._faults.get(method) or []
        fault = next((f for f in queue if f.chat_id is None or f.chat_id == chat_id), None)
        if fault is None:
            return None
        fault.count -= 1
        if fault.count <= 0:
            queue.remove(fault)
        return fault

    # -- HTTP -------------------------------------------------------------------------------------
    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
        """(params with top-level attach:// resolved, nested-only files, filenames)."""
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        filenames: dict[str, str] = {}
        if request.content_type == "application/json":
            body = await request.read()
            params.update(json.loads(body) if body.strip() else {})
        elif request.method == "POST":
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    with value.file:
                        files[key] = value.file.read()
                    filenames[key] = value.filename
                elif isinstance(value, (bytes, bytearray)):
                    files[key] = bytes(value)
                else:
                    params[key] = value
        used: set[str] = set()
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                used.add(value[9:])
                params[key] = files[value[9:]]
                if value[9:] in filenames:
                    filenames[key] = filenames[value[9:]]
        nested = {n for v in params.values() for n in _attach_names(v)} - used
        for name in list(files):
            if name not in used and name not in nested:
                params[name] = files[name]  # a file uploaded directly under the field name
        return params, {n: files[n] for n in nested if n in files}, filenames

    async def _handle_method(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if not (m := _TOKEN_RE.fullmatch(token)):
            return _error(401, "Unauthorized")
        self.state.bot_user["id"] = int(m.group(1))
        try:
            params, nested_files, filenames = await self._read(request)
        except (ValueError, UnicodeDecodeError) as e:
            return self._violation([f"{method}: unparseable request body: {e}"])
        errors = validate_request(method, params)
        missing = {n for v in params.values() for n in _attach_names(v)} - set(nested_files)
        errors += [f"{method}: attach://{n} names no uploaded file part" for n in sorted(missing)]
        if errors:
            return self._violation(errors, status=404 if errors[0].endswith("unknown method") else 400)
        decoded = _substitute(decode_params(method, params), nested_files)
        if await self._stall(method, request):
            return _error(504, "Gateway Timeout")  # nobody reads it: the client has gone
        rec = RecordedRequest(method, decoded, filenames=filenames)
        try:
            if isinstance(decoded.get("chat_id"), int) and decoded["chat_id"] in self.migrated_chats:
                rec.status, rec.result = 400, "Bad Request: group chat was upgraded to a supergroup chat"
                self._record(rec)
                return _error(400, rec.result, migrate_to_chat_id=self.migrated_chats[decoded["chat_id"]])
            if fault := self._take_fault(method, decoded.get("chat_id")):
                raise ApiError(fault.status, fault.description, fault.retry_after)
            if isinstance(decoded.get("chat_id"), int) and decoded["chat_id"] in self.blocked_chats:
                raise ApiError(403, self.blocked_chats[decoded["chat_id"]])
            if method == "getUpdates" and self.state.webhook is not None:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                               "use deleteWebhook to delete the webhook first")
            if method == "getUpdates":
                rec.result = await self._get_updates(decoded)
            else:
                rec.result = self.state.handle(method, decoded, filenames)
        except SpecViolation as e:
            return self._violation([f"{method}: {e.description}"])
        except ApiError as e:
            rec.status, rec.result = e.status, e.description
            self._record(rec)
            return _error(e.status, e.description, e.retry_after)
        except NotImplementedError as e:
            self.unimplemented.append(str(e) or method)
            return _error(501, f"Not Implemented in FakeTelegramServer: {e or method}")
        self._record(rec)
        return web.json_response({"ok": True, "result": rec.result})

    def _violation(self, errors: list[str], status: int = 400) -> web.Response:
        self.violations.extend(errors)
        self._notify()
        return _error(status, ("Not Found: " if status == 404 else "Bad Request: ") + "; ".join(errors))

    def _record(self, rec: RecordedRequest) -> None:
        self.requests.append(rec)
        self._notify()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        f = self.state.files_by_path.get(request.match_info["path"])
        if f is None or not _TOKEN_RE.fullmatch(request.match_info["token"]):
            return _error(404, "Not Found")
        self.downloads.append(f.file_path)
        return web.Response(body=f.data, content_type="application/octet-stream")

    # -- updates ----------------------------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (update_id assigned here) and return it."""
        update = {"update_id": self._next_update_id, **{k: v for k, v in update.items() if k != "update_id"}}
        self._next_update_id += 1
        if "callback_query" in update:
            self.state.callback_queries.setdefault(update["callback_query"]["id"], None)
        for payload in update.values():
            sender = payload.get("from") if isinstance(payload, dict) else None
            if isinstance(sender, dict) and not sender.get("is_bot"):
                self.state.users[sender["id"]] = sender
        if self.state.webhook is None:  # with a webhook the test delivers it (``deliver``), as Telegram would
            self._updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    async def deliver(self, update: dict[str, Any], url: str, *, secret: str | None = None) -> int:
        """POSTs ``update`` to a worker's webhook ``url`` as Telegram does, with the secret_token setWebhook
        recorded in its header (``secret`` overrides it; "" sends none); returns the HTTP status.

        ``url`` is where the test's "load balancer" routes it: the public URL given to setWebhook is not
        reachable here. Returns once the worker answered, so a worker that handles before answering is done."""
        webhook = self.state.webhook
        assert webhook is not None, "no webhook was set"
        allowed = webhook.get("allowed_updates")
        assert not allowed or self._update_type(update) in allowed, f"setWebhook did not ask for {self._update_type(update)}"
        token = webhook.get("secret_token") if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:  # Telegram waits about this long
            async with http.post(url, json=update, headers=headers) as response:
                await response.read()
                return response.status

    @staticmethod
    def _update_type(update: dict[str, Any]) -> str:
        return next((k for k in update if k != "update_id"), "")

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = self._allowed_updates
        keep = [
            u
            for u in self._updates
            if (self._update_type(u) in allowed if allowed else self._update_type(u) not in _OPT_IN_UPDATES)
        ]
        self._updates = keep  # updates of unwanted types are dropped, as Telegram does
        return keep

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset")
        if isinstance(offset, int) and offset >= 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int):
            self._updates = self._updates[offset:]
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"]) or None
        limit = params.get("limit") or 100
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(float(params.get("timeout") or 0), self.max_poll_wait)
        while not (ready := self._deliverable()) and not self._closing and loop.time() < deadline:
            await self._wait_change(deadline - loop.time())
        return copy.deepcopy(ready[:limit])

    async def _wait_change(self, timeout: float) -> None:
        assert self._changed is not None, "server not started"
        try:
            await asyncio.wait_for(self._changed.wait(), max(timeout, 0))
        except TimeoutError:
            pass

    # -- inspection -------------------------------------------------------------------------------
    async def _wait(self, find: Callable[[], Any], timeout: float, what: str) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := find()) is None:
            if loop.time() >= deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{self.dump()}")
            await self._wait_change(deadline - loop.time())
        return found

    async def wait_for_request(
        self,
        method: str,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,
        *,
        include_failed: bool = False,
    ) -> RecordedRequest:
        """The first not-yet-waited-for successful request of ``method`` matching ``predicate``."""

        def find() -> RecordedRequest | None:
            for rec in self.requests:
                if (
                    rec.method == method
                    and not rec.consumed
                    and (rec.ok or include_failed)
                    and (predicate is None or predicate(rec))
                ):
                    rec.consumed = True
                    return rec
            return None

        return await self._wait(find, timeout, f"{method} request")

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The first not-yet-waited-for message the bot sent to ``chat_id`` (as sent)."""

        def find() -> dict[str, Any] | None:
            for i, (cid, msg) in enumerate(self.state.sent):
                if cid == chat_id and i not in self._consumed_sent and (predicate is None or predicate(msg)):
                    self._consumed_sent.add(i)
                    return copy.deepcopy(msg)
            return None

        return await self._wait(find, timeout, f"a message to chat {chat_id}")

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message the bot sent to ``chat_id``, as sent (later edits/deletes not applied)."""
        return [copy.deepcopy(m) for cid, m in self.state.sent if cid == chat_id]

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat as it stands now: user and bot messages, edits applied, deleted ones gone."""
        return [copy.deepcopy(m) for m in self.state.chats.get(chat_id, {}).values()]

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The ReplyKeyboardMarkup currently shown in ``chat_id`` (None once removed)."""
        return copy.deepcopy(self.state.reply_keyboards.get(chat_id))

    def add_file(self, data: bytes, *, file_size: int | None = None) -> tuple[str, str]:
        """Register a downloadable file; ``file_size`` may claim a size other than ``len(data)``."""
        f = self.state.add_file(data, file_size=file_size)
        return f.file_id, f.file_unique_id

    def dump(self, last: int = 25) -> str:
        """Recent non-polling requests and all violations, for assertion messages."""
        lines = [f"recent requests (last {last}, getUpdates omitted):"]
        for rec in [r for r in self.requests if r.method != "getUpdates"][-last:]:
            params = {k: (f"<{len(v)} bytes>" if isinstance(v, bytes) else v) for k, v in rec.params.items()}
            flag = " (consumed)" if rec.consumed else ""
            lines.append(
                f"  {rec.method} {rec.status}{flag} {json.dumps(params, ensure_ascii=False, default=str)[:300]}"
            )
        lines += [f"violation: {v}" for v in self.violations]
        return "\n".join(lines)
