"""Approximate nearest-neighbour indexes over vectors, persisted beside the store.

The store is the truth; an index is a cache that can always be rebuilt from it. It is saved
only after a batch commits, and on opening any vectors it lacks are added from the store.

``days`` (an article's date as a day ordinal, or -1 when it has none) lets an index keep vectors of
different periods apart and a search look only at the periods asked for; indexes without periods
ignore it (their callers filter by date anyway).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from tidings.registry import register

NO_DAY = -1  # ``days`` entry of an undated vector
# What a search may be limited to: a span of day ordinals (first, last), a list of spans, or None for all time.
Days = tuple[int, int] | list[tuple[int, int]] | None
SHARDS_FORMAT = "tidings-time-shards/1"
STALE_FILE_SECONDS = 600
COMPACT_SHARE = 0.2  # of a graph's vectors, the hidden share past which a time shard read is built again


def _make_room(path: Path, folder: bool) -> None:
    """Clear ``path`` of a cache of the other kind (a file where a folder goes, or the reverse): left by
    another index setting, it is rebuilt anyway."""
    if folder and path.is_file():
        path.unlink()
    elif not folder and path.is_dir():
        shutil.rmtree(path)


def _remove_unlisted(folder: Path, listed: set[str]) -> None:
    """Delete graph files the manifest no longer names (replaced, or left by a kill mid-save). Only old
    ones: a fresh one may belong to another process's save, whose manifest is not written yet."""
    now = time.time()
    for f in folder.iterdir():
        try:
            if f.name not in listed and f.name != "manifest.json" and now - f.stat().st_mtime > STALE_FILE_SECONDS:
                f.unlink()
        except OSError:  # gone already (the other process cleaned up too)
            continue


def day_ordinal(value: dt.date | str | None) -> int:
    """The ``days`` entry of an article dated ``value`` (a stored date may come back as a string)."""
    if value is None:
        return NO_DAY
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.toordinal()


class VectorIndex(Protocol):
    def add(self, ids: np.ndarray, vectors: np.ndarray, days: np.ndarray | None = None) -> None: ...
    def search(self, vectors: np.ndarray, k: int,
               days: Days = None) -> tuple[np.ndarray, np.ndarray]: ...
    def max_id(self) -> int: ...
    def __len__(self) -> int: ...
    def save(self, path: Path) -> None: ...
    def load(self, path: Path) -> bool: ...
    def remove(self, ids: Sequence[int], days: Sequence[int] | None = None) -> int: ...
    def ids(self) -> np.ndarray: ...


@register("index", "faiss-hnsw")
class FaissHnswIndex:
    """HNSW graph on inner product (cosine of unit vectors): log-time search as the store grows. Several
    vectors may share an id (the chunks of one article)."""

    def __init__(self, dim: int = 512, neighbours: int = 8, m: int = 32, ef_search: int = 64) -> None:
        self.dim, self.m, self.ef_search = dim, m, ef_search
        self.neighbours = neighbours
        self._index = self._new()
        self._max_id = 0
        self._removed: set[int] = set()  # ids no search returns (``remove``)
        self._hidden = 0                 # vectors of those ids, still in the graph
        self._params = None              # the search parameters that leave them out

    def _new(self):  # faiss types are not annotated
        import faiss

        faiss.omp_set_num_threads(1)  # tiny queries: threads cost more than they save
        # Vectors held in float16, as the store keeps them: half the memory and cache file, and searches walk
        # less memory (an older float32 cache still loads and works).
        hnsw = faiss.IndexHNSWSQ(self.dim, faiss.ScalarQuantizer.QT_fp16, self.m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efSearch = self.ef_search
        hnsw.hnsw.efConstruction = 40
        return faiss.IndexIDMap(hnsw)

    def add(self, ids: np.ndarray, vectors: np.ndarray, days: np.ndarray | None = None) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, np.float32), ids.astype(np.int64))
            self._max_id = max(self._max_id, int(ids.max()))

    def search(self, vectors: np.ndarray, k: int,
               days: Days = None) -> tuple[np.ndarray, np.ndarray]:
        if self._index.ntotal == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), 0)), np.zeros((len(vectors), 0), np.int64)
        k = min(k, self._index.ntotal)
        query = np.ascontiguousarray(vectors, np.float32)
        if self._removed:
            sims, ids = self._index.search(query, k, params=self._search_params())
        else:
            sims, ids = self._index.search(query, k)
        return sims, ids

    def remove(self, ids: Sequence[int], days: Sequence[int] | None = None) -> int:
        """No search returns these ids from now on (the vectors of an article replaced by a newer version).

        An HNSW graph cannot drop a node without being built again: the vectors stay, searches walk through them
        but leave them out of their answers (a filter, so they take no place among the ``k`` nearest: the many
        versions of a live page never crowd its current one out). Returns how many vectors are hidden."""
        import faiss

        wanted = np.array(sorted({int(i) for i in ids} - self._removed), np.int64)
        if not len(wanted) or not self._index.ntotal:
            return 0
        held = faiss.vector_to_array(self._index.id_map)
        hit = np.isin(held, wanted)
        if not hit.any():
            return 0
        self._removed.update(np.unique(held[hit]).tolist())
        self._hidden += int(hit.sum())
        self._params = None
        return int(hit.sum())

    def _search_params(self):  # faiss types are not annotated
        import faiss

        if self._params is None:
            # the batch selector is kept with the parameters: faiss holds only a pointer to it
            batch = faiss.IDSelectorBatch(np.array(sorted(self._removed), np.int64))
            selector = faiss.IDSelectorNot(batch)
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=self.ef_search)
            self._params = (params, selector, batch)
        return self._params[0]

    @property
    def hidden(self) -> int:
        """Vectors in the graph that no search returns (``remove``)."""
        return self._hidden

    def compacted(self) -> FaissHnswIndex:
        """The graph built again of the vectors a search may return (its hidden ones take a search's steps still)."""
        import faiss

        out = FaissHnswIndex(self.dim, self.neighbours, self.m, self.ef_search)
        if self._index.ntotal:
            held = faiss.vector_to_array(self._index.id_map)
            keep = ~np.isin(held, np.array(sorted(self._removed), np.int64))
            vectors = self._index.index.reconstruct_n(0, self._index.ntotal)
            out.add(held[keep], vectors[keep])
        out._max_id = self._max_id
        return out

    def ids(self) -> np.ndarray:
        """The id of every vector a search may return (one per vector: an id recurs for each chunk)."""
        import faiss

        held = faiss.vector_to_array(self._index.id_map) if self._index.ntotal else np.zeros(0, np.int64)
        return held[~np.isin(held, np.array(sorted(self._removed), np.int64))] if self._removed else held

    def max_id(self) -> int:
        return self._max_id

    def __len__(self) -> int:
        return int(self._index.ntotal) - self._hidden

    def save(self, path: Path) -> None:
        import faiss

        _make_room(path, folder=False)
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)  # atomic: a kill leaves the old file or the new one

    def load(self, path: Path) -> bool:
        import faiss

        try:
            index = faiss.read_index(str(path))
        except Exception:  # a missing or damaged cache is rebuilt from the store
            return False
        return self._adopt(index)

    def _adopt(self, index) -> bool:  # a faiss index read back from a cache
        import faiss

        if index.d != self.dim or not hasattr(index, "id_map"):
            return False
        ids = faiss.vector_to_array(index.id_map)
        # The highest id comes from the file itself, so index and catch-up point never disagree. What was removed
        # is not in the file: the opener removes again what the store no longer holds (``Pipeline._open_index``).
        self._index, self._max_id = index, int(ids.max()) if len(ids) else 0
        self._removed, self._hidden, self._params = set(), 0, None
        faiss.downcast_index(index.index).hnsw.efSearch = self.ef_search
        return True

    def bulk(self, threads: int = 2) -> None:
        """Use more threads for a large catch-up; single queries stay on one."""
        import faiss

        faiss.omp_set_num_threads(threads)


PROJECTED_FORMAT = "tidings-projected-hnsw/1"


def projection_basis(encoder: str) -> np.ndarray | None:
    """The leading principal directions (columns, by what they keep) of the encoder's vectors of news text, shipped
    for the encoders tidings knows (``bench/fit_projection.py``); None for others."""
    from importlib import resources

    if not re.fullmatch(r"[\w.-]+", encoder):  # a name, not a path
        return None
    entry = resources.files("tidings").joinpath(f"data/projection-{encoder}.npy")
    if not entry.is_file():
        return None
    with entry.open("rb") as f:
        return np.load(f).astype(np.float32)


@register("index", "faiss-hnsw-projected")
class ProjectedHnswIndex:
    """An HNSW graph of vectors projected onto ``dims`` directions (``projection``, dim x >= dims), whose answers
    are ranked by the whole vectors: a search fetches ``refine`` x k neighbours from the graph and keeps the k of
    them nearest by whole-vector cosine, so the similarities it returns are exact.

    For graphs over a whole archive (one vector per event): walking and growing one costs more the larger it is,
    mostly in memory traffic, and a quarter of the numbers a vector makes that traffic a quarter. On held-out news
    in 15 languages, 128 of 512 directions and ``refine`` 2 find 98-99% of the exact nearest
    (``bench/fit_projection.py``). Without a projection (an encoder tidings has none for) the graph holds the
    whole vectors and nothing is ranked again.

    The whole vectors are kept as bytes, each with its own scale (its largest number is 127): half the memory of
    float16, read back four times faster (numpy converts float16 slowly), a cosine within 0.001 of the exact one."""

    def __init__(self, dim: int = 512, dims: int = 128, projection: np.ndarray | None = None, refine: int = 2,
                 neighbours: int = 8, m: int = 16, ef_search: int = 64) -> None:
        if projection is not None and not 0 < dims <= projection.shape[1]:
            raise ValueError(f"[storylines] index_dims must be between 1 and {projection.shape[1]}, not {dims}")
        if refine < 1:
            raise ValueError(f"refine must be at least 1, not {refine}")
        self.dim, self.neighbours, self.refine = dim, neighbours, refine
        self.m, self.ef_search = m, ef_search
        self._basis = None if projection is None else np.ascontiguousarray(projection[:, :dims], np.float32)
        self.dims = dim if self._basis is None else dims
        self._graph = FaissHnswIndex(self.dims, neighbours, m, ef_search)  # keyed by row (of ``_codes``)
        self._ids = np.zeros(0, np.int64)          # row -> id (capacity grows by doubling)
        self._codes = np.zeros((0, dim), np.int8)   # row -> whole vector, in steps of ...
        self._scales = np.zeros(0, np.float32)      # ... its own scale
        self._rows = 0
        self._removed: set[int] = set()
        self._max_id = 0

    def _project(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.ascontiguousarray(vectors, np.float32)
        if self._basis is None:
            return vectors
        out = vectors @ self._basis
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def add(self, ids: np.ndarray, vectors: np.ndarray, days: np.ndarray | None = None) -> None:
        n = len(ids)
        if not n:
            return
        rows = np.arange(self._rows, self._rows + n, dtype=np.int64)
        self._graph.add(rows, self._project(vectors))
        if self._rows + n > len(self._ids):
            size = max(2 * len(self._ids), self._rows + n, 64)
            self._ids, self._scales = np.resize(self._ids, size), np.resize(self._scales, size)
            grown = np.zeros((size, self.dim), np.int8)
            grown[:self._rows] = self._codes[:self._rows]
            self._codes = grown
        vectors = np.asarray(vectors, np.float32)
        scales = np.abs(vectors).max(axis=1) / 127
        scales = np.where(scales > 0, scales, 1.0).astype(np.float32)
        self._ids[self._rows:self._rows + n] = ids
        self._codes[self._rows:self._rows + n] = np.rint(vectors / scales[:, None]).astype(np.int8)
        self._scales[self._rows:self._rows + n] = scales
        self._rows += n
        self._max_id = max(self._max_id, int(np.max(ids)))

    def search(self, vectors: np.ndarray, k: int,
               days: Days = None) -> tuple[np.ndarray, np.ndarray]:
        query = np.ascontiguousarray(vectors, np.float32)
        if self._basis is None:
            sims, rows = self._graph.search(query, k)
            return sims, np.where(rows >= 0, self._ids[np.maximum(rows, 0)], -1)
        _, rows = self._graph.search(self._project(query), k * self.refine)
        if rows.shape[1] == 0:
            return np.zeros((len(query), 0)), np.zeros((len(query), 0), np.int64)
        # The few distinct rows the queries found (an event's members find much the same), compared once.
        held, where = np.unique(np.maximum(rows, 0), return_inverse=True)
        whole = (query @ self._codes[held].astype(np.float32).T) * self._scales[held]
        sims = np.take_along_axis(whole, where.reshape(rows.shape), axis=1)
        sims = np.where(rows >= 0, sims, -np.inf)
        top = np.argsort(-sims, axis=1, kind="stable")[:, :min(k, rows.shape[1])]
        rows, sims = np.take_along_axis(rows, top, axis=1), np.take_along_axis(sims, top, axis=1)
        return np.where(rows >= 0, sims, 0.0), np.where(rows >= 0, self._ids[np.maximum(rows, 0)], -1)

    def remove(self, ids: Sequence[int], days: Sequence[int] | None = None) -> int:
        """No search returns these ids from now on (``FaissHnswIndex.remove``)."""
        wanted = {int(i) for i in ids} - self._removed
        if not wanted or not self._rows:
            return 0
        rows = np.flatnonzero(np.isin(self._ids[:self._rows], np.array(sorted(wanted), np.int64)))
        if not len(rows):
            return 0
        self._removed.update(int(i) for i in np.unique(self._ids[rows]))
        return self._graph.remove(rows.tolist())

    @property
    def hidden(self) -> int:
        return self._graph.hidden

    def ids(self) -> np.ndarray:
        held = self._ids[:self._rows]
        return held[~np.isin(held, np.array(sorted(self._removed), np.int64))] if self._removed else held.copy()

    def max_id(self) -> int:
        return self._max_id

    def __len__(self) -> int:
        return self._rows - self._graph.hidden

    def _fingerprint(self) -> str:
        """What the graph's vectors were projected with: a cache projected otherwise is built again."""
        import hashlib

        basis = b"" if self._basis is None else self._basis.astype(np.float16).tobytes()
        return hashlib.sha1(basis).hexdigest()[:16]

    def save(self, path: Path) -> None:
        """One file (the graph, the ids and the whole vectors' codes), replaced atomically."""
        import faiss

        _make_room(path, folder=False)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, format=np.array(PROJECTED_FORMAT), fingerprint=np.array(self._fingerprint()),
                     graph=faiss.serialize_index(self._graph._index), ids=self._ids[:self._rows],
                     codes=self._codes[:self._rows], scales=self._scales[:self._rows], max_id=np.array(self._max_id))
        os.replace(tmp, path)

    def load(self, path: Path) -> bool:
        import faiss

        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["format"]) != PROJECTED_FORMAT or str(data["fingerprint"]) != self._fingerprint():
                    return False  # an older cache, or one projected otherwise: rebuilt from the store
                ids, codes, scales = data["ids"], data["codes"], data["scales"]
                graph = FaissHnswIndex(self.dims, self.neighbours, self.m, self.ef_search)
                if codes.shape[1:] != (self.dim,) or not graph._adopt(faiss.deserialize_index(data["graph"])) \
                        or not graph._index.ntotal == len(ids) == len(codes) == len(scales):
                    return False
                max_id = int(data["max_id"])
        except Exception:  # missing, damaged, or written by an older tidings (a bare faiss file)
            return False
        # What was removed is not in the file: the opener removes again what the store no longer holds.
        self._graph, self._ids, self._rows = graph, ids.astype(np.int64), len(ids)
        self._codes, self._scales = codes.astype(np.int8), scales.astype(np.float32)
        self._removed, self._max_id = set(), max_id
        return True

    def bulk(self, threads: int = 2) -> None:
        self._graph.bulk(threads)


@register("index", "faiss-hnsw-by-time")
class TimeShardedIndex:
    """One HNSW graph per span of ``shard_days`` days of article dates (and one for undated articles).

    News is compared only with news of about the same time (the event window), so a search needs only the
    graphs of the days asked for. A store grows by days, not by articles per day: the graphs a new article
    touches stay the size of a few days of news however long the archive gets, and so do the costs of
    adding and searching, which in one graph grow with its size (cache misses along longer walks). A search
    without ``days`` reads every graph, as one graph would; the event engine gives an undated article the
    periods of its nearest events instead (``OnlineEventDetector.undated_periods``).

    A graph loaded from a saved folder is read from its file when a search or an addition first needs it: a
    process holds the graphs of the days it works on, not the archive's (a store of a million articles holds gigabytes
    of graphs). Its file is opened at ``load`` and held open until then, so that another process's save, which
    deletes the files its manifest no longer names, cannot take from this one the version its manifest named (the
    vectors this process caught up from).
    """

    def __init__(self, dim: int = 512, neighbours: int = 8, shard_days: int = 14, m: int = 32,
                 ef_search: int = 64) -> None:
        if shard_days < 1:
            raise ValueError(f"[index] shard_days must be at least 1, not {shard_days}")
        self.dim, self.neighbours, self.shard_days = dim, neighbours, shard_days
        self.m, self.ef_search = m, ef_search
        self._shards: dict[int, FaissHnswIndex] = {}  # shard key (NO_DAY for undated) -> graph read or built
        self._unread: dict[int, _GraphFile] = {}      # shard key -> the open file of a graph not read yet
        self._files: dict[int, str] = {}  # shard key -> its file in the saved folder
        self._sizes: dict[int, int] = {}  # shard key -> the size of its file
        self._dirty: set[int] = set()     # shards changed since the last save or load
        self._max_id = 0
        self._removed: set[int] = set()   # ids removed (``remove``): left out of graphs read later too
        self._missing: Callable[[list[int]], list[int]] | None = None  # see ``hide_missing``
        # A graph read with more than this share of its vectors hidden is built again without them (and saved
        # with the next save): hidden vectors still take a search's steps.
        self.compact_share = COMPACT_SHARE

    def _key(self, day: int) -> int:
        return NO_DAY if day < 0 else day // self.shard_days

    def _shard(self, key: int) -> FaissHnswIndex:
        if key in self._unread:
            self._read(key)
        if key not in self._shards:
            self._shards[key] = FaissHnswIndex(self.dim, self.neighbours, self.m, self.ef_search)
        return self._shards[key]

    def _read(self, key: int) -> None:
        """A graph's file read at last, with what was removed since the load left out of its searches."""
        import faiss

        graph = self._unread.pop(key)
        try:
            shard = FaissHnswIndex(self.dim, self.neighbours, self.m, self.ef_search)
            if not shard._adopt(faiss.deserialize_index(np.frombuffer(graph.read(), np.uint8))) \
                    or int(shard._index.ntotal) != graph.count:
                raise ValueError("not the graph its manifest names")
        except Exception as exc:  # checked at load (size, header): only a disk that changed under it gets here
            raise RuntimeError(f"the search index cache {graph.name} cannot be read ({exc}); delete the folder "
                               "to have it built again from the store") from exc
        finally:
            graph.close()
        self._shards[key] = shard
        self._hide_gone(shard)
        if shard.hidden > self.compact_share * shard._index.ntotal:
            self._shards[key] = shard.compacted()
            self._dirty.add(key)

    def add(self, ids: np.ndarray, vectors: np.ndarray, days: np.ndarray | None = None) -> None:
        if not len(ids):
            return
        days = np.full(len(ids), NO_DAY, np.int64) if days is None else np.asarray(days, np.int64)
        keys = np.where(days < 0, NO_DAY, days // self.shard_days)
        for key in np.unique(keys):
            mask = keys == key
            self._shard(int(key)).add(ids[mask], vectors[mask])
            self._dirty.add(int(key))
        self._max_id = max(self._max_id, int(ids.max()))

    def _keys(self) -> list[int]:
        return [*self._shards, *self._unread]

    def shards_for(self, days: Days) -> list[int]:
        """Keys of the graphs a search over ``days`` (first, last day ordinal; or a list of such spans) reads:
        the undated one always, since an undated article may be of any time."""
        if days is None:
            return self._keys()
        spans = days if isinstance(days, list) else [days]
        wanted = {NO_DAY} | {k for first, last in spans for k in range(self._key(first), self._key(last) + 1)}
        return [k for k in self._keys() if k in wanted]

    def search(self, vectors: np.ndarray, k: int,
               days: Days = None) -> tuple[np.ndarray, np.ndarray]:
        found = [self._shard(key).search(vectors, k) for key in self.shards_for(days)]
        found = [(s, i) for s, i in found if i.shape[1]]
        if not found or len(vectors) == 0:
            return np.zeros((len(vectors), 0)), np.zeros((len(vectors), 0), np.int64)
        if len(found) == 1:
            return found[0]
        sims = np.concatenate([s for s, _ in found], axis=1)
        ids = np.concatenate([i for _, i in found], axis=1)
        sims = np.where(ids < 0, -np.inf, sims)  # faiss pads short answers with -1
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(sims, top, axis=1), np.take_along_axis(ids, top, axis=1)

    def remove(self, ids: Sequence[int], days: Sequence[int] | None = None) -> int:
        """Leave these ids out of every search from now on (``FaissHnswIndex.remove``); ``days``: the day ordinals
        of their articles as they were added (-1 undated), so only the graphs of those days are looked through.
        Returns the vectors hidden in the graphs read so far; a graph read later leaves them out when read."""
        self._removed.update(int(i) for i in ids)
        keys = list(self._shards) if days is None else {self._key(int(d)) for d in days}
        return sum(self._shards[k].remove(ids) for k in keys if k in self._shards)

    def hide_missing(self, missing: Callable[[list[int]], list[int]]) -> int:
        """Leave out of searches the ids that ``missing`` (given ids, those the store no longer holds) names: in the
        graphs read so far now, in the others when they are read. Returns the vectors hidden now."""
        self._missing = missing
        return sum(self._hide_gone(shard) for shard in self._shards.values())

    def _hide_gone(self, shard: FaissHnswIndex) -> int:
        """Hide in ``shard`` the ids removed here and those the store no longer holds (``hide_missing``); returns the
        vectors newly hidden."""
        if self._missing is not None:
            held = np.unique(shard.ids()).tolist()
            if held:
                self._removed.update(self._missing(held))
        return shard.remove(sorted(self._removed)) if self._removed else 0

    @property
    def hidden(self) -> int:
        """Vectors hidden in the graphs read so far."""
        return sum(s.hidden for s in self._shards.values())

    @property
    def unread(self) -> int:
        """Vectors in graphs not read yet, hidden ones among them (not known until read)."""
        return sum(g.count for g in self._unread.values())

    def ids(self) -> np.ndarray:
        """Every id a search may return: reads every graph."""
        for key in list(self._unread):
            self._read(key)
        parts = [s.ids() for s in self._shards.values()]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def max_id(self) -> int:
        return self._max_id

    def __len__(self) -> int:
        """Vectors a search may return, counting every vector of a graph not read yet."""
        return sum(len(s) for s in self._shards.values()) + self.unread

    def save(self, path: Path) -> None:
        """Write the graphs changed since the last save or load, then a manifest naming every graph's file.

        ``path`` is a folder. A graph file is never overwritten: each save writes new ones and the manifest,
        replaced atomically, switches to them, so a kill leaves the old manifest with the files it names.
        Only changed graphs are written, and a store grows by days: a save costs a few days of news,
        however long the archive. A graph not read whose file another process's save deleted is written again
        from the file held open."""
        import faiss

        _make_room(path, folder=True)
        path.mkdir(parents=True, exist_ok=True)
        files, sizes = dict(self._files), dict(self._sizes)
        entries = {}
        for key in self._keys():
            name = f"graph_{'undated' if key == NO_DAY else key}_{uuid.uuid4().hex[:12]}.faiss"
            if key in self._unread:
                graph = self._unread[key]
                if key not in files or not (path / files[key]).exists():
                    graph.copy_to(path / name)
                    files[key], sizes[key] = name, graph.size
                entries[key] = {"file": files[key], "count": graph.count, "bytes": graph.size}
                continue
            shard = self._shards[key]
            if key in self._dirty or key not in files or key not in sizes or not (path / files[key]).exists():
                faiss.write_index(shard._index, str(path / name))
                files[key], sizes[key] = name, (path / name).stat().st_size
            # the vectors each file holds, hidden ones too (``remove``): what a load checks it against
            entries[key] = {"file": files[key], "count": int(shard._index.ntotal), "bytes": sizes[key]}
        manifest = {"format": SHARDS_FORMAT, "dim": self.dim, "shard_days": self.shard_days,
                    "max_id": self._max_id, "shards": {str(k): e for k, e in entries.items()}}
        tmp = path / f"manifest.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(tmp, path / "manifest.json")
        self._files, self._sizes, self._dirty = files, sizes, set()
        _remove_unlisted(path, set(files.values()))

    def load(self, path: Path) -> bool:
        """Read the manifest and open the graphs' files, checked against it (size, header); the graphs themselves
        are read when first needed (all of them past the open files this process may hold, ``_open_file_budget``)."""
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            if (manifest.get("format"), manifest.get("dim"), manifest.get("shard_days")) != (
                    SHARDS_FORMAT, self.dim, self.shard_days):
                return False  # another layout or other periods: rebuilt from the store
            entries = {int(key): entry for key, entry in manifest["shards"].items()}
            max_id = int(manifest["max_id"])
        except Exception:  # a missing or damaged cache is rebuilt from the store
            return False
        unread: dict[int, _GraphFile] = {}
        self._shards, self._unread, self._files, self._sizes, self._dirty = {}, unread, {}, {}, set()
        self._removed, self._missing, self._max_id = set(), None, max_id
        budget = _open_file_budget()
        # The oldest graphs first (the undated last): past the budget of open files, the newest are read now, which
        # the next articles search anyway.
        for n, key in enumerate(sorted(entries, key=lambda k: (k == NO_DAY, k))):
            entry = entries[key]
            try:
                graph = _GraphFile.open(path / entry["file"], int(entry["count"]), self.dim, entry.get("bytes"))
            except (OSError, ValueError, KeyError, TypeError):
                graph = None
            if graph is None:
                self._forget_unread()
                return False
            unread[key] = graph
            self._files[key], self._sizes[key] = entry["file"], graph.size
            if n >= budget or "bytes" not in entry:  # a manifest of an earlier tidings: its graphs read and checked
                try:
                    self._read(key)
                except RuntimeError:
                    self._forget_unread()
                    return False
        return True

    def _forget_unread(self) -> None:
        for graph in self._unread.values():
            graph.close()
        self._shards, self._unread, self._files, self._sizes, self._max_id = {}, {}, {}, {}, 0

    def bulk(self, threads: int = 2) -> None:
        import faiss

        faiss.omp_set_num_threads(threads)


_FAISS_ID_MAPS = (b"IxMp", b"IxM2")  # the fourcc of faiss's IndexIDMap and IndexIDMap2 files


class _GraphFile:
    """The file of a graph a ``TimeShardedIndex`` has not read yet, held open: readable while it lives, though another
    process's save unlinks its name."""

    def __init__(self, name: str, fd: int, count: int, size: int) -> None:
        self.name, self.fd, self.count, self.size = name, fd, count, size

    @classmethod
    def open(cls, path: Path, count: int, dim: int, size: int | None) -> _GraphFile | None:
        """The file opened, or None when it is not the graph the manifest names: another size, or a header of another
        kind, dimension or number of vectors."""
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        graph = cls(str(path), fd, count, os.fstat(fd).st_size)
        header = graph.read(16)
        fourcc, d, ntotal = header[:4], int.from_bytes(header[4:8], "little"), int.from_bytes(header[8:16], "little")
        if (size is not None and graph.size != size) or fourcc not in _FAISS_ID_MAPS or d != dim or ntotal != count:
            graph.close()
            return None
        return graph

    def read(self, limit: int | None = None) -> bytes:
        want = self.size if limit is None else min(limit, self.size)
        parts, done = [], 0
        while done < want:
            part = _pread(self.fd, want - done, done)
            if not part:
                raise OSError(f"{self.name}: shorter than it was")
            parts.append(part)
            done += len(part)
        return b"".join(parts)

    def copy_to(self, path: Path) -> None:
        path.write_bytes(self.read())

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


def _pread(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows: no pread; one reader per file
    return os.read(fd, size)


def _open_file_budget() -> int:
    """Graph files a load may hold open unread: half of what the process may open below half its limit on open files,
    at most 1,024 (shards of 14 days: 39 years). Stores opened one after another in one process (a server's, a test
    suite's) leave the upper half of the limit to everything else."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return 128
    if soft == resource.RLIM_INFINITY:
        soft = 1 << 20
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:  # not Linux: counted as half of the limit
        in_use = soft // 2
    return max(0, min(1024, (soft // 2 - in_use) // 2))


@register("index", "exact")
class ExactIndex:
    """Brute-force inner product: exact, fine for small stores and tests."""

    def __init__(self, dim: int = 512, neighbours: int = 8) -> None:
        self.dim = dim
        self.neighbours = neighbours
        self._ids = np.zeros(0, np.int64)
        self._vectors = np.zeros((0, dim), np.float32)
        self._max_id = 0  # kept apart from the ids held: a removed id stays caught up

    def add(self, ids: np.ndarray, vectors: np.ndarray, days: np.ndarray | None = None) -> None:
        self._ids = np.concatenate([self._ids, ids.astype(np.int64)])
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])
        if len(ids):
            self._max_id = max(self._max_id, int(ids.max()))

    def search(self, vectors: np.ndarray, k: int,
               days: Days = None) -> tuple[np.ndarray, np.ndarray]:
        if len(self._ids) == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), 0)), np.zeros((len(vectors), 0), np.int64)
        sims = vectors @ self._vectors.T
        k = min(k, len(self._ids))
        top = np.argsort(-sims, axis=1)[:, :k]
        return np.take_along_axis(sims, top, axis=1), self._ids[top]

    def remove(self, ids: Sequence[int], days: Sequence[int] | None = None) -> int:
        gone = np.isin(self._ids, np.asarray(list(ids), np.int64))
        self._ids, self._vectors = self._ids[~gone], self._vectors[~gone]
        return int(gone.sum())

    def ids(self) -> np.ndarray:
        return self._ids

    def max_id(self) -> int:
        return max(self._max_id, int(self._ids.max()) if len(self._ids) else 0)

    def __len__(self) -> int:
        return len(self._ids)

    def save(self, path: Path) -> None:
        _make_room(path, folder=False)
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
