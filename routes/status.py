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

from gazetteer.store import Gazetteer, default_gazetteer
from routes.events import Event, in_force
from routes.defaults import DEFAULTS, EXPOSURE_STATUSES, StatusDefaults
from routes.footprints import footprints
from routes.targets import EdgeKey, GraphIndex, graph_index




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
              exposed_m: np.ndarray | None = None, delay_s: np.ndarray | float | None = None) -> None:
        """Record an event on edge positions `ids` (unique): closure, exposure (`exposed_m` metres of each
        edge under fire), added delay."""
        A = self.arrays
        A.marked[ids] = True
        if closed:
            A.closed[ids] = True
        if exposure:
            lengths = self.index.lengths[ids] if exposed_m is None else exposed_m
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


def _mark_node(layer: StatusLayer, node: Hashable, event: Event, delay_s: float) -> None:
    st = layer.nodes.setdefault(node, NodeStatus())
    st.statuses.add(event.status)
    if event.id not in st.event_ids:
        st.event_ids.append(event.id)
        st.delay_s = max(st.delay_s, delay_s)  # one queue: the longest reported wait, not a sum


def apply(G: nx.MultiDiGraph, events: Iterable[Event], as_of: date, *, gazetteer: Gazetteer | None = None,
          defaults: StatusDefaults = DEFAULTS) -> StatusLayer:
    """Mark G with the statuses of the events in force on `as_of` (G is not copied or changed)."""
    gaz = gazetteer or default_gazetteer()
    active = sorted(events_in_force(events, as_of, defaults), key=lambda e: (e.valid_from, e.id))
    layer = StatusLayer(G, as_of, {e.id: e for e in active}, defaults=defaults)
    idx = layer.index
    for event, fp in zip(active, footprints(G, active, gaz, defaults)):
        status = event.status
        if status == "closed":
            layer._mark(fp.ids, event, closed=True)
        elif status in EXPOSURE_STATUSES:
            layer._mark(fp.ids, event, exposure=status, exposed_m=fp.exposed_m)
        elif status in ("congested", "checkpoint"):
            delay_s = 3600.0 * (event.delay_h if event.delay_h is not None else defaults.delay_h[status])
            if event.target_kind == "road":  # a jam along a road: its delay spread over its length
                layer._mark(fp.ids, event, delay_s=delay_s * _shares(idx, fp.ids))
            else:
                if fp.node is not None:
                    _mark_node(layer, fp.node, event, delay_s)
                layer._mark(fp.ids, event)
        elif status in ("besieged", "curfew"):
            if status == "besieged":  # the exits of a besieged area are cut; movement inside goes on
                layer._mark(fp.exits, event, closed=True)
            else:  # a curfew holds traffic at the edge of the area until it lifts
                hours = event.delay_h if event.delay_h is not None else defaults.delay_h["curfew"]
                layer._mark(fp.exits, event, delay_s=3600.0 * hours)
            layer._mark(np.setdiff1d(fp.ids, fp.exits, assume_unique=True), event)
        else:  # open, corridor: recorded for the map and the evidence, no cost
            layer._mark(fp.ids, event)
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
