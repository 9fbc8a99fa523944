"""What every console request passes through: headers that keep pages out of caches and frames, the
session cookie, and the CSRF check on state-changing forms."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.models import Officer, WebSession

__all__ = ["COOKIE", "SecurityHeaders", "SignedIn", "csrf_ok", "local_path", "same_origin", "set_session_cookie"]

COOKIE = "cp_session"
# No inline script or style at all, nothing from elsewhere, no framing: a page cannot be made to run
# someone else's code, nor be shown inside another site.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Never a Referer to another site. Not "no-referrer": with it browsers send `Origin: null` on our own
    # forms, and sign-in refuses that origin.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


@dataclass
class SignedIn:
    officer: Officer
    web: WebSession

    @property
    def locale(self) -> str:
        return self.web.locale


class SecurityHeaders:
    """Decrypted content is never cached (no-store on everything but the static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"cache-control"]
                headers += _HEADERS + [(b"cache-control", b"public, max-age=86400" if static else b"no-store")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def secure_cookies(base_url: str) -> bool:
    """Secure everywhere but plain http on the machine itself (trying the console out, the tests)."""
    return urlsplit(base_url).scheme == "https"


def set_session_cookie(response: Response, token: str, *, base_url: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE, token, max_age=max_age, httponly=True, samesite="strict", secure=secure_cookies(base_url), path="/"
    )


def same_origin(request: Request, base_url: str, *, strict: bool = False) -> bool:
    """False when the browser says the form came from another site (no Origin header: not a browser's cross-site
    post). ``strict`` (sign-in): ``Origin: null`` — a sandboxed frame, a data: page — is refused too."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    if origin == "null":
        return not strict
    ours = urlsplit(base_url)
    return origin.rstrip("/") == f"{ours.scheme}://{ours.netloc}"


def csrf_ok(request: Request, form_token: object, signed: SignedIn, base_url: str) -> bool:
    """The session's token echoed by the form, and, when the browser says where the form came from, our own origin."""
    return same_origin(request, base_url) and isinstance(form_token, str) and secrets.compare_digest(form_token, signed.web.csrf)


def local_path(value: str, default: str = "/") -> str:
    """A redirect target that stays on this site ("//host" and "/\\host" leave it in some browsers)."""
    return value if value.startswith("/") and not value.startswith(("//", "/\\")) and "\\" not in value else default
