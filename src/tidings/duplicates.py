"""Near-duplicate detection (MinHash-LSH): syndicated copies of one text count as one source.

A text's signature is a MinHash of its word 5-shingles; two texts whose signatures agree in every value of one of
its *bands* (a few values each) are candidates, and a candidate is a copy when the share of values the two agree in
(the estimate of their Jaccard similarity) reaches the threshold: datasketch's MinHashLSH, whose signatures and bands
these are, value for value (tests/test_copy_bands.py holds them against datasketch). Written here, not imported:
importing datasketch imports scipy.integrate, a second at the start of every command that stores an article. The
bands' keys are plain integers, so that a store keeps them in a table and looks them up by index
(``Store.copy_candidates``): the copy finder then holds nothing in memory and costs nothing to open, however many
articles the store holds (building datasketch's in-memory LSH from 100k stored signatures took 10 s at every
ingest's first batch, and 300 MB).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Hashable, Iterable
from typing import TypeVar

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)

Key = TypeVar("Key", bound=Hashable)


class NearDuplicateFinder:
    """text -> signature -> band keys; a signature and the signatures sharing a band with it -> the one it copies
    (Jaccard of word 5-shingles above ``threshold``). The band keys are kept and looked up by the store
    (``Store.copy_candidates``, ``Store.add_copy_bands``)."""

    def __init__(self, threshold: float = 0.5, num_perm: int = 64) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        # The bands for this threshold that datasketch's MinHashLSH chooses (the least false positives and negatives,
        # weighed alike): 14 bands of 4 values for 0.5 and 64 permutations.
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        # datasketch's "affine32" permutations (seed 1): h -> a * h + b modulo 2^32, a odd
        gen = np.random.RandomState(1)
        self._a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self._b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)

    @property
    def layout(self) -> str:
        """What band keys depend on: a store's keys made under another layout are made again."""
        return f"minhash-affine32/{self.num_perm}/{self.bands}x{self.rows}"

    def signature(self, text: str) -> np.ndarray:
        """The MinHash of the text's word 5-shingles, as datasketch's ``MinHash(scheme="affine32")`` makes it from
        SHA-1 (the same values: stored signatures stay valid), without importing datasketch, whose LSH module
        imports scipy.integrate: a second at every command's start."""
        words = _WORD.findall(text.casefold())
        shingles = {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}
        sha1 = hashlib.sha1
        hashed = np.fromiter((int.from_bytes(sha1(s.encode("utf-8")).digest()[:4], "little") for s in shingles),
                             dtype=np.uint32, count=len(shingles))
        # MurmurHash3's finalizer first (datasketch's "fmix"), then each permutation's least value
        hashed ^= hashed >> np.uint32(16)
        hashed *= np.uint32(0x85EBCA6B)
        hashed ^= hashed >> np.uint32(13)
        hashed *= np.uint32(0xC2B2AE35)
        hashed ^= hashed >> np.uint32(16)
        permuted = hashed[:, None] * self._a[None, :] + self._b[None, :]
        return permuted.min(axis=0).astype(np.uint64)

    def band_keys(self, signature: np.ndarray) -> list[int]:
        """One key per band, a signed 64-bit integer (what SQL stores as one): equal keys, equal bands (but for
        collisions once in 2^64, which the comparison of the whole signatures then refuses)."""
        values = np.ascontiguousarray(signature, dtype="<u8")
        keys = []
        for band in range(self.bands):
            part = values[band * self.rows:(band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(part, digest_size=8, person=band.to_bytes(2, "little")).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        """The estimate of two texts' Jaccard similarity: the share of their signatures' values that agree."""
        if len(a) != len(b):
            return 0.0  # made with another num_perm (``Pipeline`` makes such signatures again)
        return float(np.count_nonzero(a == b)) / len(a)

    def best(self, signature: np.ndarray, candidates: Iterable[tuple[Key, np.ndarray]]) -> Key | None:
        """Of ``candidates`` (key, signature), in the order they came (the earliest stored first), the most similar
        at or above the threshold: the first of equals, the original rather than another of its copies."""
        best, best_j = None, self.threshold
        for key, other in candidates:
            j = self.similarity(signature, other)
            if j > best_j or (best is None and j >= best_j):
                best, best_j = key, j
        return best


@functools.lru_cache(maxsize=8)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) with the least false positive and false negative probability, weighed alike, at this
    Jaccard threshold: datasketch's ``_optimal_param``, its integrals taken on a fine grid instead of by scipy."""
    def integral(f: np.ndarray, xs: np.ndarray) -> float:
        return float(np.sum((f[1:] + f[:-1]) * np.diff(xs)) / 2)

    below = np.linspace(0.0, threshold, 2_001)
    above = np.linspace(threshold, 1.0, 2_001)
    best, best_error = (0, 0), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_positive = integral(1 - (1 - below ** r) ** b, below)
            false_negative = integral(1 - (1 - (1 - above ** r) ** b), above)
            if false_positive + false_negative < best_error:
                best, best_error = (b, r), false_positive + false_negative
    return best
