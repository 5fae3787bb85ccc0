"""Reconstruction events (``ARIOEvent(kind="rebuild")``): BoARIO 0.7.2 reference and hand-checkable equations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hinterland.containers import MRIO, industry_index
from hinterland.economy import ARIOEvent, ARIOModel, ARIOParams, from_pymrio, simulate_ario
from hinterland.errors import ConfigError, InfeasibleError

STEPS = 150
SECTORS = {"construction": 0.7, "manufactoring": 0.3}


def _toy(zero_entry: bool = False) -> MRIO:
    """2 regions × 2 sectors (s0 = industry, s1 = construction), Y in both regions."""
    idx = industry_index(["r0", "r1"], ["s0", "s1"])
    Z = np.array(
        [
            [20.0, 10.0, 8.0, 4.0],
            [6.0, 5.0, 3.0, 2.0],
            [7.0, 3.0, 25.0, 9.0],
            [4.0, 2.0, 5.0, 6.0],
        ]
    )
    if zero_entry:
        Z[1, 0] = Z[3, 0] = 0.0  # industry (r0, s0) buys no construction at all
    Y = np.array([[60.0, 20.0], [40.0, 15.0], [25.0, 70.0], [15.0, 45.0]])
    x = Z.sum(1) + Y.sum(1)
    V = x - Z.sum(0)
    ycols = pd.MultiIndex.from_product([["r0", "r1"], ["hh"]], names=["region", "category"])
    return MRIO(
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(Y, index=idx, columns=ycols),
        pd.DataFrame([V], index=pd.Index(["va"], name="component"), columns=idx),
        unit="1e6 USD",
        name="toy",
    )


def _boario_rebuild():  # type: ignore[no-untyped-def]
    pymrio = pytest.importorskip("pymrio")
    pytest.importorskip("boario")
    from boario.event import from_series
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation

    io = pymrio.load_test().calc_all()
    idx = pd.MultiIndex.from_tuples(
        [("reg2", "manufactoring"), ("reg3", "electricity")], names=["region", "sector"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIOPsiModel(io)
        sim = Simulation(model, n_temporal_units_to_sim=STEPS, register_stocks=True)
        pos = [list(model.industries).index(i) for i in idx]
        imp = pd.Series(
            [0.3 * model.productive_capital[pos[0]], 0.2 * model.productive_capital[pos[1]]], index=idx
        )
        # event_monetary_factor = the model's 1e6 (BoARIO's default 1 would divide the loss by 10^6)
        ev = from_series(imp, event_type="rebuild", occurrence=5, duration=10, rebuild_tau=30,
                         rebuilding_sectors=SECTORS, event_monetary_factor=10**6)  # fmt: skip
        sim.add_event(ev)
        sim.loop()
    mr = from_pymrio(io)
    am = ARIOModel.from_mrio(mr, ARIOParams.boario())
    vec = np.zeros(am.n)
    for i, v in zip(idx, imp.to_numpy(), strict=True):
        vec[mr.industries.get_loc(i)] = v
    event = ARIOEvent("rebuild", vec, 5, 10, rebuild_sectors=SECTORS, rebuild_tau=30)
    return sim, am, event


@pytest.mark.reference
def test_rebuild_matches_boario_072() -> None:
    sim, am, event = _boario_rebuild()
    ours = simulate_ario(am, [event], STEPS, record_inventories=True)
    xb = sim.production_realised.to_numpy()
    assert np.max(np.abs(ours.production[:, 0] - xb) / xb) < 1e-10  # ~1e-15 in practice
    assert (xb.min(axis=0) < am.x0 * (1 - 1e-2)).any()  # the event really bites
    fb = sim.final_demand_unmet.to_numpy()
    fo = ours.fd_unmet[:, 0].reshape(STEPS, -1)
    assert fb.sum() > 0
    assert np.max(np.abs(fb - fo)) <= 1e-6 * np.max(np.abs(fb))
    # BoARIO records the step's reconstruction demand H/τ before deliveries; ours is H after them
    rb = sim.rebuild_demand.to_numpy().sum(axis=1)
    assert rb[:15].sum() == 0 and rb[15] > 0  # rebuilding starts at occurrence + duration
    assert ours.reconstruction is not None
    np.testing.assert_allclose(rb[16:], ours.reconstruction[15:-1, 0] / 30, rtol=1e-6)
    # the capital still to rebuild falls as reconstruction is delivered
    kb = sim.productive_capital_to_recover.to_numpy().sum(axis=1)
    np.testing.assert_allclose(kb[16:], ours.reconstruction[15:-1, 0], rtol=1e-6)
    assert kb[-1] < 0.8 * kb[15]


@pytest.mark.reference
def test_rebuild_batch_equals_single_and_boario_quirks_matter() -> None:
    sim, am, event = _boario_rebuild()
    xb = sim.production_realised.to_numpy()
    imp = np.asarray(event.impact)
    two = ARIOEvent("rebuild", np.stack([imp, imp / 2]), 5, 10, rebuild_sectors=SECTORS, rebuild_tau=30)
    res = simulate_ario(am, [two], STEPS)
    assert np.max(np.abs(res.production[:, 0] - xb) / xb) < 1e-6
    assert res.production[:, 1].sum() > res.production[:, 0].sum()
    # without the quirks (stock goals from the demand before deliveries, no rounding) the paths differ
    plain = simulate_ario(am.with_params(boario_quirks=False), [event], STEPS)
    assert np.max(np.abs(plain.production[:, 0] - xb) / xb) > 1e-4


def test_rebuild_equations_on_toy() -> None:
    """H0 = φ σ_j K z/Σz; H(t) = H(t−1)(1 − ρ_row/τ) with ρ = x^a/D; K = H/φ; mass balance."""
    mr = _toy()
    # no overproduction (α = 1), so that capacity = x0 (1 − K/k) can be checked exactly
    model = ARIOModel.from_mrio(mr, ARIOParams(inventory_days=30.0, alpha_max=1.0))
    imp = np.zeros(4)
    imp[0] = 0.1 * model.capital[0]  # industry (r0, s0) loses 10 % of its capital
    phi, tau, o, d = 1.5, 20, 3, 4
    ev = ARIOEvent("rebuild", imp, o, d, rebuild_sectors={"s1": 1.0}, rebuild_tau=tau, rebuilding_factor=phi)
    res = simulate_ario(model, [ev], 400)
    assert res.reconstruction is not None
    left = res.reconstruction[:, 0]
    assert left[:o].sum() == 0
    np.testing.assert_allclose(left[o : o + d], phi * imp[0], rtol=1e-14)  # outstanding, not yet served
    # rows (r0, s1), (r1, s1): weights are what (r0, s0) buys of s1 from each region, 6 : 4
    Z = mr.Z.to_numpy()
    H = phi * imp[0] * np.array([Z[1, 0], Z[3, 0]]) / (Z[1, 0] + Z[3, 0])
    rho = res.production[:, 0] / res.demand[:, 0]
    for t in range(o + d, 400):
        H = H * (1 - rho[t, [1, 3]] / tau)
        assert left[t] == pytest.approx(H.sum(), rel=1e-12)
    # demand of the rebuilding industries includes H/τ; capacity of the hit industry follows K = H/φ
    assert res.demand[o + d, 0, 1] > res.demand[o + d - 1, 0, 1]
    loss = 1 - res.capacity[:, 0, 0] / model.x0[0]
    np.testing.assert_allclose(loss[o : o + d + 1], 0.1, rtol=1e-12)
    np.testing.assert_allclose(loss[o + d + 1 :], left[o + d : -1] / phi / model.capital[0], rtol=1e-12)
    assert loss[-1] < 0.8 * loss[o]  # capital is rebuilt (slowly: no spare capacity) and capacity recovers
    assert np.all(np.diff(left[o + d :]) < 0)
    assert np.abs(res.balance).max() <= 1e-9 * model.x0.sum()


def test_rebuild_without_purchases_falls_back_to_output_shares() -> None:
    mr = _toy(zero_entry=True)
    imp = np.zeros(4)
    for quirks, expect in ((False, 1.0), (True, 0.0)):
        model = ARIOModel.from_mrio(mr, ARIOParams(inventory_days=30.0, boario_quirks=quirks))
        imp[0] = 0.2 * model.capital[0]
        ev = ARIOEvent("rebuild", imp, 2, 2, rebuild_sectors={"s1": 1.0}, rebuild_tau=10)
        res = simulate_ario(model, [ev], 30)
        assert res.reconstruction is not None
        # BoARIO drops the demand of an industry that buys nothing of the rebuilding sector
        assert res.reconstruction[2, 0] == pytest.approx(expect * imp[0], rel=1e-12, abs=1e-12)


def test_rebuild_with_priority_rationing_and_other_events() -> None:
    model = ARIOModel.from_mrio(_toy(), ARIOParams(inventory_days=30.0, rationing="priority"))
    imp = np.zeros(4)
    imp[0] = 0.5 * model.capital[0]
    shock = np.array([0.0, 0.0, 0.3, 0.0])
    evs = [
        ARIOEvent("rebuild", imp, 2, 3, rebuild_sectors={"s1": 0.5, "s0": 0.5}, rebuild_tau=15),
        ARIOEvent("arbitrary", shock, 2, 5, 10),
        ARIOEvent("capital", imp / 5, 3, 2, 10),
    ]
    res = simulate_ario(model, evs, 200)
    assert np.abs(res.balance).max() <= 1e-9 * model.x0.sum()
    assert res.reconstruction is not None
    assert np.all(np.diff(res.reconstruction[5:, 0]) < 0)  # rebuilding from step 2 + 3 on


def test_rebuild_bad_inputs() -> None:
    model = ARIOModel.from_mrio(_toy(), ARIOParams())
    imp = np.zeros(4)
    imp[0] = 1.0
    with pytest.raises(ConfigError, match="unknown: \\['cement'\\]"):
        simulate_ario(model, [ARIOEvent("rebuild", imp, 2, 2, rebuild_sectors={"cement": 1.0})], 20)
    with pytest.raises(ConfigError, match="sum to 1"):
        simulate_ario(model, [ARIOEvent("rebuild", imp, 2, 2, rebuild_sectors={"s1": 0.5})], 20)
    with pytest.raises(ConfigError, match="rebuild_tau"):
        simulate_ario(
            model, [ARIOEvent("rebuild", imp, 2, 2, rebuild_sectors={"s1": 1.0}, rebuild_tau=0)], 20
        )
    imp[0] = model.capital[0] * 2
    with pytest.raises(InfeasibleError, match="exceeds its capital stock"):
        simulate_ario(model, [ARIOEvent("rebuild", imp, 2, 2, rebuild_sectors={"s1": 1.0})], 20)
