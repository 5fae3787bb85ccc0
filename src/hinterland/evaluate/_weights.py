"""Criterion weights: entropy, CRITIC, standard deviation, equal, user-given, AHP, and combinations.

Objective weights are computed on a *normalised* matrix (larger is better in every column, see
:mod:`hinterland.evaluate._normalise`). All functions return a :class:`pandas.Series` indexed by criterion
that sums to one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hinterland.errors import ConfigError, DataError, UnknownIdError

__all__ = [
    "RANDOM_INDEX",
    "AHPResult",
    "ahp",
    "ahp_weights",
    "combine_weights",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "std_weights",
    "user_weights",
]

#: Saaty's random consistency index RI(n) for n = 1..15 (Saaty 1980, Table 1.7; n > 10 from Saaty 2012).
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)


def _as_frame(z: pd.DataFrame) -> np.ndarray:
    values = z.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise DataError(
            "weights: the normalised matrix has missing or non-finite cells; normalise a checked matrix."
        )
    return np.asarray(values, dtype=float)


def entropy_weights(z: pd.DataFrame) -> pd.Series:
    r"""Entropy weights (Shannon 1948; Zeleny 1982, *Multiple Criteria Decision Making*, §7).

    .. math::
        p_{ij} = \frac{z_{ij}}{\sum_i z_{ij}},\quad
        e_j = -\frac{1}{\ln m}\sum_{i=1}^m p_{ij}\ln p_{ij}\;(0\ln 0 := 0),\quad
        w_j = \frac{1-e_j}{\sum_k (1-e_k)}

    ``z`` must be non-negative with a positive column sum (e.g. min–max normalised).
    """
    v = _as_frame(z)
    if (v < 0).any():
        cols = [str(c) for c, col in zip(z.columns, v.T, strict=True) if (col < 0).any()]
        raise DataError(
            f"entropy weights need non-negative values; negative in {cols}. Fix: use min–max normalisation."
        )
    total = v.sum(axis=0)
    if (total <= 0).any():
        cols = [str(c) for c, t in zip(z.columns, total, strict=True) if t <= 0]
        raise DataError(
            f"entropy weights undefined: column(s) {cols} sum to zero (constant after normalisation)."
        )
    p = v / total
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(v.shape[0])
    d = 1.0 - e
    if d.sum() <= 0:
        raise DataError(
            "entropy weights undefined: every criterion has maximal entropy (all columns uniform)."
        )
    return pd.Series(d / d.sum(), index=z.columns, name="weight")


def critic_weights(z: pd.DataFrame) -> pd.Series:
    r"""CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995, *Comput. Oper. Res.* 22(7):763–770).

    .. math:: C_j = \sigma_j \sum_{k=1}^n (1 - r_{jk}),\qquad w_j = C_j / \sum_k C_k

    with :math:`\sigma_j` the sample standard deviation of column *j* and :math:`r_{jk}` Pearson's
    correlation between columns *j* and *k*.
    """
    v = _as_frame(z)
    sd = v.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise DataError(
            "CRITIC weights undefined for constant columns: "
            f"{[str(c) for c, s in zip(z.columns, sd, strict=True) if s == 0]}."
        )
    r = np.corrcoef(v, rowvar=False) if v.shape[1] > 1 else np.ones((1, 1))
    c = sd * (1.0 - r).sum(axis=0)
    return pd.Series(c / c.sum(), index=z.columns, name="weight")


def std_weights(z: pd.DataFrame) -> pd.Series:
    r"""Standard-deviation weights :math:`w_j = \sigma_j / \sum_k \sigma_k` (sample SD).

    Diakoulaki, Mavrotas & Papayannakis (1995) use it as the contrast part of CRITIC.
    """
    v = _as_frame(z)
    sd = v.std(axis=0, ddof=1)
    if sd.sum() == 0:
        raise DataError("standard-deviation weights undefined: every column is constant.")
    return pd.Series(sd / sd.sum(), index=z.columns, name="weight")


def equal_weights(criteria: pd.Index | list[str]) -> pd.Series:
    r"""Equal weights :math:`w_j = 1/n`."""
    idx = pd.Index(criteria)
    return pd.Series(1.0 / len(idx), index=idx, name="weight")


def user_weights(
    weights: Mapping[str, float] | pd.Series,
    criteria: pd.Index | list[str],
    renormalise: bool = False,
    tol: float = 1e-6,
) -> pd.Series:
    """Weights given by the user, checked: every criterion present, none unknown, ≥ 0, summing to one.

    With ``renormalise=True`` weights that do not sum to one are divided by their sum (an opt-in fix the
    report notes); otherwise a sum off by more than ``tol`` is an error.
    """
    idx = pd.Index(criteria)
    given = pd.Series(dict(weights.items()), dtype=float)
    unknown = sorted(str(c) for c in given.index if c not in set(idx))
    if unknown:
        raise UnknownIdError(
            f"weights given for unknown criteria {unknown}; known: {list(map(str, idx))}. "
            "Fix: correct the ids."
        )
    missing = [str(c) for c in idx if c not in given.index]
    if missing:
        raise ConfigError(
            f"weights missing for criteria {missing}. Fix: give a weight (0 allowed) for every criterion."
        )
    w = given.reindex(idx)
    if (~np.isfinite(w)).any() or (w < 0).any():
        bad = [str(c) for c in idx if not np.isfinite(w[c]) or w[c] < 0]
        raise ConfigError(f"weights must be finite and non-negative; bad: {bad}.")
    total = float(w.sum())
    if abs(total - 1.0) > tol and (not renormalise or total <= 0):
        raise ConfigError(
            f"weights sum to {total:.6g}, expected 1 (±{tol:g}). Fix: correct them, or pass renormalise=True"
            " "
            "(--renormalise) to divide each by the sum."
        )
    return (w / total).rename("weight")


@dataclass(frozen=True)
class AHPResult:
    """Principal-eigenvector AHP priorities with Saaty's consistency measures."""

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    matrix: pd.DataFrame

    def most_inconsistent(self) -> tuple[str, str, float, float]:
        r"""The judgement :math:`a_{ij}` furthest from the ratio :math:`w_i/w_j` its priorities imply.

        Measured by :math:`\varepsilon_{ij} = a_{ij} w_j / w_i` (Saaty 2003, *EJOR* 145:85–91): returns
        ``(i, j, a_ij, w_i/w_j)`` for the pair with the largest
        :math:`\max(\varepsilon_{ij}, 1/\varepsilon_{ij})`.
        """
        a = self.matrix.to_numpy(dtype=float)
        w = self.weights.to_numpy(dtype=float)
        eps = a * w[None, :] / w[:, None]
        dev = np.maximum(eps, 1.0 / eps)
        np.fill_diagonal(dev, 0.0)
        i, j = np.unravel_index(int(np.argmax(dev)), dev.shape)
        names = self.matrix.index
        return str(names[i]), str(names[j]), float(a[i, j]), float(w[i] / w[j])


def ahp(matrix: pd.DataFrame, tol: float = 1e-6) -> AHPResult:
    r"""AHP priorities from a pairwise comparison matrix (Saaty 1977, *J. Math. Psychol.* 15:234–281).

    .. math::
        A w = \lambda_{\max} w,\quad CI = \frac{\lambda_{\max}-n}{n-1},\quad CR = \frac{CI}{RI(n)}

    :math:`w` is the principal right eigenvector scaled to sum to one; :math:`RI` is Saaty's random index
    (:data:`RANDOM_INDEX`). No consistency check here: see :func:`ahp_weights`.
    """
    if matrix.shape[0] != matrix.shape[1] or list(matrix.index) != list(matrix.columns):
        raise ConfigError(
            f"AHP matrix must be square with the same labels on rows and columns; got rows "
            f"{list(matrix.index)} and columns {list(matrix.columns)}."
        )
    a = matrix.to_numpy(dtype=float)
    n = a.shape[0]
    if n < 1 or n > len(RANDOM_INDEX):
        raise ConfigError(f"AHP matrix has {n} items; supported 1–{len(RANDOM_INDEX)}. Fix: group criteria.")
    if not np.isfinite(a).all() or (a <= 0).any():
        raise ConfigError("AHP matrix entries must be positive numbers (Saaty scale 1/9 … 9).")
    if not np.allclose(np.diag(a), 1.0, atol=tol):
        raise ConfigError("AHP matrix diagonal must be 1 (an item compared with itself).")
    recip = np.abs(a * a.T - 1.0)
    if (recip > 1e-3).any():
        i, j = np.unravel_index(int(np.argmax(recip)), recip.shape)
        raise ConfigError(
            f"AHP matrix is not reciprocal: a[{matrix.index[i]}, {matrix.columns[j]}] = {a[i, j]:.4g} but "
            f"a[{matrix.index[j]}, {matrix.columns[i]}] = {a[j, i]:.4g} (expected {1 / a[i, j]:.4g}). "
            "Fix: enter the lower triangle as reciprocals of the upper one."
        )
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals.real[k])
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(pd.Series(w, index=matrix.index, name="weight"), lam, ci, ri, cr, matrix)


def ahp_weights(matrix: pd.DataFrame, max_cr: float = 0.1) -> AHPResult:
    """:func:`ahp` with Saaty's consistency rule: ``CR > max_cr`` is an error naming the worst judgement."""
    res = ahp(matrix)
    if res.cr > max_cr:
        i, j, aij, implied = res.most_inconsistent()
        raise ConfigError(
            f"AHP judgements are inconsistent: CR = {res.cr:.3f} > {max_cr} (λmax = {res.lambda_max:.3f}, "
            f"CI = {res.ci:.3f}, RI = {res.ri:.2f}). Most inconsistent judgement: {i} vs {j} = {aij:.4g}, "
            f"while the other judgements imply about {implied:.3g}. Fix: revise that comparison (and re-check"
            " "
            "its neighbours) until CR ≤ 0.1."
        )
    return res


def combine_weights(
    subjective: pd.Series, objective: pd.Series, method: str = "linear", alpha: float = 0.5
) -> pd.Series:
    r"""Combine subjective (e.g. AHP) and objective (e.g. entropy) weights.

    .. math::
        w_j = \alpha\, w^{s}_j + (1-\alpha)\, w^{o}_j \quad(\text{linear; Ma, Fan \& Huang 1999,
        EJOR 112:397–404}),\qquad
        w_j = \frac{w^{s}_j w^{o}_j}{\sum_k w^{s}_k w^{o}_k}\quad(\text{multiplicative})
    """
    if set(subjective.index) != set(objective.index):
        raise ConfigError(
            f"cannot combine weights over different criteria: {sorted(map(str, subjective.index))} vs "
            f"{sorted(map(str, objective.index))}"
        )
    o = objective.reindex(subjective.index).astype(float)
    s = subjective.astype(float)
    if method == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise ConfigError(f"alpha must lie in [0, 1], got {alpha}")
        w = alpha * s / s.sum() + (1 - alpha) * o / o.sum()
    elif method == "multiplicative":
        w = s * o
        if w.sum() <= 0:
            raise ConfigError(
                "multiplicative combination is all zero: no criterion has both weights positive."
            )
    else:
        raise ConfigError(f"unknown combination {method!r}; expected linear or multiplicative")
    return (w / w.sum()).rename("weight")
