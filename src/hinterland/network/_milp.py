"""A minimal matrix-form MILP builder for the network design models, solved by HiGHS in one call.

Columns and rows are appended in named blocks (``add_vars`` / ``add_rows`` in coordinate form), so a
model is assembled from vectorised ``add_*`` building blocks without a Python object per variable and
handed to HiGHS (Huangfu & Hall 2018) as one column-wise sparse matrix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from hinterland.errors import ConfigError

__all__ = ["Milp", "MilpResult", "solve_milp"]

FloatArray = npt.NDArray[np.float64]


@dataclass
class Milp:
    """``min c'x  s.t.  L <= Ax <= U,  l <= x <= u,  x_k integer (k in K)`` built from named blocks."""

    name: str
    cols: dict[str, slice] = field(default_factory=dict)
    rows: dict[str, slice] = field(default_factory=dict)
    n_cols: int = 0
    n_rows: int = 0
    _cost: list[FloatArray] = field(default_factory=list)
    _lb: list[FloatArray] = field(default_factory=list)
    _ub: list[FloatArray] = field(default_factory=list)
    _int: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    _rlo: list[FloatArray] = field(default_factory=list)
    _rup: list[FloatArray] = field(default_factory=list)
    _ri: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _ci: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _val: list[FloatArray] = field(default_factory=list)

    def add_vars(
        self,
        name: str,
        n: int,
        *,
        cost: float | npt.ArrayLike = 0.0,
        lb: float | npt.ArrayLike = 0.0,
        ub: float | npt.ArrayLike = np.inf,
        integer: bool = False,
    ) -> slice:
        """Append ``n`` columns; returns their slice."""
        if name in self.cols:
            raise ConfigError(f"model {self.name}: variable block {name!r} added twice")
        block = slice(self.n_cols, self.n_cols + n)
        self._cost.append(np.broadcast_to(np.asarray(cost, float), (n,)).copy())
        self._lb.append(np.broadcast_to(np.asarray(lb, float), (n,)).copy())
        self._ub.append(np.broadcast_to(np.asarray(ub, float), (n,)).copy())
        self._int.append(np.full(n, integer))
        self.cols[name] = block
        self.n_cols += n
        return block

    def add_rows(
        self,
        name: str,
        n: int,
        row: npt.ArrayLike,
        col: npt.ArrayLike,
        val: npt.ArrayLike,
        *,
        lower: float | npt.ArrayLike = -np.inf,
        upper: float | npt.ArrayLike = np.inf,
    ) -> slice:
        """Append ``n`` rows in coordinate form (``row`` local to the block, ``col`` global)."""
        if name in self.rows:
            raise ConfigError(f"model {self.name}: row block {name!r} added twice")
        block = slice(self.n_rows, self.n_rows + n)
        r = np.asarray(row, np.int64)
        self._ri.append(r + self.n_rows)
        self._ci.append(np.asarray(col, np.int64))
        self._val.append(np.array(np.broadcast_to(np.asarray(val, float), r.shape), float))
        self._rlo.append(np.broadcast_to(np.asarray(lower, float), (n,)).copy())
        self._rup.append(np.broadcast_to(np.asarray(upper, float), (n,)).copy())
        self.rows[name] = block
        self.n_rows += n
        return block


@dataclass(frozen=True)
class MilpResult:
    """Status word (``optimal``, ``time_limit``, ``infeasible``, ...), values, objective, gap, seconds."""

    status: str
    x: FloatArray
    objective: float
    gap: float
    seconds: float


def solve_milp(model: Milp, *, time_limit: float = 60.0, mip_gap: float = 1e-6) -> MilpResult:
    """Solve ``model`` with HiGHS (quiet). The thread count is left to HiGHS: its scheduler is global, and
    asking for a different count after another model has run makes ``run`` fail."""
    cat = np.concatenate
    cost = cat(model._cost) if model._cost else np.zeros(0)
    integer = cat(model._int) if model._int else np.zeros(0, bool)
    a = sp.csc_matrix(
        (cat(model._val), (cat(model._ri), cat(model._ci))) if model._ri else (0, 0),
        shape=(model.n_rows, model.n_cols),
    )
    a.sum_duplicates()
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("time_limit", float(time_limit))
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    lp.col_cost_ = cost
    lp.col_lower_ = cat(model._lb)
    lp.col_upper_ = cat(model._ub)
    lp.row_lower_ = cat(model._rlo) if model._rlo else np.zeros(0)
    lp.row_upper_ = cat(model._rup) if model._rup else np.zeros(0)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    lp.a_matrix_.num_col_ = model.n_cols
    lp.a_matrix_.num_row_ = model.n_rows
    if integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer
        ]
    t0 = time.perf_counter()
    h.passModel(lp)
    # HiGHS keeps one global thread pool: a solve with another `threads` value fails with status
    # 'Not Set' unless the pool is reset (other packages' solves may have sized it differently).
    highspy.Highs.resetGlobalScheduler(True)
    h.run()
    seconds = time.perf_counter() - t0
    ms = highspy.HighsModelStatus
    status = h.getModelStatus()
    word = {
        ms.kOptimal: "optimal",
        ms.kInfeasible: "infeasible",
        ms.kUnboundedOrInfeasible: "infeasible",
        ms.kUnbounded: "unbounded",
        ms.kTimeLimit: "time_limit",
    }.get(status, h.modelStatusToString(status))
    info = h.getInfo()
    feasible = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value, float) if feasible else np.zeros(0)
    obj = float(info.objective_function_value) if feasible else float("nan")
    gap = float(info.mip_gap) if integer.any() and feasible else 0.0
    return MilpResult(word, x, obj, gap, seconds)
