"""Evidence photos: only real JPEG/PNG/WebP images are kept, rebuilt from pixels so no EXIF or GPS survives.

Decoding is the one costly thing a stranger can make the bot do with a small file (a 166 KB PNG can
declare 40 megapixels), so: the pixel count is read from the header before anything is decoded; a big
JPEG is decoded at a reduced scale (which its format makes cheap) and anything else over the cap is
refused; and decoding runs in one thread of its own, before the conversation's transaction opens, so
neither the event loop (everyone's messages, the timers) nor a database connection waits for it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import io
import logging
import warnings
from concurrent.futures import ThreadPoolExecutor

from PIL import Image, ImageOps, UnidentifiedImageError

from handlers.messages import Inbound, InboundKind, Media

__all__ = ["MAX_PIXELS", "PHOTO_TYPES", "ImageRejected", "PhotoRefused", "accept_photo", "checked_photo", "clean_image",
           "prepare_photo"]

log = logging.getLogger(__name__)
_ALLOWED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PHOTO_TYPES = frozenset(_ALLOWED.values())  # what an adapter may download; a file declared otherwise is refused unread
MAX_PIXELS = 16_000_000  # more than a phone's 12 MP photo or a 5K screenshot; about 0.4 s and 200 MB to rebuild
_JPEG_SCALES = (2, 4, 8)  # what a JPEG decoder can skip to for free: a 48 or 50 MP camera photo fits at 1/2
_DECODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo")  # one at a time: bounded memory, a core left free


class ImageRejected(ValueError):
    """Not an image we accept; the reporter gets a kind answer, never the technical reason."""


class PhotoRefused(Exception):
    """A photo we do not keep, with the message key (and values) that tells the person why, kindly."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


async def prepare_photo(inbound: Inbound, *, max_bytes: int) -> Inbound:
    """A photo's media replaced by its cleaned bytes, or by the refusal, decoded off the event loop;
    called before the transaction that handles the message (anything else is returned unchanged)."""
    media = inbound.media
    if inbound.kind is not InboundKind.PHOTO or media is None:
        return inbound
    loop = asyncio.get_running_loop()
    try:
        check = functools.partial(accept_photo, media.data, media.size, max_bytes=max_bytes)
        data, content_type = await loop.run_in_executor(_DECODER, check)
    except PhotoRefused as refused:
        refusal = Media(b"", media.size, media.content_type, refused=(refused.key, refused.values))
        return dataclasses.replace(inbound, media=refusal)
    return dataclasses.replace(inbound, media=Media(data, len(data), content_type, cleaned=True))


def checked_photo(media: Media | None) -> tuple[bytes, str]:
    """What ``prepare_photo`` made of a photo: its cleaned bytes and type, or PhotoRefused. A photo it
    never saw is refused rather than decoded here, inside a transaction."""
    if media is not None and media.refused is not None:
        raise PhotoRefused(media.refused[0], **media.refused[1])
    if media is None or not media.cleaned:
        log.warning("a photo reached the conversation without being prepared")
        raise PhotoRefused("step.photos.unreadable")
    return media.data, media.content_type


def accept_photo(data: bytes, declared_size: int, *, max_bytes: int) -> tuple[bytes, str]:
    """The cleaned photo and its type, or PhotoRefused: too big (declared or real), or not an image we accept."""
    if max(declared_size, len(data)) > max_bytes:
        raise PhotoRefused("step.photos.too_big", limit_mb=max_bytes // (1024 * 1024))
    try:
        return clean_image(data)
    except ImageRejected:
        raise PhotoRefused("step.photos.unreadable") from None


def clean_image(data: bytes) -> tuple[bytes, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:  # reads the header only
                fmt = probe.format or ""
                if fmt not in _ALLOWED:
                    raise ImageRejected(fmt)
                _within_cap(probe, fmt)
                upright = ImageOps.exif_transpose(probe).convert("RGBA" if fmt != "JPEG" else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(type(exc).__name__) from exc
    pixels_only = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    pixels_only.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return out.getvalue(), _ALLOWED[fmt]


def _within_cap(probe: Image.Image, fmt: str) -> None:
    """Before any pixel is decoded: a JPEG over the cap is set to decode at the first scale under it."""
    width, height = probe.size
    if width * height <= MAX_PIXELS:
        return
    fits = [s for s in _JPEG_SCALES if -(-width // s) * -(-height // s) <= MAX_PIXELS] if fmt == "JPEG" else []
    scale = fits[0] if fits else None
    if scale is None:
        raise ImageRejected("too many pixels")
    probe.draft("RGB", (-(-width // scale), -(-height // scale)))
    if probe.size[0] * probe.size[1] > MAX_PIXELS:
        raise ImageRejected("too many pixels")
