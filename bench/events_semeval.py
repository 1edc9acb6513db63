"""The event engine's same-happening decision on the shared SemEval-2022 Task 8 sample (issue 2: the method must
hold on those pairs, not only on our own corpora).

Each article of the sample goes through the ingest's own stages with the default settings: cleaning, language,
who/where/when, chunking and the encoder. Each pair is then scored by the event detector's scorer exactly as the
detector scores a new article against a stored candidate (``OnlineEventDetector.assign``: chunk alignment,
people/organisations/places, dates of the happening, numbers). The sample has no publication dates, so dates
come from the texts alone, as for an undated file. Same story = gold overall <= 1.5, unrelated >= 3.5 (the
issue's cut); the pairs between are left out.

Printed: ROC AUC of the same-happening probability, and at the engine's threshold (``[events] threshold``) the
share of same-story pairs it would put in one event and of unrelated pairs it keeps apart, in total and per
language pair (>= 30 pairs). Nothing is fitted here: the scorer is the shipped one.

    python -W ignore bench/events_semeval.py [--pairs PATH] [--no-cache]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

PAIRS = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
SAME, UNRELATED = 1.5, 3.5
CACHE_VERSION = 15  # bump when cleaning, facts or embedding change what is cached (15: a one-passage article headed)


def load_pairs(path: Path) -> list[dict[str, Any]]:
    """The sample's distinct pairs that are clearly the same story or clearly unrelated."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fit_similarity import load_pairs as distinct_pairs

    return [r for r in distinct_pairs(path) if r["overall"] <= SAME or r["overall"] >= UNRELATED]


def prepare_articles(rows: list[dict[str, Any]], pipeline: Any, cache: Path | None) -> dict[str, Any]:
    """Article id -> the ingest's prepared and embedded Article (or a Skipped), cached by the pair ids."""
    from tidings.readers import record_to_document

    key = hashlib.sha1(json.dumps([r["pair_id"] for r in rows] + [CACHE_VERSION]).encode()).hexdigest()[:10]
    path = cache / f"tidings-events-semeval-{key}.pkl" if cache else None
    if path and path.exists():
        with path.open("rb") as f:  # our own cache file, written below
            return pickle.load(f)  # noqa: S301
    texts: dict[str, tuple[str, str | None]] = {}
    for r in rows:
        for k, aid in zip((1, 2), r["pair_id"].split("_"), strict=True):
            texts.setdefault(aid, (r[f"text{k}"], r.get(f"lang{k}")))
    started = time.perf_counter()
    out: dict[str, Any] = {}
    for aid, (text, lang) in texts.items():
        doc = record_to_document({"id": aid, "text": text, "language": lang}, f"semeval:{aid}", aid)
        out[aid] = pipeline.prepare(doc)
    ready = [a for a in out.values() if not hasattr(a, "reason")]
    for i in range(0, len(ready), 64):
        pipeline.article_embedder(ready[i:i + 64])
    print(f"{len(out)} articles prepared and embedded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if path:
        with path.open("wb") as f:
            pickle.dump(out, f)
    return out


def view(article: Any) -> Any:
    """The detector's view of an article (as ``OnlineEventDetector.assign`` builds it for a new one)."""
    from tidings.similarity import ArticleView, text_numbers

    return ArticleView(vectors=article.vectors, language=article.language, facts=article.facts,
                       date=article.happened or article.published, title=article.title,
                       numbers=text_numbers(article.text))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    from sklearn.metrics import roc_auc_score

    from tidings.config import load_settings
    from tidings.pipeline import Pipeline

    rows = load_pairs(args.pairs)
    settings = load_settings(overrides={"store": {"url": ":memory:"}, "embedder": {"workers": 0}})
    pipeline = Pipeline(settings)
    threshold = pipeline.detector.threshold
    arts = prepare_articles(rows, pipeline, None if args.no_cache else Path("/tmp"))
    views = {aid: view(a) for aid, a in arts.items() if not hasattr(a, "reason")}
    scored: list[tuple[str, bool, float]] = []
    skipped = 0
    for r in rows:
        a, b = r["pair_id"].split("_")
        if a not in views or b not in views:
            skipped += 1
            continue
        p = pipeline.detector.scorer.score(views[a], views[b]).probability
        scored.append((f"{r['lang1']}-{r['lang2']}", r["overall"] <= SAME, p))
    pipeline.close()

    def line(name: str, items: list[tuple[str, bool, float]]) -> str:
        same = np.array([s for _, s, _ in items])
        prob = np.array([p for _, _, p in items])
        auc = roc_auc_score(same, prob) if 0 < same.sum() < len(same) else float("nan")
        joined = (prob[same] >= threshold).mean() if same.any() else float("nan")
        apart = (prob[~same] < threshold).mean() if (~same).any() else float("nan")
        return f"{name:<10} {int(same.sum()):>5} {int((~same).sum()):>9} {auc:>8.3f} {joined:>14.3f} {apart:>13.3f}"

    print(f"{len(scored)} pairs scored ({skipped} with an article the ingest skips), event threshold {threshold}")
    print(f"{'languages':<10} {'same':>5} {'unrelated':>9} {'ROC AUC':>8} {'same: joined':>14} "
          f"{'unrel.: apart':>13}")
    print(line("all", scored))
    by_pair: dict[str, list[tuple[str, bool, float]]] = defaultdict(list)
    for item in scored:
        by_pair[item[0]].append(item)
    for name, items in sorted(by_pair.items(), key=lambda kv: -len(kv[1])):
        if len(items) >= 30:
            print(line(name, items))


if __name__ == "__main__":
    main()
