"""A page process: reads the web pages (trafilatura) that come on its standard input, a file's path or a page an archive
holds (``readers.PageJob``), and answers each with the page's documents, in order (``readers.PageProcesses``). It
ends when its input closes, as with its parent."""

from __future__ import annotations

import pickle
import sys

from tidings.readers import HtmlReader, PageJob


def main() -> None:
    reader = HtmlReader(max_bytes=int(sys.argv[1]))
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            path = pickle.load(source)  # noqa: S301  (our parent's own message)
        except EOFError:
            return
        try:
            found = [path.read_here()] if isinstance(path, PageJob) else list(reader.read(path))
        except Exception as exc:  # noqa: BLE001  (told back as the page's error; the next page goes on)
            from tidings.articles import ReadError

            where = path.source if isinstance(path, PageJob) else path
            found = [ReadError(where, f"cannot read ({exc.__class__.__name__}: {exc})")]
        pickle.dump(found, answers)
        answers.flush()


if __name__ == "__main__":
    main()
