"""What the CLI prints is the data as it is, and a settings file that cannot be meant is one clear error."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from tidings.cli import app
from tidings.config import load_settings

runner = CliRunner()


@pytest.mark.parametrize(("toml", "message"), [
    ('[events]\nthreshold = "high"\n', r"bad\.toml: \[events\] threshold must be a number .*not 'high'"),
    ('[events]\nwindow_days = 10.5\n', r"bad\.toml: \[events\] window_days must be a whole number"),
    ("[storylines]\nwindow_days = true\n", r"\[storylines\] window_days must be a whole number .*not True"),
    ('[embedder]\nworkers = "two"\n', None),  # a string, as "auto" is: the pipeline says what it takes (below)
    ("events = 3\n", r"bad\.toml: events must be a \[events\] table of settings, not 3"),
    ("[event]\nthreshold = 0.4\n", r"bad\.toml: unknown section \[event\] \(sections: .*events"),
    ('[facts]\nrun_in = "gpu"\n', r"bad\.toml: \[facts\] run_in must be 'auto', 'main', 'workers', not 'gpu'"),
    ('[store]\nupdates = "newest"\n', r"bad\.toml: \[store\] updates must be 'replace', 'keep', not 'newest'"),
    ("[storylines]\nindex_m = 1\n", r"bad\.toml: \[storylines\] index_m must be at least 2, not 1"),
    ("[storylines]\nprojection = \"labse\"\n",
     r"bad\.toml: \[storylines\] projection must be 'auto', 'none', 'use-v3', not 'labse'"),
    ("[storylines]\nindex_dims = 300\n", r"bad\.toml: \[storylines\] index_dims must be at most 256, not 300"),
    ("[duplicates]\nnum_perm = 1\n", r"bad\.toml: \[duplicates\] num_perm must be at least 2, not 1"),
    ("[duplicates]\nthreshold = 1.5\n", r"bad\.toml: \[duplicates\] threshold must be at most 1\.0, not 1\.5"),
    ("[events]\nthreshold = -0.1\n", r"bad\.toml: \[events\] threshold must be at least 0\.0, not -0\.1"),
    ("[index]\nneighbours = 0\n", r"bad\.toml: \[index\] neighbours must be at least 1, not 0"),
    ("[embedder]\nbatch_size = 0\n", r"bad\.toml: \[embedder\] batch_size must be at least 1, not 0"),
    ("[store]\nbatch_size = 0\n", r"bad\.toml: \[store\] batch_size must be at least 1, not 0"),
    ("[events]\nthreshold = 1\n", None),  # the bounds are included
    # a section no component takes: a typo was ignored in silence
    ("[store]\nbatchsize = 5\n", r"bad\.toml: \[store\] has no setting 'batchsize': did you mean 'batch_size'\?"),
    ("[reader]\nfoo = 1\n", r"\[reader\] has no setting 'foo' \(its settings: feed_pages, feed_summary_chars, "
                             r"max_article_chars, max_bytes, processes\)"),
    ("[events]\nundated_events = 4\n", None),  # a component's own setting, not in the defaults: it names its own
])
def test_a_settings_file_that_cannot_be_meant_is_refused_naming_file_section_and_key(tmp_path, toml, message):
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    if message is None:
        load_settings(path)
        return
    with pytest.raises(ValueError, match=message):
        load_settings(path)


def test_settings_of_a_compatible_type_are_taken(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text("[events]\nthreshold = 1\n[embedder]\nworkers = 0\n[facts]\nrun_in = \"Main\"\n"
                    '[similarity]\nweights = "similarity-fitted.json"\n', encoding="utf-8")
    s = load_settings(path)
    assert (s["events"]["threshold"], s["embedder"]["workers"], s["facts"]["run_in"]) == (1, 0, "Main")
    assert s["similarity"]["weights"] == "similarity-fitted.json"  # a component's own parameter


def test_the_cli_refuses_a_bad_settings_file_before_touching_the_store(tmp_path, seeds_dir):
    config = tmp_path / "bad.toml"
    config.write_text('[events]\nthreshold = "high"\n', encoding="utf-8")
    db = tmp_path / "t.db"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--config", str(config)])
    assert result.exit_code == 2
    assert "[events] threshold must be a number" in " ".join(result.output.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not db.exists()


def test_titles_with_brackets_are_printed_as_they_are(seeds_copy, tmp_path):
    """Rich reads "[...]" as markup: a title with "[/i]" crashed `show`, and "[de]" vanished from output."""
    src = json.loads((FIXTURES / "multilingual" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    title = "[/i] Live [de] [bold]update[/bold]"
    feed = tmp_path / "one.jsonl"
    feed.write_text(json.dumps({"id": "bracketed", "text": src["text"], "title": title,
                                "published": src.get("published")}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(seeds_copy)
    ingest = runner.invoke(app, ["ingest", str(feed), "--db", db])
    assert ingest.exit_code == 0, ingest.output
    event = next(json.loads(line)["event"] for line in runner.invoke(app, ["export", "--db", db]).stdout.splitlines()
                 if json.loads(line)["id"] == "bracketed")
    for args in (["show", event], ["events"], ["storylines"]):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == 0, (args, result.output, result.exception)
        if args[0] != "storylines":
            assert title in result.output, (args, result.output)
    lines = runner.invoke(app, ["storylines", "--db", db]).output.splitlines()
    assert any(line.rstrip().endswith("[de, ar, en]") for line in lines), lines  # the seeds' event, languages kept


def test_an_error_message_with_brackets_is_printed_as_it_is(tmp_path):
    missing = tmp_path / "[draft] gold.jsonl"
    result = runner.invoke(app, ["eval", "clusters", str(missing), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "[draft] gold.jsonl" in " ".join(result.output.split())


def test_a_worker_count_that_is_no_number_is_one_clear_error(tmp_path, seeds_dir):
    config = tmp_path / "w.toml"
    config.write_text('[embedder]\nworkers = "two"\n', encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(tmp_path / "t.db"), "--config", str(config)])
    assert result.exit_code == 2
    assert "[embedder] workers must be a number or \"auto\", not 'two'" in " ".join(result.output.split())


@pytest.mark.parametrize("command", [["events"], ["show", "ev-x"], ["export"], ["storylines"], ["compare", "ev-x"]])
def test_reading_a_store_that_is_not_there_names_the_path_and_makes_no_file(tmp_path, command):
    """A mistyped --db used to make an empty store and show an empty table."""
    db = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert f"no store at {db}: nothing was ingested there yet" in " ".join(result.output.split())
    assert not db.exists()


def test_a_folder_that_holds_the_store_is_ingested_without_the_store_files(tmp_path, seeds_dir):
    """`tidings ingest .` where the store lives read its database, journals and index caches as articles, and said
    so in a skip line each."""
    import shutil

    for p in sorted(seeds_dir.glob("00[01]_*.txt")):
        shutil.copy(p, tmp_path)
    db = tmp_path / "t.db"
    first = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "-q"])
    second = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "-q"])
    assert first.exit_code == second.exit_code == 0, (first.output, second.output)
    assert "read 2, stored 2" in first.output
    assert "read 2, stored 0" in second.output and second.output.count("already stored") == 2
    assert "binary data" not in second.output and "manifest.json" not in second.output
    assert db.with_name("t.db.chunk-index").is_dir()  # the caches are there, and were not read


def test_the_command_line_prints_no_python_warnings_about_the_text(tmp_path):
    """An impossible date in a text ("38.02.2020") is dropped with a Python warning for library callers; the CLI and
    its worker processes printed it with a source line on stderr."""
    import subprocess

    from conftest import TIDINGS_CLI

    pair = {"text1": "Am 38.02.2020 traf Putin Raisi in Moskau zu Gesprächen über Energie und Handel.",
            "text2": "Putin und Raisi trafen sich in Moskau, um über Energie und Handel zu sprechen."}
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"pair_id": f"p{i}", **pair}, ensure_ascii=False) + "\n" for i in range(40)),
                     encoding="utf-8")  # more than one batch: the worker processes score most of them
    proc = subprocess.run([*TIDINGS_CLI, "similarity", str(pairs)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 40 and "Warning" not in proc.stderr, proc.stderr


def test_opening_a_missing_store_for_reading_is_a_store_error_and_makes_no_file(tmp_path):
    from tidings.api import Tidings
    from tidings.store import StoreError

    db = tmp_path / "typo.db"
    with pytest.raises(StoreError, match="no store at .*typo.db: nothing was ingested there yet"):
        Tidings(db, create=False)
    assert not db.exists()
    with Tidings(db) as t:  # the default makes it, as an ingest does
        assert t.store.counts()["articles"] == 0
    assert db.exists()


@pytest.mark.parametrize("width", [40, 70, 80, 110])
def test_long_titles_are_cut_at_a_word_with_an_ellipsis(seeds_dir, width):
    """An untitled page shows its first line; cut mid-word ("... and Ir") it reads as another word."""
    from tidings.articles import shorten

    for path in sorted(seeds_dir.glob("*.txt")):
        line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        short = shorten(line, width)
        assert len(short) <= width
        if len(line) <= width:
            assert short == line
            continue
        assert short.endswith("…")
        head = short[:-1]
        assert line.startswith(head) and head.strip()
        assert line[len(head)] in " ,;:-–", (path.name, short)  # the last word shown is whole


def test_many_skips_of_one_reason_are_counted_after_the_first_twenty(tmp_path):
    """A dump ingested again: its first 20 "already stored" lines, then one line counting the rest (it printed a
    line for each of them); a different reason keeps its own lines."""
    from test_crash import skipped_for, synthetic_articles

    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(a) for a in synthetic_articles(30)) + "\n{}\n", encoding="utf-8")
    config = tmp_path / "fast.toml"
    config.write_text('[embedder]\nname = "hashing"\n', encoding="utf-8")
    args = ["ingest", str(dump), "--db", str(tmp_path / "d.db"), "--config", str(config), "--quiet"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    lines = [line for line in again.stderr.splitlines() if line.startswith("skipped")]
    assert again.exit_code == 0 and "read 31, stored 0" in again.stdout
    assert len(lines) == 22 and lines[-1] == "skipped 10 more: already stored"
    assert skipped_for(again.stderr, "already stored") == 30
    assert f"skipped {dump}:31: missing or empty 'text'" in lines


def test_a_store_url_whose_driver_is_not_installed_is_one_line():
    """mysql:// (no MySQLdb here): a traceback ending in ModuleNotFoundError, where an unknown dialect was one line."""
    result = runner.invoke(app, ["events", "--db", "mysql://someone@somewhere/news"])
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "Traceback" not in said
    assert "mysql://someone@somewhere/news: cannot open the store: its database driver is not installed" in said


@pytest.mark.parametrize(("args", "said"), [
    (["events", "--db", ""], "no store named: give a path or an SQLAlchemy URL"),   # was ": cannot open the store"
    (["serve", "--port", "99999"], "Invalid value for '--port'"),                   # was a traceback (bind)
])
def test_odd_options_are_one_line(args, said):
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and said in " ".join(result.output.split()) and "Traceback" not in result.output


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"tidings {version('tidings')}"
