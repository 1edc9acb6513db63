"""Evaluation gate on a held-out multilingual corpus (tests/fixtures/events_heldout/articles.jsonl).

52 articles in 14 languages, 19 gold events, written with their gold before anything was run on them and not
tuned to: nothing in src/ was changed after seeing them. Gold follows "same real-world happening": a follow-up
days later (Biden's visit to the collapsed Baltimore bridge, the appeal that suspends Imran Khan's sentence, the
vote that impeaches Yoon after his martial law) is another event; so are the same two leaders meeting again
(Xi and Putin in Beijing, then in Astana), the same clubs meeting again (Liverpool-Chelsea in the league, then
in the League Cup final) and the same kind of happening elsewhere (the Nepal and Herat earthquakes four days
apart). Reports of one happening published on successive days (Raisi's helicopter missing, then his death
confirmed) are one event. bbc-en-syn is a syndicated copy of bbc-en: same text, another outlet.

The floor is pinned about 0.05 below the B-cubed F1 measured in order of publication (0.847 when written, 0.930
since the event threshold is 0.45, 0.987 since session 9 weighs shared people by the dates; see
bench/events_heldout.py for the error list): it catches a regression, it is not a target.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import FIXTURES

from tidings.evaluation import bcubed, pairwise, store_clusters

CORPUS = FIXTURES / "events_heldout" / "articles.jsonl"
MIN_BCUBED_F1 = 0.93
SYNDICATED = ("bbc-en-syn", "bbc-en")  # (copy, original)
# Related but different happenings: no article of one may share an event with an article of the other.
HARD_NEGATIVES = [
    ("xi-putin-beijing-2024-05-16", "xi-putin-astana-2024-07-03"),
    ("quake-nepal-bajhang-2023-10-03", "quake-herat-2023-10-07"),
    ("liverpool-chelsea-league-2024-01-31", "carabao-cup-final-2024-02-25"),
    ("imran-khan-convicted-2023-08-05", "imran-khan-sentence-suspended-2023-08-29"),
    ("baltimore-bridge-collapse-2024-03-26", "biden-visits-baltimore-2024-04-05"),
    ("yoon-martial-law-2024-12-03", "yoon-impeachment-vote-2024-12-14"),
]


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold() -> dict[str, str]:
    return {r["id"]: r["event"] for r in load()}


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory):
    """(store's event per gold id, ingest report): the corpus ingested once, in order of publication."""
    from tidings.api import Tidings

    records = sorted(load(), key=lambda r: (r["published"], r["id"]))
    inbox = tmp_path_factory.mktemp("heldout") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(inbox.with_name("heldout.db")) as t:
        report = t.ingest([str(inbox)])
        predicted, _ = store_clusters(t.store, gold())
    return predicted, report


def test_corpus_shape():
    records = load()
    assert len(records) >= 45 and len({r["id"] for r in records}) == len(records)
    assert all(set(r) == {"id", "title", "text", "language", "published", "outlet", "event"} for r in records)
    assert len({r["language"] for r in records}) >= 8
    per_event = defaultdict(list)
    for r in records:
        per_event[r["event"]].append(r)
    multi = {e: rs for e, rs in per_event.items() if len(rs) > 1}
    assert len(multi) >= 14
    for e, rs in multi.items():
        assert 2 <= len(rs) <= 5, e
        assert len({r["outlet"] for r in rs}) == len(rs), e
    copy, original = (next(r for r in records if r["id"] == i) for i in SYNDICATED)
    assert copy["text"] == original["text"] and copy["outlet"] != original["outlet"]


def test_bcubed_floor(heldout):
    predicted, report = heldout
    g = gold()
    b, pw = bcubed(predicted, g), pairwise(predicted, g)
    print(f"\nheld-out B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}; "
          f"pairwise P {pw.precision:.3f} R {pw.recall:.3f} F1 {pw.f1:.3f}")
    assert b.f1 >= MIN_BCUBED_F1, (f"B-cubed F1 {b.f1:.3f} < {MIN_BCUBED_F1} (P {b.precision:.3f}, R {b.recall:.3f});"
                                   " run python bench/events_heldout.py for the errors")


def test_hard_negatives_stay_apart(heldout):
    predicted, _ = heldout
    g = gold()
    events_of: dict[str, set[str]] = defaultdict(set)
    for item, ev in predicted.items():
        events_of[g[item]].add(ev)
    for a, b in HARD_NEGATIVES:
        assert not events_of[a] & events_of[b], f"{a} and {b} share an event"


def test_syndicated_copy_not_elsewhere(heldout):
    """Whatever happens to the copy, it must not open or join another event than its original's."""
    predicted, _ = heldout
    copy, original = SYNDICATED
    assert predicted.get(copy) in (None, predicted.get(original))


def test_syndicated_copy_joins_original(heldout):
    """An exact copy under another outlet is stored as a syndicated copy of the original, in its event."""
    predicted, _ = heldout
    copy, original = SYNDICATED
    assert predicted.get(original) is not None
    assert predicted.get(copy) == predicted.get(original)
