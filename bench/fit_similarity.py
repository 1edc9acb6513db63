"""Fit the pair-similarity models on the shared SemEval-2022 Task 8 sample and write them as JSON.

    python bench/fit_similarity.py [--pairs PATH] [--out src/tidings/models/semeval.json]

Offline only: the package never fits at import or test time. Article preparation and embeddings are
cached (in /tmp by default) so that re-fitting and cross-validation (bench/semeval_cv.py) are fast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from tidings.similarity import DIMENSIONS, PairError, PairSimilarity, Prepared, text_pair_features

PAIRS = Path("/work/shared/data/semeval2022-train-sample/pairs.jsonl")
OUT = Path(__file__).resolve().parents[1] / "src" / "tidings" / "models" / "semeval.json"

# Features of the per-dimension models. Kept few: the sample is small and noisy.
FEATURES = ["align_mean", "align_max", "align_min", "align_sq", "doc_cos", "title_known", "title_cos",
            "same_language", "people_jaccard", "orgs_jaccard", "places_jaccard", "entities_jaccard",
            "entities_shared", "entities_known", "dates_known", "log_days_apart"]
SAME_STORY = 1.5   # overall <= 1.5: the same story
UNRELATED = 3.5    # overall >= 3.5: unrelated


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    seen: set[str] = set()
    rows = []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["pair_id"] not in seen:  # the sample repeats some pairs
            seen.add(row["pair_id"])
            rows.append(row)
    return rows


def prepare_all(rows: list[dict[str, Any]], sim: PairSimilarity, cache: Path | None) -> tuple[dict[str, Prepared],
                                                                                              float]:
    """Every article of the sample prepared and embedded once (cached); returns them and seconds taken."""
    key = hashlib.sha1(json.dumps([r["pair_id"] for r in rows]).encode()).hexdigest()[:10]
    path = cache / f"semeval-prepared-{key}.pkl" if cache else None
    if path and path.exists():
        with path.open("rb") as f:  # our own cache file, written below
            return pickle.load(f)  # noqa: S301
    started = time.perf_counter()
    arts: dict[str, Prepared] = {}
    for r in rows:
        for k, aid in zip((1, 2), r["pair_id"].split("_"), strict=True):
            if aid not in arts:
                try:
                    arts[aid] = sim.prepare(r[f"text{k}"], r.get(f"lang{k}"))
                except PairError:
                    continue
    sim.embed(list(arts.values()))
    seconds = time.perf_counter() - started
    if path:
        with path.open("wb") as f:
            pickle.dump((arts, seconds), f)
    return arts, seconds


def feature_table(rows: list[dict[str, Any]], arts: dict[str, Prepared]) -> tuple[list[dict], np.ndarray,
                                                                                     dict[str, np.ndarray]]:
    """Rows that could be scored, their feature matrix (FEATURES order) and gold scores per dimension."""
    kept, xs = [], []
    for r in rows:
        a, b = r["pair_id"].split("_")
        if a in arts and b in arts:
            feats = text_pair_features(arts[a], arts[b])
            kept.append(r)
            xs.append([feats[n] for n in FEATURES])
    gold = {d: np.array([float(r[d]) for r in kept]) for d in DIMENSIONS}
    return kept, np.array(xs), gold


def fit_models(x: np.ndarray, gold: dict[str, np.ndarray], alpha: float = 3.0, c: float = 0.3) -> dict[str, dict]:
    """Ridge per dimension, logistic for same story vs not; standardised, stored as plain numbers."""
    from sklearn.linear_model import LogisticRegression, Ridge

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    models: dict[str, dict] = {}
    for d in DIMENSIONS:
        m = Ridge(alpha=alpha).fit(z, gold[d])
        models[d] = {"features": FEATURES, "coef": m.coef_.round(6).tolist(), "intercept": round(float(m.intercept_), 6),
                     "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(), "clip": [1.0, 4.0]}
    y = (gold["overall"] <= SAME_STORY).astype(int)
    lr = LogisticRegression(C=c, max_iter=2000).fit(z, y)
    models["same_story"] = {"features": FEATURES, "coef": lr.coef_[0].round(6).tolist(),
                            "intercept": round(float(lr.intercept_[0]), 6), "mean": mean.round(6).tolist(),
                            "scale": scale.round(6).tolist(), "link": "logistic"}
    return models


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=Path("/tmp"))
    args = ap.parse_args()
    rows = load_pairs(args.pairs)
    sim = PairSimilarity(models=None)  # no models yet: we are fitting them
    arts, seconds = prepare_all(rows, sim, args.cache)
    kept, x, gold = feature_table(rows, arts)
    models = fit_models(x, gold)
    spec = {"about": f"Fitted by bench/fit_similarity.py on {len(kept)} pairs of the SemEval-2022 Task 8 "
                     "training sample: ridge per dimension (1-4 scale), logistic P(overall <= 1.5).",
            "same_story_threshold": 0.5, "models": models}
    args.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(f"{len(kept)} pairs, {len(arts)} articles prepared in {seconds:.1f} s; wrote {args.out}")


if __name__ == "__main__":
    main()
