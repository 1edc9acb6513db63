"""Lists of events a page at a time (web page, REST API, ``tidings events --limit``): the same events in the
same order as the whole list, read from the database a page at a time when only dates filter them."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from conftest import TIDINGS_CLI

from tidings.api import Tidings
from tidings.store import Store, StoredEvent


@pytest.fixture(scope="module")
def many_events(tmp_path_factory: pytest.TempPathFactory):
    """130 events of one article each: dated over three months, undated ones, and many sharing a creation time
    (one batch's); most in one of 40 storylines."""
    db = tmp_path_factory.mktemp("pages") / "pages.db"
    store = Store(db)
    rnd = random.Random(5)
    batch_time = dt.datetime(2024, 5, 1, 12, 0)
    with store.transaction() as conn:
        for i in range(130):
            day = None if i % 7 == 0 else dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(90))
            happened = day if i % 3 == 0 else None  # the date of the happening, else only article dates
            created = batch_time if i % 2 else batch_time + dt.timedelta(minutes=i)
            event_id, language, outlet = f"ev-{rnd.getrandbits(48):012x}", "en" if i % 4 else "de", f"Outlet {i % 5}"
            storyline = None if i % 3 == 0 else f"st-{i % 40:02d}"  # 40 storylines, most of several events
            store.save_event(conn, StoredEvent(
                id=event_id, title=f"event {i}", date=happened, date_min=day, date_max=day, size=1, sources=1,
                languages=[language], outlets=[outlet], storyline_id=storyline, created_at=created,
                updated_at=created), exists=False)
            if storyline:
                store.save_storyline(conn, storyline, f"storyline {i % 40}", created)
            store.insert_article(conn, {  # its one article
                "seq": i + 1, "id": f"a{i}", "content_hash": f"{i:064d}", "source": "test", "url": None,
                "title": f"event {i}", "outlet": outlet, "dateline": None, "published": day, "happened": happened,
                "language": language, "text": f"The report of event {i}.", "facts": None, "event_id": event_id,
                "event_score": 0.0, "duplicate_of": None, "signature": None, "ingested_at": created}, [])
    store.close()
    t = Tidings(db)
    yield t
    t.close()


@pytest.mark.parametrize(("since", "until", "language"), [
    (None, None, None), ("2024-04-01", None, None), (None, "2024-04-15", None), ("2024-03-20", "2024-04-20", None),
    (None, None, "de"), ("2024-04-01", None, "en"),
])
def test_pages_are_slices_of_the_whole_list(many_events: Tidings, since, until, language):
    whole = many_events.events(since=since, until=until, language=language)
    assert 0 < len(whole) <= 130
    seen: list[str] = []
    for offset in range(0, len(whole) + 20, 20):
        total, page = many_events.events_page(20, offset, since=since, until=until, language=language)
        assert total == len(whole)
        assert page == whole[offset:offset + 20]
        seen += [e["id"] for e in page]
    assert seen == [e["id"] for e in whole]  # no event twice, none skipped, in spite of the ties


def test_an_unfiltered_page_does_not_read_every_event(many_events: Tidings, monkeypatch):
    def whole_list(*_args, **_kwargs):
        raise AssertionError("read every event for one page")

    monkeypatch.setattr(many_events.store, "events", whole_list)
    total, page = many_events.events_page(10, 30, since="2024-03-01")
    assert total > 40 and len(page) == 10


def test_other_filters_page_the_filtered_list(many_events: Tidings):
    outlet = many_events.events(outlet="outlet 3")  # any part of the name, in any case
    total, page = many_events.events_page(5, 5, outlet="outlet 3")
    assert 5 < total == len(outlet) < 130 and page == outlet[5:10]


def test_facets_are_the_languages_and_outlets_of_the_articles(seeds_db):
    t = Tidings(seeds_db)
    try:
        languages, outlets = t.facets()
        everything = t.events()
    finally:
        t.close()
    assert languages == sorted({lang for e in everything for lang in e["languages"]}) == ["ar", "de", "en"]
    assert outlets == sorted({o for e in everything for o in e["outlets"] if o})


def test_cli_limit_shows_the_latest_and_says_how_many_more(many_events: Tidings):
    import subprocess

    db = many_events.store.engine.url.database
    shown = subprocess.run([*TIDINGS_CLI, "events", "--db", db, "--limit", "3", "--json"], capture_output=True,
                           text=True, check=True)
    assert [json.loads(line)["id"] for line in shown.stdout.splitlines()] == \
           [e["id"] for e in many_events.events()[:3]]
    table = subprocess.run([*TIDINGS_CLI, "events", "--db", db, "--limit", "3"], capture_output=True, text=True,
                           check=True)
    assert "the latest 3 of 130 events (--limit 0 for all)" in table.stdout


def test_the_table_shows_a_bounded_number_of_the_latest_events_unless_told(many_events: Tidings,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """Without --limit the table stops at ``EVENTS_TABLE_ROWS`` (a terminal table of 33k events took rich 32 s to lay
    out), saying so; --limit 0 shows all, and JSON lines are all without asking."""
    from typer.testing import CliRunner

    from tidings import cli

    db = many_events.store.engine.url.database
    runner = CliRunner()
    monkeypatch.setattr(cli, "EVENTS_TABLE_ROWS", 100)
    capped = runner.invoke(cli.app, ["events", "--db", db])
    assert capped.exit_code == 0 and "the latest 100 of 130 events (--limit 0 for all)" in capped.output
    everything = runner.invoke(cli.app, ["events", "--db", db, "--limit", "0"])
    assert everything.exit_code == 0 and "130 events" in everything.output and "the latest" not in everything.output
    lines = runner.invoke(cli.app, ["events", "--db", db, "--json"]).output.splitlines()
    assert len(lines) == 130


def test_exports_read_the_store_in_batches_and_group_articles_by_event(seeds_db):
    store = Store(seeds_db)
    try:
        whole = store.articles()
        in_batches = list(store.article_rows(batch=2))  # three reads of at most two articles
        members = store.event_members()
    finally:
        store.close()
    assert [a.id for a in in_batches] == [a.id for a in whole]
    assert [a.display_title for a in in_batches] == [a.display_title for a in whole]  # from the head of the text
    assert members == {e: [a.id for a in whole if a.event_id == e] for e in {a.event_id for a in whole}}


def test_storyline_pages_are_slices_of_the_whole_list(many_events: Tidings):
    whole = many_events.storylines()
    assert len(whole) == 40 and sum(len(s["events"]) for s in whole) == len([i for i in range(130) if i % 3])
    seen = []
    for offset in range(0, 50, 15):
        total, page = many_events.storylines_page(15, offset)
        assert total == 40 and page == whole[offset:offset + 15]
        seen += [s["id"] for s in page]
    assert seen == [s["id"] for s in whole]


def test_storylines_web_page_and_api_are_paged(many_events: Tidings):
    from fastapi.testclient import TestClient

    from tidings.web import create_app

    client = TestClient(create_app(tidings=many_events), raise_server_exceptions=False)
    body = client.get("/api/storylines", params={"limit": 10, "offset": 35}).json()
    assert body["total"] == 40 and len(body["items"]) == 5 and body["offset"] == 35
    first, second = client.get("/storylines"), client.get("/storylines", params={"page": 2})
    assert first.status_code == second.status_code == 200
    assert "page 1 of 2" in first.text and "page 2 of 2" in second.text
    assert client.get("/storylines", params={"page": 0}).status_code == 400  # a page, not JSON: 400
