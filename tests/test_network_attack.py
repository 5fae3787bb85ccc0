"""Targeted and random attack curves: the incremental update equals the full recomputation exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError
from hinterland.network import attack_curve, from_network
from hinterland.network._robustness import _Attack, _trees, canonical_pred, subtree_counts


def make_net(edges: list[tuple[int, int, float]], n: int) -> TransportNetwork:
    nodes = pd.DataFrame(
        {
            "name": [f"n{i}" for i in range(n)],
            "region": 0,
            "pop": 1.0,
            "lon": np.linspace(100, 110, n),
            "lat": np.linspace(30, 35, n),
        },
        index=pd.Index(range(n), name="node"),
    )
    e = pd.DataFrame(
        {
            "edge": range(len(edges)),
            "u": [x[0] for x in edges],
            "v": [x[1] for x in edges],
            "mode": "rail",
            "length_km": [x[2] * 100 for x in edges],
            "time_h": [x[2] for x in edges],
            "capacity": 1.0,
            "year_open": 2000,
        }
    )
    return TransportNetwork(nodes, e)


def random_net(seed: int, n: int, m: int, integer_times: bool) -> TransportNetwork:
    """Random graph; integer times (1-3 h) make many equal-length paths, real times make none."""
    rng = np.random.default_rng(seed)
    m = min(m, n * (n - 1) // 2)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.choice(n, 2, replace=False)
        pairs.add((int(min(a, b)), int(max(a, b))))
    times = rng.integers(1, 4, m).astype(float) if integer_times else rng.uniform(0.5, 5, m)
    return make_net([(a, b, float(t)) for (a, b), t in zip(sorted(pairs), times, strict=True)], n)


# ---- unit: exact answers ------------------------------------------------------------------------
def test_canonical_pred_breaks_ties_by_smallest_index() -> None:
    # unit 4-cycle 0-1-2-3-0: node 2 is 2 h from 0 through 1 and through 3 -> predecessor 1
    g = from_network(make_net([(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1)], 4))
    d, p = _trees(g, np.zeros(4, bool))
    assert p[0, 2] == 1 and p[2, 0] == 1 and p[1, 3] == 0 and p[3, 1] == 0
    assert p[0, 1] == 0 and p[0, 3] == 0  # unique predecessors are kept
    assert d[0, 2] == 2.0
    fake = p.copy()
    fake[0, 2] = 3  # the other tied neighbour, as Dijkstra might have chosen
    assert canonical_pred(g, np.zeros(4, bool), d, fake)[0, 2] == 1


def test_subtree_counts_on_a_path() -> None:
    # path 0-1-2-3: from 0, node 1 carries the pairs (0,2), (0,3); node 2 carries (0,3)
    g = from_network(make_net([(0, 1, 1), (1, 2, 1), (2, 3, 1)], 4))
    d, p = _trees(g, np.zeros(4, bool))
    c = subtree_counts(d, p)
    assert c[0].tolist() == [0, 2, 1, 0]
    assert c[3].tolist() == [0, 1, 2, 0]
    assert c.sum(0).tolist() == [0, 4, 4, 0]  # ordered pairs through 1: (0,2),(0,3),(2,0),(3,0)


def test_attack_rejects_unknown_method() -> None:
    with pytest.raises(ConfigError, match="method"):
        attack_curve(make_net([(0, 1, 1)], 2), "degree", method="fast")


def test_removing_a_cut_node_disconnects_and_updates_betweenness() -> None:
    # two triangles joined at node 2: removing 2 leaves two pairs of nodes
    net = make_net([(0, 1, 1), (0, 2, 1), (1, 2, 1.5), (2, 3, 1), (2, 4, 1.5), (3, 4, 1)], 5)
    att = _Attack(from_network(net), counts=True)
    assert att.betweenness().tolist() == [0, 0, 8, 0, 0]  # 2 lies on the 4 cross pairs, both ways
    att.remove(2)
    assert att.betweenness().tolist() == [0, 0, 0, 0, 0]
    assert np.isinf(att.d[0, 3]) and att.d[0, 1] == 1.0 and att.d[3, 4] == 1.0
    assert att.full_steps == 1  # the update was incremental


# ---- reference: equal to the full recomputation --------------------------------------------------
def _check_state_after_each_removal(net: TransportNetwork, counts: bool, order: list[int]) -> None:
    g = from_network(net)
    att = _Attack(g, counts=counts)
    removed = np.zeros(g.n, bool)
    for v in order:
        att.remove(v)
        removed[v] = True
        d, p = _trees(g, removed)
        assert np.array_equal(att.d, d)  # bit for bit, inf included
        assert np.array_equal(att.p, p)
        if counts:
            assert np.array_equal(att.c, subtree_counts(d, p))


@pytest.mark.reference
def test_bundled_network_attacks_equal_recomputation() -> None:
    from hinterland.datasets import load_china_network

    net = load_china_network()
    frac = 40.5 / len(net.nodes)
    for strategy in ("betweenness", "degree"):
        fast = attack_curve(net, strategy, max_fraction=frac)
        slow = attack_curve(net, strategy, max_fraction=frac, method="recompute")
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
        assert fast["giant"].iloc[-1] < 0.9
    g = from_network(net)
    att = _Attack(g, counts=True)
    for _ in range(15):
        b = att.betweenness()
        b[att.removed] = -1
        att.remove(int(np.argmax(b)))
    assert att.full_steps == 1  # no step needed the fallback
    d, p = _trees(g, att.removed)
    assert np.array_equal(att.d, d) and np.array_equal(att.p, p)
    assert np.array_equal(att.c, subtree_counts(d, p))


# ---- property ------------------------------------------------------------------------------------
@pytest.mark.property
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(4, 16),
    density=st.floats(1.0, 3.0),
    integer_times=st.booleans(),
    strategy=st.sampled_from(["betweenness", "degree"]),
)
def test_targeted_attack_equals_recomputation(
    seed: int, n: int, density: float, integer_times: bool, strategy: str
) -> None:
    net = random_net(seed, n, int(density * n), integer_times)
    fast = attack_curve(net, strategy, max_fraction=0.6)
    slow = attack_curve(net, strategy, max_fraction=0.6, method="recompute")
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


@pytest.mark.property
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(3, 14), integer_times=st.booleans())
def test_state_after_any_removal_order_equals_recomputation(seed: int, n: int, integer_times: bool) -> None:
    net = random_net(seed, n, 2 * n, integer_times)
    order = np.random.default_rng(seed).permutation(n)[: max(1, n // 2)].tolist()
    _check_state_after_each_removal(net, counts=True, order=order)


@pytest.mark.property
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 100_000), integer_times=st.booleans())
def test_random_attack_equals_recomputation(seed: int, integer_times: bool) -> None:
    net = random_net(seed, 12, 20, integer_times)
    fast = attack_curve(net, "random", max_fraction=0.5, draws=3, seed=seed)
    slow = attack_curve(net, "random", max_fraction=0.5, draws=3, seed=seed, method="recompute")
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
