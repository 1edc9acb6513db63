"""An explicit registry of pipeline components.

Components are looked up by (kind, name) as written in the settings file, never by
matching type names, so a user can plug in their own class with ``register``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {}


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Class decorator: make ``cls`` available as component ``name`` of ``kind``."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY.setdefault(kind, {})[name] = factory
        return factory

    return decorate


def create(kind: str, name: str, **params: Any) -> Any:
    """Build the component registered as ``name`` for ``kind`` with ``params``."""
    try:
        factory = _REGISTRY[kind][name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY.get(kind, {}))) or "none"
        raise ValueError(f"unknown {kind} component {name!r} (known: {known})") from None
    try:
        return factory(**params)
    except TypeError as exc:  # a setting the component does not take: say which, not a traceback
        raise ValueError(f"{kind} component {name!r}: {exc}") from None


def available(kind: str) -> list[str]:
    """Names registered for ``kind``."""
    return sorted(_REGISTRY.get(kind, {}))
