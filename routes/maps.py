"""Maps of road statuses: an interactive Leaflet map (built with folium) and a static matplotlib map.

`render_map` returns the HTML text of a map that shows, as of one date, which roads are closed,
under fire, jammed or reported open, the checkpoints, besieged or curfew areas, the routes and the
places the reports mention; every status line or marker opens a popup citing the report (publisher,
publication date, link, and the sentence in its own words). `write_html` saves it atomically and
`render_static` draws the same map as a PNG or SVG for print.

Modes of `render_map`:
- `offline=True`: one self-contained file that makes no network request (Leaflet inlined from the
  installed `xstatic-leaflet`, no tiles: the road network itself is the base map).
- `timeline=[layer, ...]`: a date slider (plain `<input type=range>` and a few lines of inline JS)
  replays the statuses of each StatusLayer, one frame per date.
- `fragment=True`: a `<div class="sxr-map-embed">` holding the map, its styles and scripts, to paste
  into a larger page (a CMS "HTML block" or a template). It sets no page-wide styles; size it with
  CSS, e.g. `.sxr-map-embed { height: 480px; }` (default: 70vh, at least 420px). Use one fragment
  per page: each one loads Leaflet. Where a CMS strips `<script>`, embed the full page instead with
  `<iframe src="map.html" style="width:100%;height:480px;border:0"></iframe>`.

Safety: every string that comes from a report (sentences, publishers, titles, place names) is passed
through `html.escape` and reaches the page only as JSON data, never inside JavaScript source; report
links are kept only when they are http(s) URLs.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import folium
import networkx as nx
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode
from shapely import line_merge
from shapely.geometry import LineString, MultiLineString, Point, mapping, shape

from routes._atomic import write_atomically
from routes.events import Event, Unplaced
from routes.status import StatusLayer, effective_end
from routes.targets import metres_to_degrees

Route = Mapping[str, Any]
Place = Mapping[str, Any]

COLOURS = {
    "network": "#8f8f8f", "open": "#1a9850", "closed": "#d7191c", "exposure": "#ff7f00",
    "congested": "#f2b701", "checkpoint": "#222222", "besieged": "#8c510a", "curfew": "#555555",
    "fastest": "#1f78b4", "least-exposed": "#6a3d9a", "pareto": "#5fa2ce", "route": "#666666",
    "place": "#222222",
}
# Overlays in the order the layer control lists them, with their names there.
LAYER_NAMES = {
    "closed": "Closed", "exposure": "Sniper fire / shelling", "congested": "Congested (delay)",
    "checkpoints": "Checkpoints", "open": "Reported open / corridor", "areas": "Besieged / curfew areas",
    "routes": "Routes", "places": "Places in reports", "network": "Road network",
}
STATUS_KEYS = ("closed", "exposure", "congested", "checkpoints", "open", "areas")  # what a timeline frame holds
# Drawing order, bottom to top, as Leaflet panes (overlayPane is 400, markers 600, tooltips 650).
_PANES = {"areas": 380, "network": 390, "routes": 395, "open": 410, "congested": 420, "exposure": 430,
          "closed": 440, "places": 450, "checkpoints": 610}
_MAJOR = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link"}
_NETWORK_TOLERANCE = 1e-4  # degrees (~10 m): display simplification of the grey network
_STATUS_TOLERANCE = 3e-5
_WIDE_PX = 900  # narrower maps (phones, small embeds) start with the legend and layer list folded
LEAFLET_CDN = ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
               "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
PLACE_ATTRIBUTIONS = ("GeoNames (CC BY 4.0)", "Aleppo neighbourhoods: Columbia Center for Spatial Research")
_CHECKPOINT_SVG = ('<svg viewBox="0 0 18 18" width="18" height="18" aria-hidden="true"><rect x="1" y="1" '
                   'width="16" height="16" rx="3" fill="#222" stroke="#fff" stroke-width="1.5"/>'
                   '<rect x="4" y="7.5" width="10" height="3" fill="#fff"/></svg>')


# ---------------------------------------------------------------- text, escaping, numbers

def _e(value: Any) -> str:
    """HTML-escaped text of any value (None -> empty)."""
    return html.escape("" if value is None else str(value), quote=True)


def _safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address, else None (no javascript:, data:, spaces)."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url.strip()):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _json(obj: Any) -> str:
    """JSON safe to place inside a <script> element (no '<', '>', '&' or line separators)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _duration(seconds: float) -> str:
    """'3 h 05 min', '45 min': a duration people read at a glance."""
    minutes = int(round(max(0.0, float(seconds)) / 60))
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min" if h and m else f"{h} h" if h else f"{m} min"


def _as_text(value: Any) -> str:
    """An OSM attribute (possibly a list merged by osmnx, possibly NaN) as one string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "; ".join(map(str, value)) if isinstance(value, (list, tuple, set)) else str(value)


def _token(label: str) -> str:
    """A CSS/JS-safe key made from a route label."""
    return re.sub(r"[^a-z0-9-]", "", str(label).lower()) or "route"


# ---------------------------------------------------------------- geometry

def _rounded(coords: Any) -> Any:
    """Coordinates rounded to 5 decimals (about 1 m), nested lists kept."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 5) for c in coords[:2]]
    return [_rounded(c) for c in coords]


def _geojson(geom: Any, tolerance: float = 0.0) -> dict[str, Any]:
    """A GeoJSON geometry, simplified for display and rounded."""
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=False) if not geom.is_empty else geom
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _rounded(g["coordinates"])}


def _edge_line(G: nx.MultiDiGraph, u: Hashable, v: Hashable, k: int) -> LineString:
    """An edge's geometry, or the straight line between its nodes."""
    geom = G.edges[u, v, k].get("geometry")
    if geom is None:
        geom = LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
    return geom


def _merged(lines: list[LineString]) -> Any:
    """Lines joined end to end where they meet (fewer vertices, one feature per group)."""
    return line_merge(MultiLineString(lines)) if len(lines) > 1 else lines[0]


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    """A GeoJSON Feature; `k` in props names its style, `tip`/`popup`/`label` its texts (already escaped)."""
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- popups

def _event_html(event: Event, layer: StatusLayer) -> str:
    """One event in a popup: status, dates, the sentences in the report's words, who published them."""
    end = event.valid_to or f"no end date given, taken as in force to {effective_end(event, layer.defaults)}"
    parts = [f'<div class="sxr-ev"><b class="sxr-st">{_e(event.status)}</b> {_e(event.target_name)}',
             f'<div class="sxr-when">{_e(event.valid_from)} – {_e(end)}</div>']
    if event.detail:
        parts.append(f'<div>{_e(event.detail)}</div>')
    if event.status in ("congested", "checkpoint"):
        if event.delay_h is not None:
            parts.append(f"<div>Delay: {_e(_duration(event.delay_h * 3600))}</div>")
        else:
            parts.append(f"<div>Delay: {_e(_duration(layer.defaults.delay_h.get(event.status, 0) * 3600))} "
                         "(default; no figure in the report)</div>")
    sources = {s.report_id: s for s in event.source}
    shown: set[str] = set()
    for ev in event.evidence:
        parts.append(f'<blockquote>“{_e(ev.sentence)}”</blockquote>')
        if ev.report_id in sources and ev.report_id not in shown:
            parts.append(_source_html(sources[ev.report_id]))
            shown.add(ev.report_id)
    parts += [_source_html(s) for rid, s in sources.items() if rid not in shown]
    parts.append(f'<div class="sxr-meta">event {_e(event.id)} · {_e(event.verification)} · '
                 f'confidence {float(event.confidence):.2f}</div></div>')
    return "".join(parts)


def _source_html(source: Any) -> str:
    """'Publisher, 2024-11-29: <a>title</a>' with a link only for http(s) URLs."""
    who = _e(source.publisher or "unknown publisher")
    title = _e(source.title or source.report_id)
    url = _safe_url(source.url)
    link = (f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>' if url
            else f"{title}" + (" (link withheld: not an http(s) address)" if source.url else ""))
    return f'<div class="sxr-src">{who}, published {_e(source.published)}: {link}</div>'


def _popup(heading: str, events: list[Event], layer: StatusLayer) -> str:
    """A popup: a heading (already escaped) then each event."""
    body = "<hr>".join(_event_html(e, layer) for e in sorted(events, key=lambda e: (e.valid_from, e.id)))
    return f'<div class="sxr-pop"><div class="sxr-head">{heading}</div>{body}</div>'


def _tip(label: str, events: list[Event], extra: str = "") -> str:
    """A one-line hover text: status, target, publishers and dates (escaped)."""
    who = "; ".join(sorted({f"{s.publisher or 'unknown'} {s.published}" for e in events for s in e.source}))
    targets = ", ".join(sorted({e.target_name for e in events}))
    return _e(" · ".join(x for x in (label, extra, targets, who) if x)) + " <i>(click for the report)</i>"


# ---------------------------------------------------------------- status layer -> GeoJSON

def _edge_categories(status: Any, events: Mapping[str, Event]) -> dict[str, list[Event]]:
    """Which overlays an edge belongs to, each with the events that put it there."""
    evs = [events[i] for i in status.event_ids if i in events]
    out: dict[str, list[Event]] = {}
    if status.closed:
        out["closed"] = [e for e in evs if e.status in ("closed", "besieged", "curfew")]
    if status.exposure:
        out["exposure"] = [e for e in evs if e.status in status.exposure]
    if "congested" in status.statuses or status.delay_s > 0:
        out["congested"] = [e for e in evs if e.status == "congested"]
    if status.statuses & {"open", "corridor"} and not status.closed:
        out["open"] = [e for e in evs if e.status in ("open", "corridor")]
    return {k: v for k, v in out.items() if v}


_HEADINGS = {"closed": "Closed", "exposure": "Under fire (sniper / shelling)", "congested": "Congested",
             "open": "Reported open / corridor", "checkpoints": "Checkpoint", "areas": "Area"}


def _road_label(G: nx.MultiDiGraph, keys: Iterable[tuple]) -> str:
    """The refs and names of a group of edges, e.g. 'M5, M4 · Aleppo–Damascus International Highway'."""
    refs: dict[str, None] = {}
    names: dict[str, None] = {}
    for u, v, k in keys:
        d = G.edges[u, v, k]
        refs.update(dict.fromkeys(r.strip() for r in _as_text(d.get("ref")).split(";") if r.strip()))
        names.update(dict.fromkeys(n.strip() for n in _as_text(d.get("name")).split(";") if n.strip()))
    named = "; ".join(list(names)[:2]) + (" …" if len(names) > 2 else "")
    return " · ".join(x for x in (", ".join(refs), named) if x)


def _status_collections(G: nx.MultiDiGraph, layer: StatusLayer) -> dict[str, dict[str, Any]]:
    """The GeoJSON FeatureCollection of each status overlay of one StatusLayer (what a timeline frame holds)."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple]] = defaultdict(list)
    seen: set[tuple[str, frozenset, int]] = set()
    events = layer.events
    for (u, v, k), st in layer.edges.items():
        for cat, evs in _edge_categories(st, events).items():
            undirected = (cat, frozenset((u, v)), k)
            if undirected in seen:
                continue
            seen.add(undirected)
            groups[(cat, tuple(sorted(e.id for e in evs)))].append((u, v, k))
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in STATUS_KEYS}
    drawn: set[str] = set()
    for (cat, ids), keys in groups.items():
        evs = [events[i] for i in ids]
        drawn.update(ids)
        road = _road_label(G, keys)
        extra = ""
        if cat == "congested":
            hours = [e.delay_h if e.delay_h is not None else layer.defaults.delay_h["congested"] for e in evs]
            extra = f"+{_duration(max(hours) * 3600)} delay"
        heading = _e(" · ".join(x for x in (_HEADINGS[cat], extra, road) if x))
        geom = _geojson(_merged([_edge_line(G, *key) for key in keys]), _STATUS_TOLERANCE)
        out[cat].append(_feature(geom, k=cat, tip=_tip(_HEADINGS[cat], evs, extra), popup=_popup(heading, evs, layer)))
    out["congested"] += _jam_points(G, layer, drawn)
    out["checkpoints"] += _checkpoint_points(G, layer, drawn)
    out["areas"] += _area_features(layer, drawn)
    for event in events.values():  # reported but matched to no road of this network: still shown, as a point
        cat = {"closed": "closed", "sniper": "exposure", "shelling": "exposure", "congested": "congested",
               "open": "open", "corridor": "open"}.get(event.status)
        if cat and event.id not in drawn:
            c = shape(event.geometry).centroid
            out[cat].append(_feature(_geojson(Point(c.x, c.y)), k=f"pt-{cat}",
                                     tip=_tip(_HEADINGS[cat], [event], "no road of this network matched"),
                                     popup=_popup(_e(f"{_HEADINGS[cat]} (not matched to a road)"), [event], layer)))
    return {key: _collection(features) for key, features in out.items()}


def _jam_points(G: nx.MultiDiGraph, layer: StatusLayer, drawn: set[str]) -> list[dict[str, Any]]:
    """Queues at a node, labelled with the delay."""
    out = []
    for node, st in layer.nodes.items():
        evs = [layer.events[i] for i in st.event_ids if i in layer.events and layer.events[i].status == "congested"]
        if not evs:
            continue
        drawn.update(e.id for e in evs)
        label = f"+{_duration(st.delay_s)}"
        where = _as_text(G.nodes[node].get("name"))
        pt = _geojson(Point(G.nodes[node]["x"], G.nodes[node]["y"]))
        heading = _e(" · ".join(x for x in ("Congested", label + " wait", where) if x))
        out.append(_feature(pt, k="jam", label=_e(label), popup=_popup(heading, evs, layer)))
    return out


def _checkpoint_points(G: nx.MultiDiGraph, layer: StatusLayer, drawn: set[str]) -> list[dict[str, Any]]:
    """One marker per checkpoint position: the graph node it was matched to, else the reported point."""
    at: dict[tuple[float, float], list[Event]] = defaultdict(list)
    node_of = {i: n for n, st in layer.nodes.items() for i in st.event_ids}
    for event in layer.events.values():
        if event.status != "checkpoint":
            continue
        drawn.add(event.id)
        if event.id in node_of:
            n = node_of[event.id]
            xy = (G.nodes[n]["x"], G.nodes[n]["y"])
        else:
            c = shape(event.geometry).centroid
            xy = (c.x, c.y)
        at[(round(xy[0], 5), round(xy[1], 5))].append(event)
    return [_feature(_geojson(Point(xy)), k="checkpoint", tip=_tip("Checkpoint", evs),
                     popup=_popup(_e("Checkpoint"), evs, layer)) for xy, evs in at.items()]


def _area_features(layer: StatusLayer, drawn: set[str]) -> list[dict[str, Any]]:
    """Besieged and curfew areas: the reported polygon, or a circle of the status radius around a point."""
    out = []
    for event in layer.events.values():
        if event.status not in ("besieged", "curfew"):
            continue
        drawn.add(event.id)
        geom = shape(event.geometry)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            c = geom.centroid
            radius_m = event.radius_m or layer.defaults.radius_m.get(event.status, 1000)
            geom = c.buffer(metres_to_degrees(radius_m, c.y), 24)
        heading = _e(f"{event.status.capitalize()} area · {event.target_name}")
        out.append(_feature(_geojson(geom, _STATUS_TOLERANCE), k=event.status,
                            tip=_tip(event.status.capitalize(), [event]), popup=_popup(heading, [event], layer)))
    return out


def _network_collection(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The road network for display: both directions drawn once, lines of one road merged, simplified; town labels."""
    groups: dict[tuple[str, str, str], list[LineString]] = defaultdict(list)
    seen: set[tuple[frozenset, int]] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if (frozenset((u, v)), k) in seen:
            continue
        seen.add((frozenset((u, v)), k))
        highway = _as_text(d.get("highway")).split(";")[0]
        name = " ".join(x for x in (_as_text(d.get("ref")), _as_text(d.get("name")), _as_text(d.get("name:ar"))) if x)
        groups[("major" if highway in _MAJOR else "minor", name, highway)].append(_edge_line(G, u, v, k))
    features = [_feature(_geojson(_merged(lines), _NETWORK_TOLERANCE), k=cls, tip=_e(name or highway or "road"))
                for (cls, name, highway), lines in groups.items()]
    for n, d in G.nodes(data=True):
        if d.get("place") in ("city", "town") and _as_text(d.get("name")):
            features.append(_feature(_geojson(Point(d["x"], d["y"])), k=d["place"], label=_e(_as_text(d["name"]))))
    return _collection(features)


def _route_colour(route: Route) -> str:
    """The colour of a route by its label (fastest blue, least-exposed violet)."""
    return COLOURS.get(_token(route.get("label", "")), COLOURS["route"])


def _route_text(route: Route) -> str:
    """'Fastest: 3 h 10 min · delay 7 h · 12.3 km exposed'."""
    name = str(route.get("label", "route")).replace("-", " ").capitalize()
    return (f"{name}: {_duration(route.get('travel_time_s', 0))} · delay {_duration(route.get('delay_s', 0))}"
            f" · {float(route.get('exposure_m', 0)) / 1000:.1f} km exposed")


def _route_collection(routes: Sequence[Route], layer: StatusLayer) -> dict[str, Any]:
    """Routes as lines (the first listed drawn on top, narrowest) and a label on each."""
    features = []
    n = len(routes)
    for j, route in enumerate(reversed(routes)):
        i = n - 1 - j
        if len(route.get("geometry", {}).get("coordinates", [])) < 2:
            continue
        colour = _route_colour(route)
        line = LineString(route["geometry"]["coordinates"])
        crossed = [layer.events[e] for e in route.get("event_ids", []) if e in layer.events]
        popup = (f'<div class="sxr-pop"><div class="sxr-head">{_e(_route_text(route))}</div>'
                 f'<div>Length {float(route.get("length_m", 0)) / 1000:.1f} km, as of {_e(layer.as_of)}</div>'
                 f'<div>Via: {_e(", ".join(map(str, route.get("via", []))) or "—")}</div>'
                 + "".join(f"<div>Passes: {_e(e.status)} · {_e(e.target_name)} ({_e(e.id)})</div>" for e in crossed)
                 + "</div>")
        style = {"color": colour, "weight": 5 + 4 * i}
        features.append(_feature(_geojson(line, _STATUS_TOLERANCE), k="route", style=style,
                                 tip=_e(_route_text(route)), popup=popup))
        anchor = line.interpolate((0.4, 0.7, 0.55)[i % 3], normalized=True)  # labels apart where routes share roads
        features.append(_feature(_geojson(anchor), k="routelabel", style={"color": colour, "fillColor": colour},
                                 label=_e(_route_text(route)), popup=popup))
    return _collection(features)


def _place_collection(places: Iterable[Place]) -> dict[str, Any]:
    """Places the reports mention, as small white circles."""
    features = []
    for p in places:
        try:
            pt = Point(float(p["lon"]), float(p["lat"]))
        except (KeyError, TypeError, ValueError):
            continue
        tip = _e(f"{p.get('name', '')} ({p.get('kind', 'place')})")
        popup = f'<div class="sxr-pop"><b>{tip}</b><div class="sxr-meta">{_e(p.get("id", ""))}</div></div>'
        features.append(_feature(_geojson(pt), k="place", tip=tip, popup=popup))
    return _collection(features)


# ---------------------------------------------------------------- styles, legend, page furniture

def _styles(prefix: str) -> dict[str, dict[str, Any]]:
    """Leaflet path options for each feature kind (the JS looks them up by the feature's `k`)."""
    def pane(p: str) -> dict[str, str]:
        """The Leaflet pane that sets this kind's drawing order."""
        return {"pane": f"sxr-{p}"}
    line = {"lineCap": "round", "lineJoin": "round", "opacity": 0.95}
    dot = {"radius": 6, "weight": 3, "fillColor": "#fff", "fillOpacity": 1}
    return {
        "major": {**pane("network"), "color": COLOURS["network"], "weight": 2.4, "opacity": 0.9},
        "minor": {**pane("network"), "color": COLOURS["network"], "weight": 1.3, "opacity": 0.8},
        "city": {**pane("network"), "radius": 3, "color": "#444", "weight": 1, "fillColor": "#444", "fillOpacity": 1},
        "town": {**pane("network"), "radius": 2, "color": "#666", "weight": 1, "fillColor": "#666", "fillOpacity": 1},
        "closed": {**pane("closed"), **line, "color": COLOURS["closed"], "weight": 5,
                   "className": "sxr-seg sxr-closed"},
        "exposure": {**pane("exposure"), **line, "color": COLOURS["exposure"], "weight": 4, "dashArray": "8 7",
                     "lineCap": "butt", "className": "sxr-seg sxr-exposure"},
        "congested": {**pane("congested"), **line, "color": COLOURS["congested"], "weight": 6,
                      "className": "sxr-seg sxr-congested"},
        "open": {**pane("open"), **line, "color": COLOURS["open"], "weight": 4, "className": "sxr-seg sxr-open"},
        "jam": {**pane("congested"), "radius": 7, "color": "#7a5b00", "weight": 2, "fillColor": COLOURS["congested"],
                "fillOpacity": 1, "className": "sxr-jam"},
        **{f"pt-{c}": {**pane(c), **dot, "color": COLOURS[c]} for c in ("closed", "exposure", "congested", "open")},
        "besieged": {**pane("areas"), "color": COLOURS["besieged"], "weight": 2, "dashArray": "6 4",
                     "fillColor": f"url(#{prefix}-hatch-besieged)", "fillOpacity": 1, "className": "sxr-area"},
        "curfew": {**pane("areas"), "color": COLOURS["curfew"], "weight": 2, "dashArray": "6 4",
                   "fillColor": f"url(#{prefix}-hatch-curfew)", "fillOpacity": 1, "className": "sxr-area"},
        "route": {**pane("routes"), "opacity": 0.6, "lineCap": "round", "lineJoin": "round", "className": "sxr-route"},
        "routelabel": {**pane("routes"), "radius": 4, "weight": 2, "fillOpacity": 1},
        "place": {**pane("places"), "radius": 4, "color": COLOURS["place"], "weight": 1.5, "fillColor": "#fff",
                  "fillOpacity": 1},
    }


_CSS = """
.sxr-box{background:#fff;color:#111;padding:6px 10px;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.4);
 font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.sxr-title{max-width:min(440px,62vw)}
.sxr-title h1{font-size:16px;margin:0 0 2px;line-height:1.25}
.sxr-title p{margin:0}
.sxr-badge{background:#fde68a;color:#5c3b00;padding:0 4px;border-radius:3px;font-weight:700;font-size:11px;
 text-transform:uppercase;letter-spacing:.02em}
.sxr-timeline{display:flex;align-items:center;gap:6px;margin-top:5px}
.sxr-timeline input{flex:1;min-width:110px}
.sxr-timeline button{border:1px solid #888;background:#f4f4f4;border-radius:3px;width:28px;height:24px;padding:0;
 cursor:pointer}
.sxr-legend{max-width:300px;max-height:60vh;overflow:auto;font-size:12px}
.sxr-legend summary{font-weight:700;cursor:pointer}
.sxr-legend ul{list-style:none;margin:4px 0;padding:0}
.sxr-legend li{display:flex;align-items:center;gap:7px;margin:3px 0}
.sxr-legend li svg{flex:none}
.sxr-note,.sxr-sources{font-size:11px;color:#333;margin:4px 0 0}
.sxr-sources{border-top:1px solid #ddd;padding-top:4px}
.sxr-sources p{margin:2px 0}
.sxr-pop{font:12px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.sxr-head{font-weight:700;margin-bottom:4px}
.sxr-pop blockquote{margin:4px 0;padding:3px 7px;border-left:3px solid #999;background:#f5f5f5;white-space:pre-wrap}
.sxr-st{text-transform:uppercase}
.sxr-when,.sxr-meta{color:#555}
.sxr-meta{font-size:11px}
.sxr-pop hr{border:0;border-top:1px solid #ccc}
.leaflet-tooltip.sxr-label{padding:0 4px;font:11px/1.4 system-ui,Arial,sans-serif;box-shadow:none;
 background:rgba(255,255,255,.85);border:1px solid #bbb}
.sxr-label-city{font-weight:700}
.sxr-label-town{font-size:10px;color:#333}
.sxr-lowzoom .sxr-label-town{display:none}
.sxr-label-jam{background:#f2b701;border-color:#7a5b00;font-weight:700}
.sxr-label-routelabel{font-weight:600}
.sxr-cp{background:none;border:0}
.sxr-stale .sxr-route{stroke-opacity:.2}
.leaflet-container path.leaflet-interactive:focus{outline:none}
.leaflet-tooltip.sxr-tip{white-space:normal;width:max-content;max-width:300px}
.leaflet-container .leaflet-control-attribution{font-size:11px;max-width:70%}
.leaflet-control-layers-list{font-size:13px}
@media print{.leaflet-control-zoom,.leaflet-control-layers,.sxr-timeline button{display:none}
 .sxr-legend{max-height:none}}
"""


def _swatch(colour: str, *, width: float = 4, dash: str | None = None, opacity: float = 1) -> str:
    """A short line drawn in inline SVG for the legend."""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="36" height="12" aria-hidden="true"><line x1="2" y1="6" x2="34" y2="6" stroke="{colour}" '
            f'stroke-width="{width}" stroke-opacity="{opacity}" stroke-linecap="round"{dash_attr}/></svg>')


def _hatch_defs(prefix: str) -> str:
    """SVG patterns for the hatched areas (referenced by fill="url(#…)"; nothing is fetched)."""
    out = []
    for kind in ("besieged", "curfew"):
        c = COLOURS[kind]
        angle = 45 if kind == "besieged" else -45
        out.append(f'<pattern id="{prefix}-hatch-{kind}" patternUnits="userSpaceOnUse" width="8" height="8" '
                   f'patternTransform="rotate({angle})"><rect width="8" height="8" fill="{c}" fill-opacity="0.08"/>'
                   f'<line x1="0" y1="0" x2="0" y2="8" stroke="{c}" stroke-width="3" stroke-opacity="0.55"/></pattern>')
    return ('<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>'
            + "".join(out) + "</defs></svg>")


def _attributions(G: nx.MultiDiGraph, short: bool = False) -> list[str]:
    """Plain-text credits for every data source on the map (short: for the attribution line)."""
    if G.graph.get("schematic"):
        first = "Schematic road network (not surveyed)" if short else f"Schematic network: {G.graph.get('source', '')}"
    else:
        first = OSM_ATTRIBUTION if short else f"Roads: {G.graph.get('source', 'OpenStreetMap')} {OSM_ATTRIBUTION}"
    return [first, *PLACE_ATTRIBUTIONS] + ([] if short else ["Road statuses: the reports cited in each popup"])


_UNPLACED_SHOWN = 8  # the most recent unplaced statements listed in the legend


def _unplaced_html(unplaced: Sequence[Unplaced]) -> str:
    """What the reports say that the map cannot show (no place it knows): the latest statements, in their words."""
    if not unplaced:
        return ""
    latest = sorted(unplaced, key=lambda u: u.date, reverse=True)[:_UNPLACED_SHOWN]
    rows = "".join(f"<li><span><b>{_e(u.status)}</b> {_e(u.date)}: “{_e(u.sentence)}”</span></li>" for u in latest)
    more = f"<p>and {len(unplaced) - len(latest)} more, in the events file.</p>" if len(unplaced) > len(latest) else ""
    return (f'<details class="sxr-unplaced"><summary>Reported, but not on the map ({len(unplaced)})</summary>'
            f"<ul>{rows}</ul>{more}</details>")


def _legend_html(prefix: str, G: nx.MultiDiGraph, routes: Sequence[Route], as_of: date,
                 unplaced: Sequence[Unplaced] = ()) -> str:
    """The legend box: one line per symbol, the routes with their figures, what is reported but not shown,
    then the sources."""
    hatch = lambda kind: (f'<svg width="36" height="14" aria-hidden="true"><rect x="1" y="1" width="34" height="12" '
                          f'fill="url(#{prefix}-hatch-{kind})" stroke="{COLOURS[kind]}" stroke-dasharray="4 2"/></svg>')
    dot = lambda fill, stroke, r=4: (f'<svg width="36" height="14" aria-hidden="true"><circle cx="18" cy="7" r="{r}" '
                                     f'fill="{fill}" stroke="{stroke}" stroke-width="2"/></svg>')
    items = [
        (_swatch(COLOURS["closed"], width=5), "Closed"),
        (_swatch(COLOURS["exposure"], dash="7 5"), "Under sniper fire / shelling (exposed)"),
        (_swatch(COLOURS["congested"], width=6), "Congested; label = reported delay"),
        (f'<span style="display:inline-block;width:36px;text-align:center">{_CHECKPOINT_SVG}</span>', "Checkpoint"),
        (_swatch(COLOURS["open"]), "Reported open / corridor"),
        (hatch("besieged"), "Besieged area"),
        (hatch("curfew"), "Curfew area"),
        *([] if routes else [(_swatch(COLOURS["fastest"], width=5, opacity=0.6), "Fastest route"),
                             (_swatch(COLOURS["least-exposed"], width=7, opacity=0.6), "Least-exposed route")]),
        (dot("#fff", COLOURS["place"]), "Place named in a report"),
        (dot("#fff", COLOURS["closed"], 5), "Reported, but matched to no road here"),
        (_swatch(COLOURS["network"], width=2), "Road network" + (" (schematic)" if G.graph.get("schematic") else "")),
    ]
    rows = "".join(f"<li>{sym}<span>{text}</span></li>" for sym, text in items)
    route_rows = "".join(f"<li>{_swatch(_route_colour(r), width=5, opacity=0.6)}<span>{_e(_route_text(r))}</span></li>"
                         for r in routes)
    route_block = f'<p class="sxr-note"><b>Routes as of {_e(as_of)}</b></p><ul>{route_rows}</ul>' if routes else ""
    sources = "".join(f"<p>{_e(a)}</p>" for a in _attributions(G))
    return (f'<div id="{prefix}-legend" class="sxr-box sxr-legend"><details open><summary>Legend</summary>'
            f'<ul>{rows}</ul>{route_block}<p class="sxr-note">Click a coloured line or marker for the report: '
            f'who said it, when, in which words.</p>{_unplaced_html(unplaced)}'
            f'<div class="sxr-sources"><b>Sources</b>{sources}</div></details></div>')


_PLAY = '<svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><path d="M2 1l9 5-9 5z" fill="#222"/></svg>'
_PAUSE = ('<svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect x="2" y="1" width="3" height="10" '
          'fill="#222"/><rect x="7" y="1" width="3" height="10" fill="#222"/></svg>')


def _title_html(prefix: str, G: nx.MultiDiGraph, title: str, as_of: date, dates: list[str] | None, start: int) -> str:
    """The title box: the title, the as-of date, a schematic warning, and the date slider of a timeline."""
    badge = (' · <span class="sxr-badge">schematic network</span> not surveyed roads'
             if G.graph.get("schematic") else "")
    slider = ""
    if dates:
        slider = (f'<div class="sxr-timeline"><button type="button" class="sxr-play" aria-label="Play the timeline">'
                  f'{_PLAY}</button><input type="range" id="{prefix}-slider" min="0" max="{len(dates) - 1}" step="1" '
                  f'value="{start}" aria-label="Date shown on the map" aria-valuetext="{_e(dates[start])}">'
                  f'<output for="{prefix}-slider" class="sxr-date">{_e(dates[start])}</output></div>')
    shown = dates[start] if dates else as_of.isoformat()
    return (f'<div id="{prefix}-title" class="sxr-box sxr-title"><h1>{_e(title)}</h1>'
            f'<p>Road status as of <time class="sxr-date">{_e(shown)}</time>{badge}</p>{slider}</div>')


_SETUP_JS = """
var %(ns)s = (function (map) {
  var S = %(styles)s, CP = %(cp)s, panes = %(panes)s;
  Object.keys(panes).forEach(function (p) { map.createPane("sxr-" + p).style.zIndex = panes[p]; });
  function style(f) { var p = f.properties; return Object.assign({}, S[p.k] || {}, p.style || {}); }
  function each(f, layer) {
    var p = f.properties;
    if (p.label) layer.bindTooltip(p.label, {permanent: true, direction: "right", offset: [6, 0],
                                             className: "sxr-label sxr-label-" + p.k});
    else if (p.tip) layer.bindTooltip(p.tip, {sticky: true, className: "sxr-tip"});
    if (p.popup) layer.bindPopup(p.popup, {maxWidth: 380, maxHeight: 320});
  }
  function point(f, latlng) {
    if (f.properties.k === "checkpoint")
      return L.marker(latlng, {icon: L.divIcon({className: "sxr-cp", html: CP, iconSize: [18, 18]}),
                               pane: "sxr-checkpoints"});
    return L.circleMarker(latlng, style(f));
  }
  return {style: style, each: each, point: point};
})(%(map)s);
"""

_CHROME_JS = """
(function (map) {
  var cfg = %(cfg)s;
  function control(id, position, first) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = L.control({position: position});
    c.onAdd = function () {
      L.DomEvent.disableClickPropagation(el); L.DomEvent.disableScrollPropagation(el); return el;
    };
    c.addTo(map);
    if (first) el.parentNode.insertBefore(el, el.parentNode.firstChild);
    return el;
  }
  var title = control(cfg.prefix + "-title", "topleft", true);
  var legend = control(cfg.prefix + "-legend", "bottomleft", false);
  cfg.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
  var box = map.getContainer(), wide = map.getSize().x >= cfg.widePx && map.getSize().y >= 640;
  if (!wide) legend.querySelector("details").open = false;  /* a phone: the map first, the legend on demand */
  map.fitBounds(cfg.bounds, wide ? {paddingTopLeft: [legend.offsetWidth + 16, title.offsetHeight + 16],
                                    paddingBottomRight: [90, 24]} : {padding: [8, 8]});
  function zoomClass() { box.classList.toggle("sxr-lowzoom", map.getZoom() < cfg.townZoom); }
  map.on("zoomend", zoomClass); zoomClass();
  if (!cfg.timeline) return;
  var data = JSON.parse(document.getElementById(cfg.prefix + "-frames").textContent);
  var layers = %(layers)s;
  var slider = document.getElementById(cfg.prefix + "-slider"), play = title.querySelector(".sxr-play");
  function show(i) {
    var frame = data.frames[i];
    Object.keys(layers).forEach(function (k) { layers[k].clearLayers(); layers[k].addData(frame[k]); });
    title.querySelectorAll(".sxr-date").forEach(function (el) { el.textContent = data.dates[i]; });
    slider.value = i; slider.setAttribute("aria-valuetext", data.dates[i]);
    box.classList.toggle("sxr-stale", data.dates[i] !== data.routes_as_of);
  }
  slider.addEventListener("input", function () { show(+slider.value); });
  var timer = null;
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.innerHTML = cfg.icons.play; return; }
    if (+slider.value >= data.dates.length - 1) show(0);
    play.innerHTML = cfg.icons.pause;
    timer = setInterval(function () {
      var i = +slider.value + 1;
      if (i >= data.dates.length) { clearInterval(timer); timer = null; play.innerHTML = cfg.icons.play; return; }
      show(i);
    }, 1200);
  });
  show(data.initial);
})(%(map)s);
"""


class _Raw(MacroElement):
    """A MacroElement that adds prepared HTML to the page body and JS to the map script, in child order."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}"
                         "{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, body: str = "", js: str = ""):
        super().__init__()
        self._name = "SxrRaw"
        self.body, self.js = body, js


# ---------------------------------------------------------------- assembling the page

def _leaflet_inline() -> tuple[str, str]:
    """Leaflet's CSS (its images as data: URIs) and JS from the installed xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xl

    base = Path(xl.BASE_DIR)

    def data_uri(match: re.Match) -> str:
        """An image of Leaflet's CSS as a data: URI (nothing fetched from disk or network)."""
        raw = (base / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode()})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, (base / "leaflet.css").read_text(encoding="utf-8"))
    css = re.sub(r"\s*behavior:\s*url\(#default#VML\);", "", css)  # an IE-only line
    js = re.sub(r"//# sourceMappingURL=\S+", "", (base / "leaflet.js").read_text(encoding="utf-8"))
    return css, js.replace("</script", "<\\/script")


def _bounds(G: nx.MultiDiGraph) -> list[list[float]]:
    """[[south, west], [north, east]] of the graph's nodes, as Leaflet wants bounds."""
    xs = [d["x"] for _, d in G.nodes(data=True)]
    ys = [d["y"] for _, d in G.nodes(data=True)]
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _geojson_layer(data: dict[str, Any], key: str, ns: str) -> folium.GeoJson:
    """A folium GeoJson overlay whose styles, popups and tooltips come from the features' properties."""
    return folium.GeoJson(data, name=LAYER_NAMES[key], pane=f"sxr-{key}",
                          on_each_feature=JsCode(f"{ns}.each"), style=JsCode(f"{ns}.style"),
                          point_to_layer=JsCode(f"{ns}.point"))


def _strip_page_styles(head: str) -> str:
    """Drop what folium sets for the whole page (meta tags, html/body and #map rules): not for a fragment."""
    head = re.sub(r"<meta\b[^>]*>", "", head)
    return re.sub(r"<style>\s*(html, body|#map)\s*\{.*?</style>", "", head, flags=re.S)


def render_map(G: nx.MultiDiGraph, layer: StatusLayer, *, routes: Sequence[Route] = (), places: Iterable[Place] = (),
               title: str, offline: bool = False, timeline: list[StatusLayer] | None = None,
               fragment: bool = False, unplaced: Sequence[Unplaced] = ()) -> str:
    """The HTML of the status map (a page, or a `<div>` fragment to embed); see the module docstring."""
    routes = list(routes)
    (south, west), (north, east) = _bounds(G)
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=8, tiles=None, control_scale=True,
                   zoom_snap=0.25, font_size="13px")
    prefix = m.get_name()
    ns = f"sxr_{prefix}"
    # Only Leaflet: none of folium's jQuery, Bootstrap or icon fonts (inlined below when offline).
    m.default_js = [] if offline else [("leaflet", LEAFLET_CDN[0])]
    m.default_css = [] if offline else [("leaflet_css", LEAFLET_CDN[1])]
    if not offline:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap background", overlay=False).add_to(m)
    m.add_child(_Raw(js=_SETUP_JS % {"ns": ns, "styles": _json(_styles(prefix)), "cp": _json(_CHECKPOINT_SVG),
                                     "panes": _json(_PANES), "map": prefix}))
    frames = [_status_collections(G, lyr) for lyr in (timeline or [])]
    dates = [lyr.as_of.isoformat() for lyr in (timeline or [])]
    start = _start_frame(dates, layer.as_of)
    current = frames[start] if frames else _status_collections(G, layer)
    overlays = {key: _geojson_layer(current[key], key, ns) for key in STATUS_KEYS}
    for key in LAYER_NAMES:  # the layer control lists overlays in the order they are added
        if key in overlays:
            overlays[key].add_to(m)
        elif key == "routes":
            _geojson_layer(_route_collection(routes, layer), key, ns).add_to(m)
        elif key == "places":
            _geojson_layer(_place_collection(places), key, ns).add_to(m)
        elif key == "network":
            _geojson_layer(_network_collection(G), key, ns).add_to(m)
    # Expanded on a desktop screen, a button on a phone (Leaflet reads the option once, at start).
    folium.LayerControl(collapsed=JsCode(f"{prefix}.getSize().x < {_WIDE_PX}")).add_to(m)
    body = _hatch_defs(prefix) + _title_html(prefix, G, title, layer.as_of, dates, start) \
        + _legend_html(prefix, G, routes, layer.as_of, unplaced)
    if frames:
        replay = {"dates": dates, "initial": start, "routes_as_of": layer.as_of.isoformat(), "frames": frames}
        body += f'<script type="application/json" id="{prefix}-frames">{_json(replay)}</script>'
    cfg = {"prefix": prefix, "timeline": bool(frames), "townZoom": 9, "icons": {"play": _PLAY, "pause": _PAUSE},
           "bounds": _bounds(G), "widePx": _WIDE_PX, "attribution": [_e(a) for a in _attributions(G, short=True)]}
    layers_js = "{" + ",".join(f"{_json(k)}:{overlays[k].get_name()}" for k in STATUS_KEYS) + "}"
    m.add_child(_Raw(body=body, js=_CHROME_JS % {"cfg": _json(cfg), "layers": layers_js, "map": prefix}))
    fig = m.get_root()
    if offline:
        css, js = _leaflet_inline()
        fig.header.add_child(Element(f"<style>{css}</style>\n<script>{js}</script>"), name="leaflet_inline")
    fig.header.add_child(Element(f"<style>{_CSS}</style>"), name="sxr_css")
    fig.render()
    head, body_html, script = fig.header.render(), fig.html.render(), fig.script.render()
    if fragment:
        page = (f'<div class="sxr-map-embed" id="{prefix}-embed"><style>.sxr-map-embed{{position:relative;width:100%;'
                f'height:70vh;min-height:420px}}</style>{_strip_page_styles(head)}{body_html}'
                f"<script>{script}</script></div>\n")
    else:
        full_title = _e(f"{title} — road status as of {dates[start] if dates else layer.as_of.isoformat()}")
        page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{full_title}</title>\n'
                f'<link rel="icon" href="data:,">\n{head}\n</head>\n<body>\n{body_html}\n'
                f"<script>\n{script}\n</script>\n</body>\n</html>\n")
    if offline and re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*(?![\"']?data:)", page, flags=re.I):
        raise RuntimeError("offline map would load an external asset")  # a bug here, never the user's input
    return page


def _start_frame(dates: list[str], as_of: date) -> int:
    """The timeline frame shown first: the layer's own date, else the last date on or before it."""
    if not dates:
        return 0
    on_or_before = [i for i, d in enumerate(dates) if d <= as_of.isoformat()]
    return on_or_before[-1] if on_or_before else 0


def write_html(html: str, path: str | Path) -> Path:
    """Write the map atomically (no half-written map)."""
    return write_atomically(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


# ---------------------------------------------------------------- static map

def _mpl(text: str) -> str:
    """Text for matplotlib with '$' escaped (it would start mathtext)."""
    return str(text).replace("$", r"\$")


def _emptiest_corner(lines: list[list[Any]], box: tuple[float, float, float, float]) -> str:
    """The corner of the map with the fewest road vertices, where the legend hides the least."""
    x0, x1, y0, y1 = box
    counts = {}
    for loc, (fx, fy) in {"lower right": (1, 0), "lower left": (0, 0), "upper right": (1, 1), "upper left": (0, 1)}.items():
        cx = (x0, x0 + 0.4 * (x1 - x0)) if fx == 0 else (x1 - 0.4 * (x1 - x0), x1)
        cy = (y0, y0 + 0.45 * (y1 - y0)) if fy == 0 else (y1 - 0.45 * (y1 - y0), y1)
        counts[loc] = sum(cx[0] <= x <= cx[1] and cy[0] <= y <= cy[1] for line in lines for x, y in line)
    return min(counts, key=lambda loc: counts[loc])  # ties: lower right first


def render_static(G: nx.MultiDiGraph, layer: StatusLayer, routes: Sequence[Route], path: str | Path, *,
                  title: str) -> Path:
    """A static map for print (PNG or SVG by the file suffix): same colours, legend, title with date, credits."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon as MplPolygon

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{path}: static maps are .png or .svg")
    (south, west), (north, east) = _bounds(G)
    pad_x, pad_y = (east - west) * 0.03 + 0.01, (north - south) * 0.03 + 0.01
    x0, x1, y0, y1 = west - pad_x, east + pad_x + (east - west) * 0.07, south - pad_y, north + pad_y  # room for labels
    stretch = 1 / max(0.2, math.cos(math.radians((south + north) / 2)))
    map_w = 9.4  # inches; the height follows the map's shape, plus room for the title and the credits
    map_h = min(14.0, max(4.0, map_w * (y1 - y0) * stretch / (x1 - x0)))
    top, bottom = 0.95, 0.45
    fig = Figure(figsize=(map_w + 0.6, map_h + top + bottom), dpi=130)
    H = map_h + top + bottom
    ax = fig.add_axes((0.3 / (map_w + 0.6), bottom / H, map_w / (map_w + 0.6), map_h / H))
    ax.set_aspect(stretch, adjustable="box")
    ax.set_xticks([]), ax.set_yticks([])

    def lines(fc: dict[str, Any]) -> list[list[tuple[float, float]]]:
        """The line coordinates of a FeatureCollection, for a matplotlib LineCollection."""
        out = []
        for f in fc["features"]:
            g = f["geometry"]
            if g["type"] == "LineString":
                out.append(g["coordinates"])
            elif g["type"] == "MultiLineString":
                out.extend(g["coordinates"])
        return out

    net = _network_collection(G)
    for cls, width in (("minor", 0.7), ("major", 1.3)):
        sub = _collection([f for f in net["features"] if f["properties"]["k"] == cls])
        ax.add_collection(LineCollection(lines(sub), colors=COLOURS["network"], linewidths=width, zorder=2))
    cols = _status_collections(G, layer)
    for f in cols["areas"]["features"]:
        kind = f["properties"]["k"]
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for poly in polys:
            ax.add_patch(MplPolygon(poly[0], closed=True, facecolor="none", edgecolor=COLOURS[kind], hatch="////",
                                    linestyle="--", linewidth=1.2, zorder=1))
    for j, route in enumerate(reversed(list(routes))):
        i = len(routes) - 1 - j
        xy = route["geometry"]["coordinates"]
        colour = _route_colour(route)
        ax.plot([p[0] for p in xy], [p[1] for p in xy], color=colour, linewidth=3 + 3 * i, alpha=0.6,
                solid_capstyle="round", zorder=3)
    styles = {"open": dict(colors=COLOURS["open"], linewidths=2.2),
              "congested": dict(colors=COLOURS["congested"], linewidths=3.2),
              "exposure": dict(colors=COLOURS["exposure"], linewidths=2.4, linestyles=(0, (4, 3))),
              "closed": dict(colors=COLOURS["closed"], linewidths=3)}
    for z, (cat, style) in enumerate(styles.items()):
        ax.add_collection(LineCollection(lines(cols[cat]), zorder=4 + z, **style))
        for f in cols[cat]["features"]:
            if f["geometry"]["type"] == "Point" and f["properties"]["k"] == f"pt-{cat}":
                x, y = f["geometry"]["coordinates"]
                ax.plot(x, y, "o", markersize=7, markerfacecolor="#fff", markeredgecolor=COLOURS[cat], mew=2, zorder=9)
    for f in cols["congested"]["features"]:
        if f["properties"]["k"] == "jam":
            x, y = f["geometry"]["coordinates"]
            ax.plot(x, y, "o", markersize=8, color=COLOURS["congested"], markeredgecolor="#7a5b00", zorder=9)
            ax.annotate(_mpl(html.unescape(f["properties"]["label"])), (x, y), xytext=(6, -3),
                        textcoords="offset points", fontsize=8, fontweight="bold", zorder=10,
                        bbox=dict(boxstyle="round,pad=0.15", fc=COLOURS["congested"], ec="#7a5b00", lw=0.6))
    for f in cols["checkpoints"]["features"]:
        x, y = f["geometry"]["coordinates"]
        ax.plot(x, y, "s", markersize=8, color=COLOURS["checkpoint"], markeredgecolor="#fff", zorder=10)
    for n, d in G.nodes(data=True):
        if d.get("place") in ("city", "town") and _as_text(d.get("name")):
            big = d["place"] == "city"
            ax.plot(d["x"], d["y"], "o", markersize=3 if big else 2, color="#444", zorder=8)
            ax.annotate(_mpl(_as_text(d["name"])), (d["x"], d["y"]), xytext=(3, 2), textcoords="offset points",
                        fontsize=7.5 if big else 6, fontweight="bold" if big else "normal", color="#222", zorder=8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    handles = [
        Line2D([], [], color=COLOURS["closed"], lw=3, label="Closed"),
        Line2D([], [], color=COLOURS["exposure"], lw=2.4, ls=(0, (4, 3)), label="Sniper fire / shelling"),
        Line2D([], [], color=COLOURS["congested"], lw=3.2, label="Congested (label: delay)"),
        Line2D([], [], marker="s", ls="", color=COLOURS["checkpoint"], markersize=8, label="Checkpoint"),
        Line2D([], [], color=COLOURS["open"], lw=2.2, label="Reported open / corridor"),
        Patch(facecolor="none", edgecolor=COLOURS["besieged"], hatch="////", ls="--", label="Besieged area"),
        Patch(facecolor="none", edgecolor=COLOURS["curfew"], hatch="////", ls="--", label="Curfew area"),
        *[Line2D([], [], color=_route_colour(r), lw=4, alpha=0.6, label=_mpl(_route_text(r))) for r in routes],
        Line2D([], [], color=COLOURS["network"], lw=1.3,
               label="Road network" + (" (schematic)" if G.graph.get("schematic") else "")),
    ]
    ax.legend(handles=handles, loc=_emptiest_corner(lines(net), (x0, x1, y0, y1)), fontsize=7.5, handlelength=3, framealpha=0.92, title="Legend",
              title_fontsize=8)
    schematic = "  ·  SCHEMATIC network, not surveyed roads" if G.graph.get("schematic") else ""
    left = 0.3 / (map_w + 0.6)
    fig.text(left, 1 - 0.12 / H, _mpl(title), ha="left", va="top", fontsize=14, fontweight="bold")
    fig.text(left, 1 - 0.55 / H, _mpl(f"Road status as of {layer.as_of.isoformat()}{schematic}"), va="top", fontsize=10)
    fig.text(left, 0.06 / H, _mpl(" | ".join(_attributions(G))), fontsize=6.5, color="#333", wrap=True, va="bottom")
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format=fmt, metadata={"Title": title} if fmt == "svg" else None),
                            suffix=f".{fmt}")
