"""Report text → road-status events, each tied to the sentence that states it.

Rules, not a model: a lexicon of cues per status finds candidate statements in each sentence; the
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
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Iterable, Iterator, Sequence

import re2
from shapely.geometry import LineString, mapping

from gazetteer._fork import in_two_halves
from gazetteer.mentions import Mention, as_tuples, from_tuples, merge_place_pairs, scan_range, split_point
from gazetteer.place import Place
from gazetteer.store import Gazetteer, default_gazetteer
from gazetteer.text import lower_for_re, may_contain, odd_folds_to_ascii, sentence_spans, visible_text
from routes.dates import When, narrative_date, resolve, sets_narrative_date
from routes.defaults import EXITS_ONLY
from routes.events import Event, Evidence, Source
from routes.reports import Report
from routes.shapes import Shape, remember_shapes, target_shape

_ROAD_WORDS = re.compile(r"\b(roads?|routes?|highways?|motorways?|way out|exits?|crossings?|streets?|M\d+|checkpoints?|"
                         r"roundabouts?|corridors?|passage|convoys?|traffic|vehicles?|cars)\b", re.I)
CUES: dict[str, re.Pattern] = {
    "closed": re.compile(r"\b(closed|re-?closed|closure|closing|blocked|blockade|cut(?:ting)? off|shut(?: down)?|impassable|sealed(?: off)?|severed|"
                         r"no longer passable|not passable|no road out|"
                         # "fully cut it", "cutting it off", "cut a supply route", "cut the main road"
                         r"cut(?:ting)? (?:it|them)(?: off)?|cut(?:s|ting)? (?:the|a|an) (?:[\w-]+ ){0,3}?(?:roads?|routes?|highways?|supply lines?))\b", re.I),
    "open": re.compile(r"\b(re-?opened|reopening|remains? open|was open|is open|escape route|route out|way out of|"
                       r"(?:was|were|is|are|has been|have been) (?:officially |partially |fully )?opened|"
                       # "Oncupinar opened for the first time on Tuesday", "the crossing of Cilvegozu in Hatay opened"
                       r"opened (?:for the first time|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
                       r"(?:crossings?|gates?|border|roads?|highways?|routes?) (?:[\w-]+ ){0,5}?opened|"
                       # "2,000 people crossed into Lebanon", "allowed to cross", "traffic resumed"
                       r"crossed (?:into|over|the border)|(?:allowed|allowing|permitted) (?:[\w-]+ ){0,2}?to cross|"
                       r"(?:traffic|movement|crossings?|travel|trips) (?:has |have |had )?resumed|"
                       r"resum(?:ed|ing|ption of) (?:[\w-]+ ){0,2}?(?:traffic|movement|crossings?|travel|trips)|"
                       r"opened (?:for|to) (?:the )?(?:travel|traffic|movement|civilians|cars|vehicles)|"
                       r"(?:roads?|routes?|way|highways?|crossings?) (?:still |left |remaining )?open|"  # "the only road open"
                       r"used the|using the|shift(?:ed)? (?:of )?(?:outbound )?(?:trips|traffic)|shifted to|continued to|"
                       r"ran from|passed the|began to widen|traffic eased|heading towards|evacuated|made it out of|"
                       r"arriving in|arrived (?:in|at|to)|going to|leaving to|fled (?:to|towards)|reached)\b", re.I),
    "sniper": re.compile(r"\bsnipers?\b", re.I),
    "shelling": re.compile(r"\b(air ?strikes?|airstrikes?|air raids?|shelling|shelled|bombard\w*|artillery|war ?planes?|warplanes|"
                           r"missiles?|barrel bombs?|bombing campaign|strikes? (?:on|hit)|strike on|raids|"
                           r"(?:were|was|have|has been|been) targeted|targeting|attacks? (?:continued|on)|"
                           r"rocket fire|rocket attacks?|mortar (?:fire|shells?|rounds?|attacks?)|shells? (?:fell|hit|landed))\b", re.I),
    "congested": re.compile(r"\b(traffic jams?|jam(?:med)?|congest\w*|gridlock\w*|queued|queues?|"
                            r"(?:thousands|hundreds|dozens) of (?:cars|vehicles|buses|trucks|lorries|trailers)|"
                            r"stranded (?:cars|vehicles|trucks|lorries|trailers)|"
                            # "trailers and passengers were stranded", "a convoy ... crowded a road"
                            r"(?:cars|vehicles|trucks|lorries|trailers)(?: and [\w-]+)? (?:were |are |remain |remained )?(?:now |still )?stranded|"
                            r"crowded (?:a|the) (?:[\w-]+ ){0,2}?(?:roads?|streets?|highways?|routes?|crossings?)|"
                            r"waited|the wait|"
                            # a queue at a crossing told without "queue": see _QUEUE_AT_CROSSING
                            r"waiting (?:to|for|at|in)|long (?:lines|delays|waits?)|lined up|bumper-to-bumper|"
                            r"clog(?:ged|ging|s)?|(?:been|were|are|was|is|got|remain(?:ed|s)?) stuck)\b", re.I),
    "checkpoint": re.compile(r"\bcheckpoints?\b", re.I),
    "besieged": re.compile(r"\b(besieged|under siege|siege|sieged|encircl(?:ed|ing|ement)|surround(?:ed|ing)|"
                           r"blockad(?:ed|ing)|to blockade|under (?:a |the )?blockade|(?:impos\w*|tighten\w*) (?:a |the |its )?blockade|"
                           r"blockade (?:of|on|against|around)|sealed off|sealed (?:the|a) (?:[\w-]+ ){0,3}?(?:town|city|village|district|"
                           r"neighbou?rhood|area|enclave)|cut(?:ting)? off the (?:[\w-]+ )?enclave|"
                           r"blocking the (?:inflow|entry|delivery|passage) of)\b", re.I),
    "curfew": re.compile(r"\bcurfews?\b", re.I),
    "corridor": re.compile(r"\b(humanitarian corridors?|corridors?|safe passage|safe exit|evacuation route|"
                           r"evacuation of|opportunity to leave|(?:full )?withdrawal of (?:the )?fighters)\b", re.I),
}
# a cue inside one of these is not an assertion of the status: intention, condition, a time before it
_HEDGE_BEFORE = re.compile(r"\b(before|would|could|may|might|if|unless|aiming at|aimed at|(?:plans?|aims?|determined|wants?|hopes?|seeks?|"
                           r"trying|tried|order) to|not|never|no longer|"
                           r"demand(?:s|ed|ing)?|call(?:s|ed|ing)? for|urg(?:e|es|ed|ing))\s+(?:\w+\s+){0,3}$", re.I)
# "reopened after years of closure": the closure is the background of the news, not a closure now
_BACKGROUND_BEFORE = re.compile(r"\bafter (?:\w+ ){0,2}(?:years|months|weeks) of\s+$", re.I)
# "troops reached a point", "fighters are believed to have fled to": armed men moving is no way out for people
_ARMED_MEN = r"troops|forces|army|fighters|militants|militias?|rebels|soldiers|jihadists"
_ARMED_BEFORE = re.compile(rf"\b({_ARMED_MEN}|gunmen)\b(?:\s+[\w'-]+){{0,5}}\s+$", re.I)
# "snipers are as much a cause of fear as shelling": a comparison, not a report that shelling happened
_COMPARISON_BEFORE = re.compile(r"\b(?:as (?:much|many|[\w-]+) (?:[\w-]+ ){0,8}as|(?:more|less|worse) (?:[\w-]+ ){0,8}than)"
                                r"\s+(?:[\w-]+\s+){0,2}$", re.I)
# "the cease-fires have typically been violated by artillery attacks and airstrikes": what usually happens,
# not an event on a day (the adverb governs every cue after it in its clause)
_HABITUAL_BEFORE = re.compile(r"\b(typically|usually|generally|routinely|customarily|often|tend(?:s|ed)? to)\b[^.;:,]*$", re.I)
# "the road was closed for years": a closure over a past period, told as background, not one on the report's day
_PAST_TENSE_BEFORE = re.compile(r"\b(?:was|were|had been)\s+(?:[\w-]+\s+)?$", re.I)
_PERIOD_AFTER = re.compile(r"\s+for\s+(?:many\s+|several\s+|some\s+|a\s+few\s+|long\s+|\w+\s+)?(?:years|decades|months)\b", re.I)
# "a convoy of vehicles crowded a road" is a queue; "protesters crowded the road" is a blockade
_VEHICLE_NOUN = re.compile(r"\b(convoys?|vehicles|cars|trucks|lorries|trailers|buses|traffic)\b", re.I)
_LESS_BEFORE = re.compile(r"\b(decrease in|less|eased|easing|no)\s+$", re.I)
# "a vital transport corridor": a route's role, not a corridor opened for people to leave
_NOT_HUMANITARIAN_BEFORE = re.compile(r"\b(transport|trade|economic|supply|logistics?|transit|energy|land)\s+$", re.I)
_NUMBER_WORDS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                              "ten", "eleven", "twelve"])}
_HOURS = re.compile(r"\b(?:more than|over|about|around|nearly|almost|up to)?\s*(\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) +
                    r")\s+hours?\b", re.I)
_VEHICLES = re.compile(r"\b(thousands|hundreds|dozens|\d[\d,]*)\s+(?:of\s+)?(?:stranded\s+)?(?:cars|vehicles|buses|trucks|lorries|trailers)\b", re.I)
_CASUALTIES = re.compile(r"\b(?:killed|killing)\s+(?:at least\s+)?(\d[\d,]*)|\b(\d[\d,]*)\s+(?:people|civilians|children)\s+(?:were\s+|have been\s+)?killed", re.I)
_AMOUNT_WORDS = {_HOURS: ("hour",), _VEHICLES: ("cars", "vehicles", "buses", "trucks", "lorries", "trailers"), _CASUALTIES: ("kill",)}
_PROPOSED = re.compile(r"\b(propos\w*|offer\w*|plan\w*|call\w* (?:on|for)|negotiat\w*|talks)\b", re.I)
_MOVEMENT = re.compile(r"heading|evacuated|made it out|arriving|arrived|going to|leaving to|fled|reached", re.I)
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


@dataclass(slots=True)
class Statement:
    """One status cue in one sentence, before it becomes an event."""

    status: str
    cue: str
    cue_pos: int


def _cue_set() -> tuple[re2.Set, list[str], set[str]]:
    """The cue patterns as one RE2 set, which tells in a single linear pass which statuses may have a cue
    in a sentence; Python's regexes then read only those. Returns (set, status of each pattern in the set,
    statuses RE2 cannot express, which are always read).

    RE2's `\\b` and `\\w` are ASCII-only and it folds case a little differently, so it is asked about a copy
    of the sentence with the letters Python's re.I alone folds to ASCII (İ ı ſ K) made ASCII: a Python
    match is then always an RE2 match too, and no cue is lost.
    """
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    cue_set, order, unsupported = re2.Set.SearchSet(options), [], set()
    for status, pattern in CUES.items():
        try:
            cue_set.Add(pattern.pattern)
            order.append(status)
        except re2.error:
            unsupported.add(status)
    cue_set.Compile()
    return cue_set, order, unsupported


_CUE_SET, _CUE_SET_STATUS, _CUE_ALWAYS_READ = _cue_set()


# the cue patterns without re.I, for lower-case text (see gazetteer.text.lower_for_re): 2-3× faster
_CUES_LOWER: dict[str, re.Pattern] = {status: re.compile(pattern.pattern) for status, pattern in CUES.items()}


def _possible_cues(sentence: str, low: str | None) -> list[str]:
    """The statuses that may have a cue in the sentence (a superset of those that do), in CUES order.
    `low` is `lower_for_re(sentence)`: RE2 finds in it what it finds in the sentence, odd folds aside."""
    try:
        found = _CUE_SET.Match(low if low is not None else odd_folds_to_ascii(sentence))
    except UnicodeEncodeError:  # a lone surrogate, which RE2's UTF-8 cannot carry: read every status
        return list(CUES)
    if found is None and not _CUE_ALWAYS_READ:  # most sentences: no cue at all (fast path)
        return []
    possible = {_CUE_SET_STATUS[i] for i in found or ()} | _CUE_ALWAYS_READ
    return [status for status in CUES if status in possible]


def _cues(sentence: str, low: str | None) -> list[Statement]:
    """Status cues in a sentence, at most one per status (the first), hedged ones skipped.

    The cue regexes read the sentence in lower case without re.I where that finds the same (no letter
    only re.I folds), at the same positions; the cue itself is taken from the sentence as written.
    `low` is `lower_for_re(sentence)`."""
    if sentence.rstrip().rstrip("\"”’'").endswith("?"):
        return []  # a question asserts nothing: "Is the route to east Aleppo still closed?"
    text, patterns = (sentence, CUES) if low is None else (low, _CUES_LOWER)
    found: list[Statement] = []
    for status in _possible_cues(sentence, low):
        for m in patterns[status].finditer(text):
            if status in ("closed", "open") and _HEDGE_BEFORE.search(sentence[max(0, m.start() - 40):m.start()]):
                continue
            if not _asserted(status, sentence, m.start(), m.group(0)):
                continue
            if status == "congested" and _LESS_BEFORE.search(sentence[max(0, m.start() - 15):m.start()]):
                continue  # "a decrease in congestion"
            if status == "corridor" and _NOT_HUMANITARIAN_BEFORE.search(sentence[max(0, m.start() - 15):m.start()]):
                continue
            found.append(Statement(status, sentence[m.start():m.end()], m.start()))
            break
    return found


def _asserted(status: str, sentence: str, pos: int, cue: str) -> bool:
    """False for a cue that does not report the status on the ground: a comparison ("as much a cause of
    fear as shelling"), a closure that is only the background of a reopening ("after years of closure"),
    what usually happens ("typically violated by artillery"), a closure or siege over a past period ("was
    closed for years": it held then, and the report's day would be a wrong date for it),
    armed men moving ("troops reached", "fighters fled to": no way out for civilians), people rather than
    vehicles crowding a road (a protest). Runs only on found cues, so costs nothing on cue-less text."""
    before = sentence[max(0, pos - 80):pos]
    if may_contain(before, ("as ", "than")) and _COMPARISON_BEFORE.search(before):
        return False
    if status == "closed" and _BACKGROUND_BEFORE.search(before[-30:]):
        return False
    if may_contain(before, ("lly", "often", "tend")) and _HABITUAL_BEFORE.search(before[-70:]):
        return False
    if status in ("closed", "besieged") and _PERIOD_AFTER.match(sentence, pos + len(cue)) \
            and _PAST_TENSE_BEFORE.search(before[-25:]):
        return False
    if status == "open" and _MOVEMENT.match(cue) and _ARMED_BEFORE.search(before[-60:]):
        return False
    if status == "open" and cue[:5].lower() == "reach" and _AGREEMENT_AFTER.match(sentence, pos + len(cue)):
        return False  # "the committee reached a final agreement": no one reached a place
    if status == "congested" and cue.lower().startswith("crowded") and not _VEHICLE_NOUN.search(before):
        return False
    if status == "congested" and _QUEUE_CUE.match(cue) and not (_CROWD.search(sentence) and _AT_CROSSING.search(sentence)):
        return False  # "waiting for a decision", "stuck in the past": no one queues on a road or at a crossing
    if status == "besieged" and not _siege_asserted(sentence, pos, cue, before):
        return False
    if status == "open" and cue.lower().endswith("opened") and sentence.startswith(" fire", pos + len(cue)):
        return False  # "the gunmen at the gate opened fire"
    if may_contain(before, ("before", "after")) and _REFERENCE_BEFORE.search(before[-50:]):
        return False  # "Before declaring the curfew, the SDF said ...": the status the report told already
    if status == "shelling" and cue[:6].lower() in ("target", "were t", "was ta", "have t", "has be", "been t") \
            and "sniper" in sentence.lower():
        return False  # "snipers on rooftops were targeting anyone leaving": sniper fire, not shelling
    if status == "shelling" and cue[:6].lower() in ("attack", "target") and _GROUND_TARGET_AFTER.match(sentence, pos + len(cue)):
        return False  # "launching attacks on several security posts", "targeting the forces of the SDF": not fire on a place
    if status == "shelling" and may_contain(before, (" by",)) and _BACKED_BY_BEFORE.search(before[-40:]):
        return False  # "forces backed by Russian air strikes": who the forces are, not a strike on a place
    return True


_AGREEMENT_AFTER = re.compile(r"\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:agreement|deal|settlement|understanding|truce|"
                              r"ceasefire|accord|decision|conclusion|compromise)\b", re.I)
# the congestion cues that need people or vehicles at a road or crossing in the same sentence to be a queue
_QUEUE_CUE = re.compile(r"waiting|long|lined|bumper|clog|been|were|are|was|is|got|remain", re.I)
_CROWD = re.compile(r"\b(people|families|cars|vehicles|trucks|lorries|buses|drivers|travell?ers|passengers|refugees|"
                    r"displaced|returnees|civilians|hundreds|thousands|dozens|we)\b", re.I)
_AT_CROSSING = re.compile(r"\b(roads?|highways?|routes?|crossings?|border|gates?|checkpoints?|cross|crossing)\b", re.I)
# who lays a siege: "the army was surrounding Maarat al-Numan", "surrounded by government forces"
_SIEGER_BEFORE = re.compile(rf"\b({_ARMED_MEN}|regime|government|tanks|asayish|sdf|isis|daesh|hezbollah)\s+(?:[\w-]+\s+){{0,3}}$",
                            re.I)
_SIEGER_AFTER = re.compile(rf"\s+(?:[\w-]+\s+){{0,2}}?by\s+(?:[\w-]+\s+){{0,3}}?({_ARMED_MEN}|regime|tanks)\b", re.I)
_BEEN_BEFORE = re.compile(r"\b(?:has|have|had) been\s+$", re.I)
# "sealed off the roads": a closure (told by the "closed" cues), not a siege
_ROAD_OBJECT_AFTER = re.compile(r"\s+(?:the\s+|a\s+|an\s+|all\s+)?(?:[\w-]+\s+){0,2}?(?:roads?|highways?|routes?|crossings?|"
                                r"border|streets?|entrances?|exits?|checkpoints?)\b", re.I)


def _siege_asserted(sentence: str, pos: int, cue: str, before: str) -> bool:
    """Whether a siege cue that is no siege word tells a siege. "Surrounded" is one only with the besiegers
    named before it or after "by" ("the army was surrounding X", "surrounded by government forces") or
    as a lasting state ("has been surrounded for 500 days"), not "a town surrounded by farmland"; "sealed
    (off)" only when its object is no road; a blockade only in a sentence without a road, whose blockade
    is a road closure (the "closed" cues tell it). "Sealed" needs the besiegers before it too: "troops
    sealed the town", not "the move effectively sealed the city" (checkpoints that filter the way in)."""
    low = cue.lower()
    after = pos + len(cue)
    if low.startswith("surround"):
        return bool(_SIEGER_BEFORE.search(before[-60:]) or _SIEGER_AFTER.match(sentence, after)
                    or _BEEN_BEFORE.search(before[-20:]))
    if low.startswith("sealed"):
        return bool(_SIEGER_BEFORE.search(before[-60:])) and not _ROAD_OBJECT_AFTER.match(sentence, after)
    if low.startswith("blockad"):
        return not _ROAD_WORDS.search(sentence)
    return True


# "before declaring the curfew", "after imposing a siege": the clause refers to a status already told
_REFERENCE_BEFORE = re.compile(r"\b(?:before|after)\s+\w+ing\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+)?$", re.I)
# the object of "attacks on" that makes it a ground assault: "attacks on several security posts"
_GROUND_TARGET_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:posts|positions|bases|barracks|headquarters|outposts|forces|"
                                  r"fighters|militants|cells|prisons?)\b", re.I)
# "government forces backed by Russian air strikes", "supported by Russian warplanes": the support of an offensive
_BACKED_BY_BEFORE = re.compile(r"\b(?:backed|supported|aided|assisted|covered|helped)\s+by\s+(?:[\w-]+\s+){0,2}$", re.I)
# "during the 2016 siege", "between 2012 and 2018", "in 2013", "the travellers used to take": a past period
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
_PAST_PERIOD = re.compile(r"\b(?:during|in|between) (?:the )?(?:early |late |mid-)?((?:19|20)\d\d)\b|\bused to\b", re.I)


def _background(sentence: str, published: date) -> bool:
    """True for a sentence set in an earlier period, which the report gives as background: a year before
    the publication year after 'during', 'in' or 'between', or a habit ('used to'). Its statuses held
    then, not on the report's day; the guidelines date them to that period, which no event precision
    (day, week, month) can carry, so they are left out. 'since 2014' is still in force and is kept."""
    if not _YEAR_HINT.search(sentence) and "used to" not in sentence.lower():  # most sentences (fast path)
        return False
    for m in _PAST_PERIOD.finditer(sentence):
        if m.group(1) is None or int(m.group(1)) < published.year:
            return True
    return False


# "ERBIL, Kurdistan Region - ", "DAMASCUS, May 15 (Xinhua) -- ", "HOMS, Syria (North Press) – ", "AMMAN: ",
# "KURDWATCH, July 17, 2012—": a word in capitals opening a paragraph, then at most a region, a date and
# an agency in brackets, then a dash or colon
_DATELINE = re.compile(r"[A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]+){0,2}(?:,? ?\([^()\n]{1,30}\))?"
                       r"(?:, ?(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}|[A-Z][a-z]{2,8}\.? \d{1,2}(?:, ?\d{4})?))*"
                       r"(?: ?\([^()\n]{1,30}\))*\s*(?:--|[-–—:])\s*")


def _dateline_end(sentence: str) -> int:
    """Where the dateline at the start of a sentence ends (0 when it has none). A dateline names where and
    when the report was filed: its place is never a target, its date is no event's date."""
    if len(sentence) < 4 or not sentence[:3].isupper():  # most sentences (fast path)
        return 0
    m = _DATELINE.match(sentence)
    return m.end() if m else 0


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
                                              for p in (_ROAD_WORDS, _WALK, _NIGHT, _THE_CITY, _IN_AND_OUT)}


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
_THE_ROAD_SUBJECT = re.compile(r"\W*the (?:highway|road|motorway)\b", re.I)
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


def extract_events(report: Report, gazetteer: Gazetteer | None = None, *, workers: int = 0) -> list[Event]:
    """Every road-status statement in a report, as events (before merging across reports).

    `workers` as in `gazetteer.mentions.find_mentions`: by default a long report is read in two halves on
    two cores; the events are the same."""
    if report.published is None:
        raise ValueError(f"{report.id}: no publication date")
    with _collector_paused():
        return _extract(report, gazetteer or default_gazetteer(), workers)


def _extract(report: Report, g: Gazetteer, workers: int = 0) -> list[Event]:
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
            if st.status == "closed" and not _found(_ROAD_WORDS, sentence, low) and not any(m.kind == "road" for m, _ in here):
                continue  # "the water supply was cut off": not a road event
            if st.status == "open" and not _found(_ROAD_WORDS, sentence, low) and not _MOVEMENT.search(st.cue) \
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
                mention = city or crossing or _pick(st.status, [(m, 10_000) for m, _ in prev], st.cue_pos, g)
                anaphora = True
            if mention is None:
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


# what `_sentence_facts` gives for one sentence: its cues, where its dateline ends, and (for a sentence
# without cues) the narrative date it sets
_Facts = tuple[list[Statement], int, date | None]


def _read(g: Gazetteer, text: str, plain: str, offsets: Sequence[int], spans: list[tuple[int, int]], body_start: int,
          published: date, workers: int = 0) -> tuple[list[Mention], list[_Facts]]:
    """What a report's sentences say before reading them in order: its place mentions, and each sentence's
    `_sentence_facts`. Neither depends on the sentences before, so a long report is read in two halves on
    two cores (`gazetteer.mentions.split_point`)."""
    split = split_point(plain, workers)
    if split is None:
        mentions = scan_range(g, text, plain, offsets, 0, len(plain))[0]
        merge_place_pairs(g, mentions, text)
        return mentions, [_sentence_facts(plain, s + body_start, e + body_start, published) for s, e in spans]
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
    facts = [_sentence_facts(plain, s + body_start, e + body_start, published) for s, e in spans]
    shapes = _area_shapes_ahead(g, found[0], facts, spans, body_start, offsets)
    return (as_tuples(found), [([(c.status, c.cue, c.cue_pos) for c in cues], dateline, day) for cues, dateline, day in facts],
            shapes)


# the statuses that make a place's target an area (see `_target`), always or for a qualified place
_AREA_ALWAYS = {"besieged", "curfew", "corridor"}
_AREA_IF_QUALIFIED = {"shelling", "closed", "congested"}


def _area_shapes_ahead(g: Gazetteer, mentions: list[Mention], facts: list[_Facts], spans: list[tuple[int, int]],
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


def _facts_from_tuple(f: tuple) -> _Facts:
    return [Statement(*c) for c in f[0]], f[1], f[2]


def _sentence_facts(plain: str, s: int, e: int, published: date) -> _Facts:
    """A sentence's status cues (none in background), where its dateline ends, and, when it has no cue,
    the narrative date it sets (a sentence with cues is dated with the narrative date so far)."""
    sentence = plain[s:e]
    cues = _cues(sentence, lower_for_re(sentence))
    if cues and _background(sentence, published):
        cues = []
    dateline = _dateline_end(sentence) if s == 0 or plain[s - 1] == "\n" else 0
    return cues, dateline, None if cues else narrative_date(sentence[dateline:], published)


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
