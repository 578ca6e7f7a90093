"""Gazetteer evaluation on the five seed reports against the hand-made gold (tests/data/gold_places.json).

Prints precision and recall of mention spans (overlap), accuracy of resolution within 5 km and 161 km,
the figures for Syrian places alone, each place the mission names, and the speed of loading,
lookups and mention-finding. Run: `python bench/gazetteer_eval.py [--seeds DIR] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.mentions import find_mentions  # noqa: E402
from gazetteer.sources import haversine_km  # noqa: E402
from gazetteer.store import default_gazetteer  # noqa: E402

# the places the mission names, each with the spellings the gold annotation may use for it
MISSION = {"Khanasir": ["Khanasir"], "Ithriya": ["Ithriya"], "As-Safira": ["As-Safira"], "Sheikh Maqsoud": ["Sheikh Maqsoud"],
           "M5": ["M5"], "Lirmon roundabout": ["Lirmon roundabout"], "al-Saan": ["As-Saan", "al-Saan"],
           "Salamiyah": ["Salamiyah"], "Hamdaniya": ["Hamdaniya"], "Bustan al-Basha": ["Bustan al-Basha"],
           "Ashrafiyeh": ["Ashrafiyeh"], "Hanano": ["Hanano"], "Jab al-Quba": ["Jab al-Quba"],
           "Tall Rifat": ["Tell Rifaat", "Tall Rifat"], "Maarat al-Numan": ["Maarat al-Numan"], "Jobas": ["Jubas", "Jobas"],
           "Kafr Nabl": ["Kafr Nabl"], "Tartus": ["Tartus"], "Homs": ["Homs"], "Idlib": ["Idlib"]}


def _mission_names(g: dict) -> list[str]:
    """Which of the mission's places a gold mention is (by its canonical name or road number)."""
    label = f"{g['name']} {g.get('road_ref') or ''}".lower()
    return [name for name, forms in MISSION.items() if any(f.lower() in label for f in forms)]


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _correct(m: dict, g: dict, km: float) -> bool:
    if g["kind"] == "country":  # a country is not a point: right when it is the same country
        return m["kind"] == "country" and default_gazetteer().get(m["place_id"]).country == g["country"]
    if g["kind"] == "road" or m["kind"] == "road":
        return m["kind"] == "road" and g["kind"] == "road" and _same_road(m, g)
    return haversine_km(m["lat"], m["lon"], g["lat"], g["lon"]) <= km


def _same_road(m: dict, g: dict) -> bool:
    gaz = default_gazetteer()
    place = gaz.get(m["place_id"])
    want = g.get("road_ref") or g.get("road_name") or ""
    have = {r.lower() for r in (place.road.refs + place.road.osm_names)} if place.road else set()
    return want.lower() in have or any(c.place.id == place.id for c in gaz.lookup(want, fuzzy=False))


def evaluate(seeds: Path, gold_path: Path) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["reports"]
    rows = {"all": {"tp": 0, "fp": 0, "fn": 0, "ok5": 0, "ok161": 0, "matched": 0},
            "syria": {"tp": 0, "fp": 0, "fn": 0, "ok5": 0, "ok161": 0, "matched": 0}}
    errors = []
    mission_hits: dict[str, list[bool]] = {}
    for fname, ann in gold.items():
        text = (seeds / fname).read_text(encoding="utf-8")
        found = [m.to_dict() for m in find_mentions(text).mentions]
        golds = ann["mentions"]
        for scope in ("all", "syria"):
            gs = [g for g in golds if scope == "all" or (g["syrian"] and not g["adjectival"])]
            r = rows[scope]
            used = set()
            for g in gs:
                match = next((i for i, m in enumerate(found) if i not in used and _overlaps(m, g)), None)
                if match is None:
                    r["fn"] += 1
                    if scope == "syria":
                        errors.append(f"MISS {fname[:3]} {g['start']} {g['text']!r}")
                    continue
                used.add(match)
                r["tp"] += 1
                r["matched"] += 1
                m = found[match]
                r["ok5"] += _correct(m, g, 5)
                r["ok161"] += _correct(m, g, 161)
                if scope == "syria" and not _correct(m, g, 5):
                    errors.append(f"FAR  {fname[:3]} {g['text']!r} -> {m['place_id']} {m['name']} ({g['name']})")
                if scope == "syria":
                    for name in _mission_names(g):
                        mission_hits.setdefault(name, []).append(_correct(m, g, 5))
            for i, m in enumerate(found):
                if i in used or any(_overlaps(m, g) for g in golds):
                    continue
                if scope == "all" or (m.get("lat") and not m["adjectival"] and _in_syria(m)):
                    r["fp"] += 1
                    if scope == "all":
                        errors.append(f"FP   {fname[:3]} {m['start']} {m['text']!r} -> {m['place_id']} {m['name']}")
        for g in golds:
            if g["syrian"] and not g["adjectival"]:
                for name in _mission_names(g):
                    mission_hits.setdefault(name, [])
    out = {}
    for scope, r in rows.items():
        p = r["tp"] / max(1, r["tp"] + r["fp"])
        rec = r["tp"] / max(1, r["tp"] + r["fn"])
        out[scope] = {"precision": round(p, 3), "recall": round(rec, 3),
                      "f1": round(2 * p * rec / max(1e-9, p + rec), 3),
                      "acc_5km": round(r["ok5"] / max(1, r["matched"]), 3),
                      "acc_161km": round(r["ok161"] / max(1, r["matched"]), 3), **r}
    out["mission_places"] = {k: (all(mission_hits[k]) if mission_hits.get(k) else None) for k in MISSION}
    out["errors"] = errors
    return out


def _in_syria(m: dict) -> bool:
    return 32.3 <= m["lat"] <= 37.4 and 35.5 <= m["lon"] <= 42.4


def speed() -> dict:
    import gazetteer.store as store

    store.default_gazetteer.cache_clear()
    t = time.perf_counter()
    g = store.default_gazetteer()
    load = time.perf_counter() - t
    names = ["Khanaser", "Athria", "As-Safira", "Sheikh Maqsoud", "Homs", "Idlib", "Kafr Nabel", "Beirut", "Istanbul", "Xyzzy"]
    n = 0
    t = time.perf_counter()
    while time.perf_counter() - t < 1.0:
        for name in names:
            g.lookup(name)
        n += len(names)
    lookups = n / (time.perf_counter() - t)
    g._lookup_cached.cache_clear()
    t = time.perf_counter()
    for i in range(2000):
        g.lookup(f"{names[i % len(names)]}{'x' * (i % 7)}")
    cold = 2000 / (time.perf_counter() - t)
    text = " ".join([(ROOT.parent / "shared" / "seeds" / "001_0fd2f5f3d2ca3a6d.txt").read_text(encoding="utf-8")] * 10)
    words = len(text.split())
    t = time.perf_counter()
    find_mentions(text)
    return {"load_s": round(load, 3), "lookups_per_s_repeated": int(lookups), "lookups_per_s_distinct": int(cold),
            "mentions_words": words, "mentions_s": round(time.perf_counter() - t, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold_places.json")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list every miss, false positive and far resolution")
    args = ap.parse_args()
    res = evaluate(args.seeds, args.gold)
    res["speed"] = speed()
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return
    for scope in ("all", "syria"):
        r = res[scope]
        print(f"{scope:6s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
              f"acc@5km={r['acc_5km']:.3f} acc@161km={r['acc_161km']:.3f} (tp={r['tp']} fp={r['fp']} fn={r['fn']})")
    print("mission places within 5 km / right road:", {k: v for k, v in res["mission_places"].items()})
    print("speed:", res["speed"])
    if args.errors:
        print("\n".join(res["errors"]))


if __name__ == "__main__":
    main()
