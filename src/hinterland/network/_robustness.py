"""Attack and failure curves: performance against the fraction of nodes removed.

After removing :math:`k` nodes (their links cut, the nodes kept in the denominator), the performance is

* the giant-component share :math:`S(f) = |C_{\\max}| / n`, and
* the relative efficiency :math:`E(f)/E(0)` (Latora & Marchiori 2001),

with :math:`f = k/n`. Strategies: ``random`` (Monte-Carlo mean and 5-95 % band over draws),
``degree`` and ``betweenness`` (the highest-ranked remaining node, recomputed after each removal;
Albert, Jeong & Barabási 2000; Holme et al. 2002). The robustness figure is the area under the curve
(Schneider et al. 2011), :math:`R = \\frac{1}{M}\\sum_{k=1}^{M} Q(k/n)` over the :math:`M` steps.

Betweenness uses travel-time shortest paths, counted on scipy's shortest-path trees: the number of
ordered pairs :math:`(s,t)`, :math:`s \\ne v \\ne t`, whose path passes through :math:`v`. With real-valued
times shortest paths are unique (almost surely) and this equals Brandes' (2001) betweenness.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components, dijkstra

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError
from hinterland.network._graph import Graph, from_network
from hinterland.network._measures import efficiency_from_times

__all__ = ["STRATEGIES", "attack_curve", "robustness_index", "tree_betweenness"]

STRATEGIES = ("random", "degree", "betweenness")


def tree_betweenness(d: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Node betweenness from all-pairs times ``d`` and predecessors ``pred`` (row :math:`s`: the
    shortest-path tree of source :math:`s`).

    .. math:: B(v) = \\sum_{s \\ne v} \\big(|T_s(v)| - 1\\big)

    where :math:`|T_s(v)|` is the size of the subtree of :math:`v` in the tree of :math:`s`: every node
    of that subtree other than :math:`v` is reached through :math:`v`. Counts ordered pairs (networkx's
    ``normalized=False`` betweenness of an undirected graph is half of it). Subtree sizes accumulate
    from the farthest node inwards (children are farther than parents as times are positive).
    """
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
    inner = pred >= 0
    return np.asarray(np.where(inner, sub - 1.0, 0.0).sum(0))


def _state(g: Graph, removed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    drop = np.flatnonzero(removed[g.a] | removed[g.b])
    mat = g.csr(drop=drop)
    d, p = dijkstra(mat, directed=False, return_predecessors=True)
    return np.asarray(d), np.asarray(p)


def _remove_node(
    g: Graph, removed: np.ndarray, d: np.ndarray, p: np.ndarray, victim: int
) -> tuple[np.ndarray, np.ndarray]:
    """Times and trees after cutting ``victim``'s links (``removed`` already includes it), exactly.

    A source :math:`s` whose tree :math:`T_s` has ``victim`` as a leaf (or does not reach it) keeps
    every other time and its tree; only sources where ``victim`` has children are recomputed (Dijkstra
    with ``indices``). By symmetry of :math:`d` this also covers every column that changes."""
    affected = np.flatnonzero((p == victim).any(1))
    affected = affected[affected != victim]
    d = d.copy()
    p = p.copy()
    d[:, victim] = np.inf
    d[victim, :] = np.inf
    d[victim, victim] = 0.0
    p[:, victim] = -9999
    p[victim, :] = -9999
    if len(affected):
        drop = np.flatnonzero(removed[g.a] | removed[g.b])
        dn, pn = dijkstra(g.csr(drop=drop), directed=False, indices=affected, return_predecessors=True)
        d[affected] = dn
        p[affected] = pn
    return d, p


def _perf(g: Graph, removed: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    drop = np.flatnonzero(removed[g.a] | removed[g.b])
    _, lab = connected_components(g.csr(weight=np.ones(g.m), drop=drop), directed=False)
    giant = np.bincount(lab).max() / g.n
    return float(giant), efficiency_from_times(d)


def attack_curve(
    net: TransportNetwork,
    strategy: str = "betweenness",
    *,
    max_fraction: float = 0.3,
    draws: int = 20,
    seed: int = 0,
) -> pd.DataFrame:
    """Performance after each removal step: ``step, fraction, giant, efficiency_rel`` (mean) and for
    ``random`` also ``giant_p05, giant_p95, eff_p05, eff_p95``; ``removed`` names the node taken out
    (targeted strategies). Step 0 is the intact network."""
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown attack strategy {strategy!r}; expected one of {STRATEGIES}")
    if not 0 < max_fraction <= 1:
        raise ConfigError(f"max_fraction must be in (0, 1], got {max_fraction}")
    g = from_network(net)
    n = g.n
    steps = int(np.floor(max_fraction * n))
    d0, _ = _state(g, np.zeros(n, bool))
    e0 = efficiency_from_times(d0)
    if strategy == "random":
        rng = np.random.default_rng(seed)
        gi = np.zeros((draws, steps + 1))
        ef = np.zeros((draws, steps + 1))
        for r in range(draws):
            order = rng.permutation(n)
            removed = np.zeros(n, bool)
            for k in range(steps + 1):
                if k:
                    removed[order[k - 1]] = True
                d, _ = _state(g, removed)
                gi[r, k], e = _perf(g, removed, d)
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
    d, p = d0, None
    for k in range(steps + 1):
        if k:
            if strategy == "degree":
                alive = np.flatnonzero(~(removed[g.a] | removed[g.b]))
                score = np.bincount(np.r_[g.a[alive], g.b[alive]], minlength=n).astype(float)
            else:
                assert p is not None
                score = tree_betweenness(d, p)
            score[removed] = -1.0
            victim = int(np.argmax(score))
            removed[victim] = True
            name = g.labels[victim]
            d, p = _remove_node(g, removed, d, p, victim) if p is not None else _state(g, removed)
        else:
            name = None
            d, p = _state(g, removed)
        giant, e = _perf(g, removed, d)
        rows.append((k, k / n, giant, e / e0 if e0 else 0.0, name))
    return pd.DataFrame(rows, columns=["step", "fraction", "giant", "efficiency_rel", "removed"])


def robustness_index(curve: pd.DataFrame, column: str = "giant") -> float:
    """Area under the curve :math:`R = \\frac1M \\sum_{k=1}^{M} Q(k/n)` (Schneider et al. 2011) over the
    removal steps of ``curve`` (step 0 excluded)."""
    q = curve.loc[curve["step"] > 0, column].to_numpy(float)
    return float(q.mean()) if len(q) else float("nan")
