"""Syndicated copies found through the store's band keys (``copy_bands``), not an index held in memory: a store of an
earlier tidings gets its keys once, and an article that leaves the store, or a batch that rolls back, leaves no key
behind (a copy of what another process stored: ``test_store_caches``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import fail_to_insert, seed_files

from tidings.api import Tidings
from tidings.duplicates import NearDuplicateFinder

LAVROV = "004_55c22112cef1f973"
CALL_EN = "003_228ee2c8dbe1ae26"


def rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def bands_of(db: Path) -> dict[int, int]:
    """Band keys held per article seq."""
    return dict(rows(db, "select seq, count(*) from copy_bands group by seq"))


def assert_every_article_banded(db: Path) -> None:
    seqs = {seq for (seq,) in rows(db, "select seq from articles where signature is not null")}
    assert bands_of(db) == dict.fromkeys(seqs, NearDuplicateFinder().bands)


def wire_copy(stem: str) -> str:
    """A seed's text as another outlet republishes it: the page's furniture gone, a credit line added."""
    path = next(p for p in seed_files() if p.stem == stem)
    return path.read_text(encoding="utf-8").split("No comments")[0].rstrip() + \
        "\nSource: news agencies. Republished with permission.\n"


def test_signatures_and_bands_are_datasketchs_value_for_value():
    """The finder's MinHash is datasketch's ``MinHash(scheme="affine32")`` of the same shingles (stored signatures
    stay valid), and its bands are those datasketch's MinHashLSH chooses, for any threshold and size."""
    import json

    from datasketch import MinHash
    from datasketch.lsh import _optimal_param

    from tidings.duplicates import _WORD, lsh_bands

    finder = NearDuplicateFinder()
    permutations = MinHash(num_perm=64, scheme="affine32").permutations
    texts = [p.read_text(encoding="utf-8") for p in seed_files()]
    texts += [json.loads(line)["text"] for line in (Path(__file__).parent / "fixtures" / "multilingual" /
                                                    "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += ["", "one word", "Ünïcödé ТЕКСТ 中文字 " * 30]
    for text in texts:
        words = _WORD.findall(text.casefold())
        reference = MinHash(num_perm=64, scheme="affine32", permutations=permutations)
        reference.update_batch([" ".join(words[i:i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))])
        assert np.array_equal(finder.signature(text), reference.hashvalues.astype(np.uint64)), text[:60]
    for threshold in (0.3, 0.5, 0.8, 0.9):
        for num_perm in (16, 64, 128):
            assert lsh_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_the_finder_bands_a_signature_as_datasketch_does_and_keeps_the_first_of_equals():
    finder = NearDuplicateFinder()
    assert (finder.bands, finder.rows) == (14, 4)  # datasketch's choice for Jaccard 0.5 over 64 permutations
    text = wire_copy(LAVROV)
    a, b = finder.signature(text), finder.signature(text + " One more sentence was added by the mirror.")
    assert a.dtype == np.uint64 and len(a) == 64
    keys_a, keys_b = finder.band_keys(a), finder.band_keys(b)
    assert len(set(keys_a)) == 14 and set(keys_a) & set(keys_b)  # a near copy shares bands
    # equal bands give equal keys, band by band: band 0's key depends on its four values alone
    moved = a.copy()
    moved[4:] += 1
    assert finder.band_keys(moved)[0] == keys_a[0] and finder.band_keys(moved)[1] != keys_a[1]
    other = finder.signature(seed_files()[1].read_text(encoding="utf-8"))
    assert finder.best(b, [(1, other), (2, a), (3, a.copy())]) == 2
    assert finder.best(b, [(1, other)]) is None
    assert finder.similarity(a, other[:32]) == 0.0  # signatures of two sizes are not compared


def test_a_store_of_an_earlier_tidings_gets_its_band_keys_once_and_its_copies_are_found(seeds_copy):
    """A store written before the keys were kept (its signatures only): the first ingest makes every article's keys,
    then finds a copy of a stored article; the next opens make nothing again."""
    con = sqlite3.connect(seeds_copy)
    con.execute("drop table copy_bands")
    con.execute("delete from meta where key = 'copy_bands_layout'")
    con.commit()
    con.close()
    messages: list[str] = []
    with Tidings(seeds_copy) as t:
        t.open_pipeline(messages.append)
        (copy,) = t.add(wire_copy(LAVROV), id="mirror-004").stored
        assert copy.duplicate_of == LAVROV
    assert any(m.startswith("indexing near-duplicate signatures") and "5 of 5 articles" in m for m in messages)
    assert_every_article_banded(seeds_copy)
    messages.clear()
    with Tidings(seeds_copy) as t:
        t.open_pipeline(messages.append)
        (copy,) = t.add(wire_copy(CALL_EN), id="mirror-003").stored
        assert copy.duplicate_of == CALL_EN
    assert not any("near-duplicate" in m for m in messages)


def test_a_process_with_other_duplicates_settings_does_not_blind_another(seeds_copy, tidings_at):
    """B, with [duplicates] num_perm = 32, bands the store its way (and signs it again) while A, with the default 64,
    is open: A's next batch sees the store changed, bands it again its way (outside its batch's lock), and finds
    the copy; neither waits on the other's lock."""
    a = tidings_at(seeds_copy)
    a.add("Fishermen in Bergen landed a record herring catch on Monday, the port authority said. The catch was "
          "sold at the morning auction within two hours, and prices fell by a third.", id="herring")
    b = tidings_at(seeds_copy, duplicates={"num_perm": 32})
    b.add("The city council of Riga approved a new tram line to the airport on Tuesday after two years of debate.",
          id="riga-tram")
    assert set(bands_of(seeds_copy).values()) == {NearDuplicateFinder(num_perm=32).bands}
    (copy,) = a.add(wire_copy(LAVROV), id="mirror-004").stored
    assert copy.duplicate_of == LAVROV
    assert_every_article_banded(seeds_copy)


def test_an_article_that_leaves_the_store_takes_its_band_keys_along(seeds_copy):
    with Tidings(seeds_copy) as t:
        seq = t.store.article(LAVROV).seq
        assert bands_of(seeds_copy)[seq] == 14
        t.delete_articles([LAVROV])
        assert seq not in bands_of(seeds_copy)
        (alone,) = t.add(wire_copy(LAVROV), id="mirror-004").stored
        assert alone.duplicate_of is None  # its original is gone: it stands as an original
    assert_every_article_banded(seeds_copy)


def test_a_batch_rolled_back_leaves_no_band_keys(seeds_copy, monkeypatch: pytest.MonkeyPatch):
    """An article that cannot be stored fails its batch, which is stored again article by article: the keys of the
    rolled-back batch go with it, the stored articles' stay, and the failed one's copy is no copy of it."""
    fail_to_insert(monkeypatch, "failing")
    with Tidings(seeds_copy, store={"batch_size": 8}) as t:
        report = t.pipeline.ingest_documents(_documents([("fine", wire_copy(LAVROV)), ("failing", wire_copy(CALL_EN))]))
        assert [s.id for s in report.stored] == ["fine"] and report.stored[0].duplicate_of == LAVROV
        assert any(s.source == "failing" for s in report.skipped)
    assert_every_article_banded(seeds_copy)
    monkeypatch.undo()
    with Tidings(seeds_copy) as t:
        (copy,) = t.add(wire_copy(CALL_EN) + "\nAnd one more line.", id="after").stored
        assert copy.duplicate_of == CALL_EN


def _documents(items: list[tuple[str, str]]) -> list:
    from tidings.articles import RawDocument

    return [RawDocument(id=i, text=text, source=i) for i, text in items]
