"""Regional economic resilience to a shock from a region × year panel (GDP, employment, output).

Reference path (stated in every result): by default the region is *expected* to change at the national
rate over the same period (``reference="national"``, the one-sector form of Martin et al. 2016);
``reference="trend"`` instead extrapolates the region's own compound growth over the ``trend_years``
before the shock (a counterfactual "no-shock" path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hinterland.errors import ConfigError, DataError

__all__ = ["resilience_indices", "resistance", "sensitivity"]


def _years(table: pd.DataFrame, *years: int) -> None:
    missing = [y for y in years if y not in table.columns]
    if missing:
        raise DataError(
            f"resilience: the panel has no data for year(s) {missing}; available "
            f"{int(min(table.columns))}–{int(max(table.columns))}. Fix: choose shock years inside that range."
        )
    cols = table[list(years)]
    if cols.isna().any().any():
        bad = [f"{r}/{y}" for y in years for r in table.index[table[y].isna()]]
        raise DataError(
            f"resilience: missing values for region/year {bad}. Fix: supply them or drop the regions."
        )


def sensitivity(table: pd.DataFrame, start: int, end: int, national: pd.Series | None = None) -> pd.Series:
    r"""Martin's (2012, *J. Econ. Geogr.* 12:1–32) sensitivity index over ``start → end``.

    .. math:: \beta_r = \frac{\Delta E_r / E_r}{\Delta E_N / E_N}

    :math:`E_N` is ``national`` (by year) or the sum over the regions. In a downturn :math:`\beta_r<1`
    means the region was more resistant than the nation; in an upswing :math:`\beta_r>1` means it grew
    faster.
    """
    _years(table, start, end)
    nat = table.sum() if national is None else national
    g_n = (nat[end] - nat[start]) / nat[start]
    if abs(g_n) < 1e-12:
        raise DataError(f"sensitivity undefined: the national change {start}→{end} is zero.")
    g_r = (table[end] - table[start]) / table[start]
    return (g_r / g_n).rename(f"sensitivity_{start}_{end}")


def resistance(
    table: pd.DataFrame,
    start: int,
    end: int,
    reference: str = "national",
    trend_years: int = 5,
    national: pd.Series | None = None,
) -> pd.Series:
    r"""Resistance (or, over an upswing, recovery) index of Martin, Sunley, Gardiner & Tyler (2016,
    *Regional Studies* 50(4):561–585).

    .. math::
        \text{Res}_r = \frac{\Delta E_r - \Delta E_r^{e}}{\lvert \Delta E_r^{e}\rvert},\qquad
        \Delta E_r^{e} = E_r^{t_0}\, g^{e}

    with :math:`g^e = (E_N^{t_1} - E_N^{t_0})/E_N^{t_0}` (``reference="national"``) or
    :math:`g^e = (1+\bar g_r)^{t_1-t_0}-1`, :math:`\bar g_r` the region's compound annual growth over
    the ``trend_years`` before :math:`t_0` (``reference="trend"``). Positive: better than expected.
    """
    _years(table, start, end)
    e0, e1 = table[start], table[end]
    if reference == "national":
        nat = table.sum() if national is None else national
        g = (nat[end] - nat[start]) / nat[start]
        expected = e0 * g
    elif reference == "trend":
        base = start - trend_years
        _years(table, base)
        cagr = (table[start] / table[base]) ** (1.0 / trend_years) - 1.0
        expected = e0 * ((1.0 + cagr) ** (end - start) - 1.0)
    else:
        raise ConfigError(f"unknown reference path {reference!r}; expected national or trend")
    if (expected.abs() < 1e-12).any():
        raise DataError(
            f"resistance undefined: expected change {start}→{end} is zero for "
            f"{list(expected.index[expected.abs() < 1e-12])}."
        )
    return ((e1 - e0 - expected) / expected.abs()).rename(f"resistance_{start}_{end}")


def resilience_indices(
    table: pd.DataFrame,
    peak: int,
    trough: int,
    recovered: int | None = None,
    reference: str = "national",
    trend_years: int = 5,
) -> pd.DataFrame:
    """Sensitivity, resistance (peak → trough) and recovery (trough → ``recovered``) in one table.

    Columns: ``sensitivity``, ``resistance``, ``recovery`` (if ``recovered``), ``reference``.
    """
    if not peak < trough:
        raise ConfigError(f"shock period must run forward: peak {peak} < trough {trough}")
    out = pd.DataFrame(
        {
            "sensitivity": sensitivity(table, peak, trough),
            "resistance": resistance(table, peak, trough, reference, trend_years),
        }
    )
    if recovered is not None:
        if not trough < recovered:
            raise ConfigError(f"recovery period must run forward: trough {trough} < {recovered}")
        out["recovery"] = resistance(table, trough, recovered, reference, trend_years)
    out["reference"] = (
        f"national growth {peak}–{trough}"
        if reference == "national"
        else f"own {trend_years}-year trend before {peak}"
    )
    return out.replace([np.inf, -np.inf], np.nan)
