"""Event detection: assign each new article, online and in arrival order, to a happening.

Candidates come from the nearest-neighbour index over chunk vectors (so one article costs about
the same however large the store is), are filtered by a time window on the dates of the
happenings, and are scored in full with the pair scorer. An article that reaches the threshold
for two events bridges them: they merge, and the absorbed id keeps resolving to the survivor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection

from tidings.articles import Article
from tidings.facts import Facts, aggregate
from tidings.index import VectorIndex
from tidings.registry import register
from tidings.similarity import ArticleView, PairScorer
from tidings.store import Store, StoredArticle, StoredEvent


@dataclass
class Assignment:
    event_id: str
    created: bool
    score: float                         # probability of the best match (1.0 for a copy, 0 for new)
    merged: list[str] = field(default_factory=list)   # event ids merged into event_id
    matched_article: str | None = None


def facts_from_dict(data: dict | None) -> Any:
    return Facts.from_dict(data) if data else None


def view_of(article: StoredArticle, vectors: np.ndarray) -> ArticleView:
    return ArticleView(vectors=vectors, language=article.language, facts=facts_from_dict(article.facts),
                       date=article.date, title=article.title)


def new_event_id(article: Article) -> str:
    """Derived from the founding article, so the same input in the same order gives the same ids."""
    return "ev-" + hashlib.sha1(article.content_hash.encode()).hexdigest()[:12]


def _within(date: dt.date | None, ev: StoredEvent, window: dt.timedelta) -> bool:
    if date is None or ev.date_min is None or ev.date_max is None:
        return True  # an unknown date cannot rule a candidate out
    return ev.date_min - window <= date <= ev.date_max + window


@register("events", "online")
class OnlineEventDetector:
    """Article -> Assignment, against what the store holds so far."""

    def __init__(self, scorer: PairScorer, threshold: float = 0.5, window_days: int = 10,
                 max_candidates: int = 24, neighbours: int = 8, merge_margin: float = 0.15) -> None:
        self.scorer = scorer
        self.threshold = threshold
        self.window = dt.timedelta(days=window_days)
        self.max_candidates = max_candidates
        self.neighbours = neighbours
        self.merge_margin = merge_margin

    def candidates(self, vectors: np.ndarray, index: VectorIndex, store: Store, conn: Connection) -> list[int]:
        """Article seqs whose chunks are nearest to this article's chunks, best first."""
        sims, ids = index.search(vectors, self.neighbours)
        if ids.size == 0:
            return []
        owners = store.chunk_owners(sorted({int(i) for i in ids.ravel() if i >= 0}), conn)
        votes: dict[int, float] = defaultdict(float)
        for row_sims, row_ids in zip(sims, ids, strict=True):
            best_per_article: dict[int, float] = {}
            for s, i in zip(row_sims, row_ids, strict=True):
                seq = owners.get(int(i))
                if seq is not None:
                    best_per_article[seq] = max(best_per_article.get(seq, -1.0), float(s))
            for seq, s in best_per_article.items():
                votes[seq] += s
        return [seq for seq, _ in sorted(votes.items(), key=lambda kv: -kv[1])[: self.max_candidates]]

    def assign(self, article: Article, index: VectorIndex, store: Store, conn: Connection) -> Assignment:
        vectors = article.vectors
        view = ArticleView(vectors=vectors, language=article.language, facts=article.facts,
                           date=article.happened or article.published, title=article.title)
        seqs = self.candidates(vectors, index, store, conn)
        best_by_event: dict[str, tuple[float, str]] = {}
        if seqs:
            stored = store.articles(seqs=seqs, conn=conn)
            vecs = store.vectors_of(seqs, conn)
            event_ids = sorted({a.event_id for a in stored if a.event_id})
            evs = {e.id: e for e in store.events(ids=event_ids, conn=conn)}
            for cand in stored:
                ev = evs.get(cand.event_id or "")
                if ev is None or cand.seq not in vecs or not _within(view.date, ev, self.window):
                    continue
                if view.date and cand.date and abs(view.date - cand.date) > self.window:
                    continue
                p = self.scorer.score(view, view_of(cand, vecs[cand.seq])).probability
                if p > best_by_event.get(ev.id, (-1.0, ""))[0]:
                    best_by_event[ev.id] = (p, cand.id)
        ranked = sorted(best_by_event.items(), key=lambda kv: -kv[1][0])
        if not ranked or ranked[0][1][0] < self.threshold:
            return Assignment(new_event_id(article), created=True, score=ranked[0][1][0] if ranked else 0.0)
        target, (p, matched) = ranked[0]
        merged = [eid for eid, (q, _) in ranked[1:] if q >= self.threshold + self.merge_margin]
        return Assignment(target, created=False, score=p, merged=merged, matched_article=matched)


def summarise_event(event_id: str, members: list[StoredArticle], previous: StoredEvent | None,
                    now: dt.datetime) -> StoredEvent:
    """Recompute an event's aggregate fields from its articles."""
    dates = [a.date for a in members if a.date]
    happened = Counter(a.happened for a in members if a.happened)
    parsed = [f for f in (facts_from_dict(a.facts) for a in members) if f is not None]
    facts = aggregate(parsed) if parsed else None
    date = None
    if facts and facts.get("date"):
        date = dt.date.fromisoformat(facts["date"])
    elif happened:
        date = happened.most_common(1)[0][0]
    titled = [a for a in members if a.title]
    title = (titled[0] if titled else members[0]).display_title
    langs = Counter(a.language for a in members if a.language)
    outlets = Counter(a.outlet for a in members if a.outlet)
    return StoredEvent(
        id=event_id, title=title, date=date,
        date_min=min(dates) if dates else None, date_max=max(dates) if dates else None,
        size=len(members), sources=sum(1 for a in members if not a.duplicate_of),
        languages=[lang for lang, _ in langs.most_common()], outlets=[o for o, _ in outlets.most_common()],
        facts=facts, storyline_id=previous.storyline_id if previous else None,
        created_at=previous.created_at if previous and previous.created_at else now, updated_at=now,
    )
