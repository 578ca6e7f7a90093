"""Report text → road-status events, each tied to the sentence that states it.

Rules, not a model: `routes.cues` finds the candidate statements of each sentence; here the
target is the gazetteer mention that fits the status best in that sentence (or, for "the road" and
"the town", in the sentence before); the date comes from `routes.dates`. Statements about water,
services or banks never become road events: a closure needs a road word or a road-like target.
"""

from __future__ import annotations

import gc
import hashlib
import math
from bisect import bisect_left
import re
from contextlib import contextmanager
from functools import lru_cache
from datetime import date, timedelta
from typing import Iterable, Iterator, Sequence

from shapely.geometry import LineString, mapping

from gazetteer._fork import in_two_halves
from gazetteer.mentions import Mention, as_tuples, from_tuples, merge_place_pairs, scan_range, split_point
from gazetteer.place import Place
from gazetteer.store import Gazetteer, default_gazetteer
from gazetteer.text import lower_for_re, may_contain, odd_folds_to_ascii, sentence_spans, visible_text
from routes.cues import MOVEMENT, ROAD_WORDS, Facts, Statement, sentence_facts
from routes.dates import When, resolve, sets_narrative_date
from routes.defaults import EXITS_ONLY
from routes.events import Event, Evidence, Source, Unplaced
from routes.reports import Report
from routes.shapes import Shape, remember_shapes, target_shape

_NUMBER_WORDS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                              "ten", "eleven", "twelve"])}
_HOURS = re.compile(r"\b(?:more than|over|about|around|nearly|almost|up to)?\s*(\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) +
                    r")\s+hours?\b", re.I)
_VEHICLES = re.compile(r"\b(thousands|hundreds|dozens|\d[\d,]*)\s+(?:of\s+)?(?:stranded\s+)?(?:cars|vehicles|buses|trucks|lorries|trailers)\b", re.I)
_CASUALTIES = re.compile(r"\b(?:killed|killing)\s+(?:at least\s+)?(\d[\d,]*)|\b(\d[\d,]*)\s+(?:people|civilians|children)\s+(?:were\s+|have been\s+)?killed", re.I)
_AMOUNT_WORDS = {_HOURS: ("hour",), _VEHICLES: ("cars", "vehicles", "buses", "trucks", "lorries", "trailers"), _CASUALTIES: ("kill",)}
_PROPOSED = re.compile(r"\b(propos\w*|offer\w*|plan\w*|call\w* (?:on|for)|negotiat\w*|talks)\b", re.I)
# vehicles counted on the move ("dozens of buses arrived"), not standing in a queue
_VEHICLES_MOVING = re.compile(r"\b(arriv\w*|coming from|heading|travell?(?:ed|ing)|passed|crossed)\b", re.I)
_QUEUE_WORDS = re.compile(r"jam|congest|queue|wait|stranded|gridlock|stuck", re.I)
_WALK = re.compile(r"\bwalk(?:ed|ing)?\b|\bon foot\b", re.I)

# which mentions each status prefers as its target, best first
_KIND_ORDER = {
    "road": ["road", "checkpoint", "border_crossing", "landmark", "settlement", "neighbourhood", "admin_area"],
    "area": ["neighbourhood", "settlement", "admin_area", "landmark"],
    "point": ["checkpoint", "landmark", "road", "border_crossing", "settlement", "neighbourhood", "admin_area"],
    "any": ["road", "landmark", "checkpoint", "neighbourhood", "settlement", "border_crossing", "admin_area"],
    # a humanitarian corridor is named by its crossing point ("the Abu al-Duhur crossing") or by the area it serves
    "corridor": ["checkpoint", "border_crossing", "neighbourhood", "settlement", "admin_area", "landmark"],
}
_STATUS_PREF = {"closed": "road", "open": "road", "corridor": "corridor", "sniper": "point", "congested": "point",
                "checkpoint": "point", "besieged": "area", "curfew": "area", "shelling": "any"}
BIG_CITY = 500_000  # a closure "of Aleppo" is not a closure of every road into it: prefer a smaller anchor
# statuses that last until a report says otherwise; a date given for them is when they began
PERSISTENT = {"closed", "besieged", "open", "corridor", "checkpoint"}
_NIGHT = re.compile(r"\b(night|overnight)\b", re.I)


_GOVERNMENT_IN = re.compile(r"\b(?:government|regime|authorities|administration|leadership|rulers)\s+in\s+$")
_GOVERNMENT_AFTER = re.compile(r"^[\s-]+(?:government|regime|authorities|administration|leadership)\b")


def _allegiance(text: str, m: Mention) -> bool:
    """True for a place named only as a side: "pro-Damascus groups", "anti-Damascus", "Damascus-backed
    militias", "Tehran-linked", or a capital standing for its government ("the government in Damascus",
    "Damascus authorities"): whom fighters answer to, not where a status holds (read only in sentences
    with a cue)."""
    before = text[max(0, m.start - 30):m.start].lower()
    after = text[m.end:m.end + 16].lower()
    return before.endswith(("pro-", "anti-", "pro‑", "anti‑")) or after.startswith(("-backed", "-linked", "-aligned")) \
        or bool(_GOVERNMENT_IN.search(before) or _GOVERNMENT_AFTER.match(after))


def _usable(m: Mention, g: Gazetteer) -> bool:
    """Mentions that can carry a road status: places in the region, not countries or demonyms."""
    return not m.adjectival and m.kind != "country" and g.get(m.place_id).country in (g.region, None)


_CLAUSE_BREAK = re.compile(r"[,;:—–]|\band\b|\bbut\b")
# "the city", and its parts without a name: "the eastern neighbourhoods", "the western government-held districts"
_THE_CITY = re.compile(r"\bthe (city|town|(?:[\w-]+ ){0,2}(?:neighbou?rhoods|districts))\b", re.I)
# the roads that cross a city's edge, not the city's streets: "closed the roads in and out of Aleppo"
_IN_AND_OUT = re.compile(r"\b(in and out of|into and out of|to and from|entrances? (?:to|of)|exits? (?:of|from))\b", re.I)
# the sentence-wide tests above, without re.I, for lower-case text (see `_found`)
_LOWER_FORM: dict[re.Pattern, re.Pattern] = {p: re.compile(p.pattern.replace("M\\d+", "m\\d+"))
                                              for p in (ROAD_WORDS, _WALK, _NIGHT, _THE_CITY, _IN_AND_OUT)}


def _found(pattern: re.Pattern, sentence: str, low: str | None) -> bool:
    """`pattern.search(sentence)` (a re.I pattern of `_LOWER_FORM`) as a bool, read in `low`
    (`lower_for_re(sentence)`) without re.I where that finds the same: no per-character case folding."""
    return bool(pattern.search(sentence) if low is None else _LOWER_FORM[pattern].search(low))


# a second reported statement in the sentence: "he said roads are jammed ... and that Idlib city ... remains safe"
# names no jam in Idlib city; with no place on the cue's side, the sentence before names it
_REPORTED_BREAK = re.compile(r"\b(?:and|but) that\b|\bwhereas\b", re.I)
# statuses that hold for every place of a list: "a curfew on Tartus, Homs, and Latakia"
_LISTABLE = ("curfew", "checkpoint", "besieged", "shelling")
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?:[Aa]l|[Ee]l)?[-\u2010\u2011]?")  # ", al‑Malikiyah"
_AREA_KINDS = ("settlement", "neighbourhood", "admin_area", "landmark")
# a sentence about "the highway" it named before: its other places are not the road's
# a road told by where it goes ("the road to Raqqa", "the highway from Aleppo to Raqqa"): not the road named before
_TOWARDS_A_PLACE = r"\s+(?:to|from|between|linking|connecting|leading to|out of|into|towards?)\s+(?:the\s+)?(?-i:[A-Z])"
_ROAD_TOLD_BY_ITS_END = re.compile(rf"\b(?:highway|road|motorway|route)s?{_TOWARDS_A_PLACE}", re.I)
_THE_ROAD_SUBJECT = re.compile(rf"\W*the (?:highway|road|motorway)\b(?!{_TOWARDS_A_PLACE})", re.I)
# "The corridor, which has been used to deliver aid to Sweida, was shut": the corridor the report named before
# ("the Bosra al-Sham humanitarian corridor"), not the place its aid went to
_THE_CORRIDOR_SUBJECT = re.compile(r"\W*the (?:humanitarian )?(corridor|crossing)\b", re.I)
_THE_ROUTE = re.compile(r"\bthe (?:route|corridor|crossing)\b", re.I)
# "Of the six border crossings between Lebanon and Syria, two remain functional ... the others shut": a count of
# facilities the sentence does not name; the place of the sentence before is none of them
_COUNTED_FACILITIES = re.compile(r"\b(?:of the|all(?: the)?|both|the other|the remaining)\s+(?:\d+|two|three|four|five|six|seven|"
                                 r"eight|nine|ten|several|many|few)\s+(?:[\w-]+\s+){0,2}?(?:crossings|roads|routes|checkpoints|"
                                 r"highways|corridors)\b", re.I)


def _named_before_noun(prev: list[tuple[Mention, int]], prev_sentence: str, noun: str) -> Mention | None:
    """The place the sentence before named right before `noun` ("the Bosra al-Sham humanitarian corridor"),
    at most two words between them; None when it named none so."""
    after = re.compile(r"\s+(?:[\w-]+\s+){0,2}?" + re.escape(noun) + r"\b", re.I)
    for m, pos in reversed(prev):
        if after.match(prev_sentence, pos + (m.end - m.start)):
            return m
    return None
# "the crossing has reopened": the border crossing the report named last
_THE_CROSSING = re.compile(r"\bthe (?:border )?crossing\b", re.I)


def _same_statement(mentions: list[tuple[Mention, int]], sentence: str, pos: int) -> list[tuple[Mention, int]]:
    """The mentions on the same side as the cue at `pos` of every "and that", "but that" or "whereas" that
    joins two reported statements in one sentence (all of them when there is none)."""
    if not may_contain(sentence, (" that", "whereas")):  # most sentences (fast path)
        return mentions
    breaks = [m.start() for m in _REPORTED_BREAK.finditer(sentence)]
    if not breaks:
        return mentions
    lo = max((b for b in breaks if b < pos), default=0)
    hi = min((b for b in breaks if b > pos), default=len(sentence))
    return [(m, p) for m, p in mentions if lo <= p < hi]


def _listed_with(mention: Mention, mentions: list[tuple[Mention, int]], sentence: str) -> list[Mention]:
    """The other places of a list the target is named in ("on Tartus, Homs, and Latakia", "to al-Qamishli,
    Amudah and al-Malikiyah"): neighbours joined to it, one by one, only by commas, 'and' or 'or'."""
    if mention.kind not in _AREA_KINDS:
        return []
    i = next((k for k, (m, _) in enumerate(mentions) if m is mention), None)
    if i is None:
        return []

    def joined(a: int, b: int) -> bool:
        (ma, pa), (mb, pb) = mentions[a], mentions[b]
        end_a = pa + (ma.end - ma.start)
        return mb.kind in _AREA_KINDS and end_a <= pb and bool(_LIST_SEP.fullmatch(sentence, end_a, pb))
    lo = i
    while lo > 0 and joined(lo - 1, lo):
        lo -= 1
    hi = i
    while hi + 1 < len(mentions) and joined(hi, hi + 1):
        hi += 1
    seen = {mention.place_id}
    out = []
    for m, _ in mentions[lo:hi + 1]:
        if m.place_id not in seen:
            seen.add(m.place_id)
            out.append(m)
    return out


def _clause(sentence: str, pos: int) -> str:
    """The clause of the sentence around a cue (between commas, dashes, 'and', 'but')."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, pos)]
    end = _CLAUSE_BREAK.search(sentence, pos)
    return sentence[(starts[-1] if starts else 0):(end.start() if end else len(sentence))]


def _when(when: When, sentence: str, cue_pos: int, published: date, anchor: date | None) -> When:
    """The sentence's time; a present-tense reading only when the cue's own clause is in the present."""
    if when.basis.startswith("present tense"):
        return resolve(_clause(sentence, cue_pos), published, anchor)
    return when


_STRONG_BREAK = re.compile(r";|\s[—–-]+\s")  # not the dash inside "Ithriya–Khanasir road"
# "Madaya in Damascus western countryside", "the Jableh City Council in Latakia": the second place holds the first
_HELD_IN = re.compile(r"\s+(?:[A-Z][\w'-]*\s+){0,3}in\s+(?:the\s+)?")


def _held_in_other(m: Mention, pos: int, mentions: list[tuple[Mention, int]], sentence: str, g: Gazetteer) -> bool:
    """True when the sentence names a smaller place just before `m` as lying in it ("Jableh ... in Latakia"):
    the statement is about the smaller place, the bigger one only says where it is."""
    for other, opos in mentions:
        gap_start = opos + (other.end - other.start)
        if other is not m and opos < pos and _HELD_IN.fullmatch(sentence, gap_start, pos) \
                and g.get(other.place_id).population < g.get(m.place_id).population:
            return True
    return False


def _pick(status: str, mentions: list[tuple[Mention, int]], cue_pos: int, g: Gazetteer, sentence: str = "") -> Mention | None:
    """The mention that best fits the status: by kind preference, then nearness to the cue.

    Given the sentence, a closure or opening takes no target across a strong break (";", a dash) from
    its cue ("cutting off the road ...; afterwards they took A'zaz" does not close A'zaz), and a place
    the sentence names only as holding a smaller one ("Madaya in Damascus countryside") comes after it."""
    order = _KIND_ORDER[_STATUS_PREF[status]]
    cands = [(m, pos) for m, pos in mentions if m.kind in order
             and not (status in ("closed", "open") and g.get(m.place_id).population >= BIG_CITY and not m.qualifier)]
    if sentence and status in ("closed", "open"):
        cands = [(m, pos) for m, pos in cands if not _STRONG_BREAK.search(sentence, min(pos, cue_pos), max(pos, cue_pos))]
    if not cands:
        return None

    def rank(item: tuple[Mention, int]) -> tuple:
        m, pos = item
        big = g.get(m.place_id).population >= BIG_CITY and status in ("closed", "open", "sniper", "congested", "checkpoint")
        held = bool(sentence) and len(cands) > 1 and _held_in_other(m, pos, cands, sentence, g)
        return (big, order.index(m.kind), held, abs(pos - cue_pos))
    return min(cands, key=rank)[0]


# "the Damascus-Aleppo strategic highway", "the road connecting the city of Homs with Palmyra"
_PAIR_JOIN = re.compile(r"\s*(?:[-–—/]|and|with|to)\s*")
_ROAD_AFTER_PAIR = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:highway|road|motorway|route)\b", re.I)
_ROAD_BEFORE_PAIR = re.compile(r"\b(?:highway|road|motorway|route)s?\s+(?:that\s+)?(?:links?|linking|connects?|connecting|between|from)"
                               r"\s+(?:[\w-]+\s+){0,4}$", re.I)

# "a road connecting the city of Salamiyya in the interior of the country with the canton of Tabqa": the two
# ends apart, each with its description; read only after a "road connecting/linking/between" before the first
_PAIR_JOIN_FAR = re.compile(r"(?:\s+in\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?[\w-]+)?,?\s+(?:and|with|to)\s+(?:the\s+(?:[\w-]+\s+)?"
                            r"(?:city|town|village|canton|province|governorate|region|area|countryside|district)\s+of\s+)?", re.I)


@lru_cache(maxsize=4)
def _roads_by_pair(g: Gazetteer) -> dict[frozenset[str], str]:
    """Every pair of places a gazetteer road passes through → that road's id (a pair two roads share is left out)."""
    pairs: dict[frozenset[str], str | None] = {}
    for place in g.by_id.values():
        if place.kind != "road" or not place.road:
            continue
        via = place.road.via
        for i, a in enumerate(via):
            for b in via[i + 1:]:
                key = frozenset((a, b))
                pairs[key] = place.id if pairs.get(key, place.id) == place.id else None
    return {k: v for k, v in pairs.items() if v}


# the reason a mention stands for a road the gazetteer lacks, told only by the two places it joins
UNNAMED_ROAD = "unnamed road told by the two places it joins"
_PAIR_END_KINDS = ("settlement", "neighbourhood", "admin_area", "landmark", "border_crossing", "checkpoint")
_PAIR_MAX_KM = 400.0  # two places further apart are no one road's ends (a misread pair)


def _road_between(mentions: list[tuple[Mention, int]], sentence: str, g: Gazetteer) -> Mention | None:
    """The road that a sentence names by its two ends ("the Damascus-Aleppo strategic highway",
    "the road connecting Homs with Palmyra", "the main road between Damascus and Suwayda"): two places
    named side by side, joined by a dash, 'and', 'with' or 'to', with a road word right after them or a
    'road linking/between' right before; after such a 'road linking', each end may carry its description
    ("connecting the city of Salamiyya in the interior with the canton of Tabqa"). The gazetteer road passing through both when there is one; else a
    road mention of reason UNNAMED_ROAD on the first place, the second in `alternatives` (see `_target`):
    a closure of that road is not a closure of either town. Reads only the few mentions of one sentence."""
    pairs = _roads_by_pair(g)
    unnamed: Mention | None = None
    for (a, apos), (b, bpos) in zip(mentions, mentions[1:]):
        road_id = pairs.get(frozenset((a.place_id, b.place_id)))
        a_end = apos + (a.end - a.start)
        if a_end > bpos or a.place_id == b.place_id:
            continue
        if not _PAIR_JOIN.fullmatch(sentence, a_end, bpos) and not (
                _PAIR_JOIN_FAR.fullmatch(sentence, a_end, bpos) and _ROAD_BEFORE_PAIR.search(sentence, max(0, apos - 80), apos)):
            continue
        if road_id is None and (unnamed is not None or a.kind not in _PAIR_END_KINDS or b.kind not in _PAIR_END_KINDS
                                or a.qualifier or b.qualifier):
            continue
        b_end = bpos + (b.end - b.start)
        if not (_ROAD_AFTER_PAIR.match(sentence, b_end) or _ROAD_BEFORE_PAIR.search(sentence, max(0, apos - 80), apos)):
            continue
        if road_id is not None:
            road = g.get(road_id)
            return Mention(a.start, b.end, sentence[apos:b_end], road.id, road.name, road.kind, road.lat, road.lon,
                           90.0, "road named by the two places it joins")
        pa, pb = g.get(a.place_id), g.get(b.place_id)
        if _km(pa, pb) <= _PAIR_MAX_KM:
            unnamed = Mention(a.start, b.end, sentence[apos:b_end], a.place_id, f"{pa.name}–{pb.name} road", "road",
                              (pa.lat + pb.lat) / 2, (pa.lon + pb.lon) / 2, 80.0, UNNAMED_ROAD, alternatives=[b.place_id])
    return unnamed


_MERGED_PAIR = "road between two named places"  # gazetteer.mentions' reason for "Hama-Salamiyah Road" read as one road
_PAIR_PARTS = re.compile(r"(.+?)\s*[-–]\s*(.+?)\s+(?:road|highway|motorway|route)$", re.I)


def _unmerged_pair(m: Mention, g: Gazetteer) -> Mention:
    """A road mention that `gazetteer.mentions` made of "Hama-Salamiyah Road" when no road has that name: the
    road it kept ("Salamiyah Road", a road that only starts at Salamiyah) does not join the two places, so the
    mention becomes the unnamed road between them (`UNNAMED_ROAD`). A road that does pass through both, or
    a name whose halves are not places, is kept as found. Reads only mentions of that reason."""
    if m.reason != _MERGED_PAIR or m.kind != "road":
        return m
    parts = _PAIR_PARTS.fullmatch(m.text)
    if parts is None:
        return m
    ends = []
    for name in parts.groups():
        cand = next((c.place for c in g.lookup(name, fuzzy=False, limit=5)
                     if c.place.kind in _PAIR_END_KINDS and c.place.country in (g.region, None)), None)
        if cand is None:
            return m
        ends.append(cand)
    pa, pb = ends
    road = g.get(m.place_id).road
    if pa.id == pb.id or (road and {pa.id, pb.id} <= set(road.via)) or _km(pa, pb) > _PAIR_MAX_KM:
        return m
    return Mention(m.start, m.end, m.text, pa.id, f"{pa.name}–{pb.name} road", "road", (pa.lat + pb.lat) / 2,
                   (pa.lon + pb.lon) / 2, 80.0, UNNAMED_ROAD, alternatives=[pb.id])


def _km(a: Place, b: Place) -> float:
    """Rough distance in km between two places (an equirectangular estimate: enough to reject a far pair)."""
    kx = 111.32 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot((a.lon - b.lon) * kx, (a.lat - b.lat) * 110.57)


def _road_named_by_pair(mention: Mention | None, here: list[tuple[Mention, int]], sentence: str, g: Gazetteer) -> Mention | None:
    """The target of a closure, opening or jam given the sentence's pairs of places: the road through both
    places of a pair ("the Aleppo-Hasakah International Highway") rather than a place, or rather than a road
    named by a generic word right after the pair ("International Highway" alone is read as another road)."""
    pair = _road_between(here, sentence, g)
    if pair is None:
        return mention
    if mention is None or mention.kind != "road":
        return pair
    gap = mention.start - pair.end
    return pair if pair.place_id != mention.place_id and 0 <= gap <= 1 else mention


# "closing a strategic road in northern Aleppo. The Castello Road, linking ...": the road is named next
# (or "the road between the northern and southern countryside": a road told by its ends, not by a name)
_A_ROAD = re.compile(r"\b(?:a|an|its|their|the only)\s+(?:[\w-]+\s+){0,3}?(?:road|route|highway|motorway|border crossing|crossing)\b|"
                     r"\bthe\s+(?:[\w-]+\s+){0,2}?(?:road|route|highway)s?\s+(?:between|linking|connecting)\b", re.I)
_ROADLIKE = ("road", "border_crossing")


def _road_named_next(spans: list[tuple[int, int]], k: int, base: int, offsets, found: list[Mention], starts: list[int],
                     g: Gazetteer) -> Mention | None:
    """The first road or border crossing named in the sentence after sentence k (`spans` offset by `base`
    in the visible text), for a statement about "a road" it does not name; None when that sentence names none."""
    if k + 1 >= len(spans):
        return None
    s, e = spans[k + 1]
    lo, hi = bisect_left(starts, offsets[s + base]), bisect_left(starts, offsets[e + base - 1] + 1)
    return next((m for m in found[lo:hi] if m.kind in _ROADLIKE and _usable(m, g)), None)


_THE_PROVINCE = re.compile(r"\b(?:in|across|throughout) the (?:whole |entire )?(?:province|governorate)\b", re.I)


def _as_province(mention: Mention, clause: str, g: Gazetteer) -> Mention:
    """'Homs Police Command imposed a curfew in the province': the province named after the city, the
    governorate (the largest area of that name), not the city itself. Other mentions come back unchanged."""
    if mention.kind != "settlement" or not _THE_PROVINCE.search(clause):
        return mention
    areas = [c.place for c in g.lookup(g.get(mention.place_id).name, fuzzy=False) if c.place.kind == "admin_area"]
    if not areas:
        return mention
    area = max(areas, key=lambda p: p.population)
    return Mention(mention.start, mention.end, mention.text, area.id, area.name, area.kind, area.lat, area.lon,
                   mention.score, "the province named after the city", qualifier=mention.qualifier)


class _CityCounter:
    """'the city': the settlement the report has named most often so far (counted as sentences go by)."""

    def __init__(self, g: Gazetteer):
        self.g, self.counts, self.last = g, {}, {}

    def add(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            if m.kind == "settlement" and _usable(m, self.g):
                self.counts[m.place_id] = self.counts.get(m.place_id, 0) + 1
                self.last[m.place_id] = m

    def main(self) -> Mention | None:
        return self.last[max(self.counts, key=self.counts.get)] if self.counts else None


def _amount(pattern: re.Pattern, sentence: str) -> float | None:
    """The number an amount regex reads in the sentence ("seven hours", "thousands of cars", "killed 12")."""
    if not may_contain(sentence, _AMOUNT_WORDS[pattern]):  # most sentences: none of its words (fast path)
        return None
    m = pattern.search(sentence)
    if not m:
        return None
    word = next(x for x in m.groups() if x)
    word = odd_folds_to_ascii(word).lower().replace(",", "")  # re.I also matched "ſeven", "thouſands"
    return {"thousands": 1000, "hundreds": 100, "dozens": 12}.get(word) or float(_NUMBER_WORDS.get(word, word))


def _target(status: str, mention: Mention, g: Gazetteer) -> tuple[str, str, dict, str | None, list[str]]:
    """(target_kind, target_name, geometry, road_id, between) for a status on a mentioned place.

    A road the gazetteer lacks, named by its two ends (`UNNAMED_ROAD`), is a road target: the line between
    the two places, with their ids as `between`, so the status layer puts it on the path joining them."""
    if mention.reason == UNNAMED_ROAD:
        a, b = g.get(mention.place_id), g.get(mention.alternatives[0])
        return "road", mention.name, mapping(LineString([(a.lon, a.lat), (b.lon, b.lat)])), None, [a.id, b.id]
    place = g.get(mention.place_id)
    as_area = status in ("besieged", "curfew", "corridor") or (status == "shelling" and place.kind in ("neighbourhood", "admin_area")) \
        or bool(mention.qualifier and status in ("shelling", "closed")) \
        or bool(mention.qualifier and status == "congested" and "countryside" in mention.qualifier)
    kind, name, geom, road_id = target_shape(g, place.id, mention.qualifier if as_area else None, as_area)
    return kind, name, dict(geom), road_id, []  # coordinates are tuples: a shallow copy is enough


def _span(status: str, when: When, sentence: str, low: str | None) -> tuple[date, date | None]:
    """The dates an event covers, by status.

    A lasting status (a closure, a siege) given a date began then and has no known end; one reported
    only to the week or month is taken to hold from the end of that period, so no road is closed on
    days the report does not support. A passing status (sniper fire, a jam) covers the days given;
    "the night of 29 November" runs into the 30th.
    """
    if status in PERSISTENT:
        if status in ("closed", "besieged") and when.precision != "day" and when.end is not None:
            return when.end, None
        return when.start, None
    end = when.end
    if end is not None and _found(_NIGHT, sentence, low):
        end = end + timedelta(days=1)
    return when.start, end


def _event_id(report_id: str, status: str, target: str, start: date) -> str:
    digest = hashlib.sha1(f"{report_id}|{status}|{target}|{start}".encode()).hexdigest()[:10]
    return f"ev-{digest}"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cyclic garbage collector from running during an extraction.

    A large report makes hundreds of thousands of small objects that all live on (mentions, events),
    and each full collection they set off walks every object in the process, the gazetteer's too:
    ~0.5 s of a 10 MB report. They form no reference cycles, so nothing is missed; the collector is
    switched back on (if it was on) at the end.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def extract_events(report: Report, gazetteer: Gazetteer | None = None, *, workers: int = 0,
                   unplaced: list[Unplaced] | None = None) -> list[Event]:
    """Every road-status statement in a report, as events (before merging across reports).

    `workers` as in `gazetteer.mentions.find_mentions`: by default a long report is read in two halves on
    two cores; the events are the same. Given a list as `unplaced`, the road statements that name nothing
    the map can show ("the road to Raqqa was closed", "a road in northern Aleppo") are added to it."""
    if report.published is None:
        raise ValueError(f"{report.id}: no publication date")
    with _collector_paused():
        return _extract(report, gazetteer or default_gazetteer(), workers, unplaced)


def _extract(report: Report, g: Gazetteer, workers: int = 0, unplaced: list[Unplaced] | None = None) -> list[Event]:
    """The work of `extract_events`: sentence by sentence, cues to events."""
    text = report.text
    source = report.source()
    plain, offsets = visible_text(text)
    body_start = bisect_left(offsets, report.body_offset) if report.body_offset else 0
    spans = sentence_spans(plain[body_start:])
    found, facts = _read(g, text, plain, offsets, spans, body_start, report.published, workers)
    found.sort(key=lambda m: m.start)
    starts = [m.start for m in found]
    events: list[Event] = []
    anchor: date | None = None
    prev: list[tuple[Mention, int]] = []
    prev_sentence = ""  # the sentence `prev` was found in (positions in `prev` count from its start)
    last_crossing: Mention | None = None  # the border crossing named last: what "the crossing" refers to
    cities = _CityCounter(g)
    plain_is_text = isinstance(offsets, range)
    for k, (s, e) in enumerate(spans):
        s, e = s + body_start, e + body_start
        sentence = plain[s:e]
        os_, oe = offsets[s], offsets[e - 1] + 1
        lo, hi = bisect_left(starts, os_), bisect_left(starts, oe)
        if plain_is_text:  # plain text: a mention's offset is its place in `plain`
            here = [(m, max(0, m.start - s)) for m in found[lo:hi] if _usable(m, g)]
        else:
            here = [(m, max(0, bisect_left(offsets, m.start) - s)) for m in found[lo:hi] if _usable(m, g)]
        cues, dateline, day = facts[k]
        low = lower_for_re(sentence) if cues else None
        if dateline:
            here = [(m, p) for m, p in here if p >= dateline]
        if cues:
            here = [(_unmerged_pair(m, g), p) for m, p in here if not _allegiance(text, m)]
        sentence_when = resolve(sentence[dateline:], report.published, anchor) if cues else None
        closed_targets: set[str] = set()
        for st in sorted(cues, key=lambda c: c.status != "closed"):
            when = _when(sentence_when, sentence, st.cue_pos, report.published, anchor)
            if st.status == "closed" and not _found(ROAD_WORDS, sentence, low) and not any(m.kind == "road" for m, _ in here):
                continue  # "the water supply was cut off": not a road event
            if st.status == "open" and not _found(ROAD_WORDS, sentence, low) and not MOVEMENT.search(st.cue) \
                    and not (st.cue[:5].lower() == "cross" and "border" in sentence.lower()):
                continue  # "people crossed into Lebanon at the Jousieh border" needs no road word
            if st.status == "congested" and _found(_WALK, sentence, low) and not re.search(r"jam|congest|vehicles", sentence, re.I):
                continue
            # a count of vehicles ("dozens of buses") on the move is traffic, not a queue
            if st.status == "congested" and " of " in st.cue and _VEHICLES_MOVING.search(sentence) \
                    and not _QUEUE_WORDS.search(sentence):
                continue
            mention = _pick(st.status, _same_statement(here, sentence, st.cue_pos), st.cue_pos, g, sentence)
            if st.status in ("closed", "open", "congested") and len(here) > 1:
                mention = _road_named_by_pair(mention, here, sentence, g)
            if st.status in ("closed", "open") and (mention is None or mention.kind != "road") and _THE_ROAD_SUBJECT.match(sentence):
                # "The highway, which has been used for aid to Al-Rastan, was re-opened": the road named before
                mention = _pick(st.status, [(m, 10_000) for m, _ in prev if m.kind == "road"], st.cue_pos, g) or mention
            if st.status in ("closed", "open", "corridor") and (mention is None or mention.kind not in _ROADLIKE) \
                    and may_contain(sentence, ("corridor", "crossing", "route")):
                subject = _THE_CORRIDOR_SUBJECT.match(sentence)
                if subject is not None and prev_sentence:  # "The corridor, which ... was shut down"
                    mention = _named_before_noun(prev, prev_sentence, subject.group(1)) or mention
                elif st.status != "corridor" and _THE_ROUTE.search(_clause(sentence, st.cue_pos)):
                    # "reopened the Bosra al-Sham corridor, allowing aid to resume to Sweida after the route was closed"
                    mention = _named_before_noun(here, sentence, "corridor") or _named_before_noun(here, sentence, "crossing") \
                        or mention
            named_next = False
            if st.status in ("closed", "open") and (mention is None or (mention.qualifier and mention.kind not in _ROADLIKE)) \
                    and _A_ROAD.search(_clause(sentence, st.cue_pos)):
                # "closing a road in northern Aleppo": not the whole area; the road may be named next
                ahead = _road_named_next(spans, k, body_start, offsets, found, starts, g)
                if ahead is None and mention is not None:
                    if unplaced is not None:
                        unplaced.append(_unplaced(report, st, when, text, os_, oe, f"an unnamed road near {mention.name}"))
                    continue
                mention, named_next = ahead or mention, ahead is not None
            exits_only = False
            if mention is None and st.status == "closed" and _found(_IN_AND_OUT, sentence, low):
                mention = _pick("besieged", here, st.cue_pos, g)  # "closed the roads in and out of the city"
                exits_only = mention is not None
            anaphora = False
            if mention is None and may_contain(sentence, ("crossings", "roads", "routes", "checkpoints", "highways", "corridors")) \
                    and _COUNTED_FACILITIES.search(sentence):
                continue  # "of the six border crossings, two remain functional": none of them named
            if mention is None:
                city = cities.main() if _found(_THE_CITY, sentence, low) and st.status not in ("closed", "open") else None
                crossing = last_crossing if city is None and last_crossing is not None and _THE_CROSSING.search(sentence) else None
                # "The road to Raqqa was closed": a road of its own, not one the sentence before named
                own_road = st.status in ("closed", "open") and bool(_ROAD_TOLD_BY_ITS_END.search(sentence))
                mention = city or crossing or (None if own_road else _pick(st.status, [(m, 10_000) for m, _ in prev], st.cue_pos, g))
                anaphora = True
            if mention is None:
                if unplaced is not None:
                    unplaced.append(_unplaced(report, st, when, text, os_, oe, "no place the gazetteer knows fits it"))
                continue
            listed = _listed_with(mention, here, sentence) if st.status in _LISTABLE and not anaphora else []
            for n, target in enumerate([mention, *listed]):
                if st.status in ("curfew", "besieged", "shelling") and target.kind == "settlement" \
                        and may_contain(sentence, ("province", "governorate")):
                    target = _as_province(target, _clause(sentence, st.cue_pos), g)
                if st.status == "closed":
                    closed_targets.add(target.place_id)
                elif st.status == "open" and target.place_id in closed_targets:
                    continue  # "the route out ... has been blocked": a closure, not an opening
                events.append(_event(report, source, st, target, g, when, sentence, low, text[os_:oe], os_, oe,
                                     exits_only, anaphora, named_next, listed=n > 0))
        if sentence_when is not None:  # the narrative date: later undated sentences happen then
            day = sentence_when.start if sets_narrative_date(sentence_when) else None
        if day is not None:
            anchor = day
        if here:
            prev, prev_sentence = here, sentence
        cities.add(m for m, _ in here)
        last_crossing = next((m for m, _ in reversed(here) if m.kind == "border_crossing"), last_crossing)
    return events


def _unplaced(report: Report, st: Statement, when: When, text: str, start: int, end: int, reason: str) -> Unplaced:
    """The record of a road statement that named nothing the map can show."""
    return Unplaced(report.id, st.status, st.cue, text[start:end], start, end, when.start.isoformat(), reason)


def _read(g: Gazetteer, text: str, plain: str, offsets: Sequence[int], spans: list[tuple[int, int]], body_start: int,
          published: date, workers: int = 0) -> tuple[list[Mention], list[Facts]]:
    """What a report's sentences say before reading them in order: its place mentions, and each sentence's
    `sentence_facts`. Neither depends on the sentences before, so a long report is read in two halves on
    two cores (`gazetteer.mentions.split_point`)."""
    split = split_point(plain, workers)
    if split is None:
        mentions = scan_range(g, text, plain, offsets, 0, len(plain))[0]
        merge_place_pairs(g, mentions, text)
        return mentions, _facts_of(plain, spans, body_start, published)
    k = bisect_left(spans, (split - body_start, 0))  # the first sentence of the second half
    first, second = in_two_halves(_read_part, (g, text, plain, offsets, 0, split, spans[:k], body_start, published),
                                  (g, text, plain, offsets, split, len(plain), spans[k:], body_start, published))
    mentions = from_tuples(first[0])[0] + from_tuples(second[0])[0]
    merge_place_pairs(g, mentions, text)
    remember_shapes(g, second[2])  # (the first half's are in this process's cache already)
    return mentions, [_facts_from_tuple(f) for f in first[1] + second[1]]


def _read_part(g: Gazetteer, text: str, plain: str, offsets: Sequence[int], lo: int, hi: int,
               spans: list[tuple[int, int]], body_start: int, published: date) -> tuple:
    """`_read` of one part of the report (the words starting in plain[lo:hi], and the sentences `spans`), as
    plain tuples that pickle fast."""
    found = scan_range(g, text, plain, offsets, lo, hi)
    facts = _facts_of(plain, spans, body_start, published)
    shapes = _area_shapes_ahead(g, found[0], facts, spans, body_start, offsets)
    return (as_tuples(found), [([(c.status, c.cue, c.cue_pos) for c in cues], dateline, day) for cues, dateline, day in facts],
            shapes)


# the statuses that make a place's target an area (see `_target`), always or for a qualified place
_AREA_ALWAYS = {"besieged", "curfew", "corridor"}
_AREA_IF_QUALIFIED = {"shelling", "closed", "congested"}


def _area_shapes_ahead(g: Gazetteer, mentions: list[Mention], facts: list[Facts], spans: list[tuple[int, int]],
                       body_start: int, offsets: Sequence[int]) -> dict[tuple, Shape]:
    """The area shapes the events of these sentences will most likely need, worked out now: the area of every
    usable place named in a sentence whose cues make places areas. Shapes are GEOS work that does not depend
    on the sentences before, so a long report's halves do it on their own cores instead of the pass in order."""
    starts = [m.start for m in mentions]
    keys: dict[tuple, None] = {}
    for (s, e), (cues, _, _) in zip(spans, facts):
        statuses = {c.status for c in cues}
        if not statuses & (_AREA_ALWAYS | _AREA_IF_QUALIFIED):
            continue
        lo, hi = bisect_left(starts, offsets[s + body_start]), bisect_left(starts, offsets[e + body_start - 1] + 1)
        for m in mentions[lo:hi]:
            if not _usable(m, g):
                continue
            qualified = m.qualifier is not None or g.get(m.place_id).kind in ("neighbourhood", "admin_area")
            if statuses & _AREA_ALWAYS or qualified:
                keys[(m.place_id, m.qualifier, True)] = None
    return {key: target_shape(g, *key) for key in keys if g.get(key[0]).kind != "road"}


def _facts_of(plain: str, spans: list[tuple[int, int]], body_start: int, published: date) -> list[Facts]:
    """`sentence_facts` of each sentence (spans count from `body_start`)."""
    return [sentence_facts(plain, s + body_start, e + body_start, published) for s, e in spans]


def _facts_from_tuple(f: tuple) -> Facts:
    return [Statement(*c) for c in f[0]], f[1], f[2]


def _event(report: Report, source: dict, st: Statement, mention: Mention, g: Gazetteer, when: When, sentence: str,
           low: str | None, evidence: str, os_: int, oe: int, exits_only: bool, anaphora: bool, named_next: bool,
           listed: bool = False) -> Event:
    """The event a statement makes on one target (`listed`: a place named in a list with the chosen target)."""
    kind, name, geom, road_id, between = _target("besieged" if exits_only else st.status, mention, g)
    delay = _amount(_HOURS, sentence) if st.status in ("congested", "checkpoint") and not _found(_WALK, sentence, low) else None
    detail = EXITS_ONLY if exits_only else None
    if st.status == "corridor" and _PROPOSED.search(sentence):
        detail = "proposed"
    start, end = _span(st.status, when, sentence, low)
    confidence = 0.65 + (0.1 if when.explicit else 0.0) - (0.2 if anaphora or named_next else 0.0)
    return Event(
        id=_event_id(report.id, st.status, mention.place_id + name, start),
        status=st.status, target_kind=kind, target_name=name,
        place_ids=between or [mention.place_id], valid_from=start.isoformat(),
        valid_to=end.isoformat() if end else None, time_precision=when.precision,
        geometry=geom, road_id=road_id, between=between, detail=detail, delay_h=delay,
        casualties=int(c) if (c := _amount(_CASUALTIES, sentence)) else None,
        vehicles=int(v) if st.status == "congested" and (v := _amount(_VEHICLES, sentence)) else None,
        source=[Source(**source)],
        evidence=[Evidence(report.id, evidence, os_, oe)],
        extractor=f"lexicon:{st.status}:{st.cue.lower()}" + (":previous-sentence" if anaphora else "")
        + (":next-sentence" if named_next else "") + (":listed" if listed else ""),
        confidence=round(max(0.05, min(0.95, confidence)), 2))
