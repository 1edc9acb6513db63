"""What a newer version of a stored article costs against a new article, as the store grows.

A store is bulk-filled with synthetic articles (as ``ingest_throughput.py --part scale`` fills it: one chunk each,
clustered random vectors, 70 a day); then 512 new pre-embedded articles (today's news) are committed through the
pipeline in batches of 64, and then a newer version of each (the same id, another text, vectors near the old ones),
which replaces it: the old version leaves the store and the indexes (hidden from searches), its event is counted
again, and the new one is assigned as any article is. Prints the median batch's milliseconds an article for both.

    python -W ignore bench/revision_speed.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest_throughput as it  # noqa: E402  (the bench's synthetic store and articles)

from tidings.articles import Article, Chunk  # noqa: E402
from tidings.config import load_settings  # noqa: E402
from tidings.pipeline import IngestReport, Pipeline  # noqa: E402
from tidings.store import Store  # noqa: E402

BATCH = 64


def newer(article: Article, seq: int, rnd: np.random.Generator) -> Article:
    """The same id, a longer text, vectors moved a little: a corrected report."""
    text = article.text + " Update: more on this."
    vectors = [it.unit(c.vector + 0.1 * rnd.standard_normal(len(c.vector)) / np.sqrt(len(c.vector)))
               for c in article.chunks]
    out = Article(id=article.id, text=text, source=article.source, language=article.language,
                  published=article.published)
    out.chunks = [Chunk(k, 0, len(text), text, v) for k, v in enumerate(vectors)]
    out.replaces = seq
    return out


def timed(pipeline: Pipeline, articles: list[Article]) -> float:
    """Median milliseconds an article over batches of ``BATCH``."""
    per_batch = []
    for k in range(0, len(articles), BATCH):
        part = articles[k:k + BATCH]
        started = time.perf_counter()
        pipeline._commit(part, IngestReport())
        per_batch.append(1000 * (time.perf_counter() - started) / len(part))
    return float(np.median(per_batch))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000], help="articles in the store")
    ap.add_argument("--probes", type=int, default=512, help="new articles, then as many newer versions")
    args = ap.parse_args()
    print(f"{'stored':>8} {'new ms/article':>15} {'newer version ms/article':>25} {'hidden vectors':>15}")
    for size in args.sizes:
        syn = it.Synthetic(per_day=70)
        rnd = np.random.default_rng(7)
        with tempfile.TemporaryDirectory() as tmp:
            url = str(Path(tmp) / "revisions.db")
            store = Store(url)
            it.fill(store, syn, size)
            settings = load_settings(overrides={"store": {"url": url}, "embedder": {"name": "hashing"},
                                                "facts": {"name": "none"}})
            pipeline = Pipeline(settings, store=store)
            pipeline._commit(it.probe_articles(syn, 2, "warm"), IngestReport())  # first-call costs
            pipeline.read_ahead()
            fresh = it.probe_articles(syn, args.probes, str(size))
            new_ms = timed(pipeline, fresh)
            seqs = {a.id: a.seq for a in store.articles(ids=[a.id for a in fresh], light=True, facts=False)}
            newer_ms = timed(pipeline, [newer(a, seqs[a.id], rnd) for a in fresh])
            print(f"{size:>8} {new_ms:>15.2f} {newer_ms:>25.2f} {pipeline.index.hidden:>15}")
            pipeline.close()


if __name__ == "__main__":
    main()
