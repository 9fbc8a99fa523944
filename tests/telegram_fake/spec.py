"""Validate Bot API requests against the official machine-readable spec (api.json).

Why: Telegram rejects malformed requests at runtime (a 65-byte callback_data, a 4097-character
message, a misspelt field).  Checking every request the bot makes against the published spec
turns those production-only failures into test failures.

Values may arrive as multipart/urlencoded strings (``"123"``, ``"true"``, JSON-encoded objects)
or already decoded (JSON bodies, nested objects); uploaded files arrive as ``bytes``.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from pathlib import Path
from typing import Any

SPEC_ENV = "TELEGRAM_API_SPEC"
# A copy of the official ../shared/telegram-bot-api/api.json (Bot API 10.1), so a clean clone tests alike.
DEFAULT_SPEC_PATH = Path(__file__).resolve().parent / "spec_data" / "api.json"

PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "True"})
_INT_RE = re.compile(r"-?\d+")
_DISCRIMINATOR_RE = re.compile(r'(?:must be|always) "?([a-z0-9_]+)"?$')
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
# InlineKeyboardButton: "exactly one of the fields other than text, icon_custom_emoji_id and style".
_BUTTON_NON_ACTION = frozenset({"text", "icon_custom_emoji_id", "style"})
# (method, field) -> max visible length; text of sendMessage/editMessageText also needs >= 1.
_TEXT_LIMITS = {
    ("sendMessage", "text"): 4096,
    ("editMessageText", "text"): 4096,
    ("answerCallbackQuery", "text"): 200,
}
CAPTION_LIMIT = 1024


def spec_path() -> Path:
    return Path(os.environ.get(SPEC_ENV) or DEFAULT_SPEC_PATH)


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    if not Path(path).is_file():
        raise FileNotFoundError(f"Bot API spec not found at {path}; set ${SPEC_ENV} to its api.json")
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_spec() -> dict[str, Any]:
    """The parsed api.json (cached per path; honours ``$TELEGRAM_API_SPEC``)."""
    return _load(str(spec_path()))


def _kind(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "file"
    return type(value).__name__


def _describe(value: Any, form: bool) -> str:
    if form and isinstance(value, str) and value[:1] in ("{", "["):
        value = _json_or_none(value)
    if isinstance(value, dict) and "type" in value:
        return f"object with type={value['type']!r}"
    return "object" if isinstance(value, dict) else _kind(value)


def parsed_text(text: str, parse_mode: Any = None) -> str:
    """Text as the user sees it: with HTML, tags are dropped and entities decoded (Markdown kept raw)."""
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        return html.unescape(re.sub(r"<[^<>]*>", "", text))
    return text


def visible_length(text: str, parse_mode: Any = None) -> int:
    return len(parsed_text(text, parse_mode))


class _Validator:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.methods: dict[str, Any] = spec["methods"]
        self.types: dict[str, Any] = spec["types"]
        # Subtypes are told apart by their "type" field ("Type of the media, must be photo").
        self._discriminators: dict[str, str] = {}
        for name, tdef in self.types.items():
            for f in tdef.get("fields", []):
                m = _DISCRIMINATOR_RE.search(f["description"].strip()) if f["name"] == "type" else None
                if m:
                    self._discriminators[name] = m.group(1)

    # -- shapes: does the value have the JSON kind of this type? ------------------------------
    def _decode(self, value: Any, t: str, form: bool) -> tuple[bool, Any]:
        """(matches, decoded value) for one non-union type expression."""
        if t.startswith("Array of "):
            if form and isinstance(value, str):
                value = _json_or_none(value)
            return isinstance(value, list), value
        if t == "Integer":
            if form and isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
                return True, int(value)
            return isinstance(value, int) and not isinstance(value, bool), value
        if t == "Float":
            if form and isinstance(value, str):
                try:
                    return True, float(value)
                except ValueError:
                    return False, value
            return isinstance(value, (int, float)) and not isinstance(value, bool), value
        if t in ("Boolean", "True"):
            if form and isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"
            return isinstance(value, bool) and (t == "Boolean" or value is True), value
        if t == "String":
            return isinstance(value, str), value
        if t == "InputFile":
            ok = isinstance(value, (bytes, bytearray, memoryview))
            return ok or (isinstance(value, str) and value.startswith("attach://")), value
        if form and isinstance(value, str):
            value = _json_or_none(value)
        return isinstance(value, dict), value

    def _shape_ok(self, value: Any, t: str, form: bool) -> bool:
        tdef = self.types.get(t) or {}
        if tdef.get("subtypes"):
            return any(self._shape_ok(value, s, form) for s in tdef["subtypes"])
        ok, decoded = self._decode(value, t, form)
        if ok and isinstance(decoded, dict) and "type" in decoded:
            expected = self._discriminator(t)
            ok = expected is None or decoded["type"] == expected
        return ok

    def _discriminator(self, t: str) -> str | None:
        return self._discriminators.get(t)

    # -- full checks -----------------------------------------------------------------------------
    def check_union(self, value: Any, types: list[str], path: str, form: bool) -> list[str]:
        candidates = [t for t in types if self._shape_ok(value, t, form)]
        if not candidates:
            return [f"{path}: expected {' or '.join(types)}, got {_describe(value, form)}"]
        best: tuple[int, int, list[str]] | None = None
        for t in candidates:
            errors = self.check(value, t, path, form)
            if not errors:
                return []
            # Report against the type the value most resembles (InlineKeyboardMarkup, not ForceReply).
            rank = (self._misfit(value, t, form), len(errors), errors)
            if best is None or rank[:2] < best[:2]:
                best = rank
        return best[2] if best else []

    def _misfit(self, value: Any, t: str, form: bool) -> int:
        """Unknown plus missing top-level keys of ``value`` read as type ``t``."""
        tdef = self.types.get(t) or {}
        if tdef.get("subtypes"):
            return min(self._misfit(value, s, form) for s in tdef["subtypes"])
        _, obj = self._decode(value, t, form)
        if not isinstance(obj, dict) or "fields" not in tdef:
            return 0
        fields = {f["name"]: f["required"] for f in tdef["fields"]}
        return sum(k not in fields for k in obj) + sum(r and k not in obj for k, r in fields.items())

    def check(self, value: Any, t: str, path: str, form: bool = False) -> list[str]:
        tdef = self.types.get(t) or {}
        if tdef.get("subtypes"):
            return self.check_union(value, tdef["subtypes"], path, form)
        ok, decoded = self._decode(value, t, form)
        if not ok:
            return [f"{path}: expected {t}, got {_kind(value)}"]
        if t.startswith("Array of "):
            inner = t.removeprefix("Array of ")
            return [e for i, item in enumerate(decoded) for e in self.check(item, inner, f"{path}[{i}]")]
        if isinstance(decoded, dict) and t in self.types:
            return self.check_object(decoded, t, path)
        return []

    def check_object(self, obj: dict[str, Any], t: str, path: str) -> list[str]:
        fields = {f["name"]: f for f in self.types[t].get("fields", [])}
        errors = [f"{path}.{k}: unknown field of {t}" for k in obj if k not in fields]
        expected = self._discriminator(t)
        if expected is not None and "type" in obj and obj["type"] != expected:
            errors.append(f"{path}.type: {obj['type']!r} is not {expected!r} ({t})")
        errors += [
            f"{path}.{k}: missing required field of {t}"
            for k, f in fields.items()
            if f["required"] and obj.get(k) is None
        ]
        for k, v in obj.items():
            if k in fields and v is not None:
                errors += self.check_union(v, fields[k]["types"], f"{path}.{k}", form=False)
        return errors + _object_constraints(t, {k: v for k, v in obj.items() if k in fields}, path)

    def validate(self, method: str, params: dict[str, Any]) -> list[str]:
        spec = self.methods.get(method)
        if spec is None:
            return [f"{method}: unknown method"]
        params = {k: v for k, v in params.items() if v is not None}
        fields = {f["name"]: f for f in spec.get("fields", [])}
        errors = [f"{k}: unknown field" for k in params if k not in fields]
        errors += [
            f"{k}: missing required field" for k, f in fields.items() if f["required"] and k not in params
        ]
        for k, v in params.items():
            if k in fields:
                errors += self.check_union(v, fields[k]["types"], k, form=True)
        errors += _method_constraints(method, params)
        return [f"{method}: {e}" for e in errors]


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _length_errors(path: str, text: Any, parse_mode: Any, limit: int, minimum: int = 0) -> list[str]:
    if not isinstance(text, str):
        return []
    n = visible_length(text, parse_mode)
    if n > limit:
        return [f"{path}: too long ({n} characters, max {limit})"]
    if n < minimum or (minimum and not text.strip()):
        return [f"{path}: must not be empty"]
    return []


def _method_constraints(method: str, params: dict[str, Any]) -> list[str]:
    errors = []
    for (m, field), limit in _TEXT_LIMITS.items():
        if m == method and field in params:
            minimum = 1 if field == "text" and m != "answerCallbackQuery" else 0
            errors += _length_errors(field, params[field], params.get("parse_mode"), limit, minimum)
    if "caption" in params:
        errors += _length_errors("caption", params["caption"], params.get("parse_mode"), CAPTION_LIMIT)
    return errors


def _object_constraints(t: str, obj: dict[str, Any], path: str) -> list[str]:
    errors = []
    if "caption" in obj:
        errors += _length_errors(f"{path}.caption", obj["caption"], obj.get("parse_mode"), CAPTION_LIMIT)
    if t == "InlineKeyboardButton":
        if obj.get("text") == "":
            errors.append(f"{path}.text: button text must not be empty")
        data = obj.get("callback_data")
        if isinstance(data, str) and not 1 <= len(data.encode("utf-8")) <= 64:
            errors.append(f"{path}.callback_data: must be 1-64 bytes, got {len(data.encode('utf-8'))}")
        actions = sorted(k for k, v in obj.items() if k not in _BUTTON_NON_ACTION and v is not None)
        if len(actions) != 1:
            errors.append(f"{path}: exactly one action field required, got {actions or 'none'}")
    elif t == "BotCommand":
        if isinstance(obj.get("command"), str) and not _BOT_COMMAND_RE.fullmatch(obj["command"]):
            errors.append(f"{path}.command: must be 1-32 of a-z, 0-9, _")
        errors += _length_errors(f"{path}.description", obj.get("description"), None, 256, 1)
    return errors


@functools.lru_cache(maxsize=4)
def _validator_for(path: str) -> _Validator:
    return _Validator(_load(path))


def _validator() -> _Validator:
    return _validator_for(str(spec_path()))


def validate_request(method: str, params: dict[str, Any]) -> list[str]:
    """Violations of the Bot API spec by one request (empty list = valid)."""
    return _validator().validate(method, params)


def validate_object(value: Any, type_name: str, path: str | None = None) -> list[str]:
    """Violations of an already-decoded value against a spec type (e.g. a fake ``Message``)."""
    return _validator().check(value, type_name, path or type_name)


def decode_params(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Turn form strings back into Python values using the spec's field types.

    ``chat_id="123"`` becomes ``123``, ``reply_markup='{"..."}'`` a dict, ``"true"`` True;
    fields that may be a String (text, file ids) stay strings.
    """
    v = _validator()
    fields = {f["name"]: f["types"] for f in (v.methods.get(method) or {}).get("fields", [])}
    out: dict[str, Any] = {}
    for key, value in params.items():
        types = fields.get(key, [])
        if isinstance(value, str) and types:
            if "String" in types:
                if "Integer" in types and _INT_RE.fullmatch(value):
                    value = int(value)
            else:
                for t in types:
                    ok, decoded = v._decode(value, t, form=True)
                    if ok:
                        value = decoded
                        break
        out[key] = value
    return out


def method_returns(method: str) -> list[str]:
    return list((load_spec()["methods"].get(method) or {}).get("returns", []))
