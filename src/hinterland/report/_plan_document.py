# ruff: noqa: E501  (bilingual report text: long Chinese lines read better unbroken)
"""The plan's advisory report (资政报告): one function per section, from a :class:`PlanStudy`.

Background, current situation, problems, recommendations (reserves, backup, corridors, the joint
assessment with its bands and costs, stated plainly when a lever does not pay), then appendices:
methods and equations, calibration, parameters and the run record, and the data sources.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland.datasets import load_china
from hinterland.plan import PlanStudy, assessment_sources, code_version
from hinterland.report._document import (
    AdvisoryDocument,
    Block,
    Bullets,
    Equation,
    Figure,
    Paragraph,
    Section,
    Table,
    Text,
)

__all__ = ["build_plan_document"]

ARM_ZH = {"proposed": "拟议规划", "recommended": "推荐组合"}
ARM_EN = {"proposed": "the proposed plan", "recommended": "the recommended portfolio"}
KIND_ZH = {"backup": "产业备份", "reserve": "物资储备", "upgrade": "通道升级"}


def _t(zh: str, en: str) -> Text:
    return Text(zh, en)


def _fmt(x: float, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:,.{digits}f}"


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


class _Ctx:
    """What the sections share: the plan study, the figures and the derived tables."""

    def __init__(self, o: PlanStudy, figures: Mapping[str, Path]) -> None:
        self.o = o
        self.cfg = o.config
        self.a = o.assessment
        self.figures = figures
        self.names = _names()
        self.zh_of = dict(zip(self.names.index.astype(int), self.names["name_zh"], strict=False))
        self.en_of = dict(zip(self.names.index.astype(int), self.names["name_en"], strict=False))
        self.sc = self.a.by_scenario
        self.pf = self.a.portfolio
        self.lev = self.a.levers
        self.arms = [a for a in ("proposed", "recommended") if a in self.pf.index]

    def fig(self, key: str, zh: str, en: str) -> list[Block]:
        path = self.figures.get(key)
        return [Figure(path, _t(zh, en))] if path is not None and Path(path).exists() else []


# ----------------------------------------------------------------------------- sections
def _background(c: _Ctx) -> Section:
    o, cfg = c.o, c.cfg
    scen = ", ".join(f"{k} (p = {c.a.design.probability(k):g}/yr)" for k in c.a.design.labels)
    return Section(
        _t("一、背景", "1. Background"),
        (
            Paragraph(
                _t(
                    "2023年12月中央经济工作会议提出“优化重大生产力布局，加强国家重大战略腹地建设”。"
                    "战略腹地的任务是在沿海或边境地区受到冲击时保障经济运行与供应：统筹战略物资储备、"
                    "关键产业备份、战略科技力量和战略运输通道。本报告把储备库、产业备份基地和通道升级放在同一组冲击情景下，"
                    "用动态投入产出模型（ARIO）按“避免的增加值损失减去年化成本”评估，并说明哪些措施划算、哪些不划算。",
                    "The Central Economic Work Conference of December 2023 asked to 'optimise the layout of "
                    "major productive forces and build the national strategic hinterland'. The hinterland "
                    "must keep the economy and supply running when coastal or frontier regions are hit. This "
                    "report judges reserve depots, industrial backup bases and corridor upgrades together, "
                    "under one set of shocks, with the dynamic input-output model ARIO, by the value-added "
                    "loss they avoid net of their annualised cost, and says which of them pay and which do not.",
                )
            ),
            Bullets(
                (
                    _t(
                        f"规划名称：{cfg['title']}（{cfg['name']}），随机种子 {cfg.seed}。",
                        f"Plan: {cfg['title']} ({cfg['name']}), seed {cfg.seed}.",
                    ),
                    _t(
                        f"情景及年发生概率：{scen}；每个情景另有 {c.a.design.draws} 个配对抽样（冲击强度与模型参数）。",
                        f"Scenarios and annual probabilities: {scen}; each with {c.a.design.draws} paired draws "
                        "of its shock and of the model parameters.",
                    ),
                    _t(
                        f"数据：2017年中国31省区域间投入产出表（由官方省级表构建）、统计年鉴面板、铁路网络和城市人口；运行编号 {o.run_id}。",
                        "Data: 2017 China 31-province MRIO (built from the official provincial tables), yearbook "
                        f"panels, the rail network and city populations; run id {o.run_id}.",
                    ),
                )
            ),
        ),
    )


def _situation(c: _Ctx) -> Section:
    o = c.o
    top = o.scores.sort_values("rank").head(10)
    hinter = o.scores[o.scores["role"] == "hinterland"].sort_values("rank")
    net = o.network.summary
    mc = net.get("min_cut", {})
    mc_value = float(mc.get("value", float("nan"))) if isinstance(mc, dict) else float("nan")
    mc_links = mc.get("links", "-") if isinstance(mc, dict) else "-"
    return Section(
        _t("二、现状", "2. Current situation"),
        (
            Paragraph(
                _t(
                    f"腹地综合得分（熵权TOPSIS，八个维度）前三位：{'、'.join(top['name_zh'].head(3))}；"
                    f"腹地省份中得分最高的是{'、'.join(hinter['name_zh'].head(3))}。",
                    "Hinterland score (entropy-weighted TOPSIS over eight dimensions), top three: "
                    f"{', '.join(top['name_en'].head(3))}; best-scoring hinterland provinces: "
                    f"{', '.join(hinter['name_en'].head(3))}.",
                )
            ),
            *c.fig("map_score", "图1 腹地综合得分", "Figure 1. Hinterland score by province"),
            Table(
                top.set_index("name_zh")[["name_en", "role", "score", "rank"]],
                _t("表1 得分前十位省份", "Table 1. Top ten provinces by score"),
                "scores_top10",
            ),
            *c.fig(
                "rank_intervals",
                "图2 排名区间（权重与方法扰动）",
                "Figure 2. Rank intervals under weight and method perturbation",
            ),
            Paragraph(
                _t(
                    f"铁路网络（{net.get('nodes')} 个节点、{net.get('edges')} 条线路）中，核心与腹地省份到前沿省份的"
                    f"最小割容量为 {_fmt(mc_value)}（{mc_links} 条线路）。",
                    f"The rail network ({net.get('nodes')} nodes, {net.get('edges')} links) carries at most "
                    f"{_fmt(mc_value)} train paths/day from the core and hinterland to the front provinces "
                    f"(min cut of {mc_links} links).",
                )
            ),
            *c.fig("map_criticality", "图3 铁路线路关键性（N-1）", "Figure 3. Rail link criticality (N-1)"),
        ),
    )


def _problems(c: _Ctx) -> Section:
    study = c.o.backup
    n1 = study.tables["n1_test"]
    fails = n1[~n1["passes"].astype(bool)] if "passes" in n1 else n1.iloc[0:0]
    base = _baseline_table(c)
    worst = base["loss_mean"].idxmax() if len(base) else "-"
    exp_loss = float((base["probability"] * base["loss_mean"]).sum()) if len(base) else 0.0
    chains = ", ".join(map(str, fails.get("chain", pd.Series(dtype=str)).unique()[:6]))
    return Section(
        _t("三、主要问题", "3. Problems"),
        (
            Bullets(
                (
                    _t(
                        f"冲击损失：无规划时损失最大的情景是“{worst}”，增加值损失均值 {_fmt(float(base['loss_mean'].max()) if len(base) else 0)} 亿元；"
                        f"按年发生概率加权的年期望损失为 {_fmt(exp_loss)} 亿元/年。各情景损失区间很宽（表2），主要来自库存天数、配给规则和重建速度等参数的不确定性。",
                        f"Shock losses: without the plan the costliest scenario is '{worst}', with a mean value-added "
                        f"loss of {_fmt(float(base['loss_mean'].max()) if len(base) else 0)} × 1e8 CNY; weighted by the annual "
                        f"probabilities the expected loss is {_fmt(exp_loss)} × 1e8 CNY a year. The ranges are wide "
                        "(Table 2), mostly from uncertain stock days, rationing rules and reconstruction pace.",
                    ),
                    _t(
                        f"产业链N-1检验：前沿产能损失50%时，{len(fails)} 个“情景/产业链”组合无法满足必需需求（{chains}）。",
                        f"Chain N-1 test: with front capacity cut by 50 %, {len(fails)} scenario/chain pairs cannot "
                        f"meet essential demand ({chains}).",
                    ),
                )
            ),
            Table(
                base.drop(columns="probability"),
                _t(
                    "表2 无规划基线损失（亿元，增加值损失加未重建资本）",
                    "Table 2. Baseline loss without the plan (1e8 CNY: value added lost plus capital not rebuilt)",
                ),
                "baseline_losses",
            ),
        ),
    )


def _baseline_table(c: _Ctx) -> pd.DataFrame:
    if not len(c.sc):
        return pd.DataFrame()
    arm = c.arms[0] if c.arms else c.sc.index.get_level_values("arm")[0]
    s = c.sc.xs(arm, level="arm")
    return pd.DataFrame(
        {
            "probability": s["probability"],
            "p/yr": [f"{p:g}" for p in s["probability"]],
            "horizon_days": s["horizon_days"],
            "draws": s["draws"],
            "loss_mean": s["loss_baseline_mean"],
            "loss_p05": s["loss_baseline_p05"],
            "loss_p95": s["loss_baseline_p95"],
        }
    )


def _lever_sentence(row: pd.Series) -> Text:
    name = str(row["name"])
    b, cost = float(row["expected_annual_benefit"]), float(row["annual_cost"])
    if bool(row["pays"]):
        return _t(
            f"{name}：年期望收益 {_fmt(b, 2)} 亿元，年化成本 {_fmt(cost, 2)} 亿元，效益成本比 {_fmt(b / cost if cost else math.inf, 2)}，划算，建议实施。",
            f"{name}: expected benefit {_fmt(b, 2)} × 1e8 CNY/yr against an annual cost of {_fmt(cost, 2)} "
            f"(B/C {_fmt(b / cost if cost else math.inf, 2)}): it pays; recommended.",
        )
    mult = float(row.get("break_even_multiple", math.inf))
    when = (
        f"只有当相关情景的年发生概率提高到目前的 {_fmt(mult, 1)} 倍时才划算"
        if math.isfinite(mult)
        else "在任何概率下都不产生增加值收益"
    )
    when_en = (
        f"it would pay only if the scenarios it helps were {_fmt(mult, 1)} times as likely"
        if math.isfinite(mult)
        else "it avoids no value-added loss at any probability"
    )
    return _t(
        f"{name}：年期望收益 {_fmt(b, 2)} 亿元，低于年化成本 {_fmt(cost, 2)} 亿元，不划算——{when}。",
        f"{name}: expected benefit {_fmt(b, 2)} × 1e8 CNY/yr, below its annual cost of {_fmt(cost, 2)}: it does "
        f"not pay — {when_en}.",
    )


def _levers_of(c: _Ctx, kind: str) -> pd.DataFrame:
    if not len(c.lev):
        return c.lev
    return c.lev[c.lev["kind"] == kind]


def _reserves_part(c: _Ctx) -> list[Block]:
    o = c.o
    rows = []
    for name, r in o.reserves.items():
        rows.append(
            {
                "commodity": name,
                "label_zh": getattr(r.commodity, "label_zh", name),
                "model": r.result.model,
                "depots": len(r.result.sites),
                "sites": "、".join(r.site_names[:12]),
                "stock_days": float(r.commodity.days),
                "status": r.result.status,
            }
        )
    t_res = pd.DataFrame(rows).set_index("commodity") if rows else pd.DataFrame()
    lev = _levers_of(c, "reserve")
    items = [_lever_sentence(row) for _, row in lev.iterrows()]
    hh = []
    value = c.a.design.shortage_value
    for _key, row in lev.iterrows():
        fd = {
            k.split(":", 1)[1]: float(v)
            for k, v in row.items()
            if str(k).startswith("avoided_fd:") and pd.notna(v)
        }
        if not fd:
            continue
        best = max(fd, key=lambda k: fd[k])
        lam = float(row.get("break_even_shortage_value", float("nan")))
        lam_zh = (
            f"当紧缺时1元物资对居民的价值达到 {_fmt(lam, 1)} 元时才划算"
            if math.isfinite(lam)
            else "在任何估值下都不产生收益"
        )
        lam_en = (
            f"it would pay if a yuan of goods reaching households in a shortage were worth {_fmt(lam, 1)} yuan"
            if math.isfinite(lam)
            else "it pays at no valuation"
        )
        hh.append(
            _t(
                f"{row['name']}：在“{best}”情景中少了 {_fmt(fd[best])} 亿元未满足的最终需求（中心情景）；"
                f"按价格（λ = {value:g}）计价时，向居民的投放与补库成本相抵，储备只有在其维持关键产业生产、或紧缺时居民消费的价值高于价格时才产生净收益：{lam_zh}。",
                f"{row['name']}: in '{best}' it cuts unmet final demand by {_fmt(fd[best])} × 1e8 CNY (central "
                f"draw); valued at price (λ = {value:g}) a release to households only offsets the cost of "
                "restocking, so a reserve pays only through the industries it keeps running or where "
                f"essential consumption in a shortage is worth more than its price: {lam_en}.",
            )
        )
    return [
        Paragraph(
            _t(
                f"（一）战略物资储备：按 {c.cfg['reserves']['model'].upper()} 模型布局储备库（表3与储备分图）。"
                "在冲击模型中，储备是一个不需要投入的区域库存：按覆盖省份的居民和关键用户的短缺、以应急需求速率为上限投放，冲击后按价值补库。",
                f"(1) Strategic reserves: depots sited by the {c.cfg['reserves']['model'].upper()} model (Table 3 "
                "and the reserve maps). In the shock model a reserve is a regional stock that needs no inputs: "
                "it releases, at most at the surge rate, to households and critical users of the provinces its "
                "depots serve, and is bought back at its value after the shock.",
            )
        ),
        Table(t_res, _t("表3 储备库布局", "Table 3. Reserve depots"), "reserves", max_rows=10),
        *[f for k in o.reserves for f in c.fig(f"reserves_{k}", f"储备库：{k}", f"Reserve depots: {k}")],
        *([Bullets(tuple(items + hh))] if items or hh else []),
    ]


def _backup_part(c: _Ctx) -> list[Block]:
    study = c.o.backup
    alloc = study.tables["allocation"].copy()
    n1 = study.tables["n1_test"]
    fails = n1[~n1["passes"].astype(bool)] if "passes" in n1 else n1.iloc[0:0]
    fails_plan = n1[~n1["passes_with_plan"].astype(bool)] if "passes_with_plan" in n1 else n1.iloc[0:0]
    t_alloc = (
        alloc[["chain", "name", "capacity", "usable_in_shock"]].sort_values("capacity", ascending=False)
        if len(alloc)
        else alloc
    )
    by_region = (
        alloc.groupby("name")["capacity"].sum().sort_values(ascending=False) if len(alloc) else pd.Series()
    )
    zh = dict(zip(c.names["name_en"], c.names["name_zh"], strict=False))
    top_en = ", ".join(list(by_region.index[:5])) or "-"
    top_zh = "、".join(zh.get(n, n) for n in by_region.index[:5]) or "-"
    lev = _levers_of(c, "backup")
    items = [_lever_sentence(row) for _, row in lev.iterrows()]
    hit = []
    base_regions = sorted({int(r) for r in alloc["region"]}) if len(alloc) else []
    for label in c.a.design.labels:
        shared = [r for r in base_regions if r in c.o.hit_regions.get(label, [])]
        if shared:
            hit.append(
                _t(
                    f"“{label}”情景直接冲击备份基地所在的{'、'.join(c.zh_of.get(r, str(r)) for r in shared)}：模型中基地与当地产业一起受损（产能 × (1 − Δ)）。",
                    f"'{label}' hits {', '.join(c.en_of.get(r, str(r)) for r in shared)}, where backup bases stand: in "
                    "the model the bases are damaged with the local industry (capacity × (1 − Δ)).",
                )
            )
    return [
        Paragraph(
            _t(
                f"（二）关键产业备份：预算 {_fmt(float(study.budget or 0), 0)} 亿元，两阶段随机规划选出 {len(alloc)} 个“产业链×省份”备份基地，主要在{top_zh}。"
                "在冲击模型中，备份是平时闲置的独立产能：当其产品的全国供给能力缺口超过阈值时，经过动员时滞后线性爬坡投产，使用所在地投入，并随所在地一起受损；宿主产业自身参数不变。",
                f"(2) Industrial backup: a budget of {_fmt(float(study.budget or 0), 0)} × 1e8 CNY buys {len(alloc)} chain × "
                f"province backup bases in the two-stage stochastic model, mainly in {top_en}. In the shock model a "
                "backup base is separate capacity that stays dormant until the national supply capacity of its "
                "product falls short, then starts after a mobilisation lag and ramps up linearly, uses its "
                "province's inputs and is damaged with it; the host industry's own parameters are untouched.",
            )
        ),
        Table(t_alloc, _t("表4 备份基地", "Table 4. Backup bases"), "backup_bases", max_rows=15),
        *c.fig("backup_map", "图4 备份基地布局", "Figure 4. Backup bases by chain"),
        Paragraph(
            _t(
                f"实施备份后，N-1 检验未通过的组合由 {len(fails)} 个降至 {len(fails_plan)} 个（静态模型）。",
                f"With the backup bases the N-1 failures of the static model fall from {len(fails)} to {len(fails_plan)}.",
            )
        ),
        *([Bullets(tuple(items + hit))] if items or hit else []),
    ]


def _corridor_part(c: _Ctx) -> list[Block]:
    net = c.o.network.summary
    up = net.get("upgrade", {})
    up_rows = c.o.network.upgrade_plan.copy()
    for col in ("u", "v"):
        if col in up_rows:
            up_rows[col] = up_rows[col].astype(str)
    lev = _levers_of(c, "upgrade")
    items = [_lever_sentence(row) for _, row in lev.iterrows()]
    resp = []
    for _key, row in lev.iterrows():
        for k, v in row.items():
            if str(k).startswith("avoided:") and pd.notna(v) and abs(float(v)) > 0:
                resp.append(
                    _t(
                        f"{row['name']}（{_fmt(float(row['size']), 0)} 公里）在“{str(k).split(':', 1)[1]}”情景中避免增加值损失 {_fmt(float(v))} 亿元（中心情景）。",
                        f"{row['name']} ({_fmt(float(row['size']), 0)} km) avoids {_fmt(float(v))} × 1e8 CNY of value-added "
                        f"loss in '{str(k).split(':', 1)[1]}' (central draw).",
                    )
                )
    return [
        Paragraph(
            _t(
                f"（三）运输通道：网络阶段在 {_fmt(float(up.get('budget_km', 0) or 0), 0)} 公里预算内升级 {up.get('chosen', 0)} 条线路，"
                f"最不利情景下的最小割由 {_fmt(float(up.get('worst_case_cut_before', float('nan'))))} 提高到 {_fmt(float(up.get('worst_case_cut_after', float('nan'))))}。"
                "冲击模型中设有运输层：省际贸易可达性按受损（及升级后）铁路网的剩余容量与绕行路径计算，通道中断时贸易下降，升级绕行线路则恢复贸易。",
                f"(3) Transport corridors: the network stage upgrades {up.get('chosen', 0)} links within "
                f"{_fmt(float(up.get('budget_km', 0) or 0), 0)} km, raising the worst-case min cut from "
                f"{_fmt(float(up.get('worst_case_cut_before', float('nan'))))} to "
                f"{_fmt(float(up.get('worst_case_cut_after', float('nan'))))} train paths/day. The shock model has a "
                "transport layer: trade between two provinces follows the surviving capacity and detours of "
                "the damaged (and upgraded) rail network, so a cut corridor reduces trade and an upgrade of the "
                "detour restores it.",
            )
        ),
        Table(
            up_rows,
            _t("表5 网络阶段的通道升级", "Table 5. Corridor upgrades of the network stage"),
            "corridor_upgrades",
        ),
        *c.fig("map_upgrades", "图5 通道升级方案", "Figure 5. Corridor upgrade plan"),
        *([Bullets(tuple(resp + items))] if resp or items else []),
    ]


def _band(lo: float, hi: float, digits: int = 1) -> str:
    return f"[{_fmt(lo, digits)}, {_fmt(hi, digits)}]"


def _portfolio_table(pf: pd.DataFrame) -> pd.DataFrame:
    """Compact display of the plans' net benefit (the full table goes to Excel)."""
    if not len(pf):
        return pf
    return pd.DataFrame(
        {
            "levers": pf["levers"].astype(int),
            "annual cost": pf["annual_cost"],
            "expected benefit": pf["expected_annual_benefit"],
            "net benefit": pf["net_benefit"],
            "net, 5–95 %": [
                _band(a, b) for a, b in zip(pf["net_benefit_p05"], pf["net_benefit_p95"], strict=True)
            ],
            "B/C": pf["benefit_cost_ratio"],
            "pays": ["yes 划算" if p else "no 不划算" for p in pf["pays"]],
        },
        index=pf.index,
    )


def _scenario_table(sc: pd.DataFrame) -> pd.DataFrame:
    """Compact display of the avoided loss by scenario and plan."""
    if not len(sc):
        return sc
    df = sc.reset_index()
    out = pd.DataFrame(
        {
            "scenario": df["scenario"],
            "plan": df["arm"],
            "p/yr": [f"{p:g}" for p in df["probability"]],
            "baseline loss": df["loss_baseline_mean"],
            "avoided, mean": df["avoided_mean"],
            "median": df["avoided_median"],
            "5–95 %": [_band(a, b) for a, b in zip(df["avoided_p05"], df["avoided_p95"], strict=True)],
            "P(hurts)": [f"{p:.2f}" for p in df["prob_hurts"]],
            "unmet FD avoided": df["avoided_fd_mean"],
        }
    )
    return out.sort_values(["scenario", "plan"]).set_index(["scenario", "plan"])


def _lever_table(lev: pd.DataFrame) -> pd.DataFrame:
    """Compact display of each lever alone."""
    mult = lev["break_even_multiple"].astype(float)
    out = pd.DataFrame(
        {
            "kind": lev["kind"].to_numpy(),
            "name": lev["name"].to_numpy(),
            "size": [f"{s:,.0f} {u}" for s, u in zip(lev["size"], lev["unit"], strict=True)],
            "annual cost": lev["annual_cost"].to_numpy(dtype=float),
            "benefit": lev["expected_annual_benefit"].to_numpy(dtype=float),
            "net": lev["net_benefit"].to_numpy(dtype=float),
            "break-even ×p": [_fmt(m, 1) if math.isfinite(m) else "never" for m in mult],
            "pays": ["yes" if p else "no" for p in lev["pays"]],
        }
    )
    out.index = pd.Index(range(1, len(lev) + 1), name="#")
    return out


def _joint_part(c: _Ctx) -> list[Block]:
    blocks: list[Block] = []
    pf, sc = c.pf, c.sc
    rec = c.a.recommended
    t_port, t_sc = _portfolio_table(pf), _scenario_table(sc)
    statements: list[Text] = []
    for arm in c.arms:
        row = pf.loc[arm]
        s = sc.xs(arm, level="arm")
        hurts = s[s["avoided_median"] < -1e-9 * max(1.0, float(s["loss_baseline_mean"].abs().max()))]
        pays = bool(row["pays"])
        statements.append(
            _t(
                f"{ARM_ZH[arm]}（{int(row['levers'])} 项措施）：年期望收益 {_fmt(float(row['expected_annual_benefit']), 2)} 亿元，年化成本 "
                f"{_fmt(float(row['annual_cost']), 2)} 亿元，年净收益 {_fmt(float(row['net_benefit']), 2)} 亿元"
                f"（参数不确定性 5–95%：{_fmt(float(row['net_benefit_p05']), 2)} ～ {_fmt(float(row['net_benefit_p95']), 2)}），"
                f"{'划算' if pays else '不划算'}。"
                + (
                    f"它使以下情景的中位损失上升：{'、'.join(hurts.index)}。"
                    if len(hurts)
                    else "没有情景的中位损失因其上升。"
                ),
                f"{ARM_EN[arm].capitalize()} ({int(row['levers'])} lever{'s' if int(row['levers']) != 1 else ''}): expected benefit "
                f"{_fmt(float(row['expected_annual_benefit']), 2)} × 1e8 CNY/yr, annual cost {_fmt(float(row['annual_cost']), 2)}, "
                f"net {_fmt(float(row['net_benefit']), 2)} (5–95 % over the parameter draws: "
                f"{_fmt(float(row['net_benefit_p05']), 2)} to {_fmt(float(row['net_benefit_p95']), 2)}): it "
                f"{'pays' if pays else 'does not pay'}. "
                + (
                    f"It raises the median loss of {', '.join(hurts.index)}."
                    if len(hurts)
                    else "It raises the median loss of no scenario."
                ),
            )
        )
    if rec.is_empty:
        paying = []
        statements.append(
            _t(
                "单项筛选的结论：在当前的情景概率和成本下，没有任何一项措施的年期望收益超过其年化成本，因此推荐组合为空——"
                "不建议按拟议规划投资；表8给出每项措施在何种概率倍数下才会划算，供决策者对照自己的风险判断。",
                "Screening: at these scenario probabilities and costs no lever's expected annual benefit exceeds its "
                "annual cost, so the recommended portfolio is empty — investing in the proposed plan is not "
                "recommended on these numbers; Table 8 gives the probability multiple at which each lever "
                "would break even, to set against the planner's own view of the risks.",
            )
        )
    else:
        paying = list(rec.keys)
        statements.append(
            _t(
                f"推荐组合只保留单独评估时划算的措施：{'、'.join(str(c.lev.loc[k, 'name']) for k in paying)}。",
                f"The recommended portfolio keeps the levers that pay on their own: "
                f"{', '.join(str(c.lev.loc[k, 'name']) for k in paying)}.",
            )
        )
    blocks.append(
        Paragraph(
            _t(
                "（四）联合评估：每个情景的中心情景和配对抽样都同时模拟无规划基线与规划方案（同一冲击、同一参数），"
                "以避免的增加值损失（含未重建资本，不以超常产出抵减其他损失，扣除储备补库成本）衡量，再按年发生概率加权并扣除年化成本。",
                "(4) Joint assessment: the central case and every paired draw of each scenario simulate the "
                "baseline and the plans with the same shock and the same parameters; the plan is judged by the "
                "value-added loss it avoids (capital still unrebuilt included, output above normal never netted "
                "against losses elsewhere, reserve restocking deducted), weighted by the annual probabilities and "
                "net of the annualised cost.",
            )
        )
    )
    blocks.append(Bullets(tuple(statements)))
    blocks.append(
        Table(
            t_port,
            _t("表6 规划方案的年净收益（亿元/年）", "Table 6. Net benefit of the plans (1e8 CNY/yr)"),
            "portfolio",
        )
    )
    blocks.append(
        Table(
            t_sc,
            _t(
                "表7 各情景避免的损失（亿元，5–95% 区间，规划使损失上升的概率）",
                "Table 7. Loss avoided by scenario (1e8 CNY; 5–95 % range; probability that the plan raises the loss)",
            ),
            "avoided_by_scenario",
            max_rows=20,
            excel=sc,
        )
    )
    blocks += c.fig(
        "avoided",
        "图6 各情景、各抽样避免的增加值损失",
        "Figure 6. Value-added loss avoided, by scenario and draw",
    )
    blocks += c.fig(
        "curves",
        "图7 有无规划的日增加值损失（中心情景与 5–95% 区间）",
        "Figure 7. Daily value added lost with and without the plans (central draw, 5–95 % band)",
    )
    if len(c.lev):
        blocks.append(
            Table(
                _lever_table(c.lev),
                _t(
                    "表8 各项措施单独评估（中心情景，亿元/年）",
                    "Table 8. Each lever alone (central draw, 1e8 CNY/yr)",
                ),
                "levers",
                max_rows=20,
                excel=c.lev,
            )
        )
        blocks += c.fig(
            "payback",
            "图8 各项措施的年期望收益与年化成本",
            "Figure 8. Expected annual benefit and annual cost of each lever",
        )
    return blocks


def _recommendations(c: _Ctx) -> Section:
    return Section(
        _t("四、政策建议", "4. Recommendations"),
        (*_reserves_part(c), *_backup_part(c), *_corridor_part(c), *_joint_part(c)),
    )


def _methods(c: _Ctx) -> Section:
    d = c.a.design
    return Section(
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
                    "Reserves: location set covering (LSCP, Toregas et al. 1971) under historic hazard footprints; stock sized for the commodity's surge days.",
                )
            ),
            Paragraph(
                _t(
                    "产业备份：两阶段随机混合整数规划（样本平均近似），第一阶段建基地与产能，第二阶段在冲击情景下调配。",
                    "Backup bases: two-stage stochastic MILP (sample average approximation): the first stage opens bases and sizes capacity, the second meets chain demand in each shock.",
                )
            ),
            Paragraph(
                _t(
                    "动态冲击：ARIO 适应性区域投入产出模型（Hallegatte 2008；BoARIO 形式），日步长，库存、超常生产、配给与按产能改派订单。三类措施的机制如下。",
                    "Dynamic shocks: the adaptive regional input-output model ARIO (Hallegatte 2008; BoARIO formulation), daily, with stocks, overproduction, rationing and orders re-routed by capacity. The three levers act as follows.",
                )
            ),
            Equation(
                r"x^{cap}_f = \alpha_f (1-\Delta_f) x_{0,f} + a_f(t)(1-\Delta_f) K_f,\quad a_f(t) = a_f(t-1) + \mathrm{clip}(\sigma_{i(f)}(t-L_f) - a_f(t-1), \pm 1/R_f)",
                _t(
                    "备份产能：短缺信号 σ 触发，时滞 L、爬坡 R，随所在地受损",
                    "backup lines: triggered by the shortfall signal σ, lag L, ramp R, damaged with their province",
                ),
            ),
            Equation(
                r"\sigma_i(t) = \left[1 - \frac{\sum_r (1-\Delta_{(r,i)}) x_{0,(r,i)}}{\sum_r x_{0,(r,i)}} > \theta\right]",
                _t(
                    f"产品 i 的全国供给缺口信号（θ = {c.cfg['backup']['trigger']:g}，含进口）",
                    f"national supply shortfall of product i (θ = {c.cfg['backup']['trigger']:g}, imports included)",
                ),
            ),
            Equation(
                r"q_s = \min\left(U^{hh}_s + \sum_{g\in s} U^g,\ \bar q_s,\ V_s\right),\quad V_s \leftarrow V_s - q_s",
                _t(
                    "储备投放：按居民与关键用户短缺、投放上限与库存取小",
                    "reserve release: the shortfall of households and critical users, capped by the surge rate and the stock",
                ),
            ),
            Equation(
                r"e_{rs} = \min\left(1,\ \frac{F'_{rs}}{u\,F_{rs}}\right)",
                _t(
                    f"运输层：省际贸易可达性 = 受损（及升级后）网络的省际最大流 / 完好网络的最大流（u = {d.utilisation:g}）",
                    "transport layer: trade eligibility = pairwise max-flow on the damaged (and upgraded) network over the intact one",
                ),
            ),
            Equation(
                r"L = \sum_t\sum_f v_f \max\left(0, 1 - \frac{x^a_f(t)}{x_{0,f}}\right) + K^{left}(T),\quad A = L_0 - L_{plan} - R + \lambda R^{hh}",
                _t(
                    f"损失与避免的损失（不以超常产出抵减；扣除补库 R；居民所得按 λ = {d.shortage_value:g} 计价）",
                    "loss and avoided loss (no netting of above-normal output; restocking R deducted; what households receive valued at λ)",
                ),
            ),
            Equation(
                r"NB = \sum_s p_s \bar A_s - \sum_k \left(\frac{r}{1-(1+r)^{-n_k}} + \omega_k\right) I_k",
                _t(
                    f"年净收益：概率加权的避免损失减年化成本（社会折现率 r = {c.cfg['costs']['discount_rate']:g}）",
                    "annual net benefit: probability-weighted avoided loss minus annualised cost",
                ),
            ),
            Paragraph(
                _t(
                    f"不确定参数（每个抽样一组，所有情景共用，中心情景取名义值）：ψ ∈ {d.psi}、τ_α ∈ {d.alpha_tau_days} 天、库存天数倍数 ∈ {d.stock_scale}、"
                    f"重建时间倍数 ∈ {d.rebuild_tau_scale}，{d.priority_share:.0%} 的抽样采用优先配给；另加各情景自身的冲击强度抽样。",
                    f"Uncertain parameters (one set per draw, shared by every scenario; nominal on the central draw): ψ in {d.psi}, "
                    f"τ_α in {d.alpha_tau_days} days, stock-days multiplier in {d.stock_scale}, reconstruction-time multiplier in "
                    f"{d.rebuild_tau_scale}; {d.priority_share:.0%} of the draws use priority rationing; plus each scenario's own shock multipliers.",
                )
            ),
            *(Paragraph(_t(n, n)) for n in c.o.notes),
        ),
        appendix=True,
    )


def _calibration(c: _Ctx) -> Section | None:
    cal = c.o.calibration
    if cal is None or not len(cal):
        return None
    ok = bool(cal["inside"].all())
    return Section(
        _t("附录B 模型校准：2008年汶川地震", "Appendix B. Calibration: the 2008 Wenchuan earthquake"),
        (
            Paragraph(
                _t(
                    "“区域灾害”情景按汶川地震校准：四川实际GDP相对西部对照省份（重庆、贵州、云南、广西、青海、宁夏）的水平缺口（双重差分，安慰剂区间），"
                    "以及2008年第二季度增速（4.6%，一季度14.5%）。模型的生命线冲击（15%，20天）和重建物资全国采购（对口支援）据此选定；"
                    f"{'全部检验落在观测区间内' if ok else '部分检验落在观测区间外（见表）'}。",
                    "The regional-disaster scenario is calibrated on the Wenchuan earthquake: the level gap of "
                    "Sichuan's real GDP against western comparison provinces (Chongqing, Guizhou, Yunnan, Guangxi, "
                    "Qinghai, Ningxia; difference in differences with placebo bands) and the growth of Q2 2008 "
                    "(4.6 % against 14.5 % in Q1). The lifeline cut (15 % for 20 days) and the national sourcing of "
                    "reconstruction goods (paired assistance) were chosen on them; "
                    f"{'every check lies inside the observed range' if ok else 'some checks lie outside the observed range (table)'}.",
                )
            ),
            Table(
                cal.set_index(["name", "period"]),
                _t("校准检验（%）", "Calibration checks (%)"),
                "calibration",
            ),
        ),
        appendix=True,
    )


def _parameters(c: _Ctx) -> Section:
    o = c.o
    timing = pd.DataFrame({"seconds": pd.Series(o.timings)}).round(1)
    timing.index.name = "stage"
    src = assessment_sources()[["value", "unit", "source", "confidence"]].copy()
    src["source"] = src["source"].astype(str).map(lambda v: v if len(v) <= 90 else v[:87] + "…")
    return Section(
        _t("附录C 参数与运行记录", "Appendix C. Parameters and run record"),
        (
            Paragraph(
                _t(
                    f"运行编号 {o.run_id}，结果库 {o.store}，代码版本 {code_version()}。",
                    f"Run id {o.run_id}, store {o.store}, code version {code_version()}.",
                )
            ),
            Table(timing, _t("各阶段用时（秒）", "Stage timings (s)"), "timings"),
            Table(
                src,
                _t(
                    "评估参数及其来源（成本、概率、不确定范围）",
                    "Assessment parameters and their sources (costs, probabilities, ranges)",
                ),
                "assessment_sources",
                max_rows=40,
            ),
            Table(
                _flat_config(c.cfg.to_dict()),
                _t("规划配置（全部参数）", "Plan configuration (every key)"),
                "config",
                max_rows=90,
            ),
        ),
        appendix=True,
    )


def _sources(c: _Ctx) -> Section:
    ds = load_china()
    src = ds.sources.reset_index() if ds.sources.index.name else ds.sources
    cols = [col for col in ("source_id", "agency", "title", "vintage") if col in src.columns]
    src = src[cols].copy()
    for col in cols[1:]:
        src[col] = src[col].astype(str).map(lambda v: v if len(v) <= 60 else v[:57] + "…")
    return Section(
        _t("附录D 数据来源", "Appendix D. Data sources"),
        (Table(src.set_index(cols[0]), _t("数据来源", "Data sources"), "sources", max_rows=80),),
        appendix=True,
    )


def build_plan_document(o: PlanStudy, figures: Mapping[str, Path]) -> AdvisoryDocument:
    """The advisory report (background, situation, problems, recommendations, appendices)."""
    c = _Ctx(o, figures)
    sections = [_background(c), _situation(c), _problems(c), _recommendations(c), _methods(c)]
    cal = _calibration(c)
    if cal is not None:
        sections.append(cal)
    sections += [_parameters(c), _sources(c)]
    return AdvisoryDocument(
        title=_t("国家战略腹地建设规划评估报告", "Strategic hinterland plan: assessment report"),
        subtitle=_t(
            f"{c.cfg['title']} · 储备、备份与通道的联合评估",
            f"{c.cfg['title']} · reserves, backup and corridors judged together",
        ),
        sections=tuple(sections),
    )
