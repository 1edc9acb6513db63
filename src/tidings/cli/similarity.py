"""`tidings similarity`: SemEval-2022 Task 8 style similarity of article pairs, in any two covered languages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from tidings.readers import without_surrogates

OPTIONAL = ("lang1", "lang2", "title1", "title2", "published1", "published2")


def read_pair_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Pair records of a JSON lines file; a bad line yields {"pair_id", "error"} instead (the run goes on)."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield {"pair_id": None, "error": f"line {n}: not JSON ({exc.msg})"}
                continue
            if not isinstance(rec, dict):
                yield {"pair_id": None, "error": f"line {n}: not a JSON object"}
                continue
            missing = [k for k in ("pair_id", "text1", "text2") if k not in rec]
            if missing:
                yield {"pair_id": rec.get("pair_id"), "error": f"line {n}: missing {', '.join(missing)}"}
                continue
            yield {k: without_surrogates(v) if isinstance(v, str) else v for k, v in rec.items()}


def read_article(path: Path, fail: Any) -> Any:
    """The first article of a file, read as ``tidings ingest`` reads it (a web page through trafilatura in its declared
    character set, plain text as UTF-8, JSON or JSON lines); ``fail`` is called with what is wrong with it."""
    from tidings.articles import ReadError
    from tidings.readers import PathReader

    for item in PathReader().read([str(path)]):
        if isinstance(item, ReadError):
            fail(f"{item.source}: {item.reason}")
        return item
    fail(f"{path}: no article in it")


def score_pairs(records: list[dict[str, Any]], sim: Any, batch: int = 32, per_call: int = 256
                ) -> Iterator[dict[str, Any]]:
    """One output record per input record, in order: scores and pair_id, or the input's error. ``per_call`` pairs
    at a time go to ``compare_many`` (several batches: its worker processes share them out), then are written."""
    for i in range(0, len(records), per_call):
        chunk = records[i:i + per_call]
        todo = [r for r in chunk if "error" not in r]
        scored = iter(sim.compare_many(todo, batch=batch))
        for rec in chunk:
            if "error" in rec:
                yield rec
            else:
                yield {"pair_id": rec["pair_id"], **next(scored)}


def register(app: typer.Typer) -> None:
    @app.command()
    def similarity(
        inputs: Annotated[list[Path], typer.Argument(help="A JSON lines file of pairs, or two article files.")],
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write JSON lines here, not stdout.")]
        = None,
    ) -> None:
        """How similar two news articles are, on SemEval-2022 Task 8's scale (1 = very similar, 4 = unrelated).

        tidings similarity PAIRS.jsonl: lines {"pair_id","text1","text2"} (optional lang1/lang2, title1/title2,
        published1/published2); prints one JSON line per pair with overall, geography, entities, time,
        narrative and same_story, or {"pair_id","error"} for a bad line. tidings similarity A.txt B.txt: a
        readable breakdown of two articles.
        """
        from tidings.cli import console, errors, fail
        from tidings.similarity import PairError, PairSimilarity

        for p in inputs:
            if not p.is_file():
                fail(f"{p}: no such file")
        if len(inputs) == 2:
            docs = [read_article(p, fail) for p in inputs]
            sim = PairSimilarity()
            prepared = []
            for p, doc in zip(inputs, docs, strict=True):
                try:
                    prepared.append(sim.prepare(doc.text, doc.language, doc.title,
                                                doc.published.date() if doc.published else None))
                except PairError as exc:
                    fail(f"{p}: {exc}")
            sim.embed(prepared)
            _breakdown(console, inputs, sim.predict(*prepared))
            return
        if len(inputs) != 1:
            fail("give one JSON lines file of pairs, or two article files")
        records = list(read_pair_lines(inputs[0]))
        sim = PairSimilarity()
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
        bad = 0
        try:
            for rec in score_pairs(records, sim):
                bad += "error" in rec
                sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
        finally:
            sim.close()  # its worker processes
            if output:
                sink.close()
        if bad:
            errors.print(f"{bad} of {len(records)} pairs could not be scored (error records written)")


def _breakdown(console: Any, paths: list[Path], out: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=escape(f"{paths[0].name}  vs  {paths[1].name}"))
    table.add_column("dimension")
    table.add_column("score (1 = very similar, 4 = unrelated)", justify="right")
    for d in ("overall", "geography", "entities", "time", "narrative"):
        table.add_row(d, f"{out[d]:.2f}")
    verdict = "yes" if out["same_story"] else "no"
    table.add_row("same story", f"{verdict} (p = {out['same_story_probability']:.2f})")
    console.print(table)
