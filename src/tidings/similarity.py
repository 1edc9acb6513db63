"""Pair similarity: how likely two articles report the same happening, across languages.

The score combines chunk alignment of the two texts (each passage's best match in the other
article, both directions), shared people/places and the distance between the dates of the
happenings, through a small logistic model whose weights ship in ``models/similarity.json``.
Event detection uses the very same score, so improving one improves the other.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import numpy as np

from tidings.registry import register


@dataclass
class ArticleView:
    """What pair scoring needs to know of one article."""

    vectors: np.ndarray                 # (n_chunks, dim), L2-normalised rows
    language: str | None = None
    facts: Any = None                   # tidings.facts.Facts or None
    date: dt.date | None = None         # date of the happening if known
    title: str | None = None


@dataclass
class PairScore:
    probability: float                  # that both report the same happening
    features: dict[str, float] = field(default_factory=dict)


class PairScorer(Protocol):
    def score(self, a: ArticleView, b: ArticleView) -> PairScore: ...


def chunk_alignment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean best-match cosine of a's chunks in b and of b's chunks in a."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    sims = a @ b.T
    return float(sims.max(axis=1).mean()), float(sims.max(axis=0).mean())


def _entity_ids(facts: Any, attr: str, kinds: set[str]) -> set[str]:
    if facts is None:
        return set()
    return {m.entity.id for m in getattr(facts, attr, []) if m.entity.kind in kinds}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair_features(a: ArticleView, b: ArticleView) -> dict[str, float]:
    """The named features the scorer (and the evaluation) works with."""
    ab, ba = chunk_alignment(a.vectors, b.vectors)
    people_a, people_b = (_entity_ids(x.facts, "who", {"person"}) for x in (a, b))
    orgs_a, orgs_b = (_entity_ids(x.facts, "who", {"org"}) for x in (a, b))
    where_a, where_b = (_entity_ids(x.facts, "where", {"country", "city", "place"}) for x in (a, b))
    both_dates = a.date is not None and b.date is not None
    days = abs((a.date - b.date).days) if both_dates else 0  # type: ignore[operator]
    return {
        "align_mean": (ab + ba) / 2,
        "align_max": max(ab, ba),
        "same_language": float(a.language is not None and a.language == b.language),
        "people_known": float(bool(people_a and people_b)),
        "people_jaccard": _jaccard(people_a, people_b),
        "orgs_jaccard": _jaccard(orgs_a, orgs_b),
        "places_jaccard": _jaccard(where_a, where_b),
        "dates_known": float(both_dates),
        "log_days_apart": math.log1p(days),
    }


def _load_weights(name: str) -> dict[str, Any]:
    text = resources.files("tidings").joinpath("models", name).read_text(encoding="utf-8")
    return json.loads(text)


@register("similarity", "chunk-alignment")
class LogisticPairScorer:
    """Features -> same-happening probability with a fitted logistic model (bench/fit_similarity.py)."""

    def __init__(self, weights: str = "similarity.json") -> None:
        model = _load_weights(weights)
        self.names: list[str] = model["features"]
        self.coef = np.asarray(model["coef"], dtype=np.float64)
        self.intercept = float(model["intercept"])
        self.mean = np.asarray(model.get("mean", [0.0] * len(self.names)), dtype=np.float64)
        self.scale = np.asarray(model.get("scale", [1.0] * len(self.names)), dtype=np.float64)

    def score(self, a: ArticleView, b: ArticleView) -> PairScore:
        feats = pair_features(a, b)
        x = (np.array([feats[n] for n in self.names]) - self.mean) / self.scale
        z = float(x @ self.coef + self.intercept)
        return PairScore(1.0 / (1.0 + math.exp(-z)), feats)
