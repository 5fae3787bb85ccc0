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
from hinterland.network._kernels import core_and_back

__all__ = ["Graph", "all_pairs_times", "from_network", "shortest_times", "travel_time_matrix"]


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


_FLOYD_MAX_CORE = 300  # cores up to this size are solved by Floyd-Warshall (compiled), larger by Dijkstra


def all_pairs_times(n: int, a: np.ndarray, b: np.ndarray, t: np.ndarray, max_degree: int = 5) -> np.ndarray:
    r"""All-pairs shortest travel times by vertex elimination, then the remaining core.

    Nodes of degree :math:`\le` ``max_degree`` are eliminated one at a time; eliminating :math:`v`
    adds the shortcut :math:`\{x,y\}` of time :math:`w_{vx}+w_{vy}` for each pair of its neighbours
    (kept if faster), which preserves the distances among the remaining nodes (the node-elimination
    step of contraction hierarchies, Geisberger et al. 2008). The core is solved by Floyd–Warshall
    (compiled, :func:`._kernels.core_and_back`; Dijkstra from every core node when the core has more
    than ``_FLOYD_MAX_CORE`` nodes); the eliminated nodes are put back in reverse order with

    .. math:: d_{vx} = \min_{u \in N(v)} \big(w_{vu} + d_{ux}\big)

    for every :math:`x` already present (exact: a path from :math:`v` leaves through a neighbour it
    had when it was eliminated). Rail networks are mostly chains and low-degree junctions, so the core
    is a small part of the nodes. Sums are associated differently from a Dijkstra run (equal to a few
    ulp). ``inf`` where no path exists.
    """
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    for x, y, w in zip(a.tolist(), b.tolist(), t.tolist(), strict=True):
        if w < adj[x].get(y, np.inf):
            adj[x][y] = w
            adj[y][x] = w
    alive = np.ones(n, bool)
    stack = [v for v in range(n) if len(adj[v]) <= max_degree]
    order: list[int] = []
    nbrs: list[list[tuple[int, float]]] = []
    while stack:
        v = stack.pop()
        if not alive[v] or len(adj[v]) > max_degree:
            continue
        alive[v] = False
        items = list(adj[v].items())
        order.append(v)
        nbrs.append(items)
        for u, _ in items:
            del adj[u][v]
        for i, (x, wx) in enumerate(items):
            for y, wy in items[i + 1 :]:
                if wx + wy < adj[x].get(y, np.inf):
                    adj[x][y] = wx + wy
                    adj[y][x] = wx + wy
        stack.extend(u for u, _ in items if len(adj[u]) <= max_degree)
    core = np.flatnonzero(alive)
    perm = np.r_[core, np.array(order[::-1], dtype=np.int64)]
    posn = np.empty(n, np.int64)
    posn[perm] = np.arange(n)
    nc = len(core)
    d = np.full((n, n), np.inf)
    r = [int(posn[x]) for x in core.tolist() for _ in adj[x]]
    c = [int(posn[y]) for x in core.tolist() for y in adj[x]]
    w = [wt for x in core.tolist() for wt in adj[x].values()]
    back = nbrs[::-1]
    ptr = np.r_[0, np.cumsum([len(items) for items in back])].astype(np.int64)
    pos = np.array([int(posn[u]) for items in back for u, _ in items], dtype=np.int64)
    wb = np.array([wu for items in back for _, wu in items], dtype=float)
    floyd = nc <= _FLOYD_MAX_CORE  # Floyd-Warshall's nc^3 beats Dijkstra from every core node
    if floyd:
        d[r, c] = w
        d[np.arange(nc), np.arange(nc)] = 0.0
    elif nc:
        d[:nc, :nc] = dijkstra(csr_matrix((w, (r, c)), shape=(nc, nc)), directed=True)
    core_and_back(d, nc, floyd, ptr, pos, wb)
    return np.asarray(d.take(posn, 0).take(posn, 1))


def shortest_times(
    graph: Graph,
    drop: np.ndarray | None = None,
    sources: np.ndarray | None = None,
    predecessors: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Travel times :math:`d_{ij}` from ``sources`` (default all) by Dijkstra; ``inf`` if unreachable.
    All pairs without predecessors use :func:`all_pairs_times` (same numbers, faster)."""
    if sources is None and not predecessors:
        keep = np.ones(graph.m, bool)
        if drop is not None:
            keep[drop] = False
        return all_pairs_times(graph.n, graph.a[keep], graph.b[keep], graph.time[keep]), None
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
