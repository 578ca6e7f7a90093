"""Which graph edges and nodes an event's target covers: a road (by ref/name, between two places), a point
with a radius, or an area polygon. Spatial look-ups go through an STRtree built once per graph."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Hashable, Iterable, Sequence

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree
from shapely import STRtree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from gazetteer.place import Place
from routes._osm_tags import tag_values
from routes._segments import Circle, Segments
from gazetteer.store import Gazetteer

EdgeKey = tuple[Hashable, Hashable, int]
_INDEXES: "weakref.WeakKeyDictionary[nx.MultiDiGraph, GraphIndex]" = weakref.WeakKeyDictionary()


@dataclass
class GraphIndex:
    """Per-graph look-up structures: the edge list and, aligned with it, geometry tree, lengths, end nodes and
    flags; refs and names to edge positions; node coordinates. Statuses are arrays over these positions."""

    edges: list[EdgeKey]
    tree: STRtree
    by_ref: dict[str, list[int]]
    by_name: dict[str, list[int]]
    node_ids: list[Hashable]
    node_xy: np.ndarray
    lengths: np.ndarray  # metres, per edge position
    travel_time: np.ndarray  # seconds, per edge position
    edge_u: np.ndarray  # position of each edge's start node in node_ids
    edge_v: np.ndarray
    structural: np.ndarray  # bridge or tunnel: exempt from area closures
    reverse_copy: np.ndarray  # the reverse direction osmnx adds to a two-way way

    @classmethod
    def build(cls, G: nx.MultiDiGraph) -> "GraphIndex":
        """One pass over G's adjacency (the order of `G.edges(keys=True)`); tags are split per distinct value."""
        node_ids = list(G._node)
        node_pos = {n: i for i, n in enumerate(node_ids)}
        edges, geoms, lengths, times, eu, ev, structural, reverse_copy = [], [], [], [], [], [], [], []
        refs: dict[Any, list[int]] = {}  # raw tag value → positions; most edges of a road share one value
        names: dict[Any, list[int]] = {}
        i = 0
        for u, nbrs in G._adj.items():
            pu = node_pos[u]
            for v, keyed in nbrs.items():
                pv = node_pos[v]
                for k, d in keyed.items():
                    edges.append((u, v, k))
                    geoms.append(d["geometry"])
                    lengths.append(d.get("length", 0.0))
                    times.append(d.get("travel_time", math.nan))
                    eu.append(pu)
                    ev.append(pv)
                    structural.append(("bridge" in d and _flag(d["bridge"])) or ("tunnel" in d and _flag(d["tunnel"])))
                    reverse_copy.append("reversed" in d and _flag(d["reversed"]))
                    if "ref" in d:
                        refs.setdefault(_hashable(d["ref"]), []).append(i)
                    for key in ("name", "name:en", "alt_name"):
                        if key in d:
                            names.setdefault(_hashable(d[key]), []).append(i)
                    i += 1
        by_ref: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        for table, raw, norm in ((by_ref, refs, lambda r: r.upper().replace(" ", "")), (by_name, names, str.lower)):
            for value, ids in raw.items():
                for tag in dict.fromkeys(norm(t) for t in tag_values(list(value) if isinstance(value, tuple) else value)):
                    table.setdefault(tag, []).extend(ids)
        xy = np.array([(d["x"], d["y"]) for d in G._node.values()], dtype=float).reshape(-1, 2)
        return cls(edges, STRtree(geoms), by_ref, by_name, node_ids, xy, np.array(lengths, dtype=float),
                   np.array(times, dtype=float), np.array(eu, dtype=np.int64), np.array(ev, dtype=np.int64),
                   np.array(structural, dtype=bool), np.array(reverse_copy, dtype=bool))

    @cached_property
    def position(self) -> dict[EdgeKey, int]:
        """Edge key to its position in `edges` (built on first use)."""
        return {e: i for i, e in enumerate(self.edges)}

    @cached_property
    def node_scale(self) -> float:
        """Degrees of longitude shrink by cos(latitude): the factor at the graph's mean latitude."""
        return math.cos(math.radians(float(self.node_xy[:, 1].mean()))) if len(self.node_xy) else 1.0

    @cached_property
    def node_tree(self) -> cKDTree:
        """A k-d tree of the nodes on (lon × node_scale, lat), for nearest-node candidates."""
        return cKDTree(self.node_xy * np.array([self.node_scale, 1.0]))

    @cached_property
    def geoms(self) -> np.ndarray:
        return self.tree.geometries

    @cached_property
    def segments(self) -> Segments:
        """The straight segments of every edge, for circle questions in numpy (built on first use)."""
        return Segments(self.geoms)

    def keys(self, ids: Iterable[int]) -> list[EdgeKey]:
        """Edge keys of some positions."""
        return [self.edges[i] for i in ids]

    def __getstate__(self) -> dict[str, Any]:
        """What pickles (beside the graph, in the graph cache): everything built so far but the STRtree,
        which is rebuilt from the same geometries on load (a tree does not pickle sharing them)."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("tree", "geoms", "position")}
        state["tree"] = list(self.tree.geometries)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.tree = STRtree(state["tree"])


def _hashable(value: Any) -> Hashable:
    """A tag value as a dict key: osmnx stores merged values as lists."""
    return tuple(value) if isinstance(value, list) else value


def _flag(value: Any) -> bool:
    """An OSM-style yes/no tag or a boolean, read as a boolean ("no", "false", missing: False)."""
    if value is None or value is False:
        return False
    return str(value).lower() not in ("no", "nan", "none", "false", "0", "")


def graph_index(G: nx.MultiDiGraph) -> GraphIndex:
    """The cached index of G, rebuilt when its node count changed.

    The check is O(1) because status application asks for the index once per event; counting edges would
    walk the whole graph each time. After editing edges of a graph in place, call `forget_index(G)`."""
    idx = _INDEXES.get(G)
    if idx is None or len(idx.node_ids) != len(G):
        idx = GraphIndex.build(G)
        _INDEXES[G] = idx
    return idx


def adopt_index(G: nx.MultiDiGraph, index: GraphIndex) -> None:
    """Use `index` as G's (one built for G, read back with it from the graph cache)."""
    if len(index.node_ids) == len(G):
        _INDEXES[G] = index


def built_index(G: nx.MultiDiGraph) -> GraphIndex | None:
    """G's index if one was built, else None."""
    return _INDEXES.get(G)


def forget_index(G: nx.MultiDiGraph) -> None:
    """Drop G's cached index (needed only after adding or removing edges of G in place)."""
    _INDEXES.pop(G, None)


def metres_to_degrees(metres: float, lat: float) -> float:
    """A radius in degrees large enough to cover `metres` in both axes at this latitude."""
    return metres / (111_320.0 * max(0.2, math.cos(math.radians(lat))))


def nearest_node(G: nx.MultiDiGraph, lon: float, lat: float) -> tuple[Hashable, float]:
    """The graph node nearest a point and its distance in metres (equirectangular; fine at city scale).

    A k-d tree on roughly projected coordinates proposes a few candidates; the exact distance at the
    point's own latitude picks among them."""
    idx = graph_index(G)
    if not len(idx.node_ids):
        raise ValueError("the graph has no nodes")
    k = min(8, len(idx.node_ids))
    _, cand = idx.node_tree.query([lon * idx.node_scale, lat], k=k)
    cand = np.atleast_1d(cand)
    xy = idx.node_xy[cand]
    dx = (xy[:, 0] - lon) * 111_320.0 * math.cos(math.radians(lat))
    dy = (xy[:, 1] - lat) * 110_540.0
    d2 = dx * dx + dy * dy
    best = int(np.argmin(d2))
    return idx.node_ids[int(cand[best])], float(math.sqrt(d2[best]))


def edge_ids_near(G: nx.MultiDiGraph, lon: float, lat: float, radius_m: float) -> np.ndarray:
    """Positions of the edges whose geometry passes within `radius_m` of a point."""
    return graph_index(G).segments.owners_within(circle_around(lon, lat, radius_m))


def edge_ids_near_each(G: nx.MultiDiGraph, spots: Sequence[tuple[float, float, float]]) -> list[np.ndarray]:
    """`edge_ids_near` for many (lon, lat, radius_m) spots at once."""
    return graph_index(G).segments.owners_within_each([circle_around(*spot) for spot in spots])


def circle_around(lon: float, lat: float, radius_m: float) -> Circle:
    """The circle in degrees that covers `radius_m` around a point in both axes (as a buffer in degrees would)."""
    return Circle(lon, lat, metres_to_degrees(radius_m, lat))


def edges_near(G: nx.MultiDiGraph, lon: float, lat: float, radius_m: float) -> list[EdgeKey]:
    """Edges whose geometry passes within `radius_m` of a point."""
    return graph_index(G).keys(edge_ids_near(G, lon, lat, radius_m))


def edge_ids_in_area(G: nx.MultiDiGraph, area: BaseGeometry) -> np.ndarray:
    """Positions of the edges that touch an area polygon."""
    return np.sort(graph_index(G).tree.query(area, predicate="intersects"))  # one query geometry: no repeated index


def edge_ids_in_each_area(G: nx.MultiDiGraph, areas: Sequence[BaseGeometry], workers: int = 1) -> list[np.ndarray]:
    """`edge_ids_in_area` for many areas: bulk tree queries, split over `workers` threads (GEOS runs
    them without the GIL, so the threads really share the work)."""
    tree = graph_index(G).tree
    if not len(areas):
        return []
    chunks = np.array_split(np.arange(len(areas)), max(1, min(workers, len(areas))))

    def query(chunk: np.ndarray) -> np.ndarray:
        found = tree.query(np.asarray([areas[i] for i in chunk], dtype=object), predicate="intersects")
        return np.vstack([chunk[found[0]], found[1]])

    with ThreadPoolExecutor(len(chunks)) as pool:
        found = np.hstack(list(pool.map(query, chunks)))
    found = found[:, np.lexsort((found[1], found[0]))]  # by area, then edge
    bounds = np.searchsorted(found[0], np.arange(len(areas) + 1))
    return [found[1, bounds[i]:bounds[i + 1]] for i in range(len(areas))]


def edges_in_area(G: nx.MultiDiGraph, area: BaseGeometry) -> list[EdgeKey]:
    """Edges that touch an area polygon."""
    return graph_index(G).keys(edge_ids_in_area(G, area))


def road_edges(G: nx.MultiDiGraph, road: Place, gazetteer: Gazetteer, between: list[str] | None = None,
               one_way: bool = False) -> list[EdgeKey]:
    """The edges of a gazetteer road: by ref or OSM name; with `between`, only the stretch joining those places."""
    idx = graph_index(G)
    spec = road.road
    hits: set[int] = set()
    if spec:
        for r in spec.refs:
            hits.update(idx.by_ref.get(r.upper().replace(" ", ""), []))
        for n in spec.osm_names:
            hits.update(idx.by_name.get(n.lower(), []))
    edges = [idx.edges[i] for i in sorted(hits)]
    if not edges and spec and len(spec.via) >= 2:  # road known only by the places it joins
        between = between or [spec.via[0], spec.via[-1]]
        return _path_edges(G, gazetteer, between, None, one_way)
    if between and len(between) == 2:
        return _path_edges(G, gazetteer, between, edges, one_way)
    return edges


def path_edges(G: nx.MultiDiGraph, gazetteer: Gazetteer, between: list[str], one_way: bool = False) -> list[EdgeKey]:
    """Edges on the shortest path between two gazetteer places on the whole graph: a road the gazetteer lacks,
    told only by its two ends ("the road between Damascus and Suwayda")."""
    return _path_edges(G, gazetteer, between, None, one_way)


def _path_edges(G: nx.MultiDiGraph, gazetteer: Gazetteer, between: list[str], allowed: list[EdgeKey] | None,
                one_way: bool) -> list[EdgeKey]:
    """Edges on the shortest path between two places, inside `allowed` when given (both directions unless one-way)."""
    try:
        a, b = (gazetteer.get(pid) for pid in between)
    except KeyError:
        return allowed or []
    ua, _ = nearest_node(G, a.lon, a.lat)
    ub, _ = nearest_node(G, b.lon, b.lat)
    H = G.edge_subgraph(allowed) if allowed else G
    if ua not in H or ub not in H:
        ua = nearest_in(H, G, a) if ua not in H else ua
        ub = nearest_in(H, G, b) if ub not in H else ub
    try:
        path = nx.shortest_path(H, ua, ub, weight="length")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return allowed or []
    out: list[EdgeKey] = []
    for u, v in zip(path, path[1:]):
        out.extend((u, v, k) for k in G[u][v])
        if not one_way and G.has_edge(v, u):
            out.extend((v, u, k) for k in G[v][u])
    return out


def nearest_in(H: nx.MultiDiGraph, G: nx.MultiDiGraph, place: Place) -> Hashable:
    """The node of subgraph H nearest a place."""
    best, dist = None, float("inf")
    for n in H.nodes:
        d = (G.nodes[n]["x"] - place.lon) ** 2 + (G.nodes[n]["y"] - place.lat) ** 2
        if d < dist:
            best, dist = n, d
    return best


def area_shape(geometry: dict[str, Any]) -> BaseGeometry:
    return shape(geometry)
