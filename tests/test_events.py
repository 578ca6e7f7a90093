"""Report text → dated, sourced events; the events file; the embedded dispatches; the original articles."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gazetteer._fork import can_fork, in_two_halves
from gazetteer.mentions import split_point
from routes.errors import RoutesError
from routes.events import load_events, save_events
from routes.extract import extract_events
from routes.merge import consolidate
from routes.reports import Report, read_report, seed_reports

from conftest import DATA, SHARED_SEEDS


def _report(text: str, published: str = "2024-12-04") -> Report:
    return Report(id="test", text=text, published=date.fromisoformat(published), publisher="Test Wire")


def test_every_event_cites_the_sentence_that_set_it():
    text = "Fighting raged. But the M5 highway remains closed near Saraqib. The water supply was cut off."
    events = extract_events(_report(text))
    assert [e.status for e in events] == ["closed"]
    ev = events[0].evidence[0]
    assert text[ev.start:ev.end] == ev.sentence and "remains closed" in ev.sentence
    assert events[0].road_id == "road:m5" and events[0].valid_from == "2024-12-04"


def test_water_services_and_banks_are_not_road_events():
    text = ("The city's water supply was cut off. Services were suspended. Banks were running low on cash. "
            "Hospitals were bombed out of operation.")
    assert [e for e in extract_events(_report(text)) if e.status == "closed"] == []


def test_roads_in_and_out_of_a_city_close_its_exits_and_transport_corridors_are_no_corridor_events():
    text = ("On 30 November 2024 the army closed the main roads in and out of the city of Aleppo. "
            "The Castello Road is a vital transport corridor. The M4 highway was officially opened for traffic.")
    events = extract_events(_report(text))
    closed = [e for e in events if e.status == "closed"]
    assert len(closed) == 1 and closed[0].target_name == "Aleppo" and closed[0].target_kind == "area"
    assert closed[0].detail == "roads in and out" and closed[0].valid_from == "2024-11-30"
    assert not [e for e in events if e.status == "corridor"]
    assert [e.road_id for e in events if e.status == "open"] == ["road:m4"]


def test_vehicles_on_the_move_are_traffic_not_a_jam():
    moving = extract_events(_report("Dozens of buses arrived in Aleppo via the M5 highway from Homs on 7 March 2020.",
                                    "2020-03-07"))
    assert [(e.status, e.road_id) for e in moving] == [("open", "road:m5")]
    queued = extract_events(_report("Thousands of cars queued on the M5 highway near Saraqib on 7 March 2020.", "2020-03-07"))
    assert [e.status for e in queued] == ["congested"]


def test_hedged_closure_counts_and_weekdays_resolve():
    text = ("Troops said they recaptured Khanaser amid heavy fighting, but the road remains closed. "
            "Curfews were enforced in Aleppo city on Friday and Saturday.")
    events = extract_events(_report(text))
    closed = [e for e in events if e.status == "closed"]
    assert closed and closed[0].place_ids == ["cur:khanasir"]
    curfew = [e for e in events if e.status == "curfew"][0]
    assert (curfew.valid_from, curfew.valid_to) == ("2024-11-29", "2024-11-30")


def test_delay_in_hours_and_narrative_date():
    text = ("On Friday, November 29, the city fell. "
            "The wait extended for more than seven hours for hundreds of stranded vehicles at the Athria checkpoint that night.")
    events = extract_events(_report(text, "2024-12-11"))
    jam = [e for e in events if e.status == "congested"][0]
    assert jam.delay_h == 7 and jam.valid_from == "2024-11-29" and jam.place_ids == ["cur:athria_checkpoint"]


def test_repeated_reports_merge_and_a_later_report_ends_an_earlier_one():
    a = extract_events(Report("a", "On 29 November 2024 the Khanasir road was open.", date(2024, 12, 1), "A"))
    b = extract_events(Report("b", "On 29 November 2024 traffic used the Khanasir road.", date(2024, 12, 2), "B"))
    c = extract_events(Report("c", "As of 4 December 2024, the Khanasir road is closed.", date(2024, 12, 4), "C"))
    merged = consolidate(a + b + c)
    opened = [e for e in merged if e.status == "open"]
    assert len(opened) == 1 and {s.publisher for s in opened[0].source} == {"A", "B"}
    assert opened[0].confidence > max(a[0].confidence, b[0].confidence)
    assert opened[0].valid_to == "2024-12-03"


def test_events_file_round_trip_and_validation(tmp_path, default_events):
    out = save_events(default_events, tmp_path / "events.geojson")
    again = load_events(out)
    assert [e.id for e in again] == [e.id for e in default_events]
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["status"] = "flooded"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(doc))
    with pytest.raises(RoutesError, match=r"feature 1 .*status"):
        load_events(bad)
    (tmp_path / "trunc.geojson").write_text(out.read_text(encoding="utf-8")[:500])
    with pytest.raises(RoutesError, match="not valid JSON"):
        load_events(tmp_path / "trunc.geojson")


def test_a_self_intersecting_area_is_rejected_on_load(tmp_path, default_events):
    out = save_events(default_events, tmp_path / "events.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    bowtie = [[37.0, 36.0], [37.2, 36.2], [37.2, 36.0], [37.0, 36.2], [37.0, 36.0]]
    doc["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    bad = tmp_path / "bowtie.geojson"
    bad.write_text(json.dumps(doc))
    with pytest.raises(RoutesError, match=r"feature 0 .*geometry: invalid geometry: Self-intersection"):
        load_events(bad)


def test_save_is_atomic(tmp_path, default_events, monkeypatch):
    target = tmp_path / "events.geojson"
    target.write_text("previous content")
    import routes.events as ev

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(ev.json, "dump", boom)
    with pytest.raises(OSError):
        save_events(default_events, target)
    assert target.read_text() == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]


def test_bad_report_files(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(RoutesError, match="binary"):
        read_report(binary)
    latin = tmp_path / "y.txt"
    latin.write_bytes("Alep caf\xe9".encode("latin-1"))
    with pytest.raises(RoutesError, match="not UTF-8"):
        read_report(latin)
    empty = tmp_path / "z.txt"
    empty.write_text("")
    assert extract_events(read_report(empty, published=date(2024, 1, 1))) == []


def test_dispatches_carry_their_metadata():
    paths = seed_reports()
    assert len(paths) == 5
    for p in paths:
        r = read_report(p)
        assert r.published and r.publisher and r.title


def test_embedded_default_has_the_2024_facts(default_events):
    by = {(e.status, e.road_id or e.place_ids[0]) for e in default_events}
    assert ("closed", "road:m5") in by
    assert ("sniper", "cur:lirmon_roundabout") in by
    assert ("closed", "road:khanasir") in by
    jam = [e for e in default_events if e.status == "congested" and "cur:athria_checkpoint" in e.place_ids]
    assert jam and jam[0].delay_h >= 7


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not present")
def test_extractor_works_on_the_original_articles():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from events_eval import evaluate

    res = evaluate(SHARED_SEEDS, DATA / "gold_events.json")
    assert res["false_closed"] == 0
    assert res["overall"]["precision"] >= 0.8
    assert res["per_status"]["sniper"]["recall"] == 1.0
    r = read_report(SHARED_SEEDS / "001_0fd2f5f3d2ca3a6d.txt")
    assert r.published == date(2024, 12, 11)  # from the dispatch's metadata


def test_cues_found_through_letters_only_python_folds():
    # re.I reads "ſ" as "s" and "ı" as "i"; the RE2 prefilter must not lose such cues
    for text in ("On 29 November 2024 the Khanasir road was cloſed.", "On 29 November 2024 the Khanasir road ıs open."):
        assert extract_events(_report(text)), text


def test_a_lone_surrogate_does_not_stop_extraction():
    events = extract_events(_report("On 29 November 2024 the Khanasir road was closed \ud800."))
    assert [e.status for e in events] == ["closed"]


@pytest.mark.parametrize("written, day", [
    ("ſept 3", date(2024, 9, 3)), ("3 ſep 2024", date(2024, 9, 3)), ("Auguſt 3", date(2024, 8, 3)),
    ("Frıday", date(2024, 11, 29)), ("FRİDAY", date(2024, 11, 29)), ("ſunday", date(2024, 12, 1)),
])
def test_months_and_weekdays_with_letters_only_python_folds(written, day):
    # re.I matches "ſept" and "Frıday"; the month and weekday tables must read them too, not raise
    from routes.dates import resolve
    when = resolve(f"The road was closed on {written}.", date(2024, 12, 4), None)
    assert (when.start, when.explicit) == (day, True)
    events = extract_events(_report(f"The Khanasir road was closed on {written}."))
    assert [(e.status, e.valid_from) for e in events] == [("closed", day.isoformat())]


def test_amounts_with_letters_only_python_folds():
    events = extract_events(_report("On 29 November 2024 thouſands of cars waited ſeven hours at the Athria checkpoint."))
    congested = [e for e in events if e.status == "congested"]
    assert congested and congested[0].vehicles == 1000 and congested[0].delay_h == 7


def test_closing_verbs_cut_and_shut():
    """'fully cut it', 'cutting off the road', 'cut a supply route' close a road; a cut water supply does not."""
    text = ("Government forces reached the Castello Road and fully cut it on Sunday. "
            "Militants attacked near Khanaser, cutting off the road to Aleppo. "
            "The power and water supply were cut in the old town.")
    events = extract_events(_report(text, "2016-07-17"))
    closed = [e for e in events if e.status == "closed"]
    assert [e.road_id or e.place_ids[0] for e in closed] == ["road:castello", "cur:khanasir"]
    assert closed[0].valid_from == "2016-07-17"


def test_a_closure_hedged_by_its_background_or_by_armed_men_moving_is_not_a_status():
    """'reopened after years of closure' is no closure; 'troops reached' and 'fighters fled to' are no way out;
    'opened fire' is no opening; 'as much a cause of fear as shelling' reports no shelling."""
    text = ("The M4 highway reopened on Tuesday after years of closure. "
            "Government troops reached the Castello Road and opened fire on cars. "
            "Islamic State fighters are believed to have fled to areas around Deir ez-Zor by the highway. "
            "In Harasta, snipers are as much a cause of fear as indiscriminate shelling.")
    events = extract_events(_report(text, "2018-05-15"))
    assert [(e.status, e.road_id) for e in events if e.status in ("open", "closed")] == [("open", "road:m4")]
    assert not [e for e in events if e.status == "shelling"]


def test_a_convoy_crowding_a_road_or_trucks_stranded_at_a_crossing_is_congestion_protesters_are_not():
    jam = extract_events(_report("A long convoy of vehicles crowded the M5 highway near Saraqib on 29 June.", "2018-06-29"))
    assert [(e.status, e.road_id) for e in jam] == [("congested", "road:m5")]
    stranded = extract_events(_report("Dozens of trailers and passengers were stranded at the Athria checkpoint on 6 December.",
                                      "2024-12-06"))
    assert [e.vehicles for e in stranded if e.status == "congested"] == [12]
    protest = extract_events(_report("Protesters crowded the M4 highway on 15 March to stop the patrol.", "2020-03-15"))
    assert not [e for e in protest if e.status == "congested"]


def test_rocket_and_mortar_fire_is_shelling():
    events = extract_events(_report("Four people died in rocket fire on Saraqib on Saturday.", "2016-07-17"))
    assert [(e.status, e.target_name) for e in events] == [("shelling", "Saraqib")]


def test_a_road_named_by_its_two_ends_and_a_road_named_in_the_next_sentence():
    """'the Damascus-Aleppo strategic highway' is the M5; 'closing a strategic road in northern Aleppo' closes
    the road the next sentence names, not northern Aleppo; with no road named next, nothing is closed."""
    opened = extract_events(_report("The Damascus-Aleppo strategic highway has been officially opened for travel on Saturday.",
                                    "2020-02-22"))
    assert [(e.status, e.road_id) for e in opened] == [("open", "road:m5")]
    text = ("On Monday, clashes broke out, closing a strategic road in northern Aleppo. "
            "The Castello Road links two roundabouts in the north of the city.")
    closed = [e for e in extract_events(_report(text, "2025-08-11")) if e.status == "closed"]
    assert [(e.road_id, e.extractor.endswith(":next-sentence")) for e in closed] == [("road:castello", True)]
    unnamed = "On Monday, clashes broke out, closing a strategic road in northern Aleppo. Talks resumed later."
    assert not [e for e in extract_events(_report(unnamed, "2025-08-11")) if e.status == "closed"]


def test_a_place_named_as_lying_in_a_bigger_one_is_the_target():
    text = "The Jableh City Council in Latakia declared a curfew from 8 PM to 8 AM on Wednesday."
    events = extract_events(_report(text, "2024-12-25"))
    assert [(e.status, e.target_name) for e in events] == [("curfew", "Jablah")]


def test_a_closure_takes_no_target_across_a_semicolon():
    text = ("On 5 February regime forces cut off the road between the northern and southern Aleppo countryside; "
            "afterwards they took control of villages near A'zaz.")
    assert not [e for e in extract_events(_report(text, "2016-02-10")) if e.status == "closed"]


def test_unnamed_parts_of_the_city_are_the_city_the_report_is_about():
    """'the eastern neighbourhoods are besieged' is about the city the report keeps naming, not a road named before."""
    text = ("Forces cut the Castello Road, the last route out of Aleppo, on Sunday. Aleppo residents fear hunger. "
            "The Castello Road was the lifeline. \"The eastern neighbourhoods are now completely besieged,\" a monitor said.")
    besieged = [e for e in extract_events(_report(text, "2016-07-17")) if e.status == "besieged"]
    assert [e.target_name for e in besieged] == ["Aleppo"]


def test_background_from_an_earlier_period_is_not_dated_to_the_report():
    """'during the 2016 siege', 'between 2012 and 2018 ... used to': the statuses held then, not on the report's day;
    'since 2014' is still in force and counts."""
    text = ("The Castello Road was closed to traffic and Aleppo was besieged in the summer, during the 2016 siege. "
            "Between 2012 and 2018 travellers used to take a longer route through al-Tal, exposed to snipers.")
    events = extract_events(_report(text, "2025-08-11"))
    assert events == []
    since = extract_events(_report("Islamic State had since 2014 besieged Deir ez-Zor.", "2017-09-05"))
    assert [e.status for e in since] == ["besieged"]


def test_a_curfew_in_the_province_covers_the_province_not_the_city():
    text = "Homs Police Command imposed a curfew in the province from 6 PM to 8 AM on Wednesday."
    curfew = [e for e in extract_events(_report(text, "2024-12-25")) if e.status == "curfew"]
    assert [(e.place_ids, e.target_kind) for e in curfew] == [(["sy:SY04"], "area")]
    city = extract_events(_report("Police imposed a curfew in Homs city from 6 PM on Wednesday.", "2024-12-25"))
    assert [e.place_ids for e in city if e.status == "curfew"] == [["gn:169577"]]


def test_what_usually_happens_and_a_closure_over_past_years_are_no_events():
    """'have typically been violated by shelling and air strikes' tells a habit; 'the road was closed for years'
    a past period the report's day would misdate. A closure still in force ('has been closed for two weeks') counts."""
    habit = "Truces around Saraqib have typically been violated by shelling and air strikes."
    assert extract_events(_report(habit, "2020-01-27")) == []
    past = "Traffic now moves on the M5 past Saraqib. The road was closed for years because of the fighting."
    assert not [e for e in extract_events(_report(past, "2018-06-07")) if e.status == "closed"]
    still = extract_events(_report("The M5 road near Saraqib has been closed for two weeks.", "2018-06-07"))
    assert [e.status for e in still] == ["closed"]


def test_a_road_named_by_its_ends_beats_a_generic_name_after_them_and_reclosed_is_closed():
    """'the Aleppo-Hasakah International Highway' is the road through Aleppo and Hasakah (the M4), not the road the
    bare words 'international highway' name; a later 'the highway' is that road too."""
    text = ("The Aleppo-Hasakah International Highway was reclosed on Friday. "
            "Sources said the highway was closed because of shelling.")
    closed = [e for e in extract_events(_report(text, "2020-12-25")) if e.status == "closed"]
    assert {e.road_id for e in closed} == {"road:m4"} and len(closed) == 2
    m5 = extract_events(_report("The Aleppo-Damascus International Highway was reclosed on Friday.", "2020-12-25"))
    assert [e.road_id for e in m5 if e.status == "closed"] == ["road:m5"]


def test_the_highway_a_sentence_is_about_is_the_road_named_before():
    text = ("Buses drove along the M5 highway on Wednesday. "
            "The highway, which carried aid to the town of Al-Rastan, was re-opened after repairs.")
    opened = [e for e in extract_events(_report(text, "2018-06-07")) if e.status == "open"]
    assert {e.road_id for e in opened} == {"road:m5"}
    # a sentence that does not start from "the highway" keeps its own place
    own = "Buses drove along the M5 highway on Wednesday. Later the road to Al-Rastan was re-opened."
    assert "road:m5" not in {e.road_id for e in extract_events(_report(own, "2018-06-07")) if e.status == "open" and
                             "Later" in e.evidence[0].sentence}


def test_a_status_on_a_list_of_places_holds_for_each():
    text = "On Thursday evening, security forces imposed a curfew on Tartus, Homs, and Latakia until Friday."
    curfew = sorted(e.target_name for e in extract_events(_report(text, "2025-03-07")) if e.status == "curfew")
    assert curfew == ["Homs", "Latakia", "Tartus"]
    # places not joined into a list are not swept in
    apart = "On Thursday, forces imposed a curfew on Tartus after clashes with gunmen from Homs."
    assert [e.target_name for e in extract_events(_report(apart, "2025-03-07")) if e.status == "curfew"] == ["Tartus"]


def test_a_second_reported_statement_keeps_its_places_to_itself():
    """'roads are jammed ... and that Idlib city ... remains safe': the jam is where the sentence before put it."""
    text = ("Families are leaving the southern countryside of Idlib. "
            "He said roads are jammed with cars and that Idlib city is the only safe place.")
    jam = [e for e in extract_events(_report(text, "2020-01-27")) if e.status == "congested"]
    assert [e.target_kind for e in jam] == ["area"] and jam[0].extractor.endswith(":previous-sentence")


def test_tomorrow_on_a_weekday_is_after_publication_and_the_crossing_is_the_one_named_before():
    text = "Authorities will impose a curfew in Al-Hasakah city starting tomorrow on Monday."
    curfew = [e for e in extract_events(_report(text, "2022-01-23")) if e.status == "curfew"]
    assert [e.valid_from for e in curfew] == ["2022-01-24"]
    last = extract_events(_report("A curfew was imposed in Al-Hasakah city on Monday.", "2022-01-23"))
    assert [e.valid_from for e in last if e.status == "curfew"] == ["2022-01-17"]
    crossing = ("Trucks queued at the Nassib crossing last week. Officials met in Amman on Sunday. "
                "The crossing has partially reopened on Monday.")
    opened = [e for e in extract_events(_report(crossing, "2021-06-28")) if e.status == "open"]
    assert [e.place_ids for e in opened] == [["cur:nassib_crossing"]]


def test_a_road_the_gazetteer_lacks_named_by_its_two_towns_is_the_road_between_them_not_a_town():
    text = ("The main road between Hama and Salamiyah has been closed since 28 November. "
            "The army reopened the Hama-Salamiyah Road on Sunday.")
    events = extract_events(_report(text))
    closed = [e for e in events if e.status == "closed"]
    assert len(closed) == 1 and closed[0].target_kind == "road" and closed[0].road_id is None
    assert closed[0].between == ["gn:170017", "cur:salamiyah"] and closed[0].geometry["type"] == "LineString"
    opened = [e for e in events if e.status == "open"]
    assert opened and opened[0].between == closed[0].between  # not the Khanasir road that starts at Salamiyah
    # negative: the towns only named side by side, with no road word joining them, are no road
    other = extract_events(_report("Factions from Hama and Salamiyah clashed; they closed the road near Salamiyah."))
    assert all(not e.between for e in other)
    # a pair a gazetteer road passes through stays that road
    known = extract_events(_report("The road between Aleppo and Homs was closed on Monday."))
    assert [e.road_id for e in known if e.status == "closed"] == ["road:m5"]


def test_a_dateline_names_where_the_report_was_filed_not_a_target_and_its_date_is_no_event_date():
    text = ("HOMS, Syria (Local Wire) – Security forces on Monday closed the road to Palmyra.\n\n"
            "DAMASCUS, 2 December (Wire) -- Snipers fired on cars near Tadmur.")
    events = extract_events(_report(text))
    assert events and all("Homs" not in e.target_name and "Damascus" not in e.target_name for e in events)
    # negative: a place opening a paragraph without the dateline's dash or colon is an ordinary mention
    plain = extract_events(_report("Homs was under siege on Monday."))
    assert [e.target_name for e in plain if e.status == "besieged"] == ["Homs"]


def test_a_count_of_unnamed_crossings_closes_none_and_the_corridor_is_the_one_named_before():
    text = ("Thousands crossed at the Nassib border crossing on Monday. "
            "Of the five border crossings with Jordan, only one remains open after the others were closed.")
    assert [e for e in extract_events(_report(text)) if e.status == "closed"] == []
    text = ("The government reopened the Busra ash Sham humanitarian corridor on Monday. "
            "The corridor, which carried aid to Sweida in recent days, was shut down again on Wednesday.")
    closed = [e for e in extract_events(_report(text, "2025-08-07")) if e.status == "closed"]
    assert [e.target_name for e in closed] == ["Busra ash Sham"]
    # negative: the road the sentence names itself is kept
    named = extract_events(_report("The corridor, the M5 highway near Saraqib, was closed on Monday."))
    assert "road:m5" in {e.road_id for e in named if e.status == "closed"}


def test_snipers_targeting_people_assaults_on_posts_and_a_referred_curfew_are_no_new_shelling_or_curfew():
    text = "In Daraa on Monday, snipers on the roofs were targeting anyone who left home."
    assert {e.status for e in extract_events(_report(text))} == {"sniper"}
    assert [e for e in extract_events(_report("Gunmen launched attacks on several army posts near Daraa on Monday."))
            if e.status == "shelling"] == []
    assert [e for e in extract_events(_report("Before declaring the curfew, officials said gunmen raided Manbij on Monday."))
            if e.status == "curfew"] == []
    # negatives: warplanes targeting a town and attacks on the town itself are shelling; a curfew declared is one
    assert {e.status for e in extract_events(_report("Warplanes were targeting Daraa on Monday."))} == {"shelling"}
    assert {e.status for e in extract_events(_report("Attacks on Daraa continued on Monday."))} == {"shelling"}
    assert {e.status for e in extract_events(_report("The army declared a curfew in Manbij on Monday."))} == {"curfew"}


def test_a_place_named_only_as_a_side_is_no_target():
    text = "Authorities imposed a curfew in Manbij on Monday after pro-Damascus gunmen attacked a post."
    assert [e.target_name for e in extract_events(_report(text)) if e.status == "curfew"] == ["Manbij"]
    # negative: the same place named as a place stays a target
    assert [e.target_name for e in extract_events(_report("Authorities imposed a curfew in Damascus on Monday."))
            if e.status == "curfew"] == ["Damascus"]


def test_a_capital_standing_for_its_government_is_no_target():
    text = "Drivers said units of the government in Damascus erected a checkpoint on Sunday."
    assert extract_events(_report(text)) == []  # Damascus is who set it up, not where
    # negative: Damascus named as the place
    assert [e.target_name for e in extract_events(_report("Units erected a checkpoint in Damascus on Sunday."))] == ["Damascus"]
    text = "Damascus authorities imposed a curfew in Jableh on Monday."
    assert [e.target_name for e in extract_events(_report(text)) if e.status == "curfew"] == ["Jablah"]


def test_a_question_asserts_no_status():
    assert extract_events(_report("Is the route to east Aleppo from the Castello area still closed?")) == []
    # negative: the answer does
    assert [e.status for e in extract_events(_report("The route to east Aleppo from the Castello area is still closed."))] \
        == ["closed"]


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")
def test_a_report_read_in_two_halves_gives_the_same_events():
    # what a long report gets by default: the second half's mentions and cues read in a forked child
    text = "\n\n".join(r.text[r.body_offset:] for r in map(read_report, seed_reports()))
    report = _report(text * 3)
    assert split_point(report.text, 2) is not None
    one = [e.to_feature() for e in extract_events(report, workers=1)]
    two = [e.to_feature() for e in extract_events(report, workers=2)]
    assert len(one) > 20 and one == two


def test_a_failed_child_s_half_is_read_here():
    # a result that cannot be pickled back: the child reports the failure and the parent does that half itself
    first, second = in_two_halves(lambda n: (lambda: n), (1,), (2,))
    assert first() == 1 and second() == 2


def test_a_humanitarian_corridor_is_placed_at_its_crossing_point():
    text = "A humanitarian corridor opened at the Abu al-Duhur crossing in Idlib on Monday."
    assert [(e.status, e.place_ids) for e in extract_events(_report(text))] == [("corridor", ["cur:abu_al_duhur_crossing"])]
    # negative: a corridor out of a town with no crossing named is the town's
    text = "A humanitarian corridor opened out of Douma on Monday."
    assert [(e.status, e.place_ids) for e in extract_events(_report(text))] == [("corridor", ["gn:170592"])]


def test_a_siege_told_by_surrounding_sealing_or_blockading_names_its_besiegers():
    said = ("Soldiers were encircling Maarat al-Numan on Monday. Army units sealed the small town of Jisr al-Shughur on "
            "Tuesday. Madaya has been surrounded for two hundred days. Rebels imposed a blockade on Rastan on Friday.")
    sieges = {e.target_name: e.valid_from for e in extract_events(_report(said)) if e.status == "besieged"}
    assert set(sieges) == {"Maarat al-Numan", "Jisr ash Shughur", "Madaya", "Ar Rastan"}
    not_said = ("Madaya, surrounded by orchards, was quiet on Monday. The decision effectively sealed the town of "
                "Jisr al-Shughur on Tuesday. Troops sealed off the road to Saraqib on Friday. "
                "Nobody explained the blockade near Rastan.")
    assert [e for e in extract_events(_report(not_said)) if e.status == "besieged"] == []


def test_people_or_vehicles_waiting_at_a_crossing_are_a_queue():
    said = "On Thursday long lines of lorries waited for clearance and hundreds of families were waiting at the Jousieh crossing."
    assert [e.status for e in extract_events(_report(said))] == ["congested"]
    not_said = "Residents of Saraqib were waiting for a decision on Thursday. Officials at the Jousieh crossing were stuck in talks."
    assert [e for e in extract_events(_report(not_said)) if e.status == "congested"] == []


def test_a_crossing_that_opened_or_let_people_cross_is_open():
    said = ("The Masnaa crossing opened for the first time on Tuesday. On Wednesday 2,000 people crossed into Lebanon, "
            "an official at the Jousieh border said.")
    assert {e.target_name for e in extract_events(_report(said)) if e.status == "open"} == {"Masnaa crossing", "Jousieh crossing"}
    not_said = "Gunmen at the Masnaa crossing opened fire on Tuesday."
    assert [e for e in extract_events(_report(not_said)) if e.status == "open"] == []


def test_reaching_an_agreement_or_demanding_a_reopening_opens_no_road():
    not_said = ("On Saturday the committee in Saraqib reached a final agreement with the army on the road. "
                "On Sunday crowds in Saraqib marched, demanding the reopening of the M5 highway.")
    assert [e for e in extract_events(_report(not_said)) if e.status == "open"] == []
    said = "On Sunday the convoy reached Saraqib via the M5 highway."
    assert [e.status for e in extract_events(_report(said))] == ["open"]


def test_a_weekday_after_will_is_the_coming_one():
    coming = extract_events(_report("The curfew will begin at five o'clock Saturday morning in Deir ez-Zor.", "2023-09-01"))
    assert [(e.status, e.valid_from) for e in coming] == [("curfew", "2023-09-02")]
    past = extract_events(_report("The curfew began on Saturday in Deir ez-Zor, and the council will review it.", "2023-09-01"))
    assert [(e.status, e.valid_from) for e in past] == [("curfew", "2023-08-26")]


def test_a_road_connecting_two_described_places_is_the_road_between_them_in_either_order():
    text = ("On Sunday troops blocked a central route between Tabqa and Salamiyah. The troops closed a road connecting "
            "the city of Salamiyah in the interior of the country with the canton of Tabqa on Sunday.")
    closed = consolidate([e for e in extract_events(_report(text, "2025-10-05")) if e.status == "closed"])
    assert len(closed) == 1 and closed[0].target_kind == "road" and len(closed[0].evidence) == 2
    assert "gn:172374" in closed[0].between  # Al-Tabqa
    apart = "On Sunday troops closed the road in Salamiyah in the interior of the country and the town of Tabqa."
    assert [(e.target_kind, e.target_name) for e in extract_events(_report(apart, "2025-10-05"))
            if e.status == "closed"] == [("place", "Salamiyah")]


def test_strikes_backing_an_offensive_and_attacks_on_forces_or_a_prison_are_no_shelling_of_a_place():
    not_said = ("On Monday troops backed by Russian air strikes advanced on Saraqib. Operations in Saraqib have been targeting "
                "the forces of the SDF on Monday. Gunmen carried out an attack on the Saraqib prison on Monday.")
    assert [e for e in extract_events(_report(not_said)) if e.status == "shelling"] == []
    said = "On Monday Russian air strikes hit Saraqib."
    assert [e.status for e in extract_events(_report(said))] == ["shelling"]


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")
def test_an_error_in_this_half_still_reaps_the_child():
    import os
    import time

    def half(n: int) -> int:
        if n == 1:
            raise ValueError("bad first half")
        return n

    with pytest.raises(ValueError, match="bad first half"):
        in_two_halves(half, (1,), (2,))
    time.sleep(0.5)  # (time for a child left behind to finish)
    try:  # no finished child left unreaped (a zombie): waitpid finds none to collect
        reaped, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        reaped = 0
    assert reaped == 0


def test_a_road_statement_with_no_place_to_show_is_kept_as_unplaced():
    unplaced: list = []
    events = extract_events(_report("The road to Raqqa was closed on Sunday."), unplaced=unplaced)
    assert events == [] and [(u.status, u.date, u.start) for u in unplaced] == [("closed", "2024-12-01", 0)]
    assert "no place" in unplaced[0].reason
    # negative: a closure that is no road statement is neither an event nor unplaced
    unplaced = []
    assert extract_events(_report("The water supply was cut off on Sunday."), unplaced=unplaced) == [] and unplaced == []


def test_a_road_told_by_where_it_goes_is_not_the_road_named_before():
    text = "On Sunday snipers fired at cars on the M5 highway near Saraqib. The road to Raqqa was closed on Monday."
    unplaced: list = []
    events = extract_events(_report(text), unplaced=unplaced)
    assert [(e.status, e.road_id) for e in events] == [("sniper", "road:m5")]  # the M5 is not closed
    assert [u.sentence for u in unplaced] == ["The road to Raqqa was closed on Monday."]
    # negative: "the highway" alone still means the one named before
    text = "On Sunday snipers fired at cars on the M5 highway near Saraqib. The highway was closed on Monday."
    assert ("closed", "road:m5") in [(e.status, e.road_id) for e in extract_events(_report(text))]
