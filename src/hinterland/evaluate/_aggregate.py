"""Aggregation of a normalised decision matrix: weighted sum, TOPSIS, VIKOR; coupling coordination; obstacles.

Every function takes a normalised matrix ``z`` (alternatives × criteria, larger is better in every
column) and weights ``w`` (criteria, summing to one).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from hinterland.errors import ConfigError, DataError

__all__ = [
    "CCD_GRADES",
    "METHODS",
    "aggregate",
    "ccd_grade",
    "coupling_coordination",
    "obstacle_degree",
    "top_obstacles",
    "topsis",
    "vikor",
    "weighted_sum",
]

METHODS = ("topsis", "vikor", "weighted-sum")

#: Ten-grade scale of the coupling coordination degree D, upper bounds inclusive (e.g. 田深圳 et al. 2021,
#: 地理学报 76(4):781, Table 1).
CCD_GRADES: tuple[tuple[float, str, str], ...] = (
    (0.1, "极度失调", "extreme disorder"),
    (0.2, "严重失调", "serious disorder"),
    (0.3, "中度失调", "moderate disorder"),
    (0.4, "轻度失调", "mild disorder"),
    (0.5, "濒临失调", "verge of disorder"),
    (0.6, "勉强协调", "barely coordinated"),
    (0.7, "初级协调", "primary coordination"),
    (0.8, "中级协调", "intermediate coordination"),
    (0.9, "良好协调", "good coordination"),
    (1.0, "优质协调", "quality coordination"),
)


def _align(z: pd.DataFrame, w: pd.Series) -> np.ndarray:
    missing = [str(c) for c in z.columns if c not in w.index]
    extra = [str(c) for c in w.index if c not in set(z.columns)]
    if missing or extra:
        raise ConfigError(f"weights do not match the criteria: missing {missing}, unknown {extra}.")
    wv = w.reindex(z.columns).to_numpy(dtype=float)
    if abs(wv.sum() - 1.0) > 1e-6:
        raise ConfigError(f"weights sum to {wv.sum():.6g}, expected 1. Fix: normalise them.")
    return np.asarray(wv, dtype=float)


def weighted_sum(z: pd.DataFrame, w: pd.Series) -> pd.Series:
    r"""Simple additive weighting: :math:`U_i = \sum_j w_j z_{ij}` (Fishburn 1967; Hwang & Yoon 1981, §4)."""
    wv = _align(z, w)
    return pd.Series(z.to_numpy(dtype=float) @ wv, index=z.index, name="score")


def topsis(z: pd.DataFrame, w: pd.Series) -> pd.DataFrame:
    r"""TOPSIS closeness to the ideal (Hwang & Yoon 1981, *Multiple Attribute Decision Making*, pp. 128–140).

    .. math::
        v_{ij} = w_j z_{ij},\; v_j^{+} = \max_i v_{ij},\; v_j^{-} = \min_i v_{ij},\;
        D_i^{\pm} = \lVert v_i - v^{\pm}\rVert_2,\; C_i = \frac{D_i^-}{D_i^+ + D_i^-}

    Returns columns ``d_plus``, ``d_minus`` and ``score`` (:math:`C_i`, larger is better).
    """
    wv = _align(z, w)
    v = z.to_numpy(dtype=float) * wv
    d_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    denom = d_plus + d_minus
    score = np.divide(d_minus, denom, out=np.full_like(denom, 0.5), where=denom > 0)
    return pd.DataFrame({"d_plus": d_plus, "d_minus": d_minus, "score": score}, index=z.index)


def vikor(z: pd.DataFrame, w: pd.Series, v: float = 0.5) -> pd.DataFrame:
    r"""VIKOR compromise ranking (Opricovic & Tzeng 2004, *EJOR* 156:445–455).

    .. math::
        S_i = \sum_j w_j\frac{f_j^* - z_{ij}}{f_j^* - f_j^-},\;
        R_i = \max_j w_j\frac{f_j^* - z_{ij}}{f_j^* - f_j^-},\;
        Q_i = v\frac{S_i - S^*}{S^- - S^*} + (1-v)\frac{R_i - R^*}{R^- - R^*}

    with :math:`f_j^* = \max_i z_{ij}`, :math:`f_j^- = \min_i z_{ij}`, :math:`S^* = \min S`,
    :math:`S^- = \max S`
    (likewise *R*). **Smaller Q is better.** Returns ``S``, ``R``, ``Q`` and ``score`` = :math:`1-Q`.
    """
    if not 0.0 <= v <= 1.0:
        raise ConfigError(f"VIKOR v must lie in [0, 1], got {v}")
    wv = _align(z, w)
    a = z.to_numpy(dtype=float)
    fstar, fminus = a.max(axis=0), a.min(axis=0)
    span = fstar - fminus
    if (span == 0).any():
        const = [str(c) for c, s in zip(z.columns, span, strict=True) if s == 0]
        raise DataError(
            f"VIKOR undefined: criteria {const} are constant across alternatives. Fix: drop them."
        )
    g = wv * (fstar - a) / span
    s, r = g.sum(axis=1), g.max(axis=1)

    def _scaled(x: np.ndarray) -> np.ndarray:
        rng = x.max() - x.min()
        return (x - x.min()) / rng if rng > 0 else np.zeros_like(x)

    q = v * _scaled(s) + (1 - v) * _scaled(r)
    return pd.DataFrame({"S": s, "R": r, "Q": q, "score": 1.0 - q}, index=z.index)


def aggregate(z: pd.DataFrame, w: pd.Series, method: str = "topsis") -> pd.Series:
    """The score of each alternative by ``method`` (topsis, vikor → 1 − Q, weighted-sum); larger is better."""
    if method == "topsis":
        return topsis(z, w)["score"]
    if method == "vikor":
        return vikor(z, w)["score"]
    if method in {"weighted-sum", "weighted_sum", "wsm"}:
        return weighted_sum(z, w)
    raise ConfigError(f"unknown aggregation method {method!r}; expected one of {', '.join(METHODS)}")


def coupling_coordination(
    u: pd.DataFrame, alpha: Mapping[str, float] | pd.Series | None = None, variant: str = "corrected"
) -> pd.DataFrame:
    r"""Coupling degree C, comprehensive index T and coupling coordination degree D across subsystems.

    ``u`` holds the subsystem indices :math:`U_1..U_n \in [0,1]` (alternatives × subsystems).

    *corrected* (default; 王淑佳, 孔伟, 任亮 et al. 2021, 国内耦合协调度模型的误区及修正, 自然资源学报
    36(3):793–810):

    .. math::
        C = \sqrt{\Bigl[1 - \frac{\sum_{i>j}|U_i - U_j|}{\sum_{m=1}^{n-1} m}\Bigr]
              \Bigl[\prod_{i=1}^{n}\frac{U_i}{\max_k U_k}\Bigr]^{\frac{1}{n-1}}}

    (for two systems :math:`C = \sqrt{(1-|U_2-U_1|)\,U_{\min}/U_{\max}}`), which spreads C over [0, 1]
    instead of crowding it near 1.

    *traditional*: :math:`C = n\bigl[\prod_i U_i / (\sum_i U_i)^n\bigr]^{1/n}`.

    Both: :math:`T = \sum_i \alpha_i U_i` (:math:`\alpha_i = 1/n` unless given) and :math:`D = \sqrt{C\,T}`.
    Rows with every :math:`U_i = 0` get C = 0.
    Returns columns ``C``, ``T``, ``D``, ``grade_zh``, ``grade_en``.
    """
    a = u.to_numpy(dtype=float)
    n = a.shape[1]
    if n < 2:
        raise ConfigError("coupling coordination needs at least two subsystems")
    if not np.isfinite(a).all() or (a < -1e-12).any() or (a > 1 + 1e-12).any():
        raise DataError(
            "coupling coordination needs subsystem indices in [0, 1] (e.g. weighted sums of min–max "
            "normalised indicators)."
        )
    a = np.clip(a, 0.0, 1.0)
    if alpha is None:
        al = np.full(n, 1.0 / n)
    else:
        al = pd.Series(dict(alpha.items()), dtype=float).reindex(u.columns).to_numpy()
        if np.isnan(al).any() or abs(al.sum() - 1) > 1e-6:
            raise ConfigError(f"subsystem weights alpha must cover {list(u.columns)} and sum to 1")
    if variant == "corrected":
        iu, ju = np.triu_indices(n, 1)
        spread = np.abs(a[:, iu] - a[:, ju]).sum(axis=1) / (n * (n - 1) / 2)
        mx = a.max(axis=1)
        ratio = np.divide(a, mx[:, None], out=np.zeros_like(a), where=mx[:, None] > 0)
        c = np.sqrt(np.clip(1.0 - spread, 0.0, None) * np.prod(ratio, axis=1) ** (1.0 / (n - 1)))
    elif variant == "traditional":
        total = a.sum(axis=1, keepdims=True)
        share = np.divide(a, total, out=np.zeros_like(a), where=total > 0)
        with np.errstate(divide="ignore"):  # n (prod of shares)^(1/n), in logs to avoid underflow
            c = np.where((share > 0).all(axis=1), n * np.exp(np.log(share).mean(axis=1)), 0.0)
    else:
        raise ConfigError(f"unknown coupling variant {variant!r}; expected corrected or traditional")
    t = a @ al
    d = np.sqrt(c * t)
    out = pd.DataFrame({"C": c, "T": t, "D": d}, index=u.index)
    grades = [ccd_grade(x) for x in d]
    out["grade_zh"] = [g[0] for g in grades]
    out["grade_en"] = [g[1] for g in grades]
    return out


def ccd_grade(d: float) -> tuple[str, str]:
    """The (Chinese, English) grade of a coupling coordination degree D on the ten-grade scale."""
    for upper, zh, en in CCD_GRADES:
        if d <= upper + 1e-12:
            return zh, en
    raise DataError(f"coupling coordination degree {d} outside [0, 1]")


def obstacle_degree(z: pd.DataFrame, w: pd.Series) -> pd.DataFrame:
    r"""Obstacle degree of each criterion for each alternative (in %).

    .. math:: O_{ij} = \frac{F_j I_{ij}}{\sum_k F_k I_{ik}}\times 100,\quad F_j = w_j,\; I_{ij} = 1 - z_{ij}

    with :math:`z` min–max normalised to [0, 1] (e.g. Yao, Li & Liang 2023, *PLOS ONE* 18:e0285113). An
    alternative at the best value on every criterion has no obstacle (all zero).
    """
    wv = _align(z, w)
    dev = 1.0 - z.to_numpy(dtype=float)
    f = wv * dev
    tot = f.sum(axis=1, keepdims=True)
    o = np.divide(f, tot, out=np.zeros_like(f), where=tot > 0) * 100.0
    return pd.DataFrame(o, index=z.index, columns=z.columns)


def top_obstacles(obstacles: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """Long table of each alternative's ``k`` largest obstacles.

    Columns: alternative, rank, criterion, obstacle_pct.
    """
    rows = []
    for alt, row in obstacles.iterrows():
        top = row.sort_values(ascending=False, kind="stable").head(k)
        for rank, (crit, val) in enumerate(top.items(), start=1):
            rows.append({"alternative": alt, "rank": rank, "criterion": crit, "obstacle_pct": float(val)})
    return pd.DataFrame(rows)
