"""The backup study: strategic industrial backup bases on the bundled China data (exposure, N-1, MILP
plan, Pareto front, closed loop), in memory; ``hinterland.report.write_backup`` writes it.

Steps (docs/backup.md): chain capacity and demand from the bundled 2017 MRIO (万元 → 1e8 CNY); shock
patterns from the economy scenario library (``ShockScenario.capacity_loss``, output-weighted over a
chain's sectors) plus two N-1 stress patterns (front provinces −50 %, each chain's largest province
out); the two-stage MILP on Monte Carlo draws (SAA, in- and out-of-sample), the Pareto front, and the
closed loop: the plan's bases re-enter the ARIO engine as dormant backup lines
(``run_shock(..., levers=PlanLevers(bases).to_shock_levers(mrio))``) and the coastal blockade is
simulated again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.backup import (
    CHAIN,
    OBJECTIVES,
    SCENARIO,
    BackupInstance,
    BackupPlan,
    Chain,
    chain_capacity,
    chains_table,
    evaluate_plan,
    exposure_table,
    load_chains,
    make_instance,
    n1_test,
    pareto_front,
    sample_average_approximation,
    solve_backup,
)
from hinterland.containers import MRIO, REGION
from hinterland.datasets import load_china, load_china_mrio
from hinterland.economy import list_scenarios, load_scenario, run_shock
from hinterland.errors import ConfigError, DataFileError, InfeasibleError, SchemaError
from hinterland.plan._levers import PlanLevers, backup_bases

__all__ = [
    "BACKUP_UNIT",
    "BackupInput",
    "BackupStudy",
    "build_backup_input",
    "closed_loop",
    "run_backup",
    "suitability_scores",
]

BACKUP_UNIT = UNIT = "1e8 CNY"
TO_UNIT = 1e-4  # 万元 → 1e8 CNY
CAPITAL_TO_VA = 4.0  # κ: productive capital per unit value added (ARIOParams default, Hallegatte 2014)
FIXED_SHARE = 0.25  # fixed cost of a base = 25 % of the capital cost of its minimum efficient size
SUITABILITY_PREMIUM = 0.5  # unit cost × (1 + 0.5 (1 − s_r)), s_r = evaluation 'backup' score in [0, 1]
ELECTRICITY_HEADROOM = 0.20  # share of a region's power output that new backup lines may draw
LABOUR_HEADROOM = 0.05  # share of a region's wage bill that new backup lines may employ
FRONT_LOSS = 0.5
BLOCKADE = "coastal-blockade"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BackupStudy:
    """A solved backup study: inputs, chosen plan, result tables, summary and Pareto front."""

    bi: BackupInput
    plan: BackupPlan
    tables: dict[str, pd.DataFrame]
    summary: dict[str, object]
    front: pd.DataFrame
    objective: str
    budget: float | None


@dataclass(frozen=True)
class BackupInput:
    """Everything a run needs: chains, capacity/demand tables, shock patterns, the base instance."""

    chains: dict[str, Chain]
    mrio: MRIO
    capacity: pd.DataFrame  # region × chain, 1e8 CNY/yr
    demand: pd.DataFrame  # region × chain, domestic absorption
    exposure: pd.DataFrame
    patterns: pd.DataFrame  # (scenario, chain) × region
    pattern_prob: pd.Series
    instance: BackupInstance
    front: tuple[int, ...]
    names: dict[int, str]
    suitability: pd.Series
    notes: tuple[str, ...]


def _domestic_demand(mrio: MRIO) -> pd.Series:
    """Domestic absorption of each product by region d: Σ_origin Z[(o,i),(d,·)] + Y[(o,i),(d,FU*)]."""
    Z, Y = mrio.Z, mrio.Y
    zin = Z.T.groupby(level=0).sum().T  # industries × destination region
    fu = [c for c in Y.columns if str(c[1]).startswith("FU")]
    yin = Y[fu].T.groupby(level=0).sum().T
    tot = zin.add(yin, fill_value=0.0)  # (origin region, sector) × destination region
    by_sector = tot.groupby(level=1).sum()  # sector × destination
    s = by_sector.T.stack()
    s.index = s.index.set_names([REGION, "sector"])
    return s


def _chain_loss(capacity_loss: pd.Series, mrio: MRIO, chains: dict[str, Chain]) -> pd.DataFrame:
    """Chain × region loss: output-weighted mean of the sectors' capacity-loss shares."""
    x = mrio.x
    lost = chain_capacity(capacity_loss * x, chains)
    base = chain_capacity(x, chains)
    return (lost / base.where(base > 0)).fillna(0.0).T


def _patterns(
    scenarios: str, mrio: MRIO, chains: dict[str, Chain], capacity: pd.DataFrame, front: tuple[int, ...]
) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    regions = [int(r) for r in capacity.index]
    notes: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    probs: dict[str, float] = {}
    given_prob = False
    path = Path(scenarios)
    if scenarios == "auto" or path.suffix in (".yaml", ".yml"):
        names = list_scenarios() if scenarios == "auto" else [scenarios]
        for name in names:
            sc = load_scenario(name, mrio=mrio)
            loss = _chain_loss(sc.capacity_loss(mrio), mrio, chains)
            if float(loss.to_numpy().max()) <= 0:
                notes.append(
                    f"economy scenario {sc.name} has no direct capacity loss (imports/masks only): skipped"
                )
                continue
            frames[sc.name] = loss
            probs[sc.name] = 1.0
        if scenarios == "auto":
            fr = pd.DataFrame(0.0, index=capacity.columns, columns=regions)
            fr.loc[:, [r for r in regions if r in front]] = FRONT_LOSS
            frames["n1-front-50"] = fr
            probs["n1-front-50"] = 1.0
            big = pd.DataFrame(0.0, index=capacity.columns, columns=regions)
            for c in capacity.columns:
                big.loc[c, int(capacity[c].idxmax())] = 1.0
            frames["n1-largest-out"] = big
            probs["n1-largest-out"] = 1.0
    elif path.suffix == ".csv":
        if not path.exists():
            raise DataFileError(f"scenario file {path} does not exist")
        t = pd.read_csv(path)
        need = {"scenario", "region", "loss"}
        if need - set(t.columns):
            raise SchemaError(
                f"{path}: columns {sorted(need - set(t.columns))} are missing; expected scenario, region, "
                "loss [, chain] [, prob] (loss = capacity-loss share in [0, 1])"
            )
        for sid, g in t.groupby("scenario", sort=False):
            if "chain" in g:
                wide = g.pivot_table(index="chain", columns="region", values="loss", aggfunc="max")
                wide = wide.reindex(index=capacity.columns).fillna(0.0)
            else:
                row = g.set_index("region")["loss"]
                wide = pd.DataFrame([row.to_numpy()] * len(capacity.columns), index=capacity.columns,
                                    columns=row.index)  # fmt: skip
            frames[str(sid)] = wide.reindex(columns=regions).fillna(0.0)
            probs[str(sid)] = float(g["prob"].iloc[0]) if "prob" in g else 1.0
        given_prob = "prob" in t
    else:
        raise ConfigError(
            f"--scenarios {scenarios!r}: expected 'auto', an economy scenario YAML or a CSV "
            "(scenario, region, loss[, chain][, prob])"
        )
    if not frames:
        raise ConfigError(f"no usable shock scenario in {scenarios!r} (no direct capacity losses)")
    long = pd.concat(frames, names=[SCENARIO, CHAIN])
    long.columns = pd.Index([int(c) for c in long.columns], name=REGION)
    p = pd.Series(probs, name="prob")
    p.index.name = SCENARIO
    if scenarios == "auto" or not given_prob:
        p = p / p.sum()
    return long, p, notes


def suitability_scores(regions: list[int], backup_score: pd.Series | None = None) -> pd.Series:
    """Site suitability in [0, 1]: the evaluation's 'backup' dimension score of each province
    (``backup_score``, e.g. ``EvaluationStudy.dimension_score("backup")``; default: the default
    system scored with entropy–TOPSIS on the bundled data), rescaled to [0, 1]."""
    if backup_score is None:
        from hinterland.evaluate import build_matrix, default_system, evaluate

        backup_score = evaluate(build_matrix(load_china(), default_system())).scores["backup"]
    s = backup_score.reindex(regions).astype(float)
    lo, hi = float(s.min()), float(s.max())
    return ((s - lo) / (hi - lo) if hi > lo else s * 0 + 1.0).fillna(0.0).rename("suitability")


def build_backup_input(
    chains: str | Path | None = None,
    *,
    scenarios: str = "auto",
    weighting: str = "share",
    select: Sequence[str] | None = None,
    backup_score: pd.Series | None = None,
    progress: Progress | None = None,
) -> BackupInput:
    """Assemble chains, exposure, shock patterns and the planning instance from the bundled data
    (``select``: keep only these chain ids of the chain file; ``backup_score``: the evaluation's
    'backup' dimension by province, see :func:`suitability_scores`)."""
    say = progress or (lambda _m: None)
    say("loading the bundled MRIO and dataset")
    mrio = load_china_mrio()
    ds = load_china()
    ch = load_chains(chains, sectors=[str(s) for s in mrio.sectors])
    if select is not None:
        unknown = [c for c in select if c not in ch]
        if unknown or not select:
            raise ConfigError(
                f"chains {unknown or list(select)}: not chains of {chains or 'the bundled chain file'} "
                f"(known: {', '.join(ch)}). Fix: choose among those."
            )
        ch = {k: v for k, v in ch.items() if k in select}
    regions = [int(r) for r in mrio.regions]
    cap = chain_capacity(mrio.x * TO_UNIT, ch)
    dem = chain_capacity(_domestic_demand(mrio) * TO_UNIT, ch).reindex(regions).fillna(0.0)
    roles = ds.regions.table["role"]
    front = tuple(int(r) for r in roles.index if roles[r] == "front")
    total = mrio.x.groupby(level=0).sum() * TO_UNIT
    expo = exposure_table(cap, total, front, dem.sum(axis=0))
    ess_share = pd.Series({c: v.essential_share for c, v in ch.items()})
    essential = dem * ess_share
    say("building shock patterns")
    patterns, prob, notes = _patterns(scenarios, mrio, ch, cap, front)
    say("scoring site suitability (evaluation 'backup' dimension)")
    suit = suitability_scores(regions, backup_score)
    # unit capital cost per unit of annual capacity: κ · (value added / output) of the chain's sectors
    va = mrio.v * TO_UNIT
    va_share = chain_capacity(va, ch).sum(axis=0) / cap.sum(axis=0)
    f_c = CAPITAL_TO_VA * va_share
    unit_cost = pd.DataFrame(
        np.outer(1.0 + SUITABILITY_PREMIUM * (1.0 - suit.to_numpy()), f_c.to_numpy()),
        index=pd.Index(regions, name=REGION), columns=cap.columns,
    )  # fmt: skip
    k_min = pd.Series({c: v.min_base_share for c, v in ch.items()}) * cap.sum(axis=0)
    fixed = FIXED_SHARE * f_c * k_min
    # transport: road freight yuan/t between capitals ÷ value density yuan/t = cost share of value
    freight = ds.geography.freight_cost
    freight = freight.reindex(index=regions, columns=regions).fillna(0.0)
    transport = {c: freight / v.value_yuan_per_t for c, v in ch.items()}
    # resources: electricity (input coefficient of sec24) and labour (compensation share)
    Z = mrio.Z
    elec_in = Z.xs("sec24", level=1).sum(axis=0) * TO_UNIT
    comp = mrio.V.loc["VA001"] * TO_UNIT if "VA001" in mrio.V.index else va
    use = pd.DataFrame(
        {
            "electricity": chain_capacity(elec_in, ch).sum(axis=0) / cap.sum(axis=0),
            "labour": chain_capacity(comp, ch).sum(axis=0) / cap.sum(axis=0),
        }
    )
    x_reg = mrio.x.unstack(1) * TO_UNIT
    comp_reg = comp.groupby(level=0).sum()
    rcap = pd.DataFrame(
        {
            "electricity": ELECTRICITY_HEADROOM * x_reg["sec24"],
            "labour": LABOUR_HEADROOM * comp_reg,
        }
    )
    rcap.index = rcap.index.map(int)
    E_tot = essential.sum(axis=0)
    weight = (E_tot.max() / E_tot) if weighting == "share" else pd.Series(1.0, index=E_tot.index)
    if weighting not in ("share", "value"):
        raise ConfigError(f"weighting {weighting!r}: expected 'share' or 'value'")
    candidates = [r for r in regions if r not in front]
    inst = make_instance(
        cap, essential, patterns, prob=prob, candidates=candidates, fixed_cost=fixed, unit_cost=unit_cost,
        min_size=k_min, ramp=pd.Series({c: v.ramp for c, v in ch.items()}), transport=transport,
        weight=weight, resource_use=use, resource_cap=rcap, unit=UNIT,
    )  # fmt: skip
    names = {int(r): str(ds.regions.table.loc[r, "name_en"]) for r in regions}
    return BackupInput(ch, mrio, cap, dem, expo, patterns, prob, inst, front, names, suit, tuple(notes))


def closed_loop(
    bi: BackupInput,
    plan: BackupPlan,
    *,
    scenario: str = BLOCKADE,
    lag_days: float = 30.0,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Re-simulate ``scenario`` with ARIO with and without the plan's backup bases.

    The bases are dormant backup lines of their chains' sectors (``hinterland.plan.backup_bases``:
    online ``lag_days`` after a national shortfall of their product, ramping up over the days the
    chain's ramp share implies, damaged with their province); the host industries keep their own
    parameters. Returns per-chain and per-region output-loss tables and totals (1e8 CNY over the
    horizon)."""
    say = progress or (lambda _m: None)
    roles = load_china().regions.table["role"]
    say(f"ARIO: {scenario} without the plan")
    r0 = run_shock(bi.mrio, scenario, model="ario", roles=roles)
    b = plan.bases
    bases = backup_bases(
        b["capacity"], b["fixed_cost"] + b["unit_cost"] * b["capacity"], bi.chains, bi.mrio,
        lag_days=lag_days, names=bi.names,
    )  # fmt: skip
    levers = PlanLevers(bases).to_shock_levers(bi.mrio)
    say(f"ARIO: {scenario} with the plan ({len(bases)} backup bases, dormant until a shortfall)")
    r1 = run_shock(bi.mrio, scenario, model="ario", roles=roles, levers=levers)

    def by_industry(res: object) -> pd.Series:
        lbd = res.loss_by_day  # type: ignore[attr-defined]
        lbd = lbd[lbd["draw"] == 0]
        s = lbd.groupby(["region", "sector"])["output_loss"].sum() * TO_UNIT
        s.index = s.index.set_names([REGION, "sector"])
        return s

    l0, l1 = by_industry(r0), by_industry(r1)
    c0 = chain_capacity(l0, bi.chains).sum(axis=0)
    c1 = chain_capacity(l1, bi.chains).sum(axis=0)
    per_chain = pd.DataFrame({"loss_without": c0, "loss_with": c1})
    per_chain["saved"] = per_chain["loss_without"] - per_chain["loss_with"]
    per_chain["saved_pct"] = (
        100 * per_chain["saved"] / per_chain["loss_without"].where(per_chain["loss_without"] > 0)
    )
    g0 = l0.groupby(level=0).sum()
    g1 = l1.groupby(level=0).sum()
    per_region = pd.DataFrame({"loss_without": g0, "loss_with": g1.reindex(g0.index).fillna(0.0)})
    per_region["saved"] = per_region["loss_without"] - per_region["loss_with"]
    per_region["name"] = [bi.names.get(int(r), str(r)) for r in per_region.index]
    per_region["role"] = [str(roles.get(int(r), "")) for r in per_region.index]
    per_region.index.name = REGION
    totals = {
        "scenario": scenario,
        "total_loss_without": r0.total_loss * TO_UNIT,
        "total_loss_with": r1.total_loss * TO_UNIT,
        "saved": (r0.total_loss - r1.total_loss) * TO_UNIT,
        "saved_pct": 100 * (r0.total_loss - r1.total_loss) / r0.total_loss if r0.total_loss > 0 else 0.0,
        "plan_invest": plan.invest,
        "backup_bases": float(len(bases)),
    }
    return per_chain, per_region, totals  # type: ignore[return-value]


def run_backup(
    *,
    budget: float | None,
    chains: str | Path | None = None,
    objective: str = "expected",
    scenarios: str = "auto",
    alpha: float = 0.9,
    draws: int = 20,
    n_out: int = 200,
    seed: int = 0,
    budgets: tuple[float, ...] = (500.0, 1000.0, 2500.0, 5000.0, 10000.0, 20000.0),
    weighting: str = "share",
    solver: str = "highs",
    time_limit: float | None = 60.0,
    loop: bool = True,
    select: Sequence[str] | None = None,
    backup_score: pd.Series | None = None,
    lag_days: float = 30.0,
    progress: Progress | None = None,
) -> BackupStudy:
    """Run the whole backup study (inputs, N-1 test, SAA solve, Pareto front, closed loop) in memory.

    ``budget`` (1e8 CNY): the investment cap; ``None`` (no cap) only with ``objective="n-1"``, which
    then finds the cheapest plan that passes N-1. ``select``: only these chains of the chain
    file. ``backup_score``: the evaluation's 'backup'
    dimension by province (the site-suitability premium, see :func:`suitability_scores`); default:
    the evaluation is run here. ``lag_days``: the bases' mobilisation lag in the closed loop."""
    say = progress or (lambda _m: None)
    if objective not in OBJECTIVES:  # checked before the inputs are built (seconds)
        raise ConfigError(
            f"objective {objective!r} is unknown; expected one of {', '.join(OBJECTIVES)}. "
            "Fix: pass --objective expected, cvar or n-1."
        )
    if budget is None and objective != "n-1":
        raise ConfigError(
            f"objective {objective!r} needs a budget (1e8 CNY). Fix: pass --budget (the CLI default is "
            "5000), or use --objective n-1 for the cheapest plan that passes N-1."
        )
    if budget is not None and not (np.isfinite(budget) and budget >= 0):
        raise ConfigError(
            f"budget = {budget} {UNIT} is not allowed. Fix: pass a finite budget ≥ 0 (--budget)."
        )
    bi = build_backup_input(
        chains,
        scenarios=scenarios,
        weighting=weighting,
        select=select,
        backup_score=backup_score,
        progress=say,
    )
    inst = bi.instance
    ess = pd.Series({c: v.essential_share for c, v in bi.chains.items()})
    n1 = n1_test(bi.capacity, bi.demand.sum(axis=0), bi.patterns, ess)
    say(f"solving ({objective}) on {draws} Monte Carlo draws")
    if objective == "n-1":
        plan = solve_backup(inst, objective="n-1", budget=budget, solver=solver, time_limit=time_limit)
        ev = evaluate_plan(inst, plan, alpha=alpha)
        saa_summary: dict[str, float] = {}
        reps = pd.DataFrame()
    else:
        assert budget is not None
        saa = sample_average_approximation(
            inst, bi.patterns, bi.pattern_prob, budget=budget, n=draws, n_out=n_out, seed=seed,
            objective=objective, alpha=alpha, solver=solver, time_limit=time_limit,
        )  # fmt: skip
        plan, ev, saa_summary, reps = saa.plan, saa.out_of_sample, saa.summary, saa.replications
    # N-1 with the plan on the nominal patterns
    cap_plan = bi.capacity.copy()
    for (c, r), k in plan.capacity.items():
        cap_plan.loc[int(r), str(c)] += float(k) * bi.chains[str(c)].ramp
    n1_plan = n1_test(cap_plan, bi.demand.sum(axis=0), bi.patterns, ess)
    n1["coverage_with_plan"] = n1_plan["coverage"]
    n1["passes_with_plan"] = n1_plan["passes"]
    n1["shortfall_with_plan"] = n1_plan["shortfall"]
    say(f"Pareto front over {len(budgets)} budgets")
    from hinterland.backup import draw_scenarios

    loss_in, p_in = draw_scenarios(bi.patterns, bi.pattern_prob, draws, seed=seed)
    pf_obj = objective if objective != "n-1" else "expected"
    try:
        front, _ = pareto_front(inst.with_scenarios(loss_in, p_in), budgets, objective=pf_obj, alpha=alpha,
                                solver=solver, time_limit=time_limit)  # fmt: skip
    except InfeasibleError as exc:
        front = pd.DataFrame({"budget": list(budgets), "status": str(exc)})
    alloc = plan.bases.reset_index()
    alloc["name"] = alloc[REGION].map(lambda r: bi.names.get(int(r), str(r)))
    alloc["usable_in_shock"] = alloc["capacity"] * alloc[CHAIN].map(lambda c: bi.chains[c].ramp)
    tables: dict[str, pd.DataFrame] = {
        "chains": chains_table(bi.chains).reset_index(),
        "exposure": bi.exposure.reset_index(),
        "capacity_by_region": bi.capacity.rename_axis(REGION).reset_index(),
        "n1_test": n1.reset_index(),
        "allocation": alloc,
        "pareto": front,
        "unmet_in_sample": plan.unmet.reset_index(),
        "saa_replications": reps,
    }
    summary: dict[str, object] = {
        "objective": objective,
        "budget": budget,
        "alpha": alpha,
        "unit": UNIT,
        "draws": draws,
        "n_out": n_out,
        "seed": seed,
        "scenarios": list(map(str, bi.pattern_prob.index)),
        "notes": list(bi.notes),
        "n1_fail_nominal": [f"{s}/{c}" for (s, c), ok in n1["passes"].items() if not ok],
        "n1_fail_with_plan": [f"{s}/{c}" for (s, c), ok in n1["passes_with_plan"].items() if not ok],
        "plan": {"n_bases": len(plan.bases), "invest": plan.invest, "status": plan.status, "gap": plan.gap},
        "in_sample_expected_loss": plan.expected_loss,
        "in_sample_cvar": plan.cvar,
        "out_of_sample_expected_loss": ev.expected_loss,
        "out_of_sample_cvar": ev.cvar,
        "saa": saa_summary,
    }
    if loop:
        per_chain, per_region, totals = closed_loop(bi, plan, lag_days=lag_days, progress=say)
        tables["loss_with_without"] = per_chain.rename_axis(CHAIN).reset_index()
        tables["loss_by_region"] = per_region.reset_index()
        summary["closed_loop"] = totals
    return BackupStudy(bi, plan, tables, summary, front, objective, budget)
