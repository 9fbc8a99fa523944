"""A fake Telegram Bot API HTTP server that validates every request against api.json."""

from .server import FakeTelegramServer, RecordedRequest
from .spec import decode_params, load_spec, validate_object, validate_request
from .state import ApiError, TelegramState

__all__ = [
    "ApiError",
    "FakeTelegramServer",
    "RecordedRequest",
    "TelegramState",
    "decode_params",
    "load_spec",
    "validate_object",
    "validate_request",
]
