"""Plain text out of what users paste (HTML included), with every offset still pointing into the original."""

from __future__ import annotations

import html
import re
from array import array
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

_TAG = re.compile(r"<[^>]{0,2000}>|&[#\w]{1,10};", re.DOTALL)
_BLOCK_TAGS = re.compile(r"^</?(p|br|div|li|h\d|tr|td|section|article)\b", re.I)


@lru_cache(maxsize=1)
def visible_text(raw: str) -> tuple[str, Sequence[int]]:
    """Strip tags and decode entities; return (plain, offsets) where plain[i] came from raw[offsets[i]].

    `offsets` has one extra element (len(raw)) so that an end offset maps too. It is a `range` for plain
    text and a compact integer array otherwise (a list would take ~36 bytes per character of a 10 MB
    report). The last result is kept: extraction and mention finding read the same text.
    """
    if "<" not in raw and "&" not in raw:
        return raw, range(len(raw) + 1)
    out: list[str] = []
    pieces: list[tuple[int, int, bool]] = []  # for each piece of plain: where it came from, length, copied as is
    pos = 0
    for m in _TAG.finditer(raw):
        out.append(raw[pos:m.start()])
        pieces.append((pos, m.start() - pos, True))
        token = m.group()
        if token.startswith("&"):
            decoded = html.unescape(token)
            out.append(decoded)
            pieces.append((m.start(), len(decoded), False))
        elif _BLOCK_TAGS.match(token):
            out.append(" ")
            pieces.append((m.start(), 1, False))
        pos = m.end()
    out.append(raw[pos:])
    pieces.append((pos, len(raw) - pos, True))
    pieces.append((len(raw), 1, False))
    return "".join(out), _offsets(pieces)


def _offsets(pieces: list[tuple[int, int, bool]]) -> array:
    """The offsets array of `visible_text`, filled a piece at a time through a numpy view: a copied piece
    counts up from where it came from, a decoded entity or a tag repeats its position. (Extending the
    array from Python ranges took ~0.05 s per MB.)"""
    offsets = array("q", bytes(8 * sum(n for _, n, _ in pieces)))
    values = np.frombuffer(offsets, dtype=np.int64)
    at = 0
    for start, n, copied in pieces:
        values[at:at + n] = np.arange(start, start + n) if copied else start
        at += n
    del values  # the view pins the array's buffer
    return offsets


# letters Python's re.I matches to ASCII ones that str.lower() leaves alone (İ ı ſ) or may (K, the Kelvin sign)
_ODD_TO_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


def has_odd_fold(text: str) -> bool:
    """True when the text has one of the letters only re.I folds to ASCII (İ ı ſ K). Four substring tests
    at C speed: ~5× faster than a character-class regex, which visits every character."""
    return "ſ" in text or "ı" in text or "İ" in text or "\u212a" in text


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """False only when no case-insensitive (re.I) match of one of `words` (lower-case ASCII) can be in
    `text`: a test at C speed before a slower regex that needs one of them."""
    low = text.lower()
    for w in words:
        if w in low:
            return True
    return has_odd_fold(text)


def may_end_with(text: str, words: tuple[str, ...]) -> bool:
    """False only when `text`, less its closing whitespace, cannot end with one of `words` (lower-case
    ASCII) as a case-insensitive (re.I) regex reads it."""
    return text.rstrip().lower().endswith(words) or has_odd_fold(text)


def lower_for_re(text: str) -> str | None:
    """`text.lower()`, in which a regex of lower-case ASCII words finds what it finds in `text` with re.I
    (faster: no case folding per character); None when `text` has a letter that only re.I folds."""
    return None if has_odd_fold(text) else text.lower()


def odd_folds_to_ascii(text: str) -> str:
    """The text with the few letters re.I alone folds to ASCII ones made those ASCII letters (same length)."""
    return text.translate(_ODD_TO_ASCII) if has_odd_fold(text) else text


def to_original(offsets: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the plain text back to the original text."""
    return offsets[start], offsets[end - 1] + 1 if end > start else offsets[start]


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06FF])|\n\s*\n|\n(?=\s*[•*\-\d])")
_ABBREV = re.compile(r"\b(Mr|Mrs|Ms|Dr|Gen|Brig|Col|Lt|Sgt|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|No|vs|e\.g|i\.e)\.$")


# where a sentence end can begin: right after final punctuation, or at a line break
_SENTENCE_END_HINT = re.compile(r"[.!?…\n]")


def _sentence_ends(text: str) -> Iterator[re.Match]:
    """The matches `_SENTENCE_END.finditer(text)` gives, found by trying the regex only where one can
    start (after .!?… or at a line break) instead of at every character: ~0.2 s less per 10 MB."""
    resume = 0
    for hint in _SENTENCE_END_HINT.finditer(text):
        pos = hint.start() if hint.group() == "\n" else hint.end()
        if pos < resume:
            continue
        m = _SENTENCE_END.match(text, pos)
        if m:
            resume = m.end()
            yield m


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as (start, end) offsets; abbreviations such as "Brig. Gen." do not end a sentence."""
    spans = []
    start = 0
    for m in _sentence_ends(text):
        if _ABBREV.search(text[max(start, m.start() - 6):m.start()]):
            continue
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out = []
    for s, e in spans:  # trim surrounding whitespace
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out
