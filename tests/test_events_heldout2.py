"""Evaluation gate on the second held-out corpus (tests/fixtures/events_heldout2, see its README.md).

44 articles in 14 languages, 15 gold events, six pairs of hard negatives; written with its gold before any run and
before the work on cross-lingual recall, which was diagnosed and fitted on the other corpora only. With the
shipped weights it measured B-cubed P 0.945 R 0.879 F1 0.911 in either order at the event threshold of 0.5, and
at 0.45 with weekdays read with their dates and old written dates as background (session 8) P 0.945 R 0.970
F1 0.957 in order of publication, 0.941 shuffled, and since session 9 (shared people weighed by the dates)
0.972 in both (bench/README.md, events_heldout); the floor sits about 0.05 below: it catches a regression, it
is not a target.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import FIXTURES, check_event_corpus

from tidings.evaluation import bcubed, store_clusters

CORPUS = FIXTURES / "events_heldout2" / "articles.jsonl"
MIN_BCUBED_F1 = 0.92
HARD_NEGATIVES = [
    ("trump-butler-shooting-2024-07-13", "trump-golf-course-gunman-2024-09-15"),
    ("noto-earthquake-2024-01-01", "haneda-runway-collision-2024-01-02"),
    ("euro-2024-final-2024-07-14", "euro-2024-semifinal-spain-france-2024-07-09"),
    ("navalny-death-2024-02-16", "navalny-funeral-2024-03-01"),
    ("fed-half-point-cut-2024-09-18", "fed-quarter-point-cut-2024-11-07"),
]
# Pagers on the 17th, radios on the 18th, same places and group: the report of the day after the pagers reads as
# the radios' (a known merge until session 13, when the event splits in two by the days its reports read).
PAGER_AND_RADIO = ("lebanon-pager-explosions-2024-09-17", "lebanon-radio-explosions-2024-09-18")


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def clustered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Store's event per gold id: the corpus ingested once, in order of publication."""
    from tidings.api import Tidings

    records = sorted(load(), key=lambda r: (r["published"], r["id"]))
    inbox = tmp_path_factory.mktemp("heldout2") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(inbox.with_name("heldout2.db")) as t:
        t.ingest([str(inbox)])
        predicted, _ = store_clusters(t.store, {r["id"]: r["event"] for r in records})
    return predicted


def _events_of(predicted: dict[str, str]) -> dict[str, set[str]]:
    gold = {r["id"]: r["event"] for r in load()}
    out: dict[str, set[str]] = defaultdict(set)
    for item, ev in predicted.items():
        out[gold[item]].add(ev)
    return out


def test_corpus_shape():
    check_event_corpus(load(), min_events=12, reports=(2, 4))


def test_bcubed_floor(clustered):
    gold = {r["id"]: r["event"] for r in load()}
    b = bcubed(clustered, gold)
    print(f"\nheld-out 2 B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= MIN_BCUBED_F1, (f"B-cubed F1 {b.f1:.3f} < {MIN_BCUBED_F1}; run python bench/events_heldout.py "
                                   "--corpus tests/fixtures/events_heldout2/articles.jsonl for the errors")


def test_hard_negatives_stay_apart(clustered):
    events_of = _events_of(clustered)
    for a, b in HARD_NEGATIVES:
        assert not events_of[a] & events_of[b], f"{a} and {b} share an event"


def test_pager_and_radio_blasts_apart(clustered):
    # Until session 13 the pager attack's report of the next day scored as the radio blasts' (same day, places,
    # group; p 0.82) and the two merged; now two reports read each day, and the event splits in two.
    events_of = _events_of(clustered)
    a, b = PAGER_AND_RADIO
    assert not events_of[a] & events_of[b]
