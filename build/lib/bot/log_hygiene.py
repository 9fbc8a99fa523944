"""What may reach a log line: no secret (a bot token travels inside every Bot API URL, and aiohttp puts
URLs in its errors), and nothing a font subsetter saw (fontTools logs the glyphs of the text it renders,
which for a case record is the decrypted report)."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO

__all__ = ["CHATTY", "JsonLines", "LogHygiene", "configure_logging"]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Their DEBUG and INFO carry platform ids, SQL parameters, token-bearing URLs, scheduler ticks, glyph lists
QUIET = ("aiogram.event", "aiosqlite", "httpx", "httpcore", "apscheduler", "fontTools", "fpdf", "PIL", "matplotlib")
_BOT_PATH = re.compile(r"/bot[^/\s'\"]+")  # Telegram's and Zalo's /bot<token>/method
HIDDEN = "<hidden>"
# No secret or id in their lines, only noise at INFO ("Context impl SQLiteImpl", "Running upgrade"): shown at DEBUG
CHATTY = ("alembic",)


class LogHygiene(logging.Filter):
    """On the handler, so it sees every logger's records: fontTools' below ERROR are dropped, and every
    message and traceback has the known secrets and any /bot<token> path replaced."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return _BOT_PATH.sub("/bot" + HIDDEN, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".")[0] == "fontTools" and record.levelno < logging.ERROR:
            return False
        record.msg, record.args = self._clean(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """LOG_FORMAT=json: one object a line (time in UTC, level, logger, message, and the traceback if any),
    for a log collector. It formats what ``LogHygiene`` left: the message and traceback already scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:  # set and scrubbed by the filter; never formatted again from exc_info here
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


class _Stderr:
    """Whatever sys.stderr is when a line is written (a test's capture, a redirected stream), not at setup."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(
    level: str, *, secrets: Iterable[str], stream: IO[str] | None = None, fmt: str = "text"
) -> logging.Handler:
    """The process's one log handler (stderr unless ``stream``), returned so a test can remove it again.
    ``fmt`` "json" (LOG_FORMAT=json): one JSON object a line, with the same scrubbing."""
    handler = logging.StreamHandler(stream or _Stderr())  # type: ignore[arg-type]
    handler.setFormatter(JsonLines() if fmt == "json" else logging.Formatter(FORMAT))
    handler.addFilter(LogHygiene(secrets))
    root = logging.getLogger()
    for old in [h for h in root.handlers if any(isinstance(f, LogHygiene) for f in h.filters)]:
        root.removeHandler(old)  # configured again (a second command in one process): one handler, not two
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    debugging = logging.getLevelName(str(level).upper()) == logging.DEBUG
    for chatty in CHATTY:  # their INFO is noise in normal use, wanted when debugging (python -m bot -v)
        logging.getLogger(chatty).setLevel(logging.NOTSET if debugging else logging.WARNING)
    return handler
