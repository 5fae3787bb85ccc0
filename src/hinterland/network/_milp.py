"""What the network MILPs share: the matrix-form builder of :mod:`hinterland.optim` (named
``add_vars``/``add_rows`` blocks in coordinate form, no Python object per variable), the design blocks
both upgrade models use (:func:`add_upgrade_vars`, :func:`add_budget_row`) and the solve step
(:func:`solve_milp`: :func:`~hinterland.optim.solve_mip` with the solver as a parameter, HiGHS
(Huangfu & Hall 2018) by default, and the thread count left to HiGHS)."""

from __future__ import annotations

import numpy as np

from hinterland.optim import MipModel, MipSolution, solve_mip

__all__ = ["add_budget_row", "add_upgrade_vars", "solve_milp"]


def add_upgrade_vars(m: MipModel, n: int) -> slice:
    """Binary design variables :math:`x_k \\in \\{0,1\\}`."""
    return m.add_vars("x", n, lb=0.0, ub=1.0, integer=True)


def add_budget_row(m: MipModel, x: slice, cost: np.ndarray, budget: float) -> slice:
    """:math:`\\sum_k \\kappa_k x_k \\le B`."""
    k = np.arange(x.stop - x.start)
    return m.add_rows("budget", 1, np.zeros(len(k)), x.start + k, cost, upper=budget)


def solve_milp(
    model: MipModel, *, solver: str = "highs", time_limit: float = 60.0, mip_gap: float = 1e-6
) -> MipSolution:
    """Solve ``model`` with ``solver`` (``"highs"`` or ``"scipy"``; quiet, threads chosen by HiGHS).

    Raises :class:`~hinterland.errors.SolverError` when the solver fails or finds no feasible solution
    within ``time_limit``; infeasibility is returned as ``status == "infeasible"``."""
    return solve_mip(
        model,
        solver=solver,
        time_limit=time_limit,
        mip_gap=mip_gap,
        threads=0,
        hint="raise time_limit or use fewer scenarios/candidates",
    )
