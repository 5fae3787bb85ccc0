"""Write a dataset's tables to a folder as CSV, one Excel workbook, or Parquet."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from hinterland.containers import Dataset
from hinterland.errors import ConfigError, DataFileError

__all__ = ["EXPORT_FORMATS", "dataset_tables", "export_dataset", "guard_outputs"]

EXPORT_FORMATS = ("csv", "xlsx", "parquet")


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset as named flat tables (what the exporters write)."""
    panel = ds.panel
    layers = panel.layers.drop(columns="priority")
    tables = {
        "regions": ds.regions.table.reset_index(),
        "indicators": panel.data,
        "indicator_catalogue": panel.catalogue.reset_index(),
        "adjacency": ds.geography.adjacency,
        "capital_distance_km": ds.geography.distance_km.reset_index(),
        "road_freight_cost_yuan_per_t": ds.geography.freight_cost.reset_index(),
        "sources": ds.sources.reset_index(),
        "tables": ds.tables.reset_index(),
    }
    if len(panel.origins) > 1:
        tables["indicators_all_layers"] = layers
    return tables


def guard_outputs(paths: Iterable[Path], protected: Iterable[Path]) -> None:
    """Refuse to write over any of the user's input files."""
    inputs = {Path(p).resolve() for p in protected}
    for path in paths:
        if path.resolve() in inputs:
            raise ConfigError(
                f"refusing to overwrite your input file {path}. Fix: choose another --out folder."
            )


def export_dataset(
    ds: Dataset, out: str | Path, fmt: str = "csv", protected: Iterable[Path] = ()
) -> list[Path]:
    """Write every table of ``ds`` into ``out`` (created if needed) and return the paths written."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise DataFileError(f"{folder} exists and is not a folder. Fix: pass a folder path to --out.")
    folder.mkdir(parents=True, exist_ok=True)
    tables = dataset_tables(ds)
    geojson = folder / "provinces.geojson"
    if fmt == "xlsx":
        targets = [folder / "hinterland_china_dataset.xlsx", geojson]
    else:
        targets = [folder / f"{name}.{fmt}" for name in tables] + [geojson]
    guard_outputs(targets, protected)
    if fmt == "xlsx":
        with pd.ExcelWriter(targets[0], engine="openpyxl") as writer:
            for name, table in tables.items():
                table.to_excel(writer, sheet_name=name[:31], index=False)
    else:
        for table, target in zip(tables.values(), targets, strict=False):
            if fmt == "csv":
                table.to_csv(target, index=False)
            else:
                table.to_parquet(target, index=False)
    features = [ds.geography.features[k] for k in sorted(ds.geography.features)]
    geojson.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8"
    )
    return targets
