"""Units and officers as declared by the deployment file; routing a commune to the unit that answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Officer, OfficerIdentity, Unit
from storage.vault import Vault

__all__ = [
    "Identity",
    "OfficerRecord",
    "UnitRecord",
    "alert_unit",
    "ancestors",
    "officer_by_handle",
    "private_alert_addresses",
    "route",
    "sync_directory",
]


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
class OfficerRecord:
    name: str
    unit_code: str
    role: str
    identities: Sequence[Identity]


async def sync_directory(
    session: AsyncSession, vault: Vault, units: Sequence[UnitRecord], officers: Sequence[OfficerRecord]
) -> None:
    """Makes the database match the file: upserts units, replaces officer identities, deactivates the rest.

    Officers keep their id across restarts (matched by name and unit) so past acknowledgements stay theirs.
    """
    ordered = sorted(units, key=lambda u: (not u.is_province, u.parent_code is not None))
    for unit in ordered:
        unit_row = await session.get(Unit, unit.code) or Unit(code=unit.code, name=unit.name)
        unit_row.name, unit_row.is_province = unit.name, unit.is_province
        unit_row.parent_code, unit_row.telegram_chat_id = unit.parent_code, unit.telegram_chat_id
        session.add(unit_row)
        await session.flush()
    for old in await session.exec(select(OfficerIdentity)):
        if old.key_id:
            await vault.shred(session, old.key_id)
    await session.exec(delete(OfficerIdentity))
    await session.exec(update(Officer).values(active=False))
    for record in officers:
        found = await session.exec(
            select(Officer).where(col(Officer.name) == record.name, col(Officer.unit_code) == record.unit_code)
        )
        row = found.first() or Officer(name=record.name, unit_code=record.unit_code, role=record.role)
        row.role, row.active = record.role, True
        session.add(row)
        await session.flush()
        for identity in record.identities:
            entry = OfficerIdentity(handle=identity.handle, officer_id=row.id, channel=identity.channel)
            if identity.private_address:
                entry.key_id = await vault.create_key(session)
                place = ("officer_identity", "address_ct", entry.handle)
                entry.address_ct = await vault.seal(session, entry.key_id, place, identity.private_address.encode())
            session.add(entry)
    await session.flush()


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


async def route(session: AsyncSession, *, place_code: str | None, province_code: str | None, fallback: str) -> Unit:
    """Commune's own unit if it has one, else its province's, else the deployment's fallback unit."""
    for code in (place_code, province_code, fallback):
        if code and (unit := await session.get(Unit, code)) is not None:
            return unit
    raise LookupError(f"fallback unit {fallback} is not in the database")


async def alert_unit(session: AsyncSession, code: str) -> Unit | None:
    """The nearest unit up the tree with a duty group, so a unit without one never swallows an alert."""
    return next((u for u in await ancestors(session, code) if u.telegram_chat_id is not None), None)
