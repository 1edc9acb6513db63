"""The projection of the one-vector-per-event graphs (``[storylines] index_dims``): fitted here, shipped in
``src/tidings/data/projection-<encoder>.npy``.

The graphs of events' first reports (storylines; undated reports' periods) span the whole archive, and an HNSW graph
costs more to add to and search the larger it is, mostly in memory traffic: 512 numbers a vector. They hold each
vector projected onto the encoder's leading principal directions instead (128 of 512 numbers), fetch twice the
neighbours asked for and rank those by their whole vectors. The directions are those of news text in the encoder's
space, a property of the encoder, not of a stream: fitted once on the SemEval 2022 sample (``../shared/data``,
both texts of every pair, their first 3,000 characters, 2,866 texts in 10 languages), checked on the held-out event
corpora (``tests/fixtures/events_heldout*``, 15 languages, none of them in the fit).

Printed: the share of the held-out vectors' second moment each number of directions keeps, and how many of the
exact k nearest (by whole-vector cosine, among all held-out articles) a search of the projected vectors finds among
its ``refine`` x k nearest (what the index then ranks by whole vectors).

    python -W ignore bench/fit_projection.py [--write]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
HELD_OUT = sorted((ROOT / "tests" / "fixtures").glob("events_heldout*/articles.jsonl"))
KEPT = 256  # directions shipped: [storylines] index_dims may be at most this


def mean_vectors(records: list[dict], pipeline) -> np.ndarray:
    """One vector per article as the pipeline makes it for those graphs: the mean of its chunks' vectors."""
    from tidings.readers import record_to_document
    from tidings.store import mean_vector

    docs = [record_to_document(r, f"fit:{r['id']}", r["id"]) for r in records]
    arts = [a for a in (pipeline.prepare(d) for d in docs) if not hasattr(a, "reason")]
    out = []
    for i in range(0, len(arts), 64):
        part = arts[i:i + 64]
        pipeline.article_embedder(part)
        out.extend(mean_vector(a.vectors) for a in part if len(a.vectors))
    return np.stack(out).astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write the fitted directions into src/tidings/data")
    args = ap.parse_args()
    from tidings.config import load_settings
    from tidings.pipeline import Pipeline
    from tidings.store import Store

    sample, seen = [], set()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("1", "2"):
            text = pair["text" + side][:3000]
            if text[:200] not in seen:
                seen.add(text[:200])
                sample.append({"id": f"s{len(sample)}", "text": text, "language": pair["lang" + side]})
    held = []
    for path in HELD_OUT:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                held.append({k: r[k] for k in ("id", "text", "title", "language", "published") if k in r})
    with tempfile.TemporaryDirectory() as tmp:
        url = str(Path(tmp) / "fit.db")
        settings = load_settings(overrides={"store": {"url": url}, "embedder": {"workers": 0}})
        pipeline = Pipeline(settings, store=Store(url))
        fit, check = mean_vectors(sample, pipeline), mean_vectors(held, pipeline)
        encoder = settings["embedder"]["name"]
        pipeline.close()
    # Uncentred (the second moment, not the covariance): the graphs rank by cosine of the projected vectors, and
    # the mean direction of news text is what most of a cosine between two reports is made of.
    eigenvalues, vectors = np.linalg.eigh(fit.astype(np.float64).T @ fit / len(fit))
    basis = vectors[:, ::-1][:, :KEPT]
    moment = check.astype(np.float64).T @ check / len(check)
    print(f"fitted on {len(fit)} texts, checked on {len(check)} held-out articles")
    for dims in (64, 96, 128, 192, 256):
        kept = np.trace(basis[:, :dims].T @ moment @ basis[:, :dims]) / np.trace(moment)
        projected = check @ basis[:, :dims].astype(np.float32)
        projected /= np.linalg.norm(projected, axis=1, keepdims=True)
        rng = np.random.default_rng(0)
        queries = rng.choice(len(check), min(500, len(check)), replace=False)
        exact, approx = check[queries] @ check.T, projected[queries] @ projected.T
        exact[np.arange(len(queries)), queries] = approx[np.arange(len(queries)), queries] = -9  # not itself
        line = f"  {dims:3d} directions: second moment kept {kept:.3f}"
        for k in (8, 24):
            truth = np.argsort(-exact, axis=1)[:, :k]
            for refine in (1, 2, 3):
                found = np.argsort(-approx, axis=1)[:, :k * refine]
                recall = np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found, strict=True)])
                line += f"; {k} nearest among {k * refine}: {recall:.3f}"
        print(line)
    if args.write:
        out = ROOT / "src" / "tidings" / "data" / f"projection-{encoder}.npy"
        np.save(out, basis.astype(np.float16))
        print(f"wrote {out.relative_to(ROOT)} ({basis.shape[0]} x {basis.shape[1]}, float16)")


if __name__ == "__main__":
    main()
