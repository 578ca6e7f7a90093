"""The straight pieces of every edge geometry in flat numpy arrays, for circle questions without GEOS.

Point events (a sniper at a roundabout, shelling around a village) are circles. Which edges pass within a
circle, and how much of each lies inside it, has a closed form per straight segment. Computing it in numpy
over all candidate segments at once is several times faster than buffering the circle into a polygon and
intersecting it with each edge, and it is exact for the circle instead of its 64-gon.

Coordinates are lon/lat degrees, like the graph's geometries; radii are in the same degrees, as
`shapely`'s `dwithin` and `buffer` take them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Sequence

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Circle:
    """A circle in lon/lat degrees: the zone of a point event."""

    x: float
    y: float
    r: float


class Segments:
    """Every straight segment of a list of line geometries, with the position of the geometry it belongs to.

    Segments are ordered by geometry, so those of geometry i are `first[i]:first[i + 1]`."""

    def __init__(self, geoms: np.ndarray) -> None:
        if (shapely.get_type_id(geoms) == 1).all():  # all LineStrings, as osmnx makes them: no parts to split
            parts, part_owner = geoms, np.arange(len(geoms))
        else:
            parts, part_owner = shapely.get_parts(geoms, return_index=True)
        coords, coord_part = shapely.get_coordinates(parts, return_index=True)
        start = np.flatnonzero(coord_part[1:] == coord_part[:-1])  # a segment joins two points of one part
        self.x0, self.y0 = coords[start, 0], coords[start, 1]
        self.dx, self.dy = coords[start + 1, 0] - self.x0, coords[start + 1, 1] - self.y0
        self.owner = part_owner[coord_part[start]]
        self.first = np.searchsorted(self.owner, np.arange(len(geoms) + 1))
        self.length = np.hypot(self.dx, self.dy)
        self.owner_length = np.bincount(self.owner, weights=self.length, minlength=len(geoms))

    def prepare(self) -> None:
        """Build the look-up structures now (built on first use otherwise): before a cache stores them."""
        self._samples

    @cached_property
    def _samples(self) -> tuple[cKDTree, np.ndarray, float]:
        """The centres of pieces no longer than `spacing` of every segment, in a k-d tree, and their segments.

        Every point of a piece lies within spacing / 2 of its centre, so the centres within r + spacing / 2
        of a point find every segment within r of it."""
        n = len(self.length)
        if not n:
            return cKDTree(np.zeros((1, 2))), np.zeros(0, dtype=np.int64), 0.0
        # the median segment, unless a few very long segments would make the pieces many times the segments
        spacing = max(float(np.median(self.length)), float(self.length.sum()) / n, 1e-12)
        per = np.maximum(np.ceil(self.length / spacing).astype(np.int64), 1)
        seg = np.repeat(np.arange(n), per)
        t = (np.arange(len(seg)) - np.repeat(np.cumsum(per) - per, per) + 0.5) / np.repeat(per, per)
        xy = np.column_stack([self.x0[seg] + t * self.dx[seg], self.y0[seg] + t * self.dy[seg]])
        return cKDTree(xy), seg, spacing

    def owners_within(self, circle: Circle) -> np.ndarray:
        """Positions (sorted, unique) of the geometries passing within the circle, its rim included."""
        return self.owners_within_each([circle])[0]

    def owners_within_each(self, circles: Sequence[Circle], batch: int = 256) -> list[np.ndarray]:
        """`owners_within` for many circles at once: one k-d tree query and one pass of numpy per batch,
        instead of a round of small calls per circle."""
        out: list[np.ndarray] = []
        for lo in range(0, len(circles), batch):
            out += self._owners_within_batch(circles[lo:lo + batch])
        return out

    def _owners_within_batch(self, circles: Sequence[Circle]) -> list[np.ndarray]:
        tree, sample_seg, spacing = self._samples
        if not len(sample_seg) or not len(circles):
            return [np.zeros(0, dtype=np.int64) for _ in circles]
        cx, cy, r = (np.array([getattr(c, a) for c in circles], dtype=float) for a in ("x", "y", "r"))
        near = tree.query_ball_point(np.column_stack([cx, cy]), r + spacing / 2, return_sorted=False)
        sizes = np.fromiter((len(n) for n in near), dtype=np.int64, count=len(circles))
        which = np.repeat(np.arange(len(circles)), sizes)  # the circle of each candidate
        segs = sample_seg[np.fromiter(chain.from_iterable(near), dtype=np.int64, count=int(sizes.sum()))]
        fx, fy = cx[which] - self.x0[segs], cy[which] - self.y0[segs]  # repeats are cheaper to measure than to remove
        dx, dy, l2 = self.dx[segs], self.dy[segs], self.length[segs] ** 2
        t = np.clip(np.divide(fx * dx + fy * dy, l2, out=np.zeros_like(l2), where=l2 > 0), 0.0, 1.0)
        hit = np.hypot(fx - t * dx, fy - t * dy) <= r[which]
        n_owners = len(self.first) - 1
        pairs = np.unique(which[hit] * n_owners + self.owner[segs[hit]])  # sorted by circle, then geometry
        bounds = np.searchsorted(pairs, np.arange(len(circles) + 1) * n_owners)
        return [pairs[bounds[i]:bounds[i + 1]] - i * n_owners for i in range(len(circles))]

    def fraction_inside(self, owners: np.ndarray, circle: Circle) -> np.ndarray:
        """For each geometry position in `owners`, the share of its length inside the circle (0 to 1)."""
        segs, counts = self._segments_of(owners)
        fx, fy = self.x0[segs] - circle.x, self.y0[segs] - circle.y
        dx, dy = self.dx[segs], self.dy[segs]
        a = dx * dx + dy * dy
        b = 2.0 * (fx * dx + fy * dy)
        disc = b * b - 4.0 * a * (fx * fx + fy * fy - circle.r * circle.r)
        ok = (a > 0) & (disc > 0)
        root = np.sqrt(np.where(ok, disc, 0.0))
        two_a = np.where(ok, 2.0 * a, 1.0)
        enter = np.maximum((-b - root) / two_a, 0.0)  # where the segment's line enters and leaves the circle,
        leave = np.minimum((-b + root) / two_a, 1.0)  # as fractions of the segment
        inside = np.where(ok, np.maximum(leave - enter, 0.0), 0.0) * self.length[segs]
        return self._shares(owners, counts, inside)

    def fraction_inside_polygon(self, owners: np.ndarray, polygon: BaseGeometry) -> np.ndarray | None:
        """For each geometry position in `owners`, the share of its length inside a polygon (0 to 1).

        Each segment is cut where it crosses the polygon's rings; a piece counts when its midpoint lies in the
        polygon (rim included). Work grows with segments × rim edges, so callers pass only the geometries
        that cross the rim; above `POLYGON_WORK_LIMIT` this returns None and GEOS is the better tool."""
        segs, counts = self._segments_of(owners)
        rim = _rim_edges(polygon)
        if len(segs) * len(rim[0]) > POLYGON_WORK_LIMIT:
            return None
        x0, y0, dx, dy = (a[segs][:, None] for a in (self.x0, self.y0, self.dx, self.dy))
        ax, ay, ex, ey = (r[None, :] for r in rim)
        denom = dx * ey - dy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((ax - x0) * ey - (ay - y0) * ex) / denom  # along the segment
            u = ((ax - x0) * dy - (ay - y0) * dx) / denom  # along the rim edge
        cuts = np.where((denom != 0) & (t > 0) & (t < 1) & (u >= 0) & (u <= 1), t, np.nan)
        cuts = np.sort(np.hstack([np.zeros((len(segs), 1)), cuts, np.ones((len(segs), 1))]), axis=1)  # NaN last
        piece = np.diff(cuts, axis=1)
        real = np.isfinite(piece) & (piece > 0)
        row, col = np.nonzero(real)
        mid = cuts[row, col] + piece[row, col] / 2
        inside_piece = shapely.intersects_xy(polygon, self.x0[segs][row] + mid * self.dx[segs][row],
                                             self.y0[segs][row] + mid * self.dy[segs][row])
        inside = np.bincount(row, weights=np.where(inside_piece, piece[row, col], 0.0), minlength=len(segs))
        return self._shares(owners, counts, inside * self.length[segs])

    def _segments_of(self, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The segment positions of some geometries, in order, and how many each geometry has."""
        counts = self.first[owners + 1] - self.first[owners]
        segs = np.repeat(self.first[owners] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        return segs, counts

    def _shares(self, owners: np.ndarray, counts: np.ndarray, inside: np.ndarray) -> np.ndarray:
        """Per geometry, the sum of its segments' inside lengths over its whole length (capped at 1)."""
        per_owner = np.bincount(np.repeat(np.arange(len(owners)), counts), weights=inside, minlength=len(owners))
        return length_shares(per_owner, self.owner_length[owners])


def length_shares(inside: np.ndarray, full: np.ndarray) -> np.ndarray:
    """inside / full, capped at 1; a geometry of no length counts as wholly inside."""
    return np.minimum(1.0, np.divide(inside, full, out=np.ones_like(full), where=full > 0))


# segments × rim edges above which a polygon is measured by GEOS instead (memory of the arrays above)
POLYGON_WORK_LIMIT = 2_000_000


def _rim_edges(polygon: BaseGeometry) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Start x, start y, dx, dy of every edge of every ring of a (multi)polygon."""
    rings = shapely.get_rings(shapely.get_parts(polygon))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    start = np.flatnonzero(ring[1:] == ring[:-1])
    return coords[start, 0], coords[start, 1], coords[start + 1, 0] - coords[start, 0], coords[start + 1, 1] - coords[start, 1]
