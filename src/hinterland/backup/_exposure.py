r"""Exposure diagnostics of key chains and the N-1 redundancy test (pure functions).

Notation: chain :math:`c`, region :math:`r`, sector :math:`i`, scenario :math:`s`. Chain capacity
:math:`K_{cr} = \sum_i w_{ci} x_{ri}` (annual output that can serve the chain), national capacity
:math:`K_c = \sum_r K_{cr}`, shares :math:`\sigma_{cr} = K_{cr}/K_c`.

* Location quotient (Isard 1960; Miller & Blair 2009 §8.2): :math:`LQ_{cr} = (K_{cr}/X_r)/(K_c/X)`.
* Herfindahl–Hirschman concentration: :math:`HHI_c = \sum_r \sigma_{cr}^2` (1/31 = even, 1 = one region).
* Top-k share :math:`\sum_{r \in \text{top}_k} \sigma_{cr}`; front share :math:`\sum_{r \in F} \sigma_{cr}`.
* N-1 redundancy test (Xi 2020: every important product should have at least one alternative
  source; read as an N-1 criterion per chain, domain_research.md §5.1): with capacity-loss shares
  :math:`\ell_{scr} \in [0,1]`, available capacity :math:`A_{sc} = \sum_r (1-\ell_{scr}) K_{cr}` must
  cover the required share :math:`\theta_c` of national domestic demand :math:`D_c`:
  :math:`A_{sc} \ge \theta_c D_c`; shortfall :math:`\max(0, \theta_c D_c - A_{sc})`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from hinterland.backup._chains import CHAIN, Chain
from hinterland.containers import REGION
from hinterland.errors import ConfigError, DataError, UnknownIdError

__all__ = [
    "SCENARIO",
    "chain_capacity",
    "exposure_table",
    "hhi",
    "location_quotients",
    "loss_array",
    "n1_test",
    "top_k_share",
]

SCENARIO = "scenario"


def chain_capacity(values: pd.Series, chains: Mapping[str, Chain]) -> pd.DataFrame:
    r""":math:`K_{cr} = \sum_i w_{ci}\, v_{ri}` for a (region, sector)-indexed series ``values``.

    Used for capacity (``v = x``, output) and for demand (``v`` = domestic deliveries to region r).
    Returns a region × chain frame. Unknown sectors raise :class:`UnknownIdError`.
    """
    if not isinstance(values.index, pd.MultiIndex) or values.index.nlevels != 2:
        raise DataError("values must be indexed by (region, sector)")
    wide = values.unstack(1).fillna(0.0)
    known = set(map(str, wide.columns))
    cols = {}
    for cid, ch in chains.items():
        bad = [s for s in ch.sectors if s not in known]
        if bad:
            raise UnknownIdError(
                f"chain {cid!r} maps to unknown sector id(s) {bad}; valid ids: {', '.join(sorted(known))}. "
                "Fix: correct the chain file."
            )
        col = np.zeros(len(wide))
        for s, w in ch.sectors.items():
            col = col + w * wide[s].to_numpy(dtype=float)
        cols[cid] = col
    out = pd.DataFrame(cols, index=pd.Index(wide.index, name=REGION))
    out.columns.name = CHAIN
    return out


def location_quotients(capacity: pd.DataFrame, total: pd.Series) -> pd.DataFrame:
    r""":math:`LQ_{cr} = (K_{cr}/X_r)/(K_c/X)`; ``total`` = all-sector output :math:`X_r` by region."""
    x = total.reindex(capacity.index).to_numpy(dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise DataError("total output must be positive for every region of the capacity table")
    share_r = capacity.to_numpy(dtype=float) / x[:, None]
    nat = capacity.sum(axis=0).to_numpy(dtype=float) / x.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(nat[None, :] > 0, share_r / nat[None, :], np.nan)
    return pd.DataFrame(lq, index=capacity.index, columns=capacity.columns)


def _shares(capacity: pd.DataFrame) -> pd.DataFrame:
    tot = capacity.sum(axis=0)
    if (tot <= 0).any():
        raise DataError(f"chains without capacity: {list(tot.index[tot <= 0])}")
    return capacity / tot


def hhi(capacity: pd.DataFrame) -> pd.Series:
    r""":math:`HHI_c = \sum_r \sigma_{cr}^2` per chain."""
    return (_shares(capacity) ** 2).sum(axis=0).rename("hhi")


def top_k_share(capacity: pd.DataFrame, k: int = 3) -> pd.Series:
    """Share of national capacity in the ``k`` largest regions, per chain."""
    if k < 1:
        raise ConfigError(f"k must be ≥ 1, got {k}")
    s = _shares(capacity)
    return s.apply(lambda col: float(np.sort(col.to_numpy())[::-1][:k].sum())).rename(f"top{k}_share")


def exposure_table(
    capacity: pd.DataFrame,
    total: pd.Series,
    front: Iterable[int],
    demand: pd.Series | None = None,
    *,
    k: int = 3,
) -> pd.DataFrame:
    """Per chain: national capacity, HHI, top-k share and regions, front share, largest LQ region.

    ``demand`` (per chain, national domestic demand) adds ``self_sufficiency`` = K_c / D_c.
    """
    front_set = {int(r) for r in front}
    unknown = front_set - {int(r) for r in capacity.index}
    if unknown:
        raise UnknownIdError(f"front regions {sorted(unknown)} are not in the capacity table")
    s = _shares(capacity)
    lq = location_quotients(capacity, total)
    rows = []
    for c in capacity.columns:
        col = s[c].sort_values(ascending=False)
        rows.append(
            {
                CHAIN: c,
                "capacity": float(capacity[c].sum()),
                "hhi": float((col**2).sum()),
                f"top{k}_share": float(col.iloc[:k].sum()),
                f"top{k}_regions": ";".join(str(int(r)) for r in col.index[:k]),
                "front_share": float(col[[r for r in col.index if int(r) in front_set]].sum()),
                "max_lq_region": int(lq[c].idxmax()),
                "max_lq": float(lq[c].max()),
            }
        )
    out = pd.DataFrame(rows).set_index(CHAIN)
    if demand is not None:
        out["demand"] = demand.reindex(out.index).to_numpy(dtype=float)
        out["self_sufficiency"] = out["capacity"] / out["demand"]
    return out


def loss_array(loss: pd.DataFrame, chains: Iterable[str], regions: Iterable[int]) -> np.ndarray:
    """Loss shares as an (S, C, R) array from a table indexed by ``scenario`` (same loss for every
    chain) or by ``(scenario, chain)``, with one column per region (missing regions: no loss)."""
    chains = list(chains)
    regions = [int(r) for r in regions]
    cols = {int(c) for c in loss.columns}
    extra = cols - set(regions)
    if extra:
        raise UnknownIdError(
            f"loss table has unknown region column(s) {sorted(extra)[:8]}; expected adcodes such as "
            f"{regions[:3]}. Fix: use region adcodes as columns."
        )
    lt = loss.copy()
    lt.columns = [int(c) for c in lt.columns]
    lt = lt.reindex(columns=regions).fillna(0.0)
    vals = lt.to_numpy(dtype=float)
    if np.any(~np.isfinite(vals)) or vals.min(initial=0.0) < 0 or vals.max(initial=0.0) > 1:
        bad = lt.stack()
        bad = bad[(bad < 0) | (bad > 1) | ~np.isfinite(bad)]
        raise DataError(
            f"loss shares must lie in [0, 1]; {len(bad)} do not, e.g. {bad.index[0]} = {bad.iloc[0]:g}. "
            "Fix: give capacity-loss shares (0.3 = 30 % of capacity lost)."
        )
    if isinstance(lt.index, pd.MultiIndex):
        scen = list(dict.fromkeys(lt.index.get_level_values(0)))
        lchains = set(map(str, lt.index.get_level_values(1)))
        unknown = lchains - set(chains)
        if unknown:
            raise UnknownIdError(f"loss table names unknown chain(s) {sorted(unknown)}; chains: {chains}")
        arr = np.zeros((len(scen), len(chains), len(regions)))
        for (s_id, c_id), row in lt.iterrows():  # type: ignore[misc]
            arr[scen.index(s_id), chains.index(str(c_id)), :] = row.to_numpy(dtype=float)
        return arr
    return np.repeat(vals[:, None, :], len(chains), axis=1)


def n1_test(
    capacity: pd.DataFrame,
    demand: pd.Series,
    loss: pd.DataFrame,
    required_share: pd.Series | float,
) -> pd.DataFrame:
    r"""N-1 redundancy test per (scenario, chain): :math:`A_{sc} \ge \theta_c D_c`.

    ``capacity``: region × chain; ``demand``: national domestic demand per chain; ``loss``: scenario
    (or (scenario, chain)) × region loss shares; ``required_share`` θ_c (e.g. the essential share).
    Columns: available, required, coverage = A/(θD), passes, shortfall = max(0, θD − A).
    """
    chains = [str(c) for c in capacity.columns]
    regions = [int(r) for r in capacity.index]
    arr = loss_array(loss, chains, regions)  # (S, C, R)
    scen = list(dict.fromkeys(loss.index.get_level_values(0)))
    K = capacity.to_numpy(dtype=float).T  # (C, R)
    avail = np.einsum("scr,cr->sc", 1.0 - arr, K)
    d = demand.reindex(chains).to_numpy(dtype=float)
    if np.any(~np.isfinite(d)):
        missing = [c for c, v in zip(chains, d, strict=True) if not np.isfinite(v)]
        raise UnknownIdError(f"demand is missing for chain(s) {missing}")
    if isinstance(required_share, pd.Series):
        theta = required_share.reindex(chains).to_numpy(dtype=float)
    else:
        theta = np.full(len(chains), float(required_share))
    if np.any(~np.isfinite(theta)) or np.any(theta < 0):
        raise ConfigError("required_share must be ≥ 0 for every chain")
    req = theta * d
    idx = pd.MultiIndex.from_product([scen, chains], names=[SCENARIO, CHAIN])
    out = pd.DataFrame(
        {
            "available": avail.ravel(),
            "required": np.tile(req, len(scen)),
            "demand": np.tile(d, len(scen)),
        },
        index=idx,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["coverage"] = np.where(out["required"] > 0, out["available"] / out["required"], np.inf)
    out["passes"] = out["available"] >= out["required"] - 1e-9 * np.maximum(1.0, out["required"])
    out["shortfall"] = np.maximum(out["required"] - out["available"], 0.0)
    return out
