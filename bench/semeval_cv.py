"""5-fold cross-validation of the pair-similarity models on the shared SemEval-2022 Task 8 sample.

    python bench/semeval_cv.py [--pairs PATH] [--folds 5]

Folds are grouped by article: pairs sharing an article (pair_id is ``<id1>_<id2>``) are linked, and each
connected group lies wholly in one fold, so no article is in both the training and the test part.
Prints Pearson with gold per dimension, per language pair (>= 30 pairs), same-story ROC AUC, and
pairs/s of preparing and embedding (from the cache's first run; pass --no-cache to measure anew).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_similarity import FEATURES, PAIRS, SAME_STORY, SAME_STORY_MAX_OVERALL, UNRELATED, feature_table, fit_models, load_pairs, prepare_all  # noqa: E402, I001

from tidings.similarity import DIMENSIONS, PairSimilarity, load_model  # noqa: E402


def article_groups(pair_ids: list[str]) -> np.ndarray:
    """Connected component of each pair in the graph whose edges are pairs and nodes articles."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pair_ids:
        a, b = p.split("_")
        parent[find(a)] = find(b)
    roots = {r: i for i, r in enumerate(sorted({find(p.split("_")[0]) for p in pair_ids}))}
    return np.array([roots[find(p.split("_")[0])] for p in pair_ids])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    rows = load_pairs(args.pairs)
    sim = PairSimilarity(models=None)
    arts, seconds = prepare_all(rows, sim, None if args.no_cache else Path("/tmp"))
    kept, x, gold = feature_table(rows, arts)
    groups = article_groups([r["pair_id"] for r in kept])
    pred = {d: np.zeros(len(kept)) for d in (*DIMENSIONS, "same_story")}
    for train, test in GroupKFold(n_splits=args.folds).split(x, groups=groups):
        assert not ({a for i in train for a in kept[i]["pair_id"].split("_")}
                    & {a for i in test for a in kept[i]["pair_id"].split("_")})
        models = fit_models(x[train], {d: g[train] for d, g in gold.items()})
        for d, spec in models.items():
            m = load_model(spec)
            pred[d][test] = [m(dict(zip(FEATURES, row, strict=True))) for row in x[test]]
    print(f"{len(kept)} pairs ({len(rows) - len(kept)} not scorable), {len(arts)} articles, "
          f"{args.folds}-fold CV grouped by article")
    print(f"{'dimension':<12} {'pearson':>8}")
    for d in DIMENSIONS:
        print(f"{d:<12} {pearsonr(pred[d], gold[d])[0]:>8.3f}")
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(kept):
        by_lang[f"{r['lang1']}-{r['lang2']}"].append(i)
    print(f"\n{'languages':<10} {'pairs':>6} {'pearson overall':>16}")
    for lang, idx in sorted(by_lang.items(), key=lambda kv: -len(kv[1])):
        if len(idx) >= 30:
            print(f"{lang:<10} {len(idx):>6} {pearsonr(pred['overall'][idx], gold['overall'][idx])[0]:>16.3f}")
    sel = (gold["overall"] <= SAME_STORY) | (gold["overall"] >= UNRELATED)
    y = gold["overall"][sel] <= SAME_STORY
    print(f"\nsame story (overall <= {SAME_STORY}) vs unrelated (>= {UNRELATED}): {int(y.sum())} vs "
          f"{int((~y).sum())}; ROC AUC {roc_auc_score(y, pred['same_story'][sel]):.3f} (probability), "
          f"{roc_auc_score(y, -pred['overall'][sel]):.3f} (overall)")
    acc = np.mean((pred["overall"][sel] <= SAME_STORY_MAX_OVERALL) == y)
    acc_all = np.mean((pred["overall"] <= SAME_STORY_MAX_OVERALL) == (gold["overall"] <= 2.0))
    print(f"same_story verdict (predicted overall <= {SAME_STORY_MAX_OVERALL}) accuracy: {acc:.3f} on those pairs, "
          f"{acc_all:.3f} on all pairs against gold overall <= 2")
    chars = np.mean([len(r["text1"]) + len(r["text2"]) for r in kept]) / 2
    print(f"speed: {len(arts)} articles (mean {chars:.0f} chars) prepared and embedded in {seconds:.1f} s = "
          f"{len(kept) / seconds:.1f} pairs/s of this sample (articles shared between pairs embedded once)")


if __name__ == "__main__":
    main()
