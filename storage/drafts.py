"""Conversation state and draft photos or voice messages, sealed under a key that is shredded when the draft ends."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, update
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


_KEYS = "drafts.keys"  # session.info: handle → key id of each conversation row this session read or wrote
_ROW = select(_CONVERSATION.c.key_id, _CONVERSATION.c.state_ct).where(_CONVERSATION.c.handle == bindparam("the_handle"))
_SAVE = (
    update(_CONVERSATION)
    .where(_CONVERSATION.c.handle == bindparam("the_handle"))
    .values(state_ct=bindparam("sealed"), updated_at=bindparam("now"), receipt_until=bindparam("until"))
)


def _place(handle: str) -> tuple[str, str, str]:
    return ("conversation", "state_ct", handle)


def _known(session: AsyncSession) -> dict[str, str]:
    return session.info.setdefault(_KEYS, {})


async def _key_of(session: AsyncSession, handle: str) -> str | None:
    """The row's key, from this session's own read when there was one (a turn loads, then saves)."""
    if (known := _known(session).get(handle)) is None:
        found = (await session.exec(_ROW, params={"the_handle": handle})).first()  # type: ignore[call-overload]
        known = None if found is None else _known(session).setdefault(handle, found.key_id)
    return known


async def load_state(session: AsyncSession, vault: Vault, handle: str) -> dict[str, Any] | None:
    """Core statements, not the ORM: every update loads and saves one (the ORM's unit of work costs more
    than the statements). A row changed through the ORM here (renewed, discarded) updates ``_KEYS``."""
    row = (await session.exec(_ROW, params={"the_handle": handle})).first()  # type: ignore[call-overload]
    if row is None:
        return None
    _known(session)[handle] = row.key_id
    state: dict[str, Any] = await vault.open_json(session, row.key_id, _place(handle), row.state_ct)
    return state


async def save_state(
    session: AsyncSession, vault: Vault, handle: str, state: dict[str, Any], *, receipt_until: datetime | None = None
) -> str:
    """``receipt_until``: when the receipt kept in ``state`` must go (its sweeper reads it; no content)."""
    key_id = await _key_of(session, handle)
    if key_id is None:
        key_id = await vault.create_key(session)
        sealed = await vault.seal_json(session, key_id, _place(handle), state)
        session.add(Conversation(handle=handle, key_id=key_id, state_ct=sealed, receipt_until=receipt_until))
        await session.flush()  # a row another worker inserted meanwhile: IntegrityError, the caller's to handle
        _known(session)[handle] = key_id
        return key_id
    sealed = await vault.seal_json(session, key_id, _place(handle), state)
    values = {"the_handle": handle, "sealed": sealed, "now": utcnow(), "until": receipt_until}
    await session.exec(_SAVE, params=values)  # type: ignore[call-overload]
    return key_id


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
    _known(session).pop(handle, None)
    if row is not None:
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
    row.key_id = _known(session)[handle] = await vault.create_key(session)
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
