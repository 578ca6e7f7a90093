"""The Python API a notebook or the CLI calls: a graph, a set of events, a date, and the questions.

Everything here is a thin composition of the pipeline modules: text → mentions → places → events
(`extract`) → status on the graph (`status`) → routes (`routing`) → maps (`maps`).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import networkx as nx
from shapely.geometry import Point, mapping

from gazetteer.store import default_gazetteer
from routes.errors import RoutesError
from routes.events import Event, Evidence, Source, Unplaced, load_events, read_events_file
from routes.extract import extract_events
from routes.merge import consolidate
from routes.network import load_graph
from routes.places import place_area, resolve_place
from routes.reports import read_report, seed_reports
from routes.exits import exits
from routes.routing import find_routes
from routes.status import StatusLayer, apply, events_in_force, with_overrides


def learn_places(graph: nx.MultiDiGraph) -> None:
    """Add the named places of a loaded OSM extract (place=*, checkpoints, crossings) to the gazetteer."""
    from gazetteer.sources import graph_places

    if graph.graph.get("schematic") or graph.graph.get("places_learned"):
        return
    default_gazetteer().add(graph_places(graph))
    graph.graph["places_learned"] = True


def parse_date(value: str | date) -> date:
    """A date from YYYY-MM-DD, with a one-line error for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise RoutesError(f"bad date {value!r}: expected YYYY-MM-DD, e.g. 2024-11-30") from None


def extract_files(paths: Iterable[str | Path], *, published: date | None = None, progress: Any = None,
                  unplaced: list[Unplaced] | None = None) -> list[Event]:
    """Events from report files (plain text, Markdown with front matter, HTML), merged across reports (and,
    given a list as `unplaced`, the road statements that named nothing the map can show)."""
    events: list[Event] = []
    for p in paths:
        report = read_report(p, published=published)
        if report.published is None:
            raise RoutesError(f"{p}: no publication date: give --published YYYY-MM-DD or front matter 'published:'")
        events.extend(extract_events(report, unplaced=unplaced))
        if progress is not None:
            progress.update(1)
    return consolidate(events)


@lru_cache(maxsize=1)
def _default_events_cached() -> tuple[tuple[Event, ...], tuple[Unplaced, ...]]:
    unplaced: list[Unplaced] = []
    return tuple(extract_files(seed_reports(), unplaced=unplaced)), tuple(unplaced)


def default_events() -> list[Event]:
    """The embedded default: events extracted from the dispatches in seeds/."""
    from copy import deepcopy

    return deepcopy(list(_default_events_cached()[0]))


def events_from(path: str | Path | None) -> list[Event]:
    """Events from a GeoJSON events file, or the embedded default when no file is given."""
    return load_events(path) if path else default_events()


def events_and_unplaced_from(path: str | Path | None) -> tuple[list[Event], list[Unplaced]]:
    """`events_from`, with the road statements that name nothing the map can show (one read of the file)."""
    return read_events_file(path) if path else (default_events(), list(_default_events_cached()[1]))


def closure_event(name: str, as_of: date) -> Event:
    """A what-if closure of a road or place the user names (`--close`)."""
    place = resolve_place(name)
    kind = "road" if place.kind == "road" else ("area" if place.geometry else "place")
    geom = mapping(place_area(place)) if kind == "area" else mapping(Point(place.lon, place.lat))
    return Event(id=f"whatif-close-{place.id}", status="closed", target_kind=kind, target_name=place.name,
                 place_ids=[place.id], valid_from=as_of.isoformat(), geometry=geom,
                 road_id=place.id if kind == "road" else None,
                 source=[Source(report_id="what-if", published=as_of.isoformat(), publisher="user scenario")],
                 evidence=[Evidence(report_id="what-if", sentence=f"what-if: {place.name} closed", start=0, end=0)],
                 extractor="what-if", confidence=1.0, verification="verified")


def status_on(graph: nx.MultiDiGraph, events: Sequence[Event], as_of: str | date, *,
              reopen: Sequence[str] = (), close: Sequence[str] = ()) -> StatusLayer:
    """The graph's statuses on a date, with what-if reopenings and closures applied."""
    day = parse_date(as_of)
    known = {e.id for e in events}
    missing = [r for r in reopen if r not in known]
    if missing:
        raise RoutesError(f"--reopen: no event with id {missing[0]!r} (see `routes events list --as-of {day}`)")
    scenario = with_overrides(list(events), reopen=reopen, close=[closure_event(c, day) for c in close])
    return apply(graph, scenario, day)


def _closures(layer: StatusLayer) -> list[dict[str, Any]]:
    """Every closure in force, with its evidence: a 'no' (or a detour) always names what causes it."""
    out = []
    for e in layer.events.values():
        if e.status in ("closed", "besieged"):
            src = e.source[0]
            out.append({"id": e.id, "status": e.status, "target": e.target_name, "valid_from": e.valid_from,
                        "valid_to": e.valid_to, "publisher": src.publisher, "published": src.published,
                        "evidence": e.evidence[0].sentence})
    return out


def path(origin: str, destination: str, as_of: str | date, *, graph: nx.MultiDiGraph | None = None,
         events: Sequence[Event] | None = None, k: int = 3, reopen: Sequence[str] = (), close: Sequence[str] = ()) -> dict[str, Any]:
    """Is there a path from origin to destination on that date; which routes; or which closures block it."""
    G = graph if graph is not None else load_graph(None)
    learn_places(G)
    layer = status_on(G, events if events is not None else default_events(), as_of, reopen=reopen, close=close)
    answer = find_routes(layer, resolve_place(origin), resolve_place(destination), k=k)
    answer["closures"] = _closures(layer)
    answer["network"] = G.graph.get("source")
    return answer


def exits_from(place: str, destinations: Sequence[str], as_of: str | date, *, graph: nx.MultiDiGraph | None = None,
               events: Sequence[Event] | None = None, reopen: Sequence[str] = (), close: Sequence[str] = ()) -> dict[str, Any]:
    """Which destinations a place can reach, through how many independent exits, and what would cut it off."""
    if not destinations:
        raise RoutesError("give at least one destination with --to A,B,...")
    G = graph if graph is not None else load_graph(None)
    learn_places(G)
    layer = status_on(G, events if events is not None else default_events(), as_of, reopen=reopen, close=close)
    answer = exits(layer, resolve_place(place), [resolve_place(d) for d in destinations])
    answer["closures"] = _closures(layer)
    return answer


def compare(origin: str, destination: str, as_of: str | date, vs: str | date | None = None, *,
            graph: nx.MultiDiGraph | None = None, events: Sequence[Event] | None = None,
            reopen: Sequence[str] = (), close: Sequence[str] = ()) -> dict[str, Any]:
    """What changes between two dates, or between the reports and a what-if scenario on one date."""
    G = graph if graph is not None else load_graph(None)
    evs = list(events) if events is not None else default_events()
    base = _summary(G, evs, origin, destination, as_of, (), ())
    other = _summary(G, evs, origin, destination, vs or as_of, reopen, close)
    changes = {k: {"before": base[k], "after": other[k]} for k in base if base[k] != other[k]}
    return {"from": origin, "to": destination, "before": base, "after": other, "changes": changes}


def _summary(G: nx.MultiDiGraph, events: list[Event], origin: str, destination: str, day: str | date,
             reopen: Sequence[str], close: Sequence[str]) -> dict[str, Any]:
    p = path(origin, destination, day, graph=G, events=events, reopen=reopen, close=close)
    x = exits_from(origin, [destination], day, graph=G, events=events, reopen=reopen, close=close)
    fastest = p["routes"][0] if p["routes"] else None
    return {"as_of": parse_date(day).isoformat(), "scenario": {"reopen": list(reopen), "close": list(close)},
            "viable": p["viable"], "travel_time_s": fastest["travel_time_s"] if fastest else None,
            "delay_s": fastest["delay_s"] if fastest else None, "exposure_m": fastest["exposure_m"] if fastest else None,
            "via": fastest["via"] if fastest else [], "independent_exits": x["independent_exits"],
            "min_cut": [c["road"] for c in x["min_cut"]], "closures": sorted(c["target"] for c in p["closures"])}


def latest_report_date(events: Sequence[Event]) -> date:
    """The latest date on which an event begins: the default "as of" when a user gives none."""
    if not events:
        raise RoutesError("no events to date: give --as-of YYYY-MM-DD")
    return max(e.start for e in events)


def events_on(events: Sequence[Event], as_of: str | date) -> list[Event]:
    """The events in force on a date (their defaults for open ends applied)."""
    return events_in_force(events, parse_date(as_of))


def places_in_events(events: Sequence[Event]) -> list[dict[str, Any]]:
    """The places the events name, for map markers."""
    g = default_gazetteer()
    seen: dict[str, dict[str, Any]] = {}
    for e in events:
        for pid in e.place_ids:
            if pid in g.by_id and pid not in seen:
                p = g.get(pid)
                seen[pid] = {"id": p.id, "name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon}
    return list(seen.values())


def timeline_dates(events: Sequence[Event], as_of: date, before_days: int = 14, after_days: int = 14) -> list[date]:
    """The dates a timeline replays: every day a report changes something near `as_of`, and `as_of` itself."""
    from datetime import timedelta

    days = {as_of}
    for e in events:
        for d in (e.start, e.end):
            if d and as_of - timedelta(days=before_days) <= d <= as_of + timedelta(days=after_days):
                days.add(d)
    return sorted(days)


def write_map(out: str | Path, as_of: str | date, *, graph: nx.MultiDiGraph | None = None,
              events_path: str | Path | None = None, events: Sequence[Event] | None = None,
              origin: str | None = None, destination: str | None = None, offline: bool = False,
              timeline: bool = False, title: str | None = None, png: str | Path | None = None,
              svg: str | Path | None = None, fragment: bool = False,
              unplaced: Sequence[Unplaced] | None = None) -> list[Path]:
    """Render the map of a date (with the routes between two places when given) and write it. The legend lists
    the `unplaced` statements reported by then (default: those of the events file, or of the embedded
    default when no events are given)."""
    from routes import maps

    for target, suffixes in ((out, (".html", ".htm")), (png, (".png",)), (svg, (".svg",))):
        if target is not None and Path(target).suffix.lower() not in suffixes:
            raise RoutesError(f"{target}: expected a {' or '.join(suffixes)} file name")
    G = graph if graph is not None else load_graph(None)
    if events is not None:
        evs, unplaced = list(events), list(unplaced or [])
    else:
        evs, from_file = events_and_unplaced_from(events_path)
        unplaced = from_file if unplaced is None else list(unplaced)
    day = parse_date(as_of)
    layer = status_on(G, evs, day)
    routes: list[dict[str, Any]] = []
    if origin and destination:
        answer = find_routes(layer, resolve_place(origin), resolve_place(destination))
        routes = answer["routes"] or ([answer["restored_route"]] if answer.get("restored_route") else [])
    frames = [status_on(G, evs, d) for d in timeline_dates(evs, day)] if timeline else None
    heading = title or f"Road status as of {day.isoformat()}"
    unplaced = [u for u in unplaced if u.date <= day.isoformat()]
    html = maps.render_map(G, layer, routes=routes, places=places_in_events(layer.events.values()), title=heading,
                           offline=offline, timeline=frames, fragment=fragment, unplaced=unplaced)
    written = [maps.write_html(html, out)]
    for static in (png, svg):
        if static:
            maps.render_static(G, layer, routes, static, title=heading)
            written.append(Path(static))
    return written
