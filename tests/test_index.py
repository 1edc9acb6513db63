"""The time-sharded chunk index and the one-vector-per-event index, on the seeds' real vectors.

Of the seeds, only 003 carries its dates (published 21 Aug 2021, happened 18 Aug); the others give none
the engine may rely on, so they are undated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from tidings.index import NO_DAY, FaissHnswIndex, TimeShardedIndex
from tidings.store import Store


@pytest.fixture(scope="module")
def seed_chunks(seeds_db: Path):
    """(ids, vectors, days, owner article id per chunk id) of every stored chunk."""
    store = Store(seeds_db)
    try:
        ids, vectors, days = (np.concatenate(parts) for parts in zip(*store.chunks_after(0), strict=True))
        owners = store.chunk_owners(ids.tolist())
        names = {a.seq: a.id[:3] for a in store.articles()}  # "000_<hash of the file>"
    finally:
        store.close()
    return ids, vectors, days, {int(i): names[owners[int(i)]] for i in ids}


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


def test_saved_shards_load_back_and_other_periods_or_damage_rebuild(seed_chunks, tmp_path):
    ids, vectors, days, owner = seed_chunks
    index = TimeShardedIndex(dim=vectors.shape[1], shard_days=7)
    index.add(ids, vectors, days)
    path = tmp_path / "x.faiss"
    index.save(path)
    again = TimeShardedIndex(dim=vectors.shape[1], shard_days=7)
    assert again.load(path)
    assert len(again) == len(ids) and again.max_id() == int(ids.max())
    call = dt.date(2021, 8, 18).toordinal()
    assert _found(again, vectors[:2], (call + 365, call + 375), owner) == {"000", "001", "002", "004"}
    assert "003" in _found(again, vectors[:2], (call, call), owner)
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=30).load(path)  # other periods
    path.write_bytes(path.read_bytes()[:1000])
    assert not TimeShardedIndex(dim=vectors.shape[1], shard_days=7).load(path)  # damaged


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


@pytest.mark.parametrize(("index", "message"), [
    ({"name": "exact", "shard_days": 7}, "index component 'exact'.*shard_days"),
    ({"shard_days": 0}, "shard_days must be at least 1"),
    ({"name": "no-such-index"}, "unknown index component 'no-such-index'"),
])
def test_bad_index_settings_are_one_clear_error(tmp_path, index, message):
    from tidings.api import Tidings

    with pytest.raises(ValueError, match=message):
        Tidings(tmp_path / "x.db", index=index).pipeline  # noqa: B018  (building it is the test)


def test_a_cache_with_a_gap_is_rebuilt(seeds_copy, seed_chunks, tidings_at):
    """A cache whose highest id is current but that lacks a chunk below it (two writers saved it in turn)
    would never catch that chunk up: it is rebuilt on opening."""
    ids, vectors, days, _ = seed_chunks
    gap = TimeShardedIndex(dim=vectors.shape[1])
    keep = ids != ids[len(ids) // 2]
    gap.add(ids[keep], vectors[keep], days[keep])
    gap.save(seeds_copy.with_name(seeds_copy.name + ".faiss"))
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
