"""Events from feeds that carry only summaries: the linked pages read (``[reader] feed_pages = "short"``) or not.

The spent corpora (or ``--corpus`` ones) become one RSS feed served by a local web server, one entry per report in
order of publication, as an aggregator's news feed lists them: the report's headline, its time, its outlet, a link
to its page, and as the entry's text a summary (the first sentences up to 280 characters, ``events_heldout.brief``).
Each page is a news page around the whole report: navigation, headline, paragraphs, teasers of other stories,
footer. The feed is ingested into a fresh store twice, reading the linked pages and not, and the B-cubed P/R/F1 of
the events against gold is printed with the time each ingest took (pages fetched from the local server and read
with trafilatura).

    python -W ignore bench/feed_pages.py [--corpus FILE ...] [--summary-chars 280]
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import functools
import http.server
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import events_heldout  # noqa: E402  (the corpora, their order of arrival, the briefs)


def page(record: dict[str, Any]) -> str:
    """A news page around the whole report."""
    lang = escape(str(record.get("language") or ""))
    title = escape(record.get("title") or "")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in record["text"].splitlines() if p.strip())
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | News</title></head>'
            '<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>'
            f"<main><article><h1>{title}</h1>{paragraphs}</article></main>"
            '<aside><h2>Most read</h2><ul><li><a href="/a">Markets close higher</a></li>'
            '<li><a href="/b">Weather: storms expected</a></li></ul></aside>'
            "<footer>© News. All rights reserved. Privacy | Terms</footer></body></html>")


def feed(records: list[dict[str, Any]], base: str, summary_chars: int) -> str:
    """One RSS feed of the reports, an aggregator's: each entry names its own outlet (<source>)."""
    items = []
    for n, r in enumerate(records):
        stamp = ""
        if r.get("published"):
            day = dt.datetime.fromisoformat(str(r["published"]).replace("Z", "+00:00"))
            stamp = f"<pubDate>{email.utils.format_datetime(day if day.tzinfo else day.replace(tzinfo=dt.UTC))}"
        outlet = escape(r.get("outlet") or "")
        items.append(f"<item><title>{escape(r.get('title') or '')}</title><link>{base}/p/{n}.html</link>"
                     f"<guid>{escape(r['id'])}</guid>{stamp and stamp + '</pubDate>'}"
                     f'<source url="{base}/">{outlet}</source>'
                     f"<description>{escape(events_heldout.brief(r['text'], summary_chars))}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
            + "".join(items) + "</channel></rss>")


def run(records: list[dict[str, Any]], feed_pages: str, summary_chars: int) -> dict[str, Any]:
    from tidings.api import Tidings
    from tidings.evaluation import bcubed, store_clusters
    from tidings.readers import feed_entry_id

    with tempfile.TemporaryDirectory(prefix="tidings-feed-") as tmp:
        site = Path(tmp) / "site"
        (site / "p").mkdir(parents=True)
        requested: list[str] = []

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                requested.append(self.path)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            for n, r in enumerate(records):
                (site / "p" / f"{n}.html").write_text(page(r), encoding="utf-8")
            (site / "feed.xml").write_text(feed(records, base, summary_chars), encoding="utf-8")
            with Tidings(Path(tmp) / "feed.db", reader={"feed_pages": feed_pages}) as t:
                started = time.perf_counter()
                report = t.ingest([f"{base}/feed.xml"])
                seconds = time.perf_counter() - started
                gold = {feed_entry_id({"id": r["id"]}, n): r["event"] for n, r in enumerate(records, start=1)}
                predicted, missing = store_clusters(t.store, gold)
        finally:
            server.shutdown()
            server.server_close()
    return {"feed_pages": feed_pages, "stored": len(report.stored), "bcubed": bcubed(predicted, gold),
            "missing": len(missing), "pages": sum(p.startswith("/p/") for p in requested), "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, action="append", help="a corpus (repeatable); default: the spent ones")
    ap.add_argument("--summary-chars", type=int, default=280, help="an entry's summary at most (280)")
    args = ap.parse_args(argv)
    corpora = args.corpus or [events_heldout.ROOT / "tests" / "fixtures" / c / "articles.jsonl"
                              for c in events_heldout.SPENT]
    records = events_heldout.arrival(events_heldout.load_many(corpora), "date")
    print(f"one feed of {len(records)} reports in order of publication; summaries up to {args.summary_chars} "
          "characters")
    for feed_pages in ("short", "never"):
        r = run(records, feed_pages, args.summary_chars)
        b = r["bcubed"]
        print(f"  [reader] feed_pages = {feed_pages!r:8s} B-cubed P {b.precision:.3f}  R {b.recall:.3f}  F1 {b.f1:.3f}"
              f"   stored {r['stored']}, not in the store {r['missing']}, pages fetched {r['pages']}, "
              f"ingest {r['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
