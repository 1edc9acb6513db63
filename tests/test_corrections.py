"""An editor's corrections (`tidings merge`, `tidings move`, `Tidings.merge_events`, `Tidings.move_article`) on the
seeds' store: summaries counted again, ids that still resolve, and an engine that keeps to them afterwards."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import SEEDS, TIDINGS_CLI

from tidings.corrections import PLACED_BY_HAND, CorrectionError

CALL, CALL_2022, LAVROV = "000_2e75e3fd11f96b7f", "001_8f7ea46409a65e4e", "004_55c22112cef1f973"
CALL_AR, CALL_EN = "002_177dc29227984ed5", "003_228ee2c8dbe1ae26"


def groups(t) -> set[frozenset[str]]:
    return {frozenset(a["id"] for a in t.event(e["id"])["articles"]) for e in t.events()}


def bridge_report() -> str:
    """An English report of the August 2021 call told with the second half of seed 003: it scores high against both
    003 and the German and Arabic reports, and joins the two events when nothing keeps them apart."""
    text = (SEEDS / f"{CALL_EN}.txt").read_text(encoding="utf-8")
    return ("Iranian President Ebrahim Raisi and Russian President Vladimir Putin spoke by telephone on Wednesday.\n"
            + text[len(text) // 2:])


def test_a_report_moved_to_an_event_of_its_own_stays_apart(seeds_copy, tidings_at):
    t = tidings_at(seeds_copy)
    before = t.event(t.article(CALL_EN)["event"])
    moved_to = t.move_article(CALL_EN)
    assert moved_to != before["id"] and moved_to.startswith("ev-")
    assert groups(t) == {frozenset({CALL, CALL_AR}), frozenset({CALL_EN}), frozenset({CALL_2022}),
                         frozenset({LAVROV})}
    left, new = t.event(before["id"]), t.event(moved_to)
    assert (left["size"], left["languages"]) == (2, ["de", "ar"]) and left["date"] is None  # only 003 read the day
    assert (new["size"], new["date"], new["title"]) == (1, "2021-08-18", "Iran, Russia discuss boosting ties")
    assert new["storyline"] == before["storyline"]  # still the story of Iran-Russia relations
    assert t.store.article(CALL_EN).event_score == PLACED_BY_HAND  # no undated report's event claims it
    # A later report that scores high against both joins one of them and merges nothing (without the editor's
    # correction it merges the two: tests/test_corrections.py's bridge, measured when written)
    report = t.add(bridge_report(), id="bridge", published="2021-08-19", language="en")
    assert not report.events_merged and len(report.stored) == 1
    assert frozenset({CALL, CALL_AR}) in groups(t)


def test_merged_events_resolve_and_count_again(seeds_copy, tidings_at):
    t = tidings_at(seeds_copy)
    call, june = t.article(CALL)["event"], t.article(CALL_2022)["event"]
    assert t.merge_events(june, into=call) == call
    merged = t.event(june)
    assert merged["id"] == call and merged["requested_id"] == june  # the old id still resolves
    assert merged["size"] == 4 and sorted(merged["languages"]) == ["ar", "de", "en"]
    assert {a["id"] for a in merged["articles"]} == {CALL, CALL_AR, CALL_EN, CALL_2022}
    assert t.merge_events(call, into=june) == call  # one event already: nothing to do
    # a report of the merged event still joins it, and the ingest goes on from the corrected counts
    report = t.add(bridge_report(), id="bridge", published="2021-08-19", language="en")
    assert [s.event for s in report.stored] == [call] and t.event(call)["size"] == 5


def test_moving_back_undoes_the_apartness_and_a_lone_report_takes_its_event_along(seeds_copy, tidings_at):
    t = tidings_at(seeds_copy)
    call = t.article(CALL)["event"]
    lavrov = t.article(LAVROV)["event"]
    alone = t.move_article(CALL_EN)
    assert t.merge_events(alone, into=call) == call
    with t.store.engine.connect() as conn:
        assert t.store.apart_pairs(conn) == []  # joined by hand: nothing keeps them apart any more
    # Lavrov's visit was all of its event: moved to the call, the event goes and its id resolves there
    assert t.move_article(LAVROV, to=call) == call
    assert t.event(lavrov)["id"] == call and t.event(call)["size"] == 4
    assert t.move_article(LAVROV, to=call) == call  # there already
    for bad, message in ((lambda: t.move_article("nope"), "no article 'nope'"),
                         (lambda: t.merge_events("ev-nope", into=call), "no event 'ev-nope'")):
        with pytest.raises(CorrectionError, match=message):
            bad()


def test_syndicated_copies_move_with_their_original(seeds_copy, tidings_at):
    t = tidings_at(seeds_copy)
    text = (SEEDS / f"{CALL}.txt").read_text(encoding="utf-8")
    t.add(text.replace("342/", "Quelle: ABNA"), id="abna-copy", outlet="Another Site")
    assert t.article("abna-copy")["duplicate_of"] == CALL
    moved_to = t.move_article(CALL)
    assert {a["id"] for a in t.event(moved_to)["articles"]} == {CALL, "abna-copy"}
    assert t.event(moved_to)["sources"] == 1  # a copy is no independent source


def test_the_commands_correct_and_name_what_they_cannot(seeds_copy):
    env = {**os.environ, "TIDINGS_DB": str(seeds_copy)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*TIDINGS_CLI, *args], capture_output=True, text=True, env=env, timeout=300)

    moved = cli("move", CALL_EN)
    assert moved.returncode == 0 and moved.stdout.startswith(f"{CALL_EN} is in ev-"), moved.stderr
    new = moved.stdout.split(" is in ")[1].split()[0]
    listed = cli("show", new, "--json")
    assert listed.returncode == 0 and '"size": 1' in listed.stdout
    call = cli("export").stdout.split(f'"id": "{CALL}"')[1].split('"event": "')[1].split('"')[0]
    merged = cli("merge", new, call)
    assert merged.returncode == 0 and f"{new} merged into {call}: 3 articles" in merged.stdout
    for args, message in ((("move", "nope"), "no article 'nope'"), (("merge", "ev-x", call), "no event 'ev-x'")):
        bad = cli(*args)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr


def test_the_rest_api_corrects_with_a_token(seeds_copy):
    from fastapi.testclient import TestClient

    from tidings.web import create_app

    auth = {"Authorization": "Bearer editor"}
    with TestClient(create_app(str(seeds_copy), token="editor"), raise_server_exceptions=False) as client:
        call = client.get(f"/api/articles/{CALL}").json()["event"]

        def compared(event: dict) -> set[str]:
            return {s["article"] for c in event["comparison"]["claims"] for s in c["sentences"]}

        assert CALL_EN in compared(client.get(f"/api/events/{call}").json())
        assert client.post(f"/api/articles/{CALL_EN}/move").status_code == 401  # no token, no change
        moved = client.post(f"/api/articles/{CALL_EN}/move", headers=auth)
        assert moved.status_code == 200 and [a["id"] for a in moved.json()["articles"]] == [CALL_EN]
        left = client.get(f"/api/events/{call}").json()
        assert {a["id"] for a in left["articles"]} == {CALL, CALL_AR}
        assert compared(left) == {CALL, CALL_AR}  # compared again, not the comparison of before
        merged = client.post(f"/api/events/{moved.json()['id']}/merge", params={"into": call}, headers=auth)
        assert merged.status_code == 200 and merged.json()["id"] == call and merged.json()["size"] == 3
        assert client.get(f"/api/events/{moved.json()['id']}").json()["id"] == call  # the moved-to id resolves
        missing = client.post("/api/articles/nope/move", headers=auth)
        assert missing.status_code == 404 and "no article 'nope'" in missing.json()["detail"]
        assert client.post(f"/api/events/{call}/merge", headers=auth).status_code == 422  # into is required


def test_a_storyline_left_without_events_goes_into_the_one_they_went_to(tmp_path, tidings_at):
    """Our multilingual fixtures: the Chang'e-6 landing's two events form a storyline, the Turkish quakes' two another.
    Merged into a quake's event one after the other, the landing's storyline is left empty: it goes, and its id
    resolves to the quakes' storyline (as a merged event's id resolves), on the command line too."""
    from conftest import FIXTURES
    from typer.testing import CliRunner

    from tidings.cli import app

    def cli(*args: str) -> str:
        result = CliRunner().invoke(app, [*args, "--db", str(tmp_path / "ml.db")])
        assert result.exit_code == 0, result.output
        return result.stdout

    t = tidings_at(tmp_path / "ml.db", embedder={"workers": 0})
    t.ingest([str(FIXTURES / "multilingual" / "articles.jsonl")])
    landing = [e for e in t.export_events() if e["storyline"] and any("change" in a for a in e["articles"])]
    quake = next(e for e in t.export_events() if e["storyline"] and "tr-quake-1" in e["articles"])
    assert len(landing) == 2 and landing[0]["storyline"] == landing[1]["storyline"] != quake["storyline"]
    listed = [json.loads(line) for line in cli("storylines", "--json").splitlines()]  # the latest updated first
    assert [s["id"] for s in listed] == [s["id"] for s in t.storylines()] and len(listed) >= 2
    latest = cli("storylines", "--limit", "1")
    assert f"the latest 1 of {len(listed)} storylines" in latest
    assert listed[0]["id"] in latest and listed[1]["id"] not in latest
    gone = landing[0]["storyline"]
    t.merge_events(landing[0]["id"], into=quake["id"])
    assert gone in {s["id"] for s in t.storylines()}  # one landing event is still in it
    t.merge_events(landing[1]["id"], into=quake["id"])
    assert gone not in {s["id"] for s in t.storylines()}
    assert t.store.resolve(gone, "storyline") == quake["storyline"] and t.storyline(gone)["id"] == quake["storyline"]
    one = cli("storylines", gone)
    assert f"{gone} was merged into {quake['storyline']}" in one and f"({quake['storyline']}, " in one
    assert quake["id"] in one and landing[0]["id"] not in one  # merged into it: the quake's event tells for both


def test_an_event_founded_by_hand_is_found_as_any_other(seeds_copy, tidings_at):
    """The index of one vector per event (its first report's), where a new event looks for related ones, learns of
    an event that a move founded: in this process at once, and in another that opens the store after."""
    from tidings.store import mean_vector

    t = tidings_at(seeds_copy)
    seq = t.store.article(CALL_EN).seq
    vector = mean_vector(t.store.vectors_of([seq])[seq])[None]

    def founders(tid) -> set[int]:
        return set(tid.pipeline.event_index.search(vector, 10)[1][0].tolist())

    assert seq not in founders(t)  # 000 founded the August 2021 call's event
    elsewhere = tidings_at(seeds_copy)
    assert seq not in founders(elsewhere)
    t.move_article(CALL_EN)
    assert seq in founders(t)
    # written at once with the generation they hold: the next process reads them from the cache
    assert {p.read_text(encoding="ascii") for p in t.store.founders_stamps()} == {t.store.founders_generation()}
    assert seq in founders(tidings_at(seeds_copy))
    # a process that had the store open learns of it when it next writes (as of any other process's batches)
    elsewhere.add(bridge_report(), id="bridge", published="2021-08-19", language="en")
    assert seq in founders(elsewhere)
