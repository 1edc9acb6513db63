"""Storage: articles, chunk vectors, events, storylines, aliases.

SQLAlchemy Core over SQLite by default (WAL, one transaction per batch) or any server SQLAlchemy
speaks to (PostgreSQL through psycopg: ``--db postgresql+psycopg://user@host/db``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
)
from sqlalchemy import (
    exists as sql_exists,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex

from tidings.articles import ARCHIVE_SUFFIXES, display_title
from tidings.index import day_ordinal

SCHEMA_VERSION = "1"
metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("id", String(200), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("dateline", Text),
    Column("published", Date),
    Column("happened", Date),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("facts", JSON),
    Column("event_id", String(40), index=True),
    Column("event_score", Float),
    Column("duplicate_of", String(200)),
    Column("signature", LargeBinary),
    Column("ingested_at", DateTime, nullable=False),
)
chunks = Table(
    "chunks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("article_seq", Integer, ForeignKey("articles.seq"), nullable=False, index=True),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float16: half the size, no loss that matters here
)
events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text),
    Column("date", Date),                # the happening, when the articles say it
    Column("date_min", Date),            # span of known article dates, for the time window
    Column("date_max", Date),
    Column("size", Integer, nullable=False),
    Column("sources", Integer, nullable=False),   # articles less syndicated copies
    Column("languages", JSON),
    Column("outlets", JSON),
    Column("facts", JSON),               # who / where / when aggregated over the articles
    Column("storyline_id", String(40), index=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
tallies = Table(
    "tallies", metadata,   # running counts behind an event's summary (tidings.events.EventTally)
    Column("event_id", String(40), primary_key=True),
    Column("data", JSON, nullable=False),
)
aliases = Table(
    "aliases", metadata,
    Column("alias", String(40), primary_key=True),   # an id merged away
    Column("target", String(40), nullable=False),    # the id it now resolves to
    Column("kind", String(16), nullable=False),      # "event" | "storyline"
)
storylines = Table(
    "storylines", metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
corrections = Table(
    "corrections", metadata,   # what an editor decided, which the event engine keeps to (tidings.corrections)
    Column("kind", String(16), primary_key=True),   # "apart": no report may merge the two events
    Column("a", String(40), primary_key=True),
    Column("b", String(40), primary_key=True),
    Column("at", DateTime, nullable=False),
)
revisions = Table(
    "revisions", metadata,   # versions of an article replaced by a newer one (same id, same source, new text)
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), primary_key=True),   # the replaced text's: read again, it is not stored again
    Column("seq", Integer, nullable=False),                 # the replaced version's seq (its vectors may still be in
    Column("title", Text),                                  # an index cache, left out of searches)
    Column("published", Date),
    Column("event_id", String(40)),                         # the event it was in
    Column("stored_at", DateTime),
    Column("replaced_at", DateTime, nullable=False),
)
deletions = Table(
    "deletions", metadata,   # articles deleted for good (a takedown): reading their id again stores nothing
    Column("article_id", String(200), primary_key=True),
    Column("deleted_at", DateTime, nullable=False),
)
copy_bands = Table(
    # The band keys of each article's near-duplicate signature (``tidings.duplicates``): a new text's candidate
    # originals are the articles sharing a key with it, found by index, none of them held in memory.
    "copy_bands", metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)
Index("ix_events_date", events.c.date_max)
# An article's day: the day its text reads, else its publication day (as the event engine dates it).
ARTICLE_DAY = func.coalesce(articles.c.happened, articles.c.published)
# Stores made before it get it when opened (``create_all`` adds no index to a table that exists).
_ARTICLES_DAY_INDEX = Index("ix_articles_day", ARTICLE_DAY)
# The copies of an article that leaves the store are found by it (``_promote_copies``), one lookup per article deleted.
_COPIES_INDEX = Index("ix_articles_duplicate_of", articles.c.duplicate_of)


class StoreError(Exception):
    """The store cannot be opened or written; the message says which and why."""


def to_url(db: str | Path) -> str:
    """A plain path becomes an SQLite URL; anything with '://' is taken as an SQLAlchemy URL."""
    text = str(db)
    if not text.strip():
        raise StoreError("no store named: give a path or an SQLAlchemy URL (--db, TIDINGS_DB, [store] url)")
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


@dataclass
class StoredArticle:
    seq: int
    id: str
    title: str | None
    text: str
    language: str | None
    outlet: str | None
    url: str | None
    source: str | None
    dateline: str | None
    published: dt.date | None
    happened: dt.date | None
    event_id: str | None
    duplicate_of: str | None
    facts: dict | None
    event_score: float | None = None

    @property
    def date(self) -> dt.date | None:
        return self.happened or self.published

    @property
    def display_title(self) -> str:
        return display_title(self.title, self.text)


@dataclass
class StoredEvent:
    id: str
    title: str | None
    date: dt.date | None
    date_min: dt.date | None
    date_max: dt.date | None
    size: int
    sources: int
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    facts: dict | None = None
    storyline_id: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


_HEAD_CHARS = 240  # of the text, in light article rows: enough for a display title
_LIGHT = [c for c in articles.c if c.name not in ("text", "signature")] + [
    func.substr(articles.c.text, 1, _HEAD_CHARS).label("text")]
_LIGHTER = [c for c in _LIGHT if c.name != "facts"]
_EVENT_LIGHT = [c for c in events.c if c.name != "facts"]  # an event without its who/where/when

# Events latest happening first, undated last, then newest; the id settles ties (a batch's events share their
# creation time), so that pages of the list neither repeat nor skip an event (SQLite breaks ties the same way
# each time; a server database need not).
_LATEST_FIRST = (events.c.date_max.desc().nulls_last(), events.c.created_at.desc(), events.c.id.desc())
_STORYLINES_ORDER = (storylines.c.updated_at.desc(), storylines.c.id.desc())

# The lookups the event engine makes for every new article, built once: a statement built per call costs
# more than the lookup itself (each listed value is checked and a cache key computed), and the list is
# bound at execution (expanding).
_VECTORS_OF = select(chunks.c.article_seq, chunks.c.idx, chunks.c.vector).where(
    chunks.c.article_seq.in_(bindparam("seqs", expanding=True)))
_EVENT_IDS_OF = select(articles.c.seq, articles.c.event_id).where(articles.c.seq.in_(bindparam("seqs", expanding=True)))
_LIGHT_ARTICLES = select(*_LIGHTER).where(articles.c.seq.in_(bindparam("seqs", expanding=True)))
_LIGHT_EVENTS = select(*_EVENT_LIGHT).where(
    events.c.id.in_(bindparam("ids", expanding=True)))
_FACTS_AND_HEADS = select(articles.c.id, articles.c.facts,
                          func.substr(articles.c.text, 1, bindparam("head_chars")).label("head")).where(
    articles.c.id.in_(bindparam("ids", expanding=True)))


def _stored_generation(conn: Connection) -> str | None:
    """The ``generation`` in ``meta``: changed by every committed batch of any process."""
    return conn.execute(select(meta.c.value).where(meta.c.key == "generation")).scalar()


def _copy_event(ev: StoredEvent) -> StoredEvent:
    """A copy that shares no list with the original (a cached row must not change with the caller's)."""
    out = copy.copy(ev)
    out.languages, out.outlets = list(ev.languages), list(ev.outlets)
    return out


_RESOLVE = select(aliases.c.target).where(aliases.c.alias == bindparam("alias"), aliases.c.kind == bindparam("kind"))
# The pairs of events an editor parted, by their current ids, in one query (an alias points straight at the current
# id: ``delete_event`` moves the aliases of a merged-away id on), read by every batch of an ingest.
_ALIAS_A, _ALIAS_B = aliases.alias("alias_a"), aliases.alias("alias_b")
_APART = (
    select(func.coalesce(_ALIAS_A.c.target, corrections.c.a).label("a"),
           func.coalesce(_ALIAS_B.c.target, corrections.c.b).label("b"),
           corrections.c.a.label("raw_a"), corrections.c.b.label("raw_b"))
    .select_from(corrections
                 .outerjoin(_ALIAS_A, (_ALIAS_A.c.alias == corrections.c.a) & (_ALIAS_A.c.kind == "event"))
                 .outerjoin(_ALIAS_B, (_ALIAS_B.c.alias == corrections.c.b) & (_ALIAS_B.c.kind == "event")))
    .where(corrections.c.kind == "apart")
)
_INSERT_ARTICLE = articles.insert()
_INSERT_CHUNKS = chunks.insert()
_INSERT_COPY_BANDS = copy_bands.insert()
_UPDATE_EVENT = events.update().where(events.c.id == bindparam("id_"))


def _article(row: Any) -> StoredArticle:
    return StoredArticle(
        seq=row.seq, id=row.id, title=row.title, text=row.text, language=row.language, outlet=row.outlet,
        url=row.url, source=row.source, dateline=row.dateline, published=row.published,
        happened=row.happened, event_id=row.event_id, duplicate_of=row.duplicate_of,
        facts=getattr(row, "facts", None),
        event_score=row.event_score,
    )


def _event(row: Any) -> StoredEvent:
    return StoredEvent(
        id=row.id, title=row.title, date=row.date, date_min=row.date_min, date_max=row.date_max,
        size=row.size, sources=row.sources, languages=row.languages or [], outlets=row.outlets or [],
        facts=getattr(row, "facts", None), storyline_id=row.storyline_id, created_at=row.created_at,
        updated_at=row.updated_at,
    )


class Store:
    """One database of tidings. Any number of readers (WAL); writers take turns, batch by batch, and each
    notices at its next batch what the others committed (``written_elsewhere``)."""

    # Chunk vectors never change once committed, and the event engine reads the same
    # ones again and again (the articles of live events are everyone's candidates): kept in memory,
    # bounded, and dropped whole when a transaction rolls back (its ids are then given out again).
    vector_cache_articles = 20_000
    # Rows the event engine reads for every new article, most of them written by this very process: the
    # light rows of articles (whose event changes when events merge) and events without their facts. Kept
    # write-through, used only inside a transaction, and dropped whole when the store was written by
    # another process since (the ``generation`` in ``meta`` changes with every commit) or a transaction
    # rolls back.
    row_cache_articles = 100_000
    row_cache_events = 50_000

    def __init__(self, db: str | Path = "tidings.db", create: bool = True) -> None:
        """``create``: make the store if it is not there (an ingest); otherwise a missing SQLite file is a StoreError
        naming it (a command that only reads would make an empty store of a mistyped path)."""
        self.url = to_url(db)
        if not create:
            url = make_url(self.url)
            if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
                    and not Path(url.database).exists():
                raise StoreError(f"no store at {url.database}: nothing was ingested there yet")
        self._vectors: OrderedDict[int, np.ndarray] = OrderedDict()
        self._article_rows: OrderedDict[int, StoredArticle] = OrderedDict()
        self._event_rows: OrderedDict[str, StoredEvent] = OrderedDict()
        self._tally_rows: OrderedDict[str, dict] = OrderedDict()  # read by the batch that changes them only
        self._generation: str | None = None
        # Set by a transaction that found the store written by another process since this one last wrote
        # (or since it opened): what this process keeps beside the store (its vector indexes) must catch up.
        self.written_elsewhere = False
        try:
            self.engine: Engine = create_engine(self.url, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                conn.execute(CreateIndex(_ARTICLES_DAY_INDEX, if_not_exists=True))  # checkfirst reads no expression
                conn.execute(CreateIndex(_COPIES_INDEX, if_not_exists=True))
                version = conn.execute(select(meta.c.value).where(meta.c.key == "schema")).scalar()
                if version is None:
                    conn.execute(meta.insert().values(key="schema", value=SCHEMA_VERSION))
                elif version != SCHEMA_VERSION:
                    raise StoreError(f"{db}: store schema {version}, this tidings needs {SCHEMA_VERSION}")
        except SQLAlchemyError as exc:
            raise StoreError(f"{db}: cannot open the store ({exc.__class__.__name__}: {exc.args[0]})") from None
        except ImportError as exc:  # a URL whose database driver is not installed (mysql://, postgresql:// alone)
            raise StoreError(f"{db}: cannot open the store: its database driver is not installed ({exc}); tidings "
                             "keeps SQLite files and PostgreSQL (postgresql+psycopg://..., pip install "
                             "'tidings[postgres]')") from None

    @property
    def index_path(self) -> Path | None:
        """Where the chunk index cache lives (a file or a folder, as the index writes it): beside an SQLite
        file, else in the user's cache folder.

        A server store keeps its cache per database URL, so a restart does not re-read every vector.
        """
        if self.engine.dialect.name == "sqlite":
            if self.engine.url.database in (None, "", ":memory:"):
                return None
            return Path(self.engine.url.database + ".chunk-index")
        import hashlib
        import os

        key = hashlib.sha1(self.engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
        folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tidings"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{key}.chunk-index"

    @property
    def events_index_path(self) -> Path | None:
        """Where the events index cache lives: beside the chunk index cache."""
        path = self.index_path
        return None if path is None else path.with_name(path.name.removesuffix(".chunk-index") + ".events.faiss")

    @property
    def periods_index_path(self) -> Path | None:
        """Where the periods index cache (an event's first article in each language) lives: beside the others."""
        path = self.index_path
        return None if path is None else path.with_name(path.name.removesuffix(".chunk-index") + ".periods.faiss")

    def founders_stamps(self) -> list[Path]:
        """Beside each index cache of events' first reports: the founders generation it was saved at."""
        return [founders_stamp(p) for p in (self.events_index_path, self.periods_index_path) if p is not None]

    def own_files(self) -> list[Path]:
        """The files and folders this store keeps on disk (an SQLite database, its journals and the index caches
        beside it): what a folder given to ingest must not read as articles."""
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            return []
        db = Path(self.engine.url.database)
        return [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")),
                *(p for p in (self.index_path, self.events_index_path, self.periods_index_path) if p is not None),
                *self.founders_stamps()]

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One batch: all of it is committed, or none of it."""
        generation = uuid.uuid4().hex
        try:
            with self.engine.connect().execution_options(**{WRITER: True}) as conn, conn.begin():
                self._take_turn(conn)
                if _stored_generation(conn) != self._generation:
                    self._drop_row_caches()  # another process wrote since: rows we keep may be stale
                    self.written_elsewhere = True
                yield conn
                self.set_meta(conn, "generation", generation)
        except BaseException:
            self._vectors.clear()
            self._drop_row_caches()
            raise
        self._generation = generation

    def _drop_row_caches(self) -> None:
        self._article_rows.clear()
        self._event_rows.clear()
        self._tally_rows.clear()
        self._generation = None

    def close(self) -> None:
        self.engine.dispose()

    # ---- meta -------------------------------------------------------------------------------
    def founders_generation(self) -> str:
        """Changes whenever an editor's correction changes which report is the first of an event (``new_founders``)."""
        return self.get_meta(FOUNDERS_KEY) or "0"

    def new_founders(self, conn: Connection) -> str:
        """A correction made a report the first of an event: the indexes of one vector per event (built from each
        event's first report, and caught up by report number only) are to be built again. Returns the new
        generation."""
        generation = uuid.uuid4().hex
        self.set_meta(conn, FOUNDERS_KEY, generation)
        return generation

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def put_meta(self, key: str, value: str) -> None:
        """Set one meta value in a short transaction of its own (what a follower knows of its sources): not a batch,
        so another writer's caches stay as they are."""
        with self.engine.connect().execution_options(**{WRITER: True}) as conn, conn.begin():
            self._take_turn(conn)
            self.set_meta(conn, key, value)

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        if conn.execute(select(meta.c.key).where(meta.c.key == key)).first():
            conn.execute(meta.update().where(meta.c.key == key).values(value=value))
        else:
            conn.execute(meta.insert().values(key=key, value=value))

    # ---- writes (inside a transaction) ----------------------------------------------------------
    def _take_turn(self, conn: Connection) -> None:
        """Writers take turns, one batch each: on SQLite the batch began IMMEDIATE (the write lock first,
        waiting up to busy_timeout), on PostgreSQL it waits for a transaction-scoped advisory lock. Ids read
        inside the batch then stay free until it commits, and no batch fails on another writer's ids."""
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})

    def next_ids(self, conn: Connection | None = None) -> tuple[int, int]:
        """The next free article seq and chunk id (inside a batch's ``transaction``: free until it commits)."""
        with _maybe(self.engine, conn) as c:
            a = c.execute(select(func.max(articles.c.seq))).scalar() or 0
            ch = c.execute(select(func.max(chunks.c.id))).scalar() or 0
        return a + 1, ch + 1

    def insert_article(self, conn: Connection, values: dict[str, Any], chunk_rows: list[dict[str, Any]]) -> None:
        # Parameters apart from the statement: one compiled statement serves every insert.
        conn.execute(_INSERT_ARTICLE, [values])
        if chunk_rows:
            conn.execute(_INSERT_CHUNKS, chunk_rows)
            # A new article is the likeliest candidate of the next ones: its vectors go straight into the
            # cache (dropped with the rest if this transaction rolls back).
            seq = values["seq"]
            rows = sorted(chunk_rows, key=lambda r: r["idx"])
            self._keep_vectors(seq, np.stack([decode_vector(r["vector"]) for r in rows]))
        light = {c.name: values.get(c.name) for c in _LIGHTER}
        light["text"] = (values.get("text") or "")[:_HEAD_CHARS]
        self._keep_rows(self._article_rows, {values["seq"]: _article(SimpleNamespace(**light))},
                        self.row_cache_articles)

    def remove_article(self, conn: Connection, seq: int, now: dt.datetime, replaced: bool = True
                       ) -> StoredArticle | None:
        """An article goes (its chunks with it); ``replaced`` (by a newer version): kept in ``revisions`` with the hash
        of its text, so that reading it again stores nothing (a deleted one may be read again). Its copies stand
        alone (``_promote_copies``); the caller recounts its event and, once for the transaction, ``count_removed``.
        Returns its light row, None if the store no longer holds it."""
        row = conn.execute(select(*_LIGHT).where(articles.c.seq == seq)).first()  # its hash and times too
        if row is None:
            return None
        conn.execute(chunks.delete().where(chunks.c.article_seq == seq))
        conn.execute(copy_bands.delete().where(copy_bands.c.seq == seq))  # no text is its copy any more
        conn.execute(articles.delete().where(articles.c.seq == seq))
        if replaced and not conn.execute(select(revisions.c.seq).where(
                revisions.c.article_id == row.id, revisions.c.content_hash == row.content_hash)).first():
            conn.execute(revisions.insert().values(
                article_id=row.id, content_hash=row.content_hash, seq=seq, title=row.title, published=row.published,
                event_id=row.event_id, stored_at=row.ingested_at, replaced_at=now))
        self._vectors.pop(seq, None)
        self._article_rows.pop(seq, None)
        self._promote_copies(conn, row.id)
        return _article(row)

    def count_removed(self, conn: Connection, n: int) -> None:
        """``n`` more articles left the store in this transaction (``remove_article``): the count other processes
        watch to hide their vectors (``removed_count``)."""
        if n:
            self.set_meta(conn, REMOVED_KEY, str(int(conn.execute(
                select(meta.c.value).where(meta.c.key == REMOVED_KEY)).scalar() or 0) + n))

    def _promote_copies(self, conn: Connection, original: str) -> None:
        """The syndicated copies of an article that left the store: the earliest stands as the original (a source of
        its own), the others are its copies; the next new version of the article, if any, is compared afresh."""
        copies = [r.seq for r in conn.execute(select(articles.c.seq).where(articles.c.duplicate_of == original)
                                              .order_by(articles.c.seq))]
        if not copies:
            return
        first = conn.execute(select(articles.c.id).where(articles.c.seq == copies[0])).scalar()
        conn.execute(articles.update().where(articles.c.seq == copies[0]).values(duplicate_of=None))
        if len(copies) > 1:
            conn.execute(articles.update().where(articles.c.seq.in_(copies[1:])).values(duplicate_of=first))
        for k, seq in enumerate(copies):
            row = self._article_rows.get(seq)
            if row is not None:
                row.duplicate_of = None if k == 0 else first

    def removed_count(self) -> int:
        """Articles that left the store (replaced by newer versions, or deleted), ever: a process that keeps vectors
        in memory hides theirs when it changes."""
        return int(self.get_meta(REMOVED_KEY) or 0)

    def select_ids(self, source: str | None = None, before: dt.date | None = None) -> list[str]:
        """Ids of the articles read from ``source`` or from under it (a folder, a feed's entries) and dated before
        ``before`` (the day the text reads, else its publication; undated articles are never before a day), in
        arrival order; each filter only if given, none given: none."""
        if source is None and before is None:
            return []
        q = select(articles.c.id)
        if source is not None:
            q = q.where(articles.c.source.startswith(source, autoescape=True))
        if before is not None:
            q = q.where(ARTICLE_DAY < before)
        with self.engine.connect() as conn:
            return [r.id for r in conn.execute(q.order_by(articles.c.seq))]

    def ids_of_sources(self, sources: Sequence[str]) -> dict[str, str]:
        """The article each of these sources (a file's path, exactly) gave, where the store holds one: source -> id
        (of the latest, where several)."""
        if not sources:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.source, articles.c.id).where(articles.c.source.in_(sorted(set(
                sources)))).order_by(articles.c.seq))
            return {r.source: r.id for r in rows}

    def stored_versions(self, ids: Sequence[str]) -> dict[str, StoredArticle]:
        """The stored version of each of these article ids that the store holds (light rows: seq, url, source,
        published, event ...)."""
        if not ids:
            return {}
        with self.engine.connect() as conn:
            return {r.id: _article(r) for r in conn.execute(
                select(*_LIGHTER).where(articles.c.id.in_(list(ids))))}

    def text_lengths(self, seqs: Sequence[int]) -> dict[int, int]:
        """The length in characters of each of these stored articles' texts, by seq."""
        if not seqs:
            return {}
        with self.engine.connect() as conn:
            return {r.seq: r.n or 0 for r in conn.execute(
                select(articles.c.seq, func.length(articles.c.text).label("n")).where(articles.c.seq.in_(list(seqs))))}

    def replaced_versions(self, items: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (article id, content hash) are versions that a newer one replaced."""
        if not items:
            return set()
        ids = sorted({i for i, _ in items})
        with self.engine.connect() as conn:
            rows = conn.execute(select(revisions.c.article_id, revisions.c.content_hash)
                                .where(revisions.c.article_id.in_(ids))).all()
        return {(r.article_id, r.content_hash) for r in rows} & set(items)

    def set_title(self, conn: Connection, seq: int, title: str) -> None:
        """A stored article's headline, corrected (its text the same)."""
        conn.execute(articles.update().where(articles.c.seq == seq).values(title=title))
        row = self._article_rows.get(seq)
        if row is not None:
            row.title = title

    def revisions_of(self, article_id: str) -> list[dict[str, Any]]:
        """The versions of an article that newer ones replaced, oldest first: title, publication day, the event it
        was in, when it was stored and replaced."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(revisions).where(revisions.c.article_id == article_id)
                                .order_by(revisions.c.replaced_at, revisions.c.seq)).all()
        return [{"title": r.title, "published": r.published.isoformat() if r.published else None,
                 "event": r.event_id, "stored_at": r.stored_at.isoformat(timespec="seconds") if r.stored_at else None,
                 "replaced_at": r.replaced_at.isoformat(timespec="seconds")} for r in rows]

    def revision_counts(self, ids: Sequence[str]) -> dict[str, int]:
        """How many earlier versions newer ones replaced, for those of these article ids that have any."""
        out: dict[str, int] = {}
        wanted = sorted(set(ids))
        with self.engine.connect() as conn:
            for k in range(0, len(wanted), 2_000):
                out.update({r.article_id: int(r.n) for r in conn.execute(
                    select(revisions.c.article_id, func.count().label("n"))
                    .where(revisions.c.article_id.in_(wanted[k:k + 2_000])).group_by(revisions.c.article_id))})
        return out

    def missing_seqs(self, seqs: Sequence[int]) -> list[int]:
        """Those of these article seqs that the store holds no article of (replaced or deleted)."""
        wanted = sorted({int(s) for s in seqs})
        held: set[int] = set()
        with self.engine.connect() as conn:
            for k in range(0, len(wanted), 2_000):
                held.update(r.seq for r in conn.execute(select(articles.c.seq).where(
                    articles.c.seq.in_(wanted[k:k + 2_000]))))
        return [s for s in wanted if s not in held]

    def set_article_event(self, conn: Connection, event_ids: Sequence[str], target: str) -> None:
        conn.execute(articles.update().where(articles.c.event_id.in_(list(event_ids))).values(event_id=target))
        moved = set(event_ids)
        for row in self._article_rows.values():  # merges are rare: a scan of the cache is cheap enough
            if row.event_id in moved:
                row.event_id = target

    def move_articles(self, conn: Connection, seqs: Sequence[int], target: str, score: float | None = None) -> None:
        """Articles to another event (an event split in two; an undated article claimed by another event, ``score``
        its new event score)."""
        values: dict[str, Any] = {"event_id": target} | ({} if score is None else {"event_score": score})
        conn.execute(articles.update().where(articles.c.seq.in_([int(s) for s in seqs])).values(**values))
        for s in seqs:
            row = self._article_rows.get(int(s))
            if row is not None:
                row.event_id = target
                if score is not None:
                    row.event_score = score

    def save_event(self, conn: Connection, ev: StoredEvent, exists: bool | None = None) -> None:
        """Insert or update; ``exists`` spares the lookup when the caller knows."""
        values = {
            "title": ev.title, "date": ev.date, "date_min": ev.date_min, "date_max": ev.date_max,
            "size": ev.size, "sources": ev.sources, "languages": ev.languages, "outlets": ev.outlets,
            "facts": ev.facts, "storyline_id": ev.storyline_id, "updated_at": ev.updated_at,
        }
        if exists is None:
            exists = conn.execute(select(events.c.id).where(events.c.id == ev.id)).first() is not None
        if exists:
            conn.execute(_UPDATE_EVENT, [{"id_": ev.id, **values}])
        else:
            conn.execute(events.insert(), [{"id": ev.id, "created_at": ev.created_at, **values}])
        light = _copy_event(ev)
        light.facts = None
        self._keep_rows(self._event_rows, {ev.id: light}, self.row_cache_events)

    def tallies(self, conn: Connection, event_ids: Sequence[str]) -> dict[str, dict]:
        """Running tallies by event id (through the row cache: the caller may change what it gets, and
        saves it or rolls back)."""
        out = {i: self._tally_rows[i] for i in event_ids if i in self._tally_rows}
        missing = [i for i in event_ids if i not in out]
        if missing:
            rows = conn.execute(select(tallies.c.event_id, tallies.c.data).where(tallies.c.event_id.in_(missing)))
            read = {r.event_id: r.data for r in rows}
            self._keep_rows(self._tally_rows, read, self.row_cache_events)
            out.update(read)
        return out

    def save_tallies(self, conn: Connection, data: dict[str, dict]) -> None:
        if not data:
            return
        conn.execute(tallies.delete().where(tallies.c.event_id.in_(list(data))))
        conn.execute(tallies.insert(), [{"event_id": k, "data": v} for k, v in data.items()])
        self._keep_rows(self._tally_rows, data, self.row_cache_events)

    def delete_event(self, conn: Connection, event_id: str, into: str) -> None:
        """Merge bookkeeping: the old id resolves to ``into`` from now on."""
        self.drop_event(conn, event_id)
        self.alias_event(conn, event_id, into)

    def drop_event(self, conn: Connection, event_id: str) -> None:
        """An event and its tally go (its id then resolves nowhere until ``alias_event``, or is founded again)."""
        conn.execute(events.delete().where(events.c.id == event_id))
        self._event_rows.pop(event_id, None)
        self._tally_rows.pop(event_id, None)
        conn.execute(tallies.delete().where(tallies.c.event_id == event_id))

    def alias_event(self, conn: Connection, event_id: str, into: str) -> None:
        """``event_id`` (and every id that resolved to it) resolves to ``into`` from now on."""
        conn.execute(aliases.update().where(aliases.c.target == event_id).values(target=into))
        conn.execute(aliases.insert().values(alias=event_id, target=into, kind="event"))

    def save_storyline(self, conn: Connection, sid: str, title: str, now: dt.datetime) -> None:
        if conn.execute(select(storylines.c.id).where(storylines.c.id == sid)).first():
            conn.execute(storylines.update().where(storylines.c.id == sid).values(title=title, updated_at=now))
        else:
            conn.execute(storylines.insert().values(id=sid, title=title, created_at=now, updated_at=now))

    def ban(self, conn: Connection, article_id: str, now: dt.datetime) -> None:
        """An article deleted for good: its id is refused from now on, whatever its text."""
        if not conn.execute(select(deletions.c.article_id).where(deletions.c.article_id == article_id)).first():
            conn.execute(deletions.insert().values(article_id=article_id, deleted_at=now))

    def takedowns(self) -> list[tuple[str, dt.datetime]]:
        """The ids deleted for good (``ban``), with when, latest first."""
        with self.engine.connect() as conn:
            return [(r.article_id, r.deleted_at) for r in conn.execute(
                select(deletions).order_by(deletions.c.deleted_at.desc(), deletions.c.article_id))]

    def lift(self, conn: Connection, article_ids: Sequence[str]) -> list[str]:
        """Ids deleted for good that may be stored again; returns those that were taken down."""
        ids = list(dict.fromkeys(article_ids))
        held = {r.article_id for r in conn.execute(select(deletions.c.article_id).where(
            deletions.c.article_id.in_(ids)))}
        if held:
            conn.execute(deletions.delete().where(deletions.c.article_id.in_(sorted(held))))
        return [i for i in ids if i in held]

    def drop_storyline_if_empty(self, conn: Connection, sid: str | None) -> bool:
        """A storyline that holds no event any more goes (its events were deleted); whether it went."""
        if not sid or self.events(storyline=sid, conn=conn, limit=1):
            return False
        conn.execute(storylines.delete().where(storylines.c.id == sid))
        return True

    def merge_storyline(self, conn: Connection, old: str, into: str) -> None:
        conn.execute(events.update().where(events.c.storyline_id == old).values(storyline_id=into))
        for ev in self._event_rows.values():
            if ev.storyline_id == old:
                ev.storyline_id = into
        conn.execute(storylines.delete().where(storylines.c.id == old))
        conn.execute(aliases.update().where(aliases.c.target == old).values(target=into))
        conn.execute(aliases.insert().values(alias=old, target=into, kind="storyline"))

    def keep_apart(self, conn: Connection, a: str, b: str, now: dt.datetime) -> None:
        """An editor parted the two events: no report may merge them again (``apart_pairs``)."""
        a, b = sorted((a, b))
        if not conn.execute(select(corrections.c.a).where(corrections.c.kind == "apart", corrections.c.a == a,
                                                          corrections.c.b == b)).first():
            conn.execute(corrections.insert().values(kind="apart", a=a, b=b, at=now))

    def allow_together(self, conn: Connection, a: str, b: str) -> None:
        """An editor joined the two events: whatever kept them (or the ids merged into them) apart goes."""
        for r in conn.execute(_APART):
            if {r.a, r.b} == {a, b}:
                conn.execute(corrections.delete().where(corrections.c.kind == "apart", corrections.c.a == r.raw_a,
                                                        corrections.c.b == r.raw_b))

    def apart_pairs(self, conn: Connection) -> list[tuple[str, str]]:
        """The pairs of events an editor parted, by their current ids (an id merged away resolves)."""
        return [(r.a, r.b) for r in conn.execute(_APART)]

    # ---- reads ------------------------------------------------------------------------------------
    def known_many(self, items: Sequence[tuple[str, str]]) -> dict[str, str]:
        """Why each of a batch of (article id, content hash) is stored already (same text, or same id with
        another text), in one query: content hash -> reason, for those that are."""
        if not items:
            return {}
        ids = [i for i, _ in items]
        hashes = [h for _, h in items]
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.content_hash).where(
                or_(articles.c.id.in_(ids), articles.c.content_hash.in_(hashes)))).all()
            banned = {r.article_id for r in conn.execute(select(deletions.c.article_id).where(
                deletions.c.article_id.in_(ids)))}
        by_id = {r.id: r.content_hash for r in rows}
        by_hash = {r.content_hash: r.id for r in rows}
        out: dict[str, str] = {}
        for article_id, content_hash in items:
            if article_id in banned:
                out[content_hash] = DELETED_FOR_GOOD
            elif content_hash in by_hash:
                stored = by_hash[content_hash]
                out[content_hash] = ALREADY_STORED if stored == article_id else \
                    f"same text as stored article {stored}"
            elif article_id in by_id:
                out[content_hash] = ID_TAKEN
        return out

    def resolve(self, some_id: str, kind: str = "event", conn: Connection | None = None) -> str:
        """The current id for an id that may have been merged away (``conn``: as a transaction sees it)."""
        with _maybe(self.engine, conn) as c:
            target = c.execute(_RESOLVE, {"alias": some_id, "kind": kind}).scalar()
        return target or some_id

    def event(self, event_id: str, conn: Connection | None = None) -> StoredEvent | None:
        event_id = self.resolve(event_id, conn=conn)
        with _maybe(self.engine, conn) as c:
            row = c.execute(select(events).where(events.c.id == event_id)).first()
        return _event(row) if row else None

    def events(self, ids: Sequence[str] | None = None, storyline: str | None = None,
               conn: Connection | None = None, limit: int | None = None,
               light: bool = False) -> list[StoredEvent]:
        """Events by ids or storyline, latest happening first; ``limit``: only the latest so many;
        ``light``: without their who/where/when (``facts`` None), for the event engine's time window."""
        if light and ids is not None and storyline is None and limit is None and conn is not None:
            return self._light_events(ids, conn)
        q = select(*_EVENT_LIGHT) if light else select(events)
        if ids is not None:
            q = q.where(events.c.id.in_(list(ids)))
        if storyline is not None:
            q = q.where(events.c.storyline_id == storyline)
        q = q.order_by(*_LATEST_FIRST)
        if limit is not None:
            q = q.limit(limit)
        with _maybe(self.engine, conn) as c:
            return [_event(r) for r in c.execute(q)]

    def event_page(self, limit: int, offset: int = 0, since: dt.date | None = None, until: dt.date | None = None,
                   language: str | None = None) -> tuple[int, list[StoredEvent]]:
        """(how many events match, one page of them), in the order of ``events``: latest happening first.
        ``since``/``until``: on the event's date, else its latest article date; ``language``: events with an
        article in it. Counted and cut in the database, so a page costs about the same however many events
        there are."""
        when = func.coalesce(events.c.date, events.c.date_max)
        cond = [c for c in (when >= since if since else None, when <= until if until else None) if c is not None]
        if language:
            cond.append(sql_exists(select(articles.c.seq).where(articles.c.event_id == events.c.id,
                                                                articles.c.language == language)))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(events).where(*cond)).scalar() or 0
            rows = conn.execute(select(events).where(*cond).order_by(*_LATEST_FIRST).limit(limit).offset(offset))
            return total, [_event(r) for r in rows]

    def events_with_text(self, text: str) -> set[str]:
        """Ids of the events one of whose articles holds ``text`` in its headline or body, case aside: one pass over
        the articles in the database (a query of each event's articles in turn took 15 s at 100k articles)."""
        if self.engine.dialect.name == "sqlite":  # its lower() folds ASCII only: Python's casefold, registered
            fold, needle = func.tidings_casefold, text.casefold()
        else:
            fold, needle = func.lower, text.lower()
        if not needle:
            return set()
        found = select(articles.c.event_id).distinct().where(
            articles.c.event_id.is_not(None),
            fold(articles.c.title).contains(needle, autoescape=True)
            | fold(articles.c.text).contains(needle, autoescape=True))
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(found)}

    def facets(self) -> tuple[list[str], list[str]]:
        """The languages and outlets of the stored articles, sorted (the choices of a filter form)."""
        with self.engine.connect() as conn:
            langs = conn.execute(select(articles.c.language).distinct().where(articles.c.language.is_not(None)))
            outs = conn.execute(select(articles.c.outlet).distinct().where(articles.c.outlet.is_not(None),
                                                                         articles.c.outlet != ""))
            return sorted(r[0] for r in langs), sorted(r[0] for r in outs)

    def articles(self, event_id: str | None = None, ids: Sequence[str] | None = None,
                 seqs: Sequence[int] | None = None, conn: Connection | None = None,
                 light: bool = False, facts: bool = True) -> list[StoredArticle]:
        """Articles by event, ids or seqs. ``light``: only the head of each text (enough for a display title),
        for the event engine, which reads many candidates per new article; ``facts=False`` (with ``light``):
        without their facts either, for a caller that keeps them already."""
        if light and not facts and seqs is not None and event_id is None and ids is None and conn is not None:
            return self._light_articles(seqs, conn)
        q = select(*(_LIGHT if facts else _LIGHTER)) if light else select(articles)
        if event_id is not None:
            q = q.where(articles.c.event_id == self.resolve(event_id))
        if ids is not None:
            q = q.where(articles.c.id.in_(list(ids)))
        if seqs is not None:
            q = q.where(articles.c.seq.in_([int(s) for s in seqs]))
        with _maybe(self.engine, conn) as c:
            return [_article(r) for r in c.execute(q.order_by(articles.c.seq))]

    def article_rows(self, batch: int = 5000) -> Iterator[StoredArticle]:
        """Every article in arrival order, light (the head of its text, no facts), read a batch at a time:
        for exports, which then hold one batch in memory, not the store."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(*_LIGHTER).where(articles.c.seq > last).order_by(articles.c.seq)
                                    .limit(batch)).all()
            if not rows:
                return
            yield from (_article(r) for r in rows)
            last = rows[-1].seq

    def event_members(self) -> dict[str, list[str]]:
        """Article ids of every event, in arrival order: one query, not one per event."""
        out: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(select(articles.c.event_id, articles.c.id).where(articles.c.event_id.is_not(None))
                                  .order_by(articles.c.seq)):
                out.setdefault(r.event_id, []).append(r.id)
        return out

    def article(self, article_id: str) -> StoredArticle | None:
        found = self.articles(ids=[article_id])
        return found[0] if found else None

    def storylines(self) -> list[dict[str, Any]]:
        """Every storyline, latest updated first."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(storylines).order_by(*_STORYLINES_ORDER))]

    def storyline_page(self, limit: int, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(how many storylines, one page of them) in the order of ``storylines``, cut in the database."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(storylines)).scalar() or 0
            rows = conn.execute(select(storylines).order_by(*_STORYLINES_ORDER).limit(limit).offset(offset))
            return total, [dict(r._mapping) for r in rows]

    def storyline_events(self, ids: Sequence[str] | None = None) -> dict[str, list[StoredEvent]]:
        """The events of each of these storylines (None: of every storyline), light (no facts), in the order
        of ``events``: one query."""
        out: dict[str, list[StoredEvent]] = {}
        if ids is not None and not ids:
            return out
        which = events.c.storyline_id.is_not(None) if ids is None else events.c.storyline_id.in_(list(ids))
        with self.engine.connect() as conn:
            for r in conn.execute(select(*_EVENT_LIGHT).where(which).order_by(*_LATEST_FIRST)):
                out.setdefault(r.storyline_id, []).append(_event(r))
        return out

    def storyline(self, sid: str) -> dict[str, Any] | None:
        sid = self.resolve(sid, "storyline")
        with self.engine.connect() as conn:
            row = conn.execute(select(storylines).where(storylines.c.id == sid)).first()
        return dict(row._mapping) if row else None

    def vectors_of(self, seqs: Sequence[int], conn: Connection | None = None) -> dict[int, np.ndarray]:
        """Chunk vectors per article seq, in chunk order."""
        result: dict[int, np.ndarray] = {}
        missing: list[int] = []
        for s in seqs:
            s = int(s)
            if s in self._vectors:
                self._vectors.move_to_end(s)
                result[s] = self._vectors[s]
            else:
                missing.append(s)
        if missing:
            out: dict[int, list[tuple[int, np.ndarray]]] = {}
            with _maybe(self.engine, conn) as c:
                for row in c.execute(_VECTORS_OF, {"seqs": missing}):
                    out.setdefault(row.article_seq, []).append((row.idx, decode_vector(row.vector)))
            for s, rows in out.items():
                result[s] = self._keep_vectors(s, np.stack([v for _, v in sorted(rows, key=lambda t: t[0])]))
        return result

    def _keep_vectors(self, seq: int, vectors: np.ndarray) -> np.ndarray:
        self._vectors[seq] = vectors
        while len(self._vectors) > self.vector_cache_articles:
            self._vectors.popitem(last=False)
        return vectors

    def member_seqs(self, event_id: str, conn: Connection | None = None, last: int | None = None) -> list[int]:
        """Seqs of an event's articles in arrival order (``last``: only the latest so many)."""
        q = select(articles.c.seq).where(articles.c.event_id == event_id).order_by(articles.c.seq.desc())
        if last is not None:
            q = q.limit(last)
        with _maybe(self.engine, conn) as c:
            return sorted(r.seq for r in c.execute(q))

    def facts_and_heads(self, ids: Sequence[str], head_chars: int,
                        conn: Connection | None = None) -> dict[str, tuple[dict | None, str]]:
        """Facts and the first ``head_chars`` characters of the text, per article id."""
        with _maybe(self.engine, conn) as c:
            return {r.id: (r.facts, r.head) for r in c.execute(_FACTS_AND_HEADS, {"ids": list(ids),
                                                                                   "head_chars": head_chars})}

    def places_by_day(self, first: dt.date, last: dt.date,
                      conn: Connection | None = None) -> list[tuple[dt.date, str, list[dict]]]:
        """(day, event id, places as stored in its facts) of every article in an event whose day, the day its text
        reads else its publication day, lies from ``first`` to ``last``; not of syndicated copies, which are no
        reports of their own."""
        q = select(ARTICLE_DAY.label("day"), articles.c.event_id, articles.c.facts["where"].label("where")).where(
            ARTICLE_DAY.between(first, last), articles.c.event_id.is_not(None), articles.c.duplicate_of.is_(None))
        with _maybe(self.engine, conn) as c:
            rows = c.execute(q).all()
        return [(r.day if isinstance(r.day, dt.date) else dt.date.fromisoformat(r.day), r.event_id, r.where or [])
                for r in rows]

    def event_ids_of(self, seqs: Sequence[int], conn: Connection | None = None) -> dict[int, str | None]:
        """Event id of each article seq: all a search for related articles needs to know of them."""
        out: dict[int, str | None] = {}
        missing = [int(s) for s in seqs]
        if conn is not None:  # through the row cache; misses read two columns only, not whole light rows
            out = {s: self._article_rows[s].event_id for s in missing if s in self._article_rows}
            missing = [s for s in missing if s not in out]
        if missing:
            with _maybe(self.engine, conn) as c:
                out.update({r.seq: r.event_id for r in c.execute(_EVENT_IDS_OF, {"seqs": missing})})
        return out

    def recent(self, conn: Connection, days: int, most_events: int, most_articles: int) -> tuple[list[str], list[int]]:
        """Ids of the events whose latest date lies within ``days`` of the latest in the store (the newest
        ``most_events``), and the seqs of their newest ``most_articles`` articles: what a batch of the next day's news
        will be scored against. A join, not a list of ids: the list could outgrow what one SQLite statement takes."""
        latest = conn.execute(select(func.max(events.c.date_max))).scalar()
        if latest is None:
            return [], []
        since = latest - dt.timedelta(days=days)
        ids = [r.id for r in conn.execute(select(events.c.id).where(events.c.date_max >= since)
                                          .order_by(events.c.date_max.desc()).limit(most_events))]
        q = (select(articles.c.seq).join(events, articles.c.event_id == events.c.id)
             .where(events.c.date_max >= since).order_by(articles.c.seq.desc()).limit(most_articles))
        return ids, sorted(r.seq for r in conn.execute(q))

    # ---- the row caches (inside a transaction only) -------------------------------------------------
    def _light_articles(self, seqs: Sequence[int], conn: Connection) -> list[StoredArticle]:
        """``articles(seqs=..., light=True, facts=False)`` through the row cache, in seq order."""
        wanted = sorted({int(s) for s in seqs})
        missing = [s for s in wanted if s not in self._article_rows]
        if missing:
            rows = conn.execute(_LIGHT_ARTICLES, {"seqs": missing})
            self._keep_rows(self._article_rows, {r.seq: _article(r) for r in rows}, self.row_cache_articles)
        return [copy.copy(self._article_rows[s]) for s in wanted if s in self._article_rows]  # callers may edit

    def _light_events(self, ids: Sequence[str], conn: Connection) -> list[StoredEvent]:
        """``events(ids=..., light=True)`` through the row cache, latest happening first."""
        wanted = set(ids)
        missing = [i for i in wanted if i not in self._event_rows]
        if missing:
            rows = conn.execute(_LIGHT_EVENTS, {"ids": missing})
            self._keep_rows(self._event_rows, {r.id: _event(r) for r in rows}, self.row_cache_events)
        found = [_copy_event(self._event_rows[i]) for i in wanted if i in self._event_rows]
        # The order of the query it stands for: latest happening first, undated last, then newest.
        found.sort(key=lambda e: e.created_at or dt.datetime.min, reverse=True)
        found.sort(key=lambda e: (e.date_max is None, -(e.date_max.toordinal() if e.date_max else 0)))
        return found

    @staticmethod
    def _keep_rows(cache: OrderedDict, rows: dict, bound: int) -> None:
        for key, row in rows.items():
            cache[key] = row
            cache.move_to_end(key)
        while len(cache) > bound:
            cache.popitem(last=False)

    def chunks_after(self, seq: int, batch: int = 50_000
                     ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(article seqs, vectors, days) of the chunks of the articles after ``seq``, in batches: to catch the
        chunk index up. Its entries are keyed by their article's seq, since a search looks for articles, and
        so it needs no chunk-to-article lookup. ``days``: the day ordinal of each chunk's article date
        (happened, else published), -1 when it has none."""
        with self.engine.connect() as conn:
            # Chunk ids grow with article seqs: from the first chunk after ``seq`` the walk is by primary key. That
            # chunk found through the index of article seqs (SQLite answers ``min(id)`` with a walk of the table
            # from its start: every stored vector read, 64 MB of page cache at 100k articles, at every opening).
            first = conn.execute(select(chunks.c.id).where(chunks.c.article_seq > seq)
                                 .order_by(chunks.c.article_seq, chunks.c.id).limit(1)).scalar()
        if first is None:
            return
        last = int(first) - 1
        day = func.coalesce(articles.c.happened, articles.c.published).label("day")
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(chunks.c.id, chunks.c.article_seq, chunks.c.vector, day)
                                    .join(articles, articles.c.seq == chunks.c.article_seq)
                                    .where(chunks.c.id > last, chunks.c.article_seq > seq)
                                    .order_by(chunks.c.id).limit(batch)).all()
            if not rows:
                return
            seqs = np.array([r.article_seq for r in rows], np.int64)
            days = np.array([day_ordinal(r.day) for r in rows], np.int64)
            yield seqs, np.stack([decode_vector(r.vector) for r in rows]), days
            last = int(rows[-1].id)

    def chunk_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(chunks)).scalar() or 0

    def founders_after(self, seq: int, batch: int = 20_000, per_language: bool = False
                       ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(seqs, vectors) of the first article of each event, for events whose first article came after
        ``seq``: one vector per event (the mean of that article's chunks), to catch the events index up.
        ``per_language``: the first article of each event in each language (the periods index)."""
        earlier = articles.alias("earlier")
        same = [earlier.c.event_id == articles.c.event_id, earlier.c.seq < articles.c.seq]
        if per_language:
            same.append(earlier.c.language == articles.c.language)
        first = ~sql_exists(select(earlier.c.seq).where(*same))
        last = seq
        while True:
            with self.engine.connect() as conn:
                seqs = [r.seq for r in conn.execute(
                    select(articles.c.seq).where(articles.c.seq > last, articles.c.event_id.is_not(None), first)
                    .order_by(articles.c.seq).limit(batch))]
            if not seqs:
                return
            vecs = self.vectors_of(seqs)
            have = [s for s in seqs if s in vecs]
            if have:
                yield np.array(have, np.int64), np.stack([mean_vector(vecs[s]) for s in have])
            last = seqs[-1]

    # ---- near-duplicate signatures and their bands (tidings.duplicates) ---------------------------------------
    def copy_candidates(self, conn: Connection, keys: Iterable[int]) -> dict[int, list[tuple[int, np.ndarray]]]:
        """By band key of ``keys``: (seq, MinHash signature) of the articles whose signature has it, the earliest
        stored first."""
        keys = list(dict.fromkeys(keys))
        out: dict[int, list[tuple[int, np.ndarray]]] = {}
        for k in range(0, len(keys), 5_000):  # a batch's keys in one statement, within what SQLite may bind
            for row in conn.execute(select(copy_bands.c.key, articles.c.seq, articles.c.signature)
                                    .join(articles, articles.c.seq == copy_bands.c.seq)
                                    .where(copy_bands.c.key.in_(keys[k:k + 5_000]), articles.c.signature.is_not(None))
                                    .order_by(articles.c.seq)):
                out.setdefault(row.key, []).append((row.seq, np.frombuffer(row.signature, dtype=np.uint64)))
        return out

    def add_copy_bands(self, conn: Connection, banded: Sequence[tuple[int, Sequence[int]]]) -> None:
        """(seq, band keys) of articles stored (``copy_candidates`` finds each by its keys from now on)."""
        rows = [{"key": k, "seq": seq} for seq, keys in banded for k in dict.fromkeys(keys)]
        if rows:
            conn.execute(_INSERT_COPY_BANDS, rows)

    def copy_bands_layout(self) -> str | None:
        """How the stored band keys were made (``NearDuplicateFinder.layout``); None while they are being made."""
        return self.get_meta(COPY_BANDS_KEY)

    def rebuild_copy_bands(self, layout: str,
                           sign: Callable[[list[tuple[int, np.ndarray]]], dict[int, np.ndarray]],
                           band_keys: Callable[[np.ndarray], list[int]], progress: Callable[[int, int], None],
                           page: int = 2_000) -> int:
        """Every signed article's band keys made again under ``layout``, ``page`` articles a transaction. ``sign``: of
        (seq, stored signature) pairs, the signature each is to keep, by seq (made again from the text where the
        stored one is of another size). A kill in between leaves no layout, and the next process starts again.
        Returns the articles banded."""
        with self.transaction() as conn:
            conn.execute(meta.delete().where(meta.c.key == COPY_BANDS_KEY))
            conn.execute(copy_bands.delete())
            total = conn.execute(select(func.count()).select_from(articles)
                                 .where(articles.c.signature.is_not(None))).scalar() or 0
        after, done = 0, 0
        while True:
            with self.transaction() as conn:
                rows = conn.execute(select(articles.c.seq, articles.c.signature)
                                    .where(articles.c.seq > after, articles.c.signature.is_not(None))
                                    .order_by(articles.c.seq).limit(page)).all()
                if not rows:
                    self.set_meta(conn, COPY_BANDS_KEY, layout)
                    return done
                stored = [(r.seq, np.frombuffer(r.signature, dtype=np.uint64)) for r in rows]
                kept = sign(stored)
                # another process banding the same store meanwhile: its rows of these articles give way to these
                conn.execute(copy_bands.delete().where(copy_bands.c.seq.in_([seq for seq, _ in stored])))
                resigned = [{"seq_": seq, "sig": kept[seq].tobytes()} for seq, old in stored
                            if seq in kept and not np.array_equal(kept[seq], old)]
                if resigned:
                    conn.execute(articles.update().where(articles.c.seq == bindparam("seq_"))
                                 .values(signature=bindparam("sig")), resigned)
                self.add_copy_bands(conn, [(seq, band_keys(signature)) for seq, signature in kept.items()])
                after, done = stored[-1][0], done + len(stored)
            progress(done, total)

    def texts_of(self, seqs: Sequence[int]) -> dict[int, str]:
        """Whole texts by seq."""
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for k in range(0, len(seqs), 2_000):
                part = list(seqs[k:k + 2_000])
                out.update(conn.execute(select(articles.c.seq, articles.c.text).where(articles.c.seq.in_(part))).all())
        return out

    def changed_elsewhere(self) -> bool:
        """Whether another process committed since this one last did (or opened): a plain read, no lock."""
        with self.engine.connect() as conn:
            return _stored_generation(conn) != self._generation

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the store holds, counted by the database (no row read into Python): articles, syndicated copies,
        events, storylines, takedowns; articles by language, the ``top`` outlets and sources (the files and feeds
        read: a feed entry's or a dump line's position in it aside); the first and last day published and
        happened; the last ingest."""
        def by(column: Any, limit: int | None = None) -> list[tuple[Any, int]]:
            n = func.count().label("n")
            q = select(column, n).where(column.is_not(None)).group_by(column).order_by(n.desc(), column)
            return [(r[0], r[1]) for r in conn.execute(q.limit(limit) if limit else q)]

        with self.engine.connect() as conn:
            first_last = conn.execute(select(
                func.min(articles.c.published), func.max(articles.c.published),
                func.min(articles.c.happened), func.max(articles.c.happened),
                func.max(articles.c.ingested_at), func.count(articles.c.duplicate_of))).one()
            sources = by(articles.c.source)
            out = {
                **self.counts(),
                "copies": first_last[5],
                "takedowns": conn.execute(select(func.count()).select_from(deletions)).scalar() or 0,
                "languages": dict(by(articles.c.language)),
                "outlets": dict(by(articles.c.outlet, top)),
                "published": [_day(first_last[0]), _day(first_last[1])],
                "happened": [_day(first_last[2]), _day(first_last[3])],
                "last_ingest": _day(first_last[4], seconds=True),
            }
        # a feed's entries ("feed.xml#3"), a dump's lines ("dump.jsonl:12") and an archive's members
        # ("news.zip/2021/a.html") count as their file, feed or archive
        per_source: Counter[str] = Counter()
        for source, n in sources:
            per_source[ARCHIVE_MEMBER.sub(r"\1", SOURCE_POSITION.sub("", source))] += n
        out["sources"] = dict(per_source.most_common(top))
        return out

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar() or 0,
                "events": conn.execute(select(func.count()).select_from(events)).scalar() or 0,
                "storylines": conn.execute(select(func.count()).select_from(storylines)).scalar() or 0,
            }


# The position of an entry in its file, feed or request, as the readers write it into its source ("feed.xml#3",
# "dump.jsonl:12", "request[2]"): the same source without it
SOURCE_POSITION = re.compile(r"(?:[#:]\d+|\[\d+\])$")
# A member's path after its archive's name (``readers.ArchiveReader``): "news.zip/2021/a.html" -> "news.zip"
ARCHIVE_MEMBER = re.compile(f"({'|'.join(re.escape(s) for s in ARCHIVE_SUFFIXES)})/.+$", re.IGNORECASE)


def _day(value: Any, seconds: bool = False) -> str | None:
    """A stored date or time as ISO text (SQLite hands back strings for aggregates, PostgreSQL dates)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds") if seconds else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:19 if seconds else 10]


def encode_vector(v: np.ndarray) -> bytes:
    return np.asarray(v, dtype=np.float16).tobytes()


def decode_vector(b: bytes) -> np.ndarray:
    return np.frombuffer(b, dtype=np.float16).astype(np.float32)


FOUNDERS_KEY = "founders_generation"
COPY_BANDS_KEY = "copy_bands_layout"  # meta: how the band keys in ``copy_bands`` were made (``rebuild_copy_bands``)
REMOVED_KEY = "removed_articles"  # meta: how many articles left the store (``removed_count``)
ID_TAKEN = "id already used by a different text"  # ``known_many``: the ingest then asks whether it is a newer version
ALREADY_STORED = "already stored"  # ``known_many``: the same text under the same id (its headline may be corrected)
DELETED_FOR_GOOD = "deleted from this store for good (tidings delete --for-good)"


def founders_stamp(index_cache: Path) -> Path:
    return index_cache.with_name(index_cache.name + ".founders")

WRITER = "tidings_writer"  # execution option of a batch's connection: it takes the write lock first
WRITER_LOCK_KEY = 0x7469_6469_6E67  # "tiding": PostgreSQL advisory lock of writers


def _sqlite_begin(conn: Connection) -> None:
    """Transactions begin here, not in the driver (``isolation_level = None`` below): a batch IMMEDIATE, so
    it waits for the write lock up front instead of failing when another writer committed after it first
    read; readers DEFERRED, never blocking anyone (WAL)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITER) else "BEGIN")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # the driver's own BEGIN off: ``_sqlite_begin`` emits it
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")      # readers never block the writer; a kill loses no commit
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    # Candidate rows are read at random across the whole store: a 64 MB page cache (default 2 MB) keeps
    # the indexes of a store of 100k articles in memory.
    cur.execute("PRAGMA cache_size=-65536")
    # A batch's random keys (band keys, content hashes) dirty a page each in a large store's indexes: checkpoints
    # every 10,000 pages (40 MB of log) instead of 1,000 write a page dirtied by several batches once, and fsync a
    # tenth as often (100k articles: 1.14-1.19 times the cost at 1k instead of 1.21-1.25, bench --part scale-rounds).
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.close()
    dbapi_conn.create_function("tidings_casefold", 1, _casefold, deterministic=True)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """One unit vector for an article: the mean direction of its chunks."""
    v = np.asarray(vectors, np.float32).mean(axis=0)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


@contextmanager
def _maybe(engine: Engine, conn: Connection | None) -> Iterator[Connection]:
    """Use the caller's connection (inside its transaction) or open a short one."""
    if conn is not None:
        yield conn
    else:
        with engine.connect() as c:
            yield c


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
