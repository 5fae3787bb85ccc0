"""Named building blocks (``add_*``) of the location MIPs, and the feasibility checks that explain them.

Notation (Daskin 2013, *Network and Discrete Location*, 2nd ed., Wiley): demand points ``i ∈ I`` with
weight ``h_i``; candidate sites ``j ∈ J``; travel time ``d_ij``; coverage sets
``N_i = {j : d_ij ≤ T}``; ``y_j`` open-site binaries; ``x_ij`` assignment shares; ``z_i`` coverage.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hinterland.errors import InfeasibleError
from hinterland.locate._instance import LocationInstance
from hinterland.optim import MipModel

__all__ = [
    "add_assignment_rows",
    "add_assignment_vars",
    "add_budget_row",
    "add_capacity_rows",
    "add_cover_rows",
    "add_coverage_vars",
    "add_link_rows",
    "add_mclp_rows",
    "add_p_row",
    "add_site_vars",
    "check_p",
    "check_reachable",
    "coverage",
    "fmt_ids",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def fmt_ids(ids: object, limit: int = 8) -> str:
    items = list(ids)  # type: ignore[call-overload]
    text = ", ".join(map(str, items[:limit]))
    return text + (f" … ({len(items)} in all)" if len(items) > limit else "")


def coverage(d: FloatArray, radius: float) -> BoolArray:
    """``a_ij = 1[d_ij ≤ T]`` (unreachable pairs, ``inf``, are never covered)."""
    return np.asarray(np.isfinite(d) & (d <= radius + 1e-9))


def check_reachable(inst: LocationInstance, radius: float, *, what: str = "coverage radius") -> None:
    r"""Raise :class:`InfeasibleError` if some ``N_i`` is empty; name the nodes and the radius that fixes it.

    The smallest sufficient radius is :math:`T^* = \max_i \min_j d_{ij}` (Toregas et al. 1971).
    """
    d = inst.d
    nearest = np.min(d, axis=1) if d.shape[1] else np.full(d.shape[0], np.inf)
    bad = np.flatnonzero(nearest > radius + 1e-9)
    if not len(bad):
        return
    unreachable = bad[~np.isfinite(nearest[bad])]
    if len(unreachable):
        raise InfeasibleError(
            f"{len(unreachable)} demand point(s) cannot reach any candidate site at all "
            f"({fmt_ids(inst.nodes[unreachable])}). Fix: add a candidate site they can reach, or drop them."
        )
    order = bad[np.argsort(-nearest[bad])]
    worst = float(nearest[order[0]])
    listing = ", ".join(f"{inst.nodes[i]} ({nearest[i]:.1f} {inst.unit})" for i in order[:8])
    raise InfeasibleError(
        f"{what} {radius:g} {inst.unit} is too small: {len(bad)} demand point(s) have no candidate site "
        f"within it (nearest site time: {listing}{' …' if len(bad) > 8 else ''}). "
        f"Fix: raise the radius to at least {worst:.2f} {inst.unit}, or add candidate sites near them."
    )


def check_p(inst: LocationInstance, p: int) -> None:
    """``|existing| ≤ p ≤ |J|``, else :class:`InfeasibleError` with the admissible range."""
    n_exist, n_sites = int(inst.existing_mask.sum()), inst.shape[1]
    if p < n_exist:
        raise InfeasibleError(
            f"p = {p} depots, but {n_exist} existing depots must stay open. Fix: set p ≥ {n_exist}."
        )
    if p > n_sites:
        raise InfeasibleError(
            f"p = {p} depots, but only {n_sites} candidate sites exist. Fix: set p ≤ {n_sites}."
        )
    if p < 1:
        raise InfeasibleError(f"p = {p}: at least one depot is needed. Fix: set p ≥ 1.")


def add_site_vars(
    m: MipModel, inst: LocationInstance, cost: FloatArray | float = 0.0, name: str = "y"
) -> slice:
    """``y_j ∈ {0,1}`` for every candidate; existing depots fixed at ``y_j = 1``."""
    n = inst.shape[1]
    lb = inst.existing_mask.astype(float)
    return m.add_vars(name, n, cost=cost, lb=lb, ub=1.0, integer=True)


def add_cover_rows(m: MipModel, cov: BoolArray, y: slice, name: str = "cover") -> slice:
    r"""Set-cover rows :math:`\sum_{j \in N_i} y_j \ge 1\ \forall i`."""
    i, j = np.nonzero(cov)
    return m.add_rows(name, cov.shape[0], i, y.start + j, 1.0, lower=1.0)


def add_p_row(m: MipModel, y: slice, p: int, *, exact: bool = True, name: str = "p") -> slice:
    r""":math:`\sum_j y_j = p` (or :math:`\le p`)."""
    n = y.stop - y.start
    return m.add_rows(
        name, 1, np.zeros(n), np.arange(y.start, y.stop), 1.0, lower=p if exact else -np.inf, upper=p
    )


def add_budget_row(m: MipModel, y: slice, f: FloatArray, budget: float, name: str = "budget") -> slice:
    r""":math:`\sum_j f_j y_j \le B`."""
    n = y.stop - y.start
    return m.add_rows(name, 1, np.zeros(n), np.arange(y.start, y.stop), f, upper=budget)


def add_coverage_vars(m: MipModel, h: FloatArray, name: str = "z") -> slice:
    """``z_i ∈ [0,1]`` with objective weight ``h_i`` (integral at the optimum once ``y`` is)."""
    return m.add_vars(name, len(h), cost=h, lb=0.0, ub=1.0)


def add_mclp_rows(m: MipModel, cov: BoolArray, y: slice, z: slice, name: str = "covered_if_open") -> slice:
    r""":math:`z_i - \sum_{j \in N_i} y_j \le 0\ \forall i` (Church & ReVelle 1974)."""
    n = cov.shape[0]
    i, j = np.nonzero(cov)
    rows = np.concatenate([np.arange(n), i])
    cols = np.concatenate([z.start + np.arange(n), y.start + j])
    vals = np.concatenate([np.ones(n), -np.ones(len(i))])
    return m.add_rows(name, n, rows, cols, vals, upper=0.0)


def add_assignment_vars(m: MipModel, cost: FloatArray, *, binary: bool = False, name: str = "x") -> slice:
    """One ``x_k`` per kept (demand, site) pair ``k``, objective coefficient ``cost_k``."""
    return m.add_vars(name, len(cost), cost=cost, lb=0.0, ub=1.0, integer=binary)


def add_assignment_rows(
    m: MipModel,
    n_demand: int,
    pair_i: IntArray,
    x: slice,
    *,
    extra: tuple[IntArray, slice] | None = None,
    name: str = "assign",
) -> slice:
    r""":math:`\sum_j x_{ij} (+ u_i) = 1\ \forall i`; ``extra`` = (demand rows, block) of slacks ``u``."""
    rows = [pair_i]
    cols = [x.start + np.arange(len(pair_i))]
    if extra is not None:
        rows.append(extra[0])
        cols.append(extra[1].start + np.arange(len(extra[0])))
    r, c = np.concatenate(rows), np.concatenate(cols)
    return m.add_rows(name, n_demand, r, c, 1.0, lower=1.0, upper=1.0)


def add_link_rows(m: MipModel, pair_j: IntArray, x: slice, y: slice, name: str = "link") -> slice:
    r"""Strong linking :math:`x_{ij} - y_j \le 0` for every kept pair (ReVelle & Swain 1970)."""
    n = len(pair_j)
    k = np.arange(n)
    rows = np.concatenate([k, k])
    cols = np.concatenate([x.start + k, y.start + pair_j])
    vals = np.concatenate([np.ones(n), -np.ones(n)])
    return m.add_rows(name, n, rows, cols, vals, upper=0.0)


def add_capacity_rows(
    m: MipModel,
    pair_j: IntArray,
    load: FloatArray,
    x: slice,
    y: slice,
    capacity: FloatArray,
    name: str = "capacity",
) -> slice:
    r""":math:`\sum_i h_i x_{ij} - Q_j y_j \le 0\ \forall j` (sites with ``Q_j = ∞`` get no row)."""
    n_sites = len(capacity)
    finite = np.isfinite(capacity)
    keep = finite[pair_j]
    k = np.flatnonzero(keep)
    rows = np.concatenate([pair_j[k], np.flatnonzero(finite)])
    cols = np.concatenate([x.start + k, y.start + np.flatnonzero(finite)])
    vals = np.concatenate([load[k], -capacity[finite]])
    return m.add_rows(name, n_sites, rows, cols, vals, upper=0.0)
