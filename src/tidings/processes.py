"""What the project's helper processes share: how many to start, and the environment they start in.

Helpers (the encoder workers, the page processes) are fresh interpreters (``python -m tidings.<module>``), not
multiprocessing children: spawning those re-imports the caller's main script, which breaks any user script that calls
``tidings`` without an ``if __name__ == "__main__"`` guard, and forking copies the caller's threads and database
connections.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def worker_count(setting: int | str, what: str = "[embedder] workers") -> int:
    """Helper processes for ``setting`` (``what`` names it in errors): a number, or "auto": one per core this process
    may use (at most 8; none on a single core, where a helper would only take turns with this process)."""
    if str(setting).strip().lower() != "auto":
        try:
            return int(setting)
        except ValueError:
            raise ValueError(f"{what} must be a number or \"auto\", not {setting!r}") from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, 8) if cores > 1 else 0


def helper_env() -> dict[str, str]:
    """This process's environment for a helper: it imports this very package, wherever it was imported from
    (installed or a source tree), and keeps the caller's -W flags."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([package_root, *filter(None, [env.get("PYTHONPATH")])])
    if sys.warnoptions:
        env["PYTHONWARNINGS"] = ",".join(filter(None, [*sys.warnoptions, env.get("PYTHONWARNINGS")]))
    return env
