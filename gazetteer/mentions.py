"""Find the places a report names: spans over the user's text, each resolved to a gazetteer entry.

Longest exact name match over word n-grams first (capitalised words, road numbers, Arabic script),
then demonyms, then capitalised phrases after a place cue ("in", "from", "the town of") that the
exact pass missed, tried fuzzily; what still fails is returned as `unresolved`, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from collections.abc import Sequence
from typing import Any

from gazetteer._fork import can_fork, in_two_halves
from gazetteer.normalize import name_key
from gazetteer.place import Place
from gazetteer.store import Gazetteer, default_gazetteer
from gazetteer.text import has_odd_fold, to_original, visible_text

MAX_WORDS = 7
_WORD = re.compile(r"[\w\u0600-\u06FF]+(?:[’'‘ʿ][\w\u0600-\u06FF]+)*", re.UNICODE)
_JOINERS = "’'‘ʿ"  # an apostrophe between two runs of letters keeps them one word (Ma'arrat)
_WORD_CHAR = re.compile(r"[\w\u0600-\u06FF]")
# the word after a position: the first word character on starts it (a word is never entered halfway)
_FOLLOWING_WORD = re.compile(r"[^\w\u0600-\u06FF]*(" + _WORD.pattern + ")")
# the same within a name's reach: no sentence break, comma, colon or quote on the way (a bracket is fine)
_NEXT_NAME_WORD = re.compile(r"[^\w\u0600-\u06FF.!?;:,\n“”\"]*(" + _WORD.pattern + ")")
# a word that may open a name: a capital or Arabic script first, no word running into it. The regex engine
# skips the lower-case majority of a report at C speed instead of Python visiting every word.
_NAME_START = re.compile(r"[A-Z\u0080-\U0010FFFF](?<=[\w\u0600-\u06FF])(?<![\w\u0600-\u06FF].)"
                         r"(?<![\w\u0600-\u06FF][’'‘ʿ].)[\w\u0600-\u06FF]*(?:[’'‘ʿ][\w\u0600-\u06FF]+)*")
# a space (or, between plain ASCII words, a hyphen) keeps each side's name key words intact when joined
_SPACES_ONLY = re.compile(r" +")
_SPACES_OR_HYPHENS = re.compile(r"[ -]+")
# words that may sit inside a multi-word name without being capitalised
_NAME_GLUE = {"al", "el", "as", "ash", "ad", "an", "ar", "az", "at", "of", "de", "la", "bin", "ibn", "abu", "bab",
              "international", "road", "highway", "motorway", "route", "crossing", "roundabout", "checkpoint",
              "province", "governorate", "city", "district", "neighbourhood", "neighborhood", "countryside",
              "gate", "post", "border", "corridor"}
_QUALIFIERS = ("north-eastern", "north-western", "south-eastern", "south-western", "northeastern", "northwestern",
               "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west",
               "eastern", "western", "northern", "southern", "central", "east", "west", "north", "south", "rural")
_SURROUNDS = ("outskirt", "countryside", "suburbs")
_QUALIFIER_RE = re.compile(rf"(?:\b(?:({'|'.join(_QUALIFIERS)})\s+)?(?:the\s+)?(outskirts|countryside|suburbs|outskirt)\s+of\s+"
                           r"(?:the\s+city\s+of\s+)?$)|"
                           rf"(?:\b({'|'.join(_QUALIFIERS)})\s+$)", re.I)
_QUALIFIER_LOWER = re.compile(_QUALIFIER_RE.pattern)  # the same for lower-case text (its callers lower its groups)
_AFTER_QUALIFIER = re.compile(r"^\s+(countryside|outskirts|suburbs|province|governorate)\b", re.I)
_PLACE_CUE = re.compile(r"\b(in|from|to|towards|toward|near|at|via|into|reaching|reached|outside|through|"
                        r"town of|village of|city of|area of|district of|neighbourhood of|neighborhood of|province of)\s+(the\s+)?$", re.I)
_PLACE_CUE_LOWER = re.compile(_PLACE_CUE.pattern)  # the same for lower-case text
_PLACE_CUE_ENDINGS = ("in", "from", "to", "towards", "toward", "near", "at", "via", "into", "reaching", "reached", "outside",
                      "through", "of", "the")  # how the text before a place cue's closing spaces must end
# a place word followed by one of these is part of an organisation's name, not a place
_ORG_HEADS = {"democratic", "forces", "force", "army", "observatory", "government", "university", "national",
              "arab", "salvation", "red", "crescent", "council", "coalition", "ministry", "news", "times", "post",
              "airlines", "group", "media", "network", "today", "revolution", "liberation", "front", "brigade",
              "brigades", "civil", "defence", "defense", "interim", "opposition", "state", "consulate", "embassy",
              "orthodox", "air", "pounds", "pound", "lira", "baladi"}
_PERSON_TITLES = "Mr|Mrs|Ms|Dr|President|Minister|Gen|General|Sheikh|Imam|Brig|Col|Commander|Abu|Umm"
_PERSON_BEFORE = re.compile(rf"\b({_PERSON_TITLES})\.?\s+$")
# the first word of many place names ("Tall Ziwan", "Bab Sharqi", "Khan Shaykhun"): alone it names a place
# (At Tall, Al Bab), but before another capitalised word it opens a longer name the gazetteer lacks
_NAME_HEADS = {"tall", "tell", "tal", "bab", "khan", "wadi", "ain", "ayn", "jisr", "ras", "bir", "hayy", "kafr", "deir",
               "dayr", "jabal", "jebel", "qasr", "beit", "bayt", "umm", "khirbet", "khirbat", "marj", "nahr", "jubb"}
# a landmark named "of" a place ("the Old City of Homs", "the Citadel of Damascus") is that place's, whatever
# city the gazetteer's entry of that name is in
_LANDMARKS_OF = {"old city", "citadel", "old town", "city centre", "city center", "old souk", "grand mosque"}
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
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
_ORG_WORDS = "Liwa|Jaish|Harakat|Hayat|Hay'at|Tahrir|Ahrar|Faylaq|Jabhat|Katibat|Saraya|Hezbollah|Ansar|Jund|Firqat|Quwat|Tajammu"
# (the words between the opening word and the place are the name's: capitalised, or name particles.
# "the Hezbollah-besieged town of Madaya" names a place after an organisation's name, not inside it.)
_ORG_BEFORE = re.compile(rf"\b({_ORG_WORDS})\b(?:[\s\-]+(?:[A-Z][\w’']*|al|el|ad|ash|as|an|ar|at|az|wa|bin|ibn|abu)){{0,4}}[\s\-]+$")
# Hints: each context regex above can only match where one of its words occurs. A bare alternation of
# literals is searched at C speed, so the slow anchored regex runs only on the few windows that have one.
_PERSON_HINT = re.compile(_PERSON_TITLES)
_ORG_HINT = re.compile(_ORG_WORDS)
_ARABIC_START = re.compile(r"[\u0600-\u06FF]")
_ROAD_NUMBER = re.compile(r"M\d+")
_NEXT_WORD = re.compile(r"[\s\-]*([A-Za-z]+)")
_SENTENCE_BREAK_BEFORE = re.compile(r"[.!?:\n“\"]\s*$")
_POSSESSIVE_END = re.compile(r"[’'‘]s$")
_ROAD_SUFFIX = re.compile(r"^[\s\-–]*(?:\((?:M\d+)\)\s*)?(international\s+)?(road|route|highway|motorway|freeway)s?\b", re.I)
# the word after a name, past spaces, dashes and a bracketed road number. Only a few words there make the
# name part of something longer (`_org_follows`, `_AFTER_QUALIFIER`, `_ROAD_SUFFIX`): one match and a set
# test rule the three out for most names. A word with a letter outside ASCII may be one re.I folds (ſ, ı).
_WORD_AFTER_NAME = re.compile(r"[\s\-–]*(?:\([Mm]\d+\)\s*)?([^\W\d_]+)")
_WORDS_AFTER_NAME = frozenset(_ORG_HEADS) | {
    "pound", "pounds", "lira", "liras", "countryside", "outskirts", "suburbs", "province", "governorate", "international",
    "road", "roads", "route", "routes", "highway", "highways", "motorway", "motorways", "freeway", "freeways"}


def _may_extend(plain: str, end: int) -> bool:
    """False only when the words after a name ending at `end` cannot make it part of a longer one."""
    m = _WORD_AFTER_NAME.match(plain, end)
    if m is None:
        return False
    word = m.group(1)
    return not word.isascii() or word.lower() in _WORDS_AFTER_NAME


@dataclass(slots=True)
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


@dataclass(slots=True)
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


def _person_before(plain: str, start: int) -> bool:
    """A title ("Mr", "President", "Abu") right before `start`: the name is a person's."""
    window = plain[max(0, start - 20):start]
    return bool(_PERSON_HINT.search(window) and _PERSON_BEFORE.search(window))


def _org_before(plain: str, start: int) -> bool:
    """An organisation's opening word ("Jaish", "Liwa") shortly before `start`."""
    window = plain[max(0, start - 40):start]
    return bool(_ORG_HINT.search(window) and _ORG_BEFORE.search(window))


def _qualifier_before(plain: str, start: int) -> re.Match | None:
    """"eastern", "the western countryside of" right before `start` (the `_QUALIFIER_RE` match; its groups may
    be in lower case)."""
    window = plain[max(0, start - 40):start]
    low = window.lower()  # (the tests of gazetteer.text.may_end_with and may_contain on one lower-cased copy)
    tail = low.rstrip()
    if has_odd_fold(window):
        return _QUALIFIER_RE.search(window)
    if tail.endswith(_QUALIFIERS) or (tail.endswith("of") and any(w in low for w in _SURROUNDS)):
        return _QUALIFIER_LOWER.search(low)  # the same match on the lower-cased window, no per-character folding
    return None


def _after_place_cue(plain: str, start: int) -> bool:
    """"in", "towards", "the town of" (and "the") right before `start`."""
    window = plain[max(0, start - 30):start]
    if has_odd_fold(window):
        return bool(_PLACE_CUE.search(window))
    low = window.lower()  # (as in `_qualifier_before`)
    return low.rstrip().endswith(_PLACE_CUE_ENDINGS) and bool(_PLACE_CUE_LOWER.search(low))


def _org_follows(plain: str, end: int) -> bool:
    """True when the words after a place word make it part of an organisation's (or a currency's) name."""
    if not _may_extend(plain, end):
        return False
    if _CURRENCY.match(plain[end:end + 12]):
        return True
    m = _NEXT_WORD.match(plain[end:end + 40])
    if not m:
        return False
    word = m.group(1)
    if word.lower() not in _ORG_HEADS:
        return False
    return word[0].isupper() or plain[end:end + len(m.group(0)) + 2].rstrip().endswith(("”", '"'))  # "Aleppo" Forces


def _word_before(plain: str, start: int) -> int | None:
    """Start of the word that ends one space before `start`, or None when no word sits right there."""
    k = start - 2
    if k < 0 or plain[k + 1] != " " or not _WORD_CHAR.match(plain, k):
        return None
    while k > 0:  # back over word characters and the apostrophes that join two parts of one word
        if _WORD_CHAR.match(plain, k - 1):
            k -= 1
        elif k >= 2 and plain[k - 1] in _JOINERS and _WORD_CHAR.match(plain, k - 2):
            k -= 2
        else:
            break
    return k


def _in_capitalised_run(plain: str, start: int, end: int) -> bool:
    """True when the words at [start, end) sit inside a longer run of capitalised words (a person or organisation name)."""
    prev = _word_before(plain, start)
    before = prev is not None and plain[prev].isupper() and not _sentence_initial(plain, prev)
    nxt = _FOLLOWING_WORD.match(plain, end)
    if nxt is None:
        return before
    word = nxt.group(1)
    adjacent = nxt.start(1) == end + 1 and plain[end] == " "
    after = word[:1].isupper() and adjacent and word.lower() not in _NAME_GLUE
    if before or after:
        return True
    if not (adjacent and word.lower() in _ARTICLE_WORDS):
        return False
    third = _FOLLOWING_WORD.match(plain, nxt.end(1))  # "Ahmad al Sharaa": a name particle, then a capital
    return third is not None and third.group(1)[:1].isupper()


def _sentence_initial(plain: str, pos: int) -> bool:
    prefix = plain[max(0, pos - 3):pos]
    return pos == 0 or bool(_SENTENCE_BREAK_BEFORE.search(prefix)) or prefix.strip() == ""


def _choose(g: Gazetteer, phrase: str, fuzzy: bool) -> tuple[Place, float, str, list[str]] | None:
    cands = g.lookup(phrase, limit=5, fuzzy=fuzzy)
    if not cands:
        return None
    best = cands[0]
    return best.place, best.score, best.reason, [c.place.id for c in cands[1:]]


def _joins_cleanly(gap: str, phrase: str) -> bool:
    """True when the name key of `phrase` + `gap` + more words starts with the words of `phrase`'s own key.

    Spaces guarantee it; a hyphen too while the phrase is plain ASCII (Arabic-script folding reads
    hyphenated words as one). Apostrophes, accents or other marks may glue words together, so no.
    """
    return gap == " " or bool(_SPACES_ONLY.fullmatch(gap) or (phrase.isascii() and _SPACES_OR_HYPHENS.fullmatch(gap)))


def _starts_word(c: str) -> bool:
    """True when the character can start a word (`_WORD`'s first character: `\\w` is alphanumeric or "_")."""
    return c.isalnum() or c == "_" or "\u0600" <= c <= "\u06ff"


def _name_at(g: Gazetteer, plain: str, start: int, end: int, longest: int) -> tuple[int, int, int, str] | None:
    """The longest exact name that begins with the word at [start, end): (words in it, end of its last word,
    end of the name, the name as written), or None.

    Reads at most `longest` words and never across a sentence break or a quote (a bracket is fine: "(M5)"
    inside a road name). Words are read
    one by one and the reading stops as soon as no longer phrase can still be a name (the key so far is
    no name's beginning), instead of trying every n-gram of the window.
    """
    spans = [(start, end)]
    named: list[int] = []  # how many words each name found has
    by_key = g.by_key
    last = end  # end of the last word read
    while True:
        phrase = plain[start:last]
        key = name_key(phrase)
        if key in by_key:
            named.append(len(spans))
        if len(spans) >= longest:
            break
        if not g.may_continue(key) and plain[last:last + 1] == " " and _starts_word(plain[last + 1:last + 2]):
            break  # the next word joins with one space, and no longer name can begin so (the usual end of a name)
        nxt = _NEXT_NAME_WORD.match(plain, last)
        if nxt is None:  # no word left, or a sentence break before it
            break
        if _joins_cleanly(plain[last:nxt.start(1)], phrase) and not g.may_continue(key):
            break
        spans.append(nxt.span(1))
        last = nxt.end(1)
    for n in reversed(named):
        last_start, last_end = spans[n - 1]
        kept = _name_as_written(plain[start:last_end], plain[last_start:last_end])
        if kept is not None:
            return n, last_end, start + len(kept), kept
    return None


def _name_as_written(phrase: str, last: str) -> str | None:
    """The part of `phrase` (whose key is a name, ending with the word `last`) that names the place, or None
    when the way it is written makes it no name."""
    if len(name_key(phrase)) <= 3 and not phrase.isupper() and not _ROAD_NUMBER.fullmatch(phrase):
        return None  # short names only as written in capitals: US, UK, M5
    if not (_is_name_start(last) or last.lower() in _NAME_GLUE or last.isdigit()):
        return None
    if _POSSESSIVE_END.search(phrase):  # possessive: the place is "Syria", not "Syria's"
        return phrase[:-2]
    return phrase


# characters after a word that end a name's reading (`_NEXT_NAME_WORD` cannot step over them)
_READING_STOPS = frozenset(".!?;:,\n“”\"")
_READ_ON = object()  # a word's reading depends on the words after it


def _word_alone(g: Gazetteer, w: str) -> object:
    """What `_name_at` gives for the word `w` when no longer name can begin with it: the name as written
    (or None), or `_READ_ON` when a longer name may begin with it."""
    key = name_key(w)
    if g.may_continue(key):
        return _READ_ON
    return _name_as_written(w, w) if key in g.by_key else None


PARALLEL_MIN_CHARS = 2_000_000  # a text this long is scanned in two halves on two cores (where there are two)
# a line that ends a sentence: no name, and nothing read after a name, runs on across it
_SENTENCE_LINE_END = re.compile(r"[.!?][\"”’')\]]*\n")


def find_mentions(text: str, gazetteer: Gazetteer | None = None, *, workers: int = 0) -> MentionResult:
    """Place mentions in `text` (plain or HTML); offsets index the text as given.

    `workers`: 1 scans in this process; 2 scans the second half of the text in a forked child meanwhile
    (same mentions; POSIX only); 0 (default) does that for texts of `PARALLEL_MIN_CHARS` or more on a
    machine with two cores or more.
    """
    g = gazetteer or default_gazetteer()
    plain, offsets = visible_text(text)
    split = split_point(plain, workers)
    if split is None:
        found = scan_range(g, text, plain, offsets, 0, len(plain))
    else:
        first, second = in_two_halves(_scan_as_tuples, (g, text, plain, offsets, 0, split),
                                      (g, text, plain, offsets, split, len(plain)))
        found = [a + b for a, b in zip(from_tuples(first), from_tuples(second))]
    merge_place_pairs(g, found[0], text)
    return MentionResult(*found)


def split_point(plain: str, workers: int = 0) -> int | None:
    """Where to cut the text in two for two scans that find what one scan finds, or None for one scan
    (see `find_mentions` for `workers`): just after the first line past the middle that ends a sentence.
    A name's reading, and what is read after a name, stop at a sentence's end; what is read before a
    name looks back into the full text."""
    if not (workers == 2 or (workers == 0 and len(plain) >= PARALLEL_MIN_CHARS)) or not can_fork():
        return None
    m = _SENTENCE_LINE_END.search(plain, len(plain) // 2)
    return m.end() if m and m.end() < len(plain) else None


def scan_range(g: Gazetteer, text: str, plain: str, offsets: Sequence[int], lo: int, hi: int
               ) -> tuple[list[Mention], list[Unresolved]]:
    """The mentions and unresolved phrases of the words that start in plain[lo:hi] (`plain` and `offsets`:
    `visible_text(text)`), before `merge_place_pairs`."""
    scan = _Scan(g, text, plain, offsets)
    resume = lo  # where the next name may start: after the phrase last read
    words: dict[str, tuple[int, object]] = {}  # per word: its longest name's length, its reading alone
    for word in _NAME_START.finditer(plain, lo, hi):
        start, end = word.span()
        w = word.group()
        first = w[0]
        if start < resume or (first > "Z" and (first.isdigit() or not _is_name_start(w))):  # Arabic-Indic digits are no name
            continue
        facts = words.get(w)
        if facts is None:
            longest = g.longest_name_from(w)
            facts = words[w] = (longest, _word_alone(g, w) if longest else None)
        longest, alone = facts
        if not longest:
            hit = None
        elif alone is not _READ_ON and (plain[end:end + 1] in _READING_STOPS or end == len(plain) or (
                plain[end] == " " and _starts_word(plain[end + 1:end + 2]))):
            hit = None if alone is None else (1, end, start + len(alone), alone)  # the usual case, read once per word
        else:
            hit = _name_at(g, plain, start, end, longest)
        resume = scan.other_word(w, start, end) if hit is None else scan.name(start, *hit)
    return scan.mentions, scan.unresolved


def as_tuples(found: tuple[list[Mention], list[Unresolved]]) -> tuple[list[tuple], list[tuple]]:
    """Mentions and unresolved phrases as plain tuples: they pickle several times faster than the data
    classes (what a forked scan sends back)."""
    mentions, unresolved = found
    return ([(m.start, m.end, m.text, m.place_id, m.name, m.kind, m.lat, m.lon, m.score, m.reason, m.adjectival,
              m.qualifier, m.alternatives) for m in mentions],
            [(u.start, u.end, u.text, u.reason) for u in unresolved])


def from_tuples(found: tuple[list[tuple], list[tuple]]) -> tuple[list[Mention], list[Unresolved]]:
    """The inverse of `as_tuples`."""
    return [Mention(*t) for t in found[0]], [Unresolved(*t) for t in found[1]]


def _scan_as_tuples(*args) -> tuple[list[tuple], list[tuple]]:
    """`scan_range(*args)` as tuples (what a forked scan sends back)."""
    return as_tuples(scan_range(*args))


class _Scan:
    """What the mention scan has found so far, and how each kind of word is read."""

    def __init__(self, g: Gazetteer, text: str, plain: str, offsets: Sequence[int]):
        self.g, self.text, self.plain, self.offsets = g, text, plain, offsets
        self.mentions: list[Mention] = []
        self.unresolved: list[Unresolved] = []
        self._words: dict[str, tuple[Place | None, bool]] = {}  # per word: its demonym's country, a common word?

    def other_word(self, w: str, start: int, end: int) -> int:
        """A capitalised word that opens no exact name: a demonym, or a phrase after a place cue tried
        fuzzily. Returns where the scan goes on."""
        g, plain, text, offsets = self.g, self.plain, self.text, self.offsets
        facts = self._words.get(w)
        if facts is None:  # (remembered per word: a report repeats its capitalised words)
            facts = self._words[w] = (g.demonym(w), w.lower() in _COMMON_WORDS)
        dem, common = facts
        if dem is not None and not _org_follows(plain, end):
            s, e = to_original(offsets, start, end)
            self.mentions.append(Mention(s, e, text[s:e], dem.id, dem.name, dem.kind, dem.lat, dem.lon, 100.0,
                                         "demonym", adjectival=True))
            return end
        if common or _sentence_initial(plain, start) or not _after_place_cue(plain, start):
            return end
        e = _capitalised_run_end(plain, end)
        phrase = plain[start:e]
        choice = _choose(g, phrase, fuzzy=True)
        os_, oe = to_original(offsets, start, e)
        if choice and (choice[1] >= 95 or (choice[1] >= 86 and choice[0].country == g.region)) \
                and not _org_follows(plain, e) and not _org_before(plain, start):
            place, score, reason, alts = choice
            self.mentions.append(Mention(os_, oe, text[os_:oe], place.id, place.name, place.kind, place.lat, place.lon,
                                         score, reason, alternatives=alts))
        elif not _org_follows(plain, e) and not _person_before(plain, start) and not _org_before(plain, start):
            self.unresolved.append(Unresolved(os_, oe, text[os_:oe], "no gazetteer entry close enough"))
        return e

    def name(self, s: int, n_words: int, last_end: int, e: int, phrase: str) -> int:
        """An exact name found by `_name_at`: kept as a mention unless it belongs to a person's or an
        organisation's name. Returns where the scan goes on."""
        g, plain = self.g, self.plain
        single = n_words == 1
        extends = _may_extend(plain, e)
        if (single and phrase.lower() in _COMMON_WORDS) or _person_before(plain, s) or _org_before(plain, s) \
                or (extends and _org_follows(plain, e)):  # (`_org_follows` itself starts with `_may_extend`)
            return last_end
        cands = g.lookup(phrase, limit=5, fuzzy=False)  # an exact name: the same as a fuzzy lookup's best five
        if not cands:  # (a name's key always has entries)
            return last_end
        key = name_key(phrase)
        if single and (cands[0].place.country != "SY" or key in _NAME_HEADS) and _in_capitalised_run(plain, s, last_end):
            return last_end  # a foreign name or a name's first word inside a longer run of capitalised words
        if key in _LANDMARKS_OF and _OF_PLACE.match(plain, e):
            return last_end  # "the Old City of Homs": Homs's, read next
        place, score, reason, alts = cands[0].place, cands[0].score, cands[0].reason, [c.place.id for c in cands[1:]]
        # "Idlib Province", "Aleppo countryside": prefer the admin area / keep the qualifier
        qualifier = None
        after = _AFTER_QUALIFIER.match(plain[e:e + 30]) if extends else None
        if after and after.group(1).lower() in {"province", "governorate"}:
            area = [c for c in g.lookup(phrase + " Governorate") if c.place.kind == "admin_area"]
            if area:
                e = e + after.end()
                place, score, reason = area[0].place, area[0].score, "province of " + phrase
        elif after:
            qualifier = after.group(1).lower()
        before = _qualifier_before(plain, s)
        if before:
            parts = [w for w in (before.group(1), before.group(2), before.group(3), qualifier) if w]
            qualifier = " ".join(parts).lower()
        # "Ithriya-Khanaser motorway", "the Khanasir route": a road through named places
        road_tail = _ROAD_SUFFIX.match(plain[e:e + 40]) if extends else None
        if road_tail and place.kind != "road":
            road = _road_through(g, place, plain[s:e + road_tail.end()])
            if road is not None:
                e = e + road_tail.end()
                place, score, reason = road, 95.0, "road named after a place on it"
        os_, oe = to_original(self.offsets, s, e)
        self.mentions.append(Mention(os_, oe, self.text[os_:oe], place.id, place.name, place.kind, place.lat, place.lon,
                                     score, reason, qualifier=qualifier, alternatives=alts))
        return max(last_end, e)


def _capitalised_run_end(plain: str, end: int) -> int:
    """End of the run of capitalised words (and name particles) that continues the word ending at `end`,
    joined by single spaces or hyphens, at most MAX_WORDS words in all."""
    for _ in range(MAX_WORDS - 1):
        nxt = _FOLLOWING_WORD.match(plain, end)
        if nxt is None:
            break
        word = nxt.group(1)
        if not (word[:1].isupper() or word.lower() in _ARTICLE_WORDS) or plain[end:nxt.start(1)] not in (" ", "-"):
            break
        end = nxt.end(1)
    return end


def _road_through(g: Gazetteer, place: Place, phrase: str) -> Place | None:
    """The road entry named by `phrase`, or the one road passing through `place` ("the Khanasir route").

    A place several roads pass through names none of them: "a key Aleppo road" may be any road out of Aleppo."""
    exact = [c.place for c in g.lookup(phrase, fuzzy=False) if c.place.kind == "road"]
    if exact:
        return exact[0]
    through = g.roads_through(place.id)
    return through[0] if len(through) == 1 else None


def merge_place_pairs(g: Gazetteer, mentions: list[Mention], text: str) -> None:
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
