"""Readers and writers for MRIO tables: pymrio IOSystem (in memory or saved folder), CSV/Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import MRIO
from hinterland.errors import DataFileError, SchemaError

__all__ = ["from_pymrio", "read_mrio", "to_pymrio_folder", "write_mrio"]


def _as_industry_index(idx: pd.Index) -> pd.MultiIndex:
    if not isinstance(idx, pd.MultiIndex) or idx.nlevels != 2:
        raise SchemaError(f"expected a 2-level (region, sector) index, got {idx.names}")
    return idx.set_names(["region", "sector"])


def _lexsorted(
    Z: pd.DataFrame, Y: pd.DataFrame, V: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sort regions and sectors lexicographically (as pymrio/BoARIO) so industry i is the same everywhere."""
    regions = sorted(Z.index.get_level_values(0).unique())
    sectors = sorted(Z.index.get_level_values(1).unique())
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    Z = Z.reindex(index=idx, columns=idx)
    Y = Y.reindex(index=idx)
    Y = Y.reindex(columns=sorted(Y.columns))
    V = V.reindex(columns=idx)
    return Z, Y, V


def from_pymrio(io: Any, *, name: str | None = None, unit: str | None = None, sort: bool = True) -> MRIO:
    """An :class:`MRIO` from a pymrio ``IOSystem`` (Z and Y required; x is recomputed).

    Value added is the balancing row x − 1'Z (pymrio test systems carry no separate import row).
    """
    if getattr(io, "Z", None) is None or getattr(io, "Y", None) is None:
        raise SchemaError("pymrio IOSystem has no Z or Y. Fix: load the system fully (io.calc_all()).")
    Z = io.Z.copy()
    Y = io.Y.copy()
    Z.index = _as_industry_index(Z.index)
    Z.columns = _as_industry_index(Z.columns)
    Y.index = _as_industry_index(Y.index)
    Y.columns = Y.columns.set_names(["region", "category"])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = pd.DataFrame(
        [x.to_numpy() - Z.sum(axis=0).to_numpy()],
        index=pd.Index(["value_added"], name="component"),
        columns=Z.columns,
    )
    if sort:
        Z, Y, V = _lexsorted(Z, Y, V)
    if unit is None:
        u = getattr(io, "unit", None)
        unit = str(u.iloc[0, 0]) if isinstance(u, pd.DataFrame) and len(u) else "unknown"
    return MRIO(Z, Y, V, unit=unit, name=name or str(getattr(io, "name", "pymrio")))


def _int_regions(idx: pd.Index) -> pd.Index:
    """Level 0 as int when every label is an integer written as text (adcodes)."""
    if not isinstance(idx, pd.MultiIndex):
        return idx
    lv = idx.levels[0]
    if all(str(v).lstrip("-").isdigit() for v in lv):
        return idx.set_levels(lv.astype(int), level=0)
    return idx


def _read_txt(path: Path, n_index: int, n_header: int) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", index_col=list(range(n_index)), header=list(range(n_header)))


def read_mrio(path: str | Path, *, name: str | None = None) -> MRIO:
    """Read a table saved by :func:`write_mrio` (CSV or Parquet) or by pymrio (``IOSystem.save``).

    Clear errors name the missing file and the expected layout.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(
            f"MRIO folder {path} does not exist. Fix: pass a folder written by "
            "`write_mrio` or pymrio's `IOSystem.save`."
        )
    if (path / "file_parameters.json").exists():
        meta = json.loads((path / "file_parameters.json").read_text())
        files = meta.get("files", {})
        if "Z" not in files or "Y" not in files:
            raise DataFileError(
                f"{path}: pymrio folder without Z/Y files. Fix: save with IOSystem.save_all()."
            )
        Z = _read_txt(
            path / files["Z"]["name"], int(files["Z"]["nr_index_col"]), int(files["Z"]["nr_header"])
        )
        Y = _read_txt(
            path / files["Y"]["name"], int(files["Y"]["nr_index_col"]), int(files["Y"]["nr_header"])
        )
        Z.columns = pd.MultiIndex.from_tuples(list(Z.columns), names=["region", "sector"])
        Y.columns = pd.MultiIndex.from_tuples(list(Y.columns), names=["region", "category"])
        # header rows are read as text: integer region labels (adcodes) come back as '110000'
        Z.index, Y.index = _int_regions(Z.index), _int_regions(Y.index)
        Z.columns, Y.columns = _int_regions(Z.columns), _int_regions(Y.columns)

        class _IO:
            pass

        io = _IO()
        io.Z, io.Y = Z, Y  # type: ignore[attr-defined]
        unit = "unknown"
        if "unit" in files:
            u = _read_txt(path / files["unit"]["name"], int(files["unit"]["nr_index_col"]), 1)
            unit = str(u.iloc[0, 0])
        return from_pymrio(io, name=name or path.name, unit=unit)
    fmt = "parquet" if (path / "Z.parquet").exists() else "csv"
    reader = pd.read_parquet if fmt == "parquet" else None
    parts: dict[str, pd.DataFrame] = {}
    for key in ("Z", "Y", "V", "M"):
        f = path / f"{key}.{fmt}"
        if not f.exists():
            if key == "M":
                parts[key] = pd.DataFrame()
                continue
            raise DataFileError(f"{path}: missing {f.name}. Expected Z, Y, V (and optional M) as {fmt}.")
        long = reader(f) if reader is not None else pd.read_csv(f)
        parts[key] = _from_long(long, key, f)
    meta_file = path / "mrio.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    Z = parts["Z"]
    idx = Z.index
    return MRIO(
        Z.reindex(columns=idx),
        parts["Y"].reindex(index=idx),
        parts["V"].reindex(columns=idx),
        parts["M"].reindex(columns=idx) if not parts["M"].empty else parts["M"],
        unit=str(meta.get("unit", "unknown")),
        name=name or str(meta.get("name", path.name)),
    )


_LAYOUT = {
    "Z": (["region", "sector"], ["region_to", "sector_to"]),
    "Y": (["region", "sector"], ["region_to", "category"]),
    "V": (["component"], ["region_to", "sector_to"]),
    "M": (["sector"], ["region_to", "sector_to"]),
}


def _coerce(values: pd.Series) -> pd.Series:
    try:
        return (
            pd.to_numeric(values).astype(int) if values.dtype == object or values.dtype == "str" else values
        )
    except (ValueError, TypeError):
        return values


def _from_long(long: pd.DataFrame, key: str, f: Path) -> pd.DataFrame:
    rows, cols = _LAYOUT[key]
    need = [*rows, *cols, "value"]
    missing = [c for c in need if c not in long.columns]
    if missing:
        raise SchemaError(f"{f}: missing column(s) {missing}; expected {need} (long format, one flow a row)")
    for c in ("region", "region_to"):
        if c in long.columns:
            long[c] = _coerce(long[c])
    wide = long.pivot_table(index=rows, columns=cols, values="value", aggfunc="sum", sort=False).fillna(0.0)
    if key in ("Z", "V", "M"):
        wide.columns = wide.columns.set_names(["region", "sector"])
    else:
        wide.columns = wide.columns.set_names(["region", "category"])
    return wide


def write_mrio(mrio: MRIO, path: str | Path, fmt: str = "parquet") -> Path:
    """Write Z, Y, V, M as long tables (non-zeros only, float64) plus ``mrio.json`` (unit, name)."""
    if fmt not in ("csv", "parquet"):
        raise DataFileError(f"unknown MRIO format {fmt!r}; expected csv or parquet")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for key, df in (("Z", mrio.Z), ("Y", mrio.Y), ("V", mrio.V), ("M", mrio.M)):
        if df.empty:
            continue
        rows, cols = _LAYOUT[key]
        arr = df.to_numpy()
        r, c = np.nonzero(arr)
        ri, ci = df.index[r], df.columns[c]
        data: dict[str, Any] = {}
        for k, name in enumerate(rows):
            data[name] = ri.get_level_values(k) if isinstance(ri, pd.MultiIndex) else ri
        for k, name in enumerate(cols):
            data[name] = ci.get_level_values(k)
        data["value"] = arr[r, c]
        long = pd.DataFrame(data)
        if fmt == "parquet":
            long.to_parquet(path / f"{key}.parquet", index=False, compression="zstd")
        else:
            long.to_csv(path / f"{key}.csv", index=False, float_format="%.17g")
    (path / "mrio.json").write_text(
        json.dumps(
            {
                "name": mrio.name,
                "unit": mrio.unit,
                **{k: v for k, v in mrio.summary().items() if k not in ("name", "unit")},
            },
            indent=2,
        )
    )
    return path


def to_pymrio_folder(mrio: MRIO, path: str | Path) -> Path:
    """Write Z.txt / Y.txt / file_parameters.json in pymrio's ``IOSystem.save`` layout."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    mrio.Z.to_csv(path / "Z.txt", sep="\t")
    mrio.Y.to_csv(path / "Y.txt", sep="\t")
    params = {
        "files": {
            "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
            "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"},
        },
        "systemtype": "IOSystem",
        "name": mrio.name,
    }
    (path / "file_parameters.json").write_text(json.dumps(params, indent=4))
    return path
