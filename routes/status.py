"""Statuses on the graph as of a date: which edges are closed, exposed or delayed, and by which events.

`apply(G, events, as_of)` leaves G untouched and returns a `StatusLayer`: per-edge and per-node
records listing the event ids that set them, plus the weight functions routing uses. Defaults
(radius of a point event, how long a report with no end date stays in force, the delay of a jam
with no figure) are documented in `DEFAULTS` and can be overridden per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from collections.abc import Mapping
from typing import Any, Callable, Hashable, Iterable, Iterator

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import Point, shape

from gazetteer.store import Gazetteer, default_gazetteer
from routes.events import Event, in_force
from routes.targets import (EdgeKey, GraphIndex, edge_ids_in_area, edge_ids_near, graph_index, metres_to_degrees,
                            nearest_node, road_edges)


@dataclass(frozen=True)
class StatusDefaults:
    """Documented defaults for reading events onto the graph.

    radius_m: how far from a point (a town, a roundabout, a checkpoint) a point event reaches.
    in_force_days: how long an event with no `valid_to` stays in force after `valid_from`
      (a jam is news for a day or two; a closure or siege until a report says otherwise, but a
      report older than two months with nothing newer is treated as stale).
    delay_h: the delay of a jam or a checkpoint whose report gives no figure; for a curfew, the wait
      at the area's edge before traffic may leave or enter (a curfew holds traffic, it does not
      remove the road).
    risk_per_km: the risk cost of a kilometre under sniper fire or shelling, in seconds of travel
      time, used by the least-exposed routes.
    """

    radius_m: dict[str, float] = field(default_factory=lambda: {
        "closed": 1500, "sniper": 1500, "shelling": 3000, "congested": 2000, "checkpoint": 500,
        "open": 1000, "besieged": 3000, "curfew": 8000, "corridor": 1000})
    in_force_days: dict[str, int] = field(default_factory=lambda: {
        "closed": 60, "besieged": 60, "open": 30, "corridor": 14, "checkpoint": 7,
        "sniper": 3, "shelling": 3, "congested": 2, "curfew": 1})
    delay_h: dict[str, float] = field(default_factory=lambda: {"congested": 1.0, "checkpoint": 0.25, "curfew": 6.0})
    risk_per_km: dict[str, float] = field(default_factory=lambda: {"sniper": 1800.0, "shelling": 900.0})


DEFAULTS = StatusDefaults()
EXPOSURE_STATUSES = ("sniper", "shelling")


@dataclass
class EdgeStatus:
    """What the events in force do to one edge."""

    statuses: set[str] = field(default_factory=set)
    closed: bool = False
    delay_s: float = 0.0
    exposure: set[str] = field(default_factory=set)  # sniper / shelling on this edge
    exposure_m: float = 0.0  # metres of this edge inside the exposed zone
    risk_s: float = 0.0
    event_ids: list[str] = field(default_factory=list)


@dataclass
class NodeStatus:
    """Delays and statuses at a node (checkpoints, jams at a place)."""

    statuses: set[str] = field(default_factory=set)
    delay_s: float = 0.0
    event_ids: list[str] = field(default_factory=list)


@dataclass
class EdgeArrays:
    """Per-edge status values, one slot per position of the graph's index (see `routes.targets.GraphIndex`)."""

    marked: np.ndarray
    closed: np.ndarray
    exposed: np.ndarray
    delay_s: np.ndarray
    exposure_m: np.ndarray
    risk_s: np.ndarray

    @classmethod
    def empty(cls, n: int) -> "EdgeArrays":
        return cls(*(np.zeros(n, dtype=bool) for _ in range(3)), *(np.zeros(n) for _ in range(3)))


@dataclass
class Mark:
    """One event's mark on a set of edges (their index positions)."""

    event_id: str
    status: str
    exposure: bool
    ids: np.ndarray


@dataclass
class StatusLayer:
    """The statuses of a graph as of one date; G itself is not modified.

    Edge statuses live in arrays over the graph index's edge positions, with the list of marks saying
    which event touched which edges; `edges` reads them as a mapping of `EdgeStatus` records."""

    graph: nx.MultiDiGraph
    as_of: date
    events: dict[str, Event]
    nodes: dict[Hashable, NodeStatus] = field(default_factory=dict)
    defaults: StatusDefaults = DEFAULTS
    arrays: EdgeArrays | None = None
    marks: list[Mark] = field(default_factory=list)
    index: GraphIndex = field(init=False, repr=False, compare=False)
    # what routing derives from the arrays (touched pairs, cost lists, marks by edge), emptied by each mark
    _derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = graph_index(self.graph)
        if self.arrays is None:
            self.arrays = EdgeArrays.empty(len(self.index.edges))

    @property
    def edges(self) -> "EdgeStatusView":
        """Edge key → `EdgeStatus`, for the edges some event in force touches."""
        return EdgeStatusView(self)

    def _pos(self, u: Hashable, v: Hashable, k: int) -> int | None:
        return self.index.position.get((u, v, k))

    def edge(self, u: Hashable, v: Hashable, k: int) -> EdgeStatus | None:
        return self.edges.get((u, v, k))

    def is_closed(self, u: Hashable, v: Hashable, k: int) -> bool:
        i = self._pos(u, v, k)
        return i is not None and bool(self.arrays.closed[i])

    def exposure_m(self, u: Hashable, v: Hashable, k: int) -> float:
        i = self._pos(u, v, k)
        return float(self.arrays.exposure_m[i]) if i is not None else 0.0

    def edge_cost(self, u: Hashable, v: Hashable, k: int, *, risk: bool = False, ignore_closed: bool = False) -> float | None:
        """Seconds to traverse (u, v, k) with delays (and risk cost when asked); None when closed."""
        cost = float(self.graph._adj[u][v][k]["travel_time"])  # direct look-up: the views cost more than the sum
        i = self._pos(u, v, k)
        if i is not None and self.arrays.marked[i]:
            if self.arrays.closed[i] and not ignore_closed:
                return None
            cost += float(self.arrays.delay_s[i]) + (float(self.arrays.risk_s[i]) if risk else 0.0)
        node = self.nodes.get(v)
        if node:
            cost += node.delay_s
        return cost

    def touched_pairs(self) -> set[tuple[Hashable, Hashable]]:
        """The (u, v) pairs with at least one edge carrying a status."""
        if "touched" not in self._derived:
            edges = self.index.edges
            self._derived["touched"] = {edges[i][:2] for i in np.flatnonzero(self.arrays.marked)}
        return self._derived["touched"]

    def exposed_pairs(self) -> set[tuple[Hashable, Hashable]]:
        """The (u, v) pairs with an edge under sniper fire or shelling."""
        if "exposed" not in self._derived:
            edges = self.index.edges
            self._derived["exposed"] = {edges[i][:2] for i in np.flatnonzero(self.arrays.exposed)}
        return self._derived["exposed"]

    def weight(self, *, risk: bool = False, ignore_closed: bool = False) -> Callable[[Any, Any, dict], float | None]:
        """A networkx weight function over this layer (the cheapest parallel edge; None hides closed ones)."""
        touched = self.touched_pairs()
        delayed = self.nodes.keys()
        if not touched and not delayed:  # nothing in force: the plain travel-time weight
            return _plain_travel_time

        cost, pos, nodes = self._edge_costs(risk, ignore_closed), self.index.position, self.nodes

        def w(u: Any, v: Any, keyed: dict) -> float | None:
            if (u, v) not in touched and v not in delayed:  # most edges carry no status: plain travel time
                return min(d["travel_time"] for d in keyed.values())
            best = min(cost[pos[(u, v, k)]] for k in keyed)
            if best == math.inf:
                return None
            node = nodes.get(v)
            return best + node.delay_s if node else best
        return w

    def _edge_costs(self, risk: bool, ignore_closed: bool) -> list[float]:
        """Every edge's cost without node delays, by position (inf when closed), as a list: routing reads
        it one edge at a time, and list reads are faster than array reads. Computed once per variant."""
        key = ("costs", risk, ignore_closed)
        if key not in self._derived:
            A = self.arrays
            cost = self.index.travel_time + A.delay_s + (A.risk_s if risk else 0.0)
            if not ignore_closed:
                cost = np.where(A.closed, math.inf, cost)
            self._derived[key] = cost.tolist()
        return self._derived[key]

    def closed_edges(self) -> list[EdgeKey]:
        return self.index.keys(np.flatnonzero(self.arrays.closed))

    def reopened(self, edges: Iterable[EdgeKey]) -> "StatusLayer":
        """A copy of the layer in which these edges (and every edge of the reverse direction) are open."""
        closed = self.arrays.closed.copy()
        G, pos = self.graph, self.index.position
        for u, v, k in edges:
            for key in [(u, v, k)] + [(v, u, kk) for kk in (G._adj[v][u] if v in G._adj and u in G._adj[v] else ())]:
                if key in pos:
                    closed[pos[key]] = False
        return replace(self, arrays=replace(self.arrays, closed=closed), nodes=dict(self.nodes), marks=list(self.marks))

    def _mark(self, ids: np.ndarray, event: Event, *, closed: bool = False, exposure: str | None = None,
              zone: Any = None, delay_s: np.ndarray | float | None = None) -> None:
        """Record an event on edge positions `ids` (unique): closure, exposure inside `zone`, added delay."""
        A = self.arrays
        A.marked[ids] = True
        if closed:
            A.closed[ids] = True
        if exposure:
            lengths = _exposed_lengths(self.index, ids, zone)
            before = A.exposure_m[ids]
            A.risk_s[ids] += np.maximum(lengths - before, 0.0) / 1000 * self.defaults.risk_per_km.get(exposure, 0.0)
            A.exposure_m[ids] = np.maximum(before, lengths)
            A.exposed[ids] = True
        if delay_s is not None:
            A.delay_s[ids] += delay_s
        self.marks.append(Mark(event.id, event.status, bool(exposure), ids))
        self._derived.clear()

    def _marks_of(self, i: int) -> list[Mark]:
        """The marks on edge position i, in the order they were made."""
        if "by_edge" not in self._derived:  # one sort of every (edge, mark) pair, on first use
            ids = [m.ids for m in self.marks]
            edge = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
            mark = np.repeat(np.arange(len(ids)), [len(x) for x in ids]) if ids else np.zeros(0, dtype=np.int64)
            order = np.argsort(edge, kind="stable")
            self._derived["by_edge"] = (edge[order], mark[order])
        edge, mark = self._derived["by_edge"]
        lo, hi = np.searchsorted(edge, i, "left"), np.searchsorted(edge, i, "right")
        return [self.marks[j] for j in mark[lo:hi]]

    def _record(self, i: int) -> EdgeStatus:
        A, marks = self.arrays, self._marks_of(i)
        return EdgeStatus(statuses={m.status for m in marks}, closed=bool(A.closed[i]), delay_s=float(A.delay_s[i]),
                          exposure={m.status for m in marks if m.exposure}, exposure_m=float(A.exposure_m[i]),
                          risk_s=float(A.risk_s[i]), event_ids=list(dict.fromkeys(m.event_id for m in marks)))


class EdgeStatusView(Mapping):
    """A read-only mapping edge key → `EdgeStatus` over a layer's arrays (records built when asked for)."""

    def __init__(self, layer: StatusLayer) -> None:
        self._layer = layer

    def __getitem__(self, key: EdgeKey) -> EdgeStatus:
        i = self._layer.index.position.get(key)
        if i is None or not self._layer.arrays.marked[i]:
            raise KeyError(key)
        return self._layer._record(i)

    def __iter__(self) -> Iterator[EdgeKey]:
        edges = self._layer.index.edges
        return (edges[i] for i in np.flatnonzero(self._layer.arrays.marked))

    def __len__(self) -> int:
        return int(self._layer.arrays.marked.sum())


def _plain_travel_time(u: Any, v: Any, keyed: dict) -> float:
    return min(d["travel_time"] for d in keyed.values())


def effective_end(event: Event, defaults: StatusDefaults = DEFAULTS) -> date:
    """The last day an event is taken to be in force (its `valid_to`, else the status default)."""
    if event.end is not None:
        return event.end
    return event.start + timedelta(days=defaults.in_force_days.get(event.status, 7))


def events_in_force(events: Iterable[Event], as_of: date, defaults: StatusDefaults = DEFAULTS) -> list[Event]:
    return [e for e in events if in_force(e, as_of, effective_end(e, defaults))]


def _exposed_lengths(idx: GraphIndex, ids: np.ndarray, zone: Any) -> np.ndarray:
    """Metres of each edge inside the zone (the whole edge without a zone), for all edges at once.

    Edges the zone covers entirely count in full; only those crossing its rim are intersected."""
    lengths = idx.lengths[ids].copy()
    if zone is None or not len(ids):
        return lengths
    geoms = idx.geoms[ids]
    shapely.prepare(zone)
    crossing = ~shapely.covers(zone, geoms)
    if crossing.any():
        part = geoms[crossing]
        full = shapely.length(part)
        inside = shapely.length(shapely.intersection(part, zone))
        lengths[crossing] *= np.minimum(1.0, np.divide(inside, full, out=np.ones_like(full), where=full > 0))
    return lengths


def _mark_node(layer: StatusLayer, node: Hashable, event: Event, delay_s: float) -> None:
    st = layer.nodes.setdefault(node, NodeStatus())
    st.statuses.add(event.status)
    if event.id not in st.event_ids:
        st.event_ids.append(event.id)
        st.delay_s = max(st.delay_s, delay_s)  # one queue: the longest reported wait, not a sum


def target_ids(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS,
               roads: dict[tuple, np.ndarray] | None = None) -> np.ndarray:
    """Index positions (sorted, unique) of the edges an event's target covers on this graph.

    `roads` memoises road stretches for one batch of events: many reports name the same stretch."""
    if event.target_kind == "road" and event.road_id and event.road_id in gazetteer.by_id:
        key = (event.road_id, tuple(event.between or ()), bool(event.one_way))
        if roads is not None and key in roads:
            return roads[key]
        pos = graph_index(G).position
        keys = road_edges(G, gazetteer.get(event.road_id), gazetteer, event.between or None, event.one_way)
        ids = np.unique(np.array([pos[e] for e in keys], dtype=np.int64))
        if roads is not None:
            roads[key] = ids
        return ids
    geom = shape(event.geometry)
    if event.target_kind == "area" and geom.geom_type in ("Polygon", "MultiPolygon"):
        return edge_ids_in_area(G, geom)
    c = geom.centroid if not isinstance(geom, Point) else geom
    radius = event.radius_m or defaults.radius_m.get(event.status, 1000)
    return edge_ids_near(G, c.x, c.y, radius)


def target_edges(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS) -> list[EdgeKey]:
    """The edges an event's target covers on this graph."""
    return graph_index(G).keys(target_ids(G, event, gazetteer, defaults))


def _zone(event: Event, defaults: StatusDefaults) -> Any:
    """The exposed zone of a point or area event (None for a road event: the whole road is exposed)."""
    if event.target_kind == "road":
        return None
    geom = shape(event.geometry)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    c = geom.centroid
    return c.buffer(metres_to_degrees(event.radius_m or defaults.radius_m.get(event.status, 1000), c.y))


def _boundary_ids(idx: GraphIndex, ids: np.ndarray, area: Any) -> np.ndarray:
    """Edges leaving or entering an area: one end inside, the other outside (the exits of a siege)."""
    if not len(ids):
        return ids
    u, v = idx.node_xy[idx.edge_u[ids]], idx.node_xy[idx.edge_v[ids]]
    return ids[shapely.contains_xy(area, u[:, 0], u[:, 1]) != shapely.contains_xy(area, v[:, 0], v[:, 1])]


def apply(G: nx.MultiDiGraph, events: Iterable[Event], as_of: date, *, gazetteer: Gazetteer | None = None,
          defaults: StatusDefaults = DEFAULTS) -> StatusLayer:
    """Mark G with the statuses of the events in force on `as_of` (G is not copied or changed)."""
    gaz = gazetteer or default_gazetteer()
    active = events_in_force(events, as_of, defaults)
    layer = StatusLayer(G, as_of, {e.id: e for e in active}, defaults=defaults)
    idx, roads = layer.index, {}
    for event in sorted(active, key=lambda e: (e.valid_from, e.id)):
        ids = target_ids(G, event, gaz, defaults, roads)
        status = event.status
        if status == "closed":
            if event.target_kind == "area":  # bridges and tunnels pass over or under a closed area
                ids = ids[~idx.structural[ids]]
            layer._mark(ids, event, closed=True)
        elif status in EXPOSURE_STATUSES:
            layer._mark(ids, event, exposure=status, zone=_zone(event, defaults))
        elif status in ("congested", "checkpoint"):
            delay_s = 3600.0 * (event.delay_h if event.delay_h is not None else defaults.delay_h[status])
            if event.target_kind == "road":  # a jam along a road: its delay spread over its length
                layer._mark(ids, event, delay_s=delay_s * _shares(idx, ids))
            else:
                c = shape(event.geometry).centroid
                node, dist = nearest_node(G, c.x, c.y)
                if dist <= (event.radius_m or defaults.radius_m[status]) * 2:
                    _mark_node(layer, node, event, delay_s)
                layer._mark(ids, event)
        elif status in ("besieged", "curfew"):
            geom = shape(event.geometry)
            area = geom if geom.geom_type in ("Polygon", "MultiPolygon") else geom.buffer(0.0)
            exits = _boundary_ids(idx, ids[~idx.structural[ids]], area) if not area.is_empty else ids[:0]
            if status == "besieged":  # the exits of a besieged area are cut; movement inside goes on
                layer._mark(exits, event, closed=True)
            else:  # a curfew holds traffic at the edge of the area until it lifts
                hours = event.delay_h if event.delay_h is not None else defaults.delay_h["curfew"]
                layer._mark(exits, event, delay_s=3600.0 * hours)
            layer._mark(np.setdiff1d(ids, exits), event)
        else:  # open, corridor: recorded for the map and the evidence, no cost
            layer._mark(ids, event)
    return layer


def _shares(idx: GraphIndex, ids: np.ndarray) -> np.ndarray:
    """Each edge's share of the road's length in one direction (so a jam's delay is counted once per trip)."""
    forward = ids[~idx.reverse_copy[ids]]
    total = float(idx.lengths[forward if len(forward) else ids].sum()) or 1.0
    return idx.lengths[ids] / total


def with_overrides(events: list[Event], *, reopen: Iterable[str] = (), close: Iterable[Event] = ()) -> list[Event]:
    """A what-if copy of the events: some reopened (dropped), some closures added."""
    gone = set(reopen)
    return [e for e in events if e.id not in gone] + [replace(e) for e in close]
