"""Places too common around a day to tell one happening from another (``[events] common_place_events``): counted over
the whole stream as the store holds it (``StreamDays``), on held-out 62's week of Cologne's local news."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import cologne_days

from tidings.events import PLACE_KINDS, StreamDays
from tidings.store import Store


@pytest.fixture(scope="module")
def cologne(tmp_path_factory):
    """A store of held-out 62's first three days, ingested in order of publication with the default settings."""
    from tidings.api import Tidings

    folder = tmp_path_factory.mktemp("cologne")
    with Tidings(folder / "cologne.db") as t:
        t.ingest([str(cologne_days(folder))])
        t.store.engine.dispose()
    return folder / "cologne.db"


def _recount(store: Store) -> dict[tuple[dt.date, str], set[str]]:
    """(day, place) -> events, from the stored articles themselves."""
    out: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for a in store.articles():
        day = a.happened or a.published
        for m in (a.facts or {}).get("where", []):
            if m["kind"] in PLACE_KINDS and day is not None and a.event_id:
                out[(day, m["id"])].add(store.resolve(a.event_id))
    return out


def test_the_days_read_from_the_store_count_each_places_events(cologne):
    store = Store(cologne, create=False)
    recount = _recount(store)
    days = sorted({d for d, _ in recount})
    assert len(days) >= 3
    # the city itself: named by several happenings of each day; a street or district by one
    counts = defaultdict(int)
    for (_, place), events in recount.items():
        counts[place] = max(counts[place], len(events))
    city = max(counts, key=counts.get)
    assert counts[city] >= 4, counts
    place_days = StreamDays()
    with store.engine.connect() as conn:
        for day in days:
            around = place_days.around(day, 1, store, conn)
            for place in {p for d, p in recount}:
                expected = set().union(*(recount.get((day + dt.timedelta(days=k), place), set())
                                         for k in (-1, 0, 1)))
                got = set().union(*(d.get(place, set()) for d in around))
                # the store's rows name an article's event as it was stored; a merge since resolves to the same
                assert {store.resolve(e) for e in got} == expected, (day, place)


def test_what_this_process_adds_counts_with_what_the_store_holds(cologne):
    store = Store(cologne, create=False)
    day = min(d for d, _ in _recount(store))
    place_days = StreamDays()
    with store.engine.connect() as conn:
        before = {p: len(e) for p, e in place_days.around(day, 0, store, conn)[0].items()}
        place_days.note(day, "ev-new", {"city:test", *before})
        after = place_days.around(day, 0, store, conn)[0]
    assert after["city:test"] == {"ev-new"}
    assert all(len(after[p]) == n + 1 for p, n in before.items())


def test_a_store_made_before_the_day_index_gets_it_when_opened(cologne, tmp_path):
    copy = tmp_path / "old.db"
    copy.write_bytes(Path(cologne).read_bytes())
    with sqlite3.connect(copy) as db:
        db.execute("DROP INDEX ix_articles_day")
    Store(copy, create=False).engine.dispose()
    Store(copy, create=False).engine.dispose()  # opened again: the index is there, nothing to add
    with sqlite3.connect(copy) as db:
        plan = db.execute("EXPLAIN QUERY PLAN SELECT event_id FROM articles "
                          "WHERE coalesce(happened, published) BETWEEN '2026-03-09' AND '2026-03-10'").fetchall()
    assert any("ix_articles_day" in row[-1] for row in plan), plan


def test_the_events_around_a_day_are_counted_as_the_store_holds_them(cologne):
    """The stream's events with a report within a day of a day (``[events] dense_events``): the events of the store's
    articles of those days, and what this process notes since."""
    store = Store(cologne, create=False)
    stored = [(a.happened or a.published, a.event_id) for a in store.articles() if a.event_id]
    days = sorted({d for d, _ in stored if d is not None})
    assert len(days) >= 3
    with store.engine.connect() as conn:
        for day in days:
            expected = {e for d, e in stored if d is not None and abs((d - day).days) <= 1}
            assert StreamDays().events(day, 1, store, conn) == len(expected), day
        stream_days = StreamDays()
        before = stream_days.events(days[1], 1, store, conn)
        stream_days.note(days[1], "ev-new", set())
        stream_days.note(days[1], "ev-new", set())  # a second report of it: the same event
        assert stream_days.events(days[1], 1, store, conn) == before + 1
        assert stream_days.events(days[1], 0, store, conn) == StreamDays().events(days[1], 0, store, conn) + 1
