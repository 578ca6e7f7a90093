"""`routes`: the command line, a thin shell over `routes.scenario` and the pipeline modules.

Every command that prints data takes `--json` and then prints only JSON on stdout. Bad input gives
one line on stderr and exit code 2; set ROUTES_DEBUG=1 to see a traceback instead.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer

from routes.errors import RoutesError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Which roads out of a contested city are still usable: reports → dated road statuses → routes → maps.")
graph_app = typer.Typer(no_args_is_help=True, help="Load, describe and export road networks.")
places_app = typer.Typer(no_args_is_help=True, help="The gazetteer: look up names, find places in text.")
events_app = typer.Typer(no_args_is_help=True, help="Road-status events extracted from reports.")
app.add_typer(graph_app, name="graph")
app.add_typer(places_app, name="places")
app.add_typer(events_app, name="events")

SOURCE = typer.Option(None, "--source", help="Road network file (.osm, .osm.bz2, .osm.pbf, Overpass .json, .geojson/.gpkg/.shp); default: the embedded schematic corridor.")
NETWORK = typer.Option("drive", "--network-type", help="drive, drive_service, walk or all.")
JSON = typer.Option(False, "--json", help="Print JSON only.")
EVENTS = typer.Option(None, "--events", help="Events GeoJSON file; default: events extracted from the dispatches in seeds/.")
AS_OF = typer.Option(None, "--as-of", help="Date to replay (YYYY-MM-DD; default: the latest date the events report).")
REOPEN = typer.Option([], "--reopen", help="What-if: drop this event id (repeatable).")
CLOSE = typer.Option([], "--close", help="What-if: close this road or place (repeatable).")


def _jsonable(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    if isinstance(o, (date, Path)):
        return str(o)
    return str(o)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable) + "\n")


def _bbox(value: Optional[str]) -> Optional[tuple[float, float, float, float]]:
    if not value:
        return None
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        raise RoutesError(f"bad --bbox {value!r}: expected west,south,east,north in degrees") from None
    if len(parts) != 4:
        raise RoutesError(f"bad --bbox {value!r}: expected 4 numbers west,south,east,north")
    return parts  # type: ignore[return-value]


LOUD_LOAD_BYTES = 5_000_000  # road files above this size get a line on stderr while they load


def _graph(source: Optional[str], network_type: str = "drive", bbox: Optional[str] = None):
    from routes.network import graph_from_online, load_graph

    if source and source.startswith(("bbox:", "place:")):
        kind, _, arg = source.partition(":")
        return graph_from_online(bbox=_bbox(arg), network_type=network_type) if kind == "bbox" \
            else graph_from_online(place=arg, network_type=network_type)
    path = Path(source) if source else None
    big = path is not None and path.is_file() and path.stat().st_size > LOUD_LOAD_BYTES
    if big:  # parsing a large extract takes a while the first time: say what is happening (on stderr)
        typer.echo(f"loading {path.name} ({path.stat().st_size / 1e6:.0f} MB; cached after the first time) ...", err=True)
    started = time.perf_counter()
    G = load_graph(source, network_type=network_type, bbox=_bbox(bbox))
    if big:
        typer.echo(f"loaded {len(G):,} nodes, {G.number_of_edges():,} edges in {time.perf_counter() - started:.1f} s", err=True)
    return G


_NOTES: list[str] = []  # said on stderr once a command has succeeded (an error stays a single line)


def _events_and_date(events: Optional[Path], as_of: Optional[str]) -> tuple[list, str]:
    """The events (a file, or the embedded default) and the date asked for, else the latest date they
    report (said on stderr after the answer, so --json stays clean and an error stays one line)."""
    from routes.scenario import events_from

    return _date_for(events_from(events), as_of)


def _date_for(evs: list, as_of: Optional[str]) -> tuple[list, str]:
    """`_events_and_date` for events already read."""
    from routes.scenario import latest_report_date

    if as_of:
        return evs, as_of
    day = latest_report_date(evs).isoformat()
    _NOTES.append(f"as of {day}, the latest date the events report (choose another with --as-of)")
    return evs, day


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _hours(seconds: Optional[float]) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


# ---------------------------------------------------------------- graph
@graph_app.command("info")
def graph_info(source: Optional[str] = SOURCE, network_type: str = NETWORK,
               bbox: Optional[str] = typer.Option(None, "--bbox", help="Clip to west,south,east,north."),
               as_json: bool = JSON) -> None:
    """Nodes, edges, km of road by class, bbox, connected components and road numbers."""
    from routes.summary import graph_info as info

    data = info(_graph(source, network_type, bbox))
    if as_json:
        _print_json(data)
        return
    typer.echo(f"source: {data['source']}")
    typer.echo(f"nodes: {data['nodes']}  edges: {data['edges']}  components: {data['components']}")
    typer.echo(f"bbox (W,S,E,N): {data['bbox']}")
    for h, km in data["km_by_highway"].items():
        typer.echo(f"  {h:16s} {km:10.1f} km")
    typer.echo("refs: " + ", ".join(data["refs"]))


@graph_app.command("export")
def graph_export(out: Path = typer.Option(..., "-o", "--output", help="FILE.gpkg or FILE.geojson"),
                 source: Optional[str] = SOURCE, network_type: str = NETWORK) -> None:
    """Write the road graph to a GeoPackage (nodes and edges layers) or GeoJSON (edges)."""
    from routes.summary import export_graph

    path = export_graph(_graph(source, network_type), out)
    typer.echo(f"wrote {path}", err=True)


# ---------------------------------------------------------------- places
@places_app.command("lookup")
def places_lookup(name: str, limit: int = typer.Option(10, "--limit"), as_json: bool = JSON) -> None:
    """Gazetteer candidates for a name, best first."""
    from gazetteer.store import default_gazetteer

    cands = default_gazetteer().lookup(name, limit=limit)
    if as_json:
        _print_json([c.to_dict() for c in cands])
        return
    if not cands:
        typer.echo(f"no place matches {name!r}")
    for c in cands:
        p = c.place
        typer.echo(f"{c.score:5.1f}  {p.name:32s} {p.kind:15s} {p.lat:9.5f} {p.lon:9.5f}  {p.id}  ({c.reason})")


@places_app.command("mentions")
def places_mentions(file: Path, as_json: bool = JSON) -> None:
    """Places named in a report (plain text or HTML), with offsets into the file as given."""
    from gazetteer.mentions import find_mentions
    from routes.reports import read_report

    text = read_report(file).text
    result = find_mentions(text).to_dict()
    if as_json:
        _print_json(result)
        return
    for m in result["mentions"]:
        q = f" [{m['qualifier']}]" if m["qualifier"] else ""
        adj = " (adjectival)" if m["adjectival"] else ""
        typer.echo(f"{m['start']:6d}-{m['end']:<6d} {m['text']!r:34s} → {m['name']} ({m['kind']}, {m['score']:.0f}){q}{adj}")
    for u in result["unresolved"]:
        typer.echo(f"{u['start']:6d}-{u['end']:<6d} {u['text']!r:34s} → UNRESOLVED ({u['reason']})")


# ---------------------------------------------------------------- events
@events_app.command("extract")
def events_extract(files: list[Path] = typer.Argument(..., help="Report files: .txt, .md (front matter), .html"),
                   out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the events GeoJSON here."),
                   published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for files without metadata."),
                   as_json: bool = JSON) -> None:
    """Extract dated, sourced road-status events from report files."""
    from routes.events import save_events, to_feature_collection
    from routes.scenario import extract_files, parse_date

    day = parse_date(published) if published else None
    unplaced: list = []
    if len(files) > 3:
        with typer.progressbar(length=len(files), label="extracting", file=sys.stderr) as bar:
            events = extract_files(files, published=day, progress=bar, unplaced=unplaced)
    else:
        events = extract_files(files, published=day, unplaced=unplaced)
    # statements the map cannot show travel with the events, as a foreign member of the FeatureCollection
    meta = {"generator": "syria-exit-routes", "reports": [str(f) for f in files],
            "unplaced": [u.to_dict() for u in unplaced]}
    if unplaced:
        first = unplaced[0]
        typer.echo(f"note: {len(unplaced)} road statement(s) name nothing the map can show (their sentences are under "
                   f"'unplaced' in the output), e.g. {first.status} ({first.reason}): "
                   f"“{textwrap.shorten(first.sentence, 90, placeholder=' …')}”", err=True)
    if out:
        save_events(events, out, **meta)
        typer.echo(f"wrote {len(events)} events to {out}", err=True)
    if as_json:
        _print_json(to_feature_collection(events, **meta))
    elif not out:
        _echo_events(events)
    if not events:
        typer.echo("warning: no road-status statement found", err=True)


def _echo_events(events) -> None:
    for e in events:
        until = e.valid_to or "…"
        delay = f" delay {e.delay_h:g} h" if e.delay_h else ""
        src = e.source[0].publisher or e.source[0].report_id
        typer.echo(f"{e.id}  {e.status:10s} {e.target_name[:34]:34s} {e.valid_from} → {until:10s}{delay}  [{src}]")
        typer.echo(f"    “{e.evidence[0].sentence[:150]}”")


@events_app.command("list")
def events_list(file: Optional[Path] = typer.Argument(None, help="Events GeoJSON; default: the embedded dispatches."),
                as_of: Optional[str] = typer.Option(None, "--as-of", help="Only the events in force on this date."),
                as_json: bool = JSON) -> None:
    """List events (those in force on a date with --as-of)."""
    from routes.events import to_feature_collection
    from routes.scenario import events_from, events_on

    events = events_from(file)
    if as_of:
        events = events_on(events, as_of)
    if as_json:
        _print_json(to_feature_collection(events))
    else:
        _echo_events(events)


# ---------------------------------------------------------------- questions
@app.command("path")
def path_cmd(origin: str = typer.Argument(..., metavar="FROM"), destination: str = typer.Argument(..., metavar="TO"),
             as_of: str = AS_OF, events: Optional[Path] = EVENTS, source: Optional[str] = SOURCE,
             k: int = typer.Option(3, "--k", help="Alternatives to show beside the fastest."),
             reopen: list[str] = REOPEN, close: list[str] = CLOSE, as_json: bool = JSON) -> None:
    """Is there a path from FROM to TO on a date? Which routes, how exposed; if not, which closures block it."""
    from routes.scenario import path

    evs, day = _events_and_date(events, as_of)
    answer = path(origin, destination, day, graph=_graph(source), events=evs, k=k,
                  reopen=reopen, close=close)
    if as_json:
        _print_json(answer)
        return
    _echo_path(answer)


def _route_line(r: dict) -> str:
    """'via' the places a route passes, or the roads it takes when it passes no known place."""
    if r["via"]:
        return "via " + " – ".join(r["via"])
    return "on " + (" – ".join(r["roads"]) or "unnamed roads")


def _echo_path(a: dict) -> None:
    typer.echo(f"{a['from']['name']} → {a['to']['name']} on {a['as_of']}: {'YES, a route remains' if a['viable'] else 'NO route'}")
    for r in a["routes"]:
        typer.echo(f"  {r['label']:14s} {_hours(r['travel_time_s'])} (delays {_hours(r['delay_s'])}), "
                   f"{r['length_m'] / 1000:.0f} km, {r['exposure_m'] / 1000:.1f} km exposed")
        typer.echo(f"      {_route_line(r)}")
    if not a["viable"]:
        for b in a.get("blocking", []):
            typer.echo(f"  blocked: {b['road']} ({b['from']} – {b['to']}) by {', '.join(b['event_ids'])}")
        if a.get("restored_route"):
            r = a["restored_route"]
            typer.echo(f"  reopening those gives: {_hours(r['travel_time_s'])} {_route_line(r)}")
    for c in a.get("closures", []):
        typer.echo(f"  closure in force: {c['target']} since {c['valid_from']} [{c['publisher']}, {c['published']}]: “{c['evidence'][:110]}”")


@app.command("exits")
def exits_cmd(place: str, to: str = typer.Option(..., "--to", help="Destinations, comma-separated."),
              as_of: str = AS_OF, events: Optional[Path] = EVENTS, source: Optional[str] = SOURCE,
              reopen: list[str] = REOPEN, close: list[str] = CLOSE, as_json: bool = JSON) -> None:
    """From a city or neighbourhood: reachable destinations, independent exits, and the minimum cut."""
    from routes.scenario import exits_from

    evs, day = _events_and_date(events, as_of)
    a = exits_from(place, _split(to), day, graph=_graph(source), events=evs, reopen=reopen, close=close)
    if as_json:
        _print_json(a)
        return
    typer.echo(f"{a['place']['name']} on {a['as_of']}: {a['independent_exits']} independent exit(s)")
    for name, r in a["reachable"].items():
        typer.echo(f"  {name:20s} {'reachable in ' + _hours(r['travel_time_s']) if r['reachable'] else 'NOT reachable'}")
    for c in a["min_cut"]:
        typer.echo(f"  critical: {c['road']} ({c['from']} – {c['to']}): losing it cuts off {c['destinations_lost']} "
                   f"destination(s), adds {_hours(c['added_time_s'])}")


@app.command("compare")
def compare_cmd(origin: str = typer.Argument(..., metavar="FROM"), destination: str = typer.Argument(..., metavar="TO"),
                as_of: str = AS_OF, vs: Optional[str] = typer.Option(None, "--vs", help="Second date (default: same date, what-if)."),
                events: Optional[Path] = EVENTS, source: Optional[str] = SOURCE,
                reopen: list[str] = REOPEN, close: list[str] = CLOSE, as_json: bool = JSON) -> None:
    """What changes in reachability, times, exposure and cuts between two dates or a what-if scenario."""
    from routes.scenario import compare

    evs, day = _events_and_date(events, as_of)
    a = compare(origin, destination, day, vs, graph=_graph(source), events=evs, reopen=reopen, close=close)
    if as_json:
        _print_json(a)
        return
    typer.echo(f"{origin} → {destination}: {a['before']['as_of']} vs {a['after']['as_of']}")
    if not a["changes"]:
        typer.echo("  no change")
    for k, v in a["changes"].items():
        typer.echo(f"  {k}: {v['before']} → {v['after']}")


# ---------------------------------------------------------------- maps
@app.command("map")
def map_cmd(out: Path = typer.Option(..., "-o", "--output", help="HTML file to write."),
            as_of: str = AS_OF, origin: Optional[str] = typer.Option(None, "--from"),
            destination: Optional[str] = typer.Option(None, "--to"), events: Optional[Path] = EVENTS,
            source: Optional[str] = SOURCE, offline: bool = typer.Option(False, "--offline", help="Self-contained file, no network request."),
            timeline: bool = typer.Option(False, "--timeline", help="Add a date slider over the reports' dates."),
            title: Optional[str] = typer.Option(None, "--title"),
            png: Optional[Path] = typer.Option(None, "--png"), svg: Optional[Path] = typer.Option(None, "--svg"),
            fragment: bool = typer.Option(False, "--fragment", help="An HTML fragment for embedding.")) -> None:
    """Render an HTML map of open and closed routes (and PNG/SVG for print)."""
    from routes.scenario import events_and_unplaced_from, write_map

    evs, unplaced = events_and_unplaced_from(events)  # (the file read once for both)
    evs, day = _date_for(evs, as_of)
    paths = write_map(out, day, graph=_graph(source), events=evs, origin=origin,
                      destination=destination, offline=offline, timeline=timeline, title=title, png=png, svg=svg,
                      fragment=fragment, unplaced=unplaced)
    for p in paths:
        typer.echo(f"wrote {p}", err=True)


@app.command("demo")
def demo_cmd(as_json: bool = JSON) -> None:
    """The main job on the embedded default: the 30 November 2024 map and the Aleppo → Homs answer."""
    from routes.scenario import path, write_map

    out = Path("maps") / "aleppo-2024-11-30.html"
    write_map(out, "2024-11-30", origin="Aleppo", destination="Homs", offline=True,
              title="Exits from Aleppo, 30 November 2024")
    answer = path("Aleppo", "Homs", "2024-11-30")
    if as_json:
        _print_json({"map": str(out), "path": answer})
        return
    typer.echo(f"map: {out} (offline, schematic network)")
    _echo_path(answer)


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2."""
    _NOTES.clear()
    try:
        app(standalone_mode=False)
        for note in _NOTES:
            typer.echo(note, err=True)
    except RoutesError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors (typer vendors click)
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("ROUTES_DEBUG"):
            raise
        typer.echo(f"error: {type(exc).__name__}: {exc} (set ROUTES_DEBUG=1 for details)", err=True)
        sys.exit(1)
