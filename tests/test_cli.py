"""The command line as a user meets it: JSON on stdout, one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from routes.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=dict(os.environ), timeout=300)


def test_path_json_answers_the_question():
    p = run("path", "Aleppo", "Homs", "--as-of", "2024-11-30", "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["viable"] is True
    assert {"travel_time_s", "delay_s", "length_m", "exposure_m", "via", "event_ids", "geometry"} <= set(data["routes"][0])


def test_without_a_date_the_latest_reported_date_is_used_and_said(default_events):
    from routes.scenario import latest_report_date

    p = run("path", "Aleppo", "Homs", "--json")
    assert p.returncode == 0, p.stderr
    latest = latest_report_date(default_events).isoformat()
    assert json.loads(p.stdout)["as_of"] == latest and f"as of {latest}" in p.stderr


@pytest.mark.parametrize("args,needle", [
    (("path", "Aleppo", "Xqzzzq"), "unknown place"),
    (("path", "Aleppo", "Homs", "--as-of", "30/11/2024"), "bad date"),
    (("graph", "info", "--source", "nope.osm"), "no such file"),
    (("events", "list", "missing.geojson"), "no such file"),
    (("graph", "info", "--bbox", "1,2,3"), "bad --bbox"),
    (("exits", "Aleppo", "--to", ","), "destination"),
    (("map", "-o", "status.txt"), "expected a .html or .htm file name"),
    (("map", "-o", "m.html", "--png", "m.jpg"), "expected a .png file name"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle):
    p = run(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert needle in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_graph_info_json_keys():
    p = run("graph", "info", "--json")
    data = json.loads(p.stdout)
    assert {"nodes", "edges", "km_by_highway", "bbox", "components", "refs"} <= set(data)
    assert data["components"] == 1 and "M5" in data["refs"]


def test_places_commands():
    data = json.loads(run("places", "lookup", "Khanaser", "--json").stdout)
    assert data[0]["name"] == "Khanasir" and {"id", "name", "kind", "lat", "lon", "score"} <= set(data[0])
    seed = ROOT / "seeds" / "001_0fd2f5f3d2ca3a6d.md"
    m = json.loads(run("places", "mentions", str(seed), "--json").stdout)
    assert {"mentions", "unresolved"} == set(m)
    assert any(x["name"] == "Lirmon roundabout" for x in m["mentions"])


def test_events_extract_writes_a_file_and_reads_dates(tmp_path):
    report = tmp_path / "sitrep.txt"
    report.write_text("On Sunday snipers fired at cars on the M5 highway near Saraqib.", encoding="utf-8")
    p = run("events", "extract", str(report), "--json")
    assert p.returncode == 2 and "publication date" in p.stderr
    out = tmp_path / "ev.geojson"
    p = run("events", "extract", str(report), "--published", "2024-12-04", "-o", str(out), "--json")
    assert p.returncode == 0, p.stderr
    fc = json.loads(p.stdout)
    assert fc["features"][0]["properties"]["status"] == "sniper"
    assert fc["features"][0]["properties"]["valid_from"] == "2024-12-01"
    assert json.loads(out.read_text())["features"]
    listed = json.loads(run("events", "list", str(out), "--as-of", "2024-12-01", "--json").stdout)
    assert len(listed["features"]) == 1


def test_a_road_statement_the_map_cannot_show_is_reported_not_dropped(tmp_path):
    report = tmp_path / "sitrep.txt"
    report.write_text("The road to Raqqa was closed on Sunday. Snipers fired at cars on the M5 near Saraqib.", encoding="utf-8")
    out = tmp_path / "ev.geojson"
    p = run("events", "extract", str(report), "--published", "2024-12-04", "-o", str(out), "--json")
    assert p.returncode == 0, p.stderr
    assert "1 road statement(s) name nothing the map can show" in p.stderr and "road to Raqqa" in p.stderr
    fc = json.loads(p.stdout)
    assert [f["properties"]["status"] for f in fc["features"]] == ["sniper"]
    assert [(u["status"], u["sentence"], u["date"]) for u in fc["unplaced"]] == \
        [("closed", "The road to Raqqa was closed on Sunday.", "2024-12-01")]
    assert json.loads(out.read_text())["unplaced"] == fc["unplaced"]  # the saved file keeps them too
    page = tmp_path / "map.html"
    p = run("map", "-o", str(page), "--events", str(out), "--as-of", "2024-12-04", "--offline")
    assert p.returncode == 0, p.stderr
    assert "Reported, but not on the map (1)" in page.read_text() and "road to Raqqa" in page.read_text()
    broken = json.loads(out.read_text())
    broken["unplaced"][0].pop("sentence")
    out.write_text(json.dumps(broken))
    p = run("map", "-o", str(page), "--events", str(out), "--as-of", "2024-12-04", "--offline")
    assert p.returncode == 2 and "unplaced statements" in p.stderr and "Traceback" not in p.stderr


def test_exits_and_compare_json():
    x = json.loads(run("exits", "Aleppo", "--to", "Homs,Tartus,Damascus", "--as-of", "2024-11-30", "--json").stdout)
    assert {"reachable", "independent_exits", "min_cut"} <= set(x)
    c = json.loads(run("compare", "Aleppo", "Homs", "--as-of", "2024-11-25", "--vs", "2024-11-30", "--json").stdout)
    assert c["changes"]
