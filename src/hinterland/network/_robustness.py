"""Attack and failure curves: performance against the fraction of nodes removed.

After removing :math:`k` nodes (their links cut, the nodes kept in the denominator), the performance is

* the giant-component share :math:`S(f) = |C_{\\max}| / n`, and
* the relative efficiency :math:`E(f)/E(0)` (Latora & Marchiori 2001),

with :math:`f = k/n`. Strategies: ``random`` (Monte-Carlo mean and 5-95 % band over draws),
``degree`` and ``betweenness`` (the highest-ranked remaining node, recomputed after each removal;
Albert, Jeong & Barabási 2000; Holme et al. 2002). The robustness figure is the area under the curve
(Schneider et al. 2011), :math:`R = \\frac{1}{M}\\sum_{k=1}^{M} Q(k/n)` over the :math:`M` steps.

Betweenness uses travel-time shortest paths, counted on shortest-path trees: the number of ordered
pairs :math:`(s,t)`, :math:`s \\ne v \\ne t`, whose path passes through :math:`v`. With real-valued times
shortest paths are unique (almost surely) and this equals Brandes' (2001) betweenness. Where two paths
are exactly equally fast, the tree takes the predecessor with the smallest index
(:func:`canonical_pred`), so the count does not depend on the order in which Dijkstra scans nodes.

The targeted and random curves update the times, trees and betweenness after each removal instead of
recomputing them (``method="incremental"``, the default; :class:`_Attack`): only the pairs whose
shortest path ran through the removed node are re-routed. The result equals the full recomputation
(``method="recompute"``) bit for bit, ties included (Ramalingam & Reps 1996 restrict dynamic
shortest-path updates to the affected subtrees in the same way).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError
from hinterland.network._graph import Graph, from_network
from hinterland.network._kernels import remove_node
from hinterland.network._measures import efficiency_from_times

__all__ = [
    "METHODS",
    "STRATEGIES",
    "attack_curve",
    "canonical_pred",
    "robustness_index",
    "subtree_counts",
    "tree_betweenness",
]

STRATEGIES = ("random", "degree", "betweenness")
METHODS = ("incremental", "recompute")


_NOPATH = -9999  # scipy's "no predecessor" marker
_TOL = 1e-9  # relative slack of the distance test that proposes the subtree of the removed node


def subtree_counts(d: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Matrix :math:`C_{sw} = |T_s(w)| - 1` (0 for :math:`w = s` or unreachable :math:`w`): the number of
    targets :math:`t \\ne w` whose shortest path from :math:`s` passes through :math:`w`.

    Subtree sizes accumulate from the farthest node inwards (children are farther than parents as
    times are positive). Column sums are :func:`tree_betweenness`."""
    ns, n = pred.shape
    rows = np.arange(ns)
    order = np.argsort(np.where(np.isfinite(d), d, np.inf), axis=1, kind="stable")[:, ::-1]
    # flat positions (column-major over j) of each node and of its parent; no parent -> a dummy slot
    par = pred[rows[:, None], order]
    iv = (rows[:, None] * n + order).T.copy()
    ip = np.where(par >= 0, rows[:, None] * n + par, ns * n).T.copy()
    size = np.ones(ns * n + 1)
    for j in range(n):  # farthest first: a node's subtree is complete before it is added to its parent
        size[ip[j]] += size[iv[j]]  # parents within one column are in distinct rows: no duplicates
    sub = size[: ns * n].reshape(ns, n)
    return np.where(pred >= 0, sub - 1.0, 0.0)


def tree_betweenness(d: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Node betweenness from all-pairs times ``d`` and predecessors ``pred`` (row :math:`s`: the
    shortest-path tree of source :math:`s`).

    .. math:: B(v) = \\sum_{s \\ne v} \\big(|T_s(v)| - 1\\big)

    where :math:`|T_s(v)|` is the size of the subtree of :math:`v` in the tree of :math:`s`: every node
    of that subtree other than :math:`v` is reached through :math:`v`. Counts ordered pairs (networkx's
    ``normalized=False`` betweenness of an undirected graph is half of it)."""
    return np.asarray(subtree_counts(d, pred).sum(0))


def _arcs(g: Graph, removed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both directions ``y -> t`` of every link whose ends are not removed, with its time."""
    keep = ~(removed[g.a] | removed[g.b])
    return np.r_[g.a[keep], g.b[keep]], np.r_[g.b[keep], g.a[keep]], np.r_[g.time[keep], g.time[keep]]


def canonical_pred(g: Graph, removed: np.ndarray, d: np.ndarray, pred: np.ndarray) -> np.ndarray:
    r"""Shortest-path trees with ties broken by the smallest node index.

    .. math:: \pi_s(t) = \min\{y \in N(t) : d_{sy} + t_{yt} = d_{st}\}

    (floating-point equality, as Dijkstra computes :math:`d_{st}`). Dijkstra's own choice among tied
    predecessors depends on the order in which it scans nodes; this rule depends on the times only,
    so an updated tree and a recomputed one agree. Where the predecessor is unique, ``pred`` is kept."""
    n = g.n
    y, t, w = _arcs(g, removed)
    dt = d[:, t]
    s_i, k = np.nonzero(((d[:, y] + w) == dt) & np.isfinite(dt))
    flat = s_i * n + t[k]
    cnt = np.bincount(flat, minlength=n * n)
    tied = cnt[flat] > 1
    if not tied.any():
        return pred
    best = np.full(n * n, n, np.int64)
    np.minimum.at(best, flat[tied], y[k[tied]])
    out = pred.copy().ravel()
    fix = np.flatnonzero(cnt > 1)
    out[fix] = best[fix]
    return out.reshape(n, n)


def _trees(g: Graph, removed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All-pairs times and canonical shortest-path trees (full recomputation)."""
    d, p = _state(g, removed)
    return d, canonical_pred(g, removed, d, p)


class _Attack:
    """All-pairs times, shortest-path trees and (optionally) the subtree counts :math:`C` of a
    network from which nodes are removed one at a time, updated exactly.

    Removing :math:`v` changes row :math:`s` only inside the subtree :math:`U_s = T_s(v) \\setminus
    \\{v\\}`: every other node keeps its time and its tree path, which avoids :math:`v`, and its
    canonical predecessor (a tie partner in :math:`U_s` can only drop out). The update runs in a
    compiled kernel (:func:`._kernels.remove_node`, numba): per affected source, the subtree
    (proposed by :math:`d_{sv} + d_{vt} \\le d_{st}(1 + 10^{-9})`, cut down exactly to the part closed
    under "parent"), a Dijkstra run over :math:`U_s` seeded with :math:`\\min_y (d_{sy} + t_{yu})` from the
    nodes outside it (the same floating-point sums as a fresh Dijkstra run from :math:`s`), canonical
    predecessors, and the subtree counts :math:`C_{sw} = |T_s(w)| - 1`: :math:`-|T_s(v)|` on the old
    ancestors of :math:`v`, the new subtree sizes on :math:`U_s`, and :math:`+|T'_s(r)|` on the ancestors
    of the node where each re-attached subtree root :math:`r` now hangs. Efficiency and giant component are
    kept as the matrix :math:`1/d` and the number of reachable nodes per row."""

    def __init__(self, g: Graph, counts: bool) -> None:
        self.g = g
        self.n = g.n
        self.counts = counts
        self.removed = np.zeros(g.n, bool)
        self.full_steps = 0
        self._adjacency()
        self._full()

    def _adjacency(self) -> None:
        """Arcs of the remaining links grouped by tail node, heads ascending (CSR layout)."""
        y, t, w = _arcs(self.g, self.removed)
        order = np.lexsort((t, y))
        self.nbr, self.wt = t[order], w[order]
        self.indptr = np.r_[0, np.cumsum(np.bincount(y, minlength=self.n))]

    def _full(self) -> None:
        d, p = _trees(self.g, self.removed)
        self.d, self.p = d, p
        with np.errstate(divide="ignore"):
            self.inv = 1.0 / d
        np.fill_diagonal(self.inv, 0.0)
        self.reach = np.isfinite(d).sum(1)
        if self.counts:
            self.c = subtree_counts(d, p)
        self.full_steps += 1

    def performance(self) -> tuple[float, float]:
        """Giant-component share and global efficiency, as :func:`_perf` on the current times."""
        n = self.n
        eff = float(self.inv.sum() / (n * (n - 1))) if n > 1 else 0.0
        return float(self.reach.max() / n), eff

    def betweenness(self) -> np.ndarray:
        return np.asarray(self.c.sum(0))

    def remove(self, v: int) -> None:
        self.removed[v] = True
        self._adjacency()
        c = self.c if self.counts else np.zeros((1, 1))
        ok = remove_node(
            v, self.d, self.p, self.inv, self.reach, c, self.counts, self.indptr, self.nbr, self.wt, _TOL
        )
        if not ok:  # a subtree node failed the distance test: cannot happen, recompute
            self._full()


def _state(g: Graph, removed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    drop = np.flatnonzero(removed[g.a] | removed[g.b])
    mat = g.csr(drop=drop)
    d, p = dijkstra(mat, directed=False, return_predecessors=True)
    return np.asarray(d), np.asarray(p)


def _perf(g: Graph, removed: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    """Giant-component share (largest number of finite times in a row) and efficiency of ``d``."""
    giant = np.isfinite(d).sum(1).max() / g.n
    return float(giant), efficiency_from_times(d)


def attack_curve(
    net: TransportNetwork,
    strategy: str = "betweenness",
    *,
    max_fraction: float = 0.3,
    draws: int = 20,
    seed: int = 0,
    method: str = "incremental",
) -> pd.DataFrame:
    """Performance after each removal step: ``step, fraction, giant, efficiency_rel`` (mean) and for
    ``random`` also ``giant_p05, giant_p95, eff_p05, eff_p95``; ``removed`` names the node taken out
    (targeted strategies). Step 0 is the intact network.

    ``method="incremental"`` updates times, trees and betweenness after each removal (exact, see
    :class:`_Attack`); ``"recompute"`` runs Dijkstra from every source at every step (the reference)."""
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown attack strategy {strategy!r}; expected one of {STRATEGIES}")
    if method not in METHODS:
        raise ConfigError(f"unknown attack method {method!r}; expected one of {METHODS}")
    if not 0 < max_fraction <= 1:
        raise ConfigError(f"max_fraction must be in (0, 1], got {max_fraction}")
    g = from_network(net)
    n = g.n
    steps = int(np.floor(max_fraction * n))
    fast = method == "incremental"
    targeted = _Attack(g, counts=strategy == "betweenness") if fast and strategy != "random" else None
    d0 = targeted.d if targeted is not None else _state(g, np.zeros(n, bool))[0]
    e0 = efficiency_from_times(d0)
    if strategy == "random":
        rng = np.random.default_rng(seed)
        gi = np.zeros((draws, steps + 1))
        ef = np.zeros((draws, steps + 1))
        for r in range(draws):
            order = rng.permutation(n)
            removed = np.zeros(n, bool)
            att = _Attack(g, counts=False) if fast else None
            for k in range(steps + 1):
                if k:
                    removed[order[k - 1]] = True
                    if att is not None:
                        att.remove(int(order[k - 1]))
                if att is not None:
                    gi[r, k], e = att.performance()
                else:
                    gi[r, k], e = _perf(g, removed, _state(g, removed)[0])
                ef[r, k] = e / e0 if e0 else 0.0
        return pd.DataFrame(
            {
                "step": np.arange(steps + 1),
                "fraction": np.arange(steps + 1) / n,
                "giant": gi.mean(0),
                "efficiency_rel": ef.mean(0),
                "giant_p05": np.percentile(gi, 5, 0),
                "giant_p95": np.percentile(gi, 95, 0),
                "eff_p05": np.percentile(ef, 5, 0),
                "eff_p95": np.percentile(ef, 95, 0),
            }
        )
    removed = np.zeros(n, bool)
    rows = []
    att = targeted
    d, p = (att.d, att.p) if att is not None else _trees(g, removed)
    for k in range(steps + 1):
        name = None
        if k:
            if strategy == "degree":
                alive = np.flatnonzero(~(removed[g.a] | removed[g.b]))
                score = np.bincount(np.r_[g.a[alive], g.b[alive]], minlength=n).astype(float)
            else:
                score = att.betweenness() if att is not None else tree_betweenness(d, p)
            score[removed] = -1.0
            victim = int(np.argmax(score))
            removed[victim] = True
            name = g.labels[victim]
            if att is not None:
                att.remove(victim)
            else:
                d, p = _trees(g, removed)
        giant, e = att.performance() if att is not None else _perf(g, removed, d)
        rows.append((k, k / n, giant, e / e0 if e0 else 0.0, name))
    return pd.DataFrame(rows, columns=["step", "fraction", "giant", "efficiency_rel", "removed"])


def robustness_index(curve: pd.DataFrame, column: str = "giant") -> float:
    """Area under the curve :math:`R = \\frac1M \\sum_{k=1}^{M} Q(k/n)` (Schneider et al. 2011) over the
    removal steps of ``curve`` (step 0 excluded)."""
    q = curve.loc[curve["step"] > 0, column].to_numpy(float)
    return float(q.mean()) if len(q) else float("nan")
