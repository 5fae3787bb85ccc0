"""Fast heuristics: warm starts for the exact models and answers for instances beyond exact reach.

* :func:`greedy_cover` — Chvátal's (1979) greedy set cover, ``H(max |N_i|)``-approximate.
* :func:`greedy_median` + :func:`interchange` — greedy adding (Kuehn & Hamburger 1963) followed by
  the vertex substitution of Teitz & Bart (1968), the classic p-median heuristic.
* :func:`greedy_mclp` — greedy adding for maximal covering (Church & ReVelle 1974) + swaps.
* :func:`greedy_center` — greedy adding on the max-distance objective + swaps.

All are vectorised over demand points with numpy and deterministic (ties → lowest index).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["greedy_center", "greedy_cover", "greedy_mclp", "greedy_median", "interchange"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
BIG = 1e30


def _finite(d: FloatArray, penalty: float = BIG) -> FloatArray:
    return np.where(np.isfinite(d), d, penalty)


def greedy_cover(cov: BoolArray, cost: FloatArray | None = None, fixed: BoolArray | None = None) -> IntArray:
    r"""Chvátal's greedy cover: repeatedly open the site with least cost per newly covered point.

    .. math:: j^* = \arg\min_j c_j / |N^{-1}(j) \cap U|

    Returns the opened site indices (existing ``fixed`` ones first). Points no site covers stay uncovered.
    """
    n, m = cov.shape
    c = np.ones(m) if cost is None else np.maximum(np.asarray(cost, float), 1e-12)
    chosen: list[int] = [int(j) for j in np.flatnonzero(fixed)] if fixed is not None else []
    uncovered = ~cov[:, chosen].any(axis=1) if chosen else np.ones(n, bool)
    uncovered &= cov.any(axis=1)
    covi = cov.astype(np.int32)
    while uncovered.any():
        gain = uncovered.astype(np.int32) @ covi
        ratio = np.where(gain > 0, c / np.maximum(gain, 1), np.inf)
        j = int(np.argmin(ratio))
        chosen.append(j)
        uncovered &= ~cov[:, j]
    return np.asarray(sorted(set(chosen)), dtype=np.int64)


def _median_cost(d: FloatArray, h: FloatArray, open_: IntArray) -> float:
    return float(h @ d[:, open_].min(axis=1))


def greedy_median(d: FloatArray, h: FloatArray, p: int, fixed: BoolArray | None = None) -> IntArray:
    r"""Greedy adding for p-median: open the site that lowers :math:`\sum_i h_i \min_{j\in Y} d_{ij}` most."""
    dd = _finite(d)
    chosen: list[int] = [int(j) for j in np.flatnonzero(fixed)] if fixed is not None else []
    best = dd[:, chosen].min(axis=1) if chosen else np.full(d.shape[0], BIG)
    while len(chosen) < p:
        cost = h @ np.minimum(dd, best[:, None])
        cost[chosen] = np.inf
        j = int(np.argmin(cost))
        chosen.append(j)
        best = np.minimum(best, dd[:, j])
    return np.asarray(sorted(chosen), dtype=np.int64)


def _swap_search(
    evaluate: Callable[[IntArray], float],
    n_sites: int,
    open_: IntArray,
    fixed: BoolArray | None,
    max_iter: int,
) -> IntArray:
    current = np.array(sorted(open_), dtype=np.int64)
    value = evaluate(current)
    movable = np.ones(n_sites, bool) if fixed is None else ~fixed
    for _ in range(max_iter):
        improved = False
        for out in [int(j) for j in current if movable[j]]:
            candidates = np.setdiff1d(np.arange(n_sites), current)
            best_val, best_in = value, -1
            for inn in candidates:
                trial = np.where(current == out, inn, current)
                v = evaluate(trial)
                if v < best_val - 1e-9 * max(1.0, abs(best_val)):
                    best_val, best_in = v, int(inn)
            if best_in >= 0:
                current = np.array(sorted(np.where(current == out, best_in, current)), dtype=np.int64)
                value = best_val
                improved = True
        if not improved:
            break
    return current


def interchange(
    d: FloatArray, h: FloatArray, open_: IntArray, fixed: BoolArray | None = None, max_iter: int = 50
) -> IntArray:
    r"""Teitz & Bart (1968) vertex substitution for p-median, with the fast swap evaluation.

    For each open site ``r`` and closed site ``k`` the swap cost is
    :math:`\sum_i h_i \min(d_{ik}, d^{(-r)}_i)`, where :math:`d^{(-r)}_i` is ``i``'s distance to the
    nearest open site other than ``r`` (its nearest if that is not ``r``, else its second nearest).
    The best improving swap per removed site is applied until none improves.
    """
    dd = _finite(d)
    n_sites = d.shape[1]
    movable = np.ones(n_sites, bool) if fixed is None else ~fixed
    current = np.array(sorted(open_), dtype=np.int64)
    if len(current) >= n_sites:
        return current
    for _ in range(max_iter):
        improved = False
        for r in [int(j) for j in current if movable[j]]:
            sub = dd[:, current]
            order = np.argsort(sub, axis=1)[:, :2]
            first = sub[np.arange(len(h)), order[:, 0]]
            second = sub[np.arange(len(h)), order[:, 1]] if len(current) > 1 else np.full(len(h), BIG)
            without = np.where(current[order[:, 0]] == r, second, first)
            base = float(h @ first)
            closed = np.setdiff1d(np.arange(n_sites), current)
            costs = h @ np.minimum(dd[:, closed], without[:, None])
            k = int(np.argmin(costs))
            if costs[k] < base - 1e-9 * max(1.0, abs(base)):
                current = np.array(sorted(np.where(current == r, closed[k], current)), dtype=np.int64)
                improved = True
        if not improved:
            break
    return current


def greedy_mclp(
    cov: BoolArray, h: FloatArray, p: int, fixed: BoolArray | None = None, swaps: bool = True
) -> IntArray:
    r"""Greedy adding for MCLP: open the site covering the most still-uncovered weight; then 1-swaps."""
    chosen: list[int] = [int(j) for j in np.flatnonzero(fixed)] if fixed is not None else []
    covered = cov[:, chosen].any(axis=1) if chosen else np.zeros(cov.shape[0], bool)
    covf = cov.astype(float)
    while len(chosen) < p:
        gain = (h * ~covered) @ covf
        gain[chosen] = -1.0
        j = int(np.argmax(gain))
        chosen.append(j)
        covered |= cov[:, j]
    result = np.asarray(sorted(chosen), dtype=np.int64)
    if not swaps or len(result) >= cov.shape[1]:
        return result

    def lost(open_: IntArray) -> float:
        return -float(h @ cov[:, open_].any(axis=1))

    return _swap_search(lost, cov.shape[1], result, fixed, max_iter=5)


def greedy_center(d: FloatArray, p: int, fixed: BoolArray | None = None, swaps: bool = True) -> IntArray:
    r"""Greedy adding for p-center: open the site that lowers :math:`\max_i \min_{j \in Y} d_{ij}` most.

    Ties on the max are broken by the sum of distances; then 1-swaps on (max, sum).
    """
    dd = _finite(d)
    chosen: list[int] = [int(j) for j in np.flatnonzero(fixed)] if fixed is not None else []
    best = dd[:, chosen].min(axis=1) if chosen else np.full(d.shape[0], BIG)
    while len(chosen) < p:
        trial = np.minimum(dd, best[:, None])
        score = trial.max(axis=0) + 1e-9 * trial.mean(axis=0)
        score[chosen] = np.inf
        j = int(np.argmin(score))
        chosen.append(j)
        best = np.minimum(best, dd[:, j])
    result = np.asarray(sorted(chosen), dtype=np.int64)
    if not swaps or len(result) >= d.shape[1]:
        return result

    def radius(open_: IntArray) -> float:
        m = dd[:, open_].min(axis=1)
        return float(m.max() + 1e-9 * m.mean())

    return _swap_search(radius, d.shape[1], result, fixed, max_iter=5)
