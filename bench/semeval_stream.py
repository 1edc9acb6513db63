"""The shared SemEval-2022 Task 8 sample's real pages ingested as one stream: which of its pages the events join.

Every distinct article of the sample (2,891 scraped pages in 8 languages, no publication dates) is written to a JSON
lines file and ingested by ``tidings ingest``'s own pipeline into a fresh temporary store, in the sample's order,
with the default settings. Printed: the events by size, the sample's gold pairs whose two pages the store holds, by
gold class (same story, overall <= 1.5; unrelated, >= 3.5; between) and whether they share an event, and the
largest events with the head of each page. ``--only REGEX`` ingests only the pages whose text matches (e.g. the wire
press releases: ``--only "news aktuell|\\((ots|OTS)\\)"``), to see what joins among one kind of page.

    python -W ignore bench/semeval_stream.py [--pairs PATH] [--only REGEX] [--show 10]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from events_semeval import PAIRS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--only", help="ingest only the pages whose text matches this regular expression")
    ap.add_argument("--show", type=int, default=10, help="how many of the largest events to print")
    args = ap.parse_args(argv)
    from tidings.api import Tidings

    rows = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line.strip()]
    pages: dict[str, dict[str, str]] = {}
    for r in rows:
        for k, aid in zip((1, 2), r["pair_id"].split("_"), strict=True):
            pages.setdefault(aid, {"id": aid, "text": r[f"text{k}"], "language": r.get(f"lang{k}") or ""})
    if args.only:
        wanted = re.compile(args.only)
        pages = {k: p for k, p in pages.items() if wanted.search(p["text"])}
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "pages.jsonl"
        inbox.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages.values()), encoding="utf-8")
        with Tidings(Path(tmp) / "stream.db") as t:
            report = t.ingest([str(inbox)])
            event_of = {a.id: a.event_id for a in t.store.articles() if a.event_id}
    members: dict[str, list[str]] = {}
    for aid, eid in event_of.items():
        members.setdefault(eid, []).append(aid)
    sizes = Counter(len(m) for m in members.values())
    print(f"{len(pages)} pages, {len(event_of)} stored ({len(report.skipped)} skipped), {len(members)} events; "
          f"events by size: " + ", ".join(f"{n}: {c}" for n, c in sorted(sizes.items())))
    joined: Counter[tuple[str, bool]] = Counter()
    for r in rows:
        a, b = r["pair_id"].split("_")
        if a in event_of and b in event_of:
            kind = "same story" if r["overall"] <= 1.5 else "unrelated" if r["overall"] >= 3.5 else "between"
            joined[(kind, event_of[a] == event_of[b])] += 1
    print(f"{'gold pairs':<12} {'one event':>9} {'apart':>6}")
    for kind in ("same story", "between", "unrelated"):
        print(f"{kind:<12} {joined[(kind, True)]:>9} {joined[(kind, False)]:>6}")
    for eid, ids in sorted(members.items(), key=lambda kv: -len(kv[1]))[:args.show]:
        if len(ids) < 2:
            break
        print(f"== {eid}: {len(ids)} pages")
        for aid in ids[:6]:
            print(f"   {aid} [{pages[aid]['language']}] {' '.join(pages[aid]['text'].split())[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
