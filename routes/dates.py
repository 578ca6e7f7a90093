"""When a sentence says something happened: explicit dates, weekdays and relative expressions resolved
against the report's publication date and the narrative date the report last gave."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from gazetteer.text import has_odd_fold, odd_folds_to_ascii

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_MONTH_STEMS = "|".join(m for m in MONTHS if len(m) == 3)  # every month name in _M starts with one
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_M}\.?(?:,?\s+(\d{{4}}))?\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_M}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_RANGE = re.compile(rf"\bbetween\s+(\d{{1,2}})\s+and\s+(\d{{1,2}})\s+{_M}(?:\s+(\d{{4}}))?", re.I)
# Hints: what each date form's match must contain, searched at C speed (no \b or re.I in front) before the
# form itself; the month and weekday ones read lower-case text (see gazetteer.text.lower_for_re: `_low`)
_DAY_MONTH_HINT = re.compile(rf"\d(?:st|nd|rd|th)?\s+(?:{_MONTH_STEMS})")
_MONTH_DAY_HINT = re.compile(rf"(?:{_MONTH_STEMS})[a-z]*\.?\s+\d")
_ISO_HINT = re.compile(r"\d-\d")
_WEEKDAY_HINT = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
_WEEK_TO = re.compile(r"\b(?:in\s+)?the\s+week\s+(?:to|ending|before)\b", re.I)
_SINCE = re.compile(r"\b(from|since|starting)\s*$", re.I)
_DIGIT = re.compile(r"\d")
_PRESENT = re.compile(r"\b(remains?|is|are|has been|have been|has become|it's|is now|are now|now it is|as of|continues?|still)\b", re.I)
_PRESENT_LOWER = re.compile(_PRESENT.pattern)  # the same on lower-case text


@dataclass(slots=True)
class When:
    """A resolved time: first day, last day (None = open), precision, and the words that gave it."""

    start: date
    end: date | None
    precision: str
    basis: str
    explicit: bool = False


def _year_for(month: int, day: int, year: str | None, published: date) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        d = date(published.year, month, day)
        return d if d <= published + timedelta(days=1) else date(published.year - 1, month, day)
    except ValueError:
        return None


def _folded(word: str) -> str:
    """A month or weekday name as the tables spell it: lower case, with the letters re.I alone folds to
    ASCII made ASCII ("ſept" → "sept", "FRİDAY" → "friday"), which the case-insensitive regexes accept."""
    return odd_folds_to_ascii(word).lower()


def _month(name: str) -> int:
    """The month a name the month regex matched stands for (1-12)."""
    return MONTHS[_folded(name)[:3]]


def _low(sentence: str, s: str) -> str | None:
    """`gazetteer.text.lower_for_re(sentence)`, given `s`, the sentence in lower case."""
    return None if has_odd_fold(sentence) else s


def explicit_dates(sentence: str, published: date) -> list[tuple[int, date]]:
    """Every calendar date written in the sentence, with its position."""
    return _explicit_dates(sentence, _low(sentence, sentence.lower()), published)


def _explicit_dates(sentence: str, low: str | None, published: date) -> list[tuple[int, date]]:
    """`explicit_dates`, given `low` (`lower_for_re(sentence)`)."""
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(sentence) if _ISO_HINT.search(sentence) else ():
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            pass
    for m in _DAY_MONTH.finditer(sentence) if low is None or _DAY_MONTH_HINT.search(low) else ():
        d = _year_for(_month(m.group(2)), int(m.group(1)), m.group(3), published)
        if d:
            found.append((m.start(), d))
    for m in _MONTH_DAY.finditer(sentence) if low is None or _MONTH_DAY_HINT.search(low) else ():
        if any(abs(p - m.start()) < 12 for p, _ in found):
            continue
        d = _year_for(_month(m.group(1)), int(m.group(2)), m.group(3), published)
        if d:
            found.append((m.start(), d))
    return sorted(found)


def _last_weekday(name: str, published: date) -> date:
    """The most recent such weekday on or before publication ("on Friday" in a Wednesday paper)."""
    delta = (published.weekday() - WEEKDAYS.index(_folded(name))) % 7
    return published - timedelta(days=delta)


# "starting tomorrow on Monday", "next Friday": a weekday after publication, not the last one before it
_AHEAD = re.compile(r"\b(?:next|coming|tomorrow,?(?:\s+on)?)\s+(?:\w+\s+)?$", re.I)
# "the curfew will begin five o'clock Saturday morning", "will reopen on Sunday": the future tense names the
# coming weekday too (a few words between the verb and the day)
_WILL_AHEAD = re.compile(r"\bwill\s+(?:not\s+)?(?:be\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+$", re.I)


def _next_weekday(name: str, published: date) -> date:
    """The first such weekday after publication ("next Monday", "tomorrow, Monday")."""
    delta = (WEEKDAYS.index(_folded(name)) - published.weekday() - 1) % 7 + 1
    return published + timedelta(days=delta)


def sets_narrative_date(when: When) -> bool:
    """True for a time read from a calendar date or a weekday naming one day: later undated sentences
    of the report happen on that day."""
    return when.basis in ("explicit date", "weekday before publication") and when.end == when.start


def narrative_date(sentence: str, published: date) -> date | None:
    """The day `resolve` dates the sentence to if that sets the narrative date (`sets_narrative_date`),
    else None; only the calendar dates and weekdays are read, since nothing else can set it."""
    s = sentence.lower()
    if not (_DIGIT.search(sentence) or "day" in s):  # no date, no weekday (fast path)
        return None
    when = _calendar_when(sentence, s, published)
    return when.start if when is not None and sets_narrative_date(when) else None


def resolve(sentence: str, published: date, anchor: date | None) -> When:
    """The time a sentence refers to; falls back to the narrative anchor, then to the week before publication."""
    s = sentence.lower()
    return _calendar_when(sentence, s, published) or _relative_when(s, sentence, published, anchor)


def _calendar_when(sentence: str, s: str, published: date) -> When | None:
    """A range, explicit dates or weekdays in the sentence (`s` is it in lower case), or None."""
    has_digit = bool(_DIGIT.search(sentence))  # every calendar date has one: the date regexes need not run without
    rng = _RANGE.search(sentence) if has_digit and "between" in s else None
    if rng:
        month = _month(rng.group(3))
        a = _year_for(month, int(rng.group(1)), rng.group(4), published)
        b = _year_for(month, int(rng.group(2)), rng.group(4), published)
        if a and b:
            return When(a, b, "day", rng.group(0), True)
    low = _low(sentence, s)
    dates = _explicit_dates(sentence, low, published) if has_digit else []
    if dates:
        pos, first = dates[0]
        if _WEEK_TO.search(sentence[:pos + 1]):
            return When(first - timedelta(days=6), first, "week", "the week to " + first.isoformat(), True)
        if len(dates) > 1 and dates[-1][1] > first:
            return When(first, dates[-1][1], "day", "dates in the sentence", True)
        open_ended = bool(_SINCE.search(sentence[:pos])) or s.lstrip().startswith("as of")
        return When(first, None if open_ended else first, "day", "explicit date", True)
    weekdays = _WEEKDAY.finditer(sentence) if _may_name_weekday(s, low) else ()
    days = [_next_weekday(m.group(1), published) if _AHEAD.search(s, max(0, m.start() - 20), m.start())
            or ("will" in s and _WILL_AHEAD.search(s, max(0, m.start() - 50), m.start()))
            else _last_weekday(m.group(1), published) for m in weekdays]
    if days:
        return When(min(days), max(days), "day", "weekday before publication", True)
    return None


def _may_name_weekday(s: str, low: str | None) -> bool:
    """False only when the sentence (`s`: in lower case; `low`: `lower_for_re` of it) names no weekday."""
    if "day" not in s:
        return False
    return low is None or bool(_WEEKDAY_HINT.search(low))


def _relative_when(s: str, sentence: str, published: date, anchor: date | None) -> When:
    """Relative words ("yesterday", "last week"), the narrative date, the present tense, or the week
    before publication: the time of a sentence without a calendar date of its own."""
    rel = [("yesterday", 1, 1, "day"), ("last night", 1, 1, "day"), ("today", 0, 0, "day"), ("this morning", 0, 0, "day"),
           ("tonight", 0, 0, "day"), ("past few days", 4, 0, "week"), ("recent days", 4, 0, "week"),
           ("this week", published.weekday(), 0, "week"), ("past week", 7, 0, "week"), ("recent weeks", 21, 0, "week")]
    for words, back_from, back_to, precision in rel:
        if words in s:
            return When(published - timedelta(days=back_from), published - timedelta(days=back_to), precision, words, True)
    if "last week" in s:
        monday = published - timedelta(days=published.weekday() + 7)
        return When(monday, monday + timedelta(days=6), "week", "last week", True)
    if "last month" in s:
        first_this = published.replace(day=1)
        last_prev = first_this - timedelta(days=1)
        return When(last_prev.replace(day=1), last_prev, "month", "last month", True)
    if anchor is not None:
        for words, back in (("the preceding day", 1), ("the previous day", 1), ("the day before", 1),
                            ("that night", 0), ("that morning", 0), ("that day", 0), ("the same day", 0)):
            if words in s:
                d = anchor - timedelta(days=back)
                return When(d, d, "day", f"{words} (narrative date {anchor.isoformat()})", True)
    low = _low(sentence, s)
    if _PRESENT.search(sentence) if low is None else _PRESENT_LOWER.search(low):
        return When(published, None, "day", "present tense: as of publication")
    if anchor is not None:
        return When(anchor, anchor, "day", f"narrative date {anchor.isoformat()}")
    return When(published - timedelta(days=6), published, "week", "undated: the week to publication")
