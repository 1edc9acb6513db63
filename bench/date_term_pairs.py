"""The evidence for two date terms of the same-happening scorer, counted over the labelled pairs of the spent corpora.

Pairs come from bench/event_pairs.py (every pair the online detector could score, labelled by gold) of the spent
corpora (events_heldout.SPENT) and the multilingual fixtures, scored by the shipped scorer without the term
``read_day_apart`` (what it was chosen on, session 31). Only pairs scoring above ``--floor`` (0.3) count: the ones
a term could move across the threshold.

1. Both dates known, by days apart (0-3) and by how they were read (both from the texts, one, or none: a
   publication date standing in): same-happening and different pairs, above the event threshold (0.45) and between
   the floor and it. Supports ``read_day_apart`` (both read, one day apart) and ``read_days_apart`` (two or more).
2. Pairs whose leads both name cities, by the dates' situation: how many have no lead city in common, of one
   happening and of two, and the likelihood ratio. Supports ``lead_cities_against`` (counted only where a date is
   unknown or only a weekday).
3. Pairs by how their leads tell the people met (``Facts.contact``: a telephone or video call, or neither), where the
   dates cannot tell: how many differ, of one happening and of two, and the likelihood ratio. Supports
   ``call_against`` (session 34).

    python -W ignore bench/date_term_pairs.py [--floor 0.3] [--corpus NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import event_pairs  # noqa: E402  (labelled pairs with the scorer's views)
from events_heldout import SPENT  # noqa: E402

THRESHOLD = 0.45  # [events] threshold


def main(argv: list[str] | None = None) -> int:
    from tidings.similarity import LogisticPairScorer, _contact, _read_date, _side

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--floor", type=float, default=0.3, help="count only pairs scoring above this")
    ap.add_argument("--corpus", action="append", help="a corpus of bench/event_pairs.py (default: the spent ones)")
    args = ap.parse_args(argv)
    names = args.corpus or [c.replace("events_", "") for c in SPENT] + ["multilingual"]

    scorer = LogisticPairScorer()
    for term in ("read_day_apart", "call_against"):  # scored as before the terms, which is what is measured here
        if term in scorer.names:
            scorer.coef[scorer.names.index(term)] = 0.0
    days_apart: Counter[tuple[str, int, bool, bool]] = Counter()
    leads: Counter[tuple[str, bool, bool]] = Counter()
    calls: Counter[tuple[str, str, bool]] = Counter()
    for name in names:
        for p in event_pairs.pairs(name):
            score = scorer.score(p.view_a, p.view_b)
            f = score.features
            if score.probability <= args.floor:
                continue
            read_a, read_b = _read_date(p.view_a), _read_date(p.view_b)
            how = "both read" if read_a and read_b else ("one read" if read_a or read_b else "none read")
            if f["dates_known"] == 1.0:
                days = abs((p.view_a.date - p.view_b.date).days)
                if days <= 3:
                    days_apart[(how, days, p.same, score.probability >= THRESHOLD)] += 1
            cities_a, cities_b = _side(p.view_a)[6], _side(p.view_b)[6]
            if cities_a and cities_b:
                when = "undated or weekday" if f["dates_known"] != 1.0 else how
                leads[(when, p.same, not cities_a & cities_b)] += 1
            if f["dates_known"] != 1.0:
                modes = "/".join(sorted(m or "neither" for m in (_contact(p.view_a), _contact(p.view_b))))
                calls[(modes, "one" if p.same else "two", score.probability >= THRESHOLD)] += 1

    print(f"1. pairs with both dates known, scoring above {args.floor} (above {THRESHOLD} + between)")
    for how in ("both read", "one read", "none read"):
        for d in range(4):
            same = f"{days_apart[(how, d, True, True)]}+{days_apart[(how, d, True, False)]}"
            other = f"{days_apart[(how, d, False, True)]}+{days_apart[(how, d, False, False)]}"
            print(f"  {how:10s} {d} days apart: one happening {same:>10s}   two {other:>10s}")
    print(f"\n2. pairs whose leads both name cities, scoring above {args.floor}: no lead city in common")
    for when in ("undated or weekday", "both read", "one read", "none read"):
        s_apart, s_all = leads[(when, True, True)], leads[(when, True, True)] + leads[(when, True, False)]
        d_apart, d_all = leads[(when, False, True)], leads[(when, False, True)] + leads[(when, False, False)]
        ps, pd = s_apart / max(1, s_all), d_apart / max(1, d_all)
        ratio = f"{ps / pd:.2f}" if pd else "-"
        print(f"  {when:18s} one happening {s_apart}/{s_all} ({ps:.0%})   two {d_apart}/{d_all} ({pd:.0%})"
              f"   likelihood ratio {ratio}")
    print(f"\n3. pairs a date of which is unknown or only a weekday, scoring above {args.floor}, by how the leads tell "
          f"the people met (above {THRESHOLD} + between)")
    same_all = sum(v for (_, n, _), v in calls.items() if n == "one")
    other_all = sum(v for (_, n, _), v in calls.items() if n == "two")
    for modes in sorted({m for m, _, _ in calls}):
        one = calls[(modes, "one", True)] + calls[(modes, "one", False)]
        two = calls[(modes, "two", True)] + calls[(modes, "two", False)]
        ratio = f"{(one / max(1, same_all)) / (two / other_all):.2f}" if two and other_all else "-"
        print(f"  {modes:14s} one happening {calls[(modes, 'one', True)]}+{calls[(modes, 'one', False)]:<5d} "
              f"two {calls[(modes, 'two', True)]}+{calls[(modes, 'two', False)]:<5d} likelihood ratio {ratio}")
    differ_one = sum(v for (m, n, _), v in calls.items() if n == "one" and len(set(m.split("/"))) == 2)
    differ_two = sum(v for (m, n, _), v in calls.items() if n == "two" and len(set(m.split("/"))) == 2)
    if same_all and other_all and differ_two:
        print(f"  the modes differ: one happening {differ_one}/{same_all} ({differ_one / same_all:.1%}), two "
              f"{differ_two}/{other_all} ({differ_two / other_all:.1%}), likelihood ratio "
              f"{(differ_one / same_all) / (differ_two / other_all):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
