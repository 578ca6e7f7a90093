"""The gazetteer's records: a place (point, area or road) and a ranked candidate for a looked-up name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("country", "admin_area", "settlement", "neighbourhood", "landmark", "checkpoint", "border_crossing", "road")


@dataclass(frozen=True)
class RoadSpec:
    """How a road entry maps onto graph edges: by `ref`, by OSM `name`, or as the path through named places."""

    refs: tuple[str, ...] = ()
    osm_names: tuple[str, ...] = ()
    via: tuple[str, ...] = ()  # place ids the road passes, in order; the first and last bound it


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: stable id, canonical name, every spelling, kind, geometry, context and provenance."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    names: tuple[str, ...] = ()
    country: str | None = None
    admin: str | None = None
    population: int = 0
    geometry: dict[str, Any] | None = None  # GeoJSON Polygon/LineString when the place is more than a point
    source: str = ""
    licence: str = ""
    road: RoadSpec | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (no polygon, to keep CLI output short)."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "lat": round(self.lat, 5),
                "lon": round(self.lon, 5), "country": self.country, "admin": self.admin,
                "population": self.population, "source": self.source, "licence": self.licence}


@dataclass(frozen=True)
class Candidate:
    """A place proposed for a name, with the match score (0–100) and why it was proposed."""

    place: Place
    score: float
    reason: str
    rank: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {**self.place.to_dict(), "score": round(self.score, 1), "reason": self.reason}
