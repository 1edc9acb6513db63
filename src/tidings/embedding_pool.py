"""Embedding in background worker processes, so that ingest overlaps the encoder with everything else.

The encoder is the costliest stage, and the rest (cleaning, facts, event assignment, SQL) is Python
holding the GIL: threads do not overlap the two (measured: none of the facts time was hidden behind an
encoder thread). Worker processes do. Each builds its own encoder from the registry with one BLAS
thread: two single-threaded processes encode about twice as fast as one process with two BLAS
threads (1.4x), and leave the main process a core's worth of time for the rest.

Workers start on first use and load their model in the background; until one is ready, and if one
dies, the caller's own embedder does the work, so a job never fails for want of a worker.

A worker is a fresh interpreter (``python -m tidings.embedding_worker``) talking over a socket pair, not a
multiprocessing child (``tidings.processes`` says why). A worker reads until its socket closes, so it ends with its
parent, even one killed with -9.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from tidings.processes import helper_env, worker_count  # noqa: F401  (worker_count: imported from here elsewhere)

log = logging.getLogger("tidings")


@dataclass
class _Worker:
    process: Any
    conn: Any
    # Answers, read as they come by a thread of ours: a worker writing a large answer never waits on us
    # while we wait to send it the next texts (both socket buffers full would be a deadlock).
    answers: queue.Queue = field(default_factory=queue.Queue)
    ready: bool = False
    broken: bool = False

    def read_answers(self) -> None:
        while True:
            try:
                self.answers.put(self.conn.recv())
            except (EOFError, OSError):
                self.answers.put(("error", "worker process ended"))
                return

    def next_answer(self, timeout: float, role: str, loading: bool = False) -> Any:
        """The next answer's payload; None after its "ready", or when it failed (it is then marked broken and the
        caller does the work itself). ``loading``: a wait for "ready" that times out leaves it loading, not
        broken."""
        if self.broken:
            return None  # what it still owes is done by the caller
        try:
            kind, payload = self.answers.get(timeout=timeout)
        except queue.Empty:
            if loading and not self.ready:
                return None
            kind, payload = "error", f"no answer in {timeout:.0f} s"
            self.process.kill()
        if kind == "ready":
            self.ready = True
            return None
        if kind == "error":
            log.warning("%s worker failed (%s); working in the main process instead", role, payload)
            self.broken = True
            return None
        return payload


def serve(conn: Any, build: Any) -> None:
    """A worker's side of the socket: ``build()`` returns the function that answers one request (an exception
    there is reported and ends the worker); then "ready", then one answer per request until None, or until the
    parent is gone (closed, or even killed)."""
    try:
        try:
            handle = build()
        except Exception as exc:  # reported to the parent, which then does the work itself
            conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
            return
        conn.send(("ready", None))
        while True:
            request = conn.recv()
            if request is None:
                return
            try:
                answer = handle(request)
            except Exception as exc:
                conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
                continue
            conn.send(("ok", answer))
    except (EOFError, OSError):
        return


def extract_facts(extractor: Any, text: str, language: str, published: Any, dateline: Any) -> Any:
    """Facts of one article by ``extractor``, or ("failed", reason): one article's failure is its own, in a worker or
    in the ingest's own process alike."""
    try:
        return extractor(text, language, published, dateline)
    except Exception as exc:
        return ("failed", f"{exc.__class__.__name__}: {exc}")


def start_worker(module: str, spec: dict[str, Any]) -> _Worker | None:
    """Start ``python -m MODULE FD SPEC`` on a socket pair, with a thread reading its answers; None if it cannot
    be started (said once in the log: the caller then does the work itself). It loads in the background."""
    env = helper_env()
    ours, theirs = socket.socketpair()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, str(theirs.fileno()), json.dumps(spec)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)  # Ctrl-C in a terminal is the parent's to handle
    except OSError as exc:
        log.warning("cannot start a worker process (%s); working in the main process", exc)
        ours.close()
        theirs.close()
        return None
    theirs.close()
    worker = _Worker(proc, Connection(ours.detach()))
    threading.Thread(target=worker.read_answers, daemon=True, name="tidings-worker-answers").start()
    return worker


def stop_workers(workers: list[_Worker]) -> None:
    """Tell each worker to stop, wait for it (killed after 2 s) and close its socket."""
    for w in workers:
        try:
            w.conn.send(None)
        except (OSError, ValueError):
            pass
    for w in workers:
        try:
            w.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            w.process.kill()
            w.process.wait()
        w.conn.close()


@dataclass
class EmbedJob:
    """Texts being encoded (and articles whose facts are being extracted): parts sent to workers, and
    parts done here. Each part: (worker or None, indices into ``texts``, indices into ``requests``)."""

    texts: list[str]
    requests: list[tuple] = field(default_factory=list)  # (text, language, published, dateline)
    parts: list[tuple[_Worker | None, list[int], list[int]]] = field(default_factory=list)
    facts: list[Any] = field(default_factory=list)  # after ``result``: per request, Facts or ("failed", why)


class EmbeddingPool:
    """``submit(texts)`` now, ``result(job)`` later: the vectors of ``texts`` in order.

    ``fallback`` encodes in this process while no worker is ready or after one failed; ``name`` and
    ``params`` build the workers' encoder through the registry (``params["threads"]`` is set to 1).
    """

    answer_timeout = 600.0  # seconds a worker may take over one batch before it is given up

    def __init__(self, fallback: Any, name: str, params: dict[str, Any], workers: int = 2,
                 facts: dict[str, Any] | None = None, facts_fallback: Any = None) -> None:
        """``facts``: {"name", "params"} of a registered facts extractor the workers also run (they then extract the
        who/where/when of the articles a job asks for while encoding its chunks); ``facts_fallback``: the same
        extractor in this process."""
        self.fallback = fallback
        self.name = name
        self.params = {**params, "threads": 1}
        self.facts_spec = facts
        self.facts_fallback = facts_fallback
        self.size = workers
        self._workers: list[_Worker] = []

    def start(self) -> None:
        """Start the workers (non-blocking: they load their model while the caller goes on)."""
        if self._workers or self.size <= 0:
            return
        spec = {"name": self.name, "params": self.params, "facts": self.facts_spec}
        for _ in range(self.size):
            worker = start_worker("tidings.embedding_worker", spec)
            if worker is None:
                return
            self._workers.append(worker)

    def wait_ready(self, timeout: float = 60.0) -> int:
        """Start the workers and wait until each has loaded its model (or failed); the number ready."""
        self.start()
        deadline = time.monotonic() + timeout
        for w in self._workers:
            if not w.ready and not w.broken:
                self._receive(w, timeout=max(0.0, deadline - time.monotonic()))
        return len(self._ready())

    def _ready(self) -> list[_Worker]:
        for w in self._workers:
            if not w.ready and not w.broken and not w.answers.empty():
                self._receive(w)
        return [w for w in self._workers if w.ready and not w.broken]

    def _receive(self, w: _Worker, timeout: float | None = None) -> np.ndarray | None:
        """The next answer of ``w``: vectors, or None after its "ready" or when it failed (then marked
        broken). ``timeout``: None waits for as long as a batch may take."""
        return w.next_answer(self.answer_timeout if timeout is None else timeout, "embedding",
                             loading=timeout is not None)

    @property
    def extracts_facts(self) -> bool:
        return self.facts_spec is not None and self.facts_fallback is not None

    def submit(self, texts: Sequence[str], requests: Sequence[tuple] = ()) -> EmbedJob:
        """Start encoding ``texts`` (and, with a facts extractor, extracting the facts of ``requests``:
        (text, language, published, dateline) per article)."""
        job = EmbedJob(list(texts), list(requests))
        workers = self._ready()
        if not workers or not (texts or requests):
            job.parts.append((None, list(range(len(texts))), list(range(len(requests)))))
            return job
        # Interleave the length-sorted texts so that every worker gets a similar amount of work.
        n = len(workers)
        for k, w in enumerate(workers):
            idx, req = list(range(k, len(texts), n)), list(range(k, len(requests), n))
            if not idx and not req:
                continue
            message: Any = [texts[i] for i in idx]
            if requests:
                message = {"texts": message, "facts": [requests[i] for i in req]}
            try:
                w.conn.send(message)
                job.parts.append((w, idx, req))
            except (OSError, ValueError):
                w.broken = True
                job.parts.append((None, idx, req))
        return job

    def finished(self, job: EmbedJob) -> bool:
        """Whether the workers have answered ``job`` already (the oldest job not yet asked for): the caller then
        finds its vectors without waiting. False where a part of it is left to this process."""
        return bool(job.parts) and all(w is not None and not w.broken and not w.answers.empty()
                                       for w, *_ in job.parts)

    def result(self, job: EmbedJob) -> np.ndarray:
        """The vectors of the job's texts, in order; its facts, in order, in ``job.facts``."""
        dim = int(getattr(self.fallback, "dim", 0))
        out = np.empty((len(job.texts), dim), np.float32)
        facts: list[Any] = [None] * len(job.requests)
        for w, idx, req in job.parts:
            answer = None
            if w is not None:
                # Answers come in the order jobs were sent; results are asked for in the same order.
                answer = self._receive(w)
            if answer is None:  # done here: no worker, or it failed
                vectors = self.fallback.encode([job.texts[i] for i in idx])
                found = [self._facts_here(*job.requests[i]) for i in req]
            elif job.requests:
                vectors, found = answer
            else:
                vectors, found = answer, []
            if idx:
                out[idx] = vectors
            for i, f in zip(req, found, strict=True):
                facts[i] = f
        job.facts = facts
        return out

    def _facts_here(self, text: str, language: str, published: Any, dateline: Any) -> Any:

        return extract_facts(self.facts_fallback, text, language, published, dateline)

    def close(self) -> None:
        stop_workers(self._workers)
        self._workers = []

    def __enter__(self) -> EmbeddingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

