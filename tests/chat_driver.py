"""One conversation script, many channels: drivers expose send / choose / share_location / send_photo."""

from __future__ import annotations

from typing import Protocol

from bot.core import Core
from handlers.messages import Channel, ChatKind, Inbound, InboundKind, Media, Outbound
from handlers.services import Reply


class ChatDriver(Protocol):
    async def send(self, text: str) -> str: ...
    async def choose(self, label: str) -> str: ...
    async def share_location(self, lat: float, lon: float) -> str: ...
    async def send_photo(self, data: bytes) -> str: ...


class CoreChat:
    """Talks to the platform-neutral core exactly as an adapter would."""

    def __init__(self, core: Core, user: str = "reporter", channel: Channel = Channel.TERMINAL) -> None:
        self.core, self.user, self.channel = core, user, channel
        self.handle = core.handle_for(channel)(user)
        self.last: list[Outbound] = []
        self.replies: list[Reply] = []

    async def _deliver(self, kind: InboundKind, **fields: object) -> str:
        inbound = Inbound(self.channel, self.handle, kind, reply_address=f"chat-{self.user}", **fields)  # type: ignore[arg-type]
        reply = await self.core.conversation.handle(inbound)
        self.replies.append(reply)
        self.last = reply.messages
        return "\n".join(m.text for m in reply.messages)

    async def send(self, text: str) -> str:
        if text.startswith("/"):
            return await self._deliver(InboundKind.COMMAND, command=text[1:].split()[0], text=text)
        return await self._deliver(InboundKind.TEXT, text=text)

    def value_of(self, label: str) -> str:
        for message in reversed(self.last):
            for choice in message.choices:
                if choice.label == label or choice.label.startswith(label):
                    return choice.value
        shown = [c.label for m in self.last for c in m.choices]
        raise AssertionError(f"no button {label!r} among {shown}")

    async def choose(self, label: str) -> str:
        return await self._deliver(InboundKind.CHOICE, choice=self.value_of(label))

    async def press_value(self, value: str) -> str:
        return await self._deliver(InboundKind.CHOICE, choice=value)

    async def share_location(self, lat: float, lon: float) -> str:
        return await self._deliver(InboundKind.LOCATION, location=(lat, lon))

    async def send_photo(self, data: bytes) -> str:
        return await self._deliver(InboundKind.PHOTO, media=Media(data=data, size=len(data)))

    async def send_sticker(self) -> str:
        return await self._deliver(InboundKind.UNSUPPORTED)


async def officer_press(core: Core, login: str, value: str, channel: Channel = Channel.TERMINAL) -> Reply:
    inbound = Inbound(
        channel, core.handle_for(channel)(login), InboundKind.CHOICE, reply_address=f"officer-{login}",
        chat_kind=ChatKind.GROUP, choice=value,
    )
    return await core.officers.press(inbound)


async def report_until_review(chat: ChatDriver, *, description: str = "Bé bị đánh hằng ngày", place: str = "hoan kiem",
                              danger: bool = False, photo: bytes | None = None, address: str | None = "Ngõ 5",
                              category: str = "Bạo lực thể chất", commune: str = "Phường Hoàn Kiếm",
                              sex: str = "Bé gái", setting: str = "Bỏ qua") -> str:
    """The citizen's whole report in Vietnamese, up to the review screen (returns its text); ``setting``: the
    answer to "where did it happen" (skipped unless given)."""
    await chat.send("/start")
    await chat.choose("Báo tin về một bạn nhỏ")
    await chat.choose("Hàng xóm")
    await chat.choose(category)
    await chat.choose("6–10 tuổi")
    await chat.choose(sex)
    await chat.choose("Có, đang nguy hiểm" if danger else "Không")
    await chat.choose(setting)
    await chat.send(place)
    await chat.choose(commune)
    if address:
        await chat.send(address)
    else:
        await chat.choose("Bỏ qua")
    await chat.send(description)
    if photo is not None:
        await chat.send_photo(photo)
        await chat.choose("Xong")
    else:
        await chat.choose("Bỏ qua")
    return await chat.choose("Có, được nhắn lại")
