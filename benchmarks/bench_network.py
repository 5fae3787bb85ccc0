"""Benchmark the network kernels against plain networkx and python-igraph in the same process.

    python benchmarks/bench_network.py [--nx-edges 40] [--repeat 3] [--workloads sweep,apsp,attack]
        [--graphs bundled,synthetic] [--steps 50]

Workloads, each on (1) the bundled city rail network and (2) a synthetic 340-node, 1,004-link
graph (random geometric, travel-time weights, the size quoted in the issue):

* N-1 link sweep: global efficiency after removing each link. hinterland recomputes only the
  sources on the smaller side of the link's shortest-path trees (exact); networkx and igraph
  recompute all-pairs shortest paths per removal. networkx is timed on ``--nx-edges`` links and
  extrapolated linearly to all links (said in the output).
* All-pairs travel times.
* Targeted attacks: remove the highest-betweenness (or highest-degree) node ``--steps`` times,
  recomputing betweenness (degree) after each removal, and record giant-component share and
  efficiency after each removal. hinterland updates times, trees and betweenness incrementally
  (``attack_curve(method="incremental")``); its result is also checked against the full
  recomputation (``method="recompute"``), which must give the identical curve.

Every comparison also checks that the numbers agree (max abs difference printed).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from hinterland.containers import TransportNetwork
from hinterland.datasets import load_china_network
from hinterland.network import Graph, attack_curve, from_network, shortest_times, sweep_links


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def synthetic(n: int = 340, m: int = 1004, seed: int = 0, *, regions: int | None = None) -> TransportNetwork:
    """A random geometric graph: ``n`` nodes in the unit square (mapped to lon/lat), the ``m`` shortest
    links, travel time ∝ length. ``regions``: split the nodes into that many regions by longitude and
    give links freight capacities of 20–120 (the region-pair benchmark); default one region, capacity
    100."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1, (n, 2))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    iu = np.triu_indices(n, 1)
    order = np.argsort(d[iu])[:m]
    a, b = iu[0][order], iu[1][order]
    nodes = pd.DataFrame(
        {
            "name": [f"c{i}" for i in range(n)],
            "region": 0 if regions is None else np.minimum((xy[:, 0] * regions).astype(int), regions - 1),
            "pop": rng.uniform(1, 10, n),
            "lon": 100 + 20 * xy[:, 0],
            "lat": 25 + 15 * xy[:, 1],
        },
        index=pd.Index(range(n), name="node"),
    )
    t = d[a, b] * 10 + 0.1
    edges = pd.DataFrame(
        {
            "edge": range(m),
            "u": a,
            "v": b,
            "mode": "rail",
            "length_km": t * 100,
            "time_h": t,
            "capacity": 100.0 if regions is None else rng.choice([20.0, 50.0, 90.0, 120.0], m),
            "year_open": 2000,
        }
    )
    if regions is not None:
        edges["carries_freight"] = True
    return TransportNetwork(nodes, edges)


def simple(net: TransportNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    g = from_network(net)
    return g.a, g.b, g.time, g.n


def nx_graph(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist(), strict=True), weight="w")
    return g


def nx_eff(g: nx.Graph, n: int) -> float:
    s = sum(
        1 / d for u, dd in nx.all_pairs_dijkstra_path_length(g, weight="w") for v, d in dd.items() if v != u
    )
    return s / (n * (n - 1))


def ig_graph(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int) -> ig.Graph:
    g = ig.Graph(n=n, edges=list(zip(a.tolist(), b.tolist(), strict=True)))
    g.es["w"] = w.tolist()
    return g


def ig_eff(g: ig.Graph, n: int) -> float:
    d = np.asarray(g.distances(weights="w"))
    with np.errstate(divide="ignore"):
        inv = 1 / d
    np.fill_diagonal(inv, 0)
    return float(inv.sum() / (n * (n - 1)))


def bench(
    label: str, net: TransportNetwork, nx_edges: int, repeat: int, workloads: set[str], steps: int
) -> list[dict[str, object]]:
    a, b, w, n = simple(net)
    m = len(a)
    g = from_network(net)
    gi = ig_graph(a, b, w, n)
    gx = nx_graph(a, b, w, n)
    rows: list[dict[str, object]] = []
    print(f"\n== {label}: {n} nodes, {m} links")
    if "sweep" in workloads:
        rows.append(bench_sweep(label, g, gx, gi, nx_edges, repeat))
    if "apsp" in workloads:
        rows.append(bench_apsp(label, g, gx, gi, repeat))
    if "attack" in workloads:
        for strategy in ("betweenness", "degree"):
            rows.append(bench_attack(label, net, gx, gi, n, strategy, steps, repeat))
    return rows


def bench_sweep(
    label: str, g: Graph, gx: nx.Graph, gi: ig.Graph, nx_edges: int, repeat: int
) -> dict[str, object]:
    """N-1 link sweep: efficiency after removing each link."""
    a, b, n, m = g.a, g.b, g.n, g.m
    ww = np.ones((n, n))
    t_h, res = timed(lambda: sweep_links(g, ww), repeat)
    ours = res["efficiency"].to_numpy()  # type: ignore[index]

    def ig_sweep() -> np.ndarray:
        out = np.empty(m)
        for k in range(m):
            h = gi.copy()
            h.delete_edges([k])
            out[k] = ig_eff(h, n)
        return out

    t_ig, ref_ig = timed(ig_sweep)
    sub = np.linspace(0, m - 1, min(nx_edges, m)).astype(int)

    def nx_sweep() -> np.ndarray:
        out = np.empty(len(sub))
        for i, k in enumerate(sub):
            h = gx.copy()
            h.remove_edge(int(a[k]), int(b[k]))
            out[i] = nx_eff(h, n)
        return out

    t_nx_sub, ref_nx = timed(nx_sweep)
    t_nx = t_nx_sub * m / len(sub)
    diff = max(
        float(np.abs(ours - np.asarray(ref_ig)).max()), float(np.abs(ours[sub] - np.asarray(ref_nx)).max())
    )
    return {
        "graph": label,
        "workload": "N-1 link sweep",
        "hinterland_s": t_h,
        "networkx_s": t_nx,
        "igraph_s": t_ig,
        "max_abs_diff": diff,
        "note": f"networkx timed on {len(sub)} of {m} links, extrapolated",
    }


def bench_apsp(label: str, g: Graph, gx: nx.Graph, gi: ig.Graph, repeat: int) -> dict[str, object]:
    """All-pairs travel times."""
    n = g.n
    t_h, d_h = timed(lambda: shortest_times(g)[0], repeat)
    t_ig, d_ig = timed(lambda: np.asarray(gi.distances(weights="w")), repeat)
    t_nx, d_nx = timed(lambda: dict(nx.all_pairs_dijkstra_path_length(gx, weight="w")))
    dn = np.full((n, n), np.inf)
    for u, dd in d_nx.items():  # type: ignore[union-attr]
        for v, x in dd.items():
            dn[u, v] = x
    fin = np.isfinite(dn)
    dh, di = np.asarray(d_h), np.asarray(d_ig)
    diff = max(
        float(np.abs(dh[fin] - dn[fin]).max()),
        float(np.abs(dh[fin] - di[fin]).max()),
        float((np.isfinite(dh) != fin).sum() + (np.isfinite(di) != fin).sum()),
    )
    return {
        "graph": label,
        "workload": "all-pairs travel times",
        "hinterland_s": t_h,
        "networkx_s": t_nx,
        "igraph_s": t_ig,
        "max_abs_diff": diff,
        "note": "",
    }


def bench_attack(
    label: str,
    net: TransportNetwork,
    gx: nx.Graph,
    gi: ig.Graph,
    n: int,
    strategy: str,
    steps: int,
    repeat: int,
) -> dict[str, object]:
    """Targeted attack: ``steps`` removals of the top node by ``strategy``, recomputed each step."""
    frac = (steps + 0.5) / n
    t_h, curve = timed(lambda: attack_curve(net, strategy, max_fraction=frac), repeat)
    ref = attack_curve(net, strategy, max_fraction=frac, method="recompute")
    identical = bool(curve.equals(ref))  # type: ignore[attr-defined]

    def nx_attack() -> list[float]:
        h = gx.copy()
        out = []
        for _ in range(steps):
            if strategy == "betweenness":
                bc = nx.betweenness_centrality(h, weight="w", normalized=False)
            else:
                bc = dict(h.degree())
            v = max(bc, key=lambda x: (bc[x], -x))
            h.remove_edges_from(list(h.edges(v)))
            out.append(nx_eff(h, n))
            _ = max(len(c) for c in nx.connected_components(h))
        return out

    def ig_attack() -> list[float]:
        h = gi.copy()
        out = []
        alive = np.ones(n, bool)
        for _ in range(steps):
            sc = np.asarray(h.betweenness(weights="w") if strategy == "betweenness" else h.degree(), float)
            sc[~alive] = -1.0
            v = int(np.argmax(sc))
            alive[v] = False
            h.delete_edges(h.incident(v))
            out.append(ig_eff(h, n))
            _ = max(h.connected_components().sizes())
        return out

    t_nx, e_nx = timed(nx_attack)
    t_ig, e_ig = timed(ig_attack, repeat)
    e_h = curve["efficiency_rel"].to_numpy()[1:] * nx_eff(gx, n)  # type: ignore[index]
    diff = float(np.abs(e_h - np.asarray(e_nx)).max())
    diff_ig = float(np.abs(e_h - np.asarray(e_ig)).max())
    return {
        "graph": label,
        "workload": f"{strategy} attack ({steps} steps)",
        "hinterland_s": t_h,
        "networkx_s": t_nx,
        "igraph_s": t_ig,
        "max_abs_diff": max(diff, diff_ig),
        "note": f"recomputed each step; identical to method='recompute': {identical}",
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nx-edges", type=int, default=40)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workloads", default="sweep,apsp,attack", help="comma list of sweep, apsp, attack")
    p.add_argument("--graphs", default="bundled,synthetic", help="comma list of bundled, synthetic")
    p.add_argument("--steps", type=int, default=50, help="removals in the targeted attacks")
    args = p.parse_args()
    work = set(args.workloads.split(","))
    graphs = args.graphs.split(",")
    rows: list[dict[str, object]] = []
    if "bundled" in graphs:
        rows += bench(
            "bundled city network", load_china_network(), args.nx_edges, args.repeat, work, args.steps
        )
    if "synthetic" in graphs:
        rows += bench("synthetic 340/1004", synthetic(), args.nx_edges, args.repeat, work, args.steps)
    df = pd.DataFrame(rows)
    df["x_vs_networkx"] = df["networkx_s"] / df["hinterland_s"]
    df["x_vs_igraph"] = df["igraph_s"] / df["hinterland_s"]
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format
    ):
        print(df.to_string(index=False))


if __name__ == "__main__":
    main()
