"""Criticality of links and nodes: N-1 sweeps and a greedy N-k search.

For each link :math:`e` the sweep removes it and measures

* the efficiency loss :math:`\\Delta E_e = E(G) - E(G \\setminus e)` (Latora & Marchiori 2001);
* the population-weighted travel-time increase (Jenelius, Petersen & Mattsson 2006, "importance")
  over the OD pairs that stay connected,
  :math:`I_e = \\sum_{od} w_{od} (d_{od}(G\\setminus e) - d_{od}(G)) / \\sum_{od} w_{od}` with
  :math:`w_{od} = P_o P_d`, in hours;
* the OD pairs disconnected (counted, and as a share of :math:`\\sum w_{od}`: unsatisfied demand,
  reported separately rather than as an infinite time).

Exactness of the fast sweep: if :math:`e` is not in the shortest-path tree of source :math:`s`, the
tree survives the removal, so every :math:`d_{s\\cdot}` is unchanged. Only the sources whose tree uses
:math:`e` are recomputed (scipy Dijkstra with ``indices``); the others keep their row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError
from hinterland.network._graph import Graph, from_network

__all__ = ["n1_edges", "n1_nodes", "nk_greedy", "sweep_links"]


def _pair_weights(net: TransportNetwork, weights: str | None) -> np.ndarray:
    n = len(net.nodes)
    if weights is None:
        w = np.ones(n)
    else:
        if weights not in net.nodes.columns:
            raise ConfigError(
                f"weights column {weights!r} is not in the node table {list(net.nodes.columns)}"
            )
        w = net.nodes[weights].to_numpy(float)
    ww = np.outer(w, w)
    np.fill_diagonal(ww, 0.0)
    return ww


def _row_stats(d: np.ndarray, rows: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        inv = 1.0 / d
    inv[np.arange(len(rows)), rows] = 0.0
    return np.asarray(inv.sum(1))


def sweep_links(g: Graph, ww: np.ndarray, base_drop: np.ndarray | None = None) -> pd.DataFrame:
    """N-1 over the links of ``g`` not in ``base_drop`` (exact, incremental; see module docstring).

    For link :math:`e=\\{a,b\\}` let :math:`A_e = \\{s: \\pi_s(b) = a\\}` and
    :math:`B_e = \\{s: \\pi_s(a) = b\\}` (:math:`\\pi_s` the predecessor in the tree of :math:`s`). A pair
    :math:`(s,t)` can change only if :math:`s \\in A_e, t \\in B_e` or the reverse, so by symmetry of
    :math:`d` only the rows of the smaller set are recomputed and their changes counted twice.

    Returns one row per link position ``k`` with ``efficiency`` after removal, ``eff_loss``,
    ``pw_delay_h``, ``pairs_disconnected`` (unordered) and ``demand_disconnected`` (share of weight).
    """
    n = g.n
    drop0 = np.zeros(g.m, bool) if base_drop is None else base_drop.copy()
    base = g.csr(drop=np.flatnonzero(drop0))
    base.sort_indices()
    d0, pred = dijkstra(base, directed=False, return_predecessors=True)
    d0 = np.asarray(d0)
    with np.errstate(divide="ignore"):
        inv0 = 1.0 / d0
    np.fill_diagonal(inv0, 0.0)
    total = float(inv0.sum())
    denom = max(n * (n - 1), 1)
    e0 = total / denom
    conn0 = np.isfinite(d0)
    wtot = float(ww.sum())
    wconn = float((ww * conn0).sum())
    indptr, indices = base.indptr, base.indices
    out = []
    for k in np.flatnonzero(~drop0):
        a, b = int(g.a[k]), int(g.b[k])
        side_a = np.flatnonzero(pred[:, b] == a)
        side_b = np.flatnonzero(pred[:, a] == b)
        rows = side_a if len(side_a) <= len(side_b) else side_b
        if len(rows) == 0:
            out.append((k, e0, 0.0, 0.0, 0, 0.0))
            continue
        data = base.data.copy()
        for x, y in ((a, b), (b, a)):
            lo, hi = indptr[x], indptr[x + 1]
            data[lo + np.searchsorted(indices[lo:hi], y)] = np.inf
        mat = base.copy()
        mat.data = data
        dn = np.asarray(dijkstra(mat, directed=False, indices=rows))
        old = d0[rows]
        with np.errstate(divide="ignore"):
            inv_new = 1.0 / dn
        inv_new[np.arange(len(rows)), rows] = 0.0
        change = float((inv0[rows] - inv_new).sum())
        eff = (total - 2.0 * change) / denom
        still = np.isfinite(dn)
        lost = conn0[rows] & ~still
        wa = ww[rows]
        diff = np.where(still & conn0[rows], dn - np.where(conn0[rows], old, 0.0), 0.0)
        delay = 2.0 * float((wa * diff).sum()) / wconn if wconn > 0 else 0.0
        out.append(
            (k, eff, e0 - eff, delay, int(lost.sum()), 2.0 * float((wa * lost).sum()) / wtot if wtot else 0.0)
        )
    cols = ["link", "efficiency", "eff_loss", "pw_delay_h", "pairs_disconnected", "demand_disconnected"]
    return pd.DataFrame(out, columns=cols).set_index("link")


def _link_table(net: TransportNetwork, g: Graph, res: pd.DataFrame) -> pd.DataFrame:
    k = res.index.to_numpy(dtype=np.int64)  # also when there is no link
    e0 = res["efficiency"].iloc[0] + res["eff_loss"].iloc[0] if len(res) else 0.0
    t = pd.DataFrame(
        {
            "u": g.labels[g.a[k]],
            "v": g.labels[g.b[k]],
            "edges": [";".join(map(str, g.members[i])) for i in k],
            "time_h": g.time[k],
            "capacity": g.capacity[k],
        }
    )
    t = pd.concat([t, res.reset_index(drop=True)], axis=1)
    t["eff_loss_pct"] = 100 * t["eff_loss"] / e0 if e0 > 0 else 0.0
    if "name" in net.nodes.columns:
        t.insert(2, "u_name", net.nodes["name"].reindex(t["u"]).to_numpy())
        t.insert(3, "v_name", net.nodes["name"].reindex(t["v"]).to_numpy())
    t = t.sort_values(["eff_loss", "demand_disconnected", "pw_delay_h"], ascending=False).reset_index(
        drop=True
    )
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    return t


def n1_edges(net: TransportNetwork, weights: str | None = "pop") -> pd.DataFrame:
    """N-1 criticality of every link (parallel edges merged), ranked by efficiency loss.

    Columns: ``rank, u, v, (u_name, v_name,) edges, time_h, capacity, efficiency, eff_loss,
    pw_delay_h, pairs_disconnected, demand_disconnected, eff_loss_pct``. ``weights`` is the node column
    giving :math:`P` in :math:`w_{od} = P_o P_d` (``None``: all ones).
    """
    g = from_network(net)
    return _link_table(net, g, sweep_links(g, _pair_weights(net, weights)))


def n1_nodes(net: TransportNetwork, weights: str | None = "pop") -> pd.DataFrame:
    """N-1 criticality of every node: all its links removed, the node kept (pairs with it are lost).

    .. math:: \\Delta E_i = E(G) - E(G \\setminus \\delta(i)),\\qquad \\delta(i) = \\text{links at } i

    The denominator stays :math:`n(n-1)`. Same columns as :func:`n1_edges` but per ``node``.
    """
    g = from_network(net)
    ww = _pair_weights(net, weights)
    n = g.n
    d0 = np.asarray(dijkstra(g.csr(), directed=False))
    e0 = _row_stats(d0, np.arange(n)).sum() / (n * (n - 1)) if n > 1 else 0.0
    conn0 = np.isfinite(d0)
    wtot = ww.sum()
    wconn = (ww * conn0).sum()
    rows = []
    for i in range(n):
        drop = np.flatnonzero((g.a == i) | (g.b == i))
        dn = np.asarray(dijkstra(g.csr(drop=drop), directed=False)) if len(drop) else d0
        eff = _row_stats(dn, np.arange(n)).sum() / (n * (n - 1)) if n > 1 else 0.0
        still = np.isfinite(dn)
        lost = conn0 & ~still
        both = conn0 & still
        with np.errstate(invalid="ignore"):
            delay = float((ww * np.where(both, dn - d0, 0.0)).sum() / wconn) if wconn else 0.0
        rows.append(
            (
                g.labels[i],
                len(drop),
                eff,
                e0 - eff,
                delay,
                int(lost.sum()) // 2,
                float((ww * lost).sum() / wtot) if wtot else 0.0,
            )
        )
    t = pd.DataFrame(
        rows,
        columns=[
            "node",
            "degree",
            "efficiency",
            "eff_loss",
            "pw_delay_h",
            "pairs_disconnected",
            "demand_disconnected",
        ],
    )
    t["eff_loss_pct"] = 100 * t["eff_loss"] / e0 if e0 > 0 else 0.0
    if "name" in net.nodes.columns:
        t.insert(1, "name", net.nodes["name"].reindex(t["node"]).to_numpy())
    t = t.sort_values(["eff_loss", "demand_disconnected"], ascending=False).reset_index(drop=True)
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    return t


def nk_greedy(net: TransportNetwork, k: int, weights: str | None = "pop") -> pd.DataFrame:
    """Worst-case N-k link set by greedy search: at each step remove the link whose loss, given the
    links already removed, is largest (a heuristic for the k-link interdiction problem, Israeli &
    Wood 2002; greedy selection as in Church, Scaparra & Middleton 2004).

    Columns: ``step, u, v, edges, efficiency, eff_loss_cum, eff_loss_cum_pct, demand_disconnected_step``
    (share of the demand still connected before the step that the step cuts off).
    """
    if k < 1:
        raise ConfigError(f"k must be >= 1, got {k}")
    g = from_network(net)
    if k > g.m:
        raise ConfigError(f"k = {k} exceeds the {g.m} links of the network. Fix: choose k <= {g.m}.")
    ww = _pair_weights(net, weights)
    drop = np.zeros(g.m, bool)
    e0 = None
    rows = []
    for step in range(1, k + 1):
        res = sweep_links(g, ww, drop)
        if e0 is None:
            e0 = float(res["efficiency"].iloc[0] + res["eff_loss"].iloc[0])
        best = res.sort_values(["eff_loss", "demand_disconnected"], ascending=False).iloc[0]
        link = int(res.sort_values(["eff_loss", "demand_disconnected"], ascending=False).index[0])
        drop[link] = True
        rows.append(
            {
                "step": step,
                "u": g.labels[g.a[link]],
                "v": g.labels[g.b[link]],
                "edges": ";".join(map(str, g.members[link])),
                "efficiency": float(best["efficiency"]),
                "eff_loss_cum": e0 - float(best["efficiency"]),
                "eff_loss_cum_pct": 100 * (e0 - float(best["efficiency"])) / e0 if e0 else 0.0,
                "demand_disconnected_step": float(best["demand_disconnected"]),
            }
        )
    return pd.DataFrame(rows)
