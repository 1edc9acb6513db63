"""Crash safety: kill -9 in the middle of an ingest, then reopen, check, resume; a lost index cache."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import TIDINGS_CLI

N = 200

CITIES = ["Lisbon", "Oslo", "Nairobi", "Lima", "Hanoi", "Tunis", "Quito", "Riga", "Accra", "Perth", "Bergen", "Cork"]
SUBJECTS = ["the city council", "the port authority", "the national weather service", "the transport ministry",
            "a regional court", "the central bank", "the football federation", "the health agency"]
VERBS = ["announced", "postponed", "approved", "rejected", "confirmed", "investigated", "criticised", "welcomed"]
OBJECTS = ["a new tram line", "a fishing quota", "the budget for schools", "a bridge repair", "a vaccine campaign",
           "a tax on sugar", "the rescue of a cargo ship", "a wind farm", "the closure of a mine", "a festival"]


def synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    """Distinct short news texts, enough to keep an ingest busy for a while."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        city = rnd.choice(CITIES)
        sentences = [f"In {city}, {rnd.choice(SUBJECTS)} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} on day {i}."]
        for _ in range(rnd.randint(4, 8)):
            sentences.append(f"{rnd.choice(SUBJECTS).capitalize()} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} "
                             f"after {rnd.randint(2, 900)} residents wrote letters, officials said.")
        out.append({"id": f"syn-{i:05d}", "language": "en", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "text": " ".join(sentences)})
    return out


def skipped_for(stderr: str, reason: str) -> int:
    """How many inputs an ingest's lines say were skipped for ``reason``: one line each, then "skipped N more"."""
    total = 0
    for line in stderr.splitlines():
        if line.startswith("skipped") and line.endswith(f": {reason}"):
            more = re.match(r"skipped ([\d,]+) more: ", line)
            total += int(more[1].replace(",", "")) if more else 1
    return total


def count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def assert_consistent(db: Path) -> None:
    assert count(db, "select count(*) from articles where event_id is null "
                     "or event_id not in (select id from events)") == 0
    assert count(db, "select count(*) from articles where seq not in (select article_seq from chunks)") == 0
    assert count(db, "select count(*) from chunks where article_seq not in (select seq from articles)") == 0
    assert count(db, "select count(*) from events e where size != "
                     "(select count(*) from articles a where a.event_id = e.id)") == 0
    assert count(db, "select count(*) - count(distinct content_hash) from articles") == 0
    # every signed article's band keys (14 of them) and no others: a copy of a committed article is found
    assert count(db, "select count(*) from copy_bands where seq not in (select seq from articles)") == 0
    assert count(db, "select count(*) from articles where signature is not null and seq not in "
                     "(select seq from copy_bands group by seq having count(*) = 14)") == 0


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("crash")
    inbox = d / "many.jsonl"
    inbox.write_text("\n".join(json.dumps(a) for a in synthetic_articles(N)) + "\n", encoding="utf-8")
    config = d / "fast.toml"
    config.write_text('[store]\nbatch_size = 2\n\n[embedder]\nname = "hashing"\n', encoding="utf-8")
    return {"inbox": inbox, "config": config, "db": d / "crash.db"}


def run_ingest(w: dict[str, Path]) -> subprocess.CompletedProcess:
    return subprocess.run([*TIDINGS_CLI, "ingest", str(w["inbox"]), "--db", str(w["db"]),
                           "--config", str(w["config"]), "--quiet"], capture_output=True, text=True, timeout=600)


def test_kill_mid_ingest_then_resume(workdir):
    w = workdir
    proc = subprocess.Popen([*TIDINGS_CLI, "ingest", str(w["inbox"]), "--db", str(w["db"]),
                             "--config", str(w["config"]), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if w["db"].exists():
            try:
                stored = count(w["db"], "select count(*) from articles")
            except sqlite3.OperationalError:  # tables not created yet
                continue
            if stored >= 20:
                break
    if proc.poll() is not None:
        err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
        pytest.fail(f"the ingest ended (exit {proc.returncode}) before it could be killed: {err or 'raise N'}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # The store opens and holds every committed batch, consistently.
    from tidings.api import Tidings

    kept = count(w["db"], "select count(*) from articles")
    assert 20 <= kept < N
    assert_consistent(w["db"])
    with Tidings(w["db"], w["config"]) as t:
        index = t.pipeline.index
        assert len(index) == count(w["db"], "select count(*) from chunks")  # the cache caught up

    # A re-run completes the rest without duplicates.
    done = run_ingest(w)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"stored {N - kept} " in done.stdout
    assert skipped_for(done.stderr, "already stored") == kept
    assert count(w["db"], "select count(*) from articles") == N
    assert count(w["db"], "select count(distinct id) from articles") == N
    assert_consistent(w["db"])


def test_ctrl_c_mid_ingest_says_what_is_kept(tmp_path):
    """Ctrl-C: one line saying that the committed batches are kept, and how many articles the store holds, exit 130
    (typer turned the interrupt into a silent exit before the CLI's own handler saw it), a consistent store."""
    inbox = tmp_path / "many.jsonl"
    inbox.write_text("\n".join(json.dumps(a) for a in synthetic_articles(N)) + "\n", encoding="utf-8")
    config = tmp_path / "fast.toml"
    config.write_text('[store]\nbatch_size = 2\n\n[embedder]\nname = "hashing"\n', encoding="utf-8")
    db = tmp_path / "ctrl-c.db"
    # A child of a shell without job control ignores SIGINT; here it takes it, as a terminal's Ctrl-C.
    proc = subprocess.Popen([*TIDINGS_CLI, "ingest", str(inbox), "--db", str(db), "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            if db.exists() and count(db, "select count(*) from articles") >= 10:
                break
        except sqlite3.OperationalError:
            continue
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    kept = count(db, "select count(*) from articles")
    assert proc.returncode == 130 and "Traceback" not in err
    assert "interrupted: every batch committed before this is kept" in err and f"({kept:,} articles in" in err
    assert 10 <= kept < N
    assert_consistent(db)


@pytest.mark.parametrize("damage", ["delete", "corrupt", "truncate"])
def test_lost_or_damaged_index_cache_is_rebuilt(workdir, damage, tmp_path):
    w = workdir
    if not w["db"].exists():
        pytest.skip("needs the store of test_kill_mid_ingest_then_resume")
    db = tmp_path / "copy.db"
    src, dst = sqlite3.connect(w["db"]), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    cache = db.with_name(db.name + ".chunk-index")  # a folder: a manifest and one file per graph
    original = w["db"].with_name(w["db"].name + ".chunk-index")
    assert (original / "manifest.json").is_file()
    if damage != "delete":
        shutil.copytree(original, cache)
    if damage == "corrupt":
        (cache / "manifest.json").write_bytes(os.urandom(4096))
    elif damage == "truncate":
        graph = max((f for f in cache.iterdir() if f.suffix == ".faiss"), key=lambda f: f.stat().st_size)
        graph.write_bytes(graph.read_bytes()[: graph.stat().st_size // 2])
    chunks = count(db, "select count(*) from chunks")

    from tidings.api import Tidings

    with Tidings(db, w["config"]) as t:
        assert len(t.pipeline.index) == chunks
        probe = synthetic_articles(N + 1, seed=7)[-1]  # same generator, an article not stored yet
        report = t.add(probe["text"], id="probe", language="en", published=probe["published"])
        assert [s.id for s in report.stored] == ["probe"]
        # a stored article's chunk finds that article through the rebuilt index (keyed by article)
        found = t.pipeline.index.search(t.store.vectors_of([1])[1][:1], 1)[1]
        assert int(found[0][0]) == 1
    assert (cache / "manifest.json").exists()  # saved again after the commit
    assert count(db, "select count(*) from articles") == N + 1
    assert_consistent(db)
