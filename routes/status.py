"""Statuses on the graph as of a date: which edges are closed, exposed or delayed, and by which events.

`apply(G, events, as_of)` leaves G untouched and returns a `StatusLayer`: per-edge and per-node
records listing the event ids that set them, plus the weight functions routing uses. Defaults
(radius of a point event, how long a report with no end date stays in force, the delay of a jam
with no figure) are documented in `DEFAULTS` and can be overridden per call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Callable, Hashable, Iterable

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import Point, shape

from gazetteer.store import Gazetteer, default_gazetteer
from routes.events import Event, in_force
from routes.targets import EdgeKey, edges_in_area, edges_near, metres_to_degrees, nearest_node, road_edges


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
class StatusLayer:
    """The statuses of a graph as of one date; G itself is not modified."""

    graph: nx.MultiDiGraph
    as_of: date
    events: dict[str, Event]
    edges: dict[EdgeKey, EdgeStatus] = field(default_factory=dict)
    nodes: dict[Hashable, NodeStatus] = field(default_factory=dict)
    defaults: StatusDefaults = DEFAULTS

    def edge(self, u: Hashable, v: Hashable, k: int) -> EdgeStatus | None:
        return self.edges.get((u, v, k))

    def is_closed(self, u: Hashable, v: Hashable, k: int) -> bool:
        st = self.edges.get((u, v, k))
        return bool(st and st.closed)

    def exposure_m(self, u: Hashable, v: Hashable, k: int) -> float:
        st = self.edges.get((u, v, k))
        return st.exposure_m if st else 0.0

    def edge_cost(self, u: Hashable, v: Hashable, k: int, *, risk: bool = False, ignore_closed: bool = False) -> float | None:
        """Seconds to traverse (u, v, k) with delays (and risk cost when asked); None when closed."""
        st = self.edges.get((u, v, k))
        if st and st.closed and not ignore_closed:
            return None
        cost = float(self.graph._adj[u][v][k]["travel_time"])  # direct look-up: the views cost more than the sum
        if st:
            cost += st.delay_s + (st.risk_s if risk else 0.0)
        node = self.nodes.get(v)
        if node:
            cost += node.delay_s
        return cost

    def touched_pairs(self) -> set[tuple[Hashable, Hashable]]:
        """The (u, v) pairs with at least one edge carrying a status; kept until the layer gains edges."""
        cached = self.__dict__.get("_touched")
        if cached is None or cached[0] != len(self.edges):
            cached = self.__dict__["_touched"] = (len(self.edges), {(u, v) for u, v, _ in self.edges})
        return cached[1]

    def weight(self, *, risk: bool = False, ignore_closed: bool = False) -> Callable[[Any, Any, dict], float | None]:
        """A networkx weight function over this layer (the cheapest parallel edge; None hides closed ones)."""
        touched = self.touched_pairs()
        delayed = self.nodes.keys()
        if not touched and not delayed:  # nothing in force: the plain travel-time weight
            return _plain_travel_time

        def w(u: Any, v: Any, keyed: dict) -> float | None:
            if (u, v) not in touched and v not in delayed:  # most edges carry no status: plain travel time
                return min(d["travel_time"] for d in keyed.values())
            costs = [c for k in keyed if (c := self.edge_cost(u, v, k, risk=risk, ignore_closed=ignore_closed)) is not None]
            return min(costs) if costs else None
        return w

    def closed_edges(self) -> list[EdgeKey]:
        return [e for e, st in self.edges.items() if st.closed]


def _plain_travel_time(u: Any, v: Any, keyed: dict) -> float:
    return min(d["travel_time"] for d in keyed.values())


def effective_end(event: Event, defaults: StatusDefaults = DEFAULTS) -> date:
    """The last day an event is taken to be in force (its `valid_to`, else the status default)."""
    if event.end is not None:
        return event.end
    return event.start + timedelta(days=defaults.in_force_days.get(event.status, 7))


def events_in_force(events: Iterable[Event], as_of: date, defaults: StatusDefaults = DEFAULTS) -> list[Event]:
    return [e for e in events if in_force(e, as_of, effective_end(e, defaults))]


def _edge_data(G: nx.MultiDiGraph, key: EdgeKey) -> dict:
    """An edge's attribute dict by direct look-up (G.edges[key] builds a view per call: too slow at scale)."""
    u, v, k = key
    return G._adj[u][v][k]


def _mark(layer: StatusLayer, edges: Iterable[EdgeKey], event: Event, **changes: Any) -> None:
    edges = list(edges)
    exposure = changes.get("exposure")
    exposed = _exposed_lengths(layer.graph, edges, changes.get("zone")) if exposure else None
    risk_per_km = layer.defaults.risk_per_km.get(exposure, 0.0)
    closes, status, event_id, statuses = bool(changes.get("closed")), event.status, event.id, layer.edges
    for i, key in enumerate(edges):
        st = statuses.get(key)
        if st is None:
            st = statuses[key] = EdgeStatus()
        st.statuses.add(status)
        if event_id not in st.event_ids:
            st.event_ids.append(event_id)
        if closes:
            st.closed = True
        if exposed is not None:
            length = float(exposed[i])
            if length > st.exposure_m:
                st.risk_s += (length - st.exposure_m) / 1000 * risk_per_km
                st.exposure_m = length
            st.exposure.add(exposure)


def _exposed_lengths(G: nx.MultiDiGraph, edges: list[EdgeKey], zone: Any) -> np.ndarray:
    """Metres of each edge inside the zone (the whole edge without a zone), for all edges at once.

    Edges the zone covers entirely count in full; only those crossing its rim are intersected."""
    data = [_edge_data(G, key) for key in edges]
    lengths = np.array([float(d.get("length", 0.0)) for d in data])
    if zone is None or not edges:
        return lengths
    geoms = np.array([d["geometry"] for d in data], dtype=object)
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


def target_edges(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS) -> list[EdgeKey]:
    """The edges an event's target covers on this graph."""
    if event.target_kind == "road" and event.road_id and event.road_id in gazetteer.by_id:
        return road_edges(G, gazetteer.get(event.road_id), gazetteer, event.between or None, event.one_way)
    geom = shape(event.geometry)
    if event.target_kind == "area" and geom.geom_type in ("Polygon", "MultiPolygon"):
        return edges_in_area(G, geom)
    c = geom.centroid if not isinstance(geom, Point) else geom
    radius = event.radius_m or defaults.radius_m.get(event.status, 1000)
    return edges_near(G, c.x, c.y, radius)


def _zone(event: Event, defaults: StatusDefaults) -> Any:
    """The exposed zone of a point or area event (None for a road event: the whole road is exposed)."""
    if event.target_kind == "road":
        return None
    geom = shape(event.geometry)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    c = geom.centroid
    return c.buffer(metres_to_degrees(event.radius_m or defaults.radius_m.get(event.status, 1000), c.y))


def _boundary_edges(G: nx.MultiDiGraph, edges: list[EdgeKey], area: Any) -> list[EdgeKey]:
    """Edges leaving or entering an area: one end inside, the other outside (the exits of a siege)."""
    if not edges:
        return []
    ends = list({n for u, v, _ in edges for n in (u, v)})
    xy = np.array([(G._node[n]["x"], G._node[n]["y"]) for n in ends])
    inside = dict(zip(ends, shapely.contains_xy(area, xy[:, 0], xy[:, 1])))
    return [(u, v, k) for u, v, k in edges if inside[u] != inside[v]]


def _exempt(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> list[EdgeKey]:
    """Bridges and tunnels are exempt from area closures (they pass over or under the area)."""
    def structural(d: dict) -> bool:
        return any(str(d.get(t, "no")).lower() not in ("no", "nan", "none", "false") for t in ("bridge", "tunnel")
                   if t in d)
    return [e for e in edges if not structural(_edge_data(G, e))]


def apply(G: nx.MultiDiGraph, events: Iterable[Event], as_of: date, *, gazetteer: Gazetteer | None = None,
          defaults: StatusDefaults = DEFAULTS) -> StatusLayer:
    """Mark G with the statuses of the events in force on `as_of` (G is not copied or changed)."""
    gaz = gazetteer or default_gazetteer()
    active = events_in_force(events, as_of, defaults)
    layer = StatusLayer(G, as_of, {e.id: e for e in active}, defaults=defaults)
    for event in sorted(active, key=lambda e: (e.valid_from, e.id)):
        edges = target_edges(G, event, gaz, defaults)
        status = event.status
        if status == "closed":
            if event.target_kind == "area":
                edges = _exempt(G, edges)
            _mark(layer, edges, event, closed=True)
        elif status in EXPOSURE_STATUSES:
            _mark(layer, edges, event, exposure=status, zone=_zone(event, defaults))
        elif status in ("congested", "checkpoint"):
            delay_s = 3600.0 * (event.delay_h if event.delay_h is not None else defaults.delay_h[status])
            geom = shape(event.geometry)
            if event.target_kind == "road":
                _mark(layer, edges, event)
                for key, share in _shares(G, edges).items():  # a jam along a road: its delay spread over its length
                    layer.edges[key].delay_s += delay_s * share
            else:
                c = geom.centroid
                node, dist = nearest_node(G, c.x, c.y)
                if dist <= (event.radius_m or defaults.radius_m[status]) * 2:
                    _mark_node(layer, node, event, delay_s)
                _mark(layer, edges, event)
        elif status in ("besieged", "curfew"):
            geom = shape(event.geometry)
            inner = _exempt(G, edges)
            area = geom if geom.geom_type in ("Polygon", "MultiPolygon") else geom.buffer(0.0)
            exits = _boundary_edges(G, inner, area) if not area.is_empty else []
            if status == "besieged":  # the exits of a besieged area are cut; movement inside goes on
                _mark(layer, exits, event, closed=True)
            else:  # a curfew holds traffic at the edge of the area until it lifts
                _mark(layer, exits, event)
                hours = event.delay_h if event.delay_h is not None else defaults.delay_h["curfew"]
                for key in exits:
                    layer.edges[key].delay_s += 3600.0 * hours
            exit_set = set(exits)
            _mark(layer, [e for e in edges if e not in exit_set], event)
        else:  # open, corridor: recorded for the map and the evidence, no cost
            _mark(layer, edges, event)
    return layer


def _shares(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> dict[EdgeKey, float]:
    """Each edge's share of the road's length in one direction (so a jam's delay is counted once per trip)."""
    forward = [e for e in edges if not _edge_data(G, e).get("reversed")] or edges
    total = sum(float(_edge_data(G, e).get("length", 0.0)) for e in forward) or 1.0
    return {e: float(_edge_data(G, e).get("length", 0.0)) / total for e in edges}


def with_overrides(events: list[Event], *, reopen: Iterable[str] = (), close: Iterable[Event] = ()) -> list[Event]:
    """A what-if copy of the events: some reopened (dropped), some closures added."""
    gone = set(reopen)
    return [e for e in events if e.id not in gone] + [replace(e) for e in close]
