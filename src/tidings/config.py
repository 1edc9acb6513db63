"""Settings: packaged defaults overridden by a user TOML file and the environment."""

from __future__ import annotations

import copy
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

Settings = dict[str, dict[str, Any]]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def default_settings() -> Settings:
    """The packaged defaults (src/tidings/defaults.toml)."""
    text = resources.files("tidings").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the user file (``path`` or $TIDINGS_CONFIG), then ``overrides``."""
    settings = default_settings()
    path = path or os.environ.get("TIDINGS_CONFIG")
    if path:
        p = Path(path)
        try:
            settings = _merge(settings, tomllib.loads(p.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{p}: cannot read settings: {exc}") from None
    if os.environ.get("TIDINGS_DB"):
        settings["store"]["url"] = os.environ["TIDINGS_DB"]
    if overrides:
        settings = _merge(settings, overrides)
    return settings
