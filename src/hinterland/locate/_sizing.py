"""Commodity definitions (YAML) and reserve sizing: stock per depot and commodity for a demand surge."""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from hinterland.errors import ConfigError, DataFileError, SchemaError

__all__ = ["COMMODITY_FILE", "Commodity", "load_commodities", "size_reserves"]

COMMODITY_FILE = "commodities.yaml"


@dataclass(frozen=True)
class Commodity:
    """One reserve commodity: per-capita daily demand (with its basis), depot capacity and cost, and the
    surge parameters used by :func:`size_reserves`."""

    name: str
    label_zh: str
    unit: str
    per_capita_daily: float
    basis: str
    depot_capacity: float
    depot_cost: float
    service_time_h: float
    surge: float
    days: float
    lead_time_days: float
    resupply_share: float


def _parse(name: str, raw: Any, where: str) -> Commodity:
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: commodity {name!r} must be a mapping of fields")
    wanted = [f.name for f in fields(Commodity) if f.name != "name"]
    missing = [k for k in wanted if k not in raw]
    if missing:
        raise SchemaError(
            f"{where}: commodity {name!r} lacks field(s) {missing}. Fix: add them (see docs/reserves.md)."
        )
    values: dict[str, Any] = {"name": name}
    for f in fields(Commodity):
        if f.name == "name":
            continue
        v = raw[f.name]
        if f.type in {"float", float}:
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise SchemaError(f"{where}: {name}.{f.name} = {v!r} is not a number") from None
            if v < 0 or not np.isfinite(v):
                raise SchemaError(f"{where}: {name}.{f.name} = {v} must be a finite number ≥ 0")
        values[f.name] = v if f.type not in {"str", str} else str(v)
    if values["resupply_share"] > 1:
        raise SchemaError(f"{where}: {name}.resupply_share = {values['resupply_share']} must be in [0, 1]")
    return Commodity(**values)


def load_commodities(path: str | Path | None = None) -> dict[str, Commodity]:
    """The bundled commodity definitions (grain, energy, medical), or those of a user YAML file."""
    if path is None:
        text = (
            resources.files("hinterland.locate").joinpath("data", COMMODITY_FILE).read_text(encoding="utf-8")
        )
        where = f"bundled {COMMODITY_FILE}"
    else:
        p = Path(path)
        if not p.exists():
            raise DataFileError(f"commodity file {p} not found. Fix: pass an existing YAML file.")
        text, where = p.read_text(encoding="utf-8"), str(p)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not raw:
        raise SchemaError(f"{where}: expected a mapping name → commodity fields")
    return {str(k): _parse(str(k), v, where) for k, v in raw.items()}


def size_reserves(
    daily_demand: pd.DataFrame,
    commodities: dict[str, Commodity],
    capacity: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Stock per depot and commodity so the depot's served demand survives a surge of ``D`` days.

    With ``\bar h_{jc}`` the daily demand assigned to depot ``j``, surge multiplier ``m_c``, horizon
    ``D_c``, resupply lead time ``L_c`` and share ``ρ_c`` of surge demand covered by regular resupply
    once it resumes:

    .. math:: S_{jc} = \bar h_{jc}\, m_c \big(D_c - \rho_c \max(0, D_c - L_c)\big)

    i.e. the stock must carry the whole surge until resupply resumes and the uncovered share after it:
    the time-to-survive logic of Simchi-Levi et al. (2015, Interfaces 45:375) with deterministic
    demand (no safety stock). ``daily_demand`` is site × commodity; ``capacity`` (same shape) caps the
    stock and the excess is reported as ``shortfall``. Returns long rows
    ``site, commodity, daily_demand, stock, capacity, shortfall, days_covered``.
    """
    unknown = [c for c in daily_demand.columns if c not in commodities]
    if unknown:
        raise ConfigError(f"no commodity definition for {unknown}; known: {sorted(commodities)}")
    rows = []
    for c in daily_demand.columns:
        spec = commodities[str(c)]
        need_days = spec.surge * (spec.days - spec.resupply_share * max(0.0, spec.days - spec.lead_time_days))
        for site, h in daily_demand[c].items():
            stock = float(h) * need_days
            cap = float(capacity.at[site, c]) if capacity is not None else float("inf")
            held = min(stock, cap)
            surge_daily = float(h) * spec.surge
            days = held / surge_daily if surge_daily > 0 else float("inf")
            rows.append(
                {
                    "site": site,
                    "commodity": c,
                    "unit": spec.unit,
                    "daily_demand": float(h),
                    "stock": stock,
                    "capacity": cap,
                    "shortfall": max(0.0, stock - cap),
                    "days_covered_at_surge": days,
                }
            )
    return pd.DataFrame(rows)
