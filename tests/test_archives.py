"""Compressed files and archives: a dump.jsonl.gz read as the dump it holds, a .zip or .tar.gz of articles read as a
folder of them; damaged, nested and oversized ones said in one line each, what came before kept."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import tarfile
import zipfile
from pathlib import Path

from conftest import FIXTURES, gold_groups, seed_files

from tidings.api import Tidings
from tidings.articles import RawDocument, ReadError
from tidings.readers import LeftOutFiles, PathReader, SourceFollower, StdinReader, sniff_kind

DUMP = FIXTURES / "multilingual" / "articles.jsonl"


def read_all(*sources: Path | str, max_bytes: int = 20_000_000) -> list[RawDocument | ReadError]:
    return list(PathReader(max_bytes=max_bytes).read([str(s) for s in sources]))


def docs_of(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors_of(items: list) -> list[str]:
    return [str(i) for i in items if isinstance(i, ReadError)]


def test_a_compressed_dump_is_read_as_the_dump_it_holds(tmp_path):
    plain = docs_of(read_all(DUMP))
    assert len(plain) == 31
    for suffix, opener in ((".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)):
        packed = tmp_path / f"articles.jsonl{suffix}"
        with opener(packed, "wb") as fh:
            fh.write(DUMP.read_bytes())
        assert sniff_kind(packed) == "archive"
        items = read_all(packed)
        assert not errors_of(items), errors_of(items)
        got = docs_of(items)
        # the same articles under the same ids: reading the dump compressed after plain stores nothing twice
        assert [(d.id, d.text, d.language) for d in got] == [(d.id, d.text, d.language) for d in plain]
        # named after the file the user has, each line's position kept
        assert got[0].source == f"{packed}:1" and got[-1].source == f"{packed}:31"


def test_a_compressed_file_without_its_suffix_is_known_by_its_first_bytes(tmp_path):
    packed = tmp_path / "export"
    packed.write_bytes(gzip.compress(DUMP.read_bytes()))
    assert sniff_kind(packed) == "archive"
    assert len(docs_of(read_all(packed))) == 31
    liar = tmp_path / "not-really.jsonl.gz"
    liar.write_bytes(DUMP.read_bytes())
    (error,) = read_all(liar)
    assert isinstance(error, ReadError) and error.source == str(liar) and "not a .gz file" in error.reason


def test_the_seeds_zipped_make_the_gold_events_and_the_folder_after_them_stores_nothing_twice(tmp_path, seeds_dir,
                                                                                             gold):
    packed = tmp_path / "seeds.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in seed_files():
            zf.write(f, f"iran-russia/{f.name}")
        zf.write(seeds_dir / "gold.json", "gold.json")
    with Tidings(tmp_path / "t.db") as t:
        report = t.ingest([str(packed)])
        assert len(report.stored) == 5
        assert {s.source for s in report.stored} == {f"{packed}/iran-russia/{f.name}" for f in seed_files()}
        groups = {}
        for s in report.stored:
            groups.setdefault(s.event, set()).add(s.id)
        assert sorted(map(sorted, groups.values())) == sorted(map(sorted, gold_groups(gold)))
        assert t.stats()["sources"] == {str(packed): 5}  # an archive's members count as the archive
        again = t.ingest([str(seeds_dir)])
        assert again.stored == [] and len(again.skipped) == 6  # the five already stored, and gold.json


def test_a_tar_holds_what_the_zip_holds(tmp_path, seeds_dir):
    zipped, tarred = tmp_path / "s.zip", tmp_path / "s.tar.gz"
    with zipfile.ZipFile(zipped, "w") as zf, tarfile.open(tarred, "w:gz") as tf:
        for f in seed_files():
            zf.write(f, f.name)
            tf.add(f, f.name)
    from_zip, from_tar = docs_of(read_all(zipped)), docs_of(read_all(tarred))
    assert len(from_zip) == 5
    assert [(d.id, d.text) for d in from_zip] == [(d.id, d.text) for d in from_tar]
    assert [d.id for d in from_zip] == [f.stem for f in seed_files()]


def test_a_damaged_archive_keeps_what_came_before_the_damage(tmp_path):
    whole = gzip.compress(DUMP.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    items = read_all(cut)
    got = docs_of(items)
    assert 5 < len(got) < 31
    assert [d.id for d in got] == [d.id for d in docs_of(read_all(DUMP))][: len(got)]
    assert any(e.startswith(f"{cut}: damaged or cut short") for e in errors_of(items))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (error,) = read_all(broken)
    assert error.source == str(broken) and error.reason.startswith("not a readable zip archive")


def test_members_that_hold_no_article_are_left_out_in_one_line_and_nested_archives_said(tmp_path, seeds_dir):
    first = seed_files()[0]
    packed = tmp_path / "site.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        zf.write(first, "pages/a.txt")
        zf.writestr("pages/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        zf.writestr("pages/app.js", "var x = 1;")
        zf.writestr("__MACOSX/pages/._a.txt", b"\x00\x05\x16\x07")
        zf.writestr(".git/config", "[core]")
        zf.writestr("inner.jsonl.gz", gzip.compress(DUMP.read_bytes()))
        zf.writestr("../../escape/b.txt", first.read_text(encoding="utf-8"))
    items = read_all(packed)
    assert sorted(d.source for d in docs_of(items)) == [f"{packed}/escape/b.txt", f"{packed}/pages/a.txt"]
    notes = [i for i in items if isinstance(i, LeftOutFiles)]
    assert [str(n) for n in notes] == [f"{packed}: 2 members of kinds that hold no article left out (.js 1, .png 1)"]
    assert f"{packed}/inner.jsonl.gz: an archive or compressed file inside another: unpack the outer one first" \
        in errors_of(items)


def test_a_member_is_bounded_once_decompressed(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "Putin spoke. " * 200_000)  # 2.6 MB that deflate to a few KB
    assert bomb.stat().st_size < 50_000
    (error,) = read_all(bomb, max_bytes=1_000_000)
    assert error.source == f"{bomb}/big.txt" and error.reason.startswith("too large once decompressed")
    # a dump is bounded a line at a time, not whole: its lines are read however large the dump
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(gzip.compress(DUMP.read_bytes() * 40))  # 1.2 MB of lines
    assert len(docs_of(read_all(dump, max_bytes=100_000))) == 31 * 40


def test_unreadable_archive_kinds_say_what_is_read(tmp_path):
    seven = tmp_path / "news.7z"
    seven.write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 32)
    (error,) = read_all(seven)
    assert error.source == str(seven) and "7-Zip" in error.reason and ".tar.gz" in error.reason
    office = tmp_path / "report.docx"  # a zip too, of no article: not opened as an archive
    with zipfile.ZipFile(office, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    (error,) = read_all(office)
    assert error.reason == "binary data, not text"


def test_a_folder_reads_its_archives_and_leaves_out_compressed_assets(tmp_path, seeds_dir):
    folder = tmp_path / "inbox"
    (folder / "2021").mkdir(parents=True)
    (folder / "2021" / "dump.jsonl.gz").write_bytes(gzip.compress(DUMP.read_bytes()))
    (folder / "app.js.gz").write_bytes(gzip.compress(b"var x = 1;"))
    shutil.copy(seed_files()[0], folder / "one.txt")
    items = read_all(folder)
    assert len(docs_of(items)) == 32
    assert [str(i) for i in items if isinstance(i, LeftOutFiles)] == [
        f"{folder}: 1 file of kinds that hold no article left out (.js.gz 1); name one to read it"]


def test_standard_input_may_come_compressed():
    data = gzip.compress(DUMP.read_bytes())
    got = list(StdinReader(stream=io.BytesIO(data)).read("-"))
    assert [d.id for d in got] == [d.id for d in docs_of(read_all(DUMP))]
    got = list(StdinReader(stream=io.BytesIO(data[: len(data) // 2])).read("-"))
    assert str(got[-1]) == "<stdin>: .gz data cut short: read as far as it goes"
    assert len(docs_of(got)) > 5


def test_standard_input_streams_json_lines_and_tables_of_any_size():
    """``jq -c '.articles[]' big.json | tidings ingest -`` over [reader] max_bytes was refused whole: JSON lines and
    tables are read a line at a time, as from a file; one JSON document or one text stays bounded."""
    import csv
    import json

    lines = DUMP.read_bytes() * 20  # 600 KB of JSON lines
    got = list(StdinReader(max_bytes=50_000, stream=io.BytesIO(lines)).read("-"))
    assert len(got) == 620 and all(isinstance(d, RawDocument) for d in got)
    assert got[0].source == "<stdin>:1" and got[-1].source == "<stdin>:620"
    rows = [json.loads(line) for line in DUMP.read_text(encoding="utf-8").splitlines() if line.strip()] * 10
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=["title", "text"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    got = list(StdinReader(max_bytes=50_000, stream=io.BytesIO(table.getvalue().encode("utf-8"))).read("-"))
    assert [d.text for d in got] == [r["text"] for r in rows]
    document = json.dumps({"articles": rows}, indent=1).encode("utf-8")  # one document: whole, within the bound
    (error,) = StdinReader(max_bytes=50_000, stream=io.BytesIO(document)).read("-")
    assert error.reason.startswith("too large")
    assert len(list(StdinReader(stream=io.BytesIO(document)).read("-"))) == 310
    one_line = json.dumps({"status": "ok", "articles": rows[:3]}).encode("utf-8")  # curl's answer of an API
    assert [d.text for d in StdinReader(stream=io.BytesIO(one_line)).read("-")] == [r["text"] for r in rows[:3]]


def test_a_follower_reads_an_archive_again_when_one_of_its_members_could_not_be_stored(tmp_path, seeds_dir):
    packed = tmp_path / "s.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        zf.write(seed_files()[0], "a.txt")
    follower = SourceFollower(PathReader(), settle_seconds=0)
    assert len(docs_of(list(follower.read([str(packed)])))) == 1
    assert list(follower.read([str(packed)])) == []  # unchanged: not read again
    follower.forget(f"{packed}/a.txt")
    assert len(docs_of(list(follower.read([str(packed)])))) == 1


def test_broken_and_empty_archives_are_said_in_one_line_each(tmp_path):
    garbage = b"\x1f\x8b\x08\x00" + b"\xff" * 100  # a gzip header, then no valid deflate data
    cases = {
        "dump.jsonl.gz": (garbage, "damaged or cut short (Error -3"),
        "pages.tar.gz": (garbage, "not a readable tar archive ("),
        "crawl.warc.gz": (garbage, "not a readable WARC file ("),
        "nothing.tar": (b"\x00" * 1024, "an archive with no files in it"),
    }
    empty_zip = tmp_path / "nothing.zip"
    zipfile.ZipFile(empty_zip, "w").close()
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    items = read_all(*(tmp_path / n for n in cases), empty_zip)
    assert all(isinstance(i, ReadError) for i in items)
    said = {Path(i.source).name: i.reason for i in items}
    assert said["nothing.zip"] == "an archive with no files in it"
    for name, (_, start) in cases.items():
        assert said[name].startswith(start), said[name]
    assert all("\n" not in reason for reason in said.values())


def test_the_progress_counts_an_archives_members_as_its_one_file(tmp_path, seeds_dir):
    from tidings.cli import _file_of

    packed = tmp_path / "s.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        for f in seed_files():
            zf.write(f, f"2021/{f.name}")
    dump = tmp_path / "articles.jsonl.gz"
    dump.write_bytes(gzip.compress(DUMP.read_bytes()))
    listed = {str(packed), str(dump), "feed.xml"}
    sources = [i.source for i in read_all(packed, dump)]
    assert {_file_of(s, listed) for s in sources} == {str(packed), str(dump)}
    assert _file_of("feed.xml#3", listed) == "feed.xml"
    assert _file_of("elsewhere/a.txt", listed) == "elsewhere/a.txt"


def test_urls_that_serve_data_are_read_as_data(tmp_path):
    """A news API's JSON answer, a JSON Feed, a gzipped dump and a zip at a URL (all were parsed as a feed and
    refused); an API's articles without ids take their addresses', so that the next answer, its list moved on by a
    day's news, gives no article another's id."""
    import functools
    import http.server
    import json
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".json": "application/json"}

        def log_message(self, *args: object) -> None:
            pass

    lines = DUMP.read_text(encoding="utf-8").splitlines()
    first, second = json.loads(lines[0]), json.loads(lines[1])

    def answer(records: list[dict]) -> str:  # as NewsAPI's /v2/everything answers
        return json.dumps({"status": "ok", "totalResults": len(records), "articles": [
            {"source": {"id": None, "name": "Wire"}, "title": r["title"], "url": f"https://wire.example/{r['id']}",
             "publishedAt": f"{r['published']}T08:00:00Z", "content": r["text"]} for r in records]})

    (tmp_path / "today.json").write_text(answer([first]), encoding="utf-8")
    (tmp_path / "tomorrow.json").write_text(answer([second, first]), encoding="utf-8")
    (tmp_path / "feed.json").write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": [
            {"id": "w-1", "url": "https://wire.example/w-1", "title": first["title"], "content_text": first["text"],
             "date_published": f"{first['published']}T08:00:00Z"}]}), encoding="utf-8")
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress(DUMP.read_bytes()))
    with zipfile.ZipFile(tmp_path / "pages.zip", "w") as zf:
        zf.writestr("2023/quake.txt", first["text"])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        (today,) = read_all(f"{base}/today.json")
        second_doc, again = read_all(f"{base}/tomorrow.json")
        (entry,) = read_all(f"{base}/feed.json")
        dump = read_all(f"{base}/dump.jsonl.gz")
        (member,) = read_all(f"{base}/pages.zip")
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(today, RawDocument) and today.text == first["text"] and today.outlet == "Wire"
    assert today.id == again.id == f"https-wire.example-{first['id']}" and second_doc.id != today.id
    assert today.published.date().isoformat() == first["published"] and today.source == f"{base}/today.json#1"
    assert isinstance(entry, RawDocument) and entry.id == "w-1" and entry.text == first["text"]
    assert [d.id for d in docs_of(dump)] == [d.id for d in docs_of(read_all(DUMP))]
    assert dump[0].source == f"{base}/dump.jsonl.gz:1"
    assert member.source == f"{base}/pages.zip/2023/quake.txt" and member.id == "quake"


def test_a_json_list_larger_than_the_limit_is_read_a_record_at_a_time(tmp_path):
    """A data set's dump as one JSON list (Kaggle's way) over [reader] max_bytes was refused whole; now its records
    are read one at a time, as the same list is read whole under the limit. An object that large is still refused,
    saying how to make it readable; a list cut short keeps the records before the cut."""
    import json

    rows = [json.loads(line) for line in DUMP.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [{k: v for k, v in r.items() if k != "id" or n % 2} for n, r in enumerate(rows * 4)]  # half without id
    dump = tmp_path / "dataset.json"
    dump.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    assert dump.stat().st_size > 100_000
    whole = read_all(dump)  # under the default limit: parsed whole
    streamed = read_all(dump, max_bytes=20_000)  # over it: a record at a time
    assert len(docs_of(whole)) == 124
    assert [(d.id, d.source, d.text, d.id_by_position) for d in docs_of(streamed)] == \
        [(d.id, d.source, d.text, d.id_by_position) for d in docs_of(whole)]
    envelope = tmp_path / "answer.json"
    envelope.write_text(json.dumps({"articles": records}, ensure_ascii=False), encoding="utf-8")
    (error,) = read_all(envelope, max_bytes=20_000)
    assert error.source == str(envelope) and "write its articles as JSON lines" in error.reason
    data = dump.read_bytes()
    inside = data.index(b'"text"', len(data) // 2) + 20  # in the middle of a record's text
    between = data.rindex(b"},", 0, len(data) // 2) + 2  # after a record and its comma
    for at, said in ((inside, "malformed JSON (Unterminated string"), (between, "cut short after record")):
        cut = tmp_path / f"cut-{at}.json"
        cut.write_bytes(data[:at])
        items = read_all(cut, max_bytes=20_000)
        kept = data[:at].count(b'"text"') - (at == inside)
        assert [d.text for d in docs_of(items)] == [d.text for d in docs_of(whole)][:kept]
        assert isinstance(items[-1], ReadError) and said in items[-1].reason, items[-1]
