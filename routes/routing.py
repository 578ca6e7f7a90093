"""The questions users ask of a marked graph: is there a way from A to B, which, how exposed, and if
not, which closures cut it. (How many exits a place has is `routes.exits`.)

Plain functions over a networkx graph and a `StatusLayer`; answers are JSON-ready dicts.
"""

from __future__ import annotations

import math
from typing import Any, Hashable, Iterable

import networkx as nx

from gazetteer.place import Place
from routes.places import place_node, places_along
from routes.status import StatusLayer
from routes.targets import EdgeKey

EXPOSURE_WEIGHT_S_PER_M = 10.0  # least-exposed: a metre under fire costs as much as 10 s of driving
ALTERNATIVE_PENALTY = 1.4  # each alternative makes the edges of the previous one this much dearer


def _best_key(layer: StatusLayer, u: Hashable, v: Hashable, *, risk: bool = False, ignore_closed: bool = False) -> int | None:
    """The parallel edge a route would take between u and v (the cheapest passable one)."""
    best, cost = None, math.inf
    for k in layer.graph[u][v]:
        c = layer.edge_cost(u, v, k, risk=risk, ignore_closed=ignore_closed)
        if c is not None and c < cost:
            best, cost = k, c
    return best


def describe_route(layer: StatusLayer, nodes: list[Hashable], label: str, *, ignore_closed: bool = False) -> dict[str, Any]:
    """Travel time with delays, length, exposure, places passed, roads, events and geometry of a node path."""
    G = layer.graph
    time_s = delay_s = length = exposure = 0.0
    event_ids: list[str] = []
    coords: list[list[float]] = []
    roads: list[str] = []
    edges: list[list[Any]] = []
    for u, v in zip(nodes, nodes[1:]):
        k = _best_key(layer, u, v, ignore_closed=ignore_closed)
        d = G[u][v][k]
        edges.append([u, v, k])
        cost = layer.edge_cost(u, v, k, ignore_closed=True) or 0.0
        time_s += cost
        delay_s += cost - float(d["travel_time"])
        length += float(d.get("length", 0.0))
        exposure += layer.exposure_m(u, v, k)
        for eid in (layer.edges.get((u, v, k)) or _NO).event_ids + (layer.nodes.get(v) or _NO).event_ids:
            if eid not in event_ids:
                event_ids.append(eid)
        road = _road_label(d)
        if road and (not roads or roads[-1] != road):
            roads.append(road)
        pts = [[round(x, 5), round(y, 5)] for x, y in d["geometry"].coords]
        coords.extend(pts if not coords else pts[1:])
    named = [G.nodes[n]["name"] for n in nodes if isinstance(G.nodes[n].get("name"), str)]
    # nodes that are places (the schematic corridor) name the route; junctions of a real extract do not
    via = named if len(named) * 2 >= len(nodes) else places_along(coords)
    return {"label": label, "travel_time_s": round(time_s, 1), "delay_s": round(delay_s, 1), "length_m": round(length, 1),
            "exposure_m": round(exposure, 1), "via": via, "roads": roads, "event_ids": event_ids, "edges": edges,
            "geometry": {"type": "LineString", "coordinates": coords}}


class _Empty:
    event_ids: list[str] = []


_NO = _Empty()


def _road_label(d: dict) -> str | None:
    name, ref = d.get("name"), d.get("ref")
    name = name[0] if isinstance(name, list) else name
    ref = ref[0] if isinstance(ref, list) else ref
    parts = [p for p in (ref if isinstance(ref, str) and not str(ref).startswith("SCH-") else None,
                         name if isinstance(name, str) else None) if p]
    return " ".join(parts) if parts else None


def _pareto(routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Routes not beaten on both travel time and exposure by another."""
    out = []
    for r in routes:
        dominated = any(o is not r and o["travel_time_s"] <= r["travel_time_s"] and o["exposure_m"] <= r["exposure_m"]
                        and (o["travel_time_s"] < r["travel_time_s"] or o["exposure_m"] < r["exposure_m"]) for o in routes)
        if not dominated:
            out.append(r)
    return sorted(out, key=lambda r: r["travel_time_s"])


def find_routes(layer: StatusLayer, origin: Place, destination: Place, *, k: int = 3) -> dict[str, Any]:
    """Is there a way from origin to destination as of the layer's date; which; and what blocks it if not.

    Routes: the fastest (travel time with delays), the least exposed (metres under fire first), and
    the Pareto set between them (time vs exposed metres) drawn from time/exposure trade-offs and
    penalised alternatives: a handful of Dijkstra runs, so it scales to city-size graphs.
    """
    G = layer.graph
    s, t = place_node(G, origin), place_node(G, destination)
    answer: dict[str, Any] = {"as_of": layer.as_of.isoformat(), "from": place_ref(origin), "to": place_ref(destination)}
    try:
        fastest_nodes = nx.shortest_path(G, s, t, weight=layer.weight())
    except nx.NetworkXNoPath:
        fastest_nodes = None
    answer["usual_route_closures"] = _closures_on_usual_route(layer, s, t)
    if fastest_nodes is None:
        answer.update(viable=False, routes=[], **blocking_closures(layer, s, t))
        return answer
    fastest = describe_route(layer, fastest_nodes, "fastest")
    exposed = bool(layer.arrays.exposed.any())
    least = describe_route(layer, nx.shortest_path(G, s, t, weight=_cost_weight(layer, EXPOSURE_WEIGHT_S_PER_M)),
                           "least-exposed") if exposed else fastest
    candidates = [fastest, least]
    for per_m in ((0.1, 1.0) if exposed else ()):
        candidates.append(describe_route(layer, nx.shortest_path(G, s, t, weight=_cost_weight(layer, per_m)), "alternative"))
    penalty: dict[tuple[Any, Any], float] = {}
    last = fastest
    for _ in range(max(k, 2)):
        for u, v, _k in last["edges"]:
            penalty[(u, v)] = penalty.get((u, v), 1.0) * ALTERNATIVE_PENALTY
            penalty[(v, u)] = penalty.get((v, u), 1.0) * ALTERNATIVE_PENALTY
        last = describe_route(layer, nx.shortest_path(G, s, t, weight=_cost_weight(layer, 0.0, penalty)), "alternative")
        candidates.append(last)
    unique: list[dict[str, Any]] = []
    for c in candidates:
        if all(c["edges"] != u["edges"] for u in unique):
            unique.append(c)
    routes = [fastest] + ([least] if least["edges"] != fastest["edges"] else [])
    for r in _pareto(unique):
        if all(r["edges"] != o["edges"] for o in routes) and len(routes) < k + 1:
            routes.append(dict(r, label="pareto"))
    answer.update(viable=True, routes=routes, blocking=[], restored_route=None)
    return answer


def _cost_weight(layer: StatusLayer, per_exposed_m: float, penalty: dict | None = None):
    """Travel time with delays, plus `per_exposed_m` seconds per exposed metre, times a route penalty."""
    base = layer.weight()
    exposed = layer.exposed_pairs()

    def w(u: Any, v: Any, keyed: dict) -> float | None:
        if per_exposed_m and (u, v) in exposed:
            costs = [c + per_exposed_m * layer.exposure_m(u, v, kk) for kk in keyed
                     if (c := layer.edge_cost(u, v, kk)) is not None]
            cost = min(costs) if costs else None
        else:
            cost = base(u, v, keyed)
        if cost is not None and penalty:
            cost *= penalty.get((u, v), 1.0)
        return cost
    return w


def place_ref(p: Place) -> dict[str, Any]:
    """A place as answers name it: id, name, kind and position."""
    return {"id": p.id, "name": p.name, "kind": p.kind, "lat": round(p.lat, 5), "lon": round(p.lon, 5)}


def segment_record(layer: StatusLayer, edge: EdgeKey) -> dict[str, Any]:
    """A segment as users read it: road, ends, length, and the events (with their evidence) on it."""
    G = layer.graph
    u, v, k = edge
    d = G.edges[edge]
    st = layer.edges.get(edge)
    ids = st.event_ids if st else []
    return {"edge": [u, v, k], "road": _road_label(d), "from": G.nodes[u].get("name"), "to": G.nodes[v].get("name"),
            "length_m": round(float(d.get("length", 0.0)), 1), "event_ids": ids,
            "events": [_event_brief(layer.events[i]) for i in ids if i in layer.events]}


def _event_brief(e: Any) -> dict[str, Any]:
    ev = e.evidence[0] if e.evidence else None
    src = e.source[0] if e.source else None
    return {"id": e.id, "status": e.status, "target": e.target_name, "valid_from": e.valid_from, "valid_to": e.valid_to,
            "publisher": src.publisher if src else None, "published": src.published if src else None,
            "evidence": ev.sentence if ev else None}


def _group_pairs(layer: StatusLayer, edges: Iterable[EdgeKey]) -> list[dict[str, Any]]:
    """One record per road segment (both directions of a two-way road count once)."""
    seen: set[frozenset] = set()
    out = []
    for e in edges:
        pair = frozenset((e[0], e[1]))
        if pair in seen:
            continue
        seen.add(pair)
        out.append(segment_record(layer, e))
    return out


def _closures_on_usual_route(layer: StatusLayer, s: Hashable, t: Hashable) -> list[dict[str, Any]]:
    """Closed segments on the route one would take with no events at all (what the answer works around)."""
    try:
        usual = nx.shortest_path(layer.graph, s, t, weight="travel_time")
    except nx.NetworkXNoPath:
        return []
    closed = []
    for u, v in zip(usual, usual[1:]):
        k = min(layer.graph[u][v], key=lambda kk: layer.graph[u][v][kk]["travel_time"])
        if layer.is_closed(u, v, k):
            closed.append((u, v, k))
    return _group_pairs(layer, closed)


def blocking_closures(layer: StatusLayer, s: Hashable, t: Hashable) -> dict[str, Any]:
    """The smallest set of closed segments whose reopening restores a route, and the route it gives.

    A shortest path where each closed road segment costs one and open road costs (almost) nothing:
    the closed segments on it are the fewest that must reopen; ties go to the faster route.
    """
    G = layer.graph
    tiny = 1e-7

    def reopen_cost(u: Any, v: Any, keyed: dict) -> float:
        return min((1.0 if layer.is_closed(u, v, k) else 0.0) + tiny * float(d["travel_time"]) for k, d in keyed.items())

    try:
        nodes = nx.shortest_path(G, s, t, weight=reopen_cost)
    except nx.NetworkXNoPath:
        return {"blocking": [], "restored_route": None,
                "note": "no route even with every closure reopened: the network does not connect these places"}
    cut = []
    for u, v in zip(nodes, nodes[1:]):
        k = min(G[u][v], key=lambda kk: ((1.0 if layer.is_closed(u, v, kk) else 0.0), G[u][v][kk]["travel_time"]))
        if layer.is_closed(u, v, k):
            cut.append((u, v, k))
    reopened = layer.reopened(cut)
    return {"blocking": _group_pairs(layer, cut), "restored_route": describe_route(reopened, nodes, "restored")}
