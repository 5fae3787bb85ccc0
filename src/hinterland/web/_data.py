"""Read-only data behind the map: regions, indicator layers, cached score layers and province shapes."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry import mapping, shape

from hinterland.containers import Dataset
from hinterland.errors import UnknownIdError

__all__ = [
    "SCORE_OPTIONS",
    "ScoreCache",
    "geometry",
    "indicator_values",
    "layer_catalogue",
    "region_records",
]

# the startup evaluation behind the score layers (defaults of `hinterland evaluate`, fewer draws)
SCORE_OPTIONS: dict[str, Any] = {"figures": False, "draws": 200, "permutations": 99}
_SCORE_LABELS = {"score": ("综合得分", "Composite score"), "rank": ("综合排名", "Rank (1 = best)")}


def region_records(ds: Dataset) -> list[dict[str, Any]]:
    t = ds.regions.table
    rows = []
    for code, r in t.iterrows():
        rows.append(
            {
                "id": int(code),  # type: ignore[call-overload]
                **{
                    k: r[k]
                    for k in (
                        "name_zh",
                        "short_zh",
                        "name_en",
                        "role",
                        "macro_region",
                        "capital_zh",
                        "capital_en",
                    )
                },
                "coastal": bool(r["coastal"]),
                "land_border": bool(r["land_border"]),
                "role_rationale": str(r["role_rationale"]),
            }
        )
    return rows


def _clean(v: Any) -> float | None:
    f = float(v)
    return None if math.isnan(f) or math.isinf(f) else f


def indicator_values(
    ds: Dataset, indicator: str, year: int | None
) -> tuple[int, list[tuple[int, float | None]]]:
    """(year, [(region, value)]) for one indicator; unknown indicator or year → UnknownIdError."""
    years = ds.panel.years(indicator)
    y = years[-1] if year is None else int(year)
    s = ds.panel.series(indicator, y)
    return y, [(int(r), _clean(v)) for r, v in s.items()]  # type: ignore[call-overload]


def layer_catalogue(ds: Dataset) -> list[dict[str, Any]]:
    cat = ds.panel.catalogue
    out = []
    for ind in ds.panel.indicators:
        row = cat.loc[ind]
        out.append(
            {
                "id": ind,
                "group": "indicator",
                "label_zh": str(row["label_zh"]),
                "label_en": str(row["label_en"]),
                "unit": str(row["unit"]),
                "direction": str(row["direction"]),
                "years": ds.panel.years(ind),
            }
        )
    return out


class ScoreCache:
    """Score layers read from the folder the startup evaluation job wrote (never computed here)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self._lock = threading.Lock()
        self._tables: tuple[pd.DataFrame, pd.DataFrame] | None = None

    def set_folder(self, folder: Path) -> None:
        with self._lock:
            self.folder = folder
            self._tables = None

    def _load(self) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        with self._lock:
            if self._tables is None and self.folder is not None and (self.folder / "scores.csv").exists():
                scores = pd.read_csv(self.folder / "scores.csv", index_col=0)
                dims = pd.read_csv(self.folder / "dimension_weights.csv", index_col=0)
                self._tables = (scores, dims)
            return self._tables

    def layers(self) -> list[dict[str, Any]]:
        tables = self._load()
        if tables is None:
            return []
        scores, dims = tables
        out = [
            {
                "id": k,
                "group": "score",
                "label_zh": zh,
                "label_en": en,
                "direction": "benefit" if k == "score" else "cost",
            }
            for k, (zh, en) in _SCORE_LABELS.items()
        ]
        for d, row in dims.iterrows():
            if d in scores.columns:
                out.append(
                    {
                        "id": str(d),
                        "group": "score",
                        "label_zh": f"{row.get('label_zh', d)}（维度得分）",
                        "label_en": f"{row.get('label_en', d)} (dimension score)",
                        "direction": "benefit",
                    }
                )
        return out

    def values(self, layer: str) -> list[tuple[int, float | None]]:
        tables = self._load()
        if tables is None:
            raise RuntimeError("score layers not ready")
        ids = {lay["id"] for lay in self.layers()}
        if layer not in ids:
            raise UnknownIdError(f"unknown score layer {layer!r}; known: {', '.join(sorted(ids))}")
        col = tables[0][layer]
        return [(int(r), _clean(v)) for r, v in col.items()]


_geo_cache: dict[tuple[int, float], dict[str, Any]] = {}
_geo_lock = threading.Lock()


def _round(obj: Any, nd: int) -> Any:
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [_round(o, nd) for o in obj]
    return obj


def geometry(ds: Dataset, tolerance: float) -> dict[str, Any]:
    """Province shapes as a GeoJSON FeatureCollection, simplified (degrees) and rounded; cached."""
    key = (id(ds), tolerance)
    with _geo_lock:
        if key in _geo_cache:
            return _geo_cache[key]
        names = ds.regions.table
        features = []
        for code, feat in sorted(ds.geography.features.items()):
            geom = shape(feat["geometry"])
            if tolerance > 0:
                geom = geom.simplify(tolerance, preserve_topology=True)
            gj = mapping(geom)
            coords = gj["coordinates"]
            if gj["type"] == "Polygon":  # always MultiPolygon, whatever simplification left
                coords = [coords]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "region": int(code),
                        "name_zh": str(names.at[code, "short_zh"]) if code in names.index else "",
                        "name_en": str(names.at[code, "name_en"]) if code in names.index else "",
                    },
                    "geometry": {"type": "MultiPolygon", "coordinates": _round(coords, 4)},
                }
            )
        out = {"type": "FeatureCollection", "features": features}
        _geo_cache[key] = out
        return out
