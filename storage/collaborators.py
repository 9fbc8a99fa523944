"""The communes' collaborators (cộng tác viên) as the deployment file declares them: who they are (keyed
handles, never a platform id), where their private chat is (sealed), and the cases they reported.

A collaborator's identity is keyed once more (``collaborator_handle``): a case keeps its reporter's chat
handle, and were the directory to hold that same handle, a copy of the database would name the
collaborator behind each of their reports by a join. Without the pepper neither side leads to the other;
their own reports are found from their sealed chats at the moment they ask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import keyed_handle
from storage.models import Case, Collaborator, CollaboratorIdentity
from storage.units import Identity, identity_address, sync_identities
from storage.vault import Vault

__all__ = [
    "CollaboratorRecord",
    "collaborator_addresses",
    "collaborator_by_handle",
    "collaborator_handle",
    "collaborators_of",
    "own_cases",
    "sync_collaborators",
]


@dataclass(frozen=True)
class CollaboratorRecord:
    name: str
    unit_code: str  # their commune's unit
    village: str
    identities: Sequence[Identity]


async def sync_collaborators(session: AsyncSession, vault: Vault, records: Sequence[CollaboratorRecord]) -> None:
    """Makes the database match the file as the officers' sync does: a collaborator keeps their id (matched
    by name and commune) so past home-visit requests stay theirs; one no longer declared is deactivated;
    an unchanged identity keeps its row and sealed chat."""
    await session.exec(update(Collaborator).values(active=False))
    wanted: dict[str, tuple[str, Identity]] = {}
    for record in records:
        found = await session.exec(
            select(Collaborator).where(col(Collaborator.name) == record.name, col(Collaborator.unit_code) == record.unit_code)
        )
        row = found.first() or Collaborator(name=record.name, unit_code=record.unit_code, village=record.village)
        row.village, row.active = record.village, True
        session.add(row)
        await session.flush()
        wanted.update({identity.handle: (row.id, identity) for identity in record.identities})
    await sync_identities(session, vault, wanted, CollaboratorIdentity, "collaborator_id")
    await session.flush()


def collaborator_handle(pepper: bytes, handle: str) -> str:
    """What the directory stores for the account whose chat handle (a reporter's, in a case) is ``handle``."""
    return keyed_handle(pepper, "collaborator", handle)


async def collaborator_by_handle(session: AsyncSession, pepper: bytes, handle: str) -> Collaborator | None:
    """The active collaborator whose account writes from the chat with this keyed handle, if any."""
    query = (
        select(Collaborator)
        .join(CollaboratorIdentity, col(CollaboratorIdentity.collaborator_id) == col(Collaborator.id))
        .where(col(CollaboratorIdentity.handle) == collaborator_handle(pepper, handle), col(Collaborator.active))
    )
    return (await session.exec(query)).first()


async def collaborators_of(session: AsyncSession, unit_code: str) -> list[Collaborator]:
    """The unit's active collaborators, by village then name: a stable order to number them by."""
    query = select(Collaborator).where(col(Collaborator.unit_code) == unit_code, col(Collaborator.active))
    return list((await session.exec(query.order_by(col(Collaborator.village), col(Collaborator.name)))).all())


async def collaborator_addresses(session: AsyncSession, vault: Vault, collaborator_id: str) -> list[tuple[str, str]]:
    """(channel, private chat) of each of the collaborator's accounts, Telegram before Zalo."""
    rows = await session.exec(select(CollaboratorIdentity).where(col(CollaboratorIdentity.collaborator_id) == collaborator_id))
    found = []
    for identity in rows.all():
        address = await identity_address(session, vault, identity)
        if isinstance(address, str):
            found.append((identity.channel, address))
    return sorted(found, key=lambda pair: (pair[0] != "telegram", pair[0]))


async def own_cases(
    session: AsyncSession, vault: Vault, pepper: bytes, collaborator_id: str, *, limit: int = 20
) -> list[Case]:
    """The cases the collaborator reported from any of their accounts, newest first: each sealed chat is
    the account's id (a Telegram user's private chat is their user id), whose keyed handle a case keeps."""
    chats = await collaborator_addresses(session, vault, collaborator_id)
    handles = [keyed_handle(pepper, channel, chat) for channel, chat in chats]
    query = select(Case).where(col(Case.reporter_handle).in_(handles)).order_by(col(Case.received_at).desc())
    return list((await session.exec(query.limit(limit))).all())
