"""A Sender for the outbox that keeps what it was asked to deliver (the terminal adapter's role in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.messages import Outbound
from storage.outbox import Envelope


@dataclass
class Delivery:
    envelope: Envelope
    message: Outbound
    attachments: list[tuple[bytes, str]]


@dataclass
class RecordingSender:
    deliveries: list[Delivery] = field(default_factory=list)

    async def send(self, envelope: Envelope, message: Outbound, attachments: list[tuple[bytes, str]]) -> str | None:
        self.deliveries.append(Delivery(envelope, message, attachments))
        return str(len(self.deliveries))

    def to(self, address: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.envelope.address == address]
