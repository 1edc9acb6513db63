"""Web archives (WARC, as Common Crawl's CC-NEWS and wget --warc-file write them): each archived web page read as a page
file is, under its address; the crawl's bookkeeping, redirects and images passed over in one line."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import io
import threading
from pathlib import Path

from conftest import gold_groups, seed_files
from test_readers import NEWS_HTML
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tidings.api import Tidings
from tidings.articles import RawDocument, ReadError
from tidings.readers import LeftOutFiles, PathReader, sniff_kind

LAVROV_URL = "https://gulfdailywire.example/world/2021/04/13/lavrov-tehran"
ARABIC_PAGE = """<html><head><meta charset="windows-1256"><title>لافروف يصل إلى طهران</title></head><body><article>
<h1>لافروف يصل إلى طهران لإجراء محادثات</h1>
<p>وصل وزير الخارجية الروسي سيرغي لافروف إلى طهران يوم الثلاثاء لإجراء محادثات مع نظيره الإيراني محمد جواد ظريف،
بعد أيام من انفجار ألحق أضرارا بموقع نطنز للتخصيب.</p>
<p>ومن المتوقع أن يبحث الوزيران الجهود المبذولة في فيينا لإحياء الاتفاق النووي لعام 2015،
والوضع في أفغانستان وسوريا.</p>
</article></body></html>"""


def seed_page(path: Path) -> str:
    """A seed article as the web page it came from: its first line the headline, its paragraphs the article."""
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
            "</body></html>")


class Crawl:
    """A WARC file written as a crawler writes one: warcinfo, then a request and a response per address."""

    def __init__(self, path: Path, gzipped: bool = True) -> None:
        self.fh = path.open("wb")
        self.writer = WARCWriter(self.fh, gzip=gzipped)
        self.writer.write_record(self.writer.create_warcinfo_record(path.name, {"software": "test-crawler"}))

    def page(self, url: str, body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8",
             extra: list[tuple[str, str]] | None = None) -> None:
        request = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example")], is_http_request=True))
        headers = StatusAndHeaders(status, [("Content-Type", content_type), *(extra or [])], protocol="HTTP/1.1")
        response = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                                  warc_headers_dict={"WARC-Date": "2024-01-02T03:04:05Z"})
        self.writer.write_record(request)
        self.writer.write_record(response)

    def close(self) -> None:
        self.fh.close()


def read_all(*sources: Path) -> list[RawDocument | ReadError]:
    return list(PathReader().read([str(s) for s in sources]))


def test_a_crawl_of_news_pages_is_read_page_by_page(tmp_path):
    path = tmp_path / "CC-NEWS-20210413.warc.gz"
    crawl = Crawl(path)
    crawl.page(LAVROV_URL, NEWS_HTML.encode("utf-8"))
    crawl.page("https://gulfdailywire.example/old", b"", status="301 Moved Permanently",
               extra=[("Location", LAVROV_URL)])
    crawl.page("https://gulfdailywire.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png")
    crawl.page("https://gulfdailywire.example/missing", b"<html>Not found</html>", status="404 Not Found")
    # an Arabic site still serving windows-1256, as its server's header says
    crawl.page("https://arabwire.example/lavrov", ARABIC_PAGE.encode("windows-1256"),
               content_type="text/html; charset=windows-1256")
    crawl.close()
    assert sniff_kind(path) == "warc"
    items = read_all(path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [d.url for d in docs] == [LAVROV_URL, "https://arabwire.example/lavrov"]
    english, arabic = docs
    assert english.title == "Lavrov arrives in Tehran for talks on nuclear deal"
    assert english.outlet == "Gulf Daily Wire"
    assert english.published == dt.datetime(2021, 4, 13)  # the page's date, not the crawl's (2024-01-02)
    assert english.source == f"{path}#3"  # warcinfo, request, response
    assert english.id == "https-gulfdailywire.example-world-2021-04-13-lavrov-tehran"
    assert "سيرغي لافروف" in arabic.text
    notes = [str(i) for i in items if isinstance(i, LeftOutFiles)]
    assert notes == [f"{path}: 3 records that hold no web page passed over (image/png 1, redirects 1, status 404 1)"]
    assert not [i for i in items if isinstance(i, ReadError) and not isinstance(i, LeftOutFiles)]


def test_the_seeds_crawled_make_the_gold_events(tmp_path, gold):
    path = tmp_path / "seeds.warc"  # not gzipped, as wget writes it without --warc-compression
    crawl = Crawl(path, gzipped=False)
    for f in seed_files():
        crawl.page(f"https://news.example/{f.stem}", seed_page(f).encode("utf-8"))
    crawl.close()
    with Tidings(tmp_path / "t.db") as t:
        report = t.ingest([str(path)])
        assert len(report.stored) == 5, report.skipped
        by_url = {a.url: a for a in t.store.articles()}
    event_of = {url.rsplit("/", 1)[1]: a.event_id for url, a in by_url.items()}
    groups: dict[str, set[str]] = {}
    for stem, event in event_of.items():
        groups.setdefault(event, set()).add(stem)
    assert {frozenset(g) for g in groups.values()} == gold_groups(gold)


def test_a_damaged_crawl_keeps_the_pages_before_the_damage(tmp_path):
    for gzipped in (True, False):
        whole = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
        crawl = Crawl(whole, gzipped=gzipped)
        for k in range(3):
            crawl.page(f"https://news.example/p{k}", NEWS_HTML.replace("Tuesday", f"Tuesday ({k})").encode("utf-8"))
        crawl.close()
        data = whole.read_bytes()
        # cut inside the last page's text, and (gzipped) inside the gzip member that holds its headers
        for share in (0.8, 0.9):
            cut = tmp_path / f"cut-{share}-{whole.name}"
            cut.write_bytes(data[: int(len(data) * share)])
            items = read_all(cut)
            docs = [i for i in items if isinstance(i, RawDocument)]
            assert [d.url for d in docs] == ["https://news.example/p0", "https://news.example/p1"], (cut, items)
            (error,) = [i for i in items if isinstance(i, ReadError)]
            assert error.source.startswith(str(cut)) and "cut short" in error.reason, error
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"this is no web archive\n" * 20))
    (error,) = read_all(junk)
    assert error.source == str(junk) and error.reason.startswith("not a WARC or ARC file")


def test_a_large_crawl_and_archive_read_their_pages_in_page_processes_in_order(tmp_path, monkeypatch):
    import zipfile

    import tidings.readers as readers

    path = tmp_path / "big.warc.gz"
    crawl = Crawl(path)
    packed = tmp_path / "pages.zip"
    # pages as heavy as news sites serve them: a page and its answer each larger than a pipe holds (they deadlocked
    # the page processes and this one, both writing, when pages were sent in the pipe)
    script = "<script>" + "var teaser = {'id': 1, 'title': 'Another story'};\n" * 2000 + "</script>"
    with zipfile.ZipFile(packed, "w") as zf:
        for k in range(40):
            page = NEWS_HTML.replace("Tuesday", f"Tuesday, day {k} of the talks,")
            page = page.replace("</head>", script + "</head>")
            crawl.page(f"https://news.example/talks/{k}", page.encode("utf-8"))
            zf.writestr(f"talks/{k:02d}.html", page)
    crawl.close()
    here = list(PathReader(processes=0).read([str(path), str(packed)]))
    sent = []
    submit = readers.PageProcesses.submit
    monkeypatch.setattr(readers.PageProcesses, "submit", lambda self, job: sent.append(job) or submit(self, job))
    elsewhere: list = []
    reading = threading.Thread(target=lambda: elsewhere.extend(PathReader(processes=2).read([str(path), str(packed)])),
                               daemon=True)
    reading.start()
    reading.join(timeout=300)
    assert not reading.is_alive(), "the page processes and this one wait for each other"
    assert len(sent) == 80 - readers.PAGES_BEFORE_PROCESSES  # the first pages read here, the rest in processes
    assert all(isinstance(job, readers.PageJob) for job in sent)
    assert len(here) == 80 and all(isinstance(d, RawDocument) for d in here)
    assert [(d.id, d.source, d.text, d.published) for d in elsewhere] == \
        [(d.id, d.source, d.text, d.published) for d in here]
    assert here[40].source == f"{packed}/talks/00.html" and here[40].id == "00"
