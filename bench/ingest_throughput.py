"""Ingest throughput: the whole pipeline vs the embedding step alone, and the cost per article as the store grows.

Part 1 (real model): the seeds and tests/fixtures/multilingual repeated with variations (every copy a
distinct text, not a near copy: a third of the sentences left out, the rest rotated, counts changed)
are ingested into a fresh
store with the default settings; then the same cleaned articles go through the embedding step alone
(same chunker, same model). Prints articles/s for both and the peak memory. ``--facts-run-in`` chooses where
who/where/when is extracted; ``--extra-cpu-ms`` makes this process busier per article, as a large store does.

Part 2 (scale): a store is filled with synthetic articles (one chunk each, clustered random unit
vectors, no model) up to 1k, 10k and 100k articles; at each size a batch of new pre-embedded articles
is committed through the pipeline (event assignment: index search, candidate scoring, then the store
write and the index cache save) and the time per article is printed, split into assignment + write
and the index-cache save. Two ways for the store to grow (``--growth``): ``density``, all sizes over the
same two years (100 times more articles per day at 100k than at 1k), and ``time``, a fixed 70 articles a
day (100k is four years), new articles dated at the end, as a monitor's archive grows.

Part 3 (``--part cli``, not in "all"): the whole command a user runs, ``tidings ingest FILE.jsonl`` of the part-1
agency-length articles into a fresh store, timed from the interpreter's start to its exit, with the name lexicon
read from a warm cache and built in every process (main and encoder workers), alternately.

    python bench/ingest_throughput.py                 # parts 1 and 2 (a few minutes on 2 cores)
    python bench/ingest_throughput.py --part cli --repeat 6 --runs 3
    python bench/ingest_throughput.py --part model --repeat 4
    python bench/ingest_throughput.py --part model --repeat 20 --articles short --facts-run-in main --extra-cpu-ms 1.5
    python bench/ingest_throughput.py --part scale --sizes 1000 10000 100000 --probes 256 --growth both
    python bench/ingest_throughput.py --part stages --repeat 20 --articles short
    python bench/ingest_throughput.py --part scale-rounds --sizes 1000 10000 100000 --probes 2048 --growth time

Part 2 in rounds (``--part scale-rounds``, not in "all"): one store per size, a batch committed to each in turn, round
after round, so that the machine's drift over minutes falls alike on every size; prints each size's median and the
median of its per-round ratio to the smallest size.

Part 4 (``--part stages``, not in "all"): the part-1 ingest once more, with the CPU time of this process split by
stage (event assignment, the article insert, the near-duplicate signature, ...), per stored article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("TIDINGS_SEEDS", ROOT.parent / "shared" / "seeds"))
FIXTURES = ROOT / "tests" / "fixtures" / "multilingual" / "articles.jsonl"


def _vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of another process (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of another process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# ---- part 1 ---------------------------------------------------------------------------------------------
def base_records(seeds: Path, articles: str = "short") -> list[dict]:
    """``short``: the seeds and the multilingual fixtures (agency-length, mean ~830 characters after
    variation); ``long``: the seeds alone (whole web articles, 2,600-6,000 characters)."""
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(seeds.glob("*.txt"))]
    if articles == "short" and FIXTURES.exists():
        for line in FIXTURES.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            records.append({k: r[k] for k in ("id", "text", "title", "language", "published")})
    return records


def vary(record: dict, n: int, rnd: random.Random) -> dict:
    """A distinct text in the same language: about half of the sentences left out at random (two variations share
    about a third of their sentences), the rest rotated, counts changed (days of the month and years kept, so dates
    stay valid). Since session 11 (copies from word 5-shingle Jaccard 0.5, was 0.8) some variations count as
    syndicated copies of an earlier one, more often among the long set's 21 of one text: they are embedded all the
    same; only their event scoring is skipped (the summary line's ``copies``)."""
    if n == 0:
        return dict(record)
    parts = [p for p in re.split(r"(?<=[.!?。])\s*", record["text"]) if p.strip()]
    if len(parts) >= 3:
        parts = [p for p in parts if rnd.random() < 0.55] or parts[:2]
    k = n % max(1, len(parts))
    parts = parts[k:] + parts[:k]

    def bump(m: re.Match) -> str:
        v = int(m.group())
        return m.group() if v <= 31 or 1900 <= v <= 2100 else str(v + n * rnd.randint(1, 9))

    out = dict(record)
    out["id"] = f"{record['id']}-v{n}"
    out["text"] = re.sub(r"\d+", bump, " ".join(parts)) + f"\n(ref {n}-{rnd.randint(10**6, 10**7)})"
    return out


def _burning_commit(original, ms_per_article: float):
    """``Pipeline._commit`` with ``ms_per_article`` of CPU burnt per article first: this process made as busy as in a
    large store (``--extra-cpu-ms``), where it spends 1-2 ms an article more (part 2)."""
    def commit(self, batch, report):
        started = time.process_time()
        while time.process_time() - started < ms_per_article * len(batch) / 1000:
            pass
        return original(self, batch, report)
    return commit


def part_model(repeat: int, seeds: Path, articles: str = "short", workers: str | None = None,
               facts_run_in: str | None = None, extra_cpu_ms: float = 0.0) -> None:
    from tidings.config import load_settings
    from tidings.embedding import ArticleEmbedder, Chunker
    from tidings.pipeline import Pipeline
    from tidings.readers import record_to_document
    from tidings.store import Store

    rnd = random.Random(1)
    base = base_records(seeds, articles)
    records = [vary(r, n, rnd) for n in range(repeat) for r in base]
    docs = [record_to_document(r, f"bench:{r['id']}", r["id"]) for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        overrides: dict = {"store": {"url": str(Path(tmp) / "bench.db")}}
        if workers is not None:
            overrides["embedder"] = {"workers": workers}
        if facts_run_in is not None:
            overrides["facts"] = {"run_in": facts_run_in}
        settings = load_settings(overrides=overrides)
        pipeline = Pipeline(settings, store=Store(settings["store"]["url"]))
        if extra_cpu_ms:
            pipeline._commit = _burning_commit(Pipeline._commit, extra_cpu_ms).__get__(pipeline)
        pipeline.article_embedder.embedder.encode(["warm up the model"])  # loading is not throughput
        pipeline.facts.warm_up(sorted(pipeline.embedder.languages or ("de",)))  # nor the gazetteer, date patterns
        _ = pipeline.duplicates                                             # nor the copy finder's bands
        pipeline.cleaner(record_to_document(                                # nor dateparser's first call, nor
            {"id": "warm", "text": "Title\nAugust 21, 2021 - 21:45\nTEHRAN (Reuters) - Body text of the warm-up."},
            "warm", "warm"))                                                 # babel's country names (datelines)
        pipeline.language("Warm up the language model.")
        pool = pipeline.pool
        if pool is not None:                                                # nor starting the encoder workers
            pool.wait_ready()
        worker_pids = [w.process.pid for w in (pool._workers if pool is not None else [])]
        cpu0, wcpu0 = time.process_time(), [_cpu_s(pid) for pid in worker_pids]
        started = time.perf_counter()
        report = pipeline.ingest_documents(docs)
        ingest_s = time.perf_counter() - started
        main_cpu = time.process_time() - cpu0
        worker_cpu = [_cpu_s(pid) - c for pid, c in zip(worker_pids, wcpu0, strict=True)]
        stored = len(report.stored)
        summary = report.summary()
        prepared = [pipeline.prepare(d) for d in docs]
        arts = [a for a in prepared if not hasattr(a, "reason")]
        batch = pipeline.batch_size
        # The embedding step alone, same chunks and batches: in this process (BLAS threads as configured)...
        embedder = ArticleEmbedder(pipeline.embedder, Chunker(**settings["chunker"]))
        started = time.perf_counter()
        for i in range(0, len(arts), batch):
            embedder(arts[i:i + batch])
        embed_s = time.perf_counter() - started
        # ... and through the encoder workers the ingest uses, one batch in flight ahead as in the ingest.
        pool_s = None
        pool_cpu: list[float] = []
        if pool is not None and pool._ready():
            pool_cpu0 = [_cpu_s(pid) for pid in worker_pids]
            started = time.perf_counter()
            jobs = []
            for i in range(0, len(arts), batch):
                part = arts[i:i + batch]
                jobs.append((part, pool.submit(embedder.chunk(part))))
                while len(jobs) > 1:
                    part0, job0 = jobs.pop(0)
                    embedder.attach(part0, pool.result(job0))
            for part0, job0 in jobs:
                embedder.attach(part0, pool.result(job0))
            pool_s = time.perf_counter() - started
            pool_cpu = [_cpu_s(pid) - c for pid, c in zip(worker_pids, pool_cpu0, strict=True)]
        worker_mb = [_vm_hwm_mb(w.process.pid) for w in (pool._workers if pool is not None else [])]
        pipeline.close()
    chunks = sum(len(a.chunks) for a in arts)
    n = len(arts)
    print(f"[{articles}] articles: {len(docs)} ({len(base)} distinct texts x {repeat} variations), "
          f"{chunks} chunks, mean {sum(len(a.text) for a in arts) / n:.0f} chars; "
          f"encoder workers: {pool.size if pool else 0}; who/where/when: {settings['facts']['run_in']}"
          + (f"; this process {extra_cpu_ms:g} ms busier an article" if extra_cpu_ms else ""))
    print(f"  ingest (read->clean->language->facts->embed->events->storylines->store): "
          f"{stored} stored in {ingest_s:.2f} s = {stored / ingest_s:.1f} articles/s   {summary}")
    print(f"  embedding alone, in this process: {n / embed_s:.1f} articles/s ({chunks / embed_s:.0f} chunks/s); "
          f"ingest = {100 * embed_s / ingest_s:.0f}% of it")
    if pool_s is not None:
        print(f"  embedding alone, through the workers: {n / pool_s:.1f} articles/s ({chunks / pool_s:.0f} chunks/s); "
              f"ingest = {100 * pool_s / ingest_s:.0f}% of it; CPU per article, encoder workers "
              f"{' + '.join(f'{1000 * c / n:.1f}' for c in pool_cpu)} ms")
    print(f"  CPU per stored article during the ingest: this process {1000 * main_cpu / max(stored, 1):.1f} ms"
          + (f", encoder workers {' + '.join(f'{1000 * c / max(stored, 1):.1f}' for c in worker_cpu)} ms"
             if worker_cpu else ""))
    print(f"  peak memory (maxrss): this process {peak_mb():.0f} MB"
          + (f", encoder workers {' + '.join(f'{m:.0f}' for m in worker_mb)} MB" if worker_mb else ""))


# ---- part 5 ---------------------------------------------------------------------------------------------
def news_page(record: dict, n: int) -> str:
    """A web page around an article as news sites serve it: a head heavy with style and script, a navigation of 120
    links (twice), 40 teasers beside the article (~90 KB)."""
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(120))
    side = "".join(f'<div class="teaser"><a href="/news/{i}"><img src="/img/{i}.jpg" alt="teaser {i}"><h3>Other '
                   f'headline number {i}</h3></a><p>Short teaser text for another story, item {i}.</p></div>'
                   for i in range(40))
    script = "<script>" + 'var x = {"a": 1, "b": [1, 2, 3]}; function f() { return x; }\n' * 400 + "</script>"
    style = "<style>" + ".c { color: red; margin: 0 auto; padding: 1px }\n" * 600 + "</style>"
    title = f"{record['id']} {n}"
    body = "".join(f"<p>{p}</p>" for p in re.split(r"(?<=[.!?。])\s+", record["text"]) if p.strip())
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title} | Example News</title>'
            f'<meta property="og:site_name" content="Example News">{style}{script}</head><body><header><nav><ul>'
            f"{nav}</ul></nav></header><main><article><h1>{title}</h1>{body}</article><aside>{side}</aside></main>"
            f"<footer><ul>{nav}</ul><p>Copyright 2021 Example News.</p></footer>{script}</body></html>")


def write_crawl(path: Path, pages: list[str]) -> None:
    """The pages as a crawler archives them: one gzipped WARC, a request and a response record a page."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, page in enumerate(pages):
            url = f"https://news.example/{i:05d}"
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=StatusAndHeaders(
                f"GET /{i:05d} HTTP/1.1", [("Host", "news.example")], is_http_request=True))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(request)
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode("utf-8")),
                                                          http_headers=headers))


def part_pages(repeat: int, seeds: Path) -> None:
    """A folder of web pages (the part-1 agency-length articles, each in a news page) ingested whole, its pages read
    in this process and in page processes (``[reader] processes``); then the same pages in one gzipped WARC."""
    from tidings.config import load_settings
    from tidings.pipeline import Pipeline
    from tidings.store import Store

    rnd = random.Random(1)
    records = [vary(r, n, rnd) for n in range(repeat) for r in base_records(seeds, "short")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pages = [news_page(r, i) for i, r in enumerate(records)]
        for i, page in enumerate(pages):
            (folder / f"{i:05d}.html").write_text(page, encoding="utf-8")
        size = sum(f.stat().st_size for f in folder.iterdir()) / len(records) / 1024
        crawl = Path(tmp) / "crawl.warc.gz"
        write_crawl(crawl, pages)
        for label, source in (("folder", folder), ("WARC", crawl)):
            for processes in ("0", "auto"):
                settings = load_settings(overrides={"store": {"url": str(Path(tmp) / f"{label}-{processes}.db")},
                                                    "reader": {"processes": processes}})
                pipeline = Pipeline(settings, store=Store(settings["store"]["url"]))
                pipeline.article_embedder.embedder.encode(["warm up the model"])
                started = time.perf_counter()
                report = pipeline.ingest([str(source)])
                seconds = time.perf_counter() - started
                pipeline.close()
                print(f"[pages] {len(records)} pages of {size:.0f} KB, {label}"
                      + (f" ({crawl.stat().st_size / 1e6:.1f} MB)" if label == "WARC" else "")
                      + f", page processes {processes}: {len(report.stored)} stored in {seconds:.1f} s = "
                        f"{len(report.stored) / seconds:.1f} articles/s (starting the page and encoder processes "
                        "included)")


# ---- part 4 ---------------------------------------------------------------------------------------------
STAGES = {  # module -> class -> methods whose CPU time in this process is summed (nested ones counted in both)
    "tidings.pipeline": {"Pipeline": ["_commit", "_submit", "prepare", "_refresh_storyline"]},
    "tidings.events": {"OnlineEventDetector": ["assign"], "EventTally": ["summary"]},
    "tidings.store": {"Store": ["insert_article", "save_event", "save_tallies", "resolve", "known_many",
                                "copy_candidates", "add_copy_bands"]},
    "tidings.duplicates": {"NearDuplicateFinder": ["signature", "band_keys", "best"]},
    "tidings.embedding_pool": {"EmbeddingPool": ["result", "submit"]},
    "tidings.facts": {"FactExtractor": ["__call__"]},  # who/where/when, where this process extracts it
}


def part_stages(repeat: int, seeds: Path, articles: str = "short") -> None:
    import functools
    import importlib

    from tidings.config import load_settings
    from tidings.pipeline import Pipeline
    from tidings.readers import record_to_document
    from tidings.store import Store

    spent: dict[str, float] = {}

    def timed(cls: type, name: str) -> None:
        original = getattr(cls, name)

        @functools.wraps(original)
        def wrapper(*a, **k):
            started = time.process_time()
            try:
                return original(*a, **k)
            finally:
                label = f"{cls.__name__}.{name}"
                spent[label] = spent.get(label, 0.0) + time.process_time() - started
        setattr(cls, name, wrapper)

    originals = []
    for module, classes in STAGES.items():
        for cls_name, names in classes.items():
            cls = getattr(importlib.import_module(module), cls_name)
            for name in names:
                originals.append((cls, name, getattr(cls, name)))
                timed(cls, name)
    rnd = random.Random(1)
    docs = [record_to_document(r, f"bench:{r['id']}", r["id"])
            for r in (vary(r, n, rnd) for n in range(repeat) for r in base_records(seeds, articles))]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(overrides={"store": {"url": str(Path(tmp) / "bench.db")}})
            pipeline = Pipeline(settings, store=Store(settings["store"]["url"]))
            pipeline.article_embedder.embedder.encode(["warm up the model"])  # warm-ups as in part 1
            pipeline.facts.warm_up(sorted(pipeline.embedder.languages or ("de",)))
            _ = pipeline.duplicates
            pipeline.cleaner(record_to_document(
                {"id": "warm", "text": "Title\nAugust 21, 2021 - 21:45\nTEHRAN (Reuters) - Body text of the warm-up."},
                "warm", "warm"))
            pipeline.language("Warm up the language model.")
            if pipeline.pool is not None:
                pipeline.pool.wait_ready()
            spent.clear()
            cpu0 = time.process_time()
            report = pipeline.ingest_documents(docs)
            total = time.process_time() - cpu0
            pipeline.close()
    finally:
        for cls, name, original in originals:
            setattr(cls, name, original)
    n = max(len(report.stored), 1)
    print(f"[{articles}] {len(report.stored)} stored; CPU of this process {1000 * total / n:.2f} ms per stored "
          f"article, of which (nested stages count in their callers too):")
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:36s} {1000 * seconds / n:6.2f} ms")


# ---- part 3 ---------------------------------------------------------------------------------------------
def part_cli(repeat: int, seeds: Path, runs: int) -> None:
    """The whole command as a user runs it: ``tidings ingest FILE.jsonl`` into a fresh store, wall time from the
    interpreter's start to its exit (model, lexicon and encoder workers loaded inside the timing), with the name
    lexicon read from a warm cache and built in every process (``TIDINGS_CACHE=`` empty), alternately."""
    import shutil
    import subprocess

    rnd = random.Random(1)
    records = [vary(r, n, rnd) for n in range(repeat) for r in base_records(seeds, "short")]
    cli = Path(sys.executable).with_name("tidings")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        cache = Path(tmp) / "cache"
        times: dict[str, list[float]] = {"lexicon cached": [], "lexicon built in each process": []}
        for k in range(1 + 2 * runs):  # the first run fills the cache and is not counted
            mode = "lexicon cached" if k % 2 == 1 or k == 0 else "lexicon built in each process"
            env = {**os.environ, "TIDINGS_CACHE": str(cache) if mode == "lexicon cached" else ""}
            db = Path(tmp) / f"run{k}" / "t.db"
            db.parent.mkdir()
            t0 = time.perf_counter()
            subprocess.run([str(cli), "ingest", str(src), "--db", str(db), "-q"], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if k:
                times[mode].append(time.perf_counter() - t0)
            shutil.rmtree(db.parent)
    print(f"\ncli: tidings ingest of {len(records)} articles (a JSON lines file) into a fresh store, wall s from start "
          "to exit, runs alternated:")
    for mode, ts in times.items():
        print(f"  {mode:<31} {' '.join(f'{t:.1f}' for t in ts)}  (median {np.median(ts):.1f} s, "
              f"{len(records) / np.median(ts):.0f} articles/s)")


# ---- part 2 ---------------------------------------------------------------------------------------------
DIM = 512
DAY0 = dt.date(2023, 1, 1)


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


class Synthetic:
    """Clustered vectors: each event has a centre; its articles are noisy copies of it.

    ``per_day``: None, events dated at random over two years (the store grows denser); a number, events
    dated one after the other at that many articles (three per event) a day (the store grows longer).
    New articles (``recent=True``) are today's news either way: new events dated at the end, and joining
    articles joining an event of the last week, as in a monitor's stream."""

    def __init__(self, seed: int = 3, per_day: int | None = None) -> None:
        self.rnd = np.random.default_rng(seed)
        self.per_day = per_day
        self.centres: list[np.ndarray] = []
        self.dates: list[dt.date] = []

    def _end(self) -> int:
        return 730 if self.per_day is None else 3 * len(self.dates) // self.per_day

    def new_event(self, recent: bool = False) -> int:
        self.centres.append(unit(self.rnd.standard_normal(DIM)))
        if recent:
            offset = self._end()
        elif self.per_day is None:
            offset = int(self.rnd.integers(0, 730))
        else:
            offset = 3 * len(self.dates) // self.per_day
        self.dates.append(DAY0 + dt.timedelta(days=offset))
        return len(self.centres) - 1

    def recent_events(self) -> np.ndarray:
        """Events of the last week (at least the latest one)."""
        ordinals = np.array([d.toordinal() for d in self.dates])
        last_week = np.flatnonzero(ordinals >= (DAY0 + dt.timedelta(days=self._end() - 7)).toordinal())
        return last_week if len(last_week) else np.array([len(self.dates) - 1])

    def member(self, e: int) -> np.ndarray:
        return unit(self.centres[e] + 0.6 * unit(self.rnd.standard_normal(DIM)))


def fill(store, syn: Synthetic, upto: int) -> None:
    """Bulk-insert synthetic articles (3 per event), their chunks and events, straight into the store."""
    from sqlalchemy import func, select

    from tidings.duplicates import NearDuplicateFinder
    from tidings.store import COPY_BANDS_KEY, articles, chunks, copy_bands, encode_vector, events

    finder = NearDuplicateFinder()  # the band keys of each signature, as the pipeline stores them
    now = dt.datetime(2025, 1, 1)
    with store.transaction() as conn:
        have = conn.execute(select(func.count()).select_from(articles)).scalar() or 0
        seq0 = (conn.execute(select(func.max(articles.c.seq))).scalar() or 0) + 1
        chunk0 = (conn.execute(select(func.max(chunks.c.id))).scalar() or 0) + 1
        arows, crows, erows, brows = [], [], [], []
        for i in range(upto - have):
            if i % 3 == 0:
                e = syn.new_event()
                erows.append({"id": f"ev-syn{e:07d}", "title": f"synthetic {e}", "date": syn.dates[e],
                              "date_min": syn.dates[e], "date_max": syn.dates[e], "size": 0, "sources": 0,
                              "languages": ["en"], "outlets": [], "facts": None, "storyline_id": None,
                              "created_at": now, "updated_at": now})
            seq = seq0 + i
            signature = syn.rnd.integers(0, 2**32, 64, dtype=np.uint64)
            brows.extend({"key": k, "seq": seq} for k in finder.band_keys(signature))
            if len(brows) >= 70_000:  # written as they come: a million rows held would be the bench's peak memory
                conn.execute(copy_bands.insert(), brows)
                brows = []
            arows.append({"seq": seq, "id": f"syn-{seq:07d}", "content_hash": f"{seq:064d}", "source": "bench",
                          "url": None, "title": None, "outlet": None, "dateline": None,
                          "published": syn.dates[e], "happened": syn.dates[e], "language": "en",
                          "text": f"synthetic article {seq} of event {e}", "facts": None,
                          "event_id": f"ev-syn{e:07d}", "event_score": 0.0, "duplicate_of": None,
                          # a text's near-duplicate signature, as every stored article has (64 hash values)
                          "signature": signature.tobytes(),
                          "ingested_at": now})
            crows.append({"id": chunk0 + i, "article_seq": seq, "idx": 0, "start": 0, "end": 10,
                          "vector": encode_vector(syn.member(e))})
            erows[-1]["size"] += 1
            erows[-1]["sources"] += 1
        for rows, table in ((erows, events), (arows, articles), (crows, chunks), (brows, copy_bands)):
            for k in range(0, len(rows), 5000):
                conn.execute(table.insert(), rows[k:k + 5000])
        store.set_meta(conn, COPY_BANDS_KEY, finder.layout)


def probe_articles(syn: Synthetic, n: int, tag: str) -> list:
    """Pre-embedded new articles: half report a happening of the last week, half a new one of today."""
    from tidings.articles import Article, Chunk

    out = []
    recent = syn.recent_events()
    for i in range(n):
        e = int(syn.rnd.choice(recent)) if i % 2 == 0 else syn.new_event(recent=True)
        vecs = [syn.member(e) for _ in range(2)]
        text = f"probe {tag} {i} of event {e}. " * 8
        a = Article(id=f"probe-{tag}-{i}", text=text, source="bench", language="en", published=syn.dates[e])
        a.chunks = [Chunk(k, 0, len(text), text, v) for k, v in enumerate(vecs)]
        out.append(a)
    return out


class StatementCounter:
    """SQL statements the store's engine runs while ``counting`` is true."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.count, self.counting = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += self.counting


def _timed_commit(pipeline, articles: list, report=None, statements: StatementCounter | None = None) -> float:
    """Commit one batch through the pipeline; ms per article."""
    from tidings.pipeline import IngestReport

    if statements is not None:
        statements.counting = True
    t0 = time.perf_counter()
    pipeline._commit(articles, report if report is not None else IngestReport())
    elapsed = time.perf_counter() - t0
    if statements is not None:
        statements.counting = False
    return 1000 * elapsed / len(articles)


def scale_settings(url: str) -> dict:
    """Settings of the scale parts: no model, no who/where/when; the one-vector-per-event graphs projected as with the
    real encoder (whose vectors the synthetic ones stand for: the hashing encoder has no projection of its own)."""
    from tidings.config import load_settings

    return load_settings(overrides={"store": {"url": url}, "embedder": {"name": "hashing"},
                                    "facts": {"name": "none"}, "storylines": {"projection": "use-v3"}})


def part_scale(sizes: list[int], probes: int, growth: str, read_ahead: bool = True) -> None:
    from tidings.pipeline import IngestReport, Pipeline
    from tidings.store import Store

    per_day = None if growth == "density" else 70
    print(f"\nscale, store growing by {'density (two years, more a day)' if per_day is None else 'time (70 a day)'}:")
    syn = Synthetic(per_day=per_day)
    with tempfile.TemporaryDirectory() as tmp:
        url = str(Path(tmp) / "scale.db")
        settings = scale_settings(url)
        store = Store(url)
        print(f"{'stored':>8} {'fill s':>7} {'open s':>7} {'1st batch s':>11} {'read-ahead s':>12} "
              f"{'assign+write ms/art':>20} {'SQL/art':>8} {'cache save ms':>14} {'total ms/art':>13} {'joined':>7} "
              f"{'undated ms/art':>15} "
              f"{'reopen s':>9} {'maxrss MB':>10}")
        statements = StatementCounter(store.engine)
        for size in sizes:
            t0 = time.perf_counter()
            fill(store, syn, size)
            fill_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            pipeline = Pipeline(settings, store=store)  # loads the index cache and catches up from the store
            open_s = time.perf_counter() - t0
            report = IngestReport()
            batch = pipeline.batch_size
            t0 = time.perf_counter()
            pipeline._commit(probe_articles(syn, 2, f"warm{size}"), IngestReport())  # first-call costs
            first_s = time.perf_counter() - t0
            pipeline._save_index()  # the first save after a fill writes every graph; not the steady state
            t0 = time.perf_counter()
            if read_ahead:
                pipeline.read_ahead()  # what the pipeline does before its second batch, timed apart
            else:
                pipeline._read_ahead = True  # as before session 8: every row read when first needed
            ahead_s = time.perf_counter() - t0
            arts = probe_articles(syn, probes, str(size))
            # ms per article of each batch; the pipeline saves only every [index] save_every_seconds
            statements.count = 0
            per_batch = [_timed_commit(pipeline, arts[k:k + batch], report, statements)
                         for k in range(0, len(arts), batch)]
            sql_per_article = statements.count / len(arts)
            # The median batch: this machine's neighbours slow single batches down by up to 2x at random.
            assign = float(np.median(per_batch)) * probes / 1000
            t0 = time.perf_counter()
            pipeline._save_index()  # the periodic save that follows: what these articles changed
            save = time.perf_counter() - t0
            undated = probe_articles(syn, batch * 4, f"undated{size}")
            for a in undated:
                a.published = None  # searched in the periods of its nearest events, not in every period
            undated_ms = float(np.median([_timed_commit(pipeline, undated[k:k + batch]) for k in
                                          range(0, len(undated), batch)]))
            joined = sum(1 for s in report.stored if not s.created)
            # Total with the saves at the pipeline's own cadence: one save per save_interval() seconds.
            share = save / max(save, pipeline.save_interval())
            del pipeline
            t0 = time.perf_counter()
            Pipeline(settings, store=store)  # a restart: the caches just saved, nothing to catch up
            reopen_s = time.perf_counter() - t0
            print(f"{size:>8} {fill_s:>7.1f} {open_s:>7.1f} {first_s:>11.2f} {ahead_s:>12.2f} "
                  f"{1000 * assign / probes:>20.1f} {sql_per_article:>8.1f} {1000 * save:>14.0f} "
                  f"{1000 * assign / probes * (1 + share):>13.1f} {joined:>3}/{probes // 2:<3} {undated_ms:>15.1f} "
                  f"{reopen_s:>9.1f} "
                  f"{peak_mb():>10.0f}")
            sys.stdout.flush()
        store.close()


def part_scale_rounds(sizes: list[int], probes: int, growth: str) -> None:
    """The cost per article at each size, measured in rounds across one store per size, a batch in each in turn: the
    shared machine's speed drifts by 20-100% over minutes, which the sizes measured one after the other take for a
    difference between them. Prints each size's median over the rounds and the median of its per-round ratio to
    the smallest size (each round's batches ran within seconds of each other)."""
    from tidings.pipeline import IngestReport, Pipeline
    from tidings.store import Store

    per_day = None if growth == "density" else 70
    print(f"\nscale in rounds, store growing by {'density' if per_day is None else 'time (70 a day)'}: "
          f"{probes} articles per size, a batch of each size in turn")
    with tempfile.TemporaryDirectory() as tmp:
        stores, pipelines, syns, waiting = [], [], [], []
        for size in sizes:
            url = str(Path(tmp) / f"scale{size}.db")
            settings = scale_settings(url)
            store, syn = Store(url), Synthetic(per_day=per_day)
            fill(store, syn, size)
            pipeline = Pipeline(settings, store=store)
            pipeline._commit(probe_articles(syn, 2, f"warm{size}"), IngestReport())  # first-call costs
            pipeline._save_index()
            pipeline.read_ahead()
            stores.append(store)
            pipelines.append(pipeline)
            syns.append(syn)
            waiting.append(probe_articles(syn, probes, str(size)))
            print(f"  filled {size:,}")
            sys.stdout.flush()
        batch = pipelines[0].batch_size
        rounds = [[_timed_commit(p, arts[k:k + batch]) for p, arts in zip(pipelines, waiting, strict=True)]
                  for k in range(0, probes, batch)]
        per_size = np.array(rounds)  # round x size, ms an article
        print(f"{'stored':>8} {'ms/art (median of rounds)':>26} {'min':>6} {'max':>6} {'x smallest (median)':>20}")
        for j, size in enumerate(sizes):
            ratio = float(np.median(per_size[:, j] / per_size[:, 0]))
            print(f"{size:>8} {float(np.median(per_size[:, j])):>26.2f} {per_size[:, j].min():>6.2f} "
                  f"{per_size[:, j].max():>6.2f} {ratio:>20.2f}")
        for store in stores:
            store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["model", "scale", "scale-rounds", "cli", "stages", "pages", "all"],
                    default="all",
                    help="all: model and scale (cli: the whole command, with and without the lexicon cache; stages: "
                         "this process's CPU by stage during the part-1 ingest)")
    ap.add_argument("--runs", type=int, default=3, help="part cli: timed runs of each kind")
    ap.add_argument("--repeat", type=int, default=3, help="variations of each seed/fixture article (part 1)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--probes", type=int, default=256, help="new articles committed at each size (part 2)")
    ap.add_argument("--growth", choices=["density", "time", "both"], default="both",
                    help="part 2: the store grows denser over two years, longer at 70 a day, or both")
    ap.add_argument("--no-read-ahead", action="store_true",
                    help="part 2: without the pipeline's read-ahead of recent rows (as before session 8)")
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    ap.add_argument("--workers", help="[embedder] workers for part 1 (a number or auto; default: the settings')")
    ap.add_argument("--articles", choices=["short", "long", "both"], default="both",
                    help="part 1 on agency-length fixtures, whole web articles (the seeds), or both")
    ap.add_argument("--facts-run-in", choices=["auto", "main", "workers"],
                    help="part 1: [facts] run_in, where who/where/when is extracted (default: the settings')")
    ap.add_argument("--extra-cpu-ms", type=float, default=0.0,
                    help="part 1: CPU burnt per article in this process's commit, standing in for a large store")
    args = ap.parse_args()
    if args.part in ("model", "all"):
        for articles in ("short", "long") if args.articles == "both" else (args.articles,):
            part_model(args.repeat if articles == "short" else args.repeat * 7, args.seeds, articles, args.workers,
                       args.facts_run_in, args.extra_cpu_ms)
    if args.part == "cli":
        part_cli(args.repeat, args.seeds, args.runs)
    if args.part == "pages":
        part_pages(args.repeat, args.seeds)
    if args.part == "stages":
        part_stages(args.repeat, args.seeds, "long" if args.articles == "long" else "short")
    if args.part == "scale-rounds":
        for growth in ("density", "time") if args.growth == "both" else (args.growth,):
            part_scale_rounds(args.sizes, args.probes, growth)
    if args.part in ("scale", "all"):
        for growth in ("density", "time") if args.growth == "both" else (args.growth,):
            part_scale(args.sizes, args.probes, growth, read_ahead=not args.no_read_ahead)


if __name__ == "__main__":
    main()
