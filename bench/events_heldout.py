"""Event clustering on a held-out multilingual corpus (tests/fixtures/events_heldout/articles.jsonl).

The corpus was written (gold included) before anything was run on it and nothing was tuned to it: 52 articles in
14 languages, 19 gold events, with hard negatives (Xi-Putin in Beijing and seven weeks later in Astana; the Nepal
and Herat earthquakes four days apart; Liverpool-Chelsea in the league and in the League Cup final; Imran Khan's
conviction and its suspension on appeal; the Baltimore bridge collapse and Biden's visit ten days later; Yoon's
martial law and his impeachment vote), singletons, and one syndicated copy (bbc-en-syn = bbc-en, another outlet).

Ingests the corpus into a temporary store with the default settings, in order of publication and in a shuffled
order (seed fixed), and prints B-cubed and pairwise precision/recall/F1 (tidings.evaluation) and the errors: gold
events split (with the pair probability of the scorer across the parts) and predicted events that merge several
gold events (with the pair probability across them). The ingest time of the first order includes loading the model.

    python bench/events_heldout.py [--order date|shuffled|both] [--seed 7] [--json] [--undated-every K]
    python bench/events_heldout.py --spent --order date --brief-every 3 [--brief-chars 280]
    python bench/events_heldout.py --order date --distractors 2500 --corpus FILE

Several ``--corpus`` (or ``--spent``: every corpus whose errors have been read) make one stream, as an archive of many
periods: ids and gold events are prefixed by the corpus folder, and the same kind of happening recurs years apart
(earthquakes, rate decisions, finals, summits of one cast). With ``--undated-every`` that is where an undated report
meets look-alikes of every period.

With ``--brief-every`` K, every K-th article arrives as a brief: its headline and its first sentences up to
``--brief-chars`` characters (at least 120), as a feed's summary or an agency's flash gives it. The report then says
how many of the briefs whose gold event has other articles joined one of them, how many were left alone, and how many
went to an event of other happenings only.

With ``--distractors`` N, the stream is as dense as a monitor's: N real news pages of other happenings (the SemEval
sample's, ``DISTRACTORS``, each text once; mostly of 2020) arrive with the corpus, each published on a day drawn at
random from the corpus's days. They are scored as other news: B-cubed runs over the corpus's reports, and a
distractor in a report's event counts against that report's precision. The report says how many of the corpus's
reports share an event with a distractor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "events_heldout" / "articles.jsonl"
SEED = 7
DISTRACTORS = ROOT.parent / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
SYNDICATED = ("bbc-en-syn", "bbc-en")  # (copy, original)
# Corpora whose errors have been read (docs/figures.md, "Events"); the others are reserved (totals only).
SPENT = ["events_heldout", *(f"events_heldout{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 17, 18, 19, 21, 22,
                                                              23, 28, 32, 34, 36, 37, 41, 43, 44, 47, 48, 50,
                                                              53, 55, 59, 62, 64))]


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_many(paths: list[Path]) -> list[dict[str, Any]]:
    """One corpus as it is; several as one stream, ids and gold events prefixed by each corpus's folder name."""
    if len(paths) == 1:
        return load(paths[0])
    out = []
    for path in paths:
        tag = path.parent.name
        out += [r | {"id": f"{tag}/{r['id']}", "event": f"{tag}/{r['event']}"} for r in load(path)]
    return out


def arrival(records: list[dict[str, Any]], order: str, seed: int = SEED) -> list[dict[str, Any]]:
    """By publication date (ties by id), or a fixed random permutation. An article without a publication date
    arrives with the one before it in the file, as a crawl brings the pages of one site or section together."""
    if order == "date":
        keys, last = {}, ""
        for r in records:
            last = r.get("published") or last
            keys[r["id"]] = last
        return sorted(records, key=lambda r: (r.get("published") or keys[r["id"]], r.get("published") is None, r["id"]))
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    return shuffled


def ingest(records: list[dict[str, Any]], workdir: Path):
    """A fresh store in workdir with the records ingested in the given order; returns the open Tidings."""
    from tidings.api import Tidings

    inbox = workdir / "arrivals.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    t = Tidings(workdir / "heldout.db")
    t.ingest([str(inbox)])
    return t


class PairProbe:
    """The pipeline's own pair scorer applied to two stored articles (None where one has no vectors, e.g. a copy)."""

    def __init__(self, t: Any) -> None:
        from tidings.events import view_of

        self.t, self.view_of = t, view_of
        self.articles = {a.id: a for a in t.store.articles()}
        self.vectors = t.store.vectors_of([a.seq for a in self.articles.values()])

    def __call__(self, a: str, b: str) -> float | None:
        x, y = self.articles.get(a), self.articles.get(b)
        if x is None or y is None or x.seq not in self.vectors or y.seq not in self.vectors:
            return None
        s = self.t.pipeline.scorer.score(self.view_of(x, self.vectors[x.seq]), self.view_of(y, self.vectors[y.seq]))
        return float(s.probability)


def _fmt(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.3f}"


def error_report(predicted: dict[str, str], gold: dict[str, str], probe: PairProbe) -> list[str]:
    """Gold events split across predicted events, and predicted events holding several gold events."""
    by_gold: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_pred: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(gold):
        ev = predicted.get(item, f"(missing {item})")
        by_gold[gold[item]][ev].append(item)
        by_pred[ev][gold[item]].append(item)
    lines: list[str] = []
    for g, parts in sorted(by_gold.items()):
        if len(parts) > 1:
            groups = list(parts.values())
            lines.append(f"SPLIT  {g}: " + " | ".join("{" + ", ".join(ids) + "}" for ids in groups))
            for ga, gb in itertools.combinations(groups, 2):
                for a, b in itertools.product(ga, gb):
                    lines.append(f"         {a} ~ {b}: p={_fmt(probe(a, b))}")
    for ev, parts in sorted(by_pred.items(), key=lambda kv: sorted(kv[1])):
        if len(parts) > 1:
            lines.append(f"MERGED {ev}: " + " + ".join(f"{g}{{{', '.join(ids)}}}" for g, ids in sorted(parts.items())))
            for (_, ga), (_, gb) in itertools.combinations(sorted(parts.items()), 2):
                for a, b in itertools.product(ga, gb):
                    lines.append(f"         {a} ~ {b}: p={_fmt(probe(a, b))}")
    return lines


def distractors(count: int, records: list[dict[str, Any]], seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` news pages of other happenings (``DISTRACTORS``, each text once, in a fixed random order), each
    published at a random hour of a day drawn from the records' publication days."""
    import datetime as dt

    days = sorted({r["published"][:10] for r in records if r.get("published")})
    if not days:
        raise SystemExit("--distractors: the corpus gives no publication day to spread other news over")
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    pages, seen = [], set()
    for line in DISTRACTORS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("1", "2"):
            text = pair[f"text{side}"]
            if text.strip() and text not in seen:
                seen.add(text)
                pages.append({"id": f"other/{pair['pair_id']}/{side}", "text": text, "language": pair[f"lang{side}"]})
    rnd = random.Random(seed)
    rnd.shuffle(pages)
    for page in pages[:count]:
        day = first + dt.timedelta(days=rnd.randrange((last - first).days + 1))
        page["published"] = f"{day.isoformat()}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z"
    return pages[:count]


def brief(text: str, chars: int) -> str:
    """The first sentences of ``text`` up to ``chars`` characters, at least ``BRIEF_MIN_CHARS`` (a dateline line or a
    short first sentence is no brief)."""
    from tidings.embedding import split_sentences

    out = ""
    for start, end in split_sentences(text):
        if len(out) >= BRIEF_MIN_CHARS and len(out) + 1 + (end - start) > chars:
            break
        out = f"{out} {text[start:end]}".strip()
    return out


BRIEF_MIN_CHARS = 120


def brief_outcomes(predicted: dict[str, str], gold: dict[str, str], briefs: set[str]) -> dict[str, int]:
    """Of the stored briefs whose gold event has other articles: how many share their event with one of those
    ("joined"), with none but articles of other happenings ("wrong"), or with none ("alone")."""
    members: dict[str, set[str]] = defaultdict(set)
    for item, event in predicted.items():
        members[event].add(item)
    mates: dict[str, set[str]] = defaultdict(set)
    for item, event in gold.items():
        mates[event].add(item)
    out = {"briefs": len(briefs), "with_mates": 0, "joined": 0, "alone": 0, "wrong": 0}
    for item in briefs:
        own = mates[gold[item]] - {item}
        if item not in predicted or not own:
            continue
        out["with_mates"] += 1
        others = members[predicted[item]] - {item}
        out["joined" if others & own else "wrong" if others else "alone"] += 1
    return out


def run(order: str, seed: int = SEED, corpus: Path | list[Path] = CORPUS, undated_every: int = 0,
        brief_every: int = 0, brief_chars: int = 280, other_news: int = 0) -> dict[str, Any]:
    """``undated_every`` K > 0: every K-th article of the corpus (the K-th, 2K-th, ...) arrives without its
    publication date (a date its text gives is still read), to exercise the search of undated articles.
    ``brief_every`` K > 0: every K-th article in order of arrival arrives as a brief (``brief``).
    ``other_news`` N > 0: N pages of other happenings arrive with them (``distractors``)."""
    from tidings.evaluation import bcubed, bcubed_among_others, pairwise, store_clusters

    records = load_many(corpus if isinstance(corpus, list) else [corpus])
    gold = {r["id"]: r["event"] for r in records}
    undated = {r["id"] for i, r in enumerate(records) if undated_every and i % undated_every == undated_every - 1}
    others = distractors(other_news, records, seed) if other_news else []
    arrived = [{k: v for k, v in r.items() if not (k == "published" and r["id"] in undated)}
               for r in arrival(records + others, order, seed)]
    briefs: set[str] = set()
    for i, r in enumerate(arrived):
        if brief_every and i % brief_every == brief_every - 1:
            arrived[i] = r | {"text": brief(r["text"], brief_chars)}
            briefs.add(r["id"])
    with tempfile.TemporaryDirectory(prefix="tidings-heldout-") as tmp:
        start = time.perf_counter()
        t = ingest(arrived, Path(tmp))
        seconds = time.perf_counter() - start
        try:
            predicted, missing = store_clusters(t.store, gold)
            errors = error_report(predicted, gold, PairProbe(t))
            if others:
                placed, _ = store_clusters(t.store, gold | {o["id"]: o["id"] for o in others})
                with_others = {placed[o["id"]] for o in others if o["id"] in placed}  # events holding other news
        finally:
            t.close()
    b, pw = bcubed(predicted, gold), pairwise(predicted, gold)
    copy, original = SYNDICATED
    return {
        "order": order if order == "date" else f"shuffled (seed {seed})", "articles": len(gold),
        "gold_events": len(set(gold.values())), "predicted_events": len(set(predicted.values())),
        "missing": missing, "bcubed": b.__dict__, "pairwise": pw.__dict__,
        # None where the corpus has no such pair (only the first held-out set has one)
        "syndicated_joined": None if copy not in gold or original not in gold
        else predicted.get(copy) is not None and predicted.get(copy) == predicted.get(original),
        "errors": errors, "seconds": round(seconds, 1),
        "briefs": brief_outcomes(predicted, gold, briefs) if briefs else None,
        "other_news": None if not others else {
            "pages": len(others), "bcubed": bcubed_among_others(placed, gold).__dict__,
            "reports_with_other_news": sum(1 for item in gold if placed.get(item) in with_others)},
    }


def print_report(r: dict[str, Any]) -> None:
    b, pw = r["bcubed"], r["pairwise"]
    print(f"== order: {r['order']}  ({r['articles']} articles, {r['gold_events']} gold events, "
          f"{r['predicted_events']} predicted; ingest {r['seconds']} s)")
    print(f"B-cubed   P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}")
    print(f"pairwise  P {pw['precision']:.3f}  R {pw['recall']:.3f}  F1 {pw['f1']:.3f}")
    if r["other_news"]:
        o, ob = r["other_news"], r["other_news"]["bcubed"]
        print(f"with {o['pages']} pages of other news: B-cubed P {ob['precision']:.3f}  R {ob['recall']:.3f}  "
              f"F1 {ob['f1']:.3f}; {o['reports_with_other_news']} of the corpus's reports share an event with one")
    if r["syndicated_joined"] is not None:
        print(f"syndicated copy {SYNDICATED[0]} joined {SYNDICATED[1]}: {r['syndicated_joined']}")
    if r["briefs"]:
        n = r["briefs"]
        print(f"briefs: {n['briefs']}; of the {n['with_mates']} stored whose gold event has other articles, "
              f"{n['joined']} joined one ({n['joined'] / max(n['with_mates'], 1):.1%}), {n['alone']} left alone, "
              f"{n['wrong']} in an event of other happenings only")
    if r["missing"]:
        print(f"missing from the store: {len(r['missing'])}" if len(r["missing"]) > 20
              else f"missing from the store: {r['missing']}")
    print("errors:" if r["errors"] else "errors: none")
    for line in r["errors"]:
        print("  " + line)
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--order", choices=["date", "shuffled", "both"], default="both")
    ap.add_argument("--seed", type=int, default=SEED, help="seed of the shuffled order")
    ap.add_argument("--corpus", type=Path, action="append", help="a corpus (repeatable: one stream of them all)")
    ap.add_argument("--spent", action="store_true", help="every spent corpus as one stream (SPENT)")
    ap.add_argument("--show-reserved", action="store_true", help="print the errors of a reserved corpus (spends it)")
    ap.add_argument("--json", action="store_true", help="print the reports as JSON lines")
    ap.add_argument("--undated-every", type=int, default=0, metavar="K",
                    help="every K-th article arrives without its publication date (0: none)")
    ap.add_argument("--brief-every", type=int, default=0, metavar="K",
                    help="every K-th article in order of arrival arrives as a brief: headline and lead (0: none)")
    ap.add_argument("--brief-chars", type=int, default=280, metavar="N", help="a brief's length at most (280)")
    ap.add_argument("--distractors", type=int, default=0, metavar="N",
                    help="N real pages of other news (the SemEval sample's) published on the corpus's days (0: none)")
    args = ap.parse_args(argv)
    orders = ["date", "shuffled"] if args.order == "both" else [args.order]
    corpora = (args.corpus or []) + ([ROOT / "tests" / "fixtures" / c / "articles.jsonl" for c in SPENT]
                                     if args.spent else [])
    from event_pairs import RESERVED

    reserved = {p.parent.name.replace("events_", "") for p in corpora} & RESERVED
    for order in orders:
        report = run(order, args.seed, corpora or [CORPUS], args.undated_every, args.brief_every,
                     args.brief_chars, args.distractors)
        if reserved and not args.show_reserved:  # totals only: reading the errors spends the corpus
            report["errors"] = [f"({len(report['errors'])} errors of reserved {', '.join(sorted(reserved))} "
                                "not shown)"]
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
