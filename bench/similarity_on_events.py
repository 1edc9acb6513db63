"""Could the SemEval similarity decide "same event"? Both scorers on the event corpora's gold pairs.

Issue 3 asks that the pair similarity (``tidings similarity``: gradient-boosted trees fitted on the SemEval-2022
Task 8 sample, src/tidings/models/semeval.json) be what event detection uses. This measures whether that would help:
every pair the online detector could score in each event corpus (dates within its window, bench/event_pairs.py),
labelled same happening or not by gold, is scored

- by the event scorer the detector uses (hand-set logistic on ``pair_features``, src/tidings/models/similarity.json),
- by the SemEval trees through ``PairSimilarity`` on the same stored texts (predicted overall, lower = more
  similar, and P(same story)).

Printed per corpus: pairs, same-happening pairs, ROC AUC of each score, and the same-happening pairs each finds
when allowed as many false joins as the event scorer makes at its threshold (0.5). Nothing is fitted here.
events_heldout2 was never used to set either model.

    python -W ignore bench/similarity_on_events.py [--fresh]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import event_pairs  # noqa: E402


def found_at_same_false_joins(score: np.ndarray, same: np.ndarray, false_joins: int) -> int:
    """Same-happening pairs scored above the (false_joins + 1)-th best different-happening pair."""
    negatives = np.sort(score[~same])[::-1]
    bar = negatives[false_joins] if false_joins < len(negatives) else -np.inf
    return int(((score > bar) & same).sum())


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import roc_auc_score

    from tidings.api import Tidings
    from tidings.similarity import LogisticPairScorer, PairSimilarity

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fresh", action="store_true", help="ingest the corpora again (event_pairs' cache)")
    ap.add_argument("--threshold", type=float, default=0.5, help="the event scorer's threshold ([events])")
    args = ap.parse_args(argv)
    sim, logistic = PairSimilarity(), LogisticPairScorer()
    print(f"{'corpus':<13} {'pairs':>5} {'same':>5}   {'ROC AUC: event scorer':>21} {'trees overall':>13} "
          f"{'trees P(same story)':>19}   {'same found at equal false joins: event':>38} {'trees':>6}")
    for name in event_pairs.CORPORA:
        pairs = event_pairs.pairs(name, fresh=args.fresh)
        _, gold = event_pairs._gold(name)
        with Tidings(event_pairs.CACHE / name / "pairs.db") as t:
            stored = {event_pairs._gold_id(a.id, gold): a for a in t.store.articles()}
        prepared = {}
        for gid in sorted({p.a for p in pairs} | {p.b for p in pairs}):
            a = stored[gid]
            prepared[gid] = sim.prepare(a.text, a.language, a.title, a.published)
        sim.embed(list(prepared.values()))
        trees = sim.predict_many([(prepared[p.a], prepared[p.b]) for p in pairs])
        same = np.array([p.same for p in pairs])
        event = np.array([logistic.score(p.view_a, p.view_b).probability for p in pairs])
        overall = -np.array([r["overall"] for r in trees])  # lower overall = more similar: negated for AUC
        story = np.array([r["same_story_probability"] for r in trees])
        false_joins = int(((event >= args.threshold) & ~same).sum())
        joined = int(((event >= args.threshold) & same).sum())
        print(f"{name:<13} {len(pairs):>5} {int(same.sum()):>5}   {roc_auc_score(same, event):>21.3f} "
              f"{roc_auc_score(same, overall):>13.3f} {roc_auc_score(same, story):>19.3f}   "
              f"{joined:>32} ({false_joins} false) {found_at_same_false_joins(story, same, false_joins):>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
