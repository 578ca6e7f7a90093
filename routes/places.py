"""From a place a user names to graph nodes: the node nearest a point, or every node inside an area."""

from __future__ import annotations

import weakref
from typing import Hashable

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree
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


VIA_KINDS = ("settlement", "neighbourhood", "landmark", "checkpoint", "border_crossing")
VIA_WITHIN_M = 1500.0  # a route "passes" a place that comes this close to it
_VIA_INDEX: "weakref.WeakKeyDictionary[Gazetteer, tuple[int, cKDTree, list[Place]]]" = weakref.WeakKeyDictionary()


def _km_xy(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Equirectangular kilometres: good enough to find places within a couple of kilometres."""
    return np.column_stack([lon * 111.32 * np.cos(np.radians(lat)), lat * 110.54])


def places_along(coords: list[list[float]], gazetteer: Gazetteer | None = None, within_m: float = VIA_WITHIN_M) -> list[str]:
    """Names of the gazetteer places a route passes within `within_m` of, in the order it passes them.

    For graphs whose nodes are not places (real OSM extracts: nodes are junctions), this is what
    "via" can say; the schematic corridor's nodes carry place names themselves."""
    g = gazetteer or default_gazetteer()
    cached = _VIA_INDEX.get(g)
    if cached is None or cached[0] != len(g.by_id):
        places = [p for p in g.by_id.values() if p.kind in VIA_KINDS]
        xy = _km_xy(np.array([p.lon for p in places]), np.array([p.lat for p in places])) if places else np.zeros((0, 2))
        cached = _VIA_INDEX[g] = (len(g.by_id), cKDTree(xy), places)
    _, tree, places = cached
    if not coords or not places:
        return []
    pts = np.asarray(coords, dtype=float)
    dist, idx = tree.query(_km_xy(pts[:, 0], pts[:, 1]), distance_upper_bound=within_m / 1000.0)
    names: list[str] = []
    for d, i in zip(dist, idx):
        if np.isfinite(d) and places[i].name not in names:
            names.append(places[i].name)
    return names
