"""Properties of the backup MILP on random small instances (hypothesis).

* more budget never raises the optimal expected loss (or CVaR): the feasible set only grows;
* a zero budget opens no base (when a zero-cost base is admissible) and then costs exactly the loss of
  the empty plan; it is refused with the cheapest base quoted when every base costs something;
* every solution respects the budget, the resource rows, the base size limits and the candidate set,
  and its unmet demand is at least what existing capacity plus the plan cannot cover.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hinterland.backup import BackupInstance, evaluate_plan, make_instance, solve_backup
from hinterland.errors import InfeasibleError

pytestmark = pytest.mark.property
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = pd.Index([1, 2, 3, 4], name="region")
CHAINS = ["a", "b"]


@st.composite
def instances(draw: st.DrawFn, *, free_base: bool = False) -> BackupInstance:
    """2 chains × 4 regions (1 = front, never a candidate), 2 zones, 2–3 scenarios, resources."""
    u = lambda lo, hi: st.floats(lo, hi, allow_nan=False, allow_infinity=False)  # noqa: E731
    n_s = draw(st.integers(2, 3))
    cap = pd.DataFrame(
        {c: [draw(u(2, 12))] + [draw(u(0, 3)) for _ in range(3)] for c in CHAINS}, index=REGIONS
    )
    ess = pd.DataFrame({c: [draw(u(0.5, 6)), draw(u(0.5, 6))] for c in CHAINS}, index=[1, 2])
    loss = pd.DataFrame(
        [[draw(u(0, 1)) for _ in range(4)] for _ in range(n_s)],
        index=pd.Index([f"s{i}" for i in range(n_s)], name="scenario"),
        columns=REGIONS,
    )
    w = np.array([draw(u(0.05, 1)) for _ in range(n_s)])
    cand = pd.DataFrame({c: [False] + [draw(st.booleans()) for _ in range(3)] for c in CHAINS}, index=REGIONS)
    for c in CHAINS:  # at least one candidate per chain
        cand.loc[2, c] = cand.loc[2, c] or not cand[c].any()
    fixed = 0.0 if free_base else pd.DataFrame({c: [draw(u(0.1, 3)) for _ in range(4)] for c in CHAINS},
                                                 index=REGIONS)  # fmt: skip
    kmin = 0.0 if free_base else pd.Series({c: draw(u(0, 1)) for c in CHAINS})
    t = pd.DataFrame([[draw(u(0, 0.3)) for _ in range(2)] for _ in range(4)], index=REGIONS, columns=[1, 2])
    return make_instance(
        cap, ess, loss, prob=w / w.sum(), candidates=cand, fixed_cost=fixed,
        unit_cost=pd.DataFrame({c: [draw(u(0.5, 2)) for _ in range(4)] for c in CHAINS}, index=REGIONS),
        min_size=kmin, max_size=pd.Series({c: draw(u(2, 8)) for c in CHAINS}),
        ramp=pd.Series({c: draw(u(0.2, 1)) for c in CHAINS}), transport=t,
        weight=pd.Series({c: draw(u(0.5, 2)) for c in CHAINS}),
        resource_use=pd.DataFrame({"power": [draw(u(0, 1)) for _ in CHAINS]}, index=CHAINS),
        resource_cap=pd.DataFrame({"power": [draw(u(0.2, 4)) for _ in range(4)]}, index=REGIONS),
    )  # fmt: skip


def _cheapest(inst: BackupInstance) -> float:
    return inst.cheapest_base()[0]


@SETTINGS
@given(
    inst=instances(),
    b=st.floats(0.0, 15.0),
    db=st.floats(0.0, 15.0),
    flows=st.sampled_from(["pooled", "zones"]),
)
def test_more_budget_never_raises_expected_loss(inst, b, db, flows):
    b = b + _cheapest(inst)
    lo = solve_backup(inst, budget=b, flows=flows, mip_gap=0.0)
    hi = solve_backup(inst, budget=b + db, flows=flows, mip_gap=0.0)
    assert hi.expected_loss <= lo.expected_loss + 1e-6 * max(1.0, lo.expected_loss)


@SETTINGS
@given(inst=instances(), b=st.floats(0.0, 15.0), db=st.floats(0.0, 15.0), alpha=st.floats(0.1, 0.95))
def test_more_budget_never_raises_cvar(inst, b, db, alpha):
    b = b + _cheapest(inst)
    lo = solve_backup(inst, objective="cvar", budget=b, alpha=alpha, mip_gap=0.0)
    hi = solve_backup(inst, objective="cvar", budget=b + db, alpha=alpha, mip_gap=0.0)
    assert hi.objective_value <= lo.objective_value + 1e-6 * max(1.0, lo.objective_value)


@SETTINGS
@given(inst=instances(free_base=True), flows=st.sampled_from(["pooled", "zones"]))
def test_zero_budget_opens_no_base(inst, flows):
    plan = solve_backup(inst, budget=0.0, flows=flows, mip_gap=0.0)
    assert plan.bases.empty and plan.invest == 0.0
    empty = pd.DataFrame(
        {"capacity": []}, index=pd.MultiIndex.from_arrays([[], []], names=["chain", "region"])
    )
    none = evaluate_plan(inst, empty, flows=flows)
    assert plan.expected_loss == pytest.approx(none.expected_loss, abs=1e-6)


@SETTINGS
@given(inst=instances())
def test_zero_budget_below_a_costly_base_is_refused(inst):
    with pytest.raises(InfeasibleError, match=r"below the cheapest backup base .* Fix: raise the budget"):
        solve_backup(inst, budget=0.0)


@SETTINGS
@given(
    inst=instances(),
    b=st.floats(0.0, 20.0),
    objective=st.sampled_from(["expected", "cvar"]),
    flows=st.sampled_from(["pooled", "zones"]),
)
def test_solution_respects_budget_resources_sizes(inst, b, objective, flows):
    b = b + _cheapest(inst)
    plan = solve_backup(inst, objective=objective, budget=b, flows=flows, mip_gap=0.0)
    tol = 1e-6
    assert plan.invest <= b + tol * max(1.0, b)
    k = np.zeros(inst.candidate.shape)
    for (c, r), v in plan.capacity.items():
        ci, ri = inst.chains.index(c), inst.regions.index(r)
        assert inst.candidate[ci, ri], (c, r)
        assert inst.min_size[ci, ri] - tol <= v <= inst.max_size[ci, ri] + tol
        k[ci, ri] = v
    use = k.T @ inst.resource_use  # (R, P)
    assert np.all(use <= inst.resource_cap + tol)
    invest = float(np.sum((inst.fixed_cost + inst.unit_cost * k)[k > 0]))
    assert plan.invest == pytest.approx(invest, abs=1e-6)
    # unmet ≥ what the (shocked) existing capacity plus the plan's ramped capacity cannot cover
    avail = np.einsum("scr,cr->sc", 1.0 - inst.loss, inst.capacity + inst.ramp[:, None] * k)
    short = np.maximum(inst.essential.sum(axis=1)[None, :] - avail, 0.0)
    un = plan.unmet.to_numpy()
    assert np.all(un >= short - 1e-6)
    assert np.all(un <= inst.essential.sum(axis=1)[None, :] + 1e-6)
