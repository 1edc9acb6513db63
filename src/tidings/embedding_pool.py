"""Embedding in background worker processes, so that ingest overlaps the encoder with everything else.

The encoder is the costliest stage, and the rest (cleaning, facts, event assignment, SQL) is Python
holding the GIL: threads do not overlap the two (measured: none of the facts time was hidden behind an
encoder thread). Worker processes do. Each builds its own encoder from the registry with one BLAS
thread: two single-threaded processes encode about twice as fast as one process with two BLAS
threads (1.4x), and leave the main process a core's worth of time for the rest.

Workers start on first use and load their model in the background; until one is ready, and if one
dies, the caller's own embedder does the work, so a job never fails for want of a worker.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger("tidings")


def _worker(conn: Any, name: str, params: dict[str, Any]) -> None:
    """Worker process: build the encoder, then encode each list of texts received until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    import tidings.embedding  # noqa: F401  (registers the embedders)
    from tidings.registry import create

    try:
        try:
            embedder = create("embedder", name, **params)
            embedder.encode(["warm up"])
        except Exception as exc:  # reported to the parent, which then embeds in-process
            conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
            return
        conn.send(("ready", None))
        while True:
            texts = conn.recv()
            if texts is None:
                return
            try:
                vectors = embedder.encode(texts)
            except Exception as exc:
                conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
                continue
            conn.send(("ok", vectors))
    except (EOFError, OSError):  # the parent is gone (closed, or even killed): nothing left to do
        return


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    broken: bool = False
    busy: int = 0   # jobs sent and not yet answered


@dataclass
class EmbedJob:
    """Texts being encoded: parts sent to workers and parts encoded here."""

    texts: list[str]
    parts: list[tuple[_Worker | None, list[int]]] = field(default_factory=list)
    local: dict[int, np.ndarray] = field(default_factory=dict)


class EmbeddingPool:
    """``submit(texts)`` now, ``result(job)`` later: the vectors of ``texts`` in order.

    ``fallback`` encodes in this process while no worker is ready or after one failed; ``name`` and
    ``params`` build the workers' encoder through the registry (``params["threads"]`` is set to 1).
    """

    def __init__(self, fallback: Any, name: str, params: dict[str, Any], workers: int = 2) -> None:
        self.fallback = fallback
        self.name = name
        self.params = {**params, "threads": 1}
        self.size = workers
        self._workers: list[_Worker] = []

    def start(self) -> None:
        """Start the workers (non-blocking: they load their model while the caller goes on)."""
        if self._workers or self.size <= 0:
            return
        ctx = mp.get_context("spawn")  # no fork: the parent holds BLAS/OpenMP threads and DB connections
        for _ in range(self.size):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, self.name, self.params), daemon=True,
                               name="tidings-embed")
            proc.start()
            child.close()
            self._workers.append(_Worker(proc, parent))

    def wait_ready(self, timeout: float = 60.0) -> int:
        """Start the workers and wait until each has loaded its model (or failed); the number ready."""
        import time

        self.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(not w.ready and not w.broken for w in self._workers):
            for w in self._workers:
                if not w.ready and not w.broken and w.conn.poll(0.05):
                    self._receive(w, expect="ready")
        return len(self._ready())

    def _ready(self) -> list[_Worker]:
        for w in self._workers:
            if not w.ready and not w.broken and w.conn.poll():
                self._receive(w, expect="ready")
        return [w for w in self._workers if w.ready and not w.broken]

    def _receive(self, w: _Worker, expect: str) -> np.ndarray | None:
        try:
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            kind, payload = "error", "worker process ended"
        if kind == "ready":
            w.ready = True
            return None
        if kind == "error":
            if not w.broken:
                log.warning("embedding worker failed (%s); embedding in the main process instead", payload)
            w.broken = True
            return None
        return payload

    def submit(self, texts: Sequence[str]) -> EmbedJob:
        job = EmbedJob(list(texts))
        workers = self._ready()
        if not workers or not texts:
            job.parts.append((None, list(range(len(texts)))))
            return job
        # Interleave the length-sorted texts so that every worker gets a similar amount of work.
        for k, w in enumerate(workers):
            idx = list(range(k, len(texts), len(workers)))
            if not idx:
                continue
            try:
                w.conn.send([texts[i] for i in idx])
                w.busy += 1
                job.parts.append((w, idx))
            except (OSError, ValueError):
                w.broken = True
                job.parts.append((None, idx))
        return job

    def result(self, job: EmbedJob) -> np.ndarray:
        dim = int(getattr(self.fallback, "dim", 0))
        out = np.empty((len(job.texts), dim), np.float32)
        for w, idx in job.parts:
            vectors = None
            if w is not None:
                # Answers come in the order jobs were sent; results are asked for in the same order.
                vectors = self._receive(w, expect="ok")
                w.busy -= 1
            if vectors is None:
                vectors = self.fallback.encode([job.texts[i] for i in idx])
            out[idx] = vectors
        return out

    def close(self) -> None:
        for w in self._workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in self._workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.terminate()
            w.conn.close()
        self._workers = []

    def __enter__(self) -> EmbeddingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
