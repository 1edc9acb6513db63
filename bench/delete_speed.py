"""How fast articles leave a large store: ``tidings delete`` (``corrections.delete_articles``) of a share of a store
bulk-filled with synthetic articles (as ``ingest_throughput.py --part scale`` fills it: one chunk each, clustered
random vectors, 70 a day), the oldest first, in one transaction.

    python -W ignore bench/delete_speed.py --sizes 20000 100000 --share 0.2
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest_throughput as it  # noqa: E402  (the bench's synthetic store)

from tidings.corrections import delete_articles  # noqa: E402
from tidings.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000], help="articles in the store")
    ap.add_argument("--share", type=float, default=0.2, help="share of them deleted")
    args = ap.parse_args()
    print(f"{'stored':>8} {'deleted':>8} {'seconds':>8} {'ms/article':>11}  left")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = str(Path(tmp) / "delete.db")
            it.fill(Store(url), it.Synthetic(per_day=70), size)
            store = Store(url)
            doomed = store.select_ids(before=dt.date(9999, 1, 1))[: int(size * args.share)]
            started = time.perf_counter()
            delete_articles(store, doomed)
            seconds = time.perf_counter() - started
            print(f"{size:>8} {len(doomed):>8} {seconds:>8.1f} {1000 * seconds / max(1, len(doomed)):>11.2f}  "
                  f"{store.counts()}")
            store.close()


if __name__ == "__main__":
    main()
