"""What a sentence states, before it becomes events: its status cues ("the road remains closed", "snipers",
"a curfew"), hedged or background ones left out, its dateline, and the narrative date it sets. Nothing here
depends on the sentences before, so a long report's halves are read on two cores (see `routes.extract`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import re2

from gazetteer.text import lower_for_re, may_contain, odd_folds_to_ascii
from routes.dates import narrative_date

ROAD_WORDS = re.compile(r"\b(roads?|routes?|highways?|motorways?|way out|exits?|crossings?|streets?|M\d+|checkpoints?|"
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
MOVEMENT = re.compile(r"heading|evacuated|made it out|arriving|arrived|going to|leaving to|fled|reached", re.I)


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
    if status == "open" and MOVEMENT.match(cue) and _ARMED_BEFORE.search(before[-60:]):
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
        return not ROAD_WORDS.search(sentence)
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


# what `sentence_facts` gives for one sentence: its cues, where its dateline ends, and (for a sentence
# without cues) the narrative date it sets
Facts = tuple[list[Statement], int, date | None]


def sentence_facts(plain: str, s: int, e: int, published: date) -> Facts:
    """A sentence's status cues (none in background), where its dateline ends, and, when it has no cue,
    the narrative date it sets (a sentence with cues is dated with the narrative date so far)."""
    sentence = plain[s:e]
    cues = _cues(sentence, lower_for_re(sentence))
    if cues and _background(sentence, published):
        cues = []
    dateline = _dateline_end(sentence) if s == 0 or plain[s - 1] == "\n" else 0
    return cues, dateline, None if cues else narrative_date(sentence[dateline:], published)
