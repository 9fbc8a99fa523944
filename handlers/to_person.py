"""Messages to a person's own chat (a reporter or a child): all of them go through the outbox, so a 429
or a 5xx delays an answer (the receipt with its code and secret too) instead of dropping it. They go
first in line, each chat's in the order written, and once out their ids join the person's wipe trace."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.messages import Outbound
from handlers.services import Services
from storage.outbox import REPLY, enqueue_all

__all__ = ["PERSON_PRIORITY", "REPLY", "queue_to_person"]

PERSON_PRIORITY = 20  # above an urgent card (10): a person waiting for an answer is not queued behind a flood


async def queue_to_person(
    services: Services,
    session: AsyncSession,
    messages: Iterable[Outbound],
    *,
    person: str,
    channel: str,
    address: str,
    key_id: str,
    locale: str,
    purpose: str = REPLY,
    case_id: str | None = None,
) -> None:
    """``person`` is the keyed handle of the chat's owner; ``key_id`` seals the rows (their conversation's
    key, or the case's for an officer's question). Committed with the caller's transaction."""
    await enqueue_all(
        session, services.vault, [{**message.to_json(), "locale": locale} for message in messages], key_id=key_id,
        channel=channel, address=address, purpose=purpose, case_id=case_id, priority=PERSON_PRIORITY, person=person,
    )
