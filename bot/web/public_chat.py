"""The public web chat: the fourth face of the one conversation engine, for anyone without an app.

Every answer is a plain form POST that redirects to the page (no JavaScript needed, reload and Back
never resubmit). The page's optional script posts the same forms with `X-Chat: 1`, which answers with the
next page itself (one round trip instead of two on a slow network; nothing enters the history), and asks
`/poll` now and then whether an officer's message came, fetching the page only when one did. The browser keeps one short-lived HttpOnly cookie holding a random id; the person's
handle is its keyed hash, so neither the cookie nor a client address is stored. What the page shows (the
engine's answers, an officer's question from the outbox) waits sealed under the visit's own key, which
quick exit, wipe and expiry shred."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.public_form import UPLOADS_AT_ONCE, Answer, read_answer
from bot.web.public_page import FAVICON, csp, render_page, shown
from handlers.i18n import pick_locale, t
from handlers.intake.engine import ReportConversation
from handlers.intake.prompts import MENU_REPORT, menu
from handlers.messages import WIPE, Channel, Inbound, InboundKind, Outbound
from handlers.places import Place, place_by_code
from storage.db import Database
from storage.models import utcnow
from storage.vault import Vault
from storage.web_chat import (
    drop_seen,
    end_visit,
    forget_expired,
    has_unseen,
    issue_form_token,
    notes_of,
    put_notes,
    start_visit,
    take_form_token,
    visit_of,
)

if TYPE_CHECKING:
    from bot.core import Core

__all__ = ["COOKIE", "PublicChat", "public_for", "serve_public"]

log = logging.getLogger(__name__)
COOKIE = "s"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
WIPED, EXPIRED = "w", "e"  # what the first page of a new visit says first
ON_SCREEN = 8  # what stays of the screen under an answer without buttons ("photo received"): the question, the last few
IN_PAGE = "x-chat"  # the page's script asks for the next page itself instead of a redirect to it


@dataclass
class PublicChat:
    conversation: ReportConversation
    db: Database
    vault: Vault
    handle_of: Callable[[str], str]
    base_url: str
    exit_url: str
    title: str
    lasts: timedelta
    max_chars: int
    max_photo_bytes: int
    favicon: tuple[bytes, str] = (FAVICON, "image/svg+xml")
    uploads: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(UPLOADS_AT_ONCE))

    def _handle(self, request: Request) -> str | None:
        sid = request.cookies.get(COOKIE, "")
        return self.handle_of(sid) if 20 <= len(sid) <= 64 else None

    async def page(self, request: Request) -> Response:
        return await self._page(request, _preset(request.query_params.get("xa", "")), request.query_params.get("n", ""))

    async def _page(self, request: Request, preset: Place | None, notice: str = "") -> Response:
        now, handle = utcnow(), self._handle(request)
        async with self.db.transaction() as session:
            visit = await visit_of(session, handle, now=now) if handle else None
            sid = None
            if visit is None:
                await forget_expired(session, self.vault, now=now)
                sid = secrets.token_urlsafe(32)
                locale = pick_locale(request.headers.get("accept-language"))
                visit = await start_visit(session, self.vault, self.handle_of(sid), locale=locale, lasts=self.lasts)
            notes = await notes_of(session, self.vault, visit)
            token = issue_form_token(visit)
            visit.expires_at = now + self.lasts
            session.add(visit)
            locale = visit.locale
        if not notes:
            said = {WIPED: "wipe.done", EXPIRED: "webchat.expired"}.get(notice)
            notes = ([Outbound(t(locale, said)).to_json()] if said and sid else []) + [menu(locale).to_json()]
        messages = [shown(n, locale) for n in notes]
        at_menu = any(c.value == MENU_REPORT for c in messages[-1].choices)  # not Learn's last page (it offers the child's)
        html = render_page(messages, locale=locale, token=token, title=self.title, exit_url=self.exit_url,
                           max_chars=self.max_chars, at_menu=at_menu, preset=preset)
        response = HTMLResponse(html)
        self._cookie(response, sid or request.cookies[COOKIE])
        return response

    async def say(self, request: Request) -> Response:
        """An answer: checked (visit, the page's one-time token, size), then the engine, then back to the page
        (the page itself for the page's script)."""
        form = await read_answer(request, max_photo=self.max_photo_bytes, uploads=self.uploads)
        preset = _preset(form.fields.get("xa", "")) if isinstance(form, Answer) else None
        answered = await self._answer(request, form)
        if request.headers.get(IN_PAGE) != "1":
            return answered or _to(f"/?xa={preset.code}" if preset else "/")
        if answered is None:
            return await self._page(request, preset)
        answered.status_code = 204  # the visit ended or expired: the script goes there itself (Set-Cookie and
        answered.headers[f"{IN_PAGE}-go"] = answered.headers["location"]  # Clear-Site-Data apply to this answer)
        del answered.headers["location"]
        return answered

    async def _answer(self, request: Request, form: Answer | int | None) -> Response | None:
        """None when the page is what comes next; else the response that ends or restarts the visit."""
        handle, now = self._handle(request), utcnow()
        async with self.db.transaction() as session:
            visit = await visit_of(session, handle, now=now) if handle else None
            if visit is None or handle is None:
                return _to(f"/?n={EXPIRED}")
            locale = visit.locale
            if not isinstance(form, Answer):  # not read: a photo too big, or no answer we take
                mb = self.max_photo_bytes // (1024 * 1024)
                said = t(locale, "step.photos.too_big", limit_mb=mb) if isinstance(form, int) else t(locale, "webchat.too_long")
                await put_notes(session, self.vault, visit, [Outbound(said).to_json()])
                return None
            if not take_form_token(visit, form.fields.get("form")):  # an old page, a replay, or a form not from us
                await put_notes(session, self.vault, visit, [Outbound(t(locale, "webchat.stale")).to_json()])
                return None
            session.add(visit)
        inbound = form.inbound(handle, locale)
        if inbound is None:
            return None
        reply = await self.conversation.handle(inbound)
        if reply.wipe is not None:
            return await self._end(handle, f"/?n={WIPED}")
        try:
            async with self.db.transaction() as session:
                if (visit := await visit_of(session, handle, now=now)) is not None and reply.messages:
                    asks = any(m.choices for m in reply.messages)  # else it answers the question on screen: keep it there
                    await drop_seen(session, handle, keep=0 if asks else ON_SCREEN)
                    await put_notes(session, self.vault, visit, [m.to_json() for m in reply.messages])
                    visit.locale = reply.locale
                    session.add(visit)
        except SQLAlchemyError:  # the engine has the answer; the page shows the question again
            log.exception("storage failed while keeping a web chat answer")
        return None

    async def leave(self, request: Request) -> Response:
        """Quick exit: the draft wiped by the engine, the visit ended, the browser sent to a neutral site. No
        form token: it must work from any page, and the SameSite=Strict cookie never comes with another site's post."""
        handle = self._handle(request)
        if handle is not None:
            await self.conversation.handle(Inbound(Channel.WEB, handle, InboundKind.CHOICE, reply_address=handle, choice=WIPE))
        return await self._end(handle, self.exit_url)

    async def _end(self, handle: str | None, target: str) -> Response:
        if handle is not None:
            try:
                async with self.db.transaction() as session:
                    await end_visit(session, self.vault, handle)
            except SQLAlchemyError:
                log.exception("storage failed while ending a web chat visit")
        response = _to(target)
        response.headers["clear-site-data"] = CLEAR_SITE_DATA
        response.delete_cookie(COOKIE, path="/", secure=self._secure, httponly=True, samesite="strict")
        return response

    @property
    def _secure(self) -> bool:
        return urlsplit(self.base_url).scheme == "https"

    def _cookie(self, response: Response, sid: str) -> None:
        response.set_cookie(COOKIE, sid, max_age=int(self.lasts.total_seconds()), httponly=True, samesite="strict",
                            secure=self._secure, path="/")

    async def poll(self, request: Request) -> Response:
        """200 when a message waits that the page does not show yet, else 204; it never lengthens the visit."""
        handle = self._handle(request)
        if handle is None:
            return Response(status_code=204)
        async with self.db.transaction() as session:
            waiting = await visit_of(session, handle, now=utcnow()) is not None and await has_unseen(session, handle)
        return Response(status_code=200 if waiting else 204)

    async def icon(self, _: Request) -> Response:
        return Response(self.favicon[0], media_type=self.favicon[1])


def _preset(code: str) -> Place | None:
    """A commune chosen in advance by the poster's address; anything else is no preset."""
    return place_by_code(code) if code.isdigit() and len(code) == 5 else None


def _to(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


class _Headers:
    """Nothing cached, no referrer, no frames, nothing run but our own inline script."""

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", policy.encode()), (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def public_app(chat: PublicChat) -> ASGIApp:
    app = Starlette(routes=[
        Route("/", chat.page, methods=["GET"]),
        Route("/say", chat.say, methods=["POST"]),
        Route("/exit", chat.leave, methods=["POST"]),
        Route("/poll", chat.poll, methods=["GET"]),
        Route("/favicon", chat.icon, methods=["GET"]),
        Route("/favicon.ico", chat.icon, methods=["GET"]),
    ])
    return _Headers(app, csp(chat.exit_url))


def _favicon(path: str) -> tuple[bytes, str]:
    if not path.strip():
        return FAVICON, "image/svg+xml"
    kinds = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
    return Path(path).read_bytes(), kinds.get(Path(path).suffix.lower(), "application/octet-stream")


def public_for(core: Core) -> ASGIApp:
    settings = core.settings
    chat = PublicChat(
        core.conversation, core.db, core.vault, core.handle_for(Channel.WEB), settings.public_base_url,
        settings.public_exit_url, settings.public_title, timedelta(minutes=settings.public_session_minutes),
        settings.max_description_chars, settings.max_photo_bytes, _favicon(settings.public_favicon),
    )
    return public_app(chat)


async def serve_public(core: Core) -> None:
    """No access log: it would keep addresses and times of people who came to ask for help."""
    settings = core.settings
    config = uvicorn.Config(
        public_for(core), host=settings.public_host, port=settings.public_port, access_log=False, log_level="warning",
        proxy_headers=True, server_header=False, lifespan="off",
        log_config=None,  # uvicorn's lines go through the process's one handler: scrubbed, and JSON with LOG_FORMAT=json
    )
    await uvicorn.Server(config).serve()
