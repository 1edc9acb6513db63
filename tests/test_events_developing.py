"""A dense developing story: held-out 32 (tests/fixtures/events_heldout32, see its README.md), the first weeks of
Russia's invasion of Ukraine, 21 Feb - 20 Mar 2022. 92 reports in 15 languages (36% English, 17 same-language pairs
inside events), 75% dated, 19 happenings of one war a day or a week apart in the same cities with the same cast,
and 6 unrelated events of those weeks. Written blind in session 21.

Blind (session 20's code, ``python -W ignore bench/events_heldout.py --order both --corpus
tests/fixtures/events_heldout32/articles.jsonl``): B-cubed P 0.694 R 0.922 F1 0.792 by date, 0.785 shuffled. Its
errors then read (spent): an undated report that joined the maternity hospital strike of Wednesday 9 March
(dated reports) let the dated reports of the theatre strike a week later join through it, and an undated report
merged the first two rounds of talks, three days apart. After session 21's changes (an undated candidate stands at
its event's day when a week away; no report merges events whose dated reports lie more than two days apart, one day
for an undated report; a wire dateline's day after a UTC stamp): F1 0.867 by date, 0.858 shuffled.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import FIXTURES

from tidings.evaluation import bcubed

CORPUS = FIXTURES / "events_heldout32" / "articles.jsonl"
MIN_BCUBED_F1 = 0.83  # measured 0.867 in session 21


def load(corpus: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]


def arrival(records: list[dict]) -> list[dict]:
    """By publication date; an undated page arrives with the one before it in the file, as a crawl brings one site's
    pages together (bench/events_heldout.py, ``--order date``)."""
    keys, last = {}, ""
    for r in records:
        last = r.get("published") or last
        keys[r["id"]] = last
    return sorted(records, key=lambda r: (r.get("published") or keys[r["id"]], r.get("published") is None, r["id"]))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Article id -> its event, the corpus ingested once in order of arrival."""
    from tidings.api import Tidings

    inbox = tmp_path_factory.mktemp("heldout32") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in arrival(load())), encoding="utf-8")
    with Tidings(inbox.with_name("heldout32.db")) as t:
        t.ingest([str(inbox)])
        return {a["id"]: a["event"] for a in t.export_articles()}


def test_bcubed_floor(stored):
    gold = {r["id"]: r["event"] for r in load()}
    b = bcubed(stored, gold)
    print(f"\nheldout32 B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= MIN_BCUBED_F1


def dated_events(stored: dict[str, str]) -> dict[str, set[str]]:
    """Gold event -> the predicted events holding its dated reports."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in load():
        if r["published"]:
            out[r["event"]].add(stored[r["id"]])
    return out


@pytest.mark.parametrize(("first", "second"), [
    # the first two rounds of talks, three days apart: merged by an undated Russian report of the second
    ("first-russia-ukraine-talks-gomel-2022-02-28", "second-talks-belovezhskaya-pushcha-2022-03-03"),
    # both strikes in Mariupol on a Wednesday, a week apart: the theatre's reports joined through an undated report
    # of the hospital
    ("mariupol-maternity-hospital-strike-2022-03-09", "mariupol-drama-theatre-strike-2022-03-16"),
])
def test_dated_reports_of_two_happenings_stay_apart(stored, first, second):
    events = dated_events(stored)
    assert not events[first] & events[second], f"{first} and {second} share an event"


def test_no_merge_of_events_days_apart():
    """The rule behind the first pair above, on its own: a report may merge two events whose dated reports lie two
    days apart, not three; an undated one, a day apart, not two."""
    from tidings.events import EventTally, OnlineEventDetector
    from tidings.similarity import LogisticPairScorer

    def tally(*days: str) -> EventTally:
        t = EventTally()
        for seq, day in enumerate(days):
            t.add(seq, None, "report", "en", f"outlet {seq}", dt.date.fromisoformat(day), False, None)
        return t

    detector = OnlineEventDetector(LogisticPairScorer())
    talks, second_round = tally("2022-02-28", "2022-02-28"), tally("2022-03-03")
    assert detector.far_apart(talks, second_round, bridge_dated=False)
    assert detector.far_apart(talks, second_round, bridge_dated=True)
    assert not detector.far_apart(talks, tally("2022-03-02"), bridge_dated=True)
    assert detector.far_apart(talks, tally("2022-03-02"), bridge_dated=False)
    assert not detector.far_apart(talks, tally("2022-03-01"), bridge_dated=False)
    assert not detector.far_apart(talks, tally("2022-02-27", "2022-03-01"), bridge_dated=False)  # overlapping


WAR = FIXTURES / "events_heldout34" / "articles.jsonl"


def test_a_war_s_first_weeks_are_one_storyline(tmp_path):
    """Held-out 34 (the Israel-Hamas war's first weeks, 18 happenings, and 7 unrelated events of those weeks; written
    blind in session 21): its first reports founded three storylines (the attack and Israel's side, Gaza's side, the
    siege and the unity government) and none of their events searched again; storylines 0.683 over articles. An
    event aligned above the bridge threshold with events of two storylines now joins them: 0.989."""
    from tidings.api import Tidings

    records = load(WAR)
    gold = json.loads((WAR.parent / "storylines.json").read_text(encoding="utf-8"))["storylines"]
    (war,) = [set(events) for events in gold.values() if len(events) >= 10]
    inbox = tmp_path / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in arrival(records)), encoding="utf-8")
    with Tidings(tmp_path / "heldout34.db") as t:
        t.ingest([str(inbox)])
        storyline = {a["id"]: a["storyline"] or a["event"] for a in t.export_articles()}
    in_war = Counter(storyline[r["id"]] for r in records if r["event"] in war)
    main, held = in_war.most_common(1)[0]
    assert held >= 0.9 * sum(in_war.values())  # measured 75 of 76 (36 before)
    assert all(storyline[r["id"]] != main for r in records if r["event"] not in war)
