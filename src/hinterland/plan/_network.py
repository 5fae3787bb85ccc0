"""The network study: accessibility, criticality, the min cut and corridor upgrades, in memory.

:func:`run_network` runs the analyses on the bundled or a user network and returns a
:class:`NetworkStudy` (tables, summary, attack curves, the upgrade plan);
``hinterland.report.write_network`` writes its CSVs, workbook, summary and maps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import TransportNetwork
from hinterland.datasets import check_network, load_china, load_china_network, read_network_files
from hinterland.errors import ConfigError
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

__all__ = [
    "NETWORK_OBJECTIVES",
    "NetworkStudy",
    "load_network",
    "network_travel_times",
    "parse_network_scenarios",
    "run_network",
]

NETWORK_OBJECTIVES = ("mincut", "travel-time")
ATTACKS = ("random", "degree", "betweenness")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class NetworkStudy:
    """A finished network study.

    ``tables`` (as written to CSV): travel_times (node × node hours, indexed), accessibility,
    criticality_links, criticality_nodes, criticality_nk, attack_curves and when they apply min_cut,
    upgrade_plan and upgrade_scenarios; ``summary``: the figures ``summary.json`` holds; ``curves``:
    attack curves by strategy; ``upgrade_value``: the upgrade plan's map column and unit."""

    network: TransportNetwork
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    curves: dict[str, pd.DataFrame]
    objective: str
    budget: float | None
    upgrade_value: tuple[str, str] | None = None
    source_role: str = "core,hinterland"
    sink_role: str = "front"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def upgrade_plan(self) -> pd.DataFrame:
        """The chosen upgrades (u, v, cost km, ...); empty without a budget."""
        return self.tables.get("upgrade_plan", pd.DataFrame(columns=["u", "v", "cost"]))

    @property
    def min_cut_value(self) -> float:
        """The min cut between the source- and sink-role provinces (train paths/day; NaN if skipped)."""
        mc = self.summary.get("min_cut")
        return float(mc["value"]) if isinstance(mc, dict) else float("nan")


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


def parse_network_scenarios(
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


def run_network(
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
) -> NetworkStudy:
    """Accessibility, criticality (N-1 links and nodes, greedy N-k), the min cut between the
    ``source_role`` and ``sink_role`` provinces (comma-separated roles), attack curves and, when
    ``budget`` is given, an upgrade plan (``objective`` ``mincut``: maximise the worst-case min cut;
    ``travel-time``: minimise the ``risk`` (expected or worst) population-weighted travel time from the
    source-role cities to the sink-role capitals, over ``scenarios``, see
    :func:`parse_network_scenarios`). ``mode``: ``rail``, ``road`` or ``all`` (bundled network: both
    modes; the min cut is then skipped and ``budget`` refused, the two modes' capacities being in
    different units)."""
    say = progress or (lambda _msg: None)
    if objective not in NETWORK_OBJECTIVES:
        raise ConfigError(f"--objective must be one of {NETWORK_OBJECTIVES}, got {objective!r}")
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
    tables: dict[str, pd.DataFrame] = {}
    names = net.nodes["name"]
    say("travel times and accessibility")
    tables["travel_times"] = travel_time_matrix(net)
    acc = accessibility(net)
    acc.insert(0, "name", names)
    acc.insert(1, "region", net.nodes["region"])
    acc.insert(2, "pop", net.nodes["pop"])
    tables["accessibility"] = acc.reset_index()
    say("N-1 links")
    crit = n1_edges(net)
    tables["criticality_links"] = crit
    say("N-1 nodes")
    tables["criticality_nodes"] = n1_nodes(net)
    say(f"N-{k} greedy")
    nk = nk_greedy(net, min(k, len(net.edges)))
    tables["criticality_nk"] = nk
    say("min cut")
    a, b = _role_groups(net, source_role, sink_role)
    summary: dict[str, Any] = {
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
        tables["min_cut"] = cut.cut.assign(
            u_name=names.reindex(cut.cut["u"]).to_numpy(), v_name=names.reindex(cut.cut["v"]).to_numpy()
        )
        summary["min_cut"] = {"from": source_role, "to": sink_role, "value": cut.value, "links": len(cut.cut)}
    else:
        summary["min_cut"] = f"skipped: no nodes with role {source_role!r} or {sink_role!r} (region column)"
    say("attack curves")
    curves = {s: attack_curve(net, s, max_fraction=max_fraction, draws=draws, seed=seed) for s in ATTACKS}
    tables["attack_curves"] = pd.concat([c.assign(strategy=s) for s, c in curves.items()], ignore_index=True)
    summary["robustness_R"] = {
        s: {"giant": robustness_index(c), "efficiency": robustness_index(c, "efficiency_rel")}
        for s, c in curves.items()
    }
    upgrade_value = None
    if budget is not None:
        say(f"upgrade plan ({objective})")
        upgrade_value = _upgrade_plan(
            net, tables, summary, cut, a, b, budget, objective, scenarios, risk, source_role, sink_role
        )
    return NetworkStudy(
        net, tables, summary, curves, objective, budget, upgrade_value, source_role, sink_role
    )


def _upgrade_plan(
    net: TransportNetwork,
    tables: dict[str, pd.DataFrame],
    summary: dict[str, Any],
    cut: Any,
    a: list[object],
    b: list[object],
    budget: float,
    objective: str,
    scenarios: str,
    risk: str,
    source_role: str,
    sink_role: str,
) -> tuple[str, str]:
    """The upgrade plan of ``objective`` into ``tables`` (upgrade_plan, upgrade_scenarios) and
    ``summary["upgrade"]``; returns the map column and unit of the chosen links."""
    names = net.nodes["name"]
    crit, nk = tables["criticality_links"], tables["criticality_nk"]
    cand = _candidates(net, crit, cut.cut if cut is not None else None)
    snames, sfailed, sweights = parse_network_scenarios(net, scenarios, crit, nk)
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
        tables["upgrade_plan"] = plan.chosen.assign(**name_cols)
        tables["upgrade_scenarios"] = plan.scenario_flows.assign(name=snames)
        summary["upgrade"] = {
            "objective": "mincut",
            "budget_km": budget,
            "worst_case_cut_before": plan.value_before,
            "worst_case_cut_after": plan.value_after,
            "chosen": len(plan.chosen),
            "scenarios": snames,
            "solver": {"status": plan.status, "gap": plan.gap, "seconds": plan.seconds},
            "cost": "km of the link (upgrade doubles its capacity)",
        }
        return ("add_capacity", "added capacity (train paths/day)")
    else:
        if not a or not b:
            raise ConfigError(
                f"--objective travel-time needs nodes with roles {source_role!r} (origins) and "
                f"{sink_role!r} (hubs). Fix: use the bundled network or province adcodes in 'region'."
            )
        d = tables["travel_times"]
        hubs = _hubs(net, b)
        dropped = [h for h in hubs if not np.isfinite(d.loc[a, h]).any()]
        hubs = [h for h in hubs if h not in dropped]
        tplan = plan_travel_time_upgrades(
            net, a, hubs, cand, budget, sfailed, scenario_weights=sweights, risk=risk, time_limit=120,
            mip_gap=1e-3,
        )  # fmt: skip
        chosen = tplan.chosen.assign(**name_cols)
        chosen["time_before_h"] = [float(d.at[u, v]) for u, v in zip(chosen["u"], chosen["v"], strict=True)]
        tables["upgrade_plan"] = chosen
        tables["upgrade_scenarios"] = tplan.scenarios.assign(name=snames)
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
        return ("cost", "upgrade length (km)")
