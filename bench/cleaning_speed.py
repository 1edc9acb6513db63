"""What cleaning and reading a text's numbers cost per article, on our event corpora's reports.

Each report of the chosen corpora (default: held-out 50-59, about 1,100 agency-length reports in 16 languages) is
cleaned (``RuleCleaner.clean``: furniture, navigation, boilerplate, head, press-release block, lead) and its numbers
read (``similarity.text_numbers``: what the event scorer compares), each timed over all reports, best of
``--passes``. Printed: ms per article of each. Run it with another checkout's ``src`` first on ``PYTHONPATH`` to
compare two versions.

    python -W ignore bench/cleaning_speed.py [--corpus N ...] [--passes 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=int, action="append", help="held-out corpus number (default 50-59)")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)
    from tidings.cleaning import RuleCleaner
    from tidings.readers import record_to_document
    from tidings.similarity import text_numbers

    records = []
    for n in args.corpus or range(50, 60):
        path = FIXTURES / f"events_heldout{n}" / "articles.jsonl"
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cleaner = RuleCleaner()
    docs = [record_to_document(r, r["id"], r["id"]) for r in records]
    texts = [cleaner.clean(d)[0].text for d in docs]

    def best(step: object, items: list) -> float:
        fastest = float("inf")
        for _ in range(args.passes):
            started = time.perf_counter()
            for item in items:
                step(item)  # type: ignore[operator]
            fastest = min(fastest, time.perf_counter() - started)
        return fastest / len(items) * 1000

    print(f"{len(records)} reports, best of {args.passes} passes")
    print(f"cleaning      {best(cleaner.clean, docs):.3f} ms per article")
    print(f"text_numbers  {best(text_numbers, texts):.3f} ms per article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
