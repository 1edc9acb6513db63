"""Evaluation gate on the third held-out corpus (tests/fixtures/events_heldout3, see its README.md).

47 articles in 14 languages, 17 gold events (two of them reported once), eight pairs of hard negatives; written
blind in session 8, after that session's changes to events and dates and before any code ran on it. Measured
then (bench/events_heldout.py --corpus tests/fixtures/events_heldout3/articles.jsonl, both orders): B-cubed P
1.000 R 0.823 F1 0.903, against 0.847 with the code of the session's start. Storylines (bench/storylines_eval.py
--corpus heldout3): B-cubed F1 0.944 over articles, 0.954 over events (0.900 / 0.891 after the parts-of-the-day
fix, which changed two events); 5 of the 7 gold storylines of several events
hold all their articles (the parts of two split events sit apart). The floors sit below: they catch a regression,
they are not targets.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import FIXTURES, check_event_corpus

from tidings.evaluation import bcubed

CORPUS = FIXTURES / "events_heldout3" / "articles.jsonl"
STORYLINES = FIXTURES / "events_heldout3" / "storylines.json"
MIN_BCUBED_F1 = 0.85
MIN_WHOLE_STORYLINES = 4  # of the 7 gold storylines of several events (5 measured)
HARD_NEGATIVES = [
    ("turkey-presidential-election-2023-05-14", "turkey-presidential-runoff-2023-05-28"),
    ("turkey-syria-earthquake-2023-02-06", "hatay-earthquake-2023-02-20"),
    ("trump-putin-alaska-summit-2025-08-15", "zelensky-europeans-white-house-2025-08-18"),
    ("gaza-ceasefire-deal-announced-2025-01-15", "gaza-ceasefire-takes-effect-2025-01-19"),
    ("iran-attack-on-israel-2024-04-13", "israeli-strike-isfahan-2024-04-19"),
    ("ucl-semi-barcelona-inter-first-leg-2025-04-30", "ucl-semi-inter-barcelona-second-leg-2025-05-06"),
    ("pope-francis-death-2025-04-21", "pope-francis-funeral-2025-04-26"),
    ("pope-francis-funeral-2025-04-26", "pope-leo-xiv-elected-2025-05-08"),
]


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """(event, storyline or event) per article id: the corpus ingested once, in order of publication."""
    from tidings.api import Tidings

    records = sorted(load(), key=lambda r: (r["published"], r["id"]))
    inbox = tmp_path_factory.mktemp("heldout3") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(inbox.with_name("heldout3.db")) as t:
        t.ingest([str(inbox)])
        events = {e.id: e for e in t.store.events()}
        out = {}
        for a in t.store.articles():
            ev = events[t.store.resolve(a.event_id)]
            out[a.id] = (ev.id, ev.storyline_id or ev.id)
    return out


def test_corpus_shape():
    check_event_corpus(load(), min_events=15, reports=(1, 4))


def test_bcubed_floor(stored):
    gold = {r["id"]: r["event"] for r in load()}
    b = bcubed({aid: ev for aid, (ev, _) in stored.items()}, gold)
    print(f"\nheld-out 3 B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= MIN_BCUBED_F1, (f"B-cubed F1 {b.f1:.3f} < {MIN_BCUBED_F1}; run python bench/events_heldout.py "
                                   "--corpus tests/fixtures/events_heldout3/articles.jsonl for the errors")


def test_hard_negatives_stay_apart(stored):
    events_of: dict[str, set[str]] = defaultdict(set)
    for r in load():
        events_of[r["event"]].add(stored[r["id"]][0])
    for a, b in HARD_NEGATIVES:
        assert not events_of[a] & events_of[b], f"{a} and {b} share an event"


def test_storylines_hold_their_events(stored):
    # every article of a gold storyline of several events in one predicted storyline
    storylines = json.loads(STORYLINES.read_text(encoding="utf-8"))["storylines"]
    by_event: dict[str, set[str]] = defaultdict(set)
    for r in load():
        by_event[r["event"]].add(stored[r["id"]][1])
    whole = [name for name, evs in storylines.items() if len(set().union(*(by_event[e] for e in evs))) == 1]
    print(f"\nheld-out 3 storylines whole: {len(whole)} of {len(storylines)}")
    assert len(whole) >= MIN_WHOLE_STORYLINES, sorted(set(storylines) - set(whole))
