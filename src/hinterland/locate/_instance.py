"""Location instances: demand points, candidate sites and the travel time / cost between them.

The core constructor is :func:`from_cost_matrix`; the adapters :func:`from_points` (great-circle
distance × detour factor ÷ speed) and :func:`hinterland.locate.travel_times` (shortest paths on a
graph, optionally with edges or nodes removed) turn coordinates or a network into the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from hinterland.errors import Problem as _Problem
from hinterland.errors import SchemaError, UnknownIdError, ValidationError

__all__ = [
    "EARTH_RADIUS_KM",
    "LocationInstance",
    "from_cost_matrix",
    "from_points",
    "great_circle_km",
]

EARTH_RADIUS_KM = 6371.0088
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LocationInstance:
    """Demand points ``i ∈ I`` (index ``node``), candidate sites ``j ∈ J`` (index ``site``) and ``d_ij``.

    ``cost`` is the |I|×|J| travel time (hours) or cost; ``inf`` marks an unreachable pair.
    ``weights`` are the demands ``h_i``; ``capacity`` ``Q_j`` and ``fixed_cost`` ``f_j`` belong to the
    sites; ``existing`` sites must stay open (``y_j = 1``).
    """

    cost: pd.DataFrame
    weights: pd.Series
    capacity: pd.Series
    fixed_cost: pd.Series
    existing: frozenset[object] = field(default_factory=frozenset)
    unit: str = "h"

    def __post_init__(self) -> None:
        if self.cost.index.name != "node" or self.cost.columns.name != "site":
            raise SchemaError(
                "LocationInstance.cost must be a node × site table (index 'node', columns 'site')"
            )
        if not self.weights.index.equals(self.cost.index):
            raise SchemaError("LocationInstance.weights must be indexed like cost.index (the demand nodes)")
        for name, s in (("capacity", self.capacity), ("fixed_cost", self.fixed_cost)):
            if not s.index.equals(self.cost.columns):
                raise SchemaError(f"LocationInstance.{name} must be indexed like cost.columns (the sites)")
        unknown = sorted(map(str, set(self.existing) - set(self.cost.columns)))
        if unknown:
            raise UnknownIdError(f"existing depot(s) {unknown} are not among the candidate sites")

    @property
    def d(self) -> FloatArray:
        return np.asarray(self.cost.to_numpy(dtype=float))

    @property
    def h(self) -> FloatArray:
        return np.asarray(self.weights.to_numpy(dtype=float))

    @property
    def q(self) -> FloatArray:
        return np.asarray(self.capacity.to_numpy(dtype=float))

    @property
    def f(self) -> FloatArray:
        return np.asarray(self.fixed_cost.to_numpy(dtype=float))

    @property
    def existing_mask(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.cost.columns.isin(list(self.existing)))

    @property
    def nodes(self) -> pd.Index:
        return self.cost.index

    @property
    def sites(self) -> pd.Index:
        return self.cost.columns

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.cost.index), len(self.cost.columns))

    def with_cost(self, cost: FloatArray) -> LocationInstance:
        """The same instance with another |I|×|J| matrix (e.g. one disruption scenario)."""
        frame = pd.DataFrame(cost, index=self.cost.index, columns=self.cost.columns)
        return LocationInstance(frame, self.weights, self.capacity, self.fixed_cost, self.existing, self.unit)


def _series(
    values: Mapping[object, float] | pd.Series | Iterable[float] | None,
    index: pd.Index,
    default: float,
    what: str,
) -> pd.Series:
    if values is None:
        return pd.Series(default, index=index, dtype=float)
    if isinstance(values, pd.Series | Mapping):
        s = pd.Series(values, dtype=float)
        missing = [str(k) for k in index if k not in s.index]
        if missing:
            raise UnknownIdError(
                f"{what}: no value for id(s) {missing[:10]}{' ...' if len(missing) > 10 else ''}. "
                f"Fix: give a {what} for every id of the cost matrix."
            )
        s = s.reindex(index)
    else:
        arr = np.asarray(list(values), dtype=float)
        if arr.shape != (len(index),):
            raise SchemaError(f"{what}: expected {len(index)} values, got {arr.shape[0]}")
        s = pd.Series(arr, index=index)
    s.index = index
    bad = s[~np.isfinite(s.to_numpy()) | (s.to_numpy() < 0)]
    if len(bad) and not (what == "capacity" and np.isposinf(bad.to_numpy()).all()):
        raise ValidationError(
            [
                _Problem("non_negative", f"{what} of {k!r} is {v}", expected="a finite number ≥ 0")
                for k, v in bad.items()
            ],
            what,
        )
    return s.astype(float)


def from_cost_matrix(
    cost: pd.DataFrame | npt.ArrayLike,
    weights: Mapping[object, float] | pd.Series | Iterable[float] | None = None,
    *,
    capacity: Mapping[object, float] | pd.Series | Iterable[float] | None = None,
    fixed_cost: Mapping[object, float] | pd.Series | Iterable[float] | None = None,
    existing: Iterable[object] = (),
    unit: str = "h",
) -> LocationInstance:
    """A :class:`LocationInstance` from a demand × site matrix ``d_ij`` (wide table or array).

    ``NaN`` and ``inf`` both mean "unreachable". Defaults: weights 1, capacity ∞, fixed cost 1 (so
    LSCP minimises the number of depots). Negative entries are rejected with their position.
    """
    if isinstance(cost, pd.DataFrame):
        frame = cost.astype(float).copy()
    else:
        arr = np.asarray(cost, dtype=float)
        if arr.ndim != 2:
            raise SchemaError(f"cost matrix must be 2-D (demand × site), got shape {arr.shape}")
        frame = pd.DataFrame(arr)
    frame.index = pd.Index(frame.index, name="node")
    frame.columns = pd.Index(frame.columns, name="site")
    for axis, ids in (("demand", frame.index), ("site", frame.columns)):
        if ids.has_duplicates:
            raise SchemaError(f"cost matrix: duplicate {axis} id(s) {ids[ids.duplicated()].tolist()[:10]}")
    values = frame.to_numpy()
    neg = np.argwhere(values < 0)
    if len(neg):
        r, c = neg[0]
        raise ValidationError(
            [
                _Problem(
                    "non_negative",
                    f"cost[{frame.index[r]!r}, {frame.columns[c]!r}] = {values[r, c]} "
                    f"({len(neg)} negative entr{'y' if len(neg) == 1 else 'ies'} in all)",
                    expected="travel time or cost ≥ 0 (NaN or inf for unreachable)",
                )
            ],
            "cost matrix",
        )
    frame = frame.fillna(np.inf)
    return LocationInstance(
        cost=frame,
        weights=_series(weights, frame.index, 1.0, "weight"),
        capacity=_series(capacity, frame.columns, np.inf, "capacity"),
        fixed_cost=_series(fixed_cost, frame.columns, 1.0, "fixed_cost"),
        existing=frozenset(existing),
        unit=unit,
    )


def great_circle_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> FloatArray:
    r"""Haversine great-circle distance in km between every point 1 (rows) and point 2 (columns).

    .. math:: d = 2R\arcsin\sqrt{\sin^2\tfrac{\Delta\phi}{2}
              + \cos\phi_1\cos\phi_2\sin^2\tfrac{\Delta\lambda}{2}}

    with ``R`` = 6371.0088 km, the IUGG mean Earth radius (Moritz 2000, Geodetic Reference System 1980).
    """
    p1 = np.radians(np.asarray(lat1, float))[:, None]
    p2 = np.radians(np.asarray(lat2, float))[None, :]
    dl = np.radians(np.asarray(lon2, float))[None, :] - np.radians(np.asarray(lon1, float))[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def from_points(
    demand: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    weight: str | None = "weight",
    detour: float = 1.3,
    speed_kmh: float = 60.0,
    capacity: str | None = None,
    fixed_cost: str | None = None,
    existing: str | None = None,
) -> LocationInstance:
    r"""An instance whose ``d_ij`` is great-circle km × detour factor ÷ speed (hours).

    .. math:: d_{ij} = \frac{\rho \cdot \mathrm{gc}(i, j)}{v}

    ``demand`` and ``sites`` are indexed by id with ``lon``/``lat`` columns. The detour (circuity)
    factor ρ = 1.3 is a common road-network value (Ballou, Rahardja & Sakai 2002, "Selected country
    circuity factors for road travel distance estimation", Transportation Research A 36:843–848,
    report ~1.2–1.4); v = 60 km/h is an assumed average truck speed. Both are parameters.
    """
    for name, frame in (("demand", demand), ("sites", sites)):
        missing = [c for c in ("lon", "lat") if c not in frame.columns]
        if missing:
            raise SchemaError(f"{name} points: missing column(s) {missing}. Fix: add lon and lat in degrees.")
    km = great_circle_km(demand["lon"], demand["lat"], sites["lon"], sites["lat"])
    hours = km * detour / speed_kmh
    frame = pd.DataFrame(hours, index=demand.index, columns=sites.index)
    return from_cost_matrix(
        frame,
        demand[weight] if weight and weight in demand.columns else None,
        capacity=sites[capacity] if capacity else None,
        fixed_cost=sites[fixed_cost] if fixed_cost else None,
        existing=sites.index[sites[existing].astype(bool)] if existing else (),
    )
