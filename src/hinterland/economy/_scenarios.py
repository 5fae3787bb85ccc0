"""Shock scenarios: a YAML schema (kept as data in ``scenarios/_schema.yaml``) and a shipped library.

A scenario lists direct shocks (capacity-loss shares or destroyed capital in an explicit money unit,
optionally rebuilt endogenously through reconstruction demand), import cuts, supplier-eligibility
masks (ports closed, corridor cut, lockdown), final-demand changes, hinterland levers (spare capacity,
ramp-up, stockpiles, priority rationing, non-stockable inputs), a horizon, an optional annual
probability and Monte Carlo ranges. :func:`load_scenario` checks the
structure against the schema; ids and units are checked against a table by :meth:`ShockScenario.check`.
Every error names the file, the key path (``shocks[0].regions``), the bad value and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from hinterland.containers import MRIO
from hinterland.errors import (
    ConfigError,
    DataFileError,
    HinterlandError,
    InfeasibleError,
    UnknownIdError,
)

__all__ = [
    "DemandShock",
    "Draw",
    "ImportCut",
    "NetworkCut",
    "Rebuild",
    "ScenarioConfigError",
    "Shock",
    "ShockScenario",
    "SupplierMask",
    "Timing",
    "list_scenarios",
    "load_scenario",
    "money_factor",
    "scenario_schema",
]

ROW = "RoW"
_PKG = "hinterland.economy"
Ids = str | tuple[Any, ...]


# ----------------------------------------------------------------------------------------- schema
@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, dict[str, dict[str, Any]]]:
    """The scenario schema (block → key → rules), read from ``scenarios/_schema.yaml``."""
    text = resources.files(_PKG).joinpath("scenarios", "_schema.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(text)
    return data


def _is_number(v: object, allow_inf: bool = False) -> bool:
    if not isinstance(v, int | float) or isinstance(v, bool) or np.isnan(float(v)):
        return False
    return allow_inf or bool(np.isfinite(float(v)))


class _Problems:
    """Every problem of one scenario file, collected (not just the first), raised together."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        if len(self.messages) == 1:
            raise ScenarioConfigError(self.messages[0], self.src, tuple(self.messages))
        head = f"{len(self.messages)} problems in scenario {self.src}:"
        raise ScenarioConfigError(
            "\n".join([head, *(f"  - {m}" for m in self.messages)]), self.src, tuple(self.messages)
        )


class ScenarioConfigError(ConfigError):
    """A scenario YAML breaks its schema; ``problems`` lists every finding (file and key path in each)."""

    def __init__(self, message: str, source: str, problems: tuple[str, ...]) -> None:
        super().__init__(message)
        self.source = source
        self.problems = problems


def _check_block(data: object, block: str, path: str, src: str, pb: _Problems) -> dict[str, Any]:
    """Check ``data`` against schema ``block``; return it with defaults filled in (problems go to
    ``pb``; a bad value is replaced by its default so the other keys are still checked)."""
    schema = scenario_schema()
    rules = schema[block]
    where = f"{src}: {path}" if path else src
    if not isinstance(data, Mapping):
        pb.add(f"{where}: expected a mapping with keys {sorted(rules)}, got {type(data).__name__}")
        data = {}
    unknown = [k for k in data if k not in rules]
    if unknown:
        pb.add(f"{where}: unknown key(s) {unknown}; allowed: {sorted(rules)}. Fix: correct the spelling.")
    missing = [k for k, rule in rules.items() if rule.get("required") and data.get(k) is None]
    if missing:  # every missing key at once (the message starts with the first one's path)
        what = [f"{f'{path}.{k}' if path else k} ({rules[k].get('doc', rules[k]['type'])})" for k in missing]
        also = f"; so are {', '.join(what[1:])}. Fix: add them." if len(what) > 1 else ". Fix: add it."
        pb.add(f"{src}: {what[0].replace(' (', ' is required (', 1)}{also}")
    out: dict[str, Any] = {}
    for key, rule in rules.items():
        kp = f"{path}.{key}" if path else key
        if key not in data or data[key] is None:
            default = rule.get("default")
            out[key] = _check_value(default, rule, kp, src, pb) if default is not None else _empty(rule)
            continue
        out[key] = _check_value(data[key], rule, kp, src, pb)
    return out


def _empty(rule: Mapping[str, Any]) -> Any:
    """The value of a key that is absent and has no default (lists: empty; others: None)."""
    return () if rule["type"] == "list" and rule.get("required") else None


def _check_value(v: Any, rule: Mapping[str, Any], kp: str, src: str, pb: _Problems) -> Any:
    typ = rule["type"]
    bad = f"{src}: {kp} = {v!r}"
    fallback = rule.get("default")

    def fail(message: str) -> Any:
        pb.add(message)
        if fallback is not None and fallback is not v:
            return _check_value(fallback, rule, kp, src, pb)
        return () if typ == "list" else None

    if typ == "str":
        if not isinstance(v, str):
            return fail(f"{bad} must be text")
        if "enum" in rule and v not in rule["enum"]:
            return fail(f"{bad} is not allowed; expected one of {rule['enum']}")
        return v
    if typ == "bool":
        if not isinstance(v, bool):
            return fail(f"{bad} must be true or false")
        return v
    if typ in ("number", "int"):
        if isinstance(v, str) and re.fullmatch(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+", v.strip()):
            v = float(v)  # PyYAML (YAML 1.1) reads 1e9 without a dot as text
        if not _is_number(v, bool(rule.get("allow_inf"))) or (typ == "int" and float(v) != int(v)):
            return fail(f"{bad} must be a{'n integer' if typ == 'int' else ' number'}")
        lo, hi = rule.get("min"), rule.get("max")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
            hint = " (give shares, 0.3 = 30 %, not percent)" if hi == 1 else ""
            return fail(f"{bad} is outside {rng}{hint}. Fix: use a value in {rng}.")
        return int(v) if typ == "int" else float(v)
    if typ == "ids":
        if isinstance(v, str):
            return v
        if isinstance(v, int) and not isinstance(v, bool):
            return (v,)
        if isinstance(v, list) and all(isinstance(e, int | str) and not isinstance(e, bool) for e in v):
            return tuple(v)
        return fail(f"{bad} must be a group name, 'all', or a list of ids")
    if typ == "map":
        if not isinstance(v, Mapping) or not all(isinstance(e, list) for e in v.values()):
            return fail(f"{bad} must map group names to lists of ids")
        return {str(k): tuple(e) for k, e in v.items()}
    if typ == "list":
        if not isinstance(v, list):
            return fail(f"{bad} must be a list")
        of = rule["of"]
        if of == "str":
            if not all(isinstance(e, str) for e in v):
                return fail(f"{bad} must be a list of text")
            return tuple(v)
        return tuple(_check_block(e, of, f"{kp}[{i}]", src, pb) for i, e in enumerate(v))
    if typ == "block":
        return _check_block(v, rule["of"], kp, src, pb)
    if typ == "shares":
        if not isinstance(v, Mapping) or not v:
            return fail(f"{bad} must map ids to shares, e.g. {{sec27: 0.7, sec16: 0.3}}. Fix: write it so.")
        out_sh: dict[str, float] = {}
        for k, e in v.items():
            if not _is_number(e) or not float(e) > 0:
                pb.add(
                    f"{src}: {kp}.{k} = {e!r} must be a share > 0 (0.3 = 30 %). Fix: give a positive "
                    "share or drop the entry."
                )
                continue
            out_sh[str(k)] = float(e)
        return out_sh
    raise ConfigError(f"schema error: unknown type {typ!r} for {kp}")  # pragma: no cover


# ------------------------------------------------------------------------------------------ units
_NAMED_UNITS = {"元": (1.0, "CNY"), "yuan": (1.0, "CNY"), "万元": (1e4, "CNY"), "亿元": (1e8, "CNY")}
_UNIT_RE = re.compile(r"^\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?)\s*\*?\s*)?([A-Za-z]{3})\s*$", re.IGNORECASE)


def money_factor(unit: str) -> tuple[float, str]:
    """``'1e8 CNY'`` → ``(1e8, 'CNY')``; also ``万元``, ``亿元``, ``CNY``, ``1e6 USD``.

    Raises :class:`ConfigError` for text that is not a money unit.
    """
    u = str(unit).strip()
    if u in _NAMED_UNITS:
        return _NAMED_UNITS[u]
    m = _UNIT_RE.match(u)
    if not m:
        raise ConfigError(
            f"{unit!r} is not a money unit; expected '<factor> <currency>', e.g. '1e4 CNY' (万元) or "
            "'1e8 CNY' (亿元)"
        )
    return float(m.group(1) or 1.0), m.group(2).upper()


def _convert(amount: float, unit: str | None, table_unit: str, where: str) -> float:
    """Convert ``amount`` from ``unit`` to the table's money unit (same currency only)."""
    if unit is None:
        raise ConfigError(
            f"{where}.unit is missing: a money shock needs its unit. Fix: add e.g. unit: '1e8 CNY' "
            f"(the table is in {table_unit!r})."
        )
    try:
        f_from, cur_from = money_factor(unit)
    except ConfigError as exc:
        raise ConfigError(f"{where}.unit: {exc}. Fix: write the unit as e.g. '1e8 CNY'.") from None
    try:
        f_to, cur_to = money_factor(table_unit)
    except ConfigError:
        raise ConfigError(
            f"{where}: the table's unit {table_unit!r} is not a money unit, so {unit!r} cannot be "
            "converted. Fix: give the MRIO a unit such as '1e4 CNY' or use a capacity shock."
        ) from None
    if cur_from != cur_to:
        raise ConfigError(
            f"{where}.unit = {unit!r} is in {cur_from} but the table is in {table_unit!r}. "
            f"Fix: convert the amount to {cur_to} first."
        )
    return amount * f_from / f_to


# ------------------------------------------------------------------------------------ dataclasses
@dataclass(frozen=True)
class Timing:
    """Day of onset (≥ 1), days at full strength, days of recovery and its shape."""

    start: int = 1
    duration: int = 1
    recovery_days: int = 1
    recovery: Literal["linear", "convex"] = "linear"

    def profile(self, days: int) -> np.ndarray:
        """Strength on day t = 0 … days−1: 0 before ``start``, 1 for ``duration + 1`` days, then
        linear to 0 over ``recovery_days`` (or × (1 − 1/τ) per day for ``convex``) — the ARIO
        event timeline (BoARIO 0.7.2)."""
        t = np.arange(days, dtype=float)
        o, d, tau = self.start, self.duration, self.recovery_days
        e = t - 1 - o - d
        if self.recovery == "linear":
            rec = np.clip(1.0 - e / tau, 0.0, 1.0)
        else:
            rec = (1.0 - 1.0 / tau) ** np.maximum(e, 0.0) if tau > 1 else (e < 0).astype(float)
        out = np.where(t < o, 0.0, np.where(t <= o + d, 1.0, rec))
        return out  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Rebuild:
    r"""Endogenous reconstruction of a capital shock (ARIO ``ARIOEvent(kind="rebuild")``).

    The destroyed capital :math:`K_f` becomes a reconstruction demand
    :math:`H_{(r,j),f} = \phi\,\sigma_j K_f z_{(r,j),f} / \sum_{r'} z_{(r',j),f}` on the rebuilding
    sectors j (``sectors``: j → σ_j, summing to 1; φ = ``factor``), asked at :math:`H/\tau` per day
    (τ = ``tau_days``); capacity returns as it is delivered (Hallegatte 2008, *Risk Anal.* 28(3) §2.4;
    BoARIO 0.7.2 ``EventKapitalRebuild``). ``sourcing`` ``national`` buys the goods from every region
    by its output of j (paired assistance) instead of the damaged industry's suppliers.
    """

    sectors: tuple[tuple[str, float], ...]
    tau_days: int = 60
    factor: float = 1.0
    sourcing: str = "suppliers"

    @property
    def shares(self) -> dict[str, float]:
        """Rebuilding sector → share σ_j."""
        return dict(self.sectors)


@dataclass(frozen=True)
class Shock:
    """A direct shock on the industries ``regions`` × ``sectors``: capacity share or capital money.

    A capital shock with ``rebuild`` is rebuilt endogenously in ARIO; its ``timing`` then recovers
    convexly with τ = ``rebuild.tau_days`` (the ARIO path when reconstruction is never rationed),
    which is the profile the static models use.
    """

    kind: Literal["capacity", "capital"]
    regions: Ids
    sectors: Ids
    timing: Timing
    share: float | None = None
    amount: float | None = None
    unit: str | None = None
    key: str = "shocks[0]"
    rebuild: Rebuild | None = None


@dataclass(frozen=True)
class ImportCut:
    """Availability (share of normal imports) of imported products ``sectors``."""

    sectors: Ids
    availability: float
    timing: Timing
    key: str = "imports[0]"


@dataclass(frozen=True)
class SupplierMask:
    """Orders ``origins`` → ``destinations`` keep weight ``eligibility`` in [start, start + duration)."""

    kind: str
    origins: Ids
    destinations: Ids
    eligibility: float
    start: int
    duration: int
    both_directions: bool = False
    key: str = "masks[0]"


@dataclass(frozen=True)
class NetworkCut:
    """Rail links ``lines`` (names) and/or ``edges`` (ids) inside ``regions`` (``crossing``: also the
    links with one end there) keep ``capacity_left`` of their capacity in [start, start + duration).

    The economy engine has no network: ``hinterland.plan`` turns the cut into region-pair trade
    eligibility (the transport layer) and passes it as :class:`TransportWindow` levers."""

    kind: str
    lines: tuple[str, ...]
    edges: tuple[Any, ...]
    regions: Ids
    crossing: bool
    capacity_left: float
    start: int
    duration: int
    key: str = "network[0]"

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class DemandShock:
    """A share of final demand (``categories``, empty = all) for ``regions`` × ``sectors`` is lost."""

    regions: Ids
    sectors: Ids
    categories: tuple[str, ...]
    share: float
    start: int
    duration: int
    key: str = "demand[0]"


@dataclass(frozen=True)
class Draw:
    """Monte Carlo multiplier of a disruption magnitude (severity = all of them)."""

    parameter: str
    distribution: Literal["uniform", "triangular"]
    low: float
    high: float
    mode: float | None = None

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, size)
        mode = self.mode if self.mode is not None else (self.low + self.high) / 2
        if self.high == self.low:
            return np.full(size, self.low)
        return rng.triangular(self.low, mode, self.high, size)


@dataclass(frozen=True)
class ShockScenario:
    """A validated scenario (see docs/economy.md, "Scenario schema").

    ``source`` is the YAML file (or ``library:<name>``) that error messages quote.
    """

    name: str
    title: str
    description: str
    probability: float | None = None
    horizon_days: int = 365
    shocks: tuple[Shock, ...] = ()
    imports: tuple[ImportCut, ...] = ()
    masks: tuple[SupplierMask, ...] = ()
    demand: tuple[DemandShock, ...] = ()
    levers: Mapping[str, Any] = field(default_factory=dict)
    network: tuple[NetworkCut, ...] = ()
    uncertainty: tuple[Draw, ...] = ()
    region_groups: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    sector_groups: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    source: str = "<memory>"

    # ------------------------------------------------------------------ id resolution
    def regions_of(self, spec: Ids, mrio: MRIO, key: str, *, allow_row: bool = False) -> list[Any]:
        """Region labels of ``mrio`` named by ``spec`` (group, ``all`` or list); ``RoW`` if allowed."""
        known = list(mrio.regions)
        if isinstance(spec, str):
            if spec == "all":
                return known
            if spec == ROW and allow_row:
                return [ROW]
            if spec not in self.region_groups:
                raise UnknownIdError(
                    f"{self.source}: {key}: unknown region group {spec!r}; groups: "
                    f"{['all', *self.region_groups]}. Fix: define it under region_groups or list adcodes."
                )
            ids: Sequence[Any] = self.region_groups[spec]
            key = f"region_groups.{spec}"
        else:
            ids = spec
        out = []
        for r in ids:
            if allow_row and str(r) == ROW:
                out.append(ROW)
                continue
            hit = [k for k in known if k == r or str(k) == str(r)]
            if not hit:
                raise UnknownIdError(
                    f"{self.source}: {key}: unknown region {r!r}; valid: {', '.join(map(str, known))}"
                    f"{', RoW' if allow_row else ''}. Fix: use one of those ids."
                )
            out.append(hit[0])
        return out

    def sectors_of(self, spec: Ids, mrio: MRIO, key: str) -> list[Any]:
        """Sector labels of ``mrio`` named by ``spec`` (group, ``all`` or list)."""
        known = list(mrio.sectors)
        if isinstance(spec, str):
            if spec == "all":
                return known
            if spec not in self.sector_groups:
                raise UnknownIdError(
                    f"{self.source}: {key}: unknown sector group {spec!r}; groups: "
                    f"{['all', *self.sector_groups]}. Fix: define it under sector_groups or list sectors."
                )
            ids: Sequence[Any] = self.sector_groups[spec]
            key = f"sector_groups.{spec}"
        else:
            ids = spec
        out = []
        for s in ids:
            hit = [k for k in known if str(k) == str(s)]
            if not hit:
                raise UnknownIdError(
                    f"{self.source}: {key}: unknown sector {s!r}; valid: {', '.join(map(str, known))}. "
                    "Fix: use one of those ids."
                )
            out.append(hit[0])
        return out

    def industry_mask(self, regions: Ids, sectors: Ids, mrio: MRIO, key: str) -> np.ndarray:
        """Boolean (N,) over the MRIO industries (region-major)."""
        rs = self.regions_of(regions, mrio, f"{key}.regions")
        ss = self.sectors_of(sectors, mrio, f"{key}.sectors")
        idx = mrio.industries
        return np.asarray(idx.get_level_values(0).isin(rs) & idx.get_level_values(1).isin(ss))

    # ------------------------------------------------------------------ direct shocks
    def capital_amounts(self, mrio: MRIO, capital: np.ndarray) -> list[np.ndarray]:
        """Destroyed capital (table unit) per industry for each capital shock (in order).

        The amount is converted from its unit and spread over the selected industries in proportion
        to their capital stock; more than the stock of the selection raises :class:`InfeasibleError`.
        """
        out = []
        for sh in self.shocks:
            if sh.kind != "capital":
                continue
            where = f"{self.source}: {sh.key}"
            _amount = float(sh.amount or 0.0)
            amount = _convert(_amount, sh.unit, mrio.unit, where)
            sel = self.industry_mask(sh.regions, sh.sectors, mrio, sh.key)
            k = np.where(sel, capital, 0.0)
            total = float(k.sum())
            if amount > total * (1 + 1e-12):
                raise InfeasibleError(
                    f"{where}: destroyed capital {amount:.6g} {mrio.unit} exceeds the capital stock of the "
                    f"selected industries ({total:.6g} {mrio.unit} = capital_to_va × value added). "
                    f"Fix: lower amount to at most {total * _amount / amount:.6g} {sh.unit}."
                )
            out.append(k / total * amount if total > 0 else k)
        return out

    def max_multipliers(self) -> dict[str, float]:
        """The largest Monte Carlo multiplier each disruption component can draw (``capacity``,
        ``capital``, ``imports``, ``masks``, ``demand``): the product of the ``high`` ends of the
        draws that scale it (``severity`` scales all), and at least 1 (the central run)."""
        out = dict.fromkeys(("capacity", "capital", "imports", "masks", "demand"), 1.0)
        for d in self.uncertainty:
            for c in out if d.parameter == "severity" else [d.parameter]:
                out[c] *= max(float(d.high), 0.0)
        return {c: max(1.0, v) for c, v in out.items()}

    def capacity_loss(
        self, mrio: MRIO, *, capital_to_va: float = 4.0, scale: Mapping[str, float] | None = None
    ) -> pd.Series:
        r"""Peak direct capacity-loss share in [0, 1] of every MRIO industry (``region``, ``sector``).

        :math:`\Delta_f = \min(1, \max(\max_k \delta^{share}_{kf},\ \sum_k \gamma_{kf} / k_f))` with
        capital :math:`k_f = \kappa\, v_f` (κ = ``capital_to_va``, v = value added; Hallegatte 2014).
        Import cuts and supplier masks are not direct capacity losses and are not included.
        ``scale``: Monte Carlo multipliers of the ``capacity`` and ``capital`` components (e.g.
        :meth:`max_multipliers`; default 1, the central run).
        """
        self.check(mrio)
        k_cap = float((scale or {}).get("capacity", 1.0))
        k_kap = float((scale or {}).get("capital", 1.0))
        N = len(mrio.industries)
        arb = np.zeros(N)
        for sh in self.shocks:
            if sh.kind == "capacity":
                sel = self.industry_mask(sh.regions, sh.sectors, mrio, sh.key)
                arb = np.maximum(arb, np.where(sel, float(sh.share or 0.0) * k_cap, 0.0))
        capital = capital_to_va * np.maximum(mrio.v.to_numpy(dtype=float), 0.0)
        lost = np.zeros(N)
        for k in self.capital_amounts(mrio, capital):
            lost += k * k_kap
        with np.errstate(divide="ignore", invalid="ignore"):
            cap_share = np.where(capital > 0, lost / capital, 0.0)
        out = np.clip(np.maximum(arb, cap_share), 0.0, 1.0)
        return pd.Series(out, index=mrio.industries.copy(), name="capacity_loss")

    def peak_supply_shortfall(
        self, mrio: MRIO, *, capital_to_va: float = 4.0, scale: Mapping[str, float] | None = None
    ) -> pd.Series:
        r"""Upper bound (index ``sector``) of the national supply shortfall of each product over the
        shock, imports included:
        :math:`1 - \sum_r (1-\Delta^{peak}_{(r,i)}) x_{(r,i)} + a_i m_i) / (\sum_r x_{(r,i)} + m_i)`
        with the peak direct capacity loss of every industry (:meth:`capacity_loss`) and the lowest
        import availability :math:`a_i`. The ARIO backup trigger (``DormantCapacity``) can never fire
        for a product whose bound stays at or below the trigger. ``scale``: Monte Carlo multipliers
        (``capacity``, ``capital``, ``imports``); pass :meth:`max_multipliers` for a bound over every
        draw of the scenario's ensemble."""
        loss = self.capacity_loss(mrio, capital_to_va=capital_to_va, scale=scale)
        k_imp = float((scale or {}).get("imports", 1.0))
        x = mrio.x.to_numpy(dtype=float)
        n = mrio.n_sectors
        avail = ((1.0 - loss.to_numpy()) * x).reshape(mrio.n_regions, n).sum(axis=0)
        total = x.reshape(mrio.n_regions, n).sum(axis=0)
        sectors = [str(s) for s in mrio.sectors]
        if not mrio.M.empty:
            M = mrio.M.copy()
            M.index = M.index.map(str)
            imp = M.reindex(sectors).fillna(0.0).sum(axis=1).to_numpy(dtype=float)
            cut = np.ones(n)
            for ic in self.imports:
                pos = [sectors.index(str(s)) for s in self.sectors_of(ic.sectors, mrio, f"{ic.key}.sectors")]
                left = 1.0 - min(1.0, (1.0 - float(ic.availability)) * k_imp)
                cut[pos] = np.minimum(cut[pos], left)
            avail = avail + imp * cut
            total = total + imp
        with np.errstate(divide="ignore", invalid="ignore"):
            short = np.where(total > 0, 1.0 - avail / total, 0.0)
        return pd.Series(short, index=pd.Index(sectors, name="sector"), name="peak_shortfall")

    def check(self, mrio: MRIO) -> None:
        """Check every id, unit and category against ``mrio`` (errors name file, key and fix); every
        problem is reported, in one error of the first problem's type."""
        found: list[HinterlandError] = []

        def attempt(fn: Any, *args: Any, **kwargs: Any) -> None:
            try:
                fn(*args, **kwargs)
            except (ConfigError, UnknownIdError) as exc:
                found.append(exc)

        def unknown(message: str) -> None:
            found.append(UnknownIdError(message))

        names = [str(s) for s in mrio.sectors]
        for sh in self.shocks:
            attempt(self.industry_mask, sh.regions, sh.sectors, mrio, sh.key)
            if sh.kind == "capital":
                attempt(_convert, float(sh.amount or 0.0), sh.unit, mrio.unit, f"{self.source}: {sh.key}")
            if sh.rebuild is not None:
                bad = [s for s, _ in sh.rebuild.sectors if s not in names]
                if bad:
                    unknown(
                        f"{self.source}: {sh.key}.rebuild.sectors: unknown sector"
                        f"{'s' if len(bad) > 1 else ''} {bad}; valid: {', '.join(names)}. Fix: use those ids."
                    )
        for ic in self.imports:
            attempt(self.sectors_of, ic.sectors, mrio, f"{ic.key}.sectors")
        for mk in self.masks:
            attempt(self.regions_of, mk.origins, mrio, f"{mk.key}.from", allow_row=True)
            attempt(self.regions_of, mk.destinations, mrio, f"{mk.key}.to", allow_row=False)
        for nc in self.network:
            attempt(self.regions_of, nc.regions, mrio, f"{nc.key}.regions")
        cats = (
            set(mrio.Y.columns.get_level_values(-1).astype(str))
            if isinstance(mrio.Y.columns, pd.MultiIndex)
            else set(map(str, mrio.Y.columns))
        )
        for dm in self.demand:
            attempt(self.industry_mask, dm.regions, dm.sectors, mrio, dm.key)
            bad = [c for c in dm.categories if c not in cats]
            if bad:
                unknown(
                    f"{self.source}: {dm.key}.categories: unknown final-demand categor"
                    f"{'y' if len(bad) == 1 else 'ies'} {bad}; valid: {sorted(cats)}. Fix: use those."
                )
        lev = self.levers
        for i, item in enumerate(lev.get("spare_capacity", ())):
            attempt(self.industry_mask, item["regions"], item["sectors"], mrio, f"levers.spare_capacity[{i}]")
        for i, item in enumerate(lev.get("ramp_up_days", ())):
            attempt(self.industry_mask, item["regions"], item["sectors"], mrio, f"levers.ramp_up_days[{i}]")
        for i, item in enumerate(lev.get("stockpile_days", ())):
            attempt(self.sectors_of, item["sectors"], mrio, f"levers.stockpile_days[{i}].sectors")
        for key in ("priority_sectors", "non_stockable"):
            attempt(self.sectors_of, lev.get(key, ()), mrio, f"levers.{key}")
        if len(found) == 1:
            raise found[0]
        if found:
            lines = [f"{len(found)} problems in scenario {self.source} against the table:"]
            lines += [f"  - {exc}" for exc in found]
            raise type(found[0])("\n".join(lines))

    def with_changes(self, **changes: Any) -> ShockScenario:
        """A copy with some fields replaced (e.g. ``horizon_days``)."""
        from dataclasses import replace

        return replace(self, **changes)


# ------------------------------------------------------------------------------------------ loading
def _library_dir() -> Any:
    return resources.files(_PKG).joinpath("scenarios")


def list_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package (``hinterland shock --list``)."""
    names = [
        p.name[: -len(".yaml")]
        for p in _library_dir().iterdir()
        if p.name.endswith(".yaml") and not p.name.startswith("_")
    ]
    return sorted(names)


def _timing(d: Mapping[str, Any], key: str, src: str) -> Timing:
    return Timing(int(d["start"]), int(d["duration"]), int(d["recovery_days"]), d["recovery"])


def _rebuild(
    s: Mapping[str, Any], raw: Mapping[str, Any], key: str, src: str, pb: _Problems
) -> Rebuild | None:
    """The checked ``rebuild`` block of a shock (``raw`` = the shock as written, before defaults);
    None with its problems in ``pb`` when it is not usable."""
    rb = s["rebuild"]
    if rb is None:
        return None
    n = len(pb.messages)
    if s["kind"] != "capital":
        pb.add(
            f"{src}: {key}.rebuild: only a capital shock can be rebuilt (kind is {s['kind']}). "
            "Fix: use kind capital with amount and unit, or remove rebuild."
        )
    given = [k for k in ("recovery_days", "recovery") if raw.get(k) is not None]
    if given:
        pb.add(
            f"{src}: {key}: {' and '.join(given)} not allowed with rebuild: ARIO rebuilds the capital "
            "endogenously at the pace of rebuild.tau_days and the static models recover convexly with "
            "τ = tau_days. Fix: remove " + " and ".join(given) + " (or remove rebuild)."
        )
    total = sum(rb["sectors"].values())
    if abs(total - 1.0) > 1e-6:
        pb.add(
            f"{src}: {key}.rebuild.sectors: shares sum to {total:.6g}, not 1. Fix: rescale them "
            f"(divide each by {total:.6g})."
        )
    if not rb["factor"] > 0:
        pb.add(
            f"{src}: {key}.rebuild.factor = {rb['factor']!r} must be > 0 (1 = rebuild what was destroyed). "
            "Fix: use a positive factor."
        )
    if len(pb.messages) > n:
        return None
    return Rebuild(
        tuple(rb["sectors"].items()), int(rb["tau_days"]), float(rb["factor"]), str(rb["sourcing"])
    )


def _from_dict(data: object, src: str) -> ShockScenario:
    """The scenario of a parsed YAML: first the schema (every problem), then the rules between keys
    (every problem); each phase raises :class:`ScenarioConfigError` listing all it found."""
    pb = _Problems(src)
    d = _check_block(data, "scenario", "", src, pb)
    pb.raise_if_any()  # the rules below need a well-formed scenario
    shocks = []
    for i, s in enumerate(d["shocks"]):
        key = f"shocks[{i}]"
        rebuild = _rebuild(s, data["shocks"][i], key, src, pb)  # type: ignore[index]
        if s["kind"] == "capacity":
            if s["share"] is None:
                pb.add(f"{src}: {key}.share is required for kind capacity (0.3 = 30 %). Fix: add it.")
            if s["amount"] is not None:
                pb.add(f"{src}: {key}: kind capacity takes share, not amount. Fix: use kind capital.")
        else:
            if s["amount"] is None:
                pb.add(f"{src}: {key}.amount is required for kind capital. Fix: add amount and unit.")
            if s["unit"] is None:
                pb.add(
                    f"{src}: {key}.unit is missing: money needs an explicit unit. "
                    "Fix: add e.g. unit: '1e8 CNY'."
                )
            else:
                try:
                    money_factor(s["unit"])
                except ConfigError as exc:
                    pb.add(f"{src}: {key}.unit: {exc}. Fix: write it as e.g. '1e8 CNY'.")
        timing = _timing(s, key, src)
        if rebuild is not None:
            timing = Timing(timing.start, timing.duration, rebuild.tau_days, "convex")
        shocks.append(
            Shock(
                s["kind"],
                s["regions"],
                s["sectors"],
                timing,
                s["share"],
                s["amount"],
                s["unit"],
                key,
                rebuild,
            )
        )
    imports = tuple(
        ImportCut(c["sectors"], c["availability"], _timing(c, f"imports[{i}]", src), f"imports[{i}]")
        for i, c in enumerate(d["imports"])
    )
    masks = tuple(
        SupplierMask(
            m["kind"],
            m["from"],
            m["to"],
            m["eligibility"],
            m["start"],
            m["duration"],
            m["both_directions"],
            f"masks[{i}]",
        )
        for i, m in enumerate(d["masks"])
    )
    demand = tuple(
        DemandShock(
            x["regions"], x["sectors"], x["categories"], x["share"], x["start"], x["duration"], f"demand[{i}]"
        )
        for i, x in enumerate(d["demand"])
    )
    network = []
    for i, c in enumerate(d["network"]):
        key = f"network[{i}]"
        if not c["lines"] and not c["edges"]:
            pb.add(
                f"{src}: {key}: name the damaged links with lines (rail line names) or edges (edge ids). "
                "Fix: add e.g. lines: [兰新铁路]."
            )
        network.append(
            NetworkCut(
                c["kind"], c["lines"], tuple(c["edges"]), c["regions"], c["crossing"], c["capacity_left"],
                c["start"], c["duration"], key,
            )
        )  # fmt: skip
    draws = []
    for i, u in enumerate(d["uncertainty"]):
        key = f"uncertainty[{i}]"
        if u["high"] < u["low"]:
            pb.add(f"{src}: {key}: high = {u['high']} < low = {u['low']}. Fix: swap them.")
        if u["mode"] is not None and not u["low"] <= u["mode"] <= u["high"]:
            pb.add(f"{src}: {key}.mode = {u['mode']} is outside [low, high]. Fix: move it inside.")
        draws.append(Draw(u["parameter"], u["distribution"], u["low"], u["high"], u["mode"]))
    lev = d["levers"] or _check_block({}, "levers", "levers", src, pb)
    for i, item in enumerate(lev["ramp_up_days"]):
        if item["days"] <= 1:
            pb.add(
                f"{src}: levers.ramp_up_days[{i}].days = {item['days']} is unstable: the ramp-up time τ must "
                "be > 1 day (the adjustment would overshoot). Fix: use at least 2 days."
            )
    for i, item in enumerate(lev["stockpile_days"]):
        if item["days"] <= 1:
            pb.add(
                f"{src}: levers.stockpile_days[{i}].days = {item['days']} ≤ 1 day leaves no buffer. "
                "Fix: use ≥ 2 days, or list the product under levers.non_stockable."
            )
    if lev["rationing"] == "priority" and not lev["priority_sectors"]:
        pb.add(
            f"{src}: levers.rationing is priority but levers.priority_sectors is empty. Fix: list the "
            "critical sectors (households are always served first)."
        )
    pb.raise_if_any()
    return ShockScenario(
        name=d["name"],
        title=d["title"],
        description=" ".join(str(d["description"]).split()),
        probability=d["probability"],
        horizon_days=d["horizon_days"],
        shocks=tuple(shocks),
        imports=imports,
        masks=masks,
        demand=demand,
        levers=lev,
        network=tuple(network),
        uncertainty=tuple(draws),
        region_groups=d["region_groups"],
        sector_groups=d["sector_groups"],
        sources=d["sources"],
        source=src,
    )


def load_scenario(spec: str | Path, *, mrio: MRIO | None = None) -> ShockScenario:
    """A library scenario by name (:func:`list_scenarios`) or a YAML file; checked against ``mrio``.

    Structure, ranges (shares in [0, 1], probability in [0, 1]), money units and stability (ramp-up
    τ > 1 day) are always checked; region/sector ids and categories only when ``mrio`` is given.
    """
    text: str
    if isinstance(spec, str) and spec in list_scenarios():
        src = f"scenarios/{spec}.yaml"
        text = _library_dir().joinpath(f"{spec}.yaml").read_text(encoding="utf-8")
    else:
        path = Path(spec)
        if not path.is_file():
            raise DataFileError(
                f"scenario {str(spec)!r} is neither a library scenario ({', '.join(list_scenarios())}) "
                "nor an existing YAML file. Fix: pass one of those names or a path."
            )
        src = str(path)
        text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{src}: not valid YAML ({exc}). Fix: correct the syntax.") from None
    scenario = _from_dict(data, src)
    if mrio is not None:
        scenario.check(mrio)
    return scenario
