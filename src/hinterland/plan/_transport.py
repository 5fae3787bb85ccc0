r"""The transport layer: trade eligibility between provinces from the damaged (and upgraded) rail network.

A scenario's ``network`` cuts name rail links; the layer turns them, and any corridor upgrades of a
plan, into ARIO supplier masks (:class:`hinterland.economy.TransportWindow`). For every pair of
provinces r ≠ s,

.. math::
    e_{rs} = \min\Big(1,\ \frac{F'_{rs}}{u\,F_{rs}}\Big),

where :math:`F_{rs}` is the max-flow (train paths/day) between the cities of r and those of s on the
intact freight network, :math:`F'_{rs}` the same on the damaged network with the plan's upgrades
(an upgraded link carries ``capacity_factor`` × its capacity; a cut link carries
``capacity_left`` × its capacity), and :math:`u` the share of the intact capacity normal trade uses
(``utilisation``; 1 = trade scales with the capacity that survives). Flows take any detour the
network offers, so :math:`F'` is the capacity of the surviving routes (Ford & Fulkerson 1956; pairwise
capacity as a resilience measure: Ip & Wang 2011). Pairs with no rail path at all in the intact
network (Hainan) are not restricted: their trade goes by sea or road. An upgrade off every cut path
leaves every :math:`F'` and so every mask as it was, and a window whose eligibilities are all 1 is
dropped (no mask at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import TransportNetwork
from hinterland.economy import NetworkCut, ShockLevers, ShockScenario, TransportWindow
from hinterland.errors import ConfigError

__all__ = ["CorridorUpgrade", "TransportLayer", "transport_levers"]


@dataclass(frozen=True)
class CorridorUpgrade:
    """Rail links (city pairs ``links``; every parallel edge of each) whose capacity is multiplied by
    ``capacity_factor``: one upgrade project, ``km`` long in all, named ``name`` (its lines)."""

    links: tuple[tuple[int, int], ...]
    km: float
    capacity_factor: float = 2.0
    name: str = ""

    @property
    def key(self) -> str:
        a, b = sorted(int(x) for x in self.links[0])
        more = f"+{len(self.links) - 1}" if len(self.links) > 1 else ""
        return f"upgrade:{a}-{b}{more}"


@dataclass
class TransportLayer:
    """Region-pair eligibility from a rail network (see the module docstring)."""

    net: TransportNetwork
    utilisation: float = 1.0
    _base: pd.DataFrame | None = field(default=None, repr=False)
    _cache: dict[tuple[Any, ...], pd.DataFrame] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.utilisation <= 1:
            raise ConfigError(
                f"transport utilisation = {self.utilisation} must be in (0, 1] (the share of the intact "
                "capacity that normal trade uses). Fix: e.g. 1.0 or 0.8."
            )

    @classmethod
    def bundled(cls, utilisation: float = 1.0) -> TransportLayer:
        """The layer on the bundled rail network (every line open by the latest year in the data)."""
        return cls(_bundled_network(), utilisation)

    @property
    def base(self) -> pd.DataFrame:
        """Intact pairwise capacities :math:`F_{rs}`."""
        if self._base is None:
            from hinterland.network import region_pair_capacity

            self._base = region_pair_capacity(self.net)
        return self._base

    # ------------------------------------------------------------------ cuts and upgrades
    def cut_edges(self, cut: NetworkCut, scenario: ShockScenario) -> list[object]:
        """Edge ids of the links a scenario's cut names (lines within regions, and explicit edges)."""
        from hinterland.network import edges_between

        regions = _region_ids(cut.regions, scenario, cut.key)
        ids: list[object] = list(cut.edges)
        if cut.lines:
            ids += edges_between(self.net, lines=list(cut.lines), regions=regions, crossing=cut.crossing)
        known = set(self.net.edges["edge"])
        bad = [e for e in ids if e not in known]
        if bad:
            raise ConfigError(
                f"{scenario.source}: {cut.key}.edges: unknown edge ids {bad[:5]}. Fix: use ids of the "
                "bundled network (hinterland network writes them) or name lines instead."
            )
        return sorted(set(ids), key=lambda e: str(e))

    def _upgrade_scale(self, upgrades: Sequence[CorridorUpgrade]) -> dict[object, float]:
        e = self.net.edges
        a = np.minimum(e["u"].to_numpy(), e["v"].to_numpy())
        b = np.maximum(e["u"].to_numpy(), e["v"].to_numpy())
        scale: dict[object, float] = {}
        for up in upgrades:
            for u, v in up.links:
                lo, hi = sorted((int(u), int(v)))
                hit = e["edge"].to_numpy()[(a == lo) & (b == hi)]
                if not len(hit):
                    raise ConfigError(
                        f"corridor upgrade {up.name or up.key}: no rail link joins {u} and {v} in the "
                        "network. Fix: upgrade an existing link (u, v node ids of the edges table)."
                    )
                for edge in hit:
                    scale[edge] = scale.get(edge, 1.0) * float(up.capacity_factor)
        return scale

    def pair_capacity(
        self, failed: Sequence[object], capacity_left: float, upgrades: Sequence[CorridorUpgrade]
    ) -> pd.DataFrame:
        """:math:`F'` with ``failed`` links at ``capacity_left`` of their capacity and the upgrades."""
        from hinterland.network import region_pair_capacity

        key = (tuple(sorted(map(str, failed))), float(capacity_left), tuple(sorted(u.key for u in upgrades)))
        if key not in self._cache:
            scale = self._upgrade_scale(upgrades)
            dead: list[object] = []
            for edge in failed:
                if capacity_left > 0:
                    scale[edge] = float(capacity_left)  # a cut link gains nothing from an upgrade
                else:
                    dead.append(edge)
            self._cache[key] = region_pair_capacity(self.net, failed=dead, capacity_scale=scale or None)
        return self._cache[key]

    def eligibility(
        self, failed: Sequence[object], capacity_left: float = 0.0, upgrades: Sequence[CorridorUpgrade] = ()
    ) -> pd.DataFrame:
        """:math:`e_{rs}` (origin rows, destination columns); 1 on the diagonal and where no rail path
        exists in the intact network."""
        base = self.base
        dmg = self.pair_capacity(failed, capacity_left, upgrades).reindex(
            index=base.index, columns=base.columns
        )
        F = base.to_numpy(dtype=float)
        Fp = dmg.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            e = np.where(F > 0, np.minimum(1.0, Fp / (self.utilisation * F)), 1.0)
        e = np.nan_to_num(e, nan=1.0)
        np.fill_diagonal(e, 1.0)
        return pd.DataFrame(e, index=base.index, columns=base.columns)

    def windows(
        self, scenario: ShockScenario, upgrades: Sequence[CorridorUpgrade] = ()
    ) -> tuple[TransportWindow, ...]:
        """One transport window per network cut of ``scenario``, with the ``upgrades`` built."""
        out = []
        for cut in scenario.network:
            e = self.eligibility(self.cut_edges(cut, scenario), cut.capacity_left, upgrades)
            out.append(TransportWindow(cut.start, cut.end, e))
        return tuple(out)

    def detour_upgrades(
        self, scenario: ShockScenario, *, capacity_factor: float = 2.0, rounds: int = 8
    ) -> list[CorridorUpgrade]:
        """For each network cut of ``scenario``, the detour project a planner would build: for the
        province cut off from most others, upgrade the links of the min cut between it and its
        worst-served partners on the damaged network, then the next min cut, until the surviving
        capacity has grown by ``capacity_factor`` (or after ``rounds`` cuts). Min cuts: Ford &
        Fulkerson (1956)."""
        from hinterland.network import min_cut

        out = []
        e = self.net.edges
        freight = e[e["carries_freight"].astype(bool)] if "carries_freight" in e else e
        for cut in scenario.network:
            failed = set(self.cut_edges(cut, scenario))
            elig = self.eligibility(sorted(failed, key=str), cut.capacity_left)
            hit = (elig < 1.0).sum(axis=1)
            if not hit.any():
                continue
            # the province cut off from most others (ties: the lowest mean eligibility)
            order = pd.DataFrame({"pairs": hit, "mean": elig.mean(axis=1)}).sort_values(
                ["pairs", "mean"], ascending=[False, True]
            )
            r = order.index[0]
            # its worst-served partners (eligibility at the row minimum): the routes to them are what
            # the project must widen; better-served neighbours on the way are transit
            row = elig.loc[r].drop(r)
            worst = row.index[row <= row.min() + 1e-9].tolist()
            alive = freight[~freight["edge"].isin(failed)].reset_index(drop=True)
            ends = np.c_[np.minimum(alive["u"], alive["v"]), np.maximum(alive["u"], alive["v"])]
            nodes = self.net.nodes
            src = nodes.index[nodes["region"] == r].tolist()
            dst = nodes.index[nodes["region"].isin(worst)].tolist()
            links: list[tuple[int, int]] = []
            factor = np.ones(len(alive))
            first = None
            for _ in range(rounds):
                net = TransportNetwork(
                    nodes, alive.assign(capacity=alive["capacity"] * factor), name=self.net.name
                )
                mc = min_cut(net, src, dst)
                first = mc.value if first is None else first
                if mc.value >= capacity_factor * first * (1 - 1e-9):
                    break
                for row in mc.cut.itertuples():
                    k = (min(int(row.u), int(row.v)), max(int(row.u), int(row.v)))  # type: ignore[call-overload]
                    if k not in links:
                        links.append(k)
                        factor[(ends[:, 0] == k[0]) & (ends[:, 1] == k[1])] *= capacity_factor
            if not links:
                continue
            sel = np.zeros(len(alive), bool)
            for k in links:
                sel |= (ends[:, 0] == k[0]) & (ends[:, 1] == k[1])
            per_link = alive[sel].assign(a=ends[sel, 0], b=ends[sel, 1]).groupby(["a", "b"])
            km = float(per_link["length_km"].min().sum())
            names = list(dict.fromkeys(alive.loc[sel, "line"].astype(str)))
            out.append(CorridorUpgrade(tuple(links), km, capacity_factor, "、".join(names[:6])))
        return out


def _region_ids(spec: object, scenario: ShockScenario, key: str) -> list[int] | None:
    """Adcodes named by a scenario ``ids`` field (``all`` = no restriction)."""
    if isinstance(spec, str):
        if spec == "all":
            return None
        if spec not in scenario.region_groups:
            raise ConfigError(
                f"{scenario.source}: {key}.regions: unknown region group {spec!r}; groups: "
                f"{['all', *scenario.region_groups]}. Fix: define it under region_groups or list adcodes."
            )
        return [int(r) for r in scenario.region_groups[spec]]
    return [int(r) for r in spec]  # type: ignore[attr-defined]


def transport_levers(
    scenario: ShockScenario, upgrades: Sequence[CorridorUpgrade] = (), *, utilisation: float = 1.0
) -> ShockLevers:
    """Levers that carry a scenario's rail-link damage into the shock model: its transport windows on
    the bundled network (none for a scenario without ``network`` cuts). Pass them to
    :func:`hinterland.economy.run_shock` (``levers=``) for a scenario such as ``corridor-cut``."""
    if not scenario.network:
        return ShockLevers()
    return ShockLevers(transport=_layer(float(utilisation)).windows(scenario, upgrades))


@lru_cache(maxsize=4)
def _layer(utilisation: float) -> TransportLayer:
    return TransportLayer.bundled(utilisation)


@lru_cache(maxsize=1)
def _bundled_network() -> TransportNetwork:
    from hinterland.datasets import load_china_network

    return load_china_network(mode="rail")
