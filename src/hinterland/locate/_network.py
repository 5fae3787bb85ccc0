"""Travel times on a graph and disruption scenarios from removed corridors (edges) or nodes.

Adapters between a transport network (any edge list ``a, b, hours``; the network package's, or the
proxy graph built here from point coordinates) and the location models: shortest-path travel-time
matrices per scenario, stacked into a :class:`~hinterland.locate.ScenarioSet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from hinterland.errors import SchemaError
from hinterland.locate._instance import great_circle_km
from hinterland.locate._scenarios import ScenarioSet

__all__ = ["Hazard", "hazard_scenarios", "proximity_graph", "travel_times"]

FloatArray = npt.NDArray[np.float64]


def proximity_graph(
    lon: npt.ArrayLike, lat: npt.ArrayLike, *, k: int = 5, detour: float = 1.3, speed_kmh: float = 60.0
) -> pd.DataFrame:
    r"""A proxy road graph: each point joined to its ``k`` nearest neighbours (symmetrised).

    Edge time :math:`t_{ab} = \rho\,\mathrm{gc}(a,b)/v` (great-circle km × detour factor ÷ speed; see
    :func:`~hinterland.locate.from_points`). A k-nearest-neighbour graph is a standard stand-in for a
    road network when only settlement points are known (e.g. Eppstein, Paterson & Yao 1997, "On
    nearest-neighbor graphs", Discrete Comput. Geom. 17:263). If the kNN graph is disconnected, the
    closest pair of points between components is joined until it is connected.
    Returns columns ``edge, a, b, km, hours`` (``a < b``, positions into the point arrays).
    """
    lo, la = np.asarray(lon, float), np.asarray(lat, float)
    km = great_circle_km(lo, la, lo, la)
    n = len(lo)
    np.fill_diagonal(km, np.inf)
    nn = np.argsort(km, axis=1)[:, : min(k, n - 1)]
    a = np.repeat(np.arange(n), nn.shape[1])
    b = nn.reshape(-1)
    pairs = {(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b, strict=True)}
    while True:
        g = sp.coo_matrix((np.ones(len(pairs)), tuple(np.array(sorted(pairs)).T)), shape=(n, n))
        n_comp, labels = sp.csgraph.connected_components(g, directed=False)
        if n_comp == 1:
            break
        comp0 = labels == labels[0]
        sub = km[np.ix_(comp0, ~comp0)]
        r, c = np.unravel_index(np.argmin(sub), sub.shape)
        x, y = int(np.flatnonzero(comp0)[r]), int(np.flatnonzero(~comp0)[c])
        pairs.add((min(x, y), max(x, y)))
    arr = np.array(sorted(pairs))
    dist = km[arr[:, 0], arr[:, 1]]
    return pd.DataFrame(
        {
            "edge": np.arange(len(arr)),
            "a": arr[:, 0],
            "b": arr[:, 1],
            "km": dist,
            "hours": dist * detour / speed_kmh,
        }
    )


def travel_times(
    n_nodes: int,
    edges: pd.DataFrame,
    sources: Sequence[int],
    targets: Sequence[int],
    *,
    removed_edges: Iterable[int] = (),
    removed_nodes: Iterable[int] = (),
    slow: dict[int, float] | None = None,
) -> FloatArray:
    r"""Shortest-path times :math:`d_{ij}` from ``sources`` (rows) to ``targets`` (columns), undirected.

    Dijkstra (1959) on the graph without ``removed_edges`` (by ``edge`` id) and ``removed_nodes``;
    ``slow`` multiplies chosen edges' times. Unreachable pairs are ``inf``.
    """
    for col in ("edge", "a", "b", "hours"):
        if col not in edges.columns:
            raise SchemaError(f"edge list lacks column {col!r}; expected edge, a, b, hours")
    e = edges[~edges["edge"].isin(set(removed_edges))]
    dead = set(removed_nodes)
    if dead:
        e = e[~e["a"].isin(dead) & ~e["b"].isin(dead)]
    w = e["hours"].to_numpy(float).copy()
    if slow:
        w *= e["edge"].map(slow).fillna(1.0).to_numpy(float)
    g = sp.csr_matrix((w, (e["a"].to_numpy(), e["b"].to_numpy())), shape=(n_nodes, n_nodes))
    dist = dijkstra(g, directed=False, indices=np.asarray(sources, dtype=np.int64))
    out = np.asarray(dist[:, np.asarray(targets, dtype=np.int64)], dtype=float)
    if dead:
        out[np.isin(np.asarray(sources), list(dead)), :] = np.inf
        out[:, np.isin(np.asarray(targets), list(dead))] = np.inf
    return out


@dataclass(frozen=True)
class Hazard:
    """A circular hazard footprint: every edge with an end within ``radius_km`` of the centre is slowed
    by ``slowdown`` (``inf``: cut), and the sites inside it are lost."""

    name: str
    lon: float
    lat: float
    radius_km: float
    description: str = ""
    slowdown: float = 3.0


def hazard_scenarios(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    edges: pd.DataFrame,
    demand: Sequence[int],
    sites: Sequence[int],
    hazards: Sequence[Hazard],
    *,
    prob: Sequence[float] | None = None,
    include_base: bool = True,
    base_prob: float = 0.5,
) -> ScenarioSet:
    """Scenarios from hazard footprints (spatially correlated corridor failures; cf. §2.1 of the design
    notes): the base network plus one scenario per hazard, equal probability among hazards unless
    ``prob`` is given. Demand points inside a footprint keep their demand but lose their local links.
    """
    lo, la = np.asarray(lon, float), np.asarray(lat, float)
    n = len(lo)
    mats, names, desc, avail = [], [], [], []
    if include_base:
        mats.append(travel_times(n, edges, demand, sites))
        names.append("base")
        desc.append("intact network")
        avail.append(np.ones(len(sites), bool))
    for hz in hazards:
        dist = great_circle_km(np.array([hz.lon]), np.array([hz.lat]), lo, la)[0]
        inside = dist <= hz.radius_km
        hit = edges.loc[inside[edges["a"].to_numpy()] | inside[edges["b"].to_numpy()], "edge"]
        if np.isinf(hz.slowdown):
            mats.append(travel_times(n, edges, demand, sites, removed_edges=hit.tolist()))
        else:
            slow = dict.fromkeys(hit.tolist(), float(hz.slowdown))
            mats.append(travel_times(n, edges, demand, sites, slow=slow))
        names.append(hz.name)
        verb = "cut" if np.isinf(hz.slowdown) else f"slowed ×{hz.slowdown:g}"
        desc.append(f"{hz.description} ({len(hit)} corridors {verb}, {int(inside.sum())} points inside)")
        avail.append(~inside[np.asarray(sites)])
    n_h = len(hazards)
    if prob is not None:
        p = np.asarray(prob, float)
    elif include_base:
        p = np.concatenate([[base_prob], np.full(n_h, (1 - base_prob) / max(n_h, 1))])
    else:
        p = np.full(n_h, 1.0 / n_h)
    return ScenarioSet.from_matrices(mats, names, p / p.sum(), np.asarray(avail, bool).tolist(), desc)
