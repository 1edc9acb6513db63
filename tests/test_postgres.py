"""The same pipeline on a real PostgreSQL server (started here in a temporary folder)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():  # noqa: ANN201 - a generator fixture
    if os.environ.get("TIDINGS_TEST_POSTGRES_URL"):
        yield os.environ["TIDINGS_TEST_POSTGRES_URL"]
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    # Not under pytest's tmp folder: its parents are private to root, and the server runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="tidings-pg-"))
    data, port = root / "data", _free_port()
    # PostgreSQL refuses to run as root: run it as an unprivileged user then.
    prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(root, "nobody")
        root.chmod(0o777)
    subprocess.run([*prefix, initdb, "-D", str(data), "-U", "tidings", "-A", "trust"], check=True,
                   capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://tidings@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_seeds_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the index cache of a server store
    deadline = time.time() + 20
    while True:
        try:
            t = tidings.open(pg_url)
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.5)
    with t:
        report = t.ingest([str(SEEDS)])
        assert len(report.stored) == 5
        groups = sorted(sorted(e["articles"]) for e in t.export_events())
        assert [len(g) for g in groups] == [1, 1, 3] or sorted(len(g) for g in groups) == [1, 1, 3]
        together = next(g for g in groups if len(g) == 3)
        assert [a[:3] for a in together] == ["000", "002", "003"]
        again = t.ingest([str(SEEDS)])
        assert not again.stored
    # A second process-like open finds everything, the index cache included.
    with tidings.open(pg_url) as t2:
        assert len(t2.export_articles()) == 5
        assert any(t2.events(who="Путин"))
        stats = t2.stats()  # the server's dates and times come back as dates, SQLite's as text: the same answer
        assert (stats["articles"], stats["published"], stats["happened"]) == (
            5, ["2021-08-21", "2021-08-21"], ["2021-08-18", "2021-08-18"])
        assert len(stats["last_ingest"]) == 19 and sum(stats["languages"].values()) == 5


def test_read_ahead_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process ingesting several batches reads ahead through PostgreSQL's SQL as through SQLite's."""
    import tidings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    multilingual = Path(__file__).parent / "fixtures" / "multilingual" / "articles.jsonl"
    with tidings.open(pg_url, store={"batch_size": 3}, embedder={"workers": 0}) as t:
        assert len(t.ingest([str(multilingual)]).stored) == 31
    with tidings.open(pg_url, store={"batch_size": 3}, embedder={"workers": 0}) as t:
        pipeline, store = t.pipeline, t.store
        days = pipeline.detector.window.days + pipeline.index.shard_days
        with store.engine.connect() as conn:
            ids, seqs = store.recent(conn, days, pipeline.WARM_EVENTS, pipeline.WARM_ARTICLES)
        assert ids and seqs
        pipeline.read_ahead()
        assert set(ids) <= set(store._event_rows) and set(seqs) <= set(store._vectors)


def test_an_event_splits_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event whose reports read two days splits in two through PostgreSQL's SQL as through SQLite's (held-out
    15's Sudan reports: the army ousting Bashir, Ibn Auf stepping down the next day)."""
    from conftest import sudan_inbox

    import tidings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    inbox, gold = sudan_inbox(tmp_path)
    assert len(gold) == 7
    with tidings.open(pg_url, store={"batch_size": 2}, embedder={"workers": 0}) as t:
        report = t.ingest([str(inbox)])
        assert len(report.events_split) == 1
        events = {a.id: t.store.resolve(a.event_id) for a in t.store.articles(ids=list(gold))}
    assert len({events[i] for i in gold if i.startswith("bashir")}) == 1
    assert len({events[i] for i in gold if i.startswith("ibnauf")}) == 1
    assert events["bashir-ousted-tr"] != events["ibnauf-quits-en"]


def test_corrections_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's move and merge through PostgreSQL's SQL as through SQLite's: the parting is kept, and lifted."""
    import tidings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with tidings.open(pg_url, embedder={"workers": 0}) as t:
        t.ingest([str(SEEDS)])  # stored already by the first test, or now
        call = t.article("000_2e75e3fd11f96b7f")["event"]
        alone = t.move_article("003_228ee2c8dbe1ae26")
        assert [a["id"] for a in t.event(alone)["articles"]] == ["003_228ee2c8dbe1ae26"]
        with t.store.engine.connect() as conn:
            assert t.store.apart_pairs(conn) == [tuple(sorted((call, alone)))]
        assert t.merge_events(alone, into=call) == call
        assert t.event(alone)["id"] == call and t.event(call)["size"] == 3
        with t.store.engine.connect() as conn:
            assert t.store.apart_pairs(conn) == []


def test_updates_and_deletions_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newer version replacing a stored article, its earlier version refused, a headline corrected, a deletion and a
    takedown, through PostgreSQL's SQL as through SQLite's."""
    import json

    import tidings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (SEEDS / "004_55c22112cef1f973.txt").read_text(encoding="utf-8").split("No comments")[0].rstrip()
    wire = tmp_path / "wire.jsonl"
    first = {"id": "pg-wire-1", "url": "https://wire.example/pg/1", "title": "Lavrov in Tehran", "text": text,
             "outlet": "PG Wire"}  # the seeds' 004 under another outlet: a syndicated copy, stored
    with tidings.open(pg_url, embedder={"workers": 0}) as t:
        wire.write_text(json.dumps(first) + "\n", encoding="utf-8")
        (stored,) = t.ingest([str(wire)]).stored
        newer = first | {"text": text + "\nUpdate: the two ministers are to meet again in Moscow."}
        wire.write_text(json.dumps(newer) + "\n", encoding="utf-8")
        (again,) = t.ingest([str(wire)]).stored
        assert again.replaced and "Moscow" in t.article("pg-wire-1")["text"]
        assert len(t.article("pg-wire-1")["earlier_versions"]) == 1
        wire.write_text(json.dumps(first) + "\n", encoding="utf-8")
        assert "earlier version" in t.ingest([str(wire)]).skipped[0].reason
        wire.write_text(json.dumps(newer | {"title": "Lavrov in Tehran for talks"}) + "\n", encoding="utf-8")
        assert t.ingest([str(wire)]).summary()["retitled"] == 1
        assert t.delete_articles(["pg-wire-1"], for_good=True) == {"pg-wire-1": t.store.resolve(stored.event)}
        assert t.article("pg-wire-1") is None
        assert t.ingest([str(wire)]).skipped[0].reason.startswith("deleted from this store for good")
