"""Readers for the gazetteer's data files, each returning Place records with their source and licence."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from shapely.geometry import shape

from gazetteer.normalize import strip_diacritics
from gazetteer.place import Place, RoadSpec

GEONAMES_LICENCE = "CC BY 4.0 (GeoNames)"
CSR_LICENCE = "MIT (Columbia Center for Spatial Research)"
OPENSYRIA_LICENCE = "CC BY 4.0 (OpenSyria Data Geography; geoBoundaries/OCHA CC BY 3.0 IGO)"


def data_path(name: str) -> Path:
    return Path(str(resources.files("gazetteer") / "data" / name))


def _read_json(name: str) -> Any:
    return json.loads(data_path(name).read_text(encoding="utf-8"))


def geonames_places() -> Iterator[Place]:
    """GeoNames towns and cities (Syria down to 500 people)."""
    data = _read_json("geonames.json")
    for gid, name, lat, lon, cc, pop, admin1, alts in data["rows"]:
        shown = _plain_spelling(name, alts)
        yield Place(id=f"gn:{gid}", name=shown, kind="settlement", lat=lat, lon=lon,
                    names=tuple(alts) + ((name,) if shown != name else ()),
                    country=cc, admin=f"{cc}.{admin1}", population=int(pop or 0),
                    source=f"GeoNames {gid}", licence=GEONAMES_LICENCE)


def _plain_spelling(name: str, alternates: Iterable[str]) -> str:
    """The name as English reports spell it when GeoNames lists that spelling: Ţarţūs is shown as Tartus,
    Tall Rif‘at as Tall Rif'at. The original stays among the entry's names."""
    if name.isascii():
        return name
    plain = strip_diacritics(name)
    known = set(alternates)
    for mark in ("", "'", "`"):  # ‘ain and hamza written as GeoNames' own ASCII alternates write them
        spelling = plain.replace("‘", mark).replace("’", mark)
        if spelling.isascii() and spelling in known:
            return spelling.replace("`", "'")
    return name


def country_rows() -> list[list]:
    """[geonameid, name, iso, population, capital] for every country."""
    return _read_json("geonames.json")["countries"]


def neighbourhood_places() -> Iterator[Place]:
    """Aleppo neighbourhoods as polygons (Columbia CSR), English and Arabic names."""
    data = _read_json("aleppo_neighbourhoods.geojson")
    seen: dict[str, int] = {}
    for f in data["features"]:
        p = f["properties"]
        seen[str(p["id"])] = seen.get(str(p["id"]), 0) + 1
        pid = f"nb:{p['id']}" if seen[str(p["id"])] == 1 else f"nb:{p['id']}-{seen[str(p['id'])]}"
        geom = shape(f["geometry"])
        c = geom.representative_point()
        name = p["name"].replace("-new", "").strip()
        yield Place(id=pid, name=name, kind="neighbourhood", lat=c.y, lon=c.x,
                    names=tuple(n for n in (p["name"], p.get("name_ar")) if n), country="SY", admin="Aleppo city",
                    geometry=f["geometry"], source=f"Columbia CSR Aleppo neighbourhoods #{p['id']}", licence=CSR_LICENCE)


def admin_places() -> Iterator[Place]:
    """Syrian governorates, districts and sub-districts (centroids, OCHA pcodes)."""
    for a in _read_json("syria_admin.json")["areas"]:
        yield Place(id=f"sy:{a['pcode'] or a['id']}", name=a["name"], kind="admin_area", lat=a["lat"], lon=a["lon"],
                    names=tuple(a["names"]), country="SY", admin=a["level"], population=int(a["population"] or 0),
                    source=f"OpenSyria {a['level']} {a['pcode']}", licence=OPENSYRIA_LICENCE)


def curated_places(path: Path | None = None) -> tuple[list[Place], dict[str, str], dict[str, list[str]]]:
    """Hand-written entries (places the sources miss, roads, country centroids), demonyms and extra spellings."""
    doc = yaml.safe_load((path or data_path("curated.yaml")).read_text(encoding="utf-8"))
    places = []
    for e in doc["places"]:
        road = e.get("road")
        places.append(Place(
            id=e["id"], name=e["name"], kind=e["kind"], lat=float(e["lat"]), lon=float(e["lon"]),
            names=tuple(e.get("names", [])), country=e.get("country", "SY"), admin=e.get("admin"),
            population=int(e.get("population", 0)), source=e["source"], licence=e.get("licence", "CC BY 4.0 (project)"),
            road=RoadSpec(refs=tuple(road.get("refs", [])), osm_names=tuple(road.get("osm_names", [])),
                          via=tuple(road.get("via", []))) if road else None,
            note=e.get("note", "")))
    return places, dict(doc.get("demonyms", {})), {k: list(v) for k, v in doc.get("aliases", {}).items()}


def graph_places(G: Any) -> Iterable[Place]:
    """Named places of a loaded OSM graph (`place=*`, checkpoints, crossings, roundabouts) as entries."""
    kinds = {"city": "settlement", "town": "settlement", "village": "settlement", "hamlet": "settlement",
             "suburb": "neighbourhood", "neighbourhood": "neighbourhood", "quarter": "neighbourhood",
             "locality": "landmark"}
    for n, d in G.nodes(data=True):
        name = d.get("name")
        if not isinstance(name, str) or not name:
            continue
        if d.get("military") == "checkpoint" or d.get("barrier") == "checkpoint":
            kind = "checkpoint"
        elif d.get("barrier") == "border_control":
            kind = "border_crossing"
        elif d.get("place") in kinds:
            kind = kinds[d["place"]]
        else:
            kind = "landmark"
        names = tuple(str(d[k]) for k in ("name:ar", "name:en") if isinstance(d.get(k), str))
        yield Place(id=f"osm:{n}", name=name, kind=kind, lat=float(d["y"]), lon=float(d["x"]), names=names,
                    country="SY", source=f"{G.graph.get('source', 'OSM')} node {n}",
                    licence="ODbL (OpenStreetMap contributors)" if not G.graph.get("schematic") else "project (schematic)")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(a))
