"""Road-status events: the dated, sourced statements that put a status on a road, place or area.

An event is stored as a GeoJSON Feature whose geometry is its target's, so a person can read and
edit the file in any GIS; `load_events` validates it against `schemas/events.schema.json` and
names the feature and field at fault, `save_events` writes it atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from routes._atomic import write_atomically
from routes.errors import RoutesError

STATUSES = ("closed", "sniper", "shelling", "congested", "checkpoint", "open", "besieged", "curfew", "corridor")
TARGET_KINDS = ("road", "place", "area")


@dataclass(slots=True)
class Source:
    """Where a statement was published."""

    report_id: str
    published: str
    publisher: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Evidence:
    """The sentence that states the fact, with its character span in the report as given."""

    report_id: str
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Unplaced:
    """A road statement the tool could not put on the map (no place it knows, or only "a road in ..."): kept
    with its sentence so that a reader sees what the map leaves out, never dropped silently."""

    report_id: str
    status: str
    cue: str
    sentence: str
    start: int
    end: int
    date: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class Event:
    """A status on a target for a span of dates, with the reports and sentences it rests on."""

    id: str
    status: str
    target_kind: str
    target_name: str
    place_ids: list[str]
    valid_from: str
    geometry: dict[str, Any]
    source: list[Source]
    evidence: list[Evidence]
    valid_to: str | None = None
    time_precision: str = "day"
    detail: str | None = None
    road_id: str | None = None
    between: list[str] = field(default_factory=list)
    one_way: bool = False
    radius_m: float | None = None
    delay_h: float | None = None
    casualties: int | None = None
    vehicles: int | None = None
    extractor: str = "manual"
    confidence: float = 0.5
    verification: str = "auto"

    @property
    def start(self) -> date:
        return date.fromisoformat(self.valid_from)

    @property
    def end(self) -> date | None:
        return date.fromisoformat(self.valid_to) if self.valid_to else None

    def to_feature(self) -> dict[str, Any]:
        """The GeoJSON Feature (geometry = the target's): what `asdict` gives, built field by field (several
        times faster on the 20,000 events of a long report), every list and dict a copy."""
        props = {name: getattr(self, name) for name in _EVENT_FIELDS}
        props["place_ids"], props["between"] = list(self.place_ids), list(self.between)
        props["source"] = [{name: getattr(x, name) for name in _SOURCE_FIELDS} for x in self.source]
        props["evidence"] = [{name: getattr(x, name) for name in _EVIDENCE_FIELDS} for x in self.evidence]
        return {"type": "Feature", "id": self.id, "geometry": _json_copy(self.geometry), "properties": props}

    @classmethod
    def from_feature(cls, feature: dict[str, Any]) -> "Event":
        p = dict(feature["properties"])
        p["source"] = [Source(**s) for s in p.get("source", [])]
        p["evidence"] = [Evidence(**e) for e in p.get("evidence", [])]
        known = set(cls.__dataclass_fields__)
        return cls(geometry=feature["geometry"], **{k: v for k, v in p.items() if k in known})


_EVENT_FIELDS = [f.name for f in fields(Event) if f.name != "geometry"]
_SOURCE_FIELDS = [f.name for f in fields(Source)]
_EVIDENCE_FIELDS = [f.name for f in fields(Evidence)]


def _json_copy(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, tuples of plain values), as `asdict` makes it."""
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_json_copy(v) for v in value)
    return value


def to_feature_collection(events: Iterable[Event], **meta: Any) -> dict[str, Any]:
    """A FeatureCollection of events, with optional top-level metadata (generator, attribution)."""
    return {"type": "FeatureCollection", **meta, "features": [e.to_feature() for e in events]}


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads((resources.files("routes") / "schemas" / "events.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """The schema compiled by jsonschema-rs: a 10 MB collection checks in hundredths of a second (the Python
    jsonschema takes seconds), so it tells valid files apart and the Python one explains invalid ones."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(_schema())


def validate_collection(doc: Any, origin: str = "events") -> None:
    """Raise RoutesError naming the first bad feature and field."""
    errors = []
    if not _fast_validator().is_valid(doc):
        import jsonschema

        validator = jsonschema.Draft202012Validator(_schema())
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errors:
        _check_dates(doc, origin)
        _check_geometries(doc, origin)
        return
    err = errors[0]
    path = list(err.absolute_path)
    where = "top level"
    if len(path) >= 2 and path[0] == "features":
        idx = path[1]
        fid = None
        try:
            fid = doc["features"][idx].get("properties", {}).get("id")
        except (AttributeError, IndexError, TypeError):
            pass
        field_path = ".".join(str(p) for p in path[2:]) or "feature"
        where = f"feature {idx}" + (f" ({fid})" if fid else "") + f", field {field_path}"
    raise RoutesError(f"{origin}: {where}: {err.message}")


def _check_dates(doc: dict[str, Any], origin: str) -> None:
    for i, f in enumerate(doc["features"]):
        p = f["properties"]
        for key in ("valid_from", "valid_to"):
            if p.get(key):
                try:
                    date.fromisoformat(p[key])
                except ValueError:
                    raise RoutesError(f"{origin}: feature {i} ({p.get('id')}), field properties.{key}: not a date: {p[key]!r}") from None
        if p.get("valid_to") and p["valid_to"] < p["valid_from"]:
            raise RoutesError(f"{origin}: feature {i} ({p.get('id')}), field properties.valid_to: ends before valid_from")


def _check_geometries(doc: dict[str, Any], origin: str) -> None:
    """Reject geometries shapely cannot use (a self-intersecting polygon would fail later, mid-routing)."""
    import shapely
    from shapely.geometry import shape

    for i, f in enumerate(doc["features"]):
        where = f"{origin}: feature {i} ({f['properties'].get('id')}), field geometry"
        try:
            geom = shape(f["geometry"])
        except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
            raise RoutesError(f"{where}: not a usable geometry ({exc})") from None
        if not geom.is_valid:
            raise RoutesError(f"{where}: invalid geometry: {shapely.is_valid_reason(geom)}")


def load_events(path: str | Path) -> list[Event]:
    """Read and validate an events file (GeoJSON FeatureCollection)."""
    return read_events_file(path)[0]


def read_events_file(path: str | Path) -> tuple[list[Event], list[Unplaced]]:
    """An events file's events and the statements it lists as unplaced (its `unplaced` member; none in
    older files), read and validated once."""
    doc = _read_collection(path)
    validate_collection(doc, str(path))
    try:
        unplaced = [Unplaced(**item) for item in doc.get("unplaced", [])]
    except TypeError as exc:  # a missing or unknown field in an edited file
        raise RoutesError(f"{path}: unplaced statements: {exc}") from None
    return [Event.from_feature(f) for f in doc["features"]], unplaced


def _read_collection(path: str | Path) -> Any:
    """The JSON document of an events file; one clear error when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise RoutesError(f"{path}: no such file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RoutesError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise RoutesError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


def save_events(events: Iterable[Event], path: str | Path, **meta: Any) -> Path:
    """Write events as GeoJSON atomically: a temporary file in the same folder, then a rename."""
    path = Path(path)
    doc = to_feature_collection(events, **meta)
    validate_collection(doc, str(path))
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
    return write_atomically(path, write)


def in_force(event: Event, on: date, end: date | None) -> bool:
    """True when `on` falls in [valid_from, end] (end None = open)."""
    return event.start <= on and (end is None or on <= end) and event.verification != "rejected"
