"""The time-sharded chunk index and the one-vector-per-event index, on the seeds' real vectors.

Of the seeds, only 003 carries its dates (published 21 Aug 2021, happened 18 Aug); the others give none
the engine may rely on, so they are undated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from tidings.index import NO_DAY, FaissHnswIndex, ProjectedHnswIndex, TimeShardedIndex, projection_basis
from tidings.store import Store


@pytest.fixture(scope="module")
def seed_chunks(seeds_db: Path):
    """(article seq, vector, day of every stored chunk, seq -> article's file number): the chunk index
    keys each chunk by its article."""
    store = Store(seeds_db)
    try:
        seqs, vectors, days = (np.concatenate(parts) for parts in zip(*store.chunks_after(0), strict=True))
        names = {a.seq: a.id[:3] for a in store.articles()}  # "000_<hash of the file>"
    finally:
        store.close()
    return seqs, vectors, days, names


def test_chunks_after_gives_each_articles_chunks_once(seeds_db, seed_chunks):
    seqs, _, _, names = seed_chunks
    store = Store(seeds_db)
    try:
        assert len(seqs) == store.chunk_count()
        later = np.concatenate([part[0] for part in store.chunks_after(int(np.median(seqs)))])
    finally:
        store.close()
    assert set(seqs) == set(names) and (np.diff(seqs) >= 0).all()
    assert sorted(later) == sorted(s for s in seqs if s > int(np.median(seqs)))


def test_chunks_carry_their_articles_dates(seed_chunks):
    _, _, days, owner = seed_chunks
    dated = {owner[int(i)] for i, d in zip(seed_chunks[0], days, strict=True) if d != NO_DAY}
    assert dated == {"003"}
    assert set(days[days != NO_DAY]) == {dt.date(2021, 8, 18).toordinal()}  # happened before published


def _found(index, vectors, days, owner) -> set[str]:
    _, ids = index.search(vectors, 50, days)
    return {owner[int(i)] for i in ids.ravel() if i >= 0}


def test_search_reads_only_the_days_asked_for_and_the_undated(seed_chunks):
    ids, vectors, days, owner = seed_chunks
    index = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    index.add(ids, vectors, days)
    assert len(index) == len(ids)
    query = vectors[[k for k, i in enumerate(ids) if owner[int(i)] == "000"][:1]]
    call = dt.date(2021, 8, 18).toordinal()
    # Around the call: all five (the undated ones may be of any time).
    assert _found(index, query, (call - 10, call + 10), owner) == {"000", "001", "002", "003", "004"}
    # A year later: the August 2021 article is out of reach, the undated ones are not.
    assert _found(index, query, (call + 365, call + 375), owner) == {"000", "001", "002", "004"}
    assert _found(index, query, (call - 30, call - 20), owner) == {"000", "001", "002", "004"}
    # No dates asked for: everything, as one graph would answer.
    assert _found(index, query, None, owner) == {"000", "001", "002", "003", "004"}


def test_sharded_search_ranks_as_one_graph_does(seed_chunks):
    ids, vectors, days, _ = seed_chunks
    sharded, single = TimeShardedIndex(dim=vectors.shape[1], shard_days=1), FaissHnswIndex(dim=vectors.shape[1])
    sharded.add(ids, vectors, days)
    single.add(ids, vectors)
    s_sims, s_ids = sharded.search(vectors, 6)
    o_sims, o_ids = single.search(vectors, 6)
    np.testing.assert_allclose(s_sims, o_sims, atol=1e-5)
    assert (s_ids[:, 0] == ids).all()  # each chunk finds itself first
    assert (s_sims[:, :-1] >= s_sims[:, 1:] - 1e-6).all()  # merged best first


def _saved(seed_chunks, folder: Path, shard_days: int) -> tuple[TimeShardedIndex, Path]:
    """An index of every seed chunk, saved in ``folder``."""
    ids, vectors, days, _ = seed_chunks
    index = TimeShardedIndex(dim=vectors.shape[1], shard_days=shard_days)
    index.add(ids, vectors, days)
    path = folder / "x.chunk-index"
    index.save(path)
    return index, path


def test_saved_shards_load_back_and_other_periods_or_damage_rebuild(seed_chunks, tmp_path):
    ids, vectors, _, owner = seed_chunks
    _, path = _saved(seed_chunks, tmp_path, shard_days=7)
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=7)
    assert again.load(path)
    assert len(again) == len(ids) and again.max_id() == int(ids.max())
    call = dt.date(2021, 8, 18).toordinal()
    assert _found(again, vectors[:2], (call + 365, call + 375), owner) == {"000", "001", "002", "004"}
    assert "003" in _found(again, vectors[:2], (call, call), owner)
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=30).load(path)  # other periods
    graph = next(f for f in path.iterdir() if f.suffix == ".faiss")
    graph.write_bytes(graph.read_bytes()[:1000])
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=7).load(path)  # a damaged graph
    (path / "manifest.json").write_text('{"format": "tidings-time-sh', encoding="utf-8")
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=7).load(path)  # a damaged manifest


def _manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def test_a_save_writes_only_the_graphs_that_changed(seed_chunks, tmp_path):
    """A store grows by days: a save rewrites the graphs of the days that gained articles, not the archive."""
    ids, vectors, _, _ = seed_chunks
    index, path = _saved(seed_chunks, tmp_path, shard_days=14)
    before = _manifest(path)["shards"]
    assert len(before) == 2  # the undated articles and 003's fortnight
    call = dt.date(2021, 8, 18).toordinal()
    index.add(ids[:1] + 100, vectors[:1], np.array([call + 400]))  # a year later: a new graph
    index.add(ids[:1] + 101, vectors[1:2], np.array([call]))       # 003's fortnight again
    index.save(path)
    after = _manifest(path)["shards"]
    undated, august, next_year = str(NO_DAY), str(call // 14), str((call + 400) // 14)
    assert after[undated] == before[undated]  # untouched: the same file
    assert after[august]["file"] != before[august]["file"] and after[august]["count"] == before[august]["count"] + 1
    assert after[next_year]["count"] == 1
    # The replaced file stays until it is old (another process may be reading the manifest that names it).
    assert (path / before[august]["file"]).exists()
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert again.load(path) and len(again) == len(ids) + 2 and again.max_id() == int(ids[0]) + 101


def test_a_kill_in_the_middle_of_a_save_leaves_the_previous_cache(seed_chunks, tmp_path, monkeypatch):
    ids, vectors, _, _ = seed_chunks
    index, path = _saved(seed_chunks, tmp_path, shard_days=14)
    index.add(ids[:1] + 100, vectors[:1], np.array([dt.date(2022, 6, 8).toordinal()]))

    def killed(*_args):
        raise KeyboardInterrupt  # after the graph files, before the manifest

    monkeypatch.setattr("tidings.index.os.replace", killed)
    with pytest.raises(KeyboardInterrupt):
        index.save(path)
    monkeypatch.undo()
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert again.load(path) and len(again) == len(ids) and again.max_id() == int(ids.max())


def test_shard_days_must_be_positive():
    with pytest.raises(ValueError, match="shard_days"):
        TimeShardedIndex(shard_days=0)


def test_event_index_holds_one_vector_per_event_and_is_rebuilt(seeds_copy, tidings_at):
    events_cache = seeds_copy.with_name(seeds_copy.name + ".events.faiss")
    assert events_cache.exists()
    t = tidings_at(seeds_copy)
    assert len(t.pipeline.event_index) == len(t.events()) == 3
    t.close()
    events_cache.unlink()
    t = tidings_at(seeds_copy)
    rebuilt = t.pipeline.event_index  # from the store: the first article of each event
    assert len(rebuilt) == 3
    names = {a.seq: a.id[:3] for a in t.store.articles()}
    _, found = rebuilt.search(np.eye(1, rebuilt.dim, dtype=np.float32), 3)
    assert {names[int(s)] for s in found.ravel() if s >= 0} == {"000", "001", "004"}


def test_period_index_holds_each_events_first_article_per_language_and_is_rebuilt(seeds_copy, tidings_at):
    """Where an undated article looks for its period: the first report of each event in each language. The
    seeds' five reports are each the first of their language in their event; a second German report of the
    Raisi-Putin call (a syndicated copy of 000) adds no vector, as it is stored or when the cache is rebuilt."""
    cache = seeds_copy.with_name(seeds_copy.name + ".periods.faiss")
    assert cache.exists()
    t = tidings_at(seeds_copy)
    assert len(t.pipeline.period_index) == 5
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    report = t.add(text.rsplit("\n", 2)[0] + "\nNachdruck mit freundlicher Genehmigung.", id="000-copy")
    stored = {a.id: a for a in t.store.articles()}
    assert [s.id for s in report.stored] == ["000-copy"]
    assert stored["000-copy"].event_id == next(a.event_id for a in stored.values() if a.id.startswith("000_"))
    assert len(t.pipeline.period_index) == 5
    t.close()
    cache.unlink()
    rebuilt = tidings_at(seeds_copy).pipeline.period_index  # from the store
    assert len(rebuilt) == 5
    seq_of = {a.id: a.seq for a in stored.values()}
    _, found = rebuilt.search(np.eye(1, rebuilt.dim, dtype=np.float32), 6)
    assert {int(s) for s in found.ravel() if s >= 0} == {seq for aid, seq in seq_of.items() if aid != "000-copy"}


@pytest.mark.parametrize(("index", "message"), [
    ({"name": "exact", "shard_days": 7}, "index component 'exact'.*shard_days"),
    ({"shard_days": 0}, "shard_days must be at least 1"),
    ({"name": "no-such-index"}, "unknown index component 'no-such-index'"),
])
def test_bad_index_settings_are_one_clear_error(tmp_path, index, message):
    from tidings.api import Tidings

    with pytest.raises(ValueError, match=message):
        Tidings(tmp_path / "x.db", index=index).pipeline  # noqa: B018  (building it is the test)


def test_the_event_indexes_links_are_set_and_checked(tmp_path):
    """The two indexes of one vector per event take ``[storylines] index_m`` links a node (16 by default: 32 cost 0.7
    ms an article more at 100k stored); fewer than 2 is one clear error."""
    import faiss

    from tidings.api import Tidings

    with Tidings(tmp_path / "m.db", embedder={"workers": 0}) as t:
        for index in (t.pipeline.event_index, t.pipeline.period_index):
            assert faiss.downcast_index(index._graph._index.index).hnsw.nb_neighbors(1) == 16
    with pytest.raises(ValueError, match=r"\[storylines\] index_m must be at least 2, not 1"):
        Tidings(tmp_path / "x.db", storylines={"index_m": 1}).pipeline  # noqa: B018  (building it is the test)


def test_a_cache_with_a_gap_is_rebuilt(seeds_copy, seed_chunks, tidings_at):
    """A cache whose highest id is current but that lacks a chunk below it (two writers saved it in turn)
    would never catch that chunk up: it is rebuilt on opening."""
    ids, vectors, days, _ = seed_chunks
    gap = TimeShardedIndex(dim=vectors.shape[1])
    keep = ids != ids[len(ids) // 2]
    gap.add(ids[keep], vectors[keep], days[keep])
    gap.save(seeds_copy.with_name(seeds_copy.name + ".chunk-index"))
    t = tidings_at(seeds_copy)
    assert len(t.pipeline.index) == len(ids)
    _, found = t.pipeline.index.search(vectors[~keep], 1)
    assert found[0][0] == ids[len(ids) // 2]


def test_a_damaged_event_index_cache_is_rebuilt(seeds_copy, tidings_at):
    cache = seeds_copy.with_name(seeds_copy.name + ".events.faiss")
    cache.write_bytes(cache.read_bytes()[:100])
    t = tidings_at(seeds_copy)
    assert len(t.pipeline.event_index) == 3  # one per event, from the store
    report = t.add("Russian Foreign Minister Sergei Lavrov met Iranian President Ebrahim Raisi in Tehran on "
                   "Tuesday to discuss the nuclear talks in Vienna and trade between Russia and Iran.",
                   id="probe-en", language="en")
    assert len(report.stored) == 1


def test_an_old_chunk_keyed_cache_is_removed_and_rebuilt(seeds_copy, tidings_at):
    legacy = seeds_copy.with_name(seeds_copy.name + ".faiss")  # before caches were keyed by article
    legacy.write_bytes(b"an index of chunk ids")
    t = tidings_at(seeds_copy)
    assert len(t.pipeline.index) == t.store.chunk_count()  # the pipeline opens on first use
    assert not legacy.exists()


@pytest.mark.parametrize("other", ["faiss-hnsw", "exact"])
def test_switching_the_index_setting_replaces_the_cache(seeds_copy, tidings_at, other):
    """One index keeps its cache in a folder, the others in a file, at the same place: each clears the
    other's."""
    cache = seeds_copy.with_name(seeds_copy.name + ".chunk-index")
    assert cache.is_dir()
    for name, kind in ((other, "is_file"), ("faiss-hnsw-by-time", "is_dir")):
        t = tidings_at(seeds_copy, index={"name": name})
        assert len(t.pipeline.index) == t.store.chunk_count()
        t.pipeline._save_index()
        assert getattr(cache, kind)()
        t.close()


def test_cache_saves_back_off_when_saving_is_slow(seeds_copy, tidings_at, monkeypatch):
    """Mid-ingest saves come every [index] save_every_seconds, or 50 times the last save's time if longer:
    as the caches grow, saving them never takes more than 2% of an ingest."""
    t = tidings_at(seeds_copy)
    pipeline = t.pipeline
    clock = [1000.0]
    monkeypatch.setattr("tidings.pipeline.time.monotonic", lambda: clock[0])
    saves: list[float] = []
    real_save = pipeline.index.save

    def slow_save(path):
        real_save(path)
        saves.append(clock[0])
        clock[0] += 2.0  # this save took two seconds

    monkeypatch.setattr(pipeline.index, "save", slow_save)
    pipeline._save_index(force=True)
    assert len(saves) == 1 and pipeline.save_interval() == pytest.approx(100.0)
    clock[0] += 60  # past save_every_seconds (30), not past 50 x 2 s
    pipeline._save_index(force=False)
    assert len(saves) == 1
    clock[0] += 45
    pipeline._save_index(force=False)
    assert len(saves) == 2


def test_a_cache_that_cannot_be_written_loses_nothing(tmp_path, seeds_dir, monkeypatch, caplog):
    """A full disk under the cache: the articles are committed all the same, no batch is retried or reported
    lost, a warning names the cache, and the next open rebuilds it from the store."""
    from conftest import seed_files

    from tidings.api import Tidings

    def disk_full(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(TimeShardedIndex, "save", disk_full)
    db = tmp_path / "full.db"
    with caplog.at_level("WARNING", logger="tidings"), Tidings(db, embedder={"workers": 0}) as t:
        report = t.ingest([str(p) for p in seed_files()])
    assert len(report.stored) == 5 and not report.skipped
    assert "could not write the index cache" in caplog.text and "No space left on device" in caplog.text
    assert not (tmp_path / "full.db.chunk-index").exists()
    monkeypatch.undo()
    with Tidings(db) as t:
        assert len(t.pipeline.index) == t.store.chunk_count()
        assert len(t.events()) == 3


def test_an_undated_article_searches_the_periods_of_its_nearest_events(tmp_path, monkeypatch):
    """An archive of many periods: the German report of the Raisi-Putin call, which gives no date, still joins
    the English report (dated August 2021), while the search reads the undated graph and the periods of the
    events nearest to it as a whole, not every period of the archive."""
    from conftest import FIXTURES, seed_files

    from tidings.api import Tidings

    by_name = {p.name[:3]: p for p in seed_files()}
    others = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").open(encoding="utf-8")]
    archive = tmp_path / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as f:
        for i, r in enumerate(others):  # other happenings, one every 40 days from 2018: some 30 periods
            r["published"] = (dt.date(2018, 1, 1) + dt.timedelta(days=40 * i)).isoformat()
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with Tidings(tmp_path / "a.db", embedder={"workers": 0}) as t:
        t.ingest([str(archive), str(by_name["003"])])
        index = t.pipeline.index
        dated_periods = len([k for k in index._shards if k != NO_DAY])
        assert dated_periods >= 25
        searched: list[list[int]] = []
        real_shards_for = index.shards_for
        monkeypatch.setattr(index, "shards_for", lambda days: searched.append(real_shards_for(days)) or searched[-1])
        report = t.ingest([str(by_name["000"])])
        (stored,) = report.stored
        english = t.store.article(next(a.id for a in t.store.articles() if a.id.startswith("003")))
        assert stored.event == english.event_id  # found in August 2021
        (periods,) = searched
        august = dt.date(2021, 8, 18).toordinal() // index.shard_days
        assert august in periods and len(periods) < dated_periods / 2
        # Of the 8 nearest events, those whose first article is not even loosely like it (mean vectors below
        # cosine 0.2: other happenings) add no periods; August 2021 stays.
        detector, store = t.pipeline.detector, t.store
        seq = store.article(stored.id).seq
        vectors = store.vectors_of([seq])[seq]
        with store.transaction() as conn:
            spans = detector.undated_periods(vectors, t.pipeline.event_index, store, conn)
            detector.undated_min_cosine = -1.0  # every one of the 8, as before the floor
            loose = detector.undated_periods(vectors, t.pipeline.event_index, store, conn)
        assert set(spans) < set(loose)
        assert any(first <= dt.date(2021, 8, 18).toordinal() <= last for first, last in spans)


def test_opening_says_when_it_rebuilds_the_search_index(seeds_copy, tidings_at, monkeypatch):
    """Without its cache the index is rebuilt from the store (12-14 s at 100k articles): the opening says so,
    with counts, instead of "loading the model" all along."""
    import shutil

    import tidings.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "CATCH_UP_REPORT", 1)  # the seeds hold a few dozen chunks
    shutil.rmtree(seeds_copy.with_name(seeds_copy.name + ".chunk-index"))
    said: list[str] = []
    t = tidings_at(seeds_copy)
    t.open_pipeline(status=said.append)
    total = t.store.chunk_count()
    assert said[0] == "loading the model"
    assert said[-2:] == [f"rebuilding the search index from the store: {total:,} of {total:,} chunks",
                         "saving the rebuilt search index"], said
    t.close()
    said.clear()
    reopened = tidings_at(seeds_copy)
    reopened.open_pipeline(status=said.append)  # saved when rebuilt, without an ingest: nothing to rebuild
    assert not any(s.startswith("rebuilding") for s in said), said


# ---- the one-vector-per-event graphs, projected ---------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def news_vectors() -> tuple[np.ndarray, list[str]]:
    """Real encoder vectors of 200 held-out reports in 11 languages (the projection was fitted on other texts: the
    SemEval sample), one per report, and the reports' languages."""
    from tidings.registry import create

    rows = []
    for name in ("events_heldout3", "events_heldout4", "events_heldout5", "events_heldout6"):
        text = (FIXTURES / name / "articles.jsonl").read_text(encoding="utf-8")
        rows += [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = rows[:200]
    vectors = create("embedder", "use-v3").encode([r["text"][:1500] for r in rows])
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), [r.get("language") or "?" for r in rows]


def test_a_projected_graph_finds_the_exact_nearest_with_their_exact_similarities(news_vectors):
    vectors, languages = news_vectors
    assert len(set(languages)) >= 8
    basis = projection_basis("use-v3")
    assert basis is not None and basis.shape == (512, 256)
    ids = np.arange(1000, 1000 + len(vectors), dtype=np.int64)
    projected = ProjectedHnswIndex(dim=512, dims=128, projection=basis)
    projected.add(ids, vectors)
    sims, found = projected.search(vectors, 9)
    exact = vectors @ vectors.T
    truth = ids[np.argsort(-exact, axis=1)[:, :9]]
    recall = np.mean([len(set(t) & set(f)) / 9 for t, f in zip(truth, found, strict=True)])
    assert recall >= 0.97, recall
    # what it returns is ranked by the whole vectors: the cosines are the exact ones (within the codes' steps)
    np.testing.assert_allclose(sims, np.take_along_axis(exact, found - 1000, axis=1), atol=1e-3)
    assert (np.diff(sims, axis=1) <= 1e-6).all()
    # the graph itself holds 128 numbers a vector, and ranked by them alone it misses more of the nearest
    rough = ProjectedHnswIndex(dim=512, dims=128, projection=basis, refine=1)
    rough.add(ids, vectors)
    _, found_rough = rough.search(vectors, 9)
    assert rough._graph.dim == 128
    assert np.mean([len(set(t) & set(f)) / 9 for t, f in zip(truth, found_rough, strict=True)]) < recall


def test_a_projected_graph_saves_loads_and_hides_removed_ids(news_vectors, tmp_path):
    vectors, _ = news_vectors
    basis = projection_basis("use-v3")
    ids = np.arange(1, len(vectors) + 1, dtype=np.int64)
    index = ProjectedHnswIndex(dim=512, dims=128, projection=basis)
    index.add(ids[:150], vectors[:150])
    index.add(ids[150:], vectors[150:])  # grown in two steps, as an ingest does
    sims, found = index.search(vectors[:20], 5)
    assert (found[:, 0] == ids[:20]).all()
    path = tmp_path / "x.events.faiss"
    index.save(path)
    again = ProjectedHnswIndex(dim=512, dims=128, projection=basis)
    assert again.load(path) and len(again) == len(vectors) and again.max_id() == len(vectors)
    sims2, found2 = again.search(vectors[:20], 5)
    assert (found2 == found).all()
    np.testing.assert_allclose(sims2, sims, atol=1e-6)
    assert again.remove([1, 2]) == 2 and again.hidden == 2 and len(again) == len(vectors) - 2
    _, found3 = again.search(vectors[:2], 5)
    assert not {1, 2} & set(found3.ravel().tolist())
    assert set(again.ids().tolist()) == set(ids.tolist()) - {1, 2}
    # a cache projected otherwise, or written by the whole-vector graph before, is not taken: rebuilt from the store
    assert not ProjectedHnswIndex(dim=512, dims=64, projection=basis).load(path)
    assert not ProjectedHnswIndex(dim=512, projection=None).load(path)
    plain = FaissHnswIndex(dim=512)
    plain.add(ids, vectors)
    plain.save(tmp_path / "old.faiss")
    assert not ProjectedHnswIndex(dim=512, dims=128, projection=basis).load(tmp_path / "old.faiss")


def test_without_a_projection_the_graph_holds_whole_vectors(news_vectors):
    vectors, _ = news_vectors
    ids = np.arange(1, len(vectors) + 1, dtype=np.int64)
    index = ProjectedHnswIndex(dim=512, projection=None)
    index.add(ids, vectors)
    sims, found = index.search(vectors[:10], 3)
    assert index._graph.dim == 512 and (found[:, 0] == ids[:10]).all()
    np.testing.assert_allclose(sims[:, 0], 1.0, atol=2e-3)


def test_the_event_graphs_projection_follows_the_settings(tmp_path):
    from tidings.api import Tidings

    with Tidings(tmp_path / "p.db", embedder={"workers": 0}) as t:  # use-v3: its shipped projection
        assert all(ix._graph.dim == 128 for ix in (t.pipeline.event_index, t.pipeline.period_index))
    with Tidings(tmp_path / "n.db", embedder={"workers": 0}, storylines={"projection": "none"}) as t:
        assert t.pipeline.event_index._graph.dim == 512
    with Tidings(tmp_path / "h.db", embedder={"name": "hashing"}) as t:  # an encoder tidings has none for
        assert t.pipeline.event_index._graph.dim == t.pipeline.embedder.dim
    with pytest.raises(ValueError, match=r"\[storylines\] projection: tidings has none named 'labse'"):
        Tidings(tmp_path / "x.db", storylines={"projection": "labse"}).pipeline  # noqa: B018  (building it is the test)


def test_an_event_index_cache_of_whole_vectors_is_built_again_projected(seeds_copy, tidings_at):
    """A store whose caches an older tidings wrote (bare faiss files of whole vectors) opens with projected graphs
    holding the same events' first reports."""
    t = tidings_at(seeds_copy)
    founders = sorted(t.pipeline.event_index.ids().tolist())
    periods = sorted(t.pipeline.period_index.ids().tolist())
    t.close()
    for suffix, held in ((".events.faiss", founders), (".periods.faiss", periods)):
        plain = FaissHnswIndex(dim=512)
        plain.add(np.array(held, np.int64), np.eye(512, dtype=np.float32)[:len(held)])
        plain.save(seeds_copy.with_name(seeds_copy.name + suffix))
    t = tidings_at(seeds_copy)
    assert sorted(t.pipeline.event_index.ids().tolist()) == founders
    assert sorted(t.pipeline.period_index.ids().tolist()) == periods
    assert t.pipeline.event_index._graph.dim == 128
    # written at once, so a store no ingest writes to (the web page's) does not build them at every opening
    basis = projection_basis("use-v3")
    for suffix, held in ((".events.faiss", founders), (".periods.faiss", periods)):
        cache = ProjectedHnswIndex(dim=512, dims=128, projection=basis)
        assert cache.load(seeds_copy.with_name(seeds_copy.name + suffix))
        assert sorted(cache.ids().tolist()) == held


def _saved_by_month(seed_chunks, folder: Path) -> tuple[TimeShardedIndex, Path, np.ndarray, np.ndarray, np.ndarray]:
    """(index, its saved folder, ids, vectors, days) of the seeds' chunks, each article dated a month after the one
    before (five graphs of 14 days)."""
    ids, vectors, _, _ = seed_chunks
    first = dt.date(2021, 8, 18).toordinal()
    order = {seq: k for k, seq in enumerate(sorted(set(ids.tolist())))}
    days = np.array([first + 30 * order[int(i)] for i in ids], np.int64)
    built = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    built.add(ids, vectors, days)
    path = folder / "x.chunk-index"
    built.save(path)
    return built, path, ids, vectors, days


def test_a_loaded_index_reads_a_graph_when_a_search_first_needs_it(seed_chunks, tmp_path):
    """A store of years holds gigabytes of graphs: a process reads those of the days it works on."""
    built, path, ids, vectors, days = _saved_by_month(seed_chunks, tmp_path)
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert again.load(path)
    assert again.unread == len(again) == len(ids) and again.max_id() == int(ids.max())
    last = ids == ids.max()
    day = int(days[last][0])
    sims, found = again.search(vectors[last], 3, (day - 2, day + 2))
    assert again.unread == int((~last).sum())  # that month's graph alone was read
    np.testing.assert_array_equal(found, built.search(vectors[last], 3, (day - 2, day + 2))[1])
    assert (found[:, 0] == ids[last]).all()
    np.testing.assert_allclose(again.search(vectors, 4)[0], built.search(vectors, 4)[0], atol=1e-6)
    assert again.unread == 0 and len(again) == len(ids)


def test_a_graph_another_process_saved_over_is_still_read_as_this_process_loaded_it(seed_chunks, tmp_path,
                                                                                     monkeypatch):
    """Process B adds to a month and saves, deleting (once old) the file A's manifest named: A, which had not read that
    month, reads its own version still (the one it caught up from), and its save writes that graph again; removals
    A made meanwhile hold when it reads the graph."""
    import os

    import tidings.index

    built, path, ids, vectors, days = _saved_by_month(seed_chunks, tmp_path)
    a, b = (TimeShardedIndex(dim=vectors.shape[1], shard_days=14) for _ in range(2))
    assert a.load(path) and b.load(path)
    first = ids == ids.min()
    day = int(days[first][0])
    b.add(np.array([ids.max() + 1]), vectors[first][:1], np.array([day]))
    for f in path.iterdir():  # every file older than another process's save may still want
        os.utime(f, (1, 1))
    monkeypatch.setattr(tidings.index, "STALE_FILE_SECONDS", 0)
    b.save(path)
    named = {e["file"] for e in _manifest(path)["shards"].values()}
    assert len([f for f in path.iterdir() if f.suffix == ".faiss"]) == len(named)  # A's file of that month is gone
    other = int(ids[ids != ids.min()].min())
    a.remove([other], days=[int(days[ids == other][0])])  # in a graph A has not read
    a.add(np.array([ids.max() + 2]), vectors[first][:1], np.array([day + 400]))
    a.save(path)  # the month whose file went is written from the file A holds
    c = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert c.load(path) and len(c) == len(ids) + 1 and c.max_id() == int(ids.max()) + 2
    _, found = c.search(vectors[first], 10, (day - 2, day + 2))
    assert set(found.ravel().tolist()) - {-1} == {int(ids.min())}  # A's version: without B's vector
    _, found = a.search(vectors[first], 10, (day - 2, day + 2))
    assert set(found.ravel().tolist()) - {-1} == {int(ids.min())}
    _, found = a.search(vectors[ids == other], 10)
    assert other not in found.ravel().tolist()


def test_an_earlier_manifest_and_too_few_open_files_read_graphs_at_load(seed_chunks, tmp_path, monkeypatch):
    import tidings.index

    built, path, ids, vectors, days = _saved_by_month(seed_chunks, tmp_path)
    monkeypatch.setattr(tidings.index, "_open_file_budget", lambda: 2)
    few = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert few.load(path)
    assert sorted(few._unread) == sorted(few._keys())[:2]  # the two oldest graphs left unread
    monkeypatch.undo()
    manifest = _manifest(path)
    for entry in manifest["shards"].values():
        del entry["bytes"]  # as tidings wrote it before session 45
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    earlier = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert earlier.load(path) and earlier.unread == 0 and len(earlier) == len(ids)
    graph = path / next(iter(manifest["shards"].values()))["file"]
    graph.write_bytes(graph.read_bytes()[:-8])
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=14).load(path)  # damaged: built again


def test_a_graph_read_with_most_of_it_hidden_is_built_again_without(seed_chunks, tmp_path):
    built, path, ids, vectors, days = _saved_by_month(seed_chunks, tmp_path)
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert again.load(path)
    gone = int(ids.max())
    again.hide_missing(lambda held: [s for s in held if s == gone])  # the store no longer holds the last article
    again.search(vectors[:1], 3)
    assert again.hidden == 0 and len(again) == int((ids != gone).sum())  # its graph held nothing else
    again.save(path)
    reloaded = TimeShardedIndex(dim=vectors.shape[1], shard_days=14)
    assert reloaded.load(path) and len(reloaded) == int((ids != gone).sum())


def test_indexes_loaded_one_after_another_leave_open_files_to_the_process(seed_chunks, tmp_path):
    """Loads hold graph files open only below half the process's limit on open files: under a low limit (a desktop's
    1,024, here 64) the later loads read their graphs at once instead of running the process out of files."""
    import subprocess
    import sys

    built, path, ids, vectors, days = _saved_by_month(seed_chunks, tmp_path)
    code = f"""
import resource, sys
import numpy as np
from pathlib import Path
from tidings.index import TimeShardedIndex
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
loaded = []
for _ in range(40):
    index = TimeShardedIndex(dim={vectors.shape[1]}, shard_days=14)
    assert index.load(Path({str(path)!r}))
    loaded.append(index)
print(" ".join(str(len(i._unread)) for i in loaded))
extra = [open(sys.executable, "rb") for _ in range(24)]  # the upper half is left to the process
query = np.load(Path({str(tmp_path / "q.npy")!r}))
print(" ".join(str(int(i.search(query, 1)[1][0][0])) for i in loaded))
"""
    np.save(tmp_path / "q.npy", vectors[:1])
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    unread, found = (line.split() for line in run.stdout.splitlines())
    held = [int(n) for n in unread]
    assert held[0] > 0 and held[-1] == 0 and held == sorted(held, reverse=True)
    assert set(found) == {str(int(ids[0]))}
