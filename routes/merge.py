"""Events of many reports merged into one timeline: repeated reports of a status on a target become one
event with all their sources, and a later contradicting report ends an earlier one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Iterable

from routes.events import Event
from routes.status import effective_end


def _target_key(e: Event) -> str:
    """What makes two events' targets one: the road, a road told by its two ends in either order ("between
    Tabqa and Salamiyya", "connecting Salamiyya with Tabqa"), or the place and its name."""
    if e.road_id:
        return e.road_id
    if len(e.between) == 2:
        return "between|" + "|".join(sorted(e.between))
    return (e.place_ids[0] if e.place_ids else "") + "|" + e.target_name


def _overlap(a: Event, b: Event) -> bool:
    """True when two events' date ranges overlap or touch (open ends run on forever)."""
    day = timedelta(days=1)
    return (b.end is None or a.start <= b.end + day) and (a.end is None or b.start <= a.end + day)


def _copy(e: Event) -> Event:
    """A copy of an event that `consolidate` may change without touching the original: its own lists and
    geometry dict (the sources, evidence and coordinates in them are only read, so they are shared)."""
    return replace(e, place_ids=list(e.place_ids), between=list(e.between), source=list(e.source),
                   evidence=list(e.evidence), geometry=dict(e.geometry))


def consolidate(events: Iterable[Event]) -> list[Event]:
    """Merge repeated reports of one status on one target; let a later contradicting report end an earlier one.

    Events only ever meet others on the same target, so each is compared with those alone (indexed by
    target): a 10 MB report's 20,000 events merge in a fraction of a second instead of minutes."""
    merged: list[Event] = []
    same: dict[tuple[str, str], list[Event]] = {}  # (status, target) → its merged events, in order
    for e in sorted(map(_copy, events), key=lambda x: (x.valid_from, x.id)):
        group = same.setdefault((e.status, _target_key(e)), [])
        twin = next((m for m in group if _overlap(m, e)), None)
        if twin is None:
            merged.append(e)
            group.append(e)
            continue
        twin.valid_from = min(twin.valid_from, e.valid_from)
        twin.valid_to = None if (twin.valid_to is None or e.valid_to is None) else max(twin.valid_to, e.valid_to)
        twin.evidence += [ev for ev in e.evidence if ev not in twin.evidence]
        twin.source += [s for s in e.source if s not in twin.source]
        twin.place_ids += [p for p in e.place_ids if p not in twin.place_ids]
        twin.confidence = round(1 - (1 - twin.confidence) * (1 - e.confidence), 2)
        twin.delay_h = max(x for x in (twin.delay_h, e.delay_h, 0) if x is not None) or None
    on_target: dict[str, list[Event]] = {}  # target → its merged events of any status, in order
    for m in merged:
        on_target.setdefault(_target_key(m), []).append(m)
    opposite = {"open": "closed", "closed": "open"}
    for later in merged:
        for earlier in on_target[_target_key(later)]:
            if earlier is later or opposite.get(earlier.status) != later.status:
                continue
            if earlier.start < later.start and (earlier.end is None or earlier.end >= later.start):
                # ended by the later report, but never stretched past the time it would have lapsed anyway
                earlier.valid_to = min(later.start - timedelta(days=1), effective_end(earlier)).isoformat()
    return merged
