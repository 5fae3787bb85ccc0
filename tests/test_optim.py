"""The shared MIP builder: editing blocks through the public API, solver checks, no private access outside."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from hinterland.errors import ConfigError
from hinterland.optim import SOLVERS, MipModel, check_solver, solve_mip

SRC = Path(__file__).resolve().parents[1] / "src" / "hinterland"
PRIVATE = ("_cost", "_lb", "_ub", "_int", "_rlo", "_rup", "_ri", "_ci", "_val", "_col_pos", "_row_pos")


def knapsack() -> MipModel:
    """max 5a + 4b + 3c  s.t.  2a + 3b + c ≤ 4,  a, b, c ∈ {0,1}  (optimum a + c = 8)."""
    m = MipModel("knapsack", sense="max")
    m.add_vars("x", 3, cost=[5.0, 4.0, 3.0], ub=1.0, integer=True)
    m.add_rows("weight", 1, np.zeros(3), np.arange(3), [2.0, 3.0, 1.0], upper=4.0)
    return m


def test_block_setters_replace_bounds_costs_integrality_and_row_bounds() -> None:
    m = knapsack()
    assert solve_mip(m).objective == pytest.approx(8.0)
    m.set_bounds("x", [0], lb=0.0, ub=0.0)  # forbid a: b + c = 7
    assert solve_mip(m).objective == pytest.approx(7.0)
    m.set_bounds("x", ub=1.0)  # whole block; lb kept
    assert m.col_bounds("x")[0].tolist() == [0.0, 0.0, 0.0]
    m.set_cost("x", 10.0, index=np.array([False, True, False]))  # boolean mask: b worth 10
    assert m.col_cost("x").tolist() == [5.0, 10.0, 3.0]
    assert m.col_cost().tolist() == [5.0, 10.0, 3.0]
    assert solve_mip(m).objective == pytest.approx(13.0)  # b + c
    m.set_row_bounds("weight", upper=np.inf)
    assert m.row_block_bounds("weight")[1].tolist() == [np.inf]
    assert solve_mip(m).objective == pytest.approx(18.0)
    m.set_row_bounds("weight", upper=2.5)
    m.set_integer("x", False)  # LP relaxation: b (best value per weight) = 2.5/3 → 8.33
    assert not m.col_integer("x").any()
    assert solve_mip(m).objective == pytest.approx(10.0 * 2.5 / 3.0)
    m.set_bounds("x", np.arange(3), lb=[0.0, 0.0, 1.0], ub=[0.0, 0.0, 1.0])  # arrays per column
    assert solve_mip(m, solver="scipy").objective == pytest.approx(3.0)


def test_getters_return_copies_and_unknown_blocks_are_named() -> None:
    m = knapsack()
    lb, _ub = m.col_bounds("x")
    lb[:] = 7.0
    m.col_cost("x")[:] = 0.0
    assert m.col_bounds("x")[0].tolist() == [0.0, 0.0, 0.0]
    assert m.col_cost("x").tolist() == [5.0, 4.0, 3.0]
    with pytest.raises(ConfigError, match=r"no variable block 'y'; blocks: x"):
        m.set_cost("y", 1.0)
    with pytest.raises(ConfigError, match=r"no row block 'cap'; blocks: weight"):
        m.set_row_bounds("cap", upper=1.0)


def test_check_solver_names_the_valid_ones() -> None:
    assert check_solver("highs") == "highs"
    assert SOLVERS == ("highs", "scipy")
    with pytest.raises(ConfigError, match="unknown solver 'cplex'; expected one of highs, scipy"):
        check_solver("cplex")
    with pytest.raises(ConfigError, match="unknown solver"):
        solve_mip(knapsack(), solver="gurobi")


def test_no_module_outside_optim_touches_the_builders_private_fields() -> None:
    pattern = re.compile(r"\.(" + "|".join(PRIVATE) + r")\b")
    offenders = [
        f"{path.relative_to(SRC)}:{i}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.parent.name != "optim"
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
