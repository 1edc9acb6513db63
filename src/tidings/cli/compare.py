"""`tidings compare EVENT_ID`: what every outlet says about an event, what only some say or leave out."""


import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tidings.cli import DbOption, console, fail, open_tidings


def _print(result: dict[str, Any]) -> None:
    claims = {c["id"]: c for c in result["claims"]}
    n = len(result["unique"])
    console.print(f"[bold]Event {escape(result['event'])}[/bold]: {len(claims)} claims across {n} articles "
                  "(syndicated copies counted once)", highlight=False)
    table = Table(show_lines=True)
    for col in ("claim", "carried by", "quote", "what is said (one sentence per language)"):
        table.add_column(col, overflow="fold")
    for c in result["claims"]:
        seen: set[str] = set()
        lines = []
        for s in c["sentences"]:
            if s["language"] not in seen:
                seen.add(s["language"])
                lines.append(escape(f"[{s['language']}] {s['text']}"))
        share = "all" if len(c["articles"]) == n else f"{len(c['articles'])}/{n}"
        quote = ("yes" + (f": {c['speaker']}" if c["speaker"] else "")) if c["quote"] else ""
        table.add_row(c["id"], escape(f"{share}\n" + "\n".join(a[:20] for a in c["articles"])), escape(quote),
                      "\n".join(lines))
    console.print(table)
    for article in result["unique"]:
        only = ", ".join(result["unique"][article]) or "-"
        left = ", ".join(result["omitted"][article]) or "-"
        console.print(f"[bold]{escape(article)}[/bold]  " + escape(f"only here: {only}   leaves out: {left}"),
                      highlight=False)
    summary = result["summary"]
    console.print(f"\n[bold]Summary ({escape(str(summary['language']))})[/bold]")
    for s in summary["sentences"]:
        console.print(f"• {escape(s)}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        event_id: Annotated[str, typer.Argument(
            help="An event id (see `tidings events`), or an article's id: the event it is in.")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
        language: Annotated[str | None, typer.Option(
            help="Language of the summary (en, de, ar...); default: the language most articles use.")] = None,
    ) -> None:
        """Align an event's articles claim by claim, across languages: what all outlets say, what only
        some say, what each leaves out, quotes and their speakers, and an extractive summary.

        Example: tidings compare ev-825a0ae5f64e --language en
        """
        from tidings.compare import compare_event

        t = open_tidings(db)
        event_id = t.article_event(event_id) or event_id  # an article's id: the event it is in, as `show` takes it
        try:
            result = compare_event(t, event_id, language)
        except KeyError:
            fail(f"no event or article {event_id!r} in {t.store.url}")
            return
        if as_json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            _print(result)
            told = result["summary"]["language"]
            if language and told != language:  # extractive: only the articles' own sentences, in their languages
                console.print(f"[dim]no article of this event is in {escape(language)!r}: the summary is in "
                              f"{escape(str(told))}[/dim]")
