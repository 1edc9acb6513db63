"""In-process encoding speed with one and two BLAS threads, on idle cores and with every core kept busy by other
processes: the measurement behind ``tidings.embedding.blas_threads``.

Encodes the seeds' first 600 characters (20 copies each, one call per pass) with USE v3 at a fixed thread count
and with the rule the embedder uses ("rule"), first on idle cores, then while one busy-looping process per core
runs beside it. Prints chunks/s of each, best of ``--passes``.

    python -W ignore bench/blas_threads.py [--passes 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

SEEDS = Path(os.environ.get("TIDINGS_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))


def rates(encoder, texts: list[str], passes: int) -> dict[str, float]:
    """chunks/s per thread setting: 1, 2 and the embedder's rule."""
    backend = encoder.model._model
    out: dict[str, float] = {}
    for name in ("1 thread", "2 threads", "rule"):
        best = float("inf")
        for _ in range(passes):
            started = time.perf_counter()
            if name == "rule":
                encoder.encode(texts)  # the embedder sets the backend's threads itself
            else:
                backend.threads = int(name[0])
                backend.encode(texts)
            best = min(best, time.perf_counter() - started)
        out[name] = round(len(texts) / best)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    from tidings.embedding import UniversalSentenceEncoder, blas_threads

    texts = [p.read_text(encoding="utf-8")[:600] for p in sorted(SEEDS.glob("*.txt"))] * 20
    encoder = UniversalSentenceEncoder(threads=2)
    encoder.encode(["warm up"])
    cores = len(os.sched_getaffinity(0))
    print(f"{len(texts)} chunks of <= 600 characters, {cores} cores; chunks/s, best of {args.passes}")
    print(f"idle cores: {rates(encoder, texts, args.passes)}  (rule picks {blas_threads(2)})")
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(1.0)
        print(f"{cores} busy processes beside it: {rates(encoder, texts, args.passes)}  "
              f"(rule picks {blas_threads(2)})")
    finally:
        for p in busy:
            p.kill()
            p.wait()


if __name__ == "__main__":
    main()
