"""Shared helpers of the web tests (not a conftest: tests/conftest.py belongs to another module).

The seeds are ingested once per test session (about 10 s); each test module gets its own copy of
the store so that writes in one module cannot change what another one sees.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ lies beside the checkout
_base: Path | None = None


def seed_paths() -> list[str]:
    return sorted(str(p) for p in SEEDS.glob("*.txt"))


def seeded_db(into: Path) -> str:
    """A store with the seed articles ingested, copied into the folder ``into``; returns its path."""
    global _base
    if _base is None:
        from tidings.api import Tidings

        folder = Path(tempfile.mkdtemp(prefix="tidings-web-seeds-"))
        base = folder / "seeds.db"
        with Tidings(base) as t:
            report = t.ingest(seed_paths())
        assert report.stored, f"no seed stored: {report.skipped}"
        _base = base
    into.mkdir(parents=True, exist_ok=True)
    for f in _base.parent.glob(_base.name + "*"):  # the SQLite file and its vector index caches
        if f.is_dir():  # the chunk index: a folder of graphs and their manifest
            shutil.copytree(f, into / f.name, dirs_exist_ok=True)
        else:
            shutil.copy2(f, into / f.name)
    return str(into / _base.name)


def seed_event_ids(db: str) -> dict[str, str]:
    """Event ids of the seeds' three stories, found by their articles rather than hard-coded."""
    from tidings.api import Tidings

    with Tidings(db) as t:
        ids = {}
        for name, article in (("raisi_putin", "003_228ee2c8dbe1ae26"), ("lavrov", "004_55c22112cef1f973"),
                              ("raisi_2022", "001_8f7ea46409a65e4e")):
            a = t.article(article, text=False)
            assert a is not None, f"seed article {article} missing"
            ids[name] = a["event"]
        ids["storyline"] = t.event(ids["raisi_putin"])["storyline"]
    return ids
