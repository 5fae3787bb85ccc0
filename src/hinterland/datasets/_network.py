"""The bundled China rail network and readers for user node/edge tables (CSV, Excel, Parquet, GeoJSON).

>>> from hinterland.datasets import load_china_network
>>> net = load_china_network(year=2010)
>>> net.level, net.year
('city', 2010)
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from hinterland.containers import NODE, TransportNetwork, aggregate_by_region
from hinterland.datasets._china import china_data_dir
from hinterland.datasets._readers import read_table
from hinterland.errors import ConfigError, DataFileError, Problem, SchemaError, ValidationError

__all__ = ["DEFAULT_SPEED_KMH", "check_network", "load_china_network", "read_network_files"]

DEFAULT_SPEED_KMH = 80.0
LEVELS = ("city", "province")
MODES = ("rail", "road", "all")


def load_china_network(year: int | None = None, level: str = "city", mode: str = "rail") -> TransportNetwork:
    """The bundled transport network of China's city-level units (see ``docs/network.md``).

    ``year``: keep only edges open by then (``None``: all, about 2021 for rail, 2018 for roads).
    ``level``: ``"city"`` or ``"province"`` (aggregated: one node per province at its capital, see
    :func:`hinterland.network.aggregate_by_region`). ``mode``: ``"rail"`` (main lines), ``"road"``
    (expressways placed from named segments) or ``"all"`` (both; capacities are then in different
    units: train paths/day for rail, pcu/day for roads, so capacity analyses refuse mixed modes).
    Nodes are the units the chosen mode touches.
    """
    if level not in LEVELS:
        raise ConfigError(f"unknown network level {level!r}; expected one of {LEVELS}")
    if mode not in MODES:
        raise ConfigError(
            f"unknown network mode {mode!r}; expected one of {MODES}. Fix: pass --mode rail, road or all."
        )
    folder = china_data_dir() / "network"
    files = {"rail": folder / "edges.csv", "road": folder / "road_edges.csv"}
    want = ("rail", "road") if mode == "all" else (mode,)
    for m in want:
        if not files[m].exists():
            raise DataFileError(f"bundled network file {files[m]} missing. Fix: rebuild with `make dataset`.")
    nodes = pd.read_csv(folder / "nodes.csv").rename(columns={"name_zh": "name", "pop_2020": "pop"})
    modes = nodes.pop("modes").fillna("").str.split(";") if "modes" in nodes.columns else None
    if modes is not None:
        nodes = nodes[[any(m in ms for m in want) for ms in modes]]
    nodes = nodes.set_index(NODE)
    edges = pd.concat(
        [pd.read_csv(files[m], keep_default_na=False, na_values={"design_speed_kmh": [""]}) for m in want],
        ignore_index=True,
    )
    label = {"rail": "rail", "road": "expressway", "all": "rail and expressway"}[mode]
    net = TransportNetwork(nodes, edges, "city", None, f"bundled China {label} network")
    if year is not None:
        net = net.as_of(int(year))
    return aggregate_by_region(net) if level == "province" else net


def _read(path: Path) -> tuple[pd.DataFrame, list[list[list[float]]] | None, str]:
    if path.suffix.lower() in {".geojson", ".json"}:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            feats = doc["features"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataFileError(
                f"{path}: not a GeoJSON FeatureCollection ({exc}). Fix: export as GeoJSON."
            ) from None
        rows = []
        geoms: list[list[list[float]]] = []
        for f in feats:
            props = dict(f.get("properties") or {})
            geom = f.get("geometry") or {}
            if geom.get("type") == "Point":
                props.setdefault("lon", geom["coordinates"][0])
                props.setdefault("lat", geom["coordinates"][1])
            coords = geom.get("coordinates") if geom.get("type") == "LineString" else None
            geoms.append(coords or [])
            rows.append(props)
        return pd.DataFrame(rows), geoms, "geojson"
    return read_table(path), None, "table"


def _line_km(coords: list[list[float]]) -> float:
    total = 0.0
    for (lo1, la1, *_), (lo2, la2, *_) in itertools.pairwise(coords):
        p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))
    return total


def _ids(col: pd.Series) -> pd.Series:
    """Ids as int where every non-blank id is an integer number, else as stripped text; blanks -> NA."""
    text = col.astype("string").str.strip().replace("", pd.NA)
    num = pd.to_numeric(text, errors="coerce")
    if num[text.notna()].notna().all() and (num.dropna() % 1 == 0).all():
        return pd.Series([int(x) if pd.notna(x) else None for x in num], index=col.index, dtype=object)
    return pd.Series([str(x) if pd.notna(x) else None for x in text], index=col.index, dtype=object)


def read_network_files(nodes: str | Path, edges: str | Path, *, name: str | None = None) -> TransportNetwork:
    """Read a user network: a node file (``node``, ``lon``, ``lat``; optional ``name``, ``region``,
    ``pop``) and an edge file (``u``, ``v`` and ``length_km`` or ``time_h``; optional ``edge``, ``mode``,
    ``speed_kmh`` (default 80), ``capacity`` (default 1), ``year_open`` (default 0)). CSV, Excel, Parquet
    or GeoJSON (Point nodes; LineString edges, whose geodesic length is used when ``length_km`` is absent).

    Every problem is collected (dangling edges, unknown nodes, zero or negative lengths/times,
    duplicate ids) and raised together as :class:`ValidationError`; disconnected components are
    not errors: see :func:`check_network`.
    """
    npath, epath = Path(nodes), Path(edges)
    nd, _, _ = _read(npath)
    ed, geoms, kind = _read(epath)
    problems: list[Problem] = []
    for col in ("node", "lon", "lat"):
        if col not in nd.columns:
            raise SchemaError(
                f"{npath}: missing column {col!r}; present: {list(nd.columns)}. "
                "Fix: add node, lon, lat columns."
            )
    for col in ("u", "v"):
        if col not in ed.columns:
            raise SchemaError(
                f"{epath}: missing column {col!r}; present: {list(ed.columns)}. Fix: add u and v."
            )
    if "length_km" not in ed.columns and kind == "geojson" and geoms is not None:
        ed["length_km"] = [_line_km(g) if len(g) > 1 else np.nan for g in geoms]
    if "length_km" not in ed.columns and "time_h" not in ed.columns:
        raise SchemaError(f"{epath}: needs length_km or time_h (or LineString geometry). Fix: add one.")
    nd = nd.copy()
    nd["node"] = _ids(nd["node"])
    nd["name"] = nd["name"] if "name" in nd.columns else nd["node"].astype(str)
    nd["region"] = _ids(nd["region"]) if "region" in nd.columns else 0
    nd["pop"] = pd.to_numeric(nd["pop"], errors="coerce") if "pop" in nd.columns else 1.0
    for i, row in nd.iterrows():
        r = int(str(i)) + 2
        for col in ("lon", "lat"):
            val = pd.to_numeric(pd.Series([row[col]]), errors="coerce").iloc[0]
            if pd.isna(val):
                problems.append(
                    Problem(
                        "node_coordinates",
                        f"{col} is not a number ({row[col]!r})",
                        str(npath),
                        r,
                        col,
                        expected="degrees",
                        fix="fill in the coordinate",
                    )
                )
        if pd.isna(row["pop"]) or float(row["pop"]) < 0:
            problems.append(
                Problem(
                    "node_pop",
                    f"pop is missing or negative ({row['pop']!r})",
                    str(npath),
                    r,
                    "pop",
                    expected=">= 0",
                    fix="fill in a population or drop the column",
                )
            )
    dup = nd["node"][nd["node"].duplicated()]
    for i, v in dup.items():
        problems.append(
            Problem(
                "duplicate_node",
                f"node id {v!r} repeats",
                str(npath),
                int(str(i)) + 2,
                "node",
                fix="make node ids unique",
            )
        )
    known = set(nd["node"].tolist())
    ed = ed.copy()
    ed["u"], ed["v"] = _ids(ed["u"]), _ids(ed["v"])
    if "edge" not in ed.columns:
        ed["edge"] = np.arange(len(ed))
    ed["mode"] = ed["mode"] if "mode" in ed.columns else "rail"
    ed["capacity"] = pd.to_numeric(ed["capacity"], errors="coerce") if "capacity" in ed.columns else 1.0
    ed["year_open"] = (
        pd.to_numeric(ed["year_open"], errors="coerce").fillna(0) if "year_open" in ed.columns else 0
    )
    speed = (
        pd.to_numeric(ed["speed_kmh"], errors="coerce") if "speed_kmh" in ed.columns else DEFAULT_SPEED_KMH
    )
    if "length_km" in ed.columns:
        ed["length_km"] = pd.to_numeric(ed["length_km"], errors="coerce")
    if "time_h" not in ed.columns:
        ed["time_h"] = ed["length_km"] / speed
    else:
        ed["time_h"] = pd.to_numeric(ed["time_h"], errors="coerce")
    if "length_km" not in ed.columns:
        ed["length_km"] = ed["time_h"] * speed
    for i, row in ed.iterrows():
        r = int(str(i)) + 2
        for end in ("u", "v"):
            if row[end] is None:
                problems.append(
                    Problem(
                        "dangling_edge",
                        f"edge {row['edge']!r} has no {end}",
                        str(epath),
                        r,
                        end,
                        expected="a node id",
                        fix="fill in both ends of every edge",
                    )
                )
            elif row[end] not in known:
                problems.append(
                    Problem(
                        "unknown_node",
                        f"edge {row['edge']!r} refers to unknown node {row[end]!r}",
                        str(epath),
                        r,
                        end,
                        expected=f"one of the {len(known)} ids in {npath.name}",
                        fix="add the node to the node file or correct the id",
                    )
                )
        if row["u"] == row["v"]:
            problems.append(
                Problem(
                    "self_loop",
                    f"edge {row['edge']!r} joins node {row['u']!r} to itself",
                    str(epath),
                    r,
                    "v",
                    fix="drop the edge",
                )
            )
        for col in ("length_km", "time_h"):
            if pd.isna(row[col]) or not float(row[col]) > 0:
                problems.append(
                    Problem(
                        "edge_length",
                        f"edge {row['edge']!r} has {col} = {row[col]!r}",
                        str(epath),
                        r,
                        col,
                        expected="> 0",
                        fix="give a positive length/time or drop the edge",
                    )
                )
        if pd.isna(row["capacity"]) or float(row["capacity"]) < 0:
            problems.append(
                Problem(
                    "edge_capacity",
                    f"edge {row['edge']!r} has capacity {row['capacity']!r}",
                    str(epath),
                    r,
                    "capacity",
                    expected=">= 0",
                    fix="give a capacity",
                )
            )
    for i, v in ed["edge"][ed["edge"].duplicated()].items():
        problems.append(
            Problem(
                "duplicate_edge",
                f"edge id {v!r} repeats",
                str(epath),
                int(str(i)) + 2,
                "edge",
                fix="make edge ids unique",
            )
        )
    if problems:
        raise ValidationError(problems, f"network files {npath.name} / {epath.name}")
    nd["lon"] = pd.to_numeric(nd["lon"])
    nd["lat"] = pd.to_numeric(nd["lat"])
    return TransportNetwork(nd.set_index(NODE), ed.reset_index(drop=True), "city", None, name or npath.stem)


def check_network(net: TransportNetwork) -> list[Problem]:
    """Warnings about a valid network: every component other than the largest, with its members,
    and isolated nodes."""
    pos = pd.Series(np.arange(len(net.nodes)), index=net.nodes.index)
    iu, iv = pos.reindex(net.edges["u"]).to_numpy(), pos.reindex(net.edges["v"]).to_numpy()
    mat = csr_matrix((np.ones(len(iu)), (iu, iv)), shape=(len(pos), len(pos)))
    k, lab = connected_components(mat, directed=False)
    comps = sorted((net.nodes.index[lab == c].tolist() for c in range(k)), key=len, reverse=True)
    out: list[Problem] = []
    names = net.nodes["name"]
    for k, comp in enumerate(comps[1:], start=2):
        members = ", ".join(f"{c} {names[c]}" for c in comp[:20]) + (" ..." if len(comp) > 20 else "")
        out.append(
            Problem(
                "disconnected_component",
                f"component {k} of {len(comps)} ({len(comp)} node(s)) is cut off from the largest "
                f"({len(comps[0])} nodes): {members}",
                expected="one connected network",
                fix="add the missing links or accept the split",
                severity="warning",
            )
        )
    return out
