"""Optimisation building blocks shared by the method packages: a matrix-form MIP builder
(:class:`MipModel`, named blocks of columns and rows) and its solver back-ends (:func:`solve_mip`:
HiGHS via highspy by default, or ``scipy.optimize.milp``)."""

from hinterland.optim._mip import SOLVERS, FloatArray, MipModel, MipSolution, check_solver, solve_mip

__all__ = ["SOLVERS", "FloatArray", "MipModel", "MipSolution", "check_solver", "solve_mip"]
