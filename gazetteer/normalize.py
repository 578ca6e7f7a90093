"""Name keys that survive the ways reports spell Syrian places.

`name_key` folds case, diacritics, apostrophes and hyphens, the Arabic article in its Latin forms
(al-, el-, as-, ash-, ad-, …), possessives and Arabic-script variants (alef forms, ta marbuta, alef
maqsura, tatweel, harakat) so that "Ma‘arrat an-Nu‘mān", "Maarat al-Numan's" and "معرة النعمان"
meet their entries. `skeleton` is a looser consonant key for transliterations (Khanaser/Khunasir).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = _ARTICLES = {"al", "el", "as", "ash", "ad", "an", "ar", "az", "at", "ath", "adh", "es", "esh", "ed", "en", "er",
             "ez", "et", "ul", "il", "ech"}
_APOSTROPHES = "'’‘`´ʿʾʼ‛′"
_DASHES = "-‐‑‒–—―_/"
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None})
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s\b")
_APOSTROPHE = re.compile(rf"[{_APOSTROPHES}]")
_DASH = re.compile(rf"[{re.escape(_DASHES)}]")
_DOUBLED = re.compile(r"(.)\1+")
_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")  # nothing to fold but case: most phrases a report holds


def strip_diacritics(text: str) -> str:
    """Latin letters without their accents and dots (Ţarţūs → Tartus); Arabic marks are left to fold_arabic."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")


def fold_arabic(text: str) -> str:
    """Arabic script: drop harakat and tatweel, unify alef/ta marbuta/alef maqsura/hamza carriers."""
    text = _HARAKAT.sub("", text).translate(_ARABIC_FOLD)
    # the Arabic article on every word: "الخناصر" and "خناصر" meet
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in text.split())


@lru_cache(maxsize=262_144)
def name_key(name: str) -> str:
    """The exact-match key of a name: lower case, no diacritics, articles, possessives or punctuation."""
    if _PLAIN_WORDS.fullmatch(name):  # ASCII letters and single spaces: the steps below would only lower the case
        words = name.lower().split(" ")
    else:
        text = unicodedata.normalize("NFC", name).strip()
        text = _POSSESSIVE.sub("", text)  # possessive: Aleppo's
        text = text.lower()
        if not text.isascii():  # most names are plain ASCII: nothing to fold
            text = strip_diacritics(fold_arabic(text))
        text = _APOSTROPHE.sub("", text)
        text = _DASH.sub(" ", text)
        text = _NON_WORD.sub(" ", text)
        words = [w for w in _SPACES.split(text) if w]
    if len(words) > 1 and words[0] == "the":  # "the M5 highway", "the Citadel"
        words = words[1:]
    kept = [w for i, w in enumerate(words) if not (w in _ARTICLES and i < len(words) - 1)]
    return " ".join(kept)


_DIGRAPHS = re.compile(r"kh|gh|sh|th|dh|ph")
_DIGRAPH_SOUND = {"kh": "k", "gh": "g", "sh": "s", "th": "t", "dh": "d", "ph": "f"}
_SKELETON_FOLD = str.maketrans({"q": "k", "c": "k", "w": None, "y": None, "h": None,
                                "a": None, "e": None, "i": None, "o": None, "u": None})


@lru_cache(maxsize=262_144)
def skeleton(key: str) -> str:
    """A consonant skeleton of a name key: digraphs to one letter (kh → k), q and c to k, vowels, h, w, y
    and doubled letters dropped (latin script only): Khanaser, Khunasir and Khanasir share "knsr"."""
    out = []
    for word in key.split():
        word = _DIGRAPHS.sub(lambda m: _DIGRAPH_SOUND[m.group()], word).translate(_SKELETON_FOLD)
        word = _DOUBLED.sub(r"\1", word)
        if word:
            out.append(word)
    return " ".join(out)
