"""What a user's commands cost on a large store: wall time and peak memory of each command, run as a user runs it.

A store is filled with synthetic articles (``ingest_throughput.fill``: three articles an event, 70 a day, with
near-duplicate signatures and their band keys, no index caches), then each command runs in a fresh interpreter:
listing events (a page, the default table, JSON lines, a text search, an entity filter), the store's statistics,
the events' export, one event, and an ingest of one new article twice (the first builds the index caches the bulk
fill did not write, the second is what a feed followed every few minutes costs).

    python bench/store_reads.py --size 100000
    python bench/store_reads.py --size 10000 --keep /tmp/store.db
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ingest_throughput import Synthetic, fill  # noqa: E402

CLI = [sys.executable, "-c", "from tidings.cli import main; main()"]
NEW_ARTICLES = [
    "Lavrov met Zarif in Moscow on Monday to discuss the nuclear deal, the ministry said. Both ministers praised the "
    "cooperation between their countries and agreed to meet again in Tehran.",
    "Erdogan met Aliyev in Baku on Thursday to open a gas pipeline, the presidency said. Both praised the project, "
    "which is to carry ten billion cubic metres a year to Europe.",
]


def run(args: list[str], tmp: Path) -> tuple[float, float, str]:
    """(wall seconds, peak memory of the command in MB, its last output line)."""
    out, err = tmp / "stdout", tmp / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(CLI + args, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(proc.pid, 0)  # this command's own peak, not the highest of all so far
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err.read_text()[-500:]}")
    last = (out.read_text().strip().splitlines() or [""])[-1]
    return seconds, usage.ru_maxrss / 1024, last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000, help="synthetic articles in the store")
    ap.add_argument("--keep", type=Path, help="fill (or reuse) the store at this path instead of a temporary one")
    ap.add_argument("--fill-only", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.fill_only:
        from tidings.store import Store

        store = Store(args.fill_only)
        fill(store, Synthetic(per_day=70), args.size)
        store.close()
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "reads.db"
        if not db.exists():
            # in a process of its own: a child's peak memory counts its parent's at the fork, and the fill's is large
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--size", str(args.size), "--fill-only", str(db)], check=True)
            print(f"filled {args.size:,} synthetic articles in {time.perf_counter() - started:.1f} s")
        inbox = Path(tmp) / "new"
        inbox.mkdir()
        for n, text in enumerate(NEW_ARTICLES):
            (inbox / f"new-{n}.txt").write_text(text + "\n", encoding="utf-8")
        commands = [
            ("events --limit 50", ["events", "--limit", "50"]),
            ("events (the default table)", ["events"]),
            ("events --json (all)", ["events", "--json"]),
            ('events -q "event 77"', ["events", "-q", "event 77"]),
            ("events --outlet x", ["events", "--outlet", "x"]),
            ("stats", ["stats"]),
            ("export --events", ["export", "--events"]),
            ("show ev-syn0000005", ["show", "ev-syn0000005"]),
            ("ingest 1 article (index caches built)", ["ingest", str(inbox / "new-0.txt"), "-q"]),
            ("ingest 1 article (caches there)", ["ingest", str(inbox / "new-1.txt"), "-q"]),
        ]
        print(f"{'command':42s} {'wall s':>7} {'peak MB':>8}  last line")
        for label, argv in commands:
            seconds, peak, last = run(argv + ["--db", str(db)], Path(tmp))
            print(f"{label:42s} {seconds:7.2f} {peak:8.0f}  {last[:70]}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
