"""The Python API: one object over a store, used by the CLI, the REST API and the web page."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tidings.articles import RawDocument
from tidings.config import load_settings
from tidings.pipeline import NOT_STORED, IngestReport, Pipeline
from tidings.store import Store, StoredArticle, StoredEvent
from tidings.storylines import timeline

FOLLOWER_KEY = "follower_state"  # store meta: what the last follower knew of its sources (SourceFollower.state)


def day_bound(value: str | int | dt.date | None, end: bool = False, name: str = "date") -> dt.date | None:
    """The day a date filter means: YYYY-MM-DD as it is; a month (YYYY-MM) or a year (YYYY, or the number 2021) from
    its first day, or with ``end`` (an "until") to its last. ValueError naming ``name`` for anything else."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = str(value).strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            first = dt.date(int(m[1]), int(m[2]), 1)
            return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1) if end else first
        return dt.date.fromisoformat(text[:10] if re.match(r"\d{4}-\d\d-\d\d[T ]", text) else text)  # a time: its day
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD, or a month YYYY-MM, or a year YYYY)") from None


def date_span(since: str | int | dt.date | None, until: str | int | dt.date | None,
              names: tuple[str, str] = ("since", "until")) -> tuple[dt.date | None, dt.date | None]:
    """(since, until) as days (``day_bound``), checked: a span that ends before it starts is a ValueError naming
    ``names``, not an empty list."""
    first, last = day_bound(since, name=names[0]), day_bound(until, end=True, name=names[1])
    if first and last and first > last:
        raise ValueError(f"{names[0]} {since} ({first}) is after {names[1]} {until} ({last})")
    return first, last


def _storyline_dict(s: dict[str, Any], events: builtins.list[StoredEvent]) -> dict[str, Any]:
    return {"id": s["id"], "title": s["title"], "events": [e.id for e in events], "timeline": timeline(events)}


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def article_dict(a: StoredArticle, text: bool = False) -> dict[str, Any]:
    out = {"id": a.id, "language": a.language, "title": a.display_title, "outlet": a.outlet,
           "published": _iso(a.published), "happened": _iso(a.happened), "event": a.event_id,
           "url": a.url, "source": a.source, "dateline": a.dateline, "duplicate_of": a.duplicate_of}
    if text:
        out["text"] = a.text
    return out


def event_dict(e: StoredEvent, articles: builtins.list[StoredArticle] | None = None) -> dict[str, Any]:
    facts = e.facts or {}
    out = {"id": e.id, "title": e.title, "date": _iso(e.date), "first_date": _iso(e.date_min),
           "last_date": _iso(e.date_max), "size": e.size, "sources": e.sources,
           "languages": e.languages, "outlets": e.outlets, "storyline": e.storyline_id,
           "who": facts.get("who", []), "where": facts.get("where", []), "dates": facts.get("dates", []),
           # when the store first held it and last changed it (UTC): what a feed reader goes by
           "created": _iso(e.created_at), "updated": _iso(e.updated_at)}
    if articles is not None:
        out["articles"] = [a.id for a in articles]
    return out


class Tidings:
    """A store of articles, events and storylines, and the pipeline that fills it."""

    def __init__(self, db: str | Path | None = None, config: str | Path | None = None, create: bool = True,
                 **settings_overrides: Any) -> None:
        """``create``: make the store if it is not there; False for reading only (a missing SQLite file is then a
        StoreError naming it)."""
        overrides = dict(settings_overrides)
        if db is not None:
            overrides.setdefault("store", {})["url"] = str(db)
        self.settings = load_settings(config, overrides)
        self.store = Store(self.settings["store"]["url"], create=create)
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """Built on first use: loading the model and index is only needed to ingest."""
        return self.open_pipeline()

    def open_pipeline(self, status: Callable[[str], None] | None = None) -> Pipeline:
        """The pipeline, built now if it is not yet; ``status`` is told what the opening does meanwhile (loading
        the model, rebuilding the search index: seconds per 10,000 stored articles)."""
        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings, store=self.store, status=status)
        return self._pipeline

    def ingest(self, sources: Iterable[str], progress: Callable[[str], None] | None = None,
               status: Callable[[str], None] | None = None) -> IngestReport:
        """Ingest files, folders and feed URLs. ``progress`` is told each source as it is read; ``status``
        what opening the pipeline does, on first use (``open_pipeline``)."""
        return self.open_pipeline(status).ingest([str(s) for s in sources], progress)

    def follow(self, sources: Iterable[str], every: float, rounds: int | None = None, settle_seconds: float = 2.0,
               status: Callable[[str], None] | None = None,
               sleep: Callable[[float], None] = time.sleep) -> Iterator[IngestReport]:
        """Ingest the sources now and again every ``every`` seconds, ``rounds`` times (None: until the caller stops
        iterating), yielding each round's report. The model stays loaded between rounds, and a round reads only
        what may be new: a folder's new or changed files, a feed or page whose server says it changed
        (``readers.SourceFollower``). A source some of whose articles could not be stored is read whole again."""
        from tidings.readers import STDIN, SourceFollower

        paths = [str(s) for s in sources]
        if STDIN in paths:
            raise ValueError("standard input (-) is read once: it cannot be followed")
        pipeline = self.open_pipeline(status)
        follower = SourceFollower(pipeline.reader, settle_seconds=settle_seconds)
        # What an earlier follower of this store knew of the sources: a restart reads only what changed since
        saved = self.store.get_meta(FOLLOWER_KEY)
        try:
            follower.restore(json.loads(saved) if saved else {})
        except json.JSONDecodeError:
            pass  # a state damaged by hand: everything is read once more, and the store keeps out what it holds
        done = 0
        while rounds is None or done < rounds:
            started = time.monotonic()
            report = pipeline.ingest_documents(follower.read(paths))
            for skip in report.skipped:
                if skip.reason.startswith(NOT_STORED):
                    follower.forget(skip.source)
            # saved once the round's batches are committed: a kill before it costs a second reading, never a report
            state = json.dumps(follower.state(), sort_keys=True)
            if state != saved:
                self.store.put_meta(FOLLOWER_KEY, state)
                saved = state
            done += 1
            yield report
            if rounds is None or done < rounds:
                sleep(max(0.0, every - (time.monotonic() - started)))  # rounds start every ``every`` seconds

    def add(self, text: str, id: str | None = None, **meta: Any) -> IngestReport:
        """Ingest one article given as text (title, url, outlet, published, language optional)."""
        import hashlib

        from tidings.readers import record_to_document, without_surrogates

        text = without_surrogates(text)  # hashed before the reader would mend it
        doc_id = id or "post-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        doc = record_to_document({"id": doc_id, "text": text, **meta}, f"<{doc_id}>", doc_id)
        return self.pipeline.ingest_documents([doc])

    def add_documents(self, docs: Iterable[RawDocument]) -> IngestReport:
        return self.pipeline.ingest_documents(docs)

    # ---- an editor's corrections ------------------------------------------------------------------
    def merge_events(self, event_id: str, into: str) -> str:
        """Merge event ``event_id`` into ``into`` (its reports join it; its id resolves to it from now on); returns
        the merged event's id. A ``corrections.CorrectionError`` (a ValueError) names an unknown id."""
        from tidings.corrections import merge_events

        try:
            return merge_events(self.store, event_id, into)
        finally:
            self._forget_kept()

    def move_article(self, article_id: str, to: str | None = None) -> str:
        """Move a report (and its syndicated copies) to event ``to``, or to an event of its own (None), kept apart
        from its old event from now on; returns the event it is in."""
        from tidings.corrections import move_article

        try:
            return move_article(self.store, article_id, to)
        finally:
            self._forget_kept()

    def delete_articles(self, article_ids: Iterable[str], for_good: bool = False) -> dict[str, str | None]:
        """Delete articles from the store, all or none (a ``corrections.CorrectionError`` names an unknown id): their
        events are counted again, an event left empty goes; ``for_good`` (a takedown): their ids are refused from then
        on. Returns each id's event (None: it was in none)."""
        from tidings.corrections import delete_articles

        ids = list(article_ids)
        try:
            return delete_articles(self.store, ids, for_good=for_good)
        finally:
            if self._pipeline is not None:
                self._pipeline.forget_articles(ids)
            self._forget_kept()

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the store holds: counts of articles, syndicated copies, events, storylines and takedowns; articles by
        language, by outlet and by source (the ``top`` of each); the first and last day published and happened;
        the last ingest (``Store.stats``)."""
        return self.store.stats(top)

    def takedowns(self) -> builtins.list[dict[str, str]]:
        """The ids deleted for good (``delete_articles(..., for_good=True)``), latest first: {"id", "deleted_at"}."""
        return [{"id": i, "deleted_at": when.isoformat(timespec="seconds")} for i, when in self.store.takedowns()]

    def lift_takedowns(self, article_ids: Iterable[str]) -> builtins.list[str]:
        """Let ids deleted for good be stored again (a takedown withdrawn), all or none: a
        ``corrections.CorrectionError`` names an id that was not taken down. Returns the ids."""
        from tidings.corrections import CorrectionError

        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        with self.store.transaction() as conn:
            lifted = self.store.lift(conn, ids)
            missing = [i for i in ids if i not in lifted]
            if missing:  # raised inside the transaction: nothing is lifted
                raise CorrectionError(f"not taken down: {', '.join(missing[:5])}"
                                      + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
        return lifted

    def _forget_kept(self) -> None:
        """What an open pipeline's event engine keeps of the store (the places of each day) is read again."""
        if self._pipeline is not None:
            self._pipeline.detector.forget()
            self._pipeline.refresh_founders()  # a moved report may found an event now

    # ---- reads ----------------------------------------------------------------------------------
    def events(self, who: str | None = None, where: str | None = None, language: str | None = None,
               outlet: str | None = None, query: str | None = None, since: str | dt.date | None = None,
               until: str | dt.date | None = None) -> builtins.list[dict[str, Any]]:
        """Events, latest first, filtered by entity name or id, language, outlet, text or dates (``since`` and
        ``until``: a day YYYY-MM-DD, a month YYYY-MM or a year YYYY, both included; an event's date is its happening's,
        else its latest report's). ValueError for a date that is none."""
        first, last = date_span(since, until)
        since, until = (first.isoformat() if first else None), (last.isoformat() if last else None)
        out = []
        who_ids = _query_entity_ids(who, "who") if who else set()
        where_ids = _query_entity_ids(where, "where") if where else set()
        told = self.store.events_with_text(query) if query else set()  # by an article's headline or text
        for e in self.store.events():
            d = event_dict(e)
            if who and not _match_entity(d["who"], who, who_ids):
                continue
            if where and not _match_entity(d["where"], where, where_ids):
                continue
            if language and language not in e.languages:
                continue
            if outlet and not any(outlet.casefold() in (o or "").casefold() for o in e.outlets):
                continue
            when = d["date"] or d["last_date"]
            if since and (when is None or when < since):
                continue
            if until and (when is None or when > until):
                continue
            if query and not (e.id in told or _event_named(e, query)):
                continue
            out.append(d)
        return out

    def events_page(self, limit: int, offset: int = 0, who: str | None = None, where: str | None = None,
                    language: str | None = None, outlet: str | None = None, query: str | None = None,
                    since: str | dt.date | None = None,
                    until: str | dt.date | None = None) -> tuple[int, builtins.list[dict[str, Any]]]:
        """(how many events match, ``limit`` of them from ``offset``): ``events`` a page at a time. Unfiltered or
        by dates and language only, the page is read alone (a web page of a large store stays fast); the
        other filters read every event, as ``events`` does."""
        if not any((who, where, outlet, query)):
            total, page = self.store.event_page(limit, offset, *date_span(since, until), language)
            return total, [event_dict(e) for e in page]
        rows = self.events(who=who, where=where, language=language, outlet=outlet, query=query, since=since,
                           until=until)
        return len(rows), rows[offset:offset + limit]

    def facets(self) -> tuple[builtins.list[str], builtins.list[str]]:
        """The languages and the outlets of the stored articles."""
        return self.store.facets()

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its articles; an id merged away resolves to the event it joined."""
        e = self.store.event(event_id)
        if e is None:
            return None
        members = self.store.articles(event_id=e.id)
        d = event_dict(e, members)
        d["articles"] = [article_dict(a) for a in members]
        d["requested_id"] = event_id
        return d

    def article_event(self, some_id: str) -> str | None:
        """The event of the article ``some_id`` where that is an article's id and no event's (a user holds an
        article's id more often than its event's: `show`, `compare` and the event page take either); else None."""
        if self.store.event(some_id) is not None:
            return None
        found = self.store.article(some_id)
        return found.event_id if found is not None else None

    def article(self, article_id: str, text: bool = True) -> dict[str, Any] | None:
        """One article (with its text), and the earlier versions of it that newer ones replaced."""
        a = self.store.article(article_id)
        if a is None:
            return None
        return article_dict(a, text=text) | {"earlier_versions": self.store.revisions_of(article_id)}

    def articles(self) -> builtins.list[dict[str, Any]]:
        events = {e.id: e.storyline_id for e in self.store.events()}
        out = []
        for a in self.store.articles():
            d = article_dict(a)
            d["storyline"] = events.get(a.event_id or "")
            out.append(d)
        return out

    def storylines(self) -> builtins.list[dict[str, Any]]:
        """Every storyline with the timeline of its events (all their events read in one query, light)."""
        events = self.store.storyline_events()
        return [_storyline_dict(s, events.get(s["id"], [])) for s in self.store.storylines()]

    def storylines_page(self, limit: int, offset: int = 0) -> tuple[int, builtins.list[dict[str, Any]]]:
        """(how many storylines, ``limit`` of them from ``offset``, as ``storylines`` gives them): read a page at
        a time, with the events of that page only."""
        total, rows = self.store.storyline_page(limit, offset)
        events = self.store.storyline_events([r["id"] for r in rows])
        return total, [_storyline_dict(r, events.get(r["id"], [])) for r in rows]

    def storyline(self, sid: str) -> dict[str, Any] | None:
        s = self.store.storyline(sid)
        if s is None:
            return None
        return _storyline_dict(s, self.store.events(storyline=s["id"]))

    def export_articles(self) -> builtins.list[dict[str, Any]]:
        """One record per article, in arrival order: id, language, title, outlet, published, event, storyline."""
        return list(self.iter_export_articles())

    def export_events(self) -> builtins.list[dict[str, Any]]:
        """One record per event: id, articles, languages, date, storyline, who, where, title, sources."""
        return list(self.iter_export_events())

    def iter_export_articles(self) -> Iterator[dict[str, Any]]:
        """``export_articles`` one record at a time, read a batch at a time: a large store is never held
        whole in memory."""
        keys = ("id", "language", "title", "outlet", "published", "event")
        storyline_of = {e.id: e.storyline_id for e in self.store.events(light=True)}
        for a in self.store.article_rows():
            d = article_dict(a)
            yield {**{k: d[k] for k in keys}, "storyline": storyline_of.get(a.event_id or "")}

    def iter_export_events(self) -> Iterator[dict[str, Any]]:
        """``export_events`` one record at a time (the article ids of all events in one query)."""
        members = self.store.event_members()
        for e in self.store.events():
            d = event_dict(e)
            d["articles"] = members.get(e.id, [])
            yield {k: d[k] for k in ("id", "articles", "languages", "date", "storyline", "who", "where", "title",
                                     "sources")}

    def close(self) -> None:
        if self._pipeline is not None and self._pipeline.pool is not None:
            self._pipeline.pool.close()  # the encoder workers
        self.store.close()

    def __enter__(self) -> Tidings:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _query_entity_ids(query: str, kind: str) -> set[str]:
    """Entity ids a query names in any language or script (بوتين, Путин -> person:vladimir-putin)."""
    from tidings.embedding import UniversalSentenceEncoder
    from tidings.facts import FactExtractor
    from tidings.language import FastTextLanguageDetector

    extractor = FactExtractor()

    guess = FastTextLanguageDetector(min_confidence=0.0)(query).language or "en"
    if guess not in UniversalSentenceEncoder.languages:  # a short query is often misread; stay in what we cover
        guess = "en"
    ids: set[str] = set()
    for lang in {guess, "en"}:
        facts = extractor(query, lang)
        ids |= {m.entity.id for m in getattr(facts, kind, [])}
    return ids


def _event_named(e: StoredEvent, query: str) -> bool:
    """Whether the event's headline holds ``query``, or a person, organisation or place of it goes by that name."""
    if query.casefold() in (e.title or "").casefold():
        return True
    facts = e.facts or {}
    return any(_match_entity(facts.get(k, []), query) for k in ("who", "where"))


def _match_entity(entities: builtins.list[dict[str, Any]], wanted: str, ids: set[str] | None = None) -> bool:
    """Match by id ("person:vladimir-putin"), by the ids the query names in any script, or by name."""
    w = wanted.casefold().strip()
    for e in entities:
        if ids and e.get("id") in ids:
            return True
        forms = [e.get("id", ""), e.get("name", ""), *e.get("surfaces", [])]
        if any(w == f.casefold() or (len(w) >= 3 and w in f.casefold()) for f in forms if f):
            return True
    return False


def open(db: str | Path | None = None, config: str | Path | None = None,  # noqa: A001
         **settings_overrides: Any) -> Tidings:
    """Open (or create) a store: ``tidings.open("tidings.db")``; keyword arguments override settings
    sections, e.g. ``tidings.open("news.db", events={"threshold": 0.6})``."""
    return Tidings(db, config, **settings_overrides)
