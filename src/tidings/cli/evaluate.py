"""`tidings eval pairs` and `tidings eval clusters`: measure pair scores and event clustering against gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape


def register(app: typer.Typer) -> None:
    from tidings.cli import DbOption

    group = typer.Typer(help="Evaluate pair similarity (SemEval-2022 Task 8) or event clusters against gold.",
                        no_args_is_help=True)
    app.add_typer(group, name="eval")

    @group.command("pairs")
    def eval_pairs(
        gold: Annotated[Path, typer.Argument(help="JSON lines: pair_id, text1, text2, gold overall and dimensions.")],
        predictions: Annotated[Path | None, typer.Option(
            help="JSON lines from `tidings similarity` for the same pairs; scored now if not given.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Pearson per dimension and per language pair; ROC AUC of same story (overall <= 1.5) vs unrelated (>= 3.5)."""
        from tidings.cli import console, fail
        from tidings.cli.similarity import read_pair_lines, score_pairs
        from tidings.evaluation import evaluate_pairs

        if not gold.is_file():
            fail(f"{gold}: no such file")
        from tidings.cli import errors
        from tidings.evaluation import gold_problem

        rows = []
        for r in read_pair_lines(gold):
            problem = r.get("error") or gold_problem(r)
            if problem:  # said, one line each, and left out: a gold of "high" would otherwise turn into nan
                errors.print(f"[yellow]left out[/yellow] {escape(str(gold))}: {escape(problem)}", highlight=False,
                             soft_wrap=True)
            elif r.get("overall") is not None:
                rows.append(r)
        if not rows:
            fail(f"{gold}: no pairs with a gold 'overall' score")
        if predictions:
            if not predictions.is_file():
                fail(f"{predictions}: no such file")
            by_id = {}
            for n, line in enumerate(predictions.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    fail(f"{predictions}: line {n}: not JSON ({exc.msg})")
                if not isinstance(rec, dict):
                    fail(f"{predictions}: line {n}: not a JSON object")
                by_id[rec.get("pair_id")] = rec
            preds = [by_id.get(r["pair_id"], {"error": "no prediction"}) for r in rows]
        else:
            from tidings.similarity import PairSimilarity

            sim = PairSimilarity()
            try:
                preds = list(score_pairs(rows, sim))
            finally:
                sim.close()  # its worker processes
        report = evaluate_pairs(rows, preds)
        if as_json:
            console.print_json(json.dumps(report))
            return
        _print_pairs(console, report)

    @group.command("clusters")
    def eval_clusters(
        gold: Annotated[Path, typer.Argument(help="JSON lines {\"id\",\"event\"} (the articles' own lines will do; the "
                                                  "event may be called cluster or story), a CSV/TSV table with those "
                                                  "columns, or a gold.json with articles.<id>.main_event (as in the "
                                                  "seeds).")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """B-cubed and pairwise precision/recall/F1 of the store's events against gold events."""
        from tidings.cli import console, fail, open_tidings
        from tidings.evaluation import evaluate_clusters, load_gold_clusters

        if not gold.is_file():
            fail(f"{gold}: no such file")
        try:
            truth = load_gold_clusters(gold)
        except (ValueError, KeyError) as exc:
            fail(f"{gold}: {exc}")
        t = open_tidings(db)
        report = evaluate_clusters(truth, t.store)
        if as_json:
            console.print_json(json.dumps(report))
            return
        console.print(f"{report['articles']} gold articles in {report['gold_events']} events; the store puts them "
                      f"in {report['predicted_events']} events", highlight=False)
        if report["missing"]:
            console.print("[yellow]not in the store (counted as singletons):[/yellow] "
                          + escape(", ".join(report["missing"])))
        for name in ("bcubed", "pairwise"):
            m = report[name]
            console.print(f"{name:<9} precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}",
                          highlight=False)


def _print_pairs(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    console.print(f"{report['pairs']} pairs scored, {report['errors']} errors", highlight=False)
    t = Table(title="Pearson with gold")
    t.add_column("dimension")
    t.add_column("pearson", justify="right")
    for d, v in report["pearson"].items():
        t.add_row(d, f"{v:.3f}")
    console.print(t)
    t = Table(title="overall, per language pair")
    for col in ("languages", "pairs", "pearson"):
        t.add_column(col, justify="right" if col != "languages" else "left")
    for lang, v in report["by_language"].items():
        t.add_row(escape(lang), str(v["pairs"]), f"{v['pearson']:.3f}")
    console.print(t)
    s = report["same_story"]
    console.print(f"same story (overall <= 1.5) vs unrelated (>= 3.5): {s['positives']} vs {s['negatives']}; "
                  f"ROC AUC {s['auc']:.3f}, verdict accuracy {s['accuracy']:.3f}", highlight=False)
