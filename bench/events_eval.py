"""Event extraction evaluated on the five original seed reports against the hand-made gold
(tests/data/gold_events.json): precision, recall and F1 per status and overall.

An extracted event matches a gold one when the status is the same, the targets agree (the same road;
or points within 5 km; or a place on the gold road) and the date ranges overlap. A gold fact is matched
once; an extracted event that merged several sentences may match each gold fact stated in one of its
sentences (it carries them all as evidence), otherwise it matches one gold fact.

Also times extraction on two ~10 MB reports, printed side by side:
- repeated: the five seed articles over and over. Every sentence recurs verbatim, so every per-word
  and per-name cache (name keys, lookups, a word's longest name) is warm after the first copy: a best case.
- distinct: the same vocabulary without the repetition, built deterministically (fixed random seed) from
  the seeds: sentences shuffled across the corpus into new paragraphs, numbers, days, months, years and
  weekdays varied, and every place the seeds name swapped for a real gazetteer name (mostly Syrian
  GeoNames/curated names and their variant spellings, some foreign ones). Paragraphs never repeat; a
  sentence with no place, number or date in it (about a third of them) recurs as written, in new company.
  The caches meet new words and names as in a real long report: the figure that matters.
Each is timed as a user gets it (a report this long is read in two halves on two cores where there are two),
and on one core (`workers=1`), with the number of cores printed; and the whole of `routes events extract FILE -o
OUT` (extract, merge, validate, write) on a third distinct text.

Held-out evaluation (`--heldout DIR`): the same scoring on ten real reports the rules were never developed
on (2016-2025: Aleppo roads in Nov 2024, the Khanasir road cut in 2016/2017, the Castello Road in 2025, the M5
reopening and the M4 protests in 2020), against tests/data/gold_heldout.json. The texts are not in the repository
(copyright). To rebuild DIR: for each entry of the gold file's `reports` list, open its `url`, copy the article body
only (no headline, captions, links or page furniture) into DIR/<report>, and put this front matter on top, with the
values from the same entry:

    ---
    title: ...
    publisher: ...
    published: YYYY-MM-DD
    url: ...
    ---

The gold's evidence offsets count from the start of the file, front matter included, so they only line up with a
body copied exactly as published; matching uses them only to tell which of several fitting extracted events states
the gold fact in its own sentences, so a slightly different copy changes little. When DIR is missing or holds none
of the reports the held-out evaluation says so and is skipped (CI has no texts); reports missing from DIR are listed
and left out of the figures.

Run: `python bench/events_eval.py [--errors] [--json] [--no-speed]`, or
`python bench/events_eval.py --heldout DIR [--errors] [--json]` (held-out figures only, no timing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.mentions import find_mentions  # noqa: E402
from gazetteer.sources import haversine_km  # noqa: E402
from gazetteer.store import Gazetteer, default_gazetteer  # noqa: E402
from gazetteer.text import sentence_spans, visible_text  # noqa: E402
from routes.events import STATUSES, Event  # noqa: E402
from routes.extract import extract_events  # noqa: E402
from routes.merge import consolidate  # noqa: E402
from routes.events import save_events  # noqa: E402
from routes.reports import read_report  # noqa: E402
from routes.scenario import extract_files  # noqa: E402
from shapely.geometry import Point, shape  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402


def _gold_road_id(g: dict) -> str | None:
    name = g.get("road_ref")
    if not name:
        return None
    cands = [c.place.id for c in default_gazetteer().lookup(name, fuzzy=False) if c.place.kind == "road"]
    return cands[0] if cands else None


def _targets_agree(e: Event, g: dict) -> bool:
    gaz = default_gazetteer()
    road = _gold_road_id(g)
    if e.road_id or road:
        if e.road_id and road:
            return e.road_id == road
        place_ids = set(e.place_ids)
        if road and not e.road_id:  # a place on the gold road
            spec = gaz.get(road).road
            return bool(spec and place_ids & set(spec.via))
        spec = gaz.get(e.road_id).road  # gold names a place on our road
        return bool(spec) and any(haversine_km(gaz.get(v).lat, gaz.get(v).lon, g["lat"], g["lon"]) <= 5 for v in spec.via if v in gaz.by_id)
    geom = shape(e.geometry)
    # a line (a road told by its two ends) agrees with a gold point on it: its nearest point, not its middle
    c = nearest_points(geom, Point(g["lon"], g["lat"]))[0] if geom.geom_type == "LineString" else geom.centroid
    pts = [(c.y, c.x)] + [(gaz.get(p).lat, gaz.get(p).lon) for p in e.place_ids if p in gaz.by_id]
    return any(haversine_km(lat, lon, g["lat"], g["lon"]) <= 5 for lat, lon in pts)


def _dates_overlap(e: Event, g: dict) -> bool:
    g_from = date.fromisoformat(g["valid_from"][:10]) if len(g["valid_from"]) >= 10 else date.fromisoformat(g["valid_from"] + "-01")
    g_to = date.fromisoformat(g["valid_to"][:10]) if g.get("valid_to") and len(g["valid_to"]) >= 10 else None
    return (g_to is None or e.start <= g_to) and (e.end is None or g_from <= e.end)


def _label(fname: str) -> str:
    """How a report is named in the error lines: the seeds' 3-digit prefix, else the file's stem."""
    return fname[:3] if fname[:3].isdigit() else Path(fname).stem


def evaluate(seeds: Path, gold_path: Path, reports: list[str] | None = None) -> dict:
    """Score the extractor on the reports in folder `seeds` against the gold file; `reports` (file names) limits
    it to those reports, by default every report the gold names."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["events"]
    if reports is not None:
        gold = [g for g in gold if g["report"] in set(reports)]
    per = {s: {"tp": 0, "fp": 0, "fn": 0} for s in STATUSES}
    errors: list[str] = []
    for fname in sorted({g["report"] for g in gold}):
        report = read_report(seeds / fname)
        extracted = consolidate(extract_events(report))
        golds = [g for g in gold if g["report"] == fname]
        used_e: set[int] = set()
        for g in golds:
            fits = [i for i, e in enumerate(extracted) if e.status == g["status"] and _targets_agree(e, g) and _dates_overlap(e, g)]
            # a merged event carries several sentences: it answers every gold fact stated in one of them
            same_sentence = [i for i in fits if any(ev.start < g["evidence_end"] and g["evidence_start"] < ev.end
                                                    for ev in extracted[i].evidence)]
            unused = [i for i in fits if i not in used_e]
            hit = (same_sentence or unused or [None])[0]
            if hit is None:
                per[g["status"]]["fn"] += 1
                errors.append(f"MISS {_label(fname)} {g['status']:10s} {g['target_name']} {g['valid_from']}: {g['evidence'][:70]!r}")
            else:
                used_e.add(hit)
                per[g["status"]]["tp"] += 1
        for i, e in enumerate(extracted):
            if i not in used_e:
                per[e.status]["fp"] += 1
                errors.append(f"FP   {_label(fname)} {e.status:10s} {e.target_name} {e.valid_from}: {e.evidence[0].sentence[:70]!r}")
    def prf(r: dict) -> dict:
        p = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else 0.0
        rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else 0.0
        return {**r, "precision": round(p, 3), "recall": round(rec, 3), "f1": round(2 * p * rec / (p + rec), 3) if p + rec else 0.0}
    total = {k: sum(r[k] for r in per.values()) for k in ("tp", "fp", "fn")}
    return {"per_status": {s: prf(r) for s, r in per.items()}, "overall": prf(total),
            "false_closed": per["closed"]["fp"], "errors": errors}


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# what the distinct variant varies in a seed sentence: a markup tag (kept), a year, a number, a month, a weekday
_VARIABLE = re.compile(r"(<[^>]*>)|\b((?:19|20)\d\d)\b|(\d+)|\b(" + "|".join(_MONTH_NAMES) + r")\b|\b("
                       + "|".join(_WEEKDAY_NAMES) + r")\b")
_PLACE = object()  # a slot for a place name in a sentence template


def _seed_body(seeds: Path) -> str:
    """The five seed articles, one after another."""
    return "\n\n".join((seeds / f).read_text(encoding="utf-8") for f in sorted(p.name for p in seeds.glob("0*.txt")))


def _templates(body: str, g: Gazetteer) -> list[list]:
    """Each seed sentence as pieces: literal text, `_PLACE` where a place is named, and the `_VARIABLE`
    match (year, number, month or weekday) where one is written."""
    plain, offsets = visible_text(body)
    places = [(m.start, m.end) for m in find_mentions(body, g).mentions]
    out = []
    for s, e in sentence_spans(plain):
        start, end = offsets[s], offsets[e - 1] + 1
        pieces: list = []
        pos = start
        for ps, pe in [(a, b) for a, b in places if start <= a and b <= end] + [(end, end)]:
            if ps < pos:  # (overlapping mentions: keep the first)
                continue
            for m in _VARIABLE.finditer(body, pos, ps):
                pieces += [body[pos:m.start()], m]
                pos = m.end()
            pieces.append(body[pos:ps])
            if pe > ps:
                pieces.append(_PLACE)
            pos = pe
        out.append(pieces)
    return out


def _place_names(g: Gazetteer) -> tuple[list[str], list[str]]:
    """(Syrian names with their variant spellings, foreign names), in a fixed order."""
    syrian = sorted({n for p in g.by_id.values() if p.country == g.region for n in (p.name, *p.names) if n[:1].isupper()})
    foreign = sorted({p.name for p in g.by_id.values() if p.country != g.region and p.name[:1].isupper()})
    return syrian, foreign


def distinct_text(seeds: Path, size: int, seed: int = 2024) -> str:
    """~`size` characters of report text that does not repeat: seed sentences shuffled into new paragraphs,
    their numbers, months and weekdays varied and their places swapped for gazetteer names (see the module
    docstring). The same `seed` always gives the same text."""
    g = default_gazetteer()
    templates = _templates(_seed_body(seeds), g)
    syrian, foreign = _place_names(g)
    rng = random.Random(seed)

    def fill(piece) -> str:
        if isinstance(piece, str):
            return piece
        if piece is _PLACE:
            return rng.choice(syrian) if rng.random() < 0.8 else rng.choice(foreign)
        tag, year, number, month, weekday = piece.groups()
        if tag:
            return tag
        if year:
            return str(rng.randint(2011, 2025))
        if number:
            return str(rng.randint(1, 28)) if len(number) <= 2 else str(rng.randint(10 ** (len(number) - 1), 10 ** len(number) - 1))
        return rng.choice(_MONTH_NAMES) if month else rng.choice(_WEEKDAY_NAMES)

    paragraphs: list[str] = []
    total = 0
    while total < size:
        para = " ".join("".join(fill(p) for p in rng.choice(templates)).strip() for _ in range(rng.randint(2, 6)))
        paragraphs.append(para)
        total += len(para) + 2
    return "\n\n".join(paragraphs)


def _timed(text: str, workers: int = 0) -> dict:
    """Extraction time of one report with this text, published 2024-12-04 (`workers` as in `extract_events`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    report = read_report(fh.name, published=date(2024, 12, 4))
    Path(fh.name).unlink()
    t = time.perf_counter()
    n = len(extract_events(report, workers=workers))
    return {"seconds": round(time.perf_counter() - t, 2), "mb": round(len(text.encode()) / 1e6, 2), "events": n}


def speed(seeds: Path) -> dict:
    """Extraction time on a ~10 MB report of the seed articles repeated, and on ~10 MB of distinct text."""
    body = _seed_body(seeds)
    repeated = (body + "\n\n") * (10_000_000 // (len(body) + 2) + 1)
    distinct = distinct_text(seeds, len(repeated))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # (on one core: another distinct text, so that it meets new names with cold caches too)
    return {"cores": cores, "repeated": _timed(repeated), "distinct": _timed(distinct),
            "distinct_one_core": _timed(distinct_text(seeds, len(repeated), seed=2025), workers=1),
            "distinct_end_to_end": _timed_end_to_end(distinct_text(seeds, len(repeated), seed=2026))}


def _timed_end_to_end(text: str) -> dict:
    """What `routes events extract FILE -o OUT` does with a report of this text: read, extract, merge the
    events, validate and write the GeoJSON (another distinct text, so that its caches are cold too)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        t = time.perf_counter()
        events = extract_files([path], published=date(2024, 12, 4))
        save_events(events, Path(tmp) / "events.geojson")
        return {"seconds": round(time.perf_counter() - t, 2), "mb": round(len(text.encode()) / 1e6, 2),
                "events": len(events)}


def heldout(folder: Path, gold_path: Path) -> dict | None:
    """The held-out evaluation on the reports of `gold_path` found in `folder`; None when there are none."""
    names = sorted({g["report"] for g in json.loads(gold_path.read_text(encoding="utf-8"))["events"]})
    present = [n for n in names if (folder / n).is_file()] if folder.is_dir() else []
    if not present:
        return None
    res = evaluate(folder, gold_path, reports=present)
    res["reports"] = present
    res["missing"] = [n for n in names if n not in present]
    return res


def print_table(res: dict) -> None:
    """The per-status table, overall row and false-closed count."""
    print(f"{'status':11s} {'P':>6s} {'R':>6s} {'F1':>6s}  tp fp fn")
    for s, r in list(res["per_status"].items()) + [("OVERALL", res["overall"])]:
        print(f"{s:11s} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['tp']:3d} {r['fp']:2d} {r['fn']:2d}")
    print("false closed:", res["false_closed"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold_events.json")
    ap.add_argument("--heldout", type=Path, metavar="DIR",
                    help="evaluate on the held-out reports in DIR against --heldout-gold instead (see above)")
    ap.add_argument("--heldout-gold", type=Path, default=ROOT / "tests" / "data" / "gold_heldout.json")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    if args.heldout is not None:
        res = heldout(args.heldout, args.heldout_gold)
        if res is None:
            print(f"held-out evaluation skipped: no held-out reports in {args.heldout} "
                  f"(the gold {args.heldout_gold.name} lists their URLs; see --help)")
            return
        if args.json:
            print(json.dumps(res, indent=2))
            return
        print(f"held-out: {len(res['reports'])} reports in {args.heldout}")
        if res["missing"]:
            print("not found, left out:", ", ".join(res["missing"]))
        print_table(res)
        if args.errors:
            print("\n".join(res["errors"]))
        return
    res = evaluate(args.seeds, args.gold)
    if not args.no_speed:
        res["speed_10mb"] = speed(args.seeds)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print_table(res)
    if "speed_10mb" in res:
        for variant, r in res["speed_10mb"].items():
            if variant == "cores":
                print(f"10 MB reports on a machine with {r} cores:")
                continue
            label = {"distinct_one_core": "distinct text, one core",
                     "distinct_end_to_end": "distinct, extract+merge+write"}.get(variant, variant + " text")
            print(f"10 MB report, {label + ':':31s} {r['seconds']:5.2f} s  {r['mb']:5.2f} MB  {r['events']:6d} events")
    if args.errors:
        print("\n".join(res["errors"]))


if __name__ == "__main__":
    main()
