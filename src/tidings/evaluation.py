"""Evaluation: pair scores against gold (SemEval-2022 Task 8 style) and event clusters against gold events.

Pair mode: Pearson of predicted and gold scores per dimension and per language pair, and ROC AUC of
telling the same story (gold overall <= 1.5) from unrelated (>= 3.5). Cluster mode: B-cubed and
pairwise precision/recall/F1 of the store's events against gold events.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from tidings.similarity import DIMENSIONS

SAME_STORY = 1.5
UNRELATED = 3.5


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, p: float, r: float) -> PRF:
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def pearson(x: Iterable[float], y: Iterable[float]) -> float:
    a, b = np.asarray(list(x), float), np.asarray(list(y), float)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def roc_auc(scores: Iterable[float], labels: Iterable[bool]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    from scipy.stats import rankdata

    s, y = np.asarray(list(scores), float), np.asarray(list(labels), bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if not n_pos or not n_neg:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def gold_problem(row: Mapping[str, Any]) -> str | None:
    """Why a gold pair cannot be used (a dimension that is not a number from 1 to 4), or None."""
    for d in DIMENSIONS:
        v = row.get(d)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or not 1 <= v <= 4):
            return f"pair {row.get('pair_id')!r}: gold {d!r} must be a number from 1 to 4, not {v!r}"
    return None


def evaluate_pairs(gold: list[Mapping[str, Any]], predicted: list[Mapping[str, Any]]) -> dict[str, Any]:
    """gold and predicted aligned row by row; rows whose prediction is an error record are counted and left out."""
    rows = [(g, p) for g, p in zip(gold, predicted, strict=True) if "error" not in p]
    report: dict[str, Any] = {"pairs": len(rows), "errors": len(gold) - len(rows), "pearson": {}, "by_language": {}}
    for d in DIMENSIONS:
        pts = [(p[d], g[d]) for g, p in rows if g.get(d) is not None and p.get(d) is not None]
        if pts:
            report["pearson"][d] = pearson(*zip(*pts, strict=True))
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for g, p in rows:
        if g.get("overall") is not None:
            groups[f"{g.get('lang1') or p.get('lang1') or '?'}-{g.get('lang2') or p.get('lang2') or '?'}"].append(
                (p["overall"], g["overall"]))
    for lang, pts in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        report["by_language"][lang] = {"pairs": len(pts), "pearson": pearson(*zip(*pts, strict=True))}
    decided = [(g, p) for g, p in rows if g.get("overall") is not None
               and (g["overall"] <= SAME_STORY or g["overall"] >= UNRELATED)]
    labels = [g["overall"] <= SAME_STORY for g, _ in decided]
    report["same_story"] = {
        "positives": sum(labels), "negatives": len(labels) - sum(labels),
        "auc": roc_auc([-p["overall"] for _, p in decided], labels),  # lower overall = more similar
        "accuracy": float(np.mean([bool(p["same_story"]) == y for (_, p), y in zip(decided, labels, strict=True)]))
        if decided and all("same_story" in p for _, p in decided) else float("nan"),
    }
    return report


# ---- clusters ------------------------------------------------------------------------------------

def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """B-cubed over the items in gold (an item missing from predicted counts as a singleton)."""
    items = list(gold)
    pred = {i: predicted.get(i, f"\0single:{i}") for i in items}
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    if not items:
        return PRF(0.0, 0.0, 0.0)
    p = r = 0.0
    for i in items:
        shared = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += shared / len(by_pred[pred[i]])
        r += shared / len(by_gold[gold[i]])
    return PRF.of(p / len(items), r / len(items))


def bcubed_among_others(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """B-cubed over the items in gold, where ``predicted`` also places items of other happenings (not in gold: the rest
    of a dense stream): each of those in a gold item's cluster counts against its precision. An item missing from
    predicted counts as a singleton."""
    members: dict[str, set[str]] = defaultdict(set)
    for item, cluster in predicted.items():
        members[cluster].add(item)
    size: dict[str, int] = defaultdict(int)
    for event in gold.values():
        size[event] += 1
    if not gold:
        return PRF(0.0, 0.0, 0.0)
    p = r = 0.0
    for item, event in gold.items():
        mates = members[predicted[item]] if item in predicted else {item}
        shared = sum(1 for m in mates if gold.get(m) == event)
        p += shared / len(mates)
        r += shared / size[event]
    return PRF.of(p / len(gold), r / len(gold))


def pairwise(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """Precision/recall of 'same cluster' over all pairs of gold items (1.0 where there is nothing to get wrong)."""
    items = sorted(gold)
    pred = {i: predicted.get(i, f"\0single:{i}") for i in items}
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    return PRF.of(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


# What data sets call an article's gold event
GOLD_EVENT_KEYS = ("event", "event_id", "cluster", "cluster_id", "story", "story_id")


def _gold_event(row: dict[str, Any]) -> Any:
    return next((row[k] for k in GOLD_EVENT_KEYS if row.get(k) not in (None, "")), None)


def load_gold_clusters(path: str | Path) -> dict[str, str]:
    """JSON lines ``{"id", "event"}`` (the articles' own lines will do: other fields are ignored), a CSV or TSV table
    with those columns, or a JSON object like the seeds' gold.json (articles.*.main_event). The event may be called
    ``cluster`` or ``story`` (``GOLD_EVENT_KEYS``), as other data sets call it."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".csv", ".tsv"):
        import csv
        import io

        from tidings.readers import table_separator

        sep = table_separator(text.split("\n", 1)[0], path)
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep))
        lines: list[tuple[int, Any]] = [(n + 2, row) for n, row in enumerate(rows)]  # the header is line 1
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("articles"), dict):
            return {k: str(v["main_event"]) for k, v in data["articles"].items() if v.get("main_event")}
        lines = []
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    lines.append((n, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"line {n}: not JSON ({exc.msg})") from None
    gold: dict[str, str] = {}
    for n, row in lines:
        event = _gold_event(row) if isinstance(row, dict) else None
        if event is None or row.get("id") in (None, ""):
            raise ValueError(f"line {n}: a gold line needs 'id' and 'event' (or {', '.join(GOLD_EVENT_KEYS[1:])})")
        gold[str(row["id"])] = str(event)
    return gold


def store_clusters(store: Any, gold_ids: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Event of each gold id in the store (matched by article id, else by source file name); and ids not found."""
    wanted = set(gold_ids)
    found: dict[str, str] = {}
    for a in store.articles():
        if a.event_id is None:
            continue
        keys = {a.id}
        if a.source:
            name = Path(a.source.split("#")[0]).name
            keys |= {name, name.rsplit(".", 1)[0]}
        for k in keys & wanted:
            found[k] = store.resolve(a.event_id)
    return found, sorted(wanted - set(found))


def evaluate_clusters(gold: Mapping[str, str], store: Any) -> dict[str, Any]:
    predicted, missing = store_clusters(store, gold)
    b, pw = bcubed(predicted, gold), pairwise(predicted, gold)
    return {"articles": len(gold), "missing": missing, "gold_events": len(set(gold.values())),
            "predicted_events": len(set(predicted.values())), "bcubed": b.__dict__, "pairwise": pw.__dict__}
