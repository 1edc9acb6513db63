"""Settings: packaged defaults overridden by a user TOML file and the environment."""

from __future__ import annotations

import copy
import difflib
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


# Settings that take a value of another type besides their default's: "auto" or a number of workers.
_ALSO_TAKES: dict[tuple[str, str], tuple[type, ...]] = {("embedder", "workers"): (int,)}
# Settings that take one of a few words (compared case-blind): where who/where/when runs (``pipeline.facts_run_in``).
FACTS_RUN_IN = ("auto", "main", "workers")
STORE_UPDATES = ("replace", "keep")  # what a newer version of a stored article does (``Pipeline._newer_versions``)
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {("facts", "run_in"): FACTS_RUN_IN,
                                                    ("store", "updates"): STORE_UPDATES}
# Settings with a least or a greatest value, refused before the store is touched (out of them, each article failed
# on its own in the middle of an ingest: "Too few permutation functions", an AssertionError, "range() arg 3 must not
# be zero"). The pipeline checks index_m too, for settings passed as a dict: HNSW links a node.
MINIMUM: dict[tuple[str, str], int | float] = {
    ("storylines", "index_m"): 2, ("storylines", "index_dims"): 1, ("duplicates", "num_perm"): 2,
    ("duplicates", "threshold"): 0.0,
    ("index", "neighbours"): 1, ("embedder", "batch_size"): 1, ("store", "batch_size"): 1,
    ("events", "threshold"): 0.0, ("events", "window_days"): 0}
MAXIMUM: dict[tuple[str, str], int | float] = {("duplicates", "threshold"): 1.0, ("events", "threshold"): 1.0,
                                               ("storylines", "index_dims"): 256}
# Sections whose settings tidings reads one by one (no component takes the rest): an unknown key there is a typo.
FIXED_SECTIONS = frozenset({"store", "reader", "duplicates", "chunker"})
_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string", list: "a list"}


def _type_ok(value: Any, default: Any, also: tuple[type, ...] = ()) -> bool:
    if isinstance(value, bool) or isinstance(default, bool):  # TOML's true/false is no number, nor the reverse
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)  # "threshold = 1" means 1.0
    return isinstance(value, type(default)) or isinstance(value, also)


def check_settings(user: dict[str, Any], defaults: Settings, source: str) -> None:
    """Raise ValueError naming ``source``, the section and the key for a user file that cannot be what was meant:
    an unknown section (a typo would otherwise be ignored in silence), a section that is not a table, or a known
    setting of the wrong type (``threshold = "high"`` would otherwise fail article by article in the middle of an
    ingest). Keys the defaults do not list are left to the component they configure, which names them; in a section
    no component takes (``FIXED_SECTIONS``) they are refused, with the setting meant where one is close."""
    for section, values in user.items():
        if section not in defaults:
            raise ValueError(f"{source}: unknown section [{section}] (sections: {', '.join(sorted(defaults))})")
        if not isinstance(values, dict):
            raise ValueError(f"{source}: {section} must be a [{section}] table of settings, not {values!r}")
        for key, value in values.items():
            if key not in defaults[section]:
                if section in FIXED_SECTIONS:  # read key by key, so a typo was ignored in silence
                    close = difflib.get_close_matches(key, defaults[section], n=1)
                    raise ValueError(f"{source}: [{section}] has no setting {key!r}"
                                     + (f": did you mean {close[0]!r}?" if close else
                                        f" (its settings: {', '.join(sorted(defaults[section]))})"))
                continue
            default = defaults[section][key]
            also = _ALSO_TAKES.get((section, key), ())
            if not _type_ok(value, default, also):
                wanted = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in (type(default), *also))
                raise ValueError(f"{source}: [{section}] {key} must be {wanted} (like the default, {default!r}), "
                                 f"not {value!r}")
            least, most = MINIMUM.get((section, key)), MAXIMUM.get((section, key))
            if least is not None and value < least:
                raise ValueError(f"{source}: [{section}] {key} must be at least {least}, not {value!r}")
            if most is not None and value > most:
                raise ValueError(f"{source}: [{section}] {key} must be at most {most}, not {value!r}")
            choices = _CHOICES.get((section, key)) or (
                ("auto", "none", *projection_names()) if (section, key) == ("storylines", "projection") else None)
            if choices and str(value).strip().lower() not in choices:
                raise ValueError(f"{source}: [{section}] {key} must be {', '.join(map(repr, choices))}, "
                                 f"not {value!r}")


def projection_names() -> tuple[str, ...]:
    """The encoders whose projection for the graphs of one vector per event tidings ships
    (``data/projection-<encoder>.npy``, ``index.projection_basis``)."""
    folder = resources.files("tidings").joinpath("data")
    return tuple(sorted(f.name.removeprefix("projection-").removesuffix(".npy") for f in folder.iterdir()
                        if f.name.startswith("projection-") and f.name.endswith(".npy")))


def load_settings(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the user file (``path`` or $TIDINGS_CONFIG), then ``overrides``."""
    settings = default_settings()
    path = path or os.environ.get("TIDINGS_CONFIG")
    if path:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{p}: cannot read settings: {exc}") from None
        check_settings(user, settings, str(p))
        settings = _merge(settings, user)
    if os.environ.get("TIDINGS_DB"):
        settings["store"]["url"] = os.environ["TIDINGS_DB"]
    if overrides:
        settings = _merge(settings, overrides)
    return settings
