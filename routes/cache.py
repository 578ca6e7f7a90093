"""Content-hash cache of loaded graphs (GraphML plus a fast pickle), so a file already seen loads without re-parsing.

The key is the SHA-256 of the file's bytes plus the network type and the loader version, so an
edited file or a new loader never returns a stale graph. The folder is the user cache folder
(`ROUTES_CACHE_DIR` overrides it); writes go to a temporary file renamed into place.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any, Callable

import networkx as nx
import numpy as np
import osmnx as ox
import shapely
from shapely.geometry.base import BaseGeometry

from routes._atomic import write_atomically
from routes.targets import adopt_index, built_index, graph_index

LOADER_VERSION = "4"  # 3: the pickle keeps edge geometries apart, as one WKB array; 4: and the graph's index


def cache_dir() -> Path:
    """The folder holding cached graphs."""
    env = os.environ.get("ROUTES_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("syria-exit-routes")) / "graphs"


def file_key(path: Path, network_type: str) -> str:
    """SHA-256 of the file content, network type and loader version."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|{network_type}|{LOADER_VERSION}".encode())
    return digest.hexdigest()[:32]


def cached(path: Path, network_type: str, build: Callable[[], nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """Return the cached graph for this file, or build it, store it and return it.

    Each entry is written twice: GraphML (the portable record, readable by any GIS or networkx) and
    a pickle beside it that reloads the same graph tens of times faster than parsing GraphML. The
    pickle is read when present; the GraphML when the pickle is missing or unreadable.
    """
    target = cache_dir() / f"{file_key(path, network_type)}.graphml"
    fast = target.with_suffix(".pickle")
    for loader, entry in ((_read_pickle, fast), (ox.load_graphml, target)):
        if entry.exists():
            try:
                G = loader(entry)
                G.graph["cache"] = str(target)
                return G
            except Exception:  # a corrupt cache entry is rebuilt, never fatal
                entry.unlink(missing_ok=True)
    G = build()
    _index_ready(G)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, lambda tmp: ox.save_graphml(G, tmp))
        write_atomically(fast, lambda tmp: Path(tmp).write_bytes(graph_to_bytes(G)))
    except OSError:
        pass  # a read-only cache folder only costs speed
    return G


def _index_ready(G: nx.MultiDiGraph) -> None:
    """Build G's index and the parts of it that every command with events needs (edge segments, the k-d
    tree of their samples), so that the cache keeps them: a large graph's first call then costs the
    rebuild of one STRtree instead of seconds of indexing."""
    graph_index(G).segments.prepare()


def graph_to_bytes(G: nx.MultiDiGraph) -> bytes:
    """G (and its index, when built) pickled with its shapely geometries set apart as one WKB array.

    Unpickling a geometry object by object costs several microseconds each; a whole array of WKB is
    read by one vectorised `shapely.from_wkb`, which makes the cache of a large graph load ~1.5× faster.
    The index refers to the same geometries, so they are stored once."""
    body, geoms = io.BytesIO(), []
    _GeometryPickler(body, geoms).dump((G, built_index(G)))
    return pickle.dumps((shapely.to_wkb(np.array(geoms, dtype=object)), body.getvalue()), protocol=pickle.HIGHEST_PROTOCOL)


def graph_from_bytes(data: bytes) -> nx.MultiDiGraph:
    """The graph `graph_to_bytes` wrote, its index (if it had one) ready for use."""
    wkb, body = pickle.loads(data)
    G, index = _GeometryUnpickler(io.BytesIO(body), shapely.from_wkb(wkb)).load()
    if not isinstance(G, nx.MultiDiGraph):
        raise TypeError("not a graph")
    if index is not None:
        adopt_index(G, index)
    return G


class _GeometryPickler(pickle.Pickler):
    """Writes each shapely geometry as its position in `geoms` (a persistent id) and collects it there."""

    def __init__(self, file: io.BytesIO, geoms: list[BaseGeometry]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.geoms = geoms
        self._seen: dict[int, int] = {}  # id of a geometry → its position (the geometries stay alive in `geoms`)

    def persistent_id(self, obj: Any) -> int | None:
        if isinstance(obj, BaseGeometry):
            at = self._seen.get(id(obj))  # (the graph and its index hold the same geometry objects)
            if at is None:
                at = self._seen[id(obj)] = len(self.geoms)
                self.geoms.append(obj)
            return at
        return None


class _GeometryUnpickler(pickle.Unpickler):
    """Reads the positions `_GeometryPickler` wrote back as the geometries of an array."""

    def __init__(self, file: io.BytesIO, geoms: np.ndarray) -> None:
        super().__init__(file)
        self.geoms = geoms

    def persistent_load(self, pid: Any) -> BaseGeometry:
        return self.geoms[pid]


def _read_pickle(entry: Path) -> nx.MultiDiGraph:
    return graph_from_bytes(entry.read_bytes())
