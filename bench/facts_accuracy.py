"""Precision/recall of who and where, accuracy of the happened date, and speed of the FactExtractor.

Data: tests/fixtures/facts/articles.jsonl (our multilingual fixtures) and the five seeds in
/work/shared/seeds (gold from gold.json; the seeds' "where" gold lists only the main countries, so only
their recall is meaningful). Run: python bench/facts_accuracy.py
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from tidings.facts import FactExtractor, Facts

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "facts" / "articles.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"  # shared/ lies beside the checkout, here and in CI

# Seeds' gold has names of the main event only; the publication dates are those of the event reports.
SEED_PUBLISHED = {
    "000": "2021-08-21",
    "001": None,
    "002": "2021-08-21",
    "003": "2021-08-21",
    "004": "2021-04-14",
}


def load_cases() -> list[dict]:
    cases = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]
    for c in cases:
        c["source"] = "fixtures"
    gold_path = SEEDS / "gold.json"
    if gold_path.exists():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for key, art in gold["articles"].items():
            ev = gold["events"][art["main_event"]]
            pub = SEED_PUBLISHED.get(key[:3])
            cases.append(
                {
                    "id": key,
                    "language": art["language"],
                    "published": pub,
                    "source": "seeds",
                    "text": (SEEDS / f"{key}.txt").read_text(encoding="utf-8"),
                    "who": ev["who"],
                    "where": ev["where"],
                    "happened": ev["date"] if pub else None,
                }
            )
    return cases


def _matches(gold_item: str, ids: set[str], names: set[str]) -> bool:
    return gold_item in ids or gold_item.lower() in names


def score(facts: Facts, case: dict, field: str) -> tuple[int, int, int, int]:
    """(gold found, predicted correct, predicted, gold) for one article.
    A gold item is an entity id or a canonical name."""
    ents = {m.entity.id: m.entity for m in getattr(facts, field)}
    gold = case[field]
    pred_ok = 0
    for e in ents.values():
        if any(g == e.id or g.lower() == e.name.lower() for g in gold):
            pred_ok += 1
    ids, names = set(ents), {e.name.lower() for e in ents.values()}
    found = sum(1 for g in gold if _matches(g, ids, names))
    return found, pred_ok, len(ents), len(gold)


def main() -> int:
    fx = FactExtractor()
    cases = load_cases()
    t0 = time.perf_counter()
    fx("warm up", "en")
    load_s = time.perf_counter() - t0
    agg: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    times, chars = [], []
    failures = []
    for c in cases:
        pub = dt.date.fromisoformat(c["published"]) if c.get("published") else None
        t = time.perf_counter()
        f = fx(c["text"], c["language"], pub)
        times.append((time.perf_counter() - t) * 1000)
        chars.append(len(c["text"]))
        for group in (f"{c['source']}:{c['language']}", f"{c['source']}:ALL", "ALL:ALL"):
            a = agg[tuple(group.split(":"))]  # type: ignore[index]
            for field in ("who", "where"):
                found, pred_ok, npred, ngold = score(f, c, field)
                a[f"{field}_found"] += found
                a[f"{field}_gold"] += ngold
                a[f"{field}_pred_ok"] += pred_ok
                a[f"{field}_pred"] += npred
            exp = c.get("happened")
            got = f.happened.isoformat() if f.happened else None
            a["date_ok"] += got == exp
            a["n"] += 1
        if (f.happened.isoformat() if f.happened else None) != c.get("happened"):
            failures.append(f"{c['id']}: happened {f.happened} expected {c.get('happened')}")

    def pct(x: float, y: float) -> str:
        return f"{100 * x / y:5.1f}" if y else "   - "

    print(
        f"{'set':9} {'lang':4} {'n':>3} | {'who P':>6} {'who R':>6} | "
        f"{'where P':>7} {'where R':>7} | {'date acc':>8}"
    )
    for (src, lang), a in sorted(
        agg.items(), key=lambda kv: (kv[0][0] == "ALL", kv[0][0], kv[0][1] == "ALL", kv[0][1])
    ):
        print(
            f"{src:9} {lang:4} {int(a['n']):3d} | {pct(a['who_pred_ok'], a['who_pred']):>6} "
            f"{pct(a['who_found'], a['who_gold']):>6} | {pct(a['where_pred_ok'], a['where_pred']):>7} "
            f"{pct(a['where_found'], a['where_gold']):>7} | {pct(a['date_ok'], a['n']):>8}"
        )
    # speed on 4,000-character articles: each test text repeated/cut to exactly 4,000 characters
    t4k = []
    for c in cases:
        txt = (c["text"] + "\n") * (4000 // max(len(c["text"]), 1) + 1)
        t = time.perf_counter()
        fx(txt[:4000], c["language"], None)
        t4k.append((time.perf_counter() - t) * 1000)
    print(f"\nlexicon load (first call): {load_s:.2f} s")
    print(f"ms per 4,000-character article: mean {statistics.mean(t4k):.2f}, max {max(t4k):.2f}")
    print(
        f"ms/article as given (mean {statistics.mean(chars):.0f} chars): mean {statistics.mean(times):.2f}, "
        f"max {max(times):.2f}"
    )
    print(
        "note: seed gold lists only the main event's people and two countries, "
        "so seed precision is low by design"
    )
    for line in failures:
        print("date miss:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
