"""Road graphs from every supported source, the corridor network, the cache and bad input."""

from __future__ import annotations

import bz2
from datetime import date
import shutil
import time

import networkx as nx
import osmium
import pytest

from routes.errors import RoutesError
from routes.events import Event
from routes.network import (clip_graph, corridor_path, graph_from_osm_xml, graph_from_overpass_json,
                            graph_from_pbf, graph_from_road_layer, load_graph)
from routes.summary import export_graph, graph_info

from conftest import DATA

EDGE_ATTRS = {"length", "highway", "speed_kph", "travel_time", "geometry"}


def _check_graph(G: nx.MultiDiGraph) -> None:
    assert G.number_of_edges() > 0
    for _, d in G.nodes(data=True):
        assert -180 <= d["x"] <= 180 and -90 <= d["y"] <= 90
    for _, _, d in G.edges(data=True):
        assert EDGE_ATTRS <= set(d), set(d)
        assert d["length"] > 0 and d["travel_time"] > 0
    assert G.graph["source"]


def test_homs_overpass_out_geom_has_m5_with_arabic_names():
    G = graph_from_overpass_json(DATA / "maskanah_homs_overpass.json")
    _check_graph(G)
    m5 = [d for *_, d in G.edges(data=True) if "M5" in str(d.get("ref"))]
    assert m5, "the M5 (ref=M5) must survive loading"
    assert any(d.get("name:ar") for d in m5)
    assert nx.number_weakly_connected_components(G) < G.number_of_nodes() / 5  # ways joined at shared coordinates


def test_road_layer_geojson_joins_lines(tmp_path):
    G = graph_from_road_layer(DATA / "zabadani_rif_dimashq_roads.geojson")
    _check_graph(G)
    info = graph_info(G)
    assert info["components"] < 50
    assert {"secondary", "tertiary"} <= set(info["km_by_highway"])


def _write_pbf(path, truncated=False):
    w = osmium.SimpleWriter(str(path))
    coords = [(1, 36.70, 34.70), (2, 36.71, 34.70), (3, 36.72, 34.71), (4, 36.71, 34.72)]
    for nid, lon, lat in coords:
        w.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat), tags={"name": f"n{nid}"} if nid == 3 else {}))
    w.add_way(osmium.osm.mutable.Way(id=10, nodes=[1, 2, 3], tags={"highway": "primary", "ref": "M5", "name": "Test Road", "name:ar": "طريق"}))
    w.add_way(osmium.osm.mutable.Way(id=11, nodes=[3, 4], tags={"highway": "footway"}))
    w.close()


def test_pbf_written_with_pyosmium_loads(tmp_path):
    pbf = tmp_path / "tiny.osm.pbf"
    _write_pbf(pbf)
    G = graph_from_pbf(pbf)
    _check_graph(G)
    assert {d["ref"] for *_, d in G.edges(data=True)} == {"M5"}  # the footway is not a drive road
    walk = graph_from_pbf(pbf, network_type="walk")
    assert any(d["highway"] == "footway" for *_, d in walk.edges(data=True))


def test_truncated_pbf_is_one_clear_error(tmp_path):
    pbf = tmp_path / "tiny.osm.pbf"
    _write_pbf(pbf)
    data = pbf.read_bytes()
    pbf.write_bytes(data[: len(data) // 2])
    with pytest.raises(RoutesError, match="truncated|cannot read"):
        graph_from_pbf(pbf)


def test_osm_xml_and_bz2(tmp_path):
    G = graph_from_osm_xml(corridor_path())
    _check_graph(G)
    packed = tmp_path / "corridor.osm.bz2"
    packed.write_bytes(bz2.compress(corridor_path().read_bytes()))
    assert graph_from_osm_xml(packed).number_of_edges() == G.number_of_edges()


def test_xml_that_is_not_osm(tmp_path):
    bad = tmp_path / "page.osm"
    bad.write_text("<html><body>not osm</body></html>")
    with pytest.raises(RoutesError):
        graph_from_osm_xml(bad)
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id='1'")
    with pytest.raises(RoutesError, match="not valid OSM XML"):
        graph_from_osm_xml(broken)


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(RoutesError, match="no such file"):
        load_graph(tmp_path / "nope.osm.pbf")
    odd = tmp_path / "roads.docx"
    odd.write_text("x")
    with pytest.raises(RoutesError, match="unknown road network format"):
        load_graph(odd)


def test_bbox_with_no_roads_is_an_error(corridor):
    with pytest.raises(RoutesError, match="no roads inside bbox"):
        clip_graph(corridor, (10.0, 10.0, 10.1, 10.1))
    aleppo = clip_graph(corridor, (36.9, 36.0, 37.4, 36.4))
    assert 0 < aleppo.number_of_nodes() < corridor.number_of_nodes()


def test_corridor_is_connected_schematic_and_covers_the_reports(corridor):
    assert nx.is_weakly_connected(corridor)
    assert corridor.graph["schematic"] and "schematic" in corridor.graph["source"].lower()
    names = {d.get("name") for _, d in corridor.nodes(data=True)}
    for place in ["Aleppo", "As-Safira", "Khanasir", "Ithriya", "Athria checkpoint", "Salamiyah", "Homs", "Hama",
                  "Maarat al-Numan", "Saraqib", "Bab al-Hawa crossing", "Bab al-Salameh crossing", "Lirmon roundabout",
                  "Sheikh Maqsoud", "Tartus", "Damascus", "Latakia", "Raqqa", "Palmyra", "Tall Rifat"]:
        assert place in names, place
    refs = set(graph_info(corridor)["refs"])
    assert {"M5", "M4"} <= refs
    for *_, d in corridor.edges(data=True):
        assert d.get("source") == "schematic" and d.get("name") and d.get("name:ar") and d.get("ref")


def test_cache_returns_the_same_graph_faster(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "homs.json"
    shutil.copy(DATA / "maskanah_homs_overpass.json", src)
    t = time.perf_counter()
    first = load_graph(src)
    cold = time.perf_counter() - t
    assert list((tmp_path / "cache").glob("*.graphml")) and list((tmp_path / "cache").glob("*.pickle"))
    t = time.perf_counter()
    second = load_graph(src)
    warm = time.perf_counter() - t
    assert second.number_of_edges() == first.number_of_edges()
    assert "cache" in second.graph
    assert warm < cold  # the 10x figure is measured in bench/network_cache.py, not asserted here


def test_export_gpkg_and_geojson(tmp_path, corridor):
    import geopandas as gpd

    gpkg = export_graph(corridor, tmp_path / "net.gpkg")
    assert len(gpd.read_file(gpkg, layer="edges")) == corridor.number_of_edges()
    gj = export_graph(corridor, tmp_path / "net.geojson")
    assert gj.stat().st_size > 1000
    with pytest.raises(RoutesError):
        export_graph(corridor, tmp_path / "net.csv")


def test_places_of_a_loaded_extract_join_the_gazetteer(tmp_path):
    from gazetteer.store import default_gazetteer
    from routes.scenario import learn_places

    pbf = tmp_path / "named.osm.pbf"
    w = osmium.SimpleWriter(str(pbf))
    w.add_node(osmium.osm.mutable.Node(id=1, location=(36.70, 34.70), tags={"name": "Qaryat Zuhurat", "place": "village"}))
    w.add_node(osmium.osm.mutable.Node(id=2, location=(36.71, 34.70)))
    w.add_way(osmium.osm.mutable.Way(id=10, nodes=[1, 2], tags={"highway": "primary"}))
    w.close()
    G = graph_from_pbf(pbf)
    assert not default_gazetteer().lookup("Qaryat Zuhurat", fuzzy=False)
    learn_places(G)
    best = default_gazetteer().lookup("Qaryat Zuhurat")[0].place
    assert best.id == "osm:1" and best.kind == "settlement"


def test_online_loading_without_network_is_one_clear_error(monkeypatch):
    import osmnx as ox

    from routes.network import graph_from_online

    monkeypatch.setattr(ox.settings, "overpass_url", "http://127.0.0.1:9/api")  # nothing listens on the discard port
    t = time.perf_counter()
    with pytest.raises(RoutesError, match="cannot reach the OpenStreetMap servers"):
        graph_from_online(bbox=(37.1, 36.1, 37.2, 36.2))
    assert time.perf_counter() - t < 30


def test_the_fast_cache_entry_gives_back_the_same_graph_geometries_included():
    from routes.cache import graph_from_bytes, graph_to_bytes

    G = load_graph(DATA / "maskanah_homs_overpass.json", use_cache=False)
    H = graph_from_bytes(graph_to_bytes(G))
    assert list(H.edges(keys=True)) == list(G.edges(keys=True)) and dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    for (u, v, k, a), (_, _, _, b) in zip(G.edges(keys=True, data=True), H.edges(keys=True, data=True)):
        assert a["geometry"].equals_exact(b["geometry"], 0) and {x: a[x] for x in a if x != "geometry"} == \
            {x: b[x] for x in b if x != "geometry"}


def test_the_fast_cache_entry_keeps_the_graph_s_index_and_the_same_statuses():
    """A command on a cached graph does not index it again: the index comes back with it, on the same
    geometry objects, and marks the same edges."""
    from routes.cache import _index_ready, graph_from_bytes, graph_to_bytes
    from routes.status import apply
    from routes.targets import built_index

    G = load_graph(DATA / "maskanah_homs_overpass.json", use_cache=False)
    _index_ready(G)
    H = graph_from_bytes(graph_to_bytes(G))
    index = built_index(H)
    assert index is not None and index.edges == built_index(G).edges
    geom = next(iter(H.edges(data=True)))[2]["geometry"]
    assert index.tree.geometries[0] is geom  # shared, not a copy
    x, y = G.nodes[next(iter(G.nodes))]["x"], G.nodes[next(iter(G.nodes))]["y"]
    event = Event(id="e1", status="closed", target_kind="place", target_name="a junction", place_ids=[],
                  valid_from="2024-11-30", geometry={"type": "Point", "coordinates": (x, y)}, source=[], evidence=[],
                  radius_m=300)
    a, b = apply(G, [event], date(2024, 11, 30)), apply(H, [event], date(2024, 11, 30))
    assert a.arrays.closed.any() and (a.arrays.closed == b.arrays.closed).all()
