"""``hinterland network``: run the network analyses on the bundled or a user network and write outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.containers import TransportNetwork
from hinterland.datasets import check_network, load_china, load_china_network, read_network_files
from hinterland.errors import ConfigError
from hinterland.figures import attack_chart, choropleth, network_map, save_figure
from hinterland.network import (
    accessibility,
    aggregate_by_region,
    attack_curve,
    components,
    global_efficiency,
    min_cut,
    n1_edges,
    n1_nodes,
    nk_greedy,
    plan_upgrades,
    robustness_index,
    travel_time_matrix,
)

__all__ = ["load_network", "network_travel_times", "write_network_report"]

Progress = Callable[[str], None]


def load_network(
    year: int | None = None, level: str = "city", nodes: Path | None = None, edges: Path | None = None
) -> TransportNetwork:
    """The bundled network (``year``, ``level``) or the user's node/edge files (checked on reading)."""
    if (nodes is None) != (edges is None):
        raise ConfigError("give both --nodes and --edges, or neither (to use the bundled network)")
    if nodes is not None and edges is not None:
        net = read_network_files(nodes, edges)
        if year is not None:
            net = net.as_of(year)
        return aggregate_by_region(net) if level == "province" else net
    return load_china_network(year, level)


def network_travel_times(year: int | None = None, level: str = "city") -> pd.DataFrame:
    """Labelled node x node shortest travel times (hours) on the bundled network, for the reserves and
    backup models (city: census city codes; province: adcodes)."""
    return travel_time_matrix(load_china_network(year, level))


def _role_groups(net: TransportNetwork, src: str, dst: str) -> tuple[list[object], list[object]]:
    roles = load_china().regions.table["role"]
    node_role = net.nodes["region"].map(roles)
    a = net.nodes.index[node_role.isin(src.split(","))].tolist()
    b = net.nodes.index[node_role.isin(dst.split(","))].tolist()
    return a, b


def write_network_report(
    out: Path,
    *,
    year: int | None = None,
    level: str = "city",
    nodes: Path | None = None,
    edges: Path | None = None,
    budget: float | None = None,
    k: int = 5,
    draws: int = 20,
    max_fraction: float = 0.3,
    seed: int = 0,
    source_role: str = "core,hinterland",
    sink_role: str = "front",
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Write accessibility, criticality (N-1 links and nodes, greedy N-k), the min cut between the
    ``source_role`` and ``sink_role`` provinces (comma-separated roles), attack curves, an upgrade plan
    when ``budget`` is given,
    the travel-time matrix, an Excel workbook, ``summary.json`` and three PNG maps/charts into ``out``."""
    say = progress or (lambda _msg: None)
    net = load_network(year, level, nodes, edges)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    names = net.nodes["name"]

    def put(key: str, df: pd.DataFrame, index: bool = False) -> None:
        path = out / f"{key}.csv"
        df.to_csv(path, index=index)
        files[key] = path

    say("travel times and accessibility")
    put("travel_times", travel_time_matrix(net), index=True)
    acc = accessibility(net)
    acc.insert(0, "name", names)
    acc.insert(1, "region", net.nodes["region"])
    acc.insert(2, "pop", net.nodes["pop"])
    put("accessibility", acc.reset_index())
    say("N-1 links")
    crit = n1_edges(net)
    put("criticality_links", crit)
    say("N-1 nodes")
    crit_nodes = n1_nodes(net)
    put("criticality_nodes", crit_nodes)
    say(f"N-{k} greedy")
    nk = nk_greedy(net, min(k, len(net.edges)))
    put("criticality_nk", nk)
    say("min cut")
    a, b = _role_groups(net, source_role, sink_role)
    summary: dict[str, object] = {
        "level": net.level,
        "year": net.year,
        "nodes": len(net.nodes),
        "edges": len(net.edges),
        "efficiency_per_h": global_efficiency(net),
        "components": [len(c) for c in components(net)],
        "warnings": [str(p) for p in check_network(net)],
    }
    cut = None
    if a and b:
        cut = min_cut(net, a, b)
        cut_table = cut.cut.assign(
            u_name=names.reindex(cut.cut["u"]).to_numpy(), v_name=names.reindex(cut.cut["v"]).to_numpy()
        )
        put("min_cut", cut_table)
        summary["min_cut"] = {"from": source_role, "to": sink_role, "value": cut.value, "links": len(cut.cut)}
    else:
        summary["min_cut"] = f"skipped: no nodes with role {source_role!r} or {sink_role!r} (region column)"
    say("attack curves")
    curves = {
        s: attack_curve(net, s, max_fraction=max_fraction, draws=draws, seed=seed)
        for s in ("random", "degree", "betweenness")
    }
    put("attack_curves", pd.concat([c.assign(strategy=s) for s, c in curves.items()], ignore_index=True))
    summary["robustness_R"] = {
        s: {"giant": robustness_index(c), "efficiency": robustness_index(c, "efficiency_rel")}
        for s, c in curves.items()
    }
    if budget is not None and cut is not None:
        say("upgrade plan")
        cand = crit.head(40)[["u", "v", "capacity"]].rename(columns={"capacity": "add_capacity"})
        cand = pd.concat([cand, cut.cut[["u", "v", "capacity"]].rename(columns={"capacity": "add_capacity"})])
        cand = cand.drop_duplicates(["u", "v"]).reset_index(drop=True)
        lengths = (
            net.edges.assign(
                a=np.minimum(net.edges["u"], net.edges["v"]), b=np.maximum(net.edges["u"], net.edges["v"])
            )
            .groupby(["a", "b"])["length_km"]
            .min()
        )
        cand["cost"] = [
            float(lengths.get((min(u, v), max(u, v)), 100.0))
            for u, v in zip(cand["u"], cand["v"], strict=True)
        ]
        worst = (
            nk["edges"]
            .head(min(3, len(nk)))
            .str.split(";")
            .explode()
            .astype(net.edges["edge"].dtype)
            .tolist()
        )
        plan = plan_upgrades(net, a, b, cand, budget, scenarios=[(), tuple(worst)], time_limit=60)
        put(
            "upgrade_plan",
            plan.chosen.assign(
                u_name=names.reindex(plan.chosen["u"]).to_numpy(),
                v_name=names.reindex(plan.chosen["v"]).to_numpy(),
            ),
        )
        summary["upgrade"] = {
            "budget_km": budget,
            "worst_case_cut_before": plan.value_before,
            "worst_case_cut_after": plan.value_after,
            "chosen": len(plan.chosen),
            "scenarios": "intact; greedy N-3 links failed",
            "cost": "track-km of the link (upgrade doubles its capacity)",
        }
    say("figures")
    geo = load_china().geography.features
    title_year = f", as of {net.year}" if net.year else ""
    fig = network_map(
        net.nodes,
        crit,
        geo,
        title=f"Link criticality: efficiency loss when cut{title_year}",
        unit="efficiency loss, % of intact",
        source_note="Data: Ma & Tang (2024), RailwayVIS; "
        "census 2020. Method: N-1 efficiency loss (Latora & Marchiori 2001).",
    )
    files["map_criticality"] = save_figure(fig, out / "map_criticality.png")
    popw = (
        acc.dropna(subset=["avg_time_h"])
        .groupby("region")
        .apply(
            lambda g: float(np.average(g["avg_time_h"], weights=g["pop"])) if g["pop"].sum() > 0 else np.nan,
            include_groups=False,
        )
    )
    fig = choropleth(
        geo,
        popw.astype(float),
        title=f"Accessibility: mean travel time to the population{title_year}",
        unit="hours (population-weighted)",
        cmap="YlGnBu",
        source_note="Mean over the province's cities of the population-weighted average rail time.",
    )
    files["map_accessibility"] = save_figure(fig, out / "map_accessibility.png")
    files["attack_curves_png"] = save_figure(
        attack_chart(curves, title="Attack and failure curves"), out / "attack_curves.png"
    )
    with pd.ExcelWriter(out / "network_report.xlsx") as xl:
        for key in (
            "accessibility",
            "criticality_links",
            "criticality_nodes",
            "criticality_nk",
            "min_cut",
            "attack_curves",
            "upgrade_plan",
        ):
            if key in files:
                pd.read_csv(files[key]).to_excel(xl, sheet_name=key[:31], index=False)
    files["excel"] = out / "network_report.xlsx"
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    files["summary"] = out / "summary.json"
    return files
