r"""A plan's levers, typed: backup bases, reserve programmes and corridor upgrades.

:class:`PlanLevers` is the one object that carries a plan into the shock model
(:meth:`PlanLevers.to_shock_levers` → :class:`hinterland.economy.ShockLevers`) and into the cost
ledger (:meth:`PlanLevers.annual_costs`). Every lever has a stable ``key`` (``backup:<chain>@<region>``,
``reserve:<commodity>``, ``upgrade:<u>-<v>``) so that a portfolio is a set of keys and
:meth:`PlanLevers.subset` picks one. Levers are JSON-able (:meth:`to_dict` / :meth:`from_dict`):
ensemble tasks carry them to worker processes and the run store hashes them.

Mechanisms (each one the literature would recognise):

* **backup base** of chain c in province r, capacity :math:`k_{cr}` (1e8 CNY of output a year): dormant
  lines of the chain's sectors, split by their weighted national output
  :math:`k_{cr} w_{ci} X_i / \sum_j w_{cj} X_j`, coming online ``lag_days`` after a national supply
  shortfall of their product and ramping up over ``ramp_days`` (derived from the chain's ramp share
  :math:`\rho_c`: the line's mean availability over the first year equals :math:`\rho_c`); damaged by
  shocks in r; producing with r's inputs (:class:`hinterland.economy.DormantCapacity`);
* **reserve programme** of commodity k: a stock of the commodity's share :math:`\omega_k` of MRIO
  product i, in the provinces its depots serve (by the share of their demand points covered), sized
  to ``days`` of surge demand (``surge`` × daily final demand plus the critical users' daily use),
  released at most at that surge rate (:class:`hinterland.economy.ReserveStock`);
* **corridor upgrade**: rail links whose capacity is multiplied by ``capacity_factor``, acting through
  the transport layer (:mod:`hinterland.plan._transport`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import MRIO
from hinterland.economy import BackupLines, ShockLevers, StrategicReserve, TransportWindow
from hinterland.errors import ConfigError
from hinterland.plan._costs import LeverCosts
from hinterland.plan._transport import CorridorUpgrade

__all__ = [
    "RESERVE_PRODUCTS",
    "BackupBase",
    "PlanLevers",
    "ReserveProgramme",
    "ramp_days_for_share",
]

TO_TABLE = 1e4  # 1e8 CNY → the bundled MRIO's 1e4 CNY (万元)
# reserve commodity → (chain whose weights and users define it, MRIO product)
RESERVE_PRODUCTS: dict[str, tuple[str, str]] = {
    "grain": ("grain_food", "sec01"),
    "energy": ("energy", "sec11"),
    "medical": ("pharmaceuticals", "sec12"),
}


def ramp_days_for_share(share: float, lag_days: float, horizon: float = 365.0) -> float:
    r"""Ramp :math:`R` such that a line starting :math:`L` days after the trigger and ramping up
    linearly over :math:`R` days is available on average ``share`` :math:`\rho` of the first year:

    .. math::
        \rho = \frac{H - L - R/2}{H}\ (R \le H - L), \qquad
        \rho = \frac{(H - L)^2}{2 R H}\ (R > H - L),

    so :math:`R = 2(H(1-\rho) - L)` or :math:`(H-L)^2 / (2H\rho)`; at least 1 day. (Grain, ρ = 0.8:
    86 days with L = 30; integrated circuits, ρ = 0.3: 512 days.)"""
    if not 0 < share <= 1:
        raise ConfigError(f"ramp share = {share} must be in (0, 1]")
    if not 0 <= lag_days < horizon:
        raise ConfigError(f"backup lag = {lag_days} days must be in [0, {horizon:g})")
    free = horizon - lag_days
    ramp = 2.0 * (horizon * (1.0 - share) - lag_days)
    if ramp > free:
        ramp = free**2 / (2.0 * horizon * share)
    return max(1.0, float(ramp))


@dataclass(frozen=True)
class BackupBase:
    """A backup base: chain, province, capacity (1e8 CNY of output a year), investment (1e8 CNY), its
    lines per MRIO sector (sector → share of the capacity), mobilisation lag and ramp (days)."""

    chain: str
    region: int
    capacity: float
    invest: float
    sectors: tuple[tuple[str, float], ...]
    lag_days: float
    ramp_days: float
    name: str = ""

    @property
    def key(self) -> str:
        return f"backup:{self.chain}@{self.region}"

    def scaled(self, factor: float) -> BackupBase:
        """The same base at ``factor`` × capacity and investment (a smaller or larger base)."""
        return replace(self, capacity=self.capacity * factor, invest=self.invest * factor)


@dataclass(frozen=True)
class ReserveProgramme:
    """A reserve of ``commodity``: share ``share`` of MRIO product ``sector`` it stands in for, stock
    and release cap per province (1e8 CNY and 1e8 CNY/day) where its depots serve, critical ``users``
    (sector ids), ``days`` of surge cover, the depots (site names) and their region of location."""

    commodity: str
    sector: str
    share: float
    regions: tuple[int, ...]
    stock: tuple[float, ...]
    release_per_day: tuple[float, ...]
    users: tuple[str, ...]
    days: float
    surge: float
    depots: tuple[str, ...] = ()
    label_zh: str = ""

    @property
    def key(self) -> str:
        return f"reserve:{self.commodity}"

    @property
    def stock_value(self) -> float:
        """Value of the stock, 1e8 CNY."""
        return float(sum(self.stock))

    @classmethod
    def size(
        cls,
        commodity: str,
        mrio: MRIO,
        coverage: Mapping[int, float],
        *,
        share: float,
        users: Sequence[str],
        days: float,
        surge: float,
        depots: Sequence[str] = (),
        label_zh: str = "",
    ) -> ReserveProgramme:
        r"""Size the reserve from the MRIO: in province s, covering a share :math:`c_s` of its demand,
        :math:`V_s = c_s\, d\,\sigma\,\omega\,(y_{i,s} + \sum_{g \in users,s} z_{i,g})/365` and the
        release cap :math:`\bar q_s = V_s / d` (d = ``days``, σ = ``surge``, ω = ``share``; y and z
        summed over origin regions)."""
        if commodity not in RESERVE_PRODUCTS:
            raise ConfigError(
                f"reserve commodity {commodity!r} has no MRIO product; known: {', '.join(RESERVE_PRODUCTS)}. "
                "Fix: use one of those (other commodities are sited, not simulated)."
            )
        sector = RESERVE_PRODUCTS[commodity][1]
        Y, Z = mrio.Y, mrio.Z
        rows = np.asarray(Y.index.get_level_values(1).astype(str) == sector)
        fd = Y[rows].sum(axis=0)
        fd = fd.groupby(level=0).sum() if isinstance(fd.index, pd.MultiIndex) else fd
        zr = Z[rows]
        cols = zr.columns.get_level_values(1).astype(str).isin(list(users))
        use = zr.loc[:, cols].sum(axis=0).groupby(level=0).sum()
        regions, stock, release = [], [], []
        for r, c in sorted(coverage.items()):
            if c <= 0:
                continue
            daily = (float(fd.get(r, 0.0)) + float(use.get(r, 0.0))) / 365.0 * share / TO_TABLE
            cap = c * surge * max(daily, 0.0)
            regions.append(int(r))
            stock.append(cap * days)
            release.append(cap)
        return cls(
            commodity, sector, float(share), tuple(regions), tuple(stock), tuple(release), tuple(users),
            float(days), float(surge), tuple(depots), label_zh,
        )  # fmt: skip


Lever = BackupBase | ReserveProgramme | CorridorUpgrade


@dataclass(frozen=True)
class PlanLevers:
    """The levers of one plan (or portfolio); see the module docstring."""

    backup: tuple[BackupBase, ...] = ()
    reserves: tuple[ReserveProgramme, ...] = ()
    upgrades: tuple[CorridorUpgrade, ...] = ()
    backup_trigger: float = 0.01

    # ------------------------------------------------------------------ portfolio
    def items(self) -> dict[str, Lever]:
        out: dict[str, Lever] = {}
        every: list[Lever] = [*self.backup, *self.reserves, *self.upgrades]
        for lev in every:
            if lev.key in out:
                raise ConfigError(f"plan levers: {lev.key} appears twice. Fix: merge the two.")
            out[lev.key] = lev
        return out

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.items())

    @property
    def is_empty(self) -> bool:
        return not (self.backup or self.reserves or self.upgrades)

    def subset(self, keys: Iterable[str]) -> PlanLevers:
        """The levers whose keys are in ``keys`` (unknown keys are an error)."""
        want = set(keys)
        have = self.items()
        bad = sorted(want - set(have))
        if bad:
            raise ConfigError(f"unknown lever keys {bad}; the plan has {sorted(have)}")
        return replace(
            self,
            backup=tuple(b for b in self.backup if b.key in want),
            reserves=tuple(r for r in self.reserves if r.key in want),
            upgrades=tuple(u for u in self.upgrades if u.key in want),
        )

    def annual_costs(self, costs: LeverCosts) -> pd.Series:
        """Annual cost of each lever (1e8 CNY/yr): capital recovery and upkeep, or carrying cost."""
        self.items()  # a key given twice is an error (it would be costed once and simulated twice)
        out: dict[str, float] = {}
        for b in self.backup:
            out[b.key] = costs.backup_annual(b.invest)
        for r in self.reserves:
            out[r.key] = costs.reserve_annual(r.commodity, r.stock_value)
        for u in self.upgrades:
            out[u.key] = costs.rail_annual(u.km)
        return pd.Series(out, dtype=float, name="annual_cost")

    def investments(self, costs: LeverCosts) -> pd.Series:
        """Up-front outlay of each lever (1e8 CNY): investment, stock value, or upgrade cost."""
        self.items()  # a key given twice is an error
        out: dict[str, float] = {}
        for b in self.backup:
            out[b.key] = b.invest
        for r in self.reserves:
            out[r.key] = r.stock_value
        for u in self.upgrades:
            out[u.key] = costs.rail_invest(u.km)
        return pd.Series(out, dtype=float, name="investment")

    def describe(self) -> pd.DataFrame:
        """One row per lever: kind, name, size and unit (for the report)."""
        rows = []
        for b in self.backup:
            name = b.name or f"{b.chain} @ {b.region}"
            detail = f"lag {b.lag_days:.0f} d, ramp {b.ramp_days:.0f} d"
            rows.append((b.key, "backup", name, b.capacity, "1e8 CNY output/yr", detail))
        for r in self.reserves:
            detail = f"{r.days:g} d × surge {r.surge:g}, {len(r.regions)} provinces"
            rows.append(
                (r.key, "reserve", r.label_zh or r.commodity, r.stock_value, "1e8 CNY of stock", detail)
            )
        for u in self.upgrades:
            detail = f"capacity × {u.capacity_factor:g}, {len(u.links)} links"
            rows.append((u.key, "upgrade", u.name or u.key, u.km, "km", detail))
        return pd.DataFrame(rows, columns=["lever", "kind", "name", "size", "unit", "detail"]).set_index(
            "lever"
        )

    # ------------------------------------------------------------------ into the shock model
    def to_shock_levers(self, mrio: MRIO, transport: Sequence[TransportWindow] = ()) -> ShockLevers:
        """The plan as the shock engine sees it (table money unit, per year or per day)."""
        backup = None
        if self.backup:
            cap: dict[tuple[int, str], float] = {}
            lag: dict[tuple[int, str], float] = {}
            ramp: dict[tuple[int, str], float] = {}
            for b in self.backup:
                for sector, part in b.sectors:
                    k = (int(b.region), str(sector))
                    cap[k] = cap.get(k, 0.0) + b.capacity * part * TO_TABLE
                    if k in lag and (lag[k] != b.lag_days or ramp[k] != b.ramp_days):
                        raise ConfigError(
                            f"backup bases of two chains share industry {k} with different lags or ramps. "
                            "Fix: give them the same mobilisation timing."
                        )
                    lag[k], ramp[k] = b.lag_days, b.ramp_days
            idx = pd.MultiIndex.from_tuples(list(cap), names=["region", "sector"])
            backup = BackupLines(
                pd.Series(list(cap.values()), index=idx),
                pd.Series([lag[k] for k in cap], index=idx),
                pd.Series([ramp[k] for k in cap], index=idx),
                self.backup_trigger,
            )
        reserves = tuple(
            StrategicReserve(
                r.commodity,
                r.sector,
                pd.Series(np.asarray(r.stock) * TO_TABLE, index=pd.Index(r.regions, name="region")),
                pd.Series(np.asarray(r.release_per_day) * TO_TABLE, index=pd.Index(r.regions, name="region")),
                r.share,
                r.users,
            )
            for r in self.reserves
            if r.regions
        )
        return ShockLevers(backup=backup, reserves=reserves, transport=tuple(transport))

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {
            "backup": [asdict(b) for b in self.backup],
            "reserves": [asdict(r) for r in self.reserves],
            "upgrades": [asdict(u) for u in self.upgrades],
            "backup_trigger": self.backup_trigger,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanLevers:
        def tup(x: Any) -> Any:
            return tuple(tup(v) for v in x) if isinstance(x, list | tuple) else x

        try:
            return cls(
                backup=tuple(BackupBase(**{k: tup(v) for k, v in b.items()}) for b in data.get("backup", ())),
                reserves=tuple(
                    ReserveProgramme(**{k: tup(v) for k, v in r.items()}) for r in data.get("reserves", ())
                ),
                upgrades=tuple(
                    CorridorUpgrade(**{k: tup(v) for k, v in u.items()}) for u in data.get("upgrades", ())
                ),
                backup_trigger=float(data.get("backup_trigger", 0.01)),
            )
        except TypeError as exc:
            raise ConfigError(f"plan levers: {exc}. Fix: write them with PlanLevers.to_dict().") from exc


def backup_bases(
    capacity: pd.Series,
    invest: pd.Series,
    chains: Mapping[str, Any],
    mrio: MRIO,
    *,
    lag_days: float,
    names: Mapping[int, str] | None = None,
) -> tuple[BackupBase, ...]:
    """Backup bases from a backup plan: ``capacity`` and ``invest`` on (``chain``, ``region``) (1e8 CNY),
    the chain definitions (sector weights, ramp share) and the MRIO (national output to split a base
    over its chain's sectors)."""
    nat = mrio.x.groupby(level=1).sum()
    out = []
    for (c, r), k in capacity.items():
        if not k > 0:
            continue
        ch = chains[str(c)]
        wsum = sum(float(w) * float(nat[s]) for s, w in ch.sectors.items())
        parts = tuple((str(s), float(w) * float(nat[s]) / wsum) for s, w in ch.sectors.items())
        out.append(
            BackupBase(
                str(c), int(r), float(k), float(invest.get((c, r), 0.0)), parts, float(lag_days),
                ramp_days_for_share(float(ch.ramp), lag_days),
                f"{ch.name_zh} · {(names or {}).get(int(r), r)}",
            )
        )  # fmt: skip
    return tuple(out)
