r"""The integrated strategic hinterland plan: five studies handed to each other in memory.

One plan config (:func:`~hinterland.plan.load_plan_config`) drives five stages on the bundled China
data, each a typed study:

1. **evaluation** (:class:`EvaluationStudy`): hinterland scores of the 31 provinces (entropy-weighted
   TOPSIS, rank intervals); its 'backup' dimension is the backup stage's site suitability;
2. **network** (:class:`NetworkStudy`): rail criticality, the min cut between the core/hinterland
   and the front provinces, and the corridor upgrades a km budget buys;
3. **reserves** (:class:`ReservesStudy` per commodity): reserve depots (LSCP/MCLP/… under historic
   hazard footprints);
4. **backup** (:class:`BackupStudy`): backup bases for the key chains (two-stage stochastic MILP, SAA);
5. **assessment** (:class:`AssessmentStudy`): every candidate lever alone on the central draw of
   every scenario, then the proposed plan (stages 2–4 as :class:`PlanLevers`) and the recommended
   portfolio over the paired ensemble, with ARIO on the bundled MRIO, through the ensemble runner;
   every finished task is checkpointed in the run store (an interrupted plan resumes with
   ``resume=run_id``); see :mod:`hinterland.plan._assess` for the mechanisms and the metric.

:func:`run_plan` returns a :class:`PlanStudy`; ``hinterland.report.write_plan`` writes it (every
stage's files and the advisory report). ``on_stage(name, study)`` is called as each stage finishes,
so a writer can put a stage's files on disk before the next stage starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland.datasets import load_china, load_china_mrio
from hinterland.economy import ShockScenario, load_scenario
from hinterland.errors import ConfigError
from hinterland.locate import load_commodities
from hinterland.plan._assess import AssessmentDesign, AssessmentStudy, assess_plan, assessment_tables
from hinterland.plan._backup import BackupStudy, run_backup
from hinterland.plan._calibration import wenchuan_check
from hinterland.plan._config import PlanConfig
from hinterland.plan._costs import LeverCosts
from hinterland.plan._evaluation import EvaluationOptions, EvaluationStudy, run_evaluation
from hinterland.plan._levers import RESERVE_PRODUCTS, BackupBase, PlanLevers, ReserveProgramme, backup_bases
from hinterland.plan._network import NetworkStudy, run_network
from hinterland.plan._reserves import ReservesStudy, run_reserves
from hinterland.plan._runner import RunInterrupted, run_ensemble
from hinterland.plan._store import DEFAULT_STORE, RunStore
from hinterland.plan._tasks import mrio_input_files
from hinterland.plan._transport import CorridorUpgrade, TransportLayer

__all__ = [
    "PLAN_STAGES",
    "STANDARD_BASE_SHARE",
    "PlanStudy",
    "StageHook",
    "assessment_design",
    "proposed_levers",
    "run_plan",
    "scenario_specs",
    "standard_bases",
]

Progress = Callable[[str], None]
StageHook = Callable[[str, Any], None]
PLAN_STAGES = ("evaluation", "network", "reserves", "backup", "assessment")
EVALUATION_DRAWS = 500  # rank-robustness draws of the plan's evaluation stage
NETWORK_ATTACK_DRAWS = 5  # random-attack draws of the plan's network stage
PARETO_BUDGETS = (1000.0, 2500.0, 5000.0, 10000.0)  # 1e8 CNY, the backup stage's Pareto front
STANDARD_BASE_SHARE = 0.05  # a candidate base: 5 % of the chain's national capacity


@dataclass
class PlanStudy:
    """Every stage's study, the levers the stages proposed and the run's record."""

    config: PlanConfig
    run_id: str
    store: Path
    evaluation: EvaluationStudy
    network: NetworkStudy
    reserves: dict[str, ReservesStudy]
    backup: BackupStudy
    proposed: PlanLevers
    assessment: AssessmentStudy
    calibration: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hit_regions: dict[str, list[int]] = field(default_factory=dict)

    @property
    def scores(self) -> pd.DataFrame:
        """The evaluation's scores by rank (names, role, score, dimensions)."""
        return self.evaluation.scores


def _unsupported(cfg: PlanConfig) -> None:
    """Refuse keys the plan cannot honour yet rather than ignoring them silently (all at once)."""
    problems = []
    if cfg["regions"]["include"] not in ("all", None):
        problems.append(
            "regions.include: the stages run on all 31 provinces; a subset is not supported yet. "
            "Fix: remove the key (or set it to all)."
        )
    if cfg["regions"]["roles"]:
        problems.append(
            "regions.roles: role overrides are not applied by the stages yet (they use the bundled roles). "
            "Fix: remove the key; edit the ensemble roles or network source/sink roles instead."
        )
    up = cfg["network"]["upgrades"]
    if up["candidates"] != "auto":
        problems.append(
            f"network.upgrades.candidates = {up['candidates']!r}: only 'auto' (the min-cut and N-1 links) is "
            "supported by the plan command. Fix: set it to auto, or run `hinterland network` on your own "
            "network files."
        )
    if cfg["stress"]["draws"]:
        problems.append(
            "stress.draws: random front-province stress draws are not part of the plan assessment yet "
            "(they have no probability, so no net benefit). Fix: set stress.draws: 0 and run "
            "`hinterland shock` for stress tests."
        )
    if problems:
        raise ConfigError(f"plan config {cfg.source}: " + " | ".join(problems))


def scenario_specs(cfg: PlanConfig) -> list[tuple[str, str]]:
    """(label, library name or absolute file path) of every plan scenario."""
    base = Path(cfg.source).parent if cfg.source not in ("<defaults>", "") else Path.cwd()
    out = []
    for s in cfg["scenarios"]:
        if s.get("file"):
            path = Path(s["file"])
            path = path if path.is_absolute() else (base / path)
            out.append((path.stem, str(path.resolve())))
        else:
            out.append((str(s["name"]), str(s["name"])))
    return out


def run_plan(
    cfg: PlanConfig,
    *,
    store: Path | None = None,
    resume: str | None = None,
    backend: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    on_stage: StageHook | None = None,
) -> PlanStudy:
    """Run the five stages of ``cfg`` (see the module doc) and return the :class:`PlanStudy`.

    The run is recorded in the run store (``store``, default ``runner.store`` of the config);
    ``resume``: the id of an interrupted run to finish (its finished ensemble tasks are loaded, not
    recomputed). ``backend``/``workers``/``scheduler`` override the config's runner."""
    say = progress or (lambda _m: None)
    _unsupported(cfg)
    specs = scenario_specs(cfg)
    # loaded once: fails early, with the scenario's own message, before any stage runs
    scenarios = {label: load_scenario(spec) for label, spec in specs}
    rs = RunStore(store or Path(cfg["runner"]["store"] or DEFAULT_STORE))
    if resume is None:
        run_id = rs.start_run("plan", cfg.to_dict(), cfg.seed, mrio_input_files())
    else:
        run_id = rs.resume_run(resume)
        say(f"resuming run {run_id}: finished scenarios and draws are loaded from {rs.path}")
    runner = {
        "backend": backend or cfg.backend,
        "workers": workers or cfg["runner"]["workers"],
        "scheduler": scheduler or cfg["runner"]["scheduler"],
    }
    try:
        return _stages(cfg, rs, run_id, specs, scenarios, runner, say, on_stage or (lambda _n, _s: None))
    except RunInterrupted as exc:
        rs.interrupt_run(run_id, str(exc))  # the runner kept every finished task in the store
        raise RunInterrupted(
            f"{exc} Resume the plan with: hinterland plan --resume {run_id} (same config and store).",
            run_id,
            exc.done,
            exc.total,
        ) from exc
    except KeyboardInterrupt as exc:
        rs.interrupt_run(run_id)
        raise RunInterrupted(
            f"plan run {run_id} interrupted before the ensembles; rerun with --resume {run_id}", run_id, 0, 0
        ) from exc
    except Exception as exc:
        rs.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        raise


def _stages(
    cfg: PlanConfig,
    rs: RunStore,
    run_id: str,
    specs: list[tuple[str, str]],
    scenarios: Mapping[str, ShockScenario],
    runner_options: Mapping[str, Any],
    say: Progress,
    on_stage: StageHook,
) -> PlanStudy:
    timings: dict[str, float] = {}
    seed = cfg.seed

    t = time.perf_counter()
    say("stage 1/5 evaluation: hinterland scores of the 31 provinces")
    evaluation = run_evaluation(
        load_china(), EvaluationOptions(seed=seed, draws=EVALUATION_DRAWS), progress=say
    )
    timings["evaluation"] = time.perf_counter() - t
    on_stage("evaluation", evaluation)

    t = time.perf_counter()
    say("stage 2/5 network: criticality, min cut and corridor upgrades")
    net = cfg["network"]
    network = run_network(
        budget=cfg["budgets"]["network"],
        source_role=",".join(net["source_roles"]),
        sink_role=",".join(net["sink_roles"]),
        seed=seed,
        draws=NETWORK_ATTACK_DRAWS,
        progress=say,
    )
    timings["network"] = time.perf_counter() - t
    on_stage("network", network)

    t = time.perf_counter()
    reserves: dict[str, ReservesStudy] = {}
    rcfg = cfg["reserves"]
    for name in rcfg["commodities"]:
        say(f"stage 3/5 reserves: {rcfg['model']} depots for {name}")
        reserves[Path(str(name)).stem] = run_reserves(
            commodity=str(name),
            model=str(rcfg["model"]),
            level=str(rcfg["level"]),
            scenarios="auto" if rcfg["disruptions"] == "auto" else None,
            budget=cfg["budgets"]["reserves"],
        )
    timings["reserves"] = time.perf_counter() - t
    on_stage("reserves", reserves)

    t = time.perf_counter()
    say("stage 4/5 backup: backup bases for the key chains (two-stage stochastic MILP)")
    backup = run_backup(
        budget=float(cfg["budgets"]["backup"]),
        select=tuple(cfg["backup"]["chains"]),
        seed=seed,
        budgets=PARETO_BUDGETS,
        loop=False,
        backup_score=evaluation.evaluation.scores["backup"],
        progress=say,
    )
    timings["backup"] = time.perf_counter() - t
    on_stage("backup", backup)

    t = time.perf_counter()
    mrio = load_china_mrio()
    acfg = cfg["assessment"]
    costs = LeverCosts.from_config(cfg["costs"])
    layer = TransportLayer.bundled(float(acfg["transport_utilisation"]))
    proposed = proposed_levers(cfg, reserves, backup, network, mrio)
    detours: list[CorridorUpgrade] = []
    factor = float(cfg["network"]["upgrades"]["capacity_factor"])
    for sc in scenarios.values():
        if sc.network:
            detours += [
                u for u in layer.detour_upgrades(sc, capacity_factor=factor) if u.key not in proposed.keys
            ]
    extra = [
        b
        for b in standard_bases(backup, mrio, float(cfg["backup"]["lag_days"]))
        if b.key not in proposed.keys
    ]
    candidates = replace(
        proposed, backup=proposed.backup + tuple(extra), upgrades=proposed.upgrades + tuple(detours)
    )
    design = assessment_design(cfg, specs)

    def runner(fn: Any, tasks: Mapping[str, Any], stage: str) -> Mapping[str, pd.DataFrame]:
        return run_ensemble(  # type: ignore[return-value]
            fn, tasks, stage=stage, store=rs, run_id=run_id, finish=False, **runner_options
        )

    say(
        f"stage 5/5 joint assessment: {len(specs)} scenarios, {design.draws} paired draws each, "
        f"{len(candidates.keys)} candidate levers (ARIO)"
    )
    assessment = assess_plan(
        design, proposed, candidates if acfg["select"] else proposed, costs, runner=runner,
        select=bool(acfg["select"]), progress=say,
    )  # fmt: skip
    timings["assessment"] = time.perf_counter() - t
    t = time.perf_counter()
    calibration = None
    if "regional-disaster" in [label for label, _ in specs]:
        say("calibration: regional disaster against Wenchuan 2008")
        calibration = wenchuan_check(mrio)
        rs.put_table(run_id, "calibration", calibration)
    timings["calibration"] = time.perf_counter() - t
    hit_regions: dict[str, list[int]] = {}
    for label, sc in scenarios.items():
        loss = sc.capacity_loss(mrio)
        hit_regions[label] = sorted({int(r) for r in loss[loss > 0].index.get_level_values(0)})
    for name, df in assessment_tables(assessment).items():
        rs.put_table(run_id, name, df)
    rs.put_table(run_id, "backup_allocation", backup.tables["allocation"])
    rs.put_table(run_id, "scores", evaluation.scores)
    study = PlanStudy(
        config=cfg,
        run_id=run_id,
        store=rs.path,
        evaluation=evaluation,
        network=network,
        reserves=reserves,
        backup=backup,
        proposed=proposed,
        assessment=assessment,
        calibration=calibration,
        timings=timings,
        notes=list(assessment.notes),
        hit_regions=hit_regions,
    )
    on_stage("assessment", study)
    return study


def assessment_design(cfg: PlanConfig, specs: list[tuple[str, str]]) -> AssessmentDesign:
    """The assessment of a plan config: scenarios with their probabilities, draws, ranges, horizons."""
    e, a = cfg["ensemble"], cfg["assessment"]
    probs = cfg.scenario_weights()
    return AssessmentDesign(
        scenarios=tuple((label, spec, float(probs[label])) for label, spec in specs),
        draws=int(e["draws"]),
        seed=cfg.seed,
        psi=tuple(e["psi"]),  # type: ignore[arg-type]
        alpha_tau_days=tuple(e["alpha_tau_days"]),  # type: ignore[arg-type]
        stock_scale=tuple(e["stock_scale"]),  # type: ignore[arg-type]
        rebuild_tau_scale=tuple(e["rebuild_tau_scale"]),  # type: ignore[arg-type]
        priority_share=float(e["priority_share"]),
        priority_sectors=tuple(e["priority_sectors"]),
        utilisation=float(a["transport_utilisation"]),
        shortage_value=float(a["shortage_value"]),
        chunk_draws=int(e["draws"]) + 1,
        horizons=tuple((str(k), int(v)) for k, v in a["horizons"].items()),
    )


def standard_bases(study: BackupStudy, mrio: Any, lag_days: float) -> list[BackupBase]:
    """One candidate backup base per chain for the assessment to judge beside the MILP's picks: 5 % of
    the chain's national capacity, in the candidate (non-front) province that already makes the most
    of it (an existing industrial base: skills, suppliers), at the instance's fixed and unit costs."""
    bi = study.bi
    inst = bi.instance
    cap = bi.capacity
    out: list[BackupBase] = []
    for c, chain in enumerate(inst.chains):
        cand = [r for k, r in enumerate(inst.regions) if inst.candidate[c, k]]
        if not cand or chain not in cap.columns:
            continue
        host = max(cand, key=lambda r: float(cap.loc[r, chain]) if r in cap.index else 0.0)
        k = inst.regions.index(host)
        size = STANDARD_BASE_SHARE * float(cap[chain].sum())
        size = max(size, float(inst.min_size[c, k]))
        invest = float(inst.fixed_cost[c, k] + inst.unit_cost[c, k] * size)
        cap_s = pd.Series([size], index=pd.MultiIndex.from_tuples([(chain, host)], names=["chain", "region"]))
        inv_s = pd.Series([invest], index=cap_s.index)
        out += backup_bases(cap_s, inv_s, bi.chains, mrio, lag_days=lag_days, names=bi.names)
    return out


def proposed_levers(
    cfg: PlanConfig,
    reserves: Mapping[str, ReservesStudy],
    backup: BackupStudy,
    network: NetworkStudy,
    mrio: Any,
) -> PlanLevers:
    """The plan the stages chose on their own models, as levers: the backup MILP's bases (dormant lines
    with the chains' mobilisation timing), a reserve programme per simulated commodity (stock for its
    surge days in the provinces its depots serve, by the share of demand covered) and the network
    stage's upgrades as one package."""
    b = backup.plan.bases
    invest = b["fixed_cost"] + b["unit_cost"] * b["capacity"]
    bases = backup_bases(
        b["capacity"], invest, backup.bi.chains, mrio, lag_days=float(cfg["backup"]["lag_days"]),
        names=backup.bi.names,
    )  # fmt: skip
    progs = []
    bundled = load_commodities()
    for name, res in reserves.items():
        if name not in RESERVE_PRODUCTS:
            continue
        chain, sector = RESERVE_PRODUCTS[name]
        ch = backup.bi.chains.get(chain)
        share = float(ch.sectors.get(sector, 1.0)) if ch is not None else 1.0
        users = tuple(ch.users) if ch is not None else ()
        com = bundled.get(name, res.commodity)
        coverage = res.coverage_by_region()
        progs.append(
            ReserveProgramme.size(
                name, mrio, {int(r): float(c) for r, c in coverage.items()}, share=share, users=users,
                days=float(com.days), surge=float(com.surge), depots=tuple(res.site_names),
                label_zh=str(getattr(com, "label_zh", name)),
            )
        )  # fmt: skip
    ups: list[CorridorUpgrade] = []
    up = network.upgrade_plan
    if len(up):
        factor = float(cfg["network"]["upgrades"]["capacity_factor"])
        links = tuple((int(u), int(v)) for u, v in zip(up["u"], up["v"], strict=True))
        ups.append(
            CorridorUpgrade(links, float(up["cost"].sum()), factor, "min-cut upgrades (network stage)")
        )
    return PlanLevers(tuple(bases), tuple(progs), tuple(ups), backup_trigger=float(cfg["backup"]["trigger"]))
