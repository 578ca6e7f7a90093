"""Statuses on the graph as of a date and the questions: the facts the reports must reproduce, edge cases."""

from __future__ import annotations

from datetime import date

from shapely.geometry import Point, mapping

from routes.events import Event, Evidence, Source
from routes.places import resolve_place
from routes.exits import exits
from routes.routing import find_routes
from routes.scenario import compare, path
from routes.status import apply


def _route(answer: dict) -> dict:
    assert answer["viable"], answer
    return answer["routes"][0]


def test_before_the_offensive_the_fastest_route_is_the_m5_through_hama(corridor, default_events):
    r = _route(path("Aleppo", "Homs", "2024-11-25", graph=corridor, events=default_events))
    assert r["label"] == "fastest" and "Hama" in r["via"] and any("M5" in x for x in r["roads"])
    assert r["delay_s"] == 0


def test_30_november_the_route_runs_through_the_desert_with_the_athria_jam(corridor, default_events):
    a = path("Aleppo", "Homs", "2024-11-30", graph=corridor, events=default_events)
    r = _route(a)
    assert not any("M5" in x for x in r["roads"])
    order = [r["via"].index(p) for p in ("As-Safira", "Khanasir", "Ithriya", "Salamiyah")]
    assert order == sorted(order)
    assert r["delay_s"] >= 7 * 3600
    jam = [e for e in default_events if e.status == "congested" and "cur:athria_checkpoint" in e.place_ids][0]
    assert jam.id in r["event_ids"]
    assert r["exposure_m"] > 0
    snipers = {e.id for e in default_events if e.status == "sniper"}
    assert snipers & set(r["event_ids"])
    assert "M5 motorway" in [c["target"] for c in a["closures"]]


def test_4_december_no_route_uses_the_m5_or_the_khanasir_road_and_the_answer_names_them(corridor, default_events):
    a = path("Aleppo", "Homs", "2024-12-04", graph=corridor, events=default_events)
    for r in a["routes"]:
        assert not any("M5" in x or "Khanasir" in x for x in r["roads"])
    targets = {c["target"] for c in a["closures"]}
    assert {"M5 motorway", "Khanasir road"} <= targets
    if not a["viable"]:
        assert a["blocking"] and all(b["event_ids"] for b in a["blocking"])
        assert a["restored_route"] is not None
        assert all(b["events"][0]["evidence"] for b in a["blocking"])


def test_2019_flight_north_exists_and_is_exposed_to_air_strikes(corridor, default_events):
    r = _route(path("Maarat al-Numan", "Bab al-Hawa crossing", "2019-12-24", graph=corridor, events=default_events))
    assert r["exposure_m"] > 0


def test_independent_exits_drop_and_the_cut_holds_the_khanasir_road(corridor, default_events):
    dests = [resolve_place(n) for n in ("Homs", "Tartus", "Damascus")]
    aleppo = resolve_place("Aleppo")
    before = exits(apply(corridor, default_events, date(2024, 11, 25)), aleppo, dests)
    after = exits(apply(corridor, default_events, date(2024, 11, 30)), aleppo, dests)
    assert after["independent_exits"] < before["independent_exits"]
    assert any("Khanasir" in (c["road"] or "") for c in after["min_cut"])
    assert after["min_cut"][0]["destinations_lost"] >= 1


def _event(eid: str, status: str, kind: str, geom, **kw) -> Event:
    return Event(id=eid, status=status, target_kind=kind, target_name=eid, place_ids=kw.pop("place_ids", []),
                 valid_from=kw.pop("valid_from", "2024-11-30"), geometry=mapping(geom),
                 source=[Source("t", "2024-11-30", "Test")], evidence=[Evidence("t", "test", 0, 4)], **kw)


def test_area_closure_with_both_ends_inside_and_outside(corridor):
    aleppo = resolve_place("Aleppo")
    city = Point(aleppo.lon, aleppo.lat).buffer(0.09)
    layer = apply(corridor, [_event("cut", "closed", "area", city)], date(2024, 11, 30))
    a = find_routes(layer, resolve_place("Sheikh Maqsoud"), resolve_place("Hanano"))
    assert not a["viable"]
    assert a["blocking"] and a["restored_route"]
    besieged = apply(corridor, [_event("siege", "besieged", "area", city)], date(2024, 11, 30))
    assert find_routes(besieged, resolve_place("Sheikh Maqsoud"), resolve_place("Hanano"))["viable"]  # inside: still moving
    assert not find_routes(besieged, aleppo, resolve_place("Homs"))["viable"]  # but no way out


def test_closing_the_roads_in_and_out_of_a_city_cuts_its_exits_only(corridor):
    aleppo = resolve_place("Aleppo")
    city = Point(aleppo.lon, aleppo.lat).buffer(0.09)
    layer = apply(corridor, [_event("exits", "closed", "area", city, detail="roads in and out")], date(2024, 11, 30))
    assert find_routes(layer, resolve_place("Sheikh Maqsoud"), resolve_place("Hanano"))["viable"]  # inside: still moving
    out = find_routes(layer, aleppo, resolve_place("Homs"))
    assert not out["viable"] and all(b["event_ids"] == ["exits"] for b in out["blocking"])


def test_endpoint_on_a_closed_edge_gives_blocking_not_a_crash(corridor):
    khanasir = resolve_place("Khanasir")
    layer = apply(corridor, [_event("k", "closed", "place", Point(khanasir.lon, khanasir.lat))], date(2024, 11, 30))
    a = find_routes(layer, khanasir, resolve_place("Homs"))
    assert not a["viable"] and a["blocking"][0]["event_ids"] == ["k"]


def test_one_direction_closure_closes_only_that_direction(corridor):
    ev = _event("oneway", "closed", "road", Point(37.4, 35.9), road_id="road:khanasir",
                between=["cur:as_safira", "cur:khanasir"], one_way=True)
    layer = apply(corridor, [ev], date(2024, 11, 30))
    closed = layer.closed_edges()
    assert closed
    for u, v, k in closed:
        assert not layer.is_closed(v, u, k) or (v, u, k) not in layer.edges


def test_events_outside_their_dates_do_nothing(corridor, default_events):
    layer = apply(corridor, default_events, date(2023, 6, 1))
    assert not layer.edges and not layer.events


def test_compare_and_what_if(corridor, default_events):
    c = compare("Aleppo", "Homs", "2024-11-25", "2024-11-30", graph=corridor, events=default_events)
    assert "travel_time_s" in c["changes"] and "independent_exits" in c["changes"]
    m5 = [e.id for e in default_events if e.status == "closed" and e.road_id == "road:m5"][0]
    w = compare("Aleppo", "Homs", "2024-11-30", graph=corridor, events=default_events, close=["Khanasir"])
    assert w["after"]["via"] != w["before"]["via"]
    r = path("Aleppo", "Homs", "2024-11-30", graph=corridor, events=default_events, reopen=[m5])
    assert r["viable"]


def test_on_a_real_extract_the_m5_closure_holds_and_routes_name_the_places_they_pass(default_events):
    from conftest import DATA
    from routes.network import load_graph

    G = load_graph(DATA / "maskanah_homs_overpass.json")  # real OSM: junction nodes, no place names
    layer = apply(G, default_events, date(2024, 11, 30))
    m5 = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if "M5" in str(d.get("ref"))]
    assert m5 and all(layer.is_closed(*e) for e in m5)  # "the M5 motorway was officially closed", by ref
    r = _route(path("Homs", "Al-Furqlus", "2024-11-30", graph=G, events=default_events))
    assert "Al Furqlus" in r["via"]
    assert not any(layer.is_closed(u, v, k) for u, v, k in r["edges"])


def test_a_closed_road_between_two_towns_closes_the_path_between_them_not_the_towns(corridor):
    from routes.extract import extract_events
    from routes.reports import Report

    report = Report(id="t", text="The main road between Hama and Salamiyah has been closed since 28 November.",
                    published=date(2024, 11, 30), publisher="Test")
    events = extract_events(report)
    assert [e.target_kind for e in events] == ["road"]
    layer = apply(corridor, events, date(2024, 11, 30))
    closed = layer.closed_edges()
    names = {corridor.nodes[n].get("name") for u, v, _ in closed for n in (u, v)}
    assert closed and names == {"Hama", "Salamiyah"}  # the stretch joining them, both ways
    detour = _route(find_routes(layer, resolve_place("Hama"), resolve_place("Salamiyah")))
    assert len(detour["via"]) > 2  # round the closed road
    through = _route(find_routes(layer, resolve_place("Aleppo"), resolve_place("Homs")))
    assert "Hama" in through["via"] and not through["event_ids"]  # the town itself stays open
