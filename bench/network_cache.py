"""Speed-up of the content-hash graph cache (`routes/cache.py`): loading a road file cold versus warm.

What: `routes.network.load_graph(path)` timed on an empty cache folder (cold: parse the file, build and
simplify the graph, write the cache entries) and again on the same folder (warm: hash the file and read
the entry back), for (a) the Overpass JSON extract `tests/data/maskanah_homs_overpass.json`, (b) the
embedded corridor `routes/data/corridor.osm` and (c) a generated `.osm.pbf` of about `--nodes` nodes
(a road grid near Homs with intermediate shape nodes, written with pyosmium in a temporary folder).
Plain `osmnx.graph_from_xml` on the corridor is timed as a baseline for what reading an OSM file costs
without the project's loader and cache. Each warm graph is compared with its cold graph, attribute by
attribute, because a cache that is fast but returns a different graph is worse than no cache; and the
GraphML entry is also read on its own (the portable record, the fallback when the fast entry is missing).

Why: the cache exists so that a file already seen loads at least ten times faster than parsing it again
(target "≥ 10×").

Run: `python bench/network_cache.py [--nodes 50000] [--repeat 3] [--json]`. Every cold run gets a fresh,
empty temporary ROUTES_CACHE_DIR; your own cache folder is not touched.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import osmnx as ox  # noqa: E402

from routes import cache  # noqa: E402
from routes.network import corridor_path, load_graph  # noqa: E402

TARGET_SPEEDUP = 10.0
OVERPASS_FILE = ROOT / "tests" / "data" / "maskanah_homs_overpass.json"
HOMS = (34.73, 36.71)  # lat, lon


# --------------------------------------------------------------------------------------------- the PBF

def write_pbf(path: Path, n_nodes: int, seed: int) -> dict[str, int]:
    """A road grid near Homs as an .osm.pbf of about n_nodes nodes: intersections every ~400 m joined by
    ways with three shape nodes per block (so simplification has work to do), a trunk "M5" and an "M1",
    primaries every 10th line, some one-way streets, and a few named place nodes."""
    import osmium
    from osmium.osm.mutable import Node, Way

    rng = np.random.default_rng(seed)
    per_block = 3
    # n_nodes ≈ side² + 2·side·(side−1)·per_block
    side = max(3, int(round((per_block + math.sqrt(per_block**2 + (1 + 2 * per_block) * n_nodes)) / (1 + 2 * per_block))))
    step_lat = 400 / 110_540.0
    step_lon = 400 / (111_320.0 * math.cos(math.radians(HOMS[0])))
    lat0 = HOMS[0] - side / 2 * step_lat
    lon0 = HOMS[1] - side / 2 * step_lon
    nodes: dict[int, tuple[float, float, dict[str, str]]] = {}
    next_id = [1]

    def new_node(lon: float, lat: float, tags: dict[str, str] | None = None) -> int:
        nid = next_id[0]
        next_id[0] += 1
        nodes[nid] = (lon, lat, tags or {})
        return nid

    grid = np.zeros((side, side), dtype=np.int64)
    for i in range(side):
        for j in range(side):
            jitter = rng.uniform(-0.15, 0.15, 2)
            grid[i, j] = new_node(lon0 + (j + jitter[0]) * step_lon, lat0 + (i + jitter[1]) * step_lat)
    mid = side // 2

    def klass(idx: int, along: str) -> dict[str, str]:
        if idx == mid:
            return {"highway": "trunk", "ref": "M5" if along == "ns" else "M1",
                    "name": "Homs-Hama highway" if along == "ns" else "Homs-Tartus highway"}
        if idx % 10 == 0:
            return {"highway": "primary", "name": f"Primary {along} {idx}"}
        if idx % 5 == 0:
            return {"highway": "secondary", "name": f"Secondary {along} {idx}", "maxspeed": "50"}
        tags = {"highway": "residential", "name": f"Street {along} {idx}"}
        if rng.random() < 0.1:
            tags["oneway"] = "yes"
        return tags

    ways: list[tuple[list[int], dict[str, str]]] = []
    for along in ("ew", "ns"):
        for a in range(side):
            tags = klass(a, along)
            line = [grid[a, b] if along == "ew" else grid[b, a] for b in range(side)]
            refs = [int(line[0])]
            for b in range(1, side):
                p, q = nodes[int(line[b - 1])], nodes[int(line[b])]
                for s in range(1, per_block + 1):  # shape nodes, slightly off the straight line
                    f = s / (per_block + 1)
                    wiggle = rng.uniform(-0.03, 0.03) * (step_lat if along == "ew" else step_lon)
                    lon = p[0] + f * (q[0] - p[0]) + (0 if along == "ew" else wiggle)
                    lat = p[1] + f * (q[1] - p[1]) + (wiggle if along == "ew" else 0)
                    refs.append(new_node(lon, lat))
                refs.append(int(line[b]))
                if b % 10 == 0 or b == side - 1:  # ways of ten blocks, as mappers split them
                    ways.append((refs, tags))
                    refs = [int(line[b])]
    for k in range(20):  # named places (kept as node tags by the loader)
        i, j = rng.integers(0, side, 2)
        lon, lat, _ = nodes[int(grid[i, j])]
        nodes[int(grid[i, j])] = (lon, lat, {"place": "village", "name": f"Village {k}"})

    if path.exists():
        path.unlink()
    writer = osmium.SimpleWriter(str(path))
    try:
        for nid in sorted(nodes):
            lon, lat, tags = nodes[nid]
            writer.add_node(Node(id=nid, location=(lon, lat), tags=tags, version=1))
        for wid, (refs, tags) in enumerate(ways, start=1):
            writer.add_way(Way(id=wid, nodes=refs, tags=tags, version=1))
    finally:
        writer.close()
    return {"osm_nodes": len(nodes), "osm_ways": len(ways), "grid_side": side}


# --------------------------------------------------------------------------------------------- timing

def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class cache_folder:
    """Point ROUTES_CACHE_DIR at a fresh empty temporary folder for the duration of the block."""

    def __enter__(self) -> Path:
        self._tmp = tempfile.TemporaryDirectory(prefix="routes-cache-bench-")
        self._old = os.environ.get("ROUTES_CACHE_DIR")
        os.environ["ROUTES_CACHE_DIR"] = self._tmp.name
        return Path(self._tmp.name)

    def __exit__(self, *exc: Any) -> None:
        if self._old is None:
            os.environ.pop("ROUTES_CACHE_DIR", None)
        else:
            os.environ["ROUTES_CACHE_DIR"] = self._old
        self._tmp.cleanup()


def _same(a: Any, b: Any) -> bool:
    if hasattr(a, "equals_exact") and hasattr(b, "equals_exact"):
        return a.geom_type == b.geom_type and a.equals_exact(b, 1e-9)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def compare_graphs(cold: nx.MultiDiGraph, warm: nx.MultiDiGraph) -> dict[str, Any]:
    """How the warm (cached) graph differs from the cold one: node/edge sets and attributes (value and type)."""
    diffs: Counter[str] = Counter()
    examples: dict[str, str] = {}

    def note(kind: str, a: Any, b: Any) -> None:
        diffs[kind] += 1
        examples.setdefault(kind, f"{a!r} ({type(a).__name__}) -> {b!r} ({type(b).__name__})"[:160])

    if set(cold.nodes) != set(warm.nodes):
        diffs["node set"] += 1
    for n, d in cold.nodes(data=True):
        w = warm.nodes[n] if n in warm else {}
        for key in d.keys() | w.keys():
            if key not in w or key not in d or not _same(d[key], w[key]):
                note(f"node.{key}", d.get(key, "<missing>"), w.get(key, "<missing>"))
    cold_edges, warm_edges = set(cold.edges(keys=True)), set(warm.edges(keys=True))
    if cold_edges != warm_edges:
        diffs["edge set"] += len(cold_edges ^ warm_edges)
    for u, v, k, d in cold.edges(keys=True, data=True):
        if (u, v, k) not in warm_edges:
            continue
        w = warm.edges[u, v, k]
        for key in d.keys() | w.keys():
            if key not in w or key not in d or not _same(d[key], w[key]):
                note(f"edge.{key}", d.get(key, "<missing>"), w.get(key, "<missing>"))
    for key in cold.graph.keys() | warm.graph.keys():
        if key != "cache" and not _same(cold.graph.get(key), warm.graph.get(key)):
            note(f"graph.{key}", cold.graph.get(key, "<missing>"), warm.graph.get(key, "<missing>"))
    return {"identical": not diffs, "differences": dict(diffs), "examples": examples}


def bench_file(label: str, path: Path, repeat: int) -> dict[str, Any]:
    """Median cold and warm `load_graph(path)` over `repeat` fresh cache folders, and where the time goes."""
    colds, warms, graphml_loads = [], [], []
    cold_graph = warm_graph = graphml_graph = None
    entry_kb: dict[str, float] = {}
    for _ in range(max(1, repeat)):
        with cache_folder() as folder:
            t, cold_graph = _timed(lambda: load_graph(path))
            colds.append(t)
            entries = sorted(e for e in folder.iterdir() if e.is_file())
            entry_kb = {e.suffix.lstrip("."): round(e.stat().st_size / 1024, 1) for e in entries}
            t, warm_graph = _timed(lambda: load_graph(path))
            warms.append(t)
            hit = "cache" in warm_graph.graph
            # the portable record alone: what a warm load costs when only the GraphML entry is there
            graphml = [e for e in entries if e.suffix == ".graphml"]
            if graphml:
                t, graphml_graph = _timed(lambda: ox.load_graphml(graphml[0]))
                graphml_loads.append(t)
    t_hash, _ = _timed(lambda: cache.file_key(path, "drive"))
    cold_s, warm_s = statistics.median(colds), statistics.median(warms)
    speedup = cold_s / warm_s if warm_s > 0 else math.inf
    # the share of the cold load spent writing the cache entries (diagnostic, outside the project's code path)
    with tempfile.TemporaryDirectory(prefix="routes-cache-bench-") as tmp:
        write_graphml_s, _ = _timed(lambda: ox.save_graphml(cold_graph, Path(tmp) / "g.graphml"))
        write_pickle_s, _ = _timed(lambda: (Path(tmp) / "g.pickle").write_bytes(cache.graph_to_bytes(cold_graph)))
    graphml_s = statistics.median(graphml_loads) if graphml_loads else None
    return {"input": label, "file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name),
            "file_kb": round(path.stat().st_size / 1024, 1), "nodes": cold_graph.number_of_nodes(),
            "edges": cold_graph.number_of_edges(), "cold_s": round(cold_s, 4), "warm_s": round(warm_s, 4),
            "speedup": round(speedup, 1), "target": f">= {TARGET_SPEEDUP:.0f}x", "ok": speedup >= TARGET_SPEEDUP,
            "warm_was_cache_hit": hit, "cache_entries_kb": entry_kb, "hash_s": round(t_hash, 4),
            "graphml_only_warm_s": round(graphml_s + t_hash, 4) if graphml_s is not None else None,
            "graphml_only_speedup": round(cold_s / (graphml_s + t_hash), 1) if graphml_s else None,
            "write_graphml_s": round(write_graphml_s, 4), "write_pickle_s": round(write_pickle_s, 4),
            "runs": len(colds), "cold_runs_s": [round(x, 4) for x in colds], "warm_runs_s": [round(x, 4) for x in warms],
            "warm_vs_cold": compare_graphs(cold_graph, warm_graph),
            "graphml_vs_cold": compare_graphs(cold_graph, graphml_graph) if graphml_graph is not None else None,
            "maxrss_mb": round(_maxrss_mb(), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=50_000, help="nodes in the generated .osm.pbf (default 50000)")
    ap.add_argument("--seed", type=int, default=20241130)
    ap.add_argument("--repeat", type=int, default=3, help="cold/warm pairs per file; medians are reported")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = ap.parse_args()

    t_start = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="routes-pbf-bench-") as tmp:
        pbf = Path(tmp) / "homs_grid.osm.pbf"
        t_write, pbf_info = _timed(lambda: write_pbf(pbf, args.nodes, args.seed))
        inputs = [("(a) Overpass JSON", OVERPASS_FILE), ("(b) corridor OSM XML", corridor_path()),
                  (f"(c) generated PBF, {pbf_info['osm_nodes']:,} OSM nodes", pbf)]
        for label, path in inputs:
            rows.append(bench_file(label, path, args.repeat))

    # baseline: plain osmnx reading the corridor, with osmnx's own defaults (simplify=True, retain_all=False)
    corridor = corridor_path()
    ox_runs = [_timed(lambda: ox.graph_from_xml(corridor))[0] for _ in range(max(1, args.repeat))]
    ox_s = statistics.median(ox_runs)
    corridor_row = rows[1]
    baseline = {"step": "plain osmnx.graph_from_xml(corridor.osm)", "seconds": round(ox_s, 4), "runs": len(ox_runs),
                "corridor_cold_vs_osmnx": round(corridor_row["cold_s"] / ox_s, 2),
                "corridor_warm_vs_osmnx": round(corridor_row["warm_s"] / ox_s, 2)}
    meta = {"python": platform.python_version(), "networkx": nx.__version__, "osmnx": ox.__version__,
            "loader_version": cache.LOADER_VERSION, "repeat": args.repeat, "pbf": pbf_info, "pbf_write_s": round(t_write, 2),
            "maxrss_mb": round(_maxrss_mb(), 1), "total_s": round(time.perf_counter() - t_start, 1)}

    if args.json:
        print(json.dumps({"meta": meta, "rows": rows, "baseline": baseline}, indent=2, ensure_ascii=False))
        return
    print(f"# bench/network_cache.py — {meta['python']} · networkx {meta['networkx']} · osmnx {meta['osmnx']} · "
          f"loader version {meta['loader_version']} · median of {args.repeat} cold/warm pairs")
    print()
    print("| input | file KB | graph nodes / edges | cold (s) | warm (s) | speed-up | target | ok? | cache entries KB | warm graph = cold graph? |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        same = "yes" if r["warm_vs_cold"]["identical"] else "NO: " + ", ".join(
            f"{k} ×{v}" for k, v in sorted(r["warm_vs_cold"]["differences"].items()))
        entries = " + ".join(f"{kb:,.0f} {ext}" for ext, kb in r["cache_entries_kb"].items())
        print(f"| {r['input']} | {r['file_kb']:,.0f} | {r['nodes']:,} / {r['edges']:,} | {r['cold_s']:.3f} | {r['warm_s']:.3f} | "
              f"{r['speedup']:.1f}× | {r['target']} | {'yes' if r['ok'] else 'NO'} | {entries} | {same} |")
    print()
    print(f"baseline: {baseline['step']}: {baseline['seconds']:.3f} s (median of {baseline['runs']}); the corridor "
          f"cold load is {baseline['corridor_cold_vs_osmnx']}× and warm load {baseline['corridor_warm_vs_osmnx']}× that time")
    for r in rows:
        ex = r["warm_vs_cold"]["examples"]
        gml = (f"GraphML entry alone would load in {r['graphml_only_warm_s']:.3f} s ({r['graphml_only_speedup']:.1f}×)"
               if r["graphml_only_warm_s"] is not None else "no GraphML entry")
        print(f"- {r['input']}: cold runs {r['cold_runs_s']}, warm runs {r['warm_runs_s']}; warm load was a cache hit: "
              f"{r['warm_was_cache_hit']}; hashing the file {r['hash_s']:.4f} s; {gml}; writing the entries costs "
              f"{r['write_graphml_s']:.3f} s (GraphML) + {r['write_pickle_s']:.3f} s (pickle) of the cold load")
        for k, e in ex.items():
            print(f"    differs after the cache: {k}: {e}")
        if r["graphml_vs_cold"] and not r["graphml_vs_cold"]["identical"]:
            print("    the GraphML entry read alone differs from the cold graph: " + "; ".join(
                f"{k} ×{r['graphml_vs_cold']['differences'][k]} ({e})" for k, e in r["graphml_vs_cold"]["examples"].items()))
    print(f"\ngenerated PBF: {pbf_info} written in {meta['pbf_write_s']} s; peak RSS {meta['maxrss_mb']:.0f} MB; "
          f"total {meta['total_s']:.0f} s")


if __name__ == "__main__":
    main()
