"""Benchmark the network kernels against plain networkx and python-igraph in the same process.

    python benchmarks/bench_network.py [--nx-edges 40] [--repeat 3]

Workloads, each on (1) the bundled city rail network and (2) a synthetic 340-node, 1,004-link
graph (random geometric, travel-time weights, the size quoted in the issue):

* N-1 link sweep: global efficiency after removing each link. hinterland recomputes only the
  sources on the smaller side of the link's shortest-path trees (exact); networkx and igraph
  recompute all-pairs shortest paths per removal. networkx is timed on ``--nx-edges`` links and
  extrapolated linearly to all links (said in the output).
* All-pairs travel times.
* Targeted attack: remove the highest-betweenness node 50 times, recomputing betweenness, and
  record giant-component share and efficiency after each removal.

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
from hinterland.network import attack_curve, from_network, shortest_times, sweep_links


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def synthetic(n: int = 340, m: int = 1004, seed: int = 0) -> TransportNetwork:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1, (n, 2))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    iu = np.triu_indices(n, 1)
    order = np.argsort(d[iu])[:m]
    a, b = iu[0][order], iu[1][order]
    nodes = pd.DataFrame(
        {
            "name": [f"c{i}" for i in range(n)],
            "region": 0,
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
            "capacity": 100.0,
            "year_open": 2000,
        }
    )
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


def bench(label: str, net: TransportNetwork, nx_edges: int, repeat: int) -> list[dict[str, object]]:
    a, b, w, n = simple(net)
    m = len(a)
    g = from_network(net)
    ww = np.ones((n, n))
    rows: list[dict[str, object]] = []
    print(f"\n== {label}: {n} nodes, {m} links")

    # N-1 sweep
    t_h, res = timed(lambda: sweep_links(g, ww), repeat)
    ours = res["efficiency"].to_numpy()  # type: ignore[index]
    gi = ig_graph(a, b, w, n)

    def ig_sweep() -> np.ndarray:
        out = np.empty(m)
        for k in range(m):
            h = gi.copy()
            h.delete_edges([k])
            out[k] = ig_eff(h, n)
        return out

    t_ig, ref_ig = timed(ig_sweep)
    gx = nx_graph(a, b, w, n)
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
    rows.append(
        {
            "graph": label,
            "workload": "N-1 link sweep",
            "hinterland_s": t_h,
            "networkx_s": t_nx,
            "igraph_s": t_ig,
            "max_abs_diff": diff,
            "note": f"networkx timed on {len(sub)} of {m} links, extrapolated",
        }
    )

    # all-pairs travel times
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
    rows.append(
        {
            "graph": label,
            "workload": "all-pairs travel times",
            "hinterland_s": t_h,
            "networkx_s": t_nx,
            "igraph_s": t_ig,
            "max_abs_diff": diff,
            "note": "",
        }
    )

    # targeted attack (betweenness, recomputed), 50 removals
    steps = 50
    t_h, curve = timed(lambda: attack_curve(net, "betweenness", max_fraction=(steps + 0.5) / n), repeat)

    def nx_attack() -> list[float]:
        h = gx.copy()
        out = []
        for _ in range(steps):
            bc = nx.betweenness_centrality(h, weight="w", normalized=False)
            v = max(bc, key=lambda x: (bc[x], -x))
            h.remove_edges_from(list(h.edges(v)))
            out.append(nx_eff(h, n))
            _ = max(len(c) for c in nx.connected_components(h))
        return out

    def ig_attack() -> list[float]:
        h = gi.copy()
        out = []
        for _ in range(steps):
            bc = np.asarray(h.betweenness(weights="w"))
            v = int(np.argmax(bc))
            h.delete_edges(h.incident(v))
            out.append(ig_eff(h, n))
            _ = max(h.connected_components().sizes())
        return out

    t_nx, e_nx = timed(nx_attack)
    t_ig, e_ig = timed(ig_attack)
    e_h = curve["efficiency_rel"].to_numpy()[1:] * nx_eff(gx, n)  # type: ignore[index]
    diff = float(np.abs(e_h - np.asarray(e_nx)).max())
    diff_ig = float(np.abs(e_h - np.asarray(e_ig)).max())
    rows.append(
        {
            "graph": label,
            "workload": f"targeted attack ({steps} steps)",
            "hinterland_s": t_h,
            "networkx_s": t_nx,
            "igraph_s": t_ig,
            "max_abs_diff": max(diff, diff_ig),
            "note": "betweenness recomputed each step",
        }
    )
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nx-edges", type=int, default=40)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    rows = bench("bundled city network", load_china_network(), args.nx_edges, args.repeat)
    rows += bench("synthetic 340/1004", synthetic(), args.nx_edges, args.repeat)
    df = pd.DataFrame(rows)
    df["x_vs_networkx"] = df["networkx_s"] / df["hinterland_s"]
    df["x_vs_igraph"] = df["igraph_s"] / df["hinterland_s"]
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format
    ):
        print(df.to_string(index=False))


if __name__ == "__main__":
    main()
