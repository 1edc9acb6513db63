"""Near-duplicate detection (MinHash-LSH): syndicated copies of one text count as one source."""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


class NearDuplicateFinder:
    """text -> id of an earlier text it copies (Jaccard of word 5-shingles above ``threshold``)."""

    def __init__(self, threshold: float = 0.5, num_perm: int = 64) -> None:
        from datasketch import MinHash, MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, object] = {}
        self._permutations = MinHash(num_perm=num_perm, scheme="affine32").permutations
        self._last: tuple[np.ndarray, object] | None = None  # the latest signature and its MinHash, reused
        # by the find and add that follow it (building a MinHash again is a third of a signature's cost)

    def signature(self, text: str) -> np.ndarray:
        from datasketch import MinHash

        words = _WORD.findall(text.casefold())
        shingles = {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}
        # Drawing the permutations is most of a small MinHash's cost: draw them once (same seed, same values).
        mh = MinHash(num_perm=self.num_perm, scheme="affine32", permutations=self._permutations)
        mh.update_batch([s.encode("utf-8") for s in shingles])
        signature = mh.hashvalues.astype(np.uint64)
        self._last = (signature, mh)
        return signature

    def _minhash(self, signature: np.ndarray) -> object:
        from datasketch import MinHash

        if self._last is not None and self._last[0] is signature:
            return self._last[1]
        return MinHash(num_perm=self.num_perm, hashvalues=signature, scheme="affine32",
                       permutations=self._permutations)

    def add(self, key: str, signature: np.ndarray) -> None:
        """Hold ``signature`` under ``key``; a key held with another signature (a newer version of the article,
        stored by another process) takes the new one."""
        if key in self._hashes:
            if np.array_equal(self._hashes[key].hashvalues, signature):  # type: ignore[attr-defined]
                return
            self.remove(key)
        mh = self._minhash(signature)
        self._lsh.insert(key, mh)
        self._hashes[key] = mh

    def remove(self, key: str) -> None:
        """Forget ``key`` (an article replaced by a newer version): no text is its copy any more."""
        if self._hashes.pop(key, None) is not None:
            self._lsh.remove(key)

    def find(self, signature: np.ndarray) -> str | None:
        """The stored key most similar to ``signature`` above the threshold, if any."""
        mh = self._minhash(signature)
        best, best_j = None, self.threshold
        for key in self._lsh.query(mh):
            j = mh.jaccard(self._hashes[key])
            if j >= best_j:
                best, best_j = key, j
        return best
