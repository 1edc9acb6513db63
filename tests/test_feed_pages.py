"""A feed entry that holds only a summary is read from the page it links to; a page that cannot be fetched leaves the
summary, which never replaces a whole text stored before."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest

from tidings.articles import RawDocument
from tidings.config import load_settings
from tidings.pipeline import Pipeline
from tidings.readers import PathReader, UrlReader

SUMMARY = ("Iran and Russia have held high-level talks on bilateral ties during Russian foreign minister Sergey "
           "Lavrov's trip to Tehran on Tuesday.")
VIDEO_SUMMARY = "Watch: Lavrov arrives at Mehrabad airport in Tehran for talks with Iranian officials on Tuesday."


@pytest.fixture()
def site(web_site, seeds_dir: Path):
    """A local web server: a feed of four entries (two summaries linking to pages, one to a video, one whole text),
    seed 004 (Lavrov in Tehran) as the first entry's page; (folder, base URL, paths requested)."""
    folder, base, requested = web_site.folder, web_site.base, web_site.paths
    whole = (seeds_dir / "004_55c22112cef1f973.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in whole.splitlines() if p.strip())
    (folder / "lavrov.html").write_text(
        "<!DOCTYPE html><html><head><title>Lavrov in Tehran | Wire</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Iran and Russia hold talks</h1>{paragraphs}</article><footer>© Wire</footer></body></html>",
        encoding="utf-8")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    long_text = " ".join([SUMMARY] * 6)
    items = [("lavrov", "Iran and Russia hold talks", SUMMARY), ("zarif", "Zarif in Moscow", SUMMARY.replace(
        "Lavrov's trip to Tehran", "Zarif's trip to Moscow")), ("clip", "Video: Lavrov lands", VIDEO_SUMMARY),
        ("whole", "The whole text", long_text)]
    link = {"lavrov": f"{base}/lavrov.html", "zarif": f"{base}/zarif.html", "clip": f"{base}/clip.mp4",
            "whole": f"{base}/whole.html"}
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>' + "".join(
            f"<item><title>{title}</title><link>{link[key]}</link><guid>{key}</guid>"
            f"<pubDate>Tue, 13 Apr 2021 09:30:00 +0000</pubDate><description>{text}</description></item>"
            for key, title, text in items) + "</channel></rss>", encoding="utf-8")
    return folder, base, requested


def test_a_summary_is_read_from_its_page_once_and_a_missing_page_leaves_the_summary(site) -> None:
    folder, base, requested = site
    reader = PathReader()
    lavrov, zarif, clip, whole = reader.read([f"{base}/feed.xml"])
    assert isinstance(lavrov, RawDocument) and lavrov.title == "Iran and Russia hold talks"  # the feed's own
    assert "Security Council arms embargo" in lavrov.text and "Home | World" not in lavrov.text
    assert lavrov.published is not None and lavrov.outlet == "Wire" and not lavrov.summary_only
    assert zarif.text == SUMMARY.replace("Lavrov's trip to Tehran", "Zarif's trip to Moscow") and zarif.summary_only
    assert clip.text == VIDEO_SUMMARY and not clip.summary_only  # a video holds no more text: the entry is the article
    assert "The whole text" == whole.title and not whole.summary_only
    assert sorted(requested) == ["/clip.mp4", "/feed.xml", "/lavrov.html", "/zarif.html"]  # not the whole entry's

    again = list(reader.read([f"{base}/feed.xml"]))  # read again (a follower's next round): no page fetched again
    assert [d.text for d in again] == [lavrov.text, zarif.text, clip.text, whole.text]
    assert requested[4:] == ["/feed.xml"]

    # the feed now gives the entry whose page was missing whole: it is the article, not a summary standing in
    feed = folder / "feed.xml"
    whole_zarif = " ".join([zarif.text] * 6)
    feed.write_text(feed.read_text(encoding="utf-8").replace(zarif.text, whole_zarif, 1), encoding="utf-8")
    _, zarif_whole, _, _ = reader.read([f"{base}/feed.xml"])
    assert zarif_whole.text == whole_zarif and not zarif_whole.summary_only
    feed.write_text(feed.read_text(encoding="utf-8").replace(whole_zarif, zarif.text, 1), encoding="utf-8")

    as_given = list(PathReader(feed_pages="never").read([f"{base}/feed.xml"]))
    assert as_given[0].text == SUMMARY and not any(d.summary_only for d in as_given)
    with pytest.raises(ValueError, match=r"\[reader\] feed_pages"):
        PathReader(feed_pages="sometimes")
    assert UrlReader().fetch(f"{base}/clip.mp4", pages_only=True) == (b"", "video/mp4")  # its body left unread


def test_a_summary_standing_in_for_its_page_does_not_replace_the_whole_text_stored(site, tmp_path: Path) -> None:
    folder, base, _ = site
    db = tmp_path / "feed.db"

    def ingest():  # a run of its own each time: a new reader, which remembers no page
        pipeline = Pipeline(load_settings(overrides={"store": {"url": str(db)}, "embedder": {"workers": 0}}))
        try:
            report = pipeline.ingest([f"{base}/feed.xml"])
            return report, {a.id: a for a in pipeline.store.articles()}
        finally:
            pipeline.close()

    first, stored = ingest()
    assert len(first.stored) == 4 and "Security Council arms embargo" in stored["lavrov"].text

    (folder / "lavrov.html").unlink()  # the page is gone (or the site is down) at the next run
    second, stored = ingest()
    assert not second.stored and "Security Council arms embargo" in stored["lavrov"].text
    reasons = {s.source.rsplit("#", 1)[-1]: s.reason for s in second.skipped}
    assert reasons["1"].startswith("a feed's summary of a stored article") and "longer text is kept" in reasons["1"]

    (folder / "zarif.html").write_text(  # the page that was missing comes: its whole text replaces the summary
        "<!DOCTYPE html><html><body><article><h1>Zarif in Moscow</h1>"
        + "".join(f"<p>Iranian Foreign Minister Mohammad Javad Zarif met Sergey Lavrov in Moscow, part {n}, on "
                  "Tuesday to discuss the nuclear deal and the war in Afghanistan with his Russian host.</p>"
                  for n in range(1, 4)) + "</article></body></html>", encoding="utf-8")
    third, stored = ingest()
    assert third.summary()["replaced"] == 1 and "part 3" in stored["zarif"].text
    page_text = stored["zarif"].text
    assert len(page_text) < 600  # a whole text shorter than what the reader takes for a summary

    (folder / "zarif.html").unlink()  # gone again: its summary stands in, and the shorter text does not replace it
    fourth, stored = ingest()
    assert not fourth.stored and stored["zarif"].text == page_text


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local web server answering with ``handler``, for answers a folder cannot give (503s, dropped connections);
    its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_that_keeps_failing_is_not_asked_for_every_entry(tmp_path: Path) -> None:
    """A site answering 503 (or timing out) costs a feed's reading a few tries, not one per entry, two at a time; the
    entries keep their summaries."""
    from tidings.readers import HOST_FAILURES, PAGES_PER_HOST

    requested: list[str] = []
    in_flight, most = [0], [0]
    lock = threading.Lock()
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>' + "".join(
        f"<item><title>Entry {n}</title><link>{{base}}/busy/{n}</link><guid>busy-{n}</guid>"
        f"<description>{SUMMARY}</description></item>" for n in range(1, 9)) + "</channel></rss>")

    class Busy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's name
            requested.append(self.path)
            if self.path.startswith("/busy/"):
                with lock:
                    in_flight[0] += 1
                    most[0] = max(most[0], in_flight[0])
                time.sleep(0.3)  # long enough for the other download of this site to overlap it
                with lock:
                    in_flight[0] -= 1
            if self.path == "/feed.xml":
                body = feed.replace("{base}", f"http://127.0.0.1:{self.server.server_address[1]}").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(503, "Service Unavailable")

        def log_message(self, *args: object) -> None:
            pass

    with serving(Busy) as base:
        entries = list(PathReader().read([f"{base}/feed.xml"]))
    assert [e.text for e in entries] == [SUMMARY] * 8 and all(e.summary_only for e in entries)
    busy = [p for p in requested if p.startswith("/busy/")]
    assert len(busy) == HOST_FAILURES + PAGES_PER_HOST - 1 == 4  # the last two in flight when the third failed
    assert most[0] == PAGES_PER_HOST


def test_an_aggregators_entry_names_its_own_outlet() -> None:
    """Google News and other aggregators name each entry's outlet in <source>; the channel's title is the aggregator."""
    from tidings.readers import FeedReader

    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>'
            '<item><title>Lavrov in Tehran - Reuters</title><link>https://example.org/1</link>'
            f'<source url="https://www.reuters.com">Reuters</source><description>{SUMMARY}</description></item>'
            f'<item><title>Lavrov in Tehran</title><link>https://example.org/2</link><description>{SUMMARY}'
            "</description></item></channel></rss>")
    aggregated, own = FeedReader().entries(feed.encode(), "news.xml")
    assert aggregated.outlet == "Reuters" and own.outlet == "Google News"
    assert aggregated.title == own.title == "Lavrov in Tehran"  # the outlet's name off the aggregator's headline


def test_a_page_whose_connection_drops_once_is_asked_for_again(tmp_path: Path, seeds_dir: Path) -> None:
    """A busy server that drops a connection without an answer: the page is asked for once more, not given up."""
    whole = (seeds_dir / "004_55c22112cef1f973.txt").read_text(encoding="utf-8")
    page = ("<!DOCTYPE html><html><body><article><h1>Iran and Russia hold talks</h1>"
            + "".join(f"<p>{escape(p)}</p>" for p in whole.splitlines() if p.strip()) + "</article></body></html>")
    asked: list[str] = []

    class Dropping(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's name
            asked.append(self.path)
            if self.path == "/feed.xml":
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Talks'
                        f"</title><link>{base}/lavrov.html</link><description>{SUMMARY}</description></item>"
                        "</channel></rss>").encode()
                content_type = "application/rss+xml"
            elif asked.count(self.path) == 1:
                self.close_connection = True  # the first time: no answer at all
                return
            else:
                body, content_type = page.encode(), "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Dropping) as base:
        (entry,) = PathReader().read([f"{base}/feed.xml"])
    assert asked == ["/feed.xml", "/lavrov.html", "/lavrov.html"]
    assert "Security Council arms embargo" in entry.text and not entry.summary_only


def test_a_page_that_is_a_consent_wall_leaves_the_summary(web_site, tmp_path: Path) -> None:
    """A site that shows robots its cookie notice: the page holds more text than the entry, but once cleaned only the
    headline; the entry's summary is the article."""
    summary = ("Un terremoto de magnitud 6,8 sacudió la noche del viernes el sur de Marruecos y causó más de mil "
               "muertos en la región de Al Hauz, según el Ministerio del Interior.")
    headline = "Terremoto de magnitud 6,8 sacude el sur de Marruecos"
    (web_site.folder / "quake.html").write_text(
        f"<!DOCTYPE html><html><body><article><h1>{headline}</h1><p>Utilizamos cookies propias y de terceros para "
        "mejorar nuestros servicios y mostrarle publicidad relacionada con sus preferencias mediante el análisis de "
        "sus hábitos de navegación. Si continúa navegando, consideramos que acepta su uso. Puede cambiar la "
        "configuración u obtener más información en nuestra política de cookies.</p><p>Suscríbase a nuestro "
        "boletín para recibir las noticias del día en su correo.</p></article></body></html>", encoding="utf-8")
    (web_site.folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Diario</title><item>'
        f"<title>{headline}</title><link>{web_site.base}/quake.html</link><description>{summary}</description>"
        "</item></channel></rss>", encoding="utf-8")
    pipeline = Pipeline(load_settings(overrides={"store": {"url": str(tmp_path / "c.db")}, "embedder": {"workers": 0}}))
    try:
        (doc,) = pipeline.reader.read([f"{web_site.base}/feed.xml"])
        assert "cookies" in doc.text and doc.summary == summary  # the page's text, longer than the summary
        article = pipeline.prepare(doc)
    finally:
        pipeline.close()
    assert article.text == summary and article.title == headline
