"""The status map as its users meet it: a field team offline, a journalist embedding it, an analyst printing it."""

from __future__ import annotations

import html as html_lib
import json
import math
import re
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from routes import maps
from routes.events import Event, Evidence, Source, Unplaced
from routes.network import load_graph
from routes.status import apply

AS_OF = date(2024, 11, 30)
TITLE = "Roads out of Aleppo"
DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
XSS_SENTENCE = "Fighters posted <script>alert(1)</script> and <img src=x onerror=alert(2)> on the M5 today."
LAYER_NAMES = {"Closed", "Sniper fire / shelling", "Congested (delay)", "Checkpoints", "Reported open / corridor",
               "Besieged / curfew areas", "Routes", "Places in reports", "Road network"}


def _event(eid: str, status: str, kind: str, name: str, geometry: dict, publisher: str, sentence: str,
           url: str | None = None, title: str | None = None, **kw) -> Event:
    """An event with one source and one evidence sentence, published the day before the map's date."""
    rid = f"rep-{eid}"
    return Event(id=eid, status=status, target_kind=kind, target_name=name, place_ids=[], valid_from="2024-11-29",
                 geometry=geometry, source=[Source(rid, "2024-11-29", publisher, title or f"Report {eid}",
                                                   url if url is not None else f"https://example.org/{rid}")],
                 evidence=[Evidence(rid, sentence, 0, len(sentence))], **kw)


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_graph(None)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    nubl = [[37.0, 36.35], [37.1, 36.35], [37.1, 36.42], [37.0, 36.42], [37.0, 36.35]]
    return [
        _event("ev-m5", "closed", "road", "M5 highway", _point(36.9, 35.9), "Enab Baladi",
               "The M5 highway between Aleppo and Hama is closed.", road_id="road:m5"),
        _event("ev-xss", "closed", "road", "M5 <b>highway</b>", _point(36.9, 35.9), "<b>Evil</b> Daily",
               XSS_SENTENCE, url="javascript:alert(3)", title="<img src=x onerror=alert(5)>", road_id="road:m5"),
        _event("ev-sniper", "sniper", "place", "Lirmon roundabout", _point(37.12774, 36.24887), "SOHR",
               "Snipers fire on cars at the Lirmon roundabout."),
        _event("ev-jam", "congested", "place", "Athria checkpoint", _point(37.7817, 35.36813), "AFP",
               "Families waited seven hours at the Athria checkpoint.", delay_h=7),
        _event("ev-cp", "checkpoint", "place", "Athria checkpoint", _point(37.7817, 35.36813), "AFP",
               "Soldiers check every car at Athria."),
        _event("ev-siege", "besieged", "area", "Nubl and Zahraa", {"type": "Polygon", "coordinates": [nubl]},
               "Reuters", "Nubl and Zahraa are besieged."),
    ]


@pytest.fixture(scope="module")
def layer(graph, events):
    return apply(graph, events, AS_OF)


def _node(G: nx.MultiDiGraph, name: str):
    return next(n for n, d in G.nodes(data=True) if d.get("name") == name)


def _route(G: nx.MultiDiGraph, layer, label: str, risk: bool) -> dict:
    """A route dict as the routing module returns it, computed here with the layer's weights."""
    path = nx.shortest_path(G, _node(G, "Aleppo"), _node(G, "Homs"), weight=layer.weight(risk=risk))
    coords: list[list[float]] = []
    total = delay = length = exposure = 0.0
    ids: list[str] = []
    for u, v in zip(path, path[1:]):
        k = min(G[u][v], key=lambda k: layer.edge_cost(u, v, k, risk=risk) or math.inf)
        d = G.edges[u, v, k]
        st = layer.edge(u, v, k)
        total += layer.edge_cost(u, v, k)
        delay += layer.edge_cost(u, v, k) - float(d["travel_time"])
        length += float(d["length"])
        exposure += layer.exposure_m(u, v, k)
        ids += [i for i in (st.event_ids if st else []) if i not in ids]
        line = list(d["geometry"].coords)
        if (line[0][0], line[0][1]) != (G.nodes[u]["x"], G.nodes[u]["y"]):
            line.reverse()
        coords += [list(p) for p in (line if not coords else line[1:])]
    return {"label": label, "travel_time_s": total, "delay_s": delay, "length_m": length, "exposure_m": exposure,
            "via": [G.nodes[n]["name"] for n in path[1:-1]], "event_ids": ids,
            "geometry": {"type": "LineString", "coordinates": coords}}


@pytest.fixture(scope="module")
def routes(graph, layer) -> list[dict]:
    return [_route(graph, layer, "fastest", False), _route(graph, layer, "least-exposed", True)]


@pytest.fixture(scope="module")
def places() -> list[dict]:
    return [{"id": "gn:170063", "name": "Aleppo", "kind": "settlement", "lat": 36.20124, "lon": 37.16117},
            {"id": "cur:athria", "name": "Athria checkpoint", "kind": "checkpoint", "lat": 35.36813, "lon": 37.7817},
            {"id": "x", "name": "<svg onload=alert(6)>", "kind": "settlement", "lat": 36.0, "lon": 37.0}]


@pytest.fixture(scope="module")
def offline_html(graph, layer, routes, places) -> str:
    return maps.render_map(graph, layer, routes=routes, places=places, title=TITLE, offline=True)


@pytest.fixture(scope="module")
def timeline(graph, events) -> list:
    return [apply(graph, events, d) for d in (date(2024, 11, 27), AS_OF, date(2024, 12, 5))]


def test_offline_map_loads_no_external_asset_and_is_small(offline_html):
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", offline_html, re.I), "a script is loaded from a file or URL"
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*[\"']?(https?:|//)", offline_html, re.I)
    assert not re.search(r"url\(\s*[\"']?(https?:|//)", offline_html, re.I), "CSS fetches a remote image"
    assert not re.search(r"@import", offline_html)
    assert "tile.openstreetmap.org" not in offline_html
    assert "L.version" in offline_html or "Leaflet" in offline_html  # Leaflet itself is inlined
    assert len(offline_html.encode("utf-8")) < 2_000_000


def test_legend_title_date_and_attribution_are_on_the_map(graph, offline_html):
    assert 'class="sxr-box sxr-legend"' in offline_html and "<summary>Legend</summary>" in offline_html
    assert f"<h1>{TITLE}</h1>" in offline_html
    assert '<time class="sxr-date">2024-11-30</time>' in offline_html
    assert "schematic network" in offline_html.lower()
    assert html_lib.escape(graph.graph["source"]) in offline_html
    assert "GeoNames (CC BY 4.0)" in offline_html
    assert "Aleppo neighbourhoods: Columbia Center for Spatial Research" in offline_html
    assert "OpenStreetMap contributors (ODbL)" not in offline_html  # the schematic network is not OSM data


def test_a_real_osm_network_is_credited_to_openstreetmap():
    G = load_graph(DATA / "maskanah_homs_overpass.json")
    page = maps.render_map(G, apply(G, [], AS_OF), title="Maskanah to Homs", offline=True)
    assert "© OpenStreetMap contributors (ODbL)" in page
    assert "schematic network" not in page.lower()
    assert len(page.encode("utf-8")) < 2_000_000


def test_report_text_reaches_the_page_only_escaped(offline_html):
    for raw in ("<script>alert(1)", "<img src=x onerror=alert(2)>", "<img src=x onerror=alert(5)>",
                "<b>Evil</b>", "<svg onload=alert(6)>", "<b>highway</b>"):
        assert raw not in offline_html
    for n in (1, 2, 5, 6):  # each payload is present, but only as escaped text
        hits = [m.start() for m in re.finditer(rf"alert\({n}\)", offline_html)]
        assert hits, f"payload {n} was dropped instead of shown escaped"
        for at in hits:
            before = offline_html[max(0, at - 40):at]
            assert "&lt;" in before or "\\u0026lt;" in before, before
    assert not re.search(r"href=(\\\"|\"|')?javascript:", offline_html, re.I)
    assert "link withheld" in offline_html


def test_timeline_has_a_slider_and_one_frame_per_date(graph, layer, timeline):
    page = maps.render_map(graph, layer, title=TITLE, offline=True, timeline=timeline)
    slider = re.search(r'<input type="range"[^>]*>', page)
    assert slider and 'min="0"' in slider.group(0) and 'max="2"' in slider.group(0) and 'value="1"' in slider.group(0)
    block = re.search(r'<script type="application/json" id="[^"]+-frames">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["dates"] == ["2024-11-27", "2024-11-30", "2024-12-05"]
    assert len(data["frames"]) == 3
    closed = [len(f["closed"]["features"]) for f in data["frames"]]
    exposed = [len(f["exposure"]["features"]) for f in data["frames"]]
    assert closed[0] == 0 and closed[1] > 0 and closed[2] > 0  # nothing reported before 29 Nov; closure lasts
    assert exposed[1] > 0 and exposed[2] == 0  # sniper reports go stale after three days


def test_static_png_and_svg_are_written(graph, layer, routes, tmp_path):
    png = maps.render_static(graph, layer, routes, tmp_path / "map.png", title=TITLE)
    svg = maps.render_static(graph, layer, routes, tmp_path / "print" / "map.svg", title=TITLE)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "2024-11-30" in text and "GeoNames (CC BY 4.0)" in text
    assert not list(tmp_path.rglob(".*.tmp")) and not list(tmp_path.rglob(".map.*"))
    with pytest.raises(ValueError):
        maps.render_static(graph, layer, routes, tmp_path / "map.pdf", title=TITLE)


def test_fragment_embeds_without_page_elements(graph, layer):
    frag = maps.render_map(graph, layer, title=TITLE, offline=True, fragment=True)
    assert frag.lstrip().startswith('<div class="sxr-map-embed"') and frag.rstrip().endswith("</div>")
    for tag in ("<html", "<head", "<body", "<!doctype", "<meta", "<title"):
        assert tag not in frag.lower()
    assert "html, body" not in frag  # leaves the host page's styles alone
    assert 'class="folium-map"' in frag and "<script>" in frag


def test_online_map_uses_tiles_and_cdn(graph, layer):
    page = maps.render_map(graph, layer, title=TITLE)
    assert "tile.openstreetmap.org" in page and 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3' in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()  # nothing the map does not use


def test_write_html_replaces_the_file_atomically(tmp_path):
    target = tmp_path / "maps" / "aleppo.html"
    maps.write_html("<p>old</p>", target)
    maps.write_html("<p>ﺣﻠﺐ new</p>", target)
    assert target.read_text(encoding="utf-8") == "<p>ﺣﻠﺐ new</p>"
    assert [p.name for p in target.parent.iterdir()] == ["aleppo.html"]


# ---------------------------------------------------------------- in a real browser

_LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
_POINT_ON_PATH = """sel => {
  for (const p of document.querySelectorAll(sel)) {
    const len = p.getTotalLength(), m = p.getScreenCTM();
    for (let i = 0; i <= 40; i++) {
      const q = p.getPointAtLength(len * (0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) / 80));
      const x = m.a * q.x + m.c * q.y + m.e, y = m.b * q.x + m.d * q.y + m.f;
      if (document.elementFromPoint(x, y) === p) return [x, y];
    }
  }
  return null;
}"""


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright
except ImportError:  # the browser tests skip
    PlaywrightTimeout = TimeoutError
    sync_playwright = None


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None or not CHROMIUM.exists():
        pytest.skip("browser test needs the playwright package and /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=_LAUNCH_ARGS)
        yield b
        b.close()


def _open(browser, path: Path):
    """A page on the file, recording console errors, requests and script dialogs."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.set_default_timeout(10_000)
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("path.sxr-closed")
    return page, seen


def test_offline_map_in_a_real_browser(browser, offline_html, tmp_path):
    path = maps.write_html(offline_html, tmp_path / "offline.html")
    page, seen = _open(browser, path)
    try:
        assert page.locator(".sxr-legend").is_visible()
        assert "schematic network" in page.locator(".sxr-title").inner_text().lower()
        assert "2024-11-30" in page.locator(".sxr-title").inner_text()
        labels = {t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()}
        assert labels == LAYER_NAMES
        assert page.locator("path.sxr-route").count() == 2 and page.locator(".sxr-cp").count() == 1
        assert page.locator(".sxr-label-jam").inner_text().strip() == "+7 h"
        popup = page.locator(".leaflet-popup-content")
        for attempt in range(3):  # a click that lands while the page is still busy is repeated, as a person would
            xy = page.evaluate(_POINT_ON_PATH, "path.sxr-closed")
            assert xy, "no visible point on a red (closed) segment to click"
            page.mouse.click(*xy)
            try:
                popup.wait_for(timeout=3_000)
                break
            except PlaywrightTimeout:
                assert attempt < 2, f"clicking the red segment at {xy} opened no popup"
        page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.wait_for_timeout(300)  # let the map finish panning to the popup
        text = popup.inner_text()
        assert "Enab Baladi" in text and "published 2024-11-29" in text
        assert "The M5 highway between Aleppo and Hama is closed." in text
        assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text  # shown as words
        assert popup.locator("script, img").count() == 0
        assert popup.locator("a[href='https://example.org/rep-ev-m5']").count() == 1
        assert popup.locator("a[href^='javascript']").count() == 0
        page.mouse.move(1260, 840)  # off the line: its hover text closes, the popup stays
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map_offline.png"))
    finally:
        page.close()
    assert seen["errors"] == []
    assert seen["dialogs"] == [], "report text ran as script"
    assert [u for u in seen["requests"] if u != path.as_uri() and not u.startswith("data:")] == []


def test_timeline_slider_replays_the_dates_in_a_browser(browser, graph, layer, timeline, tmp_path):
    page_html = maps.render_map(graph, layer, title=TITLE, offline=True, timeline=timeline)
    path = maps.write_html(page_html, tmp_path / "timeline.html")
    page, seen = _open(browser, path)
    try:
        slider = page.locator("input[type=range]")
        counts = {}
        for i, day in enumerate(["2024-11-27", "2024-11-30", "2024-12-05"]):
            slider.fill(str(i))  # fires the input event
            assert page.locator(".sxr-title time.sxr-date").inner_text() == day
            counts[day] = (page.locator("path.sxr-closed").count(), page.locator("path.sxr-exposure").count())
        assert counts["2024-11-27"] == (0, 0)
        assert counts["2024-11-30"][0] > 0 and counts["2024-11-30"][1] > 0
        assert counts["2024-12-05"][0] > 0 and counts["2024-12-05"][1] == 0
    finally:
        page.close()
    assert seen["errors"] == [] and seen["dialogs"] == []
    assert [u for u in seen["requests"] if u != path.as_uri() and not u.startswith("data:")] == []


def test_statements_the_map_cannot_show_are_listed_in_the_legend(browser, graph, layer, tmp_path):
    unplaced = [Unplaced("rep-x", "closed", "closed", "The road to Raqqa was closed on Sunday.", 0, 39, "2024-11-24",
                         "no place the gazetteer knows fits it"),
                Unplaced("rep-y", "closed", "cut", "A road in northern <script>alert(9)</script> was cut.", 0, 50,
                         "2024-11-29", "an unnamed road near Aleppo")]
    page_html = maps.render_map(graph, layer, title=TITLE, offline=True, unplaced=unplaced)
    assert "<script>alert(9)" not in page_html
    page, seen = _open(browser, maps.write_html(page_html, tmp_path / "unplaced.html"))
    try:
        box = page.locator(".sxr-unplaced")
        assert box.locator("summary").inner_text().strip() == "Reported, but not on the map (2)"
        box.locator("summary").click()
        items = box.locator("li").all_inner_texts()
        assert items[0].startswith("closed 2024-11-29") and "<script>alert(9)</script>" in items[0]  # latest first, as words
        assert "The road to Raqqa was closed on Sunday." in items[1]
        assert not seen["dialogs"] and not seen["errors"]
    finally:
        page.close()
    # none reported: no such box
    assert "sxr-unplaced" not in maps.render_map(graph, layer, title=TITLE, offline=True)
