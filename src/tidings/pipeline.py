"""The pipeline: readers -> cleaner -> language -> facts -> embedder -> events -> storylines -> store.

Every stage is built from the settings through the registry, or passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

import tidings.cleaning  # noqa: F401  (registers the cleaners)
import tidings.language  # noqa: F401  (registers the language detectors)
from tidings.articles import Article, RawDocument, ReadError, display_title
from tidings.cleaning import masthead_site, page_lines
from tidings.config import FACTS_RUN_IN, MINIMUM, STORE_UPDATES, Settings, load_settings
from tidings.duplicates import NearDuplicateFinder
from tidings.embedding import ArticleEmbedder, Chunker
from tidings.embedding_pool import EmbeddingPool, EmbedJob, extract_facts, worker_count
from tidings.events import Assignment, EventTally, OnlineEventDetector, facts_from_dict
from tidings.facts_dates import reference_day
from tidings.index import day_ordinal, projection_basis
from tidings.readers import PathReader
from tidings.registry import create, register
from tidings.similarity import text_numbers
from tidings.store import (
    ALREADY_STORED,
    ID_TAKEN,
    SOURCE_POSITION,
    Store,
    StoredArticle,
    StoredEvent,
    encode_vector,
    founders_stamp,
    mean_vector,
)
from tidings.storylines import StorylineLinker, storyline_title

log = logging.getLogger("tidings")
STALE_SHARE = 0.2  # of an opened chunk index's vectors, those of replaced articles beyond which it is built again
SAVE_TIME_FACTOR = 50  # cache saves take at most 1/50 of an ingest's time (``Pipeline.save_interval``)


NOT_STORED = "not stored"  # the reason given for an article whose batch and own retry failed in the store


@dataclass
class Skipped:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Stored:
    """One article stored, and where it went."""

    id: str
    source: str
    event: str
    created: bool
    duplicate_of: str | None = None
    score: float = 0.0
    replaced: bool = False  # a newer version of an article the store held: the old one went
    language_declared: str | None = None  # the language the input declared, where the text plainly is another


@dataclass
class IngestReport:
    read: int = 0
    stored: list[Stored] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    events_created: set[str] = field(default_factory=set)
    events_updated: set[str] = field(default_factory=set)
    events_merged: dict[str, str] = field(default_factory=dict)
    events_split: dict[str, str] = field(default_factory=dict)  # new event -> the event it was split off
    retitled: int = 0  # stored articles read again with the same text and a corrected headline
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "read": self.read, "stored": len(self.stored), "skipped": len(self.skipped),
            "copies": sum(1 for s in self.stored if s.duplicate_of),
            "replaced": sum(1 for s in self.stored if s.replaced), "retitled": self.retitled,
            "languages_overruled": sum(1 for s in self.stored if s.language_declared),
            "events_created": len(self.events_created),
            "events_updated": len(self.events_updated - self.events_created),
            "events_merged": len(self.events_merged), "events_split": len(self.events_split),
            "seconds": round(self.seconds, 2),
        }


# A declared language is checked against texts this long (shorter ones the detector reads less surely), and
# overruled where the detector reads another this surely (``Pipeline._check_declared_language``).
CHECKED_LANGUAGE_CHARS = 200
DECLARED_LANGUAGE_OVERRULED = 0.95
MIN_ARTICLE_CHARS = 40  # less after cleaning is no article (a headline alone, a scrap of page furniture)
# Chinese, Japanese and Korean: a character holds about what three letters of a Latin script do (a 37-character
# Chinese news brief is a whole sentence with its who and where, and was refused as too short)
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# The scripts the languages of the default encoder are written in (``facts_text.script_of``'s classes).
_SCRIPTS = {"ar": {"arabic"}, "ru": {"cyrillic"}, "ko": {"hangul", "cjk"}, "th": {"thai"}, "zh": {"cjk"},
            "ja": {"cjk"}, **{lang: {"latin"} for lang in ("de", "en", "es", "fr", "it", "nl", "pl", "pt", "tr")}}


def _script_unlike(text: str, language: str) -> bool:
    """Whether most of the letters of ``text`` are of a script ``language`` is not written in (False for a language
    whose script is not listed)."""
    from tidings.facts_text import script_of

    scripts = _SCRIPTS.get(language)
    if scripts is None:
        return False
    letters = [c for c in text[:2000] if c.isalpha()]
    return bool(letters) and sum(script_of(c) not in scripts for c in letters) > len(letters) / 2


def _reading_length(text: str) -> int:
    """Characters as a Latin-script reader counts them: a Chinese, Japanese or Korean character as three (counted
    only in a text shorter than the minimum: no longer one is short)."""
    if len(text) >= MIN_ARTICLE_CHARS:
        return len(text)
    return len(text) + 2 * len(_DENSE_SCRIPT.findall(text))


@register("facts", "gazetteer")
def _gazetteer_facts(**params: Any) -> Any:
    from tidings.facts import FactExtractor

    return FactExtractor(**params)


@register("facts", "none")
class NoFacts:
    def __call__(self, text: str, language: str, published: dt.date | None = None,
                 dateline: str | None = None) -> None:
        return None


def _facts_request(article: Article) -> tuple[str, str | None, dt.date | None, str | None]:
    """What the facts extractor reads of an article: text, language, the day its relative dates count from (the
    publication day, or the next one by a wire dateline's own clock: ``facts_dates.reference_day``), dateline."""
    day = reference_day(article.published, article.dateline_day, article.language)
    return article.text, article.language, day, article.dateline




class Origin(NamedTuple):
    """Where an article was read: all ``same_origin`` looks at."""

    url: str | None
    source: str


def own_id(article: Article) -> str:
    """An id of its own for an article whose id was its place in a file, or its file's name, and is another text's:
    that id and the start of its content hash ("dump-12-3fa2b9c1"), the same each time the text is read."""
    return f"{article.id}-{article.content_hash[:8]}"


def same_origin(new: Article | Origin, old: StoredArticle | Origin) -> bool:
    """Whether a text read under a stored article's id comes from where the stored one came: the same file, feed or
    poster (its place in it aside: a feed's entries move down as new ones come), or the same page address (read
    from another feed or file; the scheme, a fragment and tracking parameters aside). Two data sets that both number
    their articles 1, 2, 3 do not replace each other's."""
    if SOURCE_POSITION.sub("", new.source or "") == SOURCE_POSITION.sub("", old.source or ""):
        return True
    return bool(new.url and old.url and _page_address(new.url) == _page_address(old.url))


_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|src)$", re.IGNORECASE)


def _page_address(url: str) -> str:
    """A page's address as two links to it may differ: http or https, "www.", a fragment, tracking parameters, a
    trailing slash."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def facts_run_in(value: Any) -> str:
    """``[facts] run_in``, checked: where an ingest with encoder workers extracts who/where/when.

    "main": this process, once a batch went to the workers (they encode meanwhile); they then hold no lexicon (175 MB
    less each), but where this process has more to do (a large store) it holds them up. "workers": with each batch's
    vectors. "auto": per batch, this process while it waited for the workers' last batch (it has time to spare), the
    workers when that batch was done before this process asked for it (it is what holds them up). Where the workers
    are as many as the cores, every process takes turns on them and what counts is the CPU spent in all: the extractor
    costs less in this process (in a worker, between two encodings, a whole web article's took 1.4x its time alone:
    3.3 ms against 2.4; docs/figures.md, session 38)."""
    place = str(value).strip().lower()
    if place not in FACTS_RUN_IN:
        raise ValueError(f"[facts] run_in must be {', '.join(map(repr, FACTS_RUN_IN))}, not {value!r}")
    return place


# [storylines] settings of the one-vector-per-event graphs, not the linker's
EVENT_INDEX_KEYS = ("index", "index_m", "index_dims", "projection")


def _params(section: dict[str, Any], *exclude: str) -> dict[str, Any]:
    """A stage's constructor arguments: its settings section less the name and keys that are not its."""
    return {k: v for k, v in section.items() if k != "name" and k not in exclude}


class Pipeline:
    """Ingest articles into a store, assigning each to an event and its event to a storyline."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None,
                 status: Callable[[str], None] | None = None, **stages: Any) -> None:
        """``stages``: components to use instead of those the settings name. ``status``: told what the opening is
        doing, while it takes long (loading the model; rebuilding the search index from the store, which takes
        seconds per 10,000 articles after a crash or a settings change)."""
        self.settings = settings or load_settings()
        s = self.settings
        self._status = status or (lambda _message: None)
        self._status("loading the model")
        self.store = store or Store(s["store"]["url"])
        self.batch_size = int(s["store"].get("batch_size", 64))
        self.updates = str(s["store"].get("updates", "replace")).strip().lower()
        if self.updates not in STORE_UPDATES:  # settings passed as a dict (a file's are checked as it is read)
            raise ValueError(f"[store] updates must be {' or '.join(map(repr, STORE_UPDATES))}, not {self.updates!r}")
        self.max_article_chars = int(s["reader"].get("max_article_chars", 200_000))
        self.reader = stages.get("reader") or PathReader(max_bytes=int(s["reader"]["max_bytes"]),
                                                         exclude=self.store.own_files(),
                                                         processes=s["reader"].get("processes", 0),
                                                         feed_pages=s["reader"].get("feed_pages", "short"),
                                                         feed_summary_chars=int(s["reader"].get(
                                                             "feed_summary_chars", 600)))
        self.cleaner = stages.get("cleaner") or create("cleaner", s["cleaner"]["name"], **_params(s["cleaner"]))
        self.language = stages.get("language") or create("language", s["language"]["name"],
                                                         **_params(s["language"]))
        facts_params = _params(s["facts"], "run_in")
        self.facts = stages.get("facts") or create("facts", s["facts"]["name"], **facts_params)
        embedder_params = {k: v for k, v in _params(s["embedder"]).items() if k != "workers"}
        self.embedder = stages.get("embedder") or create("embedder", s["embedder"]["name"], **embedder_params)
        self.article_embedder = ArticleEmbedder(self.embedder, Chunker(**s["chunker"]))
        # Worker processes encode while this one cleans, extracts facts and assigns events; only for an
        # encoder built from the settings (the workers rebuild it by name), and only for inputs of more
        # than one batch (starting them costs a model load each).
        workers = worker_count(s["embedder"].get("workers", 0))
        # Who/where/when here or in the workers (only for an extractor from the settings): ``facts_run_in``.
        self.facts_run_in = facts_run_in(s["facts"].get("run_in", "auto"))
        self._spare_time = True  # whether this process waited for the workers' last batch (``_submit``)
        self.pool: EmbeddingPool | None = None
        if workers > 0 and "embedder" not in stages:
            facts_spec = None
            if self.facts_run_in != "main" and "facts" not in stages:
                facts_spec = {"name": s["facts"]["name"], "params": facts_params}
            self.pool = EmbeddingPool(self.embedder, s["embedder"]["name"], embedder_params, workers,
                                      facts=facts_spec, facts_fallback=self.facts)
        self.scorer = stages.get("scorer") or create("similarity", s["similarity"]["name"],
                                                     **_params(s["similarity"]))
        self.detector: OnlineEventDetector = stages.get("detector") or create(
            "events", s["events"]["name"], scorer=self.scorer,
            neighbours=int(s["index"].get("neighbours", 8)), **_params(s["events"]))
        self.linker: StorylineLinker = stages.get("linker") or create(
            "storylines", s["storylines"]["name"], **_params(s["storylines"], *EVENT_INDEX_KEYS))
        self._index_params = {"dim": self.embedder.dim, **_params(s["index"], "save_every_seconds")}
        self._index_name = s["index"]["name"]
        self._status("opening the search index")
        self._rebuilt = False  # set when opening adds many vectors from the store: the cache is then saved
        self.index = stages.get("index") or self._open_index()
        # One vector per event (its first article's), where a new event looks for related ones: the
        # storyline window is two years, too wide for the time-sharded chunk index.
        self._event_index_name = s["storylines"].get("index", "faiss-hnsw")
        self._event_index_params = {"dim": self.embedder.dim}
        if self._event_index_name.startswith("faiss-hnsw"):
            m = int(s["storylines"].get("index_m", 16))
            least = MINIMUM[("storylines", "index_m")]
            if m < least:
                raise ValueError(f"[storylines] index_m must be at least {least}, not {m}")
            self._event_index_params["m"] = m
        if self._event_index_name == "faiss-hnsw-projected":
            self._event_index_params.update(self._projection(s))
        self._founders = self.store.founders_generation()  # what the two indexes below were built from
        self._founders_rebuilt = False
        self._founders_now: str | None = None  # a generation this batch made and this process's indexes hold already
        self._removed_seen = self.store.removed_count()  # articles replaced or deleted, as last looked
        self.event_index = stages.get("event_index") or self._open_event_index()
        # One vector per event and language (its first article in each), where an undated article looks for the
        # periods of the events it may report: it lies nearest a report in its own language, and an event whose
        # first report is in another would be missed (``OnlineEventDetector.undated_periods``).
        self.period_index = stages.get("period_index") or self._open_period_index()
        self._save_founders()
        self._dups: NearDuplicateFinder | None = None
        self._apart: list[tuple[str, str]] = []  # the events an editor parted, as the batch being committed began
        self._batches = 0  # batches committed; the row caches are read ahead before the second
        self._read_ahead = False
        self._save_every = float(s["index"].get("save_every_seconds", 30))
        self._index_saved = time.monotonic()
        self._last_save_seconds = 0.0
        self._check_embedder()
        if self._rebuilt:  # saved now, or the next opening rebuilds it again until an ingest stores something
            self._status("saving the rebuilt search index")
            self._save_index()

    # ---- setup -------------------------------------------------------------------------------------
    def _projection(self, s: Settings) -> dict[str, Any]:
        """The one-vector-per-event graphs' projection (``[storylines] projection``, ``index_dims``): "auto", the
        encoder's own shipped with tidings (whole vectors for an encoder it has none for); an encoder's name, that
        one's; "none", whole vectors."""
        name = str(s["storylines"].get("projection", "auto"))
        dims = int(s["storylines"].get("index_dims", 128))
        if name == "none":
            return {"projection": None}
        basis = projection_basis(s["embedder"]["name"] if name == "auto" else name)
        if basis is None and name != "auto":
            raise ValueError(f"[storylines] projection: tidings has none named {name!r}")
        if basis is not None and basis.shape[0] != self.embedder.dim:
            if name != "auto":
                raise ValueError(f"[storylines] projection {name!r} is of {basis.shape[0]}-number vectors, "
                                 f"the encoder's have {self.embedder.dim}")
            basis = None
        return {"projection": basis, "dims": dims}

    def _check_embedder(self) -> None:
        name = f"{self.settings['embedder']['name']}:{self.embedder.dim}"
        stored = self.store.get_meta("embedder")
        if stored is None:
            with self.store.transaction() as conn:
                self.store.set_meta(conn, "embedder", name)
        elif stored != name:
            raise ValueError(f"{self.store.url}: this store holds vectors of {stored}, not {name}; "
                             "use another --db or the same embedder")

    def _open_index(self) -> Any:
        """The chunk index: its cache, caught up with chunks committed after the cache was last saved."""
        new = lambda: create("index", self._index_name, **self._index_params)  # noqa: E731
        path = self.store.index_path
        legacy = None if path is None else path.with_name(path.name.removesuffix(".chunk-index") + ".faiss")
        if legacy is not None and legacy.is_file():
            legacy.unlink(missing_ok=True)  # the cache of chunk-keyed indexes, rebuilt below keyed by article
        total = self.store.chunk_count()

        def rebuilding(done: int) -> None:
            self._rebuilt = True
            self._status(f"rebuilding the search index from the store: {done:,} of {total:,} chunks")

        index = _open_cached(new, path, self.store.chunks_after, rebuilding)
        # Vectors of graphs not read yet (a time-sharded cache reads each when first needed), hidden ones among them
        unread = getattr(index, "unread", 0)
        if hasattr(index, "compact_share"):
            index.compact_share = STALE_SHARE
        if len(index) != total or (unread and self.store.removed_count()):
            self._hide_replaced(index)  # vectors of versions replaced since the cache was saved
        hidden = getattr(index, "hidden", 0)
        if hidden > STALE_SHARE * (len(index) - unread + hidden):
            # Hidden vectors still take a search's steps (a live page's hundred versions around the current one):
            # past a share of the graph, it is built again without them.
            log.info("index cache of %s holds %d vectors of replaced articles: rebuilding it", self.store.url, hidden)
            index = _open_cached(new, None, self.store.chunks_after, rebuilding)
            self._rebuilt = True  # saved at once: the cache on disk holds them still
        elif not len(index) - unread <= total <= len(index):
            # A gap in the cache (two processes saved it in turn, one missing chunks the other stored just
            # before): rebuilt whole rather than left to miss those chunks for good. Graphs not read may hold
            # vectors of articles gone since: then only fewer vectors than the store's tell a gap.
            log.info("index cache of %s does not hold every chunk: rebuilding it", self.store.url)
            index = _open_cached(new, None, self.store.chunks_after, rebuilding)
        return index

    def _rebuild_if_mostly_hidden(self) -> None:
        """A long-running ingest (a follower) that replaced many articles: past ``STALE_SHARE`` of hidden vectors, the
        chunk index is built again from the store without them, as an opening would."""
        hidden = getattr(self.index, "hidden", 0)
        if hidden > STALE_SHARE * (len(self.index) - getattr(self.index, "unread", 0) + hidden):
            log.info("the search index holds %d vectors of replaced articles: rebuilding it", hidden)
            self._status("rebuilding the search index without the vectors of replaced articles")
            self.index = _open_cached(lambda: create("index", self._index_name, **self._index_params), None,
                                      self.store.chunks_after)

    def _open_event_index(self) -> Any:
        return self._open_founders(self.store.events_index_path, self.store.founders_after)

    def _open_period_index(self) -> Any:
        return self._open_founders(self.store.periods_index_path, self._language_founders_after)

    def _open_founders(self, path: Path | None, after: Callable[[int], Iterable[tuple]]) -> Any:
        """An index of events' first reports. One built again because its cache could not be read (damaged, or of
        another kind: whole vectors, written before session 42) is saved at once, as after a correction: else
        every opening of a store no ingest writes to (the web page's) builds it again."""
        def unreadable() -> None:
            self._founders_rebuilt = True

        return self._hide_replaced(_open_cached(
            lambda: create("index", self._event_index_name, **self._event_index_params),
            self._founders_cache(path), after, unreadable=unreadable), founders=True)

    def _hide_replaced(self, index: Any, founders: bool = False) -> Any:
        """Leave out of ``index``'s searches the articles the store no longer holds (versions replaced by newer ones,
        deleted ones), whose vectors a cache saved before may hold (``remove``). ``founders``: an index of one vector
        per event, which no count tells stale, is looked through only if any article ever left the store."""
        if founders and not self.store.removed_count():
            return index
        if hasattr(index, "hide_missing"):  # graphs read so far, and the others when they are read
            index.hide_missing(self.store.missing_seqs)
            return index
        held = np.unique(index.ids()) if hasattr(index, "ids") else np.zeros(0, np.int64)
        gone = self.store.missing_seqs(held.tolist()) if len(held) else []
        if gone:
            index.remove(gone)
        return index

    def _founders_cache(self, path: Path | None) -> Path | None:
        """An index of events' first reports is read from its cache only if the cache was saved after the store's
        last correction of which report founds an event (else it is built again: one vector per event)."""
        if path is None:
            return None
        stamp = founders_stamp(path)
        try:
            saved = stamp.read_text(encoding="ascii").strip()
        except OSError:
            saved = "0"  # a cache from before any correction, or from before the stamp
        if saved == self._founders:
            return path
        self._founders_rebuilt = True
        return None

    def _save_founders(self) -> None:
        """The indexes of events' first reports, built again after a correction, written to their caches with the
        generation they hold: built once, not at every opening until an ingest saves them."""
        if not self._founders_rebuilt or self.store.index_path is None:
            return
        self._founders_rebuilt = False
        try:
            self._write_founders()
        except (OSError, RuntimeError) as exc:  # only a cache: built again at the next opening
            log.warning("could not write the events index cache (%s)", exc)

    def _write_founders(self) -> None:
        self.event_index.save(self.store.events_index_path)
        self.period_index.save(self.store.periods_index_path)
        for stamp in self.store.founders_stamps():
            stamp.write_text(self._founders, encoding="ascii")

    def refresh_founders(self) -> None:
        """After an editor moved a report (here or in another process): the indexes of events' first reports built
        again from the store, so that a new event founded by hand is found like any other."""
        current = self.store.founders_generation()
        if current != self._founders:
            self._founders = current
            self.event_index = self._open_event_index()
            self.period_index = self._open_period_index()
            self._save_founders()

    def _language_founders_after(self, seq: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return self.store.founders_after(seq, per_language=True)

    def save_interval(self) -> float:
        """Seconds between cache saves in the middle of an ingest: ``[index] save_every_seconds``, or 50 times
        what the last save took if longer, so that saving never takes more than 2% of an ingest's time
        however large the caches grow (a stale cache is caught up from the store anyway)."""
        return max(self._save_every, SAVE_TIME_FACTOR * self._last_save_seconds)

    def _save_index(self, force: bool = True) -> None:
        """Write the index caches: when asked (``force``), else once ``save_interval`` has passed."""
        path = self.store.index_path
        if path is None:
            return
        if force or time.monotonic() - self._index_saved > self.save_interval():
            started = time.monotonic()
            try:
                self.index.save(path)
                self._write_founders()
            except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
                # Only a cache: what was committed is in the store, and the next open catches the cache up.
                log.warning("could not write the index cache %s (%s); it is rebuilt from the store when needed",
                            path, str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__)
            self._index_saved = time.monotonic()
            self._last_save_seconds = self._index_saved - started

    @property
    def duplicates(self) -> NearDuplicateFinder:
        """The copy finder; the store's band keys made first if they were made another way (a store of an earlier
        tidings, or [duplicates] changed since)."""
        if self._dups is None:
            d = self.settings["duplicates"]
            self._dups = NearDuplicateFinder(threshold=float(d["threshold"]), num_perm=int(d["num_perm"]))
            self._check_copy_bands()
        return self._dups

    def _check_copy_bands(self) -> None:
        """Outside a batch's transaction: the store's band keys made again (and its signatures of another size, from
        their texts) where they were not made as this process makes them."""
        finder = self._dups
        assert finder is not None
        if self.store.copy_bands_layout() == finder.layout:
            return
        resigned = 0

        def sign(stored: list[tuple[int, np.ndarray]]) -> dict[int, np.ndarray]:
            # a signature of another size cannot be compared: made again with this [duplicates] num_perm
            nonlocal resigned
            stale = [seq for seq, signature in stored if len(signature) != finder.num_perm]
            texts = self.store.texts_of(stale) if stale else {}
            resigned += len(texts)
            return {seq: (finder.signature(texts[seq]) if len(signature) != finder.num_perm else signature)
                    for seq, signature in stored if len(signature) == finder.num_perm or seq in texts}

        def progress(done: int, total: int) -> None:
            self._status(f"indexing near-duplicate signatures ({finder.layout}): {done:,} of {total:,} articles")

        banded = self.store.rebuild_copy_bands(finder.layout, sign, finder.band_keys, progress)
        log.info("near-duplicate bands of %d articles made (%s), %d signatures made again from their texts",
                 banded, finder.layout, resigned)

    # ---- stages ------------------------------------------------------------------------------------
    def prepare(self, doc: RawDocument, facts: bool = True) -> Article | Skipped:
        """Clean, identify the language and extract who/where/when (unless ``facts`` is False: the
        encoder workers then do it): everything but the vectors."""
        article = self.cleaner(doc)
        summary = getattr(doc, "summary", None)
        if summary and len(article.text.strip()) < len(summary.strip()):
            # the page a feed entry links to gave less than the entry's summary once cleaned (a consent wall or a robot
            # check, cut to its headline): the summary is the article
            article = self.cleaner(replace(doc, text=summary, summary=None))
        article.id_by_position = getattr(doc, "id_by_position", False)
        article.id_by_name = getattr(doc, "id_by_name", False)
        article.summary_only = getattr(doc, "summary_only", False)
        if _reading_length(article.text.strip()) < MIN_ARTICLE_CHARS:
            site = masthead_site(page_lines(doc.text)) if not article.text.strip() else None
            return Skipped(doc.source, "too little text after cleaning" + (
                f" (the page holds only the header of the site '{site}')" if site else ""))
        if len(article.text) > self.max_article_chars:  # 4.7 MB as one article: 48 s and 1 GB to embed
            return Skipped(doc.source, f"too long for one article ({len(article.text):,} characters; the limit is "
                                       f"{self.max_article_chars:,}, [reader] max_article_chars)")
        declared = article.language
        if not article.language:
            guess = self.language(article.text)
            if guess.language is None:
                return Skipped(doc.source, f"cannot tell the language (confidence {guess.confidence:.2f})")
            article.language, article.language_confidence = guess.language, guess.confidence
        elif len(article.text) >= CHECKED_LANGUAGE_CHARS:
            self._check_declared_language(article, doc.source)
        covered = getattr(self.embedder, "languages", None)
        if covered and article.language not in covered:
            return Skipped(doc.source, f"language '{article.language}' is not covered by the embedding model "
                                       f"(covered: {', '.join(sorted(covered))})"
                                       + (f"; declared '{declared}'" if declared and declared != article.language
                                          else ""))
        if facts:
            article.facts = self.facts(*_facts_request(article))
        return article

    def _check_declared_language(self, article: Article, source: str) -> None:
        """A language the input declares (a JSON field, a feed's or a page's) that the text plainly is not is taken
        from the text: a feed declares one language for every entry, a site's template one for every page. Plainly:
        written mostly in a script the declared language is not written in (a Hindi report declared English), or
        read as another language at 0.95 or more. On the 8,138 texts of our corpora and the SemEval sample whose
        language is declared, the detector reads 4 as another at 0.95 or more: two Hindi and one German page the
        sample declares English, and one English page with a Dutch masthead; below 0.9 it errs (an English page
        read as German at 0.897)."""
        guess = self.language(article.text)
        if not guess.language or guess.language == article.language:
            return
        if guess.confidence >= DECLARED_LANGUAGE_OVERRULED or _script_unlike(article.text, article.language):
            log.info("%s: declared '%s', reads as '%s' (confidence %.2f): taken as '%s'", source, article.language,
                     guess.language, guess.confidence, guess.language)
            article.language_declared = article.language
            article.language, article.language_confidence = guess.language, guess.confidence

    def ingest(self, sources: Iterable[str], progress: Callable[[str], None] | None = None) -> IngestReport:
        """Read files, folders and feed URLs and ingest every article in them."""
        return self.ingest_documents(self.reader.read(sources), progress)

    def ingest_documents(self, items: Iterable[RawDocument | ReadError],
                         progress: Callable[[str], None] | None = None) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        batch: list[Article] = []
        hashes: set[str] = set()
        ids: dict[str, Origin] = {}  # where each id of this input came from: a later version from there replaces it
        # Batches whose chunks are being encoded: the next is encoded while the previous is committed.
        in_flight: deque[tuple[list[Article], list[str], EmbedJob | None]] = deque()
        submitted = 0
        for item in items:
            report.read += 1
            if progress:
                progress(item.source)
            if isinstance(item, ReadError):
                report.skipped.append(Skipped(item.source, item.reason))
                continue
            try:
                prepared = self.prepare(item, facts=False)  # extracted once submitted (``_submit``)
            except Exception as exc:  # one bad article must not stop the run
                log.debug("prepare failed", exc_info=True)
                prepared = Skipped(item.source, f"could not be processed ({exc.__class__.__name__}: {exc})")
            if isinstance(prepared, Skipped):
                report.skipped.append(prepared)
                continue
            if prepared.content_hash in hashes:
                report.skipped.append(Skipped(item.source, "same text earlier in this input"))
                continue
            if prepared.id in ids and (prepared.id_by_position
                                       or (prepared.id_by_name and not same_origin(prepared, ids[prepared.id]))):
                # another file of this input by the same name ("2022/dump.jsonl:1", "site/b/index.html")
                prepared.id = own_id(prepared)
            if prepared.id in ids:
                earlier = ids[prepared.id]
                if self.updates != "replace" or not same_origin(prepared, earlier):
                    report.skipped.append(Skipped(item.source, "id used earlier in this input by a different text"))
                    continue
                # A later version of an article of this input (a dump that holds an entry's history): what came
                # before is committed first, so that this one replaces it as it would in a later run.
                if any(a.id == prepared.id for a in batch):
                    submitted += self._submit(batch, in_flight, report)
                    batch = []
                while in_flight:
                    self._complete(*in_flight.popleft(), report)
            hashes.add(prepared.content_hash)
            ids[prepared.id] = Origin(prepared.url, prepared.source)
            batch.append(prepared)
            if len(batch) >= self.batch_size:
                if submitted and self.pool is not None:
                    self.pool.start()  # a second batch: the input is worth the workers
                submitted += self._submit(batch, in_flight, report)
                batch = []
                while len(in_flight) > 1:
                    self._complete(*in_flight.popleft(), report)
        if batch:
            self._submit(batch, in_flight, report)
        while in_flight:
            self._complete(*in_flight.popleft(), report)
        if report.stored:
            self._rebuild_if_mostly_hidden()
            self._save_index()
        report.seconds = time.perf_counter() - started
        return report

    def _submit(self, batch: list[Article], in_flight: deque, report: IngestReport) -> int:
        """Drop what the store holds already and start encoding the rest; 1 if anything is left."""
        known = self.store.known_many([(a.id, a.content_hash) for a in batch])
        # An id that is only a place in a file, held by another text, names a new article (another file of the same
        # name, or the file exported again with rows before it), not a newer version of the stored one (taken as
        # one, a re-export with a new first row replaced the stored first article with it). So does a file's name
        # held by another file's text ("2024/index.html" after "2023/index.html"), where the same file saved again
        # is a newer version: of the article it gave before, under whatever name that one took.
        taken = [a for a in batch if known.get(a.content_hash) == ID_TAKEN and (a.id_by_position or a.id_by_name)]
        stored = self.store.stored_versions([a.id for a in taken if not a.id_by_position])
        renamed = [a for a in taken if a.id_by_position or (a.id in stored and not same_origin(a, stored[a.id]))]
        before = self.store.ids_of_sources([a.source for a in renamed if not a.id_by_position])
        for article in renamed:
            known.pop(article.content_hash)
            article.id = (None if article.id_by_position else before.get(article.source)) or own_id(article)
        known.update(self.store.known_many([(a.id, a.content_hash) for a in renamed]))
        newer = self._newer_versions([a for a in batch if known.get(a.content_hash) == ID_TAKEN])
        if self.updates == "replace":
            report.retitled += self._retitle([a for a in batch if known.get(a.content_hash) == ALREADY_STORED])
        for article in batch:
            reason = known.get(article.content_hash)
            if reason == ID_TAKEN and isinstance(newer.get(article.content_hash), int):
                article.replaces = newer[article.content_hash]  # type: ignore[assignment]
                known.pop(article.content_hash)
            elif reason is not None:
                report.skipped.append(Skipped(article.source, str(newer.get(article.content_hash, reason))))
        batch = [a for a in batch if a.content_hash not in known]
        if not batch:
            return 0
        texts = self.article_embedder.chunk(batch)
        job = None
        # Who/where/when in the workers ("workers"; "auto" when this process found their last batch done before it
        # asked: it is what holds them up), else here.
        there = self._facts_in_pool and (self.facts_run_in == "workers" or not self._spare_time)
        if self.pool is not None:
            requests = [_facts_request(a) for a in batch] if there else []
            job = self.pool.submit(texts, requests)
        if not there:
            # Here, after the texts went to the workers (they encode meanwhile), and only for the articles the store
            # lacks. A failure is the article's own, reported as the workers' are (``_complete``).
            for article in batch:
                article.facts = extract_facts(self.facts, *_facts_request(article))
        in_flight.append((batch, texts, job))
        return 1

    def _retitle(self, batch: list[Article]) -> int:
        """Articles stored already with this very text under another headline (a corrected title, the same story):
        the stored one takes the new headline, and its event is counted again. Returns how many did."""
        if not batch:
            return 0
        from tidings.corrections import summarise_event

        stored = self.store.stored_versions([a.id for a in batch])
        changed = [(a, stored[a.id]) for a in batch if a.title and a.id in stored and a.title != stored[a.id].title
                   and same_origin(a, stored[a.id])]
        if not changed:
            return 0
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with self.store.transaction() as conn:
            for article, old in changed:
                self.store.set_title(conn, old.seq, article.title or "")
            for event_id in sorted({self.store.resolve(old.event_id, conn=conn) for _, old in changed if old.event_id}):
                members = self.store.articles(event_id=event_id, conn=conn, light=True)
                if members:
                    summarise_event(self.store, conn, event_id, members, self.store.event(event_id, conn=conn), now)
        return len(changed)

    def _newer_versions(self, batch: list[Article]) -> dict[str, int | str]:
        """Articles whose id the store holds with another text: by content hash, the seq of the stored version each
        replaces (same id from the same URL, file or feed, not published before it), or why it does not."""
        if not batch:
            return {}
        stored = self.store.stored_versions([a.id for a in batch])
        earlier = self.store.replaced_versions([(a.id, a.content_hash) for a in batch])
        # A feed's summary standing in for its page (not fetched this time) replaces a stored summary no longer than
        # itself (a corrected entry), never a longer text: the page's, read before (a page of a dense script is
        # shorter than a summary of a Latin one: a Japanese report of 466 characters gave way to its summary of 237)
        lengths = self.store.text_lengths([stored[a.id].seq for a in batch if a.summary_only and a.id in stored])
        out: dict[str, int | str] = {}
        for article in batch:
            old = stored.get(article.id)
            if old is None:
                continue
            if (article.id, article.content_hash) in earlier:
                out[article.content_hash] = "an earlier version of a stored article (a newer one replaced it)"
            elif article.summary_only and lengths.get(old.seq, 0) > len(article.text):
                out[article.content_hash] = ("a feed's summary of a stored article, its page not fetched this time "
                                             "(the stored longer text is kept)")
            elif self.updates != "replace":
                out[article.content_hash] = f"{ID_TAKEN} (the first version is kept: [store] updates = \"keep\")"
            elif not same_origin(article, old):
                out[article.content_hash] = f"{ID_TAKEN}, from another source (stored from {old.url or old.source})"
            elif article.published and old.published and article.published < old.published:
                out[article.content_hash] = (f"an older version of a stored article (published {article.published}, "
                                             f"the stored one {old.published})")
            else:
                out[article.content_hash] = old.seq
        return out

    @property
    def _facts_in_pool(self) -> bool:
        return self.pool is not None and self.pool.extracts_facts

    def _complete(self, batch: list[Article], texts: list[str], job: EmbedJob | None,
                  report: IngestReport) -> None:
        """Attach the vectors (and facts, if the workers extracted them) of a submitted batch and store it
        in one transaction; on failure retry article by article."""
        if self.pool is not None and job is not None:
            self._spare_time = not self.pool.finished(job)
            vectors = self.pool.result(job)
        else:
            vectors = self.embedder.encode(texts)
        self.article_embedder.attach(batch, vectors)
        if job is not None and job.requests:
            for article, facts in zip(batch, job.facts, strict=True):
                article.facts = facts
        failed = [a for a in batch if isinstance(a.facts, tuple)]
        for a in failed:  # as prepare() reports an article it cannot process
            report.skipped.append(Skipped(a.source, f"could not be processed ({a.facts[1]})"))
        batch = [a for a in batch if not isinstance(a.facts, tuple)]
        if not batch:
            return
        # The detector's clock ticks with each article assigned: a rolled-back batch, read again, must tick once.
        clock = getattr(self.detector, "clock_state", None)
        before = clock() if clock is not None else None
        try:
            self._commit(batch, report)
        except Exception:
            log.debug("batch failed; retrying one by one", exc_info=True)
            self._forget_uncommitted(before)
            for article in batch:
                before = clock() if clock is not None else None
                try:
                    self._commit([article], report)
                except Exception as exc:
                    self._forget_uncommitted(before)
                    report.skipped.append(Skipped(article.source, f"{NOT_STORED} ({exc.__class__.__name__}: {exc})"))

    def _catch_up(self) -> None:
        """Another process wrote to the store since this one last did (a CLI ingest beside the web page's):
        its vectors and signatures join what this process keeps in memory, so new articles can meet its."""
        _catch_up(self.index, self.store.chunks_after)
        self.refresh_founders()  # an editor's correction there: these two built again
        _catch_up(self.event_index, self.store.founders_after)
        _catch_up(self.period_index, self._language_founders_after)
        removed = self.store.removed_count()
        if removed != self._removed_seen:  # articles replaced or deleted there: left out of searches here
            self._removed_seen = removed
            for index in (self.index, self.event_index, self.period_index):
                self._hide_replaced(index)
        self.detector.forget()  # what it keeps of the store (the places of each day) is read again
        self.store.written_elsewhere = False

    def forget_articles(self, ids: Iterable[str]) -> None:
        """Articles this process deleted from the store (``corrections.delete_articles``): their vectors left out of
        searches (their signatures' bands left the store with them: no text is their copy any more)."""
        for index in (self.index, self.event_index, self.period_index):
            self._hide_replaced(index)
        self._removed_seen = self.store.removed_count()
        self.detector.forget()

    def _forget_uncommitted(self, clock: Any = None) -> None:
        """After a rollback: what memory holds of the batch goes (the store dropped its own caches); ``clock``: the
        detector's clock before the batch (``clock_state``), put back."""
        self.index = self._open_index()  # vectors of the rolled-back batch
        self.event_index = self._open_event_index()
        self.period_index = self._open_period_index()
        self._founders_now = None        # the founders generation the batch made: never stored
        self.detector.forget()           # what the detector kept of them
        if clock is not None:
            self.detector.restore_clock(clock)  # type: ignore[attr-defined]

    # At most this many recent articles (the store's vector cache holds 20k) and events are read ahead; a few
    # thousand rows per query also stay under what one SQLite statement may bind.
    WARM_ARTICLES = 20_000
    WARM_EVENTS = 10_000

    def read_ahead(self) -> None:
        """Read ahead, once, in a few queries, the rows of the events of the store's last window of days (and of the
        index shards a search reads) and of their newest articles (light rows, tallies, vectors, facts). Today's news
        is scored against those; without this, a fresh process reads them a few rows per article: at 100k stored
        articles, 9 SQL statements an article instead of 5, and a third more time (``bench/ingest_throughput.py
        --part scale``). ``_commit`` calls it before the second batch; a long-lived caller may call it earlier."""
        if self._read_ahead:
            return
        self._read_ahead = True
        # the time window and the span of the index's shards, whose whole graphs a search reads from
        days = self.detector.window.days + int(getattr(self.index, "shard_days", 0))
        with self.store.engine.connect() as conn:
            ids, seqs = self.store.recent(conn, days, self.WARM_EVENTS, self.WARM_ARTICLES)
            if not seqs:
                return
            for k in range(0, len(ids), 2_000):
                self.store.events(ids=ids[k:k + 2_000], conn=conn, light=True)
                self.store.tallies(conn, ids[k:k + 2_000])
            for k in range(0, len(seqs), 2_000):
                part = seqs[k:k + 2_000]
                rows = self.store.articles(seqs=part, conn=conn, light=True, facts=False)
                self.store.vectors_of(part, conn)
                self.detector.recall(self.store, rows, conn)

    def _commit(self, batch: list[Article], report: IngestReport) -> None:
        done: list[Stored] = []
        created: set[str] = set()
        touched: set[str] = set()
        merged: dict[str, str] = {}
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        # Events changed by this batch: their running tallies and light summaries (dates for the time window);
        # the full summaries are written once at the end.
        tallies: dict[str, EventTally] = {}
        pending: dict[str, StoredEvent] = {}
        previous: dict[str, StoredEvent | None] = {}
        added: dict[str, list[int]] = {}  # event -> seqs of its articles stored in this batch
        moves: dict[str, str] = {}  # article id -> the event split off its event, in this batch
        split: dict[str, str] = {}  # new event -> the event it was split off
        if self.store.changed_elsewhere():
            self._catch_up()  # the bulk of another writer's work, read before this batch takes the write lock
            if self._dups is not None:  # and its band keys, if made another way (its own [duplicates]): made again
                self._check_copy_bands()  # here, outside the batch's transaction (its pages take the lock in turn)
        _ = self.duplicates  # the store's band keys checked (made again if need be) outside the batch's lock
        self._batches += 1
        if self._batches == 2:  # an input of one batch (a single posted article) does not pay for the read-ahead
            self.read_ahead()
        two_happenings = getattr(self.detector, "two_happenings", None)  # a detector that splits events
        elsewhere = getattr(self.detector, "elsewhere", None)  # a detector that keeps other countries' events apart
        far_apart = getattr(self.detector, "far_apart", None)  # ... and events of other periods
        remember = getattr(self.detector, "remember", None)  # a detector that keeps what it scores in memory
        with self.store.transaction() as conn:
            next_seq, next_chunk = self.store.next_ids(conn)  # this writer's turn: free until it commits
            if self.store.written_elsewhere:
                self._catch_up()
            # events an editor parted: no report merges them again, nor claims a report of one for the other
            self._apart = self.store.apart_pairs(conn)
            # newer versions of stored articles: the old ones go first, so that none is its own candidate
            emptied, emptied_storylines = self._retire([a for a in batch if a.replaces is not None], conn, now)
            # Syndicated copies: the stored articles sharing a band key with any of the batch, in one query, and
            # (``banded``) the batch's own articles as they are stored: the original may be earlier in this batch.
            finder = self.duplicates
            signatures = [finder.signature(a.text) for a in batch]
            bands = [finder.band_keys(s) for s in signatures]
            sharing = self.store.copy_candidates(conn, (k for keys in bands for k in keys))
            banded: list[tuple[int, list[int]]] = []
            for article, signature, keys in zip(batch, signatures, bands, strict=True):
                candidates = sorted({seq: other for k in keys for seq, other in sharing.get(k, ())}.items())
                copy_seq = finder.best(signature, candidates)
                orig = next(iter(self.store.articles(seqs=[copy_seq], conn=conn, light=True, facts=False)),
                            None) if copy_seq is not None else None
                copy_of = orig.id if orig is not None else None
                if orig is not None and orig.event_id:
                    assignment = Assignment(self.store.resolve(orig.event_id, conn=conn), created=False, score=1.0,
                                            matched_article=copy_of)
                    if remember is not None:  # scored from memory when a candidate, as an assigned report is
                        remember(self.store, article.id, article.facts, text_numbers(article.text))
                else:
                    copy_of = None
                    assignment = self.detector.assign(article, self.index, self.store, conn, pending, self.period_index)
                day = article.happened or article.published
                chunk_rows = [{"id": next_chunk + i, "article_seq": next_seq, "idx": c.index, "start": c.start,
                               "end": c.end, "vector": encode_vector(c.vector)} for i, c in enumerate(article.chunks)]
                facts = article.facts.to_dict() if article.facts is not None else None
                self.store.insert_article(conn, {
                    "seq": next_seq, "id": article.id, "content_hash": article.content_hash,
                    "source": article.source, "url": article.url, "title": article.title,
                    "outlet": article.outlet, "dateline": article.dateline, "published": article.published,
                    "happened": article.happened, "language": article.language, "text": article.text,
                    "facts": facts, "event_id": assignment.event_id, "event_score": assignment.score,
                    "duplicate_of": copy_of, "signature": signature.tobytes(), "ingested_at": now,
                }, chunk_rows)
                # Keyed by article, not chunk: a search then finds articles without asking the store.
                self.index.add(np.full(len(chunk_rows), next_seq, np.int64), article.vectors,
                               np.full(len(chunk_rows), day_ordinal(day)))
                if assignment.created and len(chunk_rows):
                    self.event_index.add(np.array([next_seq], np.int64), mean_vector(article.vectors)[None])
                banded.append((next_seq, keys))
                for k in keys:
                    sharing.setdefault(k, []).append((next_seq, signature))
                target = assignment.event_id
                tally = self._tally(target, assignment.created, tallies, previous, conn)
                own_read: Counter[str] = Counter()
                own_unread: Counter[str] = Counter()
                if assignment.merged:
                    # the bridging report's own day counts with the two events' (it is about to join them): two events
                    # whose reports read two days, one of them by this report, hold two happenings
                    own_read.update([article.happened.isoformat()] if article.happened else [])
                    own_unread.update([day.isoformat()] if article.happened is None and day is not None else [])
                for old in assignment.merged:
                    if self._apart and _kept_apart(self._apart, merged, old, target):
                        continue
                    merging = self._tally(old, False, tallies, previous, conn)
                    if two_happenings is not None and two_happenings(tally.happened + merging.happened + own_read,
                                                                     tally.unread + merging.unread + own_unread):
                        continue  # an event split off another (or about to be): its reports read another day
                    if elsewhere is not None and elsewhere(tally.where, merging.where):
                        continue  # the same kind of happening in another country
                    if far_apart is not None and far_apart(tally, merging, bridge_dated=day is not None):
                        continue  # the same cast's happening days apart (or, by an undated report, of another period)
                    self._merge_into(old, target, tally, merging, conn, tallies, pending, previous, added, merged,
                                     created, touched)
                if len(chunk_rows) and (assignment.created or not tally.languages.get(article.language or "")):
                    self.period_index.add(np.array([next_seq], np.int64), mean_vector(article.vectors)[None])
                tally.add(next_seq, article.title, display_title(article.title, article.text), article.language,
                          article.outlet, day, copy_of is not None, article.facts, article.published)
                for seq, p in assignment.claims:  # undated pages in other events that this report's event takes
                    self._claim(seq, p, target, tally, conn, now, tallies, pending, previous, added, created, touched,
                                merged, moves)
                pending[target] = tally.summary(target, previous[target], now, light=True)
                (created if assignment.created else touched).add(target)
                added.setdefault(target, []).append(next_seq)
                next_seq += 1
                next_chunk += len(chunk_rows)
                done.append(Stored(article.id, article.source, target, assignment.created,
                                   copy_of, assignment.score, replaced=article.replaces is not None,
                                   language_declared=article.language_declared))
                if two_happenings is not None and two_happenings(tally.happened, tally.unread) is not None:
                    moved = self._split(target, conn, now, tallies, pending, previous, added, created)
                    moves.update(moved)
                    split.update(dict.fromkeys(moved.values(), target))
            self.store.add_copy_bands(conn, banded)
            went: dict[str, str] = {}  # an emptied event -> where the newer version of its only report went
            for article_id, old_event in emptied.items():
                target = next(d.event for d in reversed(done) if d.id == article_id)
                went[old_event] = self.store.resolve(moves.get(article_id, target), conn=conn)
                if went[old_event] != old_event:  # it joined another event: the id resolves there, as a merged one's
                    self.store.alias_event(conn, old_event, went[old_event])
            full: dict[str, StoredEvent] = {}
            for event_id in pending:  # the full summaries, once per batch
                full[event_id] = tallies[event_id].summary(event_id, previous[event_id], now)
                self.store.save_event(conn, full[event_id], exists=previous[event_id] is not None)
            self.store.save_tallies(conn, {k: t.to_dict() for k, t in tallies.items()})
            linked: set[str] = set()
            # In order of arrival, as one report a batch would link them: an event may link to one founded before it
            # in this batch (by id, a random order, the storylines of 65 corpora were 0.005 lower; docs/figures.md)
            for event_id in sorted(created | touched, key=lambda e: (min(added.get(e) or [next_seq]), e)):
                if pending[event_id].storyline_id is None:  # linked events stay linked: no search, no read
                    sid = self._refresh_storyline(event_id, conn, now, added.get(event_id), full[event_id])
                    if sid:
                        linked.add(sid)
            for sid in sorted(linked):
                # Titled from its latest events only: a long-running storyline would otherwise be read whole
                # each time an event joins it; once per batch, however many joined.
                sid = self.store.resolve(sid, "storyline", conn)  # merged into another in this batch?
                latest = self.store.events(storyline=sid, conn=conn, limit=getattr(self.linker, "title_events", 200))
                self.store.save_storyline(conn, sid, storyline_title(latest), now)
            for old_event, target in went.items():
                self._keep_storyline(emptied_storylines.get(old_event), target, conn, now)
        if self._founders_now is not None:  # this process's founder indexes were mended in place (``_retire``)
            self._founders, self._founders_now = self._founders_now, None
        # Only now, with the batch committed, may the index cache move on.
        self._save_index(force=False)
        report.stored.extend(done)
        if moves:  # where the articles are now, those of earlier batches included
            report.stored[:] = [replace(d, event=moves[d.id]) if d.id in moves else d for d in report.stored]
        report.events_created |= created
        report.events_updated |= touched
        report.events_merged.update(merged)
        report.events_split.update(split)

    def _split(self, target: str, conn: Any, now: dt.datetime, tallies: dict[str, EventTally],
               pending: dict[str, StoredEvent], previous: dict[str, StoredEvent | None],
               added: dict[str, list[int]], created: set[str]) -> dict[str, str]:
        """The reports of a second happening found in one event (``OnlineEventDetector.split_off``) move to an
        event of their own; the event keeps its id, its first report and its storyline, and the new one is linked
        to a storyline as any new event is. Returns article id -> the new event."""
        members = self.store.articles(event_id=target, conn=conn, light=True)
        moving = self.detector.split_off(members)
        if not moving or len(moving) == len(members):
            return {}
        new_id = self._split_id(target, moving[0].id, conn, pending)
        moved = {a.seq for a in moving}
        self.store.move_articles(conn, sorted(moved), new_id)
        for a in moving:
            a.event_id = new_id
        tallies[target] = EventTally.of([a for a in members if a.seq not in moved])
        tallies[new_id] = EventTally.of(moving)
        previous[new_id] = None
        pending[target] = tallies[target].summary(target, previous[target], now, light=True)
        pending[new_id] = tallies[new_id].summary(new_id, None, now, light=True)
        created.add(new_id)
        added[new_id] = [s for s in added.get(target, []) if s in moved]
        added[target] = [s for s in added.get(target, []) if s not in moved]
        # the new event's first report (in each language) stands for it when an undated article looks for its period
        first = min(moved)
        firsts = sorted({a.language: a.seq for a in sorted(moving, key=lambda a: -a.seq)}.values())
        vectors = self.store.vectors_of(sorted({first, *firsts}), conn)
        if first in vectors:
            self.event_index.add(np.array([first], np.int64), mean_vector(vectors[first])[None])
        for seq in firsts:
            if seq in vectors:
                self.period_index.add(np.array([seq], np.int64), mean_vector(vectors[seq])[None])
        return {a.id: new_id for a in moving}

    def _merge_into(self, old: str, target: str, tally: EventTally, merging: EventTally, conn: Any,
                    tallies: dict[str, EventTally], pending: dict[str, StoredEvent],
                    previous: dict[str, StoredEvent | None], added: dict[str, list[int]], merged: dict[str, str],
                    created: set[str], touched: set[str]) -> None:
        """The event ``old`` (its tally ``merging``) merges into ``target``: its articles move, its id resolves to
        ``target``, and what this batch holds of it goes."""
        self.store.set_article_event(conn, [old], target)
        tally.absorb(merging)
        self.store.delete_event(conn, old, into=target)
        for gone in (tallies, pending, previous):
            gone.pop(old, None)
        added.setdefault(target, []).extend(added.pop(old, []))
        merged[old] = target
        created.discard(old)
        touched.discard(old)

    def _claim(self, seq: int, p: float, target: str, tally: EventTally, conn: Any, now: dt.datetime,
               tallies: dict[str, EventTally], pending: dict[str, StoredEvent], previous: dict[str, StoredEvent | None],
               added: dict[str, list[int]], created: set[str], touched: set[str], merged: dict[str, str],
               moves: dict[str, str]) -> None:
        """An undated article claimed by the event ``target`` (``Assignment.claims``) moves there with its syndicated
        copies: alone in its event with them, that event merges into ``target`` (its id resolves to it); else they
        move, unless the article is its event's first report (which keeps the event's id)."""
        article = next(iter(self.store.articles(seqs=[seq], conn=conn, light=True)), None)
        if article is None or article.event_id is None:
            return
        source = self.store.resolve(article.event_id, conn=conn)
        if source == target or source in merged or (self._apart and _kept_apart(self._apart, merged, source, target)):
            return
        members = self.store.articles(event_id=source, conn=conn, light=True)
        # the same text republished by other outlets is one report: it goes where the article goes
        moving = [article] + [m for m in members if m.duplicate_of == article.id and m.seq != seq]
        seqs = {m.seq for m in moving}
        if len(members) > len(moving) and min(m.seq for m in members) == seq:
            return
        elsewhere = getattr(self.detector, "elsewhere", None)
        if elsewhere is not None and elsewhere(tally.where, EventTally.of([article]).where):
            return  # its places lie in another country than the claiming event's, as for a merge
        held = self._tally(source, False, tallies, previous, conn)
        if len(members) <= len(moving):
            self._merge_into(source, target, tally, held, conn, tallies, pending, previous, added, merged, created,
                             touched)
            self.store.move_articles(conn, sorted(seqs), target, score=p)  # its score: what a later claim must beat
            return
        self.store.move_articles(conn, sorted(seqs), target, score=p)
        tallies[source] = EventTally.of([m for m in members if m.seq not in seqs])
        pending[source] = tallies[source].summary(source, previous[source], now, light=True)
        if source not in created:
            touched.add(source)
        for m in moving:
            tally.add(m.seq, m.title, m.display_title, m.language, m.outlet, m.date, bool(m.duplicate_of),
                      facts_from_dict(m.facts), m.published)
            added.setdefault(target, []).append(m.seq)
            moves[m.id] = target
        added[source] = [s for s in added.get(source, []) if s not in seqs]

    def _split_id(self, target: str, first_article: str, conn: Any, pending: dict[str, StoredEvent]) -> str:
        """Derived from the event and the first report moved (the same input in the same order gives the same
        ids), never an id in use or merged away."""
        n = 0
        while True:
            candidate = "ev-" + hashlib.sha1(f"{target}/{first_article}/{n}".encode()).hexdigest()[:12]
            if candidate not in pending and self.store.resolve(candidate, conn=conn) == candidate \
                    and self.store.event(candidate, conn=conn) is None:
                return candidate
            n += 1

    def _retire(self, newer: list[Article], conn: Any, now: dt.datetime
                ) -> tuple[dict[str, str], dict[str, str | None]]:
        """The stored versions that ``newer`` articles replace leave the store, the indexes (hidden from searches)
        and the copy finder; each one's event is counted again from the reports left in it. Returns the events left
        empty (article id -> event, deleted once the newer version has an event: ``_commit``) and their storylines."""
        from tidings.corrections import summarise_event

        emptied: dict[str, str] = {}
        storylines: dict[str, str | None] = {}
        if not newer:
            return emptied, storylines
        removed = 0
        for article in newer:
            article.event_hint = None  # as this transaction finds it (a batch retried article by article)
            old = self.store.remove_article(conn, int(article.replaces or 0), now)
            if old is None:  # gone meanwhile (another process replaced it first): stored as a new article
                continue
            removed += 1
            self.index.remove([old.seq], days=[day_ordinal(old.happened or old.published)])
            self.event_index.remove([old.seq])
            self.period_index.remove([old.seq])
            if not old.event_id:
                continue
            event_id = self.store.resolve(old.event_id, conn=conn)
            event = self.store.event(event_id, conn=conn)
            members = self.store.articles(event_id=event_id, conn=conn, light=True)
            if not members:
                # gone now; the newer version founds it again under its id if it joins no other event (its id then
                # stays as it was), else the id resolves to the event it joined (``_commit``)
                emptied[article.id] = event_id
                storylines[event_id] = event.storyline_id if event is not None else None
                self.store.drop_event(conn, event_id)
                article.event_hint = event_id
                continue
            summarise_event(self.store, conn, event_id, members, event, now)
            self._mend_founders(old, members, conn)
        forget = getattr(self.detector, "forget_articles", None)
        if forget is not None:  # what it kept of the old versions' facts, read again if their ids come up
            forget(self.store, [a.id for a in newer])
        else:
            self.detector.forget()
        self.store.count_removed(conn, removed)
        self._removed_seen += removed  # this process hides them already: no catch-up for its own
        return emptied, storylines

    def _mend_founders(self, old: StoredArticle, members: list[StoredArticle], conn: Any) -> None:
        """The replaced version was the first report of its event, or of its language there: the report now first
        founds it in the indexes of one vector per event (here at once; other processes build theirs again)."""
        first = min(members, key=lambda m: m.seq)
        same = [m for m in members if m.language == old.language]
        first_here = min(same, key=lambda m: m.seq) if same else None
        mend = [(self.event_index, first)] if old.seq < first.seq else []
        if first_here is not None and old.seq < first_here.seq:
            mend.append((self.period_index, first_here))
        if not mend:
            return
        vectors = self.store.vectors_of([m.seq for _, m in mend], conn)
        for index, member in mend:
            if member.seq in vectors:
                index.add(np.array([member.seq], np.int64), mean_vector(vectors[member.seq])[None])
        self._founders_now = self.store.new_founders(conn)

    def _keep_storyline(self, storyline: str | None, event_id: str, conn: Any, now: dt.datetime) -> None:
        """A storyline whose only event went with a replaced report lives on in the event the newer version joined."""
        if not storyline or self.store.events(storyline=storyline, conn=conn, limit=1):
            return
        event = self.store.event(event_id, conn=conn)
        if event is None or event.storyline_id == storyline:
            return
        if event.storyline_id:
            self.store.merge_storyline(conn, storyline, into=event.storyline_id)
        else:
            event.storyline_id = storyline
            self.store.save_event(conn, event)
            self.store.save_storyline(conn, storyline, storyline_title([event]), now)

    def _tally(self, event_id: str, created: bool, tallies: dict[str, EventTally],
               previous: dict[str, StoredEvent | None], conn: Any) -> EventTally:
        """The running tally of an event, loaded once per batch (rebuilt from its articles if the store
        has none, as in stores written before tallies)."""
        if event_id in tallies:
            return tallies[event_id]
        if created:
            previous[event_id] = None
            tallies[event_id] = EventTally()
            return tallies[event_id]
        # Light: a summary takes only the storyline and creation time of the event's previous state.
        previous[event_id] = next(iter(self.store.events(ids=[event_id], conn=conn, light=True)), None)
        data = self.store.tallies(conn, [event_id]).get(event_id)
        tallies[event_id] = EventTally(data) if data is not None else \
            EventTally.of(self.store.articles(event_id=event_id, conn=conn, light=True))
        return tallies[event_id]

    def _refresh_storyline(self, event_id: str, conn: Any, now: dt.datetime, new_seqs: list[int] | None = None,
                           saved: StoredEvent | None = None) -> str | None:
        """Link an event without a storyline; the storyline it joined (its title is the caller's). ``saved``:
        the event as this batch just wrote it; its storyline is read again (through the row cache), since
        linking an earlier event of the batch may have given it one."""
        if saved is None:
            event = self.store.event(event_id, conn=conn)
        else:
            current = next(iter(self.store.events(ids=[event_id], conn=conn, light=True)), None)
            event = saved if current is not None and current.storyline_id is None else current
        if event is None or event.storyline_id is not None:
            return None  # linked already: a growing event keeps its storyline, and relinking costs a search
        sid = self.linker.link(event, self.event_index, self.store, conn, now, new_seqs)
        if sid and sid != event.storyline_id:
            event.storyline_id = sid
            self.store.save_event(conn, event)
        return sid

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        self.store.close()


def _kept_apart(pairs: list[tuple[str, str]], merged: dict[str, str], a: str, b: str) -> bool:
    """Whether an editor parted events ``a`` and ``b`` (``pairs`` as the batch began; ``merged``: the ids this batch
    merged away so far, and where to)."""
    def current(x: str) -> str:
        while x in merged:
            x = merged[x]
        return x

    return any({current(x), current(y)} == {a, b} for x, y in pairs)


def _open_cached(new: Callable[[], Any], path: Any, after: Callable[[int], Iterable[tuple]],
                 progress: Callable[[int], None] | None = None, unreadable: Callable[[], None] | None = None) -> Any:
    """An index loaded from its cache file (a new one if there is none or it is damaged), then caught up
    with what the store committed after the cache was saved (e.g. before a kill). ``progress``: told the
    number of vectors added so far, batch by batch, when there are many (a rebuild); ``unreadable``: called when
    a cache file is there but cannot be read."""
    index = new()
    if path is None or not path.exists() or not index.load(path):
        if unreadable is not None and path is not None and path.exists():
            unreadable()
        index = new()
    if hasattr(index, "bulk"):
        index.bulk(2)
    _catch_up(index, after, progress)
    if hasattr(index, "bulk"):
        index.bulk(1)
    return index


def _catch_up(index: Any, after: Callable[[int], Iterable[tuple]],
              progress: Callable[[int], None] | None = None) -> None:
    """Add to ``index`` what the store holds beyond its highest id."""
    added = 0
    for batch in after(index.max_id()):
        index.add(*batch)
        added += len(batch[0])
        if progress is not None and added >= CATCH_UP_REPORT:
            progress(added)


CATCH_UP_REPORT = 5_000  # vectors added on opening beyond which the opening reports its progress (a rebuild)


def iter_sources(sources: Iterable[str], reader: PathReader) -> Iterator[str]:
    """The files a list of sources expands to (for progress totals)."""
    for item in reader.files(sources):
        if isinstance(item, str):
            yield item
