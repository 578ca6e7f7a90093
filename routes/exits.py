"""How many independent ways lead out of a place, and which segments would cut it off.

The marked graph is reduced once to arrays: one arc per node pair with a passable edge, costed by
its cheapest such edge. Reach comes from one multi-source Dijkstra, the minimum cut from one
maximum flow (scipy's sparse-graph routines, in compiled code), and the cut segments are ranked by
re-running Dijkstra only for those on a route actually used: losing any other changes no answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Hashable

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import breadth_first_order, dijkstra, maximum_flow

from gazetteer.place import Place
from routes.places import area_nodes, place_node
from routes.routing import place_ref, segment_record
from routes.status import StatusLayer
from routes.targets import EdgeKey

MAX_RANKED = 8  # cut segments whose loss is measured one by one (each costs a Dijkstra run)
_MIN_COST_S = 1e-6  # a zero-length edge still counts as an edge in the sparse matrix


@dataclass
class PassablePairs:
    """One arc per ordered node pair with a passable edge: its cheapest edge, that edge's cost and every
    passable parallel edge (so losing one of two parallel roads does not cut the pair)."""

    nodes: list[Hashable]
    index: dict[Hashable, int]
    u: np.ndarray
    v: np.ndarray
    cost: np.ndarray
    keys: list[list[tuple[float, int]]]  # per arc: (cost, key) of each passable parallel edge, cheapest first

    @classmethod
    def of(cls, layer: StatusLayer) -> "PassablePairs":
        G = layer.graph
        nodes = list(G.nodes)
        index = {n: i for i, n in enumerate(nodes)}
        touched = layer.touched_pairs()
        delayed = layer.nodes.keys()
        us, vs, costs, keys = [], [], [], []
        for u, nbrs in G._adj.items():
            iu = index[u]
            for v, keyed in nbrs.items():
                if (u, v) in touched or v in delayed:
                    options = sorted((c, k) for k in keyed if (c := layer.edge_cost(u, v, k)) is not None)
                elif len(keyed) == 1:  # most pairs: one edge, no status
                    k, d = next(iter(keyed.items()))
                    options = [(float(d["travel_time"]), k)]
                else:
                    options = sorted((float(d["travel_time"]), k) for k, d in keyed.items())
                if options and u != v:
                    us.append(iu)
                    vs.append(index[v])
                    costs.append(options[0][0])
                    keys.append(options)
        return cls(nodes, index, np.array(us, dtype=np.int64), np.array(vs, dtype=np.int64),
                   np.maximum(np.array(costs, dtype=float), _MIN_COST_S), keys)

    @cached_property
    def _arc_ids(self) -> csr_matrix:
        """Arc index + 1 at (u, v); 0 where there is no arc."""
        return csr_matrix((np.arange(1, len(self.u) + 1), (self.u, self.v)), shape=(len(self.nodes), len(self.nodes)))

    def arc(self, u: int, v: int) -> int | None:
        """The index of the arc from node index u to v, if there is one."""
        i = int(self._arc_ids[u, v])
        return i - 1 if i else None

    def matrix(self, cost: np.ndarray | None = None) -> csr_matrix:
        """The pairs as a sparse cost matrix (arcs with an infinite cost left out)."""
        cost = self.cost if cost is None else cost
        keep = np.isfinite(cost)
        n = len(self.nodes)
        return csr_matrix((cost[keep], (self.u[keep], self.v[keep])), shape=(n, n))


def exits(layer: StatusLayer, place: Place, destinations: list[Place]) -> dict[str, Any]:
    """From a place's area: which destinations are reachable, how many edge-disjoint exits reach any of
    them, and the minimum cut (the segments whose loss cuts the place off), ranked by how critical."""
    G = layer.graph
    pairs = PassablePairs.of(layer)
    sources = sorted({pairs.index[n] for n in area_nodes(G, place)})
    targets = {d.id: pairs.index[place_node(G, d)] for d in destinations}
    dist, pred = _reach(pairs.matrix(), sources)
    reach = {}
    for d in destinations:
        seconds = float(dist[targets[d.id]])
        reach[d.name] = {"reachable": math.isfinite(seconds), "travel_time_s": round(seconds, 1) if math.isfinite(seconds) else None}
    value, cut = _cut_nearest(pairs, set(sources), set(targets.values()))
    ranked = _rank_cut(layer, pairs, cut, sources, list(targets.values()), dist, pred)
    return {"as_of": layer.as_of.isoformat(), "place": place_ref(place), "destinations": [d.name for d in destinations],
            "reachable": reach, "independent_exits": value, "min_cut": ranked}


def _reach(M: csr_matrix, sources: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds from the nearest source to every node (inf when unreachable) and the shortest-path tree."""
    if not sources:
        n = M.shape[0]
        return np.full(n, math.inf), np.full(n, -9999)
    dist, pred, _ = dijkstra(M, indices=sources, min_only=True, return_predecessors=True)
    return dist, pred


def _cut_nearest(pairs: PassablePairs, sources: set[int], targets: set[int]) -> tuple[int, list[EdgeKey]]:
    """The number of edge-disjoint exits from the (contracted) sources to any target, and the minimum cut
    nearest the place (of several minimum cuts, the one with the fewest nodes on the place's side)."""
    if not sources or not (targets - sources):
        return 0, []
    n = len(pairs.nodes)
    src, snk = n, n + 1  # the place's area contracted to one node; one sink behind every destination
    a = np.where(np.isin(pairs.u, list(sources)), src, pairs.u)
    b = np.where(np.isin(pairs.v, list(sources)), src, pairs.v)
    arc = (a != b) & (b != src)  # roads inside the area, or back into it, are not exits
    a, b, which = a[arc], b[arc], np.flatnonzero(arc)
    big = len(a) + 1  # "infinite" capacity for the sink arcs
    far_ends = np.array(sorted(targets - sources), dtype=np.int64)
    rows = np.concatenate([a, far_ends])
    cols = np.concatenate([b, np.full(len(far_ends), snk)])
    caps = np.concatenate([np.ones(len(a), dtype=np.int32), np.full(len(far_ends), big, dtype=np.int32)])
    C = coo_matrix((caps, (rows, cols)), shape=(n + 2, n + 2)).tocsr()  # parallel arcs add up to their capacity
    C.sum_duplicates()
    C.sort_indices()
    flow = maximum_flow(C, src, snk)
    residual = (C - flow.flow).tocsr()
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    # what the place still reaches in the residual graph is its side of the cut nearest to it
    near = np.zeros(n + 2, dtype=bool)
    near[breadth_first_order(residual, src, directed=True, return_predecessors=False)] = True
    crossing = near[a] & ~near[b]
    cut = []
    for i in which[crossing]:  # each pair by the edge a route would take (capacity 1 per pair)
        cut.append((pairs.nodes[pairs.u[i]], pairs.nodes[pairs.v[i]], pairs.keys[i][0][1]))
    return int(flow.flow_value), cut


def _rank_cut(layer: StatusLayer, pairs: PassablePairs, cut: list[EdgeKey], sources: list[int], targets: list[int],
              dist: np.ndarray, pred: np.ndarray) -> list[dict[str, Any]]:
    """Rank cut segments by what losing each alone costs: destinations lost, then added travel time.

    A segment (both directions) that no route to a destination uses costs nothing to lose; only the
    others need a new Dijkstra run. Beyond MAX_RANKED such segments, the rest are listed by length."""
    used = _arcs_on_routes(pairs, pred, targets, set(sources))
    G = layer.graph
    out, rest, measured = [], [], 0
    for e in sorted(cut, key=lambda e: -float(G._adj[e[0]][e[1]][e[2]].get("length", 0.0))):
        u, v, k = e
        iu, iv = pairs.index[u], pairs.index[v]
        forward, back = pairs.arc(iu, iv), pairs.arc(iv, iu)
        rec = segment_record(layer, e)
        if forward not in used and back not in used:
            out.append(dict(rec, destinations_lost=0, added_time_s=0.0))
            continue
        if measured >= MAX_RANKED:
            rest.append(dict(rec, destinations_lost=None, added_time_s=None))
            continue
        measured += 1
        cost = pairs.cost.copy()
        if forward is not None:  # the next-cheapest parallel edge, if any, carries the pair
            others = [c for c, kk in pairs.keys[forward] if kk != k]
            cost[forward] = max(others[0], _MIN_COST_S) if others else math.inf
        if back is not None:
            cost[back] = math.inf
        after, _ = _reach(pairs.matrix(cost), sources)
        reachable = [t for t in targets if np.isfinite(dist[t])]
        lost = sum(1 for t in reachable if not np.isfinite(after[t]))
        extra = sum(float(after[t] - dist[t]) for t in reachable if np.isfinite(after[t]))
        out.append(dict(rec, destinations_lost=lost, added_time_s=round(extra, 1)))
    out.sort(key=lambda r: (-r["destinations_lost"], -r["added_time_s"]))
    return out + rest


def _arcs_on_routes(pairs: PassablePairs, pred: np.ndarray, targets: list[int], sources: set[int]) -> set[int]:
    """Indices of the arcs the shortest routes to the targets use."""
    used: set[int] = set()
    for t in targets:
        node = t
        while node not in sources and pred[node] >= 0:
            used.add(pairs.arc(int(pred[node]), node))
            node = int(pred[node])
    return used
