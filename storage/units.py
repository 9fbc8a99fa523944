"""Units and officers as declared by the deployment file; routing a commune to the unit that answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import DecryptionFailed
from storage.keystore import KeyShredded
from storage.models import CollaboratorIdentity, Contact, Officer, OfficerIdentity, Unit
from storage.vault import KeyStoreRequired, Vault

__all__ = [
    "ContactRecord",
    "Identity",
    "IdentityRow",
    "OfficerRecord",
    "UnitRecord",
    "alert_unit",
    "ancestors",
    "contact_addresses",
    "identity_address",
    "officer_addresses",
    "officer_by_handle",
    "officer_handles",
    "officers_with_role",
    "private_alert_addresses",
    "route",
    "sync_directory",
    "sync_identities",
    "units_under",
]


IdentityRow = OfficerIdentity | CollaboratorIdentity


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    is_province: bool
    parent_code: str | None
    telegram_chat_id: int | None


@dataclass(frozen=True)
class Identity:
    channel: str
    handle: str  # keyed hash of the platform id
    private_address: str | None = None  # kept sealed; only for channels where alerts go privately


@dataclass(frozen=True)
class ContactRecord:
    kind: str  # "police" | "national"
    unit_code: str | None
    name: str
    channel: str
    address: str


@dataclass(frozen=True)
class OfficerRecord:
    name: str
    unit_code: str
    role: str
    identities: Sequence[Identity]


async def sync_directory(
    session: AsyncSession,
    vault: Vault,
    units: Sequence[UnitRecord],
    officers: Sequence[OfficerRecord],
    contacts: Sequence[ContactRecord] = (),
) -> None:
    """Makes the database match the file: upserts units, replaces officer identities, deactivates the rest.

    Officers keep their id across restarts (matched by name and unit) so past acknowledgements stay theirs.
    """
    ordered = sorted(units, key=lambda u: (not u.is_province, u.parent_code is not None))
    known = {row.code: row for row in (await session.exec(select(Unit))).all()}
    for unit in ordered:  # new units first, parents before children: a flush updates rows before it inserts
        if unit.code not in known:
            known[unit.code] = Unit(code=unit.code, name=unit.name)
            _copy_unit(known[unit.code], unit)
            session.add(known[unit.code])
    await session.flush()
    for unit in ordered:
        _copy_unit(known[unit.code], unit)  # an unchanged row writes nothing
    people: dict[tuple[str, str], Officer] = {}
    for officer in (await session.exec(select(Officer))).all():
        people.setdefault((officer.name, officer.unit_code), officer)
        officer.active = False
    wanted: dict[str, tuple[str, Identity]] = {}  # handle → (officer id, identity)
    for record in officers:
        key = (record.name, record.unit_code)
        row = people.get(key) or people.setdefault(key, Officer(name=record.name, unit_code=record.unit_code, role=record.role))
        row.role, row.active = record.role, True
        session.add(row)
        wanted.update({identity.handle: (row.id, identity) for identity in record.identities})
    await session.flush()
    await sync_identities(session, vault, wanted, OfficerIdentity, "officer_id")
    await _sync_contacts(session, vault, contacts)
    await session.flush()


def _copy_unit(row: Unit, unit: UnitRecord) -> None:
    row.name, row.is_province = unit.name, unit.is_province
    row.parent_code, row.telegram_chat_id = unit.parent_code, unit.telegram_chat_id


async def sync_identities(
    session: AsyncSession, vault: Vault, wanted: dict[str, tuple[str, Identity]], table: type[IdentityRow], owner: str
) -> None:
    """Changes only what the file changed: an unchanged identity keeps its row and its sealed address, so a
    restart does not shred and re-create every person's key (two fsyncs each). ``table`` holds officers' or
    collaborators' identities, ``owner`` names its column for the person (handle → (person id, identity))."""
    wanted = dict(wanted)
    rows = (await session.exec(select(table))).all()
    await vault.warm(session, [row.key_id for row in rows if row.key_id])
    for old in rows:
        owner_id, identity = wanted.get(old.handle, (None, None))
        if identity is not None and (owner_id, identity.channel) == (getattr(old, owner), old.channel):
            address = await identity_address(session, vault, old)
            if address == identity.private_address:
                del wanted[old.handle]
                continue
        if old.key_id:
            await vault.shred(session, old.key_id)
        await session.delete(old)
    await session.flush()
    for handle, (owner_id, identity) in wanted.items():
        entry = table(handle=handle, channel=identity.channel, **{owner: owner_id})
        if identity.private_address:
            entry.key_id = await vault.create_key(session)
            place = (table.__tablename__, "address_ct", entry.handle)
            entry.address_ct = await vault.seal(session, entry.key_id, place, identity.private_address.encode())
        session.add(entry)


_UNREADABLE = object()  # a sealed address that no longer opens (its key gone): replaced, as any change


async def _opened(session: AsyncSession, vault: Vault, key_id: str, place: tuple[str, str, str], sealed: bytes) -> object:
    try:
        return (await vault.open(session, key_id, place, sealed)).decode()
    except (KeyShredded, KeyStoreRequired, DecryptionFailed):
        return _UNREADABLE


async def identity_address(session: AsyncSession, vault: Vault, row: IdentityRow) -> object:
    """The sealed private chat of an officer's or a collaborator's identity: None if it has none, a marker
    object if it no longer opens."""
    if not (row.key_id and row.address_ct):
        return None
    return await _opened(session, vault, row.key_id, (row.__tablename__, "address_ct", row.handle), row.address_ct)


async def _sync_contacts(session: AsyncSession, vault: Vault, contacts: Sequence[ContactRecord]) -> None:
    """As identities: an unchanged contact keeps its row and key."""
    wanted = list(contacts)
    rows = (await session.exec(select(Contact))).all()
    await vault.warm(session, [row.key_id for row in rows])
    for old in rows:
        address = await _opened(session, vault, old.key_id, ("contact", "address_ct", old.id), old.address_ct)
        same = ContactRecord(kind=old.kind, unit_code=old.unit_code, name=old.name, channel=old.channel, address=str(address))
        if address is not _UNREADABLE and same in wanted:
            wanted.remove(same)
            continue
        await vault.shred(session, old.key_id)
        await session.delete(old)
    await session.flush()
    for record in wanted:
        row = Contact(kind=record.kind, unit_code=record.unit_code, name=record.name, channel=record.channel, key_id="")
        row.key_id = await vault.create_key(session)
        row.address_ct = await vault.seal(session, row.key_id, ("contact", "address_ct", row.id), record.address.encode())
        session.add(row)


async def contact_addresses(session: AsyncSession, vault: Vault, kind: str, unit_codes: Sequence[str | None]) -> list[tuple[str, str]]:
    """(channel, address) of the first unit in ``unit_codes`` (nearest first) that has contacts of ``kind``."""
    for code in unit_codes:
        where = col(Contact.unit_code).is_(None) if code is None else col(Contact.unit_code) == code
        rows = (await session.exec(select(Contact).where(col(Contact.kind) == kind, where))).all()
        if rows:
            return [(r.channel, (await vault.open(session, r.key_id, ("contact", "address_ct", r.id), r.address_ct)).decode()) for r in rows]
    return []


async def officer_addresses(session: AsyncSession, vault: Vault, officer_id: str) -> list[tuple[str, str]]:
    """Every private chat where the officer can be reached (Telegram and Zalo both, for an escalation)."""
    rows = await session.exec(
        select(OfficerIdentity).where(col(OfficerIdentity.officer_id) == officer_id, col(OfficerIdentity.address_ct).is_not(None))
    )
    found = []
    for identity in rows.all():
        if identity.key_id and identity.address_ct:
            place = ("officer_identity", "address_ct", identity.handle)
            found.append((identity.channel, (await vault.open(session, identity.key_id, place, identity.address_ct)).decode()))
    return sorted(found)


async def officers_with_role(session: AsyncSession, unit_code: str, *roles: str) -> list[Officer]:
    """Active officers of the unit holding one of ``roles``, by name (a stable order to number them by)."""
    query = select(Officer).where(col(Officer.unit_code) == unit_code, col(Officer.role).in_(roles), col(Officer.active))
    return list((await session.exec(query.order_by(col(Officer.name)))).all())


async def private_alert_addresses(session: AsyncSession, vault: Vault, unit_code: str) -> list[tuple[str, str]]:
    """(channel, address) of the unit's officers who have no Telegram account, so no duty group reaches them."""
    rows = await session.exec(
        select(OfficerIdentity)
        .join(Officer, col(Officer.id) == col(OfficerIdentity.officer_id))
        .where(col(Officer.unit_code) == unit_code, col(Officer.active), col(OfficerIdentity.address_ct).is_not(None))
    )
    found = []
    for identity in rows.all():
        others = await session.exec(
            select(OfficerIdentity.channel).where(col(OfficerIdentity.officer_id) == identity.officer_id)
        )
        if "telegram" in others.all() or identity.key_id is None or identity.address_ct is None:
            continue
        place = ("officer_identity", "address_ct", identity.handle)
        found.append((identity.channel, (await vault.open(session, identity.key_id, place, identity.address_ct)).decode()))
    return found


async def officer_handles(session: AsyncSession) -> list[str]:
    """Every officer identity's keyed handle (no ids, no addresses): who may have an officer's command."""
    return list((await session.exec(select(OfficerIdentity.handle))).all())


async def officer_by_handle(session: AsyncSession, handle: str) -> Officer | None:
    query = (
        select(Officer)
        .join(OfficerIdentity, col(OfficerIdentity.officer_id) == col(Officer.id))
        .where(col(OfficerIdentity.handle) == handle, col(Officer.active))
    )
    return (await session.exec(query)).first()


async def ancestors(session: AsyncSession, code: str) -> list[Unit]:
    """The unit and every unit above it, nearest first (commune, then province)."""
    chain: list[Unit] = []
    current = await session.get(Unit, code)
    while current is not None and current not in chain:
        chain.append(current)
        current = await session.get(Unit, current.parent_code) if current.parent_code else None
    return chain


async def units_under(session: AsyncSession, code: str) -> list[Unit]:
    """The unit and every unit whose chain of parents reaches it: what a province officer sees and counts."""
    return [u for u in (await session.exec(select(Unit))).all() if code in {a.code for a in await ancestors(session, u.code)}]


async def route(session: AsyncSession, *, place_code: str | None, province_code: str | None, fallback: str) -> Unit:
    """Commune's own unit if it has one, else its province's, else the deployment's fallback unit."""
    for code in (place_code, province_code, fallback):
        if code and (unit := await session.get(Unit, code)) is not None:
            return unit
    raise LookupError(f"fallback unit {fallback} is not in the database")


async def alert_unit(session: AsyncSession, code: str) -> Unit | None:
    """The nearest unit up the tree with a duty group, so a unit without one never swallows an alert."""
    return next((u for u in await ancestors(session, code) if u.telegram_chat_id is not None), None)
