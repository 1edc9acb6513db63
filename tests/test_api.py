"""The REST API against a real store with the seed articles: every endpoint, bad requests, the token."""

from __future__ import annotations

import pytest
from conftest_web import seed_event_ids, seeded_db
from fastapi.testclient import TestClient

from tidings.web import create_app

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seeded_db(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def ids(db: str) -> dict[str, str]:
    return seed_event_ids(db)


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    # raise_server_exceptions=False: a bug must show as the 500 a user would get, which the tests then reject.
    return TestClient(create_app(db, token=TOKEN), raise_server_exceptions=False)


def _json_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# ---- reads -----------------------------------------------------------------------------------------
def test_events_feed(client: TestClient, ids: dict[str, str]) -> None:
    """The events as an Atom feed a feed reader takes (read back with feedparser), with the filters of /api/events;
    the front page names it for the reader's discovery, with its filters."""
    import feedparser

    everything = client.get("/api/events", params={"limit": 500}).json()
    r = client.get("/feeds/events.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo and feed.feed.title == "tidings: events"
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == [e["id"] for e in everything["items"]]
    assert all(e.updated_parsed and e.summary for e in feed.entries)
    lavrov = feedparser.parse(client.get("/feeds/events.atom", params={"who": "Lavrov"}).content)
    (entry,) = lavrov.entries
    assert lavrov.feed.title == "tidings: events (who Lavrov)" and "Sergey Lavrov" in entry.summary
    assert client.get(entry.link.replace("http://testserver", "")).status_code == 200  # its page
    _json_error(client.get("/feeds/events.atom", params={"since": "2021-13"}), 422)
    # characters XML has no place for, in a filter or a stored title, are left out (lxml refused the whole feed)
    assert feedparser.parse(client.get("/feeds/events.atom", params={"who": "Lav\x01rov"}).content).feed.title == \
        "tidings: events (who Lavrov)"
    from tidings.web import events_feed

    odd = feedparser.parse(events_feed([{"id": "ev-1", "title": "Storm\x0b warning", "size": 1, "languages": ["en"]}],
                                       "http://x", "http://x/feeds/events.atom", []))
    assert not odd.bozo and odd.entries[0].title == "Storm warning"
    page = client.get("/", params={"who": "Lavrov"}).text
    assert '<link rel="alternate" type="application/atom+xml" title="tidings: these events" ' \
           'href="/feeds/events.atom?who=Lavrov">' in page


def test_stats(client: TestClient, ids: dict[str, str]) -> None:
    stats = client.get("/api/stats", params={"top": 2}).json()
    assert stats["articles"] >= len(ids) and stats["events"] >= 3 and len(stats["sources"]) <= 2
    assert {"de", "ar", "en"} <= set(stats["languages"])
    _json_error(client.get("/api/stats", params={"top": 0}), 422)


def test_events_lists_the_seed_events(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["items"]) >= 3
    got = {e["id"] for e in body["items"]}
    assert {ids["raisi_putin"], ids["lavrov"], ids["raisi_2022"]} <= got
    first = body["items"][0]
    for key in ("id", "title", "date", "languages", "outlets", "size", "who", "where", "storyline"):
        assert key in first


def test_events_filters(client: TestClient, ids: dict[str, str]) -> None:
    def ev(**params: str) -> set[str]:
        r = client.get("/api/events", params=params)
        assert r.status_code == 200, r.text
        return {e["id"] for e in r.json()["items"]}

    assert ids["lavrov"] in ev(q="Lavrov") and ids["raisi_putin"] not in ev(q="Lavrov")
    assert ev(language="ar") == {ids["raisi_putin"]}
    assert ids["raisi_putin"] in ev(who="Putin")
    assert ids["raisi_putin"] in ev(who="بوتين")  # the name in Arabic script finds the same person
    assert ids["raisi_putin"] in ev(where="Tehran")
    assert ids["raisi_putin"] in ev(since="2021-08-01", until="2021-08-31")
    assert ids["raisi_putin"] not in ev(since="2022-01-01")
    assert ev(q="no-such-words-anywhere-xyz") == set()
    assert ids["raisi_putin"] in ev(outlet="ABNA")
    # words of a report's body, in any case and script: found in one pass over the articles, folded as Python folds
    assert ev(q="TELEFONGESPRÄCH") == {ids["raisi_putin"], ids["raisi_2022"]}  # the two German reports of calls
    assert ev(q="اتصال هاتفي") == {ids["raisi_putin"]}        # Arabic 002's "telephone call"
    assert ev(q="100% telefongespräch") == set() and ev(q="_elefongespräch") == set()  # LIKE's wildcards are text


def test_events_paging(client: TestClient) -> None:
    total = client.get("/api/events").json()["total"]
    page = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == total and len(page["items"]) == 1 and page["limit"] == 1 and page["offset"] == 1
    assert client.get("/api/events", params={"offset": 1000}).json()["items"] == []


@pytest.mark.parametrize("params", [
    {"since": "not-a-date"}, {"until": "2021-13-45"}, {"limit": 0}, {"limit": 100000}, {"offset": -1},
    {"limit": "many"}, {"q": "x" * 5000},
])
def test_events_bad_parameters_are_422(client: TestClient, params: dict) -> None:
    body = _json_error(client.get("/api/events", params=params), 422)
    assert body["detail"].startswith("invalid request")


def test_events_since_after_until_is_400(client: TestClient) -> None:
    _json_error(client.get("/api/events", params={"since": "2022-01-01", "until": "2021-01-01"}), 400)


@pytest.mark.parametrize(("path", "params", "named"), [
    ("/api/events", {"query": "Putin"}, "'query'"),          # the text filter is ?q=: ignored, it listed everything
    ("/api/events", {"lang": "de", "q": "Putin"}, "'lang'"),
    ("/api/storylines", {"page": "2"}, "'page'"),
])
def test_unknown_query_parameters_are_400(client: TestClient, path: str, params: dict, named: str) -> None:
    body = _json_error(client.get(path, params=params), 400)
    assert named in body["detail"] and "takes:" in body["detail"]


def test_known_query_parameters_and_pages_stay_lenient(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/api/events", params={"q": "'\";--"})  # no such text: nothing, not everything
    assert r.status_code == 200 and r.json()["total"] == 0
    assert client.get(f"/api/events/{ids['raisi_putin']}", params={"compare": "false"}).status_code == 200
    assert client.get("/", params={"utm_source": "newsletter"}).status_code == 200


def test_event_has_articles_facts_and_comparison(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/api/events/{ids['raisi_putin']}")
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["id"] == ids["raisi_putin"]
    assert {a["language"] for a in e["articles"]} == {"de", "ar", "en"}
    assert any(w["id"] == "person:vladimir-putin" for w in e["who"])
    assert any(w["name"] == "Tehran" for w in e["where"])
    assert e["date"] == "2021-08-18"
    if e["comparison_available"]:
        claims = e["comparison"]["claims"]
        assert claims and all(c["sentences"] for c in claims)
    else:
        assert e["comparison"] is None
    assert client.get(f"/api/events/{ids['raisi_putin']}", params={"compare": False}).json()["comparison"] is None


def test_event_not_found_is_404(client: TestClient) -> None:
    body = _json_error(client.get("/api/events/ev-nope"), 404)
    assert "ev-nope" in body["detail"]


def test_merged_event_id_resolves(tmp_path, ids: dict[str, str]) -> None:
    from tidings.api import Tidings
    from tidings.store import aliases

    db = seeded_db(tmp_path)
    with Tidings(db) as t, t.store.engine.begin() as conn:
        conn.execute(aliases.insert().values(alias="ev-gone", target=ids["raisi_putin"], kind="event"))
    c = TestClient(create_app(db), raise_server_exceptions=False)
    e = c.get("/api/events/ev-gone", params={"compare": False}).json()
    assert e["id"] == ids["raisi_putin"] and e["requested_id"] == "ev-gone"
    assert "was merged" in c.get("/events/ev-gone").text


def test_storylines(client: TestClient, ids: dict[str, str]) -> None:
    body = client.get("/api/storylines").json()
    assert body["total"] == len(body["items"]) >= 1
    sid = ids["storyline"]
    assert sid in {s["id"] for s in body["items"]}
    s = client.get(f"/api/storylines/{sid}").json()
    assert ids["raisi_putin"] in s["events"]
    assert [i["event"] for i in s["timeline"]] and all("date" in i for i in s["timeline"])
    _json_error(client.get("/api/storylines/st-nope"), 404)


def test_article(client: TestClient, ids: dict[str, str]) -> None:
    a = client.get("/api/articles/002_177dc29227984ed5").json()
    assert a["language"] == "ar" and a["event"] == ids["raisi_putin"] and "بوتين" in a["text"]
    _json_error(client.get("/api/articles/nope"), 404)


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/events/{event_id}", "/api/storylines", "/api/storylines/{storyline_id}",
              "/api/articles/{article_id}", "/api/articles", "/api/similarity"):
        assert p in paths


# ---- writes and the token ----------------------------------------------------------------------------
ARTICLE = {
    "id": "post-lavrov-ru",
    "title": "Лавров прибыл в Тегеран",
    "text": "Министр иностранных дел России Сергей Лавров прибыл в Тегеран, где проведет переговоры с "
            "министром иностранных дел Ирана Мохаммадом Джавадом Зарифом. Стороны обсудят ядерную сделку, "
            "двустороннее сотрудничество и ситуацию в регионе. Лавров заявил, что Россия выступает за "
            "полное восстановление СВМД.",
    "outlet": "TASS", "published": "2021-04-13", "url": "https://example.org/lavrov-tehran", "language": "ru",
}


def test_write_without_configured_token_is_403(db: str) -> None:
    c = TestClient(create_app(db, token=""), raise_server_exceptions=False)
    body = _json_error(c.post("/api/articles", json=ARTICLE, headers=AUTH), 403)
    assert "TIDINGS_TOKEN" in body["detail"]


def test_token_comes_from_the_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIDINGS_TOKEN", "from-env")
    c = TestClient(create_app(db), raise_server_exceptions=False)
    _json_error(c.post("/api/articles", json={"text": ""}, headers=AUTH), 401)
    r = c.post("/api/articles", json={"text": ""}, headers={"Authorization": "Bearer from-env"})
    assert r.status_code == 200 and r.json()["status"] == "skipped"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"},
                                     {"Authorization": TOKEN}])
def test_write_with_missing_or_wrong_token_is_401(client: TestClient, headers: dict) -> None:
    r = client.post("/api/articles", json=ARTICLE, headers=headers)
    _json_error(r, 401)
    assert r.headers.get("www-authenticate") == "Bearer"


@pytest.mark.parametrize("body", [b"{not json", b'"just a string"', b"42", b'{"title": "no text"}',
                                  b'{"text": 5}', b'[{"text": "ok"}, 7]', b'{"text": "x", "published": 12}'])
def test_bad_bodies_are_4xx(client: TestClient, body: bytes) -> None:
    r = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert isinstance(r.json()["detail"], str)


def test_empty_and_oversized_lists(client: TestClient) -> None:
    _json_error(client.post("/api/articles", json=[], headers=AUTH), 400)
    _json_error(client.post("/api/articles", json=[{"text": "x"}] * 201, headers=AUTH), 413)


def test_post_article_joins_an_event_and_shows_without_restart(client: TestClient, ids: dict[str, str]) -> None:
    r = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "stored" and body["id"] == "post-lavrov-ru" and body["event"]
    # Readable at once, through the same app, from the store.
    a = client.get("/api/articles/post-lavrov-ru").json()
    assert a["language"] == "ru" and a["event"] == body["event"] and a["outlet"] == "TASS"
    e = client.get(f"/api/events/{body['event']}", params={"compare": False}).json()
    assert "post-lavrov-ru" in {x["id"] for x in e["articles"]}
    assert body["event"] in {x["id"] for x in client.get("/api/events", params={"language": "ru"}).json()["items"]}
    # The same article again is skipped with a reason, not stored twice.
    again = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "skipped" and again.json()["reason"]


def test_posting_an_updated_article_replaces_it(client: TestClient) -> None:
    """A CMS posts a correction under the same id and URL: the store holds the new text, counted once."""
    client.post("/api/articles", json=ARTICLE, headers=AUTH)  # stored here, or by the test before
    first = client.get("/api/articles/post-lavrov-ru").json()
    corrected = ARTICLE | {"text": ARTICLE["text"] + " Позднее Лавров встретился также с президентом Ирана Хасаном "
                                                      "Роухани."}
    r = client.post("/api/articles", json=[corrected], headers=AUTH)  # a list this time: the same source still
    assert r.status_code == 201, r.text
    (result,) = r.json()["results"]
    assert result["status"] == "stored" and result["replaced"] is True and result["event"] == first["event"]
    now = client.get("/api/articles/post-lavrov-ru").json()
    assert "Роухани" in now["text"]
    (earlier,) = now["earlier_versions"]
    assert earlier["title"] == ARTICLE["title"] and earlier["published"] == "2021-04-13" and earlier["replaced_at"]
    page = client.get(f"/events/{first['event']}").text  # the event page says it
    assert f'title="replaced {earlier["replaced_at"]}">updated</span>' in page
    e = client.get(f"/api/events/{first['event']}", params={"compare": False}).json()
    assert [x["id"] for x in e["articles"]].count("post-lavrov-ru") == 1
    # the first version posted again is an earlier version, not stored
    again = client.post("/api/articles", json=ARTICLE, headers=AUTH).json()
    assert again["status"] == "skipped" and "earlier version" in again["reason"]


def test_delete_an_article(client: TestClient) -> None:
    doomed = ARTICLE | {"id": "doomed", "url": "https://example.org/doomed", "text": "Wegen eines Streiks fielen am "
             "Montag in Hamburg alle Busse und U-Bahnen aus, teilte die Hochbahn mit. Der Streik soll bis Dienstag "
             "dauern.", "language": "de"}
    stored = client.post("/api/articles", json=doomed, headers=AUTH).json()
    assert stored["status"] == "stored"
    _json_error(client.delete("/api/articles/doomed"), 401)
    r = client.delete("/api/articles/doomed", headers=AUTH)
    assert r.status_code == 200 and r.json() == {"deleted": "doomed", "event": stored["event"], "event_left": False}
    _json_error(client.get("/api/articles/doomed"), 404)
    _json_error(client.get(f"/api/events/{stored['event']}"), 404)
    assert "no article 'doomed'" in _json_error(client.delete("/api/articles/doomed", headers=AUTH), 404)["detail"]
    # deleted for good: posted again, it is refused
    client.post("/api/articles", json=doomed, headers=AUTH)
    assert client.delete("/api/articles/doomed", params={"for_good": True}, headers=AUTH).status_code == 200
    again = client.post("/api/articles", json=doomed, headers=AUTH).json()
    assert again["status"] == "skipped" and again["reason"].startswith("deleted from this store for good")
    # the takedown listed, withdrawn (with the token), and the article stored when posted again
    assert [d["id"] for d in client.get("/api/takedowns").json()] == ["doomed"]
    _json_error(client.delete("/api/takedowns/doomed"), 401)
    assert client.delete("/api/takedowns/doomed", headers=AUTH).json() == {"lifted": "doomed"}
    assert "not taken down: doomed" in _json_error(client.delete("/api/takedowns/doomed", headers=AUTH), 404)["detail"]
    assert client.get("/api/takedowns").json() == []
    assert client.post("/api/articles", json=doomed, headers=AUTH).json()["status"] == "stored"


def test_post_list_answers_per_item(client: TestClient) -> None:
    items = [
        {"text": "Le président iranien Ebrahim Raïssi s'est entretenu mercredi au téléphone avec Vladimir "
                 "Poutine. Les deux présidents ont évoqué le renforcement des liens entre Téhéran et Moscou.",
         "language": "fr", "published": "2021-08-19"},
        {"text": "   "},
        {"text": "Too short."},
    ]
    r = client.post("/api/articles", json=items, headers=AUTH)
    assert r.status_code == 201, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["stored", "skipped", "skipped"]
    assert results[0]["event"] and "text" in results[1]["reason"] and results[2]["reason"]
    assert r.json()["summary"]["stored"] == 1


# ---- similarity ---------------------------------------------------------------------------------------
def test_similarity(client: TestClient) -> None:
    r = client.post("/api/similarity", json={
        "text1": "Iranian President Ebrahim Raisi spoke with Russian President Vladimir Putin by phone on Wednesday.",
        "text2": "Der iranische Präsident Raisi hat am Mittwoch mit dem russischen Präsidenten Putin telefoniert.",
        "lang1": "en", "lang2": "de"})
    if r.status_code == 501:
        pytest.skip(r.json()["detail"])
    assert r.status_code == 200, r.text
    body = r.json()
    for key in ("overall", "geography", "entities", "time", "narrative", "same_story"):
        assert key in body
    assert 1 <= body["overall"] <= 4


@pytest.mark.parametrize("body", [{}, {"text1": "a"}, {"text1": "", "text2": "b"}, {"text1": 1, "text2": 2}])
def test_similarity_bad_bodies(client: TestClient, body: dict) -> None:
    assert client.post("/api/similarity", json=body).status_code == 422


# ---- pages --------------------------------------------------------------------------------------------
def test_pages_render(client: TestClient, ids: dict[str, str]) -> None:
    front = client.get("/")
    assert front.status_code == 200 and "Iran, Russia discuss boosting ties" in front.text
    ev = client.get(f"/events/{ids['raisi_putin']}")
    assert ev.status_code == 200
    assert 'lang="ar" dir="rtl"' in ev.text and 'lang="de" dir="ltr"' in ev.text
    assert client.get("/search", params={"q": "Lavrov"}).status_code == 200
    assert f"/events/{ids['lavrov']}" in client.get("/search", params={"q": "Lavrov"}).text
    assert client.get("/storylines").status_code == 200
    s = client.get(f"/storylines/{ids['storyline']}")
    assert s.status_code == 200 and "<svg" in s.text
    assert client.get("/static/style.css").status_code == 200


def test_pages_bad_input_is_4xx_page(client: TestClient) -> None:
    for url in ("/events/nope", "/storylines/nope"):
        r = client.get(url)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    r = client.get("/", params={"since": "yesterday"})
    assert r.status_code == 400 and "since" in r.text
    r = client.get("/", params={"since": "2021-09", "until": "2021-08"})  # a month: from its first day to its last
    assert r.status_code == 400 and "2021-09-01" in r.text and "2021-08-31" in r.text
    # A form submitted without JavaScript sends its empty fields: that means no filter, not an error.
    r = client.get("/", params={"q": "", "since": "", "until": "", "language": "", "who": "", "where": ""})
    assert r.status_code == 200 and "Iran, Russia discuss boosting ties" in r.text


def test_front_page_takes_a_month_or_a_year(client: TestClient, ids: dict[str, str]) -> None:
    august = client.get("/", params={"since": "2021-08", "until": "2021-08"})
    assert august.status_code == 200 and f"/events/{ids['raisi_putin']}" in august.text
    assert 'value="2021-08-01"' in august.text and 'value="2021-08-31"' in august.text  # the form shows the days
    assert f"/events/{ids['lavrov']}" not in august.text  # undated: in no span
    assert f"/events/{ids['raisi_putin']}" not in client.get("/", params={"since": "2022"}).text


def test_single_article_event_page_has_no_comparison(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/events/{ids['raisi_2022']}")
    assert r.status_code == 200 and 'class="comparison"' not in r.text


def test_serve_command_is_registered() -> None:
    from typer.testing import CliRunner

    from tidings.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--db" in result.output


def test_serve_names_a_missing_store_instead_of_serving_an_empty_one(tmp_path, monkeypatch) -> None:
    """Without a token nothing can fill a new store through the server: a mistyped --db is an error naming it (it
    was created and served empty). With one, the server starts it for the articles posted to it (not run here)."""
    from typer.testing import CliRunner

    from tidings.cli import app

    monkeypatch.delenv("TIDINGS_TOKEN", raising=False)
    missing = tmp_path / "mistyped.db"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 2 and f"no store at {missing}" in " ".join(result.stderr.split())
    assert not missing.exists()
