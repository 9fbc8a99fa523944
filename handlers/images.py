"""Evidence photos: only real JPEG/PNG/WebP images are kept, rebuilt from pixels so no EXIF or GPS survives."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["PHOTO_TYPES", "ImageRejected", "PhotoRefused", "accept_photo", "clean_image"]

_ALLOWED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PHOTO_TYPES = frozenset(_ALLOWED.values())  # what an adapter may download; a file declared otherwise is refused unread
_MAX_PIXELS = 40_000_000


class ImageRejected(ValueError):
    """Not an image we accept; the reporter gets a kind answer, never the technical reason."""


class PhotoRefused(Exception):
    """A photo we do not keep, with the message key (and values) that tells the person why, kindly."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


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
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in _ALLOWED or probe.width * probe.height > _MAX_PIXELS:
                    raise ImageRejected(fmt)
                upright = ImageOps.exif_transpose(probe).convert("RGBA" if fmt != "JPEG" else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(type(exc).__name__) from exc
    pixels_only = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    pixels_only.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return out.getvalue(), _ALLOWED[fmt]
