"""What a loaded road graph holds, as plain data for people and for `--json`, and its export to GIS files."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import osmnx as ox

from routes._atomic import write_atomically
from routes._osm_tags import tag_values
from routes.errors import RoutesError


def graph_info(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts, km of road by highway class (each two-way road counted once), bbox, components and refs."""
    km: dict[str, float] = defaultdict(float)
    seen: set[tuple[Any, Any, Any]] = set()
    refs: set[str] = set()
    for u, v, k, data in G.edges(keys=True, data=True):
        refs.update(tag_values(data.get("ref")))
        if data.get("reversed") is True or (v, u, k) in seen and not data.get("oneway"):
            continue
        seen.add((u, v, k))
        highway = "/".join(tag_values(data.get("highway"))) or "unknown"
        km[highway] += float(data.get("length", 0.0)) / 1000
    xs = [d["x"] for _, d in G.nodes(data=True)]
    ys = [d["y"] for _, d in G.nodes(data=True)]
    return {
        "source": G.graph.get("source"),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "km_by_highway": {h: round(v, 2) for h, v in sorted(km.items(), key=lambda kv: -kv[1])},
        "bbox": [round(min(xs), 5), round(min(ys), 5), round(max(xs), 5), round(max(ys), 5)] if xs else None,
        "components": nx.number_weakly_connected_components(G),
        "refs": sorted(refs),
    }


def export_graph(G: nx.MultiDiGraph, out: str | Path) -> Path:
    """Write nodes and edges to a GeoPackage (two layers) or the edges to GeoJSON, atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".gpkg", ".geojson"}:
        raise RoutesError(f"{out}: export format must be .gpkg or .geojson")
    nodes, edges = ox.convert.graph_to_gdfs(G)
    edges = edges.reset_index()
    for frame in (nodes, edges):
        for col in frame.columns:
            if col != "geometry" and frame[col].dtype == object:
                frame[col] = frame[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
    def write(tmp: str) -> None:
        if suffix == ".gpkg":
            edges.to_file(tmp, layer="edges", driver="GPKG")
            nodes.reset_index().to_file(tmp, layer="nodes", driver="GPKG")
        else:
            edges.to_file(tmp, driver="GeoJSON")
    return write_atomically(out, write, suffix=suffix, absent=True)
