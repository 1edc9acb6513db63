"""5-fold cross-validation of the pair-similarity models on the shared SemEval-2022 Task 8 sample.

    python bench/semeval_cv.py [--pairs PATH] [--folds 5] [--draws 5] [--speed-runs 4]

Folds are grouped by article: pairs sharing an article (pair_id is ``<id1>_<id2>``) are linked, and each
connected group lies wholly in one fold, so no article is in both the training and the test part.
Prints Pearson with gold per dimension, per language pair (>= 30 pairs), same-story ROC AUC, and
pairs/s of scoring 4,000-character articles (--speed N pairs). Prepared articles are cached in /tmp.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_similarity import (  # noqa: E402, I001
    FEATURES, PAIRS, SAME_STORY, SAME_STORY_MAX_OVERALL, UNRELATED, feature_table, fit_models, load_pairs, prepare_all,
)

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
    ap.add_argument("--speed", type=int, default=128, help="pairs for the speed measurement (0: none)")
    ap.add_argument("--speed-runs", type=int, default=1, help="speed measurements, one after the other")
    ap.add_argument("--without", action="append", default=[], metavar="TEXT",
                    help="also Pearson per language pair without the pairs whose texts contain TEXT (repeatable)")
    ap.add_argument("--draws", type=int, default=1,
                    help="fold draws (the groups permuted before GroupKFold; draw 0 is the table's): mean and range")
    args = ap.parse_args()
    rows = load_pairs(args.pairs)
    sim = PairSimilarity()
    arts, seconds = prepare_all(rows, sim, None if args.no_cache else Path("/tmp"))
    kept, x, gold = feature_table(rows, arts)
    groups = article_groups([r["pair_id"] for r in kept])
    pred = cross_validate(kept, x, gold, groups, args.folds)
    print(f"{len(kept)} pairs ({len(rows) - len(kept)} not scorable), {len(arts)} articles, "
          f"{args.folds}-fold CV grouped by article")
    print(f"{'dimension':<12} {'pearson':>8}")
    for d in DIMENSIONS:
        print(f"{d:<12} {pearsonr(pred[d], gold[d])[0]:>8.3f}")
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(kept):
        by_lang[f"{r['lang1']}-{r['lang2']}"].append(i)
    # --without: the same Pearson on the pairs whose texts contain none of the given strings (where the error sits)
    keep = np.array([not any(w in r["text1"] + r["text2"] for w in args.without) for r in kept])
    print(f"\n{'languages':<10} {'pairs':>6} {'pearson overall':>16}" + (" without (pairs)" if args.without else ""))
    for lang, idx in sorted(by_lang.items(), key=lambda kv: -len(kv[1])):
        if len(idx) >= 30:
            line = f"{lang:<10} {len(idx):>6} {pearsonr(pred['overall'][idx], gold['overall'][idx])[0]:>16.3f}"
            if args.without:
                rest = [i for i in idx if keep[i]]
                line += f" {pearsonr(pred['overall'][rest], gold['overall'][rest])[0]:>8.3f} ({len(rest)})"
            print(line)
    sel = (gold["overall"] <= SAME_STORY) | (gold["overall"] >= UNRELATED)
    y = gold["overall"][sel] <= SAME_STORY
    print(f"\nsame story (overall <= {SAME_STORY}) vs unrelated (>= {UNRELATED}): {int(y.sum())} vs "
          f"{int((~y).sum())}; ROC AUC {roc_auc_score(y, pred['same_story'][sel]):.3f} (probability), "
          f"{roc_auc_score(y, -pred['overall'][sel]):.3f} (overall)")
    acc = np.mean((pred["overall"][sel] <= SAME_STORY_MAX_OVERALL) == y)
    acc_all = np.mean((pred["overall"] <= SAME_STORY_MAX_OVERALL) == (gold["overall"] <= 2.0))
    print(f"same_story verdict (predicted overall <= {SAME_STORY_MAX_OVERALL}) accuracy: {acc:.3f} on those pairs, "
          f"{acc_all:.3f} on all pairs against gold overall <= 2")
    if args.draws > 1:
        draws(kept, x, gold, groups, args.folds, args.draws)
    if args.speed:
        for _ in range(args.speed_runs):  # the machine is shared: several runs show the spread
            rate, errors = speed(sim, rows, args.speed)
            print(f"speed: {rate:.1f} pairs/s of 4,000-character articles ({args.speed} pairs, {errors} errors, "
                  f"through PairSimilarity.compare_many, model loaded, {sim.workers} worker processes; first "
                  f"{sim.max_chars:,} chars embedded)")


def cross_validate(kept: list[dict], x: np.ndarray, gold: dict[str, np.ndarray], groups: np.ndarray,
                   folds: int) -> dict[str, np.ndarray]:
    """Out-of-fold predictions of every model, through the shipped evaluator (load_model), folds by group."""
    pred = {d: np.zeros(len(kept)) for d in (*DIMENSIONS, "same_story")}
    for train, test in GroupKFold(n_splits=folds).split(x, groups=groups):
        assert not ({a for i in train for a in kept[i]["pair_id"].split("_")}
                    & {a for i in test for a in kept[i]["pair_id"].split("_")})
        models = fit_models(x[train], {d: g[train] for d, g in gold.items()})
        for d, spec in models.items():
            m = load_model(spec)
            pred[d][test] = m.predict_rows(x[test][:, [FEATURES.index(n) for n in m.names]])
    return pred


def draws(kept: list[dict], x: np.ndarray, gold: dict[str, np.ndarray], groups: np.ndarray, folds: int,
          n: int) -> None:
    """Mean, min and max over n fold draws: one draw's figure moves by +-0.002 overall, +-0.01 on ar-ar."""
    langs: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(kept):
        langs[f"{r['lang1']}-{r['lang2']}"].append(i)
    sel = (gold["overall"] <= SAME_STORY) | (gold["overall"] >= UNRELATED)
    figures: dict[str, list[float]] = defaultdict(list)
    for k in range(n):
        # draw 0: the groups as numbered (the table above); others: the group numbers permuted, so that
        # GroupKFold (which balances fold sizes by group number order) deals the groups out differently
        g = groups if k == 0 else np.random.default_rng(k).permutation(groups.max() + 1)[groups]
        pred = cross_validate(kept, x, gold, g, folds)
        for d in DIMENSIONS:
            figures[d].append(pearsonr(pred[d], gold[d])[0])
        for lang, idx in langs.items():
            if len(idx) >= 30:
                figures[lang].append(pearsonr(pred["overall"][idx], gold["overall"][idx])[0])
        figures["AUC"].append(roc_auc_score(gold["overall"][sel] <= SAME_STORY, -pred["overall"][sel]))
    print(f"\nover {n} fold draws: mean (min-max)")
    for name, vals in sorted(figures.items(), key=lambda kv: (kv[0] not in DIMENSIONS, -len(langs.get(kv[0], [])))):
        print(f"{name:<12} {np.mean(vals):.3f} ({min(vals):.3f}-{max(vals):.3f})")


def speed(sim: PairSimilarity, rows: list[dict], n: int) -> tuple[float, int]:
    """Pairs/s and errors for ~4,000-character articles, each built by joining sample texts of one language.

    The languages take turns (en, de, es, tr, pl, ar, fr) and, but for the smallest languages, no two
    articles share a text; the language is left to the detector, as in `tidings similarity`. A first
    round of as many other articles warms up what loads once per process (the models, per-language
    lexicons, dateparser's per-locale patterns): the figure is the steady state of a long run.
    """
    by_lang: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for k in (1, 2):
            if r[f"text{k}"] not in by_lang[r[f"lang{k}"]]:
                by_lang[r[f"lang{k}"]].append(r[f"text{k}"])
    langs = sorted(by_lang, key=lambda lang: -len(by_lang[lang]))
    used = dict.fromkeys(langs, 0)
    docs: list[str] = []
    warm = 2 * n  # as many other articles: lazy loads (dateparser's locales, met one text at a time) are done
    while len(docs) < 2 * n + warm:
        lang = langs[len(docs) % len(langs)]
        doc: list[str] = []
        while sum(map(len, doc)) < 4000:
            doc.append(by_lang[lang][used[lang] % len(by_lang[lang])])
            used[lang] += 1
        docs.append("\n".join(doc)[:4000])
    recs = [{"pair_id": str(k), "text1": docs[warm + 2 * k], "text2": docs[warm + 2 * k + 1]} for k in range(n)]
    sim.compare_many([{"pair_id": str(k), "text1": docs[k], "text2": docs[k + 1]} for k in range(0, warm, 2)])
    started = time.perf_counter()
    out = sim.compare_many(recs)
    return n / (time.perf_counter() - started), sum("error" in o for o in out)


if __name__ == "__main__":
    main()
