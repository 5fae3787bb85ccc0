"""Scenario schema and library, run_shock on tiny tables and the bundled China MRIO."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import MRIO
from hinterland.economy import (
    MODELS,
    ShockLevers,
    ShockResult,
    ShockScenario,
    list_scenarios,
    load_scenario,
    money_factor,
    run_shock,
)
from hinterland.errors import ConfigError, DataFileError, InfeasibleError, UnknownIdError
from toy_tables import toy_mrio

LIBRARY = ["coastal-blockade", "corridor-cut", "import-embargo", "lockdown", "regional-disaster"]


def _toy(m: int = 3, n: int = 3, seed: int = 0) -> MRIO:
    return toy_mrio(m, n, seed)


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


BASE = """
name: t
title: test
description: a test
shocks:
  - {kind: capacity, regions: [110000], sectors: [sec01], share: 0.5, start: 2, duration: 5, recovery_days: 10}
"""


def test_library_lists_and_loads_against_bundled_mrio() -> None:
    from hinterland.datasets import load_china_mrio

    mr = load_china_mrio()
    assert list_scenarios() == LIBRARY
    for name in LIBRARY:
        sc = load_scenario(name, mrio=mr)
        assert isinstance(sc, ShockScenario) and sc.name == name and sc.title and sc.description
        assert sc.probability is None or 0 <= sc.probability <= 1
        cl = sc.capacity_loss(mr)
        assert cl.index.names == ["region", "sector"] and len(cl) == 31 * 42
        assert cl.between(0, 1).all()
        assert sc.sources, f"{name} documents no sources"


def test_money_units_convert_1e8_to_1e4(tmp_path: Path) -> None:
    assert money_factor("1e8 CNY") == (1e8, "CNY")
    assert money_factor("亿元") == (1e8, "CNY")
    mr = _toy()
    cap = 4.0 * mr.v.to_numpy()
    amount_1e4 = 0.1 * cap[0]
    text = BASE.replace(
        "  - {kind: capacity, regions: [110000], sectors: [sec01], share: 0.5, start: 2, duration: 5, recovery_days: 10}",
        f"  - {{kind: capital, regions: [110000], sectors: [sec01], amount: {float(amount_1e4 / 1e4)!r}, unit: 1e8 CNY}}",
    )
    sc = load_scenario(_write(tmp_path, text), mrio=mr)
    # 1e8 CNY → 1e4 CNY is × 1e4: amount/1e4 (in 1e8) is amount (in 1e4) = 10 % of the capital stock
    assert sc.capacity_loss(mr).iloc[0] == pytest.approx(0.1, rel=1e-12)
    assert sc.capacity_loss(mr).iloc[1:].eq(0).all()


@pytest.mark.parametrize(
    ("old", "new", "exc", "pattern"),
    [
        (
            "regions: [110000]",
            "regions: [999999]",
            UnknownIdError,
            r"s\.yaml: shocks\[0\]\.regions: unknown region 999999; valid: 110000",
        ),
        (
            "sectors: [sec01]",
            "sectors: [sec99]",
            UnknownIdError,
            r"shocks\[0\]\.sectors: unknown sector 'sec99'; valid: sec01",
        ),
        (
            "share: 0.5",
            "share: 50",
            ConfigError,
            r"s\.yaml: shocks\[0\]\.share = 50 is outside \[0, 1\].*percent",
        ),
        ("kind: capacity", "kind: capital", ConfigError, r"shocks\[0\]\.amount is required"),
        ("regions: [110000]", "regions: front", UnknownIdError, r"unknown region group 'front'"),
        ("recovery_days: 10", "recovery_days: 0", ConfigError, r"recovery_days = 0 is outside"),
        ("start: 2", "strat: 2", ConfigError, r"unknown key\(s\) \['strat'\]"),
    ],
)
def test_bad_yaml_errors_name_file_and_key(
    tmp_path: Path, old: str, new: str, exc: type, pattern: str
) -> None:
    p = _write(tmp_path, BASE.replace(old, new))
    with pytest.raises(exc, match=pattern):
        load_scenario(p, mrio=_toy())


def test_more_validation_errors(tmp_path: Path) -> None:
    mr = _toy()
    with pytest.raises(ConfigError, match=r"probability = 1.5 is outside \[0, 1\]"):
        load_scenario(_write(tmp_path, BASE + "probability: 1.5\n"))
    money = BASE.replace("kind: capacity", "kind: capital").replace("share: 0.5", "amount: 5")
    with pytest.raises(ConfigError, match=r"shocks\[0\]\.unit is missing.*1e8 CNY"):
        load_scenario(_write(tmp_path, money))
    with pytest.raises(ConfigError, match=r"is in USD but the table is in '1e4 CNY'"):
        load_scenario(_write(tmp_path, money.replace("amount: 5", "amount: 5, unit: 1e6 USD")), mrio=mr)
    with pytest.raises(ConfigError, match=r"not a money unit"):
        load_scenario(_write(tmp_path, money.replace("amount: 5", "amount: 5, unit: tons")))
    huge = money.replace("amount: 5", "amount: 1e9, unit: 1e8 CNY")
    with pytest.raises(InfeasibleError, match=r"exceeds the capital stock"):
        load_scenario(_write(tmp_path, huge), mrio=mr).capacity_loss(mr)
    ramp = BASE + "levers:\n  ramp_up_days: [{days: 1}]\n"
    with pytest.raises(ConfigError, match=r"levers\.ramp_up_days\[0\]\.days = 1.*unstable.*> 1 day"):
        load_scenario(_write(tmp_path, ramp))
    with pytest.raises(DataFileError, match="neither a library scenario"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(
        UnknownIdError, match=r"demand\[0\]\.categories: unknown final-demand category \['EX'\]"
    ):
        load_scenario(
            _write(tmp_path, BASE + "demand: [{categories: [EX], share: 0.1, duration: 3}]\n"), mrio=mr
        )


def test_no_shock_scenario_gives_zero_loss(tmp_path: Path) -> None:
    mr = _toy()
    sc = load_scenario(_write(tmp_path, "name: none\ntitle: none\ndescription: nothing\nhorizon_days: 60\n"))
    for model in MODELS:
        res = run_shock(mr, sc, model=model)
        assert np.abs(res.summary["total_loss"]).max() <= 1e-9 * mr.x.sum(), model
        assert res.summary.loc[0, "recovery_days"] == 0


def test_run_shock_tables_and_roundtrip(tmp_path: Path) -> None:
    mr = _toy()
    sc = load_scenario(_write(tmp_path, BASE + "uncertainty: [{parameter: severity, low: 0.5, high: 1.5}]\n"))
    roles = pd.Series(["front", "hinterland", "hinterland"], index=list(mr.regions))
    res = run_shock(mr, sc, draws=4, seed=3, horizon_days=40, roles=roles)
    assert list(res.loss_by_day.columns) == ["draw", "day", "region", "sector", "output_loss"]
    assert res.summary.index.name == "draw" and len(res.summary) == 5
    assert res.summary["share_front"].iloc[0] + res.summary["share_hinterland"].iloc[0] == pytest.approx(1)
    total = res.loss_by_day["output_loss"].sum()
    assert total == pytest.approx(res.summary.loc[0, "total_loss"], rel=1e-9)
    assert res.loss_by_region["output_loss"].sum() == pytest.approx(total, rel=1e-9)
    assert {"mean", "p05", "p95"} <= set(res.loss_by_sector.columns)
    back = ShockResult.from_folder(res.to_folder(tmp_path / "out"))
    pd.testing.assert_frame_equal(back.summary, res.summary)
    pd.testing.assert_frame_equal(back.loss_by_day, res.loss_by_day)
    assert back.scenario == "t" and back.draws == 4
    # the direct hit lowers output of (110000, sec01) by about half while it lasts
    day5 = res.loss_by_day.query("day == 5 and region == 110000 and sector == 'sec01'")["output_loss"].iloc[0]
    assert day5 > 0.4 * mr.x.iloc[0] / 365


def test_draws_reproducible_with_seed(tmp_path: Path) -> None:
    mr = _toy()
    sc = load_scenario(_write(tmp_path, BASE + "uncertainty: [{parameter: capacity, low: 0.2, high: 1.8}]\n"))
    a = run_shock(mr, sc, draws=6, seed=11, horizon_days=40)
    b = run_shock(mr, sc, draws=6, seed=11, horizon_days=40)
    c = run_shock(mr, sc, draws=6, seed=12, horizon_days=40)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert not np.allclose(a.summary["total_loss"], c.summary["total_loss"])
    # draw 0 is the central run whatever the seed; a larger multiplier gives a larger loss
    assert a.summary.loc[0, "total_loss"] == pytest.approx(c.summary.loc[0, "total_loss"], rel=1e-12)
    order = a.summary["mult_capacity"].argsort().to_numpy()
    assert np.all(np.diff(a.summary["total_loss"].to_numpy()[order]) > 0)


def test_static_models_match_hand_formulas(tmp_path: Path) -> None:
    from hinterland.economy import calc_A, calc_A_star, calc_L

    mr = _toy()
    sc = load_scenario(_write(tmp_path, BASE))
    Z, x = mr.Z.to_numpy(), mr.x.to_numpy()
    y = mr.Y.to_numpy().sum(1)
    prof = sc.shocks[0].timing.profile(40)
    d = np.zeros(len(x))
    d[0] = 0.5
    leo = run_shock(mr, sc, model="leontief", horizon_days=40)
    expect = calc_L(calc_A(Z, x)) @ (d * y) / 365 * prof.sum()
    np.testing.assert_allclose(leo.loss_by_region["output_loss"].sum(), expect.sum(), rtol=1e-10)
    iim = run_shock(mr, sc, model="iim", horizon_days=40)
    q = np.linalg.solve(np.eye(len(x)) - calc_A_star(Z, x), d)
    np.testing.assert_allclose(iim.summary.loc[0, "total_loss"], (x * q).sum() / 365 * prof.sum(), rtol=1e-10)


def test_spare_capacity_override_and_unknown_industry(tmp_path: Path) -> None:
    mr = _toy()
    sc = load_scenario(_write(tmp_path, BASE))
    idx = pd.MultiIndex.from_tuples([(999, "sec01")], names=["region", "sector"])
    with pytest.raises(UnknownIdError, match="unknown industries"):  # an id error, not an option error
        run_shock(mr, sc, levers=ShockLevers(spare_capacity=pd.Series([0.1], index=idx)), horizon_days=30)


@pytest.mark.property
@settings(max_examples=8, deadline=None)
@given(
    st.lists(st.floats(0.0, 0.6), min_size=3, max_size=3),
    st.integers(0, 3),
)
def test_spare_capacity_reduces_ario_loss_monotonically(shares: list[float], seed: int) -> None:
    mr = _toy(seed=seed)
    sc = ShockScenario("p", "p", "p", horizon_days=60)
    from hinterland.economy._scenarios import Shock, Timing

    sc = sc.with_changes(shocks=(Shock("capacity", (110000,), "all", Timing(2, 10, 20), share=0.5),))
    losses = []
    for s in sorted(shares):
        spare = pd.Series(s, index=mr.industries)
        losses.append(
            run_shock(mr, sc, levers=ShockLevers(spare_capacity=spare)).summary.loc[0, "total_loss"]
        )
    assert np.all(np.diff(losses) <= 1e-9 * abs(losses[0]) + 1e-12)


def test_bundled_scenarios_run_every_model() -> None:
    from hinterland.datasets import load_china_mrio

    mr = load_china_mrio()
    res = run_shock(mr, "lockdown", horizon_days=120)
    s = res.summary.loc[0]
    assert 0 < s["total_loss_pct"] < 5 and 0 < s["peak_daily_loss_pct"] < 20
    top = res.loss_by_region["output_loss"].idxmax()
    assert top == 310000  # Shanghai loses most
    for model in ("iim", "leontief", "ghosh", "diim"):
        r = run_shock(mr, "regional-disaster", model=model, horizon_days=120)
        assert r.loss_by_region["output_loss"].idxmax() == 510000, model


def test_scenario_missing_keys_are_named_together(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A scenario without title and description names both at once, not one per run."""
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: t\nshocks:\n  - kind: capacity\n    share: 0.2\n    regions: [110000]\n"
        "    sectors: [sec19]\n    start: 1\n    duration: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r"s\.yaml: title is required \(.*\); so are description \(.*\)\. Fix: add them\."
    ):
        load_scenario(f)


def test_every_scenario_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Like the plan config, a scenario file lists every problem of a phase in one error, not the first."""
    from hinterland.economy import ScenarioConfigError

    text = BASE.replace("share: 0.5", "share: 50").replace("start: 2", "strat: 2")
    with pytest.raises(ScenarioConfigError) as info:
        load_scenario(_write(tmp_path, text + "probability: 1.5\n"))
    msg = str(info.value)
    assert msg.startswith("3 problems in scenario") and len(info.value.problems) == 3
    for part in (r"shocks[0].share = 50 is outside", "unknown key(s) ['strat']", "probability = 1.5"):
        assert part in msg, part
    # the id checks against the table collect too (and keep the first problem's type)
    bad_ids = BASE.replace("regions: [110000]", "regions: [999999]") + (
        "imports:\n  - {sectors: [sec99], availability: 0.5, start: 1, duration: 3, recovery_days: 5}\n"
    )
    with pytest.raises(UnknownIdError, match=r"2 problems in scenario .*\n.*999999(.|\n)*sec99"):
        load_scenario(_write(tmp_path, bad_ids), mrio=_toy())


def test_max_multipliers_bound_every_draw_of_the_ensemble() -> None:
    """max_multipliers is the product of the highs of the draws that scale a component (≥ 1), and the
    shortfall at those multipliers bounds every drawn run's direct shortfall."""
    from hinterland.economy._shock import _multipliers

    text = BASE + (
        "uncertainty:\n  - {parameter: severity, distribution: uniform, low: 0.8, high: 1.2}\n"
        "  - {parameter: capacity, distribution: triangular, low: 0.5, high: 1.5}\n"
    )
    sc = _from_text(text)
    top = sc.max_multipliers()
    assert top["capacity"] == pytest.approx(1.8) and top["imports"] == pytest.approx(1.2)
    drawn = _multipliers(sc, 200, 3)
    assert (drawn.max() <= pd.Series(top) + 1e-12).all()
    mr = _toy()
    nominal = sc.peak_supply_shortfall(mr)
    bound = sc.peak_supply_shortfall(mr, scale=top)
    assert (bound >= nominal).all() and bound["sec01"] > nominal["sec01"]
    worst = float(drawn["capacity"].max())
    assert (sc.peak_supply_shortfall(mr, scale={"capacity": worst}) <= bound + 1e-12).all()
    below = _from_text(
        BASE + "uncertainty:\n  - {parameter: capacity, distribution: uniform, low: 0.2, high: 0.9}\n"
    )
    assert below.max_multipliers()["capacity"] == 1.0  # the central run (multiplier 1) still happens


def _from_text(text: str) -> ShockScenario:
    import yaml

    from hinterland.economy._scenarios import _from_dict

    return _from_dict(yaml.safe_load(text), "s.yaml")
