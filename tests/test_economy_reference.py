"""Reference tests: BoARIO 0.7.2 on pymrio's test system, and the bundled China MRIO."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hinterland.economy import ARIOEvent, ARIOModel, ARIOParams, from_pymrio, simulate_ario

STEPS = 120


def _boario_run(kind: str):  # type: ignore[no-untyped-def]
    pymrio = pytest.importorskip("pymrio")
    pytest.importorskip("boario")
    from boario.event import from_series
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation

    io = pymrio.load_test().calc_all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIOPsiModel(io)
        sim = Simulation(model, n_temporal_units_to_sim=STEPS, register_stocks=True)
        idx = pd.MultiIndex.from_tuples(
            [("reg2", "manufactoring"), ("reg3", "electricity")], names=["region", "sector"]
        )
        if kind == "arbitrary":
            imp = pd.Series([0.3, 0.5], index=idx)
            ev = from_series(imp, event_type="arbitrary", occurrence=5, duration=10, recovery_tau=30)
        else:
            pos = [list(model.industries).index(i) for i in idx]
            imp = pd.Series(
                [0.3 * model.productive_capital[pos[0]], 0.2 * model.productive_capital[pos[1]]], index=idx
            )
            # BoARIO's default event_monetary_factor is 1 (not the model's 1e6): give the unit explicitly
            ev = from_series(imp, event_type="recovery", occurrence=5, duration=10, recovery_tau=40,
                             event_monetary_factor=10**6)  # fmt: skip
        sim.add_event(ev)
        sim.loop()
    mr = from_pymrio(io)
    am = ARIOModel.from_mrio(mr, ARIOParams.boario())
    vec = np.zeros(am.n)
    for i, v in zip(idx, imp.to_numpy(), strict=True):
        vec[mr.industries.get_loc(i)] = v
    tau = 30 if kind == "arbitrary" else 40
    ours = simulate_ario(am, [ARIOEvent(kind, vec, 5, 10, tau)], STEPS, record_inventories=True)  # type: ignore[arg-type]
    return sim, am, ours


@pytest.mark.reference
@pytest.mark.parametrize("kind", ["arbitrary", "capital"])
def test_matches_boario_072(kind: str) -> None:
    sim, am, ours = _boario_run(kind)
    xb = sim.production_realised.to_numpy()
    assert np.max(np.abs(ours.production[:, 0] - xb) / xb) < 1e-10  # ~1e-15 in practice
    assert (xb.min(axis=0) < am.x0 * (1 - 1e-3)).any()  # the event really bites
    fb = sim.final_demand_unmet.to_numpy()
    fo = ours.fd_unmet[:, 0].reshape(STEPS, -1)
    assert fb.sum() > 0
    assert np.max(np.abs(fb - fo)) <= 1e-6 * np.max(np.abs(fb))
    # BoARIO records inventories at the start of a step, ours at the end: shift by one step
    sb = sim.inputs_stocks.to_numpy().reshape(STEPS, am.n_sectors, am.n)[1:]
    so = ours.inventories[:-1, 0]  # type: ignore[index]
    fin = np.isfinite(sb)
    assert np.max(np.abs(sb - so)[fin] / np.maximum(np.abs(sb[fin]), 1e-12)) < 1e-6


@pytest.mark.reference
def test_bundled_china_mrio_balances_and_honours_margins() -> None:
    from hinterland.datasets import china_mrio_meta, load_china_mrio

    mr = load_china_mrio()
    assert (mr.n_regions, mr.n_sectors) == (31, 42)
    x = mr.x.to_numpy()
    col = mr.Z.sum(axis=0).to_numpy() + mr.M.sum(axis=0).to_numpy() + mr.V.sum(axis=0).to_numpy()
    assert np.max(np.abs(x - col) / np.maximum(x, 1.0)) < 1e-9
    meta = china_mrio_meta()
    # total value added equals the sum of the 31 provincial tables (84.72 × 10^12 yuan)
    assert mr.v.sum() == pytest.approx(meta["value_added_tables"], rel=1e-9)
    assert mr.v.sum() / 1e8 == pytest.approx(84.72, rel=1e-3)
    # outflows of each province (after re-export netting) = sales to other provinces + unallocated
    Z = mr.Z.to_numpy().reshape(31, 42, 31, 42)
    Y = mr.Y.to_numpy().reshape(31, 42, 31, -1)
    off = ~np.eye(31, dtype=bool)
    sold = Z.sum(axis=3)[:, :, :][..., None]  # (r, i, s, 1)
    inter = (Z.sum(axis=3) + Y[..., :5].sum(axis=3)).transpose(0, 2, 1)[off].sum()
    assert inter == pytest.approx(meta["interprovincial_flows"], rel=1e-9)
    assert sold.shape == (31, 42, 31, 1)
