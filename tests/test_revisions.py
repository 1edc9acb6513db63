"""A newer version of a stored article (same id, same source, another text) replaces the stored one.

Feeds correct and extend their entries under the same id, a saved page is saved again, a CMS posts an update: the
store keeps the latest version, embedded and assigned again, and the event it left is counted again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS, TIDINGS_CLI, fail_to_insert, gold_groups, seed_files

from tidings.api import Tidings
from tidings.duplicates import NearDuplicateFinder
from tidings.index import ExactIndex, FaissHnswIndex, TimeShardedIndex
from tidings.pipeline import Pipeline

CALL = "003_228ee2c8dbe1ae26"       # English report of the 18 Aug 2021 call (with 000 de and 002 ar)
LAVROV = "004_55c22112cef1f973"     # Lavrov in Tehran: an event of its own
GERMAN_CALL = "000_2e75e3fd11f96b7f"  # the German report that founded the 18 Aug 2021 event
UPDATE = ("\n\nUpdate: The Kremlin said later on Wednesday that both presidents agreed to speak again soon about the "
          "talks in Vienna on Iran's nuclear programme.\n")
# Another happening altogether, as a live page or a reused URL may come to hold
OTHER = ("Flooding in Valencia: Heavy rain hit the Spanish city of Valencia on Tuesday, 29 October 2024, flooding "
         "streets and underpasses. Emergency services rescued dozens of drivers from their cars, and the regional "
         "government closed schools for two days. The national weather agency AEMET had issued its highest warning "
         "for the coast. Trains between Valencia and Madrid were suspended after a landslide blocked the line.")


@pytest.fixture()
def seeds_here(seeds_dir: Path, tmp_path: Path) -> Path:
    """The seeds copied to a folder of the test's own, so that a test can edit a file and read it again."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in seed_files():
        shutil.copy(path, folder / path.name)
    return folder


def _revisions(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT article_id, seq, event_id FROM revisions").fetchall()


def test_a_corrected_file_replaces_its_stored_version(seeds_here: Path, tmp_path: Path, gold: dict):
    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        before = t.store.counts()
        old = t.store.article(CALL)
        event_of_call = old.event_id
        original = path.read_text(encoding="utf-8")
        path.write_text(original.rstrip() + UPDATE, encoding="utf-8")

        report = t.ingest([str(path)])
        (stored,) = report.stored
        assert stored.replaced and report.summary()["replaced"] == 1 and not report.skipped
        assert t.store.counts() == before  # the same article, the same events
        now = t.store.article(CALL)
        assert "agreed to speak again soon" in now.text and now.seq > old.seq
        # still with the German and Arabic reports of the same call, and counted once
        assert now.event_id == event_of_call
        event = t.event(event_of_call)
        assert sorted(a["id"] for a in event["articles"]) == sorted(
            ["000_2e75e3fd11f96b7f", "002_177dc29227984ed5", CALL])
        assert event["size"] == 3
        assert _revisions(db) == [(CALL, old.seq, event_of_call)]
        shown = subprocess.run([*TIDINGS_CLI, "show", CALL, "--db", str(db)], capture_output=True, text=True,
                               timeout=300)
        assert shown.returncode == 0 and "(updated)" in shown.stdout

        # read again: nothing to do; the first version read again (an old copy of the file): not stored again
        assert t.ingest([str(path)]).skipped[0].reason == "already stored"
        path.write_text(original, encoding="utf-8")
        (skip,) = t.ingest([str(path)]).skipped
        assert "an earlier version of a stored article" in skip.reason
        assert "agreed to speak again soon" in t.store.article(CALL).text

    # the whole store still matches the truth
    with Tidings(db) as t:
        groups: dict[str, set[str]] = {}
        for row in t.export_articles():
            groups.setdefault(row["event"], set()).add(row["id"])
    assert {frozenset(g) for g in groups.values()} == gold_groups(gold)


def test_an_update_about_another_happening_keeps_its_lone_events_id(seeds_here: Path, tmp_path: Path):
    """Lavrov's report, alone in its event, now tells of a flood: the event it founds keeps the id (a link to it
    stays good), holds the flood, and leaves the Iran-Russia storyline; the storyline keeps its other events."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{LAVROV}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        old = t.event(t.store.article(LAVROV).event_id)
        path.write_text(OTHER, encoding="utf-8")
        report = t.ingest([str(path)])
        (stored,) = report.stored
        assert stored.replaced and stored.event == old["id"]
        event = t.event(old["id"])
        assert [a["id"] for a in event["articles"]] == [LAVROV] and event["size"] == 1
        assert "Spain" in {w["name"] for w in event["where"]}
        assert "Lavrov" not in {w["name"] for w in event["who"]}
        assert event["storyline"] != old["storyline"]
        others = [e for e in t.events() if e["id"] != old["id"]]
        assert len(others) == 2 and {e["storyline"] for e in others} == {old["storyline"]}
        assert t.store.counts()["articles"] == 5


def test_replacing_an_events_first_report_counts_the_event_again(seeds_here: Path, tmp_path: Path):
    """The German report that founded the call's event becomes a flood report: the event keeps the Arabic and
    English reports, counted again (no German left), and is still found from their side by a new report."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{GERMAN_CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        call_event = t.store.article(GERMAN_CALL).event_id
        path.write_text(OTHER, encoding="utf-8")
        t.ingest([str(path)])
        assert t.store.article(GERMAN_CALL).event_id != call_event
        event = t.event(call_event)
        assert sorted(a["id"] for a in event["articles"]) == ["002_177dc29227984ed5", CALL]
        assert event["size"] == 2 and "de" not in event["languages"]
        pipeline = t.pipeline
        founders = set(pipeline.event_index.ids().tolist())
        assert t.store.article("002_177dc29227984ed5").seq in founders  # the first report left founds it now
        assert t.store.article(GERMAN_CALL).seq in founders  # and the new text founded an event of its own
        gone = [seq for _id, seq, _ev in _revisions(db)]
        assert not set(gone) & founders and not set(gone) & set(pipeline.index.ids().tolist())


def test_a_reopened_store_keeps_replaced_vectors_out_of_searches(seeds_here: Path, tmp_path: Path, monkeypatch):
    """The index caches saved before the replacement hold the old version's vectors: a new process leaves them out
    of every search without building the index again."""
    import tidings.pipeline

    monkeypatch.setattr(tidings.pipeline, "STALE_SHARE", 0.9)  # 003's chunks are a fifth of the seeds'
    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        old_seq = t.store.article(CALL).seq
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        t.ingest([str(path)])
        vectors = t.store.vectors_of([t.store.article(CALL).seq])
    with Tidings(db) as t:
        pipeline = t.pipeline
        # its graphs are read when a search first needs them, and leave the old version out then
        assert not pipeline._rebuilt and pipeline.index.unread > 0 and pipeline.index.hidden == 0
        (query,) = vectors.values()
        _, found = pipeline.index.search(query, 20)
        assert old_seq not in set(found.ravel().tolist())
        assert pipeline.index.unread == 0 and pipeline.index.hidden > 0
        assert old_seq not in set(pipeline.index.ids().tolist())
        assert len(pipeline.index) == t.store.chunk_count()


def test_an_index_mostly_of_replaced_vectors_is_built_again_on_opening(seeds_here: Path, tmp_path: Path,
                                                                       monkeypatch):
    """Hidden vectors still take a search's steps: past ``STALE_SHARE`` of a graph, the graph is built again without
    them when it is first read, and saved with the next save."""
    import tidings.pipeline

    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    monkeypatch.setattr(tidings.pipeline, "STALE_SHARE", 0.9)  # 003's chunks are a fifth of the seeds'
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        t.ingest([str(path)])
        assert t.pipeline.index.hidden > 0
    monkeypatch.setattr(tidings.pipeline, "STALE_SHARE", 0.01)
    with Tidings(db) as t:
        pipeline = t.pipeline
        assert pipeline.index.unread > len(pipeline.index) - pipeline.index.unread  # nothing read at opening
        pipeline.index.ids()  # every graph read
        assert pipeline.index.hidden == 0 and len(pipeline.index) == t.store.chunk_count()
        t.add(OTHER, id="valencia")  # an ingest, which saves the caches
    monkeypatch.setattr(tidings.pipeline, "STALE_SHARE", 0.9)
    with Tidings(db) as t:  # the graph built again was saved: nothing to hide any more
        t.pipeline.index.ids()
        assert t.pipeline.index.hidden == 0 and len(t.pipeline.index) == t.store.chunk_count()
        # and an ingest that hides that many (a follower's rounds, without reopening) builds it again at its end
        monkeypatch.setattr(tidings.pipeline, "STALE_SHARE", 0.01)
        path.write_text(path.read_text(encoding="utf-8") + "A second update.\n", encoding="utf-8")
        assert t.ingest([str(path)]).stored[0].replaced
        assert t.pipeline.index.hidden == 0 and len(t.pipeline.index) == t.store.chunk_count()


def test_another_process_that_replaced_an_article_is_caught_up_with(seeds_here: Path, tmp_path: Path):
    """A web process's pipeline and a CLI ingest on one store: the web process's next batch hides the old version's
    vectors and takes the new version's signature (a copy of the new text is its copy, not a new report)."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db) as cli, Tidings(db) as web:
        cli.ingest([str(seeds_here)])
        web.open_pipeline()
        old_seq = cli.store.article(CALL).seq
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        assert cli.ingest([str(path)]).stored[0].replaced
        new_text = cli.store.article(CALL).text
        (copy,) = web.add(new_text + "\nRepublished with permission.", id="mirror", outlet="Mirror").stored
        assert copy.duplicate_of == CALL and copy.event == cli.store.article(CALL).event_id
        assert old_seq not in set(web.pipeline.index.ids().tolist())


def test_same_id_from_another_source_is_not_a_newer_version(seeds_copy: Path):
    """Two data sets that number their articles alike must not replace each other's: the stored one stays."""
    with Tidings(seeds_copy) as t:
        report = t.add(OTHER, id=LAVROV)
        (skip,) = report.skipped
        assert "id already used by a different text, from another source" in skip.reason
        assert "Lavrov" in t.store.article(LAVROV).text


def test_updates_keep_leaves_the_first_version(seeds_here: Path, tmp_path: Path):
    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db, store={"updates": "keep"}) as t:
        t.ingest([str(seeds_here)])
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        (skip,) = t.ingest([str(path)]).skipped
        assert 'the first version is kept: [store] updates = "keep"' in skip.reason
        assert "agreed to speak again soon" not in t.store.article(CALL).text
    with Tidings(db, store={"updates": "newest"}) as t, pytest.raises(ValueError, match=r"\[store\] updates must"):
        t.open_pipeline()


def test_a_version_published_before_the_stored_one_is_not_stored(tmp_path: Path):
    """A feed read out of order, or an old dump read after a newer one, does not undo an update."""
    text = (SEEDS / f"{CALL}.txt").read_text(encoding="utf-8")
    lines = tmp_path / "feed.jsonl"
    newer = {"id": "wire-1", "url": "https://example.org/a/1", "text": text + UPDATE, "published": "2021-08-19"}
    older = {"id": "wire-1", "url": "https://example.org/a/1/", "text": text, "published": "2021-08-18"}
    with Tidings(tmp_path / "store.db") as t:
        lines.write_text(json.dumps(newer) + "\n", encoding="utf-8")
        t.ingest([str(lines)])
        lines.write_text(json.dumps(older) + "\n", encoding="utf-8")
        (skip,) = t.ingest([str(lines)]).skipped
        assert "an older version of a stored article (published 2021-08-18, the stored one 2021-08-19)" in skip.reason
        # the same entry, a later correction, at another line of the same dump
        lines.write_text(json.dumps({"id": "x", "text": OTHER}) + "\n" + json.dumps(
            newer | {"text": text + UPDATE + "Correction: the talks are in Vienna, not Geneva."}) + "\n",
            encoding="utf-8")
        report = t.ingest([str(lines)])
        assert [s.id for s in report.stored if s.replaced] == ["wire-1"]
        assert "Correction" in t.store.article("wire-1").text


def test_a_dump_holding_an_entrys_history_keeps_its_latest_version(tmp_path: Path):
    """Two versions of one entry in one input, the later further down: the later replaces the earlier, as in two
    runs; the same id from another file of the same input does not."""
    text = (SEEDS / f"{CALL}.txt").read_text(encoding="utf-8")
    dump, other = tmp_path / "history.jsonl", tmp_path / "other.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in [
        {"id": "wire-1", "text": text, "published": "2021-08-18"},
        {"id": "wire-2", "text": OTHER, "published": "2024-10-29"},
        {"id": "wire-1", "text": text + UPDATE, "published": "2021-08-18"},
    ]) + "\n", encoding="utf-8")
    other.write_text(json.dumps({"id": "wire-2", "text": OTHER + " More rain is expected."}) + "\n", encoding="utf-8")
    with Tidings(tmp_path / "store.db") as t:
        report = t.ingest([str(dump), str(other)])
        assert [s.id for s in report.stored] == ["wire-1", "wire-2", "wire-1"]
        assert report.stored[2].replaced and report.stored[2].event == report.stored[0].event  # id kept
        (skip,) = report.skipped
        assert skip.source.startswith(str(other)) and "id used earlier in this input" in skip.reason
        assert t.store.counts()["articles"] == 2
        assert "agreed to speak again soon" in t.store.article("wire-1").text


def test_a_failed_batch_keeps_the_stored_version(seeds_here: Path, tmp_path: Path, monkeypatch):
    """The old version goes in the same transaction as the new one comes: a failure keeps the old one whole."""
    from tidings.store import Store

    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        before = t.store.article(CALL)
        event = t.event(before.event_id)
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        real = fail_to_insert(monkeypatch, CALL)
        (skip,) = t.ingest([str(path)]).skipped
        assert skip.reason.startswith("not stored") and "disk said no" in skip.reason
        after = t.store.article(CALL)
        assert after.seq == before.seq and after.text == before.text
        assert t.event(before.event_id)["size"] == event["size"] and not _revisions(db)
        monkeypatch.setattr(Store, "insert_article", real)
        assert t.ingest([str(path)]).stored[0].replaced


@pytest.mark.parametrize("kind", [FaissHnswIndex, TimeShardedIndex, ExactIndex])
def test_removed_ids_leave_every_search(kind):
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((60, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(60) // 3  # three chunks an article
    days = np.where(ids < 10, 738_000, 738_100)
    index = kind()
    index.add(ids, vectors, days)
    assert index.search(vectors[:1], 5)[1][0][0] == 0
    assert index.remove([0, 12], days=[738_000, 738_100]) == 6
    assert len(index) == 54 and index.max_id() == 19
    _, found = index.search(vectors[:3], 10)
    assert not {0, 12} & set(found.ravel().tolist())
    assert not {0, 12} & set(index.ids().tolist())
    assert index.remove([0]) == 0  # removed already


def test_a_replaced_article_takes_its_band_keys_along_and_its_newer_version_brings_its_own(seeds_here: Path,
                                                                                            tmp_path: Path):
    """The Lavrov page comes to hold another happening (a reused URL): the old text's band keys leave the store with
    the old version, so a syndicated copy of the old text is an original; a copy of the new text copies it."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{LAVROV}.txt"
    old_text = path.read_text(encoding="utf-8").split("No comments")[0].rstrip()
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        old_seq = t.store.article(LAVROV).seq
        path.write_text(OTHER, encoding="utf-8")
        (stored,) = t.ingest([str(path)]).stored
        assert stored.replaced
        new_seq = t.store.article(LAVROV).seq
    with sqlite3.connect(db) as conn:
        held = dict(conn.execute("SELECT seq, count(*) FROM copy_bands GROUP BY seq").fetchall())
    assert old_seq not in held and held[new_seq] == NearDuplicateFinder().bands
    with Tidings(db) as t:
        (old_copy,) = t.add(old_text + "\nRepublished with permission.", id="mirror-old").stored
        (new_copy,) = t.add(OTHER + " Republished with permission.", id="mirror-new").stored
    assert old_copy.duplicate_of is None and new_copy.duplicate_of == LAVROV


def test_a_pipeline_on_a_store_with_replacements_opens_cleanly(seeds_here: Path, tmp_path: Path):
    """Replaced versions counted in the store: a pipeline opened with an index given by the caller (no ``ids``)
    still opens."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        t.ingest([str(path)])
        assert len(t.store.revisions_of(CALL)) == 1
        settings = t.settings
    pipeline = Pipeline(settings, event_index=ExactIndex(), period_index=ExactIndex())
    try:
        assert len(pipeline.index) == pipeline.store.chunk_count()
    finally:
        pipeline.close()


# ---- deleting articles ----------------------------------------------------------------------------------------
def test_deleting_a_report_counts_its_event_again(seeds_copy: Path):
    from tidings.corrections import CorrectionError

    with Tidings(seeds_copy) as t:
        event_id = t.store.article(CALL).event_id
        assert t.delete_articles([CALL]) == {CALL: event_id}
        event = t.event(event_id)
        assert sorted(a["id"] for a in event["articles"]) == ["000_2e75e3fd11f96b7f", "002_177dc29227984ed5"]
        assert event["size"] == 2 and sorted(event["languages"]) == ["ar", "de"]
        assert t.store.article(CALL) is None and t.store.counts()["articles"] == 4
        before = t.store.counts()
        with pytest.raises(CorrectionError, match="no article 'nope' in the store .nothing was deleted"):
            t.delete_articles([LAVROV, "nope"])
        assert t.store.counts() == before and t.store.article(LAVROV) is not None
        # read again, it is stored again, and joins the call's event
        (stored,) = t.ingest([str(SEEDS / f"{CALL}.txt")]).stored
        assert stored.event == event_id and not stored.replaced


def test_an_article_deleted_for_good_stays_out(seeds_here: Path, tmp_path: Path):
    """A takedown: the feed or folder that still holds the article does not bring it back, nor a newer version of it;
    another article deleted plainly comes back when read again. A takedown withdrawn lets it in again."""
    from tidings.corrections import CorrectionError

    with Tidings(tmp_path / "store.db") as t:
        t.ingest([str(seeds_here)])
        t.delete_articles([LAVROV], for_good=True)
        t.delete_articles([CALL])
        report = t.ingest([str(seeds_here)])
        assert [s.id for s in report.stored] == [CALL]
        (skip,) = [s for s in report.skipped if LAVROV in s.source]
        assert skip.reason == "deleted from this store for good (tidings delete --for-good)"
        path = seeds_here / f"{LAVROV}.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\nUpdate: the talks went on into the night.\n",
                        encoding="utf-8")
        assert t.ingest([str(path)]).skipped[0].reason.startswith("deleted from this store for good")
        assert t.store.article(LAVROV) is None
        # the takedown withdrawn: all or none, and the next reading stores the article
        assert [d["id"] for d in t.takedowns()] == [LAVROV]
        with pytest.raises(CorrectionError, match="not taken down: nope"):
            t.lift_takedowns([LAVROV, "nope"])
        assert [d["id"] for d in t.takedowns()] == [LAVROV]
        assert t.lift_takedowns([LAVROV]) == [LAVROV] and t.takedowns() == []
        assert [s.id for s in t.ingest([str(path)]).stored] == [LAVROV]


def test_deleting_an_events_only_report_removes_the_event_and_frees_its_copies(seeds_copy: Path):
    """Lavrov's report and a syndicated copy of it: deleted, the copy stands as a source of its own; deleted too,
    the event goes, and the storyline keeps the other two events."""
    text = (SEEDS / f"{LAVROV}.txt").read_text(encoding="utf-8").split("No comments")[0].rstrip()
    with Tidings(seeds_copy) as t:
        (copy,) = t.add(text, id="mirror-004", outlet="Mirror").stored
        event_id = copy.event
        storyline = t.event(event_id)["storyline"]
        assert copy.duplicate_of == LAVROV and t.event(event_id)["sources"] == 1
        t.delete_articles([LAVROV])
        assert t.store.article("mirror-004").duplicate_of is None
        event = t.event(event_id)
        assert event["size"] == 1 and event["sources"] == 1
        t.delete_articles(["mirror-004"])
        assert t.event(event_id) is None and t.store.counts() == {"articles": 4, "events": 2, "storylines": 1}
        assert {e["storyline"] for e in t.events()} == {storyline}


def test_an_open_pipeline_forgets_deleted_articles(seeds_copy: Path):
    """The web process deletes a report through its own pipeline: no search finds its vectors, and a text like it
    is no longer its syndicated copy but a report of its own."""
    body = (SEEDS / f"{CALL}.txt").read_text(encoding="utf-8").rstrip()
    with Tidings(seeds_copy) as t:
        pipeline = t.open_pipeline()
        _ = pipeline.duplicates  # the signatures loaded, as after an ingest
        seq, event_id = t.store.article(CALL).seq, t.store.article(CALL).event_id
        t.delete_articles([CALL])
        assert seq not in set(pipeline.index.ids().tolist())
        (stored,) = t.add(body + "\nRepublished with permission.", id="mirror-003", outlet="Mirror").stored
        assert stored.duplicate_of is None and stored.event == event_id


def test_cli_delete_by_id_and_by_source(seeds_copy: Path, seeds_dir: Path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*TIDINGS_CLI, "delete", *args, "--db", str(seeds_copy)], capture_output=True,
                              text=True, timeout=300)

    bad = run("nope")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: no article 'nope' in the store"
    none = run("--source", "/no/such/folder/")
    assert none.returncode == 2 and "no article in the store was read from '/no/such/folder/'" in none.stderr
    one = run(LAVROV, "--for-good")
    assert one.returncode == 0, one.stderr
    assert one.stdout.strip() == "deleted 1 article for good; events: 0 counted again, 1 gone (no report left)"
    # dated by the day their texts read (only 003 reads one: 18 August 2021; the other seeds are undated and stay)
    assert run("--before", "2021-09", "--dry-run").stdout.strip() == "would delete 1 article (--dry-run: none deleted)"
    early = run("--before", "2021-08-18")
    assert early.returncode == 2 and early.stderr.strip() == "error: no article in the store is dated before 2021-08-18"
    assert "error: --before: '2021-13' is not a date" in run("--before", "2021-13").stderr
    rest = run("--source", str(seeds_dir))
    assert rest.returncode == 0 and rest.stdout.startswith("deleted 4 articles; events: 0 counted again, 2 gone")
    with Tidings(seeds_copy) as t:
        assert t.store.counts() == {"articles": 0, "events": 0, "storylines": 0}

    def takedowns(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*TIDINGS_CLI, "takedowns", *args, "--db", str(seeds_copy)], capture_output=True,
                              text=True, timeout=300)

    listed = takedowns("--json")
    assert listed.returncode == 0 and [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [LAVROV]
    assert takedowns().stdout.strip().endswith(f"  {LAVROV}")
    wrong = takedowns("--lift", "nope")
    assert wrong.returncode == 2 and wrong.stderr.strip() == "error: not taken down: nope"
    assert takedowns(LAVROV).stderr.strip() == \
        "error: ids are taken only with --lift; without it the takedowns are listed"
    lifted = takedowns("--lift", LAVROV)
    assert lifted.returncode == 0 and lifted.stdout.strip() == "lifted 1 takedown: that id may be stored again"
    assert takedowns().stdout.strip() == "no takedowns (tidings delete --for-good makes one)"


@pytest.mark.parametrize(("new", "old", "same"), [
    (("https://wire.example/a/1?utm_source=rss", "feed.xml#3"), ("http://www.wire.example/a/1/", "other.xml#1"), True),
    ((None, "dump.jsonl:12"), (None, "dump.jsonl:3"), True),          # the same dump, the entry on another line
    ((None, "request[2]"), (None, "request"), True),                  # posted alone, then in a list
    ((None, "a/dump.jsonl:3"), (None, "b/dump.jsonl:3"), False),      # two data sets numbering alike
    (("https://wire.example/a/1", "a.jsonl:3"), ("https://wire.example/a/2", "b.jsonl:3"), False),
    (("https://wire.example/a?id=1", "a.jsonl:1"), ("https://wire.example/a?id=2", "b.jsonl:1"), False),
])
def test_where_a_newer_version_may_come_from(new: tuple, old: tuple, same: bool):
    from tidings.pipeline import Origin, same_origin

    assert same_origin(Origin(*new), Origin(*old)) is same


def test_a_corrected_headline_over_the_same_text_is_taken(tmp_path: Path):
    """A wire corrects a headline and leaves the story as it was: the stored article takes it, and its event's title
    follows; the same entry read again changes nothing."""
    text = (SEEDS / f"{LAVROV}.txt").read_text(encoding="utf-8").split("No comments")[0].rstrip()
    feed = tmp_path / "wire.jsonl"
    record = {"id": "wire-9", "url": "https://wire.example/9", "text": text, "title": "Lavrov in Tehran for talks"}
    with Tidings(tmp_path / "store.db") as t:
        feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
        (stored,) = t.ingest([str(feed)]).stored
        assert t.event(stored.event)["title"] == "Lavrov in Tehran for talks"
        feed.write_text(json.dumps(record | {"title": "Lavrov in Tehran for nuclear talks"}) + "\n", encoding="utf-8")
        report = t.ingest([str(feed)])
        assert not report.stored and report.summary()["retitled"] == 1
        assert report.skipped[0].reason == "already stored"
        assert t.store.article("wire-9").title == "Lavrov in Tehran for nuclear talks"
        assert t.event(stored.event)["title"] == "Lavrov in Tehran for nuclear talks"
        assert t.ingest([str(feed)]).summary()["retitled"] == 0
    with Tidings(tmp_path / "store.db", store={"updates": "keep"}) as t:
        feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
        assert t.ingest([str(feed)]).summary()["retitled"] == 0
        assert t.store.article("wire-9").title == "Lavrov in Tehran for nuclear talks"


def test_a_failed_replacement_of_an_events_first_report_leaves_no_founders_generation_behind(
        seeds_here: Path, tmp_path: Path, monkeypatch):
    """The batch that replaced the first report of an event failed: the generation it made for the indexes of one
    vector per event was never stored, and this process does not go on believing it holds it (which made every later
    opening build those indexes again)."""
    db = tmp_path / "store.db"
    path = seeds_here / f"{GERMAN_CALL}.txt"
    with Tidings(db) as t:
        t.ingest([str(seeds_here)])
        path.write_text(path.read_text(encoding="utf-8").rstrip() + UPDATE, encoding="utf-8")
        fail_to_insert(monkeypatch, GERMAN_CALL)
        assert t.ingest([str(path)]).skipped[0].reason.startswith("not stored")
        t.add(OTHER, id="valencia-floods")  # a batch that commits
        assert t.pipeline._founders == t.store.founders_generation()
