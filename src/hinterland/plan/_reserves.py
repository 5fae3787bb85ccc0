"""The reserves study: reserve-depot siting on the bundled China demand points (or a user instance).

Travel times on the bundled data: shortest paths on a proxy road graph (each city-level point joined
to its 5 nearest neighbours, great-circle km × 1.3 detour ÷ 60 km/h) united with the bundled rail
network (``load_china_network``, edge times as bundled) where its nodes are city points. Disruption
scenarios ``auto``: historic hazard footprints (earthquakes and floods) that cut every corridor with an
end inside and knock out the depots there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.datasets import (
    load_china_network,
    load_demand_points,
    read_location_files,
    read_table,
)
from hinterland.errors import ConfigError, HinterlandError, InfeasibleError, SchemaError
from hinterland.locate import (
    Commodity,
    Hazard,
    LocationInstance,
    LocationResult,
    ScenarioSet,
    evaluate_sites,
    from_cost_matrix,
    hazard_scenarios,
    load_commodities,
    lscp,
    mclp,
    multi_commodity_cflp,
    p_center,
    p_median,
    proximity_graph,
    robust_lscp,
    size_reserves,
    stochastic_p_median,
    travel_times,
)

__all__ = [
    "AUTO_HAZARDS",
    "RESERVE_MODELS",
    "ReservesInput",
    "ReservesStudy",
    "build_reserves_input",
    "run_reserves",
]

RESERVE_MODELS = ("lscp", "mclp", "p-median", "p-center", "cflp")
ROAD_K, ROAD_DETOUR, ROAD_SPEED = 5, 1.3, 60.0
STOCHASTIC_K = 15  # each point keeps its 15 nearest sites per scenario in the stochastic models
STOCHASTIC_TIME_LIMIT = 20.0  # s per stochastic / robust MIP unless --time-limit is given
AUTO_HAZARDS = (
    Hazard("wenchuan_2008", 103.42, 31.01, 200.0, "Ms 8.0 Wenchuan earthquake footprint, 2008-05-12"),
    Hazard("yushu_2010", 96.63, 33.22, 200.0, "Ms 7.1 Yushu earthquake footprint, 2010-04-14"),
    Hazard("zhengzhou_2021", 113.65, 34.76, 150.0, "Henan '7·20' rainstorm and flood, 2021-07-20"),
    Hazard("yangtze_1998", 114.30, 30.60, 200.0, "Middle-Yangtze flood around Wuhan, summer 1998"),
    Hazard("tangshan_1976", 118.18, 39.63, 150.0, "Ms 7.8 Tangshan earthquake footprint, 1976-07-28"),
    Hazard("qinling_corridor", 108.90, 33.80, 150.0, "loss of the Qinling crossings (Xi'an–Hanzhong)"),
)


@dataclass(frozen=True)
class ReservesInput:
    """Everything a run needs: the instance, demand/site tables, commodities and optional scenarios."""

    instance: LocationInstance
    demand: pd.DataFrame
    sites: pd.DataFrame
    commodities: dict[str, Commodity]
    scenarios: ScenarioSet | None
    source: str


def _commodities(commodity: str) -> dict[str, Commodity]:
    bundled = load_commodities()
    if commodity in bundled:
        return {commodity: bundled[commodity]}
    if commodity == "all":
        return bundled
    path = Path(commodity)
    if path.suffix.lower() in {".yaml", ".yml"} or path.exists():
        return load_commodities(path)
    raise ConfigError(
        f"unknown commodity {commodity!r}; expected one of {sorted(bundled)}, 'all' or a YAML file"
    )


def _graph(lon: np.ndarray, lat: np.ndarray, city_ids: pd.Index, city_pos: np.ndarray) -> pd.DataFrame:
    """Proxy road graph over all points, plus the bundled rail edges between city points (by position)."""
    edges = proximity_graph(lon, lat, k=ROAD_K, detour=ROAD_DETOUR, speed_kmh=ROAD_SPEED)
    edges["mode"] = "road_proxy"
    try:
        rail = load_china_network().edges
    except HinterlandError:
        return edges
    pos = pd.Series(city_pos, index=city_ids)
    pos = pos[~pos.index.duplicated()]
    keep = rail["u"].isin(pos.index) & rail["v"].isin(pos.index)
    r = rail[keep]
    extra = pd.DataFrame(
        {
            "a": pos[r["u"]].to_numpy(),
            "b": pos[r["v"]].to_numpy(),
            "km": r["length_km"].to_numpy(),
            "hours": r["time_h"].to_numpy(float),
            "mode": "rail",
        }
    )
    both = pd.concat([edges, extra], ignore_index=True)
    both["edge"] = np.arange(len(both))
    return both


def _scenario_file(path: Path, inst: LocationInstance) -> ScenarioSet:
    t = read_table(path)
    cols = {c.lower(): c for c in t.columns}
    need = ("scenario", "demand_id", "site_id", "cost")
    if not all(c in cols for c in need):
        raise SchemaError(
            f"{path}: scenario file needs columns {list(need)} (+ optional prob); got {list(t.columns)}"
        )
    mats, names, probs = [], [], []
    for name, g in t.groupby(cols["scenario"], sort=False):
        g2 = g.rename(columns={cols[c]: c for c in need})
        cost = pd.to_numeric(g2["cost"], errors="coerce")
        ids_d = pd.Index(g2["demand_id"]).astype(inst.nodes.dtype)
        ids_s = pd.Index(g2["site_id"]).astype(inst.sites.dtype)
        wide = pd.DataFrame({"a": ids_d, "b": ids_s, "v": cost.to_numpy()}).pivot_table(
            index="a", columns="b", values="v", aggfunc="min"
        )
        mats.append(wide.reindex(index=inst.nodes, columns=inst.sites).to_numpy(float))
        names.append(str(name))
        probs.append(float(pd.to_numeric(g[cols["prob"]]).iloc[0]) if "prob" in cols else 1.0)
    p = np.asarray(probs)
    return ScenarioSet.from_matrices(mats, names, p / p.sum())


def build_reserves_input(
    commodity: str = "grain",
    *,
    level: str = "city",
    scenarios: str | None = None,
    demand: Path | None = None,
    candidates: Path | None = None,
    cost: Path | None = None,
) -> ReservesInput:
    """Assemble the instance: bundled demand points and travel times, or the user's three files."""
    comms = _commodities(commodity)
    first = next(iter(comms.values()))
    if demand or candidates or cost:
        if not (demand and candidates and cost):
            raise ConfigError("a user instance needs all three of --demand, --candidates and --cost")
        dem, sites, mat = read_location_files(demand, candidates, cost)
        inst = from_cost_matrix(
            mat,
            dem["weight"],
            capacity=sites["capacity"],
            fixed_cost=sites["fixed_cost"],
            existing=sites.index[sites["existing"]],
        )
        scen = None
        if scenarios == "auto":
            raise ConfigError(
                "--scenarios auto needs the bundled network; give a scenario FILE for a user instance"
            )
        if scenarios:
            scen = _scenario_file(Path(scenarios), inst)
        return ReservesInput(inst, dem, sites, comms, scen, f"user files {demand}, {candidates}, {cost}")
    pts = load_demand_points(level).copy()
    cities = load_demand_points("city")
    if "city" in pts.columns:  # a county without coordinates stands at its city's point (stated in docs)
        gap = pts["lon"].isna() | pts["lat"].isna()
        parent = pts.loc[gap, "city"]
        for col in ("lon", "lat"):
            pts.loc[gap, col] = cities[col].reindex(parent).to_numpy()
        pts = pts[pts["lon"].notna() & pts["lat"].notna()]
    dem = pts.rename(columns={"pop_2020": "population"})
    dem["weight"] = dem["population"] * first.per_capita_daily
    sites = cities[["name_zh", "region", "lon", "lat"]].copy()
    sites.index.name = "site"
    if level == "city":
        lon, lat = pts["lon"].to_numpy(), pts["lat"].to_numpy()
        d_pos, s_pos = np.arange(len(pts)), np.arange(len(pts))
    else:
        lon = np.concatenate([pts["lon"].to_numpy(), cities["lon"].to_numpy()])
        lat = np.concatenate([pts["lat"].to_numpy(), cities["lat"].to_numpy()])
        d_pos, s_pos = np.arange(len(pts)), len(pts) + np.arange(len(cities))
    edges = _graph(lon, lat, cities.index, s_pos)

    mat = travel_times(len(lon), edges, d_pos.tolist(), s_pos.tolist())
    frame = pd.DataFrame(
        mat, index=pd.Index(pts.index, name="node"), columns=pd.Index(sites.index, name="site")
    )
    inst = from_cost_matrix(
        frame,
        dem["weight"],
        capacity=np.full(len(sites), first.depot_capacity),
        fixed_cost=np.full(len(sites), first.depot_cost),
    )
    scen = None
    if scenarios == "auto":
        scen = hazard_scenarios(lon, lat, edges, list(d_pos), list(s_pos), AUTO_HAZARDS)
    elif scenarios:
        scen = _scenario_file(Path(scenarios), inst)
    src = f"bundled {level} demand points (2020 census), proxy road graph + bundled rail network"
    return ReservesInput(inst, dem, sites, comms, scen, src)


def _solve(
    inp: ReservesInput,
    model: str,
    p: int | None,
    radius: float | None,
    budget: float | None,
    solver: str,
    time_limit: float | None,
) -> LocationResult:
    inst = inp.instance
    if model == "lscp":
        return lscp(inst, _need(radius, "radius"), solver=solver, time_limit=time_limit)
    if model == "mclp":
        return mclp(inst, _need(radius, "radius"), p, budget=budget, solver=solver, time_limit=time_limit)
    if model == "p-median":
        return p_median(inst, int(_need(p, "p")), radius=radius, solver=solver, time_limit=time_limit)
    if model == "p-center":
        return p_center(inst, int(_need(p, "p")), solver=solver, time_limit=time_limit)
    if model == "cflp":
        names = list(inp.commodities)
        pop = inp.demand["population"] if "population" in inp.demand else inp.demand["weight"]
        stock = pd.DataFrame(
            {c: pop.reindex(inst.nodes).to_numpy() * _stock_per_capita(inp.commodities[c]) for c in names},
            index=inst.nodes,
        )
        if "population" not in inp.demand:  # user instance: weights are the demand of the first commodity
            stock = pd.DataFrame({names[0]: inst.h}, index=inst.nodes)
            names = names[:1]
        cap = np.column_stack(
            [np.where(np.isfinite(inst.q), inst.q, inp.commodities[c].depot_capacity) for c in names]
        )
        cost = np.column_stack([np.full(inst.shape[1], inp.commodities[c].depot_cost) for c in names])
        rad = radius if radius is not None else {c: inp.commodities[c].service_time_h for c in names}
        return multi_commodity_cflp(
            inst, stock, cap, cost, radius=rad, p=p, budget=budget, solver=solver, time_limit=time_limit
        )
    raise ConfigError(f"unknown model {model!r}; expected one of {', '.join(RESERVE_MODELS)}")


def _stock_per_capita(c: Commodity) -> float:
    """Stock needed per person: daily demand × surge days net of resupply (see ``size_reserves``)."""
    return c.per_capita_daily * c.surge * (c.days - c.resupply_share * max(0.0, c.days - c.lead_time_days))


def _need(value: float | int | None, name: str) -> float:
    if value is None:
        raise ConfigError(f"this model needs --{name}")
    return value


@dataclass(frozen=True)
class ReservesStudy:
    """A solved reserves study.

    ``tables`` (as written to CSV): sites (chosen depots, served weight), assignment (each demand point's
    depot, time, coverage), scenario_stats (service per disruption scenario), reserves (stock per
    depot and commodity) and when they apply flows (CFLP) and scenario_costs (stochastic p-median);
    ``summary``: the figures ``summary.json`` holds."""

    input: ReservesInput
    result: LocationResult
    radius: float | None
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]

    @property
    def commodity(self) -> Commodity:
        """The first (for single-commodity models, the only) commodity of the study."""
        return next(iter(self.input.commodities.values()))

    @property
    def covered_share(self) -> float:
        """Share of the demand weight served within the radius by the chosen depots (NaN if unknown)."""
        return float(self.result.stats.get("covered_share", float("nan")))

    @property
    def site_names(self) -> list[str]:
        """The chosen depots' names (their ids where the instance has no names)."""
        return [str(n) for n in self.summary["site_names"]]

    def coverage_by_region(self) -> pd.Series:
        """Share of each province's population whose demand point a depot covers within the radius."""
        assign = self.tables["assignment"]
        if "region" not in assign or "population" not in assign:
            return pd.Series(dtype=float)
        pop = assign.groupby("region")["population"].sum()
        cov = assign[assign["covered"].astype(bool)].groupby("region")["population"].sum()
        return (cov / pop).reindex(pop.index).fillna(0.0)


def run_reserves(
    *,
    commodity: str = "grain",
    model: str = "lscp",
    p: int | None = None,
    radius: float | None = None,
    budget: float | None = None,
    scenarios: str | None = None,
    objective: str = "expected",
    level: str = "city",
    demand: Path | None = None,
    candidates: Path | None = None,
    cost: Path | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
) -> ReservesStudy:
    """Solve the chosen model (``radius`` default: the commodity's service time) and evaluate the
    depots in every disruption scenario; with scenarios, also the robust LSCP (``lscp``) or the
    stochastic p-median (``p-median`` with ``p``)."""
    if model not in RESERVE_MODELS:
        raise ConfigError(f"unknown model {model!r}; expected one of {', '.join(RESERVE_MODELS)}")
    inp = build_reserves_input(
        commodity, level=level, scenarios=scenarios, demand=demand, candidates=candidates, cost=cost
    )
    first = next(iter(inp.commodities.values()))
    if radius is None and model in {"lscp", "mclp"}:
        radius = first.service_time_h
    inst = inp.instance
    res = _solve(inp, model, p, radius, budget, solver, time_limit)
    open_idx = np.flatnonzero(inst.sites.isin(list(res.sites)))
    sites_tab = pd.DataFrame({"site": list(res.sites)}).set_index("site")
    sites_tab = sites_tab.join(
        inp.sites.drop(columns=["capacity", "fixed_cost", "existing"], errors="ignore")
    )
    assign = res.assignment.join(inp.demand.drop(columns=["weight"], errors="ignore"))
    assign.insert(0, "weight", inst.h)
    sites_tab["served_weight"] = assign.groupby("site")["weight"].sum().reindex(sites_tab.index).fillna(0.0)
    sites_tab["n_served"] = assign.groupby("site").size().reindex(sites_tab.index).fillna(0).astype(int)
    rows = [{"scenario": "nominal", "prob": float("nan"), **res.stats}]
    extra: dict[str, object] = {}
    tables: dict[str, pd.DataFrame] = {}
    if inp.scenarios is not None:
        sc = inp.scenarios
        for s, name in enumerate(sc.names):
            _, st = evaluate_sites(inst.with_cost(sc.effective()[s]), open_idx, radius)
            rows.append({"scenario": name, "prob": float(sc.prob[s]), **st})
        if model == "p-median" and p is not None:
            sr = stochastic_p_median(
                inst,
                sc,
                p,
                objective=objective,
                solver=solver,
                time_limit=time_limit if time_limit is not None else STOCHASTIC_TIME_LIMIT,
                k=STOCHASTIC_K,
            )
            extra["stochastic"] = {
                "objective": objective,
                "status": sr.result.status,
                "gap": sr.result.gap,
                "k_nearest": STOCHASTIC_K,
                "sites": [str(x) for x in sr.result.sites],
                **sr.summary,
                "solutions": {k: [str(x) for x in v] for k, v in sr.solutions.items()},
            }
            tables["scenario_costs"] = sr.per_scenario
        if model == "lscp" and radius is not None:
            try:
                rl = robust_lscp(inst, sc, radius, solver=solver, time_limit=time_limit)
                extra["robust_lscp"] = {
                    "objective": rl.objective,
                    "sites": [str(x) for x in rl.sites],
                    "price_of_robustness_pct": 100 * (rl.objective / res.objective - 1),
                }
            except InfeasibleError as exc:
                extra["robust_lscp"] = {"infeasible": str(exc)}
    stats = pd.DataFrame(rows).set_index("scenario")
    daily = pd.DataFrame(index=sites_tab.index)
    pop = inp.demand.get("population", None)
    for name, c in inp.commodities.items():
        per = (pop.reindex(inst.nodes).to_numpy() * c.per_capita_daily) if pop is not None else inst.h
        served = pd.Series(per, index=inst.nodes).groupby(res.assignment["site"]).sum()
        daily[name] = served.reindex(daily.index).fillna(0.0)
    caps = pd.DataFrame({n: c.depot_capacity for n, c in inp.commodities.items()}, index=daily.index)
    stock = size_reserves(daily, inp.commodities, caps)
    tables = {"sites": sites_tab, "assignment": assign, "scenario_stats": stats, "reserves": stock, **tables}
    if res.flows is not None:
        tables["flows"] = res.flows
    summary = {
        "model": res.model,
        "objective": res.objective,
        "status": res.status,
        "gap": res.gap,
        "seconds": res.seconds,
        "n_sites": len(res.sites),
        "sites": [str(s) for s in res.sites],
        "site_names": [
            str(inp.sites.at[s, "name_zh"]) if "name_zh" in inp.sites.columns else str(s) for s in res.sites
        ],
        "params": {
            k: (v if isinstance(v, int | float | str | type(None)) else str(v)) for k, v in res.params.items()
        },
        "commodities": {
            n: {"unit": c.unit, "per_capita_daily": c.per_capita_daily, "basis": c.basis}
            for n, c in inp.commodities.items()
        },
        "radius": radius,
        "source": inp.source,
        "nominal_stats": res.stats,
        **extra,
    }
    return ReservesStudy(inp, res, radius, tables, summary)
