"""The gazetteer: spellings, Arabic script, roads, mentions in real report text, and bad input."""

from __future__ import annotations

import json

import pytest

from gazetteer._fork import can_fork
from gazetteer.mentions import find_mentions, split_point
from gazetteer.normalize import name_key
from gazetteer.sources import haversine_km

from conftest import DATA, SHARED_SEEDS


@pytest.mark.parametrize("spelling", ["Khanaser", "Khanasir", "Khunasir", "خناصر", "Khanāşir"])
def test_khanasir_in_every_spelling(gazetteer, spelling):
    best = gazetteer.lookup(spelling)[0]
    assert haversine_km(best.place.lat, best.place.lon, 35.7816, 37.4992) < 5


@pytest.mark.parametrize("name,lat,lon", [("Athria", 35.3692, 37.7859), ("Ithriya", 35.3692, 37.7859),
                                          ("As-Safira", 36.077, 37.3725), ("Salamiya", 35.011, 37.053),
                                          ("Maarat al-Numan", 35.648, 36.677), ("Ma‘arrat an Nu‘mān", 35.648, 36.677),
                                          ("Kafr Nabel", 35.614, 36.564), ("al-Saan", 35.264, 37.374),
                                          ("Tall Rifat", 36.472, 37.095), ("Jobas", 35.81, 36.767)])
def test_syrian_places_resolve_near_their_position(gazetteer, name, lat, lon):
    best = gazetteer.lookup(name)[0]
    assert haversine_km(best.place.lat, best.place.lon, lat, lon) < 5, best


def test_neighbourhood_is_a_polygon_inside_aleppo(gazetteer):
    best = gazetteer.lookup("Sheikh Maqsoud")[0].place
    assert best.kind == "neighbourhood" and best.geometry["type"] in ("Polygon", "MultiPolygon")
    assert haversine_km(best.lat, best.lon, 36.2012, 37.1612) < 6


@pytest.mark.parametrize("name", ["M5", "the M5 highway", "Aleppo-Damascus (M5) international road", "Aleppo-Damascus international road"])
def test_m5_names_are_one_road(gazetteer, name):
    assert gazetteer.lookup(name)[0].place.id == "road:m5"


def test_normalisation():
    assert name_key("Aleppo's") == name_key("aleppo")
    assert name_key("ash-Sheikh Maqsoud") == name_key("Sheikh Maqsoud")
    assert name_key("السلمية") == name_key("سلمية")
    assert name_key("مَعَرَّة النعمان") == name_key("معرة النعمان")


@pytest.mark.parametrize("junk", ["", "x", "!!!", "   ", "—"])
def test_junk_names_give_no_candidates(gazetteer, junk):
    assert gazetteer.lookup(junk) == []


def test_mentions_in_html_keep_offsets_into_the_original():
    text = 'Residents of <a href="https://example.com/syria">Syria</a>\'s Aleppo fled to <b>Khanaser</b>.'
    res = find_mentions(text)
    got = {m.text: m for m in res.mentions}
    assert {"Syria", "Aleppo", "Khanaser"} <= set(got)
    for m in res.mentions:
        assert text[m.start:m.end] == m.text
    assert "syria" not in [m.text for m in res.mentions if m.start < text.index(">Syria")]  # not inside the URL


def test_demonyms_qualifiers_people_and_organisations():
    text = ("Syrian troops shelled eastern Aleppo and the outskirts of Aleppo. Mazloum Abdi spoke for the "
            "Syrian Democratic Forces. The Military Operations Administration entered the Aleppo countryside.")
    res = find_mentions(text)
    syrian = [m for m in res.mentions if m.text == "Syrian"]
    assert len(syrian) == 1 and syrian[0].adjectival and syrian[0].kind == "country"
    quals = sorted(m.qualifier for m in res.mentions if m.name == "Aleppo")
    assert quals == ["countryside", "eastern", "outskirts"]
    assert not any(m.text in ("Mazloum", "Abdi", "Military", "Operations", "Administration") for m in res.mentions)


def test_unknown_place_is_kept_as_unresolved():
    res = find_mentions("Families fled from Qzwxtyville towards Homs.")
    assert [u.text for u in res.unresolved] == ["Qzwxtyville"]
    assert [m.name for m in res.mentions] == ["Homs"]


def test_empty_text():
    res = find_mentions("")
    assert res.mentions == [] and res.unresolved == []


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not present")
def test_recall_of_syrian_places_on_the_seed_reports():
    """Every Syrian place in the gold annotation of the five reports is found and resolved within 5 km."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from gazetteer_eval import evaluate

    res = evaluate(SHARED_SEEDS, DATA / "gold_places.json")
    assert res["syria"]["recall"] >= 0.95 and res["syria"]["precision"] >= 0.95
    assert res["syria"]["acc_5km"] >= 0.95
    assert all(res["mission_places"].values()), res["mission_places"]


def test_gold_file_offsets_are_exact():
    gold = json.loads((DATA / "gold_places.json").read_text(encoding="utf-8"))
    if not SHARED_SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    for fname, ann in gold["reports"].items():
        text = (SHARED_SEEDS / fname).read_text(encoding="utf-8")
        for m in ann["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_geonames_places_are_shown_in_the_spelling_reports_use(gazetteer):
    tartus = gazetteer.lookup("Tartus")[0].place
    assert tartus.name == "Tartus" and gazetteer.lookup("Ţarţūs")[0].place.id == tartus.id
    assert gazetteer.lookup("Tall Rifat")[0].place.name == "Tall Rif'at"


# ---------------------------------------------------------------- the fast paths read as the plain ones did

def test_sentence_ends_found_from_hints_match_the_full_scan():
    import random

    from gazetteer.text import _SENTENCE_END, _sentence_ends

    rng = random.Random(3)
    parts = ["Abc", " ", ".", "!", "?", "…", "\n", "\n\n", '"', "”", "’", ")", "(", "“", "5", "•", "-", "Gen.", "ب", "\t"]
    for _ in range(2000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 40)))
        assert [m.span() for m in _sentence_ends(text)] == [m.span() for m in _SENTENCE_END.finditer(text)], repr(text)


def test_html_offsets_point_at_each_character_origin():
    from gazetteer.text import visible_text

    raw = "a<p>b&amp;c&nvlt;d</p><br>e"  # &nvlt; decodes to two characters
    plain, offsets = visible_text(raw)
    assert plain == "a b&c<\u20d2d  e"
    assert list(offsets) == [0, 1, 4, 5, 10, 11, 11, 17, 18, 22, 26, 27]


def test_name_reading_stops_only_when_no_name_can_follow(gazetteer):
    assert gazetteer.may_continue("bab")  # "Bab al-Hawa"
    assert gazetteer.may_continue("bab al")  # a closing article may still be dropped
    assert gazetteer.may_continue("the") and gazetteer.may_continue("")
    assert not gazetteer.may_continue("aleppo said")


@pytest.mark.parametrize("text", ["Families fled to Khanaser.", "Families fled to KHANASER.",
                                  "Residents of ‘Ma'arrat al-Nu'man’ left.", "Convoys reached Bab al-Hawa crossing."])
def test_mentions_survive_odd_spellings_and_apostrophes(text):
    assert find_mentions(text).mentions


def test_a_road_named_after_a_place_is_that_place_s_only_road():
    """"the Khanasir route" is the one road through Khanasir; several roads leave Aleppo, so "Aleppo road"
    names none of them."""
    found = {m.text: m.place_id for m in find_mentions("Traffic took the Khanasir route. A key Aleppo road was sealed.").mentions}
    assert found["Khanasir route"] == "road:khanasir"
    assert found["Aleppo"] == "gn:170063" and "road:m5" not in found.values()


@pytest.mark.parametrize("sentence,name,place_id", [
    ("Regime forces arrived to Nobol sub-district north of Aleppo.", "Nobol", "gn:166331"),
    ("The siege of Nubl and al-Zahraa was broken.", "Zahraa", "cur:al_zahraa"),
    ("The SDF took Kafrnaya on Monday.", "Kafrnaya", "cur:kafr_naya"),
    ("Gunmen fired at Syria's Nassib border crossing into Jordan.", "Nassib border crossing", "cur:nassib_crossing"),
    ("Trucks returned via the Jaber crossing.", "Jaber crossing", "cur:nassib_crossing"),
    ("Civilians reached the Wafidin area through a corridor.", "Wafidin", "cur:wafidin_camp"),
    ("The Castello Road links the Leramoun and Jandoul roundabouts.", "Jandoul", "cur:jandoul_roundabout"),
    ("IS cut the Homs-Palmyra road on Tuesday.", "Homs-Palmyra road", "road:homs_palmyra"),
    ("Checkpoints lined the Beirut-Damascus road.", "Beirut-Damascus road", "road:beirut_damascus"),
    ("Snipers overlook the Damascus-Homs highway.", "Damascus-Homs highway", "road:m5"),
    ("The Semalka-Fiskhabur crossing was closed last week.", "The Semalka-Fiskhabur crossing", "cur:semalka_crossing"),
    ("Rojava has depended on the Semalka border crossing for aid.", "Semalka border crossing", "cur:semalka_crossing"),
    ("The Aleppo-Hasakah International Highway was reclosed.", "The Aleppo-Hasakah International Highway", "road:m4"),
    ("Checkpoints stood on the roads to Amudah.", "Amudah", "gn:173230"),
    ("The road between Ain Issa and Tal Tamr reopened.", "Tal Tamr", "gn:163434"),
])
def test_places_of_the_held_out_reports_resolve_in_a_sentence(sentence, name, place_id):
    found = {m.text: m.place_id for m in find_mentions(sentence).mentions}
    assert found.get(name) == place_id, found


def test_new_entries_sit_where_their_sources_put_them(gazetteer):
    """Each added place near its documented position (Nubl: GeoNames; al-Zahraa, Kafr Naya: Wikipedia), and the
    new roads run between their ends."""
    for name, lat, lon in [("Nobol", 36.37867, 36.99294), ("al-Zahraa", 36.35858, 37.01067), ("Kafr Naya", 36.41989, 37.072),
                           ("Nassib crossing", 32.545, 36.205), ("Masnaa crossing", 33.70287, 35.92405)]:
        p = gazetteer.lookup(name)[0].place
        assert haversine_km(p.lat, p.lon, lat, lon) < 1, name
    assert gazetteer.get("road:homs_palmyra").road.via[::2] == ("gn:169577", "gn:163808")  # Homs ... Palmyra
    assert gazetteer.get("road:beirut_damascus").road.via[0] == "gn:170654"


def test_damascus_western_countryside_keeps_madaya():
    """A qualified region next to a town does not take the town's mention."""
    found = {m.text: m.place_id for m in find_mentions("the besieged town of Madaya in Damascus western countryside").mentions}
    assert found["Madaya"] == "gn:167558"


def test_the_semalka_crossing_and_the_m4_sit_where_their_sources_put_them(gazetteer):
    """Semalka at Wikipedia's position on the Tigris; the M4 runs from Latakia through Aleppo to al-Qamishli (SANA)."""
    p = gazetteer.get("cur:semalka_crossing")
    assert haversine_km(p.lat, p.lon, 37.089323, 42.349890) < 0.1
    via = gazetteer.get("road:m4").road.via
    assert via[0] == "gn:173576" and "gn:170063" in via and via[-1] == "gn:173377"


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.place_id) for m in find_mentions(text).mentions]


def test_a_place_after_an_organisation_s_name_is_still_a_place():
    # only capitalised words and particles continue an organisation's name
    assert ("Madaya", "gn:167558") in _found("Residents of the Hezbollah-besieged town of Madaya are starving.")
    assert ("Aleppo", "gn:170063") in _found("Fighters of Liwa al-Quds in Aleppo were redeployed.")
    assert ("Aleppo", "gn:170063") in _found("Hayat Tahrir al-Sham took Aleppo in two days.")
    assert _found("Jaish al-Islam shelled the road.") == []  # "Islam" stays part of the group's name


def test_a_name_s_first_word_before_another_capitalised_word_is_no_place():
    # "Tall" alone is At Tall; "Tall Ziwan", a village the gazetteer lacks, is not At Tall
    assert not any(pid == "gn:172349" for _, pid in _found("Checkpoints stood near Tall Ziwan."))
    assert ("Tall", "gn:172349") in _found("Clashes in Tall and Douma went on.")
    assert ("Tell Abyad", "gn:163750") in _found("Roads near Tell Abyad were cut.")


def test_a_landmark_named_of_a_city_belongs_to_that_city():
    assert _found("The Old City of Homs was evacuated.") == [("Homs", "gn:169577")]
    assert _found("Shells fell on the Old City.") == [("Old City", "cur:old_aleppo")]  # alone: the gazetteer's


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")
def test_mentions_found_in_two_halves_are_those_of_one_scan():
    text = "\n".join(f"Convoys left {a} for {b} near the {c} checkpoint." for a, b, c in
                     [("Aleppo", "Homs", "Athria"), ("Idlib", "Saraqib", "Lirmon"), ("Hama", "Salamiyah", "Khanasir")] * 40)
    assert split_point(text, 2) is not None
    assert find_mentions(text, workers=2).to_dict() == find_mentions(text, workers=1).to_dict()


# Each crossing: a few of the spellings reports use (both sides' names, Arabic script), and the point its source gives
# (Wikipedia coordinates, or the GeoNames position of the border town it is named after), with how far it may lie from it.
_CROSSINGS = [
    ("cur:bab_al_hawa", (36.230639, 36.692639, 1), ["Bab al-Hawa crossing", "Cilvegözü", "Cilvegozu crossing", "معبر باب الهوى"]),
    ("cur:bab_al_salameh", (36.63439, 37.08575, 1), ["Bab al-Salama crossing", "Oncupinar", "Öncüpınar crossing", "Bab al-Salamah"]),
    ("cur:kassab_crossing", (35.92639, 35.9897, 2), ["Kassab crossing", "Kessab border crossing", "Yayladağı crossing", "معبر كسب"]),
    ("cur:jarablus_crossing", (36.8175, 38.01111, 3), ["Jarablus crossing", "Karkamış crossing", "Karkamis border crossing", "معبر جرابلس"]),
    ("cur:tal_abyad_crossing", (36.69648, 38.95382, 1.5), ["Tal Abyad crossing", "Tell Abyad border crossing", "Akçakale crossing"]),
    ("cur:ras_al_ain_crossing", (36.84722, 40.05, 1.5), ["Ras al-Ain crossing", "Ceylanpinar crossing", "Serekaniye crossing"]),
    ("cur:qamishli_crossing", (37.07028, 41.21465, 2), ["Qamishli crossing", "Nusaybin crossing", "Qamishli-Nusaybin crossing"]),
    ("cur:al_rai_crossing", (36.61182, 37.4478, 2), ["al-Rai crossing", "Çobanbey crossing", "معبر الراعي"]),
    ("cur:atmeh_crossing", (36.31111, 36.68639, 2), ["Atmeh crossing", "Atme crossing"]),
    ("cur:masnaa_crossing", (33.70287, 35.92405, 1), ["Masnaa crossing", "Jdeidet Yabous crossing", "Masnaa/Jdeidet Yabous crossing"]),
    ("cur:jousieh_crossing", (34.4217, 36.5433, 2), ["Jousieh crossing", "al-Qaa crossing", "Jousseh-Qaa crossing", "معبر جوسية"]),
    ("cur:nassib_crossing", (32.545, 36.205, 1), ["Jaber crossing", "Nassib/Jaber border crossing", "Nasib crossing", "معبر نصيب"]),
    ("cur:daraa_ramtha_crossing", (32.61889, 36.10213, 6), ["Daraa-Ramtha crossing", "Ramtha crossing", "معبر درعا"]),
    ("cur:bukamal_qaim_crossing", (34.3975, 40.977, 4), ["al-Bukamal crossing", "Al-Qaem-Bukamal border crossing", "al-Qaim crossing"]),
    ("cur:tanf_crossing", (33.4332, 38.9374, 1), ["al-Tanf crossing", "al-Waleed border crossing", "معبر التنف"]),
    ("cur:yarubiyah_crossing", (36.81138, 42.06206, 2), ["al-Yarubiyah crossing", "Rabia crossing", "Tal Kocher crossing"]),
    ("cur:semalka_crossing", (37.089323, 42.34989, 1), ["Semalka crossing", "Peshkhabour crossing", "Fishkhabur crossing"]),
    ("cur:quneitra_crossing", (33.11278, 35.81583, 1), ["Quneitra crossing", "معبر القنيطرة"]),
    ("cur:abu_al_duhur_crossing", (35.74058, 37.0448, 5), ["Abu al-Duhur crossing", "Abu al-Duhur checkpoint", "Abu Duhur crossing"]),
    ("cur:tabqa_crossing", (35.83758, 38.54828, 5), ["al-Tabqah crossing", "Tabqa crossing"]),
    ("cur:saraqib_crossing", (35.86447, 36.80591, 3), ["Saraqib crossing", "Tarnaba crossing"]),
    ("gn:11428685", (33.31405, 38.70342, 0.1), ["Rukban camp", "al-Rukban refugee camp", "مخيم الركبان"]),
]


@pytest.mark.parametrize("place_id,point,spellings", _CROSSINGS, ids=[c[0] for c in _CROSSINGS])
def test_crossings_resolve_in_their_spellings_and_sit_at_their_source_point(gazetteer, place_id, point, spellings):
    for spelling in spellings:
        for sentence in (f"Trucks queued at the {spelling} on Monday.", f"The {spelling} was closed, officials said."):
            assert place_id in [pid for _, pid in _found(sentence)], (sentence, _found(sentence))
    p = gazetteer.get(place_id)
    lat, lon, km = point
    assert haversine_km(p.lat, p.lon, lat, lon) < km
    assert p.kind in ("border_crossing", "checkpoint") and p.country == "SY" or place_id == "gn:11428685"  # Rukban: GeoNames files it under JO


def test_crossing_names_hold_no_bare_common_word():
    """A side's name alone ('Jaber', 'Qaa', 'Rabia', 'Hawa') is no crossing; the town names stay the towns'."""
    assert _found("Jaber said the talks went well.") == []
    assert not any(pid.startswith("cur:") for _, pid in _found("Rabia and Qaa were quiet; Nusaybin too."))
    assert ("Kassab", "gn:168519") in _found("Shelling hit Kassab on Monday.")
    assert ("Jarablus", "gn:169179") in _found("Rebels entered Jarablus.")
    assert ("Daraa", "gn:170905") in _found("Protests spread in Daraa.")


def test_a_crossing_named_as_a_gate_or_a_border_post():
    # "gate", "post" and "border" may sit inside a name without a capital, like "crossing"
    assert ("Jaber border post", "cur:nassib_crossing") in _found("Trucks waited at the Jaber border post on Monday.")
    assert ("Cilvegözü gate", "cur:bab_al_hawa") in _found("Aid passed through the Cilvegözü gate.")
