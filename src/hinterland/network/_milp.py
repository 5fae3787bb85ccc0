"""The network design models' MILP: the shared matrix-form builder of :mod:`hinterland.optim`
(named ``add_vars``/``add_rows`` blocks in coordinate form, no Python object per variable), solved by
HiGHS (Huangfu & Hall 2018) in one call with the thread count left to HiGHS."""

from __future__ import annotations

from dataclasses import dataclass

from hinterland.optim import FloatArray, MipModel, solve_mip

__all__ = ["Milp", "MilpResult", "solve_milp"]

Milp = MipModel


@dataclass(frozen=True)
class MilpResult:
    """Status word (``optimal``, ``time_limit``, ``infeasible``), values, objective, gap, seconds."""

    status: str
    x: FloatArray
    objective: float
    gap: float
    seconds: float


def solve_milp(model: MipModel, *, time_limit: float = 60.0, mip_gap: float = 1e-6) -> MilpResult:
    """Solve ``model`` with HiGHS (quiet, threads chosen by HiGHS)."""
    sol = solve_mip(
        model,
        time_limit=time_limit,
        mip_gap=mip_gap,
        threads=0,
        hint="raise time_limit or use fewer scenarios/candidates",
    )
    return MilpResult(sol.status, sol.x, sol.objective, sol.gap, sol.seconds)
