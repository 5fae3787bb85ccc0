"""The transport network container: nodes indexed by ``node`` and an edge table.

Edges are undirected. Parallel edges (several lines between the same two cities) are allowed in the
table; the analysis graph collapses them (travel time = the fastest, capacity = the sum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from hinterland.errors import SchemaError, UnknownIdError

__all__ = ["EDGE_COLUMNS", "NODE", "NODE_COLUMNS", "TransportNetwork", "aggregate_by_region"]

NODE = "node"
NODE_COLUMNS = ("name", "region", "pop", "lon", "lat")
EDGE_COLUMNS = ("edge", "u", "v", "mode", "length_km", "time_h", "capacity", "year_open")


@dataclass(frozen=True)
class TransportNetwork:
    """Nodes (index ``node``: int id; ``name``, ``region`` adcode, ``pop``, ``lon``, ``lat``) and
    undirected edges (``edge`` id, ``u``, ``v``, ``mode``, ``length_km``, ``time_h`` hours, ``capacity``
    (train paths/day each way, or the user's unit), ``year_open``; extra columns are kept).

    ``level`` is ``"city"`` or ``"province"``; ``year`` the "as of" year the edges were filtered to.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    level: str = "city"
    year: int | None = None
    name: str = "network"

    def __post_init__(self) -> None:
        if self.nodes.index.name != NODE:
            raise SchemaError(
                f"{self.name}: nodes must be indexed by {NODE!r}, got {self.nodes.index.name!r}"
            )
        missing = [c for c in NODE_COLUMNS if c not in self.nodes.columns]
        if missing:
            raise SchemaError(f"{self.name}: node table lacks column(s) {missing}. Fix: add them.")
        missing = [c for c in EDGE_COLUMNS if c not in self.edges.columns]
        if missing:
            raise SchemaError(f"{self.name}: edge table lacks column(s) {missing}. Fix: add them.")
        if self.nodes.index.has_duplicates:
            dups = self.nodes.index[self.nodes.index.duplicated()].tolist()[:5]
            raise SchemaError(f"{self.name}: duplicate node ids {dups}. Fix: make node ids unique.")
        if self.edges["edge"].duplicated().any():
            dups = self.edges.loc[self.edges["edge"].duplicated(), "edge"].tolist()[:5]
            raise SchemaError(f"{self.name}: duplicate edge ids {dups}. Fix: make edge ids unique.")
        unknown = sorted(set(self.edges["u"]).union(self.edges["v"]) - set(self.nodes.index))
        if unknown:
            raise UnknownIdError(
                f"{self.name}: edges refer to unknown node(s) {unknown[:10]}. "
                "Fix: add them to the node table."
            )
        for col in ("length_km", "time_h"):
            bad = self.edges.loc[~(self.edges[col] > 0), "edge"].tolist()
            if bad:
                raise SchemaError(
                    f"{self.name}: edge(s) {bad[:10]} have {col} <= 0 or missing (expected > 0)."
                )
        if (self.edges["capacity"] < 0).any():
            raise SchemaError(
                f"{self.name}: negative capacity on edge(s) "
                f"{self.edges.loc[self.edges['capacity'] < 0, 'edge'].tolist()[:10]}"
            )
        if (self.edges["u"] == self.edges["v"]).any():
            raise SchemaError(
                f"{self.name}: self-loop edge(s) "
                f"{self.edges.loc[self.edges['u'] == self.edges['v'], 'edge'].tolist()[:10]}"
            )

    @property
    def ids(self) -> pd.Index:
        return self.nodes.index

    def __len__(self) -> int:
        return len(self.nodes)

    def as_of(self, year: int) -> TransportNetwork:
        """The network with only the edges open by ``year`` (``year_open <= year``); all nodes kept."""
        keep = self.edges["year_open"].fillna(-np.inf) <= year
        return TransportNetwork(
            self.nodes, self.edges[keep].reset_index(drop=True), self.level, year, self.name
        )

    def without_edges(self, edge_ids: object) -> TransportNetwork:
        """The network with the given edge ids removed."""
        ids = set(np.atleast_1d(np.asarray(edge_ids)).tolist())
        keep = ~self.edges["edge"].isin(ids)
        return TransportNetwork(
            self.nodes, self.edges[keep].reset_index(drop=True), self.level, self.year, self.name
        )

    def position(self, node: int) -> int:
        """Row position of ``node`` in the node table."""
        try:
            return int(self.nodes.index.get_loc(node))  # type: ignore[arg-type]
        except KeyError:
            raise UnknownIdError(
                f"{self.name}: unknown node {node!r}. Fix: use one of the node ids."
            ) from None


def aggregate_by_region(net: TransportNetwork) -> TransportNetwork:
    """Collapse a city network to one node per ``region`` (province adcode).

    * node: the province; ``pop`` = sum over its cities; position and ``name`` of its capital city
      (``is_capital`` column if present, else the most populous city);
    * one edge per pair of provinces joined by at least one city edge :math:`e=(u,v)`,
      :math:`u \\in A, v \\in B`, with capacity :math:`c_{AB} = \\sum_{e} c_e` (the cut capacity between
      the two provinces' cities along direct links) and capital-to-capital time through the best crossing
      :math:`t_{AB} = \\min_e \\big(d(h_A, u) + t_e + d(v, h_B)\\big)` on the whole city network,
      length likewise; ``year_open`` = the earliest crossing edge.
    """
    nodes = net.nodes
    cap_col = (
        nodes["is_capital"].astype(bool) if "is_capital" in nodes.columns else pd.Series(False, nodes.index)
    )
    hubs = {}
    for region, grp in nodes.groupby("region"):
        caps = grp.index[cap_col.loc[grp.index].to_numpy()]
        hubs[region] = caps[0] if len(caps) else grp["pop"].idxmax()
    pos = pd.Series(np.arange(len(nodes)), index=nodes.index)
    hub_pos = np.array([pos[h] for h in hubs.values()])
    iu0 = pos.reindex(net.edges["u"]).to_numpy()
    iv0 = pos.reindex(net.edges["v"]).to_numpy()
    t0 = net.edges["time_h"].to_numpy(float)
    pairs = pd.DataFrame({"a": np.r_[iu0, iv0], "b": np.r_[iv0, iu0], "t": np.r_[t0, t0]})
    fast = pairs.groupby(["a", "b"])["t"].min()  # parallel edges: the fastest
    mat = csr_matrix(
        (fast.to_numpy(), (fast.index.get_level_values(0), fast.index.get_level_values(1))),
        shape=(len(nodes), len(nodes)),
    )
    d = np.asarray(dijkstra(mat, directed=False, indices=hub_pos))
    reg_row = {r: i for i, r in enumerate(hubs)}
    region = nodes["region"]
    e = net.edges.assign(
        ru=region.reindex(net.edges["u"]).to_numpy(), rv=region.reindex(net.edges["v"]).to_numpy()
    )
    e = e[e["ru"] != e["rv"]].copy()
    flip = e["ru"] > e["rv"]
    e.loc[flip, ["u", "v", "ru", "rv"]] = e.loc[flip, ["v", "u", "rv", "ru"]].to_numpy()
    pu = pos.reindex(e["u"]).to_numpy()
    pv = pos.reindex(e["v"]).to_numpy()
    iu = np.array([reg_row[r] for r in e["ru"]], dtype=np.int64)
    iv = np.array([reg_row[r] for r in e["rv"]], dtype=np.int64)
    e["via_time"] = d[iu, pu] + e["time_h"].to_numpy() + d[iv, pv]
    speed = (e["length_km"] / e["time_h"]).to_numpy()
    e["via_len"] = e["length_km"] + speed * (d[iu, pu] + d[iv, pv])
    rows = []
    for (ra, rb), grp in e.groupby(["ru", "rv"]):
        best = grp["via_time"].idxmin()
        t = float(grp.at[best, "via_time"])
        if not np.isfinite(t):
            t = float(grp["time_h"].min())
        rows.append(
            {
                "u": ra,
                "v": rb,
                "mode": "rail",
                "length_km": float(grp.at[best, "via_len"])
                if np.isfinite(grp.at[best, "via_len"])
                else float(grp["length_km"].min()),
                "time_h": t,
                "capacity": float(grp["capacity"].sum()),
                "year_open": grp["year_open"].min(),
                "n_city_edges": len(grp),
            }
        )
    edges = pd.DataFrame(
        rows, columns=["u", "v", "mode", "length_km", "time_h", "capacity", "year_open", "n_city_edges"]
    )
    edges.insert(0, "edge", np.arange(len(edges)))
    hub_nodes = nodes.loc[list(hubs.values())]
    pnodes = pd.DataFrame(
        {
            "name": [str(x) for x in hub_nodes["name"]],
            "region": list(hubs.keys()),
            "pop": nodes.groupby("region")["pop"].sum().reindex(list(hubs.keys())).to_numpy(),
            "lon": hub_nodes["lon"].to_numpy(),
            "lat": hub_nodes["lat"].to_numpy(),
            "hub": list(hubs.values()),
        },
        index=pd.Index(list(hubs.keys()), name="node"),
    )
    return TransportNetwork(pnodes, edges, "province", net.year, f"{net.name} (by province)")
