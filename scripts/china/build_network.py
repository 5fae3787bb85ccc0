"""Build the bundled strategic transport network (``hinterland network``, ``load_china_network``).

Reads ``<shared>/transport`` and ``<shared>/cities`` (see ``SOURCES.md`` there) and writes into
``out/network/``:

* ``nodes.csv`` — prefecture-level cities that the railway data touches (``node`` = census city code,
  ``name_zh``, ``region`` = province adcode, ``pop_2020``, ``lon``, ``lat``, ``coord_source``,
  ``is_capital``);
* ``edges.csv`` — one row per (city pair, railway line): ``edge, u, v, mode, service, rate, line,
  year_open, design_speed_kmh, speed_kmh, length_km, length_method, time_h, capacity, carries_freight,
  source``;
* ``build_report.json`` — counts, the unmatched place names and the raw-network length totals used in
  ``docs/network.md``.

Method (every assumption is also in ``docs/network.md``):

* **Nodes**: 7th-census city-level units (NBS, via leiii/census, MIT) with the seat point of the PyPI
  package ``cpca`` (MIT; AMap centres) where the unit is in ``cpca_prefectures.csv``, else the census
  representative point. XPCC cities (6590xx, no census population in the table) and Hong Kong/Macao are
  left out; their stations fall to the surrounding prefecture.
* **Ma & Tang (2024) rail segments** (GPL-3 data): every station is assigned to the city-level unit of
  its nearest county seat (``cpca_adcodes.csv``, great-circle nearest). A segment whose two stations
  fall in different units becomes a city-city edge; segments inside one unit vanish. Length: the
  great-circle distance between the two city points times a detour factor. The raw ``length_km`` turns
  out to be the straight line between the stations (median ratio 1.000), so it cannot give the
  circuity; the factor is ``DETOUR`` = 1.2 (Ballou, Rahardja & Sakai 2002). Were the raw lengths
  along the track (ratio > 1.01) the segment's own ratio would be used instead.
* **RailwayVIS lines** (Apache-2.0): consecutive cities of each line's ordered route become edges;
  length = great-circle × the same detour factor (no lengths in the source). A RailwayVIS edge
  is dropped when the Ma & Tang graph of the same service group already joins its two cities by a path
  at most 1.3 × as long (the same corridor in both sources).
* Trunk **road** segments (``seg_info_road.csv``, Ma & Tang 2024) carry no endpoint coordinates, only
  place names in ``notes``. Expressway segments named "X到Y" (or two names run together, "梅河口通化")
  are geocoded: each name is looked up among the prefecture and county names of ``cpca`` (full or
  without its suffix 市/县/区/...), and of the candidate pairs the closest one is taken (at most
  ``ROAD_MAX_KM`` apart). Each end falls to its city-level unit as the rail stations do; segments
  inside one unit vanish. They go to ``road_edges.csv`` (``mode = road``); first-class roads (一级公路)
  have no names and are not used. Length: great-circle between the two city points × ``ROAD_DETOUR``;
  operating speed ``ROAD_SPEED_KMH``; capacity: the midpoint of the design daily traffic of a
  four-lane expressway in JTG B01-2014 (``ROAD_CAPACITY``, passenger-car units per day, both
  directions) — a different unit from the rail train paths, so the two modes' capacities are never
  added (see ``docs/network.md``).
* **Speed**: operating speed = 0.7 × design speed (RailwayVIS ``speed``; Ma & Tang rate classes via
  ``DESIGN_SPEED``); **time** = length / operating speed. **Capacity** proxy: train paths per day
  each way by class (``CAPACITY``), an order-of-magnitude planning figure, not a line-specific one.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

__all__ = ["build"]

EARTH_R = 6371.0088
SPEED_FACTOR = 0.7
SAME_CORRIDOR = 1.3
#: rail circuity (track length / great-circle distance); Ballou, Rahardja & Sakai (2002) report
#: network-to-straight-line ratios of about 1.2 for rail. Used because the raw segment lengths are
#: straight lines between stations (median ratio 1.000), so they carry no circuity information.
DETOUR = 1.2
#: RailwayVIS place names that are stations/towns below county level -> city-level unit (GB/T 2260)
PLACE_ALIASES = {
    "二连": 152500,
    "加格达奇": 232700,
    "大虎山": 210700,
    "华山": 610500,
    "青城山": 510100,
    "满归": 150700,
    "伊图里河": 150700,
    "桑根达来": 152500,
    "福利屯": 230800,
}
#: design speed (km/h) by Ma & Tang rate class: GT = national railway grade I-IV (G = heavy-haul
#: freight), DT = local railway, IT = industrial/branch line, HSR = high-speed, UN = unknown
DESIGN_SPEED = {
    "HSR": 300,
    "GT1": 120,
    "GT1G": 100,
    "GT2": 100,
    "GT2G": 80,
    "GT3": 80,
    "GT3G": 80,
    "GT4": 60,
    "GT": 100,
    "DT": 80,
    "DT1": 80,
    "DT2": 60,
    "DT3": 60,
    "IT": 60,
    "IT1": 60,
    "IT3": 60,
    "UN": 80,
}
#: capacity proxy: train paths per day each way
CAPACITY = {
    "HSR": 150,
    "GT1": 90,
    "GT1G": 120,
    "GT2": 50,
    "GT2G": 60,
    "GT3": 30,
    "GT3G": 30,
    "GT4": 20,
    "GT": 50,
    "DT": 30,
    "DT1": 30,
    "DT2": 20,
    "DT3": 20,
    "IT": 20,
    "IT1": 20,
    "IT3": 20,
    "UN": 20,
    "普速": 90,
    "快速": 100,
    "高速": 150,
}
VIS_DEFAULT_SPEED = {"普速": 120, "快速": 200, "高速": 300}
SERVICE_EN = {"普速": "conventional", "快速": "fast", "高速": "high_speed"}
#: provincial capitals (GB/T 2260 city codes)
CAPITALS = {
    110000: 110100,
    120000: 120100,
    130000: 130100,
    140000: 140100,
    150000: 150100,
    210000: 210100,
    220000: 220100,
    230000: 230100,
    310000: 310100,
    320000: 320100,
    330000: 330100,
    340000: 340100,
    350000: 350100,
    360000: 360100,
    370000: 370100,
    410000: 410100,
    420000: 420100,
    430000: 430100,
    440000: 440100,
    450000: 450100,
    460000: 460100,
    500000: 500100,
    510000: 510100,
    520000: 520100,
    530000: 530100,
    540000: 540100,
    610000: 610100,
    620000: 620100,
    630000: 630100,
    640000: 640100,
    650000: 650100,
}
OFFICIAL_KM = {  # national railway operating mileage (km), NBS statistical communiqués
    2017: {"total": 127_000, "high_speed": 25_000},
    2021: {"total": 150_000, "high_speed": 40_000},
}
# the source row of each OFFICIAL_KM year (typed in from the published communiqué, no raw file)
OFFICIAL_KM_SOURCE = {2017: "net_nbs_communique_2017", 2021: "net_nbs_communique_2021"}
#: expressway (高速公路) mileage, NBS statistical communiqué 2017: 13.6万公里
OFFICIAL_EXPRESSWAY_KM = {2017: 136_000}
#: road circuity (road length / great-circle distance), the same literature value as for rail (Ballou,
#: Rahardja & Sakai 2002). Check: the Shenyang-Dalian expressway is 375 km for 345 km great circle
#: between the two city seats (1.09), so 1.2 errs on the long side for straight trunk expressways.
ROAD_DETOUR = 1.2
#: operating speed of freight traffic on expressways (legal limit for trucks 100 km/h, design speed
#: 80-120 km/h in JTG B01-2014): an assumption, documented in docs/network.md
ROAD_SPEED_KMH = 80.0
#: JTG B01-2014 公路工程技术标准 §3.3.2: four-lane expressways are designed for 25,000-55,000
#: passenger-car units per day (AADT); the midpoint, in pcu/day, both directions
ROAD_CAPACITY = 40_000
#: the two ends of one expressway segment are at most this far apart (km, great circle)
ROAD_MAX_KM = 400.0
#: road edge ids start here, so that rail and road ids never clash when both modes are loaded
ROAD_EDGE_OFFSET = 100_000
_ROAD_NAME = re.compile(r"^\s*([^到（(，,、\s]+?)到([^到（(，,、\s]+?)\s*(?:[（(].*)?$")
_ROAD_ONE = re.compile(r"^\s*([^到（(，,、\s]+?)\s*(?:[（(].*)?$")


def _xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _gc(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_R * np.arcsin(np.sqrt(np.clip(h, 0, 1))))


def _units(shared: Path) -> pd.DataFrame:
    raw = pd.read_csv(shared / "cities/census_city_2010_2020.csv")
    raw = raw[(raw["province_code"] < 800000) & (raw["city_code"] // 100 != 6590)].copy()
    seats = pd.read_csv(shared / "cities/cpca_prefectures.csv").drop_duplicates("code6").set_index("code6")
    units = pd.DataFrame(
        {
            "node": raw["city_code"].astype(int),
            "name_zh": raw["city"],
            "region": raw["province_code"].astype(int),
            "pop_2020": raw["popu_2020"].astype(int),
        }
    )
    has = units["node"].isin(seats.index)
    units["lon"] = np.where(has, units["node"].map(seats["longitude"]), raw["centroid_lon"]).round(4)
    units["lat"] = np.where(has, units["node"].map(seats["latitude"]), raw["centroid_lat"]).round(4)
    units["coord_source"] = np.where(has, "cpca_seat", "census_point")
    units["is_capital"] = units["node"].isin(set(CAPITALS.values()))
    return units.reset_index(drop=True)


def _unit_of_code(code: int, nodes: set[int]) -> int | None:
    for cand in (code, code // 100 * 100, code // 10000 * 10000 + 100):
        if cand in nodes:
            return cand
    return None


def _county_points(shared: Path, units: pd.DataFrame) -> pd.DataFrame:
    cpca = pd.read_csv(shared / "cities/cpca_adcodes.csv")
    cpca["code6"] = cpca["adcode"] // 10**6
    cpca = cpca[(cpca["code6"] % 10000 != 0) & (cpca["code6"] < 800000)].drop_duplicates("code6")
    nodes = set(units["node"])
    cpca["unit"] = [_unit_of_code(int(c), nodes) for c in cpca["code6"]]
    return cpca.dropna(subset=["unit", "longitude", "latitude"]).astype({"unit": int}).reset_index(drop=True)


def _short(name: str) -> str:
    for suffix in ("特别行政区", "自治州", "自治县", "地区", "林区", "市", "盟", "州", "县", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _parse_year(date: str) -> int:
    m = re.match(r"(\d{4})", str(date))
    if not m:
        raise SystemExit(f"railwayvis_network.json: unparseable date {date!r}")
    return int(m.group(1))


def _detour(circuity: list[float]) -> float:
    """The raw data's median circuity if informative (> 1.01), else the literature factor ``DETOUR``."""
    med = float(np.median(circuity))
    return med if med > 1.01 else DETOUR


def _ma_tang(
    shared: Path, units: pd.DataFrame, counties: pd.DataFrame, circuity: list[float]
) -> pd.DataFrame:
    t = shared / "transport"
    edges = pd.read_csv(t / "edge_dataset.csv", encoding="utf-8-sig")
    edges = edges[edges["year"] == edges["year"].max()]
    stations = pd.read_csv(t / "station_dataset.csv", encoding="utf-8-sig")
    stations = stations.sort_values("year").drop_duplicates("station_id", keep="last").set_index("station_id")
    info = pd.read_csv(t / "seg_info_rail.csv").set_index("seg_id")
    types = pd.read_csv(t / "seg_year_rail.csv").set_index("seg_id")
    tree = cKDTree(_xyz(counties["longitude"].to_numpy(), counties["latitude"].to_numpy()))
    _, idx = tree.query(_xyz(stations["longitude"].to_numpy(), stations["latitude"].to_numpy()))
    stations["unit"] = counties["unit"].to_numpy()[idx]
    pts = units.set_index("node")
    a = stations.loc[edges["source_station"]]
    b = stations.loc[edges["target_station"]]
    df = pd.DataFrame(
        {
            "seg_id": edges["seg_id"].to_numpy(),
            "u": a["unit"].to_numpy(),
            "v": b["unit"].to_numpy(),
            "seg_km": edges["length_km"].to_numpy(),
            "station_gc": _gc(
                a["longitude"].to_numpy(),
                a["latitude"].to_numpy(),
                b["longitude"].to_numpy(),
                b["latitude"].to_numpy(),
            ),
        }
    )
    ok = df["station_gc"] >= 10
    circuity.extend((df.loc[ok, "seg_km"] / df.loc[ok, "station_gc"]).clip(1, 2).tolist())
    df = df[df["u"] != df["v"]].copy()
    df["rate"] = df["seg_id"].map(info["rate"])
    df["year_open"] = df["seg_id"].map(info["year"]).astype(int)
    df["line"] = df["seg_id"].map(info["path_name"]).fillna("未知")
    df["traffic_2017"] = df["seg_id"].map(types["year_type_2017"])
    df["years_none"] = df["seg_id"].map(
        types.apply(lambda r: ";".join(c[-4:] for c, v in r.items() if v == "none"), axis=1)
    )
    df = df[df["traffic_2017"] != "none"]  # closed by 2017
    med = _detour(circuity)
    gc_uv = _gc(
        pts.loc[df["u"], "lon"].to_numpy(),
        pts.loc[df["u"], "lat"].to_numpy(),
        pts.loc[df["v"], "lon"].to_numpy(),
        pts.loc[df["v"], "lat"].to_numpy(),
    )
    own = (df["seg_km"] / df["station_gc"]).clip(1, 2)
    use_own = (df["station_gc"] >= 10) & (own > 1.01)
    df["length_km"] = gc_uv * np.where(use_own, own, med)
    df["length_method"] = np.where(use_own, "gc_x_segment_circuity", f"gc_x_detour_{med:g}")
    df["service"] = np.where(df["rate"] == "HSR", "high_speed", "conventional")
    df["design_speed_kmh"] = df["rate"].map(DESIGN_SPEED)
    df["capacity"] = df["rate"].map(CAPACITY)
    df["carries_freight"] = (df["rate"] != "HSR") & (df["traffic_2017"] != "passenger")
    df["source"] = "ma_tang_rail"
    lo, hi = np.minimum(df["u"], df["v"]), np.maximum(df["u"], df["v"])
    df["u"], df["v"] = lo, hi
    agg = (
        df.sort_values("year_open")
        .groupby(["u", "v", "line", "service"], as_index=False)
        .agg(
            rate=("rate", "first"),
            year_open=("year_open", "min"),
            length_km=("length_km", "min"),
            length_method=("length_method", "first"),
            design_speed_kmh=("design_speed_kmh", "max"),
            capacity=("capacity", "max"),
            carries_freight=("carries_freight", "max"),
            source=("source", "first"),
            seg_ids=("seg_id", lambda s: ";".join(sorted(set(s)))),
        )
    )
    return agg


def _place_index(
    shared: Path, units: pd.DataFrame, counties: pd.DataFrame
) -> dict[str, list[tuple[float, float, int]]]:
    """Place name (full, and without its suffix) → candidate (lon, lat, city-level unit) points."""
    index: dict[str, list[tuple[float, float, int]]] = {}

    def add(name: str, lon: float, lat: float, unit: int) -> None:
        for key in {name, _short(name)}:
            if len(key) >= 2:
                index.setdefault(key, []).append((lon, lat, unit))

    for r in units.itertuples():
        add(str(r.name_zh), float(r.lon), float(r.lat), int(r.node))
    for r in counties.itertuples():
        add(str(r.name), float(r.longitude), float(r.latitude), int(r.unit))
    return index


def _road_ends(
    note: str, index: dict[str, list[tuple[float, float, int]]]
) -> tuple[tuple[float, float, int], tuple[float, float, int]] | None:
    """The two ends of a segment from its note, or None when they cannot be placed."""
    m = _ROAD_NAME.match(note)
    pairs: list[tuple[str, str]] = []
    if m:
        pairs = [(m.group(1), m.group(2))]
    else:
        one = _ROAD_ONE.match(note)
        word = one.group(1) if one else ""
        pairs = [(word[:k], word[k:]) for k in range(2, len(word) - 1)]
    best: tuple[float, tuple[float, float, int], tuple[float, float, int]] | None = None
    for x, y in pairs:
        for a in index.get(x, []) if x != y else []:
            for b in index.get(y, []):
                dist = float(_gc(np.array(a[0]), np.array(a[1]), np.array(b[0]), np.array(b[1])))
                if dist <= ROAD_MAX_KM and (best is None or dist < best[0]):
                    best = (dist, a, b)
    return None if best is None else (best[1], best[2])


def _roads(
    shared: Path, units: pd.DataFrame, counties: pd.DataFrame, report: dict[str, object]
) -> pd.DataFrame:
    """City-city expressway edges from the named Ma & Tang road segments (see the module docstring)."""
    info = pd.read_csv(shared / "transport/seg_info_road.csv")
    types = pd.read_csv(shared / "transport/seg_year_road.csv").set_index("seg_id")
    index = _place_index(shared, units, counties)
    pts = units.set_index("node")
    rows, unplaced, inside = [], [], 0
    hw = info[info["rate"] == "highway"]
    for r in hw.itertuples():
        note = "" if pd.isna(r.notes) else str(r.notes)
        ends = _road_ends(note, index) if note else None
        if ends is None:
            unplaced.append(note)
            continue
        u, v = ends[0][2], ends[1][2]
        if u == v:
            inside += 1
            continue
        rows.append((min(u, v), max(u, v), str(r.seg_id), int(r.year), note))
    df = pd.DataFrame(rows, columns=["u", "v", "seg_id", "year_open", "line"])
    df = df[df["seg_id"].map(types["year_type_2017"]).fillna("both") != "none"]
    gc = _gc(
        pts.loc[df["u"], "lon"].to_numpy(),
        pts.loc[df["u"], "lat"].to_numpy(),
        pts.loc[df["v"], "lon"].to_numpy(),
        pts.loc[df["v"], "lat"].to_numpy(),
    )
    df["length_km"] = gc * ROAD_DETOUR
    agg = (
        df.sort_values("year_open")
        .groupby(["u", "v"], as_index=False)
        .agg(
            year_open=("year_open", "min"),
            line=("line", "first"),
            length_km=("length_km", "min"),
            seg_ids=("seg_id", lambda s: ";".join(sorted(set(s)))),
        )
    )
    agg["service"] = "expressway"
    agg["rate"] = "highway"
    agg["length_method"] = f"gc_x_detour_{ROAD_DETOUR:g}"
    agg["design_speed_kmh"] = np.nan
    agg["capacity"] = ROAD_CAPACITY
    agg["carries_freight"] = True
    agg["source"] = "ma_tang_road"
    report["road_segments"] = {
        "expressway": len(hw),
        "first_class_unnamed_unused": int((info["rate"] != "highway").sum()),
        "placed_between_cities": len(df),
        "inside_one_city": inside,
        "not_placed": len(unplaced),
        "not_placed_examples": sorted(set(unplaced))[:40],
    }
    return agg


def _railwayvis(
    shared: Path,
    units: pd.DataFrame,
    counties: pd.DataFrame,
    ma: pd.DataFrame,
    med: float,
    report: dict[str, object],
) -> pd.DataFrame:
    t = shared / "transport"
    lines = json.loads((t / "railwayvis_network.json").read_text(encoding="utf-8"))
    s2c = json.loads(json.loads((t / "railwayvis_station2city.json").read_text(encoding="utf-8")))
    by_short: dict[str, int] = {}
    for row in units.itertuples():
        by_short.setdefault(_short(str(row.name_zh)), int(row.node))
    by_county: dict[str, int] = {}
    for row in counties.itertuples():
        by_county.setdefault(_short(str(row.name)), int(row.unit))
    unmatched: set[str] = set()

    def place(name: str) -> int | None:
        if name in PLACE_ALIASES:
            return PLACE_ALIASES[name]
        for cand in (name, s2c.get(name, name), _short(s2c.get(name, name))):
            if cand in by_short:
                return by_short[cand]
        for cand in (name, s2c.get(name, name)):
            if _short(cand) in by_county:
                return by_county[_short(cand)]
        unmatched.add(name)
        return None

    pts = units.set_index("node")
    graphs: dict[str, nx.Graph] = {}
    for service, grp in ma.groupby("service"):
        g = nx.Graph()
        for r in grp.itertuples():
            if not g.has_edge(r.u, r.v) or g[r.u][r.v]["w"] > r.length_km:
                g.add_edge(r.u, r.v, w=r.length_km)
        graphs[str(service)] = g
    rows = []
    dropped = 0
    for line, spec in lines.items():
        service_zh = str(spec["service"])[:2]
        route = [place(str(c)) for c in spec["route"]]
        nodes = [n for n in route if n is not None]
        nodes = [n for i, n in enumerate(nodes) if i == 0 or n != nodes[i - 1]]
        speed = int(spec["speed"]) if str(spec["speed"]).isdigit() else VIS_DEFAULT_SPEED[service_zh]
        group = "high_speed" if service_zh in {"高速", "快速"} else "conventional"
        for u, v in itertools.pairwise(nodes):
            length = float(_gc(pts.at[u, "lon"], pts.at[u, "lat"], pts.at[v, "lon"], pts.at[v, "lat"])) * med
            g = graphs.get(group)
            if g is not None and u in g and v in g:
                try:
                    if nx.shortest_path_length(g, u, v, weight="w") <= SAME_CORRIDOR * length:
                        dropped += 1
                        continue
                except nx.NetworkXNoPath:
                    pass
            rows.append(
                {
                    "u": min(u, v),
                    "v": max(u, v),
                    "line": line,
                    "service": SERVICE_EN[service_zh],
                    "rate": service_zh,
                    "year_open": _parse_year(spec["date"]),
                    "length_km": length,
                    "length_method": f"gc_x_detour_{med:g}",
                    "design_speed_kmh": speed,
                    "capacity": CAPACITY[service_zh],
                    "carries_freight": service_zh != "高速",
                    "source": "railwayvis",
                    "seg_ids": "",
                }
            )
    report["railwayvis_unmatched_places"] = sorted(unmatched)
    report["railwayvis_edges_same_corridor_as_ma_tang"] = dropped
    vis = pd.DataFrame(rows)
    return vis.sort_values("year_open").drop_duplicates(["u", "v", "line", "service"]).reset_index(drop=True)


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    units = _units(shared)
    counties = _county_points(shared, units)
    circuity: list[float] = []
    report: dict[str, object] = {}
    ma = _ma_tang(shared, units, counties, circuity)
    med = _detour(circuity)
    report["median_raw_circuity"] = round(float(np.median(circuity)), 4)
    report["detour_factor"] = med
    report["n_segments_for_circuity"] = len(circuity)
    vis = _railwayvis(shared, units, counties, ma, med, report)
    edges = pd.concat([ma, vis], ignore_index=True)
    edges["mode"] = "rail"
    edges["speed_kmh"] = SPEED_FACTOR * edges["design_speed_kmh"]
    edges["length_km"] = edges["length_km"].round(2)
    edges["time_h"] = (edges["length_km"] / edges["speed_kmh"]).round(4)
    edges = edges.sort_values(["year_open", "u", "v", "line"]).reset_index(drop=True)
    edges.insert(0, "edge", np.arange(len(edges)))
    edges = edges[
        [
            "edge",
            "u",
            "v",
            "mode",
            "service",
            "rate",
            "line",
            "year_open",
            "design_speed_kmh",
            "speed_kmh",
            "length_km",
            "length_method",
            "time_h",
            "capacity",
            "carries_freight",
            "source",
            "seg_ids",
        ]
    ]
    roads = _roads(shared, units, counties, report)
    roads["mode"] = "road"
    roads["speed_kmh"] = ROAD_SPEED_KMH
    roads["length_km"] = roads["length_km"].round(2)
    roads["time_h"] = (roads["length_km"] / roads["speed_kmh"]).round(4)
    roads = roads.sort_values(["year_open", "u", "v"]).reset_index(drop=True)
    roads.insert(0, "edge", ROAD_EDGE_OFFSET + np.arange(len(roads)))
    roads = roads[list(edges.columns)]
    rail_nodes = set(edges["u"]) | set(edges["v"])
    road_nodes = set(roads["u"]) | set(roads["v"])
    nodes = units[units["node"].isin(rail_nodes | road_nodes)].sort_values("node").reset_index(drop=True)
    nodes["modes"] = [
        ";".join(m for m, s_ in (("rail", rail_nodes), ("road", road_nodes)) if node in s_)
        for node in nodes["node"]
    ]
    for name, tab in (("rail", edges), ("road", roads)):
        if (tab["length_km"] <= 0).any() or (tab["time_h"] <= 0).any():
            raise SystemExit(f"network: non-positive {name} edge length or time")
    report["road_km"] = {
        "expressway_city_edges_2017": round(float(roads.loc[roads["year_open"] <= 2017, "length_km"].sum())),
        "official_expressway_2017": OFFICIAL_EXPRESSWAY_KM[2017],
    }
    # raw totals for the sanity section (track length as in the source, before contraction)
    raw = pd.read_csv(shared / "transport/edge_dataset.csv", encoding="utf-8-sig")
    raw = raw[raw["year"] == 2017].merge(pd.read_csv(shared / "transport/seg_info_rail.csv"), on="seg_id")
    raw = raw[raw["year_y"] <= 2017]
    report["ma_tang_raw_km_2017"] = {
        "total": round(float(raw["length_km"].sum())),
        "high_speed": round(float(raw.loc[raw["rate"] == "HSR", "length_km"].sum())),
    }
    report["official_km"] = OFFICIAL_KM
    report["official_km_source"] = OFFICIAL_KM_SOURCE
    report["n_nodes"] = len(nodes)
    report["n_edges"] = len(edges)
    report["n_edges_by_source"] = edges["source"].value_counts().to_dict()
    report["n_road_edges"] = len(roads)
    folder = out / "network"
    folder.mkdir(parents=True, exist_ok=True)
    nodes.to_csv(folder / "nodes.csv", index=False)
    edges.to_csv(folder / "edges.csv", index=False)
    roads.to_csv(folder / "road_edges.csv", index=False)
    (folder / "build_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(
        f"network: {len(nodes)} nodes, {len(edges)} edges ({report['n_edges_by_source']}); circuity {med:.3f}"
    )
    sources: list[dict[str, object]] = [
        {
            "source_id": "net_ma_tang_rail",
            "agency": "Ma L., Tang Y. (2024), J. International Economics (replication data)",
            "title": "China railway segments with class and construction year, station coordinates",
            "table": "seg_info_rail.csv, seg_year_rail.csv, edge_dataset.csv, station_dataset.csv",
            "vintage": "network 1994-2017 (construction years to 2024)",
            "unit": "km; year; rate class",
            "dataset_author": "Lin Ma, Yang Tang",
            "licence": "GPL-3.0 (data)",
            "raw_file": "transport/seg_info_rail.csv;transport/seg_year_rail.csv;transport/edge_dataset.csv;transport/station_dataset.csv",
            "notes": "main lines only: 83.9k of 127k km in 2017",
        },
        {
            "source_id": "net_ma_tang_road",
            "agency": "Ma L., Tang Y. (2024), J. International Economics (replication data)",
            "title": "China trunk road segments with class, construction year and place-name notes",
            "table": "seg_info_road.csv, seg_year_road.csv",
            "vintage": "network 1994-2017 (construction years to 2018)",
            "unit": "year; rate class; place names",
            "dataset_author": "Lin Ma, Yang Tang",
            "licence": "GPL-3.0 (data)",
            "raw_file": "transport/seg_info_road.csv;transport/seg_year_road.csv",
            "notes": "no coordinates: ends geocoded from the notes (X到Y) with cpca place points",
        },
        {
            "source_id": "net_jtg_b01_2014",
            "agency": "交通运输部 Ministry of Transport of the PRC",
            "title": "JTG B01-2014 公路工程技术标准 (Technical Standard of Highway Engineering)",
            "table": "§3.3.2: 四车道高速公路 年平均日设计交通量 25000-55000 pcu",
            "vintage": "2014 (in force 2015-01-01)",
            "unit": "passenger-car units per day (AADT), both directions",
            "dataset_author": "Ministry of Transport",
            "licence": "official standard, public",
            "raw_file": "",
            "notes": "typed in (ROAD_CAPACITY = 40000, the midpoint); not in ../shared",
        },
        {
            "source_id": "net_nbs_communique_2017_expressway",
            "agency": "国家统计局 National Bureau of Statistics of China",
            "title": "中华人民共和国2017年国民经济和社会发展统计公报 (Statistical Communiqué 2017)",
            "table": "section 交通、邮电和软件业: 高速公路里程 13.6万公里",
            "vintage": "2017 (published 2018-02-28)",
            "unit": "km of expressway, national",
            "dataset_author": "NBS",
            "licence": "official statistics, public",
            "raw_file": "",
            "notes": "typed in (OFFICIAL_EXPRESSWAY_KM[2017] = 136,000); used only for the build-report sanity check",
        },
        {
            "source_id": "net_railwayvis",
            "agency": "RailwayVIS (GitHub), compiled from public line records",
            "title": "Chinese railway lines: service class, design speed, opening date, ordered city route",
            "table": "railwayvis_network.json, railwayvis_station2city.json",
            "vintage": "to about 2021",
            "unit": "km/h; date",
            "dataset_author": "RailwayVIS authors",
            "licence": "Apache-2.0",
            "raw_file": "transport/railwayvis_network.json;transport/railwayvis_station2city.json",
            "notes": "",
        },
        {
            "source_id": "net_census_2020_city",
            "agency": "国家统计局 NBS / 国务院第七次全国人口普查领导小组办公室",
            "title": "7th national population census 2020 by city-level unit",
            "table": "census_city_2010_2020.csv",
            "vintage": "2020-11-01",
            "unit": "persons",
            "dataset_author": "leiii/census",
            "licence": "MIT",
            "raw_file": "cities/census_city_2010_2020.csv",
            "notes": "representative lon/lat where cpca has no seat",
        },
        {
            "source_id": "net_cpca_points",
            "agency": "Ministry of Civil Affairs codes; AMap centre points via PyPI cpca",
            "title": "administrative units with coordinates (prefecture seats, county seats)",
            "table": "cpca_prefectures.csv, cpca_adcodes.csv",
            "vintage": "cpca package data",
            "unit": "degrees",
            "dataset_author": "cpca (PyPI)",
            "licence": "MIT",
            "raw_file": "cities/cpca_prefectures.csv;cities/cpca_adcodes.csv",
            "notes": "GCJ-02 points used as is (offset < 1 km, immaterial for distances)",
        },
        {
            "source_id": OFFICIAL_KM_SOURCE[2017],
            "agency": "国家统计局 National Bureau of Statistics of China",
            "title": "中华人民共和国2017年国民经济和社会发展统计公报 (Statistical Communiqué 2017)",
            "table": "section 交通、邮电和软件业: 全国铁路营业里程 12.7万公里, 其中高速铁路 2.5万公里",
            "vintage": "2017 (published 2018-02-28)",
            "unit": "km of railway in operation (营业里程), national",
            "dataset_author": "NBS",
            "licence": "official statistics, public",
            "raw_file": "",
            "notes": "typed in (OFFICIAL_KM[2017]: total 127,000, high_speed 25,000); not in ../shared; "
            "used only for the build-report sanity check",
        },
        {
            "source_id": OFFICIAL_KM_SOURCE[2021],
            "agency": "国家统计局 National Bureau of Statistics of China",
            "title": "中华人民共和国2021年国民经济和社会发展统计公报 (Statistical Communiqué 2021)",
            "table": "section 交通、邮电和软件业: 全国铁路营业里程 15.0万公里, 其中高速铁路 4.0万公里",
            "vintage": "2021 (published 2022-02-28)",
            "unit": "km of railway in operation (营业里程), national",
            "dataset_author": "NBS",
            "licence": "official statistics, public",
            "raw_file": "",
            "notes": "typed in (OFFICIAL_KM[2021]: total 150,000, high_speed 40,000); not in ../shared; "
            "used only for the build-report sanity check",
        },
    ]
    tables: list[dict[str, object]] = [
        {
            "table": "network_nodes",
            "file": "network/nodes.csv",
            "description": "city-level nodes of the rail and road networks: census code, province, 2020 population, seat point, modes",
            "source_ids": "net_census_2020_city;net_cpca_points",
            "derivation": "census units touched by an edge; cpca seat point else census point",
        },
        {
            "table": "network_edges",
            "file": "network/edges.csv",
            "description": "city-city rail edges per line: service, class, opening year, length, time, capacity proxy",
            "source_ids": "net_ma_tang_rail;net_railwayvis;net_cpca_points",
            "derivation": f"stations to nearest county seat's city; length = great-circle between city points x detour {med:g} (Ballou et al. 2002); "
            f"time = length / ({SPEED_FACTOR} x design speed); capacity = class proxy (train paths/day)",
        },
        {
            "table": "network_road_edges",
            "file": "network/road_edges.csv",
            "description": "city-city expressway edges (mode road): opening year, length, time, capacity proxy",
            "source_ids": "net_ma_tang_road;net_cpca_points;net_jtg_b01_2014",
            "derivation": f"segment notes 'X到Y' geocoded to cpca places (closest pair, <= {ROAD_MAX_KM:g} km), ends to their city; "
            f"length = great-circle between city points x {ROAD_DETOUR:g}; time = length / {ROAD_SPEED_KMH:g} km/h; "
            f"capacity = {ROAD_CAPACITY} pcu/day (JTG B01-2014 four-lane midpoint)",
        },
        {
            "table": "network_build_report",
            "file": "network/build_report.json",
            "description": "build counts, unmatched place names, raw vs official length totals",
            "source_ids": "net_ma_tang_rail;net_railwayvis;" + ";".join(OFFICIAL_KM_SOURCE.values()),
            "derivation": "computed during the build",
        },
    ]
    return sources, tables


if __name__ == "__main__":  # pragma: no cover - manual run
    import sys

    build(Path(sys.argv[1]), Path(sys.argv[2]))
    _ = math.pi
