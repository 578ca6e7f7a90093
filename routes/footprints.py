"""Where each event acts on a graph: the edges its target covers, the metres of them inside its zone, the node
that takes a checkpoint's delay, the edges that leave a besieged area.

A footprint depends on the event and the graph only, not on other events, so the footprints of a batch are
worked out first and together: the edges near all point events in one numpy pass, the edges in all area
polygons in bulk tree queries shared by threads. The statuses are marked afterwards in report order
(`routes.status.apply`)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Hashable, Sequence

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from gazetteer.store import Gazetteer
from routes._segments import Circle, length_shares
from routes.defaults import DEFAULTS, EXITS_ONLY, EXPOSURE_STATUSES, StatusDefaults
from routes.events import Event
from routes.targets import (EdgeKey, GraphIndex, circle_around, edge_ids_in_area, edge_ids_in_each_area,
                            edge_ids_near, edge_ids_near_each, graph_index, nearest_node, path_edges, road_edges)


@dataclass
class Footprint:
    """Where one event acts: edge positions (sorted, unique) and what its status needs besides them."""

    ids: np.ndarray  # the edges the target covers; for a closed area, without its bridges and tunnels
    exposed_m: np.ndarray | None = None  # sniper, shelling: metres of each edge in `ids` inside the zone
    exits: np.ndarray | None = None  # besieged, curfew: the edges crossing the area's rim
    node: Hashable | None = None  # a jam or checkpoint at a point: the node that takes its delay


def target_ids(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS,
               roads: dict[tuple, np.ndarray] | None = None) -> np.ndarray:
    """Index positions (sorted, unique) of the edges an event's target covers on this graph.

    `roads` memoises road stretches for one batch of events: many reports name the same stretch."""
    if _on_known_road(event, gazetteer):
        return _road_ids(G, event, gazetteer, roads)
    return _spatial_ids(G, event, shape(event.geometry), defaults)


def target_edges(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS) -> list[EdgeKey]:
    """The edges an event's target covers on this graph."""
    return graph_index(G).keys(target_ids(G, event, gazetteer, defaults))


def footprint(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, defaults: StatusDefaults = DEFAULTS,
              roads: dict[tuple, np.ndarray] | None = None, *, geom: BaseGeometry | None = None,
              ids: np.ndarray | None = None) -> Footprint:
    """Where one event acts on G, with what its status needs (exposed metres, exits, delayed node).

    `geom` (the event's shape) and `ids` (the edges its target covers) may be passed when already known."""
    idx = graph_index(G)
    status, kind = event.status, event.target_kind
    geom = shape(event.geometry) if geom is None else geom  # a road event's too: a siege may name a road
    if ids is None:
        ids = _road_ids(G, event, gazetteer, roads) if _on_known_road(event, gazetteer) else _spatial_ids(G, event, geom, defaults)
    if status == "closed" and kind == "area":  # bridges and tunnels pass over or under a closed area
        ids = ids[~idx.structural[ids]]
        return Footprint(_boundary_ids(idx, ids, _as_area(geom)) if event.detail == EXITS_ONLY else ids)
    if status in EXPOSURE_STATUSES:
        return Footprint(ids, exposed_m=_exposed_lengths(idx, ids, None if kind == "road" else _zone(geom, event, defaults)))
    if status in ("congested", "checkpoint") and kind != "road":
        c = geom.centroid
        node, dist = nearest_node(G, c.x, c.y)
        return Footprint(ids, node=node if dist <= _radius(event, defaults) * 2 else None)
    if status in ("besieged", "curfew"):
        return Footprint(ids, exits=_boundary_ids(idx, ids[~idx.structural[ids]], _as_area(geom)))
    return Footprint(ids)


def footprints(G: nx.MultiDiGraph, events: Sequence[Event], gazetteer: Gazetteer,
               defaults: StatusDefaults = DEFAULTS, workers: int | None = None) -> list[Footprint]:
    """The footprint of each event, in the same order.

    Road events share one memo of road stretches. The edges of point and area events are found for all of
    them at once (area queries on `workers` threads, default one per core); the rest is per event."""
    geoms = [shape(event.geometry) for event in events]  # once per event: building shapes from GeoJSON is not free
    areas, spots = [], []
    for i, event in enumerate(events):
        if not _on_known_road(event, gazetteer):
            (areas if _is_area(event, geoms[i]) else spots).append(i)
    with ThreadPoolExecutor(1) as pool:  # GEOS answers the area queries while numpy measures the points
        in_areas = pool.submit(edge_ids_in_each_area, G, [geoms[i] for i in areas], workers or os.cpu_count() or 1)
        found = dict(zip(spots, edge_ids_near_each(G, [(*_centre(geoms[i]), _radius(events[i], defaults)) for i in spots])))
        found.update(zip(areas, in_areas.result()))
    roads: dict[tuple, np.ndarray] = {}
    return [footprint(G, event, gazetteer, defaults, roads, geom=geoms[i], ids=found.get(i))
            for i, event in enumerate(events)]


def _on_known_road(event: Event, gazetteer: Gazetteer) -> bool:
    """A road event whose road the gazetteer knows, or a road it lacks told by the two places it joins
    (`between`, both in the gazetteer: the path between them); else its geometry stands in for the target.
    A road between two towns mapped as a spot at its midpoint would close a stretch of nothing, or of
    another road that happens to pass there."""
    if event.target_kind != "road":
        return False
    if event.road_id:
        return event.road_id in gazetteer.by_id
    return len(event.between) == 2 and all(p in gazetteer.by_id for p in event.between)


def _road_ids(G: nx.MultiDiGraph, event: Event, gazetteer: Gazetteer, roads: dict[tuple, np.ndarray] | None) -> np.ndarray:
    key = (event.road_id, tuple(event.between or ()), bool(event.one_way))
    if roads is not None and key in roads:
        return roads[key]
    pos = graph_index(G).position
    if event.road_id:
        keys = road_edges(G, gazetteer.get(event.road_id), gazetteer, event.between or None, event.one_way)
    else:  # a road the gazetteer lacks: the shortest path between its two named ends
        keys = path_edges(G, gazetteer, list(event.between), event.one_way)
    ids = np.unique(np.array([pos[e] for e in keys], dtype=np.int64))
    if roads is not None:
        roads[key] = ids
    return ids


def _spatial_ids(G: nx.MultiDiGraph, event: Event, geom: BaseGeometry, defaults: StatusDefaults) -> np.ndarray:
    """Edges in an area event's polygon, or within a point event's radius of its point (or shape's centre)."""
    if _is_area(event, geom):
        return edge_ids_in_area(G, geom)
    return edge_ids_near(G, *_centre(geom), _radius(event, defaults))


def _is_area(event: Event, geom: BaseGeometry) -> bool:
    """An area event with a polygon acts inside it; any other spatial event acts around a point."""
    return event.target_kind == "area" and geom.geom_type in ("Polygon", "MultiPolygon")


def _centre(geom: BaseGeometry) -> tuple[float, float]:
    c = geom if isinstance(geom, Point) else geom.centroid
    return c.x, c.y


def _radius(event: Event, defaults: StatusDefaults) -> float:
    return event.radius_m or defaults.radius_m.get(event.status, 1000)


def _zone(geom: BaseGeometry, event: Event, defaults: StatusDefaults) -> Any:
    """The exposed zone of a point or area event: its polygon, or the circle of its radius."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return circle_around(*_centre(geom), _radius(event, defaults))


def _exposed_lengths(idx: GraphIndex, ids: np.ndarray, zone: Any) -> np.ndarray:
    """Metres of each edge inside the zone (the whole edge without a zone), for all edges at once.

    A circle (a point event) is measured in closed form over the edges' segments. For a polygon, edges it
    covers entirely count in full, and only those crossing its rim are cut at the rim."""
    lengths = idx.lengths[ids].copy()
    if zone is None or not len(ids):
        return lengths
    if isinstance(zone, Circle):
        return lengths * idx.segments.fraction_inside(ids, zone)
    geoms = idx.geoms[ids]
    shapely.prepare(zone)
    crossing = ~shapely.covers(zone, geoms)
    if crossing.any():
        share = idx.segments.fraction_inside_polygon(ids[crossing], zone)
        if share is None:  # a rim of many thousand edges: GEOS clips it faster
            part = geoms[crossing]
            share = length_shares(shapely.length(shapely.intersection(part, zone)), shapely.length(part))
        lengths[crossing] *= share
    return lengths


def _as_area(geom: BaseGeometry) -> BaseGeometry:
    """The polygon of an area event (a point or line has none: an empty polygon)."""
    return geom if geom.geom_type in ("Polygon", "MultiPolygon") else geom.buffer(0.0)


def _boundary_ids(idx: GraphIndex, ids: np.ndarray, area: Any) -> np.ndarray:
    """Edges leaving or entering an area: one end inside, the other outside (the exits of a siege)."""
    if not len(ids) or area.is_empty:
        return ids[:0]
    u, v = idx.node_xy[idx.edge_u[ids]], idx.node_xy[idx.edge_v[ids]]
    return ids[shapely.contains_xy(area, u[:, 0], u[:, 1]) != shapely.contains_xy(area, v[:, 0], v[:, 1])]
