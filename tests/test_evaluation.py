"""Evaluation: hand-computed metrics on toy data, and the seeds' clustering against their gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.evaluation import bcubed, evaluate_clusters, evaluate_pairs, load_gold_clusters, pairwise, roc_auc

GOLD = {"a": "g1", "b": "g1", "c": "g2", "d": "g2", "e": "g2"}
PRED = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}


def test_bcubed_by_hand() -> None:
    # precision a,b 2/3, c 1/3, d,e 1 -> 11/15; recall a,b 1, c 1/3, d,e 2/3 -> 11/15
    m = bcubed(PRED, GOLD)
    assert m.precision == pytest.approx(11 / 15)
    assert m.recall == pytest.approx(11 / 15)
    assert m.f1 == pytest.approx(11 / 15)


def test_pairwise_by_hand() -> None:
    # predicted together: ab ac bc de; gold together: ab cd ce de; both: ab de
    m = pairwise(PRED, GOLD)
    assert (m.precision, m.recall, m.f1) == pytest.approx((0.5, 0.5, 0.5))


def test_missing_items_are_singletons() -> None:
    m = bcubed({"a": "x"}, {"a": "g", "b": "g"})
    assert m.precision == 1.0 and m.recall == pytest.approx(0.5)


def test_roc_auc_and_pairs_report() -> None:
    assert roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    gold = [{"lang1": "en", "lang2": "de", "overall": o, "geography": o} for o in (1.0, 1.5, 3.5, 4.0)]
    pred = [{"overall": o, "geography": 5 - o, "same_story": o < 2, "same_story_probability": 1 / o}
            for o in (1.2, 1.4, 3.0, 3.9)]
    report = evaluate_pairs(gold + [{"overall": 2.0}], pred + [{"error": "empty text"}])
    assert report["errors"] == 1
    assert report["pearson"]["overall"] > 0.9 and report["pearson"]["geography"] < -0.9
    assert report["by_language"]["en-de"]["pairs"] == 4
    assert report["same_story"]["auc"] == 1.0 and report["same_story"]["accuracy"] == 1.0


def test_gold_formats(tmp_path: Path) -> None:
    lines = tmp_path / "gold.jsonl"
    lines.write_text('{"id": "a", "event": "e1"}\n{"id": "b", "event": "e1"}\n', encoding="utf-8")
    assert load_gold_clusters(lines) == {"a": "e1", "b": "e1"}
    obj = tmp_path / "gold.json"
    obj.write_text(json.dumps({"articles": {"a": {"main_event": "e1"}}}), encoding="utf-8")
    assert load_gold_clusters(obj) == {"a": "e1"}
    # other data sets' names for the event, the articles' own lines (other fields ignored), and tables
    named = tmp_path / "named.jsonl"
    named.write_text('{"id": "a", "cluster": 7, "text": "..."}\n{"id": "b", "story_id": "s2"}\n', encoding="utf-8")
    assert load_gold_clusters(named) == {"a": "7", "b": "s2"}
    table = tmp_path / "gold.csv"
    table.write_text("\ufeffid;cluster;title\na;1;One\nb;1;Two\nc;2;Three\n", encoding="utf-8")
    assert load_gold_clusters(table) == {"a": "1", "b": "1", "c": "2"}
    table.write_text("id,cluster\na,1\nb,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: a gold line needs 'id' and 'event'"):
        load_gold_clusters(table)


def test_seed_clusters_are_perfect(seeds_db: Path, seeds_dir: Path) -> None:
    from tidings.store import Store

    report = evaluate_clusters(load_gold_clusters(seeds_dir / "gold.json"), Store(str(seeds_db)))
    assert report["missing"] == []
    assert report["bcubed"]["f1"] == 1.0 and report["pairwise"]["f1"] == 1.0


def test_cli_eval_clusters(seeds_db: Path, seeds_dir: Path) -> None:
    from typer.testing import CliRunner

    from tidings.cli import app

    result = CliRunner().invoke(app, ["eval", "clusters", str(seeds_dir / "gold.json"), "--db", str(seeds_db)])
    assert result.exit_code == 0, result.output
    assert "bcubed    precision 1.000  recall 1.000  F1 1.000" in result.output


def test_bad_gold_and_prediction_files_are_named_errors(tmp_path: Path, seeds_db: Path) -> None:
    """A bad line says its file and number; a gold score that is no number from 1 to 4 leaves its pair out, said,
    instead of turning every figure into nan."""
    from typer.testing import CliRunner

    from tidings.cli import app

    runner = CliRunner()
    clusters = tmp_path / "gold.jsonl"
    clusters.write_text('{"id": "a", "event": "e1"}\nnope\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: not JSON"):
        load_gold_clusters(clusters)
    result = runner.invoke(app, ["eval", "clusters", str(clusters), "--db", str(seeds_db)])
    assert result.exit_code == 2 and "gold.jsonl: line 2: not JSON" in " ".join(result.output.split())

    sample = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022-train-sample" / "pairs.jsonl"
    rows = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()[:4]]
    rows[1]["overall"], rows[2]["overall"] = "high", 7
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text("".join(json.dumps({"pair_id": r["pair_id"], "overall": 2.0, "same_story": False,
                                               **{d: 2.0 for d in ("geography", "entities", "time", "narrative")}})
                                   + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["eval", "pairs", str(pairs), "--predictions", str(predictions), "--json"])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert f"pair {rows[1]['pair_id']!r}: gold 'overall' must be a number from 1 to 4, not 'high'" in out
    assert f"pair {rows[2]['pair_id']!r}: gold 'overall' must be a number from 1 to 4, not 7" in out
    assert '"pairs": 2' in out  # the two good ones
    predictions.write_text('{"pair_id": "x"}\n{broken\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "pairs", str(pairs), "--predictions", str(predictions)])
    assert result.exit_code == 2 and "pred.jsonl: line 2: not JSON" in " ".join(result.output.split())


def test_bcubed_among_others_counts_other_happenings_against_precision():
    from tidings.evaluation import bcubed_among_others

    gold = {"a": "g1", "b": "g1", "c": "g2", "d": "g2"}
    # "x" is a page of other news in a and b's cluster; d is not placed (a singleton)
    predicted = {"a": "e1", "b": "e1", "x": "e1", "c": "e2"}
    score = bcubed_among_others(predicted, gold)
    assert score.precision == pytest.approx((2 / 3 + 2 / 3 + 1 + 1) / 4)
    assert score.recall == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    # without other items it is B-cubed
    alone = {"a": "e1", "b": "e1", "c": "e2"}
    assert bcubed_among_others(alone, gold) == bcubed(alone, gold)
