r"""Run a :class:`ShockScenario` on an MRIO with one of five models, with Monte Carlo draws.

* ``ario`` — the dynamic ARIO engine (:func:`simulate_ario`), every draw on the batch axis; output
  loss :math:`\ell_f(t) = x_{0,f} - x^a_f(t)` per day (Hallegatte 2014; Guan et al. 2020).
* ``leontief`` — direct losses read as lost final demand of the hit industries,
  :math:`\Delta x = L(\delta \odot y)` plus explicit demand shocks (Miller & Blair 2009, eq. 2.11).
* ``ghosh`` — :math:`\Delta x' = (\delta \odot v)' G` (Ghosh 1958; caveats in Oosterhaven 1988).
* ``iim`` — :math:`q = \mathrm{clip}((I - A^*)^{-1} c^*)` with :math:`c^* = \delta`
  (Santos & Haimes 2004); loss :math:`\hat x_f q_f`.
* ``diim`` — :math:`q(t+1) = q + K(A^* q + c^*(t) - q)`, :math:`k_i = -\ln\lambda / (T (1 - a^*_{ii}))`
  with T the scenario's longest recovery time (Lian & Haimes 2006).

A capital shock with ``rebuild`` is an ARIO reconstruction event (``ARIOEvent("rebuild")``: the
destroyed capital becomes demand on the rebuilding sectors, and capacity returns as it is delivered);
the static models treat it as a capital loss recovering convexly with τ = ``tau_days``. Monte Carlo
``capital`` multipliers scale rebuilt and exogenously recovered capital alike.

For the static models δ is the direct supply loss: capacity shares, destroyed capital / capital stock,
and input shortfalls :math:`\delta_g = \max_i \mathrm{cut}_i\, m_{ig} / (SZ + M)_{ig}` from import cuts and
supplier masks (Leontief technology, no substitution, no stocks). Each entry is applied with its time
profile and the responses are superposed day by day (the models are linear; IIM is clipped to [0, 1]).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from hinterland.containers import MRIO
from hinterland.economy._ario import (
    ARIOEvent,
    ARIOLevers,
    ARIOModel,
    ARIOParams,
    DormantCapacity,
    MaskWindow,
    ReserveStock,
    simulate_ario,
)
from hinterland.economy._calc import calc_A, calc_A_star, calc_B
from hinterland.economy._levers import ParameterDraws, ShockLevers, _industry_series, check_levers
from hinterland.economy._scenarios import ROW, Rebuild, ShockScenario, load_scenario
from hinterland.economy._static import diim, diim_recovery_rates, ghosh_shock, leontief_shock
from hinterland.errors import ConfigError, DataFileError, UnknownIdError

__all__ = ["MODELS", "ArmRuns", "ShockResult", "run_arms", "run_shock"]

MODELS = ("ario", "iim", "diim", "leontief", "ghosh")
_COMPONENTS = ("capacity", "capital", "imports", "masks", "demand")
RECOVERY_SHARE = 0.01  # recovered once the daily loss stays below 1 % of its peak
_CHUNK_BYTES = 120e6
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ShockResult:
    """Losses of one scenario under one model, in the table's money unit.

    * ``loss_by_day``: long (``draw``, ``day``, ``region``, ``sector``, ``output_loss``) for the
      central run (draw 0, nominal parameters), non-zero rows only;
    * ``daily``: long (``draw``, ``day``, ``group``, ``output_loss``, ``output_loss_pct``) for every
      draw, ``group`` = ``total`` and each role (e.g. ``front``, ``hinterland``) when roles were given;
    * ``summary``: one row per draw (index ``draw``): total loss, % of annual output, final demand not
      met (ARIO), peak daily loss %, its day, recovery days, loss and share by role;
    * ``loss_by_region`` / ``loss_by_sector``: central loss, baseline annual output, loss in % and,
      with draws, the mean and the 5 % / 95 % quantiles over the draws.
    """

    scenario: str
    model: str
    unit: str
    horizon_days: int
    draws: int
    seed: int
    loss_by_day: pd.DataFrame
    daily: pd.DataFrame
    summary: pd.DataFrame
    loss_by_region: pd.DataFrame
    loss_by_sector: pd.DataFrame
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def total_loss(self) -> float:
        """Central (draw 0) total output loss in the table's unit."""
        return float(self.summary.loc[0, "total_loss"])

    def to_folder(self, path: str | Path) -> Path:
        """Write every table as Parquet (and the small ones also as CSV) plus ``shock.json``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for key in ("loss_by_day", "daily", "summary", "loss_by_region", "loss_by_sector"):
            df: pd.DataFrame = getattr(self, key)
            keep_index = key in ("summary", "loss_by_region", "loss_by_sector")
            df.to_parquet(path / f"{key}.parquet", index=keep_index, compression="zstd")
            df.to_csv(path / f"{key}.csv", index=keep_index, float_format="%.10g")
        meta = {
            "scenario": self.scenario,
            "model": self.model,
            "unit": self.unit,
            "horizon_days": self.horizon_days,
            "draws": self.draws,
            "seed": self.seed,
            "meta": dict(self.meta),
        }
        (path / "shock.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False, default=str), "utf-8")
        return path

    @classmethod
    def from_folder(cls, path: str | Path) -> ShockResult:
        """Read a result written by :meth:`to_folder`."""
        path = Path(path)
        if not (path / "shock.json").exists():
            raise DataFileError(
                f"{path} has no shock.json. Fix: pass a folder written by ShockResult.to_folder."
            )
        meta = json.loads((path / "shock.json").read_text("utf-8"))
        tables = {}
        for key in ("loss_by_day", "daily", "summary", "loss_by_region", "loss_by_sector"):
            f = path / f"{key}.parquet"
            if not f.exists():
                raise DataFileError(f"{path}: missing {f.name}. Fix: rewrite the folder with to_folder.")
            tables[key] = pd.read_parquet(f)
        return cls(
            scenario=meta["scenario"],
            model=meta["model"],
            unit=meta["unit"],
            horizon_days=int(meta["horizon_days"]),
            draws=int(meta["draws"]),
            seed=int(meta["seed"]),
            meta=meta.get("meta", {}),
            **tables,
        )


# ------------------------------------------------------------------------------- compilation
@dataclass
class _Compiled:
    """Scenario turned into arrays over the domestic industries, one row per draw (B = draws + 1)."""

    B: int
    cap: list[tuple[Any, np.ndarray]]  # (Timing, (B, N) shares)
    capital: list[tuple[Any, np.ndarray]]  # (Timing, (B, N) money, table unit)
    imports: list[tuple[Any, np.ndarray]]  # (Timing, (B, n) cut shares)
    masks: list[tuple[int, int, np.ndarray]]  # (start, end, (B, m+1, m+1) eligibility, RoW last)
    demand: list[tuple[int, int, np.ndarray]]  # (start, end, (B, N) share of y lost)
    multipliers: pd.DataFrame
    rebuild: list[Rebuild | None] = field(default_factory=list)  # per capital entry: endogenous rebuild

    def capital_exogenous(self) -> list[tuple[Any, np.ndarray]]:
        """The capital losses that recover exogenously (no ``rebuild``)."""
        rb = self.rebuild or [None] * len(self.capital)
        return [c for c, r in zip(self.capital, rb, strict=True) if r is None]


def _multipliers(scenario: ShockScenario, draws: int, seed: int) -> pd.DataFrame:
    B = draws + 1
    mult = pd.DataFrame(1.0, index=pd.RangeIndex(B, name="draw"), columns=list(_COMPONENTS))
    if draws:
        rng = np.random.default_rng(seed)
        for d in scenario.uncertainty:
            vals = d.sample(rng, draws)
            cols = list(_COMPONENTS) if d.parameter == "severity" else [d.parameter]
            for c in cols:
                mult.loc[1:, c] = mult.loc[1:, c].to_numpy() * vals
    return mult


def _prepare(
    mrio: MRIO,
    scenario: ShockScenario,
    draws: int,
    horizon_days: int | None,
    params: ARIOParams | None,
    seed: int,
) -> tuple[int, ARIOParams, np.ndarray, _Compiled]:
    """The checked horizon and parameters, value added (≥ 0) and the compiled scenario of a run."""
    if draws < 0:
        raise ConfigError(f"draws must be ≥ 0, got {draws}")
    T = int(horizon_days or scenario.horizon_days)
    if T < 2:
        raise ConfigError(f"the horizon must be ≥ 2 days, got {T}")
    p = params or ARIOParams()
    p.validate()
    va = np.maximum(mrio.v.to_numpy(dtype=float), 0.0)
    return T, p, va, _compile(scenario, mrio, p.capital_to_va * va, draws, seed)


def _compile(scenario: ShockScenario, mrio: MRIO, capital: np.ndarray, draws: int, seed: int) -> _Compiled:
    scenario.check(mrio)
    mult = _multipliers(scenario, draws, seed)
    B = len(mult)
    m = mrio.n_regions
    cap = []
    for sh in scenario.shocks:
        if sh.kind == "capacity":
            sel = scenario.industry_mask(sh.regions, sh.sectors, mrio, sh.key).astype(float)
            k = mult["capacity"].to_numpy()[:, None]
            cap.append((sh.timing, np.clip(float(sh.share or 0.0) * sel[None, :] * k, 0.0, 1.0)))
    capital_ev = []
    rebuild: list[Rebuild | None] = []
    amounts = scenario.capital_amounts(mrio, capital)
    cap_shocks = [sh for sh in scenario.shocks if sh.kind == "capital"]
    if amounts:
        k = mult["capital"].to_numpy()[:, None, None]
        stack = np.stack(amounts)[None, :, :] * k  # (B, E, N)
        total = stack.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(total > 0, np.minimum(1.0, 0.999 * capital[None, :] / total), 1.0)
        stack = stack * f[:, None, :]
        capital_ev = [(sh.timing, stack[:, e, :]) for e, sh in enumerate(cap_shocks)]
        rebuild = [sh.rebuild for sh in cap_shocks]
    imports = []
    sectors = list(mrio.sectors)
    for ic in scenario.imports:
        pos = [sectors.index(s) for s in scenario.sectors_of(ic.sectors, mrio, f"{ic.key}.sectors")]
        cut = np.zeros((B, len(sectors)))
        cut[:, pos] = np.clip((1.0 - ic.availability) * mult["imports"].to_numpy()[:, None], 0.0, 1.0)
        imports.append((ic.timing, cut))
    regions = list(mrio.regions)
    masks = []
    for mk in scenario.masks:
        orig = scenario.regions_of(mk.origins, mrio, f"{mk.key}.from", allow_row=True)
        dest = scenario.regions_of(mk.destinations, mrio, f"{mk.key}.to")
        o = [m if r == ROW else regions.index(r) for r in orig]
        d = [regions.index(r) for r in dest]
        sel = np.zeros((m + 1, m + 1), bool)
        sel[np.ix_(o, d)] = True
        if mk.both_directions:
            sel |= sel.T
        np.fill_diagonal(sel, False)  # masks act on flows between regions only
        cut = np.clip((1.0 - mk.eligibility) * mult["masks"].to_numpy(), 0.0, 1.0)
        e = np.where(sel[None, :, :], 1.0 - cut[:, None, None], 1.0)
        masks.append((mk.start, mk.start + mk.duration, e))
    demand = []
    Y = mrio.Y
    cats = Y.columns.get_level_values(-1).astype(str) if isinstance(Y.columns, pd.MultiIndex) else Y.columns
    Yv = Y.to_numpy(dtype=float)
    y = Yv.sum(axis=1)
    for dm in scenario.demand:
        sel = scenario.industry_mask(dm.regions, dm.sectors, mrio, dm.key)
        ycat = Yv[:, np.isin(cats, dm.categories)].sum(axis=1) if dm.categories else y
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(y > 0, np.clip(np.maximum(ycat, 0.0) / y, 0.0, 1.0), 0.0)
        share = np.clip(dm.share * mult["demand"].to_numpy()[:, None] * (frac * sel)[None, :], 0.0, 1.0)
        demand.append((dm.start, dm.start + dm.duration, share))
    return _Compiled(B, cap, capital_ev, imports, masks, demand, mult, rebuild)


def _industry_values(
    scenario: ShockScenario,
    mrio: MRIO,
    key: str,
    field_name: str,
    default: float,
    override: pd.Series | None,
    offset: float = 0.0,
) -> np.ndarray:
    """A per-industry lever from the scenario's list ``levers[key]`` then the ``override`` Series."""
    out = np.full(len(mrio.industries), default)
    for i, item in enumerate(scenario.levers.get(key, ())):
        sel = scenario.industry_mask(item["regions"], item["sectors"], mrio, f"levers.{key}[{i}]")
        out[sel] = offset + float(item[field_name])
    if override is not None:
        s = _industry_series(override, mrio, key)
        pos = mrio.industries.get_indexer(s.index)
        out[pos] = offset + s.to_numpy(dtype=float)
    return out


def _product_days(
    scenario: ShockScenario, mrio: MRIO, default: float | tuple[float, ...], override: pd.Series | None
) -> np.ndarray:
    sectors = list(mrio.sectors)
    days = np.broadcast_to(np.asarray(default, dtype=float), (len(sectors),)).copy()
    for i, item in enumerate(scenario.levers.get("stockpile_days", ())):
        for s in scenario.sectors_of(item["sectors"], mrio, f"levers.stockpile_days[{i}].sectors"):
            days[sectors.index(s)] = float(item["days"])
    if override is not None:
        for s, v in override.items():
            if str(s) not in map(str, sectors):
                raise ConfigError(
                    f"stockpile_days: unknown product {s!r}; valid: {', '.join(map(str, sectors))}. "
                    "Fix: index the Series by sector id."
                )
            if not float(v) > 1:
                raise ConfigError(
                    f"stockpile_days[{s!r}] = {v} ≤ 1 day leaves no buffer. Fix: use ≥ 2 days or "
                    "list the product as non-stockable in the scenario."
                )
            days[[str(x) for x in sectors].index(str(s))] = float(v)
    return days  # non-stockable products get their 1/ψ-step buffer inside simulate_ario


# ------------------------------------------------------------------------------------ models
@dataclass(frozen=True)
class _Rows:
    """One ARIO batch: the draw and the arm of each scenario row, and its result."""

    draw: np.ndarray
    arm: np.ndarray
    result: Any  # ARIOResult
    rebuild_factor: np.ndarray  # (E,) φ of each rebuild event, to value unrebuilt capital
    reserves: tuple[Any, ...] = ()  # the ReserveStock of the batch, in the order of its records


def _arm_arrays(
    mrio: MRIO, scenario: ShockScenario, lev: ShockLevers, p: ARIOParams, Nt: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """α_max, τ_α (N_t,), whether τ_α is the engine default (N_t,) and stock days (n,) of one arm."""
    dom = mrio.n_regions * mrio.n_sectors
    amax_d = _industry_values(scenario, mrio, "spare_capacity", "share", p.alpha_max, lev.spare_capacity, 1.0)
    if lev.spare_capacity is not None and np.any(
        _industry_series(lev.spare_capacity, mrio, "spare_capacity") < 0
    ):
        raise ConfigError("spare_capacity shares must be ≥ 0 (0.10 = +10 % capacity)")
    nan = float("nan")
    atau_d = _industry_values(scenario, mrio, "ramp_up_days", "days", nan, lev.ramp_up_days)
    default_tau = np.concatenate([np.isnan(atau_d), np.ones(Nt - dom, bool)])
    atau_d = np.where(np.isnan(atau_d), p.alpha_tau, atau_d)
    if np.any(atau_d <= 1):
        raise ConfigError("ramp_up_days must be > 1 day for every industry (τ ≤ 1 step is unstable)")
    amax = np.concatenate([amax_d, np.ones(Nt - dom)])
    atau = np.concatenate([atau_d, np.full(Nt - dom, p.alpha_tau)])
    days = _product_days(scenario, mrio, p.inventory_days, lev.stockpile_days)
    return amax, atau, default_tau, days


def _backup_arrays(
    lev: ShockLevers, mrio: MRIO, Nt: int, year: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dormant backup capacity per step, lag and ramp (steps) over the N_t industries of one arm."""
    cap = np.zeros(Nt)
    lag = np.zeros(Nt)
    ramp = np.ones(Nt)
    bk = lev.backup
    if bk is None:
        return cap, lag, ramp
    s = _industry_series(bk.capacity, mrio, "backup capacity")
    pos = mrio.industries.get_indexer(s.index)
    cap[pos] = s.to_numpy(dtype=float) / year

    def per(v: pd.Series | float, out: np.ndarray) -> None:
        if isinstance(v, pd.Series):
            sv = _industry_series(v, mrio, "backup lag/ramp")
            out[mrio.industries.get_indexer(sv.index)] = sv.to_numpy(dtype=float)
        else:
            out[pos] = float(v)

    per(bk.lag_days, lag)
    per(bk.ramp_days, ramp)
    return cap, lag, np.maximum(ramp, 1.0)


def _simulate_arms(
    mrio: MRIO,
    scenario: ShockScenario,
    comp: _Compiled,
    T: int,
    params: ARIOParams,
    arms: Sequence[ShockLevers],
    pdraws: ParameterDraws | None,
    detail: bool,
    say: Progress,
    only: np.ndarray | None = None,
) -> list[_Rows]:
    """Simulate every draw of ``comp`` under every arm of ``arms`` with ARIO (the one route from a
    scenario into :func:`simulate_ario`): rows of a batch are (draw, arm) pairs, draw-major, so the
    arms of a draw share its shock and parameters exactly (common random numbers)."""
    lev = scenario.levers
    non_stock = tuple(
        str(s) for s in scenario.sectors_of(lev.get("non_stockable", ()), mrio, "levers.non_stockable")
    )
    scen_rule = lev.get("rationing", params.rationing)
    p = replace(params, rationing=scen_rule, non_stockable=non_stock)
    model = ARIOModel.from_mrio(mrio, p)
    m, n = mrio.n_regions, mrio.n_sectors
    dom = m * n
    Nt = model.n
    mm = model.n_regions
    if comp.imports and not model.has_row:
        raise ConfigError(
            f"{scenario.source}: the scenario cuts imports but the table {mrio.name!r} has no imports by "
            "product (M) or include_imports is off, so the cut would be ignored. Fix: use a table with "
            "imports (e.g. the bundled China MRIO) or a scenario without `imports`."
        )
    if scenario.network and any(not a.transport for a in arms):
        raise ConfigError(
            f"{scenario.source}: the scenario damages rail links ({scenario.network[0].key}) and its trade "
            "eligibility comes from the transport layer, which this call did not get. Fix: pass "
            "levers=hinterland.plan.transport_levers(scenario) (hinterland shock and hinterland plan do)."
        )
    for a in arms:
        check_levers(a, mrio)
    A = len(arms)
    per_arm = [_arm_arrays(mrio, scenario, a, p, Nt) for a in arms]
    backups = [_backup_arrays(a, mrio, Nt, p.year_to_step) for a in arms]
    has_backup = any(b[0].any() for b in backups)
    # reserves: the union over arms (an arm without a reserve holds zero stock of it)
    res_keys: list[tuple[str, str]] = []
    for a in arms:
        for r in a.reserves:
            if (r.name, r.sector) not in res_keys:
                res_keys.append((r.name, r.sector))
    regions = list(mrio.regions)
    sectors = [str(x) for x in mrio.sectors]
    pd_ = pdraws or ParameterDraws.nominal(comp.B, psi=p.psi, alpha_tau=p.alpha_tau)
    if pd_.size != comp.B:
        raise ConfigError(
            f"parameter draws hold {pd_.size} values but the scenario runs {comp.B} draws "
            f"({comp.B - 1} + the central run). Fix: draw one value per draw, the central run first."
        )
    prio_scen = scenario.sectors_of(lev.get("priority_sectors", ()), mrio, "levers.priority_sectors")
    groups: list[tuple[str, np.ndarray]] = []
    if scen_rule == "priority" or pdraws is None:
        groups.append((scen_rule, np.arange(comp.B)))
    else:
        flags = np.asarray(pd_.priority, bool)
        for rule, sel in (("proportional", ~flags), ("priority", flags)):
            if sel.any():
                groups.append((rule, np.flatnonzero(sel)))
    if only is not None:
        groups = [(rule, np.intersect1d(dsel, only)) for rule, dsel in groups]
        groups = [(rule, dsel) for rule, dsel in groups if len(dsel)]
    stockable = np.ones(n, bool)
    stockable[[sectors.index(s) for s in non_stock]] = False
    out: list[_Rows] = []
    per_row_bytes = (T * Nt * 8 * 2) if detail else (Nt * n * 8 * 4)
    chunk_draws = max(1, int(_CHUNK_BYTES // (per_row_bytes * A)))
    for rule, dsel in groups:
        gmodel = model
        if rule != model.params.rationing:  # an ensemble draw's rule (the scenario keeps its own)
            gmodel = model.with_params(rationing=rule, priority_final_demand=pd_.priority_final_demand)
        prio_sec = prio_scen if scen_rule == "priority" else list(pd_.priority_sectors)
        prio = None
        if rule == "priority":
            bad = [x for x in prio_sec if str(x) not in sectors]
            if bad:
                raise UnknownIdError(f"priority sectors {bad} are not sectors of the table {mrio.name!r}")
            prio = np.concatenate(
                [np.asarray(mrio.industries.get_level_values(1).astype(str).isin([str(x) for x in prio_sec])),
                 np.zeros(Nt - dom, bool)]
            )  # fmt: skip
        for c0 in range(0, len(dsel), chunk_draws):
            dr = dsel[c0 : c0 + chunk_draws]
            d_rows = np.repeat(dr, A)
            a_rows = np.tile(np.arange(A), len(dr))
            B = len(d_rows)
            say(f"ARIO: draws {int(dr[0]) + 1}-{int(dr[-1]) + 1} of {comp.B} × {A} arm(s), {T} days ({rule})")

            def pad(a: np.ndarray) -> np.ndarray:
                o = np.zeros((a.shape[0], Nt))
                o[:, :dom] = a
                return o

            events = []
            for tm, imp in comp.cap:
                events.append(_timed_event("arbitrary", pad(imp[d_rows]), tm))
            rebuilds = comp.rebuild or [None] * len(comp.capital)
            factors = []
            for (tm, imp), rb in zip(comp.capital, rebuilds, strict=True):
                if rb is not None:  # destroyed capital rebuilt through reconstruction demand
                    tau = rb.tau_days * np.asarray(pd_.rebuild_tau_scale, dtype=float)[d_rows]
                    tau_arg: float | np.ndarray = float(rb.tau_days) if np.all(tau == rb.tau_days) else tau
                    sourcing: Literal["suppliers", "national"] = (
                        "national" if rb.sourcing == "national" else "suppliers"
                    )
                    events.append(
                        ARIOEvent(
                            "rebuild", pad(imp[d_rows]), tm.start, tm.duration, rebuild_sectors=rb.shares,
                            rebuild_tau=tau_arg, rebuilding_factor=rb.factor, rebuild_sourcing=sourcing,
                        )
                    )  # fmt: skip
                    factors.append(rb.factor)
                    continue
                events.append(_timed_event("capital", pad(imp[d_rows]), tm))
            for tm, cut in comp.imports:
                imp = np.zeros((B, Nt))
                imp[:, dom:] = cut[d_rows]
                events.append(_timed_event("arbitrary", imp, tm))
            masks = _row_masks(comp, arms, d_rows, a_rows, regions, mm)
            dscale = tuple((s, e, np.concatenate([1.0 - sh[d_rows], np.ones((B, Nt - dom))], axis=1))
                           for s, e, sh in comp.demand)  # fmt: skip
            amax = np.stack([per_arm[a][0] for a in a_rows])
            atau = np.stack([per_arm[a][1] for a in a_rows])
            tau_draw = np.asarray(pd_.alpha_tau, dtype=float)[d_rows]
            default = np.stack([per_arm[a][2] for a in a_rows])
            atau = np.where(default, tau_draw[:, None], atau)
            days = np.stack([per_arm[a][3] for a in a_rows])
            scale = np.asarray(pd_.stock_scale, dtype=float)[d_rows][:, None]
            days = np.where(np.isfinite(days) & stockable[None, :], days * scale, days)
            backup = None
            if has_backup:
                lag, ramp, trigger = _merged_timing(backups, arms)
                backup = DormantCapacity(np.stack([backups[a][0] for a in a_rows]), lag, ramp, trigger)
            reserves = tuple(
                _reserve_rows(key, arms, a_rows, mrio, regions, sectors, p.year_to_step, Nt)
                for key in res_keys
            )
            levers = ARIOLevers(
                alpha_max=amax,
                alpha_tau=atau,
                inventory_days=days,
                masks=masks,
                demand_scale=dscale,
                priority_users=prio,
                backup=backup,
                reserves=reserves,
                psi=np.asarray(pd_.psi, dtype=float)[d_rows] if pdraws is not None else None,
            )
            # a horizon shorter than a shock simulates its first T days only
            events = [
                replace(ev, duration=min(ev.duration, T - ev.occurrence))
                for ev in events
                if ev.occurrence < T
            ]
            res = simulate_ario(
                gmodel, events, T, batch=B, levers=levers, record_flows=False, record_detail=detail
            )
            out.append(_Rows(d_rows, a_rows, res, np.asarray(factors, dtype=float), reserves))
    return out


def _timed_event(kind: Literal["arbitrary", "capital"], impact: np.ndarray, tm: Any) -> ARIOEvent:
    """An ARIO event with a scenario timing (linear or convex recovery)."""
    shape: Literal["linear", "convexe"] = "linear" if tm.recovery == "linear" else "convexe"
    return ARIOEvent(kind, impact, tm.start, tm.duration, tm.recovery_days, shape)


def _merged_timing(
    backups: list[tuple[np.ndarray, np.ndarray, np.ndarray]], arms: Sequence[ShockLevers]
) -> tuple[np.ndarray, np.ndarray, float]:
    """One lag and ramp per industry and one trigger across the arms (they must agree where they
    share an industry: the engine keeps one activation rule per industry)."""
    lag = np.zeros_like(backups[0][1])
    ramp = np.ones_like(backups[0][2])
    seen = np.zeros(len(lag), bool)
    triggers = {a.backup.trigger for a in arms if a.backup is not None}
    for (cap, lg, rp), a in zip(backups, arms, strict=True):
        if a.backup is None:
            continue
        on = cap > 0
        both = on & seen
        if np.any(lg[both] != lag[both]) or np.any(rp[both] != ramp[both]):
            raise ConfigError(
                "arms of one run give the same backup industry different lags or ramps. "
                "Fix: use one lag and ramp per industry across the arms."
            )
        lag[on], ramp[on] = lg[on], rp[on]
        seen |= on
    if len(triggers) > 1:
        raise ConfigError(f"arms of one run use different backup triggers {sorted(triggers)}. Fix: use one.")
    return lag, ramp, triggers.pop()


def _row_masks(
    comp: _Compiled,
    arms: Sequence[ShockLevers],
    d_rows: np.ndarray,
    a_rows: np.ndarray,
    regions: list[Any],
    mm: int,
) -> tuple[MaskWindow, ...]:
    """Scenario masks (per draw) times each arm's transport windows (scaled by the draw's ``masks``
    multiplier), one window per distinct time range, over the ``mm`` regions of the model (RoW last)."""
    B = len(d_rows)
    spans: dict[tuple[int, int], np.ndarray] = {}
    for s, e, mk in comp.masks:
        arr = spans.setdefault((s, e), np.ones((B, mm, mm)))
        arr *= mk[d_rows, :mm, :mm]
    mult = comp.multipliers["masks"].to_numpy()[d_rows]
    m = len(regions)
    pos = {r: i for i, r in enumerate(regions)}
    for a, lev in enumerate(arms):
        rows = np.flatnonzero(a_rows == a)
        if not len(rows):
            continue
        for w in lev.transport:
            elig = np.ones((m, m))
            el = w.eligibility
            ri = [pos[r] for r in el.index]
            ci = [pos[c] for c in el.columns]
            elig[np.ix_(ri, ci)] = np.nan_to_num(el.to_numpy(dtype=float), nan=1.0)
            np.fill_diagonal(elig, 1.0)
            arr = spans.setdefault((w.start, w.end), np.ones((B, mm, mm)))
            cut = np.clip((1.0 - elig)[None, :, :] * mult[rows][:, None, None], 0.0, 1.0)
            arr[rows, :m, :m] *= 1.0 - cut
    return tuple(MaskWindow(s0, s1, arr) for (s0, s1), arr in sorted(spans.items()))


def _reserve_rows(
    key: tuple[str, str],
    arms: Sequence[ShockLevers],
    a_rows: np.ndarray,
    mrio: MRIO,
    regions: list[Any],
    sectors: list[str],
    year: float,
    Nt: int,
) -> ReserveStock:
    """One reserve over the rows of a batch: its stock and release in the arms that hold it, 0 elsewhere."""
    held = {a: r for a, lev in enumerate(arms) for r in lev.reserves if (r.name, r.sector) == key}
    where = sorted({reg for r in held.values() for reg in r.stock.index}, key=regions.index)
    pos = [regions.index(reg) for reg in where]
    B = len(a_rows)
    stock = np.zeros((B, len(pos)))
    release = np.zeros((B, len(pos)))
    users = np.zeros(Nt, bool)
    share = 1.0
    for a, r in held.items():
        rows = a_rows == a
        stock[rows] = r.stock.reindex(where).fillna(0.0).to_numpy(dtype=float)
        release[rows] = r.release_per_day.reindex(where).fillna(0.0).to_numpy(dtype=float) * 365.0 / year
        dom = len(mrio.industries)
        users[:dom] |= np.asarray(mrio.industries.get_level_values(1).astype(str).isin(list(r.users)))
        share = r.share
    shares = {r.share for r in held.values()}
    if len(shares) > 1:
        raise ConfigError(f"reserve {key[0]!r}: arms give it different product shares {sorted(shares)}")
    return ReserveStock(
        sectors.index(key[1]), tuple(pos), stock, release, share=share, users=users, name=key[0]
    )


def _run_ario(
    mrio: MRIO,
    scenario: ShockScenario,
    comp: _Compiled,
    T: int,
    params: ARIOParams,
    levers: ShockLevers,
    say: Progress,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily output loss (B, T, N), final demand not met and value added lost (no netting of output
    above normal) per draw (B,) of one arm."""
    dom = mrio.n_regions * mrio.n_sectors
    loss = np.empty((comp.B, T, dom))
    fd = np.empty(comp.B)
    va = np.empty(comp.B)
    for rows in _simulate_arms(mrio, scenario, comp, T, params, [levers], None, True, say):
        res = rows.result
        x0 = res.x0[:dom].astype(float)
        loss[rows.draw] = (x0[None, None, :] - res.production[:, :, :dom]).transpose(1, 0, 2)
        fd[rows.draw] = res.fd_loss.sum(axis=(0, 2))
        va[rows.draw] = res.va_loss.sum(axis=(0, 2))
    return loss, fd, va


def _static_entries(
    mrio: MRIO, comp: _Compiled, T: int, capital: np.ndarray
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, np.ndarray]]]:
    """Direct supply losses δ (B, N) and demand losses Δy (B, N, per year) with their profiles (T,)."""
    Z = mrio.Z.to_numpy(dtype=float)
    m, n = mrio.n_regions, mrio.n_sectors
    N = m * n
    ZS = Z.reshape(m, n, N)  # (r, i, g)
    if not mrio.M.empty:
        Mi = mrio.M.copy()
        Mi.index = Mi.index.map(str)
        Mp = Mi.reindex([str(s) for s in mrio.sectors]).fillna(0.0).to_numpy(dtype=float)  # (i, g)
    else:
        Mp = np.zeros((n, N))
    use = ZS.sum(axis=0) + Mp  # (i, g)
    supply: list[tuple[np.ndarray, np.ndarray]] = []
    for tm, sh in comp.cap:
        supply.append((sh, tm.profile(T)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for tm, k in comp.capital:
            supply.append((np.where(capital > 0, k / capital, 0.0), tm.profile(T)))
        imp_share = np.where(use > 0, Mp / use, 0.0)  # (i, g)
        for tm, cut in comp.imports:
            d = (cut[:, :, None] * imp_share[None, :, :]).max(axis=1)  # (B, N)
            supply.append((d, tm.profile(T)))
        for s, e, mk in comp.masks:
            lost = 1.0 - mk  # (B, m+1, m+1)
            dest = np.repeat(np.arange(m), n)  # region of each user g
            # share of product i used by g that comes through blocked links (incl. RoW = imports)
            dom_lost = np.einsum("brg,rig->big", lost[:, :m, dest], ZS)
            row_lost = lost[:, m, dest][:, None, :] * Mp[None, :, :]
            d = np.where(use[None] > 0, (dom_lost + row_lost) / use[None], 0.0).max(axis=1)
            t = np.arange(T)
            supply.append((d, ((t >= s) & (t < e)).astype(float)))
    y = mrio.Y.to_numpy(dtype=float).sum(axis=1)
    demand = []
    t = np.arange(T)
    for s, e, share in comp.demand:
        demand.append((share * y[None, :], ((t >= s) & (t < e)).astype(float)))
    return supply, demand


def _run_static(
    mrio: MRIO,
    scenario: ShockScenario,
    comp: _Compiled,
    T: int,
    model: str,
    capital: np.ndarray,
    say: Progress,
) -> np.ndarray:
    """Daily output loss (B, T, N) of a static or DIIM model."""
    say(f"{model}: solving")
    Z = mrio.Z.to_numpy(dtype=float)
    x = mrio.x.to_numpy(dtype=float)
    supply, demand = _static_entries(mrio, comp, T, capital)
    B, N = comp.B, len(x)
    day = 1.0 / 365.0
    out = np.zeros((B, T, N))
    if model == "leontief":
        A = calc_A(Z, x)
        y = mrio.Y.to_numpy(dtype=float).sum(axis=1)
        for d, prof in supply:
            dx = leontief_shock(A, d * y[None, :])
            out += prof[None, :, None] * dx[:, None, :] * day
        for dy, prof in demand:
            out += prof[None, :, None] * leontief_shock(A, dy)[:, None, :] * day
    elif model == "ghosh":
        Bm = calc_B(Z, x)
        v = np.maximum(x - Z.sum(axis=0), 0.0)  # primary inputs incl. imports (Ghosh row balance)
        for d, prof in supply:
            out += prof[None, :, None] * ghosh_shock(Bm, d * v[None, :])[:, None, :] * day
    else:
        As = calc_A_star(Z, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            dem = [(np.where(x > 0, dy / x, 0.0), prof) for dy, prof in demand]
        if model == "iim":
            q = np.zeros((B, T, N))
            for c, prof in [*supply, *dem]:
                q += prof[None, :, None] * leontief_shock(As, c)[:, None, :]
            out = np.clip(q, 0.0, 1.0) * (x * day)[None, None, :]
        else:
            rec = [sh.timing.recovery_days for sh in scenario.shocks] + [
                ic.timing.recovery_days for ic in scenario.imports
            ]
            Trec = float(max([*rec, 30]))
            k = diim_recovery_rates(As, np.full(N, max(Trec, 2.0)))
            for b in range(B):
                c = np.zeros((T, N))
                for d, prof in [*supply, *dem]:
                    c += prof[:, None] * d[b][None, :]
                res = diim(As, k, np.zeros(N), np.clip(c, 0.0, 1.0), T, x * day)
                out[b] = res.q[1:] * (x * day)[None, :]
    return out


# ------------------------------------------------------------------------------------ run
def run_shock(
    mrio: MRIO,
    scenario: ShockScenario | str | Path,
    *,
    model: str = "ario",
    draws: int = 0,
    seed: int = 0,
    levers: ShockLevers | None = None,
    horizon_days: int | None = None,
    params: ARIOParams | None = None,
    roles: pd.Series | None = None,
    progress: Progress | None = None,
) -> ShockResult:
    """Run ``scenario`` on ``mrio`` with ``model`` (``ario``, ``iim``, ``diim``, ``leontief``, ``ghosh``).

    ``draws`` Monte Carlo draws of the scenario's ``uncertainty`` ranges (seeded by ``seed``) run
    beside the central run (draw 0). ``levers`` (:class:`ShockLevers`) change the ARIO run: spare
    capacity, ramp-up and stockpile days override the scenario's levers for the industries/products
    they list (the others keep the scenario value or the ``params`` default); dormant backup lines,
    strategic reserves and transport windows add their mechanisms. A scenario that damages rail links
    (``network``) needs transport windows (``hinterland.plan.transport_windows``).
    ``roles`` (Series region → role, e.g. ``front``/``hinterland``) splits losses by role.
    For several arms under the same draws use :func:`run_arms`.
    """
    say = progress or (lambda _msg: None)
    if not isinstance(scenario, ShockScenario):
        scenario = load_scenario(scenario, mrio=mrio)
    if model not in MODELS:
        raise ConfigError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    T, p, va, comp = _prepare(mrio, scenario, draws, horizon_days, params, seed)
    notes: list[str] = []
    fd = np.full(comp.B, np.nan)
    va_lost = np.full(comp.B, np.nan)
    lev = levers or ShockLevers()
    if model == "ario":
        loss, fd, va_lost = _run_ario(mrio, scenario, comp, T, p, lev, say)
    else:
        if not lev.is_empty or lev.transport:
            notes.append(
                f"{model}: the levers (capacity, stocks, backup, reserves, transport) act only in ARIO"
            )
        if scenario.network:
            notes.append(f"{model}: the scenario's rail-link damage has no static equivalent here (use ario)")
        if model == "ghosh" and comp.demand:
            notes.append("ghosh: final-demand shocks are ignored (supply-driven model)")
        loss = _run_static(mrio, scenario, comp, T, model, p.capital_to_va * va, say)
    say("summarising")
    res = _assemble(mrio, scenario, model, loss, fd, comp, T, draws, seed, roles, notes)
    res.summary.insert(3, "va_loss", va_lost)  # ARIO: value added lost, output above normal not netted
    res.summary.insert(4, "va_loss_pct", va_lost / float(va.sum()) * 100)
    return res


@dataclass(frozen=True)
class ArmRuns:
    r"""Paired runs of one scenario: every draw under every arm (same shock, same parameters).

    Arrays are indexed (draw, arm[, …]); draw 0 is the central run. Losses are in the table's money
    unit: ``va_daily`` (D, A, T) value added lost per day,
    :math:`\sum_f v_f \max(0, 1 - x^a_f(t)/x_{0,f})` (no netting of output above normal);
    ``fd_daily`` (D, A, T) final demand not met per day; ``va_region`` (D, A, m) and ``fd_region``
    (D, A, m) over the horizon by region; ``output_net`` (D, A) net output change (``output_region``
    (D, A, m) by region)
    :math:`\sum_t\sum_f (x_0 - x^a)`; ``unrebuilt`` (D, A) capital still destroyed at the end of the
    horizon (valued at replacement cost); ``released`` (D, A, K) what each reserve released, and
    ``released_fd`` the part that went to households;
    ``backup_online`` (D, A, T) dormant backup capacity online per day.
    """

    scenario: str
    arms: tuple[str, ...]
    horizon_days: int
    unit: str
    regions: tuple[Any, ...]
    reserves: tuple[str, ...]
    draw_ids: tuple[int, ...]
    va_daily: np.ndarray
    fd_daily: np.ndarray
    va_region: np.ndarray
    fd_region: np.ndarray
    output_net: np.ndarray
    output_region: np.ndarray
    unrebuilt: np.ndarray
    released: np.ndarray
    released_fd: np.ndarray
    backup_online: np.ndarray
    draws_table: pd.DataFrame
    va_per_day: float  # baseline value added per day (all regions)
    probability: float | None = None
    va_region_daily: np.ndarray | None = None
    va_net_region_daily: np.ndarray | None = None

    @property
    def n_draws(self) -> int:
        return int(self.va_daily.shape[0])

    @property
    def va_loss(self) -> np.ndarray:
        """(D, A) value added lost over the horizon."""
        return self.va_daily.sum(axis=2)  # type: ignore[no-any-return]

    @property
    def fd_unmet(self) -> np.ndarray:
        """(D, A) final demand not met over the horizon."""
        return self.fd_daily.sum(axis=2)  # type: ignore[no-any-return]

    @property
    def total_loss(self) -> np.ndarray:
        """(D, A) value added lost plus the capital still unrebuilt at the horizon."""
        return self.va_loss + self.unrebuilt  # type: ignore[no-any-return]

    def converged(self, *, window: int = 7, share: float = 0.01, floor: float = 1e-4) -> np.ndarray:
        """(D, A) whether the run is back to normal at the end: the mean daily value-added loss of
        the last ``window`` days is at most ``share`` of its peak, or at most ``floor`` of a day's
        national value added (a residue of small industries still below normal stays allowed)."""
        tail = self.va_daily[:, :, -window:].mean(axis=2)
        peak = self.va_daily.max(axis=2)
        return (tail <= share * peak) | (tail <= floor * self.va_per_day)  # type: ignore[no-any-return]

    def totals(self) -> pd.DataFrame:
        """One row per (draw, arm): VA loss, final demand not met, unrebuilt capital, total, net output
        change, reserve releases, peak backup online, whether it converged."""
        idx = pd.MultiIndex.from_product([list(self.draw_ids), self.arms], names=["draw", "arm"])
        df = pd.DataFrame(
            {
                "va_loss": self.va_loss.ravel(),
                "fd_unmet": self.fd_unmet.ravel(),
                "unrebuilt_capital": self.unrebuilt.ravel(),
                "total_loss": self.total_loss.ravel(),
                "output_loss_net": self.output_net.ravel(),
                "reserve_released": self.released.sum(axis=2).ravel(),
                "reserve_to_households": self.released_fd.sum(axis=2).ravel(),
                "backup_online_peak": self.backup_online.max(axis=2).ravel(),
                "converged": self.converged().ravel(),
            },
            index=idx,
        )
        return df


def run_arms(
    mrio: MRIO,
    scenario: ShockScenario | str | Path,
    arms: Mapping[str, ShockLevers],
    *,
    draws: int = 0,
    seed: int = 0,
    parameters: ParameterDraws | None = None,
    subset: Sequence[int] | None = None,
    horizon_days: int | None = None,
    params: ARIOParams | None = None,
    regions_daily: bool = False,
    progress: Progress | None = None,
) -> ArmRuns:
    """Simulate ``scenario`` with ARIO under every arm of ``arms`` (name → :class:`ShockLevers`) for
    the central run and ``draws`` Monte Carlo draws, paired: the arms of a draw share the shock
    multipliers (seeded by ``seed``, as :func:`run_shock`) and the engine ``parameters`` (one value
    per draw, central first; default: the nominal engine settings). All rows run as one ARIO batch
    (chunked for memory), so arms and draws cost about one scenario-step each. ``subset`` (draw
    numbers, 0 = central) simulates only those draws — the same numbers as in the full run, so an
    ensemble can be split into tasks. ``regions_daily`` also keeps the daily value added lost and its
    net change by region (``va_region_daily``, ``va_net_region_daily``: (D, A, T, m))."""
    say = progress or (lambda _msg: None)
    if not isinstance(scenario, ShockScenario):
        scenario = load_scenario(scenario, mrio=mrio)
    if not arms:
        raise ConfigError(
            "run_arms needs at least one arm (name → ShockLevers). Fix: pass e.g. {'baseline': ShockLevers()}"
        )
    T, p, va, comp = _prepare(mrio, scenario, draws, horizon_days, params, seed)
    names = tuple(arms)
    levers = [arms[k] for k in names]
    ids = np.arange(comp.B) if subset is None else np.unique(np.asarray(list(subset), dtype=int))
    if len(ids) == 0 or ids.min() < 0 or ids.max() >= comp.B:
        raise ConfigError(f"subset {list(ids)[:5]}… must hold draw numbers in 0..{comp.B - 1}")
    batches = _simulate_arms(mrio, scenario, comp, T, p, levers, parameters, False, say, only=ids)
    row_of = {int(d): k for k, d in enumerate(ids)}
    D, A = len(ids), len(names)
    m = mrio.n_regions
    res_names: list[str] = []
    for lev in levers:
        for r in lev.reserves:
            if r.name not in res_names:
                res_names.append(r.name)
    K = len(res_names)
    va_d = np.zeros((D, A, T))
    fd_d = np.zeros((D, A, T))
    va_r = np.zeros((D, A, m))
    fd_r = np.zeros((D, A, m))
    out_net = np.zeros((D, A))
    out_reg = np.zeros((D, A, m))
    unrebuilt = np.zeros((D, A))
    released = np.zeros((D, A, K))
    released_fd = np.zeros((D, A, K))
    bk = np.zeros((D, A, T))
    vrd = np.zeros((D, A, T, m)) if regions_daily else None
    vnd = np.zeros((D, A, T, m)) if regions_daily else None
    exo = np.zeros(D)  # exogenously recovering capital still lost on the last day
    for tm, imp in comp.capital_exogenous():
        exo += imp[ids].sum(axis=1) * float(tm.profile(T)[T - 1])
    for rows in batches:
        res = rows.result
        d, a = np.array([row_of[int(x)] for x in rows.draw]), rows.arm
        va_d[d, a] = res.va_loss.sum(axis=2).T
        fd_d[d, a] = res.fd_loss.sum(axis=2).T
        va_r[d, a] = res.va_loss.sum(axis=0)
        if vrd is not None and vnd is not None:
            vrd[d, a] = res.va_loss.transpose(1, 0, 2)
            vnd[d, a] = res.va_net.transpose(1, 0, 2)
        fd_r[d, a] = res.fd_loss.sum(axis=0)[:, :m]
        out_net[d, a] = res.output_loss.sum(axis=(0, 2))
        out_reg[d, a] = res.output_loss.sum(axis=0)
        left = 0.0 if res.reconstruction is None else res.reconstruction[-1].astype(float)
        phi = float(rows.rebuild_factor.mean()) if len(rows.rebuild_factor) else 1.0
        unrebuilt[d, a] = np.asarray(left) / phi + exo[d]
        if res.backup_online is not None:
            bk[d, a] = res.backup_online.T
        if res.reserve_release is not None and K:
            rel = res.reserve_release.sum(axis=0)  # (rows, 2 K_batch): in all, to households
            kb = rel.shape[1] // 2
            names_b = [r.name for r in rows.reserves]
            for kk, name in enumerate(names_b):
                released[d, a, res_names.index(name)] = rel[:, kk]
                released_fd[d, a, res_names.index(name)] = rel[:, kb + kk]
    table = comp.multipliers.add_prefix("mult_")
    if parameters is not None:
        table = table.join(parameters.table())
    return ArmRuns(
        scenario=scenario.name,
        arms=names,
        horizon_days=T,
        unit=mrio.unit,
        regions=tuple(mrio.regions),
        reserves=tuple(res_names),
        draw_ids=tuple(int(x) for x in ids),
        va_daily=va_d,
        fd_daily=fd_d,
        va_region=va_r,
        fd_region=fd_r,
        output_net=out_net,
        output_region=out_reg,
        unrebuilt=unrebuilt,
        released=released,
        released_fd=released_fd,
        backup_online=bk,
        draws_table=table.loc[ids],
        va_per_day=float(va.sum()) / p.year_to_step,
        probability=scenario.probability,
        va_region_daily=vrd,
        va_net_region_daily=vnd,
    )


def _recovery_day(series: np.ndarray, start: int, base: float) -> float:
    """Days from ``start`` until the daily loss stays below 1 % of its peak (NaN: not in the horizon)."""
    peak = float(series.max())
    if peak <= 1e-9 * base:  # no loss beyond rounding
        return 0.0
    above = np.flatnonzero(series > RECOVERY_SHARE * peak)
    last = int(above[-1])
    if last == len(series) - 1:
        return float("nan")
    return float(last + 1 - start)


def _assemble(
    mrio: MRIO,
    scenario: ShockScenario,
    model: str,
    loss: np.ndarray,
    fd: np.ndarray,
    comp: _Compiled,
    T: int,
    draws: int,
    seed: int,
    roles: pd.Series | None,
    notes: list[str],
) -> ShockResult:
    m, n = mrio.n_regions, mrio.n_sectors
    B = loss.shape[0]
    regions, sectors = list(mrio.regions), list(mrio.sectors)
    x = mrio.x.to_numpy(dtype=float)
    x_day = x / 365.0
    # central run, full detail
    central = loss[0]
    t_idx, f_idx = np.nonzero(central)
    lbd = pd.DataFrame(
        {
            "draw": np.zeros(len(t_idx), dtype=np.int64),
            "day": t_idx.astype(np.int64),
            "region": np.asarray(mrio.industries.get_level_values(0))[f_idx],
            "sector": np.asarray(mrio.industries.get_level_values(1))[f_idx],
            "output_loss": central[t_idx, f_idx],
        }
    )
    by_rday = loss.reshape(B, T, m, n).sum(axis=3)  # (B, T, m)
    groups: dict[str, np.ndarray] = {"total": np.ones(m, bool)}
    if roles is not None:
        rmap = {str(k): str(v) for k, v in roles.items()}
        role_of = np.array([rmap.get(str(r), "other") for r in regions])
        for g in sorted(set(role_of)):
            groups[g] = role_of == g
    base_r = x_day.reshape(m, n).sum(axis=1)
    rows = []
    for g, sel in groups.items():
        vals = by_rday[:, :, sel].sum(axis=2)  # (B, T)
        base = float(base_r[sel].sum())
        rows.append(
            pd.DataFrame(
                {
                    "draw": np.repeat(np.arange(B), T),
                    "day": np.tile(np.arange(T), B),
                    "group": g,
                    "output_loss": vals.ravel(),
                    "output_loss_pct": vals.ravel() / base * 100 if base > 0 else np.nan,
                }
            )
        )
    daily = pd.concat(rows, ignore_index=True)
    total_t = loss.sum(axis=2)  # (B, T)
    starts = [sh.timing.start for sh in scenario.shocks] + [ic.timing.start for ic in scenario.imports]
    starts += [s for s, _, _ in comp.masks] + [s for s, _, _ in comp.demand]
    start = min(starts) if starts else 0
    summary = pd.DataFrame(index=pd.RangeIndex(B, name="draw"))
    summary["total_loss"] = total_t.sum(axis=1)
    summary["total_loss_pct"] = summary["total_loss"] / x.sum() * 100
    summary["fd_unmet"] = fd
    pct = total_t / x_day.sum() * 100
    summary["peak_daily_loss_pct"] = pct.max(axis=1)
    summary["peak_day"] = pct.argmax(axis=1)
    summary["recovery_days"] = [_recovery_day(total_t[b], start, float(x_day.sum())) for b in range(B)]
    for g, sel in groups.items():
        if g == "total":
            continue
        lg = by_rday[:, :, sel].sum(axis=(1, 2))
        summary[f"loss_{g}"] = lg
        summary[f"share_{g}"] = np.where(summary["total_loss"] != 0, lg / summary["total_loss"], np.nan)
    for c in comp.multipliers.columns:
        summary[f"mult_{c}"] = comp.multipliers[c].to_numpy()
    by_ind = loss.sum(axis=1)  # (B, N)

    def stats(arr: np.ndarray, base: np.ndarray, index: pd.Index) -> pd.DataFrame:
        df = pd.DataFrame({"output_loss": arr[0], "baseline_output": base}, index=index)
        df["loss_pct"] = np.where(base > 0, arr[0] / np.where(base > 0, base, 1.0) * 100, 0.0)
        if B > 1:
            df["mean"] = arr[1:].mean(axis=0)
            df["p05"] = np.quantile(arr[1:], 0.05, axis=0)
            df["p95"] = np.quantile(arr[1:], 0.95, axis=0)
        return df

    by_region = stats(by_ind.reshape(B, m, n).sum(axis=2), x.reshape(m, n).sum(axis=1),
                      pd.Index(regions, name="region"))  # fmt: skip
    if roles is not None:
        by_region.insert(0, "role", [str(roles.get(r, "other")) for r in regions])
    by_sector = stats(by_ind.reshape(B, m, n).sum(axis=1), x.reshape(m, n).sum(axis=0),
                      pd.Index(sectors, name="sector"))  # fmt: skip
    meta = {
        "title": scenario.title,
        "source": scenario.source,
        "probability": scenario.probability,
        "start_day": start,
        "baseline_output_per_day": float(x_day.sum()),
        "notes": notes,
    }
    return ShockResult(scenario.name, model, mrio.unit, T, draws, seed, lbd, daily, summary, by_region,
                       by_sector, meta)  # fmt: skip
