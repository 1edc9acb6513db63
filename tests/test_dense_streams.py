"""A stream denser than the pair scorer was set on (``[events] dense_events``, ``dense_weight``): that two reports share
a day is weaker evidence of one happening where a day holds many happenings. On held-out 62's first three days of
Cologne's local news, up to 26 happenings within a day of each other."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

import pytest
from conftest import cologne_days

from tidings.events import _discounted
from tidings.store import Store

WEEK = Path(__file__).resolve().parent / "fixtures" / "events_heldout44" / "articles.jsonl"
OTHER_NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
# Held-out 44 among 1,000 other pages: B-cubed F1 0.876 when this gate was set in session 48 (the bench's order of
# ties, 0.884; 0.889 there with dense_weight = 0); the floor catches a collapse of precision in a dense stream, it is
# not a target.
MIN_DENSE_BCUBED_F1 = 0.83


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    return cologne_days(tmp_path_factory.mktemp("dense"))


def _events(db: Path, inbox: Path, **events: object) -> dict[str, str]:
    from tidings.api import Tidings

    with Tidings(db, **({"events": events} if events else {})) as t:
        t.ingest([str(inbox)])
        return {a.id: t.store.resolve(a.event_id) for a in t.store.articles()}


@pytest.fixture(scope="module")
def default_store(inbox, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The days ingested with the default settings: the store and each article's event."""
    db = tmp_path_factory.mktemp("default") / "default.db"
    return db, _events(db, inbox)


def _partition(events: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article, event in events.items():
        groups.setdefault(event, set()).add(article)
    return {frozenset(g) for g in groups.values()}


def test_a_stream_no_denser_than_the_setting_is_grouped_as_without_it(inbox, default_store, tmp_path):
    default = default_store[1]
    off = _events(tmp_path / "off.db", inbox, dense_weight=0.0)
    assert _partition(default) == _partition(off)
    assert len(_partition(default)) < len(default)  # reports did join


def test_a_denser_stream_asks_more_of_a_pair_to_join(inbox, default_store, tmp_path):
    default_db, default = default_store
    dense = _events(tmp_path / "dense.db", inbox, dense_events=5, dense_weight=1.0)
    assert len(_partition(dense)) > len(_partition(default))
    # the scores the store keeps are discounted by the events with a report within a day of each article's day when
    # it came
    arrived = sorted(Store(tmp_path / "dense.db", create=False).articles(), key=lambda a: a.seq)
    undiscounted = {a.id: a.event_score for a in Store(default_db, create=False).articles()}
    # the first report scored otherwise: the stores held the same before it
    first = next(a for a in arrived if abs((a.event_score or 0.0) - (undiscounted[a.id] or 0.0)) > 1e-9)
    day = first.happened or first.published
    events = {b.event_id for b in arrived if b.seq < first.seq
              and (b.happened or b.published) is not None and abs(((b.happened or b.published) - day).days) <= 1}
    # the odds fell by (events / 5): events a whole number, at least those its earlier reports of those days are in
    # now (a merge since may have made two of them one)
    before, after = undiscounted[first.id], first.event_score
    counted = 5 * (before / (1 - before)) / (after / (1 - after))
    assert counted == pytest.approx(round(counted), abs=1e-6)
    assert round(counted) >= max(len(events), 6)
    assert after == pytest.approx(_discounted(before, math.log(round(counted) / 5)))


def test_a_discount_lowers_the_odds_by_its_factor():
    assert _discounted(0.5, math.log(4)) == pytest.approx(0.2)
    assert _discounted(0.9, 0.0) == 0.9
    assert _discounted(0.0, 2.0) == 0.0


def test_a_week_of_news_among_other_news_keeps_its_events(tmp_path):
    """Evaluation gate: held-out 44's week (114 reports, 39 happenings) with 1,000 real pages of other news (the
    SemEval sample's, mostly of 2020) published on its days, in order of publication, as
    ``bench/events_heldout.py --distractors`` draws them. A page in a report's event counts against its precision."""
    from tidings.api import Tidings
    from tidings.evaluation import bcubed_among_others, store_clusters

    if not OTHER_NEWS.exists():
        pytest.skip(f"no SemEval sample at {OTHER_NEWS}")
    week = [json.loads(line) for line in WEEK.read_text(encoding="utf-8").splitlines() if line.strip()]
    days = sorted({r["published"][:10] for r in week if r.get("published")})
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    pages, seen = [], set()
    for line in OTHER_NEWS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("1", "2"):
            if pair[f"text{side}"].strip() and pair[f"text{side}"] not in seen:
                seen.add(pair[f"text{side}"])
                pages.append({"id": f"other/{pair['pair_id']}/{side}", "text": pair[f"text{side}"],
                              "language": pair[f"lang{side}"]})
    rnd = random.Random(7)
    rnd.shuffle(pages)
    pages = pages[:1000]
    for page in pages:
        day = first + dt.timedelta(days=rnd.randrange((last - first).days + 1))
        page["published"] = f"{day.isoformat()}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z"
    stream = sorted(week + pages, key=lambda r: (r["published"] if r.get("published") else days[-1], r["id"]))
    inbox = tmp_path / "stream.jsonl"
    inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in stream), encoding="utf-8")
    gold = {r["id"]: r["event"] for r in week}
    with Tidings(tmp_path / "dense.db") as t:
        t.ingest([str(inbox)])
        placed, _ = store_clusters(t.store, gold | {p["id"]: p["id"] for p in pages})
    score = bcubed_among_others(placed, gold)
    assert score.f1 >= MIN_DENSE_BCUBED_F1, score
    # the other news is mostly other news: few of the week's reports share an event with a page
    in_events_with_pages = {e for item, e in placed.items() if item not in gold}
    shared_with_pages = sum(1 for item in gold if placed.get(item) in in_events_with_pages)
    assert shared_with_pages <= 15, shared_with_pages
