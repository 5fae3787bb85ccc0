"""Max-flow / min-cut between node groups and budgeted link upgrades that raise the worst-case cut.

Groups :math:`A` and :math:`B` are joined to a super-source :math:`S` and a super-sink :math:`T` by
arcs of unbounded capacity; each undirected link :math:`\\{i,j\\}` of capacity :math:`c_{ij}` becomes
the arcs :math:`i\\to j` and :math:`j\\to i`, each of capacity :math:`c_{ij}`. By the max-flow min-cut
theorem (Ford & Fulkerson 1956) the largest :math:`S`-:math:`T` flow equals the smallest total
capacity of links whose removal separates :math:`A` from :math:`B`; the cut links are those with one
end reachable from :math:`S` in the residual graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from hinterland.containers import TransportNetwork
from hinterland.errors import ConfigError, InfeasibleError, UnknownIdError
from hinterland.network._graph import Graph, from_network
from hinterland.network._milp import add_budget_row, add_upgrade_vars, solve_milp
from hinterland.optim import MipModel, check_solver

__all__ = ["MinCut", "UpgradePlan", "add_cut_bound_row", "add_scenario_flow", "min_cut", "plan_upgrades"]

_SCALE = 1000  # capacities are rounded to 1/1000 of their unit for the integer max-flow


def _int_capacities(cap: np.ndarray) -> tuple[np.ndarray, int, float]:
    """Capacities as int32 for scipy's integer max-flow: rounded to 1/``_SCALE`` of their unit, or to a
    coarser power-of-ten step when the total would not fit in int32 (e.g. roads in pcu/day). Returns
    the integer capacities, the value of the super-source/sink arcs (more than all of them) and the
    scale."""
    total = float(np.asarray(cap, dtype=float).sum())
    scale = float(_SCALE)
    while scale > 1e-6 and 2 * total * scale + 2 >= 2**31 - 1:
        scale /= 10
    c = np.round(np.asarray(cap, dtype=float) * scale).astype(np.int64)
    big = int(c.sum()) + 1
    if big >= 2**31 - 1:  # pragma: no cover - needs capacities summing to more than 2e15
        raise ConfigError(f"link capacities sum to {total:.3g}; too large for the integer max-flow")
    return c.astype(np.int32), big, scale


@dataclass(frozen=True)
class MinCut:
    """Value of the max-flow/min-cut, the cut links (``u, v, edges, capacity``) and the source side."""

    value: float
    cut: pd.DataFrame
    source_side: frozenset[object]


def _positions(net: TransportNetwork, group: Iterable[object], what: str) -> np.ndarray:
    ids = list(group)
    unknown = [x for x in ids if x not in net.nodes.index]
    if unknown:
        raise UnknownIdError(f"{what}: unknown node id(s) {unknown[:10]}. Fix: use node ids of the network.")
    if not ids:
        raise ConfigError(f"{what} is empty. Fix: give at least one node.")
    return np.array([net.position(x) for x in ids], dtype=np.int64)  # type: ignore[arg-type]


def min_cut(net: TransportNetwork, sources: Iterable[object], sinks: Iterable[object]) -> MinCut:
    """Maximum flow from node group ``sources`` to group ``sinks`` on link capacities, and the min cut.

    .. math:: \\max F \\;\\text{s.t.}\\; \\sum_j f_{ij} - \\sum_j f_{ji} = F[i=S] - F[i=T],\\;
              0 \\le f_{ij} \\le c_{ij}

    equals :math:`\\min_{X \\ni S, T \\notin X} \\sum_{\\{i,j\\}: i \\in X, j \\notin X} c_{ij}`
    (Ford & Fulkerson 1956). Solved with scipy's ``maximum_flow`` (Dinic) on capacities rounded to
    1/1000 of their unit.
    """
    g = from_network(net)
    a = _positions(net, sources, "sources")
    b = _positions(net, sinks, "sinks")
    both = set(a.tolist()) & set(b.tolist())
    if both:
        raise ConfigError(
            f"node(s) {[net.nodes.index[i] for i in sorted(both)][:10]} are in both groups. "
            "Fix: make the source and sink groups disjoint."
        )
    cap, big, scale = _int_capacities(g.capacity)
    n = g.n
    s_node, t_node = n, n + 1
    rows = np.r_[g.a, g.b, np.full(len(a), s_node), b]
    cols = np.r_[g.b, g.a, a, np.full(len(b), t_node)]
    data = np.r_[cap, cap, np.full(len(a), big), np.full(len(b), big)]
    mat = csr_matrix((data.astype(np.int32), (rows, cols)), shape=(n + 2, n + 2))
    mat.sum_duplicates()
    res = maximum_flow(mat, s_node, t_node)
    flow = res.flow.tocsr()
    resid = (mat - flow).tocsr()
    resid.data[resid.data <= 0] = 0
    resid.eliminate_zeros()
    reach = set(breadth_first_order(resid, s_node, directed=True, return_predecessors=False).tolist())
    in_a = np.array([i in reach for i in g.a])
    in_b = np.array([i in reach for i in g.b])
    cut_k = np.flatnonzero(in_a != in_b)
    cut = pd.DataFrame(
        {
            "u": g.labels[g.a[cut_k]],
            "v": g.labels[g.b[cut_k]],
            "edges": [";".join(map(str, g.members[k])) for k in cut_k],
            "capacity": g.capacity[cut_k],
        }
    )
    cut = cut.sort_values("capacity", ascending=False).reset_index(drop=True)
    side = frozenset(net.nodes.index[i] for i in reach if i < n)
    return MinCut(res.flow_value / scale, cut, side)


@dataclass(frozen=True)
class UpgradePlan:
    """Chosen upgrades (``u, v, add_capacity, cost``), the worst-case cut before/after, per-scenario
    flows, and the solver's outcome (``status`` ``optimal`` or ``time_limit``, relative ``gap``,
    ``seconds``) as in the travel-time and backup plans."""

    chosen: pd.DataFrame
    value_before: float
    value_after: float
    budget: float
    scenario_flows: pd.DataFrame
    status: str = "optimal"
    gap: float = 0.0
    seconds: float = 0.0


def _link_index(g: Graph) -> dict[tuple[int, int], int]:
    return {(int(x), int(y)): k for k, (x, y) in enumerate(zip(g.a, g.b, strict=True))}


def add_scenario_flow(
    m: MipModel,
    name: str,
    la: np.ndarray,
    lb: np.ndarray,
    cap: np.ndarray,
    cand_link: np.ndarray,
    gain: np.ndarray,
    x: slice,
    sources: np.ndarray,
    sinks: np.ndarray,
    big: float,
    n: int,
) -> slice:
    """One scenario's flow from the ``sources`` to the ``sinks`` (positions) with value :math:`F_s`:
    columns ``F`` (the value, :math:`\\le` ``big``), arc flows ``fwd``/``bwd`` per link (``la -> lb``,
    ``lb -> la``), one source arc per ``sources`` entry and one sink arc per ``sinks`` entry
    (:math:`\\le` ``big``); rows, in this order:

    * ``link``: :math:`f_{ij} - \\sum_{k: \\ell(k)=\\{i,j\\}} g_k x_k \\le c^s_{ij}` for each link, forward
      then backward arc (``cand_link[k]`` is the link of candidate k, ``gain[k]`` its
      :math:`c_{ij} - c^s_{ij} + \\Delta_k`);
    * ``node``: conservation :math:`\\sum_j f_{ij} - \\sum_j f_{ji} - \\text{src}_i + \\text{snk}_i = 0` at
      every node that has a link, a source or a sink arc;
    * ``source``: :math:`\\sum \\text{src} - F_s = 0`.

    Returns the slice of ``F``."""
    nl, na, nb = len(la), len(sources), len(sinks)
    fv = m.add_vars(f"F_{name}", 1, lb=0.0, ub=big)
    fwd = m.add_vars(f"fwd_{name}", nl, lb=0.0)
    bwd = m.add_vars(f"bwd_{name}", nl, lb=0.0)
    src = m.add_vars(f"src_{name}", na, lb=0.0, ub=big)
    snk = m.add_vars(f"snk_{name}", nb, lb=0.0, ub=big)
    k, c = np.arange(nl), np.arange(len(cand_link))
    m.add_rows(
        f"link_{name}",
        2 * nl,
        np.r_[2 * k, 2 * k + 1, 2 * cand_link, 2 * cand_link + 1],
        np.r_[fwd.start + k, bwd.start + k, x.start + c, x.start + c],
        np.r_[np.ones(2 * nl), -gain, -gain],
        upper=np.repeat(cap, 2),
    )
    nodes = np.unique(np.r_[la, lb, sources, sinks]).astype(np.int64)
    row_of = np.full(n, -1, dtype=np.int64)
    row_of[nodes] = np.arange(len(nodes))
    ra, rb = row_of[la], row_of[lb]
    m.add_rows(
        f"node_{name}",
        len(nodes),
        np.r_[ra, ra, rb, rb, row_of[sources], row_of[sinks]],
        np.r_[
            fwd.start + k,
            bwd.start + k,
            fwd.start + k,
            bwd.start + k,
            src.start + np.arange(na),
            snk.start + np.arange(nb),
        ],
        np.r_[np.ones(nl), -np.ones(nl), -np.ones(nl), np.ones(nl), -np.ones(na), np.ones(nb)],
        lower=0.0,
        upper=0.0,
    )
    m.add_rows(
        f"source_{name}",
        1,
        np.zeros(na + 1),
        np.r_[src.start + np.arange(na), fv.start],
        np.r_[np.ones(na), -1.0],
        lower=0.0,
        upper=0.0,
    )
    return fv


def add_cut_bound_row(m: MipModel, name: str, z: slice, fv: slice) -> slice:
    """:math:`z - F_s \\le 0`: the worst-case value :math:`z` is at most scenario s's flow."""
    return m.add_rows(f"worst_{name}", 1, np.zeros(2), np.r_[z.start, fv.start], np.r_[1.0, -1.0], upper=0.0)


def plan_upgrades(
    net: TransportNetwork,
    sources: Iterable[object],
    sinks: Iterable[object],
    candidates: pd.DataFrame,
    budget: float,
    scenarios: Sequence[Iterable[object]] = ((),),
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    solver: str = "highs",
) -> UpgradePlan:
    """Choose link upgrades or new links under a budget to maximise the worst-case min-cut capacity.

    MILP (after Peeta et al. 2010 with a max-flow recourse). Candidates
    :math:`k` (rows ``u, v, add_capacity, cost``; a pair without a link is a new link) with binary
    :math:`x_k`; scenarios :math:`s` fail the network edges listed (edge ids); an upgraded link
    survives every scenario:

    .. math::
        \\max z \\;\\text{s.t.}\\; z \\le F_s \\;\\forall s,\\quad
        \\sum_j f^s_{ij} - \\sum_j f^s_{ji} = F_s[i=S] - F_s[i=T],\\\\
        f^s_{ij} \\le c^s_{ij} + (c_{ij} - c^s_{ij} + \\Delta_k)\\,x_k,\\quad
        \\sum_k \\kappa_k x_k \\le B,\\; x_k \\in \\{0,1\\},\\; f \\ge 0

    where :math:`c^s_{ij}` is the capacity left in scenario :math:`s`. Built from the ``add_*`` blocks
    (:func:`add_upgrade_vars`, :func:`add_scenario_flow`, :func:`add_cut_bound_row`,
    :func:`add_budget_row`) on :class:`~hinterland.optim.MipModel` and solved by
    :func:`~hinterland.optim.solve_mip` with ``solver`` (``"highs"``, HiGHS via highspy, default; or
    ``"scipy"``, ``scipy.optimize.milp``) to the relative gap ``mip_gap`` (HiGHS's default 1e-4)
    within ``time_limit`` seconds. An unknown ``solver`` raises :class:`ConfigError` naming the valid
    ones.
    """
    for col in ("u", "v", "add_capacity", "cost"):
        if col not in candidates.columns:
            raise ConfigError(f"candidates table lacks column {col!r} (expected u, v, add_capacity, cost)")
    if budget < 0:
        raise ConfigError(f"budget must be >= 0, got {budget}")
    if (candidates["cost"] < 0).any() or (candidates["add_capacity"] < 0).any():
        raise ConfigError("candidates: cost and add_capacity must be >= 0")
    check_solver(solver)
    g = from_network(net)
    a = _positions(net, sources, "sources")
    b = _positions(net, sinks, "sinks")
    n = g.n
    idx = _link_index(g)
    # links: existing + new candidate pairs
    la, lb, lcap = list(g.a), list(g.b), list(g.capacity)
    cand_link = []
    for r in candidates.itertuples():
        i, j = net.position(r.u), net.position(r.v)  # type: ignore[arg-type]
        key = (min(i, j), max(i, j))
        if key not in idx:
            idx[key] = len(la)
            la.append(key[0])
            lb.append(key[1])
            lcap.append(0.0)
        cand_link.append(idx[key])
    cap0 = np.array(lcap, float)
    edge_cap = net.edges.set_index("edge")["capacity"]
    pos = pd.Series(np.arange(n), index=net.nodes.index)
    scen_caps = []
    for failed in scenarios:
        c = cap0.copy()
        for e in failed:
            if e not in edge_cap.index:
                raise UnknownIdError(f"scenario: unknown edge id {e!r}. Fix: use ids from the edge table.")
            row = net.edges.loc[net.edges["edge"] == e].iloc[0]
            i, j = int(pos[row["u"]]), int(pos[row["v"]])
            k = idx[(min(i, j), max(i, j))]
            c[k] -= float(edge_cap[e])
        scen_caps.append(np.maximum(c, 0.0))
    big = float(cap0.sum() + candidates["add_capacity"].sum()) + 1.0
    la_arr, lb_arr = np.array(la, np.int64), np.array(lb, np.int64)
    ck = np.array(cand_link, np.int64)
    add_cap = candidates["add_capacity"].to_numpy(float)

    m = MipModel("min_cut_upgrades", sense="max")
    x = add_upgrade_vars(m, len(ck))
    z = m.add_vars("z", 1, cost=1.0, lb=0.0)
    flows = []
    for s, cs in enumerate(scen_caps):
        gain = cap0[ck] - cs[ck] + add_cap
        fv = add_scenario_flow(m, str(s), la_arr, lb_arr, cs, ck, gain, x, a, b, big, n)
        add_cut_bound_row(m, str(s), z, fv)
        flows.append(fv.start)
    if len(ck):
        add_budget_row(m, x, candidates["cost"].to_numpy(float), float(budget))
    sol = solve_milp(m, solver=solver, time_limit=time_limit, mip_gap=mip_gap)
    if sol.status == "infeasible":
        raise InfeasibleError(
            f"upgrade model infeasible with budget {budget}. Fix: raise the budget to >= 0."
        )
    xs = sol.x[x] > 0.5
    before = min(min_cut_value(la, lb, cs, a, b, n) for cs in scen_caps)
    chosen = candidates[xs].reset_index(drop=True)
    sf = pd.DataFrame(
        {
            "scenario": np.arange(len(flows)),
            "flow_after": [float(sol.x[f]) for f in flows],
            "flow_before": [min_cut_value(la, lb, cs, a, b, n) for cs in scen_caps],
        }
    )
    return UpgradePlan(
        chosen,
        before,
        float(sol.x[z.start]),
        float(budget),
        sf,
        sol.status,
        float(sol.gap),
        float(sol.seconds),
    )


def min_cut_value(
    la: list[int], lb: list[int], cap: np.ndarray, a: np.ndarray, b: np.ndarray, n: int
) -> float:
    """Min-cut value between position groups on explicit link arrays (helper for scenarios)."""
    c, big, scale = _int_capacities(cap)
    rows = np.r_[la, lb, np.full(len(a), n), b]
    cols = np.r_[lb, la, a, np.full(len(b), n + 1)]
    data = np.r_[c, c, np.full(len(a), big), np.full(len(b), big)]
    mat = csr_matrix((data.astype(np.int32), (rows, cols)), shape=(n + 2, n + 2))
    mat.sum_duplicates()
    return float(maximum_flow(mat, n, n + 1).flow_value) / scale
