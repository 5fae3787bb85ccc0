"""Region-pair capacities (max-flow between regions' node sets) and corridor edge picks.

Exact answers on canonical graphs, networkx's max-flow on explicit super-source/sink digraphs as the
independent reference (bundled network and random graphs), monotonicity and min-cut properties, and
the error messages.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import TransportNetwork, aggregate_by_region
from hinterland.datasets import load_china_network
from hinterland.errors import ConfigError, SchemaError, UnknownIdError
from hinterland.network import edges_between, pair_max_flows, region_pair_capacity

XJ, GS, BJ = 650000, 620000, 110000
HEXI_LINES = ["兰新铁路", "兰新客运专线"]


def make_net(
    edges: list[tuple[int, int, float]],
    region: list[int],
    freight: list[bool] | None = None,
    lines: list[str] | None = None,
    mode: list[str] | None = None,
) -> TransportNetwork:
    """Nodes 0..len(region)-1 in the given regions; edges (u, v, capacity) with ids 0, 1, ..."""
    n = len(region)
    nodes = pd.DataFrame(
        {
            "name": [f"n{i}" for i in range(n)],
            "region": region,
            "pop": 1.0,
            "lon": np.linspace(100, 110, n),
            "lat": np.linspace(30, 35, n),
        },
        index=pd.Index(range(n), name="node"),
    )
    m = len(edges)
    e = pd.DataFrame(
        {
            "edge": range(m),
            "u": [x[0] for x in edges],
            "v": [x[1] for x in edges],
            "mode": mode or ["rail"] * m,
            "length_km": 100.0,
            "time_h": 1.0,
            "capacity": [float(x[2]) for x in edges],
            "year_open": 2000,
            "carries_freight": freight or [True] * m,
            "line": lines or [f"L{k}" for k in range(m)],
        }
    )
    return TransportNetwork(nodes, e)


def nx_pair_flow(net: TransportNetwork, r: int, s: int, cap: dict[object, float] | None = None) -> float:
    """Reference: networkx max-flow on an explicit digraph with super-source and super-sink.

    ``cap`` overrides the capacity per edge id (after scaling and failures); only freight edges count.
    """
    g = nx.DiGraph()
    g.add_nodes_from(net.nodes.index)
    for row in net.edges.itertuples():
        if not row.carries_freight:
            continue
        c = float(row.capacity if cap is None else cap.get(row.edge, row.capacity))
        if c <= 0:
            continue
        for x, y in ((row.u, row.v), (row.v, row.u)):
            if g.has_edge(x, y):
                g[x][y]["capacity"] += c
            else:
                g.add_edge(x, y, capacity=c)
    for i in net.nodes.index[net.nodes["region"] == r]:
        g.add_edge("S", i)  # no capacity attribute: unbounded
    for i in net.nodes.index[net.nodes["region"] == s]:
        g.add_edge(i, "T")
    return float(nx.maximum_flow_value(g, "S", "T"))


@pytest.fixture(scope="module")
def china_net() -> TransportNetwork:
    return load_china_network()


# --- canonical graphs with hand-checkable answers ------------------------------------------------


def test_two_parallel_routes_add_and_cut() -> None:
    # A = {0, 1}, B = {2, 3}: route 0-2 (3) and route 1-3 (5); weak internal links do not limit
    net = make_net([(0, 2, 3), (1, 3, 5), (0, 1, 0.5), (2, 3, 0.5)], region=[1, 1, 2, 2])
    f = region_pair_capacity(net)
    assert f.index.name == "region" and f.columns.name == "region"
    assert f.index.tolist() == [1, 2] and f.columns.tolist() == [1, 2]
    assert f.at[1, 2] == 8.0 and f.at[2, 1] == 8.0
    assert np.isnan(f.at[1, 1]) and np.isnan(f.at[2, 2])
    assert region_pair_capacity(net, failed=[0]).at[1, 2] == 5.0
    assert region_pair_capacity(net, failed=[1]).at[1, 2] == 3.0
    assert region_pair_capacity(net, failed=[0, 1]).at[1, 2] == 0.0
    assert region_pair_capacity(net, capacity_scale={0: 2.0}).at[1, 2] == 11.0
    assert region_pair_capacity(net, capacity_scale={1: 0.4}).at[1, 2] == 5.0
    # failed wins over a scale on the same edge
    assert region_pair_capacity(net, capacity_scale={0: 2.0}, failed=[0]).at[1, 2] == 5.0


def test_parallel_edges_between_the_same_cities_add() -> None:
    net = make_net([(0, 1, 3), (0, 1, 5)], region=[1, 2])
    assert region_pair_capacity(net).at[1, 2] == 8.0
    assert region_pair_capacity(net, failed=[1]).at[1, 2] == 3.0
    assert region_pair_capacity(net, failed=[0]).at[1, 2] == 5.0


def test_third_region_internal_link_is_the_bottleneck() -> None:
    # A={0} -10- C={1,2} -10- B={3}; C's internal link 1-2 has capacity 2
    net = make_net([(0, 1, 10), (1, 2, 2), (2, 3, 10)], region=[1, 3, 3, 2])
    f = region_pair_capacity(net)
    assert f.at[1, 2] == 2.0  # a contracted region C would wrongly give 10
    assert f.at[1, 3] == 10.0 and f.at[3, 2] == 10.0
    # a subset of regions keeps C's nodes as transit nodes, in the order asked for
    g = region_pair_capacity(net, regions=[2, 1])
    assert g.index.tolist() == [2, 1] and g.at[2, 1] == 2.0
    assert region_pair_capacity(net, capacity_scale={1: 3.0}).at[1, 2] == 6.0


def test_an_edge_on_no_min_cut_can_still_matter() -> None:
    # A -5- x -3- B: the min cut is x-B (3); A-x lies on no min cut, yet failing it leaves nothing
    net = make_net([(0, 1, 5), (1, 2, 3)], region=[1, 3, 2])
    assert region_pair_capacity(net).at[1, 2] == 3.0
    assert region_pair_capacity(net, failed=[0]).at[1, 2] == 0.0
    assert region_pair_capacity(net, capacity_scale={0: 0.7}).at[1, 2] == 3.0  # 3.5 left >= 3


def test_freight_only_and_added_links() -> None:
    net = make_net([(0, 1, 4), (0, 1, 6)], region=[1, 2], freight=[True, False])
    assert region_pair_capacity(net).at[1, 2] == 4.0
    assert region_pair_capacity(net, freight_only=False).at[1, 2] == 10.0
    new = pd.DataFrame({"u": [1], "v": [0], "capacity": [2.5]})
    assert region_pair_capacity(net, added=new).at[1, 2] == 6.5
    tagged = new.assign(carries_freight=[False])
    assert region_pair_capacity(net, added=tagged).at[1, 2] == 4.0
    assert region_pair_capacity(net, added=tagged, freight_only=False).at[1, 2] == 12.5
    assert region_pair_capacity(net, added=new.iloc[:0]).at[1, 2] == 4.0


def test_disconnected_region_is_zero_and_network_without_freight_column() -> None:
    net = make_net([(0, 1, 4)], region=[1, 2, 3])
    f = region_pair_capacity(net)
    assert f.at[1, 3] == 0.0 and f.at[2, 3] == 0.0 and f.at[1, 2] == 4.0
    bare = TransportNetwork(net.nodes, net.edges.drop(columns=["carries_freight"]))
    assert region_pair_capacity(bare).at[1, 2] == 4.0  # no column: every edge counts
    one = region_pair_capacity(net, regions=[2])
    assert one.shape == (1, 1) and np.isnan(one.iloc[0, 0])


def test_pair_max_flows_kernel_matches_canonical_answer() -> None:
    u, v, c = np.array([0, 1, 2, 0]), np.array([1, 2, 3, 1]), np.array([10.0, 2.0, 10.0, 0.0])
    f = pair_max_flows(4, u, v, c, [np.array([0]), np.array([3]), np.array([1, 2])])
    assert f[0, 1] == 2.0 and f[0, 2] == 10.0 and f[1, 2] == 10.0
    assert np.isnan(np.diag(f)).all()
    empty = pair_max_flows(3, np.zeros(0, int), np.zeros(0, int), np.zeros(0), [np.array([0]), np.array([1])])
    assert empty[0, 1] == 0.0


# --- edges_between ---------------------------------------------------------------------------------


def test_edges_between_small_network() -> None:
    net = make_net(
        [(0, 1, 1), (1, 2, 1), (2, 3, 1), (0, 3, 1)], region=[1, 1, 2, 2], lines=["X", "X", "X", "Y"]
    )
    assert edges_between(net, lines=["X"]) == [0, 1, 2]
    assert edges_between(net, lines=["X"], regions=[1]) == [0]
    assert edges_between(net, lines=["X"], regions=[1], crossing=True) == [0, 1]
    assert edges_between(net, regions=[2], crossing=True) == [1, 2, 3]
    assert edges_between(net, nodes=[3]) == [2, 3]
    assert edges_between(net, lines=["X", "Y"], nodes=[0]) == [0, 3]


def test_edges_between_hexi_corridor(china_net: TransportNetwork) -> None:
    inside = edges_between(china_net, lines=HEXI_LINES, regions=[GS])
    cross = edges_between(china_net, lines=HEXI_LINES, regions=[GS], crossing=True)
    e = china_net.edges.set_index("edge")
    region = china_net.nodes["region"]
    assert inside and set(inside) < set(cross)
    assert all(region[e.at[k, "u"]] == GS and region[e.at[k, "v"]] == GS for k in inside)
    extra = set(cross) - set(inside)
    assert all((region[e.at[k, "u"]] == GS) != (region[e.at[k, "v"]] == GS) for k in extra)
    assert 563 in extra  # 兰州–乌鲁木齐 兰新客运专线 (high speed) leaves Gansu
    assert set(e.loc[cross, "line"]) == set(HEXI_LINES)


# --- reference: networkx on the bundled network ----------------------------------------------------


def _sample_pairs(regions: list[int], k: int, seed: int) -> list[tuple[int, int]]:
    pairs = [(XJ, r) for r in regions if r != XJ]
    others = [p for p in itertools.combinations(regions, 2) if XJ not in p]
    rng = np.random.default_rng(seed)
    return pairs + [others[i] for i in rng.choice(len(others), k, replace=False)]


@pytest.mark.reference
def test_bundled_network_matches_networkx(china_net: TransportNetwork) -> None:
    f = region_pair_capacity(china_net)
    regions = f.index.tolist()
    assert len(regions) == 31
    vals = f.to_numpy()
    assert np.allclose(vals, vals.T, equal_nan=True)
    assert np.isnan(np.diag(vals)).all() and (vals[~np.isnan(vals)] >= 0).all()
    for r, s in _sample_pairs(regions, 20, seed=1):
        assert f.at[r, s] == pytest.approx(nx_pair_flow(china_net, r, s), abs=1e-9), (r, s)


@pytest.mark.reference
def test_bundled_network_damaged_and_upgraded_matches_networkx(china_net: TransportNetwork) -> None:
    rng = np.random.default_rng(7)
    ids = china_net.edges["edge"].to_numpy()
    failed = rng.choice(ids, 40, replace=False).tolist()
    scale = {
        int(k): float(x)
        for k, x in zip(rng.choice(ids, 60), rng.choice([0.25, 0.4, 1.5, 2.0], 60), strict=True)
    }
    f = region_pair_capacity(china_net, failed=failed, capacity_scale=scale)
    cap = {
        k: float(c) * scale.get(k, 1.0)
        for k, c in zip(ids.tolist(), china_net.edges["capacity"], strict=True)
    }
    cap.update(dict.fromkeys(failed, 0.0))
    for r, s in _sample_pairs(f.index.tolist(), 15, seed=2):
        assert f.at[r, s] == pytest.approx(nx_pair_flow(china_net, r, s, cap), abs=1e-6), (r, s)


@pytest.mark.reference
def test_hexi_corridor_cut(china_net: TransportNetwork) -> None:
    """Xinjiang's capacity to Gansu and Beijing with the Lanxin lines in and at the edge of Gansu cut."""
    cut = edges_between(china_net, lines=HEXI_LINES, regions=[GS], crossing=True)
    before = region_pair_capacity(china_net)
    after = region_pair_capacity(china_net, failed=cut)
    cap = {k: 0.0 for k in cut}
    for r in (GS, BJ):
        print(f"F({XJ}, {r}): intact {before.at[XJ, r]:.0f}, Hexi cut {after.at[XJ, r]:.0f} train paths/day")
        assert after.at[XJ, r] == pytest.approx(nx_pair_flow(china_net, XJ, r, cap), abs=1e-9)
        assert 0 < after.at[XJ, r] < before.at[XJ, r]
    # what is left runs over 格库铁路 (Korla–Haixi) and 哈额铁路 (Hami–Alxa): cutting both isolates Xinjiang
    rest = edges_between(china_net, lines=["格库铁路", "哈额铁路"])
    isolated = region_pair_capacity(china_net, failed=cut + rest, regions=[XJ, GS, BJ])
    assert isolated.at[XJ, GS] == 0.0 and isolated.at[XJ, BJ] == 0.0
    # failing never raises, so every pair is at most its intact value
    diff = (before - after).to_numpy()
    assert (diff[~np.isnan(diff)] >= -1e-9).all()


# --- properties on random graphs -------------------------------------------------------------------


@st.composite
def random_nets(draw: st.DrawFn) -> TransportNetwork:
    n = draw(st.integers(3, 9))
    region = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    edges = draw(st.lists(st.tuples(st.sampled_from(pairs), st.integers(0, 12)), min_size=1, max_size=3 * n))
    freight = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    return make_net(
        [(u, v, c) for (u, v), c in edges],
        region=region,
        freight=[f or i == 0 for i, f in enumerate(freight)],
    )


def _flows(net: TransportNetwork, **kw: object) -> np.ndarray:
    return region_pair_capacity(net, **kw).to_numpy()  # type: ignore[arg-type]


@pytest.mark.property
@settings(max_examples=80, deadline=None)
@given(random_nets())
def test_random_graphs_match_networkx_and_are_symmetric(net: TransportNetwork) -> None:
    f = region_pair_capacity(net)
    vals = f.to_numpy()
    assert np.allclose(vals, vals.T, equal_nan=True) and np.isnan(np.diag(vals)).all()
    for r, s in itertools.combinations(f.index, 2):
        assert f.at[r, s] == pytest.approx(nx_pair_flow(net, r, s), abs=1e-9)


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(random_nets(), st.data())
def test_failing_never_raises_and_scaling_up_never_lowers(net: TransportNetwork, data: st.DataObject) -> None:
    ids = net.edges["edge"].tolist()
    base = _flows(net)
    failed = data.draw(st.lists(st.sampled_from(ids), max_size=len(ids)))
    ups = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from([1.0, 1.5, 2.0, 4.0])))
    off = ~np.isnan(base)
    assert (_flows(net, failed=failed)[off] <= base[off] + 1e-9).all()
    assert (_flows(net, capacity_scale=ups)[off] >= base[off] - 1e-9).all()


def _pair_digraph(net: TransportNetwork, r: int, s: int) -> nx.DiGraph:
    g = nx.DiGraph()
    for row in net.edges.itertuples():
        if row.carries_freight and row.capacity > 0:
            for x, y in ((row.u, row.v), (row.v, row.u)):
                c = g[x][y]["capacity"] if g.has_edge(x, y) else 0.0
                g.add_edge(x, y, capacity=c + row.capacity)
    g.add_nodes_from(net.nodes.index)
    for i in net.nodes.index[net.nodes["region"] == r]:
        g.add_edge("S", i)
    for i in net.nodes.index[net.nodes["region"] == s]:
        g.add_edge(i, "T")
    return g


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(random_nets())
def test_min_cut_edges_and_idle_edges(net: TransportNetwork) -> None:
    """An edge on a min cut of (r, s) lowers F_rs by exactly its capacity when failed; an edge idle in
    a maximum flow (no flow either way on its link) leaves F_rs unchanged.

    (An edge on *no* min cut may still lower F_rs when failed, see
    ``test_an_edge_on_no_min_cut_can_still_matter``; idle in a max flow is the property that holds.)
    """
    base = region_pair_capacity(net)
    region = net.nodes["region"]
    freight = net.edges[net.edges["carries_freight"]]
    for r, s in itertools.combinations(base.index, 2):
        g = _pair_digraph(net, r, s)
        value, (side, _) = nx.minimum_cut(g, "S", "T")
        _, flow = nx.maximum_flow(g, "S", "T")
        assert base.at[r, s] == pytest.approx(value, abs=1e-9)
        for row in freight.itertuples():
            if region[row.u] == region[row.v] and region[row.u] in (r, s):
                continue  # a link inside a terminal region carries nothing that matters
            after = region_pair_capacity(net, failed=[row.edge], regions=[r, s]).at[r, s]
            if (row.u in side) != (row.v in side):
                assert after == pytest.approx(base.at[r, s] - row.capacity, abs=1e-9)
            if flow.get(row.u, {}).get(row.v, 0) == 0 and flow.get(row.v, {}).get(row.u, 0) == 0:
                assert after == pytest.approx(base.at[r, s], abs=1e-9)


# --- bad inputs --------------------------------------------------------------------------------------


@pytest.fixture
def small() -> TransportNetwork:
    return make_net([(0, 2, 3), (1, 3, 5)], region=[1, 1, 2, 2], lines=["北线", "南线"])


def test_unknown_edge_ids(small: TransportNetwork) -> None:
    with pytest.raises(
        UnknownIdError, match=r"failed: unknown edge id\(s\) \[99\].*net.edges\['edge'\].*Fix"
    ):
        region_pair_capacity(small, failed=[99])
    with pytest.raises(UnknownIdError, match=r"capacity_scale: unknown edge id\(s\) \['x'\].*edges_between"):
        region_pair_capacity(small, capacity_scale={"x": 2.0})


def test_negative_or_missing_factor(small: TransportNetwork) -> None:
    with pytest.raises(ConfigError, match=r"capacity_scale.*\(1, -0.5\).*expected finite numbers >= 0.*Fix"):
        region_pair_capacity(small, capacity_scale={1: -0.5})
    with pytest.raises(ConfigError, match=r"\(0, nan\)"):
        region_pair_capacity(small, capacity_scale={0: float("nan")})
    with pytest.raises(ConfigError, match="must be numbers"):
        region_pair_capacity(small, capacity_scale={0: "twice"})  # type: ignore[dict-item]


def test_negative_edge_capacity_named(small: TransportNetwork) -> None:
    edges = small.edges.copy()
    edges.loc[1, "capacity"] = np.nan
    bad = TransportNetwork(small.nodes, edges)
    with pytest.raises(ConfigError, match=r"edge capacity.*\(1, nan\).*Fix"):
        region_pair_capacity(bad)


def test_unknown_duplicate_or_empty_regions(small: TransportNetwork) -> None:
    with pytest.raises(UnknownIdError, match=r"regions: \[7\] have no node.*valid regions: \[1, 2\].*Fix"):
        region_pair_capacity(small, regions=[1, 7])
    with pytest.raises(ConfigError, match="more than once"):
        region_pair_capacity(small, regions=[1, 1])
    with pytest.raises(ConfigError, match="regions is empty"):
        region_pair_capacity(small, regions=[])


def test_bad_added_links(small: TransportNetwork) -> None:
    with pytest.raises(UnknownIdError, match=r"added: unknown node id\(s\) \[42\]"):
        region_pair_capacity(small, added=pd.DataFrame({"u": [0], "v": [42], "capacity": [1.0]}))
    with pytest.raises(ConfigError, match=r"added: capacity.*\(0, -1.0\)"):
        region_pair_capacity(small, added=pd.DataFrame({"u": [0], "v": [3], "capacity": [-1.0]}))
    with pytest.raises(ConfigError, match=r"lacks column\(s\) \['capacity'\]"):
        region_pair_capacity(small, added=pd.DataFrame({"u": [0], "v": [3]}))
    with pytest.raises(ConfigError, match="join a node to itself"):
        region_pair_capacity(small, added=pd.DataFrame({"u": [0], "v": [0], "capacity": [1.0]}))


def test_mixed_modes_refused() -> None:
    net = make_net([(0, 1, 3), (0, 1, 40000)], region=[1, 2], mode=["rail", "road"])
    with pytest.raises(ConfigError, match=r"several modes \['rail', 'road'\].*Fix"):
        region_pair_capacity(net)
    assert region_pair_capacity(net, failed=[1]).at[1, 2] == 3.0


def test_edges_between_errors(small: TransportNetwork, china_net: TransportNetwork) -> None:
    with pytest.raises(
        UnknownIdError, match=r"line '兰新线' matches no edge.*closest line names: \[.*'兰新铁路'"
    ):
        edges_between(china_net, lines=["兰新线"])
    with pytest.raises(UnknownIdError, match="no similar line name"):
        edges_between(small, lines=["zzz"])
    with pytest.raises(UnknownIdError, match=r"regions \[9\] have no node.*valid regions"):
        edges_between(small, regions=[9])
    with pytest.raises(UnknownIdError, match=r"unknown node id\(s\) \[77\]"):
        edges_between(small, nodes=[77])
    with pytest.raises(ConfigError, match="no filter given"):
        edges_between(small)
    with pytest.raises(ConfigError, match=r"no edge matches.*touch regions \[1, 2\].*crossing=True"):
        edges_between(small, lines=["北线"], regions=[1])
    with pytest.raises(SchemaError, match="no 'line' column"):
        edges_between(TransportNetwork(small.nodes, small.edges.drop(columns=["line"])), lines=["北线"])


@pytest.mark.reference
def test_province_level_network_only_bounds_from_above(china_net: TransportNetwork) -> None:
    """Contracting every region (the province-level network) makes third regions' links free: an upper
    bound that is strictly above the exact value for many pairs."""
    freight = china_net.without_edges(china_net.edges.loc[~china_net.edges["carries_freight"], "edge"])
    exact = region_pair_capacity(china_net)
    contracted = region_pair_capacity(aggregate_by_region(freight), freight_only=False)
    d = (contracted - exact).to_numpy()
    off = ~np.isnan(d)
    assert (d[off] >= -1e-9).all()
    assert (d[off] > 1e-9).sum() > 100  # 305 of the 465 pairs on the bundled data


def test_pair_max_flows_rejects_overlapping_or_outside_groups() -> None:
    u, v, c = np.array([0]), np.array([1]), np.array([1.0])
    with pytest.raises(ConfigError, match=r"group 1 shares node positions \[1\].*disjoint"):
        pair_max_flows(3, u, v, c, [np.array([0, 1]), np.array([1])])
    with pytest.raises(ConfigError, match=r"outside 0\.\.2"):
        pair_max_flows(3, u, v, c, [np.array([0]), np.array([5])])


def test_ids_as_arrays_and_series(china_net: TransportNetwork) -> None:
    cut = edges_between(china_net, lines=HEXI_LINES, regions=[GS], crossing=True)
    ref = region_pair_capacity(china_net, failed=cut, regions=[XJ, GS])
    assert region_pair_capacity(china_net, failed=np.array(cut), regions=np.array([XJ, GS])).equals(ref)
    assert region_pair_capacity(china_net, failed=pd.Series(cut), regions=[XJ, GS]).equals(ref)
    assert region_pair_capacity(china_net, failed=cut[0], regions=[XJ, GS]).equals(
        region_pair_capacity(china_net, failed=[cut[0]], regions=[XJ, GS])
    )
