"""Console sign-in: single-use links asked for in a private chat, sessions, and TOTP for those who enrol.

Link and session tokens are stored only as keyed hashes (HMAC under the server's PSEUDONYM_PEPPER), so
neither a stolen database file nor a write into it opens a session; the TOTP secret is sealed like any
other personal data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import keyed_handle
from storage.models import OfficerTotp, WebLink, WebSession
from storage.vault import Vault

__all__ = [
    "LinkUse", "confirm_totp", "end_session", "live_sessions", "new_link", "redeem_link", "renew_session",
    "session_of", "start_session", "token_hash", "totp_enrolled", "totp_secret", "totp_uri", "verify_totp",
]

_TOTP_FIELD = ("officer_totp", "secret_ct")


def token_hash(key: bytes, token: str) -> str:
    """What the database keeps of a token: without ``key`` no one can make a row that a token matches."""
    if not key:
        raise ValueError("a server secret is needed to hash console tokens")
    return keyed_handle(key, "web-token", token)


@dataclass(frozen=True)
class LinkUse:
    """A redeemed link's officer; ``known`` also for a spent or expired link (a real one, not a guess)."""

    officer_id: str | None
    known: bool


async def new_link(session: AsyncSession, officer_id: str, *, key: bytes, now: datetime, valid: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    session.add(WebLink(token_hash=token_hash(key, token), officer_id=officer_id, expires_at=now + valid))
    await session.flush()
    return token


async def redeem_link(session: AsyncSession, token: str, *, key: bytes, now: datetime) -> LinkUse:
    """The officer the link was made for, once: of two workers redeeming the same link, one wins."""
    digest = token_hash(key, token)
    taken = await session.exec(
        update(WebLink)
        .where(col(WebLink.token_hash) == digest, col(WebLink.used_at).is_(None), col(WebLink.expires_at) > now)
        .values(used_at=now)
    )
    link = await session.get(WebLink, digest)
    return LinkUse(link.officer_id if link and taken.rowcount == 1 else None, known=link is not None)


async def start_session(
    session: AsyncSession, officer_id: str, *, key: bytes, now: datetime, lasts: timedelta, second_factor: bool, locale: str
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(WebSession(
        token_hash=token_hash(key, token), officer_id=officer_id, csrf=secrets.token_urlsafe(24), created_at=now,
        expires_at=now + lasts, second_factor=second_factor, locale=locale,
    ))
    await session.flush()
    return token


async def renew_session(session: AsyncSession, old: WebSession, *, key: bytes, now: datetime) -> tuple[str, WebSession]:
    """The second factor passed: a new token (and CSRF token) replaces the one issued before it, which ends,
    so a token seen before the code was given never holds a fully signed-in session."""
    old.ended_at = now
    session.add(old)
    token = secrets.token_urlsafe(32)
    new = WebSession(
        token_hash=token_hash(key, token), officer_id=old.officer_id, csrf=secrets.token_urlsafe(24), created_at=now,
        expires_at=old.expires_at, second_factor=True, locale=old.locale,
    )
    session.add(new)
    await session.flush()
    return token, new


async def session_of(session: AsyncSession, token: str, *, key: bytes, now: datetime) -> WebSession | None:
    found = await session.get(WebSession, token_hash(key, token))
    if found is None or found.ended_at is not None or found.expires_at <= now:
        return None
    return found


async def live_sessions(session: AsyncSession, officer_id: str, *, now: datetime) -> list[WebSession]:
    query = select(WebSession).where(
        col(WebSession.officer_id) == officer_id, col(WebSession.ended_at).is_(None), col(WebSession.expires_at) > now
    )
    return list((await session.exec(query.order_by(col(WebSession.created_at).desc()))).all())


async def end_session(session: AsyncSession, digest: str, *, officer_id: str, now: datetime) -> bool:
    """Ends one of the officer's own sessions (never someone else's, whatever the form says)."""
    ended = await session.exec(
        update(WebSession)
        .where(col(WebSession.token_hash) == digest, col(WebSession.officer_id) == officer_id, col(WebSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    return ended.rowcount == 1


async def totp_enrolled(session: AsyncSession, officer_id: str) -> bool:
    row = await session.get(OfficerTotp, officer_id)
    return row is not None and row.confirmed


async def totp_secret(session: AsyncSession, vault: Vault, officer_id: str) -> str:
    """The officer's secret, made on first use; it counts only once confirmed with a code."""
    row = await session.get(OfficerTotp, officer_id)
    if row is None:
        secret = pyotp.random_base32()
        key_id = await vault.create_key(session)
        row = OfficerTotp(officer_id=officer_id, key_id=key_id, secret_ct=b"")
        row.secret_ct = await vault.seal(session, key_id, (*_TOTP_FIELD, officer_id), secret.encode())
        session.add(row)
        await session.flush()
        return secret
    return (await vault.open(session, row.key_id, (*_TOTP_FIELD, officer_id), row.secret_ct)).decode()


def totp_uri(secret: str, name: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)


async def verify_totp(session: AsyncSession, vault: Vault, officer_id: str, code: str, *, now: datetime) -> bool:
    """A code from the current or an adjacent 30-second step, never one already used (replay)."""
    row = await session.get(OfficerTotp, officer_id)
    if row is None or not code.strip().isdigit():
        return False
    totp = pyotp.TOTP(await totp_secret(session, vault, officer_id))
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if candidate > row.last_step and secrets.compare_digest(totp.generate_otp(candidate), code.strip()):
            row.last_step = candidate
            session.add(row)
            await session.flush()
            return True
    return False


async def confirm_totp(session: AsyncSession, vault: Vault, officer_id: str, code: str, *, now: datetime) -> bool:
    if not await verify_totp(session, vault, officer_id, code, now=now):
        return False
    row = await session.get(OfficerTotp, officer_id)
    assert row is not None
    row.confirmed = True
    session.add(row)
    await session.flush()
    return True
