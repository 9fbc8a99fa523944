"""Groups that Telegram moved to a supergroup: the new chat id wins over the deployment file's old one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChatMigration, Unit, utcnow

__all__ = ["apply_migrations", "current_chat", "current_chat_in", "record_migration"]


async def current_chat(session: AsyncSession, address: str) -> str:
    """The chat a message for ``address`` must go to now (itself, unless the group migrated)."""
    if not address.startswith("-") or not address[1:].isdigit():
        return address
    moved = await session.get(ChatMigration, int(address))
    return str(moved.new_chat_id) if moved else address


def current_chat_in(connection: Connection, address: str) -> str:
    """``current_chat`` in a plain Core statement (``Database.run_sync``)."""
    if not address.startswith("-") or not address[1:].isdigit():
        return address
    table: Any = ChatMigration.__table__
    moved = connection.execute(select(table.c.new_chat_id).where(table.c.old_chat_id == int(address))).scalar()
    return str(moved) if moved is not None else address


async def record_migration(session: AsyncSession, old: int, new: int) -> list[Unit]:
    """Remembers the move and points the units at the new chat; returns those units."""
    found = await session.get(ChatMigration, old)
    if found is None:
        session.add(ChatMigration(old_chat_id=old, new_chat_id=new, migrated_at=utcnow()))
    else:
        found.new_chat_id = new
        session.add(found)
    units = list((await session.exec(select(Unit).where(col(Unit.telegram_chat_id) == old))).all())
    await session.exec(update(Unit).where(col(Unit.telegram_chat_id) == old).values(telegram_chat_id=new))
    await session.flush()
    return units


async def apply_migrations(session: AsyncSession) -> None:
    """After the directory is synced from the file at start: units still naming a migrated group's old id
    are pointed at the new one, so a restart before the file is edited changes nothing."""
    for moved in (await session.exec(select(ChatMigration))).all():
        await session.exec(
            update(Unit).where(col(Unit.telegram_chat_id) == moved.old_chat_id).values(telegram_chat_id=moved.new_chat_id)
        )
