"""Backup MILP: hand-derived optima, deterministic special case, budget monotonicity, bad inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hinterland.backup import (
    build_backup_model,
    cvar,
    draw_scenarios,
    evaluate_plan,
    make_instance,
    pareto_front,
    sample_average_approximation,
    solve_backup,
)
from hinterland.errors import ConfigError, DataError, InfeasibleError


def one_chain(prob=(0.5, 0.5)):
    """Front region 1 (capacity 10) and hinterland region 2 (capacity 2); essential demand 4 + 4."""
    cap = pd.DataFrame({"ic": [10.0, 2.0]}, index=pd.Index([1, 2], name="region"))
    ess = pd.DataFrame({"ic": [4.0, 4.0]}, index=[1, 2])
    loss = pd.DataFrame({1: [1.0, 0.0], 2: [0.0, 0.0]}, index=pd.Index(["blockade", "calm"], name="scenario"))
    return make_instance(cap, ess, loss, prob=list(prob), candidates=[2], fixed_cost=1.0, unit_cost=1.0)


@pytest.mark.parametrize(
    ("budget", "loss", "k"), [(2.0, 2.5, 1.0), (4.0, 1.5, 3.0), (7.0, 0.0, 6.0), (10.0, 0.0, 6.0)]
)
def test_expected_by_hand(budget, loss, k):
    # blockade: supply 2 + k, demand 8 → unmet 6 − k with k = B − 1 (fixed cost 1), capped at 6; p = 1/2
    plan = solve_backup(one_chain(), budget=budget)
    assert plan.expected_loss == pytest.approx(loss, abs=1e-5)
    assert plan.capacity.loc[("ic", 2)] == pytest.approx(k, abs=1e-5)
    assert plan.unmet.loc["calm", "ic"] == pytest.approx(0.0, abs=1e-6)


def test_n1_min_cost_by_hand():
    plan = solve_backup(one_chain(), objective="n-1")
    assert plan.invest == pytest.approx(7.0)  # fixed 1 + 6 units
    assert plan.unmet.to_numpy().max() == pytest.approx(0.0, abs=1e-6)


def test_cvar_by_hand():
    # budget 4 → k = 3, losses (3, 0) with p = (1/2, 1/2): CVaR_0.5 = 3
    plan = solve_backup(one_chain(), objective="cvar", budget=4.0, alpha=0.5)
    assert plan.objective_value == pytest.approx(3.0, abs=1e-5)
    assert plan.cvar == pytest.approx(3.0, abs=1e-5)


def test_fixed_versus_unit_cost_by_hand():
    # demand 10 only served by candidates A (F=5, f=1) or B (F=1, f=2) after the front region is lost.
    # Budget 13: A alone k=8 → unmet 2; B alone k=6 → unmet 4; both: k_A + 2 k_B ≤ 7 → unmet ≥ 3.
    cap = pd.DataFrame({"c": [10.0, 0.0, 0.0]}, index=pd.Index([1, 2, 3], name="region"))
    ess = pd.DataFrame({"c": [10.0]}, index=[1])
    loss = pd.DataFrame({1: [1.0]}, index=pd.Index(["s"], name="scenario"))
    fixed = pd.DataFrame({"c": [0.0, 5.0, 1.0]}, index=[1, 2, 3])
    unit = pd.DataFrame({"c": [1.0, 1.0, 2.0]}, index=[1, 2, 3])
    inst = make_instance(cap, ess, loss, candidates=[2, 3], fixed_cost=fixed, unit_cost=unit)
    plan = solve_backup(inst, budget=13.0)
    assert plan.expected_loss == pytest.approx(2.0, abs=1e-5)
    assert list(plan.bases.index) == [("c", 2)]


def test_ramp_and_min_size_by_hand():
    # ramp 0.5: k units give 0.5 k in a shock; demand gap 6 → k = 12 for N-1; min size 20 forces k = 20
    inst = one_chain()
    from dataclasses import replace

    inst = replace(inst, ramp=np.array([0.5]), max_size=np.full((1, 2), 50.0))
    assert solve_backup(inst, objective="n-1").invest == pytest.approx(13.0)
    inst = replace(inst, min_size=np.full((1, 2), 20.0))
    assert solve_backup(inst, objective="n-1").invest == pytest.approx(21.0)


def test_deterministic_special_case_equals_single_scenario():
    # two identical copies of one scenario (p = 1/2 each) = the single-scenario problem
    cap = pd.DataFrame({"a": [8.0, 1.0, 0.5], "b": [3.0, 2.0, 0.0]}, index=pd.Index([1, 2, 3], name="region"))
    ess = pd.DataFrame({"a": [3.0, 2.0], "b": [2.0, 1.0]}, index=[1, 2])
    one = pd.DataFrame({1: [0.8], 2: [0.1], 3: [0.0]}, index=pd.Index(["s"], name="scenario"))
    two = pd.concat([one.rename(index={"s": "s1"}), one.rename(index={"s": "s2"})])
    two.index.name = "scenario"
    kw = dict(candidates=[2, 3], fixed_cost=0.5, unit_cost=pd.Series({"a": 1.0, "b": 2.0}))
    p1 = solve_backup(make_instance(cap, ess, one, **kw), budget=3.0)
    p2 = solve_backup(make_instance(cap, ess, two, prob=[0.5, 0.5], **kw), budget=3.0)
    assert p2.expected_loss == pytest.approx(p1.expected_loss, abs=1e-5)
    # a scenario with probability 1 among zero-probability ones is the same deterministic problem
    three = pd.concat([two, one.rename(index={"s": "s3"}) * 0.0])
    three.index.name = "scenario"
    p3 = solve_backup(make_instance(cap, ess, three, prob=[1.0, 0.0, 0.0], **kw), budget=3.0)
    assert p3.expected_loss == pytest.approx(p1.expected_loss, abs=1e-5)


def test_pooled_equals_zones_without_transport():
    cap = pd.DataFrame({"a": [8.0, 1.0, 0.5]}, index=pd.Index([1, 2, 3], name="region"))
    ess = pd.DataFrame({"a": [3.0, 2.0, 1.0]}, index=[1, 2, 3])
    loss = pd.DataFrame({1: [0.9, 0.3], 2: [0.0, 0.5]}, index=pd.Index(["x", "y"], name="scenario"))
    inst = make_instance(cap, ess, loss, candidates=[2, 3], fixed_cost=0.2)
    a = solve_backup(inst, budget=2.0, flows="pooled")
    b = solve_backup(inst, budget=2.0, flows="zones")
    assert a.expected_loss == pytest.approx(b.expected_loss, abs=1e-5)


def test_evaluate_plan_reproduces_in_sample_loss():
    inst = one_chain()
    plan = solve_backup(inst, budget=4.0)
    ev = evaluate_plan(inst, plan)
    assert ev.expected_loss == pytest.approx(plan.expected_loss, abs=1e-5)


def test_evaluated_plan_is_fixed_through_the_builders_public_api():
    # the fixed first stage is an LP: k and y at the plan, size and resource rows dropped, q/u costed
    inst = one_chain()
    plan = solve_backup(inst, budget=4.0)
    m = build_backup_model(inst, plan=plan.bases).mip
    for name, value in (("k", 3.0), ("y", 1.0)):
        lb, ub = m.col_bounds(name)
        assert lb == pytest.approx([value], abs=1e-5) and ub == pytest.approx([value], abs=1e-5)
    assert not m.col_integer("y").any()
    assert m.row_block_bounds("size_min")[0].tolist() == [-np.inf]
    assert m.row_block_bounds("size_max")[1].tolist() == [np.inf]
    assert m.col_cost("u").tolist() == [0.5, 0.5]  # p_s · w (w = 1)
    ev = evaluate_plan(inst, plan, solver="scipy")
    assert ev.expected_loss == pytest.approx(plan.expected_loss, abs=1e-5)


@pytest.mark.property
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6),
    b1=st.floats(1.0, 20.0),
    db=st.floats(0.0, 20.0),
)
def test_more_budget_never_increases_expected_loss(data, b1, db):
    cap = pd.DataFrame(
        {"a": [10.0, 1.0, 0.0], "b": [5.0, 0.0, 2.0]}, index=pd.Index([1, 2, 3], name="region")
    )
    ess = pd.DataFrame({"a": [4.0, 3.0], "b": [3.0, 2.0]}, index=[1, 2])
    loss = pd.DataFrame(
        np.array(data).reshape(2, 3), columns=[1, 2, 3], index=pd.Index(["s1", "s2"], name="scenario")
    )
    inst = make_instance(
        cap, ess, loss, candidates=[2, 3], fixed_cost=1.0, unit_cost=pd.Series({"a": 1.0, "b": 1.5})
    )
    lo = solve_backup(inst, budget=b1, mip_gap=0.0)
    hi = solve_backup(inst, budget=b1 + db, mip_gap=0.0)
    assert hi.expected_loss <= lo.expected_loss + 1e-6


def test_pareto_front_is_monotone():
    front, plans = pareto_front(one_chain(), [7.0, 2.0, 4.0])
    assert list(front["budget"]) == [2.0, 4.0, 7.0]
    assert list(front["expected_loss"].round(9)) == [2.5, 1.5, 0.0]
    assert len(plans) == 3


def test_cvar_function():
    assert cvar([0.0, 10.0], [0.5, 0.5], 0.5) == pytest.approx(10.0)
    assert cvar([1.0, 2.0, 3.0, 4.0], [0.25] * 4, 0.5) == pytest.approx(3.5)
    assert cvar([1.0, 2.0, 3.0, 4.0], [0.25] * 4, 0.9) == pytest.approx(4.0)


def test_draws_and_saa_are_reproducible():
    pat = pd.DataFrame({1: [1.0, 0.4], 2: [0.0, 0.2]}, index=pd.Index(["front", "mild"], name="scenario"))
    l1, p1 = draw_scenarios(pat, None, 8, seed=3)
    l2, _ = draw_scenarios(pat, None, 8, seed=3)
    pd.testing.assert_frame_equal(l1, l2)
    assert p1.sum() == pytest.approx(1.0)
    assert l1.to_numpy().max() <= 1.0
    res = sample_average_approximation(
        one_chain(), pat, None, budget=4.0, n=6, n_out=30, replications=2, seed=1
    )
    assert len(res.replications) == 2
    assert res.summary["out_of_sample_ci95"] >= 0.0
    assert res.out_of_sample.expected_loss >= 0.0


# ------------------------------------------------------------------------------------- bad inputs
def test_budget_below_cheapest_base():
    with pytest.raises(
        InfeasibleError, match=r"below the cheapest backup base \(1 1e8 CNY: chain ic in region 2"
    ):
        solve_backup(one_chain(), budget=0.5)


def test_probabilities_must_sum_to_one():
    with pytest.raises(DataError, match=r"sum to 0\.9"):
        one_chain(prob=(0.5, 0.4))


def test_n1_infeasible_quotes_numbers():
    cap = pd.DataFrame({"ic": [10.0, 2.0]}, index=pd.Index([1, 2], name="region"))
    ess = pd.DataFrame({"ic": [8.0]}, index=[1])
    loss = pd.DataFrame({1: [1.0]}, index=pd.Index(["blockade"], name="scenario"))
    inst = make_instance(cap, ess, loss, candidates=[2], max_size=3.0)
    with pytest.raises(InfeasibleError, match=r"essential demand 8 .* gives only 5 .*short by 3"):
        solve_backup(inst, objective="n-1")
    with pytest.raises(InfeasibleError, match="needs an investment of 6"):
        solve_backup(make_instance(cap, ess, loss, candidates=[2]), objective="n-1", budget=5.0)


def test_bad_options():
    with pytest.raises(ConfigError, match="needs a budget"):
        build_backup_model(one_chain())
    with pytest.raises(ConfigError, match=r"objective 'worst' is unknown.*Fix: pass objective="):
        build_backup_model(one_chain(), objective="worst", budget=3.0)
    with pytest.raises(ConfigError, match="alpha"):
        build_backup_model(one_chain(), objective="cvar", budget=3.0, alpha=1.0)
    with pytest.raises(ConfigError, match=r"budget = -5 1e8 CNY is not allowed.*Fix: pass a budget ≥ 0"):
        build_backup_model(one_chain(), budget=-5.0)
    with pytest.raises(DataError, match=r"\[0, 1\]"):
        make_instance(
            pd.DataFrame({"c": [1.0]}, index=pd.Index([1], name="region")),
            pd.DataFrame({"c": [1.0]}, index=[1]),
            pd.DataFrame({1: [1.5]}, index=pd.Index(["s"], name="scenario")),
        )
