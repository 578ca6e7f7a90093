"""Find the places a report names: spans over the user's text, each resolved to a gazetteer entry.

Longest exact name match over word n-grams first (capitalised words, road numbers, Arabic script),
then demonyms, then capitalised phrases after a place cue ("in", "from", "the town of") that the
exact pass missed, tried fuzzily; what still fails is returned as `unresolved`, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from gazetteer.normalize import name_key
from gazetteer.place import Place
from gazetteer.store import Gazetteer, default_gazetteer
from gazetteer.text import to_original, visible_text

MAX_WORDS = 7
_WORD = re.compile(r"[\w\u0600-\u06FF]+(?:[’'‘ʿ][\w\u0600-\u06FF]+)*", re.UNICODE)
# words that may sit inside a multi-word name without being capitalised
_NAME_GLUE = {"al", "el", "as", "ash", "ad", "an", "ar", "az", "at", "of", "de", "la", "bin", "ibn", "abu", "bab",
              "international", "road", "highway", "motorway", "route", "crossing", "roundabout", "checkpoint",
              "province", "governorate", "city", "district", "neighbourhood", "neighborhood", "countryside"}
_QUALIFIERS = ("north-eastern", "north-western", "south-eastern", "south-western", "northeastern", "northwestern",
               "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west",
               "eastern", "western", "northern", "southern", "central", "east", "west", "north", "south", "rural")
_QUALIFIER_RE = re.compile(rf"(?:\b(?:({'|'.join(_QUALIFIERS)})\s+)?(?:the\s+)?(outskirts|countryside|suburbs|outskirt)\s+of\s+"
                           r"(?:the\s+city\s+of\s+)?$)|"
                           rf"(?:\b({'|'.join(_QUALIFIERS)})\s+$)", re.I)
_AFTER_QUALIFIER = re.compile(r"^\s+(countryside|outskirts|suburbs|province|governorate)\b", re.I)
_PLACE_CUE = re.compile(r"\b(in|from|to|towards|toward|near|at|via|into|reaching|reached|outside|through|"
                        r"town of|village of|city of|area of|district of|neighbourhood of|neighborhood of|province of)\s+(the\s+)?$", re.I)
# a place word followed by one of these is part of an organisation's name, not a place
_ORG_HEADS = {"democratic", "forces", "force", "army", "observatory", "government", "university", "national",
              "arab", "salvation", "red", "crescent", "council", "coalition", "ministry", "news", "times", "post",
              "airlines", "group", "media", "network", "today", "revolution", "liberation", "front", "brigade",
              "brigades", "civil", "defence", "defense", "interim", "opposition", "state", "consulate", "embassy",
              "orthodox", "air", "pounds", "pound", "lira", "baladi"}
_PERSON_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Dr|President|Minister|Gen|General|Sheikh|Imam|Brig|Col|Commander|Abu|Umm)\.?\s+$")
# single capitalised words that GeoNames knows as places but reports use as ordinary words
_COMMON_WORDS = {
    "most", "given", "during", "many", "more", "some", "then", "there", "they", "this", "that", "those", "these",
    "after", "before", "when", "while", "where", "although", "however", "meanwhile", "amid", "among", "along",
    "politics", "related", "source", "send", "your", "our", "we", "you", "he", "she", "it", "his", "her", "their",
    "but", "and", "or", "the", "a", "an", "as", "at", "by", "for", "from", "in", "into", "of", "on", "to", "with",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "gmt", "un", "us",
    "all", "every", "each", "both", "also", "even", "only", "just", "still", "yet", "now", "here", "what", "who",
    "why", "how", "if", "so", "no", "not", "maintained", "people", "civilians", "president", "army", "fighters",
    "opposition", "regime", "reuters", "hospital", "hospitals", "police", "ahmad", "muhammad", "mohammed", "ali",
    "anti", "tishreen", "raids", "kill", "dozens", "fighters", "liberation", "state", "victory", "hope", "peace",
    "union", "lima", "university", "consulate", "deterrence", "aggression", "observatory", "sham", "quds",
    # adjectives of peoples, faiths and blocs: not countries, not places
    "kurdish", "kurd", "kurds", "arab", "arabs", "shiite", "shia", "sunni", "alawite", "druze", "christian",
    "western", "eastern", "european", "islamic", "zionist", "jihadist", "turkmen", "yazidi", "assyrian",
}
_ARTICLE_WORDS = {"al", "el", "as", "ash", "ad", "an", "ar", "az", "at", "bin", "ibn", "abu", "van", "von", "de"}
_CURRENCY = re.compile(r"^\s+(pounds?|liras?|lira)\b", re.I)
# words that open the name of an armed group, party or institution: what follows is part of the name
_ORG_BEFORE = re.compile(r"\b(Liwa|Jaish|Harakat|Hayat|Hay'at|Tahrir|Ahrar|Faylaq|Jabhat|Katibat|Saraya|Hezbollah|Ansar|"
                         r"Jund|Firqat|Quwat|Tajammu)\b[\s\-\w]{0,20}$")
_ARABIC_START = re.compile(r"[\u0600-\u06FF]")
_ROAD_NUMBER = re.compile(r"M\d+")
_NEXT_WORD = re.compile(r"[\s\-]*([A-Za-z]+)")
_SENTENCE_BREAK_BEFORE = re.compile(r"[.!?:\n“\"]\s*$")
_GAP_BREAK = re.compile(r"[.!?;:,\n“”\"]")
_POSSESSIVE_END = re.compile(r"[’'‘]s$")
_ROAD_SUFFIX = re.compile(r"^[\s\-–]*(?:\((?:M\d+)\)\s*)?(international\s+)?(road|route|highway|motorway|freeway)s?\b", re.I)


@dataclass
class Mention:
    """A place named in the text: span in the user's text, the entry it resolves to and how sure that is."""

    start: int
    end: int
    text: str
    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    score: float
    reason: str = ""
    adjectival: bool = False
    qualifier: str | None = None
    alternatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["lat"], d["lon"], d["score"] = round(self.lat, 5), round(self.lon, 5), round(self.score, 1)
        return d


@dataclass
class Unresolved:
    """A phrase that reads like a place but matches no entry: kept so that nothing is lost silently."""

    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MentionResult:
    mentions: list[Mention]
    unresolved: list[Unresolved]

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [m.to_dict() for m in self.mentions], "unresolved": [u.to_dict() for u in self.unresolved]}


def _is_name_start(word: str) -> bool:
    return word[:1].isupper() or bool(_ARABIC_START.match(word)) or bool(_ROAD_NUMBER.fullmatch(word))


def _org_follows(plain: str, end: int) -> bool:
    """True when the words after a place word make it part of an organisation's (or a currency's) name."""
    if _CURRENCY.match(plain[end:end + 12]):
        return True
    m = _NEXT_WORD.match(plain[end:end + 40])
    if not m:
        return False
    word = m.group(1)
    quoted = plain[end:end + len(m.group(0)) + 2].rstrip().endswith(("”", '"'))
    return (word[0].isupper() or quoted) and word.lower() in _ORG_HEADS


def _in_capitalised_run(words: list[re.Match], i: int, j: int, plain: str) -> bool:
    """True when the match sits inside a longer run of capitalised words (a person or organisation name)."""
    def cap(k: int) -> bool:
        return 0 <= k < len(words) and words[k].group()[:1].isupper()

    def adjacent(a: int, b: int) -> bool:
        return plain[words[a].end():words[b].start()] == " "

    before = cap(i - 1) and adjacent(i - 1, i) and not _sentence_initial(plain, words[i - 1].start())
    after = cap(j + 1) and adjacent(j, j + 1) and words[j + 1].group().lower() not in _NAME_GLUE
    particle = (j + 2 < len(words) and words[j + 1].group().lower() in _ARTICLE_WORDS
                and plain[words[j].end():words[j + 1].start()] == " " and cap(j + 2))
    return before or after or particle


def _sentence_initial(plain: str, pos: int) -> bool:
    prefix = plain[max(0, pos - 3):pos]
    return pos == 0 or bool(_SENTENCE_BREAK_BEFORE.search(prefix)) or prefix.strip() == ""


def _choose(g: Gazetteer, phrase: str, fuzzy: bool) -> tuple[Place, float, str, list[str]] | None:
    cands = g.lookup(phrase, limit=5, fuzzy=fuzzy)
    if not cands:
        return None
    best = cands[0]
    return best.place, best.score, best.reason, [c.place.id for c in cands[1:]]


def find_mentions(text: str, gazetteer: Gazetteer | None = None) -> MentionResult:
    """Place mentions in `text` (plain or HTML); offsets index the text as given."""
    g = gazetteer or default_gazetteer()
    plain, offsets = visible_text(text)
    words = list(_WORD.finditer(plain))
    mentions: list[Mention] = []
    unresolved: list[Unresolved] = []
    i = 0
    n_words = len(words)
    while i < n_words:
        w = words[i].group()
        if w[0].islower() or w[0].isdigit():  # most words: no name starts here (fast path)
            i += 1
            continue
        hit = None
        longest = g.longest_name_from(w) if _is_name_start(w) else 0
        if longest:
            for j in range(min(len(words), i + longest) - 1, i - 1, -1):
                # a name never spans a sentence break or a bracketed aside, except "(M5)" inside a road name
                gap_text = plain[words[i].end():words[j].start()] if j > i else ""
                if _GAP_BREAK.search(gap_text):
                    continue
                s, e = words[i].start(), words[j].end()
                phrase = plain[s:e]
                key = name_key(phrase)
                if key not in g.by_key:
                    continue
                last = words[j].group()
                if len(key) <= 3 and not phrase.isupper() and not _ROAD_NUMBER.fullmatch(phrase):
                    continue  # short names only as written in capitals: US, UK, M5
                if not (_is_name_start(last) or last.lower() in _NAME_GLUE or last.isdigit()):
                    continue
                if _POSSESSIVE_END.search(phrase):  # possessive: the place is "Syria", not "Syria's"
                    e -= 2
                    phrase = plain[s:e]
                hit = (j, s, e, phrase)
                break
        if hit is None:
            dem = g.demonym(w) if _is_name_start(w) else None
            if dem is not None and not _org_follows(plain, words[i].end()):
                s, e = to_original(offsets, words[i].start(), words[i].end())
                mentions.append(Mention(s, e, text[s:e], dem.id, dem.name, dem.kind, dem.lat, dem.lon, 100.0,
                                        "demonym", adjectival=True))
            elif _is_name_start(w) and _PLACE_CUE.search(plain[max(0, words[i].start() - 30):words[i].start()]) \
                    and w.lower() not in _COMMON_WORDS and not _sentence_initial(plain, words[i].start()):
                j = i
                while j + 1 < len(words) and (words[j + 1].group()[:1].isupper() or words[j + 1].group().lower() in _ARTICLE_WORDS) \
                        and plain[words[j].end():words[j + 1].start()] in (" ", "-") and j - i < MAX_WORDS - 1:
                    j += 1
                s, e = words[i].start(), words[j].end()
                phrase = plain[s:e]
                choice = _choose(g, phrase, fuzzy=True)
                os_, oe = to_original(offsets, s, e)
                if choice and (choice[1] >= 95 or (choice[1] >= 86 and choice[0].country == g.region)) \
                        and not _org_follows(plain, e) and not _ORG_BEFORE.search(plain[max(0, s - 40):s]):
                    place, score, reason, alts = choice
                    mentions.append(Mention(os_, oe, text[os_:oe], place.id, place.name, place.kind, place.lat, place.lon,
                                            score, reason, alternatives=alts))
                elif not _org_follows(plain, e) and not _PERSON_BEFORE.search(plain[max(0, s - 20):s]) \
                        and not _ORG_BEFORE.search(plain[max(0, s - 40):s]):
                    unresolved.append(Unresolved(os_, oe, text[os_:oe], "no gazetteer entry close enough"))
                i = j + 1
                continue
            i += 1
            continue
        j, s, e, phrase = hit
        single = j == i
        if (single and phrase.lower() in _COMMON_WORDS) or _PERSON_BEFORE.search(plain[max(0, s - 20):s]) \
                or _ORG_BEFORE.search(plain[max(0, s - 40):s]) or _org_follows(plain, e) \
                or (single and _in_capitalised_run(words, i, j, plain) and not g.lookup(phrase)[0].place.country == "SY"):
            i = j + 1
            continue
        choice = _choose(g, phrase, fuzzy=False)
        place, score, reason, alts = choice  # type: ignore[misc]
        # "Idlib Province", "Aleppo countryside": prefer the admin area / keep the qualifier
        qualifier = None
        after = _AFTER_QUALIFIER.match(plain[e:e + 30])
        if after and after.group(1).lower() in {"province", "governorate"}:
            area = [c for c in g.lookup(phrase + " Governorate") if c.place.kind == "admin_area"]
            if area:
                e = e + after.end()
                place, score, reason = area[0].place, area[0].score, "province of " + phrase
        elif after:
            qualifier = after.group(1).lower()
        before = _QUALIFIER_RE.search(plain[max(0, s - 40):s])
        if before:
            parts = [w for w in (before.group(1), before.group(2), before.group(3), qualifier) if w]
            qualifier = " ".join(parts).lower()
        # "Ithriya-Khanaser motorway", "the Khanasir route": a road through named places
        road_tail = _ROAD_SUFFIX.match(plain[e:e + 40])
        if road_tail and place.kind != "road":
            road = _road_through(g, place, plain[s:e + road_tail.end()])
            if road is not None:
                e = e + road_tail.end()
                place, score, reason = road, 95.0, "road named after a place on it"
        os_, oe = to_original(offsets, s, e)
        mentions.append(Mention(os_, oe, text[os_:oe], place.id, place.name, place.kind, place.lat, place.lon, score,
                                reason, qualifier=qualifier, alternatives=alts))
        i = j + 1
        while i < len(words) and words[i].start() < e:
            i += 1
    _merge_place_pairs(g, mentions, text)
    return MentionResult(mentions, unresolved)


def _road_through(g: Gazetteer, place: Place, phrase: str) -> Place | None:
    """The road entry named by `phrase` or passing through `place`."""
    exact = [c.place for c in g.lookup(phrase, fuzzy=False) if c.place.kind == "road"]
    if exact:
        return exact[0]
    for p in g.by_id.values():
        if p.kind == "road" and p.road and place.id in p.road.via:
            return p
    return None


def _merge_place_pairs(g: Gazetteer, mentions: list[Mention], text: str) -> None:
    """"Ithriya-Khanaser motorway": two places joined by a dash and then a road word become one road mention."""
    k = 0
    while k + 1 < len(mentions):
        a, b = mentions[k], mentions[k + 1]
        if b.kind == "road" and a.kind != "road" and re.fullmatch(r"\s*[-–]\s*", text[a.end:b.start]):
            merged = [c.place for c in g.lookup(text[a.start:b.end], fuzzy=False) if c.place.kind == "road"]
            road = merged[0] if merged else g.by_id[b.place_id]
            mentions[k] = Mention(a.start, b.end, text[a.start:b.end], road.id, road.name, road.kind, road.lat, road.lon,
                                  95.0, "road between two named places")
            del mentions[k + 1]
        k += 1
