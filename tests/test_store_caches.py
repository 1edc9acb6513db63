"""The store's write-through row caches: what a transaction reads through them is what the database holds,
also after another process (another Store on the same file) wrote, and after a rollback."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import FIXTURES

from tidings.store import Store


@pytest.fixture()
def two_stores(seeds_copy):
    a, b = Store(seeds_copy), Store(seeds_copy)
    yield a, b
    a.close()
    b.close()


def test_cached_rows_equal_the_database_rows(seeds_copy, tidings_at):
    t = tidings_at(seeds_copy)
    report = t.add("Der russische Präsident Wladimir Putin hat am Mittwoch mit dem iranischen Präsidenten "
                   "Ebrahim Raisi telefoniert und die Aufnahme Irans in die SCO begrüßt.",
                   id="probe-de", language="de", published="2021-08-19")
    assert len(report.stored) == 1
    store = t.store
    seqs = [a.seq for a in store.articles()]
    ids = [e.id for e in store.events()]
    assert max(seqs) in store._article_rows  # written through at insert: the reads below use the cache
    with store.transaction() as conn:
        cached_articles = store.articles(seqs=seqs, conn=conn, light=True, facts=False)
        cached_events = store.events(ids=ids, conn=conn, light=True)
        owners = store.event_ids_of(seqs, conn)
    assert cached_articles == store.articles(seqs=seqs, light=True, facts=False)  # no conn: plain SQL
    by_id = lambda evs: sorted(evs, key=lambda e: e.id)  # noqa: E731  (events of one batch tie in order)
    assert by_id(cached_events) == by_id(store.events(ids=ids, light=True))
    assert owners == store.event_ids_of(seqs)
    assert owners[max(seqs)] == report.stored[0].event


def test_another_writer_is_seen_at_the_next_transaction(two_stores):
    a, b = two_stores
    ev = a.events()[0]
    seq = a.articles(event_id=ev.id)[0].seq
    with a.transaction() as conn:  # fills a's caches
        assert a.events(ids=[ev.id], conn=conn, light=True)[0].size == ev.size
        assert a.event_ids_of([seq], conn)[seq] == ev.id
    with b.transaction() as conn:
        b.save_event(conn, replace(ev, size=ev.size + 5), exists=True)
        b.set_article_event(conn, [ev.id], "ev-elsewhere")
    with a.transaction() as conn:
        assert a.events(ids=[ev.id], conn=conn, light=True)[0].size == ev.size + 5
        assert a.event_ids_of([seq], conn)[seq] == "ev-elsewhere"


def test_a_rolled_back_write_leaves_no_cached_row(two_stores):
    a, _ = two_stores
    ev = a.events()[0]
    with pytest.raises(RuntimeError), a.transaction() as conn:
        a.save_event(conn, replace(ev, size=99), exists=True)
        assert a.events(ids=[ev.id], conn=conn, light=True)[0].size == 99  # this transaction sees its write
        raise RuntimeError("batch failed")
    with a.transaction() as conn:
        assert a.events(ids=[ev.id], conn=conn, light=True)[0].size == ev.size


def test_running_tallies_equal_a_recount_after_many_batches(tmp_path, tidings_at):
    """Events grow over many small batches (tallies read through the cache, changed, saved): what is stored
    equals a count made afresh from the event's articles."""
    from conftest import FIXTURES

    from tidings.events import EventTally

    t = tidings_at(tmp_path / "tallies.db", store={"batch_size": 3}, embedder={"workers": 0})
    report = t.ingest([str(FIXTURES / "multilingual" / "articles.jsonl")])
    assert len(report.stored) == 31
    store = t.store
    events = store.events()
    assert any(e.size >= 3 for e in events)  # events that grew across batches
    with store.transaction() as conn:
        stored = store.tallies(conn, [e.id for e in events])
    for ev in events:
        recount = EventTally.of(store.articles(event_id=ev.id))
        assert stored[ev.id] == recount.to_dict(), ev.id
        fresh = recount.summary(ev.id, ev, ev.updated_at)
        assert (ev.size, ev.sources, ev.languages, ev.date_min, ev.date_max, ev.facts) == \
               (fresh.size, fresh.sources, fresh.languages, fresh.date_min, fresh.date_max, fresh.facts)


def test_an_ingest_by_another_process_is_met_by_the_next_batch(tmp_path, seeds_dir):
    """A (say the web page's pipeline) is open while B (a CLI ingest) stores the German report of the call;
    A's next article, the English report of the same call, must find it: A's in-memory indexes catch up."""
    from conftest import seed_files

    from tidings.api import Tidings

    by_name = {p.name[:3]: p for p in seed_files()}
    db = tmp_path / "shared.db"
    with Tidings(db) as a:
        a.ingest([str(by_name["004"])])  # A has built its indexes
        with Tidings(db) as b:
            b.ingest([str(by_name["000"])])
        report = a.ingest([str(by_name["003"])])
        assert len(report.stored) == 1 and not report.stored[0].created
        german = next(x for x in a.store.articles() if x.id.startswith("000"))
        assert a.store.resolve(report.stored[0].event) == a.store.resolve(german.event_id)


def test_two_writers_at_once_take_turns_and_no_batch_fails(tmp_path):
    """B commits a batch while A's batch is under way (A has just read its next ids): B waits for A's commit
    (writers take turns, batch by batch) instead of taking the ids A is about to use, so A's batch does not
    fail and get retried article by article, and every article of both is stored once."""
    import threading

    from tidings.api import Tidings

    rows = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").open(encoding="utf-8")]
    half = len(rows) // 2
    files = []
    for name, part in (("a", rows[:half]), ("b", rows[half:])):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        files.append(str(path))
    db = tmp_path / "shared.db"
    settings = {"embedder": {"workers": 0}, "store": {"batch_size": 64}}
    with Tidings(db, **settings) as a, Tidings(db, **settings) as b:
        a.pipeline, b.pipeline  # noqa: B018  (both open before either writes)
        retried: list[int] = []
        real_forget = a.pipeline._forget_uncommitted
        a.pipeline._forget_uncommitted = lambda: (retried.append(1), real_forget())  # type: ignore[method-assign]
        b_done = threading.Event()
        b_reports: list = []

        def b_ingest() -> None:
            b_reports.append(b.ingest([files[1]]))
            b_done.set()

        real_next_ids = a.store.next_ids
        started: list[threading.Thread] = []

        def next_ids_then_b(*args, **kwargs):
            ids = real_next_ids(*args, **kwargs)
            if not started:  # A's first batch has its ids: B writes now, if the store lets it
                started.append(threading.Thread(target=b_ingest))
                started[0].start()
                b_done.wait(timeout=3)
            return ids

        a.store.next_ids = next_ids_then_b  # type: ignore[method-assign]
        report_a = a.ingest([files[0]])
        started[0].join(timeout=60)
        assert b_done.is_set(), "B never finished"
        assert not retried, "A's batch failed on ids B took and was retried article by article"
        assert len(report_a.stored) == half and not report_a.skipped
        assert len(b_reports[0].stored) == len(rows) - half and not b_reports[0].skipped
        assert a.store.counts()["articles"] == len(rows)


def test_a_copy_of_an_article_another_process_stored_is_found(tmp_path):
    """A has its near-duplicate finder loaded; B stores a report; A then gets the same text from another outlet.
    A finds B's report through the band keys B stored with it, and counts A's as a copy."""
    from tidings.api import Tidings

    lines = (FIXTURES / "multilingual" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line) for line in lines[:2])
    db = tmp_path / "shared.db"
    settings = {"embedder": {"workers": 0}}
    with Tidings(db, **settings) as a:
        a.add(first["text"], id="a-first", language=first["language"], outlet="Outlet A")
        assert a.pipeline._dups is not None  # loaded by that batch
        with Tidings(db, **settings) as b:
            b.add(second["text"], id="b-second", language=second["language"], outlet="Outlet B")
        report = a.add(second["text"], id="a-copy", language=second["language"], outlet="Outlet C")
        (stored,) = report.stored
        assert stored.duplicate_of == "b-second"
        assert a.store.resolve(stored.event) == a.store.resolve(a.store.article("b-second").event_id)
        with a.store.engine.connect() as conn:
            banded = {seq for (seq,) in conn.exec_driver_sql("select distinct seq from copy_bands")}
        assert banded == {x.seq for x in a.store.articles()}


def test_read_ahead_fills_the_caches(tmp_path, tidings_at):
    """What a fresh process reads ahead before its second batch: the store's events of the last weeks, with their
    tallies, and their articles' light rows, vectors and facts."""
    db = tmp_path / "ahead.db"
    tidings_at(db, embedder={"workers": 0}).ingest([str(FIXTURES / "multilingual" / "articles.jsonl")])
    t = tidings_at(db, embedder={"workers": 0})  # another process: caches empty
    pipeline, store = t.pipeline, t.store
    assert not store._event_rows and not store._article_rows
    days = pipeline.detector.window.days + pipeline.index.shard_days
    with store.engine.connect() as conn:
        ids, seqs = store.recent(conn, days, pipeline.WARM_EVENTS, pipeline.WARM_ARTICLES)
    latest = max(e.date_max for e in store.events() if e.date_max)
    assert set(ids) == {e.id for e in store.events() if e.date_max and (latest - e.date_max).days <= days}
    assert len(ids) >= 2 and len(ids) < len(store.events())  # the Olympics' two events, not the whole store
    pipeline.read_ahead()
    assert set(ids) <= set(store._event_rows) and set(ids) <= set(store._tally_rows)
    assert set(seqs) <= set(store._article_rows) and set(seqs) <= set(store._vectors)
    assert all((store.url, store._article_rows[s].id) in pipeline.detector._known for s in seqs)


def test_read_ahead_changes_no_assignment(tmp_path, tidings_at, monkeypatch):
    """Every article lands in the event it lands in without the read-ahead."""
    from tidings.pipeline import Pipeline

    records = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text(
        encoding="utf-8").splitlines()]
    records.sort(key=lambda r: (r["published"], r["id"]))
    first, later = records[:-5], records[-5:]  # later: Olympics reports, within weeks of the stored ones
    outcome = {}
    for read_ahead in (True, False):
        db = tmp_path / f"ahead-{read_ahead}.db"
        for part, name in ((first, "first"), (later, "later")):
            path = tmp_path / f"{name}-{read_ahead}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
        settings = {"store": {"batch_size": 2}, "embedder": {"workers": 0}}
        tidings_at(db, **settings).ingest([str(tmp_path / f"first-{read_ahead}.jsonl")])
        if not read_ahead:
            monkeypatch.setattr(Pipeline, "WARM_ARTICLES", 0)
        t = tidings_at(db, **settings)  # another process: caches empty
        assert len(t.ingest([str(tmp_path / f"later-{read_ahead}.jsonl")]).stored) == len(later)
        outcome[read_ahead] = sorted((a.id, a.event_id) for a in t.store.articles())
        monkeypatch.undo()
    assert outcome[True] == outcome[False]
