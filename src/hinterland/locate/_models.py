"""Deterministic location models: LSCP, MCLP, p-median, p-center and (multi-commodity) CFLP.

Each model has a ``build_*`` function returning a :class:`~hinterland.locate.MipModel` (assembled
from the ``add_*`` blocks) and a solving function that checks feasibility first (raising
:class:`~hinterland.errors.InfeasibleError` with the numbers and the smallest fix), solves with the
chosen solver and decodes a :class:`LocationResult`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from hinterland.errors import ConfigError, InfeasibleError, SolverError
from hinterland.locate._blocks import (
    add_assignment_rows,
    add_assignment_vars,
    add_budget_row,
    add_capacity_rows,
    add_cover_rows,
    add_coverage_vars,
    add_link_rows,
    add_mclp_rows,
    add_p_row,
    add_site_vars,
    check_p,
    check_reachable,
    coverage,
)
from hinterland.locate._heuristics import greedy_center, greedy_cover, greedy_mclp, greedy_median, interchange
from hinterland.locate._instance import LocationInstance
from hinterland.optim import SOLVERS, MipModel, MipSolution, solve_mip

__all__ = [
    "LocationResult",
    "build_lscp",
    "build_mclp",
    "build_p_center",
    "build_p_median",
    "cflp",
    "evaluate_sites",
    "lscp",
    "mclp",
    "multi_commodity_cflp",
    "p_center",
    "p_median",
    "reduce_lscp",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
ROW_DOMINANCE_MAX = 12_000


@dataclass(frozen=True)
class LocationResult:
    """A solved location model.

    ``sites`` are the open site ids; ``assignment`` is indexed by ``node`` with columns ``site``
    (nearest open site, or the main supplier in capacitated models), ``time`` (its ``d_ij``) and
    ``covered`` (``time ≤ radius`` when a radius applies); ``flows`` (CFLP) lists ``node, site,
    commodity, share, amount``. ``objective`` is in the model's own units; ``bound``/``gap`` are the
    solver's proof of optimality.
    """

    model: str
    objective: float
    sites: tuple[object, ...]
    assignment: pd.DataFrame
    status: str = "optimal"
    bound: float = float("nan")
    gap: float = 0.0
    seconds: float = 0.0
    params: Mapping[str, object] = field(default_factory=dict)
    flows: pd.DataFrame | None = None
    stats: Mapping[str, float] = field(default_factory=dict)


def evaluate_sites(
    inst: LocationInstance, open_idx: IntArray | list[int], radius: float | None = None
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Closest-assignment table and service statistics of a set of open sites (by position).

    Statistics: weighted mean, median, 95th percentile and max of the time to the nearest open site,
    covered weight share within ``radius``, and the unreachable count.
    """
    d, h = inst.d, inst.h
    idx = np.asarray(open_idx, dtype=np.int64)
    sub = d[:, idx] if len(idx) else np.full((d.shape[0], 1), np.inf)
    k = np.argmin(sub, axis=1)
    t = sub[np.arange(len(h)), k]
    site = inst.sites[idx[k]] if len(idx) else pd.Index([None] * len(h))
    covered = np.isfinite(t) if radius is None else t <= radius + 1e-9
    table = pd.DataFrame(
        {"site": np.asarray(site, dtype=object), "time": t, "covered": covered}, index=inst.nodes
    )
    table.loc[~np.isfinite(t), "site"] = None
    fin = np.isfinite(t)
    w = h[fin]
    stats: dict[str, float] = {
        "n_open": float(len(idx)),
        "demand_weight": float(h.sum()),
        "covered_share": float(h[covered].sum() / h.sum()) if h.sum() > 0 else float("nan"),
        "unreachable": float((~fin).sum()),
        "mean_time": float(w @ t[fin] / w.sum()) if w.sum() > 0 else float("nan"),
        "max_time": float(t[fin].max()) if fin.any() else float("nan"),
        "weighted_time": float(w @ t[fin]),
    }
    if fin.any():
        order = np.argsort(t[fin])
        cum = np.cumsum(w[order]) / max(w.sum(), 1e-300)
        ts = t[fin][order]
        stats["median_time"] = float(ts[min(np.searchsorted(cum, 0.5), len(ts) - 1)])
        stats["p95_time"] = float(ts[min(np.searchsorted(cum, 0.95), len(ts) - 1)])
    return table, stats


def _result(
    inst: LocationInstance,
    name: str,
    open_idx: IntArray,
    objective: float,
    sol: MipSolution | None,
    radius: float | None,
    params: Mapping[str, object],
    seconds: float,
    flows: pd.DataFrame | None = None,
) -> LocationResult:
    table, stats = evaluate_sites(inst, open_idx, radius)
    return LocationResult(
        model=name,
        objective=float(objective),
        sites=tuple(inst.sites[open_idx]),
        assignment=table,
        status=sol.status if sol else "heuristic",
        bound=sol.bound if sol else float("nan"),
        gap=sol.gap if sol else float("nan"),
        seconds=seconds,
        params=dict(params),
        flows=flows,
        stats=stats,
    )


def _open(sol: MipSolution, m: MipModel, name: str = "y") -> IntArray:
    return np.flatnonzero(sol.block(m, name) > 0.5).astype(np.int64)


def _check_method(method: str) -> None:
    if method not in {"exact", "heuristic"}:
        raise ConfigError(f"unknown method {method!r}; expected 'exact' or 'heuristic'")


# ---------------------------------------------------------------------------------------------- LSCP
def build_lscp(inst: LocationInstance, radius: float, *, p_max: int | None = None) -> MipModel:
    r"""Location set covering (Toregas, Swain, ReVelle & Bergman 1971, Operations Research 19:1363).

    .. math:: \min \sum_j f_j y_j \quad \text{s.t.} \quad \sum_{j \in N_i} y_j \ge 1\ \forall i,
              \quad y_j \in \{0,1\},\ y_j = 1\ (j\ \text{existing})

    with :math:`N_i = \{j : d_{ij} \le T\}`; ``f_j`` = 1 by default (fewest depots).
    """
    m = MipModel("lscp")
    y = add_site_vars(m, inst, cost=inst.f)
    add_cover_rows(m, coverage(inst.d, radius), y)
    if p_max is not None:
        add_p_row(m, y, p_max, exact=False)
    return m


def lscp(
    inst: LocationInstance,
    radius: float,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    method: str = "exact",
) -> LocationResult:
    """Solve the LSCP (see :func:`build_lscp`); infeasible radii raise with the radius that suffices."""
    _check_method(method)
    check_reachable(inst, radius)
    t0 = time.perf_counter()
    cov = coverage(inst.d, radius)
    start = greedy_cover(cov, inst.f, inst.existing_mask)
    if method == "heuristic":
        return _result(
            inst,
            "lscp",
            start,
            float(inst.f[start].sum()),
            None,
            radius,
            {"radius": radius},
            time.perf_counter() - t0,
        )
    open_idx, sol, shape = _solve_cover(cov, inst.f, inst.existing_mask, solver, time_limit)
    params: dict[str, object] = {"radius": radius, "reduced_shape": shape}
    return _result(inst, "lscp", open_idx, sol.objective, sol, radius, params, time.perf_counter() - t0)


def _solve_cover(
    cov: BoolArray, f: FloatArray, fixed: BoolArray, solver: str, time_limit: float | None
) -> tuple[IntArray, MipSolution, tuple[int, int]]:
    """Optimal set cover of the coverable rows of ``cov`` at site costs ``f`` (``fixed`` kept open):
    :func:`reduce_lscp`, then the reduced MIP warm-started with Chvátal's greedy."""
    if solver not in SOLVERS:
        raise ConfigError(f"unknown solver {solver!r}; expected one of {', '.join(SOLVERS)}")
    t0 = time.perf_counter()
    forced, rows, cols = reduce_lscp(cov, f, fixed)
    if not len(rows):  # the reductions solved it: forced sites cover everything
        open_idx = np.asarray(sorted(forced), dtype=np.int64)
        obj = float(f[open_idx].sum())
        sol = MipSolution("optimal", np.zeros(1), obj, obj, 0.0, time.perf_counter() - t0, solver)
        return open_idx, sol, (0, len(cols))
    sub = cov[np.ix_(rows, cols)]
    m = MipModel("lscp_reduced")
    m.offset = float(f[forced].sum())
    y = m.add_vars("y", len(cols), cost=f[cols], lb=0.0, ub=1.0, integer=True)
    add_cover_rows(m, sub, y)
    x0 = np.zeros(m.n_cols)
    x0[greedy_cover(sub, f[cols])] = 1.0
    sol = solve_mip(m, solver=solver, time_limit=time_limit, start=x0, presolve=False)
    if sol.status == "infeasible":  # cannot happen for coverable rows; kept as a guard
        raise InfeasibleError("set covering is infeasible: some point has no site within the radius")
    open_idx = np.asarray(sorted({*forced.tolist(), *cols[_open(sol, m)].tolist()}), dtype=np.int64)
    return open_idx, sol, (len(rows), len(cols))


def reduce_lscp(cov: BoolArray, f: FloatArray, fixed: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    r"""Exact set-covering reductions (Toregas & ReVelle 1973, "Binary logic solutions to a class of
    location problem", Geographical Analysis 5:145; Daskin 2013 §4.2).

    Repeated until nothing changes:

    * existing depots are opened and the points they cover dropped;
    * **essential columns**: a point covered by one site only forces that site open;
    * **row dominance**: if :math:`N_i \subseteq N_k`, covering ``i`` covers ``k``: drop row ``k``
      (identical rows keep one copy);
    * **column dominance**: if site ``j`` covers a subset of what ``k`` covers and
      :math:`f_k \le f_j`, drop ``j`` (ties keep the lower index).

    Returns ``(forced, rows, cols)``: the sites that must open, and the rows/columns of the reduced
    problem (positions into ``cov``); its optimum plus :math:`\sum_{j \in forced} f_j` is the LSCP optimum.
    """
    n_i, n_j = cov.shape
    forced = np.flatnonzero(fixed).astype(np.int64)
    rows = np.flatnonzero(~cov[:, forced].any(axis=1)) if len(forced) else np.arange(n_i)
    cols = np.setdiff1d(np.arange(n_j), forced)
    cols = cols[cov[np.ix_(rows, cols)].any(axis=0)] if len(rows) else cols[:0]
    while len(rows):
        sub = cov[np.ix_(rows, cols)]
        # essential columns
        single = sub.sum(axis=1) == 1
        if single.any():
            ess = np.unique(np.argmax(sub[single], axis=1))
            forced = np.concatenate([forced, cols[ess]])
            keep_r = ~sub[:, ess].any(axis=1)
            rows = rows[keep_r]
            cols = np.delete(cols, ess)
            if len(rows):
                cols = cols[cov[np.ix_(rows, cols)].any(axis=0)]
            continue
        changed = False
        # duplicate rows
        _, first = np.unique(np.packbits(sub, axis=1), axis=0, return_index=True)
        first = np.sort(first)
        if len(first) < len(rows):
            rows, sub, changed = rows[first], sub[first], True
        # column dominance
        a = sub.astype(np.float32)
        csize = a.sum(axis=0)
        cinter = a.T @ a  # cinter[j, k] = |cov(j) ∩ cov(k)|
        idx = np.arange(len(cols))
        fc = f[cols]
        contained = cinter >= csize[:, None] - 0.5  # contained[j, k]: cov(j) ⊆ cov(k)
        better = (fc[None, :] < fc[:, None] - 1e-12) | (
            (np.abs(fc[None, :] - fc[:, None]) <= 1e-12)
            & ((csize[None, :] > csize[:, None]) | (idx[None, :] < idx[:, None]))
        )
        dominated = contained & better
        np.fill_diagonal(dominated, False)
        drop_c = dominated.any(axis=1) | (csize == 0)
        if drop_c.any():
            cols, sub, changed = cols[~drop_c], sub[:, ~drop_c], True
            continue  # new duplicate rows and essential columns may appear: cheap steps first
        if len(rows) <= ROW_DOMINANCE_MAX:  # |rows|² memory
            a = sub.astype(np.float32)
            size = a.sum(axis=1)
            inter = a @ a.T  # inter[i, k] = |N_i ∩ N_k| (dense BLAS: coverage is often dense)
            sub_of = inter >= size[:, None] - 0.5  # sub_of[i, k]: N_i ⊆ N_k
            np.fill_diagonal(sub_of, False)
            drop_r = sub_of.any(axis=0)  # k contains some other (distinct) row: redundant
            if drop_r.any():
                rows, sub, changed = rows[~drop_r], sub[~drop_r], True
        if not changed:
            break
    return np.unique(forced).astype(np.int64), rows.astype(np.int64), cols.astype(np.int64)


# ---------------------------------------------------------------------------------------------- MCLP
def build_mclp(
    inst: LocationInstance, radius: float, p: int | None = None, budget: float | None = None
) -> MipModel:
    r"""Maximal covering (Church & ReVelle 1974, Papers of the Regional Science Association 32:101).

    .. math:: \max \sum_i h_i z_i \quad \text{s.t.} \quad z_i \le \sum_{j \in N_i} y_j\ \forall i,
              \quad \sum_j y_j = p \ \ (\text{or } \sum_j f_j y_j \le B), \quad y \in \{0,1\},\ z \in [0,1]
    """
    m = MipModel("mclp", sense="max")
    y = add_site_vars(m, inst)
    z = add_coverage_vars(m, inst.h)
    add_mclp_rows(m, coverage(inst.d, radius), y, z)
    if p is not None:
        add_p_row(m, y, p)
    if budget is not None:
        add_budget_row(m, y, inst.f, budget)
    return m


def _check_budget(inst: LocationInstance, budget: float) -> None:
    need = float(inst.f[inst.existing_mask].sum())
    if budget < need:
        raise InfeasibleError(
            f"budget {budget:g} is below the {need:g} the {int(inst.existing_mask.sum())} existing depots "
            f"already cost. Fix: set the budget ≥ {need:g}."
        )


def mclp(
    inst: LocationInstance,
    radius: float,
    p: int | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    method: str = "exact",
) -> LocationResult:
    """Solve the MCLP with ``p`` depots or a ``budget`` on ``Σ f_j y_j``; objective = covered weight."""
    _check_method(method)
    if (p is None) == (budget is None):
        raise ConfigError("mclp needs exactly one of p (number of depots) or budget")
    if p is not None:
        check_p(inst, p)
    if budget is not None:
        _check_budget(inst, budget)
    t0 = time.perf_counter()
    cov = coverage(inst.d, radius)
    h = inst.h
    params: dict[str, object] = {"radius": radius, "p": p, "budget": budget}
    if method == "heuristic" or p is None:
        start = (
            greedy_mclp(cov, h, p, inst.existing_mask, swaps=True)
            if p is not None
            else np.flatnonzero(inst.existing_mask).astype(np.int64)
        )
    if method == "heuristic":
        obj = float(h @ cov[:, start].any(axis=1))
        return _result(inst, "mclp", start, obj, None, radius, params, time.perf_counter() - t0)
    if budget is not None:
        m = build_mclp(inst, radius, p, budget)
        sol = solve_mip(m, solver=solver, time_limit=time_limit)
        elapsed = time.perf_counter() - t0
        return _result(inst, "mclp", _open(sol, m), sol.objective, sol, radius, params, elapsed)
    assert p is not None
    rows, weights, cols = _reduce_mclp(cov, h, inst.existing_mask)
    sub = cov[np.ix_(rows, cols)]
    # columns dropped: rows may now coincide; merge them (weights summed)
    sub, inverse = np.unique(sub, axis=0, return_inverse=True)
    weights = np.bincount(inverse.reshape(-1), weights=weights, minlength=len(sub)).astype(np.float64)
    m = MipModel("mclp_reduced", sense="max")
    fixed_c = inst.existing_mask[cols]
    y = m.add_vars("y", len(cols), lb=fixed_c.astype(float), ub=1.0, integer=True)
    z = add_coverage_vars(m, weights)
    add_mclp_rows(m, sub, y, z)
    add_p_row(m, y, min(p, len(cols)), exact=False)
    warm = greedy_mclp(sub, weights, min(p, len(cols)), fixed_c, swaps=False)
    x0 = np.zeros(m.n_cols)
    x0[y.start + warm] = 1.0
    x0[z] = sub[:, warm].any(axis=1)
    sol = solve_mip(m, solver=solver, time_limit=time_limit, start=x0, presolve=False)
    chosen = list(cols[_open(sol, m)])
    for j in range(inst.shape[1]):  # pad to exactly p sites (extra sites cannot lower the coverage)
        if len(chosen) >= p:
            break
        if j not in chosen:
            chosen.append(j)
    params["reduced_shape"] = (len(sub), len(cols))
    open_idx = np.asarray(sorted(chosen), dtype=np.int64)
    return _result(inst, "mclp", open_idx, sol.objective, sol, radius, params, time.perf_counter() - t0)


def _reduce_mclp(cov: BoolArray, h: FloatArray, fixed: BoolArray) -> tuple[IntArray, FloatArray, IntArray]:
    """Exact MCLP data reduction (Church & ReVelle 1974; Daskin 2013 §5.3).

    Rows: points nobody covers are dropped and points with identical coverage sets merged (weights
    summed). Columns: a site whose coverage set is contained in another's is dropped (ties keep the
    lower index) unless it is an existing depot; with ``Σ y ≤ p`` and padding afterwards the optimum
    is unchanged because the objective never decreases when a site is swapped for one dominating it.
    """
    keep = np.flatnonzero(cov.any(axis=1) & (h > 0))
    patterns, inverse = np.unique(cov[keep], axis=0, return_inverse=True)
    weights = np.bincount(inverse.reshape(-1), weights=h[keep], minlength=len(patterns)).astype(np.float64)
    first_row = np.full(len(patterns), -1, dtype=np.int64)
    first_row[inverse[::-1].reshape(-1)] = keep[::-1]
    c = patterns.astype(np.float64)
    inter = c.T @ c
    size = np.diag(inter)
    contained = inter >= size[:, None] - 0.5  # contained[j, k]: N^{-1}(j) ⊆ N^{-1}(k)
    idx = np.arange(len(size))
    dominated = contained & ((size[None, :] > size[:, None]) | (idx[None, :] < idx[:, None]))
    np.fill_diagonal(dominated, False)
    drop = dominated.any(axis=1) & ~fixed
    cols = np.flatnonzero(~drop).astype(np.int64)
    return first_row, weights, cols


# ------------------------------------------------------------------------------------------ p-median
def _nearest_pairs(d: FloatArray, k: npt.NDArray[np.int64]) -> tuple[IntArray, IntArray, FloatArray]:
    """For each row ``i`` the ``k_i`` nearest finite columns and the next distance (∞ if none)."""
    order = np.argsort(d, axis=1, kind="stable")
    n, m = d.shape
    ranks = np.arange(m)[None, :]
    keep = ranks < k[:, None]
    sorted_d = np.take_along_axis(d, order, axis=1)
    keep &= np.isfinite(sorted_d)
    pi, rank = np.nonzero(keep)
    pj = order[pi, rank]
    nxt = np.where(k < m, sorted_d[np.arange(n), np.minimum(k, m - 1)], np.inf)
    return pi.astype(np.int64), pj.astype(np.int64), nxt


def build_p_median(
    inst: LocationInstance,
    p: int,
    *,
    pairs: tuple[IntArray, IntArray] | None = None,
    dummy_cost: FloatArray | None = None,
    radius: float | None = None,
) -> MipModel:
    r"""p-median (Hakimi 1964; ReVelle & Swain 1970, Geographical Analysis 2:30) with strong linking.

    .. math:: \min \sum_i \sum_j h_i d_{ij} x_{ij} + \sum_i h_i \bar d_i u_i \quad \text{s.t.}\quad
              \sum_j x_{ij} + u_i = 1,\ x_{ij} \le y_j,\ \sum_j y_j = p,\ y \in \{0,1\},\ x, u \ge 0

    ``x`` is continuous (closest assignment is optimal without capacities). ``pairs`` restricts ``x``
    to kept (i, j) pairs — e.g. each ``i``'s ``k`` nearest sites — and ``u_i`` then stands for "any
    farther site" at the lower bound :math:`\bar d_i` (the next-nearest distance), so the restricted
    model is a relaxation; when no ``u_i`` is used its optimum is the true optimum (the k-nearest
    scheme of spopt's ``KNearestPMedian``, made exact). ``radius`` forbids pairs with ``d_ij > T``.
    """
    d, h = inst.d, inst.h
    if radius is not None:
        d = np.where(d <= radius + 1e-9, d, np.inf)
    if pairs is None:
        pi, pj = (a.astype(np.int64) for a in np.nonzero(np.isfinite(d)))
    else:
        pi, pj = pairs
    m = MipModel("p_median")
    y = add_site_vars(m, inst)
    x = add_assignment_vars(m, h[pi] * d[pi, pj])
    extra = None
    if dummy_cost is not None:
        rows = np.flatnonzero(np.isfinite(dummy_cost))
        u = m.add_vars("u", len(rows), cost=h[rows] * dummy_cost[rows], lb=0.0, ub=1.0)
        extra = (rows.astype(np.int64), u)
    add_assignment_rows(m, len(h), pi, x, extra=extra)
    add_link_rows(m, pj, x, y)
    add_p_row(m, y, p)
    return m


def _min_sites_for_radius(
    inst: LocationInstance, radius: float, solver: str, cov: BoolArray | None = None
) -> int:
    """The LSCP optimum (fewest depots, existing ones included) covering every point within ``radius``
    (or the coverage rows ``cov``): the smallest ``p`` for which a radius-constrained model is feasible."""
    cov = coverage(inst.d, radius) if cov is None else cov
    open_idx, _, _ = _solve_cover(cov, np.ones(inst.shape[1]), inst.existing_mask, solver, 60.0)
    return len(open_idx)


def p_median(
    inst: LocationInstance,
    p: int,
    *,
    radius: float | None = None,
    k: int | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    method: str = "exact",
) -> LocationResult:
    r"""Solve the p-median (see :func:`build_p_median`) exactly by iterated k-nearest sparsification.

    Start with each demand point's ``k`` nearest sites (default :math:`\max(10, \lceil 3|J|/p \rceil)`);
    after each solve, double ``k`` for the points whose "farther site" slack is used; stop when none
    is. The first solve is warm-started with greedy + Teitz–Bart interchange. ``radius`` (max service
    time) turns it into a p-median with a service standard.
    """
    _check_method(method)
    check_p(inst, p)
    if radius is not None:
        check_reachable(inst, radius, what="maximum service time")
    d, h = inst.d, inst.h
    dr = d if radius is None else np.where(d <= radius + 1e-9, d, np.inf)
    t0 = time.perf_counter()
    fixed = inst.existing_mask
    start = interchange(dr, h, greedy_median(dr, h, p, fixed), fixed)
    params: dict[str, object] = {"p": p, "radius": radius}
    feasible_start = radius is None or bool(np.isfinite(dr[:, start].min(axis=1)).all())
    if method == "heuristic":
        if not feasible_start:
            raise InfeasibleError(
                f"the heuristic found no {p} depots serving every point within {radius} {inst.unit}; "
                "use method='exact' or raise p or the radius"
            )
        obj = float(h @ dr[:, start].min(axis=1))
        return _result(inst, "p_median", start, obj, None, radius, params, time.perf_counter() - t0)
    n_i, n_j = d.shape
    k0 = k if k is not None else (n_j if n_j <= 60 else max(10, math.ceil(3 * n_j / p)))
    kk = np.full(n_i, min(k0, n_j), dtype=np.int64)
    first = True
    while True:
        pi, pj, nxt = _nearest_pairs(dr, kk)
        m = build_p_median(inst, p, pairs=(pi, pj), dummy_cost=nxt, radius=radius)
        x0 = None
        if first and feasible_start:
            x0 = np.zeros(m.n_cols)
            x0[m.cols["y"].start + start] = 1.0
            near = start[np.argmin(dr[:, start], axis=1)]
            hit = np.zeros((n_i, n_j), bool)
            hit[np.arange(n_i), near] = True
            assigned = hit[pi, pj]
            x0[m.cols["x"]] = assigned
            has = np.zeros(n_i, bool)
            has[pi[assigned]] = True
            u_rows = np.flatnonzero(np.isfinite(nxt))
            x0[m.cols["u"]] = ~has[u_rows]
        first = False
        sol = solve_mip(m, solver=solver, time_limit=time_limit, start=x0)
        if sol.status == "infeasible":
            need = _min_sites_for_radius(inst, radius if radius is not None else np.inf, solver)
            raise InfeasibleError(
                f"no {p} depots can serve every demand point within {radius} {inst.unit}: at least {need} "
                f"are needed. Fix: set p ≥ {need}, or raise the maximum service time "
                f"(run p-center with p = {p} for the smallest radius that works)."
            )
        u = sol.block(m, "u")
        rows = np.flatnonzero(np.isfinite(nxt))
        used = rows[u > 1e-6]
        if not len(used) or (kk[used] >= n_j).all():
            break
        kk[used] = np.minimum(kk[used] * 2, n_j)
    open_idx = _open(sol, m)
    params["k_final_max"] = int(kk.max())
    return _result(inst, "p_median", open_idx, sol.objective, sol, radius, params, time.perf_counter() - t0)


# ------------------------------------------------------------------------------------------ p-center
def build_p_center(inst: LocationInstance, p: int) -> MipModel:
    r"""p-center as one MIP (Hakimi 1965, Operations Research 13:462):

    .. math:: \min W \ \text{s.t.}\ \sum_j x_{ij} = 1,\ x_{ij} \le y_j,\ \sum_j y_j = p,\
              \sum_j d_{ij} x_{ij} \le W\ \forall i

    Its LP bound is weak; :func:`p_center` solves by bisection instead unless ``method='mip'``.
    """
    d = inst.d
    pi, pj = (a.astype(np.int64) for a in np.nonzero(np.isfinite(d)))
    m = MipModel("p_center")
    y = add_site_vars(m, inst)
    x = add_assignment_vars(m, np.zeros(len(pi)))
    w = m.add_vars("W", 1, cost=1.0, lb=0.0)
    add_assignment_rows(m, d.shape[0], pi, x)
    add_link_rows(m, pj, x, y)
    add_p_row(m, y, p)
    n = d.shape[0]
    rows = np.concatenate([pi, np.arange(n)])
    cols = np.concatenate([x.start + np.arange(len(pi)), np.full(n, w.start)])
    vals = np.concatenate([d[pi, pj], -np.ones(n)])
    m.add_rows("max_time", n, rows, cols, vals, upper=0.0)
    return m


def _cover_within(
    inst: LocationInstance, radius: float, p: int, solver: str, time_limit: float | None
) -> IntArray | None:
    """Some ≤ p sites covering every point within ``radius`` (existing kept), or None if none exist."""
    cov = coverage(inst.d, radius)
    if not cov.any(axis=1).all():
        return None
    greedy = greedy_cover(cov, None, inst.existing_mask)
    if len(greedy) <= p:
        return greedy
    open_idx, sol, _ = _solve_cover(cov, np.ones(inst.shape[1]), inst.existing_mask, solver, time_limit)
    if sol.status != "optimal":
        raise SolverError(f"p-center probe at radius {radius:g} undecided within {time_limit} s")
    return open_idx if len(open_idx) <= p else None


def p_center(
    inst: LocationInstance,
    p: int,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    method: str = "bisection",
) -> LocationResult:
    r"""Solve the (unweighted, vertex) p-center: :math:`\min_{|Y|=p} \max_i \min_{j \in Y} d_{ij}`.

    ``method='bisection'`` (default): binary search over the sorted distinct :math:`d_{ij}` between
    the lower bound :math:`\max_i \min_j d_{ij}` and the greedy-heuristic value, each probe a
    set-cover feasibility MIP "≤ p sites cover all within r" (Minieka 1970, SIAM Review 12:138;
    Daskin 2013 §5.2). ``'mip'``: :func:`build_p_center`. ``'heuristic'``: greedy + swaps.
    """
    if method not in {"bisection", "mip", "heuristic"}:
        raise ConfigError(f"unknown p-center method {method!r}; expected bisection, mip or heuristic")
    check_p(inst, p)
    check_reachable(inst, np.inf)
    d = inst.d
    t0 = time.perf_counter()
    fixed = inst.existing_mask
    start = greedy_center(d, p, fixed, swaps=d.size <= 100_000)
    ub = float(np.min(d[:, start], axis=1).max())
    params: dict[str, object] = {"p": p, "method": method}
    if method == "heuristic":
        return _result(inst, "p_center", start, ub, None, None, params, time.perf_counter() - t0)
    if method == "mip":
        m = build_p_center(inst, p)
        x0 = np.zeros(m.n_cols)
        x0[start] = 1.0
        pi, pj = np.nonzero(np.isfinite(d))
        near = start[np.argmin(d[:, start], axis=1)]
        x0[m.cols["x"]] = near[pi] == pj
        x0[m.cols["W"]] = ub
        sol = solve_mip(m, solver=solver, time_limit=time_limit, start=x0)
        return _result(
            inst, "p_center", _open(sol, m), sol.objective, sol, None, params, time.perf_counter() - t0
        )
    lb = float(np.min(d, axis=1).max())
    values = np.unique(d[np.isfinite(d)])
    values = values[(values >= lb - 1e-12) & (values <= ub + 1e-12)]
    lo, hi = 0, len(values) - 1
    best = start
    probes = 0
    while lo < hi:
        mid = (lo + hi) // 2
        found = _cover_within(inst, float(values[mid]), p, solver, time_limit)
        probes += 1
        if found is None:
            lo = mid + 1
        else:
            hi = mid
            best = found
    radius = float(values[hi])
    if float(np.min(d[:, best], axis=1).max()) > radius + 1e-9:  # the heuristic is optimal: keep it
        best = start
    if len(best) < p:  # pad with the sites that lower total weighted time most (radius unchanged)
        best = greedy_median(d, inst.h, p, np.isin(np.arange(d.shape[1]), best))
    params["probes"] = probes
    dummy = MipSolution("optimal", np.zeros(1), radius, radius, 0.0, time.perf_counter() - t0, solver)
    return _result(inst, "p_center", best, radius, dummy, radius, params, time.perf_counter() - t0)


# ------------------------------------------------------------------------------------------------ CFLP
def _as_frame(
    values: pd.DataFrame | pd.Series | FloatArray, index: pd.Index, cols: pd.Index, what: str
) -> FloatArray:
    if isinstance(values, pd.Series):
        values = values.to_frame()
    if isinstance(values, pd.DataFrame):
        if list(values.columns) != list(cols) and len(cols) == 1 and values.shape[1] == 1:
            values = values.set_axis(cols, axis=1)
        missing = [c for c in cols if c not in values.columns]
        if missing:
            raise ConfigError(f"{what}: no column for commodity {missing}")
        return np.asarray(values.reindex(index=index, columns=cols).to_numpy(dtype=float))
    arr = np.asarray(values, dtype=float)
    return np.broadcast_to(arr, (len(index), len(cols))).copy()


def multi_commodity_cflp(
    inst: LocationInstance,
    demand: pd.DataFrame,
    capacity: pd.DataFrame | FloatArray,
    depot_cost: pd.DataFrame | FloatArray,
    *,
    transport_cost: Mapping[str, float] | None = None,
    site_cost: FloatArray | None = None,
    radius: float | Mapping[str, float] | None = None,
    p: int | None = None,
    budget: float | None = None,
    single_source: bool = False,
    solver: str = "highs",
    time_limit: float | None = None,
) -> LocationResult:
    r"""Multi-commodity capacitated facility location (after Daskin 2013 §7; Sridharan 1995, EJOR 87:203).

    .. math::
        \min \sum_j F_j y_j + \sum_{j,c} f_{jc} w_{jc} + \sum_{i,j,c} t_c\, d_{ij}\, h_{ic}\, x_{ijc}
        \quad\text{s.t.}\quad \sum_j x_{ijc} = 1\ \forall i,c; \quad
        \sum_i h_{ic} x_{ijc} \le Q_{jc} w_{jc}\ \forall j,c; \quad
        x_{ijc} \le w_{jc}; \quad w_{jc} \le y_j; \quad \sum_j y_j \le p; \quad
        \sum_j F_j y_j + \sum_{jc} f_{jc} w_{jc} \le B

    ``demand`` is node × commodity (``h_ic``), ``capacity``/``depot_cost`` site × commodity (``Q_jc``,
    ``f_jc``); ``site_cost`` ``F_j`` is shared by the commodities of one site (default 0); ``t_c`` is the
    transport cost per unit and hour (default 0: the objective is depot cost only). ``radius`` (per
    commodity allowed) forbids ``d_ij > T_c``. ``single_source`` makes ``x`` binary. Existing sites are
    open for every commodity.
    """
    commodities = pd.Index(demand.columns, name="commodity")
    h = _as_frame(demand, inst.nodes, commodities, "demand")
    q = _as_frame(capacity, inst.sites, commodities, "capacity")
    fc = _as_frame(depot_cost, inst.sites, commodities, "depot_cost")
    site_f = np.zeros(inst.shape[1]) if site_cost is None else np.asarray(site_cost, float)
    tcost = transport_cost or {}
    d = inst.d
    n_i, n_j = d.shape
    if p is not None:
        check_p(inst, p)
    params: dict[str, object] = {"p": p, "budget": budget, "radius": radius, "single_source": single_source}
    radii = {
        c: (
            radius.get(str(c), np.inf)
            if isinstance(radius, Mapping)
            else (np.inf if radius is None else radius)
        )
        for c in commodities
    }
    for c_pos, c in enumerate(commodities):
        total, cap = float(h[:, c_pos].sum()), q[:, c_pos]
        avail = cap if p is None else np.sort(cap)[::-1][:p]
        if float(avail.sum()) < total - 1e-9:
            per = float(np.max(cap)) if len(cap) else 0.0
            extra = math.ceil((total - float(avail.sum())) / per) if per > 0 else math.inf
            scope = "all candidate sites" if p is None else f"the {p} largest sites"
            fix = (
                f"raise p to at least {p + extra}"
                if p is not None and p + extra <= n_j
                else f"raise depot capacity to ≥ {total / max(len(avail), 1):,.4g} per site "
                f"or add ≥ {extra} sites"
            )
            raise InfeasibleError(
                f"commodity {c}: demand {total:,.6g} exceeds the capacity {float(avail.sum()):,.6g} "
                f"of {scope}. "
                f"Fix: {fix}."
            )
        if np.isfinite(radii[c]):
            check_reachable(inst, radii[c], what=f"service time for {c}")
            reach = np.where(coverage(d, radii[c]), 1.0, 0.0) @ np.where(np.isfinite(cap), cap, 1e300)
            short = np.flatnonzero(reach < h[:, c_pos] - 1e-9)
            if len(short):
                raise InfeasibleError(
                    f"commodity {c}: {len(short)} demand point(s) need more than all depots within "
                    f"{radii[c]:g} {inst.unit} could hold (e.g. {inst.nodes[short[0]]}: demand "
                    f"{h[short[0], c_pos]:,.6g} vs reachable capacity {reach[short[0]]:,.6g}). "
                    "Fix: raise the depot capacity or the service time."
                )
    finite_radii = [c for c in commodities if np.isfinite(radii[c])]
    if p is not None and finite_radii:
        cov = np.vstack([coverage(d, radii[c])[h[:, list(commodities).index(c)] > 0] for c in finite_radii])
        n_need = _min_sites_for_radius(inst, np.inf, solver, cov)
        if n_need > p:
            times = ", ".join(f"{c} {radii[c]:g} {inst.unit}" for c in finite_radii)
            raise InfeasibleError(
                f"p = {p} depots cannot serve every demand point within the service time(s) ({times}): "
                f"the set-covering model (LSCP) needs at least {n_need} depots. Fix: set p ≥ {n_need}, or "
                "raise the service time."
            )
    if budget is not None:
        need = float((site_f + fc.sum(axis=1))[inst.existing_mask].sum())
        if budget < need:
            raise InfeasibleError(
                f"budget {budget:g} is below the {need:g} existing depots cost. Fix: budget ≥ {need:g}."
            )
    t0 = time.perf_counter()
    m = MipModel("cflp")
    y = add_site_vars(m, inst, cost=site_f)
    n_c = len(commodities)
    w = m.add_vars(
        "w",
        n_j * n_c,
        cost=fc.T.reshape(-1),
        lb=np.repeat(inst.existing_mask[None, :], n_c, 0).reshape(-1).astype(float),
        ub=1.0,
        integer=True,
    )
    # w index = c * n_j + j
    blocks: list[tuple[object, IntArray, IntArray, slice]] = []
    for c_pos, c in enumerate(commodities):
        ok = np.isfinite(d) & (d <= radii[c] + 1e-9) & (h[:, c_pos] > 0)[:, None]
        pi, pj = (a.astype(np.int64) for a in np.nonzero(ok))
        t = float(tcost.get(str(c), 0.0))
        x = m.add_vars(
            f"x_{c_pos}", len(pi), cost=t * d[pi, pj] * h[pi, c_pos], lb=0.0, ub=1.0, integer=single_source
        )
        blocks.append((c, pi, pj, x))
        rows_i = np.flatnonzero(h[:, c_pos] > 0)
        pos = np.full(n_i, -1, dtype=np.int64)
        pos[rows_i] = np.arange(len(rows_i))
        m.add_rows(
            f"assign_{c_pos}", len(rows_i), pos[pi], x.start + np.arange(len(pi)), 1.0, lower=1.0, upper=1.0
        )
        wc = slice(w.start + c_pos * n_j, w.start + (c_pos + 1) * n_j)
        add_capacity_rows(m, pj, h[pi, c_pos], x, wc, q[:, c_pos], name=f"capacity_{c_pos}")
        add_link_rows(m, pj, x, wc, name=f"link_{c_pos}")
    k = np.arange(n_j * n_c)
    m.add_rows(
        "site_open",
        n_j * n_c,
        np.concatenate([k, k]),
        np.concatenate([w.start + k, y.start + np.tile(np.arange(n_j), n_c)]),
        np.concatenate([np.ones(len(k)), -np.ones(len(k))]),
        upper=0.0,
    )
    if p is not None:
        add_p_row(m, y, p, exact=False)
    if budget is not None:
        cols = np.concatenate([np.arange(y.start, y.stop), w.start + k])
        m.add_rows(
            "budget", 1, np.zeros(len(cols)), cols, np.concatenate([site_f, fc.T.reshape(-1)]), upper=budget
        )
    sol = solve_mip(m, solver=solver, time_limit=time_limit)
    if sol.status == "infeasible":
        raise InfeasibleError(
            "the capacitated model has no solution although each commodity's total capacity and every "
            f"point's reachable capacity suffice: the combination of p = {p}, budget = {budget} and the "
            "service times is too tight. Fix: raise p or the budget, or the service time."
        )
    rows = []
    for c, pi, pj, x in blocks:
        xs = sol.x[x]
        nz = xs > 1e-7
        c_pos = list(commodities).index(c)
        rows.append(
            pd.DataFrame(
                {
                    "node": inst.nodes[pi[nz]],
                    "site": inst.sites[pj[nz]],
                    "commodity": c,
                    "share": xs[nz],
                    "amount": xs[nz] * h[pi[nz], c_pos],
                    "time": d[pi[nz], pj[nz]],
                }
            )
        )
    flows = pd.concat(rows, ignore_index=True)
    wv = sol.block(m, "w").reshape(n_c, n_j) > 0.5
    open_idx = np.flatnonzero(wv.any(axis=0) | (sol.block(m, "y") > 0.5) & (site_f > 0)).astype(np.int64)
    params["depots"] = {
        str(c): [str(s) for s in inst.sites[wv[c_pos]]] for c_pos, c in enumerate(commodities)
    }
    res = _result(inst, "cflp", open_idx, sol.objective, sol, None, params, time.perf_counter() - t0, flows)
    main = flows.sort_values("amount", ascending=False).drop_duplicates("node").set_index("node")
    res.assignment["supplier"] = main["site"].reindex(res.assignment.index)
    return res


def cflp(
    inst: LocationInstance,
    *,
    radius: float | None = None,
    p: int | None = None,
    budget: float | None = None,
    transport_cost: float = 1.0,
    single_source: bool = False,
    solver: str = "highs",
    time_limit: float | None = None,
) -> LocationResult:
    r"""Single-commodity CFLP: :math:`\min \sum_j f_j y_j + t\sum_{ij} d_{ij} h_i x_{ij}` s.t. capacities.

    Uses ``inst.capacity`` (``Q_j``) and ``inst.fixed_cost`` (``f_j``); see :func:`multi_commodity_cflp`.
    """
    demand = pd.DataFrame({"demand": inst.h}, index=inst.nodes)
    return multi_commodity_cflp(
        inst,
        demand,
        inst.q[:, None],
        inst.f[:, None],
        transport_cost={"demand": transport_cost},
        radius=radius,
        p=p,
        budget=budget,
        single_source=single_source,
        solver=solver,
        time_limit=time_limit,
    )
