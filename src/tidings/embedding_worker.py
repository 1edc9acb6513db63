"""An encoder worker of ``tidings.embedding_pool``: ``python -m tidings.embedding_worker FD SPEC``.

Kept apart from the pool so that running it does not import the package's pipeline first. Nothing the package
imports may import this module: ``python -m`` would run it a second time, with a RuntimeWarning in every worker.
"""

from __future__ import annotations

import json
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any


def _worker(conn: Any, name: str, params: dict[str, Any], facts: dict[str, Any] | None = None) -> None:
    """Worker process: build the encoder (and the facts extractor, if asked), then answer each request
    until told to stop. A request is a list of texts to encode, or {"texts": [...], "facts": [(text,
    language, published, dateline), ...]}; the answer is the vectors, or (vectors, facts) where each
    facts entry is a Facts object or ("failed", reason)."""
    from tidings.embedding_pool import extract_facts, serve

    def build() -> Any:
        import tidings.embedding  # noqa: F401  (registers the embedders)
        import tidings.pipeline  # noqa: F401  (registers the facts extractors)
        from tidings.registry import create

        embedder = create("embedder", name, **params)
        embedder.encode(["warm up"])
        extractor = None
        if facts is not None:
            extractor = create("facts", facts["name"], **facts.get("params", {}))
            warm_up = getattr(extractor, "warm_up", None)
            if warm_up is not None:  # every language the encoder covers, before the first batch arrives
                warm_up(sorted(getattr(embedder, "languages", None) or ("de",)))
            else:
                extractor("Warm up the lexicon: Putin in Moskau.", "de")

        def handle(request: Any) -> Any:
            if isinstance(request, dict):
                return (embedder.encode(request["texts"]),
                        [extract_facts(extractor, *r) for r in request["facts"]])
            return embedder.encode(request)

        return handle

    serve(conn, build)


def main(argv: list[str]) -> None:
    """``python -m tidings.embedding_worker FD SPEC``: serve encodings on the socket ``FD``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = json.loads(argv[1])
    _worker(Connection(int(argv[0])), spec["name"], spec["params"], spec.get("facts"))


if __name__ == "__main__":
    main(sys.argv[1:])
