"""Claim alignment precision/recall against hand labels, and the time to compare a 20- and a 300-article event.

Data: the hand-labelled events in tests/fixtures/compare/*.json and the seed event
raisi-putin-call-2021-08 (labels in tests/fixtures/compare/seeds_labels.json, texts in shared/seeds).
Scored on sentence pairs: two sentences of different articles put in one claim. Sentences labelled "x"
(another happening inside the article) are never a correct pair; the share of them trimmed is reported.
Run: python bench/compare_accuracy.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from itertools import combinations
from pathlib import Path

from tidings.compare import ArticleInput, ClaimAligner, compare_articles
from tidings.embedding import split_sentences
from tidings.facts import FactExtractor

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "compare"
SEEDS = Path(os.environ.get("TIDINGS_SEEDS", ROOT.parent / "shared" / "seeds"))

Labelled = tuple[str, list[ArticleInput], list[tuple[str, str, int]]]  # name, articles, (label, article, offset)


def _with_facts(articles: list[ArticleInput], extractor: FactExtractor | None) -> list[ArticleInput]:
    if extractor is not None:
        for a in articles:
            a.facts = extractor(a.text, a.language).to_dict()
    return articles


def load_fixture(path: Path, extractor: FactExtractor | None = None) -> Labelled:
    """A hand-written event: paragraphs of [label, sentence] -> articles and labelled offsets."""
    data = json.loads(path.read_text(encoding="utf-8"))
    articles, labels = [], []
    for art in data["articles"]:
        text = ""
        for p, paragraph in enumerate(art["paragraphs"]):
            text += "\n\n" if p else ""
            for s, (label, sentence) in enumerate(paragraph):
                text += " " if s else ""
                if label is not None:
                    labels.append((label, art["id"], len(text)))
                text += sentence
        articles.append(ArticleInput(art["id"], text, art["language"]))
    return data["event"], _with_facts(articles, extractor), labels


def load_seeds(extractor: FactExtractor | None = None) -> Labelled | None:
    data = json.loads((FIXTURES / "seeds_labels.json").read_text(encoding="utf-8"))
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8")) if (SEEDS / "gold.json").exists() else None
    if gold is None:
        return None
    articles = []
    for aid in gold["events"][data["event"]]["articles"]:
        text = (SEEDS / f"{aid}.txt").read_text(encoding="utf-8")
        articles.append(ArticleInput(aid, text, gold["articles"][aid]["language"]))
    texts = {a.id: a.text for a in articles}
    labels = [(label, aid, texts[aid].index(sub)) for label, aid, sub in data["labels"]]
    return data["event"], _with_facts(articles, extractor), labels


def labelled_sets(extractor: FactExtractor | None = None) -> list[Labelled]:
    sets = [load_fixture(p, extractor) for p in sorted(FIXTURES.glob("*.json")) if p.name != "seeds_labels.json"]
    seeds = load_seeds(extractor)
    return ([seeds] if seeds else []) + sets


def score(articles: list[ArticleInput], labels: list[tuple[str, str, int]],
          aligner: ClaimAligner) -> dict[str, int]:
    """True/false pairs and trimmed off-event sentences for one labelled event."""
    text = {a.id: a.text for a in articles}

    def key(article: str, offset: int) -> tuple[str, int]:
        # A sentence is known by the start of the split sentence holding the offset.
        for s, e in split_sentences(text[article]):
            if s <= offset < e:
                return article, s
        return article, offset

    gold_label = {key(a, off): label for label, a, off in labels}
    gold_pairs = {frozenset((x, y)) for x, y in combinations(gold_label, 2)
                  if x[0] != y[0] and gold_label[x] == gold_label[y] != "x"}
    claims = aligner.align(articles)
    pred_pairs = set()
    kept = set()
    for c in claims:
        keys = [key(s.article, s.start) for s in c.sentences]
        kept.update(keys)
        pred_pairs |= {frozenset((x, y)) for x, y in combinations(keys, 2) if x[0] != y[0]}
    off = [k for k, v in gold_label.items() if v == "x"]
    return {"tp": len(pred_pairs & gold_pairs), "pred": len(pred_pairs), "gold": len(gold_pairs),
            "off": len(off), "off_trimmed": sum(k not in kept for k in off)}


def main() -> int:
    extractor = FactExtractor()
    aligner = ClaimAligner()
    t0 = time.perf_counter()
    aligner.embedder.encode(["warm up"])
    load_s = time.perf_counter() - t0
    sets = labelled_sets(extractor)
    total = {"tp": 0, "pred": 0, "gold": 0, "off": 0, "off_trimmed": 0}
    print(f"{'event':28} {'precision':>9} {'recall':>7} {'pairs':>6} {'off-event trimmed':>18}")
    for name, articles, labels in sets:
        r = score(articles, labels, aligner)
        for k in total:
            total[k] += r[k]
        p = r["tp"] / r["pred"] if r["pred"] else 1.0
        rc = r["tp"] / r["gold"] if r["gold"] else 1.0
        print(f"{name:28} {p:9.3f} {rc:7.3f} {r['gold']:6d} {r['off_trimmed']:>9}/{r['off']}")
    p = total["tp"] / total["pred"] if total["pred"] else 1.0
    rc = total["tp"] / total["gold"] if total["gold"] else 1.0
    print(f"{'ALL (micro)':28} {p:9.3f} {rc:7.3f} {total['gold']:6d} {total['off_trimmed']:>9}/{total['off']}")

    # A 20-article event: every labelled article (seeds + fixtures), cycled with fresh ids up to 20.
    pool = [a for _, arts, _ in sets for a in arts]
    twenty = [ArticleInput(f"{a.id}-{i}", a.text, a.language, a.facts) for i, a in
              zip(range(20), (pool * (20 // len(pool) + 1)), strict=False)]
    # A fresh aligner with no vector cache: every sentence of the 20 is embedded, as for a new event.
    t0 = time.perf_counter()
    result = compare_articles(twenty, "bench-20", "en", ClaimAligner(cache_size=0))
    secs = time.perf_counter() - t0
    n_sent = sum(len(c["sentences"]) for c in result["claims"])
    print(f"compare a 20-article event ({n_sent} sentences kept, {len(result['claims'])} claims): {secs:.2f} s "
          f"(model load {load_s:.2f} s not included; facts precomputed)")
    # A large event whose reports share most of their sentences (a wire story many outlets carry, edited a little,
    # too different to be syndicated copies): the 20 cycled to 300, their sentences embedded already.
    many = [ArticleInput(f"{a.id}-{i}", a.text, a.language, a.facts) for i, a in
            zip(range(300), (pool * (300 // len(pool) + 1)), strict=False)]
    t0 = time.perf_counter()
    result = compare_articles(many, "bench-300", "en", aligner)
    secs = time.perf_counter() - t0
    print(f"compare a 300-article event sharing its sentences ({len(result['claims'])} claims): {secs:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
