"""A batch whose transaction fails is rolled back whole and retried article by article: the failing
article is reported, the others are stored as if nothing happened, and nothing kept in memory (index,
vector cache, the detector's facts) points at rows that were never committed."""

from __future__ import annotations

import numpy as np
from conftest import fail_to_insert, gold_groups, seed_files

from tidings.api import Tidings
from tidings.store import Store


def _groups(t: Tidings) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in t.store.articles():
        groups.setdefault(a.event_id, set()).add(a.id)
    return {frozenset(g) for g in groups.values()}


def test_failed_article_rolls_back_its_batch_and_the_rest_is_stored(tmp_path, monkeypatch, seeds_dir, gold):
    failing = "002_177dc29227984ed5"
    real_insert = fail_to_insert(monkeypatch, failing)
    with Tidings(tmp_path / "rollback.db") as t:
        report = t.ingest([str(p) for p in seed_files()])  # one batch of five: 002 fails in its middle
        assert sorted(s.id for s in report.stored) == sorted(p.stem for p in seed_files() if p.stem != failing)
        (skip,) = report.skipped
        assert failing in skip.source and "not stored (RuntimeError: disk said no)" in skip.reason
        expected = {frozenset(g - {failing}) for g in gold_groups(gold)}
        assert _groups(t) == expected
        counts = t.store.counts()
        assert counts["articles"] == 4
        # The index holds the chunks of the stored articles (keyed by article seq), and nothing of the failed one.
        index, seqs = t.pipeline.index, [a.seq for a in t.store.articles()]
        assert len(index) == t.store.chunk_count()
        _, found = index.search(np.concatenate(list(t.store.vectors_of(seqs).values())), len(index))
        assert {int(i) for i in found.ravel() if i >= 0} == set(seqs)

    monkeypatch.setattr(Store, "insert_article", real_insert)
    with Tidings(tmp_path / "rollback.db") as t:
        again = t.ingest([str(p) for p in seed_files()])
        assert [s.id for s in again.stored] == [failing]
        assert _groups(t) == gold_groups(gold)



def test_a_rolled_back_batch_read_again_ticks_the_stream_s_clock_once(tmp_path, monkeypatch):
    """The detector's clock (the days of the last dated arrivals) ticks as each article is assigned. A batch rolled
    back and read again article by article ticked twice for each article until session 25, and the failed article's
    day stayed in the clock: it now holds what a clean run over the stored articles holds."""
    import json

    from conftest import FIXTURES

    records = [json.loads(line) for line in (FIXTURES / "events_heldout44" / "articles.jsonl")
               .read_text(encoding="utf-8").splitlines()[:6]]
    assert all(r["published"] for r in records)
    failing = records[2]["id"]
    inbox, clean_inbox = tmp_path / "all.jsonl", tmp_path / "others.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    clean_inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records if r["id"] != failing),
                           encoding="utf-8")
    with Tidings(tmp_path / "clean.db") as t:
        t.ingest([str(clean_inbox)])
        clean = t.pipeline.detector.clock_state()
    assert len(clean[1]) >= 4  # the stored articles ticked once each (a copy is assigned with its original)

    fail_to_insert(monkeypatch, failing)
    with Tidings(tmp_path / "rollback.db") as t:
        report = t.ingest([str(inbox)])
        assert len(report.stored) == 5
        assert t.pipeline.detector.clock_state() == clean
