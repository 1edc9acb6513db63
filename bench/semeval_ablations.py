"""What else was tried on the SemEval-2022 Task 8 sample, under the same grouped cross-validation.

    python bench/semeval_ablations.py [--draws 5] [--only NAME ...]

Each variant changes one thing of the overall model of bench/fit_similarity.py (the trees, their target, a
second model family, or a feature added) and prints Pearson with gold overall, in total and per language
pair (>= 30 pairs), and same-story ROC AUC, as the mean over --draws fold draws (draw 0 is the table of
bench/semeval_cv.py; others permute the group numbers before GroupKFold). Trees are evaluated by sklearn
here (the shipped evaluator gives the same up to thresholds rounded to 6 decimals). Uses the cache of
prepared articles in /tmp that fit_similarity.py and semeval_cv.py write.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_similarity import (  # noqa: E402, I001
    FEATURES, GBM, MONOTONE, OVERALL_NARRATIVE, PAIRS, SAME_STORY, UNRELATED, load_pairs, prepare_all,
)
from semeval_cv import article_groups  # noqa: E402

from tidings.similarity import DIMENSIONS, PairSimilarity, Prepared, text_pair_features  # noqa: E402

Predict = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (train rows, test rows) -> predicted overall


def _people_against(a: Prepared, b: Prepared) -> dict[str, float]:
    f = text_pair_features(a, b)
    return {"people_against": f["people_against"], "central_against": f["central_against"]}


def _people_shared(a: Prepared, b: Prepared) -> dict[str, float]:
    f = text_pair_features(a, b)
    return {"main_person_shared": f["main_person_shared"], "people_overlap": f["people_overlap"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="variants to run (default: all)")
    args = ap.parse_args()
    rows = load_pairs(args.pairs)
    arts, _ = prepare_all(rows, PairSimilarity(models=None), Path("/tmp"))
    kept, sides = [], []
    for r in rows:
        a, b = r["pair_id"].split("_")
        if a in arts and b in arts:
            kept.append(r)
            sides.append((arts[a], arts[b]))
    feats = [text_pair_features(a, b) for a, b in sides]
    gold = {d: np.array([float(r[d]) for r in kept]) for d in DIMENSIONS}
    x = np.array([[f[n] for n in FEATURES] for f in feats])
    mono = [MONOTONE[n] for n in FEATURES]
    target = (1 - OVERALL_NARRATIVE) * gold["overall"] + OVERALL_NARRATIVE * gold["narrative"]
    groups = article_groups([r["pair_id"] for r in kept])
    lang = np.array([f"{r['lang1']}-{r['lang2']}" for r in kept])

    def trees(xs: np.ndarray = x, y: np.ndarray = target, cst: list[int] | None = mono, **kw: object) -> Predict:
        params = {**GBM, **kw}
        return lambda tr, te: HistGradientBoostingRegressor(**params, monotonic_cst=cst).fit(xs[tr], y[tr]) \
            .predict(xs[te])

    def with_feature(fn: Callable[[Prepared, Prepared], dict[str, float]], sign: int) -> Predict:
        new = [fn(a, b) for a, b in sides]
        names = list(new[0])
        xs = np.hstack([x, np.array([[d[n] for n in names] for d in new])])
        return trees(xs, cst=mono + [sign] * len(names))

    def bagged(n: int, max_features: float) -> Predict:
        def predict(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            return np.mean([trees(random_state=s, max_features=max_features)(tr, te) for s in range(n)], axis=0)
        return predict

    def weighted(w: np.ndarray) -> Predict:
        return lambda tr, te: HistGradientBoostingRegressor(**GBM, monotonic_cst=mono).fit(
            x[tr], target[tr], sample_weight=w[tr]).predict(x[te])

    def stacked(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        # overall from out-of-fold predictions of the base model and the four dimension models, nested: the
        # stacker is fitted on inner out-of-fold predictions of the training part only
        models = [trees()] + [trees(y=gold[d]) for d in ("narrative", "entities", "geography", "time")]
        inner = np.zeros((len(tr), len(models)))
        for itr, ite in GroupKFold(n_splits=5).split(tr, groups=groups[tr]):
            inner[ite] = np.column_stack([m(tr[itr], tr[ite]) for m in models])
        outer = np.column_stack([m(tr, te) for m in models])
        return Ridge(alpha=1.0, positive=True).fit(inner, target[tr]).predict(outer)

    key = [FEATURES.index(n) for n in ("doc_cos", "title_x_chunk", "align_mean", "sent_align_mean", "title_cos",
                                       "entities_shared", "lead_cos", "sent_matched")]

    def knn_blend(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        scale = StandardScaler().fit(x[tr][:, key])
        knn = KNeighborsRegressor(40, weights="distance").fit(scale.transform(x[tr][:, key]), target[tr])
        return 0.75 * trees()(tr, te) + 0.25 * knn.predict(scale.transform(x[te][:, key]))

    def ordinal(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        y = np.clip(np.round(gold["overall"][tr]), 1, 4).astype(int)
        m = HistGradientBoostingClassifier(**GBM).fit(x[tr], y)
        return m.predict_proba(x[te]) @ m.classes_

    count = {k: int((lang == k).sum()) for k in set(lang)}
    variants: dict[str, Predict] = {
        "shipped": trees(),
        "bagged 5 (max_features 0.7)": bagged(5, 0.7),
        "learning_rate 0.03, 250 trees": trees(learning_rate=0.03, max_iter=250),
        "min_samples_leaf 10": trees(min_samples_leaf=10),
        "min_samples_leaf 30": trees(min_samples_leaf=30),
        "depth 2, 300 trees": trees(max_depth=2, max_leaf_nodes=4, max_iter=300),
        "100 trees": trees(max_iter=100),
        "200 trees": trees(max_iter=200),
        "no monotone constraints": trees(cst=None),
        "target 0.5 overall + 0.5 narrative": trees(y=0.5 * gold["overall"] + 0.5 * gold["narrative"]),
        "target + 0.15 entities": trees(y=0.6 * gold["overall"] + 0.25 * gold["narrative"] + 0.15 * gold["entities"]),
        "absolute error loss": trees(loss="absolute_error"),
        "language pairs weighted 1/sqrt(n)": weighted(np.array([count[k] ** -0.5 for k in lang])),
        "stacked on dimension models": stacked,
        "0.25 kNN blend": knn_blend,
        "ordinal classifier, expectation": ordinal,
        "+ top-3 sentence pairs": with_feature(_top3, -1),
        "+ one-to-one sentence matching": with_feature(_one_to_one, -1),
        "+ doc/chunk cosine minus sent_all_mean": with_feature(_relative, -1),
        "+ length min and ratio": with_feature(_lengths, 0),
        "+ first 10 words overlap": with_feature(_head_overlap, -1),
        "+ people against, central people against": with_feature(_people_against, 1),
        "+ main person shared, people overlap": with_feature(_people_shared, -1),
    }
    langs = sorted((k for k, n in count.items() if n >= 30), key=lambda k: -count[k])
    print(f"{'variant':<40} {'overall':>7} {'AUC':>6} " + " ".join(f"{k:>6}" for k in langs))
    sel = (gold["overall"] <= SAME_STORY) | (gold["overall"] >= UNRELATED)
    for name, predict in variants.items():
        if args.only and name not in args.only:
            continue
        figures: dict[str, list[float]] = defaultdict(list)
        for k in range(args.draws):
            g = groups if k == 0 else np.random.default_rng(k).permutation(groups.max() + 1)[groups]
            pred = np.zeros(len(kept))
            for tr, te in GroupKFold(n_splits=5).split(x, groups=g):
                pred[te] = predict(tr, te)
            figures["overall"].append(pearsonr(pred, gold["overall"])[0])
            figures["AUC"].append(roc_auc_score(gold["overall"][sel] <= SAME_STORY, -pred[sel]))
            for k2 in langs:
                figures[k2].append(pearsonr(pred[lang == k2], gold["overall"][lang == k2])[0])
        print(f"{name:<40} {np.mean(figures['overall']):>7.3f} {np.mean(figures['AUC']):>6.3f} "
              + " ".join(f"{np.mean(figures[k]):>6.3f}" for k in langs), flush=True)


def _top3(a: Prepared, b: Prepared) -> dict[str, float]:
    sims = a.sentence_vectors @ b.sentence_vectors.T  # type: ignore[operator]
    return {"sent_top3": float(np.sort(sims.ravel())[-3:].mean())}


def _one_to_one(a: Prepared, b: Prepared) -> dict[str, float]:
    from scipy.optimize import linear_sum_assignment

    sims = a.sentence_vectors @ b.sentence_vectors.T  # type: ignore[operator]
    r, c = linear_sum_assignment(-sims)
    return {"sent_one_to_one": float(sims[r, c].mean())}


def _relative(a: Prepared, b: Prepared) -> dict[str, float]:
    base = float((a.sentence_vectors @ b.sentence_vectors.T).mean())  # type: ignore[operator]
    chunks = a.vectors @ b.vectors.T  # type: ignore[operator]
    return {"doc_rel": float(a.doc_vector @ b.doc_vector) - base,  # type: ignore[operator]
            "align_rel": float(chunks.max(axis=1).mean() + chunks.max(axis=0).mean()) / 2 - base}


def _lengths(a: Prepared, b: Prepared) -> dict[str, float]:
    short, long = sorted((len(a.text), len(b.text)))
    return {"len_min": float(np.log1p(short)), "len_ratio": short / max(long, 1)}


_WORD = re.compile(r"\w+")


def _head_overlap(a: Prepared, b: Prepared) -> dict[str, float]:
    # the first ten words (where the headline is) of one language, words cut to 5 letters
    if a.language != b.language:
        return {"head_overlap": float("nan")}
    wa, wb = ({w.lower()[:5] for w in _WORD.findall(p.text)[:10] if len(w) > 3} for p in (a, b))
    return {"head_overlap": len(wa & wb) / min(len(wa), len(wb)) if wa and wb else float("nan")}


if __name__ == "__main__":
    main()
