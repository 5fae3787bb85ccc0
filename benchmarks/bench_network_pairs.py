"""Benchmark region-pair capacities (max-flow between every two regions) against networkx and igraph.

    python benchmarks/bench_network_pairs.py [--repeat 5] [--graphs bundled,synthetic] [--nx-pairs 0]

Workload: :func:`hinterland.network.region_pair_capacity`, all unordered region pairs, on (1) the bundled
city rail network, freight edges, 31 provinces (465 pairs), intact and with the Hexi Corridor cut
(兰新铁路 and 兰新客运专线 in and at the edge of Gansu), and (2) a synthetic 340-node, 1,004-link graph
split into 31 regions by longitude (465 pairs). The references build the same super-source/sink
digraph per pair in the same process: networkx ``maximum_flow_value`` (preflow-push) and igraph
``maxflow_value`` (push-relabel, C). ``--nx-pairs N`` times networkx on N pairs only and extrapolates
linearly (0 = all pairs). Every comparison checks that the numbers agree (max abs difference printed).
"""

from __future__ import annotations

import argparse
import itertools

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from bench_network import synthetic, timed  # the same synthetic graph and timer (run as a script)
from hinterland.containers import TransportNetwork
from hinterland.datasets import load_china_network
from hinterland.network import edges_between, region_pair_capacity


def link_table(net: TransportNetwork, failed: list[object]) -> tuple[list[object], pd.DataFrame]:
    """Freight links with summed capacity (parallel edges add), failed edges removed."""
    e = net.edges[net.edges["carries_freight"] & ~net.edges["edge"].isin(failed)]
    e = e[e["capacity"] > 0]
    a = np.minimum(e["u"], e["v"])
    b = np.maximum(e["u"], e["v"])
    links = pd.DataFrame({"a": a, "b": b, "c": e["capacity"].astype(float)}).groupby(["a", "b"]).sum()
    return net.nodes.index.tolist(), links.reset_index()


def nx_pairs(net: TransportNetwork, failed: list[object], pairs: list[tuple[int, int]]) -> list[float]:
    ids, links = link_table(net, failed)
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    for x, y, c in links.itertuples(index=False):
        g.add_edge(x, y, capacity=c)
        g.add_edge(y, x, capacity=c)
    region = net.nodes["region"]
    out = []
    for r, s in pairs:
        h = g.copy()
        h.add_edges_from(("S", i) for i in region.index[region == r])
        h.add_edges_from((i, "T") for i in region.index[region == s])
        out.append(float(nx.maximum_flow_value(h, "S", "T")))
    return out


def ig_pairs(net: TransportNetwork, failed: list[object], pairs: list[tuple[int, int]]) -> list[float]:
    ids, links = link_table(net, failed)
    pos = {x: i for i, x in enumerate(ids)}
    n = len(ids)
    la = [pos[x] for x in links["a"]]
    lb = [pos[x] for x in links["b"]]
    caps = links["c"].tolist()
    base_edges = list(zip(la, lb, strict=True)) + list(zip(lb, la, strict=True))
    base_caps = caps + caps
    big = 2.0 * sum(caps) + 1.0
    region = net.nodes["region"].to_numpy()
    out = []
    for r, s in pairs:
        src = np.flatnonzero(region == r).tolist()
        snk = np.flatnonzero(region == s).tolist()
        edges = base_edges + [(n, i) for i in src] + [(i, n + 1) for i in snk]
        g = ig.Graph(n=n + 2, edges=edges, directed=True)
        out.append(float(g.maxflow_value(n, n + 1, capacity=base_caps + [big] * (len(src) + len(snk)))))
    return out


def bench(
    label: str, net: TransportNetwork, failed: list[object], repeat: int, nx_pairs_n: int
) -> dict[str, object]:
    t_h, res = timed(lambda: region_pair_capacity(net, failed=failed), repeat)
    f = res if isinstance(res, pd.DataFrame) else pd.DataFrame()
    pairs = list(itertools.combinations(f.index.tolist(), 2))
    ours = np.array([f.at[r, s] for r, s in pairs])
    t_ig, ref_ig = timed(lambda: ig_pairs(net, failed, pairs))
    sub = pairs if nx_pairs_n <= 0 else pairs[:: max(1, len(pairs) // nx_pairs_n)][:nx_pairs_n]
    t_nx_sub, ref_nx = timed(lambda: nx_pairs(net, failed, sub))
    t_nx = t_nx_sub * len(pairs) / len(sub)
    idx = [pairs.index(p) for p in sub]
    diff = max(
        float(np.abs(ours - np.asarray(ref_ig)).max()),
        float(np.abs(ours[idx] - np.asarray(ref_nx)).max()),
    )
    print(f"  {label}: {len(pairs)} pairs, hinterland {t_h * 1e3:.1f} ms per call")
    return {
        "graph": label,
        "pairs": len(pairs),
        "hinterland_s": t_h,
        "networkx_s": t_nx,
        "igraph_s": t_ig,
        "max_abs_diff": diff,
        "note": "" if len(sub) == len(pairs) else f"networkx on {len(sub)} pairs, extrapolated",
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--graphs", default="bundled,synthetic", help="comma list of bundled, synthetic")
    p.add_argument("--nx-pairs", type=int, default=0, help="time networkx on this many pairs (0 = all)")
    args = p.parse_args()
    graphs = args.graphs.split(",")
    rows: list[dict[str, object]] = []
    if "bundled" in graphs:
        net = load_china_network()
        hexi = edges_between(net, lines=["兰新铁路", "兰新客运专线"], regions=[620000], crossing=True)
        rows.append(bench("bundled, intact", net, [], args.repeat, args.nx_pairs))
        rows.append(bench("bundled, Hexi cut", net, hexi, args.repeat, args.nx_pairs))
    if "synthetic" in graphs:
        rows.append(bench("synthetic 340/1004", synthetic(regions=31), [], args.repeat, args.nx_pairs))
    df = pd.DataFrame(rows)
    df["x_vs_networkx"] = df["networkx_s"] / df["hinterland_s"]
    df["x_vs_igraph"] = df["igraph_s"] / df["hinterland_s"]
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format
    ):
        print(df.to_string(index=False))


if __name__ == "__main__":
    main()
