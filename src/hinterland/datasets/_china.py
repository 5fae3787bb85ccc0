"""Load the bundled China dataset (31 provincial-level regions) from the package's data files."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland.containers import REGION, Dataset, Geography, IndicatorPanel, Regions
from hinterland.errors import DataFileError

__all__ = ["china_data_dir", "load_china", "national_totals"]

_DATA_PACKAGE = "hinterland.datasets"
_DATA_DIR = "china_data"


def china_data_dir() -> Path:
    """Folder holding the bundled tables (CSV and GeoJSON, see ``tables.csv`` there)."""
    return Path(str(resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR)))


def _read_csv(name: str, **kwargs: Any) -> pd.DataFrame:
    path = china_data_dir() / name
    if not path.exists():
        raise DataFileError(
            f"bundled data file {path} is missing. Fix: reinstall hinterland, or rebuild the dataset "
            "with `make dataset` (needs ../shared/data/china)."
        )
    return pd.read_csv(path, **kwargs)


def _square(long: pd.DataFrame, value: str) -> pd.DataFrame:
    wide = long.pivot(index="adcode_from", columns="adcode_to", values=value)
    wide.index.name = REGION
    wide.columns.name = "region_to"
    return wide.sort_index().sort_index(axis=1)


@lru_cache(maxsize=1)
def load_china() -> Dataset:
    """The bundled dataset: regions, indicator panel, geography, sources and table manifest.

    Cached: repeated calls return the same immutable object.
    """
    regions = _read_csv("regions.csv").set_index("adcode")
    regions.index.name = REGION
    regions["coastal"] = regions["coastal"].astype(bool)
    regions["land_border"] = regions["land_border"].astype(bool)

    panel_long = _read_csv("indicators.csv").rename(columns={"adcode": "region"})
    catalogue = _read_csv("indicator_catalogue.csv", keep_default_na=False).set_index("indicator")
    panel = IndicatorPanel.from_long(panel_long, catalogue, origin="bundled")

    geo_path = china_data_dir() / "provinces.geojson"
    if not geo_path.exists():
        raise DataFileError(f"bundled data file {geo_path} is missing. Fix: reinstall hinterland.")
    collection = json.loads(geo_path.read_text(encoding="utf-8"))
    features = {int(f["properties"]["adcode"]): f for f in collection["features"]}
    geography = Geography(
        features=features,
        adjacency=_read_csv("adjacency.csv"),
        distance_km=_square(_read_csv("capital_distance_km.csv"), "distance_km"),
        freight_cost=_square(_read_csv("road_freight_cost.csv"), "cost_yuan_per_t"),
    )
    sources = _read_csv("sources.csv", keep_default_na=False).set_index("source_id")
    tables = _read_csv("tables.csv", keep_default_na=False).set_index("table")
    return Dataset(Regions(regions), panel, geography, sources, tables)


@lru_cache(maxsize=1)
def national_totals() -> pd.DataFrame:
    """Published national totals (year, indicator, value, source_id, notes) used by consistency checks."""
    return _read_csv("national_totals.csv", keep_default_na=False)
