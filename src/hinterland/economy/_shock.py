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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import MRIO
from hinterland.economy._ario import ARIOEvent, ARIOLevers, ARIOModel, ARIOParams, MaskWindow, simulate_ario
from hinterland.economy._calc import calc_A, calc_A_star, calc_B
from hinterland.economy._scenarios import ROW, Rebuild, ShockScenario, load_scenario
from hinterland.economy._static import diim, diim_recovery_rates, ghosh_shock, leontief_shock
from hinterland.errors import ConfigError, DataFileError

__all__ = ["MODELS", "ShockResult", "run_shock"]

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
        s = _as_industry_series(override, mrio, key)
        pos = mrio.industries.get_indexer(s.index)
        out[pos] = offset + s.to_numpy(dtype=float)
    return out


def _as_industry_series(s: pd.Series, mrio: MRIO, name: str) -> pd.Series:
    if not isinstance(s.index, pd.MultiIndex) or s.index.nlevels != 2:
        raise ConfigError(f"{name} must be a Series indexed by (region, sector); got index {s.index.names}")
    idx = s.index.set_names(["region", "sector"])
    pos = mrio.industries.get_indexer(idx)
    if np.any(pos < 0):
        bad = [idx[k] for k in np.flatnonzero(pos < 0)[:5]]
        raise ConfigError(
            f"{name}: unknown industries {bad}; regions are {list(mrio.regions)[:5]}…, sectors "
            f"{list(mrio.sectors)[:5]}…. Fix: index by (region adcode, sector id) of the table."
        )
    if not np.isfinite(s.to_numpy(dtype=float)).all():
        raise ConfigError(f"{name} has non-finite values. Fix: fill them.")
    return pd.Series(s.to_numpy(dtype=float), index=idx)


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
def _run_ario(
    mrio: MRIO,
    scenario: ShockScenario,
    comp: _Compiled,
    T: int,
    params: ARIOParams,
    spare_capacity: pd.Series | None,
    ramp_up_days: pd.Series | None,
    stockpile_days: pd.Series | None,
    say: Progress,
) -> tuple[np.ndarray, np.ndarray]:
    """Daily output loss (B, T, N) and final demand not met per draw (B,)."""
    lev = scenario.levers
    non_stock = tuple(
        str(s) for s in scenario.sectors_of(lev.get("non_stockable", ()), mrio, "levers.non_stockable")
    )
    p = replace(params, rationing=lev.get("rationing", params.rationing), non_stockable=non_stock)
    model = ARIOModel.from_mrio(mrio, p)
    dom = mrio.n_regions * mrio.n_sectors
    Nt = model.n
    if comp.imports and not model.has_row:
        raise ConfigError(
            f"{scenario.source}: the scenario cuts imports but the table {mrio.name!r} has no imports by "
            "product (M) or include_imports is off, so the cut would be ignored. Fix: use a table with "
            "imports (e.g. the bundled China MRIO) or a scenario without `imports`."
        )

    def pad(a: np.ndarray) -> np.ndarray:
        out = np.zeros((a.shape[0], Nt))
        out[:, :dom] = a
        return out

    amax_d = _industry_values(scenario, mrio, "spare_capacity", "share", p.alpha_max, spare_capacity, 1.0)
    if spare_capacity is not None and np.any(_as_industry_series(spare_capacity, mrio, "spare_capacity") < 0):
        raise ConfigError("spare_capacity shares must be ≥ 0 (0.10 = +10 % capacity)")
    atau_d = _industry_values(scenario, mrio, "ramp_up_days", "days", p.alpha_tau, ramp_up_days)
    if np.any(atau_d <= 1):
        raise ConfigError("ramp_up_days must be > 1 day for every industry (τ ≤ 1 step is unstable)")
    amax = np.concatenate([amax_d, np.ones(Nt - dom)])
    atau = np.concatenate([atau_d, np.full(Nt - dom, p.alpha_tau)])
    days = _product_days(scenario, mrio, p.inventory_days, stockpile_days)
    prio = None
    if p.rationing == "priority":
        ps = scenario.sectors_of(lev.get("priority_sectors", ()), mrio, "levers.priority_sectors")
        prio = np.concatenate(
            [np.asarray(mrio.industries.get_level_values(1).isin(ps)), np.zeros(Nt - dom, bool)]
        )
    loss = np.empty((comp.B, T, dom))
    fd = np.empty(comp.B)
    x0 = model.x0[:dom].astype(float)
    chunk = max(1, int(_CHUNK_BYTES // (T * Nt * 8 * 2)))
    for b0 in range(0, comp.B, chunk):
        b1 = min(comp.B, b0 + chunk)
        say(f"ARIO: scenarios {b0 + 1}-{b1} of {comp.B}, {T} days")
        events = []
        for tm, imp in comp.cap:
            events.append(ARIOEvent("arbitrary", pad(imp[b0:b1]), tm.start, tm.duration, tm.recovery_days,
                                    "linear" if tm.recovery == "linear" else "convexe"))  # fmt: skip
        rebuilds = comp.rebuild or [None] * len(comp.capital)
        for (tm, imp), rb in zip(comp.capital, rebuilds, strict=True):
            if rb is not None:  # destroyed capital rebuilt through reconstruction demand
                events.append(ARIOEvent("rebuild", pad(imp[b0:b1]), tm.start, tm.duration,
                                        rebuild_sectors=rb.shares, rebuild_tau=rb.tau_days,
                                        rebuilding_factor=rb.factor))  # fmt: skip
                continue
            events.append(ARIOEvent("capital", pad(imp[b0:b1]), tm.start, tm.duration, tm.recovery_days,
                                    "linear" if tm.recovery == "linear" else "convexe"))  # fmt: skip
        for tm, cut in comp.imports:
            imp = np.zeros((b1 - b0, Nt))
            imp[:, dom:] = cut[b0:b1]
            events.append(ARIOEvent("arbitrary", imp, tm.start, tm.duration, tm.recovery_days,
                                    "linear" if tm.recovery == "linear" else "convexe"))  # fmt: skip
        mm = model.n_regions
        masks = tuple(MaskWindow(s, e, mk[b0:b1, :mm, :mm]) for s, e, mk in comp.masks)
        dscale = tuple((s, e, np.concatenate([1.0 - sh[b0:b1], np.ones((b1 - b0, Nt - dom))], axis=1))
                       for s, e, sh in comp.demand)  # fmt: skip
        levers = ARIOLevers(
            alpha_max=amax,
            alpha_tau=atau,
            inventory_days=days,
            masks=masks,
            demand_scale=dscale,
            priority_users=prio,
        )
        # a horizon shorter than a shock simulates its first T days only
        events = [
            replace(ev, duration=min(ev.duration, T - ev.occurrence)) for ev in events if ev.occurrence < T
        ]
        res = simulate_ario(model, events, T, batch=b1 - b0, levers=levers, record_flows=False)
        loss[b0:b1] = (x0[None, None, :] - res.production[:, :, :dom]).transpose(1, 0, 2)
        fd[b0:b1] = res.fd_unmet.sum(axis=(0, 2, 3))
    return loss, fd


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
    spare_capacity: pd.Series | None = None,
    ramp_up_days: pd.Series | None = None,
    stockpile_days: pd.Series | None = None,
    horizon_days: int | None = None,
    params: ARIOParams | None = None,
    roles: pd.Series | None = None,
    progress: Progress | None = None,
) -> ShockResult:
    """Run ``scenario`` on ``mrio`` with ``model`` (``ario``, ``iim``, ``diim``, ``leontief``, ``ghosh``).

    ``draws`` Monte Carlo draws of the scenario's ``uncertainty`` ranges (seeded by ``seed``) run
    beside the central run (draw 0). ``spare_capacity`` (Series on (``region``, ``sector``), 0.10 =
    +10 %, i.e. α_max = 1 + share), ``ramp_up_days`` (same index, τ_α in days) and ``stockpile_days``
    (Series on ``sector``, days of input stocks per product) override the scenario's levers for the
    industries/products they list; the others keep the scenario value or the ``params`` default.
    ``roles`` (Series region → role, e.g. ``front``/``hinterland``) splits losses by role.
    """
    say = progress or (lambda _msg: None)
    if not isinstance(scenario, ShockScenario):
        scenario = load_scenario(scenario, mrio=mrio)
    if model not in MODELS:
        raise ConfigError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if draws < 0:
        raise ConfigError(f"draws must be ≥ 0, got {draws}")
    T = int(horizon_days or scenario.horizon_days)
    if T < 2:
        raise ConfigError(f"the horizon must be ≥ 2 days, got {T}")
    p = params or ARIOParams()
    p.validate()
    va = np.maximum(mrio.v.to_numpy(dtype=float), 0.0)
    capital = p.capital_to_va * va
    comp = _compile(scenario, mrio, capital, draws, seed)
    notes: list[str] = []
    fd = np.full(comp.B, np.nan)
    if model == "ario":
        loss, fd = _run_ario(mrio, scenario, comp, T, p, spare_capacity, ramp_up_days, stockpile_days, say)
    else:
        if spare_capacity is not None or ramp_up_days is not None or stockpile_days is not None:
            notes.append(f"{model}: spare capacity, ramp-up and stockpiles act only in the ARIO model")
        if model == "ghosh" and comp.demand:
            notes.append("ghosh: final-demand shocks are ignored (supply-driven model)")
        loss = _run_static(mrio, scenario, comp, T, model, capital, say)
    say("summarising")
    return _assemble(mrio, scenario, model, loss, fd, comp, T, draws, seed, roles, notes)


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
