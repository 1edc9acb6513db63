"""How far an article's mean vector tells what its chunks would: the evidence behind two shortcuts of the event
engine that skip work by the cosine of mean vectors (one unit vector per article, its chunks' mean).

- ``[storylines] mean_margin``: a founder whose mean lies that far below the link threshold is not aligned chunk
  by chunk. Printed: over every pair of articles, how far chunk alignment (the linker's score) rises above the
  means' cosine, and the lowest means' cosine among pairs aligned above the threshold.
- ``[events] undated_min_cosine``: an undated article does not search the periods of events whose first article
  lies below that cosine of it. Printed: the lowest means' cosine of two articles of one gold event.

Corpora: both held-out event corpora, the multilingual fixtures and the seeds (132 articles, 14 languages), ingested
into a temporary store with the default settings.

    python -W ignore bench/mean_vectors.py
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
# JSON lines corpus -> field of its gold event
CORPORA = {FIXTURES / "events_heldout" / "articles.jsonl": "event",
           FIXTURES / "events_heldout2" / "articles.jsonl": "event",
           FIXTURES / "multilingual" / "articles.jsonl": "gold_event"}


def gold_events() -> dict[str, str]:
    """Article id (file stem for the seeds) -> corpus-qualified gold event."""
    gold: dict[str, str] = {}
    for path, key in CORPORA.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["id"]] = f"{path.parent.name}:{row[key]}"
    seeds = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))["articles"]
    gold.update({Path(k).stem: f"seeds:{v['main_event']}" for k, v in seeds.items()})
    return gold


def main() -> None:
    from tidings.config import load_settings
    from tidings.pipeline import Pipeline
    from tidings.similarity import chunk_alignment
    from tidings.store import Store, mean_vector

    gold = gold_events()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides={"store": {"url": f"{tmp}/m.db"}, "embedder": {"workers": 0}})
        pipeline = Pipeline(settings, store=Store(settings["store"]["url"]))
        pipeline.ingest([str(p) for p in CORPORA] + [str(SEEDS)])
        threshold = pipeline.linker.threshold
        stored = pipeline.store.articles(light=True)
        vectors = pipeline.store.vectors_of([a.seq for a in stored])
        pipeline.close()
    chunks = {Path(a.id).stem: vectors[a.seq] for a in stored if a.seq in vectors}
    means = {k: mean_vector(v) for k, v in chunks.items()}
    rows = []
    for a, b in itertools.combinations(sorted(chunks), 2):
        ab, ba = chunk_alignment(chunks[a], chunks[b])
        same = a in gold and b in gold and gold[a] == gold[b]
        rows.append(((ab + ba) / 2, float(means[a] @ means[b]), same))
    align = np.array([r[0] for r in rows])
    cos = np.array([r[1] for r in rows])
    same = np.array([r[2] for r in rows])
    linked = align > threshold
    print(f"{len(chunks)} articles, {len(rows)} pairs; storyline link threshold {threshold}")
    print(f"chunk alignment above the means' cosine: at most {float((align - cos).max()):.3f}")
    print(f"pairs aligned above {threshold}: {int(linked.sum())}; lowest means' cosine among them: "
          f"{float(cos[linked].min()):.3f}")
    print(f"same-event pairs: {int(same.sum())}; lowest means' cosine: {float(cos[same].min()):.3f} "
          f"(1st percentile {float(np.percentile(cos[same], 1)):.3f})")
    print(f"different-event pairs below cosine 0.2: {float((cos[~same] < 0.2).mean()):.1%}")


if __name__ == "__main__":
    main()
