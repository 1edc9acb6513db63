"""A pair-similarity worker of ``PairSimilarity.compare_many``: ``python -m tidings.similarity_worker FD SPEC``.

Each worker holds its own ``PairSimilarity`` (encoder with one BLAS thread, lexicon, models) and scores the
batches of pair records it is sent. Two such processes on two cores score 1.5 times as many pairs a second as
one process with two BLAS threads: most of the encoder's work between its matrix products is single-threaded.
"""

from __future__ import annotations

import json
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

_WARM = ("Wladimir Putin telefonierte am Mittwoch mit Ebrahim Raisi über die Beziehungen beider Länder.",
         "Vladimir Putin and Ebrahim Raisi spoke by phone on Wednesday about ties between Russia and Iran.")


def _serve(conn: Any, spec: dict[str, Any]) -> None:
    """Build the scorer, then answer each list of pair records with their results (``PairSimilarity.compare_many``)
    until told to stop or the parent is gone."""
    from tidings.embedding_pool import serve

    def build() -> Any:
        from tidings.embedding import UniversalSentenceEncoder
        from tidings.similarity import PairSimilarity

        sim = PairSimilarity(models=spec.get("models", "semeval.json"),
                             embedder=UniversalSentenceEncoder(threads=1), workers=0, **spec.get("options", {}))
        sim.overlap = False  # the other worker has the other core
        sim.compare_many([{"text1": _WARM[0], "text2": _WARM[1]}])
        return sim.compare_many

    serve(conn, build)


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(Connection(int(argv[0])), json.loads(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
