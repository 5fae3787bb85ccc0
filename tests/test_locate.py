"""Tests of hinterland.locate: hand-checkable optima, spopt reference, infeasibility messages, scenarios."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.errors import ConfigError, InfeasibleError, SchemaError, ValidationError
from hinterland.locate import (
    ScenarioSet,
    cflp,
    from_cost_matrix,
    great_circle_km,
    greedy_median,
    interchange,
    load_commodities,
    lscp,
    mclp,
    multi_commodity_cflp,
    p_center,
    p_median,
    proximity_graph,
    robust_lscp,
    scenario_costs,
    size_reserves,
    stochastic_p_median,
    travel_times,
)

REG = Path(__file__).parent / "regression"

# A line of 5 towns at km 0, 1, 2, 3, 10: every model's optimum is checkable by hand.
LINE = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
D_LINE = np.abs(LINE[:, None] - LINE[None, :])


def line(weights: list[float] | None = None, **kw: object) -> object:
    return from_cost_matrix(pd.DataFrame(D_LINE, index=list("abcde"), columns=list("ABCDE")), weights, **kw)


def random_instance(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 100, (n, 2))
    sites = pts[rng.choice(n, m, replace=False)]
    d = np.sqrt(((pts[:, None, :] - sites[None, :, :]) ** 2).sum(-1))
    return d, rng.integers(1, 100, n).astype(float)


# ------------------------------------------------------------------------------------------ unit
def test_lscp_line() -> None:
    res = lscp(line(), 1.0)
    assert res.objective == 3  # e needs E; a needs A or B, d needs C or D, and no site covers both
    assert "E" in res.sites
    assert res.stats["covered_share"] == 1.0


def test_lscp_existing_depot_kept() -> None:
    res = lscp(line(existing=["A"]), 1.0)
    assert "A" in res.sites
    assert res.objective == 3  # A (forced) + C (b,c,d) + E


def test_mclp_line() -> None:
    res = mclp(line([1, 1, 1, 1, 5]), 1.0, 1)
    assert res.sites == ("E",) and res.objective == 5
    res2 = mclp(line([1, 1, 1, 1, 5]), 1.0, 2)
    assert res2.objective == 8


def test_p_median_line() -> None:
    res = p_median(line(), 1)
    assert res.sites == ("C",) and res.objective == pytest.approx(2 + 1 + 0 + 1 + 8)
    res2 = p_median(line(), 2)
    assert set(res2.sites) == {"B", "E"} or set(res2.sites) == {"C", "E"}
    assert res2.objective == pytest.approx(4.0)


def test_p_center_line() -> None:
    res = p_center(line(), 1)
    assert res.objective == pytest.approx(7.0)  # site D: max(|10-3|, |0-3|) = 7
    res2 = p_center(line(), 2)
    assert res2.objective == pytest.approx(2.0)  # E + B (or C): a..d within 2
    assert p_center(line(), 2, method="mip").objective == pytest.approx(2.0)


def test_cflp_capacity_forces_second_depot() -> None:
    inst = line([1, 1, 1, 1, 1], capacity=[3, 3, 3, 3, 3], fixed_cost=[10, 10, 10, 10, 10])
    res = cflp(inst, transport_cost=1.0)
    assert len(res.sites) == 2
    assert res.flows is not None
    assert res.flows.groupby("node")["share"].sum().to_numpy() == pytest.approx(np.ones(5))
    load = res.flows.groupby("site")["amount"].sum()
    assert (load <= 3 + 1e-9).all()


def test_multi_commodity_shares_site_cost() -> None:
    inst = line()
    demand = pd.DataFrame({"grain": [1.0] * 5, "medical": [0.1] * 5}, index=inst.nodes)
    res = multi_commodity_cflp(
        inst, demand, np.array([[10.0, 10.0]]), np.array([[1.0, 1.0]]), site_cost=np.full(5, 5.0), radius=20
    )
    assert len(res.sites) == 1 and res.objective == pytest.approx(7.0)


def test_solver_scipy_agrees() -> None:
    d, w = random_instance(40, 12, 3)
    inst = from_cost_matrix(d, w)
    assert p_median(inst, 3, solver="scipy").objective == pytest.approx(p_median(inst, 3).objective)
    with pytest.raises(ConfigError, match="unknown solver"):
        lscp(inst, 30, solver="cplex")


def test_heuristic_interchange_not_worse_than_greedy() -> None:
    d, w = random_instance(60, 20, 4)
    g = greedy_median(d, w, 4)
    i = interchange(d, w, g)
    assert w @ d[:, i].min(axis=1) <= w @ d[:, g].min(axis=1) + 1e-9


def test_great_circle_beijing_shanghai() -> None:
    km = great_circle_km([116.4074], [39.9042], [121.4737], [31.2304])[0, 0]
    assert km == pytest.approx(1067, abs=5)  # published straight-line distance ≈ 1,067 km


def test_travel_times_detour_after_cut() -> None:
    edges = pd.DataFrame({"edge": [0, 1, 2], "a": [0, 1, 0], "b": [1, 2, 2], "hours": [1.0, 1.0, 5.0]})
    assert travel_times(3, edges, [0], [2])[0, 0] == 2.0
    assert travel_times(3, edges, [0], [2], removed_edges=[1])[0, 0] == 5.0
    assert np.isinf(travel_times(3, edges, [0], [2], removed_edges=[1, 2])[0, 0])


def test_proximity_graph_connected() -> None:
    rng = np.random.default_rng(0)
    lon = np.concatenate([rng.uniform(100, 101, 10), rng.uniform(120, 121, 10)])
    lat = rng.uniform(30, 31, 20)
    e = proximity_graph(lon, lat, k=3)
    assert np.isfinite(travel_times(20, e, list(range(20)), list(range(20)))).all()


def test_reserve_sizing_formula() -> None:
    com = load_commodities()
    g = com["grain"]
    out = size_reserves(pd.DataFrame({"grain": [100.0]}, index=["A"]), com)
    expected = 100 * g.surge * (g.days - g.resupply_share * max(0, g.days - g.lead_time_days))
    assert out["stock"].iloc[0] == pytest.approx(expected)
    assert set(com) == {"grain", "energy", "medical"}


# ------------------------------------------------------------------------------ infeasible asks
def test_lscp_radius_too_small_quotes_radius() -> None:
    # candidates A, B only: e (km 10) is 9 h from B, its nearest site; d (km 3) is 2 h from B
    inst = from_cost_matrix(pd.DataFrame(D_LINE[:, :2], index=list("abcde"), columns=list("AB")))
    with pytest.raises(InfeasibleError) as err:
        lscp(inst, 1.5)
    msg = str(err.value)
    assert "2 demand point(s)" in msg and "e (9.0 h)" in msg and "d (2.0 h)" in msg
    assert "raise the radius to at least 9.00 h" in msg
    assert lscp(inst, 9.0).objective == 1  # the quoted radius is enough


def test_radius_zero_is_feasible_when_candidates_are_the_demand_points() -> None:
    # every demand point is itself a candidate (d_ii = 0): any radius ≥ 0 is feasible, one depot each
    assert lscp(line(), 0.5).objective == 5


def test_cflp_p_too_small_for_service_time() -> None:
    inst = line()
    demand = pd.DataFrame({"grain": [1.0] * 5}, index=inst.nodes)
    with pytest.raises(InfeasibleError, match=r"p = 2 depots .* at least 3 depots. Fix: set p ≥ 3"):
        multi_commodity_cflp(inst, demand, np.array([[10.0]]), np.array([[1.0]]), radius=1.0, p=2)
    res = multi_commodity_cflp(inst, demand, np.array([[10.0]]), np.array([[1.0]]), radius=1.0, p=3)
    assert len(res.sites) == 3


def test_multi_commodity_existing_depots_stay_open() -> None:
    inst = line(existing=["A"])
    demand = pd.DataFrame({"grain": [1.0] * 5, "medical": [0.5] * 5}, index=inst.nodes)
    res = multi_commodity_cflp(inst, demand, np.array([[10.0, 10.0]]), np.array([[1.0, 1.0]]), radius=20)
    assert "A" in res.sites  # expensive? no: A is simply forced open for both commodities
    assert set(res.params["depots"]["grain"]) == {"A"} and set(res.params["depots"]["medical"]) == {"A"}
    assert res.objective == pytest.approx(2.0)


def test_p_too_small_for_radius() -> None:
    with pytest.raises(InfeasibleError, match=r"at least 5 are needed. Fix: set p ≥ 5"):
        p_median(line(), 2, radius=0.5)


def test_capacity_below_demand() -> None:
    inst = line([2, 2, 2, 2, 2], capacity=[1, 1, 1, 1, 1])
    with pytest.raises(InfeasibleError, match=r"demand 10 exceeds the capacity 5 of all candidate sites"):
        cflp(inst)
    inst = line([2, 2, 2, 2, 2], capacity=[3, 3, 3, 3, 3])
    with pytest.raises(
        InfeasibleError, match=r"demand 10 exceeds the capacity 6 of the 2 largest .* p to at least 4"
    ):
        cflp(inst, p=2)
    assert len(cflp(inst, p=4).sites) == 4


def test_p_below_existing() -> None:
    with pytest.raises(InfeasibleError, match=r"set p ≥ 2"):
        p_median(line(existing=["A", "B"]), 1)


def test_bad_inputs() -> None:
    with pytest.raises(ValidationError, match="non_negative"):
        from_cost_matrix([[1.0, -2.0]])
    with pytest.raises(SchemaError, match="duplicate"):
        from_cost_matrix(pd.DataFrame([[1.0], [2.0]], index=["a", "a"]))


# ------------------------------------------------------------------------------------ scenarios
def _scenarios() -> tuple[object, ScenarioSet]:
    inst = line([1, 1, 1, 1, 4])
    cut = D_LINE.copy()
    cut[:4, 4] = np.inf  # the corridor to E is cut
    cut[4, :4] = np.inf
    sc = ScenarioSet.from_matrices([D_LINE, cut], ["base", "cut"], [0.5, 0.5])
    return inst, sc


def test_stochastic_hand_checked() -> None:
    inst, sc = _scenarios()
    res = stochastic_p_median(inst, sc, 1, penalty=20.0)
    # one depot, closed-form recourse: the optimum is the best single site's mean scenario cost
    costs = {s: float(np.mean(scenario_costs(inst, sc, np.array([k]), 20.0))) for k, s in enumerate("ABCDE")}
    assert res.summary["expected_cost"] == pytest.approx(min(costs.values()))
    assert res.summary["VSS"] >= -1e-9 and res.summary["EVPI"] >= -1e-9
    assert res.summary["price_of_robustness_pct"] >= -1e-9


def test_stochastic_objectives_order() -> None:
    d, w = random_instance(30, 10, 7)
    inst = from_cost_matrix(d, w)
    slow = d * np.where(np.arange(30)[:, None] < 15, 2.0, 1.0)
    sc = ScenarioSet.from_matrices([d, slow, np.where(d > 40, np.inf, d)], prob=[0.5, 0.3, 0.2])
    exp = stochastic_p_median(inst, sc, 3, objective="expected")
    worst = stochastic_p_median(inst, sc, 3, objective="worst", compare=False)
    assert exp.summary["expected_cost"] <= worst.summary["expected_cost"] + 1e-6
    assert worst.summary["worst_cost"] <= exp.summary["worst_cost"] + 1e-6
    reg = stochastic_p_median(inst, sc, 3, objective="regret", compare=False)
    cv = stochastic_p_median(inst, sc, 3, objective="cvar", compare=False)
    assert reg.result.sites and cv.summary["cvar_cost"] >= cv.summary["expected_cost"] - 1e-6


def test_robust_lscp_needs_more_sites_and_explains_cut() -> None:
    inst, sc = _scenarios()
    with pytest.raises(InfeasibleError, match="cut off from every surviving site"):
        robust_lscp(inst, ScenarioSet.from_matrices([D_LINE, np.where(D_LINE > 0, np.inf, np.inf)]), 1.0)
    base = lscp(inst, 3.0).objective
    assert robust_lscp(inst, sc, 3.0).objective >= base


# ----------------------------------------------------------------------------------- reference
@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 1])
def test_equal_optima_to_spopt(seed: int) -> None:
    pulp = pytest.importorskip("pulp")
    spopt = pytest.importorskip("spopt.locate")
    warnings.filterwarnings("ignore")
    d, w = random_instance(80, 25, seed)
    inst = from_cost_matrix(d, w)
    cbc = pulp.PULP_CBC_CMD(msg=False)
    ref = spopt.LSCP.from_cost_matrix(d, 25.0).solve(cbc).problem.objective.value()
    assert lscp(inst, 25.0).objective == pytest.approx(ref)
    ref = spopt.MCLP.from_cost_matrix(d, w, 15.0, p_facilities=4).solve(cbc).problem.objective.value()
    assert mclp(inst, 15.0, 4).objective == pytest.approx(ref)
    ref = spopt.PMedian.from_cost_matrix(d, w, p_facilities=4).solve(cbc).problem.objective.value()
    assert p_median(inst, 4).objective == pytest.approx(ref, rel=1e-7)
    d2, _ = random_instance(30, 10, seed)
    ref = spopt.PCenter.from_cost_matrix(d2, p_facilities=3).solve(cbc).problem.objective.value()
    assert p_center(from_cost_matrix(d2), 3).objective == pytest.approx(ref, rel=1e-6)


@pytest.mark.reference
def test_textbook_p_median_daskin() -> None:
    """Hand-solved: on a 6-node unit path with unit weights the 2-median opens the 2nd and 5th nodes
    (each serves a 3-node half at total distance 2), objective 4; Hakimi's (1964) vertex-optimality
    theorem makes the node restriction exact."""
    pos = np.arange(6, dtype=float)
    inst = from_cost_matrix(np.abs(pos[:, None] - pos[None, :]))
    res = p_median(inst, 2)
    assert res.objective == pytest.approx(4.0) and set(res.sites) == {1, 4}


# ----------------------------------------------------------------------------------- property
@pytest.mark.property
@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4))
def test_exact_not_worse_than_heuristic(seed: int, p: int) -> None:
    d, w = random_instance(25, 8, seed)
    inst = from_cost_matrix(d, w)
    exact = p_median(inst, p)
    heur = p_median(inst, p, method="heuristic")
    assert exact.objective <= heur.objective + 1e-6
    pc = p_center(inst, p)
    assert pc.objective <= p_center(inst, p, method="heuristic").objective + 1e-9
    assert pc.objective == pytest.approx(
        float(d[:, [list(inst.sites).index(s) for s in pc.sites]].min(1).max())
    )


# --------------------------------------------------------------------------------- regression
@pytest.mark.regression
def test_bundled_lscp_regression(tmp_path: Path) -> None:
    from hinterland.plan import run_reserves
    from hinterland.report import write_reserves

    study = run_reserves(commodity="grain", model="p-median", p=8)
    files = write_reserves(tmp_path, study, draw=False)
    summary = json.loads(files["summary"].read_text(encoding="utf-8"))
    assert summary == json.loads(json.dumps(study.summary, default=float))  # the file is the study
    stored = json.loads((REG / "locate_pmedian_city_p8.json").read_text(encoding="utf-8"))
    assert summary["objective"] == pytest.approx(stored["objective"], rel=1e-6)
    assert sorted(summary["sites"]) == sorted(stored["sites"])


@pytest.mark.property
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(8.0, 40.0), st.integers(0, 2))
def test_reductions_keep_the_optimum(seed: int, radius: float, n_existing: int) -> None:
    """LSCP and MCLP after the dominance reductions equal the plain textbook MIPs (build_*)."""
    from hinterland.locate import build_lscp, build_mclp, solve_mip

    d, w = random_instance(40, 15, seed)
    rng = np.random.default_rng(seed)
    f = rng.integers(1, 4, 15).astype(float)
    d[:, 0] = 0.0  # site 0 reaches every point at once: every radius is feasible
    inst = from_cost_matrix(d, w, fixed_cost=f, existing=list(range(1, 1 + n_existing)))
    full = solve_mip(build_lscp(inst, radius))
    assert lscp(inst, radius).objective == pytest.approx(full.objective)
    p = 3
    plain = solve_mip(build_mclp(inst, radius / 2, p))
    assert mclp(inst, radius / 2, p).objective == pytest.approx(plain.objective)


def test_regret_and_price_of_robustness_reported() -> None:
    d, w = random_instance(30, 10, 11)
    inst = from_cost_matrix(d, w)
    sc = ScenarioSet.from_matrices([d, d * 1.5, np.where(d > 35, np.inf, d)], prob=[0.6, 0.2, 0.2])
    res = stochastic_p_median(inst, sc, 3)
    s = res.summary
    ws = res.per_scenario["wait_and_see"]
    # the min-max regret solution has the least maximal regret, the stochastic one the least expectation
    assert s["regret_max_regret"] <= s["stochastic_max_regret"] + 1e-6
    assert s["RP"] <= s["regret_expected_cost"] + 1e-6 and s["RP"] <= s["robust_expected_cost"] + 1e-6
    assert s["price_of_regret_robustness_pct"] >= -1e-9
    assert (res.per_scenario["min_max_regret"] >= ws - 1e-6).all()
    assert s["VSS"] == pytest.approx(s["EEV"] - s["RP"])
