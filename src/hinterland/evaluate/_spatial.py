r"""Spatial autocorrelation: global Moran's I, local Moran (LISA) and Getis-Ord Gi*, vectorised numpy.

Weights are a square region × region DataFrame (e.g. ``Geography.contiguity(ids)`` or
:func:`distance_band`). Moran statistics row-standardise them (``transform="r"``, as PySAL esda does by
default); regions without neighbours (islands such as Hainan on land contiguity) keep a zero row, so
their spatial lag is 0 — again as in esda. Permutation inference uses a seeded
:class:`numpy.random.Generator`; p-values follow esda's folded pseudo p-value
:math:`p = (\min(L, P-L) + 1)/(P + 1)`, with *L* the number of permuted statistics ≥ the observed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from hinterland.errors import ConfigError, DataError

__all__ = [
    "LISA_LABELS",
    "MoranResult",
    "distance_band",
    "getis_ord",
    "local_moran",
    "moran",
    "transform_weights",
]

#: esda's quadrant codes: 1 HH, 2 LH, 3 LL, 4 HL.
LISA_LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}


def _prepare(y: pd.Series, w: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if list(w.index) != list(w.columns):
        raise ConfigError("spatial weights must be square with the same region order on rows and columns")
    missing = [r for r in y.index if r not in w.index]
    if missing:
        raise DataError(
            f"spatial weights lack regions {missing}. Fix: build the weights for the same regions."
        )
    wm = w.loc[y.index, y.index].to_numpy(dtype=float)
    yv = y.to_numpy(dtype=float)
    if not np.isfinite(yv).all():
        raise DataError(
            f"spatial statistics need finite values; missing for {list(y.index[~np.isfinite(yv)])}"
        )
    if (wm < 0).any():
        raise ConfigError("spatial weights must be non-negative")
    if len(yv) < 4:
        raise DataError("spatial statistics need at least 4 regions")
    if np.ptp(yv) == 0:
        raise DataError("spatial statistics are undefined for a constant variable")
    return yv, wm


def transform_weights(w: np.ndarray, transform: str = "r") -> np.ndarray:
    r"""Transform weights: ``r`` row-standardise :math:`w_{ij}/\sum_k w_{ik}` (zero rows stay zero),
    ``b`` binary, ``o`` as given.
    """
    if transform == "r":
        rs = w.sum(axis=1, keepdims=True)
        return np.asarray(np.divide(w, rs, out=np.zeros_like(w), where=rs > 0), dtype=float)
    if transform == "b":
        return (w > 0).astype(float)
    if transform == "o":
        return w.astype(float)
    raise ConfigError(f"unknown weights transform {transform!r}; expected r, b or o")


def distance_band(distance: pd.DataFrame, threshold: float) -> pd.DataFrame:
    r"""Binary distance-band weights: :math:`w_{ij} = 1` if :math:`0 < d_{ij} \le` ``threshold``, else 0."""
    d = distance.to_numpy(dtype=float)
    w = ((d > 0) & (d <= threshold)).astype(int)
    w = np.maximum(w, w.T)
    return pd.DataFrame(w, index=distance.index, columns=pd.Index(list(distance.index), name="region_to"))


def _folded_p(sim: np.ndarray, obs: np.ndarray) -> np.ndarray:
    perms = sim.shape[0]
    larger = (sim >= obs).sum(axis=0)
    larger = np.where(perms - larger < larger, perms - larger, larger)
    return np.asarray((larger + 1.0) / (perms + 1.0), dtype=float)


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I with normal, randomisation and permutation inference (two-sided p for analytic)."""

    I: float  # noqa: E741
    EI: float
    VI_norm: float
    z_norm: float
    p_norm: float
    VI_rand: float
    z_rand: float
    p_rand: float
    permutations: int
    p_sim: float
    EI_sim: float
    seI_sim: float
    z_sim: float

    def as_series(self) -> pd.Series:
        return pd.Series(self.__dict__, name="moran")


def moran(
    y: pd.Series, w: pd.DataFrame, permutations: int = 999, seed: int | None = None, transform: str = "r"
) -> MoranResult:
    r"""Global Moran's I (Moran 1950; Cliff & Ord 1981, *Spatial Processes*, ch. 1–2).

    .. math::
        I = \frac{n}{S_0}\frac{\sum_i\sum_j w_{ij} z_i z_j}{\sum_i z_i^2},\quad E[I] = -\frac{1}{n-1},\quad
        V_N[I] = \frac{n^2 S_1 - n S_2 + 3 S_0^2}{(n^2-1) S_0^2} - E[I]^2

    and the randomisation variance
    :math:`V_R[I] = \frac{n[(n^2-3n+3)S_1 - nS_2 + 3S_0^2] - k[(n^2-n)S_1 - 2nS_2 + 6S_0^2]}
    {(n-1)(n-2)(n-3)S_0^2} - E[I]^2`, :math:`k = n\sum z^4/(\sum z^2)^2`,
    :math:`S_0 = \sum_{ij} w_{ij}`, :math:`S_1 = \tfrac12\sum_{ij}(w_{ij}+w_{ji})^2`,
    :math:`S_2 = \sum_i (w_{i\cdot}+w_{\cdot i})^2`. Permutation inference shuffles *y* over regions.
    """
    yv, wm = _prepare(y, w)
    wt = transform_weights(wm, transform)
    n = len(yv)
    z = yv - yv.mean()
    z2 = float((z * z).sum())
    s0 = float(wt.sum())
    if s0 == 0:
        raise DataError("Moran's I undefined: the weights have no links")
    s1 = float(0.5 * ((wt + wt.T) ** 2).sum())
    s2 = float(((wt.sum(axis=1) + wt.sum(axis=0)) ** 2).sum())
    i_obs = n / s0 * float(z @ wt @ z) / z2
    ei = -1.0 / (n - 1)
    vn = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n - 1) * (n + 1) * s0 * s0) - ei * ei
    k = (np.sum(z**4) / n) / (z2 / n) ** 2
    a = n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0)
    b = k * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)
    vr = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - ei * ei
    zn, zr = (i_obs - ei) / np.sqrt(vn), (i_obs - ei) / np.sqrt(vr)
    p_sim = ei_sim = se_sim = z_sim = float("nan")
    if permutations > 0:
        rng = np.random.default_rng(seed)
        zp = rng.permuted(np.tile(z, (permutations, 1)), axis=1)
        sim = n / s0 * np.einsum("pi,pi->p", zp, zp @ wt.T) / z2
        p_sim = float(_folded_p(sim[:, None], np.array([i_obs]))[0])
        ei_sim, se_sim = float(sim.mean()), float(sim.std())
        z_sim = (i_obs - ei_sim) / se_sim if se_sim > 0 else float("nan")
    return MoranResult(
        I=i_obs,
        EI=ei,
        VI_norm=vn,
        z_norm=float(zn),
        p_norm=float(2 * stats.norm.sf(abs(zn))),
        VI_rand=vr,
        z_rand=float(zr),
        p_rand=float(2 * stats.norm.sf(abs(zr))),
        permutations=permutations,
        p_sim=p_sim,
        EI_sim=ei_sim,
        seI_sim=se_sim,
        z_sim=z_sim,
    )


def local_moran(
    y: pd.Series,
    w: pd.DataFrame,
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    transform: str = "r",
) -> pd.DataFrame:
    r"""Local Moran's :math:`I_i` (LISA; Anselin 1995, *Geogr. Anal.* 27:93–115) with cluster labels.

    .. math::
        I_i = (n-1)\frac{z_i \sum_j w_{ij} z_j}{\sum_k z_k^2},\quad z = \frac{y-\bar y}{\sigma_y}

    Quadrant ``q``: 1 High-High (:math:`z_i>0`, lag > 0), 2 Low-High, 3 Low-Low, 4 High-Low (esda's codes).
    Conditional permutation: for each *i* the other :math:`n-1` values are shuffled and drawn onto *i*'s
    neighbours (one set of random positions serves every *i*, as in esda's ``crand``); ``p_sim`` is the
    folded pseudo p-value. ``label`` is the quadrant where ``p_sim < alpha``, otherwise ``Not significant``;
    regions without neighbours are ``Isolate`` (``p_sim`` NaN). ``EI``/``VI`` are the total-randomisation
    moments of Sokal, Oden & Thomson (1998, *Geogr. Anal.* 30:331–354).
    """
    yv, wm = _prepare(y, w)
    wt = transform_weights(wm, transform)
    n = len(yv)
    z = (yv - yv.mean()) / yv.std()
    den = float((z * z).sum())
    lag = wt @ z
    is_obs = (n - 1) * z * lag / den
    q = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    wi = wt.sum(axis=1)
    wi2 = (wt * wt).sum(axis=1)
    m2 = den / n
    b2 = (np.sum(z**4) / n) / m2**2
    ei = -wi / (n - 1)
    vi = wi2 * (n - b2) / (n - 1) + (wi**2 - wi2) * (2 * b2 - n) / ((n - 1) * (n - 2)) - ei**2
    out = pd.DataFrame(
        {"value": yv, "z": z, "lag": lag, "Is": is_obs, "q": q, "EI": ei, "VI": vi}, index=y.index
    )
    out["quadrant"] = [LISA_LABELS[int(k)] for k in q]
    isolate = wi == 0
    if permutations > 0:
        rng = np.random.default_rng(seed)
        sim = np.zeros((permutations, n))
        ids = np.arange(n)
        kmax = int((wt > 0).sum(axis=1).max())
        # one draw of random positions among the n - 1 others, shared by all regions (as esda does)
        order = np.argsort(rng.random((permutations, n - 1)), axis=1)[:, :kmax]
        for i in range(n):
            nb = np.nonzero(wt[i])[0]
            if len(nb) == 0:
                continue
            others = ids[ids != i]
            sim[:, i] = (n - 1) * z[i] * (z[others[order[:, : len(nb)]]] @ wt[i, nb]) / den
        out["p_sim"] = np.where(isolate, np.nan, _folded_p(sim, is_obs))  # no neighbours: no test
        sd = sim.std(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["z_sim"] = (is_obs - sim.mean(axis=0)) / sd
        sig = out["p_sim"].to_numpy() < alpha
    else:
        zn = (is_obs - ei) / np.sqrt(np.where(vi > 0, vi, np.nan))
        out["p_norm"] = 2 * stats.norm.sf(np.abs(zn))
        sig = out["p_norm"].to_numpy() < alpha
    out["label"] = np.where(isolate, "Isolate", np.where(sig, out["quadrant"], "Not significant"))
    return out


def getis_ord(y: pd.Series, w: pd.DataFrame, star: bool = True) -> pd.DataFrame:
    r"""Getis-Ord local :math:`G_i^*` (Getis & Ord 1992, *Geogr. Anal.* 24:189–206; Ord & Getis 1995).

    With :math:`w^*` the weights including the region itself (:math:`w_{ii}=1`, when ``star``):

    .. math::
        G_i^* = \frac{\sum_j w^*_{ij} y_j}{\sum_j y_j},\quad E[G_i^*] = \frac{W_i}{n},\quad
        V[G_i^*] = \frac{n S_{1i} - W_i^2}{n-1}\,\frac{s^2}{(n\bar y)^2},\quad
        Z_i = \frac{G_i^* - E[G_i^*]}{\sqrt{V[G_i^*]}}

    :math:`W_i = \sum_j w^*_{ij}`, :math:`S_{1i} = \sum_j w^{*2}_{ij}`, :math:`s^2 = \sum y^2/n - \bar y^2`.
    ``label``: hot/cold spot at 99 %, 95 % or 90 % confidence (two-sided normal), else ``Not significant``.
    Needs non-negative *y* (a score or a level).
    """
    yv, wm = _prepare(y, w)
    if (yv < 0).any():
        raise DataError("Getis-Ord G needs non-negative values (e.g. scores or levels)")
    n = len(yv)
    ws = wm.copy()
    if star:
        np.fill_diagonal(ws, 1.0)
    else:
        np.fill_diagonal(ws, 0.0)
    if star:
        total = yv.sum() * np.ones(n)
        nn = n
        ybar = yv.mean()
        s2 = (yv**2).mean() - ybar**2
        s2v, ybarv = np.full(n, s2), np.full(n, ybar)
    else:
        nn = n - 1
        total = yv.sum() - yv
        ybarv = total / nn
        s2v = ((yv**2).sum() - yv**2) / nn - ybarv**2
    g = ws @ yv / total
    wsum = ws.sum(axis=1)
    s1 = (ws**2).sum(axis=1)
    eg = wsum / nn
    vg = (nn * s1 - wsum**2) / (nn - 1) * s2v / (nn * ybarv) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = (g - eg) / np.sqrt(vg)
    p = 2 * stats.norm.sf(np.abs(zs))
    label = np.full(n, "Not significant", dtype=object)
    for conf, crit in ((90, 0.10), (95, 0.05), (99, 0.01)):
        hit = p < crit
        label[hit & (zs > 0)] = f"Hot spot ({conf}%)"
        label[hit & (zs < 0)] = f"Cold spot ({conf}%)"
    return pd.DataFrame({"G": g, "EG": eg, "VG": vg, "Z": zs, "p_norm": p, "label": label}, index=y.index)
