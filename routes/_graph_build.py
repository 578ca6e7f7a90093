"""Turn OSM elements (nodes with coordinates, ways with node lists) into an osmnx-style MultiDiGraph.

Loaders that do not go through osmnx's own XML reader (PBF, Overpass JSON, road layers) produce
plain node and way records; this module builds the graph the way osmnx does (one straight edge
per consecutive node pair, both directions unless one-way) and then every loader, osmnx's
included, passes through `finish_graph`, so all sources give edges with the same attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx
import osmnx as ox
from shapely.geometry import LineString

from routes._osm_tags import (
    DEFAULT_SPEEDS_KPH, NODE_TAGS, ONEWAY_REVERSE, ONEWAY_TRUE, WAY_TAGS, keeps_highway,
)
from routes.errors import RoutesError

WGS84 = "EPSG:4326"


@dataclass
class OsmNode:
    """A node: id, WGS84 position and the tags worth keeping."""

    id: int
    lon: float
    lat: float
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class OsmWay:
    """A way: id, ordered node ids and tags."""

    id: int
    refs: list[int]
    tags: dict[str, str]


def _is_oneway(tags: dict[str, str]) -> tuple[bool, bool]:
    """(one-way?, drawn against its node order?) following osmnx's reading of `oneway`/`junction`."""
    value = str(tags.get("oneway", "")).lower()
    if value in ONEWAY_REVERSE:
        return True, True
    if value in ONEWAY_TRUE:
        return True, False
    if value == "no":
        return False, False
    return tags.get("junction") in {"roundabout", "circular"}, False


def graph_from_elements(nodes: dict[int, OsmNode], ways: Iterable[OsmWay], source: str) -> nx.MultiDiGraph:
    """Build an unsimplified MultiDiGraph from node and way records (ways with missing nodes are cut there).

    The same shape osmnx gives an OSM XML file: one straight edge per consecutive node pair, both
    directions unless the way is one-way, `osmid`, `oneway`, `reversed` and great-circle `length`.
    """
    G = nx.MultiDiGraph(crs=WGS84)
    for way in ways:
        oneway, backwards = _is_oneway(way.tags)
        refs = [r for r in way.refs if r in nodes]
        if backwards:
            refs = refs[::-1]
        attrs = {k: way.tags[k] for k in WAY_TAGS if k in way.tags}
        attrs["osmid"] = way.id
        attrs["oneway"] = oneway
        for u, v in zip(refs, refs[1:]):
            if u == v:
                continue
            G.add_edge(u, v, **attrs, reversed=False)
            if not oneway:
                G.add_edge(v, u, **attrs, reversed=True)
    if G.number_of_edges() == 0:
        raise RoutesError(f"{source}: no roads found (no way with a highway tag and known nodes)")
    for n, data in G.nodes(data=True):
        nd = nodes[n]
        data.update(x=nd.lon, y=nd.lat, **{k: nd.tags[k] for k in NODE_TAGS if k in nd.tags})
    return ox.distance.add_edge_lengths(G)


def finish_graph(G: nx.MultiDiGraph, *, source: str, network_type: str, simplify: bool = True) -> nx.MultiDiGraph:
    """Keep the network type's roads, simplify, add speeds, travel times and edge geometries; label the source."""
    drop = [(u, v, k) for u, v, k, h in G.edges(keys=True, data="highway") if not keeps_highway(h, network_type)]
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    if len(G) == 0:
        raise RoutesError(f"{source}: no roads of network type {network_type!r}")
    if simplify and not G.graph.get("simplified"):
        G = ox.simplify_graph(G, node_attrs_include=["name", "place", "barrier", "military"])
    G = ox.add_edge_speeds(G, hwy_speeds=DEFAULT_SPEEDS_KPH, fallback=40)
    G = ox.add_edge_travel_times(G)
    for u, v, data in G.edges(data=True):
        if "geometry" not in data:
            data["geometry"] = LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
    G.graph["source"] = source
    G.graph["network_type"] = network_type
    G.graph.setdefault("crs", WGS84)
    return G
