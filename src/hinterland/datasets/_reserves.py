"""Demand points for reserve-depot siting, and readers for user location instances.

Bundled: ``china_data/demand/cities.csv`` (367 city-level units) and ``counties.csv`` (~2,900 county
units), 2020 census population with lon/lat (built by ``scripts/china/build_demand_points.py``).

User instances (``hinterland reserves --demand FILE --candidates FILE --cost FILE``):

* demand: ``id`` (or ``node``) and ``weight`` (or ``population``/``demand``); optional ``lon``, ``lat``;
* candidates: ``id`` (or ``site``); optional ``capacity``, ``fixed_cost``, ``existing`` (0/1), ``lon``,
  ``lat``;
* cost: long (``demand_id, site_id, cost``; ``from/to/time`` accepted) or wide (first column the
  demand id, one column per site id). Empty or ``inf`` = unreachable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.datasets._china import china_data_dir
from hinterland.datasets._readers import read_table
from hinterland.errors import ConfigError, DataFileError, Problem, SchemaError, ValidationError

__all__ = ["DEMAND_LEVELS", "load_demand_points", "read_location_files"]

DEMAND_LEVELS = ("city", "county")
_ID = ("id", "node", "site", "demand_id", "site_id", "code", "adcode")
_WEIGHT = ("weight", "population", "pop", "pop_2020", "demand")


@lru_cache(maxsize=2)
def load_demand_points(level: str = "city") -> pd.DataFrame:
    """Bundled demand points indexed by ``node`` (adcode) with ``name_zh, region, pop_2020, lon, lat``."""
    if level not in DEMAND_LEVELS:
        raise ConfigError(f"unknown demand level {level!r}; expected one of {', '.join(DEMAND_LEVELS)}")
    path = china_data_dir() / "demand" / ("cities.csv" if level == "city" else "counties.csv")
    if not path.exists():
        raise DataFileError(f"bundled demand points {path} missing. Fix: rebuild with `make dataset`.")
    return pd.read_csv(path).set_index("node")


def _pick(df: pd.DataFrame, names: tuple[str, ...], path: Path, what: str) -> str:
    lower = {str(c).strip().lower(): c for c in df.columns}
    for n in names:
        if n in lower:
            return str(lower[n])
    raise SchemaError(
        f"{path}: no {what} column; expected one of {list(names)}, found {list(df.columns)}. "
        f"Fix: rename the {what} column."
    )


def _ids(series: pd.Series) -> pd.Index:
    try:
        return pd.Index(series.astype("int64"))
    except (TypeError, ValueError):
        return pd.Index(series.astype(str).str.strip())


def _numeric(df: pd.DataFrame, col: str, path: Path, *, allow_inf: bool = False) -> pd.Series:
    values = pd.to_numeric(df[col], errors="coerce")
    bad = (values.isna() & (df[col].astype(str).str.strip() != "")) | (values < 0)
    if not allow_inf:
        bad |= np.isinf(values)
    if bad.any():
        raise ValidationError(
            [
                Problem(
                    "number",
                    f"{df[col][i]!r} is not a number ≥ 0",
                    file=str(path),
                    row=int(i) + 2,
                    column=col,
                )
                for i in np.flatnonzero(bad.to_numpy())[:20]
            ],
            str(path),
        )
    return values


def read_location_files(
    demand: str | Path, candidates: str | Path, cost: str | Path
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read a user instance: ``(demand [index node: weight, ...], sites [index site: capacity,
    fixed_cost, existing, ...], cost [node × site, inf = unreachable])``; ids are checked across files."""
    dp, cp, kp = Path(demand), Path(candidates), Path(cost)
    d = read_table(dp)
    id_col = _pick(d, _ID, dp, "id")
    w_col = _pick(d, _WEIGHT, dp, "weight")
    dem = pd.DataFrame({"weight": _numeric(d, w_col, dp).fillna(0.0).to_numpy()}, index=_ids(d[id_col]))
    for extra in ("lon", "lat", "name"):
        if extra in d.columns:
            dem[extra] = d[extra].to_numpy()
    dem.index.name = "node"
    c = read_table(cp)
    sid = _pick(c, _ID, cp, "id")
    sites = pd.DataFrame(index=_ids(c[sid]))
    sites.index.name = "site"
    sites["capacity"] = (
        _numeric(c, "capacity", cp, allow_inf=True).fillna(np.inf).to_numpy() if "capacity" in c else np.inf
    )
    sites["fixed_cost"] = _numeric(c, "fixed_cost", cp).fillna(1.0).to_numpy() if "fixed_cost" in c else 1.0
    sites["existing"] = (_numeric(c, "existing", cp).fillna(0) > 0).to_numpy() if "existing" in c else False
    for extra in ("lon", "lat", "name"):
        if extra in c.columns:
            sites[extra] = c[extra].to_numpy()
    for what, ids, p in (("demand", dem.index, dp), ("candidate", sites.index, cp)):
        if ids.has_duplicates:
            raise SchemaError(
                f"{p}: duplicate {what} id(s) {ids[ids.duplicated()].tolist()[:10]}. Fix: make ids unique."
            )
    k = read_table(kp)
    lower = [str(x).strip().lower() for x in k.columns]
    if len(k.columns) == 3 and any(n in lower for n in ("cost", "time", "hours", "distance", "value")):
        a, b, v = k.columns
        k = k.assign(**{a: _ids(k[a]), b: _ids(k[b])})
        vals = _numeric(k, str(v), kp, allow_inf=True)
        wide = pd.DataFrame({"a": k[a], "b": k[b], "v": vals}).pivot_table(
            index="a", columns="b", values="v", aggfunc="min"
        )
    else:
        wide = k.set_index(k.columns[0])
        wide.index = _ids(wide.index.to_series())
        wide.columns = _ids(pd.Series(wide.columns))
        wide = wide.apply(pd.to_numeric, errors="coerce")
    missing_d = [x for x in dem.index if x not in wide.index]
    missing_s = [x for x in sites.index if x not in wide.columns]
    if missing_d or missing_s:
        raise SchemaError(
            f"{kp}: cost matrix lacks demand id(s) {missing_d[:10]} and/or site id(s) {missing_s[:10]}. "
            "Fix: give a cost (or leave it empty for unreachable) for every demand × candidate pair."
        )
    mat = wide.reindex(index=dem.index, columns=sites.index).astype(float)
    if (mat < 0).any().any():
        raise ValidationError([Problem("non_negative", "negative cost entries", file=str(kp))], str(kp))
    mat = mat.fillna(np.inf)
    mat.index.name, mat.columns.name = "node", "site"
    return dem, sites, mat
