"""``hinterland network``: run the network analyses on the bundled or a user network and write outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.containers import TransportNetwork
from hinterland.datasets import check_network, load_china, load_china_network, read_network_files
from hinterland.errors import ConfigError
from hinterland.figures import attack_chart, choropleth, network_map, save_figure, upgrade_map
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
    plan_travel_time_upgrades,
    plan_upgrades,
    robustness_index,
    travel_time_matrix,
)

__all__ = ["OBJECTIVES", "load_network", "network_travel_times", "parse_scenarios", "write_network_report"]

OBJECTIVES = ("mincut", "travel-time")

Progress = Callable[[str], None]


def load_network(
    year: int | None = None,
    level: str = "city",
    nodes: Path | None = None,
    edges: Path | None = None,
    mode: str = "rail",
) -> TransportNetwork:
    """The bundled network (``year``, ``level``, ``mode``) or the user's node/edge files (checked on
    reading; ``mode`` then selects edges by their ``mode`` column unless it is ``all``)."""
    if (nodes is None) != (edges is None):
        raise ConfigError("give both --nodes and --edges, or neither (to use the bundled network)")
    if nodes is not None and edges is not None:
        net = read_network_files(nodes, edges)
        if mode != "all":
            keep = net.edges["mode"].astype(str) == mode
            if not keep.any():
                found = sorted(set(net.edges["mode"].astype(str)))
                raise ConfigError(
                    f"{edges}: no edge has mode {mode!r} (the file has {found}). "
                    "Fix: pass --mode all or one of those modes."
                )
            net = replace(net, edges=net.edges[keep.to_numpy()].reset_index(drop=True))
        if year is not None:
            net = net.as_of(year)
        return aggregate_by_region(net) if level == "province" else net
    return load_china_network(year, level, mode)


def _mixed_capacity_units(net: TransportNetwork) -> bool:
    """Both bundled modes loaded: rail capacities are train paths/day, road ones pcu/day."""
    return {"rail", "road"} <= set(net.edges["mode"].astype(str))


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


def parse_scenarios(
    net: TransportNetwork, spec: str, crit: pd.DataFrame, nk: pd.DataFrame
) -> tuple[list[str], list[tuple[object, ...]], list[float]]:
    """Disruption scenarios from ``spec``: comma-separated ``intact``, ``n1:K`` (the K most critical
    links of the N-1 table, one scenario each, all parallel edges of the link failed), ``nk:K`` (the
    first K links of the greedy N-k set failed together) or the path of a CSV file with columns
    ``scenario, edge`` (optional ``weight``). Returns names, failed edge ids and weights (default 1)."""
    names: list[str] = []
    failed: list[tuple[object, ...]] = []
    weights: list[float] = []
    dtype = net.edges["edge"].dtype

    def ids(text: str) -> tuple[object, ...]:
        return tuple(pd.Series(text.split(";")).astype(dtype).tolist())

    for token in (t.strip() for t in spec.split(",") if t.strip()):
        kind, _, num = token.partition(":")
        if token == "intact":
            names.append("intact")
            failed.append(())
            weights.append(1.0)
        elif kind in ("n1", "nk") and num.isdigit() and int(num) >= 1:
            table = crit if kind == "n1" else nk
            top = table.head(int(num))
            if kind == "n1":
                for r in top.itertuples():
                    names.append(
                        f"N-1 {r.u_name if 'u_name' in top else r.u}-{r.v_name if 'v_name' in top else r.v}"
                    )
                    failed.append(ids(str(r.edges)))
                    weights.append(1.0)
            else:
                names.append(f"greedy N-{len(top)}")
                failed.append(tuple(x for e in top["edges"] for x in ids(str(e))))
                weights.append(1.0)
        elif Path(token).suffix.lower() == ".csv":
            if not Path(token).is_file():
                raise ConfigError(f"--scenarios: file {token} not found. Fix: give an existing CSV path.")
            df = pd.read_csv(token)
            for col in ("scenario", "edge"):
                if col not in df.columns:
                    raise ConfigError(
                        f"{token}: column {col!r} missing (expected scenario, edge[, weight]). Fix: add it."
                    )
            for name, grp in df.groupby("scenario", sort=False):
                names.append(str(name))
                failed.append(tuple(grp["edge"].astype(dtype).tolist()))
                weights.append(float(grp["weight"].iloc[0]) if "weight" in grp else 1.0)
        else:
            raise ConfigError(
                f"--scenarios: cannot read {token!r}. Fix: use intact, n1:K, nk:K or a CSV file path, "
                "comma-separated (e.g. intact,n1:5,nk:3)."
            )
    if not failed:
        raise ConfigError("--scenarios is empty. Fix: give at least 'intact'.")
    return names, failed, weights


def _hubs(net: TransportNetwork, group: list[object]) -> list[object]:
    """Capital city of each province in ``group`` (``is_capital``, else its most populous node)."""
    sub = net.nodes.loc[group]
    hubs = []
    for _, grp in sub.groupby("region"):
        caps = grp.index[grp["is_capital"].astype(bool)] if "is_capital" in grp else grp.index[:0]
        hubs.append(caps[0] if len(caps) else grp["pop"].idxmax())
    return hubs


def _candidates(net: TransportNetwork, crit: pd.DataFrame, cut: pd.DataFrame | None) -> pd.DataFrame:
    """The 40 most critical links plus the min-cut links: capacity doubled (``add_capacity``), a
    hardened high-speed track (``time_h`` = min(current, length / 210 km/h)), cost = length (km)."""
    parts = [crit.head(40)[["u", "v", "capacity"]]]
    if cut is not None:
        parts.append(cut[["u", "v", "capacity"]])
    cand = pd.concat(parts).rename(columns={"capacity": "add_capacity"})
    cand = cand.drop_duplicates(["u", "v"]).reset_index(drop=True)
    e = net.edges.assign(
        a=np.minimum(net.edges["u"], net.edges["v"]), b=np.maximum(net.edges["u"], net.edges["v"])
    )
    lengths = e.groupby(["a", "b"])["length_km"].min()
    times = e.groupby(["a", "b"])["time_h"].min()
    key = [(min(u, v), max(u, v)) for u, v in zip(cand["u"], cand["v"], strict=True)]
    cand["cost"] = [float(lengths.get(k, 100.0)) for k in key]
    cand["time_h"] = [min(float(times.get(k, np.inf)), float(lengths.get(k, 100.0)) / 210.0) for k in key]
    return cand


def write_network_report(
    out: Path,
    *,
    year: int | None = None,
    level: str = "city",
    nodes: Path | None = None,
    edges: Path | None = None,
    mode: str = "rail",
    budget: float | None = None,
    objective: str = "mincut",
    scenarios: str = "intact,n1:5,nk:3",
    risk: str = "expected",
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
    when ``budget`` is given (``objective`` ``mincut``: maximise the worst-case min cut;
    ``travel-time``: minimise the ``risk`` (expected or worst) population-weighted travel time from the
    source-role cities to the sink-role capitals, over ``scenarios``, see :func:`parse_scenarios`),
    the travel-time matrix, an Excel workbook, ``summary.json`` and three PNG maps/charts into ``out``.
    ``mode``: ``rail``, ``road`` or ``all`` (bundled network: both modes; the min cut is then skipped
    and ``budget`` refused, the two modes' capacities being in different units)."""
    say = progress or (lambda _msg: None)
    if objective not in OBJECTIVES:
        raise ConfigError(f"--objective must be one of {OBJECTIVES}, got {objective!r}")
    net = load_network(year, level, nodes, edges, mode)
    if net.edges.empty:
        opens = pd.to_numeric(
            load_network(None, level, nodes, edges, mode).edges["year_open"], errors="coerce"
        )
        first = f" (the first opens in {int(opens.min())})" if opens.notna().any() else ""
        raise ConfigError(
            f"{net.name}: no link is open by {year}{first}, so there is nothing to analyse. "
            "Fix: pass a later --year."
        )
    mixed = nodes is None and _mixed_capacity_units(net)
    if budget is not None and objective == "travel-time" and nodes is None and mode == "road":
        raise ConfigError(
            "--objective travel-time upgrades links to high-speed rail track (210 km/h), which has no "
            "meaning for expressways. Fix: use --mode rail for travel-time upgrades, or --objective "
            "mincut with --mode road (an upgrade doubles a link's capacity)."
        )
    if mixed and budget is not None:
        raise ConfigError(
            "--budget with --mode all: rail capacities (train paths/day) and road capacities (pcu/day) are "
            "in different units, so the upgrade MILP cannot add them. Fix: plan upgrades with --mode rail "
            "or --mode road."
        )
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
    if mixed:
        summary["min_cut"] = (
            "skipped: rail (train paths/day) and road (pcu/day) capacities are in different units; "
            "run --mode rail or --mode road for the min cut"
        )
    elif a and b:
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
    plan_map = None
    if budget is not None:
        say(f"upgrade plan ({objective})")
        cand = _candidates(net, crit, cut.cut if cut is not None else None)
        snames, sfailed, sweights = parse_scenarios(net, scenarios, crit, nk)
        name_cols = {
            "u_name": lambda df: names.reindex(df["u"]).to_numpy(),
            "v_name": lambda df: names.reindex(df["v"]).to_numpy(),
        }
        if objective == "mincut":
            if cut is None:
                raise ConfigError(
                    f"--objective mincut needs nodes with roles {source_role!r} and {sink_role!r}. "
                    "Fix: use the bundled network or a region column with province adcodes."
                )
            plan = plan_upgrades(net, a, b, cand, budget, scenarios=sfailed, time_limit=60)
            put("upgrade_plan", plan.chosen.assign(**name_cols))
            put("upgrade_scenarios", plan.scenario_flows.assign(name=snames))
            summary["upgrade"] = {
                "objective": "mincut",
                "budget_km": budget,
                "worst_case_cut_before": plan.value_before,
                "worst_case_cut_after": plan.value_after,
                "chosen": len(plan.chosen),
                "scenarios": snames,
                "cost": "km of the link (upgrade doubles its capacity)",
            }
            plan_map = (plan.chosen, "add_capacity", "added capacity (train paths/day)")
        else:
            if not a or not b:
                raise ConfigError(
                    f"--objective travel-time needs nodes with roles {source_role!r} (origins) and "
                    f"{sink_role!r} (hubs). Fix: use the bundled network or province adcodes in 'region'."
                )
            d = travel_time_matrix(net)
            hubs = _hubs(net, b)
            dropped = [h for h in hubs if not np.isfinite(d.loc[a, h]).any()]
            hubs = [h for h in hubs if h not in dropped]
            tplan = plan_travel_time_upgrades(
                net,
                a,
                hubs,
                cand,
                budget,
                sfailed,
                scenario_weights=sweights,
                risk=risk,
                time_limit=120,
                mip_gap=1e-3,
            )
            chosen = tplan.chosen.assign(**name_cols)
            chosen["time_before_h"] = [
                float(d.at[u, v]) for u, v in zip(chosen["u"], chosen["v"], strict=True)
            ]
            put("upgrade_plan", chosen)
            put("upgrade_scenarios", tplan.scenarios.assign(name=snames))
            summary["upgrade"] = {
                "objective": "travel-time",
                "risk": risk,
                "budget_km": budget,
                "spent_km": tplan.spent,
                "chosen": len(tplan.chosen),
                "expected_time_before_h": tplan.expected_before,
                "expected_time_after_h": tplan.expected_after,
                "worst_time_before_h": tplan.worst_before,
                "worst_time_after_h": tplan.worst_after,
                "unreachable_h": tplan.unreachable_h,
                "origins": len(a),
                "hubs": [str(names.get(h, h)) for h in hubs],
                "hubs_left_out_unreachable": [str(names.get(h, h)) for h in dropped],
                "scenarios": snames,
                "solver": {
                    "status": tplan.status,
                    "gap": tplan.gap,
                    "seconds": tplan.seconds,
                    "columns_rows": list(tplan.size),
                },
                "cost": "track-km of the link (a hardened high-speed track, 210 km/h operating)",
            }
            chosen["saving_h"] = chosen["time_before_h"] - chosen["time_h"]
            plan_map = (chosen, "cost", "upgrade length (km)")
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
    if plan_map is not None:
        chosen_links, col, unit = plan_map
        fig = upgrade_map(
            net.nodes,
            crit,
            chosen_links,
            geo,
            value=col,
            title=f"Upgrade plan ({objective}, budget {budget:g} km){title_year}",
            unit=unit,
        )
        files["map_upgrades"] = save_figure(fig, out / "map_upgrades.png")
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
            "upgrade_scenarios",
        ):
            if key in files:
                pd.read_csv(files[key]).to_excel(xl, sheet_name=key[:31], index=False)
    files["excel"] = out / "network_report.xlsx"
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    files["summary"] = out / "summary.json"
    return files
