"""The outbox's way out to a web reporter: an officer's message waits, sealed, for the page that visit loads next."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.outbox_dispatcher import RetryLater
from handlers.messages import Outbound
from storage.db import Database
from storage.models import utcnow
from storage.outbox import Envelope
from storage.vault import Vault
from storage.web_chat import put_notes, visit_of

__all__ = ["WebSender"]


class WebSender:
    """The address is the visit's handle. A visit that has ended (quick exit, wipe, expiry) takes nothing: the
    message stays with the case, where the reporter reads it with code and secret from any browser."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self.db, self.vault = db, vault

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> str | None:
        if envelope.edit_message_id is not None:
            return envelope.edit_message_id  # a page already shown is not changed afterwards
        try:
            async with self.db.transaction() as session:
                visit = await visit_of(session, envelope.address, now=utcnow())
                if visit is None:
                    return None
                await put_notes(session, self.vault, visit, [{**message.to_json(), "note": True}])
        except SQLAlchemyError as exc:  # the database unreachable for a moment
            raise RetryLater(type(exc).__name__) from None
        return envelope.id
