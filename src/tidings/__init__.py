"""tidings: a multilingual news event engine.

    import tidings
    with tidings.open("tidings.db") as t:
        report = t.ingest(["articles/"])
        for event in t.events():
            print(event["id"], event["title"], event["languages"])
"""

from tidings.api import Tidings, open
from tidings.config import load_settings
from tidings.pipeline import IngestReport, Pipeline

__all__ = ["Tidings", "open", "Pipeline", "IngestReport", "load_settings"]
__version__ = "0.1.0"
