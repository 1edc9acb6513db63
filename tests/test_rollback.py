"""A batch whose transaction fails is rolled back whole and retried article by article: the failing
article is reported, the others are stored as if nothing happened, and nothing kept in memory (index,
vector cache, the detector's facts) points at rows that were never committed."""

from __future__ import annotations

import numpy as np
from conftest import gold_groups, seed_files

from tidings.api import Tidings
from tidings.store import Store


def _groups(t: Tidings) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in t.store.articles():
        groups.setdefault(a.event_id, set()).add(a.id)
    return {frozenset(g) for g in groups.values()}


def test_failed_article_rolls_back_its_batch_and_the_rest_is_stored(tmp_path, monkeypatch, seeds_dir, gold):
    failing = "002_177dc29227984ed5"
    real_insert = Store.insert_article

    def insert_or_fail(self, conn, values, chunk_rows):
        if values["id"] == failing:
            raise RuntimeError("disk said no")
        return real_insert(self, conn, values, chunk_rows)

    monkeypatch.setattr(Store, "insert_article", insert_or_fail)
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
