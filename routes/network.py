"""Road graphs from every source a user may hold, all as the same osmnx-style MultiDiGraph.

One public function per source (`graph_from_osm_xml`, `graph_from_pbf`, `graph_from_overpass_json`,
`graph_from_road_layer`, `graph_from_online`, `corridor_graph`) and `load_graph`, which picks the
loader from the file name and goes through the content-hash cache. Nodes carry WGS84 `x`/`y`;
edges `length` (m), `highway`, `ref`, `name`, `name:ar` where present, `speed_kph`, `travel_time`
(s) and `geometry`; `G.graph["source"]` says where the graph came from.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import osmnx as ox

from routes import cache
from routes._graph_build import OsmNode, OsmWay, finish_graph, graph_from_elements
from routes._osm_tags import NODE_TAGS, WAY_TAGS
from routes.errors import RoutesError

CORRIDOR_FILE = "corridor.osm"
SCHEMATIC_NOTE = (
    "Schematic corridor network: straight runs between real places (GeoNames, Columbia CSR), "
    "not surveyed OpenStreetMap geometry"
)
_LAYER_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".fgb", ".zip"}
# Road-layer column names (HOT exports, national datasets) mapped to OSM keys.
_LAYER_COLUMNS = {
    "name_en": "name:en", "name_ar": "name:ar", "osm_way_id": "osmid", "osm_id": "osmid",
    "fclass": "highway", "type": "highway", "road_class": "highway",
}


def corridor_path() -> Path:
    """Where the embedded schematic corridor network lives inside the installed package."""
    return Path(str(resources.files("routes") / "data" / CORRIDOR_FILE))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise RoutesError(f"{path}: no such file")
    if path.is_dir():
        raise RoutesError(f"{path}: is a folder, not a road network file")
    if path.stat().st_size == 0:
        raise RoutesError(f"{path}: file is empty")


def _kind_of(path: Path) -> str:
    """Which loader a file needs, from its name and, for .json, its first bytes."""
    name = path.name.lower()
    if name.endswith((".osm", ".osm.bz2", ".xml", ".osm.gz")):
        return "xml"
    if name.endswith(".pbf"):
        return "pbf"
    if path.suffix.lower() == ".json":
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        return "overpass" if '"elements"' in head or '"version"' in head else "layer"
    if path.suffix.lower() in _LAYER_SUFFIXES:
        return "layer"
    raise RoutesError(f"{path}: unknown road network format (use .osm, .osm.bz2, .osm.pbf, Overpass .json, .geojson, .gpkg or .shp)")


def graph_from_osm_xml(path: str | Path, *, network_type: str = "drive", simplify: bool = True) -> nx.MultiDiGraph:
    """Load an OSM XML file (`.osm`, `.osm.bz2`) through osmnx's XML reader."""
    path = Path(path)
    _check_file(path)
    ox.settings.useful_tags_node = list(NODE_TAGS)
    ox.settings.useful_tags_way = list(WAY_TAGS)
    try:
        G = ox.graph_from_xml(path, simplify=False, retain_all=True)
    except ET.ParseError as exc:
        raise RoutesError(f"{path}: not valid OSM XML ({exc})") from None
    except (EOFError, OSError, UnicodeDecodeError) as exc:
        raise RoutesError(f"{path}: cannot read OSM XML ({exc})") from None
    except ValueError as exc:  # osmnx: no nodes/ways in the file
        raise RoutesError(f"{path}: no OSM roads in this file ({exc})") from None
    if len(G) == 0:
        raise RoutesError(f"{path}: no OSM roads in this file")
    return finish_graph(G, source=f"OSM XML {path.name}", network_type=network_type, simplify=simplify)


def graph_from_pbf(path: str | Path, *, network_type: str = "drive", simplify: bool = True) -> nx.MultiDiGraph:
    """Load an `.osm.pbf` extract through pyosmium (node locations resolved by osmium's index)."""
    import osmium

    path = Path(path)
    _check_file(path)
    nodes: dict[int, OsmNode] = {}
    ways: list[OsmWay] = []
    try:
        processor = osmium.FileProcessor(str(path)).with_locations()
        for obj in processor:
            if obj.is_way() and "highway" in obj.tags:
                refs = []
                for n in obj.nodes:
                    if n.location.valid():
                        nodes.setdefault(n.ref, OsmNode(n.ref, n.location.lon, n.location.lat))
                        refs.append(n.ref)
                ways.append(OsmWay(obj.id, refs, {t.k: t.v for t in obj.tags if t.k in WAY_TAGS}))
            elif obj.is_node() and len(obj.tags) and obj.location.valid():
                tags = {t.k: t.v for t in obj.tags if t.k in NODE_TAGS}
                if tags:
                    nodes[obj.id] = OsmNode(obj.id, obj.location.lon, obj.location.lat, tags)
    except RuntimeError as exc:
        raise RoutesError(f"{path}: cannot read PBF ({exc}); is the file truncated?") from None
    G = graph_from_elements(nodes, ways, source=str(path))
    return finish_graph(G, source=f"OSM PBF {path.name}", network_type=network_type, simplify=simplify)


def _coord_id(lon: float, lat: float) -> int:
    """A stable negative node id for a coordinate (Overpass `out geom` ways have no node ids)."""
    return -(int(round((lat + 90) * 1e7)) * 4_000_000_000 + int(round((lon + 180) * 1e7)))


def graph_from_overpass_json(path: str | Path, *, network_type: str = "drive", simplify: bool = True) -> nx.MultiDiGraph:
    """Load an Overpass API JSON response: ways with node ids (`out body` + `>`), or `out geom` inline geometry."""
    path = Path(path)
    _check_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        elements = data["elements"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RoutesError(f"{path}: not valid JSON ({exc})") from None
    except (KeyError, TypeError):
        raise RoutesError(f"{path}: not an Overpass API response (no 'elements' list)") from None
    nodes: dict[int, OsmNode] = {}
    ways: list[OsmWay] = []
    for el in elements:
        if el.get("type") == "node" and "lat" in el:
            tags = {k: v for k, v in el.get("tags", {}).items() if k in NODE_TAGS}
            nodes[el["id"]] = OsmNode(el["id"], el["lon"], el["lat"], tags)
    for el in elements:
        if el.get("type") != "way" or "highway" not in el.get("tags", {}):
            continue
        tags = {k: v for k, v in el["tags"].items() if k in WAY_TAGS}
        geometry = el.get("geometry")
        if el.get("nodes") and all(n in nodes for n in el["nodes"]):
            refs = list(el["nodes"])
        elif geometry:  # `out geom`: join ways where they share a coordinate
            refs = []
            for pt in geometry:
                if pt is None:
                    continue
                nid = _coord_id(pt["lon"], pt["lat"])
                nodes.setdefault(nid, OsmNode(nid, pt["lon"], pt["lat"]))
                refs.append(nid)
        else:
            refs = [n for n in el.get("nodes", []) if n in nodes]
        ways.append(OsmWay(el["id"], refs, tags))
    G = graph_from_elements(nodes, ways, source=str(path))
    return finish_graph(G, source=f"Overpass JSON {path.name}", network_type=network_type, simplify=simplify)


def _layer_tags(row: dict[str, Any]) -> dict[str, str]:
    tags = {}
    for col, value in row.items():
        key = _LAYER_COLUMNS.get(col, col)
        if key in WAY_TAGS and value is not None and value == value:  # drop None/NaN
            tags[key] = str(value)
    return tags


def graph_from_road_layer(path: str | Path, *, network_type: str = "drive", simplify: bool = True) -> nx.MultiDiGraph:
    """Load a GIS road layer (GeoJSON, GeoPackage, shapefile of LineStrings) through geopandas.

    Lines are joined where they share an endpoint or vertex; a `highway` column (or `fclass`/`type`)
    gives the road class.
    """
    path = Path(path)
    _check_file(path)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own error types for every unreadable format
        raise RoutesError(f"{path}: cannot read road layer ({str(exc).splitlines()[0]})") from None
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    gdf = gdf.explode(index_parts=False)
    gdf = gdf[gdf.geometry.notna() & (gdf.geom_type == "LineString")]
    if not any(c in gdf.columns for c in ("highway", "fclass", "type", "road_class")):
        raise RoutesError(f"{path}: road layer has no 'highway' (or 'fclass') column")
    nodes: dict[int, OsmNode] = {}
    ways: list[OsmWay] = []
    columns = [c for c in gdf.columns if c != "geometry"]
    for i, (geom, *values) in enumerate(zip(gdf.geometry, *(gdf[c] for c in columns))):
        row = dict(zip(columns, values))
        tags = _layer_tags(row)
        if "highway" not in tags:
            continue
        refs = []
        for lon, lat in geom.coords:
            nid = _coord_id(lon, lat)
            nodes.setdefault(nid, OsmNode(nid, lon, lat))
            refs.append(nid)
        way_id = row.get("osm_way_id") or row.get("osm_id") or i + 1
        ways.append(OsmWay(int(way_id), refs, tags))
    G = graph_from_elements(nodes, ways, source=str(path))
    return finish_graph(G, source=f"road layer {path.name}", network_type=network_type, simplify=simplify)


def graph_from_online(*, bbox: tuple[float, float, float, float] | None = None, place: str | None = None,
                      network_type: str = "drive") -> nx.MultiDiGraph:
    """Download roads for a bbox (west, south, east, north) or a place name through osmnx's Overpass client."""
    import requests

    _check_reachable(ox.settings.overpass_url)
    ox.settings.requests_timeout = min(ox.settings.requests_timeout, 60)
    ox.settings.useful_tags_node = list(NODE_TAGS)
    ox.settings.useful_tags_way = list(WAY_TAGS)
    osmnx_type = "drive" if network_type == "drive" else "all"
    try:
        if bbox is not None:
            G = ox.graph_from_bbox(bbox, network_type=osmnx_type, simplify=False, retain_all=True)
            label = f"Overpass API bbox {bbox}"
        elif place:
            G = ox.graph_from_place(place, network_type=osmnx_type, simplify=False, retain_all=True)
            label = f"Overpass API place {place!r}"
        else:
            raise RoutesError("online loading needs a bbox or a place name")
    except requests.exceptions.RequestException as exc:
        raise RoutesError(f"cannot reach the OpenStreetMap servers (offline?): {type(exc).__name__}") from None
    except (ValueError, ox._errors.InsufficientResponseError) as exc:
        raise RoutesError(f"no roads found online: {exc}") from None
    return finish_graph(G, source=label, network_type=network_type)


def _check_reachable(url: str, timeout: float = 5.0) -> None:
    """Fail in seconds, with one clear line, when the Overpass server cannot be reached (no network here)."""
    import socket
    from urllib.parse import urlparse

    parts = urlparse(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as exc:
        raise RoutesError(f"cannot reach the OpenStreetMap servers at {parts.hostname} (offline?): {exc.strerror or exc}; "
                          "use a downloaded extract with --source FILE") from None


def corridor_graph(*, network_type: str = "drive", use_cache: bool = True) -> nx.MultiDiGraph:
    """The embedded schematic corridor network (Aleppo, Idlib, Hama, Homs, the desert roads, the coast)."""
    G = load_graph(corridor_path(), network_type=network_type, use_cache=use_cache)
    G.graph["source"] = SCHEMATIC_NOTE
    G.graph["schematic"] = True
    return G


_LOADERS = {
    "xml": graph_from_osm_xml,
    "pbf": graph_from_pbf,
    "overpass": graph_from_overpass_json,
    "layer": graph_from_road_layer,
}


def load_graph(source: str | Path | None = None, *, network_type: str = "drive",
               bbox: tuple[float, float, float, float] | None = None, use_cache: bool = True) -> nx.MultiDiGraph:
    """Load a road graph from a file (format from its name), the corridor when `source` is None.

    Files go through the content-hash cache; `bbox` (west, south, east, north) clips the result.
    """
    from routes._osm_tags import NETWORK_TYPES

    if network_type not in NETWORK_TYPES:
        raise RoutesError(f"unknown network type {network_type!r} (choose from {', '.join(NETWORK_TYPES)})")
    if source is None:
        G = corridor_graph(network_type=network_type, use_cache=use_cache)
    else:
        path = Path(source)
        _check_file(path)
        loader = _LOADERS[_kind_of(path)]
        G = cache.cached(path, network_type, lambda: loader(path, network_type=network_type)) if use_cache \
            else loader(path, network_type=network_type)
    return clip_graph(G, bbox) if bbox is not None else G


def clip_graph(G: nx.MultiDiGraph, bbox: tuple[float, float, float, float]) -> nx.MultiDiGraph:
    """The part of G whose nodes lie in bbox (west, south, east, north); an error when no road is left."""
    west, south, east, north = bbox
    if not (west < east and south < north):
        raise RoutesError(f"bad bbox {bbox}: expected west,south,east,north with west<east and south<north")
    keep = [n for n, d in G.nodes(data=True) if west <= d["x"] <= east and south <= d["y"] <= north]
    H = G.subgraph(keep).copy()
    if H.number_of_edges() == 0:
        raise RoutesError(f"no roads inside bbox {bbox} in {G.graph.get('source', 'the graph')}")
    return H
