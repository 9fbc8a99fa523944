"""aiogram's ~450 Telegram types and ~170 API methods built on first use, not at import: about 140 MB of RSS
saved per process, and seconds of start.

aiogram declares its models ``defer_build`` but then calls ``model_rebuild(_types_namespace=...)`` on every
one of them at the end of ``aiogram.types``, only to resolve the forward references to names its modules
import under ``TYPE_CHECKING``, and that builds them all (aiogram issue #1513). Here that call binds those
names in the model's own module instead, exactly what the ``TYPE_CHECKING`` import would have bound, so
pydantic's deferred build finds them the first time a type validates or serialises, as the top model or
nested in another. Its API methods are not declared ``defer_build`` at all: the base class gets it as soon
as its module has run, before any method is defined. Installed from ``bot/__init__.py``, before anything
imports aiogram.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from types import ModuleType
from typing import Any

from pydantic import BaseModel

_rebuild = BaseModel.__dict__["model_rebuild"].__func__
_NAME = re.compile(r"[A-Za-z_]\w*")


def _deferred_rebuild(cls: type[BaseModel], *, _types_namespace: Any = None, force: bool = False, **options: Any) -> bool | None:
    deferred = (
        _types_namespace is not None
        and not force
        and cls.__module__.startswith("aiogram.")
        and cls.model_config.get("defer_build")
        and not cls.__pydantic_complete__
    )
    if not deferred:
        return _rebuild(cls, _types_namespace=_types_namespace, force=force, **options)
    module = vars(sys.modules[cls.__module__])
    for annotation in vars(cls).get("__annotations__", {}).values():
        for name in _NAME.findall(annotation) if isinstance(annotation, str) else ():
            if name not in module and name in _types_namespace:
                module[name] = _types_namespace[name]
    return None


class _DeferMethods(importlib.abc.MetaPathFinder):
    """Finds ``aiogram.methods.base`` as usual and, once it has run, marks ``TelegramMethod`` ``defer_build``."""

    NAME = "aiogram.methods.base"

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name != self.NAME:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            run = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                run(module)
                module.TelegramMethod.model_config["defer_build"] = True

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    if BaseModel.__dict__["model_rebuild"].__func__ is _rebuild:
        BaseModel.model_rebuild = classmethod(_deferred_rebuild)  # type: ignore[assignment, method-assign]
    if _DeferMethods.NAME not in sys.modules and not any(isinstance(f, _DeferMethods) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferMethods())
