"""Textbook input–output quantities: A, L, B, G, multipliers, sector aggregation.

Notation follows Miller & Blair (2009), *Input–Output Analysis: Foundations and Extensions*, 2nd ed.,
Cambridge University Press (chapters 2, 3, 6 and 12). All functions are pure and accept numpy arrays
or labelled pandas objects; labelled inputs return labelled outputs. Division by zero output gives 0
(``0/0 := 0``), as in pymrio.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import scipy.linalg as sla

from hinterland.containers import MRIO, industry_index
from hinterland.errors import ConfigError, ModelError, UnknownIdError

__all__ = [
    "aggregate_sectors",
    "calc_A",
    "calc_A_star",
    "calc_B",
    "calc_G",
    "calc_L",
    "calc_S",
    "calc_multipliers",
    "calc_v",
    "calc_x",
    "spectral_radius",
]

T = TypeVar("T", np.ndarray, pd.DataFrame)


def _safe_inv(x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def calc_x(Z: T, Y: Any) -> Any:
    r"""Gross output :math:`x = Z\mathbf{1} + Y\mathbf{1}` (Miller & Blair 2009, eq. 2.1)."""
    if isinstance(Z, pd.DataFrame):
        y = Y.sum(axis=1) if isinstance(Y, pd.DataFrame) else pd.Series(np.asarray(Y), index=Z.index)
        return (Z.sum(axis=1) + y).rename("x")
    y_arr = np.asarray(Y, dtype=float)
    return np.asarray(Z).sum(axis=1) + (y_arr.sum(axis=1) if y_arr.ndim == 2 else y_arr)


def calc_A(Z: T, x: Any) -> T:
    r"""Technical coefficients :math:`A = Z\,\hat{x}^{-1}`, :math:`a_{ij} = z_{ij}/x_j` (M&B eq. 2.4)."""
    inv = _safe_inv(np.asarray(x, dtype=float))
    if isinstance(Z, pd.DataFrame):
        return Z * inv[np.newaxis, :]  # type: ignore[no-any-return]
    return np.asarray(Z, dtype=float) * inv[np.newaxis, :]  # type: ignore[no-any-return]


def calc_B(Z: T, x: Any) -> T:
    r"""Allocation coefficients :math:`B = \hat{x}^{-1} Z`, :math:`b_{ij} = z_{ij}/x_i` (M&B eq. 12.1)."""
    inv = _safe_inv(np.asarray(x, dtype=float))
    if isinstance(Z, pd.DataFrame):
        return Z * inv[:, np.newaxis]  # type: ignore[no-any-return]
    return np.asarray(Z, dtype=float) * inv[:, np.newaxis]  # type: ignore[no-any-return]


def calc_A_star(Z: T, x: Any) -> T:
    r"""IIM interdependency matrix :math:`A^* = \hat{x}^{-1} A \hat{x}`, :math:`a^*_{ij} = z_{ij}/x_i`.

    Santos & Haimes (2004), *Risk Anal.* 24(6). With the table's own output this equals the Ghosh
    allocation matrix B (not A: the element-wise ``z_ij / x_j`` seen in some codes is wrong).
    """
    return calc_B(Z, x)  # type: ignore[no-any-return]


def _inverse(M: T, name: str) -> T:
    arr = np.asarray(M, dtype=float)
    n = arr.shape[0]
    try:
        inv = sla.inv(np.eye(n) - arr)
    except (sla.LinAlgError, ValueError) as exc:
        raise ModelError(
            f"I - {name} is singular; check for sectors with zero output or ρ({name}) ≥ 1"
        ) from exc
    if isinstance(M, pd.DataFrame):
        return pd.DataFrame(inv, index=M.index, columns=M.columns)  # type: ignore[no-any-return]
    return inv  # type: ignore[no-any-return]


def calc_L(A: T) -> T:
    r"""Leontief inverse :math:`L = (I - A)^{-1}` (M&B eq. 2.11)."""
    return _inverse(A, "A")  # type: ignore[no-any-return]


def calc_G(B: T) -> T:
    r"""Ghosh inverse :math:`G = (I - B)^{-1}` (M&B eq. 12.4); :math:`G = \hat{x}^{-1} L \hat{x}`."""
    return _inverse(B, "B")  # type: ignore[no-any-return]


def calc_v(Z: T, x: Any) -> Any:
    r"""Value added (incl. imports) :math:`v' = x' - \mathbf{1}'Z` (M&B eq. 2.2)."""
    if isinstance(Z, pd.DataFrame):
        return (pd.Series(np.asarray(x, dtype=float), index=Z.columns) - Z.sum(axis=0)).rename("v")
    return np.asarray(x, dtype=float) - np.asarray(Z).sum(axis=0)


def calc_S(F: Any, x: Any) -> Any:
    r"""Satellite (e.g. value-added) coefficients :math:`S = F \hat{x}^{-1}` (M&B §5.2, pymrio)."""
    inv = _safe_inv(np.asarray(x, dtype=float))
    if isinstance(F, (pd.DataFrame, pd.Series)):
        return F * inv
    return np.asarray(F, dtype=float) * inv


def spectral_radius(A: Any) -> float:
    """Largest absolute eigenvalue ρ(A); ρ(A) < 1 is needed for a productive (stable) economy."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))


def calc_multipliers(A: pd.DataFrame | np.ndarray, v_coef: Any | None = None) -> pd.DataFrame:
    r"""Simple output multipliers :math:`m(o)_j = \sum_i l_{ij}` and value-added multipliers.

    Miller & Blair (2009) §6.2: output multiplier = column sums of L (eq. 6.3); value-added
    (income-type) multiplier :math:`m(v)_j = \sum_i v_{c,i} l_{ij}` with value-added coefficients
    :math:`v_c = v/x` (eq. 6.7); type-I value-added multiplier = m(v)_j / v_{c,j}. Output multipliers
    are split into intra-regional and spill-over parts when A carries a (region, sector) index.
    """
    L = calc_L(A)
    Larr = np.asarray(L)
    out: dict[str, np.ndarray] = {"output": Larr.sum(axis=0)}
    index = A.columns if isinstance(A, pd.DataFrame) else pd.RangeIndex(Larr.shape[0])
    if isinstance(index, pd.MultiIndex) and index.nlevels == 2:
        reg = np.asarray(index.get_level_values(0))
        same = reg[:, None] == reg[None, :]
        out["output_intraregional"] = (Larr * same).sum(axis=0)
        out["output_spillover"] = (Larr * ~same).sum(axis=0)
    if v_coef is not None:
        vc = np.asarray(v_coef, dtype=float)
        out["value_added"] = vc @ Larr
        with np.errstate(divide="ignore", invalid="ignore"):
            out["value_added_type1"] = np.where(vc != 0, out["value_added"] / vc, 0.0)
    return pd.DataFrame(out, index=index)


def aggregate_sectors(mrio: MRIO, mapping: Mapping[Any, Any], name: str | None = None) -> MRIO:
    r"""Aggregate sectors (e.g. 42 → 10) with a concordance ``old sector → new sector``.

    :math:`Z^{agg} = C Z C'`, :math:`Y^{agg} = C Y`, :math:`V^{agg} = V C'`, :math:`M^{agg} = C_p M C'`
    with C the (region-block-diagonal) 0/1 concordance matrix (Miller & Blair 2009, §4.3). Flows are
    summed, so balance, total output and total value added are preserved exactly (up to rounding).
    The new sector order follows the first appearance in ``mapping``.
    """
    missing = [s for s in mrio.sectors if s not in mapping]
    if missing:
        raise UnknownIdError(
            f"sector aggregation: no target for sector(s) {missing[:10]}. Fix: map every one of the "
            f"{mrio.n_sectors} sectors to a group."
        )
    extra = [s for s in mapping if s not in set(mrio.sectors)]
    if extra:
        raise UnknownIdError(f"sector aggregation: unknown sector(s) {extra[:10]} in the mapping")
    new_sectors = list(dict.fromkeys(mapping[s] for s in mrio.sectors))
    if len(new_sectors) < 1:
        raise ConfigError("sector aggregation: the mapping has no target groups")
    pos = {s: i for i, s in enumerate(new_sectors)}
    C = np.zeros((len(new_sectors), mrio.n_sectors))
    for j, s in enumerate(mrio.sectors):
        C[pos[mapping[s]], j] = 1.0
    Cfull = np.kron(np.eye(mrio.n_regions), C)
    idx = industry_index(mrio.regions, new_sectors)
    Z = pd.DataFrame(Cfull @ mrio.Z.to_numpy() @ Cfull.T, index=idx, columns=idx)
    Y = pd.DataFrame(Cfull @ mrio.Y.to_numpy(), index=idx, columns=mrio.Y.columns)
    V = pd.DataFrame(mrio.V.to_numpy() @ Cfull.T, index=mrio.V.index, columns=idx)
    if mrio.M.empty:
        M = pd.DataFrame()
    else:
        same_products = list(mrio.M.index) == list(mrio.sectors)
        Mrows = C @ mrio.M.to_numpy() if same_products else mrio.M.to_numpy()
        Mindex = pd.Index(new_sectors, name="sector") if same_products else mrio.M.index
        M = pd.DataFrame(Mrows @ Cfull.T, index=Mindex, columns=idx)
    return MRIO(
        Z, Y, V, M, unit=mrio.unit, name=name or f"{mrio.name} ({len(new_sectors)} sectors)", rtol=1e-8
    )
