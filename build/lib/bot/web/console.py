"""The officers' web console: the same case services as the chat desk, behind sign-in links from /web.

Pages are rendered on the server (small, work on a slow 3G phone); one small script of our own refreshes
the queue. Every request re-reads the session, the officer's role and unit; every form carries the CSRF token.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.metrics import Metrics
from bot.web.security import (
    COOKIE,
    SecurityHeaders,
    SignedIn,
    csrf_ok,
    local_path,
    same_origin,
    set_session_cookie,
)
from handlers.escalation.alerts import local_time
from handlers.i18n import LOCALES, t
from handlers.officers.actions import OfficerActions
from handlers.services import Services
from storage.follow_up import guessing_blocked, record_wrong_secret
from storage.models import Officer
from storage.web_auth import (
    confirm_totp,
    end_session,
    live_sessions,
    redeem_link,
    renew_session,
    session_of,
    start_session,
    totp_enrolled,
    totp_secret,
    totp_uri,
    verify_totp,
)

__all__ = ["Console", "Page", "SECOND_FACTOR_ROLES", "console_app", "signed_page", "templates"]

_HERE = Path(__file__).parent
SECOND_FACTOR_ROLES = frozenset({"supervisor", "admin"})  # they may enrol a TOTP app; once enrolled it is required
NEXT_COOKIE = "cp_next"  # the case a private alert's link pointed at, opened after sign-in


@dataclass
class Console:
    services: Services
    officers: OfficerActions
    base_url: str
    session_hours: int
    client_key: Callable[[str], str]  # keyed hash of a client address or an officer, for sign-in rate limits
    templates: Environment
    poll_ms: int = 15_000  # how often an open queue asks whether it changed
    metrics: Metrics = field(default_factory=Metrics)  # sign-ins and refusals (docs/monitoring.md)

    def page(self, request: Request, name: str, signed: SignedIn | None, *, status: int = 200, **values: Any) -> HTMLResponse:
        locale = signed.locale if signed else self.services.alert_locale
        flash = None
        if signed is not None and signed.web.flash:
            flash, signed.web.flash = signed.web.flash, None
        html = self.templates.get_template(name).render(
            _=functools.partial(t, locale), locale=locale, signed=signed, flash=flash, request=request, **values
        )
        return HTMLResponse(html, status_code=status)

    def refuse(self, request: Request, signed: SignedIn | None, status: int, key: str) -> HTMLResponse:
        return self.page(request, "message.html", signed, status=status, message_key=key)

    async def signed_in(self, request: Request, session: Any) -> SignedIn | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        web = await session_of(session, token, key=self.services.pepper, now=self.services.clock())
        officer = await session.get(Officer, web.officer_id) if web else None
        if web is None or officer is None or not officer.active:
            return None
        return SignedIn(officer, web)


Page = Callable[[Console, Request, SignedIn, Any], Awaitable[Response]]


def signed_page(handler: Page, *, post: bool = False, second_factor: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """Session, second factor and (for forms) CSRF, checked on the server for every request; the handler runs
    inside the request's one transaction."""

    async def endpoint(request: Request) -> Response:
        console: Console = request.app.state.console
        async with console.services.db.transaction() as session:
            signed = await console.signed_in(request, session)
            if signed is None:
                if post:
                    return console.refuse(request, None, 403, "web.signed_out")
                response = console.refuse(request, None, 401, "web.sign_in_needed")
                if request.url.path.startswith("/case/"):  # a private alert's link: open that case after sign-in
                    response.set_cookie(NEXT_COOKIE, request.url.path, max_age=900, httponly=True, samesite="lax")
                return response
            if second_factor and not signed.web.second_factor:
                return RedirectResponse("/totp", status_code=303)
            if post:
                form = await request.form()
                if not csrf_ok(request, form.get("csrf"), signed, console.base_url):
                    return console.refuse(request, signed, 403, "web.csrf_refused")
                request.state.form = form
            response = await handler(console, request, signed, session)
            session.add(signed.web)  # a flash shown or set
        return response

    return endpoint


async def _landing(request: Request) -> Response:
    console: Console = request.app.state.console
    return console.page(request, "signin.html", None, token=request.path_params["token"])


LINK_GUESS, TOTP_GUESS = "console-link", "console-totp"  # console guesses share the follow-up counter, under their own names


async def _redeem(request: Request) -> Response:
    """GET only shows a button: chat apps fetch links for previews, and that must not spend a single-use link.

    A right link always opens, whatever others behind the same address tried: officers of one commune share
    one address, and a link is 256 random bits. Only tokens that were never issued count as guesses, per
    client address (as the trusted proxy names it); an address past the limit gets 429 for them."""
    console: Console = request.app.state.console
    now, key = console.services.clock(), console.services.pepper
    client = console.client_key(request.client.host if request.client else "?")
    if not same_origin(request, console.base_url, strict=True):  # another site (or a sandboxed page) signing this browser in
        console.metrics.refused("csrf")
        return console.refuse(request, None, 403, "web.csrf_refused")
    async with console.services.db.transaction() as session:
        used = await redeem_link(session, request.path_params["token"], key=key, now=now)
        officer = await session.get(Officer, used.officer_id) if used.officer_id else None
        if officer is None or not officer.active:
            if not used.known and await guessing_blocked(session, handle=client, code_key=LINK_GUESS, now=now):
                console.metrics.refused("too_many")
                return console.refuse(request, None, 429, "web.too_many")
            if not used.known:
                await record_wrong_secret(session, handle=client, code_key=LINK_GUESS, now=now)
            console.metrics.refused("link_refused")
            return console.refuse(request, None, 403, "web.link_refused")
        enrolled = await totp_enrolled(session, officer.id)
        token = await start_session(
            session, officer.id, key=key, now=now, lasts=timedelta(hours=console.session_hours),
            second_factor=not enrolled, locale=console.services.alert_locale,
        )
    console.metrics.signins.inc()
    target = "/totp" if enrolled else local_path(request.cookies.get(NEXT_COOKIE, "/"))
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, token, base_url=console.base_url, max_age=console.session_hours * 3600)
    response.delete_cookie(NEXT_COOKIE)
    return response


async def _totp(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """Verify the second factor (enrolled officers), or enrol it (supervisors and administrators)."""
    enrolled = await totp_enrolled(session, signed.officer.id)
    if not enrolled and signed.officer.role not in SECOND_FACTOR_ROLES:
        return console.refuse(request, signed, 404, "web.not_found")
    secret = None if enrolled else await totp_secret(session, console.services.vault, signed.officer.id)
    uri = totp_uri(secret, signed.officer.name, "Bao ve tre em") if secret else None
    return console.page(request, "totp.html", signed, enrolled=enrolled, secret=secret, uri=uri)


async def _totp_check(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    """Wrong codes are limited per officer, from any address (a rotating address gains nothing, and colleagues
    behind one address never lock each other out). A right code renews the session's token."""
    code, now, vault = str(request.state.form.get("code", "")), console.services.clock(), console.services.vault
    tries = console.client_key(f"officer:{signed.officer.id}")
    if await guessing_blocked(session, handle=tries, code_key=TOTP_GUESS, now=now):
        console.metrics.refused("too_many")
        return console.refuse(request, signed, 429, "web.too_many")
    if await totp_enrolled(session, signed.officer.id):
        passed = await verify_totp(session, vault, signed.officer.id, code, now=now)
    else:
        passed = signed.officer.role in SECOND_FACTOR_ROLES and await confirm_totp(session, vault, signed.officer.id, code, now=now)
    if not passed:
        await record_wrong_secret(session, handle=tries, code_key=TOTP_GUESS, now=now)
        console.metrics.refused("totp_wrong")
        signed.web.flash = t(signed.locale, "web.totp_wrong")
        return RedirectResponse("/totp", status_code=303)
    token, renewed = await renew_session(session, signed.web, key=console.services.pepper, now=now)
    renewed.flash = t(signed.locale, "web.totp_ok")
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, token, base_url=console.base_url, max_age=int((renewed.expires_at - now).total_seconds()))
    return response


async def _sessions(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    found = await live_sessions(session, signed.officer.id, now=console.services.clock())
    return console.page(request, "sessions.html", signed, sessions=found, current=signed.web.token_hash, local_time=local_time)


async def _end_session(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    which = str(request.state.form.get("session", ""))
    await end_session(session, which, officer_id=signed.officer.id, now=console.services.clock())
    if which == signed.web.token_hash:
        response = RedirectResponse("/signed-out", status_code=303)
        response.delete_cookie(COOKIE)
        return response
    signed.web.flash = t(signed.locale, "web.session_ended")
    return RedirectResponse("/sessions", status_code=303)


async def _sign_out(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    await end_session(session, signed.web.token_hash, officer_id=signed.officer.id, now=console.services.clock())
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(COOKIE)
    return response


async def _signed_out(request: Request) -> Response:
    console: Console = request.app.state.console
    return console.refuse(request, None, 200, "web.signed_out_done")


async def _language(console: Console, request: Request, signed: SignedIn, session: Any) -> Response:
    wanted = str(request.state.form.get("locale", ""))
    if wanted in LOCALES:
        signed.web.locale = wanted
    return RedirectResponse(local_path(str(request.state.form.get("back", "/"))), status_code=303)


def console_app(console: Console, routes: list[Route]) -> Starlette:
    """``routes``: the pages of the console proper (queue, cases, roster, statistics)."""
    app = Starlette(
        routes=[
            Route("/in/{token}", _landing, methods=["GET"]),
            Route("/in/{token}", _redeem, methods=["POST"]),
            Route("/signed-out", _signed_out),
            Route("/totp", signed_page(_totp, second_factor=False)),
            Route("/totp", signed_page(_totp_check, post=True, second_factor=False), methods=["POST"]),
            Route("/sessions", signed_page(_sessions)),
            Route("/sessions/end", signed_page(_end_session, post=True), methods=["POST"]),
            Route("/signout", signed_page(_sign_out, post=True, second_factor=False), methods=["POST"]),
            Route("/language", signed_page(_language, post=True, second_factor=False), methods=["POST"]),
            *routes,
            Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.console = console
    return app


def templates() -> Environment:
    return Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(["html"]))

