"""From a place a user names to graph nodes: the node nearest a point, or every node inside an area."""

from __future__ import annotations

from typing import Hashable

import networkx as nx
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from gazetteer.place import Candidate, Place
from gazetteer.store import Gazetteer, default_gazetteer
from routes.errors import RoutesError
from routes.targets import metres_to_degrees, nearest_node

MAX_SNAP_M = 25_000  # a place further than this from every road is not on this graph


class UnknownPlace(RoutesError):
    """A name the gazetteer cannot resolve; carries the nearest candidates for the error message."""

    def __init__(self, name: str, candidates: list[Candidate]):
        self.name, self.candidates = name, candidates
        hint = "; did you mean: " + ", ".join(f"{c.place.name} ({c.place.kind}, {c.score:.0f})" for c in candidates[:5]) if candidates else ""
        super().__init__(f"unknown place {name!r}{hint}")


def resolve_place(name: str, gazetteer: Gazetteer | None = None) -> Place:
    """The best gazetteer entry for a name a user typed, or UnknownPlace with candidates."""
    g = gazetteer or default_gazetteer()
    if name in g.by_id:
        return g.get(name)
    cands = g.lookup(name)
    stripped = name.strip()
    if not cands or cands[0].score < 90:
        raise UnknownPlace(stripped, g.lookup(stripped, limit=5) if cands else [])
    return cands[0].place


def area_radius_m(place: Place) -> float:
    """The radius of a place taken as an area when it has no polygon: by size."""
    if place.kind == "country":
        return 300_000
    if place.population >= 1_000_000:
        return 8_000
    if place.population >= 100_000:
        return 4_000
    return 2_000


def place_area(place: Place) -> BaseGeometry:
    """The place's polygon, or a disc of `area_radius_m` around its point."""
    if place.geometry and place.geometry.get("type") in ("Polygon", "MultiPolygon"):
        return shape(place.geometry)
    return Point(place.lon, place.lat).buffer(metres_to_degrees(area_radius_m(place), place.lat))


def place_node(G: nx.MultiDiGraph, place: Place) -> Hashable:
    """The graph node standing for a place (nearest to its point); an error when the graph does not reach it."""
    node, dist = nearest_node(G, place.lon, place.lat)
    if dist > MAX_SNAP_M:
        raise RoutesError(f"{place.name} is {dist / 1000:.0f} km from the nearest road of this network")
    return node


def area_nodes(G: nx.MultiDiGraph, place: Place) -> list[Hashable]:
    """Every node inside the place's area, or its nearest node when none is inside."""
    area = place_area(place)
    minx, miny, maxx, maxy = area.bounds
    inside = [n for n, d in G.nodes(data=True)
              if minx <= d["x"] <= maxx and miny <= d["y"] <= maxy and area.contains(Point(d["x"], d["y"]))]
    return inside or [place_node(G, place)]
