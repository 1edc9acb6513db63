"""Readers: turn files, folders, JSON lines and feeds into RawDocuments.

Each reader has one job: ``read(source) -> Iterator[RawDocument | ReadError]``.
A bad input yields a ReadError naming it and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html import unescape as unescape_html
from pathlib import Path
from typing import Any, Protocol

from tidings.articles import ARCHIVE_SUFFIXES, RawDocument, ReadError
from tidings.language import language_code, legacy_decode
from tidings.processes import helper_env, worker_count
from tidings.registry import create, register

log = logging.getLogger(__name__)

Item = RawDocument | ReadError

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
TABLE_SUFFIXES = {".csv", ".tsv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
# Files a folder's walk leaves out, said in one line rather than one each (a saved site's images and scripts): kinds
# that hold no article this reader can read. A file named on its own is read whatever its kind.
NOT_ARTICLE_SUFFIXES = frozenset(
    ".jpg .jpeg .png .gif .webp .avif .bmp .ico .tif .tiff .svg .heic .mp3 .mp4 .m4a .wav .ogg .oga .webm .mov .avi "
    ".mkv .flac .7z .rar .zst .css .js .mjs .map .woff .woff2 .ttf .otf .eot .pdf .doc .docx "
    ".xls .xlsx .ppt .pptx .odt .ods .odp .exe .dll .so .dylib .bin .pyc .class .jar .sqlite .sqlite3 .db .db-wal "
    ".db-shm .faiss .parquet .npz .npy .pkl".split())


# One file compressed (read as the file it holds: "dump.jsonl.gz" as JSON lines, a line at a time), and archives of
# files (each member read as a file of a folder is: "news.zip/2021/page.html"). News dumps come so.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
_COMPRESSED_MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))
_ZIP_MAGIC = b"PK\x03\x04"


def compressed_kind(head: bytes) -> str | None:
    """The compression (".gz", ".bz2", ".xz") a file's first bytes show, if any."""
    return next((kind for magic, kind in _COMPRESSED_MAGIC if head.startswith(magic)), None)


def _packed(head: bytes) -> bool:
    """Whether a file's first bytes are a zip archive's or a compressed file's."""
    return head.startswith(_ZIP_MAGIC) or compressed_kind(head) is not None


def _decompressing(kind: str, file: Any) -> Any:
    """The data of ``file`` (a path or a binary stream) compressed as ``kind``, read as it is decompressed."""
    import bz2
    import gzip
    import lzma

    return {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}[kind](file, "rb")


_UNREADABLE_ARCHIVES = {".7z": "a 7-Zip archive", ".rar": "a RAR archive", ".zst": "a Zstandard file",
                        ".lz4": "an LZ4 file"}


def archive_suffix(name: str) -> str | None:
    """The archive kind ``name`` ends in (".zip", ".tar.gz" ...), if any."""
    lower = name.lower()
    return next((s for s in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), None)


def _left_out_kind(name: str) -> str | None:
    """The kind under which a folder's walk leaves ``name`` out (``NOT_ARTICLE_SUFFIXES``), None if it is read; a
    compressed file by the kind it holds ("app.js.gz": ".js.gz")."""
    suffixes = [s.lower() for s in Path(name).suffixes[-2:]]
    if not suffixes:
        return None
    if suffixes[-1] in COMPRESSED_SUFFIXES and archive_suffix(name) is None:
        return "".join(suffixes) if len(suffixes) == 2 and suffixes[0] in NOT_ARTICLE_SUFFIXES else None
    return suffixes[-1] if suffixes[-1] in NOT_ARTICLE_SUFFIXES else None


def _counted(kinds: Counter[str], noun: str) -> str:
    """How many in all, with the noun: "1 file", "3 records"."""
    n = sum(kinds.values())
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _by_kind(kinds: Counter[str]) -> str:
    """The kinds, the most first: ".png 12, .js 3"."""
    return ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


class LeftOutFiles(ReadError):
    """The note on a folder's files of kinds that hold no article (``NOT_ARTICLE_SUFFIXES``): said once by a
    follower, not every round."""


class Reader(Protocol):
    def read(self, source: str) -> Iterator[Item]: ...


def _size_error(path: Path, max_bytes: int) -> ReadError | None:
    size = path.stat().st_size
    if size == 0:
        return ReadError(str(path), "empty file")
    if size > max_bytes:
        return ReadError(str(path), f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
    return None


def _head_error(path: Path) -> ReadError | None:
    """What is wrong with a file read a line at a time, from its first bytes: missing, empty, binary."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return ReadError(str(path), f"cannot read ({exc.strerror or exc})")
    if not head:
        return ReadError(str(path), "empty file")
    return ReadError(str(path), "binary data, not text") if _looks_binary(head) else None


_UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
                 (b"\xfe\xff", "utf-16-be"))  # UTF-32's marks first: UTF-16 LE's is the start of UTF-32 LE's


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > len(head) * 0.05


# <meta charset="windows-1256"> or <meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The character set an HTML page's head declares, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def read_text_bytes(path: Path, max_bytes: int, html: bool = False) -> str | ReadError:
    """The file's text as UTF-8, or a ReadError saying what is wrong with it. ``html``: a page that is not UTF-8
    is read in the character set its head declares (Arabic and Central European sites still serve windows-1256,
    iso-8859-2 and the like), as a browser would."""
    error = _size_error(path, max_bytes)
    if error:
        return error
    return decode_text(path.read_bytes(), str(path), html)


def decode_text(data: bytes, name: str, html: bool = False) -> str | ReadError:
    """Bytes read from ``name`` (a file, standard input) as text, or a ReadError saying what is wrong with them."""
    for bom, codec in _UNICODE_BOMS:  # UTF-16 as Windows editors save "Unicode" text: its NUL bytes are not binary
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                return ReadError(name, f"not valid {codec.upper()} (bad bytes at offset {exc.start + len(bom)})")
            return text if text.strip() else ReadError(name, "no text (only whitespace)")
    if _looks_binary(data):
        return ReadError(name, "binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        charset = declared_charset(data) if html else None
        if charset is None:
            legacy = legacy_decode(data, markup=html)
            if legacy is None:
                return ReadError(name, f"not valid UTF-8 (bad byte at offset {exc.start}), declares no character set, "
                                       "and reads as no language tidings covers in any legacy code page")
            text, codec, language = legacy
            log.info("%s: not UTF-8 and declares no character set: read as %s (%s)", name, codec, language)
            return text if text.strip() else ReadError(name, "no text (only whitespace)")
        try:
            text = data.decode(charset)
        except LookupError:
            return ReadError(name, f"not valid UTF-8, and its declared character set {charset!r} is unknown")
        except UnicodeDecodeError as bad:
            return ReadError(name, f"not valid {charset} as its head declares (bad byte at offset {bad.start})")
    if not text.strip():
        return ReadError(name, "no text (only whitespace)")
    return text


def parse_published(value: object) -> dt.datetime | None:
    """A publication time from JSON/feed metadata: ISO 8601 first, then dateparser."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):  # JSON's true is no time (Python's bool is an int: it read as 1970)
        return None
    if isinstance(value, int | float):
        return _numeric_time(value)
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    iso = _ISO_DAY.match(text)
    if iso:  # "2021-13-01" is no date: dateparser would read it as 13 January
        try:
            dt.date(*map(int, iso.groups()))
        except ValueError:
            return None
    import dateparser

    # Strict (day, month and year) first: lenient parsing reads "n/a" as a day of this month. A month and a
    # year alone ("Aug 2021") are taken as its first day.
    found = dateparser.parse(text, settings={"STRICT_PARSING": True})
    if found is None and _YEAR.search(text):
        found = dateparser.parse(text, settings={"STRICT_PARSING": False, "PREFER_DAY_OF_MONTH": "first"})
    return found


def _numeric_time(value: float) -> dt.datetime | None:
    """A number as a publication time: a day written as YYYYMMDD (20210810, which as seconds is August 1970), Unix
    milliseconds (JavaScript's, 13 digits: as seconds, a year past 9999), else Unix seconds; None for what is none of
    these (0 and below, 20211399)."""
    if value <= 0:
        return None
    if 1900_01_01 <= value <= 2100_12_31:  # as seconds, some day of August 1970: no news stamp
        n = int(value)
        try:
            return dt.datetime(n // 10_000, n // 100 % 100, n % 100, tzinfo=dt.UTC) if n == value else None
        except ValueError:
            return None
    if value >= 100_000_000_000:  # 5138 as seconds, 1973 as milliseconds
        value = value / 1000
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_YEAR = re.compile(r"(?<!\d)(1[89]|2[01])\d{2}(?!\d)")


class FileReader:
    """A reader of one local file: checks size and encoding, then turns the text into documents."""

    def __init__(self, max_bytes: int = 20_000_000) -> None:
        self.max_bytes = max_bytes

    html = False  # whether a declared character set is honoured (read_text_bytes)

    def read(self, source: str) -> Iterator[Item]:
        path = Path(source)
        text = read_text_bytes(path, self.max_bytes, self.html)
        if isinstance(text, ReadError):
            yield text
            return
        yield from self.documents(path, text)

    def documents(self, path: Path, text: str) -> Iterator[Item]:
        raise NotImplementedError


@register("reader", "text")
class TextReader(FileReader):
    """Plain text file: the id is the file name without its extension."""

    def documents(self, path: Path, text: str) -> Iterator[Item]:
        yield RawDocument(id=path.stem, text=text, source=str(path), id_by_name=True)


@register("reader", "html")
class HtmlReader(FileReader):
    """Web page: main text, title, site name and date through trafilatura."""

    html = True

    def documents(self, path: Path, text: str) -> Iterator[Item]:
        yield html_to_document(text, doc_id=path.stem, source=str(path), by_name=True)


def _table_header(text: str) -> bool:
    """Whether ``text`` opens as a table's header row: cells split by , ; or a tab, one of them a text column's name
    ("text", "body", "content" ...). An article's first line is no such row."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    cells = [c.strip().strip('"').casefold() for c in header.split(table_separator(header))]
    return len(cells) >= 2 and "\n" in text and any(c in ("text", *FIELD_ALIASES["text"]) for c in cells)


def table_separator(header: str, path: Path | None = None) -> str:
    """A tab in a .tsv ``path``; else whichever of , ; or tab the header line holds most (a spreadsheet's CSV export
    in a German or French locale separates with ;)."""
    return "\t" if path is not None and path.suffix.lower() == ".tsv" else max(",;\t", key=header.count)


@register("reader", "table")
class TableReader(FileReader):
    """A CSV or TSV file with a header row, as data sets come: a row per article, its columns named as a JSON line's
    fields (``text``, ``id``, ``title``, ``url``, ``outlet``, ``published``, ``language``, or other tools' names for
    them: ``FIELD_ALIASES``). The separator: a tab in a .tsv, else whichever of , ; or tab the header holds most.
    Read a row at a time, of any size: [reader] max_bytes bounds a row's field, not the file."""

    def read(self, source: str) -> Iterator[Item]:
        path = Path(source)
        error = _head_error(path)
        if error is not None:
            yield error
            return
        with path.open("rb") as fh:
            yield from self.stream_rows(path, fh)

    def stream_rows(self, path: Path, fh: Any) -> Iterator[Item]:
        """The rows of an open binary file ``fh`` (a file, a decompressing reader, an archive's member), named after
        ``path``."""
        bad: list[int] = []  # lines with bytes that are not UTF-8: read with U+FFFD for them, said once at the end

        def lines(fh: Any) -> Iterator[str]:
            for n, raw in enumerate(fh, start=1):
                try:
                    yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    bad.append(n)
                    yield raw.decode("utf-8", "replace")

        yield from self.rows(path, lines(fh))
        if bad:
            shown = ", ".join(map(str, bad[:10])) + (" ..." if len(bad) > 10 else "")
            yield ReadError(str(path), f"{len(bad)} line{'s' if len(bad) != 1 else ''} not valid UTF-8 (line "
                                       f"{shown}): read with U+FFFD for the bad bytes")

    def documents(self, path: Path, text: str) -> Iterator[Item]:
        import io

        # Lines as the file's are read (str.splitlines also cuts at U+2028 inside a field: rows numbered wrongly)
        yield from self.rows(path, iter(io.StringIO(text.lstrip("\ufeff"), newline="")))

    def rows(self, path: Path, lines: Iterator[str]) -> Iterator[Item]:
        import csv
        import itertools

        header = next(lines, "")
        sep = table_separator(header, path)
        csv.field_size_limit(max(csv.field_size_limit(), self.max_bytes))  # an article's text is one long field
        rows = csv.DictReader(itertools.chain([header], lines), delimiter=sep)
        try:
            columns = [c for c in (rows.fieldnames or []) if c]
            if "text" not in with_our_names(dict.fromkeys(columns, "x")):
                shown = ", ".join(columns[:12]) + (" ..." if len(columns) > 12 else "")
                yield ReadError(str(path), f"a table without a 'text' column (its columns: {shown or 'none'})")
                return
            for n, row in enumerate(rows, start=1):
                record = {k: v for k, v in row.items() if k}  # None: the values of a row longer than its header
                yield record_to_document(record, f"{path}:{rows.line_num}", default_id=f"{path.stem}-{n}")
        except csv.Error as exc:  # a field over the limit, a NUL byte: what came before it is read
            yield ReadError(f"{path}:{rows.line_num}", f"malformed table ({exc})")


@dataclass(frozen=True)
class PageJob:
    """A web page an archive or a crawl holds, whose main text is still to be read (``html_to_document``): what an
    archive's reader yields instead of the document when ``PathReader`` reads pages in page processes."""

    html: str
    doc_id: str
    source: str
    url: str | None = None
    by_name: bool = False  # its id is its file's name (``RawDocument.id_by_name``)

    def read_here(self) -> Item:
        return html_to_document(self.html, self.doc_id, self.source, self.url, self.by_name)


def html_to_document(html: str, doc_id: str, source: str, url: str | None = None, by_name: bool = False) -> Item:
    import trafilatura

    # Dates from the page's metadata and markup only: htmldate's extensive search falls back on guesses such as a
    # footer's "Copyright 2021" read as 1 January 2021, a publication date that would misplace the article in time
    # (the cleaner still reads a stamp in the text itself).
    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            date_extraction_params={"extensive_search": False, "original_date": True})
    if extracted is None or not (extracted.text or "").strip():
        return ReadError(source, "no article text found in the HTML")
    return RawDocument(
        id=doc_id,
        text=extracted.text,
        source=source,
        title=extracted.title,
        url=url or extracted.url,
        outlet=extracted.sitename,
        published=parse_published(extracted.date),
        html=html,
        id_by_name=by_name,
    )


def _has_text(record: object) -> bool:
    return isinstance(record, dict) and "text" in with_our_names(record)


def article_records(whole: object, depth: int = 3) -> list | None:
    """The article records of one JSON document: a list of them, a single one, or the list an envelope holds
    (NewsAPI's {"status", "articles": [...]}, {"data": {"items": [...]}}, Elasticsearch's {"hits": {"hits":
    [{"_id", "_source": {...}}]}}: a search engine's documents under "_source", its "_id" their id), a few levels
    down under the usual keys (``ENVELOPE_KEYS``); None where no record has a text (a gold file: not articles)."""
    if isinstance(whole, dict) and isinstance(whole.get("_source"), dict):
        inner = whole["_source"]
        whole = inner if "id" in inner or "_id" not in whole else {**inner, "id": whole["_id"]}
    if _has_text(whole):
        return [whole]
    if isinstance(whole, list):
        records = [article_records(r, 0) or [r] for r in whole]  # hits' "_source" opened, nothing deeper
        flat = [r for group in records for r in group]
        return flat if any(_has_text(r) for r in flat) else None
    if isinstance(whole, dict) and depth > 0:
        for key in ENVELOPE_KEYS:  # only these: a gold or settings file's nested "text" notes are no articles
            value = whole.get(key)
            if isinstance(value, list | dict) and (found := article_records(value, depth - 1)) is not None:
                return found
    return None


# Where data sets and search APIs put their records (NewsAPI "articles", Elasticsearch "hits", many "data" / "items")
ENVELOPE_KEYS = ("articles", "items", "results", "data", "documents", "docs", "hits", "entries", "records", "news",
                 "posts", "stories")


@register("reader", "jsonl")
class JsonLinesReader(FileReader):
    """JSON lines: {"id", "text", optional "title", "url", "outlet", "published", "language"} (or other tools' names
    for them: ``FIELD_ALIASES``)."""

    ended: tuple[int, int] = (0, 0)  # after the last whole line of the latest ``stream``: its byte, its line

    def read(self, source: str) -> Iterator[Item]:
        path = Path(source)
        if path.suffix.lower() not in APPENDED_SUFFIXES:  # a .json may be one document: read whole, within max_bytes
            try:
                large = path.stat().st_size > self.max_bytes
            except OSError:
                large = False  # said by the reading
            if large:
                yield from self._large_document(path)
                return
            yield from super().read(source)
            return
        yield from self.stream(path)

    def _large_document(self, path: Path) -> Iterator[Item]:
        """A .json larger than [reader] max_bytes: a list of articles (a data set's dump as one array) is read a
        record at a time; anything else is refused, saying how to make it readable."""
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            fh.seek(0)
            if head.startswith(b"["):
                yield from self.stream_array(path, fh)
                return
        size = path.stat().st_size
        yield ReadError(str(path), f"too large ({size / 1e6:.1f} MB; the limit is {self.max_bytes / 1e6:.0f} MB): a "
                                   "list of articles is read at any size, one JSON object is not; write its articles "
                                   "as JSON lines (jq -c '.articles[]')")

    def stream_array(self, path: Path, fh: Any) -> Iterator[Item]:
        """The records of a JSON list in the open binary file ``fh``, one at a time (each within [reader] max_bytes),
        as a .json's list is read whole: positions ``path:N``, ids ``stem-N`` where a record has none."""
        import codecs

        decoder, text = json.JSONDecoder(), codecs.getincrementaldecoder("utf-8-sig")()
        buf, pos, eof, n = "", 0, False, 0

        def more() -> bool:
            nonlocal buf, pos, eof
            if eof:
                return False
            chunk = fh.read(ARRAY_CHUNK_BYTES)
            eof = not chunk
            buf = buf[pos:] + text.decode(chunk, final=eof)  # what was parsed is dropped: the buffer stays small
            pos = 0
            return True

        def skip_space() -> bool:  # False at the end of the file
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf) or not more():
                    return pos < len(buf)

        try:
            if not skip_space() or buf[pos] != "[":
                yield ReadError(str(path), "not a JSON list")
                return
            pos += 1
            while True:
                if not skip_space():
                    yield ReadError(str(path), f"cut short after record {n} (no closing ']')")
                    return
                if buf[pos] == "]":
                    return
                if n:
                    if buf[pos] != ",":
                        yield ReadError(f"{path}:{n + 1}", f"malformed JSON (expected ',' or ']', found {buf[pos]!r})")
                        return
                    pos += 1
                    if not skip_space():
                        continue
                while True:
                    try:
                        record, end = decoder.raw_decode(buf, pos)
                        if end < len(buf) or eof:
                            break
                    except json.JSONDecodeError as exc:
                        if eof or len(buf) - pos > self.max_bytes:
                            reason = "record too long (over [reader] max_bytes)" if not eof else \
                                f"malformed JSON ({exc.msg})"
                            yield ReadError(f"{path}:{n + 1}", reason)
                            return
                    more()  # the record runs on past what is read (or a number may: "12" of "123")
                n += 1
                pos = end
                for r in article_records(record, 0) or [record]:  # a search engine's hit opened, as in a list
                    yield record_to_document(r, f"{path}:{n}", default_id=f"{path.stem}-{n}")
        except UnicodeDecodeError as exc:
            yield ReadError(str(path), f"not valid UTF-8 after record {n} ({exc.reason}); what came before was read")

    def stream(self, path: Path, start: int = 0, lines_before: int = 0) -> Iterator[Item]:
        """A JSON lines file a line at a time, of any size: [reader] max_bytes bounds a line, not the file (a data
        set's dump of gigabytes was refused whole), and a line that is not UTF-8 is said alone. From byte ``start``
        on (the start of line ``lines_before`` + 1), as a follower reads a log that grew; ``self.ended``: after
        the last whole line, the byte and the line where a next read of what is appended starts."""
        self.ended = (start, lines_before)
        error = _head_error(path)
        if error is not None:
            yield error
            return
        with path.open("rb") as fh:
            fh.seek(start)
            yield from self.stream_lines(path, fh, lines_before)

    def stream_lines(self, path: Path, fh: Any, lines_before: int = 0) -> Iterator[Item]:
        """The lines of an open binary file ``fh`` (a file, a decompressing reader, an archive's member) as
        ``stream`` reads them, named after ``path``."""
        lineno, any_text = lines_before, False
        while raw := fh.readline(self.max_bytes + 1):
            lineno += 1
            if raw.endswith(b"\n"):
                self.ended = (fh.tell(), lineno)
            if len(raw) > self.max_bytes:
                yield ReadError(f"{path}:{lineno}", f"line too long (over {self.max_bytes / 1e6:g} MB; the "
                                                    "limit is [reader] max_bytes)")
                while raw and not raw.endswith(b"\n"):  # the rest of it, unread
                    raw = fh.readline(self.max_bytes + 1)
                if raw:
                    self.ended = (fh.tell(), lineno)
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(f"{path}:{lineno}", f"not valid UTF-8 (bad byte at offset {exc.start})")
                continue
            if line.strip():
                any_text = True
                yield from self.lines(path, line, first_line=lineno)
        if not any_text and lines_before == 0:
            yield ReadError(str(path), "no text (only whitespace)")

    def documents(self, path: Path, content: str, whole_first: bool = False) -> Iterator[Item]:
        """``whole_first`` (a .json file, or standard input that starts as JSON): the content may be one document (an
        article, a list of them, an API's answer holding them) rather than lines."""
        if whole_first or path.suffix.lower() == ".json":
            try:
                whole = json.loads(content)
            except json.JSONDecodeError:
                whole = None
            if whole is not None:
                records = article_records(whole)
                if records is None:
                    yield ReadError(str(path), "JSON document without articles (expected objects with 'text')")
                    return
                if not whole_first and isinstance(whole, dict) and _has_text(whole):
                    # a file of one article (news-please saves each so): without an id of its own, the file's name
                    yield record_to_document(records[0], str(path), default_id=path.stem, default_is="name")
                    return
                for n, record in enumerate(records, start=1):  # one without a text is said, the others read
                    yield record_to_document(record, f"{path}:{n}", default_id=f"{path.stem}-{n}")
                return
        yield from self.lines(path, content)

    def lines(self, path: Path, content: str, first_line: int = 1) -> Iterator[Item]:
        """One document (or error) per non-empty line of ``content``, numbered from ``first_line``. Lines end at "\n"
        only: str.splitlines also cuts at U+2028 and U+0085, which a JSON string may hold unescaped (a text pasted from
        the web, dumped with ensure_ascii=False), and the record was read as two malformed halves."""
        for lineno, line in enumerate(content.split("\n"), start=first_line):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            yield record_to_document(record, where, default_id=f"{path.stem}-{lineno}")


# JSON's "\\ud800" escapes can carry half of a surrogate pair, which no UTF-8 text (nor the store) can hold: such a
# half is replaced by U+FFFD, as a decoder replaces a bad byte, so one broken character does not cost the record (it
# stopped the whole ingest, the good records of the batch with it). json.loads joins whole pairs, so what is left in
# the surrogate range is a lone half.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


# Other tools' names for our fields (news-please's "maintext" and "date_publish", NewsAPI's "content",
# "publishedAt" and "source": {"name"}, many data sets' "body", "date", "lang"): read where a record lacks ours, so a
# dump goes in without a jq step first. Ours win where both are given; the first alias present is taken.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("maintext", "body", "content", "article", "article_text", "content_text", "content_html"),
    "title": ("headline",),
    "published": ("date_publish", "published_at", "publishedAt", "pubDate", "date", "datetime", "date_published"),
    "outlet": ("source_domain", "publisher", "site_name", "source_name", "source"),
    "language": ("lang",),
    "url": ("link",),
    "id": ("guid", "uuid"),
}


def with_our_names(record: dict) -> dict:
    """``record`` with each of our fields it lacks taken from an alias (``FIELD_ALIASES``); an outlet given as an
    object ({"id": ..., "name": "Reuters"}) by its name."""
    out = dict(record)
    for ours, aliases in FIELD_ALIASES.items():
        if out.get(ours) not in (None, ""):
            continue
        for alias in aliases:
            value = record.get(alias)
            if ours == "outlet" and isinstance(value, dict):
                value = value.get("name")
            if value not in (None, ""):
                out[ours] = value
                break
    return out


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _decoded_entities(value: str) -> str:
    """HTML character references in a plain field ("Putin &amp; Raisi", "&quot;Yes,&quot; he said", "&#8217;"), as
    scrapers' dumps leave them, read as the characters they stand for (a quote the comparison looks for, a name)."""
    return unescape_html(value) if "&" in value and _ENTITY.search(value) else value


def record_to_document(record: object, where: str, default_id: str, default_is: str = "position") -> Item:
    """One JSON object to a RawDocument, or a ReadError saying which field is wrong. ``default_is``: what
    ``default_id``, taken where the record gives no id, is: its place in its file ("position":
    ``RawDocument.id_by_position``), its file's name ("name": ``id_by_name``), or its own ("own": an address's)."""
    if not isinstance(record, dict):
        return ReadError(where, "expected a JSON object")
    original, record = record, with_our_names(record)

    def called(name: str) -> str:
        """The field as the record names it: ours, or the other tool's name it was read from."""
        if original.get(name) not in (None, ""):
            return name
        return next((a for a in FIELD_ALIASES.get(name, ()) if original.get(a) not in (None, "")), name)

    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ReadError(where, "missing or empty 'text'")
    text = without_surrogates(text)
    given = record.get("published")
    try:
        published = parse_published(given)
    except (ValueError, OverflowError, OSError):
        published = None
    if given == 0 and not isinstance(given, bool):
        given = None  # a dump's mark of no date, as null is
    if published is None and given not in (None, ""):  # "2021-02-30", "banana": said, not dropped in silence
        return ReadError(where, f"unreadable '{called('published')}': {given!r} is not a date (ISO 8601 preferred)")
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "url", "outlet", "language"):
        value = record.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # an id or a title given as a number
        elif value is not None and not isinstance(value, str):
            return ReadError(where, f"'{called(name)}' must be a string, not {type(value).__name__} {value!r}"[:200])
        fields[name] = without_surrogates(value) if value else None
    language = fields["language"]
    markup = bool(_MARKUP.match(text))  # a page or a fragment: its parser reads the references
    doc = RawDocument(
        id=fields["id"] or default_id,
        text=text if markup else _decoded_entities(text),
        source=where,
        title=_decoded_entities(fields["title"]) if fields["title"] else None,
        url=fields["url"],
        outlet=_decoded_entities(fields["outlet"]) if fields["outlet"] else None,
        published=published,
        language=language_code(language),
        id_by_position=default_is == "position" and not fields["id"],
        id_by_name=default_is == "name" and not fields["id"],
    )
    return _unmarked(doc) if markup else doc


# A text that is markup: it opens with an HTML tag ("the article's text, plain or HTML", as a CMS exports it).
_MARKUP = re.compile(r"\s*(?:<!doctype html|<!--|<(?:html|head|body|article|main|section|div|p|span|h[1-6]|a|b|i|em|"
                     r"strong|br|ul|ol|li|table|figure|header|nav|meta|title|script|style)\b)", re.IGNORECASE)


def _unmarked(doc: RawDocument) -> Item:
    """A document whose text is HTML: a whole page read as a web page is (trafilatura: its article, title, site
    and date), a fragment as its visible text; what the record itself says (id, title, url, outlet, published,
    language) wins over what the page says."""
    if re.search(r"<(?:html|body)\b", doc.text[:5000], re.IGNORECASE):
        page = html_to_document(doc.text, doc_id=doc.id, source=doc.source, url=doc.url)
        if isinstance(page, ReadError):
            return page
        return replace(page, title=doc.title or page.title, outlet=doc.outlet or page.outlet,
                       published=doc.published or page.published, language=doc.language or page.language)
    text = strip_html(doc.text)
    if not text.strip():
        return ReadError(doc.source, "'text' is markup with no visible text")
    return replace(doc, text=text)


@register("reader", "feed")
class FeedReader:
    """RSS or Atom feed from a file or URL (feedparser); one document per entry."""

    def __init__(self, max_bytes: int = 20_000_000) -> None:
        self.max_bytes = max_bytes

    def read(self, source: str) -> Iterator[Item]:
        if not is_url(source):
            path = Path(source)
            error = _size_error(path, self.max_bytes)
            if error:
                yield error
                return
        yield from self.entries(source, source)

    def entries(self, data: str | bytes, source: str) -> Iterator[Item]:
        """The documents of a feed given as a path, a URL or its bytes; ``source`` names it in messages."""
        import feedparser

        feed = feedparser.parse(data)
        if feed.bozo and not feed.entries:
            yield ReadError(source, f"not a readable feed ({feed.get('bozo_exception', 'unknown error')})")
            return
        outlet = feed.feed.get("title")
        for n, entry in enumerate(feed.entries, start=1):
            where = f"{source}#{n}"
            body = ""
            if entry.get("content"):
                body = entry.content[0].get("value", "")
            body = body or entry.get("summary", "")
            text = strip_html(body)
            if not text.strip():
                yield ReadError(where, "entry has no text")
                continue
            stamp = entry.get("published") or entry.get("updated")
            # an aggregator's feed (Google News, a CMS's syndication) names each entry's own outlet in <source>, and
            # may end its headline with it ("Putin meets Raisi - Reuters")
            origin = entry.get("source")
            own = (origin.get("title") or "").strip() if isinstance(origin, dict) else ""
            title = entry.get("title")
            if own and title and title.rstrip().endswith(f" - {own}"):
                title = title.rstrip()[:-len(own) - 3].rstrip() or title
            yield RawDocument(
                id=feed_entry_id(entry, n),
                text=text,
                source=where,
                title=title,
                url=entry.get("link"),
                outlet=own or outlet,
                published=parse_published(stamp),
                language=language_code(entry.get("language") or feed.feed.get("language")),
                id_by_position=not (entry.get("id") or entry.get("link")),  # "entry-3": no id nor link to know it by
            )


def feed_entry_id(entry: dict, n: int) -> str:
    raw = entry.get("id") or entry.get("link") or f"entry-{n}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-")[-80:]


def strip_html(markup: str) -> str:
    """Visible text of an HTML fragment, paragraphs kept as lines."""
    if "<" not in markup:
        return markup
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{markup}</div>")
    except Exception:  # lxml raises several types on junk; the raw text is the best we have
        return re.sub(r"<[^>]+>", " ", markup)
    for hidden in list(root.iter("script", "style", "noscript", "template")):
        hidden.drop_tree()  # code and styling, not visible text
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    return re.sub(r"\n\s*\n+", "\n", root.text_content()).strip()


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


STDIN = "-"  # the source that names standard input


@register("reader", "archive")
class ArchiveReader:
    """A compressed file (.gz, .bz2, .xz), read as the file it holds ("dump.jsonl.gz": JSON lines, a line at a time,
    its articles' ids those of "dump.jsonl"), or an archive (.zip, .tar, .tar.gz, .tgz ...), each member read as a
    folder's file is, by its kind, and named "news.zip/2021/page.html" (its id the member's name without its
    extension). A member, once decompressed, is bounded by [reader] max_bytes as a file is (a dump's lines each);
    members of kinds that hold no article are left out and said in one line; an archive inside another is said,
    not opened; a damaged or cut-short archive yields what was read before the damage, then says so."""

    def __init__(self, max_bytes: int = 20_000_000) -> None:
        self.max_bytes = max_bytes
        self._readers: dict[str, Any] = {}
        self.pages_elsewhere = False  # yield a PageJob for each web page (``PathReader`` with page processes)

    def _reader(self, kind: str) -> Any:
        if kind not in self._readers:
            self._readers[kind] = create("reader", kind, max_bytes=self.max_bytes)
        return self._readers[kind]

    def read(self, source: str) -> Iterator[Item]:
        path = Path(source)
        try:
            with path.open("rb") as fh:
                head = fh.read(512)
        except OSError as exc:
            yield ReadError(source, f"cannot read ({exc.strerror or exc})")
            return
        if not head:
            yield ReadError(source, "empty file")
            return
        if (unreadable := _UNREADABLE_ARCHIVES.get(path.suffix.lower())) is not None:
            yield ReadError(source, f"{unreadable}: tidings reads .zip and .tar archives (.tar.gz, .tgz, .tar.bz2, "
                                    ".tar.xz too) and .gz, .bz2 and .xz files; unpack it")
            return
        suffix = archive_suffix(path.name)
        if suffix == ".zip" or (suffix is None and head.startswith(_ZIP_MAGIC)):
            yield from self._zip(path)
        elif suffix is not None:
            yield from self._tar(path)
        else:
            yield from self._compressed(path, head)

    def _compressed(self, path: Path, head: bytes) -> Iterator[Item]:
        import lzma
        import zlib

        by_magic = compressed_kind(head)
        suffix = path.suffix.lower()
        if suffix not in COMPRESSED_SUFFIXES or by_magic != suffix:
            if by_magic is None:
                yield ReadError(str(path), f"not a {suffix} file (its first bytes are not that format's)")
                return
            suffix = by_magic  # named for another kind, or for none
        named = path.suffix.lower() in COMPRESSED_SUFFIXES
        inner = path.name[: -len(path.suffix)] if named else path.name
        pseudo = path.with_name(inner or path.name)  # the file it holds: its kind, its articles' ids
        try:
            with _decompressing(suffix, path) as fh:
                for item in self._member(pseudo, fh):
                    yield _renamed(item, str(pseudo), str(path))
        except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:  # truncated, corrupt: what came
            # before it stays
            yield ReadError(str(path), f"damaged or cut short ({_one_line(exc)}); what came before it was read")

    def _members_left_out(self, path: Path, left_out: Counter[str]) -> Iterator[Item]:
        if left_out:
            yield LeftOutFiles(str(path), f"{_counted(left_out, 'member')} of kinds that hold no article left out "
                                          f"({_by_kind(left_out)})")

    def _zip(self, path: Path) -> Iterator[Item]:
        import zipfile
        import zlib

        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            yield ReadError(str(path), f"not a readable zip archive ({_one_line(exc)})")
            return
        left_out: Counter[str] = Counter()
        files = 0
        with archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):  # name order, as a folder's walk
                name = _member_name(info.filename)
                if info.is_dir() or name is None:
                    continue
                files += 1
                if (kind := _left_out_kind(name)) is not None:
                    left_out[kind] += 1
                    continue
                pseudo = path / name
                try:
                    with archive.open(info) as fh:
                        yield from self._member(pseudo, fh)
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error) as exc:
                    # an encrypted member, a compression method zipfile lacks, a damaged one
                    yield ReadError(str(pseudo), f"cannot read this member ({_one_line(exc)})")
        if not files:
            yield ReadError(str(path), "an archive with no files in it")
        yield from self._members_left_out(path, left_out)

    def _tar(self, path: Path) -> Iterator[Item]:
        import lzma
        import tarfile
        import zlib

        try:
            archive = tarfile.open(path, "r:*")
        except (tarfile.TarError, OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
            yield ReadError(str(path), f"not a readable tar archive ({_one_line(exc)})")
            return
        left_out: Counter[str] = Counter()
        files = 0
        with archive:
            try:
                for member in archive:  # in the archive's order: a compressed tar is read once, front to back
                    name = _member_name(member.name)
                    if not member.isfile() or name is None:
                        continue
                    files += 1
                    if (kind := _left_out_kind(name)) is not None:
                        left_out[kind] += 1
                        continue
                    fh = archive.extractfile(member)
                    if fh is not None:
                        with fh:
                            yield from self._member(path / name, fh)
            except (tarfile.TarError, OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
                yield ReadError(str(path), f"damaged or cut short ({_one_line(exc)}); what came before it was read")
                files = -1  # said
        if not files:
            yield ReadError(str(path), "an archive with no files in it")
        yield from self._members_left_out(path, left_out)

    def _member(self, pseudo: Path, fh: Any) -> Iterator[Item]:
        """The documents of one decompressed file, open as ``fh``, named ``pseudo``."""
        head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
        name = str(pseudo)
        if not head:
            yield ReadError(name, "empty file")
            return
        if archive_suffix(pseudo.name) or pseudo.suffix.lower() in COMPRESSED_SUFFIXES or _packed(head):
            yield ReadError(name, "an archive or compressed file inside another: unpack the outer one first")
            return
        kind = kind_of(pseudo.name, head)
        if kind == "text" and not pseudo.suffix and head.lstrip().startswith(b"{"):
            kind = "jsonl"  # a file named for nothing that holds JSON lines, as standard input is read
        reader = self._reader(kind)
        if kind in ("jsonl", "table") and pseudo.suffix.lower() != ".json":  # a line at a time, of any size
            if _looks_binary(head):
                yield ReadError(name, "binary data, not text")
            elif kind == "jsonl":
                yield from reader.stream_lines(pseudo, fh)
            else:
                yield from reader.stream_rows(pseudo, fh)
            return
        data = fh.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            yield ReadError(name, f"too large once decompressed (over {self.max_bytes / 1e6:.0f} MB; the limit is "
                                  "[reader] max_bytes)")
            return
        if kind == "feed":
            yield from reader.entries(data, name)
            return
        text = decode_text(data, name, html=kind == "html")
        if isinstance(text, ReadError):
            yield text
            return
        if kind == "html" and self.pages_elsewhere:
            yield PageJob(text, pseudo.stem, name, by_name=True)  # type: ignore[misc]
            return
        yield from reader.documents(pseudo, text)


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (tarfile's lists each method it tried on a line of its own)."""
    return " ".join(str(exc).split())[:300]


def _member_name(name: str) -> str | None:
    """An archive member's path as a relative one ("/abs/x" and "../x" lose what would climb out), None for hidden
    files and folders and macOS's resource forks, which a folder's walk leaves out too."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts or any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None
    return "/".join(parts)


def _renamed(item: Item, old: str, new: str) -> Item:
    """``item`` with a source that starts with ``old`` (what a compressed file holds, a download's temporary copy)
    named after ``new`` (the compressed file, the address), its place in it kept ("dump.jsonl:12" ->
    "dump.jsonl.gz:12", "/tmp/x/news.zip/a.html" -> "https://x.example/news.zip/a.html")."""
    if item.source == old or item.source.startswith((old + ":", old + "#", old + "/")):
        return replace(item, source=new + item.source[len(old):])
    return item


WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@register("reader", "warc")
class WarcReader:
    """A web archive as crawlers write it (WARC or ARC, plain or gzipped: Common Crawl's CC-NEWS, ``wget
    --warc-file``, Heritrix, Browsertrix), read a record at a time through warcio: each archived web page (a response
    with status 200, or a resource, of an HTML type) read as a web page file is, named "crawl.warc.gz#12" (its record),
    its address the record's target URI and its id the one a page fetched from that address gets, so the page read
    again from the web or another crawl is known. Records of other kinds (requests, metadata, revisits, redirects,
    images, scripts) are passed over and counted in one line. The crawl's date is not taken for the publication
    date: that is the page's own, or none."""

    def __init__(self, max_bytes: int = 20_000_000) -> None:
        self.max_bytes = max_bytes
        self.pages_elsewhere = False  # yield a PageJob for each page (``PathReader`` with page processes)

    def read(self, source: str) -> Iterator[Item]:
        import contextlib
        import io
        import zlib

        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        passed: Counter[str] = Counter()
        n, failed = 0, False
        warned = io.StringIO()  # warcio writes its doubts on records to stderr: said once here instead
        try:
            with Path(source).open("rb") as fh:
                head = fh.read(4096)
                if compressed_kind(head) == ".gz":
                    head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
                if not head.startswith((b"WARC/", b"filedesc://")):  # warcio reads any lines as records
                    yield ReadError(source, "not a WARC or ARC file (it does not open with a record's header)")
                    return
                fh.seek(0)
                records = ArchiveIterator(fh, arc2warc=True)
                while True:
                    with contextlib.redirect_stderr(warned):
                        record = next(records, None)
                    if record is None:
                        break
                    n += 1
                    page = self._page(record, f"{source}#{n}", passed)
                    if page is not None:
                        yield page
                # warcio ends quietly where a gzip member was cut before its record's headers: bytes left unread
                size, parsed = os.fstat(fh.fileno()).st_size, getattr(records, "offset", None)
                if isinstance(parsed, int) and parsed < size:
                    yield ReadError(source, f"damaged or cut short after record {n} (its last {size - parsed} bytes "
                                            "hold no whole record)")
        except ArchiveLoadFailed as exc:
            failed = True
            what = "not a readable WARC file" if n == 0 else f"damaged after record {n}"
            yield ReadError(source, f"{what} ({_one_line(exc)})")
        except (OSError, EOFError, ValueError, zlib.error) as exc:  # a gzip member cut short, a file gone
            failed = True
            what = "not a readable WARC file" if n == 0 else f"damaged or cut short after record {n}"
            yield ReadError(source, f"{what} ({_one_line(exc)})")
        if warned.getvalue():
            k = warned.getvalue().count("WARNING")
            said = "1 record whose length is not its" if k == 1 else f"{k} records whose length is not their"
            yield ReadError(source, f"{said} content's (read as far as it goes)")
        if n == 0 and not passed and not failed:
            yield ReadError(source, "no records (an empty web archive)")
        if passed:
            yield LeftOutFiles(source, f"{_counted(passed, 'record')} that hold no web page passed over "
                                       f"({_by_kind(passed)})")

    def _page(self, record: Any, where: str, passed: Counter[str]) -> Item | None:
        kind = record.rec_type
        if kind in ("warcinfo", "request", "metadata", "conversion", "continuation"):
            return None  # the crawl's own bookkeeping: no page, nothing to say
        if kind not in ("response", "resource"):
            passed[kind] += 1  # revisits: the same page again, unchanged (its first capture is read)
            return None
        headers = record.http_headers if kind == "response" else None
        if kind == "response":
            if headers is None:  # a DNS lookup's answer, a non-HTTP response
                passed["not HTTP"] += 1
                return None
            status = headers.get_statuscode() or ""
            if status != "200":
                passed["redirects" if status.startswith("3") else f"status {status}"] += 1
                return None
        content_type = ((headers.get_header("Content-Type") if headers is not None else None)
                        or record.rec_headers.get_header("Content-Type") or "")
        media = content_type.split(";")[0].strip().lower()
        if media not in _HTML_TYPES:
            passed[media.split("/")[0] + "/" + media.split("/")[-1] if "/" in media else (media or "untyped")] += 1
            return None
        data = record.content_stream().read(self.max_bytes + 1)  # transfer and content encodings undone
        if len(data) > self.max_bytes:
            return ReadError(where, f"page too large (over {self.max_bytes / 1e6:.0f} MB; the limit is [reader] "
                                    "max_bytes)")
        if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record's length: the archive ends in it
            return ReadError(where, "cut short: the archive ends inside this page")
        text: str | ReadError | None = None
        charset = _CHARSET.search(content_type)
        if charset:  # the server's word first, as a browser takes it
            try:
                text = data.decode(charset.group(1))
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text = decode_text(data, where, html=True)
        if isinstance(text, ReadError):
            return text
        uri = record.rec_headers.get_header("WARC-Target-URI")
        page = PageJob(text, feed_entry_id({"link": uri}, 0) if uri else where.rsplit("/", 1)[-1], where, uri)
        return page if self.pages_elsewhere else page.read_here()  # type: ignore[return-value]


@register("reader", "stdin")
class StdinReader:
    """Standard input (``tidings ingest -``): JSON lines, one article per line, or one JSON document (as a .json
    file), where it starts with "{" or "["; a CSV table where it opens with a header row that has a text column; else
    one plain-text article, its id made from its text; any of them gzip, bzip2 or xz compressed. Lets another program
    pipe articles in (``jq -c ... | tidings ingest -``, ``curl API | tidings ingest -``). JSON lines and tables are
    read a line at a time, of any length ([reader] max_bytes bounds a line, as in a file); the rest whole, within
    it."""

    def __init__(self, max_bytes: int = 20_000_000, stream: object = None) -> None:
        self.max_bytes = max_bytes
        self.stream = stream  # a binary stream to read instead of sys.stdin (tests, the API)

    def read(self, source: str) -> Iterator[Item]:
        import io
        import lzma
        import sys
        import zlib

        name = "<stdin>"
        stream: Any = self.stream if self.stream is not None else sys.stdin.buffer
        if not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream)
        kind = compressed_kind(stream.peek(8)[:8])
        if kind is not None:  # ``curl .../dump.jsonl.gz | tidings ingest -``
            stream = _decompressing(kind, stream)
        try:
            yield from self._read(stream, name)
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:  # compressed data cut short or damaged
            what = f"{kind} data cut short" if isinstance(exc, EOFError) else f"damaged {kind} data ({_one_line(exc)})"
            yield ReadError(name, f"{what}: read as far as it goes")

    def _read(self, stream: Any, name: str) -> Iterator[Item]:
        import hashlib
        import itertools

        first = stream.readline(self.max_bytes + 1)
        head = first.lstrip(b"\xef\xbb\xbf \t\r")
        try:
            one = json.loads(head) if head.startswith(b"{") else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            one = None
        if _has_text(one):  # a whole article on the first line: JSON lines, streamed (an API's answer on one line,
            # {"articles": [...]}, is one document, read whole below)
            reader = JsonLinesReader(self.max_bytes)
            yield from reader.stream_lines(Path(name), _Prepended(first, stream))
            return
        if first.endswith(b"\n") and _table_header(first.decode("utf-8-sig", "replace") + "\n"):
            yield from TableReader(self.max_bytes).stream_rows(Path(name), itertools.chain([first], stream))
            return
        data = first + stream.read(self.max_bytes + 1 - len(first))
        if len(data) > self.max_bytes:
            yield ReadError(name, f"too large (over {self.max_bytes / 1e6:.0f} MB; [reader] max_bytes)")
            return
        text = decode_text(data, name)
        if isinstance(text, ReadError):
            yield text
            return
        if text.lstrip().startswith(("{", "[")):  # one JSON document (curl's answer of an API)
            yield from JsonLinesReader(self.max_bytes).documents(Path(name), text, whole_first=True)
            return
        if _table_header(text):  # a CSV table piped in: a header row with a text column
            yield from TableReader(self.max_bytes).documents(Path(name), text)
            return
        doc_id = "stdin-" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]
        yield RawDocument(id=doc_id, text=text, source=name)


class _Prepended:
    """A binary stream with a line read from it put back in front: what ``JsonLinesReader.stream_lines`` reads."""

    def __init__(self, first: bytes, rest: Any) -> None:
        self._first: bytes | None = first
        self._rest = rest
        self._at = 0

    def readline(self, limit: int = -1) -> bytes:
        if self._first is not None:
            line, self._first = self._first, None
        else:
            line = self._rest.readline(limit)
        self._at += len(line)
        return line

    def tell(self) -> int:
        return self._at


def _html_answer(data: bytes, content_type: str) -> bool:
    """Whether a fetched answer is a web page: its server says HTML, or it opens as one."""
    return "html" in content_type.lower() or data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


PAGE_RETRY_SECONDS = 3600  # a feed entry's page that could not be fetched is asked for again after an hour
PAGE_TIMEOUT_SECONDS = 10.0  # a feed entry's page: the summary stands in sooner than for a source itself
PAGE_RETRY_PAUSE = 0.5  # before asking once more for a page whose connection dropped
HOST_FAILURES = 3  # a site whose pages failed this often (network, 403, 429, 5xx) within the hour is not asked again
PAGE_FETCHERS = 8  # a feed's pages downloaded at once (waiting on the network), PAGES_PER_HOST of them from one site
PAGES_PER_HOST = 2
PAGE_WINDOW = 32  # a feed's entries whose pages are downloaded together (their bodies held until read)
PAGES_KEPT = 10_000  # the feed entries' pages a reader remembers (the entries of a few hundred feeds; their text)
_FAILED = object()  # a page that could not be fetched


@register("reader", "url")
class UrlReader:
    """A URL: a feed's entries, or a web page's article (trafilatura), whichever it serves.

    ``read_if_changed`` asks a URL this reader fetched before whether it changed (If-None-Match / If-Modified-Since
    with what the server sent last time), and one answering 304 Not Modified yields nothing: a feed followed every few
    minutes (``tidings ingest --every``) then costs the server and us next to nothing. ``read`` fetches it whole."""

    def __init__(self, max_bytes: int = 20_000_000, timeout: float = 30.0, feed_pages: str = "short",
                 feed_summary_chars: int = 600) -> None:
        """``feed_pages``: "short", a feed entry whose text is shorter than ``feed_summary_chars`` (a summary, not the
        article) is read from the page it links to (``whole_entry``); "never": as the feed gives it."""
        if feed_pages not in ("short", "never"):
            raise ValueError(f'[reader] feed_pages must be "short" or "never", not {feed_pages!r}')
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.feed_pages = feed_pages
        self.feed_summary_chars = feed_summary_chars
        self._validators: dict[str, dict[str, str]] = {}  # url -> the request headers that ask "changed since?"
        # link -> (when it was fetched, the page's document, None where it holds no article, or _FAILED): a feed read
        # again (``tidings ingest --every``) lists the same entries; their pages are not fetched again.
        self._pages: OrderedDict[str, tuple[float, object]] = OrderedDict()
        # host -> when its pages failed, the last hour's: a site that blocks or times out costs a feed's round
        # HOST_FAILURES waits, not one per entry
        self._host_failures: dict[str, list[float]] = {}
        self._host_lock = threading.Lock()

    def read(self, source: str) -> Iterator[Item]:
        yield from self._read(source, conditional=False)

    def read_if_changed(self, source: str) -> Iterator[Item]:
        yield from self._read(source, conditional=True)

    def _read(self, source: str, conditional: bool) -> Iterator[Item]:
        fetched = self.fetch(source, conditional)
        if fetched is None:  # not modified since the last fetch
            return
        if isinstance(fetched, ReadError):
            yield fetched
            return
        data, content_type = fetched
        head = data[:1024].lstrip().lower()
        if data.startswith(b"WARC/") or _packed(data):
            yield from self._packed(source, data)
            return
        media = content_type.split(";")[0].strip().lower()
        if media.endswith(("json", "jsonl", "ndjson")) or (head.startswith((b"{", b"[")) and "html" not in media):
            yield from self._records(source, data)
            return
        page = _html_answer(data, content_type)
        if not page or head.startswith((b"<?xml", b"<rss", b"<feed")):
            entries = list(FeedReader(self.max_bytes).entries(data, source))
            for start in range(0, len(entries), PAGE_WINDOW):  # pages downloaded together, a window at a time
                window = entries[start:start + PAGE_WINDOW]
                downloaded = self._prefetch([e for e in window if isinstance(e, RawDocument)])
                for entry in window:
                    yield (self.whole_entry(entry, downloaded.get(entry.url or "")) if isinstance(entry, RawDocument)
                           else entry)
            return
        yield self._page(data, content_type, source, feed_entry_id({"link": source}, 1), source)

    def _page(self, data: bytes, content_type: str, url: str, doc_id: str, source: str) -> Item:
        """A fetched web page's article, decoded as its server or its markup says."""
        header = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)  # the HTTP header wins, as in browsers
        declared = header.group(1) if header else declared_charset(data)
        legacy = None
        if declared is None:  # nothing said: UTF-8 if it is, else the legacy code page its text reads in
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                legacy = legacy_decode(data, markup=True)
        try:
            text = legacy[0] if legacy else data.decode(declared or "utf-8", errors="replace")
        except LookupError:
            return ReadError(source, f"unknown character set {declared!r}")
        return html_to_document(text, doc_id=doc_id, source=source, url=url)

    def whole_entry(self, entry: RawDocument, downloaded: object = None) -> RawDocument:
        """A feed entry with the text of the page it links to, where the feed gives only a summary (shorter than
        ``feed_summary_chars``): most news feeds carry a headline and a sentence or two, and a summary beside whole
        reports joins their event less often (``bench/events_heldout.py --brief-every``). What the entry says (id,
        title, time, outlet, language) wins over the page. A page that cannot be fetched leaves the summary, marked
        ``summary_only``: stored, unless the store holds the article already, whose text it does not replace; it is
        asked for again after ``PAGE_RETRY_SECONDS``. A page with no more text than the summary (a paywall, a video)
        leaves the entry as it is. ``downloaded``: what ``_download`` gave for its page already (``_prefetch``)."""
        if not self._summary(entry):
            return entry
        assert entry.url is not None
        if self._wants_page(entry):
            page = self._read_page(entry, downloaded if downloaded is not None else self._download(entry.url))
            self._pages[entry.url] = (time.monotonic(), page)
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(entry.url)
            page = self._pages[entry.url][1]
        return self._with_page(entry, page)

    def _summary(self, entry: RawDocument) -> bool:
        """Whether the entry is a summary linking to its page, to be read from there."""
        return (self.feed_pages != "never" and len(entry.text) < self.feed_summary_chars and bool(entry.url)
                and is_url(entry.url or ""))

    def _wants_page(self, entry: RawDocument) -> bool:
        """Whether a summary's page is to be fetched now: not fetched before, or failed an hour ago."""
        known = self._pages.get(entry.url or "")
        return known is None or (known[1] is _FAILED and time.monotonic() - known[0] >= PAGE_RETRY_SECONDS)

    @staticmethod
    def _with_page(entry: RawDocument, page: object) -> RawDocument:
        if page is _FAILED:
            return replace(entry, summary_only=True)
        if not isinstance(page, RawDocument) or len(page.text) <= len(entry.text):
            return entry
        return replace(entry, text=page.text, summary=entry.text, title=entry.title or page.title,
                       outlet=entry.outlet or page.outlet, published=entry.published or page.published,
                       language=entry.language or page.language)

    def _prefetch(self, entries: list[RawDocument]) -> dict[str, object]:
        """The pages these entries want, downloaded ``PAGE_FETCHERS`` at a time, ``PAGES_PER_HOST`` at a time from one
        site: a request waits on the network, not the processor, and a feed's entries are read one after another.
        Link -> what ``_download`` gave."""
        from concurrent.futures import ThreadPoolExecutor
        from urllib.parse import urlsplit

        links = list(dict.fromkeys(e.url for e in entries if e.url and self._summary(e) and self._wants_page(e)))
        if len(links) < 2:
            return {}
        hosts: dict[str, threading.Semaphore] = {}
        for link in links:
            hosts.setdefault(urlsplit(link).netloc.lower(), threading.Semaphore(PAGES_PER_HOST))

        def download(link: str) -> object:
            with hosts[urlsplit(link).netloc.lower()]:
                return self._download(link)

        with ThreadPoolExecutor(PAGE_FETCHERS) as pool:
            return dict(zip(links, pool.map(download, links), strict=True))

    def _download(self, url: str) -> object:
        """A page's body and content type, or the ReadError (or None: not modified) that ``fetch`` gave, or
        ``_FAILED`` for a site that failed ``HOST_FAILURES`` times within the hour (not asked again)."""
        from urllib.parse import urlsplit

        host = urlsplit(url).netloc.lower()
        with self._host_lock:  # downloads run in threads (``_prefetch``)
            failed = self._host_failures.setdefault(host, [])
            failed[:] = [t for t in failed if time.monotonic() - t < PAGE_RETRY_SECONDS]
            if len(failed) >= HOST_FAILURES:
                return _FAILED
            asked_before = url in self._validators
        fetched = self.fetch(url, timeout=min(self.timeout, PAGE_TIMEOUT_SECONDS), pages_only=True)
        if isinstance(fetched, ReadError) and fetched.reason.startswith("cannot fetch") and "timed out" not in \
                fetched.reason:  # a connection dropped or refused once (a busy server): asked once more
            time.sleep(PAGE_RETRY_PAUSE)
            fetched = self.fetch(url, timeout=min(self.timeout, PAGE_TIMEOUT_SECONDS), pages_only=True)
        with self._host_lock:
            if not asked_before:
                self._validators.pop(url, None)  # a page is fetched once, never asked "changed since?"
            if isinstance(fetched, ReadError) and re.match(r"cannot fetch|HTTP (?:403|429|5\d\d)", fetched.reason):
                failed.append(time.monotonic())  # the site's doing, not the page's
        return fetched

    def _read_page(self, entry: RawDocument, downloaded: object) -> object:
        """The article of a downloaded page; None where the page holds none (not a web page, no main text);
        ``_FAILED`` where it could not be fetched."""
        if downloaded is _FAILED or downloaded is None or isinstance(downloaded, ReadError):
            reason = downloaded.reason if isinstance(downloaded, ReadError) else "its site keeps failing"
            log.info("%s: the page it links to gave no text (%s); its summary stands in", entry.source, reason)
            return _FAILED
        assert isinstance(downloaded, tuple) and entry.url is not None
        data, content_type = downloaded
        if not _html_answer(data, content_type):
            return None  # a PDF, a picture, a feed: no article's page
        page = self._page(data, content_type, entry.url, entry.id, entry.source)
        return replace(page, html=None) if isinstance(page, RawDocument) else None  # kept without its markup

    def _records(self, url: str, data: bytes) -> Iterator[Item]:
        """A JSON answer (a news API's: NewsAPI, GNews, an outlet's own) or JSON lines at ``url``: an article a
        record, as a file's. A record without an id takes its address's (or its text's, without one): an API lists
        the latest first, and an id by position would give tomorrow's first article today's first one's id."""
        import hashlib

        text = decode_text(data, url)
        if isinstance(text, ReadError):
            yield text
            return
        try:
            whole = json.loads(text)
            records = article_records(whole)
            if records is None:
                yield ReadError(url, "JSON without articles (expected objects with 'text', or a list of them)")
                return
        except json.JSONDecodeError:
            records = []  # JSON lines
            for n, line in enumerate(text.split("\n"), start=1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        yield ReadError(f"{url}#{n}", f"malformed JSON ({exc.msg} at column {exc.colno})")
        for n, record in enumerate(records, start=1):
            address = with_our_names(record).get("url") if isinstance(record, dict) else None
            if isinstance(address, str) and address.strip():
                default = feed_entry_id({"link": address}, n)
            else:
                body = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
                default = "url-" + hashlib.sha1(body.encode("utf-8", "replace")).hexdigest()[:12]
            yield record_to_document(record, f"{url}#{n}", default_id=default, default_is="own")

    def _packed(self, url: str, data: bytes) -> Iterator[Item]:
        """A compressed dump, an archive or a web crawl at ``url``: read as the file would be, from a temporary copy,
        its articles named after the address ("https://x.example/dump.jsonl.gz:12")."""
        import tempfile
        from urllib.parse import unquote, urlsplit

        name = Path(unquote(urlsplit(url).path)).name or "download"
        if not (name.lower().endswith((*WARC_SUFFIXES, *ARCHIVE_SUFFIXES, *COMPRESSED_SUFFIXES))):
            name += ".warc" if data.startswith(b"WARC/") else ".zip" if data.startswith(b"PK") else ""
        with tempfile.TemporaryDirectory(prefix="tidings-url-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            kind = sniff_kind(path)
            reader = create("reader", kind if kind in ("archive", "warc") else "archive", max_bytes=self.max_bytes)
            for item in reader.read(str(path)):
                yield _renamed(item.read_here() if isinstance(item, PageJob) else item, str(path), url)

    def fetch(self, url: str, conditional: bool = False, timeout: float | None = None, pages_only: bool = False
              ) -> tuple[bytes, str] | ReadError | None:
        """The body and content type at ``url``, or why there is none (an HTTP status, a network error, a size), or
        (``conditional``) None where the server says it has not changed since this reader last fetched it.
        ``timeout``: seconds to wait for the server (the reader's own by default). ``pages_only``: a body the server
        says is not HTML (a video, a PDF) is not read (empty bytes and its content type)."""
        import urllib.error
        import urllib.request

        headers = {"User-Agent": "tidings (news event engine)",
                   **(self._validators.get(url, {}) if conditional else {})}
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:  # noqa: S310 - http(s) only
                content_type = response.headers.get("Content-Type", "")
                if pages_only and content_type and "html" not in content_type.lower():
                    return b"", content_type
                data = response.read(self.max_bytes + 1)
                validators = {"If-None-Match": response.headers.get("ETag"),
                              "If-Modified-Since": response.headers.get("Last-Modified")}
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return None
            return ReadError(url, f"HTTP {exc.code} {exc.reason}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return ReadError(url, f"cannot fetch it ({getattr(exc, 'reason', None) or exc})")
        if len(data) > self.max_bytes:
            return ReadError(url, f"too large (over {self.max_bytes / 1e6:.0f} MB)")
        if not data.strip():
            return ReadError(url, "empty response")
        self._validators[url] = {k: v for k, v in validators.items() if v}
        return data, content_type

    def forget(self, url: str) -> None:
        """Fetch ``url`` whole next time, changed or not."""
        self._validators.pop(url, None)


OPML_SUFFIXES = (".opml",)


def opml_feeds(path: Path, max_bytes: int) -> Iterator[str | ReadError]:
    """The feed URLs of an OPML file (the list a feed reader exports: ``<outline xmlUrl="...">``, nested in folders),
    in order and once each; a ReadError naming the file where it is none or lists none."""
    from lxml import etree

    error = _size_error(path, max_bytes)
    if error:
        yield error
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        yield ReadError(str(path), f"not a readable OPML file ({exc})")
        return
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        yield ReadError(str(path), f"not an OPML file (its root element is <{root.tag}>, not <opml>)")
        return
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        yield url if is_url(url) else ReadError(f"{path}: {url}", "not an http(s) URL")
    if not seen:
        yield ReadError(str(path), "an OPML file that lists no feed (no outline with an xmlUrl)")


def sniff_kind(path: Path) -> str:
    """Which reader fits a file: by suffix, then by its first bytes."""
    suffix = path.suffix.lower()
    if path.name.lower().endswith(WARC_SUFFIXES):
        return "warc"
    if archive_suffix(path.name) is not None or suffix in COMPRESSED_SUFFIXES or suffix in _UNREADABLE_ARCHIVES:
        return "archive"
    if suffix in NOT_ARTICLE_SUFFIXES:  # a .docx is a zip too, of no article: "binary data, not text"
        return "text"
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        head = b""
    if head.startswith(b"WARC/"):
        return "warc"  # a web archive named without its suffix
    if _packed(head):
        return "archive"  # a compressed file or a zip archive named without its suffix
    return kind_of(path.name, head)


def kind_of(name: str, head: bytes) -> str:
    """Which reader fits a file named ``name`` that starts with ``head``: by suffix, then by those bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in TABLE_SUFFIXES:
        return "table"
    head = head[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if _table_header(head.decode("utf-8", "ignore")):  # a table saved as .txt (a database's dump)
        return "table"
    return "text"


# Pages read in this process before the page processes start: starting them costs a second or two, the time of
# about fifty pages, so a few pages are read here.
PAGES_BEFORE_PROCESSES = 24


class PathReader:
    """Reads any mix of files, folders (recursively, in name order) and URLs (feeds or web pages).

    A web page's main text (trafilatura) costs 10-80 ms of CPU, many times all the rest an ingest spends on the
    article: with ``processes`` (a number, or "auto": one per core) a folder's pages are read in that many
    processes, and their documents come out in input order all the same."""

    def __init__(self, max_bytes: int = 20_000_000, exclude: Iterable[Path] = (), processes: int | str = 0,
                 feed_pages: str = "short", feed_summary_chars: int = 600) -> None:
        """``exclude``: files and folders a folder's walk leaves out (the store's own database and caches, when
        it lies in a folder being ingested). ``feed_pages``, ``feed_summary_chars``: whether a feed entry that holds
        only a summary is read from its page (``UrlReader``)."""
        self.max_bytes = max_bytes
        self._url_options = {"feed_pages": feed_pages, "feed_summary_chars": feed_summary_chars}
        UrlReader(**self._url_options)  # a wrong setting is named now, not at the first URL
        self._readers: dict[str, Reader] = {}
        self._exclude = {p.resolve() for p in map(Path, exclude)}
        self.processes = worker_count(processes, "[reader] processes")

    def _reader(self, kind: str) -> Reader:
        if kind not in self._readers:
            options = self._url_options if kind == "url" else {}
            reader = self._readers[kind] = create("reader", kind, max_bytes=self.max_bytes, **options)
            if hasattr(reader, "pages_elsewhere"):  # an archive's or a crawl's pages, read in the page processes too
                reader.pages_elsewhere = self.processes > 1
        return self._readers[kind]

    def files(self, sources: Iterable[str]) -> Iterator[str | ReadError]:
        """Every input the sources name, folders expanded; hidden files skipped."""
        for source in sources:
            if is_url(source) or source == STDIN:
                yield source
                continue
            path = Path(source)
            if path.is_file() and path.suffix.lower() in OPML_SUFFIXES:
                yield from opml_feeds(path, self.max_bytes)  # a list of feeds, each read as a URL
                continue
            if path.is_dir():
                left_out: Counter[str] = Counter()
                for child in sorted(path.rglob("*")):
                    if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts) \
                            and not self._excluded(child):
                        kind = _left_out_kind(child.name)
                        if kind is not None:
                            left_out[kind] += 1
                        else:
                            yield str(child)
                if left_out:
                    yield LeftOutFiles(source, f"{_counted(left_out, 'file')} of kinds that hold no article left out "
                                               f"({_by_kind(left_out)}); name one to read it")
            elif path.is_file():
                yield str(path)
            elif path.exists():
                yield ReadError(source, "not a regular file")
            elif any(c in source for c in "*?["):  # a pattern the shell did not expand (quoted, or on Windows)
                import glob

                matches = sorted(glob.glob(source, recursive=True))
                if not matches:
                    yield ReadError(source, "no file matches this pattern")
                yield from self.files(matches)
            else:
                yield ReadError(source, "no such file or folder")

    def _excluded(self, path: Path) -> bool:
        if not self._exclude:
            return False
        resolved = path.resolve()
        return any(p == resolved or p in resolved.parents for p in self._exclude)

    def forget_url(self, url: str) -> None:
        """Fetch ``url`` whole next time, whether or not it changed (``UrlReader.forget``)."""
        reader = self._readers.get("url")
        if isinstance(reader, UrlReader):
            reader.forget(url)

    def read_if_changed(self, url: str) -> Iterator[Item]:
        """A URL's documents, or none if its server says it did not change since this reader last fetched it."""
        reader = self._reader("url")
        assert isinstance(reader, UrlReader)
        try:
            yield from reader.read_if_changed(url)
        except OSError as exc:
            yield ReadError(url, f"cannot read ({exc.strerror or exc})")

    def read(self, sources: Iterable[str]) -> Iterator[Item]:
        pages: PageProcesses | None = None
        pages_here = 0
        # In input order, once pages are being read elsewhere: (source, the process reading it, or its items)
        pending: deque[tuple[str | PageJob, Any]] = deque()
        sent = False

        def send(page: str | PageJob) -> Iterator[Item]:
            """A page file or an archive's page to the page processes (``sent``), and what they finished meanwhile."""
            nonlocal pages, sent
            pages = pages or PageProcesses(self.processes, self.max_bytes)
            k = pages.submit(page)
            sent = k is not None
            if sent:
                pending.append((page, k))
                while len(pending) > 4 * self.processes:
                    yield from self._finish(pages, *pending.popleft())

        try:
            for source in self.files(sources):
                if isinstance(source, ReadError):
                    items: Iterable[Item] = [source]
                else:
                    kind = "url" if is_url(source) else "stdin" if source == STDIN else sniff_kind(Path(source))
                    if kind == "html" and self.processes > 1 and pages_here >= PAGES_BEFORE_PROCESSES:
                        yield from send(source)
                        if sent:
                            continue
                    pages_here += kind == "html"
                    items = self._read_one(source, kind)
                for item in items:
                    if isinstance(item, PageJob):  # a page of an archive or a crawl
                        if pages_here >= PAGES_BEFORE_PROCESSES:
                            yield from send(item)
                            if sent:
                                continue
                        pages_here += 1
                        item = item.read_here()
                    if pending:
                        pending.append((source, [item]))
                    else:
                        yield item
            while pending:
                yield from self._finish(pages, *pending.popleft())
        finally:
            if pages is not None:
                pages.close()

    def _read_one(self, source: str, kind: str) -> Iterator[Item]:
        try:
            yield from self._reader(kind).read(source)
        except OSError as exc:
            yield ReadError(source, f"cannot read ({exc.strerror or exc})")

    def _finish(self, pages: PageProcesses | None, source: str | PageJob, done: Any) -> Iterator[Item]:
        if isinstance(done, list):
            yield from done
            return
        assert pages is not None
        try:
            found = pages.result(done)
        except Exception:  # noqa: BLE001  (a page process that died, killed or out of memory: read here instead)
            log.debug("page process failed on %s", source, exc_info=True)
            pages.drop(done)
            found = [source.read_here()] if isinstance(source, PageJob) else list(self._read_one(source, "html"))
        yield from found


class SourceFollower:
    """The same sources read round after round (``tidings ingest --every``), each round yielding what may be new.

    A file whose size and modification time are those of the last round is not read again, nor, after the first
    round, one modified in the last ``settle_seconds`` (it may still be being written: the next round reads it
    whole); a folder's new files are read as they appear, and a JSON lines file that only grew from its new lines
    on. URLs are asked whether they changed (``UrlReader``). What a round yields may still hold articles stored
    before (a feed's older entries, a rewritten file): the store knows them by their content and stores nothing
    twice."""

    def __init__(self, reader: PathReader, settle_seconds: float = 2.0) -> None:
        self.reader = reader
        self.settle_seconds = settle_seconds
        self.rounds = 0
        self._stamps: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) when last read
        # JSON lines files read whole up to a line's end: path -> (bytes read, lines in them, their first bytes). One
        # that only grew since is read from there on: a log appended to all day is not read whole every round.
        self._appended: dict[str, tuple[int, int, bytes]] = {}
        self._said: set[tuple[str, str]] = set()  # notes on a folder's left-out files: said once, not every round

    def state(self) -> dict[str, Any]:
        """What it knows of the sources, as JSON (``restore`` takes it back), so that a follower started again reads
        only what changed since: files by size and time, JSON lines files from where they grew, URLs by the
        validators their servers sent. Paths are absolute: a restart from another folder finds them."""
        urls = self.reader._readers.get("url")
        return {"version": FOLLOWER_STATE_VERSION,
                "files": {p: list(stamp) for p, stamp in self._stamps.items()},
                "appended": {p: [done, lines, head.hex()] for p, (done, lines, head) in self._appended.items()},
                "urls": dict(urls._validators) if isinstance(urls, UrlReader) else {}}

    def restore(self, state: dict[str, Any]) -> None:
        """Take back a ``state``; one of another version, or not of this shape, is ignored (everything is read
        once more, and the store keeps out what it holds)."""
        try:
            if state.get("version") != FOLLOWER_STATE_VERSION:
                return
            stamps = {str(p): (int(size), int(mtime)) for p, (size, mtime) in state["files"].items()}
            appended = {str(p): (int(done), int(lines), bytes.fromhex(head))
                        for p, (done, lines, head) in state["appended"].items()}
            urls = {str(u): {str(k): str(v) for k, v in headers.items()} for u, headers in state["urls"].items()}
        except (AttributeError, KeyError, TypeError, ValueError):
            return
        self._stamps.update(stamps)
        self._appended.update(appended)
        if urls:
            reader = self.reader._reader("url")
            assert isinstance(reader, UrlReader)
            reader._validators.update(urls)

    def read(self, sources: Iterable[str]) -> Iterator[Item]:
        now = time.time()
        settle = self.settle_seconds if self.rounds else 0.0
        self.rounds += 1
        for source in self.reader.files(sources):
            if isinstance(source, ReadError):
                if isinstance(source, LeftOutFiles):
                    if (source.source, source.reason) in self._said:
                        continue
                    self._said.add((source.source, source.reason))
                yield source
                continue
            if not is_url(source):
                try:
                    st = os.stat(source)
                except OSError as exc:  # gone since the folder was listed
                    yield ReadError(source, f"cannot read ({exc.strerror or exc})")
                    continue
                stamp = (st.st_size, st.st_mtime_ns)
                key = os.path.abspath(source)
                if self._stamps.get(key) == stamp or now - st.st_mtime < settle:
                    continue
                self._stamps[key] = stamp
                if Path(source).suffix.lower() in APPENDED_SUFFIXES:
                    yield from self._read_lines(Path(source))
                    continue
                yield from self.reader.read([source])
            else:
                yield from self.reader.read_if_changed(source)

    def _read_lines(self, path: Path) -> Iterator[Item]:
        """A JSON lines file: from where the last round stopped if it only grew since, else whole; a line at a time
        (``JsonLinesReader.stream``), so a log of any size."""
        reader = self.reader._reader("jsonl")
        assert isinstance(reader, JsonLinesReader)
        key = os.path.abspath(path)
        done, lines, head = self._appended.pop(key, (0, 0, b""))
        try:
            with path.open("rb") as f:
                first = f.read(APPENDED_HEAD_BYTES)
                size = os.fstat(f.fileno()).st_size
                if 0 < done <= size:
                    f.seek(done - 1)
                    grew = first.startswith(head) and f.read(1) == b"\n"
                else:
                    grew = False
        except OSError as exc:
            yield ReadError(str(path), f"cannot read ({exc.strerror or exc})")
            return
        if not grew:
            done, lines = 0, 0  # new, rewritten or cut short: read whole
        yield from reader.stream(path, done, lines)
        end, lines = reader.ended  # the next round starts after the last whole line
        if end > 0:
            self._appended[key] = (end, lines, first)

    def forget(self, source: str) -> None:
        """Read ``source`` (a file, a URL, or an article's place in one: ``feed.xml#3``) again next round, changed
        or not: some of its articles could not be stored this round."""
        key = source if is_url(source) else os.path.abspath(source)
        # an entry of a file ("dump.jsonl:12", "feed.xml#3"), or a member of an archive ("news.zip/a.html")
        for path in [p for p in self._stamps if key == p or key.startswith((p + "#", p + ":", p + "/"))]:
            del self._stamps[path]
            self._appended.pop(path, None)
        if is_url(source):
            self.reader.forget_url(source.split("#")[0])


ARRAY_CHUNK_BYTES = 1 << 20  # a large JSON list is read this much at a time
FOLLOWER_STATE_VERSION = 1  # of SourceFollower.state: one of another version is not taken back
APPENDED_SUFFIXES = (".jsonl", ".ndjson")  # files that grow by whole lines (a .json may be one document)
APPENDED_HEAD_BYTES = 4096  # a file whose first bytes changed was rewritten, not appended to


def parse_interval(text: str) -> float:
    """Seconds in "90", "30s", "15m", "1h", "1h30m" or "2d"; ValueError naming the text otherwise."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd]?)", text.strip().lower())
    if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd]?)", "", text.strip().lower()).strip():
        raise ValueError(f"not an interval: {text!r} (write 90, 30s, 15m, 1h or 1h30m)")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(float(n) * unit[u] for n, u in parts)


class PageProcesses:
    """Processes that read web page files: page *k* goes to process *k* mod n, and each answers in the order asked,
    so answers are taken in input order. Fresh interpreters (``python -m tidings.page_worker`` on pipes; see
    ``tidings.processes``)."""

    def __init__(self, processes: int, max_bytes: int) -> None:
        import subprocess
        import sys

        self._procs = [subprocess.Popen([sys.executable, "-m", "tidings.page_worker", str(max_bytes)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=helper_env(),
                                        stderr=subprocess.DEVNULL,  # trafilatura warns per page
                                        start_new_session=True)  # Ctrl-C is the parent's to handle
                       for _ in range(processes)]
        self._next = 0
        self._spool: str | None = None  # a folder for the pages archives hold, while the processes read them
        self._spooled = 0

    def submit(self, path: str | PageJob) -> int | None:
        """Send a page (a file's path, or a page an archive holds); which process reads it (None: none could take
        it)."""
        import pickle

        message: str | tuple[str, str, str, str | None] = path  # type: ignore[assignment]
        if isinstance(path, PageJob):
            # Sent as a file, as a page of a folder is: a page itself, written into a pipe whose reader is blocked
            # writing its answer (larger than a pipe holds) into ours, deadlocked both.
            import tempfile

            self._spool = self._spool or tempfile.mkdtemp(prefix="tidings-pages-")
            self._spooled += 1
            spooled = os.path.join(self._spool, f"{self._spooled}.html")
            with open(spooled, "w", encoding="utf-8", errors="surrogatepass") as fh:
                fh.write(path.html)
            message = (spooled, path.doc_id, path.source, path.url, path.by_name)
        for _ in range(len(self._procs)):
            k, self._next = self._next, (self._next + 1) % len(self._procs)
            proc = self._procs[k]
            if proc.stdin is None or proc.stdin.closed:
                continue
            try:
                pickle.dump(message, proc.stdin)
                proc.stdin.flush()
                return k
            except OSError:  # the process ended
                self.drop(k)
        return None

    def result(self, k: int) -> list[Item]:
        """The next answer of process ``k`` (raises if it ended)."""
        import pickle

        stdout = self._procs[k].stdout
        assert stdout is not None
        return pickle.load(stdout)  # noqa: S301  (our own child's answer)

    def drop(self, k: int) -> None:
        """Process ``k`` failed: it gets no more pages, and what it still owes is read by the caller."""
        proc = self._procs[k]
        for stream in (proc.stdin, proc.stdout):
            if stream is not None and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass
        proc.kill()

    def close(self) -> None:
        for proc in self._procs:
            if proc.stdin is not None and not proc.stdin.closed:
                try:
                    proc.stdin.close()  # the process ends at the end of its input
                except OSError:
                    pass
        for proc in self._procs:
            try:
                proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                proc.kill()
        if self._spool is not None:
            import shutil

            shutil.rmtree(self._spool, ignore_errors=True)
