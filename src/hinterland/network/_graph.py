"""Compact array form of a :class:`TransportNetwork` and the shortest-path kernels on it.

The analysis graph is simple and undirected: parallel edges between two nodes collapse into one link
with the fastest travel time and the summed capacity (Ford & Fulkerson 1956: parallel arcs add).
Shortest paths use :func:`scipy.sparse.csgraph.dijkstra` (Dijkstra 1959).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from hinterland.containers import TransportNetwork

__all__ = ["Graph", "from_network", "shortest_times", "travel_time_matrix"]


@dataclass(frozen=True)
class Graph:
    """Simple undirected graph: ``n`` nodes (0..n-1), links ``a[k] < b[k]`` with ``time[k]`` and
    ``capacity[k]``; ``members[k]`` lists the edge ids of the network that the link merges."""

    labels: pd.Index
    a: np.ndarray
    b: np.ndarray
    time: np.ndarray
    capacity: np.ndarray
    members: tuple[tuple[object, ...], ...]

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def m(self) -> int:
        return len(self.a)

    def csr(self, weight: np.ndarray | None = None, drop: np.ndarray | None = None) -> csr_matrix:
        """Symmetric CSR matrix of link weights (default travel time) without the links in ``drop``."""
        w = self.time if weight is None else weight
        keep = np.ones(self.m, bool)
        if drop is not None:
            keep[drop] = False
        a, b, w = self.a[keep], self.b[keep], w[keep]
        return csr_matrix((np.r_[w, w], (np.r_[a, b], np.r_[b, a])), shape=(self.n, self.n))


def from_network(net: TransportNetwork) -> Graph:
    """Collapse the network's edge table into a :class:`Graph` (fastest time, summed capacity)."""
    pos = pd.Series(np.arange(len(net.nodes)), index=net.nodes.index)
    e = net.edges
    u = pos.loc[e["u"]].to_numpy()
    v = pos.loc[e["v"]].to_numpy()
    df = pd.DataFrame(
        {
            "a": np.minimum(u, v),
            "b": np.maximum(u, v),
            "time": e["time_h"].to_numpy(float),
            "capacity": e["capacity"].to_numpy(float),
            "edge": e["edge"].to_numpy(),
        }
    )
    g = df.groupby(["a", "b"], sort=True).agg(
        time=("time", "min"), capacity=("capacity", "sum"), edge=("edge", tuple)
    )
    a = g.index.get_level_values("a").to_numpy(np.int64)
    b = g.index.get_level_values("b").to_numpy(np.int64)
    return Graph(net.nodes.index, a, b, g["time"].to_numpy(), g["capacity"].to_numpy(), tuple(g["edge"]))


def shortest_times(
    graph: Graph,
    drop: np.ndarray | None = None,
    sources: np.ndarray | None = None,
    predecessors: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Travel times :math:`d_{ij}` from ``sources`` (default all) by Dijkstra; ``inf`` if unreachable."""
    mat = graph.csr(drop=drop)
    if predecessors:
        d, p = dijkstra(mat, directed=False, indices=sources, return_predecessors=True)
        return np.asarray(d), np.asarray(p)
    return np.asarray(dijkstra(mat, directed=False, indices=sources)), None


def travel_time_matrix(net: TransportNetwork) -> pd.DataFrame:
    """Shortest travel time (hours) between every pair of nodes, a labelled node x node DataFrame.

    .. math:: d_{ij} = \\min_{P \\in \\mathcal{P}_{ij}} \\sum_{e \\in P} t_e

    (Dijkstra 1959); ``inf`` where no path exists. Index ``node``, columns ``node_to``.
    """
    g = from_network(net)
    d, _ = shortest_times(g)
    out = pd.DataFrame(d, index=net.nodes.index.copy(), columns=pd.Index(net.nodes.index, name="node_to"))
    out.index.name = "node"
    return out
