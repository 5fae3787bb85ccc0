"""Plan assessment: costs (CRF), backup ramps, plan levers, paired avoided loss and net benefit, the rail
transport layer, lever relevance and the sign of the standby instruments base in the import embargo."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import MRIO
from hinterland.economy import (
    ARIOEvent,
    ARIOLevers,
    ARIOModel,
    DormantCapacity,
    ParameterDraws,
    ShockLevers,
    load_scenario,
    run_arms,
    simulate_ario,
)
from hinterland.errors import ConfigError
from hinterland.plan import (
    BASELINE,
    AssessmentDesign,
    BackupBase,
    LeverCosts,
    PlanLevers,
    ReserveProgramme,
    assessment_task,
    assessment_tasks,
    capital_recovery_factor,
    parameter_draws,
    ramp_days_for_share,
    summarise_assessment,
)
from hinterland.plan._assess import paired_avoided, relevant_levers
from hinterland.plan._transport import CorridorUpgrade, TransportLayer, transport_levers
from toy_tables import toy_mrio

XINJIANG, BEIJING, HENAN, JIANGSU = 650000, 110000, 410000, 320000


# ------------------------------------------------------------------------------ costs
@pytest.mark.reference
def test_capital_recovery_factor_matches_annuity_tables() -> None:
    # standard compound-interest tables, i = 8 %, capital recovery (A/P) column: 0.11683 and 0.08386
    assert capital_recovery_factor(0.08, 15) == pytest.approx(0.11683, abs=5e-6)
    assert capital_recovery_factor(0.08, 40) == pytest.approx(0.08386, abs=5e-6)
    assert capital_recovery_factor(0.08, 1) == pytest.approx(1.08, rel=1e-12)
    assert capital_recovery_factor(0.0, 15) == pytest.approx(1 / 15, rel=1e-15)
    assert capital_recovery_factor(0.0, 40) == 1 / 40
    # present value of n payments of CRF is 1 (the defining identity)
    r, n = 0.08, 15
    assert sum(capital_recovery_factor(r, n) / (1 + r) ** k for k in range(1, n + 1)) == pytest.approx(
        1.0, rel=1e-12
    )


@pytest.mark.parametrize(
    ("rate", "years", "match"),
    [(0.08, 0, "asset life"), (0.08, -5, "asset life"), (-0.01, 15, "discount rate")],
)
def test_capital_recovery_factor_bad_input(rate: float, years: float, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        capital_recovery_factor(rate, years)


# ------------------------------------------------------------------------------ ramps
def _toy(seed: int = 0) -> MRIO:
    """3 regions × 3 sectors with imports by product (as in test_economy_levers)."""
    return toy_mrio(3, 3, seed)


def test_ramp_days_for_share_both_branches() -> None:
    # ρ = 0.8, L = 30: R = 2 (H (1 − ρ) − L) = 2 (73 − 30) = 86 ≤ H − L = 335 (linear branch)
    assert ramp_days_for_share(0.8, 30) == pytest.approx(86.0, abs=1e-9)
    # ρ = 0.3, L = 30: 2 (255.5 − 30) = 451 > 335, so R = (H − L)² / (2 H ρ) = 335² / 219 = 512.44
    assert ramp_days_for_share(0.3, 30) == pytest.approx(335**2 / 219, rel=1e-12)
    assert round(ramp_days_for_share(0.3, 30)) == 512
    assert ramp_days_for_share(1.0, 0) == 1.0  # at least one day
    assert ramp_days_for_share(0.95, 30) == 1.0  # ρ above (H − L)/H is out of reach: the shortest ramp
    for share, lag in ((0.0, 30), (1.2, 30), (0.5, -1), (0.5, 365)):
        with pytest.raises(ConfigError):
            ramp_days_for_share(share, lag)


def _availability(lag: float, ramp: float, horizon: float = 365.0) -> float:
    """Mean over [0, H] of a line starting L days after the trigger and ramping linearly over R days."""
    t = np.linspace(0.0, horizon, 200_001)
    a = np.clip((t - lag) / ramp, 0.0, 1.0)
    return float(np.sum((a[1:] + a[:-1]) / 2 * np.diff(t)) / horizon)


@pytest.mark.property
@settings(max_examples=40, deadline=None)
@given(lag=st.floats(0.0, 300.0), u=st.floats(0.0, 1.0))
def test_ramp_days_give_the_mean_availability_share(lag: float, u: float) -> None:
    hi = 1.0 - (lag + 0.5) / 365.0  # above it even a 1-day ramp is too slow
    share = 0.01 + u * (hi - 0.01)
    ramp = ramp_days_for_share(share, lag)
    assert ramp >= 1.0
    assert _availability(lag, ramp) == pytest.approx(share, abs=1e-6)


def test_ramp_share_holds_in_the_engine() -> None:
    """The engine's daily ramp (a dormant line triggered on day 1) gives the same first-year mean
    availability within a day's worth (1/365) of ρ."""
    model = ARIOModel.from_mrio(_toy())
    imp = np.zeros(model.n)
    imp[0:3] = 0.5
    ev = ARIOEvent("arbitrary", imp, occurrence=1, duration=400, recovery_tau=1)
    for share, lag in ((0.8, 30), (0.5, 30), (0.3, 30)):
        ramp = ramp_days_for_share(share, lag)
        cap = np.zeros(model.n)
        cap[3] = 1.0
        res = simulate_ario(
            model, [ev], 402, levers=ARIOLevers(backup=DormantCapacity(cap, lag, ramp)), record_detail=False
        )
        assert res.backup_online[1:366, 0].mean() == pytest.approx(share, abs=1 / 365)


# ------------------------------------------------------------------------------ plan levers
def _plan() -> PlanLevers:
    return PlanLevers(
        backup=(
            BackupBase("instruments", HENAN, 558.7, 120.0, (("sec21", 1.0),), 30.0, 305.0, "仪器仪表 · 河南"),
            BackupBase("energy", 140000, 900.0, 80.0, (("sec02", 0.4), ("sec11", 0.6)), 30.0, 86.0),
        ),
        reserves=(
            ReserveProgramme("grain", "sec01", 0.53, (HENAN, 420000), (10.0, 5.5), (0.33, 0.18), ("sec06",), 30.0, 1.5, ("d1", "d2"), "粮食"),
            ReserveProgramme("medical", "sec12", 0.2, (510000,), (4.0,), (0.2,), ("sec40",), 20.0, 2.0),
        ),
        upgrades=(CorridorUpgrade(((632800, 652800), (632200, 632800)), 1200.5, 2.0, "格库铁路"),),
        backup_trigger=0.02,
    )  # fmt: skip


def test_plan_levers_json_round_trip_and_keys() -> None:
    lev = _plan()
    text = json.dumps(lev.to_dict(), ensure_ascii=False)
    back = PlanLevers.from_dict(json.loads(text))
    assert back == lev
    assert lev.keys == (
        "backup:instruments@410000", "backup:energy@140000", "reserve:grain", "reserve:medical",
        "upgrade:632800-652800+1",
    )  # fmt: skip
    assert PlanLevers.from_dict({}) == PlanLevers()
    with pytest.raises(ConfigError, match=r"PlanLevers\.to_dict"):
        PlanLevers.from_dict({"backup": [{"chain": "x"}]})


def test_plan_levers_subset_and_duplicates() -> None:
    lev = _plan()
    sub = lev.subset(["reserve:grain", "backup:energy@140000"])
    assert sub.keys == ("backup:energy@140000", "reserve:grain")
    assert sub.backup_trigger == 0.02 and not sub.upgrades
    assert lev.subset([]).is_empty
    with pytest.raises(ConfigError, match=r"unknown lever keys \['reserve:oil'\]"):
        lev.subset(["reserve:oil"])
    b = lev.backup[0]
    dup = PlanLevers(backup=(b, b.scaled(2.0)))
    with pytest.raises(ConfigError, match=r"backup:instruments@410000 appears twice\. Fix: merge the two"):
        _ = dup.keys
    with pytest.raises(ConfigError, match="appears twice"):
        dup.subset([b.key])


def test_plan_costs_refuse_duplicate_keys() -> None:
    b = _plan().backup[0]
    dup = PlanLevers(backup=(b, b.scaled(2.0)))
    with pytest.raises(ConfigError, match="appears twice"):
        dup.annual_costs(LeverCosts())


def test_annual_costs_with_default_cost_parameters() -> None:
    costs = LeverCosts()
    crf15, crf40 = capital_recovery_factor(0.08, 15), capital_recovery_factor(0.08, 40)
    got = _plan().annual_costs(costs)
    expect = pd.Series(
        {
            "backup:instruments@410000": 120.0 * (crf15 + 0.03),  # CRF × invest + standby upkeep
            "backup:energy@140000": 80.0 * (crf15 + 0.03),
            "reserve:grain": 0.15 * 15.5,  # carrying rate × stock value
            "reserve:medical": 0.20 * 4.0,
            "upgrade:632800-652800+1": 1200.5 * 0.15 * (crf40 + 0.01),  # km × cost/km × (CRF + upkeep)
        },
        name="annual_cost",
    )
    pd.testing.assert_series_equal(got, expect, rtol=1e-12)
    inv = _plan().investments(costs)
    assert inv["upgrade:632800-652800+1"] == pytest.approx(1200.5 * 0.15)
    assert inv["reserve:grain"] == pytest.approx(15.5) and inv["backup:energy@140000"] == 80.0
    assert costs.reserve_annual("oil", 10.0) == pytest.approx(1.5)  # default holding rate


def test_plan_levers_in_the_shock_model(china_mrio: MRIO) -> None:
    lev = _plan().to_shock_levers(china_mrio)
    cap = lev.backup.capacity  # type: ignore[union-attr]
    assert cap.loc[(HENAN, "sec21")] == pytest.approx(558.7e4)  # 1e8 CNY → the table's 1e4 CNY
    assert cap.loc[(140000, "sec11")] == pytest.approx(0.6 * 900e4)
    assert lev.backup.trigger == 0.02 and lev.backup.lag_days.loc[(140000, "sec02")] == 30.0  # type: ignore[union-attr]
    grain = lev.reserves[0]
    assert grain.stock.loc[420000] == pytest.approx(5.5e4) and grain.release_per_day.loc[
        HENAN
    ] == pytest.approx(0.33e4)
    assert grain.users == ("sec06",) and grain.share == 0.53


# ------------------------------------------------------------------------------ paired avoided loss
def _frame(rows: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """(draw, arm) rows from arm → column → values over draws 0..D-1."""
    parts = []
    for arm, cols in rows.items():
        D = len(cols["total_loss"])
        df = pd.DataFrame(
            {
                "total_loss": cols["total_loss"],
                "fd_unmet": cols.get("fd_unmet", [0.0] * D),
                "reserve_released": cols.get("reserve_released", [0.0] * D),
                "reserve_to_households": cols.get("reserve_to_households", [0.0] * D),
                "converged": cols.get("converged", [True] * D),
                "horizon_days": [365] * D,
            },
            index=pd.MultiIndex.from_product([range(D), [arm]], names=["draw", "arm"]),
        )
        parts.append(df)
    return pd.concat(parts).sort_index()


RUN_A = _frame(
    {
        BASELINE: {"total_loss": [100.0, 120.0, 80.0], "fd_unmet": [50.0, 60.0, 40.0]},
        "plan": {
            "total_loss": [90.0, 125.0, 60.0],
            "fd_unmet": [45.0, 61.0, 30.0],
            "reserve_released": [5.0, 0.0, 10.0],
            "reserve_to_households": [2.0, 0.0, 4.0],
            "converged": [True, False, True],
        },
    }
)
RUN_B = _frame({BASELINE: {"total_loss": [50.0, 50.0, 50.0]}, "plan": {"total_loss": [40.0, 45.0, 50.0]}})


def test_paired_avoided_by_hand() -> None:
    pa = paired_avoided(RUN_A, "plan", value=1.5)
    # A = L0 − La − R + λ R^hh = [100−90−5+1.5·2, 120−125, 80−60−10+1.5·4]
    np.testing.assert_allclose(pa["avoided"], [8.0, -5.0, 16.0])
    np.testing.assert_allclose(pa["restock"], [5.0, 0.0, 10.0])
    np.testing.assert_allclose(pa["avoided_fd"], [5.0, -1.0, 10.0])
    assert pa["converged"].tolist() == [True, False, True]
    assert paired_avoided(RUN_A, "plan")["avoided"].tolist() == [7.0, -5.0, 14.0]  # λ = 1: released at cost


def test_summarise_assessment_by_hand() -> None:
    design = AssessmentDesign(scenarios=(("a", "a", 0.1), ("b", "b", 0.02)), draws=2, shortage_value=1.5)
    plan = PlanLevers(backup=(BackupBase("instruments", HENAN, 10.0, 1.0, (("sec21", 1.0),), 30.0, 305.0),))
    arms = {BASELINE: PlanLevers(), "plan": plan}
    study = summarise_assessment(design, {"a": RUN_A, "b": RUN_B}, arms, LeverCosts())
    av_a, av_b = np.array([8.0, -5.0, 16.0]), np.array([10.0, 5.0, 0.0])
    row_a, row_b = study.by_scenario.loc[("plan", "a")], study.by_scenario.loc[("plan", "b")]
    assert row_a["avoided_mean"] == pytest.approx(av_a.mean()) and row_a["avoided_median"] == 8.0
    assert row_a["expected_annual"] == pytest.approx(0.1 * av_a.mean())  # p × mean
    assert row_b["expected_annual"] == pytest.approx(0.02 * av_b.mean())
    assert (
        row_a["prob_hurts"] == pytest.approx(1 / 3) and row_b["prob_hurts"] == 0.0
    )  # 0 avoided does not hurt
    assert row_a["avoided_central"] == 8.0 and row_a["converged_share"] == pytest.approx(2 / 3)
    assert row_a["avoided_pct"] == pytest.approx(100 * av_a.mean() / 100.0)
    assert row_a["restock_mean"] == pytest.approx(5.0) and row_a["loss_baseline_p95"] == pytest.approx(118.0)
    port = study.portfolio.loc["plan"]
    cost = 1.0 * (capital_recovery_factor(0.08, 15) + 0.03)
    benefit = 0.1 * av_a.mean() + 0.02 * av_b.mean()
    assert port["annual_cost"] == pytest.approx(cost, rel=1e-12)
    assert port["expected_annual_benefit"] == pytest.approx(benefit, rel=1e-12)
    assert port["net_benefit"] == port["expected_annual_benefit"] - port["annual_cost"]  # net = gross − cost
    assert port["benefit_cost_ratio"] == pytest.approx(benefit / cost, rel=1e-12)
    assert bool(port["pays"]) and port["investment"] == 1.0 and port["levers"] == 1
    per_draw = 0.1 * av_a + 0.02 * av_b  # B_j = Σ_s p_s A_sj: draw j shares its parameters across scenarios
    assert port["net_benefit_p05"] == pytest.approx(np.quantile(per_draw, 0.05) - cost, rel=1e-12)
    assert port["net_benefit_p95"] == pytest.approx(np.quantile(per_draw, 0.95) - cost, rel=1e-12)
    assert port["worst_scenario_median"] == 5.0
    # a plan that costs more than it avoids does not pay
    dear = PlanLevers(backup=(plan.backup[0].scaled(100.0),))
    port2 = summarise_assessment(
        design, {"a": RUN_A, "b": RUN_B}, {BASELINE: PlanLevers(), "plan": dear}, LeverCosts()
    ).portfolio
    assert not bool(port2.loc["plan", "pays"]) and port2.loc["plan", "net_benefit"] < 0


def test_parameter_draws_and_tasks() -> None:
    design = AssessmentDesign(
        scenarios=(("a", "import-embargo", 0.05), ("b", "lockdown", 0.02)), draws=9, chunk_draws=4
    )
    pdr = parameter_draws(design)
    tab = pdr.table()
    assert tab.loc[0].tolist() == [0.8, 365.0, 1.0, 1.0, False]  # draw 0: the nominal engine
    assert tab["psi"].between(0.7, 0.9).all() and tab["alpha_tau"].between(180.0, 730.0).all()
    pd.testing.assert_frame_equal(parameter_draws(design).table(), tab)  # seeded
    arms = {BASELINE: PlanLevers(), "plan": _plan()}
    tasks = assessment_tasks(design, arms, only={"b": []})
    assert sorted(tasks) == [f"ensemble/{s}/{k:03d}" for s in ("a", "b") for k in (0, 4, 8)]
    assert tasks["ensemble/a/004"]["subset"] == [4, 5, 6, 7] and tasks["ensemble/a/008"]["subset"] == [8, 9]
    assert list(tasks["ensemble/b/000"]["arms"]) == [BASELINE]  # arms left out in b: the baseline stays
    assert PlanLevers.from_dict(tasks["ensemble/a/000"]["arms"]["plan"]) == _plan()
    json.dumps(tasks)  # payloads travel to worker processes


# ------------------------------------------------------------------------------ transport layer
@pytest.fixture(scope="module")
def layer() -> TransportLayer:
    return TransportLayer.bundled()


@pytest.fixture(scope="module")
def corridor():  # type: ignore[no-untyped-def]
    return load_scenario("corridor-cut")


def test_hexi_cut_leaves_xinjiang_beijing_90_of_280_train_paths(layer: TransportLayer, corridor) -> None:  # type: ignore[no-untyped-def]
    (win,) = layer.windows(corridor)
    assert (win.start, win.end) == (1, 61)
    e = win.eligibility
    assert layer.base.loc[XINJIANG, BEIJING] == 280.0
    assert e.loc[XINJIANG, BEIJING] == pytest.approx(90 / 280, rel=1e-12)
    assert e.loc[BEIJING, XINJIANG] == pytest.approx(90 / 280, rel=1e-12)
    assert np.all(np.diag(e.to_numpy()) == 1.0) and e.to_numpy().min() >= 0 and e.to_numpy().max() <= 1
    hit = e < 1
    assert hit.loc[XINJIANG].sum() > 20  # Xinjiang is cut off from most provinces
    # utilisation u: e = min(1, F'/(u F)), so every pair scales by 1/u
    (w8,) = TransportLayer(layer.net, 0.8).windows(corridor)
    np.testing.assert_allclose(w8.eligibility.to_numpy(), np.minimum(1.0, e.to_numpy() / 0.8), rtol=1e-12)


def test_detour_upgrade_raises_xinjiang_beijing_above_60_percent(layer: TransportLayer, corridor) -> None:  # type: ignore[no-untyped-def]
    ups = layer.detour_upgrades(corridor)
    assert len(ups) == 1 and ups[0].km > 0 and ups[0].capacity_factor == 2.0
    (w,) = layer.windows(corridor, ups)
    assert w.eligibility.loc[XINJIANG, BEIJING] > 0.6
    (w0,) = layer.windows(corridor)
    assert np.all(w.eligibility.to_numpy() >= w0.eligibility.to_numpy() - 1e-12)  # an upgrade never hurts


def test_upgrade_off_every_cut_path_changes_no_eligibility(layer: TransportLayer, corridor) -> None:  # type: ignore[no-untyped-def]
    e, nodes = layer.net.edges, layer.net.nodes
    reg = nodes["region"]
    inside = e[
        e["line"].astype(str).str.startswith("京沪")
        & e["u"].map(reg).eq(JIANGSU)
        & e["v"].map(reg).eq(JIANGSU)
    ]
    assert len(inside) > 0
    row = inside.iloc[0]
    up = CorridorUpgrade(((int(row["u"]), int(row["v"])),), float(row["length_km"]), 2.0, str(row["line"]))
    (w0,) = layer.windows(corridor)
    (w1,) = layer.windows(corridor, [up])
    assert np.array_equal(w0.eligibility.to_numpy(), w1.eligibility.to_numpy())
    with pytest.raises(ConfigError, match="no rail link joins"):
        layer.windows(corridor, [CorridorUpgrade(((XINJIANG, BEIJING),), 1.0)])


def test_no_network_block_means_no_windows(layer: TransportLayer) -> None:
    sc = load_scenario("import-embargo")
    assert not sc.network
    assert layer.windows(sc) == ()
    assert layer.detour_upgrades(sc) == []
    assert transport_levers(sc) == ShockLevers()


@pytest.mark.parametrize("u", [0.0, -0.5, 1.01, float("nan")])
def test_transport_utilisation_must_be_a_share(layer: TransportLayer, u: float) -> None:
    with pytest.raises(ConfigError, match=r"utilisation = .* must be in \(0, 1\].*Fix"):
        TransportLayer(layer.net, u)


# ------------------------------------------------------------------------------ lever relevance
@pytest.fixture(scope="module")
def china_mrio() -> MRIO:
    from hinterland.plan._assess import _china_mrio

    return _china_mrio()  # type: ignore[no-any-return]


def _instruments_base(mrio: MRIO, factor: float = 1.0) -> BackupBase:
    """The standard base of the instruments chain (standard_bases, STANDARD_BASE_SHARE): 5 % of the national
    sec21 output (1e8 CNY/yr), in Henan, 30 days' lag, ramp for the chain's ramp share 0.5."""
    nat = float(mrio.x.groupby(level=1).sum()["sec21"]) * 1e-4
    return BackupBase(
        "instruments",
        HENAN,
        0.05 * nat * factor,
        100.0,
        (("sec21", 1.0),),
        30.0,
        ramp_days_for_share(0.5, 30.0),
    )


def test_backup_base_irrelevant_where_its_products_are_not_short(china_mrio: MRIO) -> None:
    """regional-disaster shortens no product by more than 1 % nationally (peak 0.9 %, gas): the
    instruments base is not relevant there, and simulating it anyway gives the baseline's numbers."""
    base = PlanLevers(backup=(_instruments_base(china_mrio),))
    design = AssessmentDesign(
        scenarios=(
            ("regional-disaster", "regional-disaster", 0.01),
            ("import-embargo", "import-embargo", 0.05),
        ),
        draws=0,
        horizons=(("regional-disaster", 60), ("import-embargo", 60)),
    )
    rel = relevant_levers(design, base)
    assert rel == {"regional-disaster": [], "import-embargo": ["backup:instruments@410000"]}
    short = load_scenario("regional-disaster").peak_supply_shortfall(china_mrio)
    assert short["sec21"] <= 0.01 < load_scenario("import-embargo").peak_supply_shortfall(china_mrio)["sec21"]
    tasks = assessment_tasks(design, {BASELINE: PlanLevers(), "base": base}, only={"import-embargo": []})
    assert list(tasks["ensemble/import-embargo/000"]["arms"]) == [BASELINE]
    df = assessment_task(tasks["ensemble/regional-disaster/000"])
    b, a = df.xs(BASELINE, level="arm"), df.xs("base", level="arm")
    assert a["backup_online_peak"].max() == 0
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_skipped_levers_are_the_baseline_in_every_ensemble_draw(china_mrio: MRIO) -> None:
    nat = float(china_mrio.x.groupby(level=1).sum()["sec11"]) * 1e-4
    # no lag, 5-day ramp: a short horizon shows it (the lever's timing does not enter relevant_levers)
    energy = PlanLevers(
        backup=(BackupBase("energy", 140000, 0.05 * nat, 100.0, (("sec11", 1.0),), 0.0, 5.0),)
    )
    design = AssessmentDesign(
        scenarios=(("lockdown", "lockdown", 0.02),), draws=4, horizons=(("lockdown", 20),)
    )
    # the nominal sec11 shortfall (0.0088) stays under the 0.01 trigger, but a draw's severity
    # multiplier (up to the scenario's high end) can take it over: with draws the base is simulated
    assert relevant_levers(design, energy) == {"lockdown": ["backup:energy@140000"]}
    (payload,) = assessment_tasks(design, {BASELINE: PlanLevers(), "energy": energy}, draws=[3]).values()
    df = assessment_task(payload)
    assert df.xs("energy", level="arm")["backup_online_peak"].max() > 0  # it does come online there
    # the central run alone cannot trigger it: skipped, and exactly the baseline
    central = AssessmentDesign(scenarios=design.scenarios, draws=0, horizons=design.horizons)
    assert relevant_levers(central, energy) == {"lockdown": []}
    (payload,) = assessment_tasks(central, {BASELINE: PlanLevers(), "energy": energy}).values()
    df = assessment_task(payload)
    pd.testing.assert_frame_equal(
        df.xs("energy", level="arm"), df.xs(BASELINE, level="arm"), check_exact=True
    )


# ------------------------------------------------------------------------------ sign stability
def test_instruments_base_pays_off_in_the_embargo_under_parameter_shifts(china_mrio: MRIO) -> None:
    """The standby instruments base in Henan avoids value added lost in import-embargo when ψ, τ_α and
    the stock scale move ±10 %: the half fraction 2^(3−1) of the corners (each parameter at both ends,
    and the corner where the base helps least, ψ +10 % with τ_α and stocks −10 %), one batch of 4 draws
    × 2 arms; the embargo's own multiplier is held at 1 so that only the engine parameters move."""
    sc = load_scenario("import-embargo", mrio=china_mrio).with_changes(uncertainty=())
    corners = np.array(
        [c for c in itertools.product([0.9, 1.1], repeat=3) if np.prod(np.sign(np.array(c) - 1)) > 0]
    )
    assert len(corners) == 4 and [1.1, 0.9, 0.9] in corners.tolist()
    D = len(corners)
    pdr = ParameterDraws(
        0.8 * corners[:, 0], 365.0 * corners[:, 1], corners[:, 2], np.ones(D), np.zeros(D, bool)
    )
    lev = PlanLevers(backup=(_instruments_base(china_mrio),)).to_shock_levers(china_mrio)
    runs = run_arms(china_mrio, sc, {BASELINE: ShockLevers(), "base": lev}, draws=D - 1, parameters=pdr)
    avoided = runs.va_loss[:, 0] - runs.va_loss[:, 1]
    assert np.all(avoided > 0), dict(zip(map(tuple, corners), avoided, strict=True))
    assert np.all(runs.unrebuilt == 0)  # no capital destroyed: total loss = value added lost
    assert np.all(runs.backup_online[:, 1].max(axis=1) > 0) and np.all(runs.backup_online[:, 0] == 0)
    assert runs.draws_table["psi"].round(6).tolist() == (0.8 * corners[:, 0]).round(6).tolist()
