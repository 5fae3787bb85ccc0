"""Scenario ``rebuild`` blocks: schema checks, compilation to ``ARIOEvent("rebuild")``, bundled library."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from hinterland.containers import MRIO
from hinterland.economy import (
    MODELS,
    ARIOEvent,
    ARIOModel,
    ARIOParams,
    load_scenario,
    run_shock,
    simulate_ario,
)
from hinterland.economy._ario import ARIOLevers
from hinterland.economy._scenarios import Rebuild, Timing
from hinterland.errors import ConfigError, UnknownIdError
from test_economy_scenarios import _toy  # the shared 3×3 toy MRIO

SECTORS = {"sec02": 0.7, "sec03": 0.3}


REBUILD = """
name: rb
title: rebuild test
description: capital destroyed in region 110000, rebuilt by sectors 2 and 3
horizon_days: 150
shocks:
  - {kind: capital, regions: [110000], sectors: all, amount: AMOUNT, unit: 1e4 CNY, start: 3, duration: 10,
     rebuild: {sectors: {sec02: 0.7, sec03: 0.3}, tau_days: 30, factor: 1.0}}
"""


def _write(tmp_path: Path, text: str, name: str = "rb.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _amount(mr: MRIO, share: float = 0.3) -> float:
    """``share`` of the capital stock (4 × value added) of region 110000, in the table's unit."""
    return share * 4.0 * float(np.maximum(mr.v.to_numpy()[:3], 0).sum())


def test_schema_accepts_rebuild_block(tmp_path: Path) -> None:
    mr = _toy()
    sc = load_scenario(_write(tmp_path, REBUILD.replace("AMOUNT", "100")), mrio=mr)
    sh = sc.shocks[0]
    assert sh.rebuild == Rebuild((("sec02", 0.7), ("sec03", 0.3)), 30, 1.0)
    assert sh.rebuild.shares == SECTORS
    # the static models' profile: convex recovery with τ = tau_days after the 10 days at full strength
    assert sh.timing == Timing(3, 10, 30, "convex")
    # defaults: tau_days 60 (BoARIO), factor 1
    short = REBUILD.replace(", tau_days: 30, factor: 1.0", "").replace("AMOUNT", "100")
    assert load_scenario(_write(tmp_path, short)).shocks[0].rebuild == Rebuild(
        (("sec02", 0.7), ("sec03", 0.3)), 60, 1.0
    )


@pytest.mark.parametrize(
    ("old", "new", "exc", "pattern"),
    [
        (
            "sec03: 0.3}",
            "sec03: 0.2}",
            ConfigError,
            r"rb\.yaml: shocks\[0\]\.rebuild\.sectors: shares sum to 0\.9, not 1\. Fix: rescale",
        ),
        (
            "sec03: 0.3}",
            "sec03: 0.3, sec01: 0}",
            ConfigError,
            r"rb\.yaml: shocks\[0\]\.rebuild\.sectors\.sec01 = 0 must be a share > 0.*Fix",
        ),
        (
            "sectors: {sec02: 0.7, sec03: 0.3}",
            "sectors: [sec02, sec03]",
            ConfigError,
            r"shocks\[0\]\.rebuild\.sectors = \['sec02', 'sec03'\] must map ids to shares",
        ),
        (
            "tau_days: 30",
            "tau_days: 1",
            ConfigError,
            r"shocks\[0\]\.rebuild\.tau_days = 1 is outside \[2, inf\]",
        ),
        (
            "tau_days: 30",
            "tau_days: 30.5",
            ConfigError,
            r"shocks\[0\]\.rebuild\.tau_days = 30\.5 must be an integer",
        ),
        ("factor: 1.0", "factor: 0", ConfigError, r"shocks\[0\]\.rebuild\.factor = 0\.0 must be > 0.*Fix"),
        ("factor: 1.0", "facter: 1.0", ConfigError, r"shocks\[0\]\.rebuild: unknown key\(s\) \['facter'\]"),
        (
            "duration: 10,",
            "duration: 10, recovery_days: 700,",
            ConfigError,
            r"rb\.yaml: shocks\[0\]: recovery_days not allowed with rebuild.*Fix: remove recovery_days",
        ),
        (
            "duration: 10,",
            "duration: 10, recovery: convex,",
            ConfigError,
            r"shocks\[0\]: recovery not allowed with rebuild",
        ),
        (
            "kind: capital, regions: [110000], sectors: all, amount: AMOUNT, unit: 1e4 CNY",
            "kind: capacity, regions: [110000], sectors: all, share: 0.3",
            ConfigError,
            r"shocks\[0\]\.rebuild: only a capital shock can be rebuilt.*Fix: use kind capital",
        ),
        (
            "{sec02: 0.7, sec03: 0.3}",
            "{sec02: 0.7, sec99: 0.3}",
            UnknownIdError,
            r"rb\.yaml: shocks\[0\]\.rebuild\.sectors: unknown sector \['sec99'\]; valid: sec01, sec02",
        ),
    ],
)
def test_schema_rejects_bad_rebuild_block(
    tmp_path: Path, old: str, new: str, exc: type, pattern: str
) -> None:
    assert old in REBUILD
    p = _write(tmp_path, REBUILD.replace(old, new).replace("AMOUNT", "100"))
    with pytest.raises(exc, match=pattern):
        load_scenario(p, mrio=_toy())


def _direct(mr: MRIO, impact: np.ndarray, T: int) -> np.ndarray:
    """Daily output loss (T, N domestic) of ``simulate_ario`` with the same event and levers."""
    model = ARIOModel.from_mrio(mr, ARIOParams())
    dom = len(mr.industries)
    imp = np.zeros((impact.shape[0], model.n))
    imp[:, :dom] = impact
    ev = ARIOEvent("rebuild", imp, 3, 10, rebuild_sectors=SECTORS, rebuild_tau=30, rebuilding_factor=1.0)
    extra = model.n - dom  # the RoW supplier industries get no spare capacity in run_shock
    levers = ARIOLevers(
        alpha_max=np.concatenate([np.full(dom, 1.25), np.ones(extra)]),
        alpha_tau=np.full(model.n, 365.0),
        inventory_days=np.full(mr.n_sectors, 90.0),
    )
    res = simulate_ario(model, [ev], T, batch=impact.shape[0], levers=levers)
    assert res.reconstruction is not None and res.reconstruction[-1].max() < res.reconstruction[13].min()
    return (model.x0[None, None, :dom] - res.production[:, :, :dom]).transpose(1, 0, 2)  # type: ignore[no-any-return]


def test_run_shock_ario_equals_direct_rebuild_event(tmp_path: Path) -> None:
    mr = _toy()
    amount = _amount(mr)
    sc = load_scenario(_write(tmp_path, REBUILD.replace("AMOUNT", repr(amount))), mrio=mr)
    res = run_shock(mr, sc, model="ario")
    cap = 4.0 * np.maximum(mr.v.to_numpy(), 0.0)
    impact = np.where(np.arange(9) < 3, cap, 0.0) * 0.3  # spread by capital stock over region 110000
    expect = _direct(mr, impact[None, :], 150)[0]
    got = res.loss_by_day.pivot_table(index="day", columns=["region", "sector"], values="output_loss")
    got = got.reindex(index=range(150), columns=mr.industries).fillna(0.0).to_numpy()
    np.testing.assert_allclose(got, expect, rtol=1e-12, atol=1e-12 * float(mr.x.max()))
    assert res.total_loss == pytest.approx(expect.sum(), rel=1e-12)
    assert expect[20, :3].min() > 0  # the hit region really loses output
    # rebuilt endogenously, unlike the exogenous capital event with the same convex τ
    plain = run_shock(mr, sc.with_changes(shocks=(replace(sc.shocks[0], rebuild=None),)))
    assert abs(plain.total_loss - res.total_loss) > 1e-3 * abs(res.total_loss)


def test_draws_scale_rebuild_impact(tmp_path: Path) -> None:
    mr = _toy()
    amount = _amount(mr, 0.2)
    text = REBUILD.replace("AMOUNT", repr(amount)) + (
        "uncertainty: [{parameter: capital, distribution: uniform, low: 0.5, high: 1.5}]\n"
    )
    sc = load_scenario(_write(tmp_path, text), mrio=mr)
    res = run_shock(mr, sc, model="ario", draws=3, seed=5)
    mult = res.summary["mult_capital"].to_numpy()
    assert mult[0] == 1.0 and len(set(np.round(mult, 6))) == 4
    cap = 4.0 * np.maximum(mr.v.to_numpy(), 0.0)
    base = np.where(np.arange(9) < 3, cap, 0.0) * 0.2
    expect = _direct(mr, mult[:, None] * base[None, :], 150)
    np.testing.assert_allclose(res.summary["total_loss"], expect.sum(axis=(1, 2)), rtol=1e-10)


def test_static_models_treat_rebuild_as_convex_capital_loss(tmp_path: Path) -> None:
    mr = _toy()
    amount = repr(_amount(mr))
    sc = load_scenario(_write(tmp_path, REBUILD.replace("AMOUNT", amount)), mrio=mr)
    plain_text = REBUILD.replace("AMOUNT", amount).replace(
        "rebuild: {sectors: {sec02: 0.7, sec03: 0.3}, tau_days: 30, factor: 1.0}",
        "recovery_days: 30, recovery: convex",
    )
    plain = load_scenario(_write(tmp_path, plain_text, "plain.yaml"), mrio=mr)
    for model in ("leontief", "ghosh", "iim", "diim"):
        a, b = run_shock(mr, sc, model=model), run_shock(mr, plain, model=model)
        assert a.total_loss > 0, model
        assert a.total_loss == pytest.approx(b.total_loss, rel=1e-12), model


def test_bundled_regional_disaster_rebuilds_with_every_model() -> None:
    from hinterland.datasets import load_china_mrio

    mr = load_china_mrio()
    sc = load_scenario("regional-disaster", mrio=mr)
    caps = [sh for sh in sc.shocks if sh.kind == "capital"]
    assert len(caps) == 3 and all(sh.rebuild is not None for sh in caps)
    rb = caps[0].rebuild
    assert rb is not None and sum(rb.shares.values()) == pytest.approx(1.0) and rb.shares["sec27"] >= 0.5
    assert sc.horizon_days >= 1095
    runs = {model: run_shock(mr, sc, model=model) for model in MODELS}
    for model, res in runs.items():
        assert res.loss_by_region["output_loss"].idxmax() == 510000, model
        # ARIO: the national net output change turns negative once reconstruction by every province
        # (paired assistance) lifts output above normal; the value added lost is not netted
        pct = res.summary.loc[0, "va_loss_pct" if model == "ario" else "total_loss_pct"]
        assert 0.05 < pct < 5, model
    # ARIO: reconstruction demand lifts Sichuan above its baseline output by the end of the horizon,
    # once the capital is mostly rebuilt; before that it loses output every day
    sich = runs["ario"].loss_by_day.query("region == 510000").groupby("day")["output_loss"].sum()
    assert sich.loc[1:400].min() > 0 > sich.iloc[-30:].max()
