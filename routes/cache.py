"""Content-hash cache of loaded graphs (GraphML plus a fast pickle), so a file already seen loads without re-parsing.

The key is the SHA-256 of the file's bytes plus the network type and the loader version, so an
edited file or a new loader never returns a stale graph. The folder is the user cache folder
(`ROUTES_CACHE_DIR` overrides it); writes go to a temporary file renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable

import networkx as nx
import osmnx as ox

from routes._atomic import write_atomically

LOADER_VERSION = "2"


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, lambda tmp: ox.save_graphml(G, tmp))
        write_atomically(fast, lambda tmp: Path(tmp).write_bytes(pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL)))
    except OSError:
        pass  # a read-only cache folder only costs speed
    return G


def _read_pickle(entry: Path) -> nx.MultiDiGraph:
    G = pickle.loads(entry.read_bytes())
    if not isinstance(G, nx.MultiDiGraph):
        raise TypeError("not a graph")
    return G
