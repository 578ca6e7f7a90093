"""Which OSM tags become graph attributes, and which highway classes each network type keeps.

Shared by every loader so that a graph looks the same whatever file format it came from.
"""

from __future__ import annotations

# Way tags copied onto edges (a superset of osmnx's defaults: Arabic names, refs, provenance).
WAY_TAGS: tuple[str, ...] = (
    "highway", "ref", "int_ref", "name", "name:ar", "name:en", "alt_name", "oneway", "junction",
    "maxspeed", "lanes", "bridge", "tunnel", "surface", "access", "service", "width",
    "source", "note",
)
# Node tags copied onto nodes: names and the kinds of point a report may name.
NODE_TAGS: tuple[str, ...] = (
    "highway", "junction", "ref", "name", "name:ar", "name:en", "place", "barrier", "military",
    "source", "source:position",
)

_DRIVE = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "road", "motorway_link", "trunk_link", "primary_link", "secondary_link",
    "tertiary_link",
}
NETWORK_TYPES: dict[str, set[str] | None] = {
    "drive": _DRIVE,
    "drive_service": _DRIVE | {"service", "track"},
    "walk": _DRIVE - {"motorway", "motorway_link", "trunk", "trunk_link"}
    | {"service", "track", "footway", "path", "pedestrian", "steps", "living_street"},
    "all": None,  # every way with a highway tag
}

# Speeds (km/h) for highway classes that carry no usable maxspeed: rural Syrian roads, conservative.
DEFAULT_SPEEDS_KPH: dict[str, float] = {
    "motorway": 100, "trunk": 90, "primary": 70, "secondary": 60, "tertiary": 50,
    "unclassified": 40, "residential": 30, "living_street": 10, "road": 40,
    "motorway_link": 50, "trunk_link": 45, "primary_link": 40, "secondary_link": 35,
    "tertiary_link": 30, "service": 20, "track": 20, "footway": 5, "path": 5,
    "pedestrian": 5, "steps": 3, "cycleway": 15,
}

ONEWAY_TRUE = {"yes", "true", "1"}
ONEWAY_REVERSE = {"-1", "reverse"}


def tag_values(value: object) -> list[str]:
    """The values of a tag as osmnx stores it (a string, a `;`-list, or a list after simplification)."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    items = value if isinstance(value, list) else [value]
    return [part.strip() for v in items for part in str(v).split(";") if part.strip()]


def keeps_highway(highway: object, network_type: str) -> bool:
    """True when an edge of class `highway` (a string or osmnx's list of strings) belongs to the network type."""
    allowed = NETWORK_TYPES[network_type]
    if allowed is None:
        return highway is not None
    values = highway if isinstance(highway, list) else [highway]
    return any(v in allowed for v in values)
