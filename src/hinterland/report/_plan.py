# ruff: noqa: E501  (bilingual report text: long Chinese lines read better unbroken)
r"""``hinterland plan``: the integrated strategic hinterland plan and its advisory report.

One plan config (``hinterland.plan.load_plan_config``) drives five stages on the bundled China data:

1. **evaluation**: hinterland scores of the 31 provinces (entropy-weighted TOPSIS, rank intervals);
2. **network**: rail network criticality, the min cut between the core/hinterland and the front
   provinces, and the corridor upgrades a km budget buys;
3. **reserves**: reserve depots per commodity (LSCP/MCLP/… under historic hazard footprints);
4. **backup**: backup bases for the key industrial chains (two-stage stochastic MILP, SAA);
5. **joint assessment**: every plan scenario and a random shock ensemble simulated with ARIO on the
   bundled MRIO twice, without and with the plan's levers, through the ensemble runner, with every
   finished scenario checkpointed in the run store (an interrupted plan resumes with ``--resume``).

How the plan enters the shock model (stated in the report's appendix):

* backup bases add usable capacity :math:`\rho_c k_{c r}` of chain :math:`c` in province :math:`r`,
  split over the chain's sectors by their weighted national output; as a share of the industry's
  output it raises :math:`\alpha^{max}_{r,i}` (spare capacity), with a ramp-up time
  :math:`\tau^\alpha_{r,i}` = 30 days (warm standby) for those industries;
* strategic reserves add :math:`d_k w_{k,i}` days of stock of product :math:`i` for commodity
  :math:`k` (``days`` of the commodity definition times the product's share :math:`w_{k,i}` of its
  MRIO sector, from the chain weights), on top of the engine's 90 days, when the depots found cover
  every demand point;
* corridor upgrades are assessed on the network (min-cut capacity under the N-1/N-k scenarios); the
  ARIO engine has no transport layer, so they do not change the economic losses (said in the report).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from hinterland import __version__
from hinterland.datasets import load_china, load_china_mrio
from hinterland.economy import ARIOParams, load_scenario
from hinterland.errors import ConfigError
from hinterland.figures import ensemble_chart, plan_curves_chart, save_figure
from hinterland.plan import (
    DEFAULT_STORE,
    PlanConfig,
    RunInterrupted,
    RunStore,
    ario_shock_task,
    ario_shock_tasks,
    code_version,
    load_plan_config,
    mrio_input_files,
    plan_levers,
    plan_scenario_task,
    run_ensemble,
)
from hinterland.report._backup import (
    BackupStudy,
    run_backup_study,
    spare_capacity_of_plan,
    write_backup_study,
)
from hinterland.report._document import (
    AdvisoryDocument,
    Bullets,
    Equation,
    Figure,
    Paragraph,
    Section,
    Table,
    Text,
)
from hinterland.report._evaluate import write_evaluation
from hinterland.report._network import write_network_report
from hinterland.report._reserves import write_reserves_report

__all__ = ["RESERVE_PRODUCTS", "PlanOutcome", "run_plan_stages", "write_plan_report"]

Progress = Callable[[str], None]
TO_E8 = 1e-4  # 万元 → 1e8 CNY
BACKUP_RAMP_DAYS = 30.0
DEFAULT_BACKUP_BUDGET = 5000.0
# reserve commodity → (chain whose weights give the product's share of the sector, sector)
RESERVE_PRODUCTS: dict[str, tuple[str, str]] = {
    "grain": ("grain_food", "sec01"),
    "energy": ("energy", "sec11"),
    "medical": ("pharmaceuticals", "sec12"),
}
STAGES = ("evaluation", "network", "reserves", "backup", "scenarios", "ensemble", "report")


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
    levers: dict[str, Any]
    curves: dict[str, pd.DataFrame]
    scenario_summary: pd.DataFrame
    ensemble: pd.DataFrame
    ensemble_by_region: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hit_regions: dict[str, list[int]] = field(default_factory=dict)


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


def _reserve_days(outcome_reserves: Mapping[str, dict[str, Any]], study: BackupStudy) -> pd.Series:
    """Extra stockpile days per MRIO product from the reserve commodities whose depots cover all demand."""
    extra: dict[str, float] = {}
    for name, res in outcome_reserves.items():
        if name not in RESERVE_PRODUCTS or not res.get("covers_all", False):
            continue
        chain, sector = RESERVE_PRODUCTS[name]
        weight = 1.0
        if chain in study.bi.chains:
            weight = float(study.bi.chains[chain].sectors.get(sector, 1.0))
        extra[sector] = extra.get(sector, 0.0) + float(res["days"]) * weight
    out = pd.Series(extra, dtype=float)
    out.index.name = "sector"
    return out


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
        budget=float(budget) if budget is not None else DEFAULT_BACKUP_BUDGET,
        seed=seed,
        budgets=(1000.0, 2500.0, 5000.0, 10000.0),
        loop=False,
        progress=say,
    )
    write_backup_study(folders["backup"], study, progress=say)
    timings["backup"] = time.perf_counter() - t

    # ---- joint assessment
    spare = spare_capacity_of_plan(study.plan, study.bi, ARIOParams().alpha_max - 1.0)
    ramp = pd.Series(BACKUP_RAMP_DAYS, index=spare.index)
    extra_days = _reserve_days(reserves, study)
    levers = plan_levers(spare, ramp, extra_days)
    be = backend or cfg.backend
    nw = workers or cfg["runner"]["workers"]
    sch = scheduler or cfg["runner"]["scheduler"]
    t = time.perf_counter()
    say(f"stage 5/5 joint assessment: {len(specs)} scenarios with and without the plan (ARIO)")
    scen_tasks = {label: {"scenario": spec, "plan": levers, "horizon_days": None} for label, spec in specs}
    ens_kw = {"backend": be, "workers": nw, "scheduler": sch, "store": rs, "run_id": run_id, "finish": False}
    res_s = run_ensemble(plan_scenario_task, scen_tasks, stage="scenarios", **ens_kw)  # type: ignore[arg-type]
    curves = {k: res_s[k] for k in scen_tasks}
    timings["scenarios"] = time.perf_counter() - t

    t = time.perf_counter()
    e = cfg["ensemble"]
    say(f"stage 5/5 joint assessment: {e['draws']} random shock draws with and without the plan")
    draws = ario_shock_tasks(
        int(e["draws"]),
        seed,
        roles=tuple(e["roles"]),
        regions_per_draw=tuple(e["regions_per_draw"]),
        severity=tuple(e["severity"]),
        duration_days=tuple(e["duration_days"]),
        recovery_days=tuple(e["recovery_days"]),
        steps=int(e["steps"]),
    )
    draw_tasks = {k: {**v, "plan": levers} for k, v in draws.items()}
    res_e = run_ensemble(ario_shock_task, draw_tasks, stage="ensemble", **ens_kw)  # type: ignore[arg-type]
    timings["ensemble"] = time.perf_counter() - t

    weights = cfg.scenario_weights()
    rows = []
    for label, df in curves.items():
        b, p = float(df["loss_baseline"].sum()) * TO_E8, float(df["loss_plan"].sum()) * TO_E8
        rows.append(
            {
                "scenario": label,
                "weight": weights.get(label, float("nan")),
                "days": len(df),
                "loss_baseline": b,
                "loss_plan": p,
                "saved": b - p,
                "saved_pct": 100 * (b - p) / b if b > 0 else 0.0,
                "peak_pct_baseline": float(df["pct_baseline"].max()),
                "peak_pct_plan": float(df["pct_plan"].max()),
            }
        )
    scen_sum = pd.DataFrame(rows).set_index("scenario")
    mrio = load_china_mrio()
    hit_regions: dict[str, list[int]] = {}
    for label, spec in specs:
        loss = load_scenario(spec).capacity_loss(mrio)
        hit_regions[label] = sorted({int(r) for r in loss[loss > 0].index.get_level_values(0)})
    ens_rows = []
    for key in draw_tasks:
        df = res_e[key]
        ens_rows.append(
            {
                "draw": key,
                "regions": ",".join(map(str, draws[key]["regions"])),
                "severity": draws[key]["severity"],
                "duration": draws[key]["duration"],
                "loss_baseline": float(df["output_loss"].sum()) * TO_E8,
                "loss_plan": float(df["output_loss_plan"].sum()) * TO_E8,
            }
        )
    ens = pd.DataFrame(ens_rows).set_index("draw")
    ens["saved"] = ens["loss_baseline"] - ens["loss_plan"]
    by_region = res_e.combined().groupby(level="region")[["output_loss", "output_loss_plan"]].mean() * TO_E8
    by_region.columns = ["mean_loss_baseline", "mean_loss_plan"]
    for name, df in (
        ("scenario_summary", scen_sum),
        ("ensemble_draws", ens),
        ("ensemble_by_region", by_region),
        ("backup_allocation", study.tables["allocation"]),
        ("scores", scores),
    ):
        rs.put_table(run_id, name, df)
    if not extra_days.empty:
        notes.append(
            "reserve stock days added in the shock model: "
            + ", ".join(f"{k} +{v:.1f} d" for k, v in extra_days.items())
        )
    return PlanOutcome(
        config=cfg,
        run_id=run_id,
        store=rs.path,
        folders=folders,
        scores=scores,
        network=network_summary,
        reserves=reserves,
        backup=study,
        levers={"spare_capacity": spare, "extra_stockpile_days": extra_days},
        curves=curves,
        scenario_summary=scen_sum,
        ensemble=ens,
        ensemble_by_region=by_region,
        timings=timings,
        notes=notes,
        hit_regions=hit_regions,
    )


# ---------------------------------------------------------------------------------------- report
def _t(zh: str, en: str) -> Text:
    return Text(zh, en)


def _names() -> pd.DataFrame:
    return load_china().regions.table[["name_zh", "name_en", "role"]]


def _flat_config(data: Mapping[str, Any], prefix: str = "") -> pd.DataFrame:
    """Dotted key → value (lists of scenarios as one line each) for the parameters table."""
    rows: list[tuple[str, str]] = []

    def walk(d: Mapping[str, Any], pre: str) -> None:
        for k, v in d.items():
            key = f"{pre}{k}"
            if isinstance(v, Mapping) and v:
                walk(v, key + ".")
            elif isinstance(v, list) and v and isinstance(v[0], Mapping):
                for i, item in enumerate(v):
                    rows.append((f"{key}[{i}]", ", ".join(f"{a}={b}" for a, b in item.items())))
            else:
                rows.append((key, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v))

    walk(data, prefix)
    return pd.DataFrame(rows, columns=["key", "value"]).set_index("key")


def _scenario_reading(name: object, row: pd.Series) -> Text:
    """One bullet per scenario: the loss, the saving and whether the plan helps."""
    b, p, pct = float(row["loss_baseline"]), float(row["loss_plan"]), float(row["saved_pct"])
    if pct >= 1.0:
        zh, en = "规划明显减少损失", "the plan clearly reduces the loss"
    elif pct > 0.05:
        zh, en = "规划略有作用", "the plan helps a little"
    elif pct >= -0.05:
        zh, en = "规划基本不改变损失", "the plan hardly changes the loss"
    elif pct >= -1.0:
        zh, en = "规划使损失略增（见下文解读）", "the plan slightly raises the loss (see the reading below)"
    else:
        zh, en = "规划使损失明显增加（见下文）", "the plan markedly raises the loss (see below)"
    return _t(
        f"{name}：损失 {_fmt(b)} → {_fmt(p)} 亿元（{pct:+.2f}%），{zh}。",
        f"{name}: loss {_fmt(b)} → {_fmt(p)} × 1e8 CNY ({pct:+.2f} %); {en}.",
    )


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def build_plan_document(o: PlanOutcome, figures: Mapping[str, Path]) -> AdvisoryDocument:
    """The advisory report (background, situation, problems, recommendations, appendix)."""
    cfg = o.config
    names = _names()
    sc = o.scenario_summary
    w = sc["weight"].fillna(0.0)
    exp_b = float((w * sc["loss_baseline"]).sum())
    exp_p = float((w * sc["loss_plan"]).sum())
    ens = o.ensemble
    study = o.backup
    alloc = study.tables["allocation"].copy()
    n1 = study.tables["n1_test"]
    fails = n1[~n1["passes"].astype(bool)] if "passes" in n1 else n1.iloc[0:0]
    fails_plan = n1[~n1["passes_with_plan"].astype(bool)] if "passes_with_plan" in n1 else n1.iloc[0:0]
    top = o.scores.sort_values("rank").head(10)
    hinter = o.scores[o.scores["role"] == "hinterland"].sort_values("rank")
    net = o.network
    mc = net.get("min_cut", {})
    up = net.get("upgrade", {})
    worst_cut = sc["loss_baseline"].idxmax() if len(sc) else "-"
    bases_by_region = (
        alloc.groupby("name")["capacity"].sum().sort_values(ascending=False) if len(alloc) else pd.Series()
    )
    top_bases = ", ".join(list(bases_by_region.index[:5])) or "-"
    zh_of = dict(zip(names["name_en"], names["name_zh"], strict=False))
    top_bases_zh = "、".join(zh_of.get(n, n) for n in bases_by_region.index[:5]) or "-"

    # tables
    t_scores = top.set_index("name_zh")[["name_en", "role", "score", "rank"]]
    t_scen = sc.round(3)
    t_ens = ens[["regions", "severity", "duration", "loss_baseline", "loss_plan", "saved"]]
    t_alloc = (
        alloc[["chain", "name", "capacity", "usable_in_shock"]].sort_values("capacity", ascending=False)
        if len(alloc)
        else alloc
    )
    res_rows = []
    for name, r in o.reserves.items():
        res_rows.append(
            {
                "commodity": name,
                "label_zh": r.get("label_zh", name),
                "model": r.get("model"),
                "depots": r.get("n_sites"),
                "sites": "、".join(r.get("site_names", [])[:12]),
                "stock_days": r.get("days"),
                "status": r.get("status"),
            }
        )
    t_res = pd.DataFrame(res_rows).set_index("commodity")
    up_rows = (
        pd.read_csv(o.folders["network"] / "upgrade_plan.csv")
        if (o.folders["network"] / "upgrade_plan.csv").exists()
        else pd.DataFrame()
    )
    region_loss = o.ensemble_by_region.join(names).sort_values("mean_loss_baseline", ascending=False)
    region_loss["saved"] = region_loss["mean_loss_baseline"] - region_loss["mean_loss_plan"]
    region_loss.index = region_loss.index.astype(str)  # ids, not quantities: no thousands separators
    for col in ("u", "v"):
        if col in up_rows:
            up_rows[col] = up_rows[col].astype(str)
    t_ens = t_ens.assign(regions=t_ens["regions"].astype(str))
    ds = load_china()
    src = ds.sources.reset_index() if ds.sources.index.name else ds.sources
    src_cols = [c for c in ("source_id", "agency", "title", "vintage") if c in src.columns]
    src = src[src_cols].copy()
    for c in src_cols[1:]:
        src[c] = src[c].astype(str).map(lambda v: v if len(v) <= 60 else v[:57] + "…")
    timing = pd.DataFrame({"seconds": pd.Series(o.timings)}).round(1)
    timing.index.name = "stage"

    def fig(key: str, zh: str, en: str) -> list[Figure]:
        return [Figure(figures[key], _t(zh, en))] if key in figures and figures[key].exists() else []

    saved_pct = 100 * (exp_b - exp_p) / exp_b if exp_b > 0 else 0.0
    ens_saved = float(ens["saved"].mean()) if len(ens) else 0.0
    base_regions = sorted({int(r) for r in alloc["region"]}) if len(alloc) else []
    zh_names = dict(zip(names.index.astype(int), names["name_zh"], strict=False))
    en_names = dict(zip(names.index.astype(int), names["name_en"], strict=False))
    overlap_items: list[Text] = []
    for name, row in sc.iterrows():
        shared = [r for r in base_regions if r in o.hit_regions.get(str(name), [])]
        if float(row["saved_pct"]) < -1.0 and shared:
            overlap_items.append(
                _t(
                    f"{name}：备份基地位于{'、'.join(zh_names.get(r, str(r)) for r in shared)}，正是该情景受灾地区。"
                    "模型中基地新增产能与灾后重建争夺同一批紧缺投入（按比例配给）：规划情形在灾后头几个月损失较低，重建期间较高，总损失反而增加 "
                    f"{_fmt(-float(row['saved_pct']), 1)}%。备份模型的冲击集已含该情景，但静态模型看不到这一动态效应。"
                    "建议：在灾害区以外比选基地，并检验更慢的产能爬坡或重建订单优先配给。",
                    f"{name}: the backup bases stand in {', '.join(en_names.get(r, str(r)) for r in shared)}, "
                    "the region this scenario hits. In the model their extra capacity competes with reconstruction "
                    "for the same scarce inputs (proportional rationing): the plan's loss is lower in the first "
                    "months and higher during reconstruction, and the total rises by "
                    f"{_fmt(-float(row['saved_pct']), 1)} %. The backup model's shock set already holds this "
                    "scenario, but its static model cannot see this dynamic effect. Recommendation: compare "
                    "sites outside the hazard zone, and test a slower ramp-up or priority for reconstruction "
                    "orders.",
                )
            )
    sections = (
        Section(
            _t("一、背景", "1. Background"),
            (
                Paragraph(
                    _t(
                        "2023年12月中央经济工作会议提出“优化重大生产力布局，加强国家重大战略腹地建设”。"
                        "战略腹地的任务是在沿海或边境地区受到冲击时保障经济运行与供应：统筹战略物资储备、"
                        "关键产业备份、战略科技力量和战略运输通道。本报告用同一组冲击情景，"
                        "把储备库选址、产业备份基地和通道升级放在一起评估。",
                        "The Central Economic Work Conference of December 2023 asked to 'optimise the layout of "
                        "major productive forces and build the national strategic hinterland'. The hinterland "
                        "must keep the economy and supply running when coastal or frontier regions are hit: "
                        "strategic reserves, backup capacity of key industries, S&T capability and transport "
                        "corridors. This report chooses reserve depots, backup bases and corridor upgrades and "
                        "judges them together under one set of shock scenarios.",
                    )
                ),
                Bullets(
                    (
                        _t(
                            f"规划名称：{cfg['title']}（{cfg['name']}），随机种子 {cfg.seed}。",
                            f"Plan: {cfg['title']} ({cfg['name']}), seed {cfg.seed}.",
                        ),
                        _t(
                            f"情景：{'、'.join(sc.index)}；另有 {len(ens)} 个随机冲击情景（前沿省份产能损失）。",
                            f"Scenarios: {', '.join(sc.index)}; plus {len(ens)} random shocks to front provinces.",
                        ),
                        _t(
                            f"数据：2017年中国31省区域间投入产出表（本项目由官方省级表构建）、统计年鉴面板、"
                            f"铁路网络和城市人口；运行编号 {o.run_id}。",
                            f"Data: 2017 China 31-province MRIO (built from the official provincial tables), "
                            f"yearbook panels, the rail network and city populations; run id {o.run_id}.",
                        ),
                    )
                ),
            ),
        ),
        Section(
            _t("二、现状", "2. Current situation"),
            (
                Paragraph(
                    _t(
                        f"腹地综合得分（熵权TOPSIS，八个维度）前三位：{'、'.join(top['name_zh'].head(3))}；"
                        f"腹地省份中得分最高的是{'、'.join(hinter['name_zh'].head(3))}。",
                        f"Hinterland score (entropy-weighted TOPSIS over eight dimensions), top three: "
                        f"{', '.join(top['name_en'].head(3))}; best-scoring hinterland provinces: "
                        f"{', '.join(hinter['name_en'].head(3))}.",
                    )
                ),
                *fig("map_score", "图1 腹地综合得分", "Figure 1. Hinterland score by province"),
                Table(
                    t_scores, _t("表1 得分前十位省份", "Table 1. Top ten provinces by score"), "scores_top10"
                ),
                *fig(
                    "rank_intervals",
                    "图2 排名区间（权重与方法扰动）",
                    "Figure 2. Rank intervals under weight and method perturbation",
                ),
                Paragraph(
                    _t(
                        f"铁路网络（{net.get('nodes')} 个节点、{net.get('edges')} 条线路）中，核心与腹地省份到前沿省份的"
                        f"最小割容量为 {_fmt(float(mc.get('value', float('nan'))) if isinstance(mc, dict) else float('nan'))}"
                        f"（{mc.get('links', '-') if isinstance(mc, dict) else '-'} 条线路）。",
                        f"The rail network ({net.get('nodes')} nodes, {net.get('edges')} links) carries at most "
                        f"{_fmt(float(mc.get('value', float('nan'))) if isinstance(mc, dict) else float('nan'))} "
                        f"train paths/day from the core and hinterland to the front provinces (min cut of "
                        f"{mc.get('links', '-') if isinstance(mc, dict) else '-'} links).",
                    )
                ),
                *fig("map_criticality", "图3 铁路线路关键性（N-1）", "Figure 3. Rail link criticality (N-1)"),
            ),
        ),
        Section(
            _t("三、主要问题", "3. Problems"),
            (
                Bullets(
                    (
                        _t(
                            f"冲击损失：在无规划基线下，损失最大的情景是“{worst_cut}”，"
                            f"总产出损失 {_fmt(float(sc['loss_baseline'].max()))} 亿元；"
                            f"加权期望损失 {_fmt(exp_b)} 亿元。",
                            f"Shock losses: without the plan the costliest scenario is '{worst_cut}' with "
                            f"{_fmt(float(sc['loss_baseline'].max()))} × 1e8 CNY of output lost; the weighted "
                            f"expected loss is {_fmt(exp_b)} × 1e8 CNY.",
                        ),
                        _t(
                            f"产业链N-1检验：前沿产能损失50%时，{len(fails)} 个“情景/产业链”组合无法满足必需需求"
                            f"（{'、'.join(map(str, fails.get('chain', pd.Series(dtype=str)).unique()[:6]))}）。",
                            f"Chain N-1 test: with front capacity cut by 50 %, {len(fails)} scenario/chain pairs "
                            f"cannot meet essential demand "
                            f"({', '.join(map(str, fails.get('chain', pd.Series(dtype=str)).unique()[:6]))}).",
                        ),
                        _t(
                            f"通道瓶颈：最小割仅 {mc.get('links', '-') if isinstance(mc, dict) else '-'} 条线路，"
                            "少数干线中断即削弱腹地向前沿的运输能力。",
                            f"Corridor bottleneck: the min cut has only "
                            f"{mc.get('links', '-') if isinstance(mc, dict) else '-'} links; a few trunk-line "
                            "failures cut the hinterland's capacity to supply the front.",
                        ),
                    )
                ),
                *fig("map_upgrades", "图4 通道升级方案", "Figure 4. Corridor upgrade plan"),
            ),
        ),
        Section(
            _t("四、政策建议", "4. Recommendations"),
            (
                Paragraph(
                    _t(
                        f"（一）战略物资储备：按 {cfg['reserves']['model'].upper()} 模型布局储备库（见表2与储备分图）。",
                        f"(1) Strategic reserves: site depots by the {cfg['reserves']['model'].upper()} model "
                        "(Table 2 and the reserves maps).",
                    )
                ),
                Table(t_res, _t("表2 储备库布局", "Table 2. Reserve depots"), "reserves", max_rows=10),
                *[
                    f
                    for k in o.reserves
                    for f in fig(f"reserves_{k}", f"储备库：{k}", f"Reserve depots: {k}")
                ],
                Paragraph(
                    _t(
                        f"（二）关键产业备份：预算 {_fmt(float(study.budget or 0), 0)} 亿元，"
                        f"共 {len(alloc)} 个“产业链×省份”备份基地，主要在{top_bases_zh}。",
                        f"(2) Industrial backup: a budget of {_fmt(float(study.budget or 0), 0)} × 1e8 CNY "
                        f"buys {len(alloc)} chain × province backup bases, mainly in {top_bases}.",
                    )
                ),
                Table(t_alloc, _t("表3 备份基地", "Table 3. Backup bases"), "backup_bases", max_rows=15),
                *fig("backup_map", "图5 备份基地布局", "Figure 5. Backup bases by chain"),
                *fig("pareto", "图6 预算—损失帕累托前沿", "Figure 6. Budget–loss Pareto front"),
                Paragraph(
                    _t(
                        f"实施备份后，N-1 检验未通过的组合由 {len(fails)} 个降至 {len(fails_plan)} 个。",
                        f"With the backup bases the N-1 failures fall from {len(fails)} to {len(fails_plan)}.",
                    )
                ),
                Paragraph(
                    _t(
                        f"（三）运输通道：在 {_fmt(float(up.get('budget_km', 0) or 0), 0)} 公里预算内升级 "
                        f"{up.get('chosen', 0)} 条线路，最不利情景下的最小割由 "
                        f"{_fmt(float(up.get('worst_case_cut_before', float('nan'))))} 提高到 "
                        f"{_fmt(float(up.get('worst_case_cut_after', float('nan'))))}。",
                        f"(3) Transport corridors: upgrading {up.get('chosen', 0)} links within "
                        f"{_fmt(float(up.get('budget_km', 0) or 0), 0)} km raises the worst-case min cut from "
                        f"{_fmt(float(up.get('worst_case_cut_before', float('nan'))))} to "
                        f"{_fmt(float(up.get('worst_case_cut_after', float('nan'))))} train paths/day.",
                    )
                ),
                Table(up_rows, _t("表4 通道升级", "Table 4. Corridor upgrades"), "corridor_upgrades"),
                Paragraph(
                    _t(
                        f"（四）综合效果：同一组情景下，规划使加权期望损失由 {_fmt(exp_b)} 亿元"
                        f"{'降至' if exp_p <= exp_b else '升至'} {_fmt(exp_p)} 亿元"
                        f"（{'减少' if exp_p <= exp_b else '增加'} {_fmt(abs(saved_pct), 2)}%）；"
                        f"{len(ens)} 个随机冲击中平均{'减少' if ens_saved >= 0 else '增加'} "
                        f"{_fmt(abs(ens_saved), 2)} 亿元。",
                        f"(4) Joint effect: under the same scenarios the plan "
                        f"{'lowers' if exp_p <= exp_b else 'raises'} the weighted expected loss "
                        f"from {_fmt(exp_b)} to {_fmt(exp_p)} × 1e8 CNY ({_fmt(abs(saved_pct), 2)} % "
                        f"{'less' if exp_p <= exp_b else 'more'}); over {len(ens)} random shocks it "
                        f"{'saves' if ens_saved >= 0 else 'adds'} {_fmt(abs(ens_saved), 2)} × 1e8 CNY on average.",
                    )
                ),
                Table(
                    t_scen, _t("表5 各情景损失（亿元）", "Table 5. Loss by scenario (1e8 CNY)"), "scenarios"
                ),
                Bullets(tuple(_scenario_reading(name, row) for name, row in sc.iterrows())),
                *([Bullets(tuple(overlap_items))] if overlap_items else []),
                Paragraph(
                    _t(
                        "解读：ARIO 模型中产出同时受产能和投入库存约束。若某情景的损失主要来自（进口）中间投入短缺"
                        "或需求下降，而非产能损失，则新增备份产能难以发挥作用；在按比例配给下，新增产能对紧缺投入的"
                        "需求甚至可能使其他地区损失略增。这类情景更依赖投入品储备与进口替代。",
                        "Reading: in ARIO, output is bounded by capacity and by input stocks. Where a scenario's "
                        "loss comes from missing (imported) inputs or lost demand rather than lost capacity, "
                        "extra backup capacity cannot be used, and under proportional rationing its orders for "
                        "scarce inputs can even raise losses slightly elsewhere. Such scenarios call for stocks "
                        "of inputs and import substitution rather than more capacity.",
                    )
                ),
                *fig(
                    "curves",
                    "图7 有无规划的日产出损失",
                    "Figure 7. Daily output loss with and without the plan",
                ),
                *fig(
                    "ensemble",
                    "图8 随机冲击：有无规划的损失",
                    "Figure 8. Random shocks: loss with and without the plan",
                ),
                Table(
                    region_loss[
                        ["name_zh", "name_en", "role", "mean_loss_baseline", "mean_loss_plan", "saved"]
                    ],
                    _t(
                        "表6 随机冲击下各省平均损失（亿元）",
                        "Table 6. Mean loss by province over random shocks (1e8 CNY)",
                    ),
                    "ensemble_by_region",
                ),
                Table(
                    t_ens,
                    _t("表7 随机冲击情景", "Table 7. Random shock draws"),
                    "ensemble_draws",
                    max_rows=10,
                ),
            ),
        ),
        Section(
            _t("附录A 方法与公式", "Appendix A. Methods and equations"),
            (
                Paragraph(
                    _t(
                        "综合评价：指标极差标准化，熵权法定权，TOPSIS 贴近度为得分。",
                        "Evaluation: min–max normalisation, entropy weights, TOPSIS closeness as the score.",
                    )
                ),
                Equation(
                    r"C_i = \frac{D_i^-}{D_i^+ + D_i^-},\quad w_j = \frac{1-E_j}{\sum_k (1-E_k)}",
                    _t("TOPSIS 贴近度与熵权", "TOPSIS closeness and entropy weights"),
                ),
                Paragraph(
                    _t(
                        "储备库：集合覆盖（LSCP，Toregas 等 1971）在历史灾害情景下求解，储量按应急需求天数确定。",
                        "Reserves: location set covering (LSCP, Toregas et al. 1971) under historic hazard "
                        "footprints; stock sized for the commodity's surge days.",
                    )
                ),
                Equation(
                    r"\min \sum_j x_j \quad \mathrm{s.t.}\ \sum_{j \in N_i} x_j \geq 1\ \forall i,\ x_j \in \{0,1\}",
                    _t("集合覆盖模型", "Location set covering"),
                ),
                Paragraph(
                    _t(
                        "产业备份：两阶段随机混合整数规划，第一阶段建基地与产能，第二阶段在冲击情景下调配；"
                        "样本平均近似（SAA）求解并做样本外评价。",
                        "Backup bases: two-stage stochastic MILP (first stage opens bases and sizes capacity, "
                        "second stage meets chain demand in each shock), solved by sample average "
                        "approximation with out-of-sample evaluation.",
                    )
                ),
                Equation(
                    r"\min\ \sum_{c,r}(f_{cr} y_{cr} + g_{cr} k_{cr}) + \sum_s p_s \sum_c \lambda_c u_{cs}",
                    _t("投资加期望短缺损失", "investment plus expected shortfall loss"),
                ),
                Paragraph(
                    _t(
                        "动态冲击：ARIO 适应性区域投入产出模型（Hallegatte 2008；BoARIO 形式），"
                        "备份基地提高相应产业的最大超额产能，储备增加相应产品的库存天数。",
                        "Dynamic shocks: the adaptive regional input-output model ARIO (Hallegatte 2008; "
                        "BoARIO formulation): backup bases raise the industries' maximum overproduction, "
                        "reserves add days of stock of their products.",
                    )
                ),
                Equation(
                    r"x^a_{r,i}(t) = \min\left(\bar{x}_{r,i}(t)\,\alpha_{r,i}(t),\ \min_k \frac{S_{k,ri}(t)}{\psi\,a_{k,ri}}\right)",
                    _t(
                        "ARIO 实际产出（产能与投入库存约束）",
                        "ARIO production: capacity and input stocks bound it",
                    ),
                ),
                Equation(
                    r"\alpha^{max}_{r,i} = 1 + \alpha_0 + \frac{\rho_c k_{cr}\, w_{ci} X_i}{x_{r,i}\sum_j w_{cj} X_j}",
                    _t("备份产能换算为超额产能", "backup capacity as spare capacity"),
                ),
                Paragraph(
                    _t(
                        "通道升级不进入 ARIO（该模型没有运输层），其效果以网络最小割和 N-1/N-k 情景表示。",
                        "Corridor upgrades do not enter ARIO (the model has no transport layer); their effect "
                        "is measured on the network (min cut under N-1/N-k scenarios).",
                    )
                ),
                *(Paragraph(_t(n, n)) for n in o.notes),
            ),
            appendix=True,
        ),
        Section(
            _t("附录B 参数与运行记录", "Appendix B. Parameters and run record"),
            (
                Paragraph(
                    _t(
                        f"运行编号 {o.run_id}，结果库 {o.store}，代码版本 {code_version()}。",
                        f"Run id {o.run_id}, store {o.store}, code version {code_version()}.",
                    )
                ),
                Table(timing, _t("各阶段用时（秒）", "Stage timings (s)"), "timings"),
                Table(
                    _flat_config(cfg.to_dict()),
                    _t("规划配置（全部参数）", "Plan configuration (every key)"),
                    "config",
                    max_rows=80,
                ),
            ),
            appendix=True,
        ),
        Section(
            _t("附录C 数据来源", "Appendix C. Data sources"),
            (
                Table(
                    src[src_cols].set_index(src_cols[0]),
                    _t("数据来源", "Data sources"),
                    "sources",
                    max_rows=60,
                ),
            ),
            appendix=True,
        ),
    )
    return AdvisoryDocument(
        title=_t("国家战略腹地建设规划评估报告", "Strategic hinterland plan: assessment report"),
        subtitle=_t(
            f"{cfg['title']} · 储备、备份与通道的联合评估",
            f"{cfg['title']} · reserves, backup and corridors judged together",
        ),
        sections=sections,
    )


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
    figures["curves"] = save_figure(plan_curves_chart(o.curves), af / "loss_curves.png")
    figures["ensemble"] = save_figure(ensemble_chart(o.ensemble), af / "ensemble.png")
    for name, df in (
        ("scenario_summary", o.scenario_summary),
        ("ensemble_draws", o.ensemble),
        ("ensemble_by_region", o.ensemble_by_region),
    ):
        df.to_csv(af / f"{name}.csv")
    curves = pd.concat(o.curves, names=["scenario"])
    curves.to_csv(af / "loss_curves.csv")
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
