"""Indicator systems (stored as YAML or CSV) and the decision matrix they produce from a dataset.

A system has **dimensions** (criterion layer) and **indicators** (indicator layer). Each indicator names
its dimension, direction, unit, source, the reason it is there, and how it is obtained (``derive``):

========================  ============================================================================
``panel``                 a panel indicator as is (``indicator: gdp_per_capita``; ``static: true`` for a
                          time-invariant one such as land area: its latest value serves every year)
``ratio``                 ``numerator / denominator × scale`` (both panel indicators, same year)
``growth``                compound annual growth (%) of an indicator over ``years`` years
``change``                total change (%) of an indicator over ``years`` years
``volatility``            standard deviation (percentage points) of annual growth over ``years`` years
``resistance``            Martin et al. (2016) resistance of an indicator over ``shock: [t0, t1]``
``coast_distance``        great-circle km from the capital to the nearest coastal region's capital
``centroid_distance``     great-circle km from the capital to the ``weight``-weighted centroid of capitals
``neighbour_share``       share of the other regions that share a land border with the region
``market_potential``      Harris (1954) :math:`\\sum_j Y_j/d_{ij}`, :math:`d_{ii}=\\tfrac23\\sqrt{A_i/\\pi}`
``freight_access``        ``weight``-weighted mean road freight cost (yuan/t) from the region to the others
========================  ============================================================================

Panel values are taken *as of* the evaluation year: the latest year ≤ it, at most ``max_lag`` years
earlier; the year used is reported per indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from hinterland.containers import Dataset
from hinterland.errors import ConfigError, DataError, DataFileError, SchemaError, UnknownIdError
from hinterland.evaluate._normalise import parse_direction
from hinterland.evaluate._resilience import resistance

__all__ = [
    "DERIVATIONS",
    "DecisionMatrix",
    "IndicatorSystem",
    "build_matrix",
    "default_system",
    "default_system_path",
    "read_criteria_file",
    "read_system",
]

DERIVATIONS = (
    "panel",
    "ratio",
    "growth",
    "change",
    "volatility",
    "resistance",
    "coast_distance",
    "centroid_distance",
    "neighbour_share",
    "market_potential",
    "freight_access",
)
INDICATOR_FIELDS = ("id", "dimension", "direction")
_EARTH_R = 6371.0088


@dataclass(frozen=True)
class IndicatorSystem:
    """Dimensions (index ``dimension``) and indicators (index ``indicator``) of an evaluation system."""

    name: str
    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    max_lag: int = 6
    coupling_dimensions: tuple[str, ...] = ()
    description: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if self.indicators.index.name != "indicator" or self.dimensions.index.name != "dimension":
            raise SchemaError("indicator system: tables must be indexed by 'indicator' and 'dimension'")
        dup = self.indicators.index[self.indicators.index.duplicated()].tolist()
        if dup:
            raise ConfigError(f"{self.source or self.name}: duplicate indicator id(s) {dup}")
        unknown = sorted(set(self.indicators["dimension"]) - set(self.dimensions.index))
        if unknown:
            raise UnknownIdError(
                f"{self.source or self.name}: indicators refer to unknown dimension(s) {unknown}; "
                f"declared: {list(self.dimensions.index)}"
            )
        empty = [d for d in self.dimensions.index if d not in set(self.indicators["dimension"])]
        if empty:
            raise ConfigError(f"{self.source or self.name}: dimension(s) {empty} have no indicators")
        bad = sorted(set(self.coupling_dimensions) - set(self.dimensions.index))
        if bad:
            raise UnknownIdError(f"{self.source or self.name}: coupling dimensions {bad} are not declared")

    @property
    def directions(self) -> pd.Series:
        return self.indicators["direction"]

    @property
    def membership(self) -> pd.Series:
        """indicator → dimension."""
        return self.indicators["dimension"]


def default_system_path() -> Path:
    """Path of the bundled default hinterland capability system (YAML)."""
    return Path(str(resources.files("hinterland.evaluate").joinpath("systems/hinterland_default.yaml")))


def default_system() -> IndicatorSystem:
    """The bundled default hinterland capability system."""
    return read_system(default_system_path())


def _derive_spec(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    spec = raw.get("derive")
    if spec is None:
        if "indicator" not in raw:
            raise ConfigError(f"{where}: give either 'indicator: <panel id>' or a 'derive:' block")
        return {"kind": "panel", "indicator": str(raw["indicator"]), "static": bool(raw.get("static", False))}
    if isinstance(spec, str):
        spec = {"kind": spec}
    if not isinstance(spec, Mapping) or "kind" not in spec:
        raise ConfigError(
            f"{where}: 'derive' must be a mapping with a 'kind' (one of {', '.join(DERIVATIONS)})"
        )
    if spec["kind"] not in DERIVATIONS:
        raise ConfigError(
            f"{where}: unknown derivation {spec['kind']!r}; expected one of {', '.join(DERIVATIONS)}"
        )
    return dict(spec)


def read_system(path: str | Path) -> IndicatorSystem:
    """Read an indicator system from YAML (see the bundled default) or CSV.

    CSV: one row per indicator with columns ``id, dimension, direction`` and optionally ``label_en,
    label_zh, unit, source, reason, indicator`` (panel id, defaults to ``id``), ``numerator, denominator,
    scale`` (a ratio). Dimensions are the distinct ``dimension`` values.
    """
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: indicator system file not found. Fix: check the path.")
    if p.suffix.lower() in {".yaml", ".yml"}:
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DataFileError(f"{p}: not valid YAML ({exc}).") from exc
        if not isinstance(doc, Mapping) or "indicators" not in doc or "dimensions" not in doc:
            raise SchemaError(f"{p}: a system YAML needs top-level 'dimensions' and 'indicators' lists.")
        dims = pd.DataFrame(list(doc["dimensions"]))
        rows = list(doc["indicators"])
        meta = doc
    elif p.suffix.lower() in {".csv", ".xlsx"}:
        table = (
            pd.read_csv(p, dtype=str, keep_default_na=False)
            if p.suffix.lower() == ".csv"
            else pd.read_excel(p, dtype=str, keep_default_na=False)
        )
        table.columns = [str(c).strip().lower() for c in table.columns]
        missing = [c for c in INDICATOR_FIELDS if c not in table.columns]
        if missing:
            raise SchemaError(f"{p.name}: missing column(s) {missing}; found {list(table.columns)}.")
        rows = []
        for rec in table.to_dict("records"):
            rec = {k: v for k, v in rec.items() if v != ""}
            if "numerator" in rec:
                rec["derive"] = {
                    "kind": "ratio",
                    "numerator": rec.pop("numerator"),
                    "denominator": rec.pop("denominator", ""),
                    "scale": float(rec.pop("scale", 1)),
                }
            elif "indicator" not in rec:
                rec["indicator"] = rec["id"]
            rows.append(rec)
        dims = pd.DataFrame({"id": list(dict.fromkeys(r.get("dimension", "") for r in rows))})
        meta = {"name": p.stem}
    else:
        raise DataFileError(f"{p}: unsupported system file type {p.suffix!r}; use .yaml, .yml or .csv.")
    if "id" not in dims.columns:
        raise SchemaError(f"{p.name}: every dimension needs an 'id'")
    dims = dims.set_index("id")
    dims.index.name = "dimension"
    records = []
    for k, raw in enumerate(rows, start=1):
        where = f"{p.name}, indicator #{k}"
        if not isinstance(raw, Mapping):
            raise SchemaError(f"{where}: expected a mapping of fields")
        for fld in INDICATOR_FIELDS:
            if fld == "direction":
                continue
            if fld not in raw or str(raw[fld]).strip() == "":
                raise SchemaError(f"{where}: missing field {fld!r}")
        iid = str(raw["id"])
        where = f"{p.name}, indicator {iid!r}"
        direction = parse_direction(raw.get("direction"), f"{iid} ({p.name})")
        records.append(
            {
                "indicator": iid,
                "dimension": str(raw["dimension"]),
                "direction": direction,
                "label_en": str(raw.get("label_en", iid)),
                "label_zh": str(raw.get("label_zh", raw.get("label_en", iid))),
                "unit": str(raw.get("unit", "")),
                "source": str(raw.get("source", "")),
                "reason": str(raw.get("reason", "")),
                "basis": str(raw.get("basis", "")),
                "derive": _derive_spec(raw, where),
            }
        )
    ind = pd.DataFrame(records).set_index("indicator")
    coupling = tuple(str(d) for d in meta.get("coupling_dimensions", []) or [])
    return IndicatorSystem(
        name=str(meta.get("name", p.stem)),
        dimensions=dims,
        indicators=ind,
        max_lag=int(meta.get("max_lag", 6)),
        coupling_dimensions=coupling,
        description=str(meta.get("description", "")),
        source=str(p),
    )


def read_criteria_file(path: str | Path, columns: Iterable[str]) -> IndicatorSystem:
    """A system for a plain decision matrix: CSV with ``criterion, direction`` and optional ``dimension``."""
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: criteria file not found.")
    table = pd.read_csv(p, dtype=str, keep_default_na=False)
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "criterion" not in table.columns:
        raise SchemaError(
            f"{p.name}: needs a 'criterion' column (and 'direction'); found {list(table.columns)}."
        )
    if "direction" not in table.columns:
        raise ConfigError(f"{p.name}: criterion direction missing: add a 'direction' column (benefit/cost).")
    cols = [str(c) for c in columns]
    unknown = sorted(set(table["criterion"]) - set(cols))
    if unknown:
        raise UnknownIdError(f"{p.name}: criteria {unknown} are not columns of the matrix {cols}.")
    missing = [c for c in cols if c not in set(table["criterion"])]
    if missing:
        raise ConfigError(
            f"{p.name}: criterion direction missing for matrix column(s) {missing}. "
            "Fix: add a row (criterion, direction) for each."
        )
    table = table.set_index("criterion").loc[cols]
    dims = table["dimension"] if "dimension" in table.columns else pd.Series("all", index=table.index)
    dims = dims.replace("", "all")
    records = [
        {
            "indicator": c,
            "dimension": dims[c],
            "direction": parse_direction(table.at[c, "direction"], f"{c} ({p.name}, row {k + 2})"),
            "label_en": table.at[c, "label"] if "label" in table.columns and table.at[c, "label"] else c,
            "label_zh": c,
            "unit": table.at[c, "unit"] if "unit" in table.columns else "",
            "source": p.name,
            "reason": "",
            "basis": "user",
            "derive": {"kind": "panel", "indicator": c},
        }
        for k, c in enumerate(cols)
    ]
    ind = pd.DataFrame(records).set_index("indicator")
    dim_tab = pd.DataFrame(index=pd.Index(list(dict.fromkeys(dims)), name="dimension"))
    dim_tab["label_en"] = dim_tab.index
    return IndicatorSystem(name=p.stem, dimensions=dim_tab, indicators=ind, source=str(p))


@dataclass(frozen=True)
class DecisionMatrix:
    """Alternatives × criteria values with the criteria table (direction, dimension, year, derivation)."""

    values: pd.DataFrame
    criteria: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if list(self.values.columns) != list(self.criteria.index):
            raise SchemaError("decision matrix columns and criteria rows must match in order")


# ---------------------------------------------------------------------------------------------- derivations


def _haversine(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    r"""Great-circle distance (km): :math:`2R\arcsin\sqrt{\sin^2\frac{\Delta\phi}{2} + \cos\phi_1\cos\phi_2
    \sin^2\frac{\Delta\lambda}{2}}`."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlam = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    return np.asarray(2 * _EARTH_R * np.arcsin(np.sqrt(np.clip(h, 0, 1))), dtype=float)


def _capital_distances(ds: Dataset, ids: pd.Index) -> np.ndarray:
    t = ds.regions.table.loc[ids]
    lon, lat = t["capital_lon"].to_numpy(float), t["capital_lat"].to_numpy(float)
    return _haversine(lon[:, None], lat[:, None], lon[None, :], lat[None, :])


class _Context:
    def __init__(self, ds: Dataset, year: int, max_lag: int, ids: pd.Index) -> None:
        self.ds, self.year, self.max_lag, self.ids = ds, year, max_lag, ids
        self._tables: dict[str, pd.DataFrame] = {}

    def table(self, indicator: str, who: str) -> pd.DataFrame:
        if indicator not in self._tables:
            if indicator not in self.ds.panel.indicators:
                import difflib

                close = difflib.get_close_matches(indicator, self.ds.panel.indicators, n=3)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                raise UnknownIdError(
                    f"indicator {who!r} uses unknown panel indicator {indicator!r}.{hint} Fix: use an id from"
                    " "
                    "`hinterland data show`, or add it with --data FILE."
                )
            self._tables[indicator] = self.ds.panel.table(indicator).reindex(self.ids)
        return self._tables[indicator]

    def as_of(self, indicators: list[str], who: str, span: int = 0) -> int:
        """Latest year ≤ self.year where all ``indicators`` (and ``span`` earlier years) have data.

        Years where every evaluated region has a value are preferred; if there is none, the latest year
        with any data is used (the missing cells are then reported by the matrix check).
        """
        tables = [self.table(i, who) for i in indicators]
        sets = [set(int(y) for y in t.columns) for t in tables]
        common = set.intersection(*sets)
        ok = sorted(
            (y for y in common if y <= self.year and all(y - k in common for k in range(span + 1))),
            reverse=True,
        )
        if not ok:
            avail = "; ".join(f"{i}: {min(s)}–{max(s)}" for i, s in zip(indicators, sets, strict=True))
            raise DataError(
                f"indicator {who!r}: no data for year ≤ {self.year} (needs {span + 1} consecutive "
                f"year(s)); available {avail}. Fix: choose another --year or indicator."
            )
        complete = [y for y in ok if all(t[y - k].notna().all() for t in tables for k in range(span + 1))]
        y = complete[0] if complete and self.year - complete[0] <= self.max_lag else ok[0]
        if self.year - y > self.max_lag:
            raise DataError(
                f"indicator {who!r}: latest data is {y}, {self.year - y} years before {self.year} "
                f"(max_lag {self.max_lag}). Fix: raise max_lag in the system, or pick an earlier --year."
            )
        return y


def _derive(ctx: _Context, iid: str, spec: Mapping[str, Any]) -> tuple[pd.Series, str, str]:
    """Values, year label and a plain-words derivation for one indicator."""
    kind = spec["kind"]
    ids = ctx.ids
    if kind == "panel":
        ind = str(spec["indicator"])
        if spec.get("static"):  # time-invariant (e.g. land area): the latest value serves every year
            y = int(ctx.table(ind, iid).columns.max())
            return ctx.table(ind, iid)[y], f"{y} (static)", f"panel {ind} ({y}, time-invariant)"
        y = ctx.as_of([ind], iid)
        return ctx.table(ind, iid)[y], str(y), f"panel {ind} ({y})"
    if kind == "ratio":
        num, den = str(spec["numerator"]), str(spec["denominator"])
        scale = float(spec.get("scale", 1.0))
        y = ctx.as_of([num, den], iid)
        d = ctx.table(den, iid)[y]
        if (d == 0).any():
            raise DataError(
                f"indicator {iid!r}: denominator {den} is zero for {list(d.index[d == 0])} in {y}"
            )
        return ctx.table(num, iid)[y] / d * scale, str(y), f"{num} / {den} × {scale:g} ({y})"
    if kind in {"growth", "change", "volatility"}:
        ind, k = str(spec["indicator"]), int(spec.get("years", 5))
        y = ctx.as_of([ind], iid, span=k)
        t = ctx.table(ind, iid)
        if kind == "growth":
            vals = ((t[y] / t[y - k]) ** (1.0 / k) - 1.0) * 100
            text = f"compound annual growth of {ind}, {y - k}–{y} (%)"
        elif kind == "change":
            vals = (t[y] / t[y - k] - 1.0) * 100
            text = f"change of {ind}, {y - k}–{y} (%)"
        else:
            g = pd.DataFrame({yy: t[yy] / t[yy - 1] - 1.0 for yy in range(y - k + 1, y + 1)}) * 100
            vals = g.std(axis=1, ddof=1)
            text = f"standard deviation of annual growth of {ind}, {y - k}–{y} (pp)"
        return vals, f"{y - k}–{y}", text
    if kind == "resistance":
        ind = str(spec["indicator"])
        t0, t1 = (int(v) for v in spec.get("shock", (2019, 2020)))
        ref = str(spec.get("reference", "national"))
        t = ctx.table(ind, iid)
        vals = resistance(t, t0, t1, reference=ref, trend_years=int(spec.get("trend_years", 5)))
        refw = "national growth" if ref == "national" else "own pre-shock trend"
        return vals, f"{t0}–{t1}", f"Martin et al. (2016) resistance of {ind}, {t0}–{t1}, reference: {refw}"
    regions = ctx.ds.regions.table.loc[ids]
    if kind == "coast_distance":
        coastal = regions["coastal"].astype(bool).to_numpy()
        if not coastal.any():
            raise DataError("coast_distance: no coastal regions among the evaluated ones")
        dist = _capital_distances(ctx.ds, ids)[:, coastal].min(axis=1)
        dist[coastal] = 0.0
        return (
            pd.Series(dist, index=ids),
            "geography",
            "great-circle km from capital to nearest coastal capital (0 if coastal)",
        )
    if kind == "centroid_distance":
        ind = str(spec.get("weight", "gdp"))
        y = ctx.as_of([ind], iid)
        wgt = ctx.table(ind, iid)[y].to_numpy(float)
        lon, lat = (
            np.radians(regions["capital_lon"].to_numpy(float)),
            np.radians(regions["capital_lat"].to_numpy(float)),
        )
        vec = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        c = (vec * wgt[:, None]).sum(axis=0)
        clat, clon = np.degrees(np.arcsin(c[2] / np.linalg.norm(c))), np.degrees(np.arctan2(c[1], c[0]))
        dist = _haversine(np.degrees(lon), np.degrees(lat), np.full(len(ids), clon), np.full(len(ids), clat))
        return (
            pd.Series(dist, index=ids),
            str(y),
            f"great-circle km from capital to the {ind}-weighted centroid of capitals "
            f"({clon:.2f}°E, {clat:.2f}°N; {y})",
        )
    if kind == "neighbour_share":
        w = ctx.ds.geography.contiguity(list(ids))
        return (w.sum(axis=1) / (len(ids) - 1)).reindex(ids), "geography", "land neighbours / (n − 1)"
    if kind == "market_potential":
        ind = str(spec.get("indicator", "gdp"))
        y = ctx.as_of([ind], iid)
        mass = ctx.table(ind, iid)[y].to_numpy(float)
        d = _capital_distances(ctx.ds, ids)
        area = regions["area_km2"].to_numpy(float)
        np.fill_diagonal(d, (2.0 / 3.0) * np.sqrt(area / np.pi))
        return (
            pd.Series((mass[None, :] / d).sum(axis=1), index=ids),
            str(y),
            f"Harris market potential Σ {ind}_j / d_ij, d_ii = ⅔√(area/π) ({y})",
        )
    if kind == "freight_access":
        ind = str(spec.get("weight", "gdp"))
        cost = ctx.ds.geography.freight_cost
        if cost.empty:
            raise DataError(f"indicator {iid!r}: the dataset has no road freight cost matrix")
        y = ctx.as_of([ind], iid)
        mass = ctx.table(ind, iid)[y]
        c = cost.reindex(index=ids, columns=ids).to_numpy(float, copy=True)
        np.fill_diagonal(c, np.nan)
        m = np.tile(mass.to_numpy(float), (len(ids), 1))
        m[np.isnan(c)] = np.nan
        vals = np.nansum(c * m, axis=1) / np.nansum(m, axis=1)
        return (
            pd.Series(vals, index=ids),
            str(y),
            f"{ind}-weighted mean road freight cost to the other regions ({y})",
        )
    raise ConfigError(f"indicator {iid!r}: unknown derivation {kind!r}")


def build_matrix(
    ds: Dataset, system: IndicatorSystem, year: int | None = None, regions: Iterable[int] | None = None
) -> DecisionMatrix:
    """The decision matrix of ``system`` on ``ds`` for ``year`` (default: the latest GDP year).

    Missing cells stay NaN here; :func:`~hinterland.evaluate.evaluate` rejects them (naming them) unless
    imputation is asked for.
    """
    ids = pd.Index(list(regions) if regions is not None else list(ds.regions.ids), name="region")
    if year is None:
        ref = "gdp" if "gdp" in ds.panel.indicators else ds.panel.indicators[0]
        year = ds.panel.years(ref)[-1]
    ctx = _Context(ds, int(year), system.max_lag, ids)
    cols: dict[str, pd.Series] = {}
    rows = []
    for iid, spec in system.indicators["derive"].items():
        vals, used, text = _derive(ctx, str(iid), spec)
        cols[str(iid)] = vals.reindex(ids).astype(float)
        rows.append({"indicator": iid, "year_used": used, "derivation": text})
    values = pd.DataFrame(cols, index=ids)
    crit = system.indicators.drop(columns="derive").join(pd.DataFrame(rows).set_index("indicator"))
    return DecisionMatrix(values, crit, (f"evaluation year {year}",))
