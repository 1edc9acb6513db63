"""The command line: `tidings ingest`, `events`, `show`, `export`, and the commands of other modules.

Each further command group lives in its own module here (similarity, evaluate, compare, serve) and
adds itself through a ``register(app)`` function, so the core commands stay small.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tidings.articles import shorten
from tidings.store import StoreError

app = typer.Typer(
    help=(
        "tidings: a multilingual news event engine.\n\n"
        "Ingest articles in any language (text, HTML, JSON, CSV, RSS/Atom, folders), group the ones that "
        "report the same happening into events across languages and outlets, link events into storylines, "
        "and explore them.\n\n"
        "Start with:  tidings ingest ../shared/seeds   then   tidings events"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"tidings {version('tidings')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            print("tidings (not installed)")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """tidings: a multilingual news event engine."""

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="TIDINGS_DB", help="Store: an SQLite file (default ./tidings.db) or an SQLAlchemy URL "
    "such as postgresql+psycopg://user@host/db.")]
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", envvar="TIDINGS_CONFIG", help="A TOML settings file overriding the packaged defaults.")]


def fail(message: str) -> None:
    errors.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def open_tidings(db: str | None, config: Path | None = None, create: bool = False):  # noqa: ANN201 - avoids importing api at startup
    """The store as Tidings. Only ``create`` (an ingest) makes a new SQLite file: a command that reads a store
    names a mistyped path instead of showing an empty one it just made."""
    from tidings.api import Tidings

    try:
        return Tidings(db, config, create=create)
    except (StoreError, ValueError) as exc:
        fail(str(exc))


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Files (text, HTML, JSON lines or a JSON document, CSV/TSV with a header row, RSS/Atom, an OPML list "
             "of feeds; any of them compressed, dump.jsonl.gz, .bz2, .xz; .zip and .tar(.gz) archives of them; "
             "a crawler's web archive, .warc.gz), folders (read recursively), URLs (a feed, a web page, a news "
             "API's JSON answer, or any of those files), or - for standard input (JSON, or one plain-text article). "
             "A JSON line or a table's row holds text and optionally id, title, url, "
             "outlet, published, language (or news-please's or NewsAPI's names for them: maintext, date_publish, "
             "content, publishedAt ...).")],
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no table.")] = False,
    every: Annotated[str | None, typer.Option(
        help="Follow the sources: read them again every INTERVAL (30s, 15m, 1h) until stopped with Ctrl-C, "
             "each round only what may be new (a folder's new or changed files, a feed that changed), one "
             "line per round. What it read is kept in the store: run again, it reads only what changed since.",
        metavar="INTERVAL")] = None,
    rounds: Annotated[int | None, typer.Option(
        help="With --every: stop after this many rounds.", min=1)] = None,
) -> None:
    """Read articles and assign each, in arrival order, to an event (and its event to a storyline).

    Ingesting the same input twice stores nothing twice. Bad inputs are reported one line each and
    the run goes on. Example: tidings ingest ../shared/seeds --db news.db

    To monitor feeds and a drop folder, keeping the model loaded between rounds:
    tidings ingest https://example.org/rss.xml inbox/ --every 15m

    A feed entry that holds only a summary is read from the page it links to (\\[reader] feed_pages).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tidings.pipeline import iter_sources
    from tidings.readers import PathReader, parse_interval

    if rounds is not None and every is None:
        fail("--rounds counts the rounds of --every: give --every too")
    if every is not None:
        try:
            interval = parse_interval(every)
        except ValueError as exc:
            fail(f"--every: {exc}")
        _follow(open_tidings(db, config, create=True), paths, interval, rounds, quiet)
        return
    t = open_tidings(db, config, create=True)
    files = list(iter_sources(paths, PathReader(exclude=t.store.own_files())))
    seen: set[str] = set()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=errors, disable=quiet, transient=True) as progress:
        task = progress.add_task("loading the model", total=len(files) or None)

        read = 0
        named = set(files)

        def advance(source: str) -> None:
            nonlocal read
            read += 1
            base = _file_of(source, named)
            if base not in seen:  # the files before it are done
                seen.add(base)
                progress.update(task, completed=len(seen) - 1)
            if read < 100 or read % 50 == 0:  # a file of many articles (a JSON dump) moves the line too
                progress.update(task, description=f"ingesting {Path(base).name[:30]} ({read:,} articles read)")

        try:
            report = t.ingest(paths, progress=advance,
                              status=lambda message: progress.update(task, description=message))
        except (StoreError, ValueError) as exc:
            fail(str(exc))
        except KeyboardInterrupt:  # said here: typer turns it into a silent exit 130 before main() sees it
            progress.stop()
            errors.print(f"interrupted: every batch committed before this is kept "
                         f"({t.store.counts()['articles']:,} articles in {t.store.url})", highlight=False)
            raise typer.Exit(130) from None
    _print_report(report)
    if not quiet:
        # One page, read alone: after a few articles added to a large store, the latest events, not every one.
        total, rows = t.events_page(INGEST_TABLE_EVENTS)
        _events_table(rows, total, "all: tidings events --limit 0")


INGEST_TABLE_EVENTS = 50  # events in the table after an ingest
# Events in `tidings events`' table unless --limit says: a terminal table of a large store's every event is read by
# nobody, and rich lays one out at about 1 ms a row (33k events of a 100k store: 32 s). JSON lines have no bound.
EVENTS_TABLE_ROWS = 1_000


def _file_of(source: str, files: set[str]) -> str:
    """The input file an article's source names: "feed.xml#3", "dump.jsonl:12", an archive's member
    "news.zip/2021/a.html" and "dump.jsonl.gz:5" are of the files the ingest listed."""
    base = source.split("#")[0]
    if base in files:
        return base
    if ":" in base and base.rsplit(":", 1)[0] in files:
        return base.rsplit(":", 1)[0]
    return next((str(p) for p in Path(base).parents if str(p) in files), base)


SKIPS_SHOWN = 20  # lines of one reason before the rest of it is counted: a dump ingested again is no wall of lines


def _print_report(report, prefix: str = "") -> None:  # noqa: ANN001 - an IngestReport (not imported at startup)
    """The skipped inputs, one line each (the first ``SKIPS_SHOWN`` of each reason, then how many more), and the
    closing summary of an ingest (or of one round of --every)."""
    shown: Counter[str] = Counter()
    for skip in report.skipped:
        shown[skip.reason] += 1
        if shown[skip.reason] <= SKIPS_SHOWN:
            errors.print(f"[yellow]skipped[/yellow] {escape(str(skip))}", highlight=False, soft_wrap=True)
    for reason, n in shown.items():
        if n > SKIPS_SHOWN:
            errors.print(f"[yellow]skipped[/yellow] {n - SKIPS_SHOWN:,} more: {escape(reason)}", highlight=False,
                         soft_wrap=True)
    s = report.summary()
    copies = "syndicated copy" if s["copies"] == 1 else "syndicated copies"
    console.print(
        f"{prefix}read {s['read']}, stored {s['stored']} ({s['copies']} {copies}"
        + (f", {s['replaced']} replacing an older version" if s["replaced"] else "")
        + (f", {s['languages_overruled']} in another language than declared" if s["languages_overruled"] else "")
        + f"), skipped {s['skipped']}"
        + (f" ({s['retitled']} of them already stored, their headline corrected)" if s["retitled"] else "") + "; "
        f"events: {s['events_created']} created, {s['events_updated']} updated, {s['events_merged']} merged"
        + (f", {s['events_split']} split off another" if s["events_split"] else "")
        + f" in {s['seconds']:.1f} s", highlight=False)


def _follow(t, paths: list[str], interval: float, rounds: int | None, quiet: bool) -> None:  # noqa: ANN001 - Tidings
    """``ingest --every``: one line per round until ``rounds`` are done or Ctrl-C; then the events table. A batch cut
    short by Ctrl-C is rolled back; every batch committed before it stays."""
    import datetime as dt

    from tidings.readers import is_url

    spinner = errors.status("loading the model", spinner="dots")  # until the first round is in
    if not quiet:
        spinner.start()
    done = 0
    try:
        for report in t.follow(paths, every=interval, rounds=rounds, status=None if quiet else spinner.update):
            spinner.stop()
            done += 1
            _print_report(report, prefix=f"round {done} ({dt.datetime.now().strftime('%H:%M:%S')}): ")
            if rounds is None or done < rounds:
                missing = [p for p in paths if not is_url(p) and not Path(p).exists()]
                errors.print(f"[dim]next round in {interval:g} s"
                             + (f" ({len(missing)} of the {len(paths)} sources not there yet)" if missing else "")
                             + "; Ctrl-C stops[/dim]", highlight=False)
    except KeyboardInterrupt:
        errors.print(f"stopped after {done} round{'s' if done != 1 else ''}", highlight=False)
    except (StoreError, ValueError) as exc:
        fail(str(exc))
    finally:
        spinner.stop()
    if not quiet:
        total, rows = t.events_page(INGEST_TABLE_EVENTS)
        _events_table(rows, total, "all: tidings events --limit 0")
    t.close()


def _events_table(rows: list[dict], total: int | None = None, all_hint: str = "") -> None:
    """The events table; when ``rows`` are the latest of ``total``, it says so, with how to see them all."""
    total = len(rows) if total is None else total
    noun = "event" if total == 1 else "events"
    title = f"{total} {noun}" if total == len(rows) else f"the latest {len(rows)} of {total} {noun}"
    table = Table(title=title, show_lines=False)
    for col in ("event", "date", "title", "languages", "outlets", "articles", "storyline"):
        table.add_column(col, overflow="fold")
    for e in rows:
        table.add_row(e["id"], e["date"] or (f"~{e['last_date']}" if e["last_date"] else "?"),
                      escape(shorten(e["title"] or "", 80)), ", ".join(e["languages"]),
                      escape(shorten(", ".join(e["outlets"]), 40)),
                      f"{e['size']} ({e['sources']} sources)" if e["sources"] != e["size"] else str(e["size"]),
                      e["storyline"] or "")
    console.print(table)
    if total > len(rows):
        console.print(f"the latest {len(rows)} of {total} events ({all_hint})")


@app.command()
def events(
    db: DbOption = None,
    who: Annotated[str | None, typer.Option(help="Only events with this person or organisation, in any "
                                            "language or script (Putin, بوتين, person:vladimir-putin).")] = None,
    where: Annotated[str | None, typer.Option(help="Only events at this place (Tehran, RU, Russland).")] = None,
    language: Annotated[str | None, typer.Option(help="Only events with an article in this language (de).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only events an outlet reported (part of its name: "
                                               "'tehran times', 'reuters').")] = None,
    since: Annotated[str | None, typer.Option(help="Only events of this day or later: 2021-08-18, or a month "
                                              "(2021-08) or a year (2021) from its start. An event's day is its "
                                              "happening's, else its latest report's.")] = None,
    until: Annotated[str | None, typer.Option(help="Only events of this day or earlier (2021-08-31, or a whole "
                                              "month 2021-08 or year 2021). Events with no date are left out "
                                              "by either.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Text search in titles and articles.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    limit: Annotated[int | None, typer.Option(min=0, help="Only the latest N events (0: all). The table shows the "
                                              f"latest {EVENTS_TABLE_ROWS:,} unless told; --json all.")] = None,
) -> None:
    """List events, latest first: date, title, languages, outlets, article count.

    The filters combine: tidings events --who Putin --since 2021-08 --until 2021-08 lists Putin's events of August
    2021, whatever the language of their reports."""
    from tidings.api import date_span

    try:  # a bad date is the user's to fix: one line, before the store is read
        first, last = date_span(since, until, names=("--since", "--until"))
    except ValueError as exc:
        fail(str(exc))
    t = open_tidings(db)
    filters = {"who": who, "where": where, "language": language, "outlet": outlet, "query": query,
               "since": first, "until": last}
    if limit is None:
        limit = 0 if as_json else EVENTS_TABLE_ROWS
    if limit:
        total, rows = t.events_page(limit, **filters)
    else:
        rows = t.events(**filters)
        total = len(rows)
    if as_json:
        for e in rows:
            print(json.dumps(e, ensure_ascii=False))
    else:
        _events_table(rows, total, "--limit 0 for all")


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="An event id (ids merged into another event still resolve), or an "
                                                 "article's id: the event it is in.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """One event with its who/where/when and its articles."""
    t = open_tidings(db)
    via_article = t.article_event(event_id)
    e = t.event(via_article or event_id)
    if e is None:
        fail(f"no event or article {event_id!r} in {t.store.url}")
    if as_json:
        print(json.dumps(e, ensure_ascii=False, indent=2))
        return
    if via_article:
        console.print(f"[dim]article {escape(event_id)} is in event {e['id']}[/dim]")
    elif e["requested_id"] != e["id"]:
        console.print(f"[dim]{escape(event_id)} was merged into {e['id']}[/dim]")
    console.print(f"[bold]{escape(e['title'])}[/bold]  ({e['id']})", highlight=False)
    console.print(f"date of the happening: {e['date'] or 'unknown'}   storyline: {e['storyline'] or '-'}")
    console.print("who:   " + escape(", ".join(f"{w['name']} ({w['count']})" for w in e["who"][:12])), highlight=False)
    console.print("where: " + escape(", ".join(f"{w['name']} ({w['count']})" for w in e["where"][:12])),
                  highlight=False)
    table = Table(show_lines=False)
    for col in ("article", "lang", "outlet", "published", "title"):
        table.add_column(col, overflow="fold")
    updated = t.store.revision_counts([a["id"] for a in e["articles"]])
    for a in e["articles"]:
        copy = f"  [dim](copy of {escape(a['duplicate_of'])})[/dim]" if a["duplicate_of"] else ""
        n = updated.get(a["id"], 0)
        copy += f"  [dim](updated{f' {n} times' if n > 1 else ''})[/dim]" if n else ""
        title = escape(a["title"]) + copy
        table.add_row(escape(a["id"]), a["language"] or "?", escape(a["outlet"] or ""), a["published"] or "", title)
    console.print(table)


@app.command()
def merge(
    event_id: Annotated[str, typer.Argument(help="The event whose reports join the other (its id resolves to it).")],
    into: Annotated[str, typer.Argument(help="The event that keeps its id, title and storyline.")],
    db: DbOption = None,
) -> None:
    """Correct the engine: two events that are one happening become one.

    Example: tidings merge ev-1014d7be8b7e ev-825a0ae5f64e
    """
    e = _corrected(db, lambda t: t.merge_events(event_id, into))
    console.print(f"{escape(event_id)} merged into {e['id']}: {e['size']} articles, "
                  f"{', '.join(e['languages'])}", highlight=False)


@app.command()
def move(
    article_id: Annotated[str, typer.Argument(help="The report to move (its syndicated copies in its event go too).")],
    to: Annotated[str | None, typer.Option(help="The event it tells of; without it, an event of its own.")] = None,
    db: DbOption = None,
) -> None:
    """Correct the engine: a report goes to the event it tells of, or to an event of its own.

    No later report merges its old event and its new one again, and no other event claims it.
    Example: tidings move 004_55c22112cef1f973 --to ev-825a0ae5f64e
    """
    e = _corrected(db, lambda t: t.move_article(article_id, to))
    console.print(f"{escape(article_id)} is in {e['id']} ({e['size']} articles): {escape(e['title'] or '')}",
                  highlight=False)


@app.command()
def delete(
    article_ids: Annotated[list[str] | None, typer.Argument(help="The articles to delete, by id.", show_default=False)
                           ] = None,
    source: Annotated[str | None, typer.Option(
        help="Every article read from this file, folder or feed: its path or URL as it was given to ingest, or the "
             "start of it (a folder's).")] = None,
    before: Annotated[str | None, typer.Option(
        help="Every article dated before this day, month (2021-08: before August) or year: the day its text reads, "
             "else its publication day (undated articles stay). With --source: those of that source.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say how many articles would go; delete none.")] = False,
    for_good: Annotated[bool, typer.Option(
        "--for-good", help="A takedown: their ids are refused from now on, whatever text comes under them (a feed "
                           "that still lists one does not bring it back).")] = False,
    db: DbOption = None,
) -> None:
    """Delete articles from the store: a takedown, an input read by mistake, news past its keeping.

    Their events are counted again, and an event left without reports goes. All or nothing: an unknown id deletes
    none. An article deleted and read again is stored again, unless deleted --for-good.
    Examples: tidings delete 004_55c22112cef1f973    tidings delete --source wrong-folder/
    tidings delete --before 2024 --dry-run
    """
    from tidings.api import day_bound
    from tidings.corrections import CorrectionError

    ids = list(article_ids or [])
    t = open_tidings(db)
    if source is not None or before is not None:
        try:
            day = day_bound(before, name="--before")
        except ValueError as exc:
            fail(str(exc))
        selected = t.store.select_ids(source, day)
        if not selected:
            fail("no article in the store was read from " + repr(source) + (f" and dated before {day}" if day else "")
                 if source is not None else f"no article in the store is dated before {day}")
        ids += selected
    if not ids:
        fail("name the articles to delete (their ids), or --source with the file or folder they were read from, "
             "or --before a date")
    if dry_run:
        n = len(set(ids))
        console.print(f"would delete {n} {'article' if n == 1 else 'articles'} (--dry-run: none deleted)",
                      highlight=False)
        return
    try:
        events = t.delete_articles(ids, for_good=for_good)
    except (CorrectionError, StoreError) as exc:
        fail(str(exc))
    touched = {e for e in events.values() if e}
    gone = {e for e in touched if t.store.event(e) is None}
    n = len(events)
    console.print(f"deleted {n} {'article' if n == 1 else 'articles'}{' for good' if for_good else ''}; events: "
                  f"{len(touched - gone)} counted again, {len(gone)} gone (no report left)", highlight=False)


@app.command()
def stats(
    top: Annotated[int, typer.Option(min=1, help="How many outlets and sources to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of text.")] = False,
    db: DbOption = None,
) -> None:
    """What the store holds: articles, syndicated copies, events, storylines, takedowns; articles by language,
    outlet and source (file or feed); the first and last day published and happened; the last ingest.

    Example: tidings stats --top 5
    """
    t = open_tidings(db)
    try:
        s = t.stats(top)
    except StoreError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(s, ensure_ascii=False))
        return

    def counted(items: dict[str, int]) -> str:
        return ", ".join(f"{escape(str(k))} {v:,}" for k, v in items.items()) or "none"

    def span(days: list[str | None]) -> str:
        return "none dated" if days[0] is None else days[0] if days[0] == days[1] else f"{days[0]} to {days[1]}"

    def n(count: int, word: str, words: str | None = None) -> str:
        return f"{count:,} {word if count == 1 else words or word + 's'}"

    console.print(
        f"{n(s['articles'], 'article')} ({n(s['copies'], 'syndicated copy', 'syndicated copies')}) in "
        f"{n(s['events'], 'event')} and {n(s['storylines'], 'storyline')}; {n(s['takedowns'], 'takedown')}\n"
        f"languages: {counted(s['languages'])}\n"
        f"outlets (top {top}): {counted(s['outlets'])}\n"
        f"sources (top {top}): {counted(s['sources'])}\n"
        f"published: {span(s['published'])}; happened: {span(s['happened'])}\n"
        f"last ingest: {s['last_ingest'] or 'none'} (UTC)", highlight=False, soft_wrap=True)


@app.command()
def takedowns(
    article_ids: Annotated[list[str] | None, typer.Argument(help="With --lift: the ids to let in again.",
                                                             show_default=False)] = None,
    lift: Annotated[bool, typer.Option("--lift", help="Let these ids be stored again (a takedown withdrawn).")
                    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines {id, deleted_at} instead of text.")] = False,
    db: DbOption = None,
) -> None:
    """The ids deleted --for-good, which an ingest refuses whatever text comes under them; or --lift some.

    Lifting lets the id in again; it brings back no text (the next reading of the article stores it).
    Examples: tidings takedowns    tidings takedowns --lift 004_55c22112cef1f973
    """
    from tidings.corrections import CorrectionError

    t = open_tidings(db)
    if lift:
        if not article_ids:
            fail("name the ids to let in again: tidings takedowns --lift ID...")
        try:
            lifted = t.lift_takedowns(article_ids)
        except (CorrectionError, StoreError) as exc:
            fail(str(exc))
        n = len(lifted)
        console.print(f"lifted {n} {'takedown' if n == 1 else 'takedowns'}: "
                      f"{'that id' if n == 1 else 'those ids'} may be stored again", highlight=False)
        return
    if article_ids:
        fail("ids are taken only with --lift; without it the takedowns are listed")
    rows = t.takedowns()
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        console.print("no takedowns (tidings delete --for-good makes one)", highlight=False)
    for row in rows:
        console.print(f"{row['deleted_at']}  {escape(row['id'])}", highlight=False)


def _corrected(db: str | None, correct) -> dict:  # noqa: ANN001 - Tidings -> event id
    """The event after an editor's correction (``correct``), or the one-line error of one that cannot be made."""
    from tidings.corrections import CorrectionError

    t = open_tidings(db)
    try:
        return t.event(correct(t))
    except (CorrectionError, StoreError) as exc:
        fail(str(exc))


@app.command()
def export(
    db: DbOption = None,
    events_only: Annotated[bool, typer.Option("--events", help="One line per event instead of per article.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="A CSV table with a header row instead of JSON lines (for a "
                                                       "spreadsheet): lists joined with '; ', who and where by "
                                                       "name.")] = False,
) -> None:
    """JSON lines on stdout: per article {id, language, title, outlet, published, event, storyline},
    or with --events per event {id, articles, languages, date, storyline, who, where}."""
    t = open_tidings(db)
    rows = t.iter_export_events() if events_only else t.iter_export_articles()  # streamed
    if not as_csv:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    import csv

    writer = None
    for row in rows:
        flat = {k: _csv_cell(v) for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(flat), lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)


def _csv_cell(value: object) -> object:
    """A list as one cell ("de; ar; en"; who and where by their names), None as an empty one."""
    if isinstance(value, list):
        return "; ".join(str(v.get("name", v.get("id", ""))) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else value


@app.command()
def storylines(
    storyline_id: Annotated[str | None, typer.Argument(
        help="One storyline (an id from this list, `show` or `export`; ids merged into another still resolve).",
        show_default=False)] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=0, help="Only the N storylines updated last (0: all).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines {id, title, events, timeline} instead of "
                                                         "text.")] = False,
) -> None:
    """Storylines with the timeline of their events, the storylines updated last first; or one storyline."""
    t = open_tidings(db)
    total = None
    if storyline_id is not None:
        one = t.storyline(storyline_id)
        if one is None:
            fail(f"no storyline {storyline_id!r} in {t.store.url}")
        rows = [one]
    elif limit:
        total, rows = t.storylines_page(limit)
    else:
        rows = t.storylines()
    if as_json:
        for s in rows:
            print(json.dumps(s, ensure_ascii=False))
        return
    if storyline_id is not None and rows[0]["id"] != storyline_id:
        console.print(f"[dim]{escape(storyline_id)} was merged into {rows[0]['id']}[/dim]")
    for s in rows:
        console.print(f"[bold]{escape(s['title'] or s['id'])}[/bold]  ({s['id']}, {len(s['events'])} events)",
                      highlight=False)
        for item in s["timeline"]:
            title = escape(shorten(item["title"] or "", 70))
            console.print(f"  {item['date'] or '????-??-??'}  {item['event']}  {title}  "
                          + escape(f"[{', '.join(item['languages'])}]"), highlight=False)
    if total is not None and total > len(rows):
        console.print(f"the latest {len(rows)} of {total} storylines (--limit 0 for all)")


# Command groups of other modules; each is optional so the core keeps working while they grow.
for _name in ("similarity", "evaluate", "compare", "serve"):
    if importlib.util.find_spec(f"tidings.cli.{_name}") is not None:
        _module = importlib.import_module(f"tidings.cli.{_name}")
        # Commands defined inside register() with `from __future__ import annotations` have string
        # annotations that typer resolves in the module's globals: make the shared options visible there.
        for _shared in ("DbOption", "ConfigOption"):
            vars(_module).setdefault(_shared, globals()[_shared])
        _module.register(app)


# Python warnings about the text itself ("impossible date dropped: '38.02.2020'", from the dates reader) are for
# the library's callers; on the command line they are noise with a source line attached. The encoder and similarity
# workers are other interpreters: they get the same filter through the environment.
QUIET_WARNINGS = "ignore:impossible date dropped"


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", message="impossible date dropped")
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), QUIET_WARNINGS]))
    try:
        app()
    except KeyboardInterrupt:
        errors.print("interrupted: every batch committed before this is kept")
        sys.exit(130)
