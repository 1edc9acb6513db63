"""Approximate nearest-neighbour index over chunk vectors, persisted beside the store.

The store is the truth; the index is a cache that can always be rebuilt from it. It is saved
only after a batch commits, and on opening any chunks it lacks are added from the store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from tidings.registry import register


class VectorIndex(Protocol):
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...
    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def max_id(self) -> int: ...
    def __len__(self) -> int: ...
    def save(self, path: Path) -> None: ...
    def load(self, path: Path) -> bool: ...


@register("index", "faiss-hnsw")
class FaissHnswIndex:
    """HNSW graph on inner product (cosine of unit vectors): log-time search as the store grows."""

    def __init__(self, dim: int = 512, neighbours: int = 8, m: int = 32, ef_search: int = 64) -> None:
        self.dim, self.m, self.ef_search = dim, m, ef_search
        self.neighbours = neighbours
        self._index = self._new()
        self._max_id = 0

    def _new(self):  # faiss types are not annotated
        import faiss

        faiss.omp_set_num_threads(1)  # tiny queries: threads cost more than they save
        hnsw = faiss.IndexHNSWFlat(self.dim, self.m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efSearch = self.ef_search
        hnsw.hnsw.efConstruction = 40
        return faiss.IndexIDMap(hnsw)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, np.float32), ids.astype(np.int64))
            self._max_id = max(self._max_id, int(ids.max()))

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self._index.ntotal == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), 0)), np.zeros((len(vectors), 0), np.int64)
        sims, ids = self._index.search(np.ascontiguousarray(vectors, np.float32), min(k, self._index.ntotal))
        return sims, ids

    def max_id(self) -> int:
        return self._max_id

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        import faiss

        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)  # atomic: a kill leaves the old file or the new one

    def load(self, path: Path) -> bool:
        import faiss

        try:
            index = faiss.read_index(str(path))
        except Exception:  # a missing or damaged cache is rebuilt from the store
            return False
        if index.d != self.dim or not hasattr(index, "id_map"):
            return False
        ids = faiss.vector_to_array(index.id_map)
        # The highest id comes from the file itself, so index and catch-up point never disagree.
        self._index, self._max_id = index, int(ids.max()) if len(ids) else 0
        faiss.downcast_index(index.index).hnsw.efSearch = self.ef_search
        return True

    def bulk(self, threads: int = 2) -> None:
        """Use more threads for a large catch-up; single queries stay on one."""
        import faiss

        faiss.omp_set_num_threads(threads)


@register("index", "exact")
class ExactIndex:
    """Brute-force inner product: exact, fine for small stores and tests."""

    def __init__(self, dim: int = 512, neighbours: int = 8) -> None:
        self.dim = dim
        self.neighbours = neighbours
        self._ids = np.zeros(0, np.int64)
        self._vectors = np.zeros((0, dim), np.float32)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._ids = np.concatenate([self._ids, ids.astype(np.int64)])
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self._ids) == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), 0)), np.zeros((len(vectors), 0), np.int64)
        sims = vectors @ self._vectors.T
        k = min(k, len(self._ids))
        top = np.argsort(-sims, axis=1)[:, :k]
        return np.take_along_axis(sims, top, axis=1), self._ids[top]

    def max_id(self) -> int:
        return int(self._ids.max()) if len(self._ids) else 0

    def __len__(self) -> int:
        return len(self._ids)

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, ids=self._ids, vectors=self._vectors)
        os.replace(tmp, path)

    def load(self, path: Path) -> bool:
        try:
            with np.load(path) as data:
                self._ids, self._vectors = data["ids"], data["vectors"]
        except Exception:  # rebuilt from the store
            return False
        return True
