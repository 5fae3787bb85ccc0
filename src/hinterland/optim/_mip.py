"""A small matrix-form MIP builder and the solver back-ends (HiGHS via highspy by default).

Models are assembled from named blocks of columns and rows (numpy arrays, coordinate format) and
handed to the solver in one call, as one sparse column-wise matrix: there is no per-variable Python
object, which is what makes model building fast at county scale (|I|·|J| ≈ 10⁶ pairs).

A model is built once (``add_vars``/``add_rows``) and solved any number of times with
:func:`solve_mip`, whose ``solver`` argument chooses the back-end: ``"highs"`` (highspy, default) or
``"scipy"`` (``scipy.optimize.milp``, which wraps HiGHS too but through SciPy's API).

Shared by the method packages that optimise (``locate``, ``backup``, ``network``): they build their
models from their own ``add_*`` blocks on this one builder and never import each other.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from hinterland.errors import ConfigError, SolverError

__all__ = ["SOLVERS", "MipModel", "MipSolution", "check_solver", "solve_mip"]

SOLVERS = ("highs", "scipy")
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class MipModel:
    """A mixed-integer linear programme ``min/max c'x  s.t.  L ≤ Ax ≤ U,  l ≤ x ≤ u,  x_k ∈ ℤ (k ∈ K)``.

    Columns and rows are added in named blocks; ``cols[name]`` / ``rows[name]`` give the slice of
    each block, so results are read back by block name. A block's data can be changed after it was
    added (:meth:`set_bounds`, :meth:`set_cost`, :meth:`set_integer`, :meth:`set_row_bounds`) and read
    back (:meth:`col_bounds`, :meth:`col_cost`, :meth:`col_integer`, :meth:`row_block_bounds`); the
    storage behind them (``_cost``, ``_lb``, … one array per block) is private to this module.
    """

    name: str
    sense: str = "min"
    cols: dict[str, slice] = field(default_factory=dict)
    rows: dict[str, slice] = field(default_factory=dict)
    _cost: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    _lb: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    _ub: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    _int: list[npt.NDArray[np.bool_]] = field(default_factory=list, init=False, repr=False)
    _rlo: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    _rup: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    _ri: list[IntArray] = field(default_factory=list, init=False, repr=False)
    _ci: list[IntArray] = field(default_factory=list, init=False, repr=False)
    _val: list[FloatArray] = field(default_factory=list, init=False, repr=False)
    n_cols: int = 0
    n_rows: int = 0
    offset: float = 0.0
    meta: dict[str, object] = field(default_factory=dict)

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
        """Append a block of ``n`` columns; returns its slice of the column index."""
        if name in self.cols:
            raise ConfigError(f"model {self.name}: variable block {name!r} added twice")
        block = slice(self.n_cols, self.n_cols + n)
        self._cost.append(np.broadcast_to(np.asarray(cost, dtype=float), (n,)).copy())
        self._lb.append(np.broadcast_to(np.asarray(lb, dtype=float), (n,)).copy())
        self._ub.append(np.broadcast_to(np.asarray(ub, dtype=float), (n,)).copy())
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
        """Append ``n`` rows given as coordinates (``row`` local to the block, ``col`` global)."""
        if name in self.rows:
            raise ConfigError(f"model {self.name}: row block {name!r} added twice")
        block = slice(self.n_rows, self.n_rows + n)
        r = np.asarray(row, dtype=np.int64)
        c = np.asarray(col, dtype=np.int64)
        v = np.broadcast_to(np.asarray(val, dtype=float), r.shape)
        self._ri.append(r + self.n_rows)
        self._ci.append(c)
        self._val.append(np.array(v, dtype=float))
        self._rlo.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy())
        self._rup.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy())
        self.rows[name] = block
        self.n_rows += n
        return block

    # ---- editing blocks after they were added (e.g. fixing a first stage to evaluate a plan) ----
    def set_bounds(
        self,
        name: str,
        index: npt.ArrayLike | None = None,
        lb: float | npt.ArrayLike | None = None,
        ub: float | npt.ArrayLike | None = None,
    ) -> None:
        """Replace the bounds of columns of block ``name``: all of them (``index=None``) or those at
        ``index`` (positions local to the block, or a boolean mask). ``lb``/``ub`` are scalars or
        arrays of the selection's length; ``None`` keeps that side."""
        k, sel = self._col_pos(name), _selection(index)
        if lb is not None:
            self._lb[k][sel] = lb
        if ub is not None:
            self._ub[k][sel] = ub

    def set_cost(self, name: str, cost: float | npt.ArrayLike, index: npt.ArrayLike | None = None) -> None:
        """Replace the objective coefficients of block ``name`` (all columns or those at ``index``)."""
        self._cost[self._col_pos(name)][_selection(index)] = cost

    def set_integer(self, name: str, integer: bool = True, index: npt.ArrayLike | None = None) -> None:
        """Make columns of block ``name`` integer or continuous (``integer=False`` relaxes them)."""
        self._int[self._col_pos(name)][_selection(index)] = integer

    def set_row_bounds(
        self,
        name: str,
        index: npt.ArrayLike | None = None,
        lower: float | npt.ArrayLike | None = None,
        upper: float | npt.ArrayLike | None = None,
    ) -> None:
        """Replace the bounds ``lower ≤ a'x ≤ upper`` of rows of block ``name`` (all rows or those at
        ``index``, local to the block); ``-inf``/``inf`` drops a side, ``None`` keeps it."""
        k, sel = self._row_pos(name), _selection(index)
        if lower is not None:
            self._rlo[k][sel] = lower
        if upper is not None:
            self._rup[k][sel] = upper

    def col_bounds(self, name: str) -> tuple[FloatArray, FloatArray]:
        """Copies of the ``(lb, ub)`` of block ``name``."""
        k = self._col_pos(name)
        return self._lb[k].copy(), self._ub[k].copy()

    def col_cost(self, name: str | None = None) -> FloatArray:
        """A copy of the objective coefficients of block ``name`` (of every column for ``None``)."""
        if name is None:
            return np.concatenate(self._cost) if self._cost else np.zeros(0)
        return self._cost[self._col_pos(name)].copy()

    def col_integer(self, name: str) -> npt.NDArray[np.bool_]:
        """A copy of the integrality flags of block ``name``."""
        return self._int[self._col_pos(name)].copy()

    def row_block_bounds(self, name: str) -> tuple[FloatArray, FloatArray]:
        """Copies of the ``(lower, upper)`` row bounds of block ``name``."""
        k = self._row_pos(name)
        return self._rlo[k].copy(), self._rup[k].copy()

    def _col_pos(self, name: str) -> int:
        if name not in self.cols:
            raise ConfigError(
                f"model {self.name}: no variable block {name!r}; blocks: {', '.join(self.cols) or 'none'}"
            )
        return list(self.cols).index(name)

    def _row_pos(self, name: str) -> int:
        if name not in self.rows:
            raise ConfigError(
                f"model {self.name}: no row block {name!r}; blocks: {', '.join(self.rows) or 'none'}"
            )
        return list(self.rows).index(name)

    def arrays(self) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_], sp.csc_matrix]:
        """``(cost, lb, ub, integer, A)`` with A in CSC form; row bounds via :meth:`row_bounds`."""
        cat = np.concatenate
        cost = cat(self._cost) if self._cost else np.zeros(0)
        lb = cat(self._lb) if self._lb else np.zeros(0)
        ub = cat(self._ub) if self._ub else np.zeros(0)
        integer = cat(self._int) if self._int else np.zeros(0, bool)
        if self._ri:
            a = sp.csc_matrix(
                (cat(self._val), (cat(self._ri), cat(self._ci))), shape=(self.n_rows, self.n_cols)
            )
        else:
            a = sp.csc_matrix((self.n_rows, self.n_cols))
        a.sum_duplicates()
        return cost, lb, ub, integer, a

    def row_bounds(self) -> tuple[FloatArray, FloatArray]:
        cat = np.concatenate
        return (cat(self._rlo) if self._rlo else np.zeros(0), cat(self._rup) if self._rup else np.zeros(0))

    @property
    def nnz(self) -> int:
        return int(sum(len(v) for v in self._val))


def _selection(index: npt.ArrayLike | None) -> slice | npt.NDArray[np.int64] | npt.NDArray[np.bool_]:
    """A block-local selection: everything (``None``), a boolean mask, or positions."""
    if index is None:
        return slice(None)
    arr = np.asarray(index)
    if arr.dtype == np.bool_:
        return arr
    return arr.astype(np.int64)


@dataclass(frozen=True)
class MipSolution:
    """Solver outcome: status word, primal values, objective, best bound, relative gap, seconds."""

    status: str
    x: FloatArray
    objective: float
    bound: float
    gap: float
    seconds: float
    solver: str

    @property
    def ok(self) -> bool:
        return self.status in {"optimal", "time_limit"} and self.x.size > 0

    def block(self, model: MipModel, name: str) -> FloatArray:
        return self.x[model.cols[name]]


def _quiet_highs() -> Any:
    """A ``highspy.Highs`` with output off; its constructor's one-off C-level banner is sent to /dev/null."""
    import highspy

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (embedded interpreters): accept the banner
        return highspy.Highs()  # type: ignore[no-untyped-call]
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _solve_highs(
    model: MipModel,
    time_limit: float | None,
    mip_gap: float,
    start: FloatArray | None,
    threads: int,
    presolve: bool = True,
) -> MipSolution:
    import highspy

    cost, lb, ub, integer, a = model.arrays()
    rlo, rup = model.row_bounds()
    h = _quiet_highs()
    if not presolve:
        h.setOptionValue("presolve", "off")
    h.setOptionValue("mip_rel_gap", mip_gap)
    h.setOptionValue("threads", threads)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    lp.col_cost_ = cost
    lp.col_lower_ = lb
    lp.col_upper_ = ub
    lp.row_lower_ = rlo
    lp.row_upper_ = rup
    lp.offset_ = model.offset
    lp.sense_ = highspy.ObjSense.kMaximize if model.sense == "max" else highspy.ObjSense.kMinimize
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
    if start is not None and integer.any():
        sol = highspy.HighsSolution()
        sol.col_value = list(map(float, start))
        sol.value_valid = True
        h.setSolution(sol)
    # HiGHS keeps one global thread pool: a solve with another `threads` value fails with status
    # 'Not Set' unless the pool is reset (other packages' solves may have sized it differently).
    highspy.Highs.resetGlobalScheduler(True)
    h.run()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    ms = highspy.HighsModelStatus
    word = {
        ms.kOptimal: "optimal",
        ms.kInfeasible: "infeasible",
        ms.kUnboundedOrInfeasible: "infeasible",
        ms.kUnbounded: "unbounded",
        ms.kTimeLimit: "time_limit",
        ms.kInterrupt: "time_limit",
    }.get(status, h.modelStatusToString(status))
    info = h.getInfo()
    x = np.asarray(h.getSolution().col_value, dtype=float)
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not has_sol:
        x = np.zeros(0)
    objective = float(info.objective_function_value) if has_sol else float("nan")
    bound = float(info.mip_dual_bound) if integer.any() else objective
    gap = float(info.mip_gap) if integer.any() else 0.0
    return MipSolution(word, x, objective, bound, gap, seconds, "highs")


def _solve_scipy(
    model: MipModel, time_limit: float | None, mip_gap: float, presolve: bool = True
) -> MipSolution:
    from scipy.optimize import Bounds, LinearConstraint, milp

    cost, lb, ub, integer, a = model.arrays()
    rlo, rup = model.row_bounds()
    sign = -1.0 if model.sense == "max" else 1.0
    options: dict[str, float | bool] = {"mip_rel_gap": mip_gap, "disp": False, "presolve": presolve}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    t0 = time.perf_counter()
    constraints = [LinearConstraint(a, rlo, rup)] if model.n_rows else []
    res = milp(
        sign * cost,
        integrality=integer.astype(int),
        bounds=Bounds(lb, ub),
        constraints=constraints,
        options=options,
    )
    seconds = time.perf_counter() - t0
    word = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded"}.get(res.status, res.message)
    x = np.asarray(res.x, dtype=float) if res.x is not None else np.zeros(0)
    obj = sign * float(res.fun) + model.offset if res.x is not None else float("nan")
    bound = sign * float(getattr(res, "mip_dual_bound", res.fun) or res.fun) + model.offset if x.size else obj
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return MipSolution(word, x, obj, bound, gap, seconds, "scipy")


def _consistent(model: MipModel, sol: MipSolution) -> bool:
    """Whether the returned vector has the returned objective value (to a relative 1e-6)."""
    value = float(model.col_cost() @ sol.x) + model.offset
    return abs(value - sol.objective) <= 1e-6 * max(1.0, abs(value))


def check_solver(solver: str) -> str:
    """``solver`` if it is one of :data:`SOLVERS`; else :class:`ConfigError` naming the valid ones (call it
    before building a large model so a typo fails at once)."""
    if solver not in SOLVERS:
        raise ConfigError(f"unknown solver {solver!r}; expected one of {', '.join(SOLVERS)}")
    return solver


def solve_mip(
    model: MipModel,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float = 1e-6,
    start: FloatArray | None = None,
    threads: int = 1,
    presolve: bool = True,
    hint: str = "raise the time limit or the MIP gap",
) -> MipSolution:
    """Solve ``model`` with ``solver`` (one of :data:`SOLVERS`); ``start`` is an optional warm start.

    ``threads`` = 0 lets HiGHS choose. ``hint`` is the fix quoted when no feasible solution is found in
    the time limit.

    ``presolve=False`` skips the solver's presolve: on covering models whose data were already
    reduced (see :func:`~hinterland.locate.reduce_lscp`) HiGHS's probing otherwise costs far more
    than the branch and bound (measured 4 s vs 0.1 s on the county MCLP, see docs/reserves.md).

    Raises :class:`SolverError` when the solver ends without a usable status; infeasibility is
    returned as ``status == "infeasible"`` so callers can explain it with the model's numbers.
    """
    check_solver(solver)
    sol = (
        _solve_highs(model, time_limit, mip_gap, start, threads, presolve)
        if solver == "highs"
        else _solve_scipy(model, time_limit, mip_gap, presolve)
    )
    if start is not None and sol.x.size and not _consistent(model, sol):
        # HiGHS 1.16 can report the objective of another incumbent than the returned vector after a
        # user-supplied start (seen on set-cover models): never trust it, solve again cold.
        sol = _solve_highs(model, time_limit, mip_gap, None, threads, presolve)
    if sol.status not in {"optimal", "time_limit", "infeasible"}:
        raise SolverError(f"{solver} ended model {model.name!r} with status {sol.status!r}")
    if sol.status == "time_limit" and sol.x.size == 0:
        raise SolverError(
            f"{solver} found no feasible solution of {model.name!r} within {time_limit} s. Fix: {hint}."
        )
    return sol
