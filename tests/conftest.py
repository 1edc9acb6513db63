"""Shared fixtures: the seed articles, their truth, and one store with the seeds ingested once per session.

Tests that add articles work on ``seeds_copy`` (a copy of that store), never on the shared one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

# shared/ lies beside the checkout (here and in CI); TIDINGS_SEEDS overrides.
SEEDS = Path(os.environ.get("TIDINGS_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))
FIXTURES = Path(__file__).parent / "fixtures"
# The command line in a fresh interpreter, wherever the `tidings` script is installed.
TIDINGS_CLI = [sys.executable, "-c", "from tidings.cli import main; main()"]


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not seed_files():
        pytest.skip(f"no seed articles in {SEEDS} (set TIDINGS_SEEDS)")
    return SEEDS


@pytest.fixture(scope="session")
def gold(seeds_dir: Path) -> dict:
    return json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_ingested(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path):
    """(db path, first IngestReport): the five seeds ingested once with the default settings."""
    from tidings.api import Tidings

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Tidings(db) as t:
        report = t.ingest([str(p) for p in seed_files()])
    return db, report


@pytest.fixture(scope="session")
def seeds_db(seeds_ingested) -> Path:
    return seeds_ingested[0]


@pytest.fixture()
def seeds_copy(seeds_db: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds store (database and index cache) that a test may change."""
    target = tmp_path / "copy.db"
    src = sqlite3.connect(seeds_db)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    for suffix in (".chunk-index", ".events.faiss", ".periods.faiss"):
        cache = seeds_db.with_name(seeds_db.name + suffix)
        if cache.is_dir():
            shutil.copytree(cache, target.with_name(target.name + suffix))
        elif cache.exists():
            shutil.copy(cache, target.with_name(target.name + suffix))
    return target


@pytest.fixture()
def tidings_at():
    """Open Tidings objects and close them at the end of the test."""
    from tidings.api import Tidings

    opened: list[Tidings] = []

    def open_(db: Path, **overrides):
        t = Tidings(db, **overrides)
        opened.append(t)
        return t

    yield open_
    for t in opened:
        t.close()


def sudan_inbox(folder: Path) -> tuple[Path, dict[str, str]]:
    """Held-out 15's seven Sudan reports in order of publication, written to a JSON lines file in ``folder``: four
    of the army ousting Bashir (11 April 2019), three of Ibn Auf stepping down the next day. (The file, id -> gold
    event.)"""
    rows = [json.loads(line) for line in (FIXTURES / "events_heldout15" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    rows = sorted((r for r in rows if r["id"].startswith(("bashir-ousted", "ibnauf-quits"))),
                  key=lambda r: r["published"])
    inbox = folder / "sudan.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return inbox, {r["id"]: r["event"] for r in rows}


def fail_to_insert(monkeypatch: pytest.MonkeyPatch, failing: str):  # noqa: ANN201 - the real method
    """Storing the article ``failing`` raises, as a full disk would; returns the real ``Store.insert_article``."""
    from tidings.store import Store

    real_insert = Store.insert_article

    def insert_or_fail(self, conn, values, chunk_rows):
        if values["id"] == failing:
            raise RuntimeError("disk said no")
        return real_insert(self, conn, values, chunk_rows)

    monkeypatch.setattr(Store, "insert_article", insert_or_fail)
    return real_insert


def gold_groups(gold: dict) -> set[frozenset[str]]:
    """The seeds' main events as sets of article ids."""
    groups: dict[str, set[str]] = {}
    for aid, info in gold["articles"].items():
        groups.setdefault(info["main_event"], set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def cologne_days(folder: Path) -> Path:
    """Held-out 62's first three days of Cologne's local news (to 11 March 2026), in order of publication, as a JSON
    lines file in ``folder``: a stream of up to 26 happenings within a day of each other."""
    corpus = FIXTURES / "events_heldout62" / "articles.jsonl"
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = sorted((r for r in records if r.get("published") and r["published"][:10] <= "2026-03-11"),
                     key=lambda r: (r["published"], r["id"]))
    path = folder / "days.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def check_event_corpus(records: list[dict], min_events: int, reports: tuple[int, int], copies: int = 0) -> None:
    """A held-out event corpus as its README describes it: unique ids, the seven fields, 14 languages or more,
    at least ``min_events`` gold events, each reported ``reports`` (min, max) times in as many languages, but for
    ``copies`` syndicated copies in all (the same wire text again, in its language, by another outlet)."""
    from collections import defaultdict

    assert len(records) >= 40 and len({r["id"] for r in records}) == len(records)
    assert all(set(r) == {"id", "title", "text", "language", "published", "outlet", "event"} for r in records)
    assert len({r["language"] for r in records}) >= 14
    per_event: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        per_event[r["event"]].append(r)
    assert len(per_event) >= min_events
    repeated = 0
    for e, rs in per_event.items():
        assert reports[0] <= len(rs) <= reports[1], e
        repeated += len(rs) - len({r["language"] for r in rs})
        assert len({r["outlet"] for r in rs}) == len(rs), e
    assert repeated <= copies, f"{repeated} reports repeat a language of their event"


@pytest.fixture()
def web_site(tmp_path: Path):
    """A local web server over a folder (answering If-Modified-Since with 304): ``.folder``, ``.base`` (its URL), and
    the paths it was asked for (``.paths``) and the status codes it answered (``.codes``), in order."""
    import functools
    import http.server
    import threading
    from types import SimpleNamespace

    site = SimpleNamespace(folder=tmp_path / "site", base="", paths=[], codes=[])
    site.folder.mkdir()

    class Counting(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            site.paths.append(self.path)
            site.codes.append(int(code))

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site.folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()
