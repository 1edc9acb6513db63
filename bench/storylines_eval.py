"""Storylines against hand-labelled gold: which events the linker puts in one storyline.

Each corpus is ingested in order of publication into a fresh temporary store with the default settings; each
article's predicted storyline is its event's storyline (an event in none is a storyline of its own). Gold: the
corpus's ``storylines.json`` beside its articles (gold events listed together form one storyline; the criterion
is written in the file), and for the seeds their three events as one storyline ("Iran-Russia relations").

Printed per corpus: B-cubed precision/recall/F1 over articles (gold label: the storyline of the article's gold
event), the same over gold events (an event's predicted storyline: that of most of its articles), and the
errors: gold storylines split across predicted ones, and predicted storylines that join gold ones. Event splits
count only where their parts end up in different storylines.

    python -W ignore bench/storylines_eval.py [--corpus NAME ...]
    python -W ignore bench/storylines_eval.py --one-stream [--corpus NAME ...]

``--one-stream``: the corpora (the spent ones by default) as one stream in one store, ids, gold events and gold
storylines prefixed by corpus, in order of publication over all of them (2005-2026): the archive of many years
that a long-running store becomes, where the linker must find an event's related events among those of every year.
A storyline that joins two corpora's events counts as an error, though two corpora may tell of one cast.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from event_pairs import CORPORA, RESERVED  # noqa: E402  (name -> articles, field with the gold event; the seeds)
from events_heldout import arrival  # noqa: E402  (by publication date; an undated article with its neighbour)


def gold_of(name: str) -> tuple[list[dict[str, Any]] | Path, dict[str, str], dict[str, str]]:
    """(input to ingest, article id -> gold event, gold event -> gold storyline)."""
    path, field = CORPORA[name]
    if path.is_dir():  # the seeds: text files and gold.json
        g = json.loads((path / "gold.json").read_text(encoding="utf-8"))
        events = {aid: a[field] for aid, a in g["articles"].items()}
        return path, events, {e: "iran-russia-relations" for e in set(events.values())}
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    events = {r["id"]: r[field] for r in records}
    labels = json.loads((path.parent / "storylines.json").read_text(encoding="utf-8"))["storylines"]
    storyline = {e: e for e in events.values()}
    for label, members in labels.items():
        for e in members:
            if e not in storyline:
                raise SystemExit(f"{path.parent / 'storylines.json'}: {e!r} is no gold event of {path.name}")
            storyline[e] = label
    return arrival(records, "date"), events, storyline


def one_stream(names: list[str]) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    """The corpora as one stream (``gold_of`` of each, prefixed by its name), in order of publication."""
    records: list[dict[str, Any]] = []
    events: dict[str, str] = {}
    storyline: dict[str, str] = {}
    for name in names:
        source, ev, st = gold_of(name)
        if isinstance(source, Path):
            raise SystemExit(f"{name}: a folder of files cannot join a stream")
        records += [r | {"id": f"{name}/{r['id']}"} for r in source]
        events.update({f"{name}/{a}": f"{name}/{e}" for a, e in ev.items()})
        storyline.update({f"{name}/{e}": f"{name}/{s}" for e, s in st.items()})
    return arrival(records, "date"), events, storyline


def predicted(source: list[dict[str, Any]] | Path, workdir: Path) -> dict[str, str]:
    """Article id -> predicted storyline (its event's, or the event id where it has none)."""
    from tidings.api import Tidings

    if isinstance(source, Path):
        inputs = [str(source)]
    else:
        inbox = workdir / "arrivals.jsonl"
        inbox.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in source), encoding="utf-8")
        inputs = [str(inbox)]
    with Tidings(workdir / "storylines.db") as t:
        t.ingest(inputs)
        events = {e.id: e for e in t.store.events()}
        out = {}
        for a in t.store.articles():
            ev = events.get(t.store.resolve(a.event_id)) if a.event_id else None
            if ev is not None:
                out[a.id] = ev.storyline_id or ev.id
                out[Path(a.source or "").stem] = out[a.id]  # the seeds are known by their file names
        return out


def report(name: str, stream: list[str] | None = None) -> dict[str, Any]:
    """``stream``: the corpora to ingest as one (``one_stream``), reported under ``name``."""
    from tidings.evaluation import bcubed

    source, events, storyline = one_stream(stream) if stream else gold_of(name)
    with tempfile.TemporaryDirectory() as tmp:
        pred = predicted(source, Path(tmp))
    gold_articles = {aid: storyline[e] for aid, e in events.items()}
    by_article = bcubed(pred, gold_articles)
    # events: each gold event's predicted storyline is that of most of its articles
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, e in events.items():
        votes[e][pred.get(aid, f"missing:{aid}")] += 1
    event_pred = {e: v.most_common(1)[0][0] for e, v in votes.items()}
    by_event = bcubed(event_pred, storyline)
    split = defaultdict(set)
    joined = defaultdict(set)
    for e, s in storyline.items():
        split[s].add(event_pred[e])
        joined[event_pred[e]].add(s)
    errors = [f"  SPLIT  {s}: " + " | ".join(sorted("{" + ", ".join(sorted(e for e in storyline if storyline[e] == s
                                                                             and event_pred[e] == p)) + "}"
                                                     for p in parts))
              for s, parts in sorted(split.items()) if len(parts) > 1]
    errors += [f"  JOINED {p}: " + " + ".join(sorted(gs)) for p, gs in sorted(joined.items()) if len(gs) > 1]
    return {"corpus": name, "events": len(storyline), "gold storylines": len(set(storyline.values())),
            "articles": by_article, "by event": by_event, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    ap.add_argument("--show-reserved", action="store_true",
                    help="print the errors of reserved corpora too (spends them)")
    ap.add_argument("--one-stream", action="store_true",
                    help="the corpora (the spent ones unless --corpus) as one stream in one store")
    args = ap.parse_args()
    names = args.corpus or [n for n in CORPORA if CORPORA[n][0].exists()]
    if args.one_stream:
        stream = args.corpus or [n for n in CORPORA if n.startswith("heldout") and n not in RESERVED]
        runs = [(f"one stream of {len(stream)} corpora", stream)]
    else:
        runs = [(name, None) for name in names]
    for name, corpora in runs:
        r = report(name, corpora)
        a, e = r["articles"], r["by event"]
        print(f"== {name}: {r['events']} gold events in {r['gold storylines']} gold storylines")
        print(f"B-cubed over articles  P {a.precision:.3f}  R {a.recall:.3f}  F1 {a.f1:.3f}")
        print(f"B-cubed over events    P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}")
        # a reserved corpus's errors spend it: in a stream, the lines that name one
        hidden = set() if args.show_reserved else RESERVED & set(corpora or [name])
        if corpora:
            shown = [line for line in r["errors"] if not any(f"{n}/" in line for n in hidden)]
        else:
            shown = [] if hidden else r["errors"]
        if len(shown) < len(r["errors"]):
            print(f"  ({len(r['errors']) - len(shown)} errors not shown: reserved)")
        if shown or not r["errors"]:
            print("\n".join(shown) or "  no errors")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
