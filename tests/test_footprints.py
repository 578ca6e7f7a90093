"""Where events act on a real OSM extract: point events measured in closed form agree with GEOS, and the
footprints of a batch, worked out together (bulk queries, threads), are the ones worked out one by one."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, mapping

from conftest import DATA
from routes.events import Event, Evidence, Source
from routes.footprints import footprint, footprints
from routes.network import load_graph
from routes.status import apply
from routes.targets import circle_around, edge_ids_near, graph_index, metres_to_degrees


@pytest.fixture(scope="module")
def homs():
    return load_graph(DATA / "maskanah_homs_overpass.json")


def _spots(G, n: int, seed: int) -> list[tuple[float, float, float]]:
    """n (lon, lat, radius m) near random nodes of G, from a street's width to a district's."""
    rng = np.random.default_rng(seed)
    xy = graph_index(G).node_xy
    return [(*(xy[rng.integers(len(xy))] + rng.normal(0, 0.003, 2)), float(rng.uniform(30, 3000))) for _ in range(n)]


def test_edges_near_a_point_are_those_geos_finds_within_the_radius(homs):
    idx = graph_index(homs)
    for lon, lat, r in _spots(homs, 60, 1):
        expected = np.sort(idx.tree.query(Point(lon, lat), predicate="dwithin", distance=metres_to_degrees(r, lat)))
        assert np.array_equal(edge_ids_near(homs, lon, lat, r), expected)


def test_metres_inside_a_circle_match_geos_on_the_buffered_circle(homs):
    idx = graph_index(homs)
    for lon, lat, r in _spots(homs, 40, 2):
        ids = edge_ids_near(homs, lon, lat, r)
        if not len(ids):
            continue
        circle = circle_around(lon, lat, r)
        zone = Point(lon, lat).buffer(circle.r, quad_segs=128)
        geoms = idx.geoms[ids]
        geos = np.minimum(1.0, shapely.length(shapely.intersection(geoms, zone)) / shapely.length(geoms))
        assert np.allclose(idx.segments.fraction_inside(ids, circle), geos, atol=0.01)


def test_a_sniper_on_a_straight_road_exposes_twice_its_radius(homs):
    """East–west through the centre, a circle of r metres covers 2r metres of road."""
    idx = graph_index(homs)
    seg = idx.segments
    i = int(np.argmax(np.where(np.abs(seg.dy) < 0.05 * np.abs(seg.dx), seg.length, 0)))  # a long east-west segment
    lon, lat = seg.x0[i] + seg.dx[i] / 2, seg.y0[i] + seg.dy[i] / 2
    edge = int(seg.owner[i])
    ev = Event(id="s", status="sniper", target_kind="place", target_name="s", place_ids=[], valid_from="2024-11-30",
               geometry=mapping(Point(lon, lat)), source=[Source("t", "2024-11-30", "Test")],
               evidence=[Evidence("t", "test", 0, 4)], radius_m=20)
    layer = apply(homs, [ev], date(2024, 11, 30))
    metres_per_degree = idx.lengths[edge] / seg.owner_length[edge]
    assert layer.arrays.exposure_m[edge] == pytest.approx(min(40.0, seg.length[i] * metres_per_degree), rel=0.02)


def test_footprints_worked_out_together_equal_those_worked_out_one_by_one(homs, gazetteer):
    statuses = ["sniper", "shelling", "closed", "congested", "checkpoint", "besieged", "curfew", "open"]
    events = []
    for n, (lon, lat, r) in enumerate(_spots(homs, 120, 3)):
        status = statuses[n % len(statuses)]
        area = n % 3 == 0 or status in ("besieged", "curfew")
        geom = Point(lon, lat).buffer(metres_to_degrees(r, lat), quad_segs=3) if area else Point(lon, lat)
        events.append(Event(id=f"e{n}", status=status, target_kind="area" if area else "place", target_name=f"e{n}",
                            place_ids=[], valid_from="2024-11-30", geometry=mapping(geom),
                            source=[Source("t", "2024-11-30", "Test")], evidence=[Evidence("t", "test", 0, 4)],
                            radius_m=None if area else r))
    one, many = [footprint(homs, e, gazetteer) for e in events], footprints(homs, events, gazetteer, workers=3)
    assert sum(len(f.ids) for f in one) > 1000
    for a, b in zip(one, many):
        assert np.array_equal(a.ids, b.ids) and a.node == b.node
        for x, y in ((a.exposed_m, b.exposed_m), (a.exits, b.exits)):
            assert (x is None and y is None) or np.array_equal(x, y)


def test_metres_inside_a_polygon_match_geos_with_holes_and_several_parts(homs):
    idx = graph_index(homs)
    rng = np.random.default_rng(4)
    for lon, lat, r in _spots(homs, 30, 5):
        d = metres_to_degrees(r, lat)
        angles = np.linspace(0, 2 * np.pi, 9, endpoint=False) + rng.uniform(0, 0.5, 9)  # a star around the spot
        radii = d * rng.uniform(0.3, 1.0, 9)
        star = shapely.Polygon(np.column_stack([lon + radii * np.cos(angles), lat + radii * np.sin(angles)]))
        holed = star.difference(Point(lon, lat).buffer(d * 0.2))
        two = shapely.MultiPolygon([Point(lon, lat).buffer(d * 0.3).exterior.convex_hull,
                                    Point(lon + 3 * d, lat).buffer(d * 0.5)])
        for zone in (star, holed, two):
            ids = np.sort(idx.tree.query(zone, predicate="intersects"))
            if not len(ids):
                continue
            geoms = idx.geoms[ids]
            geos = np.minimum(1.0, shapely.length(shapely.intersection(geoms, zone)) / shapely.length(geoms))
            assert np.allclose(idx.segments.fraction_inside_polygon(ids, zone), geos, atol=1e-6)
