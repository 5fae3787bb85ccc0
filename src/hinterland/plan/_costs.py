r"""Annualised costs of the plan's levers and the machine-readable sources of every cost parameter.

A lever's annual cost is its capital recovery plus its running cost,

.. math::  C = \mathrm{CRF}(r, n)\, I + \omega I, \qquad
           \mathrm{CRF}(r, n) = \frac{r}{1 - (1 + r)^{-n}},

with investment :math:`I`, social discount rate :math:`r` (8 %, NDRC & MOHURD 2006, *Methods and
Parameters for the Economic Evaluation of Construction Projects*, 3rd ed.), asset life :math:`n` and
the yearly running share :math:`\omega` (warm-standby upkeep for backup lines, maintenance for rail).
A reserve costs :math:`h V` a year for a stock worth :math:`V` (carrying cost rate :math:`h`: capital,
storage and rotation), and every release has to be bought back after the shock, so a scenario's
avoided loss is net of the value released (:func:`hinterland.plan.assess_plan`).

The values and their sources are data (``data/assessment_sources.csv``: parameter, value, unit,
source, url, confidence); the plan config's ``costs`` block holds the defaults and a test checks
that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import StringIO
from typing import Any

import pandas as pd

from hinterland.errors import ConfigError

__all__ = ["LeverCosts", "assessment_sources", "capital_recovery_factor"]


def capital_recovery_factor(rate: float, years: float) -> float:
    r"""CRF :math:`r / (1 - (1 + r)^{-n})`; :math:`1/n` at :math:`r = 0`. CRF(8 %, 15) = 0.1168."""
    if years <= 0:
        raise ConfigError(f"asset life = {years} years must be > 0")
    if rate < 0:
        raise ConfigError(f"discount rate = {rate} must be ≥ 0")
    if rate == 0:
        return 1.0 / years
    return float(rate / (1.0 - (1.0 + rate) ** (-years)))


@dataclass(frozen=True)
class LeverCosts:
    """Cost parameters of the three levers (the plan config's ``costs`` block)."""

    discount_rate: float = 0.08
    backup_life_years: float = 15.0
    backup_standby_share: float = 0.03
    rail_cost_per_km: float = 0.15  # 1e8 CNY per km of upgraded line
    rail_life_years: float = 40.0
    rail_maintenance_share: float = 0.01
    holding_rate: tuple[tuple[str, float], ...] = (("grain", 0.15), ("energy", 0.15), ("medical", 0.20))
    default_holding_rate: float = 0.15

    @classmethod
    def from_config(cls, block: dict[str, Any]) -> LeverCosts:
        rates = dict(block.get("reserve_holding_rate") or {})
        return cls(
            discount_rate=float(block["discount_rate"]),
            backup_life_years=float(block["backup_life_years"]),
            backup_standby_share=float(block["backup_standby_share"]),
            rail_cost_per_km=float(block["rail_cost_per_km"]),
            rail_life_years=float(block["rail_life_years"]),
            rail_maintenance_share=float(block["rail_maintenance_share"]),
            holding_rate=tuple(sorted((str(k), float(v)) for k, v in rates.items())),
        )

    def backup_annual(self, invest: float) -> float:
        """Annual cost of a backup base of investment ``invest`` (1e8 CNY)."""
        crf = capital_recovery_factor(self.discount_rate, self.backup_life_years)
        return invest * (crf + self.backup_standby_share)

    def rail_invest(self, km: float) -> float:
        return km * self.rail_cost_per_km

    def rail_annual(self, km: float) -> float:
        """Annual cost of upgrading ``km`` of line (1e8 CNY/yr)."""
        crf = capital_recovery_factor(self.discount_rate, self.rail_life_years)
        return self.rail_invest(km) * (crf + self.rail_maintenance_share)

    def reserve_annual(self, commodity: str, stock_value: float) -> float:
        """Annual carrying cost of a stock worth ``stock_value`` (1e8 CNY)."""
        return stock_value * dict(self.holding_rate).get(commodity, self.default_holding_rate)


@lru_cache(maxsize=1)
def _sources_text() -> str:
    return resources.files("hinterland.plan").joinpath("data", "assessment_sources.csv").read_text("utf-8")


def assessment_sources() -> pd.DataFrame:
    """Every cost, probability and calibration parameter of the assessment with its source
    (index ``parameter``; columns value, unit, source, url, confidence, notes)."""
    return pd.read_csv(StringIO(_sources_text())).set_index("parameter")
