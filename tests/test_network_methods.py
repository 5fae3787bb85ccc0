"""Network methods: exact answers on canonical graphs, networkx as the reference, properties."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import TransportNetwork, aggregate_by_region
from hinterland.errors import ConfigError, SchemaError, UnknownIdError
from hinterland.network import (
    accessibility,
    attack_curve,
    components,
    from_network,
    global_efficiency,
    min_cut,
    n1_edges,
    n1_nodes,
    nk_greedy,
    plan_upgrades,
    robustness_index,
    shortest_times,
    travel_time_matrix,
    tree_betweenness,
)


def make_net(
    edges: list[tuple[int, int, float, float]],
    n: int | None = None,
    pop: list[float] | None = None,
    region: list[int] | None = None,
) -> TransportNetwork:
    ids = sorted({u for e in edges for u in e[:2]}) if n is None else list(range(n))
    nodes = pd.DataFrame(
        {
            "name": [f"n{i}" for i in ids],
            "region": region or [0] * len(ids),
            "pop": pop or [1.0] * len(ids),
            "lon": np.linspace(100, 110, len(ids)),
            "lat": np.linspace(30, 35, len(ids)),
        },
        index=pd.Index(ids, name="node"),
    )
    e = pd.DataFrame(
        {
            "edge": range(len(edges)),
            "u": [x[0] for x in edges],
            "v": [x[1] for x in edges],
            "mode": "rail",
            "length_km": [x[2] * 100 for x in edges],
            "time_h": [x[2] for x in edges],
            "capacity": [x[3] for x in edges],
            "year_open": 2000,
        }
    )
    return TransportNetwork(nodes, e)


def to_nx(net: TransportNetwork) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(net.nodes.index)
    for r in net.edges.itertuples():
        if g.has_edge(r.u, r.v):
            g[r.u][r.v]["w"] = min(g[r.u][r.v]["w"], r.time_h)
            g[r.u][r.v]["c"] += r.capacity
        else:
            g.add_edge(r.u, r.v, w=r.time_h, c=r.capacity)
    return g


def nx_eff(g: nx.Graph) -> float:
    n = g.number_of_nodes()
    s = sum(
        1 / d for u, dd in nx.all_pairs_dijkstra_path_length(g, weight="w") for v, d in dd.items() if v != u
    )
    return s / (n * (n - 1))


def random_net(seed: int, n: int = 30, m: int = 60) -> TransportNetwork:
    rng = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        a, b = rng.choice(n, 2, replace=False)
        pairs.add((int(min(a, b)), int(max(a, b))))
    edges = [(a, b, float(rng.uniform(0.5, 5)), float(rng.integers(1, 20))) for a, b in sorted(pairs)]
    return make_net(edges, n=n, pop=list(rng.uniform(1, 10, n)))


CYCLE4 = make_net([(0, 1, 1, 1), (1, 2, 1, 1), (2, 3, 1, 1), (3, 0, 1, 1)])


# ---- unit: exact answers ------------------------------------------------------------------------
def test_efficiency_of_4_cycle_is_5_6() -> None:
    assert global_efficiency(CYCLE4) == pytest.approx(5 / 6, abs=1e-15)


def test_efficiency_of_path_and_disconnected_pairs() -> None:
    path = make_net([(0, 1, 1, 1), (1, 2, 1, 1)])  # pairs: 1,1,1/2 twice -> (2+2+1)/6
    assert global_efficiency(path) == pytest.approx((4 * 1 + 2 * 0.5) / 6)
    two = make_net([(0, 1, 2, 1)], n=3)  # one pair at 2 h, node 2 isolated -> (2 * 0.5) / 6
    assert global_efficiency(two) == pytest.approx(1 / 6)


def test_travel_time_matrix_labelled_and_uses_fastest_parallel_edge() -> None:
    net = make_net([(10, 20, 3, 1), (20, 30, 1, 1), (10, 20, 2, 1)])
    d = travel_time_matrix(net)
    assert d.index.name == "node" and d.columns.name == "node_to"
    assert d.loc[10, 30] == 3.0 and d.loc[30, 10] == 3.0 and d.loc[20, 20] == 0.0


def test_accessibility_hand_computed() -> None:
    net = make_net([(0, 1, 1, 1), (1, 2, 2, 1)], pop=[1.0, 2.0, 3.0])
    a = accessibility(net, beta=0.5, hours=1.5)
    # node 0: times 1 (pop 2) and 3 (pop 3): avg = (2*1 + 3*3)/5 = 2.2
    assert a.at[0, "avg_time_h"] == pytest.approx(2.2)
    assert a.at[0, "potential"] == pytest.approx(1 + 2 * np.exp(-0.5) + 3 * np.exp(-1.5))
    assert a.at[0, "daily_pop"] == pytest.approx(3.0)  # itself and node 1
    assert a.at[2, "reachable"] == 2


def test_min_cut_of_textbook_network() -> None:
    # CLRS Fig. 26.1 as an undirected graph would differ; use a small undirected network with known cut:
    # s=0 - {1,2} - 3=t; caps 0-1:3, 0-2:2, 1-2:1, 1-3:2, 2-3:3 -> max flow 5; min cut {0-1,0-2} or {1-3,2-3}
    net = make_net([(0, 1, 1, 3), (0, 2, 1, 2), (1, 2, 1, 1), (1, 3, 1, 2), (2, 3, 1, 3)])
    cut = min_cut(net, [0], [3])
    assert cut.value == 5.0
    assert cut.cut["capacity"].sum() == 5.0
    assert 0 in cut.source_side and 3 not in cut.source_side


def test_min_cut_groups_and_parallel_capacities_add() -> None:
    net = make_net([(0, 2, 1, 4), (1, 2, 1, 5), (2, 3, 1, 3), (2, 3, 2, 3), (3, 4, 1, 10)])
    cut = min_cut(net, [0, 1], [4])
    assert cut.value == 6.0
    assert cut.cut[["u", "v"]].values.tolist() == [[2, 3]]
    assert cut.cut.at[0, "edges"] == "2;3"


def test_min_cut_rejects_bad_groups() -> None:
    with pytest.raises(ConfigError, match="both groups"):
        min_cut(CYCLE4, [0, 1], [1])
    with pytest.raises(UnknownIdError, match="99"):
        min_cut(CYCLE4, [99], [1])


def test_n1_on_path_counts_disconnections() -> None:
    path = make_net([(0, 1, 1, 1), (1, 2, 1, 1)], pop=[1, 1, 1])
    t = n1_edges(path).set_index(["u", "v"])
    # removing 0-1 leaves only pair (1,2): E = 2/6
    assert t.at[(0, 1), "efficiency"] == pytest.approx(2 / 6)
    assert t.at[(0, 1), "pairs_disconnected"] == 2
    assert t.at[(0, 1), "demand_disconnected"] == pytest.approx(4 / 6)


def test_n1_on_cycle_delay() -> None:
    t = n1_edges(CYCLE4, weights=None)
    # removing one edge of a 4-cycle: path of 4 nodes, E = (6*1 + 4*1/2 + 2*1/3)/12
    assert t["efficiency"].to_numpy() == pytest.approx([(6 + 2 + 2 / 3) / 12] * 4)
    # pair distances: before 1,1,1,1,2,2 (x2) total 16; after 1,1,1,2,2,3 (x2) total 20 -> mean +4/12
    assert t["pw_delay_h"].to_numpy() == pytest.approx([4 / 12] * 4)


def test_n1_nodes_star_centre_is_critical() -> None:
    star = make_net([(0, 1, 1, 1), (0, 2, 1, 1), (0, 3, 1, 1)])
    t = n1_nodes(star, weights=None)
    assert t.at[0, "node"] == 0 and t.at[0, "efficiency"] == 0.0
    assert t.at[0, "pairs_disconnected"] == 6


def test_nk_greedy_and_errors() -> None:
    t = nk_greedy(CYCLE4, 2, weights=None)
    assert len(t) == 2 and t["eff_loss_cum"].is_monotonic_increasing
    assert t["efficiency"].iloc[-1] < 5 / 6
    with pytest.raises(ConfigError):
        nk_greedy(CYCLE4, 9)


def test_attack_curve_star_and_robustness_index() -> None:
    star = make_net([(0, 1, 1, 1), (0, 2, 1, 1), (0, 3, 1, 1), (0, 4, 1, 1)])
    c = attack_curve(star, "degree", max_fraction=0.4)
    assert c["removed"].iloc[1] == 0
    assert c["giant"].tolist() == [1.0, 0.2, 0.2]
    assert robustness_index(c) == pytest.approx(0.2)
    r = attack_curve(star, "random", max_fraction=0.4, draws=5, seed=1)
    assert (r["giant_p05"] <= r["giant"] + 1e-12).all() and (r["giant"] <= r["giant_p95"] + 1e-12).all()
    with pytest.raises(ConfigError):
        attack_curve(star, "bogus")


def test_random_attack_reproducible_with_seed() -> None:
    net = random_net(3)
    a = attack_curve(net, "random", max_fraction=0.2, draws=3, seed=7)
    b = attack_curve(net, "random", max_fraction=0.2, draws=3, seed=7)
    pd.testing.assert_frame_equal(a, b)


def test_container_checks() -> None:
    nodes = CYCLE4.nodes
    bad = CYCLE4.edges.assign(time_h=[1.0, 0.0, 1.0, 1.0])
    with pytest.raises(SchemaError, match="time_h"):
        TransportNetwork(nodes, bad)
    with pytest.raises(UnknownIdError, match="7"):
        TransportNetwork(nodes, CYCLE4.edges.assign(v=[1, 2, 3, 7]))
    assert len(CYCLE4.as_of(1999).edges) == 0 and len(CYCLE4.as_of(2000).edges) == 4


def test_aggregate_by_region() -> None:
    net = make_net(
        [(0, 1, 1, 10), (1, 2, 2, 5), (0, 3, 1, 7), (3, 2, 4, 1)],
        pop=[1, 2, 3, 4],
        region=[100, 100, 200, 200],
    )
    p = aggregate_by_region(net)
    assert p.nodes["pop"].to_dict() == {100: 3, 200: 7}
    assert len(p.edges) == 1
    e = p.edges.iloc[0]
    assert e["capacity"] == 12  # crossing edges 1-2 (5) and 0-3 (7)
    # hubs are the most populous cities (1 and 3): best crossing 1-0-3 takes 1 + 1 = 2 h
    assert e["time_h"] == pytest.approx(2.0)
    assert p.nodes["hub"].to_dict() == {100: 1, 200: 3}


def test_plan_upgrades_picks_the_cheapest_cut_raise() -> None:
    # two parallel corridors 0-1-3 (caps 2, 10) and 0-2-3 (caps 10, 3): cut = 2 + 3 = 5
    net = make_net([(0, 1, 1, 2), (1, 3, 1, 10), (0, 2, 1, 10), (2, 3, 1, 3)])
    cand = pd.DataFrame({"u": [0, 2, 0], "v": [1, 3, 3], "add_capacity": [8, 7, 4], "cost": [5, 1, 3]})
    plan = plan_upgrades(net, [0], [3], cand, budget=1)
    assert plan.value_before == 5 and plan.value_after == pytest.approx(12)  # 2 + (2-3 raised to 10)
    assert plan.chosen[["u", "v"]].values.tolist() == [[2, 3]]
    plan = plan_upgrades(net, [0], [3], cand, budget=4)  # 2-3 (+7) and new link 0-3 (+4): 2 + 10 + 4
    assert plan.value_after == pytest.approx(16)
    # a scenario failing edge 1 (1-3): upgrading it restores it
    plan = plan_upgrades(net, [0], [3], cand, budget=0, scenarios=[(), (1,)])
    assert plan.value_before == 3 and plan.value_after == pytest.approx(3)
    with pytest.raises(ConfigError):
        plan_upgrades(net, [0], [3], cand, budget=-1)


@pytest.mark.parametrize("solver", ["highs", "scipy"])
def test_plan_upgrades_solver_is_a_parameter(solver: str) -> None:
    net = make_net([(0, 1, 1, 2), (1, 3, 1, 10), (0, 2, 1, 10), (2, 3, 1, 3)])
    cand = pd.DataFrame({"u": [0, 2, 0], "v": [1, 3, 3], "add_capacity": [8, 7, 4], "cost": [5, 1, 3]})
    for budget, after, chosen in ((1, 12.0, [[2, 3]]), (4, 16.0, [[2, 3], [0, 3]])):
        plan = plan_upgrades(net, [0], [3], cand, budget=budget, solver=solver)
        assert plan.value_after == pytest.approx(after)
        assert plan.chosen[["u", "v"]].values.tolist() == chosen
        assert plan.status == "optimal" and 0.0 <= plan.gap <= 1e-4 and plan.seconds >= 0.0
    with pytest.raises(ConfigError, match="unknown solver 'cbc'; expected one of highs, scipy"):
        plan_upgrades(net, [0], [3], cand, budget=1, solver="cbc")


# ---- reference: networkx on random graphs --------------------------------------------------------
@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_efficiency_and_times_equal_networkx(seed: int) -> None:
    net = random_net(seed)
    g = to_nx(net)
    assert global_efficiency(net) == pytest.approx(nx_eff(g), rel=1e-12)
    d = travel_time_matrix(net)
    ref = dict(nx.all_pairs_dijkstra_path_length(g, weight="w"))
    for u, v in itertools.product(net.nodes.index[:8], net.nodes.index):
        assert d.loc[u, v] == pytest.approx(ref[u].get(v, np.inf))


@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 5])
def test_n1_sweep_equals_networkx_recomputation(seed: int) -> None:
    net = random_net(seed, n=25, m=40)
    g = to_nx(net)
    t = n1_edges(net, weights=None)
    for r in t.itertuples():
        h = g.copy()
        h.remove_edge(r.u, r.v)
        assert r.efficiency == pytest.approx(nx_eff(h), rel=1e-12)
        lost = sum(
            1
            for a, b in itertools.combinations(h.nodes, 2)
            if nx.has_path(g, a, b) and not nx.has_path(h, a, b)
        )
        assert r.pairs_disconnected == lost


@pytest.mark.reference
def test_min_cut_equals_networkx() -> None:
    for seed in range(4):
        net = random_net(seed)
        g = to_nx(net)
        d = nx.DiGraph()
        for u, v, data in g.edges(data=True):
            d.add_edge(u, v, capacity=data["c"])
            d.add_edge(v, u, capacity=data["c"])
        for s in (0, 1, 2):
            d.add_edge("S", s, capacity=1e9)
        for t in (27, 28, 29):
            d.add_edge(t, "T", capacity=1e9)
        ref, _ = nx.minimum_cut(d, "S", "T")
        got = min_cut(net, [0, 1, 2], [27, 28, 29])
        assert got.value == pytest.approx(ref)
        assert got.cut["capacity"].sum() == pytest.approx(ref)


@pytest.mark.reference
def test_tree_betweenness_equals_networkx() -> None:
    net = random_net(4)
    d, p = shortest_times(from_network(net), predecessors=True)
    assert p is not None
    ours = tree_betweenness(d, p) / 2
    ref = nx.betweenness_centrality(to_nx(net), weight="w", normalized=False)
    assert ours == pytest.approx(np.array([ref[i] for i in net.nodes.index]))


@pytest.mark.reference
def test_targeted_attack_equals_networkx_loop() -> None:
    net = random_net(6, n=20, m=35)
    c = attack_curve(net, "betweenness", max_fraction=0.25)
    g = to_nx(net)
    for k in range(1, len(c)):
        bc = nx.betweenness_centrality(g, weight="w", normalized=False)
        victim = max(bc, key=lambda x: (bc[x], -x))
        assert c["removed"].iloc[k] == victim
        g.remove_edges_from(list(g.edges(victim)))
        giant = max(len(x) for x in nx.connected_components(g)) / 20
        assert c["giant"].iloc[k] == pytest.approx(giant)
        assert c["efficiency_rel"].iloc[k] == pytest.approx(nx_eff(g) / nx_eff(to_nx(net)))


# ---- property ------------------------------------------------------------------------------------
@pytest.mark.property
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_removing_a_link_never_raises_efficiency(seed: int) -> None:
    net = random_net(seed, n=12, m=18)
    t = n1_edges(net)
    e0 = global_efficiency(net)
    assert (t["efficiency"] <= e0 + 1e-12).all()
    assert (t["pw_delay_h"] >= -1e-12).all()


@pytest.mark.property
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_min_cut_value_is_symmetric_and_bounded(seed: int) -> None:
    net = random_net(seed, n=12, m=20)
    a = min_cut(net, [0, 1], [10, 11])
    b = min_cut(net, [10, 11], [0, 1])
    assert a.value == pytest.approx(b.value)
    cap01 = net.edges.loc[net.edges["u"].isin([0, 1]) | net.edges["v"].isin([0, 1]), "capacity"].sum()
    assert a.value <= cap01 + 1e-9
    assert components(net)[0]  # non-empty


@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("max_degree", [1, 2, 3, 5])
def test_elimination_all_pairs_equals_dijkstra(seed: int, max_degree: int) -> None:
    from scipy.sparse.csgraph import dijkstra

    from hinterland.network import all_pairs_times

    rng = np.random.default_rng(seed)
    net = random_net(seed, n=40, m=45)  # sparse: chains, trees and several components
    g = from_network(net)
    ref = dijkstra(g.csr(), directed=False)
    got = all_pairs_times(g.n, g.a, g.b, g.time, max_degree)
    assert np.array_equal(np.isfinite(got), np.isfinite(ref))
    fin = np.isfinite(ref)
    assert np.abs(got[fin] - ref[fin]).max() < 1e-12
    drop = rng.choice(g.m, 5, replace=False)
    ref = dijkstra(g.csr(drop=drop), directed=False)
    d2 = shortest_times(g, drop=drop)[0]
    fin = np.isfinite(ref)
    assert np.array_equal(np.isfinite(d2), fin)
    assert np.abs(d2[fin] - ref[fin]).max() < 1e-12
