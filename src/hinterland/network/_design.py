r"""Budgeted corridor upgrades that minimise population-weighted travel time under disruption scenarios.

Network design with uncapacitated multi-commodity shortest-path flows (Magnanti & Wong 1984; the
scenario form follows the robust/stochastic network design of Yang & Bell 1998 and Chen, Yang,
Kongsomsaksakul & Lee 2007). Notation:

* :math:`o \in O` population origins with masses :math:`P_o`; :math:`h \in H` hubs; pair weights
  :math:`w_{oh} = P_o / \sum_{(o',h'): o' \ne h'} P_{o'}` (so the objective is a mean travel time in hours);
* scenarios :math:`s \in S` with weights :math:`\pi_s` (:math:`\sum_s \pi_s = 1`), each failing a set of
  network edges; :math:`A_s` is the set of directed arcs that survive, with times :math:`t_a`;
* candidates :math:`k \in K` with cost :math:`\kappa_k` and binary :math:`x_k`: a new or rebuilt,
  hardened link :math:`\{i_k, j_k\}` with time :math:`\tau_k` that survives every scenario
  (arcs :math:`A_K`);
* :math:`U`: the time charged to a pair that has no path (an artificial arc :math:`o \to h`).

For each scenario and hub, the flow :math:`f^{sh}_a` carries every origin's weight to :math:`h`:

.. math::
    \min_{x, f} \; \sum_s \pi_s T_s \;\; (\text{or } \max_s T_s), \qquad
    T_s = \sum_h \Big(\sum_{a \in A_s \cup A_K} t_a f^{sh}_a + U \sum_o g^{sh}_o\Big)

    \text{s.t.}\;\; \sum_{a \in \delta^+(i)} f^{sh}_a - \sum_{a \in \delta^-(i)} f^{sh}_a + g^{sh}_i
        = w_{ih} \quad \forall s, h, i \ne h,

    f^{sh}_a \le M^{sh}_a\, x_{k(a)} \;\; \forall a \in A_K, \qquad
    \sum_k \kappa_k x_k \le B, \qquad x \in \{0,1\}^K,\; f, g \ge 0.

With the design fixed the flow problem is a set of uncapacitated shortest-path problems, so
:math:`T_s = \sum_{o,h} w_{oh} \min(d^s_{oh}(x), U)` exactly. Arcs that can lie on no shortest path
for any design are dropped before the model is built (exact): an arc :math:`a = (i \to j)` can carry
origin :math:`o`'s flow only if :math:`\underline d(o,i) + t_a + \underline d(j,h) \le \bar d(o,h)`,
with :math:`\underline d` the times with every candidate built and :math:`\bar d = \min(d^s, U)` the
times with none; :math:`M^{sh}_a` is the weight of the origins that pass this test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError, InfeasibleError, SchemaError, SolverError, UnknownIdError
from hinterland.network._milp import add_budget_row, add_upgrade_vars, solve_milp
from hinterland.optim import MipModel, check_solver

__all__ = [
    "RISKS",
    "TravelTimePlan",
    "add_budget_row",
    "add_commodity_flows",
    "add_upgrade_vars",
    "add_worst_case",
    "plan_travel_time_upgrades",
    "weighted_travel_time",
]

RISKS = ("expected", "worst")
_EPS = 1e-9


@dataclass(frozen=True)
class TravelTimePlan:
    """Chosen candidates, per-scenario weighted travel time before/after (hours), summary values."""

    chosen: pd.DataFrame
    scenarios: pd.DataFrame
    expected_before: float
    expected_after: float
    worst_before: float
    worst_after: float
    risk: str
    budget: float
    spent: float
    status: str
    gap: float
    seconds: float
    size: tuple[int, int]
    unreachable_h: float


# ---- model blocks -------------------------------------------------------------------------------


# ``add_upgrade_vars`` and ``add_budget_row`` are shared with the min-cut upgrade model
# (network/_milp.py); re-exported here with the other blocks of this model.


def add_commodity_flows(
    m: MipModel,
    name: str,
    tail: np.ndarray,
    head: np.ndarray,
    gate: np.ndarray,
    big_m: np.ndarray,
    supply: np.ndarray,
    sink: int,
    x: slice,
) -> tuple[slice, slice]:
    """One single-sink commodity: arc flows :math:`f_a` (``tail -> head``) and unmet-demand flows
    :math:`g_i` (the artificial arc to the sink, one per node with ``supply`` > 0), with the
    conservation rows :math:`\\sum_{\\delta^+(i)} f - \\sum_{\\delta^-(i)} f + g_i = w_i` for
    :math:`i \\ne` ``sink`` and the forcing rows :math:`f_a \\le M_a x_{k(a)}` where ``gate[a] >= 0``.
    Returns the slices of :math:`f` and :math:`g`."""
    na = len(tail)
    src = np.flatnonzero(supply > 0)
    f = m.add_vars(f"f_{name}", na)
    g = m.add_vars(f"g_{name}", len(src))
    nodes = np.unique(np.r_[tail, head, src])
    nodes = nodes[nodes != sink]
    size = max(int(np.max(tail, initial=0)), int(np.max(head, initial=0)), int(np.max(src, initial=0)), sink)
    row_of = np.full(size + 1, -1)
    row_of[nodes] = np.arange(len(nodes))
    ar = np.arange(na)
    rt, rh, rs = row_of[tail], row_of[head], row_of[src]
    keep_t, keep_h = rt >= 0, rh >= 0
    m.add_rows(
        f"flow_{name}",
        len(nodes),
        np.r_[rt[keep_t], rh[keep_h], rs],
        np.r_[f.start + ar[keep_t], f.start + ar[keep_h], g.start + np.arange(len(src))],
        np.r_[np.ones(keep_t.sum()), -np.ones(keep_h.sum()), np.ones(len(src))],
        lower=supply[nodes],
        upper=supply[nodes],
    )
    gated = np.flatnonzero(gate >= 0)
    r = np.arange(len(gated))
    m.add_rows(
        f"gate_{name}",
        len(gated),
        np.r_[r, r],
        np.r_[f.start + gated, x.start + gate[gated]],
        np.r_[np.ones(len(gated)), -big_m[gated]],
        upper=0.0,
    )
    return f, g


def add_worst_case(m: MipModel, t: slice) -> slice:
    """Epigraph of the worst case: :math:`z \\ge T_s` for every scenario; :math:`\\min z`."""
    z = m.add_vars("z", 1, cost=1.0)
    ns = t.stop - t.start
    r = np.arange(ns)
    m.add_rows(
        "worst",
        ns,
        np.r_[r, r],
        np.r_[np.full(ns, z.start), t.start + r],
        np.r_[np.ones(ns), -np.ones(ns)],
        lower=0.0,
    )
    return z


# ---- helpers ------------------------------------------------------------------------------------


def _positions(net: TransportNetwork, ids: Iterable[object], what: str) -> np.ndarray:
    ids = list(ids)
    if not ids:
        raise ConfigError(f"{what} is empty. Fix: give at least one node id.")
    unknown = [x for x in ids if x not in net.nodes.index]
    if unknown:
        raise UnknownIdError(f"{what}: unknown node id(s) {unknown[:10]}. Fix: use node ids of the network.")
    return np.array([net.position(x) for x in ids], dtype=np.int64)  # type: ignore[arg-type]


def _scenario_links(net: TransportNetwork, failed: Iterable[object], k: int) -> tuple[np.ndarray, ...]:
    """Surviving links (positions ``a < b``, fastest time) after failing the edge ids ``failed``."""
    failed = list(failed)
    known = set(net.edges["edge"].tolist())
    unknown = [e for e in failed if e not in known]
    if unknown:
        raise UnknownIdError(
            f"scenario {k}: unknown edge id(s) {unknown[:10]}. "
            "Fix: use ids from the edge table's 'edge' column."
        )
    e = net.edges[~net.edges["edge"].isin(failed)]
    pos = pd.Series(np.arange(len(net.nodes)), index=net.nodes.index)
    u = pos.loc[e["u"]].to_numpy()
    v = pos.loc[e["v"]].to_numpy()
    df = pd.DataFrame({"a": np.minimum(u, v), "b": np.maximum(u, v), "t": e["time_h"].to_numpy(float)})
    best = df.groupby(["a", "b"], sort=True)["t"].min()
    return (
        best.index.get_level_values("a").to_numpy(np.int64),
        best.index.get_level_values("b").to_numpy(np.int64),
        best.to_numpy(float),
    )


def _csr(n: int, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> csr_matrix:
    df = pd.DataFrame({"r": np.r_[a, b], "c": np.r_[b, a], "t": np.r_[t, t]}).groupby(["r", "c"])["t"].min()
    return csr_matrix(
        (df.to_numpy(), (df.index.get_level_values(0), df.index.get_level_values(1))), shape=(n, n)
    )


def _candidates(
    net: TransportNetwork, candidates: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    for col in ("u", "v", "cost", "time_h"):
        if col not in candidates.columns:
            raise SchemaError(
                f"candidates table lacks column {col!r} (expected u, v, cost, time_h). Fix: add it."
            )
    if candidates.empty:  # nothing to choose: the model only evaluates the scenarios
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
    ci = _positions(net, candidates["u"], "candidates column 'u'")
    cj = _positions(net, candidates["v"], "candidates column 'v'")
    cost = candidates["cost"].to_numpy(float)
    tau = candidates["time_h"].to_numpy(float)
    for what, bad in (
        ("cost < 0 or missing", ~(cost >= 0)),
        ("time_h <= 0 or missing", ~(tau > 0)),
        ("u == v (a self-loop)", ci == cj),
    ):
        if bad.any():
            rows = np.flatnonzero(bad)[:10].tolist()
            raise SchemaError(f"candidates row(s) {rows}: {what}. Fix: give cost >= 0, time_h > 0, u != v.")
    return ci, cj, cost, tau


def _pair_weights(net: TransportNetwork, o: np.ndarray, hubs: np.ndarray, weights: str) -> np.ndarray:
    if weights not in net.nodes.columns:
        raise ConfigError(f"weights column {weights!r} is not in the node table {list(net.nodes.columns)}")
    p = net.nodes[weights].to_numpy(float)[o]
    if not np.all(p >= 0):
        raise SchemaError(
            f"node column {weights!r}: negative or missing values at origins. Fix: give P >= 0."
        )
    w = np.repeat(p[:, None], len(hubs), axis=1)
    w[o[:, None] == hubs[None, :]] = 0.0
    total = w.sum()
    if total <= 0:
        raise ConfigError(
            f"origins have zero total {weights!r} towards the hubs. Fix: choose origins with population "
            "that are not themselves the only hubs."
        )
    return np.asarray(w / total)


def weighted_travel_time(
    n: int,
    links: tuple[np.ndarray, ...],
    extra: tuple[np.ndarray, np.ndarray, np.ndarray],
    origins: np.ndarray,
    hubs: np.ndarray,
    w: np.ndarray,
    unreachable_h: float,
) -> tuple[float, float]:
    """:math:`T = \\sum_{o,h} w_{oh} \\min(d_{oh}, U)` on the links plus the ``extra`` (built) links, by
    Dijkstra from the hubs; also the weight share of pairs with no path."""
    a, b, t = links
    mat = _csr(n, np.r_[a, extra[0]], np.r_[b, extra[1]], np.r_[t, extra[2]])
    d = np.asarray(dijkstra(mat, directed=False, indices=hubs))[:, origins].T
    return float((w * np.minimum(d, unreachable_h)).sum()), float(w[~np.isfinite(d)].sum())


# ---- the planner --------------------------------------------------------------------------------


def plan_travel_time_upgrades(
    net: TransportNetwork,
    origins: Iterable[object],
    hubs: Iterable[object],
    candidates: pd.DataFrame,
    budget: float,
    scenarios: Sequence[Iterable[object]] = ((),),
    *,
    scenario_weights: Sequence[float] | None = None,
    risk: str = "expected",
    weights: str = "pop",
    unreachable_h: float | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 1e-6,
    solver: str = "highs",
) -> TravelTimePlan:
    """Choose candidate links (rows ``u, v, cost, time_h``) under ``budget`` to minimise the expected
    (``risk="expected"``, scenario weights :math:`\\pi_s`, default equal) or worst-case
    (``risk="worst"``) population-weighted origin-to-hub travel time over the ``scenarios`` (each a
    collection of failed edge ids; ``()`` is the intact network). See the module docstring for the
    MILP: it is built from the ``add_*`` blocks on :class:`~hinterland.optim.MipModel` and solved by
    :func:`~hinterland.optim.solve_mip` with ``solver`` (``"highs"``, HiGHS via highspy, default; or
    ``"scipy"``, ``scipy.optimize.milp``), to the relative gap ``mip_gap`` within ``time_limit``
    seconds; ``status``, ``gap`` and ``seconds`` of the result are the solver's. A built candidate is a
    hardened link that survives every scenario; where it parallels an existing link the faster time
    applies. An unknown ``solver`` raises :class:`ConfigError` naming the valid ones.

    ``unreachable_h`` (:math:`U`) defaults to twice the longest finite origin-hub time of the
    intact network. Before/after values are recomputed by Dijkstra (not read from the MILP).
    """
    if risk not in RISKS:
        raise ConfigError(f"risk must be one of {RISKS}, got {risk!r}")
    check_solver(solver)
    if not budget >= 0:
        raise ConfigError(f"budget must be >= 0, got {budget}. Fix: give a non-negative budget.")
    scen = [list(s) for s in scenarios]
    if not scen:
        raise ConfigError("no scenarios given. Fix: pass at least the intact network, scenarios=[()].")
    pi = np.ones(len(scen)) if scenario_weights is None else np.asarray(scenario_weights, float)
    if len(pi) != len(scen) or not np.all(pi >= 0) or pi.sum() <= 0:
        raise ConfigError(
            f"scenario_weights must be {len(scen)} non-negative numbers with a positive sum, got {list(pi)}"
        )
    pi = pi / pi.sum()
    n = len(net.nodes)
    o = np.unique(_positions(net, origins, "origins"))
    h = np.unique(_positions(net, hubs, "hubs"))
    w = _pair_weights(net, o, h, weights)
    ci, cj, cost, tau = _candidates(net, candidates)
    nk = len(ci)
    links = [_scenario_links(net, s, k) for k, s in enumerate(scen)]
    if unreachable_h is None:
        d_int = np.asarray(dijkstra(_csr(n, *_scenario_links(net, (), 0)), directed=False, indices=h))[:, o]
        fin = d_int[np.isfinite(d_int)]
        unreachable_h = 2.0 * float(fin.max()) if len(fin) else 100.0
    if not unreachable_h > 0:
        raise ConfigError(f"unreachable_h must be > 0, got {unreachable_h}")
    big_u = float(unreachable_h)

    m = MipModel("travel_time_upgrades")
    x = add_upgrade_vars(m, nk)
    add_budget_row(m, x, cost, float(budget))
    t_cols = m.add_vars("T", len(scen), cost=pi if risk == "expected" else 0.0)
    for s, (a, b, t) in enumerate(links):
        d0 = np.asarray(dijkstra(_csr(n, a, b, t), directed=False, indices=h))  # hubs x n
        lb = np.asarray(
            dijkstra(_csr(n, np.r_[a, ci], np.r_[b, cj], np.r_[t, tau]), directed=False, indices=h)
        )
        tail = np.r_[a, b, ci, cj]
        head = np.r_[b, a, cj, ci]
        time = np.r_[t, t, tau, tau]
        gate = np.r_[np.full(2 * len(a), -1), np.arange(nk), np.arange(nk)]
        # distances from the origins with every candidate built (lower bounds for the arc test)
        lbo = np.asarray(
            dijkstra(_csr(n, np.r_[a, ci], np.r_[b, cj], np.r_[t, tau]), directed=False, indices=o)
        )
        terms_c, terms_v = [], []
        for q, hub in enumerate(h):
            wq = w[:, q]
            active = wq > 0
            ub = np.minimum(d0[q, o[active]], big_u)
            test = lbo[active][:, tail] + time[None, :] + lb[q, head][None, :] <= ub[:, None] + _EPS
            big_m = (wq[active][:, None] * test).sum(0)
            keep = np.flatnonzero(test.any(0))
            supply = np.zeros(n)
            supply[o] = wq
            supply[hub] = 0.0
            f, g = add_commodity_flows(
                m, f"{s}_{q}", tail[keep], head[keep], gate[keep], big_m[keep], supply, int(hub), x
            )
            terms_c += [np.arange(f.start, f.stop), np.arange(g.start, g.stop)]
            terms_v += [time[keep], np.full(g.stop - g.start, big_u)]
        c = np.concatenate(terms_c)
        v = np.concatenate(terms_v)
        m.add_rows(
            f"time_{s}",
            1,
            np.zeros(len(c) + 1),
            np.r_[t_cols.start + s, c],
            np.r_[-1.0, v],
            lower=0.0,
            upper=0.0,
        )
    if risk == "worst":
        add_worst_case(m, t_cols)
    res = solve_milp(m, solver=solver, time_limit=time_limit, mip_gap=mip_gap)
    if res.status == "infeasible":
        raise InfeasibleError(
            f"travel-time upgrade model infeasible with budget {budget}. Fix: raise the budget to >= 0."
        )
    if not res.x.size:
        raise SolverError(
            f"HiGHS found no solution ({res.status}) within {time_limit} s. Fix: raise time_limit or use "
            "fewer scenarios/candidates."
        )
    chosen_mask = res.x[x] > 0.5
    built = (ci[chosen_mask], cj[chosen_mask], tau[chosen_mask])
    none = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    before, after, lost_b, lost_a = [], [], [], []
    for lk in links:
        tb, ub_ = weighted_travel_time(n, lk, none, o, h, w, big_u)
        ta, ua = weighted_travel_time(n, lk, built, o, h, w, big_u)
        before.append(tb)
        after.append(ta)
        lost_b.append(ub_)
        lost_a.append(ua)
    table = pd.DataFrame(
        {
            "scenario": np.arange(len(scen)),
            "weight": pi,
            "failed_edges": [";".join(map(str, s)) for s in scen],
            "time_before_h": before,
            "time_after_h": after,
            "unreachable_before": lost_b,
            "unreachable_after": lost_a,
        }
    )
    table["saving_h"] = table["time_before_h"] - table["time_after_h"]
    chosen = candidates[chosen_mask].reset_index(drop=True)
    return TravelTimePlan(
        chosen=chosen,
        scenarios=table,
        expected_before=float(pi @ np.array(before)),
        expected_after=float(pi @ np.array(after)),
        worst_before=float(max(before)),
        worst_after=float(max(after)),
        risk=risk,
        budget=float(budget),
        spent=float(cost[chosen_mask].sum()),
        status=res.status,
        gap=res.gap,
        seconds=res.seconds,
        size=(m.n_cols, m.n_rows),
        unreachable_h=big_u,
    )
