"""What a web chat answer carries, read as a browser posts it: a url-encoded form, or a multipart one with
a photo at the photo step. Bounded before anything is read; the photo stays in memory, never in a temporary
file, and is checked by the engine like a photo from any chat app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from handlers.images import PHOTO_TYPES
from handlers.messages import Channel, Inbound, InboundKind, Media, command_name

__all__ = ["MAX_BODY", "UPLOADS_AT_ONCE", "Answer", "read_answer"]

MAX_BODY = 64 * 1024  # a long answer in Vietnamese, percent-encoded; more is not an answer
CHOICE_MAX = 128
FIELDS = 8
UPLOADS_AT_ONCE = 4  # photos read into memory at once: a burst of big uploads waits instead of filling it


@dataclass(frozen=True)
class Answer:
    fields: dict[str, str]
    photo: Media | None = None

    def inbound(self, handle: str, locale: str) -> Inbound | None:
        base: dict[str, Any] = {"channel": Channel.WEB, "handle": handle, "reply_address": handle, "locale_hint": locale}
        if self.photo is not None:
            return Inbound(kind=InboundKind.PHOTO, media=self.photo, **base)
        if choice := self.fields.get("choice", "")[:CHOICE_MAX]:
            return Inbound(kind=InboundKind.CHOICE, choice=choice, **base)
        if self.fields.get("command") == "tracuu":
            return Inbound(kind=InboundKind.COMMAND, command="tracuu", text="/tracuu", **base)
        text = self.fields.get("text", "").strip()
        if not text:
            return None
        if command := command_name(text):
            return Inbound(kind=InboundKind.COMMAND, command=command, text=text, **base)
        return Inbound(kind=InboundKind.TEXT, text=text, **base)


async def read_answer(request: Request, *, max_photo: int, uploads: asyncio.Semaphore) -> Answer | int | None:
    """The answer; the declared length (an int) when a photo is too big to read; None for anything else
    (too long, another encoding, a malformed body)."""
    kind = request.headers.get("content-type", "")
    length = int(request.headers.get("content-length") or 0)
    if kind.startswith("multipart/form-data"):
        if not length:  # browsers declare it; an unbounded stream is not read
            return None
        if length > max_photo + MAX_BODY:
            return length
        async with uploads:
            return await _multipart(request, length)
    if not kind.startswith("application/x-www-form-urlencoded") or length > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        return Answer(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=FIELDS)))
    except ValueError:
        return None


async def _multipart(request: Request, length: int) -> Answer | None:
    parser = MultiPartParser(request.headers, request.stream(), max_files=1, max_fields=FIELDS, max_part_size=MAX_BODY)
    parser.spool_max_size = length  # held in memory: a child's picture never lands in a temporary file
    try:
        form = await parser.parse()
    except MultiPartException:
        return None
    fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:  # no file chosen: an empty part
        return Answer(fields)
    data = await upload.read()
    await upload.close()
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in PHOTO_TYPES:  # a GIF, HEIC or SVG "image": refused by its declared type, as on Telegram
        return Answer(fields, Media(b"", len(data), declared))
    return Answer(fields, Media(data, len(data), declared))
