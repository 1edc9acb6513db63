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
from types import SimpleNamespace

import pytest
from conftest import FIXTURES

from tidings.evaluation import bcubed

CORPUS = FIXTURES / "events_heldout32" / "articles.jsonl"
MIN_BCUBED_F1 = 0.83  # measured 0.867 in session 21


def load(corpus: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]


def ingest_stream(folder: Path, stream: list[dict]) -> dict[str, str]:
    """Article id -> its event, the records ingested into a fresh store in ``folder`` in the order given."""
    from tidings.api import Tidings

    inbox = folder / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in stream), encoding="utf-8")
    with Tidings(folder / "t.db") as t:
        t.ingest([str(inbox)])
        return {a["id"]: a["event"] for a in t.export_articles()}


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


def dated_events(stored: dict[str, str], records: list[dict] | None = None) -> dict[str, set[str]]:
    """Gold event -> the predicted events holding its dated reports."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in records or load():
        if r["published"] and r["id"] in stored:  # held-out 37's Ukrainian report: a language the model lacks
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


@pytest.fixture(scope="module")
def war(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Held-out 34 (the Israel-Hamas war's first weeks, 18 happenings, and 7 unrelated events of those weeks;
    written blind in session 21), ingested once in order of arrival: article id -> its export row."""
    from tidings.api import Tidings

    inbox = tmp_path_factory.mktemp("heldout34") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in arrival(load(WAR))),
                     encoding="utf-8")
    with Tidings(inbox.with_name("heldout34.db")) as t:
        t.ingest([str(inbox)])
        return {a["id"]: a for a in t.export_articles()}


def test_a_war_s_first_weeks_are_one_storyline(war):
    """Its first reports founded three storylines (the attack and Israel's side, Gaza's side, the siege and the
    unity government) and none of their events searched again; storylines 0.683 over articles. An event aligned
    above the bridge threshold with events of two storylines now joins them: 0.989."""
    records = load(WAR)
    gold = json.loads((WAR.parent / "storylines.json").read_text(encoding="utf-8"))["storylines"]
    (main_war,) = [set(events) for events in gold.values() if len(events) >= 10]
    storyline = {aid: row["storyline"] or row["event"] for aid, row in war.items()}
    in_war = Counter(storyline[r["id"]] for r in records if r["event"] in main_war)
    main, held = in_war.most_common(1)[0]
    assert held >= 0.9 * sum(in_war.values())  # measured 75 of 76 (36 before)
    assert all(storyline[r["id"]] != main for r in records if r["event"] not in main_war)


def test_war_bcubed_floor(war):
    """Held-out 34 in order of arrival: 0.639 blind (session 20's code), 0.669 after session 21, 0.775 after session
    22 (``bench/events_heldout.py --order date``)."""
    gold = {r["id"]: r["event"] for r in load(WAR)}
    b = bcubed({aid: row["event"] for aid, row in war.items()}, gold)
    print(f"\nheldout34 B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= 0.73


def test_an_event_does_not_grow_day_by_day(war):
    """In session 21 one event grew from the evacuation order of 13 October to the aid convoy of the 21st and
    Guterres's remarks of the 24th: each report joined through an undated BBC page of the evacuation order, which
    stood at the end of its event's days nearest the new report, and that end moved with every report that joined.
    It now stands at the day its event's reports read, and counts as a read date (session 22: F1 0.669 -> 0.775 by
    date)."""
    events = dated_events({aid: row["event"] for aid, row in war.items()}, load(WAR))
    chain = ["northern-gaza-evacuation-order-2023-10-13", "al-ahli-hospital-blast-2023-10-17",
             "first-aid-convoy-rafah-2023-10-21", "guterres-not-in-vacuum-remarks-2023-10-24"]
    for k, first in enumerate(chain):
        for second in chain[k + 1:]:
            assert not events[first] & events[second], f"{first} and {second} share an event"


def test_an_undated_member_stands_at_its_event_s_read_day():
    """The scorer's view of an undated member of an event whose reports read 13 October and range over 12-18 October,
    seen from a report of the 18th or of the 15th: at the 13th, as a read date (held-out 36: a report of Pfizer's
    final result on the 18th joined the Moderna result of the 16th through an undated page of it); from a report of
    the 14th, undated still (a day away: reports of one happening read it a day off). Where no report read a day,
    the event's days are publication days, and three days are needed."""
    import numpy as np

    from tidings.events import OnlineEventDetector
    from tidings.similarity import LogisticPairScorer
    from tidings.store import StoredArticle, StoredEvent

    detector = OnlineEventDetector(LogisticPairScorer())
    event = StoredEvent(id="ev-1", title=None, date=dt.date(2023, 10, 13), date_min=dt.date(2023, 10, 12),
                        date_max=dt.date(2023, 10, 18), size=5, sources=5)
    member = StoredArticle(seq=1, id="evac-en-2", title=None, text="", language="en", outlet=None, url=None,
                           source=None, dateline=None, published=None, happened=None, event_id="ev-1",
                           duplicate_of=None, facts=None)
    vectors = np.zeros((1, 4), np.float32)
    far = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 18))
    assert (far.date, far.date_read) == (dt.date(2023, 10, 13), True)
    near = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 14))
    assert (near.date, near.date_read) == (None, False)
    two_days = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 15))
    assert (two_days.date, two_days.date_read) == (dt.date(2023, 10, 13), True)
    event.date = None  # no report read a day: the nearest end of its days, as a publication date
    unread = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 23))
    assert (unread.date, unread.date_read) == (dt.date(2023, 10, 18), False)
    assert detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 20)).date is None
    # dated by its publication only: at the event's read day as well (held-out 37: Mali's coup of the 18th, reported
    # on the 19th, and the West African summit of the 20th)
    event.date = dt.date(2023, 10, 13)
    member.published = dt.date(2023, 10, 14)
    published = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 15))
    assert (published.date, published.date_read) == (dt.date(2023, 10, 13), True)
    nearby = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 14))
    assert (nearby.date, nearby.date_read) == (dt.date(2023, 10, 14), False)
    member.happened = dt.date(2023, 10, 14)  # a day read from its own text stays its own
    own = detector._view(SimpleNamespace(url="memory"), member, vectors, event, dt.date(2023, 10, 18))
    assert (own.date, own.date_read) == (dt.date(2023, 10, 14), False)


AUGUST = FIXTURES / "events_heldout37" / "articles.jsonl"


@pytest.fixture(scope="module")
def august(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Held-out 37 (August 2020: Belarus after the vote, Navalny, Mali's coup, Kenosha; written blind in session 22),
    ingested once in order of arrival: article id -> its event."""
    from tidings.api import Tidings

    records = load(AUGUST)
    inbox = tmp_path_factory.mktemp("heldout37") / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in arrival(records)), encoding="utf-8")
    with Tidings(inbox.with_name("heldout37.db")) as t:
        t.ingest([str(inbox)])
        return {a["id"]: a["event"] for a in t.export_articles()}


def test_august_bcubed_floor(august):
    """Held-out 37 in order of arrival: 0.880 blind (session 21's code), 0.907 after session 22
    (bench/events_heldout.py, which counts the Ukrainian report the store lacks); here, with that report (a language
    the model does not cover) left out of the gold, 0.914."""
    gold = {r["id"]: r["event"] for r in load(AUGUST) if r["id"] in august}
    b = bcubed(august, gold)
    print(f"\nheldout37 B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= 0.86


def test_a_report_dated_by_its_publication_stands_at_its_event_s_day(august):
    """A French report of Mali's coup of 18 August, published on the 19th and reading no day of its own, let the
    first reports of the West African leaders' summit of the 20th join the coup (0.51). It now stands at the day its
    event's reports read, the 18th, two days from the summit's."""
    events = dated_events(august, load(AUGUST))
    assert not events["mali-mutiny-keita-resigns-2020-08-18"] & events["ecowas-virtual-summit-mali-2020-08-20"]


def test_a_bridge_s_own_day_counts_against_a_merge(august):
    """A report of the Kenosha protesters shot on the 25th (reading the 25th) scored high against the Jacob Blake
    event as well (23rd) and merged them: the two events' reports read the 23rd twice and the 25th once, too little
    for two happenings. With the bridging report's own day counted, the 25th is read twice, and the merge is refused.
    (Before, an undated report of the 25th was left in the Blake event.)"""
    events: dict[str, set[str]] = defaultdict(set)
    for r in load(AUGUST):
        if r["id"] in august:
            events[r["event"]].add(august[r["id"]])
    assert not events["jacob-blake-shot-kenosha-2020-08-23"] & events["kenosha-protesters-shot-2020-08-25"]


def test_an_undated_report_in_a_stream_of_this_month_s_news_does_not_join_a_happening_years_before(tmp_path):
    """Held-out 37 (August 2020: Belarus after the vote, Navalny, Mali, Kenosha), then held-out 32's stream of the war's
    first days (February 2022) up to an undated Polish report of the first Russian-Ukrainian talks in the Gomel region,
    which names Belarus and Lukashenko and no day but a Monday. Its own happening has no report yet; with no clock
    (``[events] clock_arrivals = 0``) it joined Belarus's election night of 2020 (p 0.52). The stream came in order of
    time and its undated pages came in their time (every one of the last ten that joined an event without doubt joined
    one of the stream's month), so this one is of February 2022."""

    august = arrival(load(FIXTURES / "events_heldout37" / "articles.jsonl"))
    war_days = arrival(load())
    stream = august + war_days[: [r["id"] for r in war_days].index("gomel-pl-1") + 1]
    event = ingest_stream(tmp_path, stream)
    belarus = [r["id"] for r in august if r["event"].startswith("belarus-election-protests-minsk")]
    assert len(belarus) >= 3 and all(b in event for b in belarus)
    assert not {event[b] for b in belarus} & {event["gomel-pl-1"]}


def test_the_clock_holds_only_where_the_stream_s_undated_pages_come_in_their_time():
    """The check: an undated article that joins one event without doubt, the clock aside, is of the feed's month."""
    from tidings.events import CLOCK_CHECKS_MIN, OnlineEventDetector
    from tidings.store import StoredEvent

    def event(day: dt.date) -> StoredEvent:
        return StoredEvent(id=f"ev-{day}", title=None, date=day, date_min=day, date_max=day, size=3, sources=3)

    now = dt.date(2022, 2, 25)
    detector = OnlineEventDetector(scorer=None)
    near, late, old = event(now - dt.timedelta(days=2)), event(now - dt.timedelta(days=16)), event(dt.date(2020, 8, 9))
    for _ in range(CLOCK_CHECKS_MIN - 1):
        detector._check_clock([(near.id, (0.9, "a"))], {near.id: near}, now)
    assert not detector._clock_holds()  # too few checks yet
    detector._check_clock([(late.id, (0.9, "a"))], {late.id: late}, now)  # a report two weeks late is of its time
    assert detector._clock_holds()
    detector._check_clock([(old.id, (0.55, "a"))], {old.id: old}, now)  # not without doubt: no check
    detector._check_clock([(old.id, (0.9, "a")), (near.id, (0.8, "b"))], {old.id: old, near.id: near}, now)  # nor
    assert detector._clock_holds()
    detector._check_clock([(old.id, (0.9, "a"))], {old.id: old}, now)  # a page of another year
    assert not detector._clock_holds()
    detector.restart_clock()
    assert not detector._clock_holds() and detector.stream_day() is None


def test_the_stream_s_day_is_kept_only_where_dated_arrivals_come_in_order_of_time():
    from tidings.events import OnlineEventDetector

    def clock(days: list[int]) -> dt.date | None:
        detector = OnlineEventDetector(scorer=None, clock_arrivals=8, clock_tolerance_days=2)
        for d in days:
            detector.tick(dt.date(2022, 2, 1) + dt.timedelta(days=d))
            detector.tick(None)  # undated arrivals move nothing
        day = detector.stream_day()
        return None if day is None else (day - dt.date(2022, 2, 1)).days

    assert clock([0, 0, 1, 2, 2, 3, 5, 6]) == 6
    assert clock([0, 0, 1, 2, 2, 3, 6, 5]) == 6           # the latest of the last three
    assert clock([0, 0, 1, 2, 1, 3, 5, 6]) == 6           # a day late is in order
    assert clock([0, 9, 1, 2, 2, 3, 5, 6]) == 6           # one late arrival is allowed ...
    assert clock([0, 9, 1, 2, 2, 30, 5, 6]) is None       # ... two are not
    assert clock([40, 3, 200, 17, 90, 5, 300, 2]) is None  # an archive in no order of time
    assert clock([0, 1, 2, 3, 4, 5, 6]) is None           # too few yet
    assert clock(list(range(20))) == 19                   # only the last eight count
    assert clock([*range(8), -400]) is None              # a page of another year starts another stream
    assert clock([*range(8), -400, *range(-399, -392)]) == -393


def test_an_undated_report_finds_an_event_first_reported_in_other_languages(tmp_path):
    """Held-out 41 (the US-China trade war, 2018-20, eight and more rounds of one cast) read in no order (the bench's
    shuffled order, seed 7) up to an undated English analysis of Trump and Xi's Osaka meeting. Its event then holds a
    dated Korean report and an undated Japanese one. An undated article searches only the periods of the events whose
    reports lie nearest it as a whole, and while only each event's first report stood for it (the Korean one), the
    Osaka period was not searched and the analysis joined the tariff rise of seven weeks before. Each event's first
    report in each language now stands for it (the pipeline's periods index)."""
    import random

    records = load(FIXTURES / "events_heldout41" / "articles.jsonl")
    random.Random(7).shuffle(records)
    stream = records[: [r["id"] for r in records].index("osaka-en-2") + 1]
    event = ingest_stream(tmp_path, stream)
    osaka = [r["id"] for r in stream if r["event"].startswith("trump-xi-osaka-meeting")]
    assert {"osaka-ko-1", "osaka-ja-2", "osaka-en-2"} <= set(osaka)
    assert not next(r for r in stream if r["id"] == "osaka-en-2").get("published")
    assert event["osaka-en-2"] == event["osaka-ko-1"]


def test_a_stream_in_no_order_of_time_is_told_from_one_in_order():
    from tidings.events import OnlineEventDetector

    def no_order(days: list[int]) -> bool:
        detector = OnlineEventDetector(scorer=None, clock_arrivals=8, clock_tolerance_days=2)
        for d in days:
            detector.tick(dt.date(2019, 5, 1) + dt.timedelta(days=d))
            detector.tick(None)
        return detector.in_no_order()

    assert not no_order([0, 0, 1, 2, 2, 3, 5, 6])
    assert not no_order([0, 9, 1, 2, 2, 3, 5, 6])            # one late arrival
    assert not no_order([*range(8), -400, *range(-399, -392)])  # older pages read after today's news
    assert no_order([0, 9, 1, 2, 2, 30, 5, 6])               # two late arrivals
    assert no_order([40, 3, 200, 17, 90, 5, 300, 2])         # an archive in no order of time
    assert not no_order([40, 3, 200, 17, 90, 5, 300])        # too few to tell


@pytest.fixture(scope="module")
def trade_war_shuffled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Held-out 41 (the US-China trade war, 2018-20, 30% undated) in the bench's shuffled order (seed 7)."""
    import random

    records = load(FIXTURES / "events_heldout41" / "articles.jsonl")
    random.Random(7).shuffle(records)
    return ingest_stream(tmp_path_factory.mktemp("heldout41"), records)


@pytest.mark.parametrize(("undated", "dated"), [
    ("ba-en-2", "ba-en-1"),                # the Buenos Aires dinner, 1 December 2018
    ("phase1oct-en-2", "phase1oct-en-1"),  # the "phase one" deal in the Oval Office, 11 October 2019
    ("beijing0430-zh-1", "beijing0430-en-1"),  # the Beijing round of 30 April 2019
])
def test_an_undated_page_read_before_its_event_moves_to_it_when_its_event_comes(trade_war_shuffled, undated, dated):
    """Read in no order, these undated pages came before any report of their happening and joined the same cast's
    happening of another period (the Buenos Aires analysis joined the Oval Office deal ten months later); a dated report
    of their own happening, come later, scores higher against each than what it had joined with, and takes it over
    (``Assignment.claims``)."""
    records = {r["id"]: r for r in load(FIXTURES / "events_heldout41" / "articles.jsonl")}
    assert not records[undated].get("published") and records[dated].get("published")
    assert records[undated]["event"] == records[dated]["event"]
    assert trade_war_shuffled[undated] == trade_war_shuffled[dated]


def test_trade_war_in_no_order_bcubed_floor(trade_war_shuffled):
    gold = {r["id"]: r["event"] for r in load(FIXTURES / "events_heldout41" / "articles.jsonl")}
    b = bcubed(trade_war_shuffled, gold)
    print(f"\nheldout41 shuffled B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    assert b.f1 >= 0.85  # measured 0.883 in session 24 (0.818 before undated pages moved to their events)


def test_a_claimed_page_takes_its_syndicated_copies_along(tmp_path):
    """The Buenos Aires analysis (undated) read in no order joins the Oval Office deal ten months later, and the dated
    report of the dinner claims it (the test above). A copy of it republished by another outlet joined where the
    analysis was, as a copy does; it is one report with the analysis and moves with it."""
    import random

    records = load(FIXTURES / "events_heldout41" / "articles.jsonl")
    random.Random(7).shuffle(records)
    ids = [r["id"] for r in records]
    assert ids.index("ba-en-2") < ids.index("ba-en-1")
    analysis = records[ids.index("ba-en-2")]
    copy = analysis | {"id": "ba-en-2-copy", "outlet": "Another Daily", "title": "Trump and Xi call a truce"}
    stream = records[: ids.index("ba-en-2") + 1] + [copy] + records[ids.index("ba-en-2") + 1: ids.index("ba-en-1") + 1]
    event = ingest_stream(tmp_path, stream)
    assert event["ba-en-2"] == event["ba-en-1"]
    assert event["ba-en-2-copy"] == event["ba-en-2"]


def test_an_undated_page_alone_in_its_event_is_merged_with_its_event_into_the_event_that_claims_it(tmp_path):
    """Held-out 44 (a week of September 2022) in no order of time: its shuffled order (seed 6) shrunk to nine reports
    that still take this path. The Miami Herald's undated page on Miami's Cubans waiting for news of Ian scores 0.07
    against the Spanish report of Ian's landfall read before it and founds an event of its own. AP's dated report of
    Cuba's blackout, read last, joins the landfall and scores 0.53 against the Miami page: above the threshold, below a
    merge, and higher than the page's own 0.07, so it claims it (``Assignment.claims``). Alone in its event, the page
    takes its event along: that event merges into the landfall, and its id, which a reader may hold, finds the
    landfall."""
    from tidings.api import Tidings

    records = {r["id"]: r for r in load(FIXTURES / "events_heldout44" / "articles.jsonl")}
    order = ["rf-it-1", "ian-es-2", "ian-en-2", "abe-ja-1", "rf-en-1", "cuba-en-1", "abe-ko-1", "cbrt-tr-1", "ian-en-1"]
    landfall = {i for i in order if records[i]["event"] == "hurricane-ian-cuba-landfall-2022-09-27"}
    assert landfall == {"ian-es-2", "ian-en-2", "ian-en-1"}
    assert not records["ian-en-2"].get("published") and records["ian-es-2"]["published"]
    before, blackout = tmp_path / "before.jsonl", tmp_path / "blackout.jsonl"
    before.write_text("".join(json.dumps(records[i], ensure_ascii=False) + "\n" for i in order[:-1]), encoding="utf-8")
    blackout.write_text(json.dumps(records["ian-en-1"], ensure_ascii=False) + "\n", encoding="utf-8")
    with Tidings(tmp_path / "t.db") as t:
        t.ingest([str(before)])
        page_s_own = t.article("ian-en-2")["event"]  # the event the Miami page founded, alone
        assert page_s_own != t.article("ian-es-2")["event"]
        assert [e["articles"] for e in t.export_events() if e["id"] == page_s_own] == [["ian-en-2"]]
        t.ingest([str(blackout)])
        event = {a["id"]: a["event"] for a in t.export_articles()}
        members = {e["id"]: set(e["articles"]) for e in t.export_events()}
        assert members[event["ian-en-2"]] == landfall  # with the landfall's dated reports, and no other
        assert t.store.resolve(page_s_own) == event["ian-en-1"]
        assert t.event(page_s_own)["id"] == event["ian-en-1"]
    assert page_s_own not in members and all(members.values())  # merged away, and no event left empty


def test_an_event_that_reads_no_day_keeps_its_rank_by_score():
    """Held-out 18 (session 28): a French report of Letta's swearing-in scored 0.906 with the swearing-in's event,
    which read no day, and 0.486 with the shooting outside Palazzo Chigi, read on the report's own day. Same-day
    events come first only before events of another day; the undated one keeps its rank, so the report joins it."""
    from tidings.events import same_day_first

    d = dt.date(2013, 4, 28)
    ranked = [("ev-swearing-in", (0.906, "a")), ("ev-shooting", (0.486, "b")), ("ev-next-day", (0.7, "c"))]
    days = {"ev-swearing-in": None, "ev-shooting": d, "ev-next-day": d + dt.timedelta(days=1)}
    order = [k for k, _ in same_day_first(ranked, {"ev-shooting"}, days, threshold=0.45)]
    assert order == ["ev-swearing-in", "ev-shooting", "ev-next-day"]
    # an event of another day is still ranked behind the one reading the article's own day
    days["ev-swearing-in"] = d - dt.timedelta(days=1)
    order = [k for k, _ in same_day_first(ranked, {"ev-shooting"}, days, threshold=0.45)]
    assert order == ["ev-shooting", "ev-swearing-in", "ev-next-day"]
    # and none under the threshold is put before one over it
    assert [k for k, _ in same_day_first(ranked, {"ev-shooting"}, days, threshold=0.5)][-1] == "ev-shooting"


def test_two_shortened_versions_of_one_long_report_are_no_digest(tmp_path, seeds_dir):
    """The throughput bench's variations of seed 001 (the June 2022 call, 3,354 characters) keep about half of its
    sentences each, rotated: two of them match different chunks of the long report. That alone made the long report
    a page of two happenings (``parts_apart``), and the second variation an event of its own. A digest's two
    happenings are far apart; two versions of one report are near each other: the report is no digest."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import ingest_throughput  # the bench's own variations

    from tidings.api import Tidings

    rnd = random.Random(1)
    base = ingest_throughput.base_records(seeds_dir, "long")
    variations = [ingest_throughput.vary(r, n, rnd) for n in range(3) for r in base]
    records = [r for r in variations if r["id"].startswith("001_")]
    assert len(records) == 3
    inbox = tmp_path / "call.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with Tidings(tmp_path / "call.db") as t:
        t.ingest([str(inbox)])
        assert len({a["event"] for a in t.export_articles()}) == 1
