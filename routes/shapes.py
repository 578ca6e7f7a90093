"""The geometry of an event's target: a road's line through its places, a place's point, or an area (its
polygon or a disc by size, halved or ringed by a qualifier such as "eastern" or "the western countryside
of"), as GeoJSON; cached per gazetteer, since reports name the same places again and again."""

from __future__ import annotations

import weakref
from functools import lru_cache

import shapely
from shapely.affinity import scale
from shapely.geometry import LineString, mapping

from gazetteer.place import Place
from gazetteer.store import Gazetteer
from routes.places import place_area


Shape = tuple[str, str, dict, "str | None"]  # target kind, readable name, GeoJSON geometry, road id
_SHAPES: "weakref.WeakKeyDictionary[Gazetteer, dict[tuple, Shape]]" = weakref.WeakKeyDictionary()
_MAX_SHAPES = 50_000  # per gazetteer; the cache starts again when it holds more


def target_shape(g: Gazetteer, place_id: str, qualifier: str | None, as_area: bool) -> Shape:
    """Target kind, readable name, GeoJSON geometry and road id of a place (cached: reports repeat places,
    and a long report's second half has its area shapes worked out beside the first, see `_read`)."""
    shapes = _SHAPES.setdefault(g, {})
    key = (place_id, qualifier, as_area)
    shape = shapes.get(key)
    if shape is None:
        if len(shapes) >= _MAX_SHAPES:
            shapes.clear()
        shape = shapes[key] = _shape_of(g, place_id, qualifier, as_area)
    return shape


def remember_shapes(g: Gazetteer, shapes: dict[tuple, Shape]) -> None:
    """Add shapes worked out elsewhere (a long report's other half, in a forked child) to the cache."""
    _SHAPES.setdefault(g, {}).update(shapes)


def _shape_of(g: Gazetteer, place_id: str, qualifier: str | None, as_area: bool) -> Shape:
    """`target_shape`, uncached."""
    place = g.get(place_id)
    if place.kind == "road":
        via = [g.get(v) for v in (place.road.via if place.road else ()) if v in g.by_id]
        geom = mapping(LineString([(p.lon, p.lat) for p in via])) if len(via) >= 2 else _point(place)
        return "road", place.name, geom, place.id
    if as_area:
        area = _half_disc(_area(g, place_id), qualifier, place)
        name = f"{qualifier} {place.name}" if qualifier else place.name
        return "area", name, _geojson(area.simplify(0.0005)), None
    return "place", place.name, _point(place), None


def _point(place: Place) -> dict:
    """The GeoJSON point of a place: what `mapping(Point(lon, lat))` gives, without building the geometry."""
    return {"type": "Point", "coordinates": (float(place.lon), float(place.lat))}


@lru_cache(maxsize=4096)
def _area(g: Gazetteer, place_id: str):
    """`place_area` of a place (cached: each of its qualified halves starts from it)."""
    return place_area(g.get(place_id))


def _geojson(geom) -> dict:
    """`shapely.geometry.mapping` of a geometry, the same dict; a plain polygon's rings read as whole
    coordinate arrays instead of point by point (~4× faster)."""
    if geom.geom_type != "Polygon" or geom.is_empty or geom.has_z:
        return mapping(geom)
    rings = (geom.exterior, *geom.interiors)
    return {"type": "Polygon", "coordinates": tuple(tuple(map(tuple, shapely.get_coordinates(r).tolist())) for r in rings)}


def _half_disc(area, qualifier: str | None, place: Place):
    """'eastern Aleppo': the half of the city's area on that side of its centre; 'the western
    countryside of Aleppo': that half of a ring from the city's edge to four times its radius."""
    if not qualifier:
        return area
    q = qualifier.lower()
    if "countryside" in q or "outskirts" in q or "rural" in q:
        c = area.centroid
        reach = 4.0 if "countryside" in q or "rural" in q else 1.6
        area = scale(area, reach, reach, origin=c).difference(area)
    minx, miny, maxx, maxy = area.bounds
    cx, cy = place.lon, place.lat
    if "east" in q and "north-east" not in q and "south-east" not in q:
        return area.intersection(shapely.box(cx, miny, maxx, maxy))
    if "west" in q and "north-west" not in q and "south-west" not in q:
        return area.intersection(shapely.box(minx, miny, cx, maxy))
    if q.startswith("north"):
        return area.intersection(shapely.box(minx, cy, maxx, maxy))
    if q.startswith("south"):
        return area.intersection(shapely.box(minx, miny, maxx, cy))
    return area
