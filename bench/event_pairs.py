"""Labelled article pairs (same happening or not) from the event corpora, with the event scorer's features.

For diagnosing the same-happening scorer (``--dump``: features of the gold pairs it scores below the threshold and
of the different-happening pairs it scores highest) and for fitting its weights (bench/fit_event_scorer.py).

Each corpus is ingested once with the default settings into a cache folder (vectors and stored articles reused
on later runs; ``--fresh`` rebuilds it); facts are extracted again from the stored text on every run, so a change
to the extractors (dates, names) is seen without re-embedding. Pairs are those the online detector would score:
both dates within ``window_days`` of each other (or a date unknown).

    python -W ignore bench/event_pairs.py --corpus heldout --dump
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
CACHE = Path("/tmp/tidings-event-pairs")
# Corpora kept RESERVED: only their totals may be seen. The benches print no errors of them unless asked to
# (``--show-reserved``), since reading them spends the corpus.
RESERVED = frozenset({"heldout11", "heldout14", "heldout16", "heldout20", "heldout24", "heldout25", "heldout26",
                       "heldout27", "heldout29", "heldout30", "heldout31", "heldout33", "heldout35", "heldout38",
                       "heldout39", "heldout40", "heldout42", "heldout45", "heldout46",
                       "heldout49", "heldout51", "heldout52", "heldout54", "heldout56",
                       "heldout57", "heldout58", "heldout60", "heldout61", "heldout63"})
# name -> (JSONL file or seeds folder, field holding the gold event)
CORPORA: dict[str, tuple[Path, str]] = {
    "multilingual": (FIXTURES / "multilingual" / "articles.jsonl", "gold_event"),
    "heldout": (FIXTURES / "events_heldout" / "articles.jsonl", "event"),
    "heldout2": (FIXTURES / "events_heldout2" / "articles.jsonl", "event"),
    "heldout3": (FIXTURES / "events_heldout3" / "articles.jsonl", "event"),
    "heldout4": (FIXTURES / "events_heldout4" / "articles.jsonl", "event"),
    "heldout5": (FIXTURES / "events_heldout5" / "articles.jsonl", "event"),
    "heldout6": (FIXTURES / "events_heldout6" / "articles.jsonl", "event"),
    "heldout7": (FIXTURES / "events_heldout7" / "articles.jsonl", "event"),
    "heldout8": (FIXTURES / "events_heldout8" / "articles.jsonl", "event"),
    "heldout9": (FIXTURES / "events_heldout9" / "articles.jsonl", "event"),
    "heldout10": (FIXTURES / "events_heldout10" / "articles.jsonl", "event"),
    "heldout11": (FIXTURES / "events_heldout11" / "articles.jsonl", "event"),
    "heldout12": (FIXTURES / "events_heldout12" / "articles.jsonl", "event"),
    "heldout13": (FIXTURES / "events_heldout13" / "articles.jsonl", "event"),
    "heldout14": (FIXTURES / "events_heldout14" / "articles.jsonl", "event"),
    "heldout15": (FIXTURES / "events_heldout15" / "articles.jsonl", "event"),
    "heldout16": (FIXTURES / "events_heldout16" / "articles.jsonl", "event"),
    "heldout17": (FIXTURES / "events_heldout17" / "articles.jsonl", "event"),
    "heldout18": (FIXTURES / "events_heldout18" / "articles.jsonl", "event"),
    "heldout19": (FIXTURES / "events_heldout19" / "articles.jsonl", "event"),
    "heldout20": (FIXTURES / "events_heldout20" / "articles.jsonl", "event"),
    "heldout21": (FIXTURES / "events_heldout21" / "articles.jsonl", "event"),
    "heldout22": (FIXTURES / "events_heldout22" / "articles.jsonl", "event"),
    "heldout23": (FIXTURES / "events_heldout23" / "articles.jsonl", "event"),
    "heldout24": (FIXTURES / "events_heldout24" / "articles.jsonl", "event"),
    "heldout25": (FIXTURES / "events_heldout25" / "articles.jsonl", "event"),
    "heldout26": (FIXTURES / "events_heldout26" / "articles.jsonl", "event"),
    "heldout27": (FIXTURES / "events_heldout27" / "articles.jsonl", "event"),
    "heldout28": (FIXTURES / "events_heldout28" / "articles.jsonl", "event"),
    "heldout29": (FIXTURES / "events_heldout29" / "articles.jsonl", "event"),
    "heldout30": (FIXTURES / "events_heldout30" / "articles.jsonl", "event"),
    "heldout31": (FIXTURES / "events_heldout31" / "articles.jsonl", "event"),
    "heldout32": (FIXTURES / "events_heldout32" / "articles.jsonl", "event"),
    "heldout33": (FIXTURES / "events_heldout33" / "articles.jsonl", "event"),
    "heldout34": (FIXTURES / "events_heldout34" / "articles.jsonl", "event"),
    "heldout35": (FIXTURES / "events_heldout35" / "articles.jsonl", "event"),
    "heldout36": (FIXTURES / "events_heldout36" / "articles.jsonl", "event"),
    "heldout37": (FIXTURES / "events_heldout37" / "articles.jsonl", "event"),
    "heldout38": (FIXTURES / "events_heldout38" / "articles.jsonl", "event"),
    "heldout39": (FIXTURES / "events_heldout39" / "articles.jsonl", "event"),
    "heldout40": (FIXTURES / "events_heldout40" / "articles.jsonl", "event"),
    "heldout41": (FIXTURES / "events_heldout41" / "articles.jsonl", "event"),
    "heldout42": (FIXTURES / "events_heldout42" / "articles.jsonl", "event"),
    "heldout43": (FIXTURES / "events_heldout43" / "articles.jsonl", "event"),
    "heldout44": (FIXTURES / "events_heldout44" / "articles.jsonl", "event"),
    "heldout45": (FIXTURES / "events_heldout45" / "articles.jsonl", "event"),
    "heldout46": (FIXTURES / "events_heldout46" / "articles.jsonl", "event"),
    "heldout47": (FIXTURES / "events_heldout47" / "articles.jsonl", "event"),
    "heldout48": (FIXTURES / "events_heldout48" / "articles.jsonl", "event"),
    "heldout49": (FIXTURES / "events_heldout49" / "articles.jsonl", "event"),
    "heldout50": (FIXTURES / "events_heldout50" / "articles.jsonl", "event"),
    "heldout51": (FIXTURES / "events_heldout51" / "articles.jsonl", "event"),
    "heldout52": (FIXTURES / "events_heldout52" / "articles.jsonl", "event"),
    "heldout53": (FIXTURES / "events_heldout53" / "articles.jsonl", "event"),
    "heldout54": (FIXTURES / "events_heldout54" / "articles.jsonl", "event"),
    "heldout55": (FIXTURES / "events_heldout55" / "articles.jsonl", "event"),
    "heldout56": (FIXTURES / "events_heldout56" / "articles.jsonl", "event"),
    "heldout57": (FIXTURES / "events_heldout57" / "articles.jsonl", "event"),
    "heldout58": (FIXTURES / "events_heldout58" / "articles.jsonl", "event"),
    "heldout59": (FIXTURES / "events_heldout59" / "articles.jsonl", "event"),
    "heldout60": (FIXTURES / "events_heldout60" / "articles.jsonl", "event"),
    "heldout61": (FIXTURES / "events_heldout61" / "articles.jsonl", "event"),
    "heldout62": (FIXTURES / "events_heldout62" / "articles.jsonl", "event"),
    "heldout63": (FIXTURES / "events_heldout63" / "articles.jsonl", "event"),
    "heldout64": (FIXTURES / "events_heldout64" / "articles.jsonl", "event"),
    "seeds": (SEEDS, "main_event"),
}


@dataclass
class Pair:
    a: str
    b: str
    same: bool
    view_a: Any      # tidings.similarity.ArticleView
    view_b: Any


def _gold(name: str) -> tuple[list[str], dict[str, str]]:
    """(sources to ingest, article id -> gold event)."""
    path, key = CORPORA[name]
    if name == "seeds":
        gold = json.loads((path / "gold.json").read_text(encoding="utf-8"))["articles"]
        return [str(p) for p in sorted(path.glob("*.txt"))], {k: v[key] for k, v in gold.items()}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(path)], {r["id"]: r[key] for r in rows}


def _gold_id(article_id: str, gold: dict[str, str]) -> str | None:
    if article_id in gold:
        return article_id
    stem = Path(article_id).stem  # seeds are stored under their file name
    return stem if stem in gold else None


def views(name: str, fresh: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """(gold id -> ArticleView with freshly extracted facts, gold id -> event) of one corpus."""
    from tidings.api import Tidings
    from tidings.facts import FactExtractor
    from tidings.similarity import ArticleView, text_numbers

    sources, gold = _gold(name)
    folder = CACHE / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "pairs.db"
    new = not db.exists()
    with Tidings(db) as t:
        if new:
            t.ingest(sources)
        stored = list(t.store.articles())
        vectors = t.store.vectors_of([a.seq for a in stored])
    extract = FactExtractor()
    out: dict[str, Any] = {}
    for a in stored:
        gid = _gold_id(a.id, gold)
        if gid is None or a.seq not in vectors or a.duplicate_of:
            continue
        facts = extract(a.text, a.language or "en", a.published, a.dateline)
        out[gid] = ArticleView(vectors=vectors[a.seq], language=a.language, facts=facts,
                               date=facts.happened or a.published, title=a.title, numbers=text_numbers(a.text))
    return out, {k: v for k, v in gold.items() if k in out}


def pairs(name: str, window_days: int = 10, fresh: bool = False) -> list[Pair]:
    """Every pair of the corpus the detector could score, labelled by gold."""
    vs, gold = views(name, fresh)
    out = []
    for a, b in itertools.combinations(sorted(vs), 2):
        da, db_ = vs[a].date, vs[b].date
        if da and db_ and abs((da - db_).days) > window_days:
            continue
        out.append(Pair(a, b, gold[a] == gold[b], vs[a], vs[b]))
    return out


def dump(name: str, threshold: float = 0.5, fresh: bool = False) -> None:
    from tidings.similarity import LogisticPairScorer

    scorer = LogisticPairScorer()
    rows = []
    for p in pairs(name, fresh=fresh):
        s = scorer.score(p.view_a, p.view_b)
        rows.append((p, s))
    missed = sorted((r for r in rows if r[0].same and r[1].probability < threshold), key=lambda r: r[1].probability)
    worst = sorted((r for r in rows if not r[0].same), key=lambda r: -r[1].probability)[:12]
    n_pos = sum(r[0].same for r in rows)
    print(f"== {name}: {len(rows)} pairs, {n_pos} same-happening; {len(missed)} of them below {threshold}")
    for title, group in (("same happening, scored low", missed), ("different happenings, scored highest", worst)):
        print(f"-- {title}")
        for p, s in group:
            f = s.features
            print(f"  {p.a:>12} ~ {p.b:<12} p={s.probability:.3f} dates {p.view_a.date} {p.view_b.date} "
                  + " ".join(f"{k}={v:.2f}" for k, v in f.items() if k not in ("same_language",)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    ap.add_argument("--dump", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="ingest again (after a change to embedding or cleaning)")
    args = ap.parse_args(argv)
    for name in args.corpus or ["multilingual", "heldout", "seeds"]:
        if args.dump:
            dump(name, fresh=args.fresh)
        else:
            ps = pairs(name, fresh=args.fresh)
            print(f"{name}: {len(ps)} pairs, {sum(p.same for p in ps)} same-happening")
    return 0


if __name__ == "__main__":
    sys.exit(main())
