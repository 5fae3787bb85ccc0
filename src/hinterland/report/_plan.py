# ruff: noqa: E501  (bilingual report text: long Chinese lines read better unbroken)
r"""``hinterland plan``: the integrated strategic hinterland plan and its advisory report.

One plan config (``hinterland.plan.load_plan_config``) drives five stages on the bundled China data:

1. **evaluation**: hinterland scores of the 31 provinces (entropy-weighted TOPSIS, rank intervals);
2. **network**: rail network criticality, the min cut between the core/hinterland and the front
   provinces, and the corridor upgrades a km budget buys;
3. **reserves**: reserve depots per commodity (LSCP/MCLP/… under historic hazard footprints);
4. **backup**: backup bases for the key industrial chains (two-stage stochastic MILP, SAA);
5. **assessment**: every candidate lever alone on the central draw of every scenario, then the
   proposed plan and the recommended portfolio (the levers that pay) over the paired ensemble, with
   ARIO on the bundled MRIO, through the ensemble runner, every finished task checkpointed in the run
   store (an interrupted plan resumes with ``--resume``); see :mod:`hinterland.plan._assess` for the
   mechanisms, the metric and the selection.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from hinterland import __version__
from hinterland.datasets import load_china, load_china_mrio
from hinterland.economy import load_scenario
from hinterland.errors import ConfigError
from hinterland.figures import avoided_loss_chart, lever_payback_chart, plan_curves_chart, save_figure
from hinterland.plan import (
    DEFAULT_STORE,
    RESERVE_PRODUCTS,
    AssessmentDesign,
    AssessmentStudy,
    BackupBase,
    CorridorUpgrade,
    LeverCosts,
    PlanConfig,
    PlanLevers,
    ReserveProgramme,
    RunInterrupted,
    RunStore,
    TransportLayer,
    assess_plan,
    assessment_tables,
    backup_bases,
    code_version,
    load_plan_config,
    mrio_input_files,
    run_ensemble,
    wenchuan_check,
)
from hinterland.report._backup import BackupStudy, run_backup_study, write_backup_study
from hinterland.report._evaluate import write_evaluation
from hinterland.report._network import write_network_report
from hinterland.report._plan_document import build_plan_document
from hinterland.report._reserves import write_reserves_report

__all__ = [
    "PlanOutcome",
    "assessment_design",
    "proposed_levers",
    "run_plan_stages",
    "write_assessment",
    "write_plan_report",
]

Progress = Callable[[str], None]
TO_E8 = 1e-4  # 万元 → 1e8 CNY
STAGES = ("evaluation", "network", "reserves", "backup", "assessment", "report")


@dataclass
class PlanOutcome:
    """Everything the report is written from (also stored in the run store)."""

    config: PlanConfig
    run_id: str
    store: Path
    folders: dict[str, Path]
    scores: pd.DataFrame
    network: dict[str, Any]
    reserves: dict[str, dict[str, Any]]
    backup: BackupStudy
    assessment: AssessmentStudy
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hit_regions: dict[str, list[int]] = field(default_factory=dict)
    calibration: pd.DataFrame | None = None


def _unsupported(cfg: PlanConfig) -> None:
    """Refuse keys the plan command cannot honour yet rather than ignoring them silently."""
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


def _say(progress: Progress | None) -> Progress:
    return progress or (lambda _m: None)


def _chains_file(cfg: PlanConfig, folder: Path) -> Path | None:
    """A chains YAML restricted to the plan's chains (None: all bundled chains)."""
    from hinterland.backup import default_chains_path

    wanted = list(cfg["backup"]["chains"])
    data = yaml.safe_load(default_chains_path().read_text(encoding="utf-8"))
    chains = data.get("chains", data) if isinstance(data, dict) else data
    if set(wanted) == set(chains):
        return None
    keep = {k: v for k, v in chains.items() if k in wanted}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan_chains.yaml"
    body = {"chains": keep} if "chains" in data else keep
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _scenario_specs(cfg: PlanConfig) -> list[tuple[str, str]]:
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


def run_plan_stages(
    out: Path,
    cfg: PlanConfig,
    *,
    store: Path | None = None,
    resume: str | None = None,
    backend: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> PlanOutcome:
    """Run the five stages of ``cfg`` writing each stage's outputs under ``out`` (see the module doc)."""
    say = _say(progress)
    _unsupported(cfg)
    specs = _scenario_specs(cfg)
    for _label, spec in specs:
        load_scenario(spec)  # fail early, with the scenario's own message, before any stage runs
    rs = RunStore(store or Path(cfg["runner"]["store"] or DEFAULT_STORE))
    if resume is None:
        run_id = rs.start_run("plan", cfg.to_dict(), cfg.seed, mrio_input_files())
    else:
        run_id = rs.resume_run(resume)
        say(f"resuming run {run_id}: finished scenarios and draws are loaded from {rs.path}")
    try:
        return _stages(out, cfg, rs, run_id, specs, backend, workers, scheduler, say)
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
    out: Path,
    cfg: PlanConfig,
    rs: RunStore,
    run_id: str,
    specs: list[tuple[str, str]],
    backend: str | None,
    workers: int | None,
    scheduler: str | None,
    say: Progress,
) -> PlanOutcome:
    timings: dict[str, float] = {}
    notes: list[str] = []
    folders = {
        "evaluation": out / "1_evaluation",
        "network": out / "2_network",
        "reserves": out / "3_reserves",
        "backup": out / "4_backup",
        "assessment": out / "5_assessment",
    }
    seed = cfg.seed

    t = time.perf_counter()
    say("stage 1/5 evaluation: hinterland scores of the 31 provinces")
    write_evaluation(folders["evaluation"], load_china(), seed=seed, draws=500, progress=say)
    scores = pd.read_csv(folders["evaluation"] / "scores.csv")
    timings["evaluation"] = time.perf_counter() - t

    t = time.perf_counter()
    say("stage 2/5 network: criticality, min cut and corridor upgrades")
    net = cfg["network"]
    write_network_report(
        folders["network"],
        budget=cfg["budgets"]["network"],
        source_role=",".join(net["source_roles"]),
        sink_role=",".join(net["sink_roles"]),
        seed=seed,
        draws=5,
        progress=say,
    )
    network_summary = json.loads((folders["network"] / "summary.json").read_text(encoding="utf-8"))
    timings["network"] = time.perf_counter() - t

    t = time.perf_counter()
    reserves: dict[str, dict[str, Any]] = {}
    rcfg = cfg["reserves"]
    from hinterland.locate import load_commodities

    for name in rcfg["commodities"]:
        say(f"stage 3/5 reserves: {rcfg['model']} depots for {name}")
        folder = folders["reserves"] / Path(str(name)).stem
        write_reserves_report(
            folder,
            commodity=str(name),
            model=str(rcfg["model"]),
            level=str(rcfg["level"]),
            scenarios="auto" if rcfg["disruptions"] == "auto" else None,
            budget=cfg["budgets"]["reserves"],
        )
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        bundled = load_commodities()
        commodity = (
            bundled[str(name)] if str(name) in bundled else next(iter(load_commodities(name).values()))
        )
        stats = summary.get("nominal_stats", {})
        covered = float(stats.get("covered_share", float("nan")))
        reserves[Path(str(name)).stem] = {
            **summary,
            "days": float(commodity.days),
            "label_zh": getattr(commodity, "label_zh", str(name)),
            "covered_share": covered,
            "covers_all": bool(covered >= 1.0 - 1e-9),
            "stock": pd.read_csv(folder / "reserves.csv"),
            "folder": folder,
        }
    timings["reserves"] = time.perf_counter() - t

    t = time.perf_counter()
    say("stage 4/5 backup: backup bases for the key chains (two-stage stochastic MILP)")
    budget = cfg["budgets"]["backup"]
    study = run_backup_study(
        chains=_chains_file(cfg, folders["backup"]),
        budget=float(budget),
        seed=seed,
        budgets=(1000.0, 2500.0, 5000.0, 10000.0),
        loop=False,
        progress=say,
    )
    write_backup_study(folders["backup"], study, progress=say)
    timings["backup"] = time.perf_counter() - t

    # ---- joint assessment
    t = time.perf_counter()
    mrio = load_china_mrio()
    acfg = cfg["assessment"]
    costs = LeverCosts.from_config(cfg["costs"])
    layer = TransportLayer.bundled(float(acfg["transport_utilisation"]))
    proposed = proposed_levers(cfg, reserves, study, folders["network"], mrio)
    detours: list[CorridorUpgrade] = []
    for _label, spec in specs:
        sc = load_scenario(spec)
        if sc.network:
            factor = float(cfg["network"]["upgrades"]["capacity_factor"])
            detours += [
                u for u in layer.detour_upgrades(sc, capacity_factor=factor) if u.key not in proposed.keys
            ]
    extra = [
        b for b in standard_bases(study, mrio, float(cfg["backup"]["lag_days"])) if b.key not in proposed.keys
    ]
    candidates = replace(
        proposed, backup=proposed.backup + tuple(extra), upgrades=proposed.upgrades + tuple(detours)
    )
    design = assessment_design(cfg, specs)
    ens_kw = {"backend": backend or cfg.backend, "workers": workers or cfg["runner"]["workers"],
              "scheduler": scheduler or cfg["runner"]["scheduler"], "store": rs, "run_id": run_id, "finish": False}  # fmt: skip

    def runner(fn: Any, tasks: Mapping[str, Any], stage: str) -> Mapping[str, pd.DataFrame]:
        return run_ensemble(fn, tasks, stage=stage, **ens_kw)  # type: ignore[arg-type]

    say(
        f"stage 5/5 joint assessment: {len(specs)} scenarios, {design.draws} paired draws each, "
        f"{len(candidates.keys)} candidate levers (ARIO)"
    )
    assessment = assess_plan(
        design, proposed, candidates if acfg["select"] else proposed, costs, runner=runner,
        select=bool(acfg["select"]), progress=say,
    )  # fmt: skip
    timings["assessment"] = time.perf_counter() - t
    notes += assessment.notes
    t = time.perf_counter()
    calibration = None
    if "regional-disaster" in [label for label, _ in specs]:
        say("calibration: regional disaster against Wenchuan 2008")
        calibration = wenchuan_check(mrio)
        rs.put_table(run_id, "calibration", calibration)
    timings["calibration"] = time.perf_counter() - t
    hit_regions: dict[str, list[int]] = {}
    for label, spec in specs:
        loss = load_scenario(spec).capacity_loss(mrio)
        hit_regions[label] = sorted({int(r) for r in loss[loss > 0].index.get_level_values(0)})
    for name, df in assessment_tables(assessment).items():
        rs.put_table(run_id, name, df)
    rs.put_table(run_id, "backup_allocation", study.tables["allocation"])
    rs.put_table(run_id, "scores", scores)
    return PlanOutcome(
        config=cfg,
        run_id=run_id,
        store=rs.path,
        folders=folders,
        scores=scores,
        network=network_summary,
        reserves=reserves,
        backup=study,
        assessment=assessment,
        timings=timings,
        notes=notes,
        hit_regions=hit_regions,
        calibration=calibration,
    )


def write_assessment(
    folder: Path, study: AssessmentStudy, calibration: pd.DataFrame | None = None
) -> dict[str, Path]:
    """The assessment's tables (CSV), daily curves with bands (CSV) and figures into ``folder``;
    returns the figure paths by key."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in assessment_tables(study).items():
        df.to_csv(folder / f"{name.removeprefix('assessment_')}.csv")
    if calibration is not None:
        calibration.to_csv(folder / "calibration.csv", index=False)
    curves = {label: study.curves(label) for label in study.design.labels if label in study.runs}
    if curves:
        pd.concat(curves, names=["scenario"]).to_csv(folder / "loss_curves.csv")
    figs: dict[str, Path] = {}
    if curves:
        figs["curves"] = save_figure(plan_curves_chart(curves), folder / "loss_curves.png")
    if len(study.draws):
        figs["avoided"] = save_figure(avoided_loss_chart(study.draws), folder / "avoided_loss.png")
    if len(study.levers):
        figs["payback"] = save_figure(lever_payback_chart(study.levers), folder / "lever_payback.png")
    return figs


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


STANDARD_BASE_SHARE = 0.05  # a candidate base: 5 % of the chain's national capacity


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
    reserves: Mapping[str, dict[str, Any]],
    study: BackupStudy,
    network_folder: Path,
    mrio: Any,
) -> PlanLevers:
    """The plan the stages chose on their own models, as levers: the backup MILP's bases (dormant lines
    with the chains' mobilisation timing), a reserve programme per simulated commodity (stock for its
    surge days in the provinces its depots serve, by the share of demand covered) and the network
    stage's upgrades as one package."""
    from hinterland.locate import load_commodities

    b = study.plan.bases
    invest = b["fixed_cost"] + b["unit_cost"] * b["capacity"]
    bases = backup_bases(
        b["capacity"], invest, study.bi.chains, mrio, lag_days=float(cfg["backup"]["lag_days"]),
        names=study.bi.names,
    )  # fmt: skip
    progs = []
    bundled = load_commodities()
    for name, res in reserves.items():
        if name not in RESERVE_PRODUCTS:
            continue
        chain, sector = RESERVE_PRODUCTS[name]
        ch = study.bi.chains.get(chain)
        share = float(ch.sectors.get(sector, 1.0)) if ch is not None else 1.0
        users = tuple(ch.users) if ch is not None else ()
        com = bundled.get(name)
        assign = pd.read_csv(Path(res["folder"]) / "assignment.csv")
        pop = assign.groupby("region")["population"].sum()
        cov = assign[assign["covered"].astype(bool)].groupby("region")["population"].sum()
        coverage = (cov / pop).reindex(pop.index).fillna(0.0)
        progs.append(
            ReserveProgramme.size(
                name, mrio, {int(r): float(c) for r, c in coverage.items()}, share=share, users=users,
                days=float(com.days if com else res.get("days", 30)), surge=float(com.surge if com else 1.0),
                depots=tuple(res.get("site_names", [])), label_zh=str(res.get("label_zh", name)),
            )
        )  # fmt: skip
    ups: list[CorridorUpgrade] = []
    plan_csv = network_folder / "upgrade_plan.csv"
    if plan_csv.exists():
        up = pd.read_csv(plan_csv)
        if len(up):
            factor = float(cfg["network"]["upgrades"]["capacity_factor"])
            links = tuple((int(u), int(v)) for u, v in zip(up["u"], up["v"], strict=True))
            ups.append(
                CorridorUpgrade(links, float(up["cost"].sum()), factor, "min-cut upgrades (network stage)")
            )
    return PlanLevers(tuple(bases), tuple(progs), tuple(ups), backup_trigger=float(cfg["backup"]["trigger"]))


def write_plan_report(
    out: str | Path,
    *,
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    store: Path | None = None,
    resume: str | None = None,
    backend: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Run the plan (``config`` YAML or the bundled default) and write every stage's outputs and the
    advisory report (HTML and PDF in Chinese and English, Excel of every table) into ``out``."""
    say = _say(progress)
    if progress is not None and hasattr(progress, "expected"):
        progress.expected = 45  # about as many messages as the stages send (the web job's progress bar)
    # runner options are plan keys too: validate them with the config, before any stage runs
    runner = {k: v for k, v in (("backend", backend), ("workers", workers), ("scheduler", scheduler)) if v}
    if runner:
        merged = dict(overrides or {})
        merged["runner"] = {**dict(merged.get("runner") or {}), **runner}
        overrides = merged
    cfg = load_plan_config(config, overrides)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    o = run_plan_stages(
        folder,
        cfg,
        store=store,
        resume=resume,
        backend=backend,
        workers=workers,
        scheduler=scheduler,
        progress=say,
    )
    t = time.perf_counter()
    say("report: figures, HTML, PDF and Excel")
    af = o.folders["assessment"]
    af.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Path] = {
        "map_score": o.folders["evaluation"] / "map_score.png",
        "rank_intervals": o.folders["evaluation"] / "rank_intervals.png",
        "map_criticality": o.folders["network"] / "map_criticality.png",
        "map_upgrades": o.folders["network"] / "map_upgrades.png",
        "backup_map": o.folders["backup"] / "backup_bases.png",
        "pareto": o.folders["backup"] / "pareto.png",
    }
    for name, r in o.reserves.items():
        figures[f"reserves_{name}"] = Path(r["folder"]) / "reserves_map.png"
    figures.update(write_assessment(af, o.assessment, o.calibration))
    doc = build_plan_document(o, figures)
    langs = tuple(lang for lang in ("zh", "en") if lang in cfg["report"]["languages"])
    files = doc.write(folder, "plan_report", langs=langs, pdf=pdf and "pdf" in cfg["report"]["formats"])  # type: ignore[arg-type]
    o.timings["report"] = time.perf_counter() - t
    o.timings["total"] = time.perf_counter() - t_all
    run = {
        "run_id": o.run_id,
        "store": str(o.store),
        "version": __version__,
        "code_version": code_version(),
        "seed": cfg.seed,
        "config": cfg.to_dict(),
        "timings": o.timings,
        "pid": os.getpid(),
        "files": {k: str(v) for k, v in files.items()},
    }
    (folder / "run.json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    files["run"] = folder / "run.json"
    RunStore(o.store).finish_run(o.run_id, {k: v for k, v in o.timings.items() if k != "total"})
    return files
