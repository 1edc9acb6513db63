"""An encoder worker of ``tidings.embedding_pool``: ``python -m tidings.embedding_worker FD SPEC``.

Kept apart from the pool so that running it does not import the package's pipeline first.
"""

from __future__ import annotations

import json
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any


def _worker(conn: Any, name: str, params: dict[str, Any]) -> None:
    """Worker process: build the encoder, then encode each list of texts received until told to stop."""
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


def main(argv: list[str]) -> None:
    """``python -m tidings.embedding_worker FD SPEC``: serve encodings on the socket ``FD``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = json.loads(argv[1])
    _worker(Connection(int(argv[0])), spec["name"], spec["params"])


if __name__ == "__main__":
    main(sys.argv[1:])
