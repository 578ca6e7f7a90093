"""The documented defaults for reading events onto a graph, in one place that every step can import."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StatusDefaults:
    """Documented defaults for reading events onto the graph.

    radius_m: how far from a point (a town, a roundabout, a checkpoint) a point event reaches.
    in_force_days: how long an event with no `valid_to` stays in force after `valid_from`
      (a jam is news for a day or two; a closure or siege until a report says otherwise, but a
      report older than two months with nothing newer is treated as stale).
    delay_h: the delay of a jam or a checkpoint whose report gives no figure; for a curfew, the wait
      at the area's edge before traffic may leave or enter (a curfew holds traffic, it does not
      remove the road).
    risk_per_km: the risk cost of a kilometre under sniper fire or shelling, in seconds of travel
      time, used by the least-exposed routes.
    """

    radius_m: dict[str, float] = field(default_factory=lambda: {
        "closed": 1500, "sniper": 1500, "shelling": 3000, "congested": 2000, "checkpoint": 500,
        "open": 1000, "besieged": 3000, "curfew": 8000, "corridor": 1000})
    in_force_days: dict[str, int] = field(default_factory=lambda: {
        "closed": 60, "besieged": 60, "open": 30, "corridor": 14, "checkpoint": 7,
        "sniper": 3, "shelling": 3, "congested": 2, "curfew": 1})
    delay_h: dict[str, float] = field(default_factory=lambda: {"congested": 1.0, "checkpoint": 0.25, "curfew": 6.0})
    risk_per_km: dict[str, float] = field(default_factory=lambda: {"sniper": 1800.0, "shelling": 900.0})


DEFAULTS = StatusDefaults()
EXPOSURE_STATUSES = ("sniper", "shelling")
# an area closure with this detail closes only the roads crossing the area's edge ("the roads in and out of
# Aleppo were closed"), as a siege does, instead of every road inside it
EXITS_ONLY = "roads in and out"
