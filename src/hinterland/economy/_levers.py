r"""Typed levers of a plan as the shock engine sees them, labelled by the table's ids.

:class:`ShockLevers` is what :func:`hinterland.economy.run_shock` and :func:`run_arms` take: the
classic ARIO levers (spare capacity, ramp-up, stockpile days) and three plan mechanisms, each one the
literature would recognise:

* :class:`BackupLines` — dormant backup capacity of industries (warm standby lines): idle until the
  national supply capacity of their product falls short, then online after a lag and a linear ramp,
  damaged by shocks where they stand, producing with their industry's inputs
  (:class:`hinterland.economy.DormantCapacity`);
* :class:`StrategicReserve` — a regional stock of a product that needs no inputs, released at a
  capped rate to households and critical users in the regions its depots serve
  (:class:`hinterland.economy.ReserveStock`);
* :class:`TransportWindow` — region-pair trade eligibility while the transport network is damaged
  (the transport layer: surviving capacity and detours of the rail network, computed by
  ``hinterland.plan``), applied as ARIO supplier masks.

:class:`ParameterDraws` carries the uncertain engine parameters of a paired ensemble (ψ, τ_α,
stock days, reconstruction pace, rationing rule), one value per draw, so that every arm of a draw
sees the same numbers (common random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hinterland.containers import MRIO
from hinterland.errors import ConfigError, UnknownIdError

__all__ = [
    "BackupLines",
    "ParameterDraws",
    "ShockLevers",
    "StrategicReserve",
    "TransportWindow",
]


@dataclass(frozen=True)
class BackupLines:
    """Dormant backup capacity per industry (``region``, ``sector``), in the table's money unit per
    year of output, with its mobilisation ``lag_days`` and ``ramp_days`` (one number or a Series on
    the same index) and the national shortfall share of the product that ``trigger`` s it."""

    capacity: pd.Series
    lag_days: pd.Series | float = 30.0
    ramp_days: pd.Series | float = 60.0
    trigger: float = 0.01


@dataclass(frozen=True)
class StrategicReserve:
    """A reserve of commodity ``name``: ``share`` of product ``sector`` it stands in for, ``stock``
    (Series on ``region``, table money unit) and ``release_per_day`` (same index, money per day) in
    the regions its depots serve, released to households and to the industries of ``users``
    (sector ids) in those regions."""

    name: str
    sector: str
    stock: pd.Series
    release_per_day: pd.Series
    share: float = 1.0
    users: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransportWindow:
    r"""Trade eligibility ``eligibility`` (region × region, origin rows, destination columns, values
    in [0, 1]; missing pairs = 1) from day ``start`` to ``end`` (exclusive), e.g. while a corridor is
    cut. A draw's multiplier μ of the scenario's ``masks`` uncertainty scales the loss:
    :math:`e \to 1 - \min(1, \mu (1 - e))`."""

    start: int
    end: int
    eligibility: pd.DataFrame


@dataclass(frozen=True)
class ShockLevers:
    """Everything one arm of an assessment changes in the shock model (see the module docstring).

    ``spare_capacity`` and ``ramp_up_days`` (Series on (``region``, ``sector``); 0.10 = +10 %, days)
    and ``stockpile_days`` (Series on ``sector``) override the scenario's levers for the listed
    industries/products; ``transport`` replaces nothing: its windows multiply the scenario's masks.
    """

    spare_capacity: pd.Series | None = None
    ramp_up_days: pd.Series | None = None
    stockpile_days: pd.Series | None = None
    backup: BackupLines | None = None
    reserves: tuple[StrategicReserve, ...] = ()
    transport: tuple[TransportWindow, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the levers change nothing (the baseline of an assessment)."""
        return (
            self.spare_capacity is None
            and self.ramp_up_days is None
            and self.stockpile_days is None
            and (self.backup is None or not bool((self.backup.capacity > 0).any()))
            and not any(float(r.stock.sum()) > 0 for r in self.reserves)
        )


@dataclass(frozen=True)
class ParameterDraws:
    """Uncertain engine parameters, one value per draw (draw 0 = the central run).

    ``psi`` inventory threshold ψ; ``alpha_tau`` overproduction ramp-up τ_α (days) of the
    industries without an explicit lever; ``stock_scale`` multiplies every finite stockpile of
    stockable goods; ``rebuild_tau_scale`` multiplies the reconstruction time τ of rebuild events;
    ``priority`` (bool) uses priority rationing instead of proportional rationing: the orders of
    ``priority_sectors`` and reconstruction are served first, and final demand too only with
    ``priority_final_demand`` (default off: under a long input shortage, serving households and
    exports before every other industry drains the intermediate stocks and collapses an ARIO economy).
    Scenarios that set their own rationing keep it."""

    psi: np.ndarray
    alpha_tau: np.ndarray
    stock_scale: np.ndarray
    rebuild_tau_scale: np.ndarray
    priority: np.ndarray
    priority_sectors: tuple[str, ...] = ("sec01", "sec06", "sec24", "sec26", "sec40")
    priority_final_demand: bool = False
    names: tuple[str, ...] = field(
        default=("psi", "alpha_tau", "stock_scale", "rebuild_tau_scale", "priority")
    )

    def __post_init__(self) -> None:
        sizes = {len(np.atleast_1d(getattr(self, k))) for k in self.names}
        if len(sizes) != 1:
            raise ConfigError(
                f"parameter draws have different lengths {sorted(sizes)}; every parameter needs one value "
                "per draw. Fix: draw them together (hinterland.plan draws them from the plan config)."
            )
        checks = (("psi", 0.0, 1.0, "in (0, 1]"), ("alpha_tau", 1.0, np.inf, "> 1 day"),
                  ("stock_scale", 0.0, np.inf, "> 0"), ("rebuild_tau_scale", 0.0, np.inf, "> 0"))  # fmt: skip
        for name, lo, hi, what in checks:
            v = np.asarray(getattr(self, name), dtype=float)
            if not np.all(np.isfinite(v)) or not np.all((v > lo) & (v <= hi)):
                raise ConfigError(f"parameter draws: {name} must be {what}, got {v.tolist()[:5]}…")

    @property
    def size(self) -> int:
        return len(np.atleast_1d(self.psi))

    @classmethod
    def nominal(cls, draws: int, *, psi: float = 0.8, alpha_tau: float = 365.0) -> ParameterDraws:
        """Every draw at the nominal values (the engine defaults, proportional rationing)."""
        return cls(
            np.full(draws, psi),
            np.full(draws, alpha_tau),
            np.ones(draws),
            np.ones(draws),
            np.zeros(draws, bool),
        )

    def table(self) -> pd.DataFrame:
        """The draws as a table (index ``draw``)."""
        return pd.DataFrame(
            {k: np.asarray(getattr(self, k)) for k in self.names}, index=pd.RangeIndex(self.size, name="draw")
        )


# ------------------------------------------------------------------------------------ checks
def _industry_series(s: pd.Series, mrio: MRIO, what: str) -> pd.Series:
    if not isinstance(s.index, pd.MultiIndex) or s.index.nlevels != 2:
        raise ConfigError(f"{what} must be a Series indexed by (region, sector); got index {s.index.names}")
    idx = s.index.set_names(["region", "sector"])
    pos = mrio.industries.get_indexer(idx)
    if np.any(pos < 0):
        bad = [idx[k] for k in np.flatnonzero(pos < 0)[:5]]
        raise UnknownIdError(
            f"{what}: unknown industries {bad}; regions are {list(mrio.regions)[:5]}…, sectors "
            f"{list(mrio.sectors)[:5]}…. Fix: index by (region adcode, sector id) of the table."
        )
    vals = s.to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        raise ConfigError(f"{what} has non-finite values. Fix: fill them.")
    return pd.Series(vals, index=idx)


def _region_series(s: pd.Series, mrio: MRIO, what: str) -> pd.Series:
    regions = list(mrio.regions)
    bad = [r for r in s.index if r not in regions]
    if bad:
        raise UnknownIdError(
            f"{what}: unknown regions {bad[:5]}; valid: {', '.join(map(str, regions))}. Fix: use adcodes."
        )
    vals = s.to_numpy(dtype=float)
    if not np.isfinite(vals).all() or np.any(vals < 0):
        raise ConfigError(f"{what} must be finite and ≥ 0 (got {vals.min():.4g}). Fix: correct the values.")
    return pd.Series(vals, index=pd.Index(s.index, name="region"))


def check_levers(lev: ShockLevers, mrio: MRIO) -> None:
    """Every id, unit and range of ``lev`` against ``mrio``; errors name the lever, the id and the fix."""
    sectors = [str(s) for s in mrio.sectors]
    if lev.backup is not None:
        cap = _industry_series(lev.backup.capacity, mrio, "backup capacity")
        if np.any(cap < 0):
            raise ConfigError("backup capacity must be ≥ 0 (money per year of output)")
        for name in ("lag_days", "ramp_days"):
            v = getattr(lev.backup, name)
            vals = _industry_series(v, mrio, f"backup {name}") if isinstance(v, pd.Series) else pd.Series([v])
            lo = 0.0 if name == "lag_days" else 1.0
            if np.any(vals.to_numpy(dtype=float) < lo):
                raise ConfigError(f"backup {name} must be ≥ {lo:g} day(s), got {float(vals.min()):g}")
        if not 0 <= lev.backup.trigger < 1:
            raise ConfigError(
                f"backup trigger = {lev.backup.trigger} must be a shortfall share in [0, 1) (0.01 = 1 %)"
            )
    for r in lev.reserves:
        where = f"reserve {r.name!r}"
        if r.sector not in sectors:
            raise UnknownIdError(f"{where}: unknown sector {r.sector!r}; valid: {', '.join(sectors)}")
        bad = [u for u in r.users if u not in sectors]
        if bad:
            raise UnknownIdError(f"{where}: unknown user sectors {bad}; valid: {', '.join(sectors)}")
        if not 0 < r.share <= 1:
            raise ConfigError(
                f"{where}: share = {r.share} must be in (0, 1] (the commodity's part of the product)"
            )
        st = _region_series(r.stock, mrio, f"{where} stock")
        rel = _region_series(r.release_per_day, mrio, f"{where} release_per_day")
        if set(st.index) != set(rel.index):
            raise ConfigError(f"{where}: stock and release_per_day must list the same regions")
    for k, w in enumerate(lev.transport):
        e = w.eligibility
        regions = list(mrio.regions)
        bad = [r for r in (*e.index, *e.columns) if r not in regions]
        if bad:
            raise UnknownIdError(
                f"transport window {k}: unknown regions {bad[:5]}. Fix: use the table's adcodes."
            )
        vals = e.to_numpy(dtype=float)
        if np.any(~np.isfinite(vals)) or np.any((vals < 0) | (vals > 1)):
            raise ConfigError(f"transport window {k}: eligibility must be shares in [0, 1]")
        if not 0 <= w.start < w.end:
            raise ConfigError(f"transport window {k}: expected 0 ≤ start < end, got {w.start}, {w.end}")


def merge_transport(windows: Sequence[TransportWindow]) -> tuple[TransportWindow, ...]:
    """The windows, dropping those that restrict nothing (every eligibility 1: no mask at all)."""
    return tuple(w for w in windows if bool((w.eligibility.to_numpy(dtype=float) < 1).any()))
