"""A page process: reads the web pages (trafilatura) that come on its standard input, a file's path or a page an archive
holds (spooled to a file by ``readers.PageProcesses``), and answers each with the page's documents, in order. It ends
when its input closes, as with its parent."""

from __future__ import annotations

import os
import pickle
import sys

from tidings.readers import HtmlReader, html_to_document


def main() -> None:
    reader = HtmlReader(max_bytes=int(sys.argv[1]))
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            path = pickle.load(source)  # noqa: S301  (our parent's own message)
        except EOFError:
            return
        where = path[2] if isinstance(path, tuple) else path
        try:
            if isinstance(path, tuple):  # a page an archive holds, spooled: (file, id, source, url, id by name)
                spooled, doc_id, where, url, by_name = path
                with open(spooled, encoding="utf-8", errors="surrogatepass") as fh:
                    page = fh.read()
                os.unlink(spooled)
                found = [html_to_document(page, doc_id, where, url, by_name)]
            else:
                found = list(reader.read(path))
        except Exception as exc:  # noqa: BLE001  (told back as the page's error; the next page goes on)
            from tidings.articles import ReadError

            found = [ReadError(where, f"cannot read ({exc.__class__.__name__}: {exc})")]
        pickle.dump(found, answers)
        answers.flush()


if __name__ == "__main__":
    main()
