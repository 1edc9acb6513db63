"""The data that flows between pipeline stages."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Archives of files, whose members the readers read as a folder's files and name after them ("news.zip/2021/a.html",
# ``readers.ArchiveReader``) and the store counts as their archive (``Store.stats``).
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tbz2", ".txz", ".tar.gz", ".tar.bz2", ".tar.xz")

@dataclass
class RawDocument:
    """What a reader yields: one article as found, before cleaning."""

    id: str
    text: str
    source: str                      # file path or URL it came from
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.datetime | None = None
    language: str | None = None      # given by the input; overruled only by a text plainly in another
    html: str | None = None          # raw HTML when the input was a web page
    id_by_position: bool = False     # no id given: the id is its place in its file ("dump-12"), no identity of its own
    id_by_name: bool = False         # the id is its file's name ("index"), which a file in another folder may bear too
    summary_only: bool = False       # a feed entry's summary, standing in for the page it links to (not fetched)
    summary: str | None = None       # a feed entry's own text, where ``text`` is its page's (``UrlReader.whole_entry``)


@dataclass
class ReadError:
    """A reader's report that one input could not be read; the run goes on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def display_title(title: str | None, text: str) -> str:
    """What to show for an article: its title, else its first line cut at a word (110 characters)."""
    if title:
        return title
    return shorten(text.split("\n", 1)[0], 110)


def shorten(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, an ellipsis marking the cut (a word cut in two reads
    as another word)."""
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut  # one long word (CJK): cut it where it falls
    return head.rstrip(" ,;:-–") + "…"


@dataclass
class Article:
    """A cleaned article with its metadata; the unit the engine stores."""

    id: str
    text: str                        # body, boilerplate removed
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    dateline: str | None = None      # place line such as "Teheran/Moskau" or "Tehran, Iran"
    dateline_day: str | None = None  # the day of filing a wire dateline gives, as written ("March 10", "7 may")
    published: dt.date | None = None
    language: str | None = None
    language_confidence: float = 0.0
    language_declared: str | None = None  # the language the input declared, where the text plainly is another
    facts: Any = None                # tidings.facts.Facts once extracted
    chunks: list[Chunk] = field(default_factory=list)
    replaces: int | None = None      # the seq of the stored version this newer one replaces (same id and source)
    event_hint: str | None = None    # the id of an event it founds: that of its replaced version, alone in its event
    id_by_position: bool = False     # its id is its place in its file (``RawDocument.id_by_position``)
    id_by_name: bool = False         # its id is its file's name (``RawDocument.id_by_name``)
    summary_only: bool = False       # a feed's summary standing in for its page (``RawDocument.summary_only``)

    @functools.cached_property
    def content_hash(self) -> str:
        """Identity of the text as one outlet published it: the same input twice is stored once, while the
        same text under another outlet is a syndicated copy (stored, and counted once as a source)."""
        norm = " ".join(self.text.split()).casefold()
        if self.outlet:  # no outlet: the hash of the text alone, as in stores written before outlets counted
            norm += "\x00" + " ".join(self.outlet.split()).casefold()
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    @property
    def happened(self) -> dt.date | None:
        """Date of the happening the article reports, when the text allows it."""
        return getattr(self.facts, "happened", None)

    @property
    def vectors(self) -> np.ndarray:
        """Chunk vectors stacked (n_chunks, dim)."""
        return np.stack([c.vector for c in self.chunks]) if self.chunks else np.zeros((0, 0), np.float32)


@dataclass
class Chunk:
    """A passage of an article (a few sentences) with its embedding."""

    index: int
    start: int
    end: int
    text: str
    vector: np.ndarray | None = None
