"""How often the date of the happening is read right, over the labelled event corpora.

Each article of a corpus is cleaned and its facts read as the ingest does (the publication date from the corpus);
its happened date is compared with the date its gold event slug ends in. Prints per corpus: articles, exact, within
one day, and unread (no date of its own, so the publication date stands in); the day the event engine goes by (the
date read, else the publication date) exact; then its gold events, and how many of
them the event engine's split rule would cut in two (``OnlineEventDetector.two_happenings`` with the default
settings: two days read by two reports or more each, at most three days apart, the second by at least half as many as
the first, where a report that reads no day counts half on its publication day). ``--errors`` lists the articles read
wrong: reading them spends a reserved corpus. ``--undated``: every article read without its publication date (what a
folder of scraped pages gives; a stamp its text carries is still read), with a column of the days read more than ten
days off (a happening recalled taken for the news), and of the reports that read no day but name one
(``Facts.after``, the latest day named: the happening was that day or after), how many name one more than ten
days after their happening. ``--spent``: the spent corpora only.

    python -W ignore bench/happened_dates.py [--corpus heldout9 ...] [--spent] [--undated] [--errors]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from event_pairs import CORPORA  # noqa: E402  (name -> articles, field with the gold event)


def read(name: str, undated: bool = False
         ) -> list[tuple[str, dt.date | None, dt.date, str, dt.date | None, dt.date | None]]:
    """(article id, happened date read, gold date, gold event, publication date, the latest day named when no day was
    read and no publication date given) of every article of a JSON-lines corpus; ``undated``: each read without the
    publication date the corpus gives."""
    from tidings.articles import RawDocument
    from tidings.cleaning import RuleCleaner
    from tidings.facts import FactExtractor
    from tidings.facts_dates import reference_day

    path, field = CORPORA[name]
    clean, extract = RuleCleaner(), FactExtractor()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        published = dt.datetime.fromisoformat(r["published"][:10]) if r.get("published") and not undated else None
        article = clean(RawDocument(id=r["id"], text=r["text"], source=str(path), title=r.get("title"),
                                    published=published, language=r.get("language")))
        day = reference_day(article.published, article.dateline_day, article.language)  # as the ingest does
        facts = extract(article.text, article.language or "en", day, article.dateline)
        out.append((r["id"], facts.happened, dt.date.fromisoformat(r[field][-10:]), r[field],
                    published.date() if published else None, facts.after))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [n for n in CORPORA if n != "seeds"]  # the seeds' gold has no event dates
    ap.add_argument("--corpus", choices=names, action="append", help="one corpus (repeatable; default: all)")
    ap.add_argument("--spent", action="store_true", help="the spent corpora only (events_heldout.SPENT)")
    ap.add_argument("--undated", action="store_true", help="read every article without its publication date")
    ap.add_argument("--errors", action="store_true", help="list the articles read wrong (spends a reserved corpus)")
    args = ap.parse_args(argv)
    if args.spent:
        from events_heldout import SPENT

        names = [n.replace("events_", "") for n in SPENT]
    from tidings.config import load_settings
    from tidings.events import OnlineEventDetector

    params = {k: v for k, v in load_settings()["events"].items() if k.startswith("split_")}
    detector = OnlineEventDetector(scorer=None, **params)  # only its split rule is asked
    total = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    print(f"{'corpus':<14} {'articles':>8} {'exact':>6} {'±1 day':>7} {'unread':>7} {'as used':>7} {'events':>7} "
          f"{'would split':>11} {'>10 days off':>12} {'bounded':>7} {'bound past':>10}")
    for name in args.corpus or names:
        rows = read(name, args.undated)
        exact = sum(h == g for _, h, g, _, _, _ in rows)
        near = sum(h is not None and abs((h - g).days) <= 1 for _, h, g, _, _, _ in rows)
        unread = sum(h is None for _, h, _, _, _, _ in rows)
        used = sum((h or p) == g for _, h, g, _, p, _ in rows)
        read_days: dict[str, Counter[str]] = defaultdict(Counter)
        unread_days: dict[str, Counter[str]] = defaultdict(Counter)  # publication days of the reports read no day
        for _, h, _, event, p, _ in rows:
            read_days[event].update([h.isoformat()] if h else [])
            unread_days[event].update([p.isoformat()] if h is None and p else [])
        split = [e for e, days in read_days.items() if detector.two_happenings(days, unread_days[e]) is not None]
        far = sum(h is not None and abs((h - g).days) > 10 for _, h, g, _, _, _ in rows)
        bounded = sum(a is not None for *_, a in rows)
        past = sum(a is not None and (a - g).days > 10 for _, _, g, _, _, a in rows)
        for i, v in enumerate((len(rows), exact, near, unread, used, len(read_days), len(split), far, bounded, past)):
            total[i] += v
        print(f"{name:<14} {len(rows):>8} {exact:>6} {near:>7} {unread:>7} {used:>7} {len(read_days):>7} "
              f"{len(split):>11} {far:>12} {bounded:>7} {past:>10}")
        if args.errors:
            for aid, h, g, _, p, _ in rows:
                if h != g:
                    print(f"    {aid}: read {h}, gold {g}" + (f" (publication {p})" if h is None else ""))
            for e in split:
                print(f"    {e}: would split, read days {dict(read_days[e])}, unread {dict(unread_days[e])}")
    print(f"{'all':<14} {total[0]:>8} {total[1]:>6} {total[2]:>7} {total[3]:>7} {total[4]:>7} {total[5]:>7} "
          f"{total[6]:>11} {total[7]:>12} {total[8]:>7} {total[9]:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
