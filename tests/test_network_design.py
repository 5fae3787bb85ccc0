"""Travel-time upgrade MILP: hand-derived optimum, brute force as the reference, budget monotonicity."""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.errors import ConfigError, SchemaError, UnknownIdError
from hinterland.network import plan_travel_time_upgrades
from test_network_methods import make_net

# Triangle: origins 0 (pop 1) and 1 (pop 3), hub 2. Edges 0-2 (10 h, id 0), 1-2 (10 h, id 1),
# 0-1 (1 h, id 2). Candidates: k0 = new 0-2 link of 2 h, k1 = new 1-2 link of 5 h, each cost 1.
TRI = make_net([(0, 2, 10, 1), (1, 2, 10, 1), (0, 1, 1, 1)], pop=[1.0, 3.0, 0.0])
CAND = pd.DataFrame({"u": [0, 1], "v": [2, 2], "cost": [1.0, 1.0], "time_h": [2.0, 5.0]})


def plan(budget: float, scenarios: list[tuple[int, ...]] | None = None, risk: str = "expected"):  # type: ignore[no-untyped-def]
    return plan_travel_time_upgrades(TRI, [0, 1], [2], CAND, budget, scenarios or [()], risk=risk)


def test_intact_hand_derived_optimum() -> None:
    # no upgrade: (1*10 + 3*10)/4 = 10; k0: d = (2, 1+2) -> (2 + 9)/4 = 2.75; k1: d = (1+5, 5) -> 21/4
    p0 = plan(0)
    assert p0.expected_before == pytest.approx(10.0)
    assert p0.expected_after == pytest.approx(10.0)
    assert p0.chosen.empty
    p1 = plan(1)
    assert p1.chosen[["u", "v"]].values.tolist() == [[0, 2]]
    assert p1.expected_after == pytest.approx(2.75)
    assert p1.spent == 1.0
    assert p1.status == "optimal"


def test_expected_and_worst_case_choose_differently() -> None:
    # scenario 1 fails link 0-1 (edge 2). k0: intact 2.75, failed (2 + 3*10)/4 = 8 -> mean 5.375, worst 8;
    # k1: intact 5.25, failed (10 + 3*5)/4 = 6.25 -> mean 5.75, worst 6.25.
    scen = [(), (2,)]
    pe = plan(1, scen, "expected")
    assert pe.chosen[["u", "v"]].values.tolist() == [[0, 2]]
    assert pe.expected_after == pytest.approx(5.375)
    assert pe.worst_after == pytest.approx(8.0)
    pw = plan(1, scen, "worst")
    assert pw.chosen[["u", "v"]].values.tolist() == [[1, 2]]
    assert pw.worst_after == pytest.approx(6.25)
    assert pw.scenarios["time_after_h"].tolist() == pytest.approx([5.25, 6.25])
    assert pw.scenarios["time_before_h"].tolist() == pytest.approx([10.0, 10.0])
    both = plan(2, scen, "expected")  # intact 2.75, failed (2 + 15)/4 = 4.25
    assert both.expected_after == pytest.approx(3.5)
    assert len(both.chosen) == 2


def test_unreachable_pairs_cost_u_and_a_new_link_connects_them() -> None:
    net = make_net([(0, 1, 1, 1)], n=3, pop=[1.0, 1.0, 0.0])  # hub 2 is isolated
    cand = pd.DataFrame({"u": [1], "v": [2], "cost": [5.0], "time_h": [2.0]})
    p = plan_travel_time_upgrades(net, [0, 1], [2], cand, 0, unreachable_h=50)
    assert p.expected_before == pytest.approx(50.0)
    assert p.scenarios["unreachable_before"].iloc[0] == pytest.approx(1.0)
    p = plan_travel_time_upgrades(net, [0, 1], [2], cand, 5, unreachable_h=50)
    assert p.expected_after == pytest.approx((3.0 + 2.0) / 2)
    assert p.scenarios["unreachable_after"].iloc[0] == 0.0


@pytest.mark.parametrize("solver", ["highs", "scipy"])
def test_solver_is_a_parameter(solver: str) -> None:
    scen = [(), (2,)]
    for risk, chosen, value in (("expected", [[0, 2]], 5.375), ("worst", [[1, 2]], 6.25)):
        p = plan_travel_time_upgrades(TRI, [0, 1], [2], CAND, 1, scen, risk=risk, solver=solver)
        assert p.chosen[["u", "v"]].values.tolist() == chosen
        assert (p.expected_after if risk == "expected" else p.worst_after) == pytest.approx(value)
        assert p.status == "optimal" and 0.0 <= p.gap <= 1e-6 and p.seconds >= 0.0
    with pytest.raises(ConfigError, match="unknown solver 'cplex'; expected one of highs, scipy"):
        plan_travel_time_upgrades(TRI, [0, 1], [2], CAND, 1, solver="cplex")


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ConfigError, match="budget"):
        plan(-1)
    with pytest.raises(ConfigError, match="risk"):
        plan(1, risk="mean")
    with pytest.raises(UnknownIdError, match="99"):
        plan(1, [(99,)])
    with pytest.raises(SchemaError, match="time_h"):
        plan_travel_time_upgrades(TRI, [0], [2], CAND.drop(columns="time_h"), 1)
    with pytest.raises(SchemaError, match="row"):
        plan_travel_time_upgrades(TRI, [0], [2], CAND.assign(cost=[-1.0, 1.0]), 1)
    with pytest.raises(UnknownIdError, match="hubs"):
        plan_travel_time_upgrades(TRI, [0], [7], CAND, 1)


# ---- reference: brute force over all designs ----------------------------------------------------
def _instance(seed: int) -> tuple[object, pd.DataFrame, list[tuple[int, ...]]]:
    rng = np.random.default_rng(seed)
    n = 9
    edges = [(i, i + 1, float(rng.uniform(1, 4)), 1.0) for i in range(n - 1)]  # a path: fragile
    edges += [(0, 5, 6.0, 1.0), (3, 8, 5.0, 1.0)]
    net = make_net(edges, n=n, pop=list(rng.uniform(1, 10, n)))
    pairs = [(0, 8), (2, 6), (1, 4), (4, 7), (0, 3), (5, 8)]
    cand = pd.DataFrame(
        {
            "u": [p[0] for p in pairs],
            "v": [p[1] for p in pairs],
            "cost": rng.integers(1, 5, len(pairs)).astype(float),
            "time_h": rng.uniform(1, 6, len(pairs)),
        }
    )
    scen = [(), (int(rng.integers(0, n - 1)),), (int(rng.integers(0, n - 1)), int(rng.integers(0, n - 1)))]
    return net, cand, scen


@functools.cache
def _designs(seed: int) -> list[tuple[float, float, float]]:
    """(cost, expected, worst) of every subset of candidates, each built into the network."""
    net, cand, scen = _instance(seed)
    out = []
    for r in range(len(cand) + 1):
        for combo in itertools.combinations(range(len(cand)), r):
            sub = cand.iloc[list(combo)]
            q = plan_travel_time_upgrades(
                _with_links(net, sub), [0, 1, 2, 3, 4], [6, 8], cand.iloc[:0], 0, scen, unreachable_h=40
            )  # type: ignore[arg-type]
            out.append((float(sub["cost"].sum()), q.expected_before, q.worst_before))
    return out


def _brute(seed: int, budget: float, risk: str) -> float:
    k = 1 if risk == "expected" else 2
    return min(d[k] for d in _designs(seed) if d[0] <= budget)


def _with_links(net: object, sub: pd.DataFrame) -> object:
    from hinterland.containers import TransportNetwork

    assert isinstance(net, TransportNetwork)
    extra = pd.DataFrame(
        {
            "edge": np.arange(len(sub)) + 1000,
            "u": sub["u"].to_numpy(),
            "v": sub["v"].to_numpy(),
            "mode": "rail",
            "length_km": 1.0,
            "time_h": sub["time_h"].to_numpy(),
            "capacity": 1.0,
            "year_open": 2000,
        }
    )
    return TransportNetwork(net.nodes, pd.concat([net.edges, extra], ignore_index=True))


@pytest.mark.reference
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("risk", ["expected", "worst"])
def test_milp_equals_brute_force(seed: int, risk: str) -> None:
    net, cand, scen = _instance(seed)
    for budget in (3.0, 6.0):
        p = plan_travel_time_upgrades(
            net, [0, 1, 2, 3, 4], [6, 8], cand, budget, scen, risk=risk, unreachable_h=40
        )  # type: ignore[arg-type]
        got = p.expected_after if risk == "expected" else p.worst_after
        assert got == pytest.approx(_brute(seed, budget, risk), rel=1e-6)
        assert p.spent <= budget


# ---- property: more budget never increases the objective ----------------------------------------
@pytest.mark.property
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), risk=st.sampled_from(["expected", "worst"]))
def test_more_budget_never_increases_the_objective(seed: int, risk: str) -> None:
    net, cand, scen = _instance(seed)
    values = []
    for budget in (0.0, 2.0, 4.0, 8.0, 20.0):
        p = plan_travel_time_upgrades(
            net, [0, 1, 2, 3, 4], [6, 8], cand, budget, scen, risk=risk, unreachable_h=40
        )  # type: ignore[arg-type]
        values.append(p.expected_after if risk == "expected" else p.worst_after)
        assert values[-1] <= (p.expected_before if risk == "expected" else p.worst_before) + 1e-9
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(values))


def test_cli_travel_time_objective(tmp_path: Path) -> None:
    from hinterland.cli import main

    # Sichuan (hinterland) cities 1, 2; Shanghai (front) cities 3 (capital: most populous), 4.
    (tmp_path / "n.csv").write_text(
        "node,name,region,lon,lat,pop\n1,A,510000,104,30,5\n2,B,510000,105,31,5\n"
        "3,C,310000,121,31,9\n4,D,310000,120,31,1\n",
        encoding="utf-8",
    )
    (tmp_path / "e.csv").write_text(
        "u,v,length_km,capacity\n1,2,100,10\n2,3,900,5\n2,4,800,4\n3,4,50,20\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["network", "--nodes", str(tmp_path / "n.csv"), "--edges", str(tmp_path / "e.csv")]
    args += [
        "--out",
        str(out),
        "--budget",
        "5000",
        "--objective",
        "travel-time",
        "--scenarios",
        "intact,n1:2",
    ]
    args += ["--draws", "2", "--max-fraction", "0.5"]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code in (0, None)
    up = json.loads((out / "summary.json").read_text(encoding="utf-8"))["upgrade"]
    assert up["objective"] == "travel-time" and up["hubs"] == ["C"]
    assert up["expected_time_after_h"] <= up["expected_time_before_h"]
    assert up["spent_km"] <= 5000
    sc = pd.read_csv(out / "upgrade_scenarios.csv")
    assert sc["name"].iloc[0] == "intact" and len(sc) == 3
    assert (out / "map_upgrades.png").exists() and (out / "upgrade_plan.csv").exists()
    with pytest.raises(SystemExit) as exc:
        main([*args[:-4], "--scenarios", "sometimes", "--draws", "2"])
    assert exc.value.code == 2
