"""Readers: HTML pages, JSON lines, RSS and Atom feeds, folders; article ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from tidings.articles import RawDocument, ReadError
from tidings.readers import PathReader, sniff_kind

NEWS_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lavrov arrives in Tehran for talks on nuclear deal | Gulf Daily Wire</title>
  <meta property="og:title" content="Lavrov arrives in Tehran for talks on nuclear deal">
  <meta property="og:site_name" content="Gulf Daily Wire">
  <meta property="article:published_time" content="2021-04-13T09:30:00+00:00">
  <meta name="author" content="Staff reporter">
  <link rel="canonical" href="https://gulfdailywire.example/world/2021/04/13/lavrov-tehran">
</head>
<body>
  <header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>Lavrov arrives in Tehran for talks on nuclear deal</h1>
      <p class="byline">By Staff reporter, 13 April 2021</p>
      <p>Russian Foreign Minister Sergey Lavrov arrived in Tehran on Tuesday for talks with his Iranian
      counterpart Mohammad Javad Zarif, days after an explosion damaged the Natanz enrichment site.</p>
      <p>The two ministers are expected to discuss efforts in Vienna to revive the 2015 nuclear agreement,
      which the United States left in 2018, as well as the situation in Afghanistan and Syria.</p>
      <p>Lavrov is also scheduled to meet President Hassan Rouhani and to deliver a message from
      President Vladimir Putin, the Russian foreign ministry said in a statement.</p>
      <p>Iran and Russia have deepened their ties in recent years, cooperating on energy, transport and
      regional security while both face sanctions imposed by Washington.</p>
    </article>
  </main>
  <aside><h3>Most read</h3><ul><li><a href="/a">Oil prices climb</a></li><li><a href="/b">Markets</a></li></ul></aside>
  <footer><p>Copyright 2021 Gulf Daily Wire. All rights reserved.</p></footer>
</body>
</html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Nordic Wire</title>
    <link>https://nordicwire.example/</link>
    <description>World news</description>
    <language>en</language>
    <item>
      <title>Ministers meet in Tehran</title>
      <link>https://nordicwire.example/2021/04/13/ministers-meet</link>
      <guid>https://nordicwire.example/2021/04/13/ministers-meet</guid>
      <pubDate>Tue, 13 Apr 2021 10:00:00 GMT</pubDate>
      <description><![CDATA[<p>Sergey Lavrov met Mohammad Javad Zarif in Tehran on Tuesday.</p>
      <p>They discussed the nuclear talks in Vienna.</p>]]></description>
    </item>
    <item>
      <title>Storm closes ports in the Baltic</title>
      <link>https://nordicwire.example/2021/04/14/storm</link>
      <pubDate>Wed, 14 Apr 2021 07:15:00 GMT</pubDate>
      <description>A storm with gusts of 120 km/h closed ferry ports along the Baltic coast on Wednesday.</description>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Rheinischer Bote</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2021-08-19T08:00:00Z</updated>
  <entry>
    <title>Raisi und Putin telefonieren</title>
    <link href="https://bote.example/politik/raisi-putin"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2021-08-19T08:00:00Z</updated>
    <published>2021-08-18T21:00:00Z</published>
    <content type="html">&lt;p&gt;Der iranische Präsident Ebrahim Raisi hat am Mittwoch
    mit Wladimir Putin telefoniert.&lt;/p&gt;
    &lt;p&gt;Beide sprachen über Afghanistan und das Atomabkommen.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def read_all(*sources: Path | str) -> list[RawDocument | ReadError]:
    return list(PathReader().read([str(s) for s in sources]))


def test_html_page(tmp_path):
    page = tmp_path / "lavrov-tehran.html"
    page.write_text(NEWS_HTML, encoding="utf-8")
    (doc,) = read_all(page)
    assert isinstance(doc, RawDocument)
    assert doc.id == "lavrov-tehran"
    assert doc.title == "Lavrov arrives in Tehran for talks on nuclear deal"
    assert doc.outlet == "Gulf Daily Wire"
    assert doc.published is not None and doc.published.date() == dt.date(2021, 4, 13)
    assert doc.url == "https://gulfdailywire.example/world/2021/04/13/lavrov-tehran"
    assert "Natanz enrichment site" in doc.text and "Rouhani" in doc.text
    assert "Most read" not in doc.text and "All rights reserved" not in doc.text
    assert "Sport" not in doc.text


def test_html_without_article_text(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
                    encoding="utf-8")
    (err,) = read_all(page)
    assert isinstance(err, ReadError) and err.source == str(page)


def test_json_lines(tmp_path):
    path = tmp_path / "wire.jsonl"
    records = [
        {"id": "wire-1", "text": "Sergey Lavrov met Hassan Rouhani in Tehran.", "title": "Lavrov in Tehran",
         "url": "https://wire.example/1", "outlet": "Wire", "published": "2021-04-13T08:00:00Z", "language": "en"},
        {"text": "Wladimir Putin telefonierte mit Ebrahim Raisi.", "published": "18. August 2021",
         "language": "DE"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    first, second = read_all(path)
    assert (first.id, first.title, first.url, first.outlet, first.language) == (
        "wire-1", "Lavrov in Tehran", "https://wire.example/1", "Wire", "en")
    assert first.published == dt.datetime(2021, 4, 13, 8, tzinfo=dt.UTC)
    assert first.source == f"{path}:1"
    assert second.id == "wire-2"  # no id: file name and line number
    assert second.language == "de" and second.published.date() == dt.date(2021, 8, 18)



@pytest.mark.parametrize(("published", "day"), [
    (1628589600, dt.date(2021, 8, 10)),       # Unix seconds
    (1628589600000, dt.date(2021, 8, 10)),    # JavaScript's milliseconds (was an error: a year past 9999)
    (20210810, dt.date(2021, 8, 10)),         # a day written as a number (was 22 August 1970, as seconds)
    ("20210810", dt.date(2021, 8, 10)),
    (0, None),                                 # a dump's "no date", as null (was 1 January 1970)
])
def test_a_number_as_publication_time(tmp_path, published, day):
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"id": "n", "text": "Wladimir Putin telefonierte mit Ebrahim Raisi.",
                                "published": published}) + "\n", encoding="utf-8")
    (doc,) = read_all(path)
    assert isinstance(doc, RawDocument) and (doc.published.date() if doc.published else None) == day


@pytest.mark.parametrize("published", ["2021-02-30", "2021-13-01", "banana", "n/a", "32. Februar", True, -5, 20211399])
def test_a_published_value_that_is_no_date_is_an_error_naming_the_line(tmp_path, published):
    """Before, such a value was dropped in silence (or read as a wrong day: "n/a" as a day of this month, "2021-13-01"
    as 13 January) and the article stored undated."""
    path = tmp_path / "wire.jsonl"
    rows = [{"id": "ok", "text": "Sergey Lavrov met Hassan Rouhani in Tehran.", "published": "13 April 2021"},
            {"id": "bad", "text": "Wladimir Putin telefonierte mit Ebrahim Raisi.", "published": published}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    ok, bad = read_all(path)
    assert isinstance(ok, RawDocument) and ok.published.date() == dt.date(2021, 4, 13)
    assert isinstance(bad, ReadError) and bad.source == f"{path}:2"
    assert f"unreadable 'published': {published!r} is not a date" in bad.reason



def test_json_fields_of_the_wrong_type_are_an_error_naming_the_field(tmp_path):
    """An outlet given as an object crashed the whole ingest (AttributeError in the content hash)."""
    path = tmp_path / "odd.jsonl"
    rows = [{"id": 7, "text": "Sergey Lavrov met Hassan Rouhani in Tehran.", "title": 2021},
            {"id": "b", "text": "Wladimir Putin telefonierte mit Ebrahim Raisi.", "outlet": {"name": "x"}},
            {"id": "c", "text": "Putin spoke with Raisi.", "title": ["a", "b"]},
            {"id": "d", "text": "Putin spoke with Raisi again.", "url": True}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ok, outlet, title, url = read_all(path)
    assert isinstance(ok, RawDocument) and (ok.id, ok.title) == ("7", "2021")
    assert isinstance(outlet, ReadError) and outlet.reason == "'outlet' must be a string, not dict {'name': 'x'}"
    assert isinstance(title, ReadError) and title.reason.startswith("'title' must be a string, not list")
    assert isinstance(url, ReadError) and url.reason == "'url' must be a string, not bool True"

def test_other_tools_names_for_the_fields_are_read(tmp_path):
    """A news-please dump and a NewsAPI answer go in as they are; where a record gives ours too, ours win."""
    path = tmp_path / "dump.jsonl"
    rows = [{"maintext": "Wladimir Putin telefonierte am Mittwoch mit Ebrahim Raisi.", "title": "Putin und Raisi",
             "date_publish": "2021-08-21 21:45:00", "source_domain": "parstoday.ir", "language": "de",
             "url": "https://parstoday.ir/de/news/1"},
            {"content": "Sergey Lavrov met Hassan Rouhani in Tehran.", "headline": "Lavrov in Tehran",
             "publishedAt": "2021-04-13T08:00:00Z", "source": {"id": None, "name": "Wire"}, "lang": "en"},
            {"id": "mine", "text": "Ours.", "body": "Theirs.", "outlet": "Ours", "publisher": "Theirs",
             "published": "2021-01-02", "date": "2020-05-06"},
            {"body": "", "summary": "No text under any name we read."},
            {"content": "A text.", "publisher": ["a", "b"]}, {"content": "A text.", "date": "banana"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pleased, newsapi, both, none, listed, undated = read_all(path)
    # an error names the field as the record does
    assert listed.reason == "'publisher' must be a string, not list ['a', 'b']"
    assert undated.reason.startswith("unreadable 'date': 'banana' is not a date")
    assert (pleased.text.startswith("Wladimir"), pleased.outlet, pleased.language, pleased.url) == (
        True, "parstoday.ir", "de", "https://parstoday.ir/de/news/1")
    assert pleased.published.date() == dt.date(2021, 8, 21)
    assert (newsapi.title, newsapi.outlet, newsapi.language) == ("Lavrov in Tehran", "Wire", "en")
    assert newsapi.published == dt.datetime(2021, 4, 13, 8, tzinfo=dt.UTC)
    assert (both.id, both.text, both.outlet, both.published.date()) == ("mine", "Ours.", "Ours", dt.date(2021, 1, 2))
    assert isinstance(none, ReadError) and none.reason == "missing or empty 'text'"


def test_pages_read_in_processes_come_out_as_read_here_in_input_order(tmp_path, monkeypatch):
    """A folder of web pages is read in page processes (trafilatura's time is most of an HTML ingest's) and its
    documents, errors among them, come out in the folder's order, the same as when read in this process."""
    import tidings.readers as readers

    texts = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").open(encoding="utf-8")]
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(14):
        record = texts[i % len(texts)]
        body = "".join(f"<p>{s}.</p>" for s in record["text"].split(". "))
        (folder / f"p{i:02d}.html").write_text(
            f"<html><head><title>{record['id']} {i}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{record['id']} {i}</h1>{body}</article></body></html>", encoding="utf-8")
    (folder / "p05b.txt").write_text("A plain text among the pages.", encoding="utf-8")
    (folder / "p09b.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")

    def seen(processes: int) -> list[tuple]:
        return [(type(d).__name__, d.source, getattr(d, "text", None) or getattr(d, "reason", None),
                 getattr(d, "title", None)) for d in PathReader(processes=processes).read([str(folder)])]

    here = seen(0)
    monkeypatch.setattr(readers, "PAGES_BEFORE_PROCESSES", 2)
    started = []
    processes = readers.PageProcesses
    monkeypatch.setattr(readers, "PageProcesses", lambda n, size: started.append(n) or processes(n, size))
    assert seen(2) == here and started == [2]
    # a page process that dies: what it owed is read here, and the rest goes on
    result = processes.result
    failed = []

    def dies_once(self, k):
        if not failed:
            failed.append(k)
            self._procs[k].kill()
            self._procs[k].wait()
        return result(self, k)

    monkeypatch.setattr(processes, "result", dies_once)
    assert seen(2) == here and failed
    assert [kind for kind, *_ in here].count("ReadError") == 1 and len(here) == 16
    assert here[6][1].endswith("p05b.txt") and here[11][2] == "no article text found in the HTML"


def test_json_document_list(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "a", "text": "One article text."}, {"text": "Another one."}]),
                    encoding="utf-8")
    docs = read_all(path)
    assert [d.id for d in docs] == ["a", "batch-2"]


def test_rss_feed(tmp_path):
    path = tmp_path / "nordic.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = read_all(path)
    assert first.title == "Ministers meet in Tehran" and first.outlet == "Nordic Wire"
    assert first.url == "https://nordicwire.example/2021/04/13/ministers-meet"
    assert first.published.date() == dt.date(2021, 4, 13)
    assert "<p>" not in first.text and "Zarif in Tehran" in first.text and "Vienna" in first.text
    assert first.language == "en"
    assert first.id and "/" not in first.id
    assert second.id != first.id and "120 km/h" in second.text


def test_atom_feed_sniffed_without_suffix(tmp_path):
    path = tmp_path / "bote-feed"
    path.write_text(ATOM, encoding="utf-8")
    assert sniff_kind(path) == "feed"
    (doc,) = read_all(path)
    assert doc.title == "Raisi und Putin telefonieren" and doc.outlet == "Rheinischer Bote"
    assert doc.published.date() == dt.date(2021, 8, 18)
    assert doc.url == "https://bote.example/politik/raisi-putin"
    assert "Afghanistan" in doc.text and "&lt;" not in doc.text and "<p>" not in doc.text
    assert doc.language == "de"


def test_folder_recursive_in_name_order(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("First article body.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.md").write_text("Third article body.", encoding="utf-8")
    (tmp_path / "b" / "b.txt").write_text("Second article body.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not read", encoding="utf-8")
    (tmp_path / "b" / "page.html").write_text(NEWS_HTML, encoding="utf-8")
    docs = read_all(tmp_path)
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.id for d in docs] == ["a", "b", "c", "page"]  # path order: a.txt, b/b.txt, b/deep/c.md, b/page.html
    assert docs[0].text == "First article body." and docs[0].source == str(tmp_path / "a.txt")


def test_text_id_is_file_name_without_extension(tmp_path):
    path = tmp_path / "2021-08-18_raisi.putin.txt"
    path.write_text("Some text about a phone call.", encoding="utf-8")
    (doc,) = read_all(path)
    assert doc.id == "2021-08-18_raisi.putin"


@pytest.mark.parametrize(("name", "kind"), [("x.htm", "html"), ("x.ndjson", "jsonl"), ("x.atom", "feed"),
                                            ("x.txt", "text")])
def test_sniff_by_suffix(tmp_path, name, kind):
    path = tmp_path / name
    path.write_text("text", encoding="utf-8")
    assert sniff_kind(path) == kind


def test_html_sniffed_without_suffix(tmp_path):
    path = tmp_path / "saved-page"
    path.write_text(NEWS_HTML, encoding="utf-8")
    (doc,) = read_all(path)
    assert doc.title == "Lavrov arrives in Tehran for talks on nuclear deal"


def test_a_page_in_its_declared_character_set_is_read(tmp_path):
    """Arabic sites still serve windows-1256: the page's own <meta charset> is honoured, as a browser would; a
    plain text file has nothing to declare, and stays an error."""
    body = ("بحث الرئيس الروسي فلاديمير بوتين مع الرئيس الإيراني إبراهيم رئيسي في اتصال هاتفي يوم الأربعاء تطوير "
            "العلاقات الثنائية بين البلدين، وفق ما أعلن الكرملين. وأكد الجانبان أهمية التعاون في مجالات الطاقة.")
    page = tmp_path / "ar.html"
    page.write_bytes(f'<html><head><meta charset="windows-1256"><title>بوتين ورئيسي</title></head><body><article>'
                     f"<p>{body}</p></article></body></html>".encode("cp1256"))
    latin = tmp_path / "de.html"
    latin.write_bytes('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
                      "<body><article><p>Der iranische Präsident Ebrahim Raisi telefonierte am Mittwoch mit dem "
                      "russischen Präsidenten Wladimir Putin, meldete IRNA.</p></article></body></html>"
                      .encode("latin-1"))
    bogus = tmp_path / "bogus.html"
    bogus.write_bytes('<html><head><meta charset="klingon-8"></head><body>Pr\xe4sident</body></html>'.encode("latin-1"))
    text = tmp_path / "de.txt"
    german = "Der Präsident telefonierte mit Putin über die Gaslieferungen."
    text.write_bytes(german.encode("latin-1"))
    greek = tmp_path / "el.txt"
    greek.write_bytes("Ο πρόεδρος της Δημοκρατίας διόρισε νέο πρωθυπουργό την Πέμπτη.".encode("cp1253"))
    ar, de, bad, plain, refused = read_all(page, latin, bogus, text, greek)
    assert isinstance(ar, RawDocument) and "فلاديمير بوتين" in ar.text
    assert isinstance(de, RawDocument) and "Präsident Ebrahim Raisi" in de.text
    assert isinstance(bad, ReadError) and "declared character set 'klingon-8' is unknown" in bad.reason
    # declaring nothing: read in the legacy code page that gives a text in a language of the encoder, else refused
    assert isinstance(plain, RawDocument) and plain.text == german
    assert isinstance(refused, ReadError) and refused.reason.startswith("not valid UTF-8") \
        and "reads as no language tidings covers in any legacy code page" in refused.reason


def test_a_web_page_in_a_legacy_code_page_declaring_none_is_read(tmp_path):
    """Judged by its text, not its head: a page whose markup is most of it."""
    body = "Le président a déclaré jeudi à Paris que l’économie française résiste à la crise énergétique."
    page = tmp_path / "page.html"
    page.write_bytes(("<html><head><title>Économie</title><style>body { font-family: serif; }</style>"
                      "<script>var analytics = {id: 'UA-1', pages: ['home', 'news', 'sport']};</script></head>"
                      f"<body><article><h1>Économie : le président rassure</h1><p>{body}</p></article></body></html>")
                     .encode("cp1252"))
    (doc,) = read_all(page)
    assert isinstance(doc, RawDocument) and body in doc.text


def test_a_fetched_page_in_a_legacy_code_page_declaring_none_is_read(web):
    """A server that names no character set, a page whose head names none: not UTF-8 with U+FFFD for every accent."""
    folder, base = web
    body = "Der Präsident telefonierte am Mittwoch mit Putin über die Gaslieferungen für den Winter."
    (folder / "alt.html").write_bytes(f"<html><body><article><h1>Gas für Europa</h1><p>{body}</p></article></body>"
                                      "</html>".encode("cp1252"))
    (doc,) = read_all(f"{base}/alt.html")
    assert isinstance(doc, RawDocument) and body in doc.text and "\ufffd" not in doc.text


@pytest.mark.parametrize(("language", "page", "text"), [
    ("fr", "cp1252", "Le président a déclaré à Paris que l’économie française résiste – malgré la crise."),
    ("pl", "iso8859_2", "Premier podał się w środę do dymisji. Prezydent przyjął ją w czwartek wieczorem."),
    ("tr", "cp1254", "Cumhurbaşkanı perşembe günü İstanbul'da gazetecilere açıklama yaptı."),
    ("ru", "cp1251", "Президент России провёл в четверг телефонный разговор с премьер-министром Индии."),
    ("ar", "cp1256", "أعلن الرئيس يوم الخميس أن الحكومة ستتخذ إجراءات اقتصادية جديدة لدعم الأسر."),
    ("ja", "shift_jis", "首相は木曜日、新たな経済対策を発表した。家計を支援するための措置だという。"),
    ("zh", "gb18030", "国务院总理周四宣布，政府将采取新的经济措施支持家庭。"),
    ("ko", "euc_kr", "대통령은 목요일 정부가 가계를 지원하기 위한 새로운 경제 대책을 채택할 것이라고 밝혔다."),
    ("th", "tis_620", "นายกรัฐมนตรีแถลงเมื่อวันพฤหัสบดีว่ารัฐบาลจะออกมาตรการเศรษฐกิจใหม่เพื่อช่วยเหลือครอบครัว"),
])
def test_a_text_in_a_legacy_code_page_declaring_none_is_read(tmp_path, language, page, text):
    """Old archives and Windows editors save news in their language's code page and say nothing of it."""
    path = tmp_path / f"{language}.txt"
    path.write_bytes(text.encode(page))
    (doc,) = read_all(path)
    assert isinstance(doc, RawDocument) and doc.text == text


def test_hebrew_bytes_are_not_taken_for_thai(tmp_path):
    """Hebrew saved in Windows-1255 reads in TIS-620 as Thai vowel signs and digits, which the language detector takes
    for Thai: a reading in Thai must hold one of its commonest words ("ที่", "และ", "ของ" ...), as a Russian one must."""
    path = tmp_path / "he.txt"
    path.write_bytes("ראש הממשלה הודיע ביום חמישי כי הממשלה תאמץ צעדים כלכליים חדשים לתמיכה במשפחות.".encode("cp1255"))
    (refused,) = read_all(path)
    assert isinstance(refused, ReadError) and "reads as no language tidings covers" in refused.reason


@pytest.fixture()
def web(web_site):
    """A local web server over a folder: (folder, base URL)."""
    return web_site.folder, web_site.base


def test_urls_serve_feeds_and_pages_and_say_what_went_wrong(web):
    """A URL is fetched once: a feed gives its entries, a web page its article (it was refused as "not a readable
    feed"), and a missing page says its HTTP status (it said "mismatched tag", the 404 page parsed as a feed)."""
    folder, base = web
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Lavrov in Tehran</title>'
        "<link>https://wire.example/1</link><pubDate>Tue, 13 Apr 2021 09:30:00 +0000</pubDate><description>"
        "Russian Foreign Minister Sergey Lavrov met Iranian President Hassan Rouhani in Tehran on Tuesday."
        "</description></item></channel></rss>", encoding="utf-8")
    (folder / "page.html").write_text(NEWS_HTML, encoding="utf-8")
    undated = NEWS_HTML.replace('<meta property="article:published_time" content="2021-04-13T09:30:00+00:00">', "")
    undated = undated.replace("/2021/04/13/", "/").replace("By Staff reporter, 13 April 2021", "By Staff reporter")
    (folder / "undated.html").write_text(undated, encoding="utf-8")
    entry, page, missing, refused, nodate = read_all(f"{base}/feed.xml", f"{base}/page.html", f"{base}/nothing.xml",
                                                     "http://127.0.0.1:9/x", f"{base}/undated.html")
    assert isinstance(entry, RawDocument) and entry.title == "Lavrov in Tehran" and entry.outlet == "Wire"
    assert entry.published.date() == dt.date(2021, 4, 13)
    assert isinstance(page, RawDocument) and page.url == f"{base}/page.html" and "Lavrov" in page.text
    assert page.published is not None and page.published.date() == dt.date(2021, 4, 13)  # its metadata
    # No date in its metadata: none, where htmldate's extensive search read the footer's "Copyright 2021" as 1 January
    assert isinstance(nodate, RawDocument) and nodate.published is None
    assert isinstance(missing, ReadError) and missing.reason.startswith("HTTP 404")
    assert isinstance(refused, ReadError) and refused.reason.startswith("cannot fetch it")


def test_a_json_text_that_is_html_is_read_as_a_page_or_a_fragment(tmp_path):
    """The API and JSON lines take "the article's text, plain or HTML": markup was stored as it came, tags and all,
    with "<html><head>…" as the title."""
    path = tmp_path / "cms.jsonl"
    rows = [{"id": "page", "text": NEWS_HTML, "outlet": "Our Wire"},
            {"id": "frag", "text": "<p>Russian Foreign Minister Sergey Lavrov met Hassan Rouhani in <b>Tehran</b>.</p>"
                                   "<script>track()</script><p>They discussed the nuclear deal.</p>"},
            {"id": "plain", "text": "<<Exclusive>> Lavrov met Rouhani in Tehran on Tuesday."},
            {"id": "code", "text": "<div><script>var x = 1;</script></div>"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    page, frag, plain, code = read_all(path)
    assert isinstance(page, RawDocument) and page.id == "page" and page.outlet == "Our Wire"  # the record wins
    assert page.title == "Lavrov arrives in Tehran for talks on nuclear deal" and "<" not in page.text
    assert "Home | World" not in page.text and page.published.date() == dt.date(2021, 4, 13)
    assert isinstance(frag, RawDocument) and frag.text.splitlines() == [
        "Russian Foreign Minister Sergey Lavrov met Hassan Rouhani in Tehran.", "They discussed the nuclear deal."]
    assert isinstance(plain, RawDocument) and plain.text == rows[2]["text"]
    assert isinstance(code, ReadError) and code.reason == "'text' is markup with no visible text"


PIPED_TEXT = "Der iranische Präsident Raisi telefonierte mit Putin.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # JSON lines: one article each, numbered as in a file; a bad line is its own error
        (b'{"id": "a", "text": "Lavrov met Rouhani in Tehran on Tuesday."}\n\nnot json\n'
         b'{"id": "b", "text": "Putin und Raisi telefonierten am Mittwoch."}\n',
         [("a", "<stdin>:1"), ("malformed JSON", "<stdin>:3"), ("b", "<stdin>:4")]),
        # one JSON document, as an API answers (curl ... | tidings ingest -): its articles, numbered in it
        (json.dumps({"status": "ok", "articles": [{"title": "T", "content": "Lavrov met Rouhani in Tehran."},
                                                  {"content": "Putin und Raisi telefonierten am Mittwoch."}]},
                    indent=1).encode(), [("<stdin>-1", "<stdin>:1"), ("<stdin>-2", "<stdin>:2")]),
        (b'[{"id": "c", "text": "Lavrov met Rouhani in Tehran on Tuesday."}]', [("c", "<stdin>:1")]),
        # a CSV table (its header names a text column), as csvkit or a spreadsheet pipes it; a text whose first line
        # has commas is still one article
        (b'id,text\nt1,"Lavrov met Rouhani in Tehran, on Tuesday."\nt2,Putin und Raisi telefonierten.\n',
         [("t1", "<stdin>:2"), ("t2", "<stdin>:3")]),
        (b"Putin, Raisi discuss ties\nRussian President Putin spoke with Raisi, the Kremlin said.\n",
         [("stdin-" + hashlib.sha1(b"Putin, Raisi discuss ties\nRussian President Putin spoke with Raisi, the Kremlin "
                                   b"said.\n").hexdigest()[:12], "<stdin>")]),
        # anything else is one plain-text article, its id made from its text
        (PIPED_TEXT.encode(), [("stdin-" + hashlib.sha1(PIPED_TEXT.encode()).hexdigest()[:12], "<stdin>")]),
        (b"\x00\x01binary", [("binary data, not text", "<stdin>")]),
        ("Ο πρόεδρος διόρισε νέο πρωθυπουργό.".encode("cp1253"), [("not valid UTF-8", "<stdin>")]),
        (b"\xff\xfeodd", [("not valid UTF-16-LE", "<stdin>")]),  # a UTF-16 mark, then an odd number of bytes
        (b"  \n", [("no text", "<stdin>")]),
    ],
)
def test_standard_input_is_json_lines_or_one_text(data, expected):
    import io

    from tidings.readers import StdinReader

    got = list(StdinReader(stream=io.BytesIO(data)).read("-"))
    assert [(d.id if isinstance(d, RawDocument) else d.reason.split(" (")[0][:len(e[0])], d.source)
            for d, e in zip(got, expected, strict=True)] == expected


def test_ingest_reads_standard_input(tmp_path):
    """`jq -c ... | tidings ingest -`: the articles piped in are stored; following standard input is refused."""
    import os
    import subprocess

    from conftest import FIXTURES, TIDINGS_CLI

    lines = (FIXTURES / "multilingual" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    env = {**os.environ, "TIDINGS_DB": str(tmp_path / "pipe.db")}
    run = subprocess.run([*TIDINGS_CLI, "ingest", "-", "-q"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0 and "read 2, stored 2" in run.stdout, run.stderr
    ids = [json.loads(line)["id"] for line in lines]
    export = subprocess.run([*TIDINGS_CLI, "export"], capture_output=True, text=True, env=env, timeout=300)
    assert [json.loads(line)["id"] for line in export.stdout.splitlines()] == ids
    follow = subprocess.run([*TIDINGS_CLI, "ingest", "-", "--every", "1m"], input="", capture_output=True, text=True,
                            env=env, timeout=300)
    assert follow.returncode == 2 and "standard input (-) is read once" in follow.stderr


def test_json_envelopes_of_apis_and_data_sets(tmp_path, seeds_dir):
    """A NewsAPI answer ({"status", "articles": [...]} with its own field names), a data set's {"data": {"items"}},
    and an Elasticsearch answer (hits under "_source", "_id" the id) are read record by record; a record without a
    text is said alone; the seeds' gold file, whose notes hold a nested "text", is still no article."""
    body = "Russian President Vladimir Putin received Iran's foreign minister in Moscow on Tuesday."
    newsapi = {"status": "ok", "totalResults": 2, "articles": [
        {"title": "Putin receives Iran's FM", "content": body, "publishedAt": "2021-08-10T10:00:00Z",
         "source": {"id": None, "name": "Wire"}, "url": "https://wire.example/1"},
        {"title": "A headline alone", "url": "https://wire.example/2"}]}
    nested = {"data": {"total": 1, "items": [{"id": "n-1", "body": body, "date": "2021-08-10"}]}}
    search = {"took": 3, "hits": {"total": {"value": 1}, "hits": [{"_id": "es-7", "_source": {"text": body}}]}}
    for name, doc in (("newsapi", newsapi), ("nested", nested), ("search", search)):
        (tmp_path / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    first, headline_only = read_all(tmp_path / "newsapi.json")
    assert isinstance(first, RawDocument) and (first.text, first.outlet, first.url) == (
        body, "Wire", "https://wire.example/1")
    assert first.published == dt.datetime(2021, 8, 10, 10, tzinfo=dt.UTC)
    assert isinstance(headline_only, ReadError) and headline_only.source.endswith("newsapi.json:2")
    (item,) = read_all(tmp_path / "nested.json")
    assert isinstance(item, RawDocument) and item.id == "n-1" and item.published.date() == dt.date(2021, 8, 10)
    (hit,) = read_all(tmp_path / "search.json")
    assert isinstance(hit, RawDocument) and (hit.id, hit.text) == ("es-7", body)
    (gold,) = read_all(seeds_dir / "gold.json")
    assert isinstance(gold, ReadError) and "JSON document without articles" in gold.reason


def test_a_folder_leaves_out_files_of_kinds_that_hold_no_article_in_one_line(tmp_path, seeds_dir):
    """A saved site's images, scripts and PDFs were each a "skipped ...: binary data" line; now one line for the
    folder says how many of each kind it left out, and a file named on its own is still read (and said) as before.
    Followed round after round, the note is said once."""
    from tidings.readers import SourceFollower

    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    shutil.copy(sorted(seeds_dir.glob("000*.txt"))[0], site / "story.txt")
    for name in ("img/a.jpg", "img/b.JPG", "app.js", "report.pdf"):
        (site / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" if name.endswith(("jpg", "JPG")) else b"x = 1;\n")
    got = read_all(site)
    assert [d.id for d in got if isinstance(d, RawDocument)] == ["story"]
    (note,) = [d for d in got if isinstance(d, ReadError)]
    assert note.source == str(site)
    assert note.reason == "4 files of kinds that hold no article left out (.jpg 2, .js 1, .pdf 1); name one to read it"
    (alone,) = read_all(site / "app.js")  # named: read (the pipeline then finds too little text in it)
    assert isinstance(alone, RawDocument) and alone.source == str(site / "app.js")
    follower = SourceFollower(PathReader(), settle_seconds=0)
    first, second = list(follower.read([str(site)])), list(follower.read([str(site)]))
    assert sum(isinstance(d, ReadError) for d in first) == 1 and second == []


@pytest.mark.parametrize(("name", "sep"), [("news.csv", ","), ("excel.csv", ";"), ("news.tsv", "\t")])
def test_a_table_is_read_row_by_row(tmp_path, name, sep):
    """CSV and TSV data sets (a header row; our field names or other tools' ones): a row per article, a text with
    quotes, separators and line breaks kept whole; a row without a text said alone. Before, the whole table was read
    as one plain-text article."""
    import csv

    rows = [{"uuid": "c1", "headline": "Putin receives Iran's FM", "date": "2021-08-10", "source": "Wire",
             "body": 'Putin received Iran\'s foreign minister in Moscow; they discussed the "nuclear deal",\n'
                     "energy, and trade."},
            {"uuid": "c2", "headline": "No text", "date": "", "source": "", "body": ""},
            {"uuid": "c3", "headline": "Scholz in Paris", "date": "9 May 2022", "source": "dpa",
             "body": "Olaf Scholz traf am Montag in Paris Emmanuel Macron."}]
    with (tmp_path / name).open("w", encoding="utf-8-sig", newline="") as fh:  # Excel's BOM
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=sep)
        writer.writeheader()
        writer.writerows(rows)
    first, empty, third = read_all(tmp_path / name)
    assert isinstance(first, RawDocument)
    assert (first.id, first.title, first.outlet) == ("c1", "Putin receives Iran's FM", "Wire")
    assert first.text == rows[0]["body"] and first.published.date() == dt.date(2021, 8, 10)
    assert first.source == f"{tmp_path / name}:3"  # the line its row ends on
    assert isinstance(empty, ReadError) and "missing or empty 'text'" in empty.reason
    assert isinstance(third, RawDocument) and third.id == "c3" and third.published.date() == dt.date(2022, 5, 9)


def test_a_table_without_a_text_column_is_one_error(tmp_path):
    (tmp_path / "scores.csv").write_text("team,goals\nA,2\nB,1\n", encoding="utf-8")
    (err,) = read_all(tmp_path / "scores.csv")
    assert isinstance(err, ReadError) and err.reason == "a table without a 'text' column (its columns: team, goals)"


def test_a_json_lines_file_larger_than_max_bytes_is_read_line_by_line(tmp_path):
    """[reader] max_bytes bounds a line, not a JSON lines file: a data set's dump larger than it was refused whole.
    A line over it, or one that is not UTF-8, is said alone and the others are read; a follower reads only what
    was appended, however large the log grew."""
    from tidings.readers import SourceFollower

    text = "Russian President Vladimir Putin received Iran's foreign minister in Moscow on Tuesday. "
    log = tmp_path / "dump.jsonl"
    with log.open("wb") as fh:
        for i in range(30):
            fh.write(json.dumps({"id": f"a{i}", "text": text * 2}).encode() + b"\n")
        fh.write(json.dumps({"id": "long", "text": "word " * 500}).encode() + b"\n")
        fh.write(b'{"id": "latin", "text": "caf\xe9"}\n')
        fh.write(json.dumps({"id": "last", "text": text}).encode() + b"\n")
    assert log.stat().st_size > 6 * 1000
    got = list(PathReader(max_bytes=1000).read([str(log)]))
    assert [d.id for d in got if isinstance(d, RawDocument)] == [f"a{i}" for i in range(30)] + ["last"]
    long_line, latin = [d for d in got if isinstance(d, ReadError)]
    assert long_line.source == f"{log}:31" and long_line.reason.startswith("line too long")
    assert latin.source == f"{log}:32" and latin.reason.startswith("not valid UTF-8")
    follower = SourceFollower(PathReader(max_bytes=1000), settle_seconds=0)
    assert len(list(follower.read([str(log)]))) == 33
    with log.open("ab") as fh:
        fh.write(json.dumps({"id": "new", "text": text}).encode() + b"\n")
    os.utime(log, (time.time() - 10, time.time() - 10))  # settled
    (new,) = list(follower.read([str(log)]))
    assert isinstance(new, RawDocument) and new.id == "new" and new.source == f"{log}:34"


@pytest.mark.parametrize(("given", "code"), [
    ("de", "de"), ("DE", "de"), ("de-AT", "de"), ("zh_CN", "zh"), ("pt-BR", "pt"), ("deu", "de"), ("ger", "de"),
    ("eng", "en"), ("German", "de"), ("Deutsch", "de"), ("français", "fr"), ("中文", "zh"),
    ("Português (Brasil)", "pt"), ("und", None), ("unknown", None), ("", None), ("da", "da"), ("Danish", "da"),
])
def test_a_language_as_data_sets_write_it(tmp_path, given, code):
    """A language field is an ISO 639-1 code, a 639-2 one or a name in one of the encoder's languages; "German" was
    cut to "ge" (a language no model covers: the article was refused). What says no language leaves it to the
    detector; a language the encoder does not cover ("da") stays itself, to be refused by name."""
    path = tmp_path / "langs.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Olaf Scholz traf Emmanuel Macron.", "language": given}) + "\n",
                    encoding="utf-8")
    (doc,) = read_all(path)
    assert isinstance(doc, RawDocument) and doc.language == code


def test_a_table_larger_than_max_bytes_is_read_row_by_row(tmp_path):
    """As a JSON lines file: [reader] max_bytes does not refuse a data set's table whole; a line with a byte that is
    not UTF-8 is read with U+FFFD for it, and said once (a row may span lines: it cannot be left out alone)."""
    body = "Russian President Vladimir Putin received Iran's foreign minister in Moscow on Tuesday."
    path = tmp_path / "dump.csv"
    with path.open("wb") as fh:
        fh.write(b"id,text\n")
        for i in range(20):
            fh.write(f'r{i},"{body}"\n'.encode())
        fh.write(b'latin,"caf\xe9 au lait, a latin-1 byte in a UTF-8 table"\n')
    assert path.stat().st_size > 1000
    got = list(PathReader(max_bytes=1000).read([str(path)]))
    docs = [d for d in got if isinstance(d, RawDocument)]
    assert [d.id for d in docs] == [f"r{i}" for i in range(20)] + ["latin"] and docs[-1].text.startswith("caf\ufffd")
    (note,) = [d for d in got if isinstance(d, ReadError)]
    assert note.source == str(path)
    assert note.reason == "1 line not valid UTF-8 (line 22): read with U+FFFD for the bad bytes"


def test_a_json_line_may_hold_a_line_separator(tmp_path):
    """U+2028 and U+0085 are no line ends in JSON lines (str.splitlines cut the record there: two malformed halves),
    whether the file is streamed (.jsonl) or read whole (.json of lines)."""
    text = "Russian President Vladimir Putin received Iran's foreign minister in Moscow.\u2028The talks\u0085went on."
    lines = json.dumps({"id": "s", "text": text}, ensure_ascii=False) + "\r\n" + json.dumps({"id": "t", "text": "2"})
    for name in ("sep.jsonl", "sep.json"):
        (tmp_path / name).write_text(lines + "\n", encoding="utf-8")
        first, second = read_all(tmp_path / name)
        assert isinstance(first, RawDocument) and first.text == text and second.id == "t"


def test_html_character_references_in_plain_fields_are_read(tmp_path):
    """Scrapers' dumps leave "&amp;", "&quot;" and "&#8217;" in plain JSON fields: the text, title and outlet hold the
    characters (the comparison looks for quotes; a name with "&amp;" matched nothing). "AT&T;" is no reference."""
    path = tmp_path / "scraped.jsonl"
    path.write_text(json.dumps({"id": "e", "title": "Putin &amp; Raisi", "outlet": "Al Jazeera &#8211; English",
                                "text": "&quot;Relations are a priority,&quot; Raisi said.&nbsp;AT&T; stays."}) + "\n",
                    encoding="utf-8")
    (doc,) = read_all(path)
    assert (doc.title, doc.outlet) == ("Putin & Raisi", "Al Jazeera \u2013 English")
    assert doc.text == '"Relations are a priority," Raisi said.\xa0AT&T; stays.'


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_byte_order_mark_is_read(tmp_path, seeds_dir, codec):
    """A Windows editor's "Unicode" text is UTF-16 with a byte order mark: its NUL bytes made it "binary data"."""
    text = sorted(seeds_dir.glob("004*.txt"))[0].read_text(encoding="utf-8")
    data = text.replace("\n", "\r\n").encode(codec)
    path = tmp_path / "windows.txt"
    path.write_bytes(data if codec != "utf-16-be" else b"\xfe\xff" + data)
    (doc,) = read_all(path)
    assert isinstance(doc, RawDocument) and doc.text.split() == text.split()


def test_a_quoted_pattern_is_expanded(tmp_path, seeds_dir):
    """`tidings ingest "news/*.txt"` (quoted, or a Windows shell, which expands nothing): the files it matches, in
    name order, folders below included with **; a pattern that matches nothing is one line."""
    for p in sorted(seeds_dir.glob("*.txt"))[:3]:
        (tmp_path / "a" / "b").mkdir(parents=True, exist_ok=True)
        shutil.copy(p, tmp_path / "a" / "b" / p.name)
    got = read_all(str(tmp_path / "a" / "**" / "00[01]*.txt"), str(tmp_path / "none-*.jsonl"))
    assert [d.id for d in got if isinstance(d, RawDocument)] == [p.stem for p in sorted(seeds_dir.glob("*.txt"))[:2]]
    (miss,) = [d for d in got if isinstance(d, ReadError)]
    assert miss.source == str(tmp_path / "none-*.jsonl") and miss.reason == "no file matches this pattern"


def test_a_table_saved_as_text_is_read_as_a_table(tmp_path, seeds_dir):
    """A database's dump saved as .txt, its header naming a text column, is a table; an article is still one."""
    (tmp_path / "dump.txt").write_text('id\ttitle\tbody\nx1\tA\tLavrov met Rouhani in Tehran.\nx2\tB\tPutin und '
                                       'Raisi telefonierten.\n', encoding="utf-8")
    assert [d.id for d in read_all(tmp_path / "dump.txt")] == ["x1", "x2"]
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert [d.id for d in read_all(*seeds)] == [p.stem for p in seeds]


def test_a_piped_table_keeps_a_line_separator_in_its_text():
    """A CSV on standard input is split into lines where a CSV's lines end: U+2028 in a text field stays in it, and
    the rows keep their line numbers (str.splitlines cut there)."""
    import io

    from tidings.readers import StdinReader

    text = "Lavrov met Rouhani in Tehran.\u2028The talks went on."
    data = f'id,text\nt1,"{text}"\nt2,Putin und Raisi telefonierten.\n'.encode()
    first, second = list(StdinReader(stream=io.BytesIO(data)).read("-"))
    assert (first.text, first.source, second.source) == (text, "<stdin>:2", "<stdin>:3")
