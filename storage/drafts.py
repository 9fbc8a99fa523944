"""Conversation state and draft photos or voice messages, sealed under a key that is shredded when the draft ends."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Attachment, Conversation, utcnow
from storage.outbox import cancel_to_person, reseal_to_person
from storage.vault import KeyShredded, Vault

__all__ = [
    "add_draft_media", "change_state", "discard_conversation", "discard_if_about", "kept_receipts", "load_state",
    "renew_conversation", "save_state", "untouched_since",
]
_CONVERSATION: Any = Conversation.__table__


_HELD = "drafts.held"  # session.info: the conversation rows this session read, see ``_held``


def _place(handle: str) -> tuple[str, str, str]:
    return ("conversation", "state_ct", handle)


def _held(session: AsyncSession, row: Conversation) -> Conversation:
    """The session's identity map holds rows only weakly: a row read at the start of a turn would be
    collected before the turn's save, which would then read it again. Held until the session closes."""
    session.info.setdefault(_HELD, {})[row.handle] = row
    return row


async def load_state(session: AsyncSession, vault: Vault, handle: str) -> dict[str, Any] | None:
    row = await session.get(Conversation, handle)
    if row is None:
        return None
    _held(session, row)
    state: dict[str, Any] = await vault.open_json(session, row.key_id, _place(handle), row.state_ct)
    return state


async def save_state(
    session: AsyncSession, vault: Vault, handle: str, state: dict[str, Any], *, receipt_until: datetime | None = None
) -> str:
    """``receipt_until``: when the receipt kept in ``state`` must go (its sweeper reads it; no content)."""
    row = await session.get(Conversation, handle)
    if row is None:
        row = Conversation(handle=handle, key_id=await vault.create_key(session), state_ct=b"")
    row.state_ct = await vault.seal_json(session, row.key_id, _place(handle), state)
    row.updated_at, row.receipt_until = utcnow(), receipt_until
    session.add(_held(session, row))
    await session.flush()
    return row.key_id


def change_state(
    connection: Connection, vault: Vault, handle: str, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> bool:
    """Opens, changes and seals again a stored state in plain Core statements (``Database.run_sync``): the
    write every message sent to a person makes (its id, for a wipe). False when there is no conversation."""
    row = connection.execute(_CONVERSATION.select().where(_CONVERSATION.c.handle == handle)).first()
    if row is None:
        return False
    key, place = vault.key_in(connection, row.key_id), _place(handle)
    state = change(vault.open_json_with(key, place, row.state_ct))
    sealed = vault.seal_json_with(key, place, state)
    connection.execute(
        update(_CONVERSATION).where(_CONVERSATION.c.handle == handle).values(state_ct=sealed, updated_at=utcnow())
    )
    return True


async def discard_conversation(session: AsyncSession, vault: Vault, handle: str) -> None:
    """Removes the draft, its photos not yet attached to a case, and shreds their key (with the messages
    to this person it sealed that have not gone out: nothing could open them any more)."""
    row = await session.get(Conversation, handle)
    await session.exec(delete(Attachment).where(col(Attachment.draft_handle) == handle))
    if row is not None:
        session.info.get(_HELD, {}).pop(handle, None)
        await cancel_to_person(session, handle, key_id=row.key_id)
        await session.delete(row)
        await session.flush()
        await vault.shred(session, row.key_id)
    await session.flush()


async def renew_conversation(session: AsyncSession, vault: Vault, handle: str) -> None:
    """A draft ends but the chat goes on (submitted, cancelled, left for the child's flow): the draft's
    photos and key are shredded, while messages still on their way to the person move under a new key.
    The caller saves the new state in the same transaction (until then the row holds an empty one)."""
    row = await session.get(Conversation, handle)
    await session.exec(delete(Attachment).where(col(Attachment.draft_handle) == handle))
    if row is None:
        return
    old = row.key_id
    row.key_id = await vault.create_key(session)
    row.state_ct = await vault.seal_json(session, row.key_id, _place(handle), {})
    await reseal_to_person(session, vault, handle, old_key=old, new_key=row.key_id)
    session.add(row)
    await session.flush()
    await vault.shred(session, old)


async def add_draft_media(
    session: AsyncSession, vault: Vault, handle: str, key_id: str, data: bytes, content_type: str
) -> None:
    media = Attachment(key_id=key_id, draft_handle=handle, content_type=content_type, size=len(data), data_ct=b"")
    media.data_ct = await vault.seal(session, key_id, ("attachment", "data_ct", media.id), data)
    session.add(media)
    await session.flush()



async def kept_receipts(session: AsyncSession, *, ended_before: datetime) -> list[str]:
    """Conversations still holding a receipt whose minutes are over."""
    query = select(Conversation.handle).where(col(Conversation.receipt_until) < ended_before)
    return list(await session.exec(query))


async def untouched_since(session: AsyncSession, before: datetime) -> list[str]:
    """Conversations nobody wrote in (nor was written to) since ``before``: abandoned drafts among them."""
    return list(await session.exec(select(Conversation.handle).where(col(Conversation.updated_at) < before)))


async def discard_if_about(session: AsyncSession, vault: Vault, handle: str, code: str) -> bool:
    """A conversation that still names a case (the receipt kept with its code and secret, the case it
    follows) goes when that case is purged, its key with it, so no backup links the person to it."""
    row = await session.get(Conversation, handle) if handle else None
    if row is None:
        return False
    try:
        named = code in json.dumps(await load_state(session, vault, handle), ensure_ascii=False)
    except KeyShredded:
        named = True  # unreadable anyway: nothing of it is worth keeping
    if named:
        await discard_conversation(session, vault, handle)
    return named
