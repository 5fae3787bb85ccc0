r"""Plan assessment: paired ARIO ensembles, avoided value-added loss, net benefit, lever selection.

**Metric.** For a scenario s, a draw j (shock multipliers and engine parameters) and an arm a (the
baseline or a plan), the loss is the value added lost over a horizon long enough for the economy to
return to normal plus the capital still unrebuilt at its end,

.. math::
    L_{s,j,a} = \sum_t \sum_f v_f \max\Big(0,\ 1 - \frac{x^a_f(t)}{x_{0,f}}\Big) + K^{left}_{s,j,a}(T),

so output above normal (overproduction, reconstruction, the plan's own backup lines) is never
netted against losses elsewhere. Final demand not met :math:`U_{s,j,a} = \sum_t \sum_c u_c(t)` is
reported beside it. The plan's avoided loss is paired — the arms of a draw share its shock and its
parameters (common random numbers) —

.. math::  A_{s,j} = L_{s,j,0} - L_{s,j,a} - R_{s,j,a} + \lambda R^{hh}_{s,j,a},

where :math:`R` is the value the plan's reserves released, which must be bought back after the shock,
and :math:`R^{hh}` the part households received, valued at λ per yuan (``shortage_value``; 1 = at its
price: a release to households then breaks even and a reserve pays through the industries it keeps
running, or through λ > 1, the premium of essential goods in a shortage). Counting unmet final demand
in the loss as well would count the same shortfall twice (income and expenditure side of GDP).

**Net benefit.** With annual scenario probabilities :math:`p_s` (explicit: from the plan file or the
scenario), the expected annual benefit is :math:`B = \sum_s p_s \bar A_s` and the net benefit
:math:`B - C` with the plan's annualised cost C (:mod:`hinterland.plan._costs`); the benefit–cost ratio
is B / C. Draw j of every scenario uses the same engine parameters, so :math:`B_j = \sum_s p_s A_{s,j}`
is one sample of the expected annual benefit under parameter uncertainty: its 5–95 % band is the
band of the net benefit.

**Selection.** Every candidate lever (each backup base, reserve programme and corridor upgrade of the
proposed plan, and the detour project of each corridor cut) is simulated alone against the baseline on
the central draw of every scenario; the levers whose expected annual benefit exceeds their annual
cost form the recommended portfolio (none, if none pays). The proposed plan (what the stages chose
on their own static models) and the recommended portfolio then run through the full paired ensemble.
A portfolio that raises the median loss of a scenario loses its worst lever there, and is run again.

**Uncertain parameters** (one value per draw, central draw = nominal): ψ, τ_α, the stock days of
stockable goods, the reconstruction pace τ and the rationing rule (proportional or priority), besides
each scenario's own shock multipliers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.economy import ParameterDraws, ShockLevers, ShockScenario, load_scenario, run_arms
from hinterland.errors import ConfigError
from hinterland.plan._costs import LeverCosts
from hinterland.plan._levers import PlanLevers
from hinterland.plan._transport import TransportLayer, _layer

__all__ = [
    "BASELINE",
    "AssessmentDesign",
    "AssessmentStudy",
    "assess_plan",
    "assessment_tables",
    "assessment_task",
    "assessment_tasks",
    "parameter_draws",
    "scenario_specs",
    "screen_levers",
    "summarise_assessment",
]

TO_E8 = 1e-4  # table 1e4 CNY → 1e8 CNY
BASELINE = "baseline"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class AssessmentDesign:
    """How the plan is judged: scenarios with probabilities, draws, parameter ranges, horizons."""

    scenarios: tuple[tuple[str, str, float], ...]  # (label, library name or file, annual probability)
    draws: int = 13
    seed: int = 0
    psi: tuple[float, float] = (0.7, 0.9)
    alpha_tau_days: tuple[float, float] = (180.0, 730.0)
    stock_scale: tuple[float, float] = (0.67, 1.33)
    rebuild_tau_scale: tuple[float, float] = (0.7, 1.3)
    priority_share: float = 0.5
    priority_sectors: tuple[str, ...] = ("sec01", "sec06", "sec24", "sec26", "sec40")
    utilisation: float = 1.0
    shortage_value: float = 1.0
    chunk_draws: int = 7
    horizons: tuple[tuple[str, int], ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s[0] for s in self.scenarios)

    def probability(self, label: str) -> float:
        return {s[0]: s[2] for s in self.scenarios}[label]

    def horizon(self, label: str) -> int | None:
        return dict(self.horizons).get(label)


def parameter_draws(design: AssessmentDesign) -> ParameterDraws:
    r"""The engine parameters of draws 0..``draws`` (0 = nominal: ψ 0.8, τ_α 365 d, stocks and τ as
    given, proportional rationing), uniform in the design's ranges, from ``seed``; the same for every
    scenario, so that draw j is one parameter state of the whole assessment."""
    rng = np.random.default_rng(np.random.SeedSequence([int(design.seed), 7_011]))

    def uni(lo_hi: tuple[float, float], nominal: float) -> np.ndarray:
        lo, hi = lo_hi
        if not lo <= hi:
            raise ConfigError(f"parameter range {lo_hi}: expected low ≤ high. Fix: swap them.")
        return np.concatenate([[nominal], rng.uniform(lo, hi, design.draws)])

    psi = uni(design.psi, 0.8)
    tau = uni(design.alpha_tau_days, 365.0)
    stock = uni(design.stock_scale, 1.0)
    reb = uni(design.rebuild_tau_scale, 1.0)
    prio = np.r_[False, rng.uniform(0, 1, design.draws) < design.priority_share]
    return ParameterDraws(psi, tau, stock, reb, prio, design.priority_sectors)


# ------------------------------------------------------------------------------------ tasks
def _scenario_seed(design: AssessmentDesign, label: str) -> int:
    k = design.labels.index(label)
    return int(np.random.SeedSequence([int(design.seed), 4_211, k]).generate_state(1)[0])


def assessment_tasks(
    design: AssessmentDesign,
    arms: Mapping[str, PlanLevers],
    *,
    draws: Sequence[int] | None = None,
    stage: str = "ensemble",
    only: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Ensemble payloads for :func:`assessment_task`: per scenario, its draws (all, or ``draws``)
    split into chunks of ``design.chunk_draws``; every arm in every payload (JSON-able), or for a
    scenario in ``only`` the arms listed there (the baseline always)."""
    pdraws = parameter_draws(design)
    params = {k: np.asarray(getattr(pdraws, k)).tolist() for k in pdraws.names}
    ids = list(range(design.draws + 1)) if draws is None else sorted(set(int(d) for d in draws))
    out: dict[str, dict[str, Any]] = {}
    for label, spec, prob in design.scenarios:
        names = [a for a in arms if only is None or label not in only or a == BASELINE or a in only[label]]
        arm_data = {name: arms[name].to_dict() for name in names}
        for c0 in range(0, len(ids), max(1, design.chunk_draws)):
            chunk = ids[c0 : c0 + design.chunk_draws]
            out[f"{stage}/{label}/{chunk[0]:03d}"] = {
                "label": label,
                "scenario": spec,
                "probability": prob,
                "seed": _scenario_seed(design, label),
                "draws": design.draws,
                "subset": chunk,
                "horizon_days": design.horizon(label),
                "parameters": params,
                "priority_sectors": list(design.priority_sectors),
                "utilisation": design.utilisation,
                "arms": arm_data,
            }
    return out


@lru_cache(maxsize=1)
def _china_mrio() -> Any:
    from hinterland.datasets import load_china_mrio

    return load_china_mrio()


def arm_shock_levers(
    levers: PlanLevers, scenario: ShockScenario, layer: TransportLayer | None, mrio: Any
) -> ShockLevers:
    """One arm in the shock model: its levers, and the transport windows of the scenario's network
    cuts with the arm's corridor upgrades (the baseline gets the damaged network as it is)."""
    windows = () if not scenario.network or layer is None else layer.windows(scenario, levers.upgrades)
    return levers.to_shock_levers(mrio, windows)


def assessment_task(payload: dict[str, Any]) -> pd.DataFrame:
    """Paired runs of one scenario chunk on the bundled MRIO (see the module docstring) → one row per
    (draw, arm): totals (1e8 CNY), by-region value added lost (``va_r_<adcode>``) and the daily value
    added lost and final demand not met (``va_d_<day>``, ``fd_d_<day>``; 1e8 CNY/day)."""
    mrio = _china_mrio()
    try:
        scenario = load_scenario(payload["scenario"], mrio=mrio)
        arms = {k: PlanLevers.from_dict(v) for k, v in payload["arms"].items()}
        params = payload["parameters"]
        pdraws = ParameterDraws(
            np.asarray(params["psi"], float),
            np.asarray(params["alpha_tau"], float),
            np.asarray(params["stock_scale"], float),
            np.asarray(params["rebuild_tau_scale"], float),
            np.asarray(params["priority"], bool),
            tuple(payload.get("priority_sectors", ())) or ParameterDraws.nominal(1).priority_sectors,
        )
    except KeyError as exc:
        raise ConfigError(f"assessment payload lacks {exc}; make payloads with assessment_tasks()") from exc
    layer = _layer(float(payload.get("utilisation", 1.0))) if scenario.network else None
    shock_arms = {k: arm_shock_levers(v, scenario, layer, mrio) for k, v in arms.items()}
    runs = run_arms(
        mrio,
        scenario,
        shock_arms,
        draws=int(payload["draws"]),
        seed=int(payload["seed"]),
        parameters=pdraws,
        subset=payload["subset"],
        horizon_days=payload.get("horizon_days"),
    )
    tot = runs.totals()
    money = [
        "va_loss", "fd_unmet", "unrebuilt_capital", "total_loss", "output_loss_net", "reserve_released",
        "reserve_to_households",
    ]  # fmt: skip
    tot[money] = tot[money] * TO_E8
    tot["backup_online_peak"] = tot["backup_online_peak"] * TO_E8
    tot["horizon_days"] = runs.horizon_days
    tot["va_per_day"] = runs.va_per_day * TO_E8
    D, A, T = runs.va_daily.shape
    regions = [int(r) for r in runs.regions]
    by_region = pd.DataFrame(
        runs.va_region.reshape(D * A, -1) * TO_E8, index=tot.index, columns=[f"va_r_{r}" for r in regions]
    )
    daily = pd.DataFrame(
        np.concatenate([runs.va_daily.reshape(D * A, T), runs.fd_daily.reshape(D * A, T)], axis=1) * TO_E8,
        index=tot.index,
        columns=[f"va_d_{t}" for t in range(T)] + [f"fd_d_{t}" for t in range(T)],
    )
    return pd.concat([tot, by_region, daily], axis=1)


# ------------------------------------------------------------------------------------ summary
@dataclass
class AssessmentStudy:
    """Everything the assessment found (tables in 1e8 CNY; see the module docstring)."""

    design: AssessmentDesign
    runs: dict[str, pd.DataFrame]  # label → rows (draw, arm)
    arms: dict[str, PlanLevers]
    costs: LeverCosts
    by_scenario: pd.DataFrame = field(default_factory=pd.DataFrame)
    portfolio: pd.DataFrame = field(default_factory=pd.DataFrame)
    levers: pd.DataFrame = field(default_factory=pd.DataFrame)
    draws: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    recommended: PlanLevers = field(default_factory=PlanLevers)

    def curves(self, label: str) -> pd.DataFrame:
        """Daily value added lost (1e8 CNY/day) of every arm: central draw, and the 5 / 95 % band."""
        df = self.runs[label]
        cols = [c for c in df.columns if c.startswith("va_d_")]
        out = {}
        for arm in df.index.get_level_values("arm").unique():
            sub = df.xs(arm, level="arm")[cols].to_numpy(dtype=float)
            central = df.loc[(0, arm), cols].to_numpy(dtype=float) if (0, arm) in df.index else sub[0]
            out[(arm, "central")] = central
            out[(arm, "p05")] = np.quantile(sub, 0.05, axis=0)
            out[(arm, "p95")] = np.quantile(sub, 0.95, axis=0)
        res = pd.DataFrame(out, index=pd.RangeIndex(len(cols), name="day"))
        res.columns = pd.MultiIndex.from_tuples(res.columns, names=["arm", "stat"])
        return res


def _q(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if len(x) else float("nan")


def paired_avoided(df: pd.DataFrame, arm: str, value: float = 1.0) -> pd.DataFrame:
    r"""Per draw, paired: baseline loss, the arm's loss, the reserve releases (all, and to households),
    avoided unmet final demand and the avoided loss
    :math:`A = L_0 - L_a - R_a + \lambda R^{hh}_a`: a release has to be bought back (:math:`R`), and
    what households received from the reserve is worth λ per yuan (``value``; 1 = its price, so a
    release to households breaks even and the reserve pays through the users it keeps producing and
    through λ > 1, the premium of essential consumption in a shortage)."""
    b = df.xs(BASELINE, level="arm")
    a = df.xs(arm, level="arm").reindex(b.index)
    out = pd.DataFrame(index=b.index)
    out["loss_baseline"] = b["total_loss"]
    out["loss_plan"] = a["total_loss"]
    out["restock"] = a["reserve_released"] - b["reserve_released"]
    out["to_households"] = a["reserve_to_households"] - b["reserve_to_households"]
    out["avoided_fd"] = b["fd_unmet"] - a["fd_unmet"]
    out["avoided"] = out["loss_baseline"] - out["loss_plan"] - out["restock"] + value * out["to_households"]
    out["converged"] = b["converged"].astype(bool) & a["converged"].astype(bool)
    return out


def summarise_assessment(
    design: AssessmentDesign,
    runs: Mapping[str, pd.DataFrame],
    arms: Mapping[str, PlanLevers],
    costs: LeverCosts,
) -> AssessmentStudy:
    """Per scenario and arm: baseline loss and avoided loss with bands, the probability that the plan
    hurts; per arm: expected annual benefit, annual cost, net benefit (with its band) and B/C."""
    rows = []
    draw_rows = []
    tol = 1e-9
    for label in design.labels:
        df = runs[label]
        p = design.probability(label)
        horizon = int(df["horizon_days"].iloc[0])
        for arm in arms:
            if arm == BASELINE:
                continue
            pa = paired_avoided(df, arm, design.shortage_value)
            av = pa["avoided"].to_numpy(dtype=float)
            base = pa["loss_baseline"].to_numpy(dtype=float)
            scale = tol * max(1.0, float(np.abs(base).max()))
            rows.append(
                {
                    "scenario": label,
                    "arm": arm,
                    "probability": p,
                    "draws": len(av),
                    "horizon_days": horizon,
                    "loss_baseline_mean": float(base.mean()),
                    "loss_baseline_p05": _q(base, 0.05),
                    "loss_baseline_p95": _q(base, 0.95),
                    "avoided_central": float(pa["avoided"].get(0, np.nan)),
                    "avoided_mean": float(av.mean()),
                    "avoided_median": float(np.median(av)),
                    "avoided_p05": _q(av, 0.05),
                    "avoided_p95": _q(av, 0.95),
                    "avoided_pct": 100 * float(av.mean()) / float(base.mean()) if base.mean() > 0 else 0.0,
                    "prob_hurts": float((av < -scale).mean()),
                    "restock_mean": float(pa["restock"].mean()),
                    "avoided_fd_mean": float(pa["avoided_fd"].mean()),
                    "converged_share": float(pa["converged"].mean()),
                    "expected_annual": p * float(av.mean()),
                }
            )
            for d, v in pa["avoided"].items():
                draw_rows.append({"scenario": label, "arm": arm, "draw": int(d), "avoided": float(v), "p": p})
    by_scen = pd.DataFrame(rows).set_index(["arm", "scenario"]) if rows else pd.DataFrame()
    draws = pd.DataFrame(draw_rows)
    port = []
    for arm, lev in arms.items():
        if arm == BASELINE:
            continue
        cost = float(lev.annual_costs(costs).sum())
        invest = float(lev.investments(costs).sum())
        sub = by_scen.xs(arm, level="arm") if len(by_scen) else pd.DataFrame()
        benefit = float(sub["expected_annual"].sum()) if len(sub) else 0.0
        # draw j of every scenario shares the parameter state j: B_j = Σ_s p_s A_sj
        dj = draws[draws["arm"] == arm]
        per_draw = (dj["avoided"] * dj["p"]).groupby(dj["draw"]).sum() if len(dj) else pd.Series(dtype=float)
        port.append(
            {
                "arm": arm,
                "levers": len(lev.keys),
                "investment": invest,
                "annual_cost": cost,
                "expected_annual_benefit": benefit,
                "net_benefit": benefit - cost,
                "net_benefit_p05": _q(per_draw.to_numpy(dtype=float), 0.05) - cost,
                "net_benefit_p95": _q(per_draw.to_numpy(dtype=float), 0.95) - cost,
                "benefit_cost_ratio": benefit / cost
                if cost > 0
                else (math.inf if benefit > 0 else float("nan")),
                "pays": bool(benefit - cost > 0),
                "worst_scenario_median": float(sub["avoided_median"].min()) if len(sub) else 0.0,
            }
        )
    portfolio = pd.DataFrame(port).set_index("arm") if port else pd.DataFrame()
    return AssessmentStudy(design, dict(runs), dict(arms), costs, by_scen, portfolio, pd.DataFrame(), draws)


def screen_levers(
    design: AssessmentDesign,
    runs: Mapping[str, pd.DataFrame],
    candidates: PlanLevers,
    costs: LeverCosts,
) -> pd.DataFrame:
    """Each lever alone on the central draw (arms named by lever key): avoided loss per scenario,
    expected annual benefit, annual cost, net benefit, B/C, and whether it pays (one row per lever)."""
    annual = candidates.annual_costs(costs)
    invest = candidates.investments(costs)
    desc = candidates.describe()
    rows = []
    for key in candidates.keys:
        row: dict[str, Any] = {"lever": key}
        benefit = 0.0
        to_hh = 0.0  # probability-weighted value of what households received from the lever
        for label in design.labels:
            df = runs[label]
            if (0, key) not in df.index:
                row[f"avoided:{label}"] = 0.0
                continue
            pa = paired_avoided(df.loc[[0]], key, design.shortage_value)
            av = float(pa["avoided"].iloc[0])
            row[f"avoided:{label}"] = av
            row[f"avoided_fd:{label}"] = float(pa["avoided_fd"].iloc[0])
            benefit += design.probability(label) * av
            to_hh += design.probability(label) * float(pa["to_households"].iloc[0])
        cost = float(annual.get(key, 0.0))
        row.update(
            {
                "kind": desc.loc[key, "kind"],
                "name": desc.loc[key, "name"],
                "size": desc.loc[key, "size"],
                "unit": desc.loc[key, "unit"],
                "investment": float(invest.get(key, 0.0)),
                "annual_cost": cost,
                "expected_annual_benefit": benefit,
                "net_benefit": benefit - cost,
                "benefit_cost_ratio": benefit / cost if cost > 0 else float("nan"),
                "pays": bool(benefit > cost),
                # the probability multiple at which the lever would break even
                "break_even_multiple": cost / benefit if benefit > 1e-12 * max(cost, 1.0) else float("inf"),
                # the value of a yuan of goods to households in a shortage at which it would break even
                "break_even_shortage_value": (
                    design.shortage_value + (cost - benefit) / to_hh if to_hh > 0 else float("nan")
                ),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("lever")


def scenario_specs(
    cfg_scenarios: Sequence[Mapping[str, Any]], base: Path
) -> list[tuple[str, str, float | None]]:
    """(label, library name or absolute file, probability from the plan or the scenario file)."""
    out = []
    for s in cfg_scenarios:
        if s.get("file"):
            path = Path(s["file"])
            path = path if path.is_absolute() else (base / path)
            label, spec = path.stem, str(path.resolve())
        else:
            label = spec = str(s["name"])
        prob = s.get("probability")
        if prob is None:
            prob = load_scenario(spec).probability
        out.append((label, spec, None if prob is None else float(prob)))
    return out


Runner = Callable[
    [Callable[[dict[str, Any]], pd.DataFrame], Mapping[str, Any], str], Mapping[str, pd.DataFrame]
]


def relevant_levers(design: AssessmentDesign, levers: PlanLevers) -> dict[str, list[str]]:
    """Per scenario, the levers that can change its central run: a corridor upgrade only where the
    scenario damages the network; a backup base only where the peak national supply shortfall of one
    of its products exceeds the trigger (:meth:`ShockScenario.peak_supply_shortfall`, an upper bound of
    the engine's trigger signal, at the scenario's largest Monte Carlo multipliers when the design has
    draws, so the bound holds in every draw); every reserve. A lever left out is exactly the baseline
    there, in every draw."""
    mrio = _china_mrio()
    out: dict[str, list[str]] = {}
    for label, spec, _ in design.scenarios:
        sc = load_scenario(spec, mrio=mrio)
        short = sc.peak_supply_shortfall(mrio, scale=sc.max_multipliers() if design.draws else None)
        keys = [r.key for r in levers.reserves]
        keys += [
            b.key
            for b in levers.backup
            if any(float(short.get(s, 0.0)) > levers.backup_trigger for s, _ in b.sectors)
        ]
        if sc.network:
            keys += [u.key for u in levers.upgrades]
        out[label] = keys
    return out


def _relevant_arms(design: AssessmentDesign, arms: Mapping[str, PlanLevers]) -> dict[str, list[str]]:
    """Per scenario, the arms with at least one lever that can act there (:func:`relevant_levers`);
    the others are exactly the baseline and are not simulated (:func:`_fill_arms` copies it)."""
    rel = {name: relevant_levers(design, lev) for name, lev in arms.items() if name != BASELINE}
    return {label: [name for name, r in rel.items() if r[label]] for label in design.labels}


def _fill_arms(runs: dict[str, pd.DataFrame], arms: Mapping[str, PlanLevers]) -> dict[str, pd.DataFrame]:
    """Add the arms that were not simulated in a scenario as copies of its baseline rows."""
    out = {}
    for label, df in runs.items():
        have = set(df.index.get_level_values("arm"))
        parts = [df]
        base = df.xs(BASELINE, level="arm")
        for name in arms:
            if name not in have:
                parts.append(pd.concat({name: base}, names=["arm"]).reorder_levels(["draw", "arm"]))
        out[label] = pd.concat(parts).sort_index()
    return out


def _inprocess(
    fn: Callable[[dict[str, Any]], pd.DataFrame], tasks: Mapping[str, Any], stage: str
) -> dict[str, pd.DataFrame]:
    return {k: fn(v) for k, v in tasks.items()}


def _by_scenario(design: AssessmentDesign, results: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out: dict[str, list[pd.DataFrame]] = {label: [] for label in design.labels}
    for key, df in results.items():
        out[key.split("/")[1]].append(df)
    return {k: pd.concat(v).sort_index() for k, v in out.items() if v}


def assess_plan(
    design: AssessmentDesign,
    proposed: PlanLevers,
    candidates: PlanLevers,
    costs: LeverCosts,
    *,
    runner: Runner | None = None,
    select: bool = True,
    progress: Progress | None = None,
) -> AssessmentStudy:
    """Screen every candidate lever, choose the recommended portfolio, and judge the proposed plan and
    the portfolio with the paired ensemble (see the module docstring). ``runner(fn, tasks, stage)``
    computes task frames (default: in this process; the plan passes the ensemble runner).
    ``select=False`` skips the screening and judges the proposed plan alone."""
    say = progress or (lambda _m: None)
    run = runner or _inprocess
    if not select:
        arms = {BASELINE: PlanLevers(backup_trigger=proposed.backup_trigger), "proposed": proposed}
        say(f"assessment: paired ensemble, {design.draws} draws + central × {len(design.labels)} scenarios")
        only_arms = _relevant_arms(design, arms)
        res = run(assessment_task, assessment_tasks(design, arms, only=only_arms), "ensemble")
        study = summarise_assessment(design, _fill_arms(_by_scenario(design, res), arms), arms, costs)
        study.recommended = proposed
        return study
    arms1: dict[str, PlanLevers] = {BASELINE: PlanLevers(backup_trigger=candidates.backup_trigger)}
    for key in candidates.keys:
        arms1[key] = candidates.subset([key])
    only = relevant_levers(design, candidates)
    say(
        f"assessment: {len(candidates.keys)} candidate levers alone, central draw of "
        f"{len(design.labels)} scenarios"
    )
    res1 = run(
        assessment_task, assessment_tasks(design, arms1, draws=[0], stage="screening", only=only), "screening"
    )
    runs1 = _by_scenario(design, res1)
    screen = screen_levers(design, runs1, candidates, costs)
    keep = [k for k in screen.index if bool(screen.loc[k, "pays"])]
    notes: list[str] = []
    for attempt in range(3):
        recommended = candidates.subset(keep)
        arms2: dict[str, PlanLevers] = {BASELINE: arms1[BASELINE], "proposed": proposed}
        if keep and set(keep) != set(proposed.keys):
            arms2["recommended"] = recommended
        say(
            f"assessment: paired ensemble, {design.draws} draws + central × {len(design.labels)} scenarios × "
            f"{len(arms2)} arms"
        )
        stage = "ensemble" if attempt == 0 else f"ensemble-{attempt + 1}"
        only_arms = _relevant_arms(design, arms2)
        res2 = run(assessment_task, assessment_tasks(design, arms2, stage=stage, only=only_arms), stage)
        runs2 = _fill_arms(_by_scenario(design, res2), arms2)
        study = summarise_assessment(design, runs2, arms2, costs)
        rec = "recommended" if "recommended" in arms2 else ("proposed" if keep else None)
        if rec is None:
            break
        med = study.by_scenario.xs(rec, level="arm")["avoided_median"]
        bad = med[med < -1e-9 * max(1.0, float(study.by_scenario["loss_baseline_mean"].abs().max()))]
        if bad.empty:
            break
        worst_scen = str(bad.idxmin())
        col = f"avoided:{worst_scen}"
        drop = str(screen.loc[keep, col].idxmin()) if col in screen else keep[-1]
        notes.append(
            f"the portfolio raised the median loss of {worst_scen} ({bad.min():,.1f} 1e8 CNY): {drop} was "
            "dropped and the ensemble run again"
        )
        keep = [k for k in keep if k != drop]
    study.levers = screen
    study.notes = notes
    study.recommended = recommended if keep else PlanLevers()
    return study


def assessment_tables(study: AssessmentStudy) -> dict[str, pd.DataFrame]:
    """Flat tables of an assessment for the run store, CSV and Excel (1e8 CNY)."""
    runs = []
    for label, df in study.runs.items():
        cols = [c for c in df.columns if not c.startswith(("va_d_", "fd_d_"))]
        runs.append(df[cols].assign(scenario=label).reset_index().set_index(["scenario", "draw", "arm"]))
    out = {
        "assessment_scenarios": study.by_scenario.reset_index().set_index(["arm", "scenario"]),
        "assessment_portfolio": study.portfolio,
        "assessment_levers": study.levers,
        "assessment_draws": study.draws.set_index(["arm", "scenario", "draw"])
        if len(study.draws)
        else study.draws,
        "assessment_parameters": parameter_draws(study.design).table(),
        "assessment_runs": pd.concat(runs) if runs else pd.DataFrame(),
    }
    return {k: v for k, v in out.items() if len(v)}
