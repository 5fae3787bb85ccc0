"""Efficiency, accessibility and connected components from a travel-time matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from hinterland.containers import TransportNetwork
from hinterland.network._graph import from_network, shortest_times

__all__ = ["accessibility", "components", "efficiency_from_times", "global_efficiency"]


def efficiency_from_times(d: np.ndarray) -> float:
    """Global efficiency of a full travel-time matrix (Latora & Marchiori 2001).

    .. math:: E(G) = \\frac{1}{n(n-1)} \\sum_{i \\ne j} \\frac{1}{d_{ij}},

    disconnected pairs (:math:`d_{ij}=\\infty`) contribute 0. Units: 1/hour.
    """
    n = d.shape[0]
    if n < 2:
        return 0.0
    with np.errstate(divide="ignore"):
        inv = 1.0 / d
    np.fill_diagonal(inv, 0.0)
    return float(inv.sum() / (n * (n - 1)))


def global_efficiency(net: TransportNetwork) -> float:
    """Travel-time weighted global efficiency :math:`E(G)` of the network (see :func:`efficiency_from_times`).

    With all times equal to 1 this is the unweighted efficiency of networkx ``global_efficiency``;
    a 4-cycle gives :math:`(8 \\cdot 1 + 4 \\cdot \\tfrac12)/12 = 5/6`.
    """
    d, _ = shortest_times(from_network(net))
    return efficiency_from_times(d)


def accessibility(net: TransportNetwork, *, beta: float = 0.2, hours: float = 3.0) -> pd.DataFrame:
    """Accessibility of every node, with the 2020 population ``pop`` as the mass :math:`W_j`.

    * ``avg_time_h``: weighted average travel time
      :math:`A^{T}_i = \\sum_{j \\ne i} W_j d_{ij} / \\sum_{j\\ne i} W_j`
      over the reachable :math:`j` (Gutiérrez 2001);
    * ``potential``: gravity accessibility :math:`A^{G}_i = \\sum_{j} W_j e^{-\\beta d_{ij}}` (Hansen 1959),
      including :math:`j=i`, with :math:`\\beta` per hour;
    * ``daily_pop``: cumulative opportunities :math:`A^{D}_i(T) = \\sum_{j} W_j \\mathbf 1[d_{ij} \\le T]`
      (population within ``hours``);
    * ``reachable``: number of other nodes reachable; ``efficiency``: nodal efficiency
      :math:`\\frac{1}{n-1}\\sum_{j\\ne i} 1/d_{ij}`.
    """
    d, _ = shortest_times(from_network(net))
    w = net.nodes["pop"].to_numpy(float)
    n = len(w)
    off = ~np.eye(n, dtype=bool)
    reach = np.isfinite(d) & off
    wr = np.where(reach, w[None, :], 0.0)
    dd = np.where(reach, d, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = (wr * dd).sum(1) / wr.sum(1)
        inv = np.where(reach, 1.0 / d, 0.0)
    potential = (w[None, :] * np.exp(-beta * d)).sum(1)
    daily = (w[None, :] * (d <= hours)).sum(1)
    out = pd.DataFrame(
        {
            "avg_time_h": avg,
            "potential": potential,
            "daily_pop": daily,
            "reachable": reach.sum(1),
            "efficiency": inv.sum(1) / max(n - 1, 1),
        },
        index=net.nodes.index.copy(),
    )
    return out


def components(net: TransportNetwork) -> list[list[object]]:
    """Connected components as lists of node ids, largest first."""
    g = from_network(net)
    k, lab = connected_components(g.csr(weight=np.ones(g.m)), directed=False)
    groups = [net.nodes.index[lab == c].tolist() for c in range(k)]
    return sorted(groups, key=len, reverse=True)
